//! Where the demo's appointments go: every provider's working days from the Monday to the
//! Sunday of the current week, filled with a plausible spread of slots, plus the few
//! appointments placed on purpose (the weekly series, the patients around `now`, one
//! double-booking and one booking outside a provider's hours).

use chrono::{Datelike, NaiveDate, NaiveDateTime, TimeDelta, Timelike};

use super::names::Rng;
use super::practice::{
    ANNUAL_CHECK, CASELOADS, DOUBLE_BOOKED_PROVIDER, FOLLOW_UP, OUTSIDE_HOURS_PROVIDER,
    SERIES_PROVIDER,
};
use super::DemoClinic;
use model::{RoomId, SiteId};

/// Why a slot is where it is; decides how its status walk goes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Role {
    /// An ordinary appointment: its status follows from its time and chance.
    Natural,
    /// The first of the weekly series.
    Series,
    /// Still in the room although its time is up: the provider is running late.
    Overrun,
    /// Checked in early for a start that has passed: waiting longer than it should.
    LongWait,
    /// Checked in a little before its start.
    EarlyArrival,
    /// Booked on top of another appointment of the same provider.
    DoubleBooked,
    /// Booked after the provider's hours.
    OutsideHours,
}

#[derive(Clone, Debug)]
pub(super) struct Slot {
    pub provider: usize,
    pub site: SiteId,
    pub room: Option<RoomId>,
    pub start: NaiveDateTime,
    /// An index into the clinic's types.
    pub kind: usize,
    pub role: Role,
}

impl Slot {
    pub(super) fn end(&self, clinic: &DemoClinic) -> NaiveDateTime {
        self.start + minutes(clinic.duration(self.kind))
    }
}

/// An appointment that must be in a provider's day, placed before the rest is filled.
#[derive(Clone, Copy, Debug)]
struct Pin {
    start: NaiveDateTime,
    kind: usize,
    role: Role,
}

fn minutes(n: u32) -> TimeDelta {
    TimeDelta::minutes(i64::from(n))
}

/// The slots of the week around `today`, sorted by start then provider.
pub(super) fn plan(
    clinic: &DemoClinic,
    today: NaiveDate,
    now: NaiveDateTime,
    rng: &mut Rng,
) -> Vec<Slot> {
    let monday = today - TimeDelta::days(i64::from(today.weekday().num_days_from_monday()));
    let week: Vec<NaiveDate> = (0..7).map(|d| monday + TimeDelta::days(d)).collect();
    let series_day = week
        .iter()
        .copied()
        .find(|&d| clinic.window(SERIES_PROVIDER, d).is_some());
    let late = running_late(clinic, today, now, series_day);
    let mut slots = Vec::new();
    for &day in &week {
        for provider in 0..clinic.providers.len() {
            let mut pins = Vec::new();
            if Some(day) == series_day && provider == SERIES_PROVIDER {
                pins.push(series_pin(clinic, day));
            }
            match &late {
                Some((p, late_pins)) if day == today && *p == provider => {
                    pins.extend_from_slice(late_pins);
                }
                _ => {}
            }
            fill_day(clinic, provider, day, pins, rng, &mut slots);
        }
    }
    double_booking(clinic, today, &mut slots, rng);
    outside_hours(clinic, today, &mut slots);
    slots.sort_by_key(|s| (s.start, s.provider));
    slots
}

fn series_pin(clinic: &DemoClinic, day: NaiveDate) -> Pin {
    let (_, open, _) = clinic
        .window(SERIES_PROVIDER, day)
        .expect("the series day is a working day");
    Pin {
        start: open,
        kind: FOLLOW_UP,
        role: Role::Series,
    }
}

/// The appointments that make `now` look like a real morning at the desk for one provider:
/// the patient still in the room after their time, the next one checked in early and
/// kept waiting over a quarter of an hour, and the one after just arrived.
fn late_pins(now: NaiveDateTime) -> [Pin; 3] {
    let on_the_five = now
        .with_second(0)
        .and_then(|t| t.with_nanosecond(0))
        .expect("zero seconds exist")
        - TimeDelta::minutes(i64::from(now.minute() % 5));
    [
        Pin {
            start: on_the_five - TimeDelta::minutes(30),
            kind: ANNUAL_CHECK,
            role: Role::Overrun,
        },
        Pin {
            start: on_the_five,
            kind: FOLLOW_UP,
            role: Role::LongWait,
        },
        Pin {
            start: on_the_five + TimeDelta::minutes(15),
            kind: FOLLOW_UP,
            role: Role::EarlyArrival,
        },
    ]
}

/// The first provider, in the directory's order, whose day today holds the first two
/// [`late_pins`] without touching the series, with the pins that fit (near closing time
/// nobody arrives for a slot after the last); none when nobody works around `now` (a demo
/// made on a Sunday or at night shows a quiet desk).
fn running_late(
    clinic: &DemoClinic,
    today: NaiveDate,
    now: NaiveDateTime,
    series_day: Option<NaiveDate>,
) -> Option<(usize, Vec<Pin>)> {
    let pins = late_pins(now);
    let end = |pin: &Pin| pin.start + minutes(clinic.duration(pin.kind));
    (0..clinic.providers.len()).find_map(|p| {
        let (_, open, close) = clinic.window(p, today)?;
        let series_end = (p == SERIES_PROVIDER && series_day == Some(today))
            .then(|| open + minutes(clinic.duration(FOLLOW_UP)));
        let fits = pins[0].start.date() == today
            && pins[0].start >= series_end.unwrap_or(open)
            && end(&pins[1]) <= close;
        let fitting = pins.iter().filter(|pin| end(pin) <= close).copied();
        fits.then(|| (p, fitting.collect()))
    })
}

/// Fills one provider's day with six to ten appointments spread over their hours, around
/// the pinned ones. Gaps are drawn so that the day is used evenly on average: a demo with
/// every afternoon empty would look broken.
fn fill_day(
    clinic: &DemoClinic,
    provider: usize,
    day: NaiveDate,
    mut pins: Vec<Pin>,
    rng: &mut Rng,
    slots: &mut Vec<Slot>,
) {
    let Some((site, open, close)) = clinic.window(provider, day) else {
        return;
    };
    let room = clinic.room_on(provider, day).map(|r| r.id.clone());
    let slot = |start, kind, role| Slot {
        provider,
        site: site.clone(),
        room: room.clone(),
        start,
        kind,
        role,
    };
    pins.sort_by_key(|p| p.start);
    let window = (close - open).num_minutes() as u32;
    let caseload = CASELOADS[provider].types;
    let duration = |kind| minutes(clinic.duration(kind));
    let mean = caseload.iter().map(|&k| clinic.duration(k)).sum::<u32>() / caseload.len() as u32;
    let shortest = *caseload
        .iter()
        .min_by_key(|&&k| clinic.duration(k))
        .expect("every caseload has types");
    // Six to ten, or as many as short hours hold.
    let target = (6 + rng.below(5)).min(window / (mean + 5)).max(1);
    // Gaps average half the free time per appointment, so that the day more often ends
    // with room to spare than runs out before the target.
    let max_gap_fives = window.saturating_sub(target * mean) / target / 5;
    let mut cursor = open;
    for left in (0..target).rev() {
        // `left` more must fit after this one, at the shortest: when what was drawn leaves
        // them no room, it comes without its gap, or as the shortest type.
        let reserve = duration(shortest) * left as i32;
        let drawn = *rng.pick(caseload);
        let gap = TimeDelta::minutes(5 * i64::from(rng.below(max_gap_fives + 1)));
        let (start, kind) = [(cursor + gap, drawn), (cursor, drawn)]
            .into_iter()
            .find(|&(start, kind)| start + duration(kind) + reserve <= close)
            .unwrap_or((cursor, shortest));
        if let Some(pin) = pins.first().filter(|p| start + duration(kind) > p.start) {
            slots.push(slot(pin.start, pin.kind, pin.role));
            cursor = pin.start + duration(pin.kind);
            pins.remove(0);
        } else if start + duration(kind) <= close {
            slots.push(slot(start, kind, Role::Natural));
            cursor = start + duration(kind);
        } else {
            break;
        }
    }
    // The pins are in the day however full it is.
    slots.extend(pins.iter().map(|p| slot(p.start, p.kind, p.role)));
}

/// The first day after `today`, within a fortnight, that `provider` works.
fn next_working_day(clinic: &DemoClinic, provider: usize, today: NaiveDate) -> NaiveDate {
    (1..=14)
        .map(|d| today + TimeDelta::days(d))
        .find(|&d| clinic.window(provider, d).is_some())
        .expect("every demo provider works some day of any fortnight")
}

/// Books a second patient on top of the double-booked provider's first appointment of
/// their next working day, so that the conflicts list has exactly one thing to show. The
/// intruder has no room, so that the clash is the provider's alone. When that day lies
/// after this week (a demo made at the weekend), its first appointment is made too.
fn double_booking(clinic: &DemoClinic, today: NaiveDate, slots: &mut Vec<Slot>, rng: &mut Rng) {
    let provider = DOUBLE_BOOKED_PROVIDER;
    let day = next_working_day(clinic, provider, today);
    let host = slots
        .iter()
        .filter(|s| s.provider == provider && s.start.date() == day)
        .min_by_key(|s| s.start)
        .cloned();
    let host = host.unwrap_or_else(|| {
        let (site, open, _) = clinic.window(provider, day).expect("a working day");
        let host = Slot {
            provider,
            site,
            room: clinic.room_on(provider, day).map(|r| r.id.clone()),
            start: open,
            kind: *rng.pick(CASELOADS[provider].types),
            role: Role::Natural,
        };
        slots.push(host.clone());
        host
    });
    slots.push(Slot {
        room: None,
        role: Role::DoubleBooked,
        ..host
    });
}

/// A follow-up right after the part-timer's hours on their next working day: the kind of
/// favour a desk grants and the conflicts list should still point out.
fn outside_hours(clinic: &DemoClinic, today: NaiveDate, slots: &mut Vec<Slot>) {
    let provider = OUTSIDE_HOURS_PROVIDER;
    let day = next_working_day(clinic, provider, today);
    let (site, _, close) = clinic.window(provider, day).expect("a working day");
    slots.push(Slot {
        provider,
        site,
        room: clinic.room_on(provider, day).map(|r| r.id.clone()),
        start: close,
        kind: FOLLOW_UP,
        role: Role::OutsideHours,
    });
}
