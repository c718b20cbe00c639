//! The staff file, for managers: each person's hire date, end of probation and how often
//! they are appraised; the onboarding checklist the manager keeps (HIPAA training, badge,
//! accounts…) ticked off person by person; a training plan; and appraisals. What falls due
//! across every site is worked out in [`due`].
//!
//! It is one document of the organisation, `staff-file`, which only managers' pages open.
//! Facts about a person are flat keys (`{staff}/{fact}`) rather than a record per person,
//! so that two managers filling in one newcomer's file offline both keep what they wrote
//! (two devices making the same record at once would keep only one). Training and
//! appraisals are records of their own, each with a random id.

pub mod due;

use std::collections::BTreeMap;

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ReadDoc};
use chrono::{Months, NaiveDate};

use crate::directory::MAX_NAME_CHARS;
use crate::document::maps;
use crate::fields::{new_record, put_changed, record, text, write_error};
use crate::staff::credential::parse_date;
use crate::{random_id, tidy, Document, DocumentError, StaffId};

random_id!(
    /// An item of the onboarding checklist.
    OnboardingId
);
random_id!(
    /// A course on someone's training plan.
    TrainingId
);
random_id!(
    /// An appraisal held.
    AppraisalId
);

/// Appraisals come this many months apart unless set otherwise.
pub const DEFAULT_APPRAISAL_MONTHS: u32 = 12;
/// The longest appraisal summary, in characters.
pub const MAX_SUMMARY_CHARS: usize = 4_000;

/// A person's terms.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Terms {
    pub hired: Option<NaiveDate>,
    pub probation_end: Option<NaiveDate>,
    /// `None`: [`DEFAULT_APPRAISAL_MONTHS`].
    pub appraisal_months: Option<u32>,
}

impl Terms {
    pub fn appraisal_months(&self) -> u32 {
        self.appraisal_months.unwrap_or(DEFAULT_APPRAISAL_MONTHS)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OnboardingItem {
    pub id: OnboardingId,
    pub text: String,
    pub archived: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Training {
    pub id: TrainingId,
    pub staff: StaffId,
    pub course: String,
    pub due: NaiveDate,
    pub done: Option<NaiveDate>,
}

/// How an appraisal found the person's work.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Rating {
    Below,
    Meets,
    Exceeds,
}

impl Rating {
    pub const ALL: [Rating; 3] = [Rating::Below, Rating::Meets, Rating::Exceeds];

    pub fn code(self) -> &'static str {
        match self {
            Self::Below => "below",
            Self::Meets => "meets",
            Self::Exceeds => "exceeds",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Below => "Below expectations",
            Self::Meets => "Meets expectations",
            Self::Exceeds => "Exceeds expectations",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Appraisal {
    pub id: AppraisalId,
    pub staff: StaffId,
    pub held: NaiveDate,
    pub reviewer: String,
    pub rating: Rating,
    pub summary: String,
}

/// The whole staff file as read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StaffFiles {
    pub terms: BTreeMap<StaffId, Terms>,
    /// The checklist, in the order items were added (then by id).
    pub onboarding: Vec<OnboardingItem>,
    /// What each person has done of it: the day, and who ticked it.
    pub done: BTreeMap<(StaffId, OnboardingId), (NaiveDate, String)>,
    /// By due day.
    pub training: Vec<Training>,
    /// Newest first.
    pub appraisals: Vec<Appraisal>,
    pub unreadable: usize,
}

impl StaffFiles {
    pub fn terms_of(&self, staff: &StaffId) -> Terms {
        self.terms.get(staff).copied().unwrap_or_default()
    }

    /// The checklist items in use.
    pub fn checklist(&self) -> impl Iterator<Item = &OnboardingItem> {
        self.onboarding.iter().filter(|i| !i.archived)
    }

    /// How much of the checklist `staff` has done: (done, of).
    pub fn onboarded(&self, staff: &StaffId) -> (usize, usize) {
        let items: Vec<_> = self.checklist().collect();
        let done = items
            .iter()
            .filter(|i| self.done.contains_key(&(staff.clone(), i.id.clone())))
            .count();
        (done, items.len())
    }

    /// `staff`'s appraisals, newest first.
    pub fn appraisals_of<'a>(&'a self, staff: &'a StaffId) -> impl Iterator<Item = &'a Appraisal> {
        self.appraisals.iter().filter(move |a| &a.staff == staff)
    }

    /// When `staff`'s next appraisal is due: the interval after the last, else the end of
    /// probation, else the interval after the hire date; `None` without any of them.
    pub fn next_appraisal(&self, staff: &StaffId) -> Option<NaiveDate> {
        let terms = self.terms_of(staff);
        let every = Months::new(terms.appraisal_months());
        match self.appraisals_of(staff).next() {
            Some(last) => last.held.checked_add_months(every),
            None => terms
                .probation_end
                .or_else(|| terms.hired.and_then(|h| h.checked_add_months(every))),
        }
    }

    /// Reads the staff file. Records this version cannot read are counted.
    pub fn read(doc: &AutoCommit) -> Result<Self, DocumentError> {
        let mut files = Self::default();
        let day = |t: &str| NaiveDate::parse_from_str(t, "%Y-%m-%d").ok();
        let terms = Document::root_map(doc, maps::TERMS)?;
        for entry in doc.map_range(&terms, ..) {
            let value = match entry.value {
                automerge::ValueRef::Scalar(automerge::ScalarValueRef::Str(s)) => s.into_owned(),
                _ => {
                    files.unreadable += 1;
                    continue;
                }
            };
            let Some((staff, fact)) = entry.key.split_once('/') else {
                files.unreadable += 1;
                continue;
            };
            let t = files.terms.entry(StaffId::from(staff)).or_default();
            match fact {
                "hired" => t.hired = day(&value),
                "probation_end" => t.probation_end = day(&value),
                "appraisal_months" => t.appraisal_months = value.parse().ok(),
                _ => {}
            }
        }
        let onboarding = Document::root_map(doc, maps::ONBOARDING)?;
        let mut items = Vec::new();
        for id in doc.keys(&onboarding) {
            let Some(obj) = record(doc, &onboarding, &id) else {
                files.unreadable += 1;
                continue;
            };
            match (text(doc, &obj, "text"), text(doc, &obj, "added")) {
                (Some(t), Some(added)) => items.push((
                    added,
                    OnboardingItem {
                        id: OnboardingId::from(id.as_str()),
                        text: t,
                        archived: text(doc, &obj, "archived").as_deref() == Some("yes"),
                    },
                )),
                _ => files.unreadable += 1,
            }
        }
        items.sort_by(|a, b| (&a.0, &a.1.id).cmp(&(&b.0, &b.1.id)));
        files.onboarding = items.into_iter().map(|(_, i)| i).collect();
        let done = Document::root_map(doc, maps::ONBOARDED)?;
        for entry in doc.map_range(&done, ..) {
            let value = match entry.value {
                automerge::ValueRef::Scalar(automerge::ScalarValueRef::Str(s)) => s.into_owned(),
                _ => continue,
            };
            let parsed = entry.key.split_once('/').and_then(|(staff, item)| {
                let (when, by) = value.split_once('|')?;
                Some((
                    (StaffId::from(staff), OnboardingId::from(item)),
                    (day(when)?, by.to_string()),
                ))
            });
            match parsed {
                Some((key, value)) => {
                    files.done.insert(key, value);
                }
                None => files.unreadable += 1,
            }
        }
        let training = Document::root_map(doc, maps::TRAINING)?;
        for id in doc.keys(&training) {
            let read = record(doc, &training, &id).and_then(|obj| {
                Some(Training {
                    id: TrainingId::from(id.as_str()),
                    staff: StaffId::from(text(doc, &obj, "staff")?.as_str()),
                    course: text(doc, &obj, "course")?,
                    due: day(&text(doc, &obj, "due")?)?,
                    done: text(doc, &obj, "done").and_then(|d| day(&d)),
                })
            });
            match read {
                Some(t) => files.training.push(t),
                None => files.unreadable += 1,
            }
        }
        files
            .training
            .sort_by(|a, b| (a.due, &a.id).cmp(&(b.due, &b.id)));
        let appraisals = Document::root_map(doc, maps::APPRAISALS)?;
        for id in doc.keys(&appraisals) {
            let read = record(doc, &appraisals, &id).and_then(|obj| {
                Some(Appraisal {
                    id: AppraisalId::from(id.as_str()),
                    staff: StaffId::from(text(doc, &obj, "staff")?.as_str()),
                    held: day(&text(doc, &obj, "held")?)?,
                    reviewer: text(doc, &obj, "reviewer").unwrap_or_default(),
                    rating: Rating::parse(&text(doc, &obj, "rating")?)?,
                    summary: text(doc, &obj, "summary").unwrap_or_default(),
                })
            });
            match read {
                Some(a) => files.appraisals.push(a),
                None => files.unreadable += 1,
            }
        }
        files
            .appraisals
            .sort_by(|a, b| (b.held, &b.id).cmp(&(a.held, &a.id)));
        Ok(files)
    }
}

type Problems = Vec<(&'static str, String)>;

fn optional_day(
    field: &'static str,
    typed: &str,
    what: &str,
    errors: &mut Problems,
) -> Option<NaiveDate> {
    match typed.trim() {
        "" => None,
        typed => match parse_date(typed, what) {
            Ok(day) => Some(day),
            Err(e) => {
                errors.push((field, e));
                None
            }
        },
    }
}

/// A person's terms as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TermsForm {
    pub hired: String,
    pub probation_end: String,
    pub appraisal_months: String,
}

impl TermsForm {
    pub fn from_terms(t: &Terms) -> Self {
        let day = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        Self {
            hired: day(t.hired),
            probation_end: day(t.probation_end),
            appraisal_months: t.appraisal_months().to_string(),
        }
    }

    /// The terms, or each field's problem: a probation that ends before the hire, an
    /// appraisal interval outside 1 to 36 months.
    pub fn validate(&self) -> Result<Terms, Problems> {
        let mut errors = Vec::new();
        let hired = optional_day("hired", &self.hired, "hire date", &mut errors);
        let probation_end = optional_day(
            "probation_end",
            &self.probation_end,
            "end of probation",
            &mut errors,
        );
        if let (Some(h), Some(p)) = (hired, probation_end) {
            if p < h {
                errors.push((
                    "probation_end",
                    "Probation cannot end before the hire date.".to_string(),
                ));
            }
        }
        let appraisal_months = match self.appraisal_months.trim() {
            "" => None,
            typed => match typed.parse::<u32>() {
                Ok(n) if (1..=36).contains(&n) => Some(n),
                _ => {
                    errors.push((
                        "appraisal_months",
                        "Appraise every 1 to 36 months.".to_string(),
                    ));
                    None
                }
            },
        };
        if errors.is_empty() {
            Ok(Terms {
                hired,
                probation_end,
                appraisal_months,
            })
        } else {
            Err(errors)
        }
    }
}

/// Writes the facts of a person's terms that a form changed from `before` (what it
/// showed) to `after`, so that two managers each changing another fact offline both keep
/// theirs.
pub fn put_terms(
    doc: &mut AutoCommit,
    staff: &StaffId,
    before: &Terms,
    after: &Terms,
) -> Result<(), DocumentError> {
    let map = Document::root_map(doc, maps::TERMS)?;
    let day = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let facts = [
        ("hired", day(before.hired), day(after.hired)),
        (
            "probation_end",
            day(before.probation_end),
            day(after.probation_end),
        ),
        (
            "appraisal_months",
            before.appraisal_months().to_string(),
            after.appraisal_months().to_string(),
        ),
    ];
    for (fact, was, now) in facts {
        if was != now {
            put_changed(doc, &map, &format!("{staff}/{fact}"), now.as_str())?;
        }
    }
    Ok(())
}

/// An onboarding step's words as typed, tidied, or the sentence that says what is wrong.
pub fn step_words(typed: &str) -> Result<String, String> {
    let words = tidy(typed);
    if words.is_empty() || words.chars().count() > MAX_NAME_CHARS {
        return Err(format!(
            "Name the step in 1 to {MAX_NAME_CHARS} characters."
        ));
    }
    Ok(words)
}

/// Adds an item to the onboarding checklist; refuses an empty or overlong one.
pub fn add_onboarding_item(
    doc: &mut AutoCommit,
    typed: &str,
    now: chrono::NaiveDateTime,
) -> Result<OnboardingId, DocumentError> {
    let words = step_words(typed).map_err(|e| DocumentError::Refused(crate::Refusal::Field(e)))?;
    let map = Document::root_map(doc, maps::ONBOARDING)?;
    let id = OnboardingId::random();
    let obj = new_record(doc, &map, id.as_str())?;
    put_changed(doc, &obj, "text", words.as_str())?;
    put_changed(
        doc,
        &obj,
        "added",
        crate::appointment::format_local_datetime(now).as_str(),
    )?;
    Ok(id)
}

/// Takes an item off the checklist (what people ticked of it stays in their files).
pub fn archive_onboarding_item(
    doc: &mut AutoCommit,
    id: &OnboardingId,
) -> Result<(), DocumentError> {
    let map = Document::root_map(doc, maps::ONBOARDING)?;
    let obj = record(doc, &map, id.as_str()).ok_or_else(|| crate::Thing::ChecklistItem.gone())?;
    put_changed(doc, &obj, "archived", "yes")
}

/// Ticks (with the day and who) or unticks a step of `staff`'s onboarding.
pub fn tick(
    doc: &mut AutoCommit,
    staff: &StaffId,
    item: &OnboardingId,
    done: Option<(NaiveDate, &str)>,
) -> Result<(), DocumentError> {
    let map = Document::root_map(doc, maps::ONBOARDED)?;
    let key = format!("{staff}/{item}");
    match done {
        Some((day, by)) => put_changed(doc, &map, &key, format!("{day}|{by}").as_str()),
        None => doc.delete(&map, key.as_str()).map_err(write_error),
    }
}

/// A course to plan, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrainingForm {
    pub course: String,
    pub due: String,
}

impl TrainingForm {
    pub fn validate(&self, staff: &StaffId) -> Result<Training, Problems> {
        let mut errors = Vec::new();
        let course = tidy(&self.course);
        if course.is_empty() || course.chars().count() > MAX_NAME_CHARS {
            errors.push((
                "course",
                format!("Name the course in 1 to {MAX_NAME_CHARS} characters."),
            ));
        }
        let due = match parse_date(&self.due, "day it is due") {
            Ok(day) => Some(day),
            Err(e) => {
                errors.push(("due", e));
                None
            }
        };
        match due {
            Some(due) if errors.is_empty() => Ok(Training {
                id: TrainingId::random(),
                staff: staff.clone(),
                course,
                due,
                done: None,
            }),
            _ => Err(errors),
        }
    }
}

/// Writes a course of someone's plan, field by field.
pub fn put_training(doc: &mut AutoCommit, t: &Training) -> Result<(), DocumentError> {
    let map = Document::root_map(doc, maps::TRAINING)?;
    let obj = match record(doc, &map, t.id.as_str()) {
        Some(obj) => obj,
        None => new_record(doc, &map, t.id.as_str())?,
    };
    let done = t.done.map(|d| d.to_string()).unwrap_or_default();
    put_changed(doc, &obj, "staff", t.staff.as_str())?;
    put_changed(doc, &obj, "course", t.course.as_str())?;
    put_changed(doc, &obj, "due", t.due.to_string().as_str())?;
    put_changed(doc, &obj, "done", done.as_str())
}

/// An appraisal as the manager wrote it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AppraisalForm {
    pub held: String,
    pub rating: String,
    pub summary: String,
}

impl AppraisalForm {
    /// The appraisal of `staff` by `reviewer`, or each field's problem: an appraisal held
    /// on a day still to come, no rating, no summary.
    pub fn validate(
        &self,
        staff: &StaffId,
        reviewer: &str,
        today: NaiveDate,
    ) -> Result<Appraisal, Problems> {
        let mut errors = Vec::new();
        let held = match parse_date(&self.held, "day it was held") {
            Ok(day) if day > today => {
                errors.push((
                    "held",
                    format!("{} has not come yet.", day.format("%-d %b %Y")),
                ));
                None
            }
            Ok(day) => Some(day),
            Err(e) => {
                errors.push(("held", e));
                None
            }
        };
        let rating = Rating::parse(self.rating.trim());
        if rating.is_none() {
            errors.push(("rating", "Choose how the work was found.".to_string()));
        }
        let summary = self.summary.trim().to_string();
        if summary.is_empty() {
            errors.push((
                "summary",
                "Write what was discussed and agreed.".to_string(),
            ));
        } else if summary.chars().count() > MAX_SUMMARY_CHARS {
            errors.push((
                "summary",
                format!("Use at most {MAX_SUMMARY_CHARS} characters."),
            ));
        }
        match (held, rating) {
            (Some(held), Some(rating)) if errors.is_empty() => Ok(Appraisal {
                id: AppraisalId::random(),
                staff: staff.clone(),
                held,
                reviewer: reviewer.to_string(),
                rating,
                summary,
            }),
            _ => Err(errors),
        }
    }
}

/// Writes an appraisal, field by field.
pub fn put_appraisal(doc: &mut AutoCommit, a: &Appraisal) -> Result<(), DocumentError> {
    let map = Document::root_map(doc, maps::APPRAISALS)?;
    let obj = match record(doc, &map, a.id.as_str()) {
        Some(obj) => obj,
        None => new_record(doc, &map, a.id.as_str())?,
    };
    put_changed(doc, &obj, "staff", a.staff.as_str())?;
    put_changed(doc, &obj, "held", a.held.to_string().as_str())?;
    put_changed(doc, &obj, "reviewer", a.reviewer.as_str())?;
    put_changed(doc, &obj, "rating", a.rating.code())?;
    put_changed(doc, &obj, "summary", a.summary.as_str())
}

#[cfg(test)]
mod tests;
