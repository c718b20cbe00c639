//! How often a recurring task comes up: the rule, its checks, its occurrence days and the form
//! a person fills in to set it. Pure: today comes in as an argument.
//!
//! Every lookup jumps straight to the right week or month, so asking about a day years after
//! the start costs no more than asking about the next one.

use std::iter::successors;
use std::ops::RangeInclusive;

use chrono::{Datelike, Days, NaiveDate, Weekday};

const STORED_DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const EVERY: RangeInclusive<u32> = 1..=24;
const DAY: RangeInclusive<u32> = 1..=31;
const EVERY_PROBLEM: &str = "Enter months between 1 and 24.";
const DAY_PROBLEM: &str = "Enter a day of the month from 1 to 31.";

/// How often a task comes up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rule {
    /// Every day.
    Daily,
    /// On the chosen weekdays, every week. `days` sorted Monday first, no duplicates.
    Weekly { days: Vec<Weekday> },
    /// Every `every` months (1 = monthly, 12 = yearly) on day `day` (1–31) of the month,
    /// counted from the start's month; a day past the month's end falls on its last day.
    Monthly { every: u32, day: u32 },
}

/// A rule with the day it starts and, optionally, the last day it may fall on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recurrence {
    pub rule: Rule,
    pub start: NaiveDate,
    pub until: Option<NaiveDate>,
}

impl Rule {
    /// The stored form: "daily", "weekly:mon,wed,fri", "monthly:1:15" (every, day).
    pub fn to_stored(&self) -> String {
        match self {
            Rule::Daily => "daily".to_string(),
            Rule::Weekly { days } => {
                let names: Vec<&str> = days.iter().map(|w| STORED_DAYS[index(*w)]).collect();
                format!("weekly:{}", names.join(","))
            }
            Rule::Monthly { every, day } => format!("monthly:{every}:{day}"),
        }
    }

    /// Reads the stored form; None for anything else (damaged or from a later version).
    pub fn parse_stored(text: &str) -> Option<Self> {
        match text.split_once(':') {
            None if text == "daily" => Some(Rule::Daily),
            Some(("weekly", list)) => {
                let mut days = list
                    .split(',')
                    .map(|name| week().nth(STORED_DAYS.iter().position(|n| *n == name)?))
                    .collect::<Option<Vec<_>>>()?;
                days.sort_by_key(|w| index(*w));
                days.dedup();
                Some(Rule::Weekly { days })
            }
            Some(("monthly", numbers)) => {
                let (every, day) = numbers.split_once(':')?;
                let (every, day) = (number(every)?, number(day)?);
                (EVERY.contains(&every) && DAY.contains(&day))
                    .then_some(Rule::Monthly { every, day })
            }
            _ => None,
        }
    }

    /// For people: "Every day", "Every week on Mon, Wed", "Every 3 months on day 1",
    /// "Every year on day 15 of Jan" (the month is the start's).
    pub fn describe(&self, start: NaiveDate) -> String {
        match self {
            Rule::Daily => "Every day".to_string(),
            Rule::Weekly { days } if days.is_empty() => "Never: no weekday chosen".to_string(),
            Rule::Weekly { days } => {
                let names: Vec<String> = days.iter().map(Weekday::to_string).collect();
                format!("Every week on {}", names.join(", "))
            }
            Rule::Monthly { every, day } if every % 12 == 0 => {
                let when = match every / 12 {
                    1 => "Every year".to_string(),
                    years => format!("Every {years} years"),
                };
                // 2028 is a leap year: only a day no year's month has is "the last day".
                let on = match NaiveDate::from_ymd_opt(2028, start.month(), *day) {
                    Some(_) => format!("day {day}"),
                    None => "the last day".to_string(),
                };
                format!("{when} on {on} of {}", start.format("%b"))
            }
            Rule::Monthly { every, day } => {
                let when = match every {
                    1 => "Every month".to_string(),
                    months => format!("Every {months} months"),
                };
                let shorter = (*day > 28).then_some(" (or the last day of shorter months)");
                format!("{when} on day {day}{}", shorter.unwrap_or_default())
            }
        }
    }
}

impl Recurrence {
    /// None when the rule can come up; otherwise a sentence for the person saying why it
    /// never would.
    pub fn problem(&self) -> Option<String> {
        let problem = match (&self.rule, self.until) {
            (Rule::Weekly { days }, _) if days.is_empty() => {
                "Choose at least one weekday, or the task never comes up."
            }
            (Rule::Monthly { every, .. }, _) if !EVERY.contains(every) => EVERY_PROBLEM,
            (Rule::Monthly { day, .. }, _) if !DAY.contains(day) => DAY_PROBLEM,
            (_, Some(until)) if until < self.start => "The end cannot be before the start.",
            (_, Some(_)) if self.first_from(self.start).is_none() => {
                "The task would never come up between its start and end."
            }
            _ => return None,
        };
        Some(problem.to_string())
    }

    /// Every occurrence day d with from <= d <= to, start <= d, d <= until, ascending.
    /// Empty when the rule has a problem.
    pub fn occurrences(&self, from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
        if self.problem().is_some() {
            return Vec::new();
        }
        let to = self.until.map_or(to, |until| to.min(until));
        self.between(from.max(self.start), to)
    }

    /// The latest occurrence on or before `day`, if any.
    pub fn latest_on_or_before(&self, day: NaiveDate) -> Option<NaiveDate> {
        if self.problem().is_some() {
            return None;
        }
        let hi = self.until.map_or(day, |until| day.min(until));
        let lo = hi.checked_sub_days(self.span()).unwrap_or(NaiveDate::MIN);
        self.between(lo.max(self.start), hi).pop()
    }

    /// The first occurrence strictly after `day`, if any.
    pub fn next_after(&self, day: NaiveDate) -> Option<NaiveDate> {
        if self.problem().is_some() {
            return None;
        }
        self.first_from(day.succ_opt()?)
    }

    /// No two occurrences in a row are further apart than this, nor the start and the first.
    fn span(&self) -> Days {
        Days::new(match self.rule {
            Rule::Daily => 0,
            Rule::Weekly { .. } => 6,
            Rule::Monthly { every, .. } => (u64::from(every) + 1) * 31,
        })
    }

    /// The first occurrence on or after `day`, with the rule's fields in range.
    fn first_from(&self, day: NaiveDate) -> Option<NaiveDate> {
        let lo = day.max(self.start);
        let hi = lo.checked_add_days(self.span()).unwrap_or(NaiveDate::MAX);
        let hi = self.until.map_or(hi, |until| hi.min(until));
        self.between(lo, hi).first().copied()
    }

    /// Occurrences in `lo..=hi`, for `lo` not before the start and the rule's fields in range.
    fn between(&self, lo: NaiveDate, hi: NaiveDate) -> Vec<NaiveDate> {
        match &self.rule {
            Rule::Daily => successors(Some(lo), |d| d.succ_opt())
                .take_while(|d| *d <= hi)
                .collect(),
            Rule::Weekly { days } => {
                let mut out: Vec<NaiveDate> = days
                    .iter()
                    .flat_map(|w| {
                        let ahead = (7 + index(*w) - index(lo.weekday())) % 7;
                        let first = lo.checked_add_days(Days::new(ahead as u64));
                        successors(first, |d| d.checked_add_days(Days::new(7)))
                            .take_while(|d| *d <= hi)
                    })
                    .collect();
                out.sort_unstable();
                out.dedup();
                out
            }
            Rule::Monthly { every, day } => {
                let (anchor, every) = (month_index(self.start), *every as i32);
                // The rule's last month not after `lo`'s; its day may fall before `lo`.
                let first = anchor + (month_index(lo) - anchor).max(0) / every * every;
                successors(Some(first), |m| Some(m + every))
                    .take_while(|m| *m <= month_index(hi))
                    .filter_map(|m| in_month(m, *day))
                    .filter(|d| (lo..=hi).contains(d))
                    .collect()
            }
        }
    }
}

/// What a person typed or chose to set a template's rule. Weekdays as seven booleans,
/// Monday first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RuleForm {
    /// "daily", "weekly" or "monthly".
    pub kind: String,
    pub weekdays: [bool; 7],
    /// Months between occurrences, for "monthly" (text as typed, e.g. "1", "12").
    pub every: String,
    /// Day of the month, for "monthly" (as typed).
    pub day: String,
    /// First day, "YYYY-MM-DD" as an <input type=date> gives it.
    pub start: String,
    /// Last day, or empty for none.
    pub until: String,
}

impl RuleForm {
    /// The recurrence, or a sentence naming what is wrong.
    pub fn validate(&self, today: NaiveDate) -> Result<Recurrence, String> {
        let in_range = |text: &str, range: RangeInclusive<u32>| {
            number(text.trim()).filter(|n| range.contains(n))
        };
        let rule = match self.kind.trim() {
            "daily" => Rule::Daily,
            "weekly" => Rule::Weekly {
                days: week()
                    .zip(self.weekdays)
                    .filter_map(|(w, on)| on.then_some(w))
                    .collect(),
            },
            "monthly" => Rule::Monthly {
                every: in_range(&self.every, EVERY).ok_or(EVERY_PROBLEM)?,
                day: in_range(&self.day, DAY).ok_or(DAY_PROBLEM)?,
            },
            _ => return Err("Choose how often the task comes up.".to_string()),
        };
        let start = date(&self.start).ok_or("Enter a real start date, like 2026-12-31.")?;
        let until = match self.until.trim() {
            "" => None,
            text => Some(date(text).ok_or("Enter a real end date, like 2026-12-31.")?),
        };
        if start < today {
            return Err("The start cannot be in the past.".to_string());
        }
        let recurrence = Recurrence { rule, start, until };
        recurrence.problem().map_or(Ok(recurrence), Err)
    }

    /// The form showing an existing recurrence (for editing). Fields the rule does not use
    /// hold the start's weekday and day, ready if the person switches kind.
    pub fn from_recurrence(r: &Recurrence) -> Self {
        let mut form = RuleForm {
            kind: "daily".to_string(),
            weekdays: [false; 7],
            every: "1".to_string(),
            day: r.start.day().to_string(),
            start: r.start.to_string(),
            until: r.until.map(|u| u.to_string()).unwrap_or_default(),
        };
        match &r.rule {
            Rule::Daily => form.weekdays[index(r.start.weekday())] = true,
            Rule::Weekly { days } => {
                form.kind = "weekly".to_string();
                for w in days {
                    form.weekdays[index(*w)] = true;
                }
            }
            Rule::Monthly { every, day } => {
                form.kind = "monthly".to_string();
                form.weekdays[index(r.start.weekday())] = true;
                (form.every, form.day) = (every.to_string(), day.to_string());
            }
        }
        form
    }
}

/// Monday to Sunday.
fn week() -> impl Iterator<Item = Weekday> {
    successors(Some(Weekday::Mon), |w| Some(w.succ())).take(7)
}

fn index(weekday: Weekday) -> usize {
    weekday.num_days_from_monday() as usize
}

/// Digits only: no sign, no spaces.
fn number(text: &str) -> Option<u32> {
    let digits = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    digits.then(|| text.parse().ok()).flatten()
}

fn date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}

/// Months since year 0, so that month arithmetic is integer arithmetic.
fn month_index(day: NaiveDate) -> i32 {
    day.year() * 12 + day.month0() as i32
}

/// Day `day` of month `month` (a `month_index`), or the month's last day when it is shorter.
fn in_month(month: i32, day: u32) -> Option<NaiveDate> {
    let (year, month) = (month.div_euclid(12), month.rem_euclid(12) as u32 + 1);
    (1..=day)
        .rev()
        .take(4)
        .find_map(|d| NaiveDate::from_ymd_opt(year, month, d))
}

#[cfg(test)]
mod tests {
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
}

// Native only: proptest is a native dev-dependency.
#[cfg(all(test, not(target_arch = "wasm32")))]
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
