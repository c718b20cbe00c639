//! How each demo appointment came to stand where it does at `now`: booked some days
//! before, perhaps confirmed the evening before, then checked in, seen and checked out, or
//! not. Histories are written entry by entry along [`Status::can_become`], never later than
//! `now`, so that the demo's records are ones the desk itself could have made.

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};

use super::names::{self, Patient, Rng};
use super::practice::{
    hillside, CASELOADS, DOUBLE_BOOKED_PROVIDER, FOLLOW_UP, HILLSIDE_PROVIDER, NEW_PATIENT,
    PROCEDURE, REASONS,
};
use super::week::{Role, Slot};
use super::DemoClinic;
use model::appointment::{
    format_local_datetime, Frequency, Recurrence, RecurrenceEnd, StatusChange, ValidBooking,
    LATE_CANCEL_HOURS,
};
use model::schedule::{self, Who};
use model::waitlist::{WaitlistEntry, WaitlistForm};
use model::{Appointment, Room, SiteId, Status};

/// How many weeks the demo's recurring series runs.
const SERIES_WEEKS: u32 = 4;

const NOTES: [&str; 3] = [
    "Prefers text reminders",
    "Needs step-free access",
    "Bring previous test results",
];
const CANCEL_REASONS: [&str; 3] = ["Feeling better", "Work commitment", "Booked elsewhere"];
const LATE_CANCEL_REASONS: [&str; 2] = ["Unwell this morning", "Childcare fell through"];

/// Where an appointment's walk ends.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Fate {
    /// Still to come.
    Ahead,
    /// Still to come, and confirmed by the patient whether the reminder went out or not.
    Confirmed,
    /// Checked in at `since`, not yet seen.
    Waiting {
        since: NaiveDateTime,
    },
    InRoom,
    Fulfilled,
    NoShow,
    /// Marked a no-show, then turned up late and was seen after all.
    LateArrival,
    Cancelled {
        late: bool,
    },
}

fn minutes(n: u32) -> TimeDelta {
    TimeDelta::minutes(i64::from(n))
}

/// The fate of an appointment from its time alone, with chance deciding the past.
fn natural_fate(
    start: NaiveDateTime,
    end: NaiveDateTime,
    now: NaiveDateTime,
    rng: &mut Rng,
) -> Fate {
    if end <= now {
        match rng.below(100) {
            // A no-show is marked only once a quarter of an hour has gone by.
            0..7 if start + minutes(15) <= now => Fate::NoShow,
            0..14 => Fate::Cancelled { late: false },
            _ => Fate::Fulfilled,
        }
    } else if start <= now {
        Fate::InRoom
    } else if start <= now + minutes(15) {
        Fate::Waiting {
            since: now - minutes(1 + rng.below(6)),
        }
    } else {
        Fate::Ahead
    }
}

fn fate(clinic: &DemoClinic, slot: &Slot, now: NaiveDateTime, rng: &mut Rng) -> Fate {
    match slot.role {
        Role::Natural | Role::Series => natural_fate(slot.start, slot.end(clinic), now, rng),
        Role::Overrun => Fate::InRoom,
        // Checked in early for a start that has passed, so the wait is over 15 minutes.
        Role::LongWait => Fate::Waiting {
            since: slot.start - minutes(18),
        },
        Role::EarlyArrival => Fate::Waiting {
            since: now - minutes(3),
        },
        Role::DoubleBooked | Role::OutsideHours => Fate::Ahead,
    }
}

/// The fates of all slots. Chance alone might leave out a status a newcomer should see, so
/// some ordinary appointments are given one: a late arrival well in the past, a no-show,
/// a late cancel (of a past appointment, or else of one within the next day) and a
/// confirmation of the next one to come. A demo made early on a Monday has too little past
/// for the first two.
fn fates(clinic: &DemoClinic, slots: &[Slot], now: NaiveDateTime, rng: &mut Rng) -> Vec<Fate> {
    let mut fates: Vec<Fate> = slots.iter().map(|s| fate(clinic, s, now, rng)).collect();
    // The appointment the deliberate double-booking sits on must keep its slot.
    let clash_host = |s: &Slot| {
        slots
            .iter()
            .any(|o| o.role == Role::DoubleBooked && o.provider == s.provider && o.start == s.start)
    };
    let mut taken = Vec::new();
    // The middle one of the untaken ordinary slots that `fits`, so that designated fates
    // fall inside the week rather than at its edges.
    let mut pick = |fits: &dyn Fn(&Slot) -> bool, fate: Fate, fates: &mut Vec<Fate>| {
        let candidates: Vec<usize> = (0..slots.len())
            .filter(|&i| slots[i].role == Role::Natural && !taken.contains(&i))
            .filter(|&i| !clash_host(&slots[i]) && fits(&slots[i]))
            .collect();
        if let Some(&i) = candidates.get(candidates.len() / 2) {
            fates[i] = fate;
            taken.push(i);
        }
    };
    let end = |s: &Slot| s.end(clinic);
    pick(
        &|s| s.start + TimeDelta::hours(2) <= now,
        Fate::LateArrival,
        &mut fates,
    );
    pick(
        &|s| end(s) <= now && s.start + minutes(15) <= now,
        Fate::NoShow,
        &mut fates,
    );
    let late = Fate::Cancelled { late: true };
    pick(&|s| end(s) <= now, late, &mut fates);
    if !fates.contains(&late) {
        pick(
            &|s| s.start > now && s.start <= now + TimeDelta::hours(20),
            late,
            &mut fates,
        );
    }
    let next =
        (0..slots.len()).find(|&i| slots[i].role == Role::Natural && fates[i] == Fate::Ahead);
    if let Some(i) = next {
        fates[i] = Fate::Confirmed;
    }
    fates
}

/// Every demo appointment with its site, in the order of the slots; the series adds its
/// later occurrences after the week.
pub(super) fn appointments(
    clinic: &DemoClinic,
    slots: &[Slot],
    today: NaiveDate,
    now: NaiveDateTime,
    device: &str,
    rng: &mut Rng,
) -> Vec<(SiteId, Appointment)> {
    let fates = fates(clinic, slots, now, rng);
    // One patient got their slot from the waitlist: the next ordinary one, or the last.
    let from_waitlist = (0..slots.len())
        .filter(|&i| slots[i].role == Role::Natural)
        .find(|&i| slots[i].start > now)
        .or_else(|| (0..slots.len()).rfind(|&i| slots[i].role == Role::Natural));
    let mut out = Vec::new();
    for (i, (slot, &fate)) in slots.iter().zip(&fates).enumerate() {
        let (ages_from, ages_to) = CASELOADS[slot.provider].ages;
        let patient = names::patient(rng, today, ages_from, ages_to);
        let mut booking = booking(clinic, slot, &patient, rng);
        let desk = desk(clinic, rng);
        let who = Who {
            device: device.to_string(),
            staff: Some(desk),
        };
        let booked_at = booked_at(slot, now, rng);
        let walk = |a, fate, rng: &mut Rng| {
            let mut walk = Walk::new(a, booked_at, now, who.clone());
            if Some(i) == from_waitlist {
                walk.came_from_waitlist();
            }
            walk.follow(clinic, slot, fate, rng);
            (slot.site.clone(), walk.appointment)
        };
        if slot.role == Role::Series {
            booking.recurrence = Some(Recurrence {
                frequency: Frequency::Weekly,
                end: RecurrenceEnd::Count(SERIES_WEEKS),
            });
            for (n, a) in schedule::plan(&booking, &who, booked_at)
                .into_iter()
                .enumerate()
            {
                let fate = match n {
                    0 => fate,
                    _ => natural_fate(a.start, a.end(), now, rng),
                };
                out.push(walk(a, fate, rng));
            }
        } else {
            let a = schedule::new_appointment(&booking, slot.start, None, &who, booked_at);
            out.push(walk(a, fate, rng));
        }
    }
    out
}

fn booking(clinic: &DemoClinic, slot: &Slot, patient: &Patient, rng: &mut Rng) -> ValidBooking {
    ValidBooking {
        dob: Some(patient.dob),
        phone: Some(patient.phone.clone()),
        email: patient.email.clone(),
        notes: match rng.chance(10) {
            true => rng.pick(&NOTES).to_string(),
            false => String::new(),
        },
        type_id: Some(clinic.types[slot.kind].id.clone()),
        room: slot.room.clone(),
        reason: rng.pick(REASONS[slot.kind]).to_string(),
        ..ValidBooking::new(
            &patient.name,
            clinic.providers[slot.provider].id.clone(),
            slot.start,
            clinic.duration(slot.kind),
        )
    }
}

/// A receptionist's name, for the history's "who".
fn desk(clinic: &DemoClinic, rng: &mut Rng) -> String {
    let desks: Vec<&str> = clinic
        .staff
        .iter()
        .filter(|s| s.role.starts_with("Receptionist"))
        .map(|s| s.name.as_str())
        .collect();
    rng.pick(&desks).to_string()
}

/// A time of the desk's day on `day`: from 08:30, within `span` five-minute steps.
fn office_time(day: NaiveDate, span: u32, rng: &mut Rng) -> NaiveDateTime {
    day.and_hms_opt(8, 30, 0).expect("a valid time") + minutes(5 * rng.below(span))
}

/// When the booking was made: during office hours two days to four weeks before (new
/// patients book further ahead); one that would lie after `now` was made earlier today.
fn booked_at(slot: &Slot, now: NaiveDateTime, rng: &mut Rng) -> NaiveDateTime {
    let lead_days = 2 + rng.below(if slot.kind == NEW_PATIENT { 27 } else { 13 });
    let day = slot.start.date() - TimeDelta::days(i64::from(lead_days));
    let at = office_time(day, 97, rng);
    if at <= now {
        at
    } else {
        now - minutes(5 + 5 * rng.below(24))
    }
}

/// One appointment's history being written.
struct Walk {
    appointment: Appointment,
    /// The time of the last entry; the next is never earlier.
    last: NaiveDateTime,
    now: NaiveDateTime,
    who: Who,
}

impl Walk {
    fn new(
        appointment: Appointment,
        booked_at: NaiveDateTime,
        now: NaiveDateTime,
        who: Who,
    ) -> Self {
        Self {
            appointment,
            last: booked_at,
            now,
            who,
        }
    }

    /// Puts a waitlist entry before the booking: the patient waited for this slot.
    fn came_from_waitlist(&mut self) {
        let history = &mut self.appointment.history;
        let mut waiting = history[0].clone();
        waiting.status = Status::Waitlist;
        let booked = self.last;
        waiting.at = format_local_datetime(booked - TimeDelta::days(3));
        history[0].note = Some("Offered a freed slot from the waitlist".into());
        history.insert(0, waiting);
    }

    /// `at` moved into `[last entry, now]`, so that the history stays in order and in the
    /// past whatever the drawn times.
    fn clamp(&self, at: NaiveDateTime) -> NaiveDateTime {
        at.min(self.now).max(self.last)
    }

    /// Appends a change at `at` (clamped).
    fn to(&mut self, status: Status, at: NaiveDateTime, room: Option<&Room>, note: Option<String>) {
        debug_assert!(self.appointment.status.can_become(status));
        let at = self.clamp(at);
        self.last = at;
        if let Some(room) = room {
            self.appointment.room = Some(room.id.clone());
        }
        self.appointment.status = status;
        self.appointment.history.push(StatusChange {
            status,
            at: format_local_datetime(at),
            device: self.who.device.clone(),
            staff: self.who.staff.clone(),
            room: room.map(|r| r.name.clone()),
            note,
        });
    }

    fn follow(&mut self, clinic: &DemoClinic, slot: &Slot, fate: Fate, rng: &mut Rng) {
        let start = self.appointment.start;
        let end = self.appointment.end();
        // Patients confirm when the reminder goes out, late in the afternoon before.
        // Nobody has confirmed the deliberate clashes, so that they read as fresh
        // mistakes, nor a cancellation made days ahead.
        let reminder =
            office_time(start.date() - TimeDelta::days(1), 36, rng) + TimeDelta::hours(7);
        let confirmable = reminder <= self.now
            && !matches!(fate, Fate::Cancelled { late: false })
            && !matches!(slot.role, Role::DoubleBooked | Role::OutsideHours);
        if fate == Fate::Confirmed {
            // This one rang to confirm, reminder or not.
            self.to(
                Status::Confirmed,
                reminder.min(self.now - minutes(10)),
                None,
                None,
            );
        } else if confirmable && rng.chance(60) {
            self.to(Status::Confirmed, reminder, None, None);
        }
        // The provider's room for the day; a site's first room if the provider has none.
        let room = slot
            .room
            .as_ref()
            .and_then(|id| clinic.rooms.iter().find(|r| &r.id == id))
            .or_else(|| clinic.rooms.iter().find(|r| r.site == slot.site));
        let arrived = start - minutes(2 + rng.below(10));
        let in_room = start + minutes(rng.below(8));
        let out = end + minutes(rng.below(6));
        match fate {
            Fate::Ahead | Fate::Confirmed => {}
            Fate::Waiting { since } => {
                self.to(Status::Arrived, since, None, None);
            }
            Fate::InRoom => self.seen(arrived, in_room, None, room),
            Fate::Fulfilled => self.seen(arrived, in_room, Some(out), room),
            Fate::NoShow => {
                self.to(Status::NoShow, start + minutes(15), None, None);
            }
            Fate::LateArrival => {
                self.to(Status::NoShow, start + minutes(15), None, None);
                let late = Some("Arrived 20 minutes late".to_string());
                self.to(Status::Arrived, start + minutes(20), None, late);
                self.seen(
                    start + minutes(20),
                    start + minutes(25),
                    Some(end + minutes(25)),
                    room,
                );
            }
            Fate::Cancelled { late } => self.cancel(late, rng),
        }
    }

    /// Checks the patient in (unless they are already), sends them to `room`, and checks
    /// them out at `out` if given.
    fn seen(
        &mut self,
        arrived: NaiveDateTime,
        in_room: NaiveDateTime,
        out: Option<NaiveDateTime>,
        room: Option<&Room>,
    ) {
        if self.appointment.status != Status::Arrived {
            self.to(Status::Arrived, arrived, None, None);
        }
        self.to(Status::InRoom, in_room, room, None);
        if let Some(out) = out {
            self.to(Status::Fulfilled, out, None, None);
        }
    }

    /// Cancels as `schedule::cancel` does: with a reason, flagged late under 24 hours
    /// before the start. A late cancel is a call the same morning; another comes halfway
    /// between the booking and the appointment.
    fn cancel(&mut self, late: bool, rng: &mut Rng) {
        let start = self.appointment.start;
        let (at, reason) = if late {
            let at = start - TimeDelta::hours(i64::from(1 + rng.below(3)));
            (at, rng.pick(&LATE_CANCEL_REASONS).to_string())
        } else {
            let halfway = self.last + (start - self.last) / 2;
            let at = office_time(halfway.date(), 97, rng);
            (at, rng.pick(&CANCEL_REASONS).to_string())
        };
        let at = self.clamp(at);
        let late = start - at < TimeDelta::hours(LATE_CANCEL_HOURS);
        let note = if late {
            format!("Late cancel: {reason}")
        } else {
            reason.clone()
        };
        self.to(Status::Cancelled, at, None, Some(note));
        self.appointment.late_cancel = late;
        self.appointment.cancel_reason = Some(reason);
    }
}

/// Three patients waiting for an earlier slot, added over the last few days: one for the
/// double-booked provider, one for anyone at the main site, one for a procedure at Hillside.
pub(super) fn waitlist(
    clinic: &DemoClinic,
    today: NaiveDate,
    now: NaiveDateTime,
    rng: &mut Rng,
) -> Vec<(SiteId, WaitlistEntry)> {
    let directory = clinic.directory();
    let wishes = [
        (
            SiteId::main(),
            Some(DOUBLE_BOOKED_PROVIDER),
            NEW_PATIENT,
            Some(10),
            "Can come at short notice",
            2,
        ),
        (SiteId::main(), None, FOLLOW_UP, None, "Mornings only", 5),
        (
            hillside(),
            Some(HILLSIDE_PROVIDER),
            PROCEDURE,
            Some(21),
            "Would like the removal sooner",
            1,
        ),
    ];
    wishes
        .into_iter()
        .map(|(site, provider, kind, before_days, notes, days_ago)| {
            let (ages_from, ages_to) = provider.map_or((18, 80), |p| CASELOADS[p].ages);
            let patient = names::patient(rng, today, ages_from, ages_to);
            let form = WaitlistForm {
                patient_name: patient.name,
                phone: patient.phone,
                provider: provider
                    .map(|p| clinic.providers[p].id.to_string())
                    .unwrap_or_default(),
                duration_minutes: clinic.duration(kind).to_string(),
                before: before_days
                    .map(|d| (today + TimeDelta::days(d)).to_string())
                    .unwrap_or_default(),
                notes: notes.into(),
            };
            let added = now - TimeDelta::days(days_ago) - minutes(5 * rng.below(60));
            let entry = form
                .validate(&directory, &site, added)
                .expect("the demo's waitlist forms are valid for its own directory");
            (site, entry)
        })
        .collect()
}
