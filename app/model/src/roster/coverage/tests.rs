use chrono::NaiveTime;

use super::*;
use crate::directory::{time, WeekHours};
use crate::roster::Position;
use crate::StaffId;

// Monday 23 November 2026; Saturday 28 is a day the positions are not staffed.

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).expect("a day of November")
}

/// "23 07:30": 23 November 2026 at 07:30.
fn at(text: &str) -> NaiveDateTime {
    let (d, hm) = text.split_once(' ').expect("day and time");
    let t = NaiveTime::parse_from_str(hm, "%H:%M").expect("a time");
    day(d.parse().expect("a day number")).and_time(t)
}

fn hillside() -> SiteId {
    SiteId::new("hillside").expect("a valid site id")
}

/// A shift of `who` ("" for open) on `position` ("" for none) at the main site.
fn shift(id: &str, who: &str, position: &str, start: &str, end: &str) -> Shift {
    Shift {
        id: ShiftId::from(id),
        site: SiteId::main(),
        staff: (!who.is_empty()).then(|| StaffId::from(who)),
        position: (!position.is_empty()).then(|| PositionId::from(position)),
        start: at(start),
        end: at(end),
        break_minutes: 30,
        note: String::new(),
        disputes: Vec::new(),
    }
}

fn position(id: &str, name: &str, site: SiteId, hours: WeekHours) -> Position {
    Position {
        id: PositionId::from(id),
        site,
        name: name.into(),
        required: hours,
        requires: Vec::new(),
    }
}

/// Main has Desk (weekdays 07:30–18:00) and Night (every day 20:00–23:59, so a
/// night shift's morning part lands on a day with nothing required); Hillside has Desk.
fn directory() -> Directory {
    let nights = WeekHours([Some((time(20, 0), time(23, 59))); 7]);
    Directory {
        positions: vec![
            position(
                "desk",
                "Desk",
                SiteId::main(),
                WeekHours::weekdays(time(7, 30), time(18, 0)),
            ),
            position("night", "Night", SiteId::main(), nights),
            position("h-desk", "Desk", hillside(), WeekHours::office()),
        ],
        ..Directory::default()
    }
}

/// What one position shows on a day: required span, filled, open, gaps.
struct Expect {
    required: Option<(&'static str, &'static str)>,
    filled: &'static [&'static str],
    open: &'static [&'static str],
    gaps: &'static [(&'static str, &'static str)],
}

fn ids(list: &[ShiftId]) -> Vec<&str> {
    list.iter().map(ShiftId::as_str).collect()
}

fn span((start, end): &(&str, &str)) -> (NaiveDateTime, NaiveDateTime) {
    (at(start), at(end))
}

/// Checks the main site's Desk on `d` and the shifts left unplanned.
fn check_desk(name: &str, d: u32, shifts: &[Shift], desk: Expect, unplanned: &[&str]) {
    let cover = day_cover(&directory(), &SiteId::main(), day(d), shifts);
    let names: Vec<&str> = cover.positions.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["Desk", "Night"], "case: {name}");
    let found = &cover.positions[0];
    assert_eq!(
        found.required,
        desk.required.as_ref().map(span),
        "case: {name}"
    );
    assert_eq!(ids(&found.filled), desk.filled, "case: {name}");
    assert_eq!(ids(&found.open), desk.open, "case: {name}");
    let gaps: Vec<_> = desk.gaps.iter().map(span).collect();
    assert_eq!(found.gaps, gaps, "case: {name}");
    assert_eq!(ids(&cover.unplanned), unplanned, "case: {name}");
    assert_eq!(cover.is_covered(), cover.gap_count() == 0, "case: {name}");
}

const DESK_MONDAY: Option<(&str, &str)> = Some(("23 07:30", "23 18:00"));

#[test]
fn desk_cover() {
    check_desk(
        "full cover",
        23,
        &[shift("a", "robin", "desk", "23 07:00", "23 18:30")],
        Expect {
            required: DESK_MONDAY,
            filled: &["a"],
            open: &[],
            gaps: &[],
        },
        &[],
    );
    check_desk(
        "a gap at the start",
        23,
        &[shift("a", "robin", "desk", "23 08:00", "23 18:00")],
        Expect {
            required: DESK_MONDAY,
            filled: &["a"],
            open: &[],
            gaps: &[("23 07:30", "23 08:00")],
        },
        &[],
    );
    check_desk(
        "two shifts covering together, overlapping",
        23,
        &[
            shift("b", "quinn", "desk", "23 12:00", "23 18:00"),
            shift("a", "robin", "desk", "23 07:30", "23 12:30"),
        ],
        Expect {
            required: DESK_MONDAY,
            filled: &["a", "b"],
            open: &[],
            gaps: &[],
        },
        &[],
    );
    check_desk(
        "a gap between two shifts and one at the end",
        23,
        &[
            shift("a", "robin", "desk", "23 07:30", "23 12:00"),
            shift("b", "quinn", "desk", "23 13:00", "23 17:00"),
        ],
        Expect {
            required: DESK_MONDAY,
            filled: &["a", "b"],
            open: &[],
            gaps: &[("23 12:00", "23 13:00"), ("23 17:00", "23 18:00")],
        },
        &[],
    );
    check_desk(
        "an open shift does not fill",
        23,
        &[
            shift("a", "robin", "desk", "23 07:30", "23 12:30"),
            shift("o", "", "desk", "23 12:30", "23 18:00"),
        ],
        Expect {
            required: DESK_MONDAY,
            filled: &["a"],
            open: &["o"],
            gaps: &[("23 12:30", "23 18:00")],
        },
        &[],
    );
    check_desk(
        "nobody at all",
        23,
        &[],
        Expect {
            required: DESK_MONDAY,
            filled: &[],
            open: &[],
            gaps: &[("23 07:30", "23 18:00")],
        },
        &[],
    );
    check_desk(
        "a closed day needs nobody",
        28,
        &[shift("a", "robin", "desk", "28 09:00", "28 12:00")],
        Expect {
            required: None,
            filled: &["a"],
            open: &[],
            gaps: &[],
        },
        &[],
    );
    check_desk(
        "other days and other sites do not count",
        23,
        &[
            shift("a", "robin", "desk", "24 07:30", "24 18:00"),
            Shift {
                site: hillside(),
                ..shift("b", "quinn", "h-desk", "23 07:30", "23 18:00")
            },
        ],
        Expect {
            required: DESK_MONDAY,
            filled: &[],
            open: &[],
            gaps: &[("23 07:30", "23 18:00")],
        },
        &[],
    );
    check_desk(
        "no position, a removed one, or another site's",
        23,
        &[
            shift("a", "robin", "desk", "23 07:30", "23 18:00"),
            shift("n", "quinn", "", "23 09:00", "23 12:00"),
            shift("r", "sam", "removed", "23 10:00", "23 12:00"),
            shift("h", "sam", "h-desk", "23 13:00", "23 15:00"),
        ],
        Expect {
            required: DESK_MONDAY,
            filled: &["a"],
            open: &[],
            gaps: &[],
        },
        &["n", "r", "h"],
    );
}

#[test]
fn overnight_shifts_count_on_both_days() {
    let night = [shift("n", "robin", "night", "23 20:00", "24 08:00")];
    let directory = directory();
    let monday = day_cover(&directory, &SiteId::main(), day(23), &night);
    let tuesday = day_cover(&directory, &SiteId::main(), day(24), &night);
    let (desk, nights) = (&monday.positions[0], &monday.positions[1]);
    assert_eq!(ids(&nights.filled), ["n"]);
    assert!(nights.gaps.is_empty());
    assert_eq!(desk.gaps.len(), 1);
    assert_eq!(monday.gap_count(), 1);
    assert!(!monday.is_covered());
    // On Tuesday its morning part is on the roster; the night it started is not Tuesday's.
    assert_eq!(ids(&tuesday.positions[1].filled), ["n"]);
    assert_eq!(tuesday.positions[1].gaps, [span(&("24 20:00", "24 23:59"))]);

    // A night desk shift from Monday evening covers Tuesday's desk until it ends.
    let late = [
        shift("late", "robin", "desk", "23 22:00", "24 09:00"),
        shift("day", "quinn", "desk", "24 09:00", "24 18:00"),
    ];
    check_desk(
        "the part after midnight",
        24,
        &late,
        Expect {
            required: Some(("24 07:30", "24 18:00")),
            filled: &["late", "day"],
            open: &[],
            gaps: &[],
        },
        &[],
    );
    let covered = day_cover(&directory, &SiteId::main(), day(24), &late);
    assert_eq!(covered.gap_count(), 1, "only the night position is open");
}

#[test]
fn a_site_with_no_positions_is_covered() {
    let other = SiteId::new("annex").expect("valid");
    let cover = day_cover(&directory(), &other, day(23), &[]);
    assert!(cover.positions.is_empty());
    assert!(cover.is_covered());
}

#[test]
fn who_is_on_now_and_next() {
    let shifts = [
        shift("desk-early", "robin", "desk", "23 07:00", "23 15:00"),
        shift("night-early", "sam", "night", "23 06:00", "23 10:00"),
        shift("desk-late", "quinn", "desk", "23 09:00", "23 18:00"),
        shift("ending", "sam", "desk", "23 06:00", "23 09:00"),
        shift("open", "", "desk", "23 08:00", "23 16:00"),
        Shift {
            site: hillside(),
            ..shift("elsewhere", "sam", "h-desk", "23 08:00", "23 16:00")
        },
        shift("afternoon", "sam", "desk", "23 14:00", "23 18:00"),
        shift("evening", "robin", "night", "23 20:00", "24 06:00"),
        shift("tomorrow", "quinn", "desk", "24 07:00", "24 15:00"),
    ];
    let now = at("23 09:00");
    let on: Vec<&str> = on_now(&shifts, &SiteId::main(), now)
        .iter()
        .map(|s| s.id.as_str())
        .collect();
    // Grouped by position, then by start; a shift ending at 09:00 is over.
    assert_eq!(on, ["desk-early", "desk-late", "night-early"]);
    let next: Vec<&str> = next_on(&shifts, &SiteId::main(), now)
        .iter()
        .map(|s| s.id.as_str())
        .collect();
    assert_eq!(next, ["afternoon", "evening"]);

    let directory = Directory {
        positions: vec![
            position("desk", "Reception", SiteId::main(), WeekHours::office()),
            position("night", "After hours", SiteId::main(), WeekHours::office()),
        ],
        ..Directory::default()
    };
    let loose = Shift {
        position: None,
        ..shifts[0].clone()
    };
    let mut named = on_now(&shifts, &SiteId::main(), now);
    named.push(&shifts[8]);
    named.push(&loose);
    by_position_name(&directory, &mut named);
    let order: Vec<&str> = named.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        order,
        [
            "night-early",
            "desk-early",
            "desk-late",
            "tomorrow",
            "desk-early"
        ]
    );
    assert!(named[4].position.is_none());
}
