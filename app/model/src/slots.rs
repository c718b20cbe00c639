//! Free time in a provider's diary: the next start a desk can offer a patient on the phone,
//! and the starts still open on one day.
//!
//! A start is free when the provider works then, the site is open (both spans must hold,
//! so the window is their intersection), neither is on a day off (a closure or holiday in
//! the calendar, the provider's time off: [`DaysOff`]), the provider works at the site, the whole
//! appointment fits before the window closes, and none of the provider's bookings that
//! hold their slot overlap it. Only the opening time and the ends of bookings can be the
//! earliest free start, so the search jumps between those instead of trying every minute:
//! it stays quick when the interface passes every loaded month.

use chrono::{Days, NaiveDate, NaiveDateTime, TimeDelta, Timelike};

use crate::away::DaysOff;
use crate::{Appointment, Provider, Site};

/// Starts asked for at an odd minute are moved to the next mark of this many minutes, the
/// grid a desk books on.
pub const ROUND_TO_MINUTES: u32 = 5;

/// [`free_slots_on`] offers at most one start per this many minutes of free time, so that
/// a quiet afternoon is a short list, not every five minutes.
pub const OFFER_EVERY_MINUTES: i64 = 15;

/// The earliest free start at or after `from` (moved up to the next five-minute mark) on
/// one of the `days` days beginning with `from`'s date, or `None` when there is none.
/// `appointments` may hold any provider's and any month's; the others' are passed over.
pub fn next_free_slot<'a>(
    appointments: impl IntoIterator<Item = &'a Appointment>,
    provider: &Provider,
    site: &Site,
    days_off: &DaysOff,
    duration_minutes: u32,
    from: NaiveDateTime,
    days: u32,
) -> Option<NaiveDateTime> {
    if !provider.works_at(&site.id) {
        return None;
    }
    let busy = Busy::of(appointments, provider);
    let length = minutes(duration_minutes);
    let earliest = round_up(from);
    (0..u64::from(days))
        .map_while(|offset| from.date().checked_add_days(Days::new(offset)))
        .find_map(|day| {
            let (open, close) = window(provider, site, days_off, day)?;
            busy.first_free(open.max(earliest), length, close)
        })
}

/// The free starts on `day` at or after `after` (moved up to a five-minute mark): the
/// first of each free stretch, then one every [`OFFER_EVERY_MINUTES`] while the
/// appointment still fits.
pub fn free_slots_on<'a>(
    appointments: impl IntoIterator<Item = &'a Appointment>,
    provider: &Provider,
    site: &Site,
    days_off: &DaysOff,
    duration_minutes: u32,
    day: NaiveDate,
    after: NaiveDateTime,
) -> Vec<NaiveDateTime> {
    let Some((open, close)) =
        window(provider, site, days_off, day).filter(|_| provider.works_at(&site.id))
    else {
        return Vec::new();
    };
    let busy = Busy::of(appointments, provider);
    let length = minutes(duration_minutes);
    let mut slots = Vec::new();
    let mut next = open.max(round_up(after));
    while let Some(start) = busy.first_free(next, length, close) {
        slots.push(start);
        next = start + TimeDelta::minutes(OFFER_EVERY_MINUTES);
    }
    slots
}

fn minutes(count: u32) -> TimeDelta {
    TimeDelta::minutes(i64::from(count))
}

/// `at`, or the next five-minute mark after it.
fn round_up(at: NaiveDateTime) -> NaiveDateTime {
    let minute = at.minute() - at.minute() % ROUND_TO_MINUTES;
    let mark = at
        .date()
        .and_hms_opt(at.hour(), minute, 0)
        .expect("an hour and a minute of a real time");
    if mark == at {
        at
    } else {
        mark + minutes(ROUND_TO_MINUTES)
    }
}

/// When on `day` the provider works and the site is open, if at all.
fn window(
    provider: &Provider,
    site: &Site,
    days_off: &DaysOff,
    day: NaiveDate,
) -> Option<(NaiveDateTime, NaiveDateTime)> {
    if days_off.contains(day) {
        return None;
    }
    let (works_from, works_to) = provider.hours.on(day)?;
    let (opens, closes) = site.hours.on(day)?;
    let (open, close) = (works_from.max(opens), works_to.min(closes));
    (open < close).then(|| (day.and_time(open), day.and_time(close)))
}

/// The times a provider is taken, as stretches sorted by start and merged where bookings
/// overlap or touch. Merged, the stretches are disjoint, so their ends are sorted too and a
/// binary search finds the first that matters; and between two of them there is always a
/// real gap, so the end of one is a start worth trying.
struct Busy(Vec<(NaiveDateTime, NaiveDateTime)>);

impl Busy {
    fn of<'a>(
        appointments: impl IntoIterator<Item = &'a Appointment>,
        provider: &Provider,
    ) -> Self {
        let mut taken: Vec<_> = appointments
            .into_iter()
            .filter(|a| a.provider == provider.id && a.status.holds_slot())
            .map(|a| (a.start, a.end()))
            .collect();
        taken.sort_unstable();
        let mut merged: Vec<(NaiveDateTime, NaiveDateTime)> = Vec::with_capacity(taken.len());
        for (start, end) in taken {
            match merged.last_mut() {
                Some(last) if start <= last.1 => last.1 = last.1.max(end),
                _ => merged.push((start, end)),
            }
        }
        Self(merged)
    }

    /// The earliest start at or after `from` whose `length` ends by `close` and overlaps no
    /// stretch.
    fn first_free(
        &self,
        from: NaiveDateTime,
        length: TimeDelta,
        close: NaiveDateTime,
    ) -> Option<NaiveDateTime> {
        let mut start = from;
        let mut next = self.0.partition_point(|&(_, end)| end <= start);
        loop {
            if start + length > close {
                return None;
            }
            match self.0.get(next) {
                Some(&(taken_from, taken_to)) if taken_from < start + length => {
                    start = taken_to;
                    next += 1;
                }
                _ => return Some(start),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::appointment::{parse_local_datetime, ValidBooking};
    use crate::directory::time;
    use crate::schedule::{new_appointment, Who};
    use crate::{ProviderId, SiteId, Status, WeekHours};

    // 2026-11-23 is a Monday; the 25th a Wednesday, the 27th a Friday, the 28th a Saturday.

    fn at(text: &str) -> NaiveDateTime {
        parse_local_datetime(text).expect("valid test time")
    }

    /// Open 07:30 to 18:00 Monday to Saturday, but only 09:00 to 16:00 on Fridays.
    fn site() -> Site {
        let long = Some((time(7, 30), time(18, 0)));
        let friday = Some((time(9, 0), time(16, 0)));
        Site {
            id: SiteId::main(),
            name: "Main Street".into(),
            hours: WeekHours([long, long, long, long, friday, long, None]),
        }
    }

    /// Works 08:00 to 17:00 on weekdays except Wednesday, at the main site only.
    fn provider() -> Provider {
        let mut hours = WeekHours::weekdays(time(8, 0), time(17, 0));
        hours.0[2] = None;
        Provider {
            id: ProviderId::from("dr-a"),
            name: "Dr. A".into(),
            specialty: String::new(),
            colour: "#8ecae6".into(),
            sites: vec![SiteId::main()],
            hours,
        }
    }

    fn booked(provider: &str, start: &str, minutes: u32) -> Appointment {
        let booking = ValidBooking::new(
            "Patient 0001",
            ProviderId::from(provider),
            at(start),
            minutes,
        );
        let who = Who {
            device: "Desk".into(),
            staff: None,
        };
        new_appointment(&booking, booking.start, None, &who, booking.start)
    }

    /// Dr. A's own booking.
    fn dr_a(start: &str, minutes: u32) -> Appointment {
        booked("dr-a", start, minutes)
    }

    fn check(
        bookings: &[Appointment],
        from: &str,
        minutes: u32,
        days: u32,
        expected: Option<&str>,
    ) {
        let found = next_free_slot(
            bookings,
            &provider(),
            &site(),
            &DaysOff::none(),
            minutes,
            at(from),
            days,
        );
        assert_eq!(found, expected.map(at), "from {from} for {minutes} minutes");
    }

    #[test]
    fn an_empty_day_offers_the_opening_time() {
        check(&[], "2026-11-23T06:00", 30, 1, Some("2026-11-23T08:00"));
        // The site opens later than the provider starts on Fridays.
        check(&[], "2026-11-27T06:00", 30, 1, Some("2026-11-27T09:00"));
    }

    #[test]
    fn a_gap_between_bookings_is_found_exactly() {
        let day = [
            dr_a("2026-11-23T08:00", 60),
            dr_a("2026-11-23T09:20", 40),
            dr_a("2026-11-23T10:25", 95),
        ];
        check(&day, "2026-11-23T07:00", 20, 1, Some("2026-11-23T09:00"));
        check(&day, "2026-11-23T07:00", 25, 1, Some("2026-11-23T10:00"));
        check(&day, "2026-11-23T07:00", 30, 1, Some("2026-11-23T12:00"));
        // Overlapping bookings leave no gap between them.
        let double = [dr_a("2026-11-23T08:00", 60), dr_a("2026-11-23T08:30", 60)];
        check(&double, "2026-11-23T07:00", 20, 1, Some("2026-11-23T09:30"));
    }

    #[test]
    fn a_day_booked_to_the_close_moves_to_the_next_working_day() {
        let full_monday = [dr_a("2026-11-23T08:00", 540)];
        check(
            &full_monday,
            "2026-11-23T07:00",
            15,
            7,
            Some("2026-11-24T08:00"),
        );
        // Dr. A does not work on Wednesdays.
        let full_tuesday = [dr_a("2026-11-24T08:00", 480), dr_a("2026-11-24T16:00", 60)];
        check(
            &full_tuesday,
            "2026-11-24T09:00",
            15,
            7,
            Some("2026-11-26T08:00"),
        );
        check(&[], "2026-11-25T09:00", 15, 7, Some("2026-11-26T08:00"));
        // The search may run into the next month's document.
        let month_end = [dr_a("2026-11-30T08:00", 540), dr_a("2026-12-01T08:00", 60)];
        check(
            &month_end,
            "2026-11-30T08:00",
            15,
            7,
            Some("2026-12-01T09:00"),
        );
    }

    #[test]
    fn the_weekend_is_skipped() {
        // Friday closes at 16:00; Saturday the site is open but Dr. A is not; Sunday the
        // site is closed.
        check(&[], "2026-11-27T15:45", 30, 7, Some("2026-11-30T08:00"));
        check(&[], "2026-11-27T15:30", 30, 7, Some("2026-11-27T15:30"));
    }

    #[test]
    fn nothing_is_offered_past_the_days_searched() {
        let full_monday = [dr_a("2026-11-23T08:00", 540)];
        check(&full_monday, "2026-11-23T07:00", 15, 1, None);
        check(&[], "2026-11-23T07:00", 15, 0, None);
        // Longer than any working day.
        check(&[], "2026-11-23T07:00", 600, 28, None);
    }

    #[test]
    fn only_dr_as_bookings_that_hold_the_slot_count() {
        let mut others = vec![booked("dr-b", "2026-11-23T08:00", 540)];
        for status in Status::ALL.into_iter().filter(|s| !s.holds_slot()) {
            let mut a = dr_a("2026-11-23T08:00", 540);
            a.status = status;
            others.push(a);
        }
        check(&others, "2026-11-23T07:00", 30, 1, Some("2026-11-23T08:00"));
        let mut arrived = dr_a("2026-11-23T08:00", 540);
        arrived.status = Status::Arrived;
        others.push(arrived);
        check(&others, "2026-11-23T07:00", 30, 1, None);
    }

    #[test]
    fn a_start_in_the_day_moves_up_to_five_minutes() {
        check(&[], "2026-11-23T10:02", 30, 1, Some("2026-11-23T10:05"));
        check(&[], "2026-11-23T10:05", 30, 1, Some("2026-11-23T10:05"));
        check(&[], "2026-11-23T10:05:30", 30, 1, Some("2026-11-23T10:10"));
        check(&[], "2026-11-23T16:56", 30, 2, Some("2026-11-24T08:00"));
    }

    #[test]
    fn a_provider_away_from_the_site_has_no_slot_there() {
        let mut away = provider();
        away.sites = vec![SiteId::new("north").expect("valid")];
        let none = DaysOff::none();
        let at_main = next_free_slot(&[], &away, &site(), &none, 30, at("2026-11-23T07:00"), 28);
        assert_eq!(at_main, None);
        let day = at("2026-11-23T07:00").date();
        let free = free_slots_on(&[], &away, &site(), &none, 30, day, at("2026-11-23T07:00"));
        assert!(free.is_empty());
    }

    #[test]
    fn the_free_starts_of_a_day() {
        let day = [
            dr_a("2026-11-23T08:00", 60),
            dr_a("2026-11-23T09:20", 40),
            dr_a("2026-11-23T10:30", 330),
        ];
        let free = |after: &str, on: &str| -> Vec<String> {
            let on = at(on).date();
            free_slots_on(
                &day,
                &provider(),
                &site(),
                &DaysOff::none(),
                20,
                on,
                at(after),
            )
            .iter()
            .map(|t| t.format("%a %H:%M").to_string())
            .collect()
        };
        let monday = "2026-11-23T00:00";
        assert_eq!(
            free("2026-11-23T07:00", monday),
            [
                "Mon 09:00",
                "Mon 10:00",
                "Mon 16:00",
                "Mon 16:15",
                "Mon 16:30"
            ]
        );
        assert_eq!(
            free("2026-11-23T16:08", monday),
            ["Mon 16:10", "Mon 16:25", "Mon 16:40"]
        );
        assert!(free("2026-11-23T07:00", "2026-11-25T00:00").is_empty());
        assert!(free("2026-11-23T07:00", "2026-11-28T00:00").is_empty());
    }
}
