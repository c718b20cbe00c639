//! Taking back a desk's step. Undoing writes a new change after the step that puts back
//! what the step changed and appends its own history entry, so the history shows both the
//! step and its undoing: nothing is erased, and another device that merges sees the same.

use automerge::AutoCommit;
use chrono::NaiveDateTime;

use super::{entry, get, put, Refusal, Who};
use crate::appointment::UNDONE;
use crate::{Appointment, AppointmentId, DocumentError, RoomId, Status};

/// One step a desk took on an appointment: what the appointment was before it, and the
/// status the step made. Kept by the view that offers the undo.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    pub id: AppointmentId,
    /// The status the step made.
    pub made: Status,
    status: Status,
    room: Option<RoomId>,
    late_cancel: bool,
    cancel_reason: Option<String>,
}

impl Step {
    /// The step that moved `before` to `made`.
    pub fn new(before: &Appointment, made: Status) -> Self {
        Self {
            id: before.id.clone(),
            made,
            status: before.status,
            room: before.room.clone(),
            late_cancel: before.late_cancel,
            cancel_reason: before.cancel_reason.clone(),
        }
    }

    /// The booking `id` just made, which undoing marks as entered in error: the slot is free
    /// again, and the booking stays in the history.
    pub fn booking(id: &AppointmentId) -> Self {
        Self {
            id: id.clone(),
            made: Status::Booked,
            status: Status::EnteredInError,
            room: None,
            late_cancel: false,
            cancel_reason: None,
        }
    }

    /// The status undoing puts back.
    pub fn before(&self) -> Status {
        self.status
    }
}

/// Puts back what `step` changed, with a history entry of its own ("Undone: checked in").
/// Refused when the appointment has moved on since (another step, here or on another
/// device): undoing then would throw away that later step.
pub fn take_back(
    doc: &mut AutoCommit,
    step: &Step,
    who: &Who,
    now: NaiveDateTime,
) -> Result<(), DocumentError> {
    let mut a = get(doc, &step.id)?;
    if a.status != step.made {
        return Err(Refusal::MovedOnSince { status: a.status }.into());
    }
    let mut change = entry(
        step.status,
        who,
        now,
        Some(format!("{UNDONE}{}", step.made.label().to_lowercase())),
    );
    change.room = None;
    a.status = step.status;
    a.room = step.room.clone();
    a.late_cancel = step.late_cancel;
    a.cancel_reason = step.cancel_reason.clone();
    a.history.push(change);
    put(doc, &a)
}
