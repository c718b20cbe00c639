//! A site's log of complaints and incidents, kept by its managers: patient complaints,
//! staff incidents, workplace injuries and equipment failures, each with what happened,
//! when, who took it, a category and a severity, the response promised and by when, and
//! the outcome. A report not yet answered past its date is overdue. Each report can ask
//! for one follow-up card on the site's task board ([`follow_up`]).
//!
//! The log is the site's document `incidents/{site}`, which only a manager's pages open.
//! Fields are written one at a time ([`crate::fields`]), so two managers answering one
//! report while offline each keep the field they changed.

use automerge::AutoCommit;
use chrono::{Days, NaiveDate, NaiveDateTime};

use crate::board::link::{LinkPurpose, LinkRequest, TaskLink};
use crate::board::Due;
use crate::directory::MAX_NAME_CHARS;
use crate::document::maps;
use crate::fields::{new_record, put_changed, record, text};
use crate::staff::credential::parse_date;
use crate::{random_id, tidy, Document, DocumentError};

random_id!(
    /// One report in a site's log.
    IncidentId
);

/// A complaint is answered within this many days unless another date is set.
pub const RESPOND_WITHIN_DAYS: u64 = 5;
/// The longest account of what happened, in characters.
pub const MAX_SUMMARY_CHARS: usize = 2_000;

/// Declares a small enum stored by its code, with its words.
macro_rules! coded {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $code:literal, $label:literal;)+ }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            pub fn code(self) -> &'static str {
                match self { $(Self::$variant => $code),+ }
            }

            pub fn label(self) -> &'static str {
                match self { $(Self::$variant => $label),+ }
            }

            pub fn parse(code: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.code() == code)
            }
        }
    };
}

pub mod injury;

pub use injury::{Injury, InjuryForm};

coded!(
    /// What a report is about.
    Kind {
        Complaint = "complaint", "Patient complaint";
        StaffIncident = "staff-incident", "Staff incident";
        Injury = "injury", "Workplace injury";
        Equipment = "equipment", "Equipment failure";
    }
);

coded!(
    Severity {
        Low = "low", "Low";
        Moderate = "moderate", "Moderate";
        Serious = "serious", "Serious";
    }
);

coded!(
    /// Where a report stands.
    Stage {
        Open = "open", "Open";
        Responded = "responded", "Responded";
        Closed = "closed", "Closed";
    }
);

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Incident {
    pub id: IncidentId,
    pub kind: Kind,
    pub happened: NaiveDate,
    /// What happened, as the person who took it wrote it.
    pub summary: String,
    /// The practice's own word for it ("billing", "waiting time"); may be empty.
    pub category: String,
    pub severity: Severity,
    /// When the response is promised by; `None` when none is owed.
    pub respond_by: Option<NaiveDate>,
    /// Who took the report, and when it was written down.
    pub taken_by: String,
    pub recorded_at: String,
    pub stage: Stage,
    /// The response given and the outcome; empty while open.
    pub outcome: String,
    /// For a workplace injury, the facts of the injury log once entered.
    pub injury: Option<Injury>,
}

impl Incident {
    /// Open with its response date passed.
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.stage == Stage::Open && self.respond_by.is_some_and(|by| by < today)
    }
}

/// What a manager typed for a new report.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IncidentForm {
    pub kind: String,
    pub happened: String,
    pub summary: String,
    pub category: String,
    pub severity: String,
    /// Empty: five days for a complaint, none otherwise.
    pub respond_by: String,
}

impl IncidentForm {
    /// The report, taken by `taken_by` at `now`; or the problems, as (field, sentence). A
    /// report of something that has not happened yet is refused.
    pub fn validate(
        &self,
        taken_by: &str,
        now: NaiveDateTime,
    ) -> Result<Incident, Vec<(&'static str, String)>> {
        let mut errors = Vec::new();
        let kind = Kind::parse(&self.kind);
        if kind.is_none() {
            errors.push(("kind", "Choose what the report is about.".to_string()));
        }
        let severity = Severity::parse(&self.severity);
        if severity.is_none() {
            errors.push(("severity", "Choose low, moderate or serious.".to_string()));
        }
        let happened = match parse_date(&self.happened, "day it happened") {
            Ok(day) if day > now.date() => {
                errors.push((
                    "happened",
                    format!("{} has not come yet.", day.format("%-d %b %Y")),
                ));
                None
            }
            Ok(day) => Some(day),
            Err(e) => {
                errors.push(("happened", e));
                None
            }
        };
        let summary = self.summary.trim().to_string();
        if summary.is_empty() {
            errors.push(("summary", "Say what happened.".to_string()));
        } else if summary.chars().count() > MAX_SUMMARY_CHARS {
            errors.push((
                "summary",
                format!("Use at most {MAX_SUMMARY_CHARS} characters."),
            ));
        }
        let category = tidy(&self.category);
        if category.chars().count() > MAX_NAME_CHARS {
            errors.push((
                "category",
                format!("Use at most {MAX_NAME_CHARS} characters."),
            ));
        }
        let respond_by = match (self.respond_by.trim(), happened) {
            ("", Some(day)) if kind == Some(Kind::Complaint) => {
                Some(day.max(now.date()) + Days::new(RESPOND_WITHIN_DAYS))
            }
            ("", _) => None,
            (typed, _) => match parse_date(typed, "day to respond by") {
                Ok(by) if happened.is_some_and(|h| by < h) => {
                    errors.push((
                        "respond_by",
                        "The response is due before it happened.".to_string(),
                    ));
                    None
                }
                Ok(by) => Some(by),
                Err(e) => {
                    errors.push(("respond_by", e));
                    None
                }
            },
        };
        match (kind, severity, happened) {
            (Some(kind), Some(severity), Some(happened)) if errors.is_empty() => Ok(Incident {
                id: IncidentId::random(),
                kind,
                happened,
                summary,
                category,
                severity,
                respond_by,
                taken_by: taken_by.to_string(),
                recorded_at: crate::appointment::format_local_datetime(now),
                stage: Stage::Open,
                outcome: String::new(),
                injury: None,
            }),
            _ => Err(errors),
        }
    }
}

/// Writes a report, field by field.
pub fn put_incident(doc: &mut AutoCommit, i: &Incident) -> Result<(), DocumentError> {
    let map = Document::root_map(doc, maps::INCIDENTS)?;
    let obj = match record(doc, &map, i.id.as_str()) {
        Some(obj) => obj,
        None => new_record(doc, &map, i.id.as_str())?,
    };
    let respond_by = i.respond_by.map(|d| d.to_string()).unwrap_or_default();
    put_changed(doc, &obj, "kind", i.kind.code())?;
    put_changed(doc, &obj, "happened", i.happened.to_string().as_str())?;
    put_changed(doc, &obj, "summary", i.summary.as_str())?;
    put_changed(doc, &obj, "category", i.category.as_str())?;
    put_changed(doc, &obj, "severity", i.severity.code())?;
    put_changed(doc, &obj, "respond_by", respond_by.as_str())?;
    put_changed(doc, &obj, "taken_by", i.taken_by.as_str())?;
    put_changed(doc, &obj, "recorded_at", i.recorded_at.as_str())?;
    put_changed(doc, &obj, "stage", i.stage.code())?;
    put_changed(doc, &obj, "outcome", i.outcome.as_str())
}

/// The response as typed, checked: one that answers or closes a report says what it was.
pub fn check_response(outcome: &str, stage: Stage) -> Result<String, String> {
    let outcome = outcome.trim();
    if stage != Stage::Open && outcome.is_empty() {
        return Err("Say what the response or outcome was.".into());
    }
    Ok(outcome.to_string())
}

/// Records the response (checked with [`check_response`]) and where the report stands.
pub fn respond(
    doc: &mut AutoCommit,
    id: &IncidentId,
    outcome: &str,
    stage: Stage,
) -> Result<(), DocumentError> {
    let map = Document::root_map(doc, maps::INCIDENTS)?;
    let obj = record(doc, &map, id.as_str()).ok_or_else(|| crate::Thing::Incident.gone())?;
    put_changed(doc, &obj, "outcome", outcome)?;
    put_changed(doc, &obj, "stage", stage.code())
}

/// Every report of the log: the open ones first, the soonest due first; then the others,
/// the latest first. Also how many did not read.
pub fn read_all(doc: &AutoCommit) -> Result<(Vec<Incident>, usize), DocumentError> {
    let map = Document::root_map(doc, maps::INCIDENTS)?;
    let mut unreadable = 0;
    let mut list = Vec::new();
    for id in automerge::ReadDoc::keys(doc, &map) {
        match read_one(doc, &map, &id) {
            Some(i) => list.push(i),
            None => unreadable += 1,
        }
    }
    list.sort_by(|a, b| {
        let key = |i: &Incident| {
            (
                i.stage != Stage::Open,
                i.respond_by.unwrap_or(NaiveDate::MAX),
                std::cmp::Reverse(i.happened),
                i.id.clone(),
            )
        };
        key(a).cmp(&key(b))
    });
    Ok((list, unreadable))
}

fn read_one(doc: &AutoCommit, map: &automerge::ObjId, id: &str) -> Option<Incident> {
    let obj = record(doc, map, id)?;
    let get = |key| text(doc, &obj, key);
    let day = |t: String| NaiveDate::parse_from_str(&t, "%Y-%m-%d").ok();
    Some(Incident {
        id: IncidentId::from(id),
        kind: Kind::parse(&get("kind")?)?,
        happened: day(get("happened")?)?,
        summary: get("summary")?,
        category: get("category").unwrap_or_default(),
        severity: Severity::parse(&get("severity")?)?,
        respond_by: get("respond_by").and_then(day),
        taken_by: get("taken_by").unwrap_or_default(),
        recorded_at: get("recorded_at").unwrap_or_default(),
        stage: Stage::parse(&get("stage")?)?,
        outcome: get("outcome").unwrap_or_default(),
        injury: injury::read(doc, &obj),
    })
}

/// The follow-up card a report asks for: one per report on every device, due when the
/// response is promised (or in two days).
pub fn follow_up(incident: &Incident, log_doc: &str, now: NaiveDateTime) -> LinkRequest {
    let first_line: String = incident
        .summary
        .lines()
        .next()
        .unwrap_or_default()
        .chars()
        .take(60)
        .collect();
    LinkRequest {
        link: TaskLink {
            purpose: LinkPurpose::Incident,
            doc: log_doc.into(),
            id: incident.id.to_string(),
            summary: format!(
                "{} of {}",
                incident.kind.label(),
                incident.happened.format("%a %-d %b %Y")
            ),
        },
        title: format!("Follow up: {first_line}"),
        description: format!("{} · {}", incident.kind.label(), incident.severity.label()),
        due: Some(Due {
            date: incident
                .respond_by
                .unwrap_or_else(|| now.date() + Days::new(2)),
            time: None,
        }),
    }
}

#[cfg(test)]
mod tests;
