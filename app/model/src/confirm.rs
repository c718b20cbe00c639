//! Confirmation calls: before a day, the desk calls its patients to confirm, and records
//! each call's outcome on the appointment with who called and when. What is still to do
//! is a [`Worklist`], worked out from the appointments of the site's call day
//! ([`call_day`]) and its [`CallSettings`]: who to call, in call order; who was not
//! reached after the set number of tries, or has a wrong number; who wants another time.
//!
//! A call is about the slot the appointment had when it was made ([`Call::start`]), so
//! moving an appointment asks for a new confirmation, and the old calls stay in its
//! history. Calls are appended to a list, so two desks calling the same patient while
//! offline both keep their call.

mod settings;
mod texts;

use automerge::AutoCommit;
use chrono::{Days, NaiveDate, NaiveDateTime};

use crate::appointment::format_local_datetime;
use crate::schedule::{self, Who};
use crate::{Appointment, AppointmentId, Directory, DocumentError, SiteId, Status};

pub(crate) use settings::read_all as read_call_settings;
pub use settings::{put_call_settings, CallSettings, CallSettingsForm, DEFAULT_TEMPLATE};
pub use texts::{message, texts_csv};

/// How far a call day is looked for: a site closed longer has no call day.
const SEARCH_DAYS: u64 = 60;

/// What a call came to.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Outcome {
    Confirmed,
    LeftMessage,
    NoAnswer,
    WrongNumber,
    /// The patient wants another time: the desk moves the appointment.
    Reschedule,
    /// The patient cancelled on the call.
    Cancelled,
}

impl Outcome {
    pub const ALL: [Self; 6] = [
        Self::Confirmed,
        Self::LeftMessage,
        Self::NoAnswer,
        Self::WrongNumber,
        Self::Reschedule,
        Self::Cancelled,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::Confirmed => "Confirmed",
            Self::LeftMessage => "Left a message",
            Self::NoAnswer => "No answer",
            Self::WrongNumber => "Wrong number",
            Self::Reschedule => "Wants another time",
            Self::Cancelled => "Cancelled",
        }
    }

    /// A stable lower-case name, for test ids.
    pub fn key(self) -> &'static str {
        match self {
            Self::Confirmed => "confirmed",
            Self::LeftMessage => "left-message",
            Self::NoAnswer => "no-answer",
            Self::WrongNumber => "wrong-number",
            Self::Reschedule => "reschedule",
            Self::Cancelled => "cancelled",
        }
    }

    /// Whether the patient was spoken to.
    pub fn reached(self) -> bool {
        matches!(self, Self::Confirmed | Self::Reschedule | Self::Cancelled)
    }

    /// The outcome by the name it is stored under (the variant's name).
    pub(crate) fn stored(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| format!("{o:?}") == name)
    }
}

/// One call, as the appointment keeps it. Calls are never changed once made.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Call {
    /// Random: two desks' calls never share one.
    pub id: String,
    pub outcome: Outcome,
    /// Wall-clock time at the site, `YYYY-MM-DDTHH:MM:SS`.
    pub at: String,
    /// The appointment's start when the call was made, as stored.
    pub start: String,
    pub device: String,
    pub staff: Option<String>,
}

/// Records a call's outcome on an appointment, with its line in the history. A confirmed
/// booking becomes confirmed; a cancellation cancels it, as the desk would; the others
/// leave it as it is.
pub fn record_call(
    doc: &mut AutoCommit,
    id: &AppointmentId,
    outcome: Outcome,
    who: &Who,
    now: NaiveDateTime,
) -> Result<(), DocumentError> {
    let mut a = schedule::get(doc, id)?;
    if outcome == Outcome::Cancelled && a.status == Status::Cancelled {
        // Cancelled already, by another desk or another call: nothing to change.
        return Ok(());
    }
    a.calls.push(Call {
        id: uuid::Uuid::new_v4().to_string(),
        outcome,
        at: format_local_datetime(now),
        start: format_local_datetime(a.start),
        device: who.device.clone(),
        staff: who.staff.clone(),
    });
    let note = format!("Confirmation call: {}", outcome.label().to_lowercase());
    match outcome {
        Outcome::Cancelled => {
            a = schedule::cancelled(a, "Cancelled on the confirmation call", who, now)?;
        }
        Outcome::Confirmed if a.status == Status::Booked => {
            a.status = Status::Confirmed;
            a.history
                .push(schedule::entry(Status::Confirmed, who, now, Some(note)));
        }
        _ => {
            let status = a.status;
            a.history
                .push(schedule::entry(status, who, now, Some(note)));
        }
    }
    schedule::put(doc, &a)
}

/// The day whose patients the desk calls today: the `settings.ahead`-th day after `today`
/// on which the site is open (its hours) and not closed by the calendar. `None` when there
/// is none in the next 60 days.
pub fn call_day(directory: &Directory, site: &SiteId, today: NaiveDate) -> Option<NaiveDate> {
    let hours = directory.site(site)?.hours;
    let ahead = directory.calling(site).ahead as usize;
    (1..=SEARCH_DAYS)
        .filter_map(|n| today.checked_add_days(Days::new(n)))
        .filter(|day| hours.on(*day).is_some() && directory.closure_on(site, *day).is_none())
        .nth(ahead.saturating_sub(1))
}

/// Where one appointment stands for the calls.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Standing {
    /// Still to call.
    ToCall,
    /// Not reached after the set number of tries.
    NotReached,
    /// The number called is wrong: a new one is needed first.
    WrongNumber,
    /// The patient wants another time: the desk moves it.
    AnotherTime,
    /// Confirmed, by a call or otherwise.
    Confirmed,
}

/// One appointment of the call day, with its calls about its present slot.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct CallItem {
    pub appointment: Appointment,
    pub standing: Standing,
    /// Calls about this slot that did not reach the patient.
    pub tries: usize,
    /// The last call about this slot.
    pub last: Option<Call>,
}

/// The call day's appointments that hold their slot, by standing.
#[derive(Clone, Default, PartialEq, Eq, Debug)]
pub struct Worklist {
    /// In call order: the fewest tries first, then by start.
    pub to_call: Vec<CallItem>,
    /// Not reached after the set tries, or a wrong number: in call order too.
    pub flagged: Vec<CallItem>,
    pub another_time: Vec<CallItem>,
    pub confirmed: Vec<CallItem>,
}

impl Worklist {
    /// Every appointment counted: those that hold their slot.
    pub fn total(&self) -> usize {
        self.to_call.len() + self.flagged.len() + self.another_time.len() + self.confirmed.len()
    }

    /// The share confirmed, in whole percent; `None` for a day with nothing booked.
    pub fn rate(&self) -> Option<u32> {
        let total = self.total();
        (total > 0).then(|| (self.confirmed.len() * 100 / total) as u32)
    }
}

/// The worklist of `appointments` (a day's, any order) for a site that tries `tries`
/// times before flagging a patient.
pub fn worklist<'a>(
    appointments: impl IntoIterator<Item = &'a Appointment>,
    tries: u32,
) -> Worklist {
    let mut list = Worklist::default();
    for a in appointments {
        if !a.status.holds_slot() || a.status == Status::Waitlist {
            continue;
        }
        let slot = format_local_datetime(a.start);
        let calls: Vec<&Call> = a.calls.iter().filter(|c| c.start == slot).collect();
        let last = calls
            .iter()
            .max_by(|x, y| x.at.cmp(&y.at))
            .map(|c| (*c).clone());
        let missed = calls.iter().filter(|c| !c.outcome.reached()).count();
        let standing = if a.status != Status::Booked {
            // Confirmed, or already at the desk: nothing to call about.
            Standing::Confirmed
        } else if last
            .as_ref()
            .is_some_and(|c| c.outcome == Outcome::Reschedule)
        {
            Standing::AnotherTime
        } else if last
            .as_ref()
            .is_some_and(|c| c.outcome == Outcome::WrongNumber)
        {
            Standing::WrongNumber
        } else if missed >= tries as usize {
            Standing::NotReached
        } else {
            Standing::ToCall
        };
        let item = CallItem {
            appointment: a.clone(),
            standing,
            tries: missed,
            last,
        };
        match standing {
            Standing::ToCall => list.to_call.push(item),
            Standing::NotReached | Standing::WrongNumber => list.flagged.push(item),
            Standing::AnotherTime => list.another_time.push(item),
            Standing::Confirmed => list.confirmed.push(item),
        }
    }
    let order = |x: &CallItem, y: &CallItem| {
        let key = |i: &CallItem| {
            (
                i.tries,
                i.appointment.start,
                i.appointment.patient_name.to_lowercase(),
                i.appointment.id.clone(),
            )
        };
        key(x).cmp(&key(y))
    };
    list.to_call.sort_by(order);
    list.flagged.sort_by(order);
    let by_start = |x: &CallItem, y: &CallItem| {
        (x.appointment.start, &x.appointment.id).cmp(&(y.appointment.start, &y.appointment.id))
    };
    list.another_time.sort_by(by_start);
    list.confirmed.sort_by(by_start);
    list
}

#[cfg(test)]
mod tests;
