//! The demo's past year: every month shows the figures it was built to show, nothing in it
//! clashes, and the demo's own week is left to the demo.

use chrono::{Datelike, Days, Months};

use super::{at, demo};
use crate::year::*;
use model::clash::find_clashes;
use model::report::{figures, Period, Span};
use model::SiteId;

#[test]
fn every_month_of_the_year_shows_the_known_figures() {
    // A Thursday early in a month: the demo's week reaches back into the month before.
    let now = at("2026-12-03T10:00");
    let clinic = demo("2026-12-03T10:00", 4);
    let directory = clinic.directory();
    let year = year(&directory, now.date(), "Reception tablet");
    let months = Period::last(Span::Month, now.date(), 13);
    let found = figures(year.iter().map(|(_, a)| a), &months, now);
    assert_eq!(found[12].booked, 0, "nothing this month");
    for f in &found[..12] {
        let label = f.period.label();
        assert!(f.booked > 0, "{label}");
        assert_eq!(f.booked % PER_DAY, 0, "{label}: whole days");
        let row = (
            f.no_show_rate(),
            f.late_cancel_rate(),
            f.confirmation_rate(),
            f.median_wait(),
            f.p90_wait(),
            f.median_in_room(),
            f.p90_in_room(),
        );
        let known = (
            Some(NO_SHOW_PERCENT),
            Some(LATE_CANCEL_PERCENT),
            Some(CONFIRMED_PERCENT),
            Some(WAIT_MEDIAN),
            Some(WAIT_P90),
            Some(IN_ROOM),
            Some(IN_ROOM),
        );
        assert_eq!(row, known, "{label}");
    }
    let monday = now.date() - Days::new(u64::from(now.weekday().num_days_from_monday()));
    assert!(
        year.iter().all(|(_, a)| a.start.date() < monday),
        "the demo's week is its own"
    );
    assert!(year.iter().all(|(_, a)| a.start.date() >= months[0].first));
    assert_eq!(months[0].first, months[12].first - Months::new(12));
}

#[test]
fn nothing_in_the_year_clashes_nor_falls_outside_a_providers_hours() {
    let now = at("2026-11-25T10:00");
    let clinic = demo("2026-11-25T10:00", 9);
    let directory = clinic.directory();
    let year = year(&directory, now.date(), "Reception tablet");
    for site in [SiteId::main(), crate::practice::hillside()] {
        for month in Period::last(Span::Month, now.date(), 13) {
            let list: Vec<_> = year
                .iter()
                .filter(|(s, a)| s == &site && month.contains(a.start.date()))
                .map(|(_, a)| a.clone())
                .collect();
            let clashes = find_clashes(&list, &directory, &site);
            assert!(
                clashes.is_empty(),
                "{} {}: {clashes:?}",
                site.as_str(),
                month.label()
            );
        }
    }
}

#[test]
fn two_devices_adding_the_year_on_different_days_write_the_same_appointments() {
    // The phone adds it on Thursday 3 December, the tablet on Wednesday 16th: the phone
    // leaves out its week (from Monday 30 November), the tablet nothing of November.
    let clinic = demo("2026-12-03T10:00", 4);
    let directory = clinic.directory();
    let phone = year(&directory, at("2026-12-03T10:00").date(), "Manager phone");
    let tablet = year(
        &directory,
        at("2026-12-16T10:00").date(),
        "Reception tablet",
    );
    assert!(phone.len() < tablet.len());
    let of = |list: &[(SiteId, model::Appointment)]| {
        list.iter()
            .map(|(site, a)| {
                (
                    a.id.clone(),
                    (site.clone(), a.patient_name.clone(), a.start),
                )
            })
            .collect::<std::collections::BTreeMap<_, _>>()
    };
    let (phone, tablet) = (of(&phone), of(&tablet));
    assert!(
        phone.iter().all(|(id, same)| tablet.get(id) == Some(same)),
        "every appointment the phone wrote, the tablet wrote under the same id"
    );
    let ids: std::collections::BTreeSet<_> = tablet.keys().collect();
    assert_eq!(ids.len(), tablet.len(), "no id twice");
    assert!(ids
        .iter()
        .all(|id| uuid::Uuid::parse_str(id.as_str()).is_ok()));
}
