//! The sentences people read, the order of the list, and the week's hours.

use super::*;

/// How a case's directory is set up.
type Setup = Box<dyn Fn(&mut Directory)>;

fn messages(shifts: &[Shift], setup: impl Fn(&mut Directory)) -> Vec<String> {
    let mut directory = directory();
    setup(&mut directory);
    check(shifts, &directory, day(23), day(29))
        .into_iter()
        .map(|i| i.message)
        .collect()
}

#[test]
fn messages_name_the_person_the_day_and_the_times() {
    let cases: Vec<(Vec<Shift>, Setup, &str)> = vec![
        (
            vec![
                shift("a", "robin", "main", "24 07:30", "24 15:30"),
                shift("b", "robin", "hillside", "24 14:00", "24 18:00"),
            ],
            Box::new(nothing),
            "Robin Mockwell works 07:30–15:30 at Main and 14:00–18:00 at Hillside on Tue 24 Nov. Move one of the shifts or give it to someone else.",
        ),
        (
            vec![
                shift("a", "robin", "main", "23 22:00", "24 06:00"),
                shift("b", "robin", "hillside", "24 05:00", "24 13:00"),
            ],
            Box::new(nothing),
            "Robin Mockwell works 22:00–06:00 (+1) at Main on Mon 23 Nov and 05:00–13:00 at Hillside on Tue 24 Nov. Move one of the shifts or give it to someone else.",
        ),
        (
            vec![
                shift("a", "quinn", "main", "24 12:00", "24 21:30"),
                shift("b", "quinn", "main", "25 07:00", "25 15:00"),
            ],
            Box::new(nothing),
            "Quinn Testcase has 9 h 30 min rest before Wed 25 Nov 07:00; the minimum is 10 h. Move one of the shifts or give it to someone else.",
        ),
        (
            vec![shift("a", "sam", "main", "23 08:00", "23 16:00")],
            Box::new(holding(vec![credential("sam", Licence, Some(1))])),
            "Sam Fixture's licence expired on 1 Nov 2026; they are on shift Mon 23 Nov. Record the renewed licence or give the shift to someone else.",
        ),
        (
            vec![on("triage", shift("a", "robin", "main", "24 08:00", "24 16:00"))],
            Box::new(holding(vec![credential("robin", BlsCpr, Some(10))])),
            "Robin Mockwell has no valid BLS/CPR for Triage on Tue 24 Nov (theirs expired on 10 Nov 2026). Record a current one or roster someone who holds it.",
        ),
        (
            vec![shift("a", "robin", "main", "25 08:00", "25 16:00")],
            Box::new(away(Decision::Approved)),
            "Robin Mockwell works 08:00–16:00 at Main on Wed 25 Nov during their approved vacation (Tue 24 Nov to Thu 26 Nov). Give the shift to someone else.",
        ),
        (
            week_of("quinn", "08:00", "17:00", 60),
            Box::new(nothing),
            "Quinn Testcase is rostered 40 h in the week of Mon 23 Nov, more than their contracted 37 h 30 min. Take a shift off them or agree the extra hours.",
        ),
        (
            vec![shift("a", "quinn", "hillside", "24 08:00", "24 16:00")],
            Box::new(nothing),
            "Quinn Testcase is not set up to work at Hillside but has 08:00–16:00 there on Tue 24 Nov. Add the site to their record or roster someone else.",
        ),
        (
            vec![shift("a", "gone", "main", "24 08:00", "24 16:00")],
            Box::new(nothing),
            "The shift 08:00–16:00 at Main on Tue 24 Nov names someone who is no longer in the staff list. Give it to someone else or make it open.",
        ),
        (
            vec![Shift {
                disputes: vec![Dispute {
                    field: ShiftField::Staff,
                    values: vec!["robin".into(), "".into()],
                }],
                ..shift("a", "robin", "main", "24 08:00", "24 16:00")
            }],
            Box::new(nothing),
            "Two managers set the person of the shift 08:00–16:00 at Main on Tue 24 Nov differently: Robin Mockwell or nobody. Pick the one that stands.",
        ),
    ];
    for (shifts, setup, expected) in cases {
        assert_eq!(messages(&shifts, setup), vec![expected.to_string()]);
    }
}

#[test]
fn issues_are_sorted_by_day_site_and_message_with_their_day_and_site() {
    let mut shifts = week_of("robin", "08:00", "17:00", 0);
    shifts[4].site = site("hillside");
    shifts.push(shift("q", "quinn", "hillside", "24 08:00", "24 16:00"));
    shifts.push(shift("x", "gone", "main", "24 08:00", "24 16:00"));
    let mut open = shift("open", "", "main", "24 07:00", "24 15:00");
    open.disputes = vec![Dispute {
        field: ShiftField::Note,
        values: vec!["Keys".into(), "Post".into()],
    }];
    shifts.push(open);
    let issues = check(&shifts, &directory(), day(23), day(29));
    let found: Vec<(NaiveDate, &str, Option<&str>, Option<&str>)> = issues
        .iter()
        .map(|i| {
            (
                i.day,
                i.site.as_str(),
                i.shift.as_ref().map(ShiftId::as_str),
                i.staff.as_ref().map(StaffId::as_str),
            )
        })
        .collect();
    assert_eq!(
        found,
        vec![
            // Robin's overtime, on Monday, at the site of the shift that went over.
            (day(23), "hillside", Some("d27"), Some("robin")),
            (day(24), "hillside", Some("q"), Some("quinn")),
            // "The shift …" before "Two managers …".
            (day(24), "main", Some("x"), Some("gone")),
            (day(24), "main", Some("open"), None),
        ]
    );
}

#[test]
fn weekly_minutes_are_paid_minutes_of_the_week_at_every_site() {
    let mut shifts = week_of("robin", "08:00", "17:00", 60);
    shifts[1].site = site("hillside");
    shifts.push(shift("sun", "robin", "main", "22 08:00", "22 16:00"));
    shifts.push(shift("next", "robin", "main", "30 08:00", "30 16:00"));
    shifts.push(shift("other", "quinn", "main", "24 08:00", "24 16:00"));
    shifts.push(with_break(
        600,
        shift("odd", "robin", "main", "28 08:00", "28 09:00"),
    ));
    let robin = StaffId::from("robin");
    assert_eq!(weekly_minutes(&shifts, &robin, day(23)), 2400);
    assert_eq!(weekly_minutes(&shifts, &robin, day(16)), 480);
    assert_eq!(
        weekly_minutes(&shifts, &StaffId::from("quinn"), day(23)),
        480
    );
}

#[test]
fn durations_read_as_hours_and_minutes() {
    for (minutes, text) in [
        (570, "9 h 30 min"),
        (600, "10 h"),
        (45, "45 min"),
        (0, "0 min"),
        (-90, "-1 h 30 min"),
    ] {
        assert_eq!(duration_text(minutes), text, "{minutes}");
    }
}
