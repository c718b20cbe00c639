use chrono::NaiveDateTime;

use super::*;
use crate::directory::{time, WeekHours};
use crate::roster::{Dispute, Position, PositionId, RosterRules};
use crate::staff::credential::{Credential, CredentialId};
use crate::staff::time_off::Decision;
use crate::{Site, StaffMember};

use CredentialKind::{BlsCpr, Licence};
use IssueKind::*;

mod messages;
mod people;

// The week checked runs from Monday 23 to Sunday 29 November 2026; Sunday 22 and Monday 30
// are the margin a caller loads around it.

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).expect("a day of November")
}

/// "24 07:30": 24 November 2026 at 07:30.
fn at(text: &str) -> NaiveDateTime {
    let (d, hm) = text.split_once(' ').expect("day and time");
    let (h, m) = hm.split_once(':').expect("hours and minutes");
    let parse = |t: &str| t.parse::<u32>().expect("a number");
    day(parse(d)).and_time(time(parse(h), parse(m)))
}

fn site(id: &str) -> SiteId {
    SiteId::new(id).expect("a valid site id")
}

/// A shift of `who` ("" for an open shift) at `site`, no break, no position.
fn shift(id: &str, who: &str, at_site: &str, start: &str, end: &str) -> Shift {
    Shift {
        id: ShiftId::from(id),
        site: site(at_site),
        staff: (!who.is_empty()).then(|| StaffId::from(who)),
        position: None,
        start: at(start),
        end: at(end),
        break_minutes: 0,
        note: String::new(),
        disputes: Vec::new(),
    }
}

fn on(position: &str, s: Shift) -> Shift {
    Shift {
        position: Some(PositionId::from(position)),
        ..s
    }
}

fn with_break(minutes: u32, s: Shift) -> Shift {
    Shift {
        break_minutes: minutes,
        ..s
    }
}

/// Five days Monday 23 to Friday 27, `start`–`end` each ("08:00", "17:00"), with a break.
fn week_of(who: &str, start: &str, end: &str, break_minutes: u32) -> Vec<Shift> {
    (23..=27)
        .map(|d| {
            let s = shift(
                &format!("d{d}"),
                who,
                "main",
                &format!("{d} {start}"),
                &format!("{d} {end}"),
            );
            with_break(break_minutes, s)
        })
        .collect()
}

fn person(id: &str, name: &str, sites: &[&str], weekly_minutes: Option<u32>) -> StaffMember {
    StaffMember {
        id: StaffId::from(id),
        sites: sites.iter().map(|s| site(s)).collect(),
        weekly_minutes,
        ..StaffMember::new(name, "Front desk")
    }
}

fn position(id: &str, name: &str, requires: &[CredentialKind]) -> Position {
    Position {
        id: PositionId::from(id),
        site: SiteId::main(),
        name: name.into(),
        required: WeekHours::weekdays(time(7, 30), time(18, 0)),
        requires: requires.to_vec(),
    }
}

/// Robin may work at Main and Hillside, casual; Quinn at Main only, 37.5 h a week; Sam at
/// Main only. Triage needs BLS/CPR, Nurse a licence, Desk nothing. No credentials, no
/// time off, default thresholds: cases add what they need.
fn directory() -> Directory {
    let named = |id: &str, name: &str| Site {
        id: site(id),
        name: name.into(),
        hours: WeekHours::office(),
    };
    Directory {
        sites: vec![named("main", "Main"), named("hillside", "Hillside")],
        staff: vec![
            person("robin", "Robin Mockwell", &["main", "hillside"], None),
            person("quinn", "Quinn Testcase", &["main"], Some(2250)),
            person("sam", "Sam Fixture", &["main"], None),
        ],
        positions: vec![
            position("desk", "Desk", &[]),
            position("nurse", "Nurse", &[Licence]),
            position("triage", "Triage", &[BlsCpr]),
        ],
        ..Directory::default()
    }
}

fn credential(who: &str, kind: CredentialKind, expires: Option<u32>) -> Credential {
    Credential {
        id: CredentialId::from(format!("{who}-{}", kind.code())),
        staff: StaffId::from(who),
        kind,
        title: String::new(),
        number: String::new(),
        issuer: String::new(),
        issued: None,
        expires: expires.map(day),
    }
}

fn time_off(who: &str, from: u32, to: u32, status: Decision) -> TimeOff {
    TimeOff {
        id: TimeOffId::from("away"),
        staff: StaffId::from(who),
        kind: AbsenceKind::Vacation,
        from: day(from),
        to: day(to),
        note: String::new(),
        status,
        disputed: Vec::new(),
        requested_by: "Robin Mockwell".into(),
        decided_by: String::new(),
    }
}

fn away(status: Decision) -> impl Fn(&mut Directory) {
    move |d| d.time_off.push(time_off("robin", 24, 26, status))
}

fn holding(credentials: Vec<Credential>) -> impl Fn(&mut Directory) {
    move |d| d.credentials.extend(credentials.iter().cloned())
}

fn rules(overtime_minutes: u32, rest_minutes: u32) -> impl Fn(&mut Directory) {
    move |d| {
        d.roster_rules = RosterRules {
            overtime_minutes,
            rest_minutes,
        }
    }
}

fn nothing(_: &mut Directory) {}

fn id(text: &str) -> ShiftId {
    ShiftId::from(text)
}

/// Checks Monday 23 to Sunday 29 with the directory as `setup` leaves it: the issues found,
/// as (shift, kind), in any order.
fn check_case(
    name: &str,
    shifts: &[Shift],
    setup: impl Fn(&mut Directory),
    expected: &[(&str, IssueKind)],
) {
    let mut directory = directory();
    setup(&mut directory);
    let issues = check(shifts, &directory, day(23), day(29));
    let key = |(shift, kind): &(String, IssueKind)| format!("{shift} {kind:?}");
    let mut found: Vec<(String, IssueKind)> = issues
        .iter()
        .map(|i| {
            (
                i.shift.as_ref().map_or("", ShiftId::as_str).to_string(),
                i.kind.clone(),
            )
        })
        .collect();
    found.sort_by_key(key);
    let mut expected: Vec<(String, IssueKind)> = expected
        .iter()
        .map(|(shift, kind)| (shift.to_string(), kind.clone()))
        .collect();
    expected.sort_by_key(key);
    assert_eq!(found, expected, "case: {name}");
}

#[test]
fn overlaps() {
    let a = || id("a");
    check_case(
        "one site",
        &[
            shift("a", "robin", "main", "24 07:30", "24 15:30"),
            shift("b", "robin", "main", "24 14:00", "24 18:00"),
        ],
        nothing,
        &[("b", Overlap { other: a() })],
    );
    check_case(
        "across sites",
        &[
            shift("a", "robin", "main", "24 07:30", "24 15:30"),
            shift("b", "robin", "hillside", "24 14:00", "24 18:00"),
        ],
        nothing,
        &[("b", Overlap { other: a() })],
    );
    check_case(
        "a night shift into the next morning",
        &[
            shift("a", "robin", "main", "23 22:00", "24 06:00"),
            shift("b", "robin", "hillside", "24 05:00", "24 13:00"),
        ],
        nothing,
        &[("b", Overlap { other: a() })],
    );
    check_case(
        "back to back is no overlap, and one working day needs no rest",
        &[
            shift("a", "robin", "main", "24 07:00", "24 12:00"),
            shift("b", "robin", "hillside", "24 12:00", "24 16:00"),
        ],
        nothing,
        &[],
    );
    check_case(
        "two people at once",
        &[
            shift("a", "robin", "main", "24 07:30", "24 15:30"),
            shift("b", "quinn", "main", "24 07:30", "24 15:30"),
        ],
        nothing,
        &[],
    );
    check_case(
        "open shifts have nobody to double-book",
        &[
            shift("a", "", "main", "24 07:30", "24 15:30"),
            shift("b", "", "main", "24 07:30", "24 15:30"),
        ],
        nothing,
        &[],
    );
    check_case(
        "three at once: every pair once",
        &[
            shift("a", "robin", "main", "24 08:00", "24 12:00"),
            shift("b", "robin", "main", "24 09:00", "24 13:00"),
            shift("c", "robin", "hillside", "24 10:00", "24 11:00"),
        ],
        nothing,
        &[
            ("b", Overlap { other: a() }),
            ("c", Overlap { other: a() }),
            ("c", Overlap { other: id("b") }),
        ],
    );
}

#[test]
fn rest() {
    let short = |other: &str, rest_minutes| ShortRest {
        other: id(other),
        rest_minutes,
    };
    check_case(
        "9 h 30 min",
        &[
            shift("a", "quinn", "main", "24 12:00", "24 21:30"),
            shift("b", "quinn", "main", "25 07:00", "25 15:00"),
        ],
        nothing,
        &[("b", short("a", 570))],
    );
    check_case(
        "exactly the minimum",
        &[
            shift("a", "quinn", "main", "24 12:00", "24 21:00"),
            shift("b", "quinn", "main", "25 07:00", "25 15:00"),
        ],
        nothing,
        &[],
    );
    check_case(
        "a split shift is one working day",
        &[
            shift("a", "robin", "main", "24 07:00", "24 11:00"),
            shift("b", "robin", "main", "24 16:00", "24 20:00"),
        ],
        nothing,
        &[],
    );
    check_case(
        "measured before the day's first shift only, from the latest end",
        &[
            shift("a", "robin", "main", "23 07:00", "23 11:00"),
            shift("b", "robin", "main", "23 16:00", "23 23:00"),
            shift("c", "robin", "main", "24 06:00", "24 08:00"),
            shift("d", "robin", "main", "24 08:00", "24 12:00"),
        ],
        nothing,
        &[("c", short("b", 420))],
    );
    check_case(
        "after a night shift, from its end the next morning",
        &[
            shift("a", "robin", "main", "23 22:00", "24 06:00"),
            shift("b", "robin", "main", "24 14:00", "24 22:00"),
        ],
        nothing,
        &[("b", short("a", 480))],
    );
    check_case(
        "night after night",
        &[
            shift("a", "robin", "main", "23 22:00", "24 06:00"),
            shift("b", "robin", "main", "24 22:00", "25 06:00"),
        ],
        nothing,
        &[],
    );
    check_case(
        "Sunday in the margin to Monday",
        &[
            shift("sun", "robin", "main", "22 14:00", "22 22:00"),
            shift("mon", "robin", "main", "23 07:00", "23 15:00"),
        ],
        nothing,
        &[("mon", short("sun", 540))],
    );
    let eleven_hours = [
        shift("a", "robin", "main", "23 10:00", "23 20:00"),
        shift("b", "robin", "main", "24 07:00", "24 15:00"),
    ];
    check_case("11 h by default", &eleven_hours, nothing, &[]);
    check_case(
        "11 h where 12 h are set",
        &eleven_hours,
        rules(2400, 720),
        &[("b", short("a", 660))],
    );
}

#[test]
fn weekly_hours() {
    let week = day(23);
    let overtime = |minutes, threshold| Overtime {
        week,
        minutes,
        threshold,
    };
    check_case(
        "40 h exactly",
        &week_of("robin", "08:00", "17:00", 60),
        nothing,
        &[],
    );
    let mut longer = week_of("robin", "08:00", "17:00", 60);
    longer[4].end = at("27 17:30");
    check_case(
        "40 h 30 min, on the shift that went over",
        &longer,
        nothing,
        &[("d27", overtime(2430, 2400))],
    );
    check_case(
        "a threshold set lower",
        &week_of("robin", "08:00", "16:00", 0),
        rules(1800, 600),
        &[("d26", overtime(2400, 1800))],
    );
    let mut with_sundays = week_of("robin", "08:00", "17:00", 60);
    with_sundays.push(shift("sun22", "robin", "main", "22 08:00", "22 16:00"));
    check_case(
        "the Sunday before is last week",
        &with_sundays,
        nothing,
        &[],
    );
    with_sundays.push(shift("sun29", "robin", "hillside", "29 22:00", "30 06:00"));
    check_case(
        "a Sunday night shift counts whole in its week",
        &with_sundays,
        nothing,
        &[("sun29", overtime(2880, 2400))],
    );
    let contract = |minutes| OverContract {
        week,
        minutes,
        contracted: 2250,
    };
    check_case(
        "over the contract, not overtime",
        &week_of("quinn", "08:00", "17:00", 60),
        nothing,
        &[("d27", contract(2400))],
    );
    let mut at_contract = week_of("quinn", "08:00", "17:00", 60);
    at_contract[4].end = at("27 14:30");
    check_case("37 h 30 min exactly", &at_contract, nothing, &[]);
    let mut open = week_of("robin", "08:00", "17:00", 60);
    open.push(shift("open", "", "main", "28 08:00", "28 16:00"));
    check_case("open shifts are nobody's hours", &open, nothing, &[]);
}

#[test]
fn approved_time_off() {
    let on_leave = || InTimeOff {
        time_off: TimeOffId::from("away"),
    };
    let wednesday = [shift("a", "robin", "main", "25 08:00", "25 16:00")];
    check_case(
        "approved",
        &wednesday,
        away(Decision::Approved),
        &[("a", on_leave())],
    );
    check_case("requested", &wednesday, away(Decision::Requested), &[]);
    check_case("denied", &wednesday, away(Decision::Denied), &[]);
    check_case(
        "someone else's",
        &[shift("a", "quinn", "main", "25 08:00", "25 16:00")],
        away(Decision::Approved),
        &[],
    );
    check_case(
        "a night shift into the first day",
        &[shift("a", "robin", "main", "23 22:00", "24 06:00")],
        away(Decision::Approved),
        &[("a", on_leave())],
    );
    check_case(
        "a shift that ends at midnight before it",
        &[shift("a", "robin", "main", "23 16:00", "24 00:00")],
        away(Decision::Approved),
        &[],
    );
    check_case(
        "the day after it",
        &[shift("a", "robin", "main", "27 08:00", "27 16:00")],
        away(Decision::Approved),
        &[],
    );
}

#[test]
fn only_the_range_is_reported() {
    check_case(
        "the margin's own issues",
        &[
            shift("sat", "quinn", "hillside", "21 08:00", "21 16:00"),
            shift("sun", "robin", "main", "22 08:00", "22 12:00"),
            shift("sun2", "robin", "main", "22 11:00", "22 15:00"),
            shift("mon30", "quinn", "hillside", "30 08:00", "30 16:00"),
        ],
        nothing,
        &[],
    );
    check_case(
        "an overlap that begins in the range",
        &[
            shift("a", "robin", "main", "22 22:00", "23 06:00"),
            shift("b", "robin", "main", "23 05:00", "23 13:00"),
        ],
        nothing,
        &[("b", Overlap { other: id("a") })],
    );
}
