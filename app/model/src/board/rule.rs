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
mod tests;
