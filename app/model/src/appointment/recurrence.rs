//! Recurring appointments: weekly, every two weeks or monthly, N times or until a date.

use chrono::{Months, NaiveDate, NaiveDateTime, TimeDelta};

/// The most occurrences one series may have: a year of weekly visits.
pub const MAX_OCCURRENCES: u32 = 52;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Frequency {
    Weekly,
    Fortnightly,
    Monthly,
}

impl Frequency {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "weekly" => Some(Self::Weekly),
            "fortnightly" => Some(Self::Fortnightly),
            "monthly" => Some(Self::Monthly),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Weekly => "weekly",
            Self::Fortnightly => "every 2 weeks",
            Self::Monthly => "monthly",
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum RecurrenceEnd {
    /// This many occurrences in all, the first included.
    Count(u32),
    /// The last occurrence falls on or before this day.
    Until(NaiveDate),
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Recurrence {
    pub frequency: Frequency,
    pub end: RecurrenceEnd,
}

impl Recurrence {
    /// The starts of every occurrence, the first being `first`. A monthly series on the
    /// 31st falls on the last day of shorter months, and returns to the 31st after.
    /// Never more than [`MAX_OCCURRENCES`].
    pub fn expand(&self, first: NaiveDateTime) -> Vec<NaiveDateTime> {
        let mut starts = Vec::new();
        for n in 0..MAX_OCCURRENCES {
            let at = match self.frequency {
                Frequency::Weekly => first.checked_add_signed(TimeDelta::weeks(i64::from(n))),
                Frequency::Fortnightly => {
                    first.checked_add_signed(TimeDelta::weeks(2 * i64::from(n)))
                }
                Frequency::Monthly => first.checked_add_months(Months::new(n)),
            };
            let Some(at) = at else { break };
            let done = match self.end {
                RecurrenceEnd::Count(count) => n >= count,
                RecurrenceEnd::Until(last) => at.date() > last,
            };
            if done {
                break;
            }
            starts.push(at);
        }
        starts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M").expect("valid")
    }

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("valid")
    }

    fn texts(starts: Vec<NaiveDateTime>) -> Vec<String> {
        starts
            .iter()
            .map(|s| s.format("%Y-%m-%dT%H:%M").to_string())
            .collect()
    }

    #[test]
    fn weekly_n_times() {
        let rule = Recurrence {
            frequency: Frequency::Weekly,
            end: RecurrenceEnd::Count(3),
        };
        assert_eq!(
            texts(rule.expand(at("2026-11-23T10:00"))),
            ["2026-11-23T10:00", "2026-11-30T10:00", "2026-12-07T10:00"]
        );
    }

    #[test]
    fn fortnightly_until_a_day_includes_that_day() {
        let rule = Recurrence {
            frequency: Frequency::Fortnightly,
            end: RecurrenceEnd::Until(day("2026-12-21")),
        };
        assert_eq!(
            texts(rule.expand(at("2026-11-23T09:15"))),
            ["2026-11-23T09:15", "2026-12-07T09:15", "2026-12-21T09:15"]
        );
    }

    #[test]
    fn monthly_on_the_31st_clamps_to_short_months() {
        let rule = Recurrence {
            frequency: Frequency::Monthly,
            end: RecurrenceEnd::Count(4),
        };
        assert_eq!(
            texts(rule.expand(at("2027-01-31T08:00"))),
            [
                "2027-01-31T08:00",
                "2027-02-28T08:00",
                "2027-03-31T08:00",
                "2027-04-30T08:00"
            ]
        );
    }

    #[test]
    fn series_are_capped_and_an_until_before_the_start_gives_nothing() {
        let rule = Recurrence {
            frequency: Frequency::Weekly,
            end: RecurrenceEnd::Count(500),
        };
        assert_eq!(
            rule.expand(at("2026-11-23T10:00")).len(),
            MAX_OCCURRENCES as usize
        );
        let rule = Recurrence {
            frequency: Frequency::Weekly,
            end: RecurrenceEnd::Until(day("2026-11-01")),
        };
        assert!(rule.expand(at("2026-11-23T10:00")).is_empty());
    }
}
