//! How often a piece of equipment is serviced, and when its next service falls due: the
//! interval after the last service, a month after the 31st falling on the month's last day.

use chrono::{Days, Months, NaiveDate};

/// The unit of an interval.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Unit {
    Days,
    Weeks,
    Months,
}

impl Unit {
    pub const ALL: [Unit; 3] = [Unit::Days, Unit::Weeks, Unit::Months];

    pub fn code(self) -> &'static str {
        match self {
            Self::Days => "d",
            Self::Weeks => "w",
            Self::Months => "m",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Days => "days",
            Self::Weeks => "weeks",
            Self::Months => "months",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|u| u.code() == code)
    }

    /// The longest interval of this unit: ten years.
    pub fn most(self) -> u32 {
        match self {
            Self::Days => 3_650,
            Self::Weeks => 520,
            Self::Months => 120,
        }
    }
}

/// Every `every` units; never zero.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Interval {
    pub every: u32,
    pub unit: Unit,
}

impl Interval {
    /// The day the next service falls due after one on `day`.
    pub fn after(&self, day: NaiveDate) -> Option<NaiveDate> {
        match self.unit {
            Unit::Days => day.checked_add_days(Days::new(u64::from(self.every))),
            Unit::Weeks => day.checked_add_days(Days::new(7 * u64::from(self.every))),
            Unit::Months => day.checked_add_months(Months::new(self.every)),
        }
    }

    /// The stored form: "90d", "2w", "6m".
    pub fn to_stored(&self) -> String {
        format!("{}{}", self.every, self.unit.code())
    }

    pub fn parse_stored(text: &str) -> Option<Self> {
        let last = text.chars().last()?;
        let number = &text[..text.len() - last.len_utf8()];
        let every: u32 = number.parse().ok()?;
        let unit = Unit::parse(last.encode_utf8(&mut [0; 4]))?;
        (every > 0 && every <= unit.most()).then_some(Self { every, unit })
    }

    /// "every 6 months", "every week".
    pub fn describe(&self) -> String {
        match self.every {
            1 => format!("every {}", self.unit.label().trim_end_matches('s')),
            n => format!("every {n} {}", self.unit.label()),
        }
    }
}
