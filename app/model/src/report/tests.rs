use super::*;
use crate::appointment::{format_local_datetime, StatusChange, ValidBooking};
use crate::schedule::{self, Who};
use crate::ProviderId;
use std::collections::BTreeMap;

use chrono::NaiveDate;

fn at(text: &str) -> NaiveDateTime {
    parse_local_datetime(text).expect("valid test time")
}

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("valid test day")
}

/// An appointment at `start` whose history is `steps` (status, time), the last its status.
fn visit(start: &str, steps: &[(Status, &str)]) -> Appointment {
    let booking = ValidBooking::new("Lee Sample", ProviderId::from("dr-a"), at(start), 20);
    let who = Who {
        device: "Desk".into(),
        staff: None,
    };
    let mut a =
        schedule::new_appointment(&booking, booking.start, None, &who, at("2026-11-01T09:00"));
    for &(status, when) in steps {
        a.history.push(StatusChange {
            status,
            at: format_local_datetime(at(when)),
            device: "Desk".into(),
            staff: None,
            room: None,
            note: None,
        });
        a.status = status;
    }
    a
}

/// Two weeks worked out by hand; the week before them is empty.
fn fixture() -> Vec<Appointment> {
    use Status::*;
    let mut late = visit("2026-12-03T11:00", &[(Cancelled, "2026-12-03T08:00")]);
    late.late_cancel = true;
    vec![
        // Week of 30 November: 5 booked, 3 came due, 1 no-show, 1 late cancel, 1
        // confirmed, waits of 10 and 30 minutes.
        visit(
            "2026-12-01T09:00",
            &[
                (Confirmed, "2026-11-30T15:00"),
                (Arrived, "2026-12-01T08:55"),
                (InRoom, "2026-12-01T09:05"),
                (Fulfilled, "2026-12-01T09:25"),
            ],
        ),
        visit(
            "2026-12-02T10:00",
            &[
                (Arrived, "2026-12-02T10:00"),
                (InRoom, "2026-12-02T10:30"),
                (Fulfilled, "2026-12-02T10:50"),
            ],
        ),
        visit("2026-12-02T11:00", &[(NoShow, "2026-12-02T11:20")]),
        late,
        visit("2026-12-04T11:00", &[(Cancelled, "2026-11-20T08:00")]),
        visit("2026-12-04T12:00", &[(EnteredInError, "2026-12-01T08:00")]),
        // Week of 7 December, at noon on the 8th: 3 booked, 2 came due, 1 confirmed, a
        // wait of 5 minutes; one still to come.
        visit(
            "2026-12-07T09:00",
            &[
                (Arrived, "2026-12-07T09:00"),
                (InRoom, "2026-12-07T09:05"),
                (Fulfilled, "2026-12-07T09:30"),
            ],
        ),
        visit("2026-12-09T09:00", &[]),
        visit("2026-12-08T10:00", &[(Confirmed, "2026-12-07T16:00")]),
        // Outside the weeks asked for.
        visit("2026-11-20T09:00", &[(NoShow, "2026-11-20T09:30")]),
    ]
}

#[test]
fn weeks_run_monday_to_sunday_oldest_first() {
    let weeks = Period::last(Span::Week, day("2026-12-08"), 3);
    let mondays: Vec<_> = weeks.iter().map(|w| w.first).collect();
    assert_eq!(
        mondays,
        [day("2026-11-23"), day("2026-11-30"), day("2026-12-07")]
    );
    assert_eq!(
        Period::of(Span::Week, day("2026-12-13")).first,
        day("2026-12-07")
    );
    assert_eq!(weeks[2].label(), "7 Dec");
}

#[test]
fn each_weeks_figures_are_what_was_worked_out_by_hand() {
    let weeks = Period::last(Span::Week, day("2026-12-08"), 3);
    let figures = figures(&fixture(), &weeks, at("2026-12-08T12:00"));
    // (booked, came due, no-shows, late cancels, confirmed, waits)
    let counts: Vec<_> = figures
        .iter()
        .map(|f| {
            (
                f.booked,
                f.came_due,
                f.no_shows,
                f.late_cancels,
                f.confirmed,
                f.waits.clone(),
            )
        })
        .collect();
    assert_eq!(
        counts,
        [
            (0, 0, 0, 0, 0, vec![]),
            (5, 3, 1, 1, 1, vec![10, 30]),
            (3, 2, 0, 0, 1, vec![5]),
        ]
    );
    let rates: Vec<_> = figures
        .iter()
        .map(|f| {
            (
                f.no_show_rate(),
                f.late_cancel_rate(),
                f.confirmation_rate(),
                f.median_wait(),
                f.p90_wait(),
            )
        })
        .collect();
    assert_eq!(
        rates,
        [
            (None, None, None, None, None),
            (Some(33), Some(20), Some(33), Some(10), Some(30)),
            (Some(0), Some(0), Some(50), Some(5), Some(5)),
        ]
    );
    assert_eq!(
        csv(&figures[1..2], None, Currency::default()),
        "week_from,booked,came_due,no_shows,no_show_percent,late_cancels,late_cancel_percent,confirmed_percent,wait_median_minutes,wait_p90_minutes,in_room_median_minutes,in_room_p90_minutes,supply_spend,currency\r\n2026-11-30,5,3,1,33,1,20,33,10,30,20,20,,USD\r\n"
    );
}

#[test]
fn percentiles_take_the_nearest_rank() {
    let waits: Vec<i64> = (1..=10).collect();
    assert_eq!(rank(&waits, 50), Some(5));
    assert_eq!(rank(&waits, 90), Some(9));
    assert_eq!(rank(&[7], 90), Some(7));
    assert_eq!(rank(&[], 50), None);
}

#[test]
fn months_run_from_the_first_to_the_last_day() {
    let months = Period::last(Span::Month, day("2028-03-10"), 3);
    let ends: Vec<_> = months.iter().map(|m| (m.first, m.last)).collect();
    assert_eq!(
        ends,
        [
            (day("2028-01-01"), day("2028-01-31")),
            (day("2028-02-01"), day("2028-02-29")),
            (day("2028-03-01"), day("2028-03-31")),
        ]
    );
    assert_eq!(months[1].label(), "Feb 2028");
    assert_eq!(months[1].days().count(), 29);
    assert_eq!(
        Period::of(Span::Week, day("2026-12-13")).first,
        day("2026-12-07")
    );
}

/// Each period's (booked, came due, no-shows, late cancels, confirmed, waits to the room,
/// minutes in the room).
type Row = (usize, usize, usize, usize, usize, Vec<i64>, Vec<i64>);

fn rows(figures: &[Figures]) -> Vec<Row> {
    figures
        .iter()
        .map(|f| {
            (
                f.booked,
                f.came_due,
                f.no_shows,
                f.late_cancels,
                f.confirmed,
                f.waits.clone(),
                f.in_room.clone(),
            )
        })
        .collect()
}

#[test]
fn figures_by_week_and_by_month_are_what_was_worked_out_by_hand() {
    let cases: [(Span, u32, Vec<Row>); 2] = [
        (
            Span::Week,
            3,
            vec![
                (0, 0, 0, 0, 0, vec![], vec![]),
                (5, 3, 1, 1, 1, vec![10, 30], vec![20, 20]),
                (3, 2, 0, 0, 1, vec![5], vec![25]),
            ],
        ),
        (
            Span::Month,
            2,
            vec![
                (1, 1, 1, 0, 0, vec![], vec![]),
                (8, 5, 1, 1, 2, vec![5, 10, 30], vec![20, 20, 25]),
            ],
        ),
    ];
    for (span, count, expected) in cases {
        let periods = Period::last(span, day("2026-12-08"), count);
        let found = figures(&fixture(), &periods, at("2026-12-08T12:00"));
        assert_eq!(rows(&found), expected, "{span:?}");
    }
    let months = Period::last(Span::Month, day("2026-12-08"), 1);
    let month = figures(&fixture(), &months, at("2026-12-08T12:00"));
    assert!(csv(&month, None, Currency::default()).starts_with("month_from,booked,"));
    assert!(csv(&month, None, Currency::default())
        .contains("\r\n2026-12-01,8,5,1,20,1,12,40,10,30,20,25,,USD\r\n"));
}

fn provider(id: &str, name: &str, sites: &[&str]) -> crate::Provider {
    crate::Provider {
        id: ProviderId::from(id),
        name: name.into(),
        specialty: String::new(),
        colour: String::new(),
        sites: sites
            .iter()
            .map(|s| crate::SiteId::new(s).expect("valid"))
            .collect(),
        hours: crate::WeekHours::weekdays(
            crate::directory::time(9, 0),
            crate::directory::time(10, 0),
        ),
    }
}

#[test]
fn each_type_is_counted_and_each_provider_set_against_the_hours_they_keep() {
    let mut list = fixture();
    for a in list.iter_mut().take(3) {
        a.type_id = Some(TypeId::from("checkup"));
    }
    let week = Period::of(Span::Week, day("2026-11-30"));
    let f = &figures(&list, &[week], at("2026-12-08T12:00"))[0];
    // The week's three kept appointments were check-ups; the two cancelled had no type.
    assert_eq!(
        f.by_type,
        BTreeMap::from([(None, 2), (Some(TypeId::from("checkup")), 3)])
    );
    assert_eq!(
        f.booked_minutes,
        BTreeMap::from([(ProviderId::from("dr-a"), 60)])
    );
    let directory = crate::Directory {
        providers: vec![
            provider("dr-a", "Dr. A", &["main", "north"]),
            provider("dr-b", "Dr. B", &["north"]),
        ],
        closures: vec![crate::closure::Closure {
            id: crate::closure::ClosureId::from("training"),
            name: "Staff training".into(),
            site: Some(crate::SiteId::main()),
            from: day("2026-12-03"),
            to: day("2026-12-03"),
        }],
        ..Default::default()
    };
    let used = |sites: &[&str]| -> Vec<(String, i64, i64, Option<u32>)> {
        let sites: Vec<_> = sites
            .iter()
            .map(|s| crate::SiteId::new(s).expect("valid"))
            .collect();
        utilisation(f, &directory, &sites)
            .into_iter()
            .map(|u| (u.name.clone(), u.booked, u.available, u.percent()))
            .collect()
    };
    // An hour on each of five weekdays, the main site closed on one of them.
    assert_eq!(used(&["main"]), [("Dr. A".into(), 60, 240, Some(25))]);
    // With every site, Dr. A works the closed day at the other site, counted once.
    assert_eq!(
        used(&["main", "north"]),
        [
            ("Dr. A".into(), 60, 300, Some(20)),
            ("Dr. B".into(), 0, 300, Some(0)),
        ]
    );
}

#[test]
fn two_desks_offline_edits_are_counted_once_merged() {
    use crate::{Document, RoomId};
    use automerge::ActorId;
    let id = protocol::DocId::new("schedule/main/2026-12").expect("valid");
    let mut desk_a = Document::new(&id, &ActorId::random()).expect("known kind");
    let mut desk_b = Document::new(&id, &ActorId::random()).expect("known kind");
    let who = |device: &str| Who {
        device: device.into(),
        staff: None,
    };
    let book = |desk: &mut Document, start: &str| {
        let booking = ValidBooking::new("Lee Sample", ProviderId::from("dr-a"), at(start), 20);
        let (id, bundle) = desk
            .change(|d| schedule::book(d, &booking, &who("Desk A"), at("2026-12-01T08:00")))
            .expect("books");
        (id, bundle.expect("a change"))
    };
    let (early, one) = book(&mut desk_a, "2026-12-02T09:00");
    let (late, two) = book(&mut desk_a, "2026-12-02T10:00");
    desk_b.apply(&one).expect("applies");
    desk_b.apply(&two).expect("applies");

    // Offline: desk A marks the first a no-show; desk B sees the second through.
    let (_, from_a) = desk_a
        .change(|d| {
            schedule::set_status(
                d,
                &early,
                Status::NoShow,
                None,
                &who("Desk A"),
                at("2026-12-02T09:30"),
            )
        })
        .expect("marks");
    let room = RoomId::from("room-1");
    let mut from_b = Vec::new();
    for (status, when) in [
        (Status::Arrived, "2026-12-02T09:55"),
        (Status::InRoom, "2026-12-02T10:10"),
        (Status::Fulfilled, "2026-12-02T10:40"),
    ] {
        let room = (status == Status::InRoom).then_some((&room, "Room 1"));
        let (_, bundle) = desk_b
            .change(|d| schedule::set_status(d, &late, status, room, &who("Desk B"), at(when)))
            .expect("moves on");
        from_b.push(bundle.expect("a change"));
    }
    desk_b.apply(&from_a.expect("a change")).expect("applies");
    for bundle in &from_b {
        desk_a.apply(bundle).expect("applies");
    }

    let week = [Period::of(Span::Week, day("2026-12-02"))];
    let on = |desk: &Document| {
        let schedule = crate::schedule::Schedule::read(desk.automerge()).expect("reads");
        rows(&figures(
            &schedule.appointments,
            &week,
            at("2026-12-08T12:00"),
        ))
    };
    assert_eq!(on(&desk_a), [(2, 2, 1, 0, 0, vec![15], vec![30])]);
    assert_eq!(on(&desk_a), on(&desk_b));
}

fn shift(
    staff: Option<&crate::StaffMember>,
    start: &str,
    hours: i64,
    break_minutes: u32,
) -> crate::roster::Shift {
    let start = at(start);
    crate::roster::Shift {
        id: crate::roster::ShiftId::random(),
        site: crate::SiteId::main(),
        staff: staff.map(|s| s.id.clone()),
        position: None,
        start,
        end: start + chrono::Duration::hours(hours),
        break_minutes,
        note: String::new(),
        disputes: Vec::new(),
    }
}

#[test]
fn hours_are_set_against_the_contract_and_overtime_falls_on_the_shift_past_the_threshold() {
    let mut ana = crate::StaffMember::new("Ana Sample", "Receptionist");
    ana.weekly_minutes = Some(2_400);
    let bo = crate::StaffMember::new("Bo Example", "Medical assistant");
    let mut directory = crate::Directory {
        staff: vec![ana.clone(), bo.clone()],
        ..Default::default()
    };
    directory.roster_rules.overtime_minutes = 2_400;
    // Ana: five days of eight paid hours from Monday 30 November, then four on Saturday;
    // Bo, without a contract, one day; an open shift nobody took.
    let mut shifts: Vec<_> = ["30", "01", "02", "03", "04"]
        .iter()
        .zip(["11", "12", "12", "12", "12"])
        .map(|(d, m)| shift(Some(&ana), &format!("2026-{m}-{d}T08:00"), 9, 60))
        .collect();
    shifts.push(shift(Some(&ana), "2026-12-05T09:00", 4, 0));
    shifts.push(shift(Some(&bo), "2026-12-02T09:00", 6, 0));
    shifts.push(shift(None, "2026-12-03T09:00", 6, 0));
    shifts.reverse();

    // (period, [(name, rostered, contracted, overtime, over contract)])
    type Expected = Vec<(&'static str, i64, Option<i64>, i64, i64)>;
    let cases: [(Period, Expected); 3] = [
        (
            Period::of(Span::Week, day("2026-12-01")),
            vec![
                ("Ana Sample", 2_640, Some(2_400), 240, 240),
                ("Bo Example", 360, None, 0, 0),
            ],
        ),
        (
            Period::of(Span::Month, day("2026-11-15")),
            vec![("Ana Sample", 480, Some(10_286), 0, 0)],
        ),
        (
            Period::of(Span::Month, day("2026-12-15")),
            vec![
                ("Ana Sample", 2_160, Some(10_629), 240, 0),
                ("Bo Example", 360, None, 0, 0),
            ],
        ),
    ];
    for (period, expected) in cases {
        let all = hours(&shifts, &directory, &period, &[crate::SiteId::main()]);
        let found: Vec<_> = all
            .iter()
            .map(|h| {
                (
                    h.name.as_str(),
                    h.rostered,
                    h.contracted,
                    h.overtime,
                    h.over_contract(),
                )
            })
            .collect();
        assert_eq!(found, expected, "{}", period.label());
    }
    // Bo's shift moved to another site: not rostered here, but Ana's hours elsewhere still
    // count towards her week's overtime.
    let north = crate::SiteId::new("north").expect("an id");
    for shift in shifts
        .iter_mut()
        .filter(|s| s.start == at("2026-12-02T09:00"))
    {
        shift.site = north.clone();
    }
    let mut moved = shifts.clone();
    for shift in moved
        .iter_mut()
        .filter(|s| s.start == at("2026-12-04T08:00"))
    {
        shift.site = north.clone();
    }
    let week = Period::of(Span::Week, day("2026-12-01"));
    let here: Vec<_> = hours(&moved, &directory, &week, &[crate::SiteId::main()])
        .into_iter()
        .map(|h| (h.name, h.rostered, h.overtime))
        .collect();
    assert_eq!(here, [("Ana Sample".to_string(), 2_160, 240)]);
}

#[test]
fn the_spreadsheet_carries_each_periods_supply_spend_in_the_practice_currency() {
    let bought = |on: &str, cents| crate::budget::Spend {
        day: day(on),
        site: crate::SiteId::main(),
        category: crate::inventory::Category::Medical,
        supplier: "Glove Co".into(),
        vendor: None,
        item_name: "Gloves".into(),
        kind: crate::budget::SpendKind::Bought,
        cents,
    };
    // The weeks of Monday 30 November and Monday 7 December; Sunday the 29th is before.
    let spent = [
        bought("2026-11-29", 99),
        bought("2026-11-30", 8_000),
        bought("2026-12-06", 2_550),
        bought("2026-12-07", -1_000),
    ];
    let weeks = Period::last(Span::Week, day("2026-12-08"), 2);
    let found = figures(&[], &weeks, at("2026-12-08T12:00"));
    let pound = Currency::from_code("GBP").expect("offered");
    let sheet = csv(&found, Some(&spent), pound);
    let tails: Vec<&str> = sheet
        .lines()
        .map(|row| row.splitn(13, ',').last().unwrap_or_default())
        .collect();
    assert_eq!(tails, ["supply_spend,currency", "105.50,GBP", "-10.00,GBP"]);
}
