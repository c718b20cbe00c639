//! Cards asked for from the other areas of the app, one tap each, and linked back: from an
//! appointment marked no-show ("Call … to rebook"), from an appointment with an insurance
//! or payment problem ("Claims follow-up"), from a stock item running low ("Order …").
//!
//! The card's id comes from what it is for and the record it came from, so a second tap,
//! on this desk or another one offline, opens the same card instead of making another.

use autosurgeon::{Hydrate, Reconcile};
use chrono::{NaiveDateTime, NaiveTime};

use super::edit::{card_obj, jitter_of, key_for, put_card, Place};
use super::{write_error, Board, CardId, CardRecord, Due};
use crate::refusal::Tasks;
use crate::schedule::Who;
use crate::{Appointment, DocumentError};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LinkPurpose {
    /// A patient missed an appointment: call them to book again.
    Rebook,
    /// An insurance or payment problem with an appointment.
    ClaimsFollowUp,
    /// A stock item at or below its reorder point.
    Reorder,
    /// A complaint or incident in a site's log to follow up.
    Incident,
    /// A piece of equipment whose service falls due.
    Service,
}

impl LinkPurpose {
    pub fn code(self) -> &'static str {
        match self {
            Self::Rebook => "rebook",
            Self::ClaimsFollowUp => "claims",
            Self::Reorder => "reorder",
            Self::Incident => "incident",
            Self::Service => "service",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [
            Self::Rebook,
            Self::ClaimsFollowUp,
            Self::Reorder,
            Self::Incident,
            Self::Service,
        ]
        .into_iter()
        .find(|p| p.code() == code)
    }

    /// The default label such cards carry.
    fn label(self) -> Option<&'static str> {
        match self {
            Self::Rebook => None,
            Self::ClaimsFollowUp => Some("claims"),
            Self::Reorder => Some("supplies"),
            Self::Incident => None,
            Self::Service => Some("maintenance"),
        }
    }
}

/// What a card was made from, so that each side can open the other.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TaskLink {
    pub purpose: LinkPurpose,
    /// The document that holds the record (a month's schedule, a site's inventory).
    pub doc: String,
    /// The record's id in it.
    pub id: String,
    /// A line that says which record, for the card: "Tue 24 Nov, 09:00 with Dr Ada Stone".
    pub summary: String,
}

#[derive(Clone, Reconcile, Hydrate)]
pub(crate) struct LinkRecord {
    purpose: String,
    #[autosurgeon(rename = "doc")]
    document: String,
    id: String,
    summary: String,
}

impl LinkRecord {
    pub(crate) fn into_link(self) -> Option<TaskLink> {
        Some(TaskLink {
            purpose: LinkPurpose::parse(&self.purpose)?,
            doc: self.document,
            id: self.id,
            summary: self.summary,
        })
    }

    pub(crate) fn of(link: &TaskLink) -> Self {
        Self {
            purpose: link.purpose.code().into(),
            document: link.doc.clone(),
            id: link.id.clone(),
            summary: link.summary.clone(),
        }
    }
}

/// A card another area asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkRequest {
    pub link: TaskLink,
    pub title: String,
    pub description: String,
    pub due: Option<Due>,
}

impl LinkRequest {
    /// The card's id: the same for the same purpose and record on every device.
    pub fn card_id(&self) -> CardId {
        CardId::from(format!("{}-{}", self.link.purpose.code(), self.link.id))
    }
}

fn visit(appointment: &Appointment) -> String {
    appointment.start.format("%a %-d %b %Y, %H:%M").to_string()
}

/// "Call … to rebook", for an appointment marked no-show; due by the end of `now`'s day.
pub fn rebook(appointment: &Appointment, schedule_doc: &str, now: NaiveDateTime) -> LinkRequest {
    let phone = appointment.phone.as_deref().unwrap_or("no phone on file");
    LinkRequest {
        link: TaskLink {
            purpose: LinkPurpose::Rebook,
            doc: schedule_doc.into(),
            id: appointment.id.to_string(),
            summary: format!("Missed {}", visit(appointment)),
        },
        title: format!("Call {} to rebook", appointment.patient_name),
        description: format!("Phone: {phone}"),
        due: Some(Due {
            date: now.date(),
            time: None,
        }),
    }
}

/// "Claims follow-up", for an insurance or payment problem with an appointment; `problem`
/// is what the person noted. Due in two days.
pub fn claims_follow_up(
    appointment: &Appointment,
    schedule_doc: &str,
    problem: &str,
    now: NaiveDateTime,
) -> LinkRequest {
    LinkRequest {
        link: TaskLink {
            purpose: LinkPurpose::ClaimsFollowUp,
            doc: schedule_doc.into(),
            id: appointment.id.to_string(),
            summary: format!("Visit {}", visit(appointment)),
        },
        title: format!("Claims follow-up: {}", appointment.patient_name),
        description: problem.trim().to_string(),
        due: Some(Due {
            date: now.date() + chrono::Days::new(2),
            time: Some(NaiveTime::from_hms_opt(17, 0, 0).unwrap_or(NaiveTime::MIN)),
        }),
    }
}

/// "Order …", for a stock item at or below its reorder point: the link point the inventory
/// calls with its document, the item's id and name, and the quantity it suggests.
pub fn reorder(
    inventory_doc: &str,
    item_id: &str,
    item_name: &str,
    quantity: Option<u32>,
) -> LinkRequest {
    let amount = quantity.map(|q| format!(" ({q})")).unwrap_or_default();
    LinkRequest {
        link: TaskLink {
            purpose: LinkPurpose::Reorder,
            doc: inventory_doc.into(),
            id: item_id.into(),
            summary: format!("Low stock: {item_name}"),
        },
        title: format!("Order {item_name}{amount}"),
        description: String::new(),
        due: None,
    }
}

/// Opens the card `request` asks for: the one already on the board (brought back if it
/// was archived), or a new one at the bottom of the first column of open work.
pub fn open_linked_card(
    doc: &mut automerge::AutoCommit,
    board: &Board,
    request: &LinkRequest,
    who: &Who,
    now: NaiveDateTime,
) -> Result<CardId, DocumentError> {
    let id = request.card_id();
    if let Some(card) = board.card(&id) {
        if card.archived {
            let obj = card_obj(doc, &id)?;
            automerge::transaction::Transactable::put(doc, &obj, "archived", false)
                .map_err(write_error)?;
        }
        return Ok(id);
    }
    let column = board
        .columns
        .iter()
        .find(|c| !c.done)
        .or(board.columns.first())
        .ok_or_else(|| DocumentError::from(Tasks::NoColumn))?;
    let label = request
        .link
        .purpose
        .label()
        .filter(|l| board.labels.iter().any(|b| b.id.as_str() == *l));
    let position = key_for(board, None, &column.id, &Place::Bottom, jitter_of(&id));
    let record = CardRecord {
        labels: label.map(|l| (l.to_string(), true)).into_iter().collect(),
        due: request.due.map(Due::to_stored),
        link: Some(LinkRecord::of(&request.link)),
        ..CardRecord::new(
            &request.title,
            &request.description,
            &column.id,
            position,
            now,
            who.name(),
        )
    };
    put_card(doc, &id, &record)?;
    Ok(id)
}
