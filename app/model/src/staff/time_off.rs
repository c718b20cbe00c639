//! Time off: a person asks for days away (vacation, sick, training) and a manager approves
//! or denies. An approved absence conflicts with any shift in it ([`crate::roster::rules`]).
//!
//! Two managers deciding the same request differently while offline leave both decisions
//! in the document; the request then reads as disputed and shows both, until someone
//! decides again.

use automerge::AutoCommit;
use chrono::NaiveDate;

use crate::document::maps;
use crate::fields::{all_values, new_record, put_changed, record, scalar_text, text, write_error};
use crate::staff::credential::day_span;
use crate::{random_id, tidy, Document, DocumentError, StaffId};

random_id!(
    /// One request for time off.
    TimeOffId
);

/// The longest single request, in days; longer leave is asked for in parts.
pub const MAX_DAYS: i64 = 366;

#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub enum AbsenceKind {
    Vacation,
    Sick,
    Training,
}

impl AbsenceKind {
    pub const ALL: [Self; 3] = [Self::Vacation, Self::Sick, Self::Training];

    pub fn code(self) -> &'static str {
        match self {
            Self::Vacation => "vacation",
            Self::Sick => "sick",
            Self::Training => "training",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Vacation => "Vacation",
            Self::Sick => "Sick",
            Self::Training => "Training",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim().to_lowercase();
        let text = match text.as_str() {
            "holiday" | "annual leave" | "leave" | "pto" => "vacation",
            "sickness" | "sick leave" | "ill" => "sick",
            other => other,
        };
        Self::ALL.into_iter().find(|k| k.code() == text)
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub enum Decision {
    Requested,
    Approved,
    Denied,
}

impl Decision {
    pub fn code(self) -> &'static str {
        match self {
            Self::Requested => "requested",
            Self::Approved => "approved",
            Self::Denied => "denied",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Requested => "Waiting for a decision",
            Self::Approved => "Approved",
            Self::Denied => "Denied",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        [Self::Requested, Self::Approved, Self::Denied]
            .into_iter()
            .find(|d| d.code() == text)
    }
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct TimeOff {
    pub id: TimeOffId,
    pub staff: StaffId,
    pub kind: AbsenceKind,
    /// The first and last day away, both included.
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub note: String,
    pub status: Decision,
    /// Every decision written concurrently, when managers disagreed; empty otherwise.
    pub disputed: Vec<Decision>,
    /// Who asked and who decided, as the history names them.
    pub requested_by: String,
    pub decided_by: String,
}

impl TimeOff {
    pub fn covers(&self, day: NaiveDate) -> bool {
        self.from <= day && day <= self.to
    }

    /// Whether it is approved and no manager's denial is pending against it.
    pub fn is_approved(&self) -> bool {
        self.status == Decision::Approved
    }

    pub fn days(&self) -> i64 {
        (self.to - self.from).num_days() + 1
    }
}

/// What a person typed for a request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TimeOffForm {
    pub kind: String,
    pub from: String,
    pub to: String,
    pub note: String,
}

impl TimeOffForm {
    /// The request this form makes for `staff`, asked by `by` on `today`; or the problems,
    /// (field, sentence). A request may not start before `today` unless it is sick leave,
    /// which is recorded after the fact.
    pub fn validate(
        &self,
        staff: StaffId,
        by: &str,
        today: NaiveDate,
    ) -> Result<TimeOff, Vec<(&'static str, String)>> {
        let mut errors = Vec::new();
        let kind = AbsenceKind::parse(&self.kind);
        if kind.is_none() {
            errors.push(("kind", "Choose vacation, sick or training.".to_string()));
        }
        let span = day_span(&self.from, &self.to, &mut errors);
        if let Some((from, to)) = span {
            if (to - from).num_days() + 1 > MAX_DAYS {
                errors.push(("to", format!("Ask for at most {MAX_DAYS} days at once.")));
            }
            if from < today && kind != Some(AbsenceKind::Sick) {
                errors.push((
                    "from",
                    format!(
                        "{} has passed; only sick leave is recorded after the fact.",
                        from.format("%-d %b %Y")
                    ),
                ));
            }
        }
        match (kind, span) {
            (Some(kind), Some((from, to))) if errors.is_empty() => Ok(TimeOff {
                id: TimeOffId::random(),
                staff,
                kind,
                from,
                to,
                note: tidy(&self.note),
                status: Decision::Requested,
                disputed: Vec::new(),
                requested_by: by.to_string(),
                decided_by: String::new(),
            }),
            _ => Err(errors),
        }
    }
}

pub(crate) fn read_time_off(doc: &AutoCommit, map: &automerge::ObjId, id: &str) -> Option<TimeOff> {
    let obj = record(doc, map, id)?;
    let day = |key| NaiveDate::parse_from_str(&text(doc, &obj, key)?, "%Y-%m-%d").ok();
    let decisions: Vec<Decision> = all_values(doc, &obj, "status")
        .iter()
        .filter_map(scalar_text)
        .filter_map(|t| Decision::parse(&t))
        .collect();
    let status = *decisions.first()?;
    Some(TimeOff {
        id: TimeOffId::from(id),
        staff: StaffId::from(text(doc, &obj, "staff")?),
        kind: AbsenceKind::parse(&text(doc, &obj, "kind")?)?,
        from: day("from")?,
        to: day("to")?,
        note: text(doc, &obj, "note").unwrap_or_default(),
        status,
        disputed: if decisions.len() > 1 {
            decisions
        } else {
            Vec::new()
        },
        requested_by: text(doc, &obj, "requested_by").unwrap_or_default(),
        decided_by: text(doc, &obj, "decided_by").unwrap_or_default(),
    })
}

/// Records a new request (or writes one back as it is).
pub fn put_time_off(doc: &mut AutoCommit, t: &TimeOff) -> Result<(), DocumentError> {
    let map = Document::root_map(doc, maps::TIME_OFF)?;
    let obj = match record(doc, &map, t.id.as_str()) {
        Some(obj) => obj,
        None => new_record(doc, &map, t.id.as_str())?,
    };
    put_changed(doc, &obj, "staff", t.staff.as_str())?;
    put_changed(doc, &obj, "kind", t.kind.code())?;
    put_changed(doc, &obj, "from", t.from.to_string().as_str())?;
    put_changed(doc, &obj, "to", t.to.to_string().as_str())?;
    put_changed(doc, &obj, "note", t.note.as_str())?;
    put_changed(doc, &obj, "requested_by", t.requested_by.as_str())?;
    put_changed(doc, &obj, "status", t.status.code())
}

/// A manager approves or denies a request (again, to settle a dispute); `by` names them.
pub fn decide(
    doc: &mut AutoCommit,
    id: &TimeOffId,
    decision: Decision,
    by: &str,
) -> Result<(), DocumentError> {
    let map = Document::root_map(doc, maps::TIME_OFF)?;
    let obj = record(doc, &map, id.as_str()).ok_or_else(|| crate::Thing::TimeOffRequest.gone())?;
    // Written even when it already reads so: that is what settles two managers' dispute.
    automerge::transaction::Transactable::put(doc, &obj, "status", decision.code())
        .map_err(write_error)?;
    put_changed(doc, &obj, "decided_by", by)
}

/// The person withdraws a request.
pub fn withdraw(doc: &mut AutoCommit, id: &TimeOffId) -> Result<(), DocumentError> {
    let map = Document::root_map(doc, maps::TIME_OFF)?;
    automerge::transaction::Transactable::delete(doc, &map, id.as_str()).map_err(write_error)
}
