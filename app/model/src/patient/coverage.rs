//! A patient's insurance and the checks of it: the payer, plan, member id, group, the
//! subscriber when it is not the patient, and the plan's co-pay; each verification of
//! eligibility (by whom, when, the result, notes) under a key of its own (`check:{id}`),
//! so two desks verifying offline both keep theirs. Whether the coverage stands verified
//! on a day ([`Standing`]) follows from the newest check of the current member id and how
//! old the site's manager lets a check be.

use automerge::{AutoCommit, ObjId};
use chrono::{NaiveDate, NaiveDateTime};

use super::{Patient, PatientId};
use crate::appointment::{format_local_datetime, parse_local_datetime};
use crate::document::maps;
use crate::fields::{new_record, put_changed, record, text};
use crate::money::plain;
use crate::payment::parse_cents;
use crate::{random_id, tidy, Appointment, Document, DocumentError};

random_id!(
    /// One verification of a patient's coverage.
    CheckId
);

/// The longest payer, plan, member id or group, in characters.
pub const MAX_FIELD_CHARS: usize = 80;
/// The highest co-pay a plan may set, in cents.
pub const MAX_COPAY_CENTS: i64 = 100_000;
/// A check this many days from going stale is due again.
pub const DUE_WITHIN_DAYS: i64 = 7;

/// The insurance a patient has.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Coverage {
    pub payer: String,
    pub plan: String,
    pub member_id: String,
    pub group: String,
    /// Who holds the policy when it is not the patient ("Alex Example, parent").
    pub subscriber: String,
    /// What the plan says the patient pays a visit; `None` to go by the appointment type.
    pub copay_cents: Option<i64>,
}

/// What a verification found.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Eligibility {
    Eligible,
    NotEligible,
}

impl Eligibility {
    pub fn code(self) -> &'static str {
        match self {
            Self::Eligible => "eligible",
            Self::NotEligible => "not-eligible",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [Self::Eligible, Self::NotEligible]
            .into_iter()
            .find(|e| e.code() == code)
    }
}

/// One verification of eligibility.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Check {
    pub id: CheckId,
    pub at: NaiveDateTime,
    pub by: String,
    pub result: Eligibility,
    /// The member id verified: a check of an earlier card does not count for a new one.
    pub member_id: String,
    pub notes: String,
}

/// Where a patient's coverage stands on a day.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Standing {
    /// No insurance on file: the patient pays for themselves.
    SelfPay,
    /// Insurance on file, never verified (for this member id).
    NotVerified,
    /// Verified eligible, and not yet near stale.
    Current(Check),
    /// Verified eligible, but stale within [`DUE_WITHIN_DAYS`].
    Due(Check),
    /// Verified longer ago than the site allows.
    Stale(Check),
    /// The newest check found the patient not covered.
    NotEligible(Check),
}

impl Standing {
    /// Whether the desk should verify the coverage before the visit.
    pub fn to_verify(&self) -> bool {
        !matches!(self, Self::SelfPay | Self::Current(_))
    }

    /// The words at check-in.
    pub fn words(&self) -> String {
        let when = |c: &Check| format!("{} by {}", c.at.format("%-d %b %Y"), c.by);
        match self {
            Self::SelfPay => "No insurance on file.".into(),
            Self::NotVerified => "Not verified yet.".into(),
            Self::Current(c) => format!("Current: verified {}.", when(c)),
            Self::Due(c) => format!("Due: verified {}; verify again soon.", when(c)),
            Self::Stale(c) => format!("Stale: last verified {}. Verify it again.", when(c)),
            Self::NotEligible(c) => format!("Not eligible when checked {}.", when(c)),
        }
    }
}

/// Where `p`'s coverage stands on `day`, when a check stays current for `stale_days`.
pub fn standing(p: &Patient, day: NaiveDate, stale_days: u32) -> Standing {
    let Some(coverage) = &p.coverage else {
        return Standing::SelfPay;
    };
    let Some(last) = p
        .checks
        .iter()
        .filter(|c| c.member_id == coverage.member_id)
        .max_by(|a, b| (a.at, &a.id).cmp(&(b.at, &b.id)))
    else {
        return Standing::NotVerified;
    };
    let last = last.clone();
    if last.result == Eligibility::NotEligible {
        return Standing::NotEligible(last);
    }
    let age = (day - last.at.date()).num_days();
    let stale = i64::from(stale_days);
    if age > stale {
        Standing::Stale(last)
    } else if age > stale - DUE_WITHIN_DAYS.min(stale / 2) {
        Standing::Due(last)
    } else {
        Standing::Current(last)
    }
}

/// The co-pay the patient's plan sets, if any.
pub fn plan_copay(p: &Patient) -> Option<i64> {
    p.coverage.as_ref()?.copay_cents
}

/// What a person typed for a patient's insurance.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CoverageForm {
    pub payer: String,
    pub plan: String,
    pub member_id: String,
    pub group: String,
    pub subscriber: String,
    /// An amount ("25.00"), or empty.
    pub copay: String,
}

impl CoverageForm {
    pub fn from_coverage(c: Option<&Coverage>) -> Self {
        let Some(c) = c else {
            return Self::default();
        };
        Self {
            payer: c.payer.clone(),
            plan: c.plan.clone(),
            member_id: c.member_id.clone(),
            group: c.group.clone(),
            subscriber: c.subscriber.clone(),
            copay: c.copay_cents.map(plain).unwrap_or_default(),
        }
    }

    /// The coverage, `None` when every field is empty (the patient pays for themselves);
    /// or the problems, as (field, sentence).
    pub fn validate(&self) -> Result<Option<Coverage>, Vec<(&'static str, String)>> {
        let mut errors = Vec::new();
        let [payer, plan, member_id, group, subscriber] = [
            &self.payer,
            &self.plan,
            &self.member_id,
            &self.group,
            &self.subscriber,
        ]
        .map(|t| tidy(t));
        let copay = self.copay.trim();
        if [&payer, &plan, &member_id, &group, &subscriber]
            .iter()
            .all(|t| t.is_empty())
            && copay.is_empty()
        {
            return Ok(None);
        }
        if payer.is_empty() {
            errors.push((
                "payer",
                "Name the insurer, or empty every field for self-pay.".to_string(),
            ));
        }
        if member_id.is_empty() {
            errors.push((
                "member_id",
                "A payer needs the member id from the card.".to_string(),
            ));
        }
        for (field, value) in [
            ("payer", &payer),
            ("plan", &plan),
            ("member_id", &member_id),
            ("group", &group),
            ("subscriber", &subscriber),
        ] {
            if value.chars().count() > MAX_FIELD_CHARS {
                errors.push((field, format!("Use at most {MAX_FIELD_CHARS} characters.")));
            }
        }
        let copay_cents = match copay {
            "" => None,
            typed => match parse_cents(typed, MAX_COPAY_CENTS) {
                Ok(cents) => Some(cents),
                Err(e) => {
                    errors.push(("copay", e));
                    None
                }
            },
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Some(Coverage {
            payer,
            plan,
            member_id,
            group,
            subscriber,
            copay_cents,
        }))
    }
}

/// The stored keys of a coverage's fields.
pub(super) const KEYS: [&str; 6] = [
    "payer",
    "plan",
    "member_id",
    "group",
    "subscriber",
    "plan_copay",
];

fn stored(c: Option<&Coverage>) -> [String; 6] {
    let c = c.cloned().unwrap_or_default();
    [
        c.payer,
        c.plan,
        c.member_id,
        c.group,
        c.subscriber,
        c.copay_cents.map(|n| n.to_string()).unwrap_or_default(),
    ]
}

/// Writes the fields of the coverage that differ between `before` and `after`.
/// A field `settle` names (one a form showed as disputed) is written even unchanged.
pub(super) fn write(
    doc: &mut AutoCommit,
    obj: &ObjId,
    before: Option<&Coverage>,
    after: Option<&Coverage>,
    settle: &dyn Fn(&str) -> bool,
) -> Result<(), DocumentError> {
    for ((key, was), now) in KEYS.iter().zip(stored(before)).zip(stored(after)) {
        if was != now || settle(key) {
            put_changed(doc, obj, key, now.as_str())?;
        }
    }
    Ok(())
}

/// The coverage, from a record's text fields as read (`texts`: key and winning value),
/// and the checks, from the record's `check:{id}` maps (`checks`: id and object).
pub(super) fn read(
    doc: &AutoCommit,
    texts: &[(String, String)],
    checks: &[(String, ObjId)],
) -> (Option<Coverage>, Vec<Check>) {
    let get = |key: &str| {
        texts
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let payer = get("payer");
    let coverage = (!payer.is_empty()).then(|| Coverage {
        payer,
        plan: get("plan"),
        member_id: get("member_id"),
        group: get("group"),
        subscriber: get("subscriber"),
        copay_cents: get("plan_copay").parse().ok(),
    });
    let mut list = Vec::new();
    for (id, check) in checks {
        let get = |k| text(doc, check, k);
        let read = || {
            Some(Check {
                id: CheckId::from(id.as_str()),
                at: parse_local_datetime(&get("at")?)?,
                by: get("by").unwrap_or_default(),
                result: Eligibility::parse(&get("result")?)?,
                member_id: get("member_id").unwrap_or_default(),
                notes: get("notes").unwrap_or_default(),
            })
        };
        // A damaged check is left out; the others still count.
        if let Some(c) = read() {
            list.push(c);
        }
    }
    list.sort_by(|a, b| (a.at, &a.id).cmp(&(b.at, &b.id)));
    (coverage, list)
}

/// Records a check of `patient`'s coverage, in their document.
pub fn record_check(
    doc: &mut AutoCommit,
    patient: &PatientId,
    check: &Check,
) -> Result<(), DocumentError> {
    let map = Document::root_map(&*doc, maps::PATIENTS)?;
    let obj = record(doc, &map, patient.as_str()).ok_or_else(|| crate::Thing::Patient.gone())?;
    write_check(doc, &obj, check)
}

pub(super) fn write_check(
    doc: &mut AutoCommit,
    obj: &ObjId,
    check: &Check,
) -> Result<(), DocumentError> {
    let key = format!("check:{}", check.id);
    if record(doc, obj, &key).is_some() {
        return Ok(());
    }
    let map = new_record(doc, obj, &key)?;
    put_changed(doc, &map, "at", format_local_datetime(check.at).as_str())?;
    put_changed(doc, &map, "by", check.by.as_str())?;
    put_changed(doc, &map, "result", check.result.code())?;
    put_changed(doc, &map, "member_id", check.member_id.as_str())?;
    put_changed(doc, &map, "notes", check.notes.as_str())
}

/// The appointments of the day whose patients' coverage should be verified before they
/// come, each with their patient and standing, in start order. Appointments that name no
/// patient of the register, and patients who pay for themselves, are left out.
pub fn worklist<'a>(
    appointments: &'a [Appointment],
    register: &'a super::register::Register,
    day: NaiveDate,
    stale_days: u32,
) -> Vec<(&'a Appointment, &'a Patient, Standing)> {
    let mut list: Vec<_> = appointments
        .iter()
        .filter(|a| a.start.date() == day && a.status.holds_slot())
        .filter_map(|a| {
            let p = register.resolve(a.patient.as_ref()?)?;
            let s = standing(p, day, stale_days);
            s.to_verify().then_some((a, p, s))
        })
        .collect();
    list.sort_by(|(a, _, _), (b, _, _)| (a.start, &a.id).cmp(&(b.start, &b.id)));
    list
}

#[cfg(test)]
mod tests;
