//! Days off as clashes and as gaps in the diary: the calendar's closures, a provider's
//! time off, and both learned after a merge.

use automerge::ActorId;
use chrono::{NaiveDate, NaiveDateTime};

use super::*;
use crate::appointment::{parse_local_datetime, ValidBooking};
use crate::clash::{find_clashes, Clash, ClashKind, ACCEPT_AWAY, ACCEPT_CLOSED};
use crate::closure::{put_closure, remove_closure, Closure, ClosureId};
use crate::directory::put_staff;
use crate::directory::{put_provider, put_site, time};
use crate::schedule::{self, Schedule, Who};
use crate::slots::next_free_slot;
use crate::staff::time_off::{decide, put_time_off, AbsenceKind, TimeOffId};
use crate::{
    Appointment, AppointmentId, DocKind, Document, Provider, Site, StaffId, StaffMember, Status,
    WeekHours,
};

// 2026-12-07 is a Monday.

fn at(text: &str) -> NaiveDateTime {
    parse_local_datetime(text).expect("valid test time")
}

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("valid test day")
}

fn north() -> SiteId {
    SiteId::new("north").expect("valid")
}

fn who(device: &str) -> Who {
    Who {
        device: device.into(),
        staff: None,
    }
}

/// Dr. A (Ada Sample on the staff list) works at both sites on weekdays, 08:00–17:00.
fn provider() -> Provider {
    Provider {
        id: ProviderId::from("dr-a"),
        name: "Dr. A".into(),
        specialty: String::new(),
        colour: "#8ecae6".into(),
        sites: vec![SiteId::main(), north()],
        hours: WeekHours::weekdays(time(8, 0), time(17, 0)),
    }
}

fn site(id: SiteId, name: &str) -> Site {
    Site {
        id,
        name: name.into(),
        hours: WeekHours::weekdays(time(7, 30), time(18, 0)),
    }
}

fn ada() -> StaffMember {
    StaffMember {
        id: StaffId::from("ada"),
        provider: Some(ProviderId::from("dr-a")),
        ..StaffMember::new("Ada Sample", "Provider")
    }
}

fn leave(id: &str, from: &str, to: &str, status: Decision) -> TimeOff {
    TimeOff {
        id: TimeOffId::from(id),
        staff: StaffId::from("ada"),
        kind: AbsenceKind::Vacation,
        from: day(from),
        to: day(to),
        note: String::new(),
        status,
        disputed: Vec::new(),
        requested_by: "Ada Sample".into(),
        decided_by: String::new(),
    }
}

fn closure(id: &str, name: &str, site: Option<SiteId>, from: &str, to: &str) -> Closure {
    Closure {
        id: ClosureId::from(id),
        name: name.into(),
        site,
        from: day(from),
        to: day(to),
    }
}

fn directory(time_off: Vec<TimeOff>, closures: Vec<Closure>) -> Directory {
    Directory {
        sites: vec![site(SiteId::main(), "Main Street"), site(north(), "North")],
        providers: vec![provider()],
        staff: vec![ada()],
        time_off,
        closures,
        ..Directory::default()
    }
}

fn appt(id: &str, start: &str, minutes: u32) -> Appointment {
    let booking = ValidBooking::new(
        &format!("Patient {id}"),
        ProviderId::from("dr-a"),
        at(start),
        minutes,
    );
    let mut a = schedule::new_appointment(&booking, booking.start, None, &who("Desk"), at(start));
    a.id = AppointmentId::from(id);
    a
}

fn solo(kind: ClashKind, id: &str) -> Clash {
    Clash {
        kind,
        first: AppointmentId::from(id),
        second: None,
    }
}

#[test]
fn only_approved_time_off_of_the_providers_own_staff_record_keeps_them_away() {
    let mut disputed = leave("d", "2026-12-14", "2026-12-14", Decision::Denied);
    disputed.disputed = vec![Decision::Denied, Decision::Approved];
    let d = directory(
        vec![
            leave("v", "2026-12-08", "2026-12-09", Decision::Approved),
            leave("r", "2026-12-10", "2026-12-10", Decision::Requested),
            leave("n", "2026-12-11", "2026-12-11", Decision::Denied),
            disputed,
        ],
        Vec::new(),
    );
    let dr_a = ProviderId::from("dr-a");
    let on = |text| d.leave_on(&dr_a, day(text)).map(|t| t.id.to_string());
    assert_eq!(on("2026-12-07"), None);
    assert_eq!(on("2026-12-08").as_deref(), Some("v"));
    assert_eq!(on("2026-12-09").as_deref(), Some("v"));
    assert_eq!(on("2026-12-10"), None, "still waiting for a decision");
    assert_eq!(on("2026-12-11"), None, "denied");
    assert_eq!(
        on("2026-12-14").as_deref(),
        Some("d"),
        "one manager approved"
    );
    // A provider with no staff record linked is never away by anyone's time off.
    assert_eq!(
        d.leave_on(&ProviderId::from("dr-b"), day("2026-12-08")),
        None
    );
}

#[test]
fn a_closure_closes_its_site_and_a_holiday_every_site() {
    let d = directory(
        Vec::new(),
        vec![
            closure(
                "move",
                "Moving day",
                Some(north()),
                "2026-12-08",
                "2026-12-09",
            ),
            closure("xmas", "Christmas Day", None, "2026-12-25", "2026-12-25"),
        ],
    );
    let main = SiteId::main();
    assert!(d.closure_on(&main, day("2026-12-08")).is_none());
    assert_eq!(
        d.closure_on(&north(), day("2026-12-09"))
            .map(|c| c.name.as_str()),
        Some("Moving day")
    );
    assert!(d.closure_on(&north(), day("2026-12-10")).is_none());
    for site in [&main, &north()] {
        assert!(d.closure_on(site, day("2026-12-25")).is_some());
    }
}

#[test]
fn bookings_on_a_closed_day_or_with_the_provider_away_are_clashes() {
    let d = directory(
        vec![leave("v", "2026-12-08", "2026-12-09", Decision::Approved)],
        vec![closure(
            "training",
            "Staff training",
            Some(SiteId::main()),
            "2026-12-09",
            "2026-12-09",
        )],
    );
    let mut cancelled = appt("cancelled", "2026-12-08T11:00", 30);
    cancelled.status = Status::Cancelled;
    let appointments = [
        appt("monday", "2026-12-07T10:00", 30),
        appt("tuesday", "2026-12-08T10:00", 30),
        appt("wednesday", "2026-12-09T10:00", 30),
        // Runs past midnight into the day away.
        appt("late", "2026-12-07T23:30", 60),
        cancelled,
    ];
    let found = find_clashes(&appointments, &d, &SiteId::main());
    // Monday's late booking runs past midnight into the day away, so counts: its own
    // hours clash as well, being outside Dr. A's hours.
    let kinds: Vec<(ClashKind, String)> = found
        .iter()
        .map(|c| (c.kind, c.first.to_string()))
        .collect();
    assert_eq!(
        kinds,
        [
            (ClashKind::OutsideHours, "late".to_string()),
            (ClashKind::Away, "late".to_string()),
            (ClashKind::Away, "tuesday".to_string()),
            // Closed, and not also for Dr. A's leave that day.
            (ClashKind::Closed, "wednesday".to_string()),
        ]
    );
    // At the north site nothing is closed on Wednesday, but Dr. A is still away.
    let north_found = find_clashes(&appointments[2..3], &d, &north());
    assert_eq!(north_found, [solo(ClashKind::Away, "wednesday")]);
}

#[test]
fn a_kept_day_off_clash_is_kept_and_reads_as_a_sentence() {
    let d = directory(
        vec![leave("v", "2026-12-08", "2026-12-09", Decision::Approved)],
        vec![closure(
            "xmas",
            "Christmas Day",
            None,
            "2026-12-25",
            "2026-12-25",
        )],
    );
    let tuesday = appt("tuesday", "2026-12-08T10:00", 30);
    let christmas = appt("christmas", "2026-12-25T10:00", 30);
    let all = [tuesday.clone(), christmas.clone()];
    let found = find_clashes(&all, &d, &SiteId::main());
    let find = |id: &AppointmentId| all.iter().find(|a| &a.id == id);
    let lines: Vec<String> = found
        .iter()
        .map(|c| c.describe(find, &d, &SiteId::main()))
        .collect();
    assert_eq!(
        lines,
        [
            "Tue 8 Dec 10:00 Patient tuesday is with Dr. A, who is away (vacation, Tue 8 Dec – Wed 9 Dec)",
            "Fri 25 Dec 10:00 Patient christmas: Main Street is closed (Christmas Day, Fri 25 Dec)",
        ]
    );
    assert_eq!(found[0].acceptance_for(&tuesday.id), Some(ACCEPT_AWAY));
    assert_eq!(found[1].acceptance_for(&christmas.id), Some(ACCEPT_CLOSED));
    assert_eq!(found[1].acceptance_for(&tuesday.id), None);

    let mut kept_tuesday = tuesday;
    kept_tuesday.accepted_clashes = vec![ACCEPT_AWAY.into()];
    let mut kept_christmas = christmas;
    // Keeping it for the wrong reason keeps nothing.
    kept_christmas.accepted_clashes = vec![ACCEPT_AWAY.into()];
    let found = find_clashes(&[kept_tuesday, kept_christmas.clone()], &d, &SiteId::main());
    assert_eq!(found, [solo(ClashKind::Closed, "christmas")]);
    kept_christmas.accepted_clashes = vec![ACCEPT_CLOSED.into()];
    assert!(find_clashes(&[kept_christmas], &d, &SiteId::main()).is_empty());
}

#[test]
fn the_booking_form_is_told_why_before_booking() {
    let d = directory(
        vec![leave("v", "2026-12-08", "2026-12-09", Decision::Approved)],
        vec![closure(
            "xmas",
            "Christmas Day",
            None,
            "2026-12-25",
            "2026-12-25",
        )],
    );
    let (dr_a, main) = (ProviderId::from("dr-a"), SiteId::main());
    let warning = |start: &str, end: &str| {
        d.away(&dr_a, &main, at(start), at(end))
            .map(|a| a.warning(&d, &dr_a, &main))
    };
    assert_eq!(
        warning("2026-12-08T10:00", "2026-12-08T10:30").as_deref(),
        Some("Dr. A is away then (vacation, Tue 8 Dec – Wed 9 Dec).")
    );
    assert_eq!(
        warning("2026-12-25T10:00", "2026-12-25T10:30").as_deref(),
        Some("Main Street is closed then (Christmas Day, Fri 25 Dec).")
    );
    assert_eq!(warning("2026-12-07T10:00", "2026-12-07T10:30"), None);
    // Ending at midnight does not touch the next day.
    assert_eq!(warning("2026-12-07T23:30", "2026-12-08T00:00"), None);
    assert!(warning("2026-12-07T23:30", "2026-12-08T00:05").is_some());
}

#[test]
fn a_day_off_removed_since_reads_as_past() {
    let d = directory(Vec::new(), Vec::new());
    let a = appt("tuesday", "2026-12-08T10:00", 30);
    let line = solo(ClashKind::Away, "tuesday").describe(|_| Some(&a), &d, &SiteId::main());
    assert_eq!(
        line,
        "Tue 8 Dec 10:00 Patient tuesday is with Dr. A, who was away"
    );
    let line = solo(ClashKind::Closed, "tuesday").describe(|_| Some(&a), &d, &SiteId::main());
    assert_eq!(
        line,
        "Tue 8 Dec 10:00 Patient tuesday is on a day the site was closed"
    );
}

#[test]
fn the_next_free_slot_skips_closed_days_and_days_away() {
    let d = directory(
        vec![leave("v", "2026-12-08", "2026-12-08", Decision::Approved)],
        vec![closure(
            "training",
            "Staff training",
            Some(SiteId::main()),
            "2026-12-09",
            "2026-12-09",
        )],
    );
    let main = site(SiteId::main(), "Main Street");
    let off = DaysOff::of(&d, &ProviderId::from("dr-a"), &main.id);
    let full_monday = [appt("monday", "2026-12-07T08:00", 540)];
    let next = |off: &DaysOff| {
        next_free_slot(
            &full_monday,
            &provider(),
            &main,
            off,
            30,
            at("2026-12-07T07:00"),
            7,
        )
    };
    assert_eq!(next(&DaysOff::none()), Some(at("2026-12-08T08:00")));
    // Tuesday Dr. A is away, Wednesday the site is closed.
    assert_eq!(next(&off), Some(at("2026-12-10T08:00")));
    // At the north site only Dr. A's own day away counts.
    let off_north = DaysOff::of(&d, &ProviderId::from("dr-a"), &north());
    assert_eq!(next(&off_north), Some(at("2026-12-09T08:00")));
}

fn new_doc(id: protocol::DocId) -> Document {
    Document::new(&id, &ActorId::random()).expect("known kind")
}

fn clashes(directory: &Document, month: &Document) -> Vec<Clash> {
    let d = Directory::read(directory.automerge()).expect("reads");
    let schedule = Schedule::read(month.automerge()).expect("reads");
    find_clashes(&schedule.appointments, &d, &SiteId::main())
}

#[test]
fn time_off_and_a_closure_decided_offline_clash_with_bookings_once_merged() {
    let month_id = protocol::DocId::new("schedule/main/2026-12").expect("valid");
    let directory_id = DocKind::Directory.doc_id();
    // Both devices start from the same directory: the site, Dr. A and Ada's request.
    let mut setup = new_doc(directory_id.clone());
    let (_, base) = setup
        .change(|d| -> Result<(), crate::DocumentError> {
            put_site(d, &site(SiteId::main(), "Main Street"))?;
            put_provider(d, &provider())?;
            put_staff(d, &ada())?;
            put_time_off(
                d,
                &leave("v", "2026-12-08", "2026-12-09", Decision::Requested),
            )
        })
        .expect("sets up");
    let base = base.expect("a change");
    let (mut desk_dir, mut manager_dir) = (new_doc(directory_id.clone()), new_doc(directory_id));
    desk_dir.apply(&base).expect("applies");
    manager_dir.apply(&base).expect("applies");
    let (mut desk_month, mut manager_month) = (new_doc(month_id.clone()), new_doc(month_id));

    // Offline, the desk books Dr. A on Tuesday and on Thursday; the manager approves
    // Ada's leave and closes the site on Thursday.
    let book = |month: &mut Document, start: &str| {
        let booking = ValidBooking::new("Lee Sample", ProviderId::from("dr-a"), at(start), 30);
        let (id, bundle) = month
            .change(|d| schedule::book(d, &booking, &who("Desk"), at("2026-12-04T09:00")))
            .expect("books");
        (id, bundle.expect("a change"))
    };
    let (tuesday, booked_tuesday) = book(&mut desk_month, "2026-12-08T10:00");
    let (thursday, booked_thursday) = book(&mut desk_month, "2026-12-10T10:00");
    let (_, decided) = manager_dir
        .change(|d| -> Result<(), crate::DocumentError> {
            decide(
                d,
                &TimeOffId::from("v"),
                Decision::Approved,
                "Avery Example",
            )?;
            put_closure(
                d,
                &closure(
                    "snow",
                    "Closed for snow",
                    Some(SiteId::main()),
                    "2026-12-10",
                    "2026-12-10",
                ),
            )
        })
        .expect("decides");
    let decided = decided.expect("a change");
    assert!(
        clashes(&desk_dir, &desk_month).is_empty(),
        "the desk knows of no day off yet"
    );
    assert!(
        clashes(&manager_dir, &manager_month).is_empty(),
        "the manager sees no booking"
    );

    // Synced both ways, both devices show the same two clashes.
    desk_dir.apply(&decided).expect("applies");
    manager_month.apply(&booked_tuesday).expect("applies");
    manager_month.apply(&booked_thursday).expect("applies");
    let on_desk = clashes(&desk_dir, &desk_month);
    assert_eq!(on_desk, clashes(&manager_dir, &manager_month));
    assert_eq!(
        on_desk,
        [
            solo(ClashKind::Away, tuesday.as_str()),
            solo(ClashKind::Closed, thursday.as_str()),
        ]
    );

    // The manager opens the site after all: Thursday's clash goes on both once synced,
    // and the bookings themselves were never touched.
    let (_, reopened) = manager_dir
        .change(|d| remove_closure(d, &ClosureId::from("snow")))
        .expect("removes");
    desk_dir
        .apply(&reopened.expect("a change"))
        .expect("applies");
    assert_eq!(
        clashes(&desk_dir, &desk_month),
        [solo(ClashKind::Away, tuesday.as_str())]
    );
    let schedule = Schedule::read(desk_month.automerge()).expect("reads");
    assert_eq!(schedule.appointments.len(), 2);
}
