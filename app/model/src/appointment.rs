//! One appointment, its status flow and the rules for booking it.

mod form;
mod recurrence;

use autosurgeon::{Hydrate, Reconcile};
use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use serde::{Deserialize, Serialize};

pub use form::{
    check_dob, check_email, check_phone, format_local_datetime, parse_local_datetime,
    parse_typed_datetime, BookingForm, FieldErrors, ValidBooking, MAX_DURATION_MINUTES,
    MAX_NAME_CHARS, MIN_DURATION_MINUTES, PAST_GRACE_MINUTES,
};
pub use recurrence::{Frequency, Recurrence, RecurrenceEnd, MAX_OCCURRENCES};

use crate::{random_id, ProviderId, RoomId, TypeId};

random_id!(
    /// An appointment. Each occurrence of a series has its own.
    AppointmentId
);
random_id!(
    /// The series a recurring appointment belongs to.
    SeriesId
);

/// A cancellation less than this many hours before the start is a late cancel.
pub const LATE_CANCEL_HOURS: i64 = 24;

/// Where an appointment stands, following FHIR R4 AppointmentStatus (see [`Status::fhir`]).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Reconcile, Hydrate, Serialize, Deserialize)]
pub enum Status {
    Booked,
    /// The patient confirmed they are coming.
    Confirmed,
    /// Checked in at the desk, waiting.
    Arrived,
    /// With the provider, in a room.
    InRoom,
    /// Checked out.
    Fulfilled,
    Cancelled,
    NoShow,
    /// Wants a slot; not yet given one.
    Waitlist,
    /// Booked by mistake.
    EnteredInError,
}

impl Status {
    pub const ALL: [Status; 9] = [
        Self::Booked,
        Self::Confirmed,
        Self::Arrived,
        Self::InRoom,
        Self::Fulfilled,
        Self::Cancelled,
        Self::NoShow,
        Self::Waitlist,
        Self::EnteredInError,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::Booked => "Booked",
            Self::Confirmed => "Confirmed",
            Self::Arrived => "Checked in",
            Self::InRoom => "In room",
            Self::Fulfilled => "Checked out",
            Self::Cancelled => "Cancelled",
            Self::NoShow => "No-show",
            Self::Waitlist => "Waitlist",
            Self::EnteredInError => "Entered in error",
        }
    }

    /// A stable lower-case name, for CSS classes and test ids.
    pub fn key(self) -> &'static str {
        match self {
            Self::Booked => "booked",
            Self::Confirmed => "confirmed",
            Self::Arrived => "arrived",
            Self::InRoom => "in-room",
            Self::Fulfilled => "fulfilled",
            Self::Cancelled => "cancelled",
            Self::NoShow => "no-show",
            Self::Waitlist => "waitlist",
            Self::EnteredInError => "entered-in-error",
        }
    }

    /// The FHIR R4 AppointmentStatus code. Booked and confirmed are both `booked`: FHIR
    /// tells them apart by the patient participant's status (needs-action or accepted).
    /// Arrived is FHIR's `arrived` (here, waiting) and in room is `checked-in` (the
    /// administrative work done, the encounter under way).
    pub fn fhir(self) -> &'static str {
        match self {
            Self::Booked | Self::Confirmed => "booked",
            Self::Arrived => "arrived",
            Self::InRoom => "checked-in",
            Self::Fulfilled => "fulfilled",
            Self::Cancelled => "cancelled",
            Self::NoShow => "noshow",
            Self::Waitlist => "waitlist",
            Self::EnteredInError => "entered-in-error",
        }
    }

    /// Whether the appointment holds its provider, room and time.
    pub fn holds_slot(self) -> bool {
        matches!(
            self,
            Self::Booked | Self::Confirmed | Self::Arrived | Self::InRoom | Self::Fulfilled
        )
    }

    /// The transitions a desk may make. Moving a patient to another room keeps them in
    /// room; a no-show can still arrive late; the ends (checked out, cancelled, entered in
    /// error) are final, so that the history stays a true account.
    pub fn can_become(self, to: Status) -> bool {
        use Status::*;
        matches!(
            (self, to),
            (
                Booked,
                Confirmed | Arrived | Cancelled | NoShow | EnteredInError
            ) | (Confirmed, Arrived | Cancelled | NoShow | EnteredInError)
                | (Arrived, InRoom | Fulfilled | Cancelled | EnteredInError)
                | (InRoom, InRoom | Fulfilled)
                | (NoShow, Arrived | Booked)
                | (Waitlist, Booked | Cancelled)
        )
    }
}

/// One entry of an appointment's append-only history.
#[derive(Clone, PartialEq, Eq, Debug, Reconcile, Hydrate)]
pub struct StatusChange {
    pub status: Status,
    /// Wall-clock time at the site, `YYYY-MM-DDTHH:MM:SS`.
    pub at: String,
    /// The device that made the change, by its name.
    pub device: String,
    /// The member of staff signed in at that device, by name.
    #[autosurgeon(missing = "Default::default")]
    pub staff: Option<String>,
    /// The room the patient was sent to.
    #[autosurgeon(missing = "Default::default")]
    pub room: Option<String>,
    /// What else happened: a reschedule's old slot, a cancel reason.
    #[autosurgeon(missing = "Default::default")]
    pub note: Option<String>,
}

/// How an undo's history entry begins its note ("Undone: checked in").
pub const UNDONE: &str = "Undone: ";

impl StatusChange {
    /// Whether this entry took an earlier step back.
    pub fn is_undo(&self) -> bool {
        self.note.as_deref().is_some_and(|n| n.starts_with(UNDONE))
    }
}

/// An occurrence's place in its recurring series.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct SeriesRef {
    pub id: SeriesId,
    /// 0 for the first occurrence.
    pub index: u32,
    /// The day of the last occurrence, so that a change to "this and following" knows how
    /// many months to visit.
    pub last: Option<NaiveDate>,
}

/// An appointment as stored in a schedule document.
///
/// Times are the site's wall-clock time: a practice books "10:00 at Main Street", and the
/// month document an appointment lives in follows the same calendar.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Appointment {
    pub id: AppointmentId,
    pub patient_name: String,
    pub dob: Option<NaiveDate>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub notes: String,
    pub type_id: Option<TypeId>,
    pub provider: ProviderId,
    pub room: Option<RoomId>,
    pub start: NaiveDateTime,
    pub duration_minutes: u32,
    pub reason: String,
    pub status: Status,
    pub history: Vec<StatusChange>,
    pub series: Option<SeriesRef>,
    pub cancel_reason: Option<String>,
    pub late_cancel: bool,
    /// Clashes a person looked at and kept: the other appointment's id, or `hours`,
    /// `closed` or `away` for a booking outside the provider's hours, on a day the site is
    /// closed, or with the provider away ([`crate::clash`]).
    pub accepted_clashes: Vec<String>,
    pub clash_note: Option<String>,
    /// Confirmation calls, in the order they were recorded ([`crate::confirm`]).
    pub calls: Vec<crate::confirm::Call>,
    /// The patient of the register this appointment is for; `None` for one booked before
    /// the register, which carries its patient's details itself until linked.
    pub patient: Option<crate::patient::PatientId>,
}

impl Appointment {
    pub fn end(&self) -> NaiveDateTime {
        self.start + TimeDelta::minutes(i64::from(self.duration_minutes))
    }

    /// When the patient last checked in, if they are checked in.
    pub fn arrived_at(&self) -> Option<NaiveDateTime> {
        if !matches!(self.status, Status::Arrived | Status::InRoom) {
            return None;
        }
        // An undo that put the patient back to waiting is not a new arrival: the wait
        // runs from the check-in.
        self.history
            .iter()
            .rev()
            .find(|c| c.status == Status::Arrived && !c.is_undo())
            .and_then(|c| parse_local_datetime(&c.at))
    }

    /// Minutes a checked-in patient has waited, or `None` when nobody is waiting.
    pub fn waiting_minutes(&self, now: NaiveDateTime) -> Option<i64> {
        if self.status != Status::Arrived {
            return None;
        }
        self.arrived_at().map(|at| (now - at).num_minutes().max(0))
    }

    pub fn overlaps(&self, other: &Appointment) -> bool {
        self.start < other.end() && other.start < self.end()
    }
}

#[cfg(test)]
mod tests;
