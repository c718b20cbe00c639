use automerge::ActorId;
use proptest::prelude::*;
use protocol::DocId;

use super::*;
use crate::appointment::{parse_local_datetime, ValidBooking};
use crate::directory::{time, PALETTE};
use crate::schedule::{self, Schedule, Who};
use crate::{Document, Room, RoomId, Status, WeekHours};

use ClashKind::{OutsideHours, Provider as Doubled, Room as RoomTwice};

fn at(text: &str) -> NaiveDateTime {
    parse_local_datetime(text).expect("valid test time")
}

fn who(device: &str) -> Who {
    Who {
        device: device.into(),
        staff: None,
    }
}

/// Dr. A and Dr. B work at the main site, 08:00 to 17:00 on weekdays; Dr. N only at the
/// north site. Room 1 and Room 2 are at the main site.
fn directory() -> Directory {
    let north = SiteId::new("north").expect("valid");
    let provider = |id: &str, name: &str, site: &SiteId| Provider {
        name: name.into(),
        sites: vec![site.clone()],
        hours: WeekHours::weekdays(time(8, 0), time(17, 0)),
        id: ProviderId::from(id),
        colour: PALETTE[1].into(),
        specialty: "General practice".into(),
    };
    let room = |id: &str, name: &str| Room {
        id: RoomId::from(id),
        name: name.into(),
        site: SiteId::main(),
    };
    Directory {
        providers: vec![
            provider("dr-a", "Dr. A", &SiteId::main()),
            provider("dr-b", "Dr. B", &SiteId::main()),
            provider("dr-n", "Dr. N", &north),
        ],
        rooms: vec![room("r1", "Room 1"), room("r2", "Room 2")],
        ..Directory::default()
    }
}

/// A booking with a readable id; its patient is "Patient <id>".
fn appt(id: &str, provider: &str, start: &str, minutes: u32) -> Appointment {
    let booking = ValidBooking::new(
        &format!("Patient {id}"),
        ProviderId::from(provider),
        at(start),
        minutes,
    );
    let made = at("2026-11-01T08:00");
    let mut a = schedule::new_appointment(&booking, booking.start, None, &who("Desk"), made);
    a.id = AppointmentId::from(id);
    a
}

fn in_room(mut a: Appointment, room: &str) -> Appointment {
    a.room = Some(RoomId::from(room));
    a
}

fn with_status(mut a: Appointment, status: Status) -> Appointment {
    a.status = status;
    a
}

fn keeping(mut a: Appointment, kept: &[&str]) -> Appointment {
    a.accepted_clashes = kept.iter().map(ToString::to_string).collect();
    a
}

fn clash(kind: ClashKind, first: &str, second: Option<&str>) -> Clash {
    Clash {
        kind,
        first: AppointmentId::from(first),
        second: second.map(AppointmentId::from),
    }
}

/// Checks the clashes found at the main site, in order.
fn check(appointments: &[Appointment], expected: &[(ClashKind, &str, Option<&str>)]) {
    let found = find_clashes(appointments, &directory(), &SiteId::main());
    let expected: Vec<Clash> = expected
        .iter()
        .map(|&(kind, first, second)| clash(kind, first, second))
        .collect();
    assert_eq!(found, expected);
}

// 2026-11-23 is a Monday; 2026-11-28 a Saturday.

#[test]
fn overlapping_bookings_clash_and_touching_ones_do_not() {
    check(
        &[
            appt("a1", "dr-a", "2026-11-23T10:00", 30),
            appt("a2", "dr-a", "2026-11-23T10:15", 30),
        ],
        &[(Doubled, "a1", Some("a2"))],
    );
    check(
        &[
            appt("a1", "dr-a", "2026-11-23T10:00", 30),
            appt("a2", "dr-a", "2026-11-23T10:30", 30),
        ],
        &[],
    );
    // Two providers at one time is the normal day.
    check(
        &[
            appt("a1", "dr-a", "2026-11-23T10:00", 30),
            appt("b1", "dr-b", "2026-11-23T10:00", 30),
        ],
        &[],
    );
    // On the same start the smaller id comes first, whatever the input order.
    check(
        &[
            appt("z9", "dr-a", "2026-11-23T10:00", 20),
            appt("k5", "dr-a", "2026-11-23T10:00", 20),
        ],
        &[(Doubled, "k5", Some("z9"))],
    );
    // A long booking clashes with each one inside it, and each pair is reported once.
    check(
        &[
            appt("long", "dr-a", "2026-11-23T09:00", 120),
            appt("m1", "dr-a", "2026-11-23T09:30", 15),
            appt("m2", "dr-a", "2026-11-23T10:30", 15),
        ],
        &[(Doubled, "long", Some("m1")), (Doubled, "long", Some("m2"))],
    );
}

#[test]
fn a_room_clashes_across_providers() {
    check(
        &[
            in_room(appt("a1", "dr-a", "2026-11-23T10:00", 30), "r1"),
            in_room(appt("b1", "dr-b", "2026-11-23T10:10", 30), "r1"),
            in_room(appt("b2", "dr-b", "2026-11-23T11:00", 30), "r1"),
            in_room(appt("a2", "dr-a", "2026-11-23T11:00", 30), "r2"),
        ],
        &[(RoomTwice, "a1", Some("b1"))],
    );
    // One provider twice in one room is both clashes; the provider's comes first.
    check(
        &[
            in_room(appt("a1", "dr-a", "2026-11-23T10:00", 30), "r1"),
            in_room(appt("a2", "dr-a", "2026-11-23T10:00", 30), "r1"),
        ],
        &[(Doubled, "a1", Some("a2")), (RoomTwice, "a1", Some("a2"))],
    );
}

#[test]
fn only_bookings_that_hold_their_slot_count() {
    for status in Status::ALL {
        let appointments = [
            with_status(appt("a1", "dr-a", "2026-11-23T10:00", 30), status),
            appt("a2", "dr-a", "2026-11-23T10:00", 30),
            with_status(appt("a3", "dr-b", "2026-11-28T10:00", 30), status),
        ];
        let found = find_clashes(&appointments, &directory(), &SiteId::main());
        let expected: &[(ClashKind, &str, Option<&str>)] = if status.holds_slot() {
            &[(Doubled, "a1", Some("a2")), (OutsideHours, "a3", None)]
        } else {
            &[]
        };
        assert_eq!(found.len(), expected.len(), "{status:?}");
        check(&appointments, expected);
    }
}

#[test]
fn bookings_outside_hours_or_away_from_the_providers_site() {
    check(
        &[
            appt("before", "dr-a", "2026-11-23T07:30", 30),
            appt("edge", "dr-a", "2026-11-23T08:00", 30),
            appt("late", "dr-a", "2026-11-23T16:45", 30),
            appt("close", "dr-b", "2026-11-23T16:30", 30),
            appt("weekend", "dr-b", "2026-11-28T09:00", 20),
            appt("north", "dr-n", "2026-11-23T09:00", 20),
            appt("gone", "dr-removed", "2026-11-28T09:00", 20),
        ],
        &[
            (OutsideHours, "before", None),
            (OutsideHours, "north", None),
            (OutsideHours, "late", None),
            (OutsideHours, "weekend", None),
        ],
    );
    // At the north site Dr. N is at home, and Dr. A is the one away.
    let north = SiteId::new("north").expect("valid");
    let found = find_clashes(
        &[
            appt("n1", "dr-n", "2026-11-23T09:00", 20),
            appt("a1", "dr-a", "2026-11-23T09:00", 20),
        ],
        &directory(),
        &north,
    );
    assert_eq!(found, [clash(OutsideHours, "a1", None)]);
}

#[test]
fn kept_clashes_are_not_reported() {
    let a1 = || appt("a1", "dr-a", "2026-11-23T10:00", 30);
    let a2 = || appt("a2", "dr-a", "2026-11-23T10:00", 30);
    check(&[keeping(a1(), &["a2"]), a2()], &[]);
    check(&[a1(), keeping(a2(), &["a1"])], &[]);
    // Keeping one pair says nothing of a third booking at that time.
    check(
        &[
            keeping(a1(), &["a2"]),
            a2(),
            appt("a3", "dr-a", "2026-11-23T10:20", 30),
        ],
        &[(Doubled, "a1", Some("a3")), (Doubled, "a2", Some("a3"))],
    );
    let early = || appt("early", "dr-a", "2026-11-23T07:00", 30);
    check(&[keeping(early(), &[ACCEPT_HOURS])], &[]);
    // Hours kept are not a pair kept, and a pair kept is not hours kept.
    check(
        &[
            keeping(early(), &[ACCEPT_HOURS]),
            appt("e2", "dr-a", "2026-11-23T07:15", 30),
        ],
        &[(Doubled, "early", Some("e2")), (OutsideHours, "e2", None)],
    );
    check(
        &[
            keeping(early(), &["e2"]),
            appt("e2", "dr-a", "2026-11-23T07:15", 30),
        ],
        &[(OutsideHours, "early", None), (OutsideHours, "e2", None)],
    );
}

#[test]
fn an_appointment_listed_twice_does_not_clash_with_itself() {
    let a1 = appt("a1", "dr-a", "2026-11-23T10:00", 30);
    check(&[a1.clone(), in_room(a1, "r1")], &[]);
}

#[test]
fn clashes_are_ordered_by_the_first_start() {
    check(
        &[
            appt("c1", "dr-b", "2026-11-24T09:00", 30),
            appt("c2", "dr-b", "2026-11-24T09:10", 30),
            in_room(appt("b1", "dr-a", "2026-11-23T11:00", 30), "r2"),
            in_room(appt("b2", "dr-b", "2026-11-23T11:00", 30), "r2"),
            appt("a1", "dr-a", "2026-11-23T07:50", 30),
        ],
        &[
            (OutsideHours, "a1", None),
            (RoomTwice, "b1", Some("b2")),
            (Doubled, "c1", Some("c2")),
        ],
    );
}

#[test]
fn a_clash_knows_its_appointments_and_how_to_keep_it() {
    let (a1, a2, a3) = (
        AppointmentId::from("a1"),
        AppointmentId::from("a2"),
        AppointmentId::from("a3"),
    );
    let pair = clash(Doubled, "a1", Some("a2"));
    assert!(pair.involves(&a1) && pair.involves(&a2) && !pair.involves(&a3));
    assert_eq!(pair.other(&a1), Some(&a2));
    assert_eq!(pair.other(&a2), Some(&a1));
    assert_eq!(pair.other(&a3), None);
    assert_eq!(pair.acceptance_for(&a1), Some("a2"));
    assert_eq!(pair.acceptance_for(&a3), None);
    let hours = clash(OutsideHours, "a1", None);
    assert!(hours.involves(&a1) && !hours.involves(&a2));
    assert_eq!(hours.other(&a1), None);
    assert_eq!(hours.acceptance_for(&a1), Some(ACCEPT_HOURS));
    assert_eq!(hours.acceptance_for(&a2), None);
}

#[test]
fn clashes_read_as_sentences() {
    let appointments = [
        in_room(appt("a1", "dr-a", "2026-11-23T10:00", 30), "r1"),
        in_room(appt("a2", "dr-a", "2026-11-23T10:15", 30), "r1"),
        appt("early", "dr-b", "2026-11-23T07:30", 30),
        appt("sat", "dr-b", "2026-11-28T09:00", 30),
        appt("north", "dr-n", "2026-11-23T09:00", 30),
        appt("late", "dr-a", "2026-11-23T23:50", 30),
        appt("night", "dr-a", "2026-11-24T00:05", 10),
    ];
    let find = |id: &AppointmentId| appointments.iter().find(|a| &a.id == id);
    let lines: Vec<String> = find_clashes(&appointments, &directory(), &SiteId::main())
        .iter()
        .map(|c| c.describe(find, &directory(), &SiteId::main()))
        .collect();
    assert_eq!(
        lines,
        [
            "Mon 23 Nov 07:30 Patient early is outside Dr. B's hours on Monday (08:00–17:00)",
            "Mon 23 Nov 09:00 Patient north: Dr. N does not work at this site",
            "Dr. A is booked twice on Mon 23 Nov: 10:00 Patient a1 and 10:15 Patient a2",
            "Room 1 is booked twice on Mon 23 Nov: 10:00 Patient a1 and 10:15 Patient a2",
            "Mon 23 Nov 23:50 Patient late is outside Dr. A's hours on Monday (08:00–17:00)",
            "Dr. A is booked twice: Mon 23 Nov 23:50 Patient late and Tue 24 Nov 00:05 Patient night",
            "Tue 24 Nov 00:05 Patient night is outside Dr. A's hours on Tuesday (08:00–17:00)",
            "Sat 28 Nov 09:00 Patient sat: Dr. B does not work on Saturdays",
        ]
    );
    // The list may be a moment older than the appointments it names.
    let gone = clash(RoomTwice, "a1", Some("removed"));
    assert_eq!(
        gone.describe(find, &directory(), &SiteId::main()),
        "Room 1 is booked twice on Mon 23 Nov: 10:00 Patient a1 and a removed appointment"
    );
    assert_eq!(
        clash(Doubled, "x", Some("y")).describe(find, &directory(), &SiteId::main()),
        "A provider is booked twice: a removed appointment and a removed appointment"
    );
}

fn new_month() -> Document {
    let id = DocId::new("schedule/main/2026-11").expect("valid");
    Document::new(&id, &ActorId::random()).expect("known kind")
}

fn clashes_on(desk: &Document) -> Vec<Clash> {
    let schedule = Schedule::read(desk.automerge()).expect("reads");
    find_clashes(&schedule.appointments, &directory(), &SiteId::main())
}

/// Books Dr. A at 10:00 on one desk's copy and returns the id and the bundle.
fn book_ten_oclock(desk: &mut Document, patient: &str, device: &str) -> (AppointmentId, Vec<u8>) {
    let booking = ValidBooking::new(
        patient,
        ProviderId::from("dr-a"),
        at("2026-11-23T10:00"),
        30,
    );
    let now = at("2026-11-20T09:00");
    let (id, bundle) = desk
        .change(|d| schedule::book(d, &booking, &who(device), now))
        .expect("books");
    (id, bundle.expect("a booking changes the document"))
}

#[test]
fn a_double_booking_made_offline_shows_on_both_desks_once_they_sync() {
    let mut desk_a = new_month();
    let mut desk_b = new_month();
    let (lee, from_a) = book_ten_oclock(&mut desk_a, "Lee Sample", "Desk A");
    let (kim, from_b) = book_ten_oclock(&mut desk_b, "Kim Example", "Desk B");
    assert!(clashes_on(&desk_a).is_empty());
    assert!(clashes_on(&desk_b).is_empty());

    desk_a.apply(&from_b).expect("applies");
    desk_b.apply(&from_a).expect("applies");
    let merged = clashes_on(&desk_a);
    assert_eq!(merged, clashes_on(&desk_b));
    assert_eq!(merged.len(), 1);
    assert_eq!(merged[0].kind, Doubled);
    assert!(merged[0].involves(&lee) && merged[0].involves(&kim));
    let schedule = Schedule::read(desk_b.automerge()).expect("reads");
    let line = merged[0].describe(|id| schedule.find(id), &directory(), &SiteId::main());
    assert!(line.starts_with("Dr. A is booked twice on "), "{line}");
    assert!(line.contains(": 10:00 "), "{line}");
    assert!(
        line.contains("Lee Sample") && line.contains("Kim Example"),
        "{line}"
    );

    // Desk B keeps the clash; once desk A has that change, neither shows it.
    let other = merged[0].acceptance_for(&kim).expect("kim is part of it");
    let (_, kept) = desk_b
        .change(|d| {
            schedule::accept_clash(
                d,
                &kim,
                other,
                "both are quick",
                &who("Desk B"),
                at("2026-11-20T09:30"),
            )
        })
        .expect("keeps");
    assert!(clashes_on(&desk_b).is_empty());
    assert_eq!(clashes_on(&desk_a).len(), 1);
    desk_a.apply(&kept.expect("changed")).expect("applies");
    assert!(clashes_on(&desk_a).is_empty());
}

/// Every pair compared with every other: the meaning [`find_clashes`] must keep.
fn naive(appointments: &[Appointment], directory: &Directory, site: &SiteId) -> Vec<Clash> {
    let mut found = Vec::new();
    let holding: Vec<_> = appointments
        .iter()
        .filter(|a| a.status.holds_slot())
        .collect();
    for (i, a) in holding.iter().enumerate() {
        for b in &holding[i + 1..] {
            if a.id == b.id || !a.overlaps(b) || either_accepted(a, b) {
                continue;
            }
            let (first, second) = if (a.start, &a.id) <= (b.start, &b.id) {
                (a, b)
            } else {
                (b, a)
            };
            if a.provider == b.provider {
                found.push(pair(Doubled, first, second));
            }
            if a.room.is_some() && a.room == b.room {
                found.push(pair(RoomTwice, first, second));
            }
        }
        let outside = directory
            .provider(&a.provider)
            .is_some_and(|p| !p.works_at(site) || !p.hours.covers(a.start, a.end()));
        if outside && !accepted(a, ACCEPT_HOURS) {
            found.push(solo(a, OutsideHours));
        }
    }
    let start = |id: &AppointmentId| appointments.iter().find(|a| &a.id == id).map(|a| a.start);
    found.sort_by(|a, b| {
        (start(&a.first), &a.first, &a.second, a.kind).cmp(&(
            start(&b.first),
            &b.first,
            &b.second,
            b.kind,
        ))
    });
    found
}

prop_compose! {
    /// A small random booking: few providers and rooms, a start in one of two busy hours
    /// (one across opening, one before closing) on a Friday or a Saturday, a duration of
    /// up to an hour including zero, any status.
    fn random_appointment()(
        provider in 0..4usize,
        room in 0..3usize,
        saturday in any::<bool>(),
        evening in any::<bool>(),
        step in 0..12u32,
        length in 0..13u32,
        status in 0..Status::ALL.len(),
        kept in prop::collection::vec(0..20usize, 0..3),
    ) -> (Appointment, Vec<usize>) {
        let provider = ["dr-a", "dr-b", "dr-n", "dr-removed"][provider];
        let day = if saturday { "2026-11-28" } else { "2026-11-27" };
        let base = if evening { "16:00" } else { "07:30" };
        let mut a = appt("x", provider, &format!("{day}T{base}"), length * 5);
        a.start += chrono::TimeDelta::minutes(i64::from(step) * 5);
        a.status = Status::ALL[status];
        a.room = [None, Some(RoomId::from("r1")), Some(RoomId::from("r2"))][room].clone();
        (a, kept)
    }
}

proptest! {
    #[test]
    fn the_sweep_finds_what_comparing_every_pair_finds(
        drawn in prop::collection::vec(random_appointment(), 0..16),
    ) {
        let count = drawn.len();
        let appointments: Vec<Appointment> = drawn
            .into_iter()
            .enumerate()
            .map(|(i, (mut a, kept))| {
                a.id = AppointmentId::from(format!("a{i:02}"));
                // An index past the others stands for kept hours.
                a.accepted_clashes = kept
                    .into_iter()
                    .map(|k| match k % (count + 1) {
                        k if k == count => ACCEPT_HOURS.to_string(),
                        k => format!("a{k:02}"),
                    })
                    .collect();
                a
            })
            .collect();
        let directory = directory();
        prop_assert_eq!(
            find_clashes(&appointments, &directory, &SiteId::main()),
            naive(&appointments, &directory, &SiteId::main())
        );
    }
}
