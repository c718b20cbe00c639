//! The whole register in memory, read from its documents: looking a patient up by what a
//! desk types (name, date of birth, phone), following merges, and finding the records that
//! may be one person.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use super::{Patient, PatientId};
use crate::Appointment;

/// How many matches type-ahead offers.
pub const MATCHES: usize = 8;
/// The most records one phone number may pair with one another.
const MAX_SHARED_NUMBER: usize = 12;
/// The longest chain of merges followed; a longer one is a loop, read as below.
const MAX_CHAIN: usize = 32;

/// Why two records may be one person.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Why {
    /// The same name and date of birth.
    SameNameAndBirth,
    /// The same phone number.
    SamePhone,
    /// The same date of birth and names a letter or two apart: a typo.
    SimilarName,
}

/// Two records that may be one person, `a` registered first.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Pair {
    pub a: PatientId,
    pub b: PatientId,
    pub why: Why,
}

/// What is searched in a record, made once when the register is read.
#[derive(Clone, Debug)]
struct Key {
    /// The name's words, lower case.
    words: Vec<String>,
    /// Every phone number's digits, each ending with a `/`.
    digits: String,
    dob: Option<NaiveDate>,
}

/// Every patient of the register, as read.
#[derive(Clone, Debug, Default)]
pub struct Register {
    patients: Vec<Patient>,
    keys: Vec<Key>,
    by_id: HashMap<PatientId, usize>,
    /// How many records of the documents did not read.
    pub unreadable: usize,
}

impl Register {
    /// The register of these patients (from every document: see [`super::read_all`]).
    pub fn new(patients: Vec<Patient>, unreadable: usize) -> Self {
        let keys = patients.iter().map(key).collect();
        let by_id = patients
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.clone(), i))
            .collect();
        Self {
            patients,
            keys,
            by_id,
            unreadable,
        }
    }

    pub fn len(&self) -> usize {
        self.patients.len()
    }

    pub fn is_empty(&self) -> bool {
        self.patients.is_empty()
    }

    /// The record `id`, as stored (merged or not).
    pub fn record(&self, id: &PatientId) -> Option<&Patient> {
        self.by_id.get(id).map(|&i| &self.patients[i])
    }

    /// The patient `id` is now: the record itself, or the one it was merged into, followed
    /// to the end. Two records merged into each other (two desks merging one pair both
    /// ways while offline) resolve alike everywhere: to the one of the loop with the
    /// smallest id.
    pub fn resolve(&self, id: &PatientId) -> Option<&Patient> {
        let mut chain: Vec<&Patient> = vec![self.record(id)?];
        loop {
            let current = *chain.last()?;
            let Some(next) = current.merged_into.as_ref() else {
                return Some(current);
            };
            // Merged into a record this device has not received yet: still itself.
            let Some(next) = self.record(next) else {
                return Some(current);
            };
            if let Some(at) = chain.iter().position(|p| p.id == next.id) {
                return chain[at..].iter().min_by_key(|p| &p.id).copied();
            }
            if chain.len() >= MAX_CHAIN {
                return Some(current);
            }
            chain.push(next);
        }
    }

    /// Whether `p` is a patient in their own right, not merged into another.
    pub fn is_current(&self, p: &Patient) -> bool {
        self.resolve(&p.id).is_some_and(|r| r.id == p.id)
    }

    /// The records merged into `id` (directly or down a chain), for its history.
    pub fn merged_into<'a>(&'a self, id: &'a PatientId) -> impl Iterator<Item = &'a Patient> {
        self.patients
            .iter()
            .filter(move |p| p.id != *id && self.resolve(&p.id).is_some_and(|r| r.id == *id))
    }

    /// Current patients matching what was typed: every word must match, a word of letters
    /// the start of a word of the name, a date (`1980-04-30`) the date of birth, three or
    /// more digits part of a phone number. The best first (a name that starts with the first
    /// word, then by name), at most `limit`.
    pub fn search(&self, typed: &str, limit: usize) -> Vec<&Patient> {
        let terms: Vec<Term> = typed.split_whitespace().flat_map(Term::parse).collect();
        if terms.is_empty() {
            return Vec::new();
        }
        let mut found: Vec<(bool, &Patient)> = self
            .patients
            .iter()
            .zip(&self.keys)
            .filter(|(_, key)| terms.iter().all(|t| t.matches(key)))
            .filter(|(p, _)| p.merged_into.is_none() || self.is_current(p))
            .map(|(p, key)| {
                let first = match &terms[0] {
                    Term::Word(w) => key.words.first().is_some_and(|f| f.starts_with(w)),
                    _ => false,
                };
                (!first, p)
            })
            .collect();
        let order = |(fa, a): &(bool, &Patient), (fb, b): &(bool, &Patient)| {
            (fa, &a.name, a.dob, &a.id).cmp(&(fb, &b.name, b.dob, &b.id))
        };
        // Only the best `limit` are put in order: a few digits can match thousands.
        if found.len() > limit && limit > 0 {
            found.select_nth_unstable_by(limit - 1, order);
            found.truncate(limit);
        }
        found.sort_by(order);
        found.into_iter().take(limit).map(|(_, p)| p).collect()
    }

    /// Pairs of current records that may be one person, oldest registration first in each
    /// pair, pairs a person kept apart left out.
    pub fn duplicates(&self) -> Vec<Pair> {
        let current: Vec<usize> = (0..self.patients.len())
            .filter(|&i| self.is_current(&self.patients[i]))
            .collect();
        let mut pairs: Vec<Pair> = Vec::new();
        let mut seen: HashSet<(usize, usize)> = HashSet::new();
        let mut add = |i: usize, j: usize, why: Why| {
            if !seen.insert((i.min(j), i.max(j))) {
                return;
            }
            let (p, q) = (&self.patients[i], &self.patients[j]);
            if p.apart.contains(&q.id) || q.apart.contains(&p.id) {
                return;
            }
            let (a, b) = if (&p.registered_at, &p.id) <= (&q.registered_at, &q.id) {
                (p, q)
            } else {
                (q, p)
            };
            pairs.push(Pair {
                a: a.id.clone(),
                b: b.id.clone(),
                why,
            });
        };
        // By date of birth: the same name, or names a typo apart.
        let mut by_dob: HashMap<NaiveDate, Vec<usize>> = HashMap::new();
        for &i in &current {
            if let Some(dob) = self.patients[i].dob {
                by_dob.entry(dob).or_default().push(i);
            }
        }
        let mut groups: Vec<&Vec<usize>> = by_dob.values().filter(|g| g.len() > 1).collect();
        groups.sort();
        for group in groups {
            for (n, &i) in group.iter().enumerate() {
                for &j in &group[n + 1..] {
                    let (x, y) = (
                        folded(&self.patients[i].name),
                        folded(&self.patients[j].name),
                    );
                    if x == y {
                        add(i, j, Why::SameNameAndBirth);
                    } else if typo_apart(&x, &y) {
                        add(i, j, Why::SimilarName);
                    }
                }
            }
        }
        // By phone number: the last ten digits, when there are at least seven.
        let mut by_phone: HashMap<String, Vec<usize>> = HashMap::new();
        for &i in &current {
            let p = &self.patients[i];
            let mut numbers: Vec<String> = [&p.phone, &p.phone_other]
                .into_iter()
                .filter_map(|n| phone_key(n))
                .collect();
            numbers.dedup();
            for n in numbers {
                by_phone.entry(n).or_default().push(i);
            }
        }
        // A number dozens of records share (a care home's, a placeholder) says nothing.
        let mut groups: Vec<&Vec<usize>> = by_phone
            .values()
            .filter(|g| (2..=MAX_SHARED_NUMBER).contains(&g.len()))
            .collect();
        groups.sort();
        for group in groups {
            for (n, &i) in group.iter().enumerate() {
                for &j in &group[n + 1..] {
                    if i != j {
                        add(i, j, Why::SamePhone);
                    }
                }
            }
        }
        pairs.sort_by(|x, y| (&x.a, &x.b).cmp(&(&y.a, &y.b)));
        pairs
    }

    /// Where every appointment of `patient` is noted to be, those noted on records merged
    /// into them included.
    pub fn visits_of<'a>(&'a self, patient: &'a PatientId) -> Vec<&'a super::Visit> {
        let mut all: Vec<&super::Visit> = self
            .record(patient)
            .into_iter()
            .chain(self.merged_into(patient))
            .flat_map(|p| &p.visits)
            .collect();
        all.sort_by(|a, b| (a.month, &a.appointment).cmp(&(b.month, &b.appointment)));
        // The same place noted on two records; a moved appointment noted at two places
        // keeps both, and is found in whichever holds it.
        all.dedup();
        all
    }

    /// Whether appointment `a` is for `patient` (through any record merged into them).
    pub fn is_for(&self, a: &Appointment, patient: &PatientId) -> bool {
        a.patient
            .as_ref()
            .and_then(|id| self.resolve(id))
            .is_some_and(|p| p.id == *patient)
    }

    /// The appointment with its patient's details as the register has them now: the name,
    /// date of birth, phone and e-mail of the patient it names (after merges). One that
    /// names nobody, or a patient this device has not received, keeps its own.
    pub fn fill(&self, a: &mut Appointment) {
        let Some(p) = a.patient.as_ref().and_then(|id| self.resolve(id)) else {
            return;
        };
        let given = |text: &str| (!text.is_empty()).then(|| text.to_string());
        a.patient_name.clone_from(&p.name);
        a.dob = p.dob.or(a.dob);
        a.phone = given(&p.phone).or(a.phone.take());
        a.email = given(&p.email).or(a.email.take());
    }

    /// Every record, merged ones included.
    pub fn iter(&self) -> impl Iterator<Item = &Patient> {
        self.patients.iter()
    }
}

/// One word of what was typed.
enum Term {
    Word(String),
    Date(NaiveDate),
    Digits(String),
}

impl Term {
    /// The terms of one typed word: a name with an apostrophe or a hyphen ("O'Brien",
    /// "Mary-Jane") is its parts, as the name's words are.
    fn parse(word: &str) -> Vec<Self> {
        if let Ok(date) = NaiveDate::parse_from_str(word, "%Y-%m-%d") {
            return vec![Self::Date(date)];
        }
        let digits: String = word.chars().filter(char::is_ascii_digit).collect();
        let number = word
            .chars()
            .all(|c| c.is_ascii_digit() || "+-().".contains(c));
        if !digits.is_empty() && number {
            return if digits.len() >= 3 {
                vec![Self::Digits(digits)]
            } else {
                Vec::new()
            };
        }
        folded(word)
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(|w| Self::Word(w.to_string()))
            .collect()
    }

    fn matches(&self, key: &Key) -> bool {
        match self {
            Self::Word(w) => key.words.iter().any(|k| k.starts_with(w.as_str())),
            Self::Date(d) => key.dob == Some(*d),
            Self::Digits(d) => {
                key.digits.contains(d.as_str())
                    || key.words.iter().any(|k| k.starts_with(d.as_str()))
            }
        }
    }
}

fn key(p: &Patient) -> Key {
    let mut digits = String::new();
    for number in [&p.phone, &p.phone_other] {
        digits.extend(number.chars().filter(char::is_ascii_digit));
        digits.push('/');
    }
    Key {
        words: folded(&p.name)
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect(),
        digits,
        dob: p.dob,
    }
}

/// A name as compared: lower case, letters and digits only, words one space apart.
fn folded(name: &str) -> String {
    name.to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The number's last ten digits, when it has at least seven.
fn phone_key(number: &str) -> Option<String> {
    let digits: Vec<char> = number.chars().filter(char::is_ascii_digit).collect();
    (digits.len() >= 7).then(|| digits[digits.len().saturating_sub(10)..].iter().collect())
}

/// Whether two names differ by at most two letters (inserted, removed or changed), and
/// are long enough for that to be a typo rather than another name.
fn typo_apart(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().min(b.len()) < 6 || a.len().abs_diff(b.len()) > 2 {
        return false;
    }
    // Levenshtein distance, one row at a time.
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let here = row[j + 1];
            row[j + 1] = (previous + usize::from(ca != cb))
                .min(row[j] + 1)
                .min(here + 1);
            previous = here;
        }
    }
    row[b.len()] <= 2
}
