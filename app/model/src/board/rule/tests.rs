//! The rule's tables and, natively, its property tests against a day-by-day scan.

use super::*;

fn d(text: &str) -> NaiveDate {
    date(text).unwrap_or_else(|| panic!("bad test date {text}"))
}

fn opt(text: &str) -> Option<NaiveDate> {
    (text != "-").then(|| d(text))
}

/// A recurrence from "rule start until" (until "-" for none), and the rest of the line.
/// The rule may be out of range ("weekly:", "monthly:0:15") to test `problem`.
fn case(line: &str) -> (Recurrence, &str) {
    let mut f = line.splitn(4, ' ');
    let mut next = || f.next().unwrap_or_default();
    let (rule, start, until, rest) = (next(), next(), next(), next());
    let numbers = rule
        .strip_prefix("monthly:")
        .and_then(|t| t.split_once(':'));
    let rule = match numbers {
        _ if rule == "weekly:" => Rule::Weekly { days: vec![] },
        Some((every, day)) => Rule::Monthly {
            every: every.parse().unwrap_or(0),
            day: day.parse().unwrap_or(0),
        },
        None => Rule::parse_stored(rule).unwrap_or_else(|| panic!("bad rule {rule}")),
    };
    (
        Recurrence {
            rule,
            start: d(start),
            until: opt(until),
        },
        rest,
    )
}

/// rule, start, until, window from and to, then the expected dates.
const OCCURRENCES: &[&str] = &[
    "daily 2026-01-20 - 2026-01-18 2026-01-22 2026-01-20 2026-01-21 2026-01-22",
    "daily 2026-03-01 - 2026-01-01 2026-02-01",
    "daily 2026-01-01 - 2026-02-01 2026-01-31",
    "weekly:mon,wed,fri 2026-01-01 - 2026-01-01 2026-01-12 \
     2026-01-02 2026-01-05 2026-01-07 2026-01-09 2026-01-12",
    "weekly:tue 2026-01-01 2026-01-20 2026-01-01 2026-02-28 2026-01-06 2026-01-13 2026-01-20",
    "monthly:1:31 2027-01-01 - 2027-01-01 2027-05-31 \
     2027-01-31 2027-02-28 2027-03-31 2027-04-30 2027-05-31",
    "monthly:1:31 2028-01-31 - 2027-01-01 2028-03-31 2028-01-31 2028-02-29 2028-03-31",
    "monthly:1:15 2026-01-20 - 2026-01-01 2026-03-31 2026-02-15 2026-03-15",
    "monthly:3:15 2026-01-20 - 2026-01-01 2026-12-31 2026-04-15 2026-07-15 2026-10-15",
    "monthly:12:15 2026-01-20 - 2026-01-01 2029-12-31 2027-01-15 2028-01-15 2029-01-15",
    "monthly:12:29 2028-02-01 - 2028-01-01 2032-03-01 \
     2028-02-29 2029-02-28 2030-02-28 2031-02-28 2032-02-29",
    "monthly:24:10 2026-03-05 2030-03-09 2026-01-01 2031-01-01 2026-03-10 2028-03-10",
];

/// rule, start, until, a day, then the latest occurrence on or before it and the next.
const AROUND: &[&str] = &[
    "daily 2026-01-20 - 2026-01-19 - 2026-01-20",
    "daily 2026-01-20 - 2036-05-05 2036-05-05 2036-05-06",
    "weekly:mon 2026-01-01 - 2031-06-18 2031-06-16 2031-06-23",
    "weekly:mon 2026-01-01 - 2031-06-15 2031-06-09 2031-06-16",
    "monthly:1:31 2026-01-01 - 2030-02-27 2030-01-31 2030-02-28",
    "monthly:3:15 2026-01-20 - 2026-03-01 - 2026-04-15",
    "monthly:12:15 2026-01-20 - 2040-01-14 2039-01-15 2040-01-15",
    "monthly:24:10 2026-03-05 - 2027-12-31 2026-03-10 2028-03-10",
    "weekly:tue 2026-01-01 2026-01-20 2030-01-01 2026-01-20 -",
    "weekly:tue 2026-01-01 2026-01-20 2025-06-01 - 2026-01-06",
];

/// rule, start, until, then what `problem` says.
const PROBLEMS: &[&str] = &[
    "weekly: 2026-01-06 - Choose at least one weekday, or the task never comes up.",
    "monthly:0:15 2026-01-06 - Enter months between 1 and 24.",
    "monthly:25:15 2026-01-06 - Enter months between 1 and 24.",
    "monthly:1:0 2026-01-06 - Enter a day of the month from 1 to 31.",
    "monthly:1:32 2026-01-06 - Enter a day of the month from 1 to 31.",
    "daily 2026-01-06 2026-01-05 The end cannot be before the start.",
    "weekly:mon 2026-01-06 2026-01-11 The task would never come up between its start and end.",
    "monthly:12:5 2026-01-06 2026-12-31 The task would never come up between its start and end.",
];

#[test]
fn occurrences_follow_the_rule() {
    for line in OCCURRENCES {
        let (r, rest) = case(line);
        let f: Vec<&str> = rest.split(' ').collect();
        let expected: Vec<NaiveDate> = f[2..].iter().map(|t| d(t)).collect();
        assert_eq!(r.occurrences(d(f[0]), d(f[1])), expected, "{line}");
    }
}

#[test]
fn latest_and_next_jump_to_the_right_day() {
    for line in AROUND {
        let (r, rest) = case(line);
        let f: Vec<&str> = rest.split(' ').collect();
        assert_eq!(r.latest_on_or_before(d(f[0])), opt(f[1]), "latest {line}");
        assert_eq!(r.next_after(d(f[0])), opt(f[2]), "next {line}");
    }
}

#[test]
fn problems_say_why_the_task_never_comes_up() {
    for line in PROBLEMS {
        let (r, message) = case(line);
        assert_eq!(r.problem().as_deref(), Some(message), "{line}");
        assert_eq!(r.occurrences(NaiveDate::MIN, NaiveDate::MAX), vec![]);
        assert_eq!(
            (r.latest_on_or_before(NaiveDate::MAX), r.next_after(r.start)),
            (None, None)
        );
    }
    for line in OCCURRENCES.iter().chain(AROUND) {
        assert_eq!(case(line).0.problem(), None, "{line}");
    }
}

#[test]
fn stored_form_round_trips_and_rejects_damage() {
    for text in "daily weekly:mon,wed,fri weekly:sun monthly:1:15 monthly:24:31".split(' ') {
        let stored = Rule::parse_stored(text).map(|r| r.to_stored());
        assert_eq!(stored.as_deref(), Some(text));
    }
    let tidy = Rule::Weekly {
        days: vec![Weekday::Mon, Weekday::Fri],
    };
    assert_eq!(Rule::parse_stored("weekly:fri,mon,fri"), Some(tidy));
    // Including the empty text, between "hourly" and "daily:1".
    let damaged = "weekly:|weekly:xyz|weekly:mon,|monthly:0:15|monthly:1:32|monthly:1\
                   |monthly:+1:15|monthly:1:15:2|Daily|hourly||daily:1";
    for text in damaged.split('|') {
        assert_eq!(Rule::parse_stored(text), None, "{text}");
    }
}

#[test]
fn describes_for_people() {
    let cases = [
        "daily 2026-01-20 Every day",
        "weekly:mon,wed 2026-01-20 Every week on Mon, Wed",
        "monthly:1:15 2026-01-20 Every month on day 15",
        "monthly:3:1 2026-01-20 Every 3 months on day 1",
        "monthly:1:31 2026-01-20 Every month on day 31 (or the last day of shorter months)",
        "monthly:12:15 2026-01-20 Every year on day 15 of Jan",
        "monthly:24:15 2026-01-20 Every 2 years on day 15 of Jan",
        "monthly:12:30 2026-02-01 Every year on the last day of Feb",
    ];
    for line in cases {
        let (rule, rest) = line.split_once(' ').unwrap_or_default();
        let (start, expected) = rest.split_once(' ').unwrap_or_default();
        let rule = Rule::parse_stored(rule).unwrap_or(Rule::Daily);
        assert_eq!(rule.describe(d(start)), expected, "{line}");
    }
}

#[test]
fn form_names_what_is_wrong() {
    let today = d("2026-01-10");
    let (good, _) = case("monthly:1:15 2026-01-20 2026-06-30");
    let form = RuleForm::from_recurrence(&good);
    assert_eq!(form.validate(today), Ok(good));
    let cases = [
        "kind hourly Choose how often the task comes up.",
        "start 2026-02-30 Enter a real start date, like 2026-12-31.",
        "start today Enter a real start date, like 2026-12-31.",
        "until 2026-02-30 Enter a real end date, like 2026-12-31.",
        "start 2026-01-09 The start cannot be in the past.",
        "every x Enter months between 1 and 24.",
        "every 0 Enter months between 1 and 24.",
        "every 25 Enter months between 1 and 24.",
        "day -3 Enter a day of the month from 1 to 31.",
        "day 32 Enter a day of the month from 1 to 31.",
        "until 2026-01-19 The end cannot be before the start.",
        "until 2026-02-14 The task would never come up between its start and end.",
        "kind weekly Choose at least one weekday, or the task never comes up.",
    ];
    for line in cases {
        let mut f = line.splitn(3, ' ').map(String::from);
        let mut next = || f.next().unwrap_or_default();
        let (field, value, expected) = (next(), next(), next());
        let mut wrong = form.clone();
        wrong.weekdays = [false; 7];
        *match field.as_str() {
            "kind" => &mut wrong.kind,
            "start" => &mut wrong.start,
            "until" => &mut wrong.until,
            "every" => &mut wrong.every,
            _ => &mut wrong.day,
        } = value;
        assert_eq!(wrong.validate(today), Err(expected), "{line}");
    }
}

#[test]
fn form_round_trips_every_recurrence() {
    for line in OCCURRENCES.iter().chain(AROUND) {
        let (r, _) = case(line);
        let form = RuleForm::from_recurrence(&r);
        assert_eq!(form.validate(r.start), Ok(r), "{line}");
    }
}

#[test]
fn extreme_dates_do_not_panic() {
    let (min, max) = (NaiveDate::MIN, NaiveDate::MAX);
    for rule in ["daily", "weekly:mon,sun", "monthly:24:31"] {
        for (start, until) in [(min, None), (max, None), (min, Some(max)), (max, Some(max))] {
            let rule = Rule::parse_stored(rule).unwrap_or(Rule::Daily);
            let r = Recurrence { rule, start, until };
            let _ = (r.problem(), r.rule.describe(start), r.occurrences(max, max));
            let _ = (r.latest_on_or_before(min), r.latest_on_or_before(max));
            let _ = (r.next_after(min), r.next_after(max));
        }
    }
}

mod properties {
    use super::*;
    use chrono::TimeDelta;
    use proptest::prelude::*;

    fn rule() -> impl Strategy<Value = Rule> {
        let weekly = any::<[bool; 7]>().prop_map(|on| Rule::Weekly {
            days: week()
                .zip(on)
                .filter_map(|(w, on)| on.then_some(w))
                .collect(),
        });
        let monthly = (EVERY, DAY).prop_map(|(every, day)| Rule::Monthly { every, day });
        prop_oneof![Just(Rule::Daily), weekly, monthly]
    }

    /// The rule read literally, one day at a time.
    fn holds(r: &Recurrence, d: NaiveDate) -> bool {
        let inside = r.start <= d && r.until.is_none_or(|until| d <= until);
        inside
            && match &r.rule {
                Rule::Daily => true,
                Rule::Weekly { days } => days.contains(&d.weekday()),
                Rule::Monthly { every, day } => {
                    let months = (d.year() - r.start.year()) * 12 + d.month() as i32
                        - r.start.month() as i32;
                    let last = d.succ_opt().is_none_or(|next| next.month() != d.month());
                    months % *every as i32 == 0 && (d.day() == *day || d.day() < *day && last)
                }
            }
    }

    fn days(from: NaiveDate, to: NaiveDate) -> impl Iterator<Item = NaiveDate> {
        successors(Some(from), |d| d.succ_opt()).take_while(move |d| *d <= to)
    }

    proptest! {
        #[test]
        fn agrees_with_a_day_by_day_scan(
            rule in rule(),
            start in 0..4000i64,
            until in proptest::option::of(0..800i64),
            from in -400..400i64,
            len in 0..400i64,
        ) {
            let start = d0() + TimeDelta::days(start);
            let r = Recurrence { rule, start, until: until.map(|u| start + TimeDelta::days(u)) };
            let from = start + TimeDelta::days(from);
            let (to, end) = (from + TimeDelta::days(len), from + TimeDelta::days(400));
            if r.problem().is_some() {
                let last = r.until.unwrap_or(end);
                prop_assert!(days(start, last).all(|d| !holds(&r, d)) || r.until.is_none());
                prop_assert!(r.occurrences(from, to).is_empty());
                prop_assert_eq!((r.latest_on_or_before(end), r.next_after(from)), (None, None));
                return Ok(());
            }
            let all: Vec<NaiveDate> = days(start.min(from), end).filter(|d| holds(&r, *d)).collect();
            let got = r.occurrences(from, to);
            prop_assert!(got.windows(2).all(|w| w[0] < w[1]));
            prop_assert!(got.iter().all(|d| holds(&r, *d) && (from..=to).contains(d)));
            let expected: Vec<NaiveDate> =
                all.iter().copied().filter(|d| (from..=to).contains(d)).collect();
            prop_assert_eq!(got, expected);
            for day in days(from, end) {
                let latest = all.iter().rev().find(|d| **d <= day).copied();
                prop_assert_eq!(r.latest_on_or_before(day), latest);
                match all.iter().find(|d| **d > day) {
                    Some(next) => prop_assert_eq!(r.next_after(day), Some(*next)),
                    None => prop_assert!(r.next_after(day).is_none_or(|next| next > end)),
                }
            }
        }

        #[test]
        fn reading_any_text_never_panics(text in ".{0,20}", number in "[0-9]{0,3}") {
            let _ = Rule::parse_stored(&text);
            let form = RuleForm { kind: "monthly".into(), every: text, day: number, ..RuleForm::default() };
            let _ = form.validate(d0());
        }
    }

    fn d0() -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default()
    }
}
