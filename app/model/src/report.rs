//! The figures a manager is asked about, by week or by month, for one site or all of them,
//! computed on the device from the month documents (the relay cannot read them): how many
//! were booked, how many came due, the no-show, late-cancel and confirmation rates, the
//! wait from check-in to the room and from the room to checking out (median and 90th
//! percentile), the appointments of each type, and each provider's booked minutes, which
//! [`utilisation`] sets against the hours they keep.

pub mod hours;
pub mod period;
pub mod utilisation;

use std::collections::BTreeMap;

use chrono::NaiveDateTime;

use crate::appointment::parse_local_datetime;
use crate::budget::{spent_in, Spend};
use crate::money::{decimal, Currency};
use crate::{Appointment, ProviderId, Status, TypeId};

pub use hours::{hours, Hours};
pub use period::{Period, Span};
pub use utilisation::{utilisation, Utilisation};

/// One period's figures.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Figures {
    pub period: Period,
    /// Appointments of the period, except those entered in error and the waitlist's.
    pub booked: usize,
    /// Of those, the ones whose start has passed and that were not cancelled.
    pub came_due: usize,
    pub no_shows: usize,
    /// Cancelled less than 24 hours before the start.
    pub late_cancels: usize,
    /// Of those that came due, the ones confirmed at some point.
    pub confirmed: usize,
    /// Minutes from check-in to the room, one per patient roomed, sorted.
    pub waits: Vec<i64>,
    /// Minutes from the room to checking out, one per patient checked out, sorted.
    pub in_room: Vec<i64>,
    /// Booked appointments (cancelled ones included) of each type; `None` for those
    /// booked without one.
    pub by_type: BTreeMap<Option<TypeId>, usize>,
    /// Minutes each provider was booked for, cancelled appointments left out.
    pub booked_minutes: BTreeMap<ProviderId, i64>,
}

impl Figures {
    fn empty(period: Period) -> Self {
        Self {
            period,
            booked: 0,
            came_due: 0,
            no_shows: 0,
            late_cancels: 0,
            confirmed: 0,
            waits: Vec::new(),
            in_room: Vec::new(),
            by_type: BTreeMap::new(),
            booked_minutes: BTreeMap::new(),
        }
    }
}

impl Figures {
    pub fn no_show_rate(&self) -> Option<u32> {
        percent(self.no_shows, self.came_due)
    }

    pub fn late_cancel_rate(&self) -> Option<u32> {
        percent(self.late_cancels, self.booked)
    }

    pub fn confirmation_rate(&self) -> Option<u32> {
        percent(self.confirmed, self.came_due)
    }

    /// The median wait (the lower middle of an even count), in minutes.
    pub fn median_wait(&self) -> Option<i64> {
        rank(&self.waits, 50)
    }

    /// The 90th percentile wait (nearest rank), in minutes.
    pub fn p90_wait(&self) -> Option<i64> {
        rank(&self.waits, 90)
    }

    /// The median time from the room to checking out, in minutes.
    pub fn median_in_room(&self) -> Option<i64> {
        rank(&self.in_room, 50)
    }

    /// The 90th percentile time from the room to checking out, in minutes.
    pub fn p90_in_room(&self) -> Option<i64> {
        rank(&self.in_room, 90)
    }
}

/// `part` of `whole` in whole percent, rounded down; `None` of nothing.
fn percent(part: usize, whole: usize) -> Option<u32> {
    (whole > 0).then(|| (part * 100 / whole) as u32)
}

/// The nearest-rank `p`th percentile of sorted `values`.
fn rank(values: &[i64], p: usize) -> Option<i64> {
    if values.is_empty() {
        return None;
    }
    let at = (p * values.len()).div_ceil(100).max(1) - 1;
    values.get(at).copied()
}

/// The figures of each of `periods` (in order, not overlapping) from `appointments` (any
/// months, any sites, any order), as they stand at `now`.
pub fn figures<'a>(
    appointments: impl IntoIterator<Item = &'a Appointment>,
    periods: &[Period],
    now: NaiveDateTime,
) -> Vec<Figures> {
    let mut figures: Vec<Figures> = periods.iter().map(|&p| Figures::empty(p)).collect();
    for a in appointments {
        let day = a.start.date();
        // Periods are in order: a binary search finds the one holding the day.
        let at = figures.partition_point(|f| f.period.last < day);
        let Some(f) = figures.get_mut(at).filter(|f| f.period.contains(day)) else {
            continue;
        };
        if matches!(a.status, Status::EnteredInError | Status::Waitlist) {
            continue;
        }
        f.booked += 1;
        *f.by_type.entry(a.type_id.clone()).or_default() += 1;
        if a.status == Status::Cancelled {
            f.late_cancels += usize::from(a.late_cancel);
            continue;
        }
        *f.booked_minutes.entry(a.provider.clone()).or_default() += i64::from(a.duration_minutes);
        if a.start > now {
            continue;
        }
        f.came_due += 1;
        f.no_shows += usize::from(a.status == Status::NoShow);
        f.confirmed += usize::from(a.history.iter().any(|h| h.status == Status::Confirmed));
        let (wait, in_room) = waits(a);
        f.waits.extend(wait);
        f.in_room.extend(in_room);
    }
    for f in &mut figures {
        f.waits.sort_unstable();
        f.in_room.sort_unstable();
    }
    figures
}

/// Minutes from the first check-in to the first room after it, and from that room to the
/// first check-out after it.
fn waits(a: &Appointment) -> (Option<i64>, Option<i64>) {
    let at = |status: Status, after: Option<NaiveDateTime>| {
        a.history
            .iter()
            .filter(|h| h.status == status && !h.is_undo())
            .filter_map(|h| parse_local_datetime(&h.at))
            .find(|t| after.is_none_or(|after| *t >= after))
    };
    let arrived = at(Status::Arrived, None);
    let roomed = at(Status::InRoom, arrived);
    let out = roomed.and_then(|roomed| at(Status::Fulfilled, Some(roomed)));
    let minutes =
        |from: Option<NaiveDateTime>, to: Option<NaiveDateTime>| Some((to? - from?).num_minutes());
    (minutes(arrived, roomed), minutes(roomed, out))
}

/// The figures as a spreadsheet: one row a period, rates in percent, times in minutes, and
/// what each period spent on supplies (`spent`, empty while it loads) in `currency`.
pub fn csv(figures: &[Figures], spent: Option<&[Spend]>, currency: Currency) -> String {
    let cell = |v: Option<u32>| v.map_or_else(String::new, |v| v.to_string());
    let minutes = |v: Option<i64>| v.map_or_else(String::new, |v| v.to_string());
    let rows = figures.iter().map(|f| {
        vec![
            f.period.first.to_string(),
            f.booked.to_string(),
            f.came_due.to_string(),
            f.no_shows.to_string(),
            cell(f.no_show_rate()),
            f.late_cancels.to_string(),
            cell(f.late_cancel_rate()),
            cell(f.confirmation_rate()),
            minutes(f.median_wait()),
            minutes(f.p90_wait()),
            minutes(f.median_in_room()),
            minutes(f.p90_in_room()),
            spent.map_or_else(String::new, |s| decimal(spent_in(s, &f.period))),
            currency.code.to_string(),
        ]
    });
    let from = match figures.first().map(|f| f.period.span) {
        Some(Span::Month) => "month_from",
        _ => "week_from",
    };
    crate::csv::write(
        &[
            from,
            "booked",
            "came_due",
            "no_shows",
            "no_show_percent",
            "late_cancels",
            "late_cancel_percent",
            "confirmed_percent",
            "wait_median_minutes",
            "wait_p90_minutes",
            "in_room_median_minutes",
            "in_room_p90_minutes",
            "supply_spend",
            "currency",
        ],
        rows,
    )
}

#[cfg(test)]
mod tests;
