//! What a workplace injury or work-related illness adds to its report: the facts an
//! OSHA 300-style log keeps (who was hurt and their job, where it happened, the injury and
//! the part of the body, the most serious outcome, days away from work and days on
//! restricted duty, what kind of case it is, whether it is a privacy case). They are often
//! settled days after the report is taken, so they are written apart, field by field
//! ([`put_injury`]), and a report of an injury without them is shown as missing them.
//!
//! The year's log numbers the cases in order of the day they happened ([`log`]).

use automerge::AutoCommit;

use super::{Incident, Kind};
use crate::directory::MAX_NAME_CHARS;
use crate::document::maps;
use crate::fields::{put_changed, record, text, FormEdit};
use crate::{Document, DocumentError};

/// The most days away or restricted a case counts: the log stops counting there.
pub const MAX_DAYS: u32 = 180;
/// The longest description of the injury, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 200;

coded!(
    /// The most serious outcome of the case.
    Outcome {
        Death = "death", "Death";
        DaysAway = "days-away", "Days away from work";
        Restricted = "restricted", "Job transfer or restriction";
        Other = "other", "Other recordable case";
    }
);

coded!(
    /// What kind of case it is.
    CaseType {
        Injury = "injury", "Injury";
        Skin = "skin", "Skin disorder";
        Respiratory = "respiratory", "Respiratory condition";
        Poisoning = "poisoning", "Poisoning";
        Hearing = "hearing", "Hearing loss";
        Illness = "illness", "All other illnesses";
    }
);

#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct Injury {
    /// Who was hurt or fell ill.
    pub employee: String,
    pub job_title: String,
    /// Where the event happened ("Treatment room 2").
    pub location: String,
    /// The injury or illness, the part of the body, and what caused it.
    pub description: String,
    pub outcome: Outcome,
    pub days_away: u32,
    pub days_restricted: u32,
    pub case_type: CaseType,
    /// A privacy case: the log names no one.
    pub privacy: bool,
}

crate::fields::form_edit!(Injury {
    employee,
    job_title,
    location,
    description,
    outcome,
    days_away,
    days_restricted,
    case_type,
    privacy
});

/// The injury's facts as a manager typed them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InjuryForm {
    pub employee: String,
    pub job_title: String,
    pub location: String,
    pub description: String,
    pub outcome: String,
    pub days_away: String,
    pub days_restricted: String,
    pub case_type: String,
    pub privacy: bool,
}

impl InjuryForm {
    pub fn from_injury(i: &Injury) -> Self {
        Self {
            employee: i.employee.clone(),
            job_title: i.job_title.clone(),
            location: i.location.clone(),
            description: i.description.clone(),
            outcome: i.outcome.code().into(),
            days_away: i.days_away.to_string(),
            days_restricted: i.days_restricted.to_string(),
            case_type: i.case_type.code().into(),
            privacy: i.privacy,
        }
    }

    /// The facts, or each field's problem as (field, sentence).
    pub fn validate(&self) -> Result<Injury, Vec<(&'static str, String)>> {
        let mut errors = Vec::new();
        let mut named = |field: &'static str, value: &str, what: &str, max: usize| {
            let value = crate::tidy(value);
            if value.is_empty() {
                errors.push((field, format!("Say {what}.")));
            } else if value.chars().count() > max {
                errors.push((field, format!("Use at most {max} characters.")));
            }
            value
        };
        let employee = named("employee", &self.employee, "who was hurt", MAX_NAME_CHARS);
        let job_title = named(
            "job_title",
            &self.job_title,
            "their job title",
            MAX_NAME_CHARS,
        );
        let location = named(
            "location",
            &self.location,
            "where it happened",
            MAX_NAME_CHARS,
        );
        let description = named(
            "description",
            &self.description,
            "what the injury was and to which part of the body",
            MAX_DESCRIPTION_CHARS,
        );
        let outcome = Outcome::parse(&self.outcome);
        if outcome.is_none() {
            errors.push(("outcome", "Choose the most serious outcome.".to_string()));
        }
        let case_type = CaseType::parse(&self.case_type);
        if case_type.is_none() {
            errors.push(("case_type", "Choose what kind of case it is.".to_string()));
        }
        let mut days = |field: &'static str, typed: &str| -> u32 {
            let typed = typed.trim();
            if typed.is_empty() {
                return 0;
            }
            match typed.parse::<i64>() {
                Ok(n) if n < 0 => {
                    errors.push((field, "Days cannot be below zero.".to_string()));
                    0
                }
                Ok(n) if n > i64::from(MAX_DAYS) => {
                    errors.push((
                        field,
                        format!("The log counts at most {MAX_DAYS} days: enter {MAX_DAYS}."),
                    ));
                    0
                }
                Ok(n) => n as u32,
                Err(_) => {
                    errors.push((field, format!("\"{typed}\" is not a number of days.")));
                    0
                }
            }
        };
        let days_away = days("days_away", &self.days_away);
        let days_restricted = days("days_restricted", &self.days_restricted);
        let days_refused = errors.iter().any(|(field, _)| *field == "days_away");
        if outcome == Some(Outcome::DaysAway) && days_away == 0 && !days_refused {
            errors.push((
                "days_away",
                "Count the days away from work: 1 or more.".to_string(),
            ));
        }
        match (outcome, case_type) {
            (Some(outcome), Some(case_type)) if errors.is_empty() => Ok(Injury {
                employee,
                job_title,
                location,
                description,
                outcome,
                days_away,
                days_restricted,
                case_type,
                privacy: self.privacy,
            }),
            _ => Err(errors),
        }
    }
}

/// Writes an injury's facts onto its report, each field only when it changed, so that two
/// managers settling different facts offline both keep theirs. Refused for a report that
/// is not of an injury.
pub fn put_injury(
    doc: &mut AutoCommit,
    id: &super::IncidentId,
    injury: &Injury,
) -> Result<(), DocumentError> {
    let map = Document::root_map(doc, maps::INCIDENTS)?;
    let obj = record(doc, &map, id.as_str()).ok_or_else(|| crate::Thing::Incident.gone())?;
    if text(doc, &obj, "kind").as_deref() != Some(Kind::Injury.code()) {
        return Err(DocumentError::Refused(crate::Refusal::Field(
            "Only a workplace injury has an injury log entry.".into(),
        )));
    }
    put_changed(doc, &obj, "osha_employee", injury.employee.as_str())?;
    put_changed(doc, &obj, "osha_job_title", injury.job_title.as_str())?;
    put_changed(doc, &obj, "osha_location", injury.location.as_str())?;
    put_changed(doc, &obj, "osha_description", injury.description.as_str())?;
    put_changed(doc, &obj, "osha_outcome", injury.outcome.code())?;
    put_changed(doc, &obj, "osha_days_away", i64::from(injury.days_away))?;
    put_changed(
        doc,
        &obj,
        "osha_days_restricted",
        i64::from(injury.days_restricted),
    )?;
    put_changed(doc, &obj, "osha_case_type", injury.case_type.code())?;
    put_changed(doc, &obj, "osha_privacy", injury.privacy)
}

/// Saves an injury's facts from a form: as typed when the report had none; otherwise only
/// what the form changed from `before` (the facts as it showed them), laid onto the facts as
/// they stand now, so a colleague's change made meanwhile is kept.
pub fn save_injury(
    doc: &mut AutoCommit,
    id: &super::IncidentId,
    typed: Injury,
    before: Option<&Injury>,
) -> Result<(), DocumentError> {
    let injury = match before {
        None => typed,
        Some(before) => {
            let map = Document::root_map(doc, maps::INCIDENTS)?;
            let current = record(doc, &map, id.as_str())
                .and_then(|obj| read(doc, &obj))
                .unwrap_or_else(|| before.clone());
            typed.onto(before, current)
        }
    };
    put_injury(doc, id, &injury)
}

/// An injury's facts as its report's record holds them; `None` until they are written.
pub(super) fn read(doc: &AutoCommit, obj: &automerge::ObjId) -> Option<Injury> {
    let get = |key| text(doc, obj, key);
    let days = |key| {
        crate::fields::int(doc, obj, key)
            .and_then(|n| u32::try_from(n).ok())
            .unwrap_or(0)
    };
    let privacy = crate::fields::flag(doc, obj, "osha_privacy");
    Some(Injury {
        employee: get("osha_employee")?,
        job_title: get("osha_job_title").unwrap_or_default(),
        location: get("osha_location").unwrap_or_default(),
        description: get("osha_description").unwrap_or_default(),
        outcome: Outcome::parse(&get("osha_outcome")?)?,
        days_away: days("osha_days_away"),
        days_restricted: days("osha_days_restricted"),
        case_type: CaseType::parse(&get("osha_case_type")?)?,
        privacy,
    })
}

/// One line of the year's log: its case number and its report.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct LogLine<'a> {
    /// "2026-003": the year and the case's place in it.
    pub case: String,
    pub incident: &'a Incident,
}

/// The injuries of `year`, numbered in the order they happened (then by id, the same on
/// every device); those still without their facts are numbered too and show as missing.
pub fn log(incidents: &[Incident], year: i32) -> Vec<LogLine<'_>> {
    use chrono::Datelike;
    let mut cases: Vec<&Incident> = incidents
        .iter()
        .filter(|i| i.kind == Kind::Injury && i.happened.year() == year)
        .collect();
    cases.sort_by(|a, b| (a.happened, &a.id).cmp(&(b.happened, &b.id)));
    cases
        .into_iter()
        .enumerate()
        .map(|(n, incident)| LogLine {
            case: format!("{year}-{:03}", n + 1),
            incident,
        })
        .collect()
}

/// The log as a spreadsheet; a privacy case names no one.
pub fn csv(lines: &[LogLine<'_>]) -> String {
    let rows = lines.iter().map(|l| {
        let i = l.incident;
        match &i.injury {
            Some(o) => vec![
                l.case.clone(),
                if o.privacy {
                    "Privacy case".into()
                } else {
                    o.employee.clone()
                },
                o.job_title.clone(),
                i.happened.to_string(),
                o.location.clone(),
                o.description.clone(),
                o.outcome.label().into(),
                o.days_away.to_string(),
                o.days_restricted.to_string(),
                o.case_type.label().into(),
            ],
            None => vec![
                l.case.clone(),
                String::new(),
                String::new(),
                i.happened.to_string(),
                String::new(),
                "Details not yet entered".into(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ],
        }
    });
    crate::csv::write(
        &[
            "case",
            "employee",
            "job_title",
            "date",
            "where",
            "description",
            "outcome",
            "days_away",
            "days_restricted",
            "case_type",
        ],
        rows,
    )
}

#[cfg(test)]
mod tests;
