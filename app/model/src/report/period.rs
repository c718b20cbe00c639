//! The stretches of time reports count over: weeks (Monday to Sunday) and calendar months.

use chrono::{Days, Months, NaiveDate};

/// How long each period of a report is.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Span {
    Week,
    Month,
}

impl Span {
    pub fn code(self) -> &'static str {
        match self {
            Self::Week => "week",
            Self::Month => "month",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [Self::Week, Self::Month]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// One week or one calendar month, both ends included.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Period {
    pub span: Span,
    pub first: NaiveDate,
    pub last: NaiveDate,
}

impl Period {
    /// The week or month that holds `day`.
    pub fn of(span: Span, day: NaiveDate) -> Self {
        match span {
            Span::Week => {
                let monday = crate::roster::monday(day);
                Self {
                    span,
                    first: monday,
                    last: monday + Days::new(6),
                }
            }
            Span::Month => {
                let first = crate::document::first_of_month(day);
                let last = first
                    .checked_add_months(Months::new(1))
                    .and_then(|next| next.pred_opt())
                    .unwrap_or(first);
                Self { span, first, last }
            }
        }
    }

    /// The `count` periods up to and including the one of `today`, oldest first.
    pub fn last(span: Span, today: NaiveDate, count: u32) -> Vec<Self> {
        let mut periods = Vec::with_capacity(count as usize);
        let mut period = Self::of(span, today);
        for _ in 0..count {
            periods.push(period);
            match period.first.pred_opt() {
                Some(before) => period = Self::of(span, before),
                None => break,
            }
        }
        periods.reverse();
        periods
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        self.first <= day && day <= self.last
    }

    /// Every day of the period, in order.
    pub fn days(&self) -> impl Iterator<Item = NaiveDate> {
        let last = self.last;
        self.first.iter_days().take_while(move |d| *d <= last)
    }

    /// "7 Dec" for a week (its Monday), "Dec 2026" for a month.
    pub fn label(&self) -> String {
        match self.span {
            Span::Week => self.first.format("%-d %b").to_string(),
            Span::Month => self.first.format("%b %Y").to_string(),
        }
    }
}
