use super::*;
use crate::roster::{Position, PositionId, ShiftId};
use crate::{Site, StaffMember, WeekHours};

fn hillside() -> SiteId {
    SiteId::new("hillside").expect("an id")
}

fn robin() -> StaffId {
    StaffId::from("robin")
}

fn quinn() -> StaffId {
    StaffId::from("quinn")
}

/// Two sites, Main and Hillside; Robin Mockwell at the front desk and Quinn Testcase, a
/// nurse; Desk 1 at Main and "Triage, east; rear" at Hillside.
fn directory() -> Directory {
    let site = |id: SiteId, name: &str| Site {
        id,
        name: name.into(),
        hours: WeekHours::office(),
    };
    let person = |id: StaffId, name: &str, role: &str| StaffMember {
        id,
        ..StaffMember::new(name, role)
    };
    let position = |id: &str, site: SiteId, name: &str| Position {
        id: PositionId::from(id),
        site,
        name: name.into(),
        required: WeekHours::default(),
        requires: Vec::new(),
    };
    Directory {
        sites: vec![site(SiteId::main(), "Main"), site(hillside(), "Hillside")],
        staff: vec![
            person(quinn(), "Quinn Testcase", "Nurse"),
            person(robin(), "Robin Mockwell", "Front desk"),
        ],
        positions: vec![
            position("desk-1", SiteId::main(), "Desk 1"),
            position("triage", hillside(), "Triage, east; rear"),
        ],
        ..Directory::default()
    }
}

fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").expect("a time")
}

/// The Monday of the week the tests export: 23 November 2026.
fn monday() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).expect("a day")
}

fn shift(id: &str, staff: Option<StaffId>, start: &str, end: &str, break_minutes: u32) -> Shift {
    Shift {
        id: ShiftId::from(id),
        site: SiteId::main(),
        staff,
        position: Some(PositionId::from("desk-1")),
        start: at(start),
        end: at(end),
        break_minutes,
        note: String::new(),
        disputes: Vec::new(),
    }
}

/// A week at Main with a shift before and after it and one at Hillside, out of order.
fn shifts() -> Vec<Shift> {
    vec![
        Shift {
            note: "=SUM(A1), cover lunch".into(),
            ..shift(
                "s2",
                Some(quinn()),
                "2026-11-24 08:00",
                "2026-11-24 16:20",
                0,
            )
        },
        shift(
            "s1",
            Some(robin()),
            "2026-11-23 07:30",
            "2026-11-23 15:30",
            30,
        ),
        Shift {
            position: None,
            ..shift("s3", None, "2026-11-25 09:00", "2026-11-25 13:00", 0)
        },
        shift(
            "s4",
            Some(robin()),
            "2026-11-29 22:00",
            "2026-11-30 06:00",
            30,
        ),
        shift(
            "before",
            Some(robin()),
            "2026-11-22 09:00",
            "2026-11-22 17:00",
            0,
        ),
        shift(
            "after",
            Some(robin()),
            "2026-11-30 09:00",
            "2026-11-30 17:00",
            0,
        ),
        Shift {
            site: hillside(),
            ..shift(
                "elsewhere",
                Some(quinn()),
                "2026-11-26 09:00",
                "2026-11-26 17:00",
                0,
            )
        },
    ]
}

#[test]
fn the_week_lists_the_sites_shifts_by_start_then_each_persons_paid_hours() {
    let text = week_csv(&directory(), &SiteId::main(), monday(), &shifts());
    let expected = [
        "date,weekday,person,role,position,start,end,end_date,break_minutes,paid_hours,note",
        "2026-11-23,Monday,Robin Mockwell,Front desk,Desk 1,07:30,15:30,2026-11-23,30,7.5,",
        "2026-11-24,Tuesday,Quinn Testcase,Nurse,Desk 1,08:00,16:20,2026-11-24,0,8.33,\"'=SUM(A1), cover lunch\"",
        "2026-11-25,Wednesday,Open shift,,,09:00,13:00,2026-11-25,0,4,",
        "2026-11-29,Sunday,Robin Mockwell,Front desk,Desk 1,22:00,06:00,2026-11-30,30,7.5,",
        "",
        "Total,Quinn Testcase,8.33",
        "Total,Robin Mockwell,15",
        "",
    ];
    assert_eq!(text, expected.join("\r\n"));
}

#[test]
fn a_week_without_shifts_is_the_header_alone() {
    let text = week_csv(
        &directory(),
        &hillside(),
        monday() + Duration::days(7),
        &shifts(),
    );
    assert_eq!(text, format!("{}\r\n", WEEK_HEADERS.join(",")));
}

#[test]
fn paid_hours_have_at_most_two_places() {
    let check = |minutes: i64, expected: &str| assert_eq!(hours(minutes), expected, "{minutes}");
    check(0, "0");
    check(450, "7.5");
    check(480, "8");
    check(470, "7.83");
    check(6000, "100");
    check(1, "0.02");
    check(-30, "-0.5");
}

/// The physical lines of a calendar file, which must each end with CRLF.
fn lines(text: &str) -> Vec<&str> {
    assert!(text.ends_with("\r\n"), "{text:?}");
    let body = text.strip_suffix("\r\n").unwrap_or(text);
    let lines: Vec<&str> = body.split("\r\n").collect();
    assert!(lines.iter().all(|l| !l.contains('\n')), "{text:?}");
    lines
}

/// The unfolded value of each `name` property, in order.
fn values(text: &str, name: &str) -> Vec<String> {
    let unfolded = text.replace("\r\n ", "");
    let prefix = format!("{name}:");
    unfolded
        .split("\r\n")
        .filter_map(|l| l.strip_prefix(&prefix))
        .map(str::to_string)
        .collect()
}

#[test]
fn the_calendar_holds_one_event_per_shift_of_that_person_at_every_site() {
    let mut all = shifts();
    all.push(Shift {
        id: ShiftId::from("triage-1"),
        position: Some(PositionId::from("triage")),
        note: "Bring the spare keys; ask Quinn, or the manager".into(),
        ..all[6].clone()
    });
    all[6].staff = Some(robin());
    let text = shifts_ics(&directory(), &quinn(), &all, at("2026-11-20 12:00"));
    assert_eq!(
        values(&text, "UID"),
        ["s2@front-desk", "triage-1@front-desk"]
    );
    assert_eq!(
        values(&text, "SUMMARY"),
        ["Desk 1 at Main", "Triage\\, east\\; rear at Hillside"]
    );
    assert_eq!(
        values(&text, "DTSTART"),
        ["20261124T080000", "20261126T090000"]
    );
    assert_eq!(
        values(&text, "DTEND"),
        ["20261124T162000", "20261126T170000"]
    );
    assert_eq!(
        values(&text, "DESCRIPTION"),
        [
            "No break.\\n=SUM(A1)\\, cover lunch",
            "No break.\\nBring the spare keys\\; ask Quinn\\, or the manager",
        ]
    );
    assert_eq!(values(&text, "DTSTAMP"), ["20261120T120000Z"; 2]);
    assert_eq!(values(&text, "X-WR-CALNAME"), ["Shifts of Quinn Testcase"]);
    let physical = lines(&text);
    assert_eq!(physical.first(), Some(&"BEGIN:VCALENDAR"));
    assert_eq!(physical.last(), Some(&"END:VCALENDAR"));
    assert_eq!(physical.iter().filter(|l| **l == "BEGIN:VEVENT").count(), 2);
    assert_eq!(physical.iter().filter(|l| **l == "END:VEVENT").count(), 2);
}

#[test]
fn the_calendar_folds_long_lines_and_names_a_shift_without_a_position() {
    let long_note = "Open the building, switch on the phones and the check-in kiosk, and read the handover book before the first patient arrives.";
    let all = [Shift {
        position: None,
        note: long_note.into(),
        ..shift(
            "night",
            Some(robin()),
            "2026-11-29 22:00",
            "2026-11-30 06:00",
            30,
        )
    }];
    let text = shifts_ics(&directory(), &robin(), &all, at("2026-11-20 12:00"));
    let physical = lines(&text);
    assert!(physical.iter().all(|l| l.len() <= 75), "{physical:#?}");
    assert!(
        physical.iter().any(|l| l.starts_with(' ')),
        "a line was folded"
    );
    assert_eq!(
        values(&text, "DESCRIPTION"),
        [format!(
            "Break: 30 minutes.\\n{}",
            long_note.replace(',', "\\,")
        )]
    );
    assert_eq!(values(&text, "SUMMARY"), ["Shift at Main"]);
    assert_eq!(values(&text, "DTEND"), ["20261130T060000"]);
}

#[test]
fn someone_without_shifts_gets_an_empty_calendar() {
    let text = shifts_ics(
        &directory(),
        &StaffId::from("nobody"),
        &shifts(),
        at("2026-11-20 12:00"),
    );
    assert!(!text.contains("VEVENT"), "{text}");
    assert_eq!(values(&text, "X-WR-CALNAME"), ["Shifts of Unknown person"]);
}

#[test]
fn file_names_are_plain_words() {
    assert_eq!(ics_file_name("Robin Mockwell"), "shifts-robin-mockwell.ics");
    assert_eq!(
        ics_file_name("  Zoë O'Example-Smith "),
        "shifts-zoë-o-example-smith.ics"
    );
    assert_eq!(ics_file_name("../.."), "shifts-staff.ics");
    assert_eq!(
        week_file_name(&SiteId::main(), monday()),
        "roster-main-2026-11-23.csv"
    );
    assert_eq!(
        week_file_name(&SiteId::new("north-clinic").expect("an id"), monday()),
        "roster-north-clinic-2026-11-23.csv"
    );
}
