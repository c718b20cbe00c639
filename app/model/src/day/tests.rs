use chrono::{NaiveDate, TimeDelta};

use super::fixture::{appointment, at, site, through};
use super::*;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a date")
}

/// Four patients, each with one appointment, oldest first.
fn patients() -> Vec<Appointment> {
    let mut alex = appointment("Alex Sample", "2026-11-23T09:00");
    alex.phone = Some("+44 20 7946 0001".into());
    alex.dob = Some(date(1980, 4, 30));
    let mut kim = appointment("Kim Example", "2026-11-23T10:00");
    kim.phone = Some("(0161) 496-0000".into());
    kim.dob = Some(date(1975, 1, 2));
    let sam = appointment("Sam Alexander", "2026-11-23T11:00");
    let mary = appointment("Mary-Jane O'Test", "2026-11-23T12:00");
    vec![alex, kim, sam, mary]
}

#[test]
fn search_matches_name_phone_and_birth_date() {
    let patients = patients();
    let check = |query: &str, expected: &[&str]| {
        let found: Vec<&str> = search(&patients, query)
            .into_iter()
            .map(|a| a.patient_name.as_str())
            .collect();
        assert_eq!(found, expected, "query {query:?}");
    };
    // Too short to say anything.
    check("", &[]);
    check("  ", &[]);
    check("a", &[]);
    check(" k ", &[]);
    // Names: every query word begins some word of the name, in any order and case.
    check("sam al", &["Sam Alexander", "Alex Sample"]);
    check("SAMPLE", &["Alex Sample"]);
    check("kim ex", &["Kim Example"]);
    check("ex kim", &["Kim Example"]);
    check("ample", &[]);
    check("alex kim", &[]);
    check("jane", &["Mary-Jane O'Test"]);
    check("o'test", &["Mary-Jane O'Test"]);
    check("--", &[]);
    // Phones: digits only, at least three, anywhere in the number.
    check("7946", &["Alex Sample"]);
    check("020 7946", &[]);
    check("20 7946 0001", &["Alex Sample"]);
    check("0161 496", &["Kim Example"]);
    check("(0161)", &["Kim Example"]);
    check("000", &["Kim Example", "Alex Sample"]);
    check("01", &[]);
    check("0161 x", &[]);
    // Dates of birth, in three forms.
    check("1980-04-30", &["Alex Sample"]);
    check("30/04/1980", &["Alex Sample"]);
    check("30.4.1980", &["Alex Sample"]);
    check("2.1.1975", &["Kim Example"]);
    check("02/01/1975", &["Kim Example"]);
    check("1975-02-01", &[]);
    check("31/02/1980", &[]);
}

#[test]
fn search_lists_the_newest_fifty() {
    let first = at("2026-01-01T09:00");
    let visits: Vec<Appointment> = (0..60)
        .map(|day| {
            let start = first + TimeDelta::days(day);
            appointment("Alex Sample", &start.format("%Y-%m-%dT%H:%M").to_string())
        })
        .collect();
    let found = search(visits.iter().rev(), "alex");
    assert_eq!(found.len(), MAX_RESULTS);
    assert_eq!(found[0].start, first + TimeDelta::days(59));
    assert_eq!(found[49].start, first + TimeDelta::days(10));
    assert!(found.windows(2).all(|w| w[0].start > w[1].start));
}

#[test]
fn search_orders_one_time_by_name() {
    let a = appointment("Alex Sample", "2026-11-23T09:00");
    let b = appointment("Alex Example", "2026-11-23T09:00");
    let found = search([&a, &b], "alex");
    assert_eq!(found[0].patient_name, "Alex Example");
    assert_eq!(found[1].patient_name, "Alex Sample");
}

const NOW: &str = "2026-11-23T10:00";
const THRESHOLD: i64 = 20;

fn counts(day: &[Appointment]) -> DayCounts {
    day_counts(day, at(NOW), THRESHOLD)
}

fn waiting_since(name: &str, arrived: &str) -> Appointment {
    through(
        appointment(name, "2026-11-23T09:30"),
        &[(Status::Arrived, arrived)],
    )
}

#[test]
fn counts_each_status_once() {
    // Steps of one appointment at 09:30, and what it adds to the day's figures.
    let check = |steps: &[(Status, &str)], expected: DayCounts| {
        let a = through(appointment("Alex Sample", "2026-11-23T09:30"), steps);
        assert_eq!(counts(std::slice::from_ref(&a)), expected, "{steps:?}");
    };
    let none = DayCounts::default();
    let arrive = (Status::Arrived, "2026-11-23T09:25");
    let send_in = (Status::InRoom, "2026-11-23T09:35");
    check(&[], DayCounts { booked: 1, ..none });
    let confirm = (Status::Confirmed, "2026-11-22T15:00");
    check(&[confirm], DayCounts { booked: 1, ..none });
    let waiting = DayCounts {
        arrived: 1,
        waiting: 1,
        waiting_long: 1,
        ..none
    };
    check(&[confirm, arrive], waiting);
    let in_room = DayCounts {
        arrived: 1,
        in_room: 1,
        ..none
    };
    check(&[arrive, send_in], in_room);
    let done = DayCounts {
        arrived: 1,
        done: 1,
        ..none
    };
    check(
        &[arrive, send_in, (Status::Fulfilled, "2026-11-23T09:55")],
        done,
    );
    check(
        &[(Status::NoShow, "2026-11-23T09:40")],
        DayCounts { no_show: 1, ..none },
    );
    let cancel = (Status::Cancelled, "2026-11-22T08:00");
    check(
        &[cancel],
        DayCounts {
            cancelled: 1,
            ..none
        },
    );
    // Mistaken bookings and waitlist entries were never part of the day.
    check(&[(Status::EnteredInError, "2026-11-22T08:00")], none);
    check(&[(Status::Waitlist, "2026-11-22T08:00")], none);
}

#[test]
fn checked_out_counts_as_arrived_only_after_a_check_in() {
    let skipped = through(
        appointment("Kim Example", "2026-11-23T09:00"),
        &[(Status::Fulfilled, "2026-11-23T09:30")],
    );
    let expected = DayCounts {
        done: 1,
        ..DayCounts::default()
    };
    assert_eq!(counts(&[skipped]), expected);
}

#[test]
fn waiting_long_is_beyond_the_threshold() {
    let check = |arrived: &str, long: usize| {
        let c = counts(&[waiting_since("Alex Sample", arrived)]);
        assert_eq!((c.waiting, c.waiting_long), (1, long), "arrived {arrived}");
    };
    check("2026-11-23T09:59", 0);
    check("2026-11-23T09:40", 0);
    check("2026-11-23T09:39", 1);
    check("2026-11-23T08:00", 1);
    // A check-in stamped after `now` (another device's clock ahead) waits no time.
    check("2026-11-23T10:05", 0);
}

/// Two to come, two waiting (one long), one done after a check-in, one no-show.
fn busy_day() -> Vec<Appointment> {
    vec![
        appointment("Alex Sample", "2026-11-23T11:00"),
        appointment("Kim Example", "2026-11-23T11:20"),
        waiting_since("Sam Test", "2026-11-23T09:50"),
        waiting_since("Robin Example", "2026-11-23T09:10"),
        through(
            appointment("Jo Sample", "2026-11-23T08:30"),
            &[
                (Status::Arrived, "2026-11-23T08:25"),
                (Status::Fulfilled, "2026-11-23T08:55"),
            ],
        ),
        through(
            appointment("Lee Example", "2026-11-23T08:00"),
            &[(Status::NoShow, "2026-11-23T08:20")],
        ),
    ]
}

#[test]
fn counts_a_whole_day() {
    let day = busy_day();
    let expected = DayCounts {
        booked: 2,
        arrived: 3,
        waiting: 2,
        waiting_long: 1,
        in_room: 0,
        done: 1,
        no_show: 1,
        cancelled: 0,
    };
    assert_eq!(counts(&day), expected);
}

#[test]
fn site_summary_names_its_site() {
    let day = [
        appointment("Alex Sample", "2026-11-23T11:00"),
        waiting_since("Kim Example", "2026-11-23T09:00"),
    ];
    let summary = SiteSummary::new(&site(), &day, 2, at(NOW), THRESHOLD);
    assert_eq!(
        summary,
        SiteSummary {
            site: SiteId::main(),
            name: "Main Street".into(),
            counts: counts(&day),
            conflicts: 2,
        }
    );
    assert_eq!(summary.counts.waiting_long, 1);
}

/// The figures Today and the Sites page show agree with each other: booked, waiting, in
/// room, done and no-show split the day's appointments (each counted once), and "checked
/// in today" is every check-in of them, those since checked out included.
#[test]
fn the_flow_figures_split_the_day_and_check_ins_include_the_finished() {
    let mut day = busy_day();
    day.push(through(
        appointment("Ida Room", "2026-11-23T09:00"),
        &[
            (Status::Arrived, "2026-11-23T08:55"),
            (Status::InRoom, "2026-11-23T09:05"),
        ],
    ));
    day.push(through(
        appointment("Cy Cancelled", "2026-11-23T12:00"),
        &[(Status::Cancelled, "2026-11-22T08:00")],
    ));
    let c = counts(&day);
    let on_the_day = day.iter().filter(|a| a.status != Status::Cancelled).count();
    assert_eq!(
        c.booked + c.waiting + c.in_room + c.done + c.no_show,
        on_the_day
    );
    assert_eq!(c.arrived, c.waiting + c.in_room + c.done);
    assert_eq!((c.arrived, c.done, c.waiting, c.in_room), (4, 1, 2, 1));
}
