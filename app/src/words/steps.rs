//! The sentences of the desk's steps: what was done, what its undoing did, and the question
//! asked before a step on a patient of another day.

use chrono::NaiveDate;
use model::Status;

/// "Checked in Ada Quill." after a step.
pub fn done(patient: &str, to: Status, room: Option<&str>) -> String {
    match to {
        Status::Arrived => format!("Checked in {patient}."),
        Status::InRoom => match room {
            Some(room) => format!("{patient} sent to {room}."),
            None => format!("{patient} sent to a room."),
        },
        Status::Fulfilled => format!("Checked out {patient}."),
        Status::NoShow => format!("{patient} marked as a no-show."),
        Status::Confirmed => format!("{patient}'s appointment confirmed."),
        Status::Booked => format!("{patient} booked again."),
        Status::Cancelled => format!("{patient}'s appointment cancelled."),
        other => format!("{patient}: {}.", other.label().to_lowercase()),
    }
}

/// After "Undo": what the appointment is again.
pub fn undone(patient: &str, now: Status) -> String {
    match now {
        Status::Arrived => format!("Undone: {patient} is checked in again."),
        Status::InRoom => format!("Undone: {patient} is in the room again."),
        other => format!(
            "Undone: {patient} is {} again.",
            other.label().to_lowercase()
        ),
    }
}

/// After a booking from the waitlist.
pub fn booked_from_waitlist(patient: &str, start: chrono::NaiveDateTime) -> String {
    format!(
        "{patient} booked for {} from the waitlist.",
        start.format("%a %-d %b, %H:%M")
    )
}

/// After that booking's "Undo".
pub fn back_on_waitlist(patient: &str) -> String {
    format!("Undone: {patient} is back on the waitlist.")
}

/// The question before a step on a patient booked for another day than today.
pub fn other_day(patient: &str, to: Status, day: NaiveDate) -> String {
    let step = match to {
        Status::Arrived => "Check them in",
        Status::InRoom => "Send them to a room",
        Status::Fulfilled => "Check them out",
        Status::NoShow => "Mark them as a no-show",
        _ => "Change it",
    };
    format!(
        "{patient} is booked for {}, not today. {step} anyway?",
        day.format("%A %-d %B")
    )
}

/// The answer that takes the step all the same.
pub fn anyway(to: Status) -> &'static str {
    match to {
        Status::Arrived => "Check in anyway",
        Status::InRoom => "Send to the room anyway",
        Status::Fulfilled => "Check out anyway",
        Status::NoShow => "Mark no-show anyway",
        _ => "Change anyway",
    }
}
