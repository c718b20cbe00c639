//! The end of the day at a site: what each desk's drawer should hold by method (payments
//! taken that day less refunds given), what the site expected (the co-pays of the patients
//! seen), the difference, and each desk's closing count with who closed it.
//!
//! A closing count is kept in the month's schedule document, in its `drawers` map under
//! `{day}/{desk}`, field by field; closing again writes the new count over the old.

use std::collections::BTreeMap;

use automerge::AutoCommit;
use chrono::{NaiveDate, NaiveDateTime};

use super::{expected, parse_cents, Method, Payment};
use crate::appointment::format_local_datetime;
use crate::document::maps;
use crate::fields::{int, new_record, put_changed, record, text};
use crate::{Appointment, Directory, Document, DocumentError, Status};

/// The most a closing count may hold of one method: a typo guard (1,000,000.00).
pub const MAX_COUNT_CENTS: i64 = 100_000_000;

/// An amount per method, in cents, in the order of [`Method::ALL`].
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug)]
pub struct PerMethod(pub [i64; 3]);

impl PerMethod {
    pub fn get(&self, method: Method) -> i64 {
        self.0[method.index()]
    }

    pub fn add(&mut self, method: Method, cents: i64) {
        self.0[method.index()] += cents;
    }

    pub fn total(&self) -> i64 {
        self.0.iter().sum()
    }

    fn minus(&self, other: &Self) -> Self {
        Self(std::array::from_fn(|i| self.0[i] - other.0[i]))
    }
}

/// One desk's day.
#[derive(Clone, Default, PartialEq, Eq, Debug)]
pub struct Desk {
    /// The desk (device) name.
    pub desk: String,
    /// Taken in, per method.
    pub taken: PerMethod,
    /// Given back, per method.
    pub refunded: PerMethod,
    /// What its drawer should hold: taken less refunded, per method.
    pub drawer: PerMethod,
    pub close: Option<Close>,
}

impl Desk {
    /// The closing count less what the drawer should hold, per method; `None` until closed.
    pub fn difference(&self) -> Option<PerMethod> {
        self.close.as_ref().map(|c| c.counted.minus(&self.drawer))
    }
}

/// A site's day: its desks, by name, and the site's sums.
#[derive(Clone, Default, PartialEq, Eq, Debug)]
pub struct Day {
    pub desks: Vec<Desk>,
    /// The co-pays of the patients checked in that day.
    pub expected: i64,
    /// Every desk's drawer together.
    pub collected: PerMethod,
}

impl Day {
    /// Collected less expected: above zero when more came in than the co-pays asked.
    pub fn difference(&self) -> i64 {
        self.collected.total() - self.expected
    }
}

/// A desk's closing count.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Close {
    pub day: NaiveDate,
    pub desk: String,
    pub counted: PerMethod,
    /// Who closed the drawer, as the desk names them.
    pub closed_by: String,
    pub at: String,
}

/// The takings of `day` at a site: the co-pays expected of `appointments` (the day's)
/// checked in, the `payments` taken or refunded that day ([`super::on_day`]) by desk, and
/// the closes recorded for it. `plans` gives the co-pay a patient's plan sets, if any.
pub fn day_takings<'a>(
    appointments: impl IntoIterator<Item = &'a Appointment>,
    payments: &[Payment],
    day: NaiveDate,
    directory: &Directory,
    plans: &dyn Fn(&Appointment) -> Option<i64>,
    closes: &[Close],
) -> Day {
    let prefix = day.format("%Y-%m-%d").to_string();
    let mut desks: BTreeMap<String, Desk> = BTreeMap::new();
    let seen = |a: &&Appointment| {
        a.start.date() == day
            && matches!(
                a.status,
                Status::Arrived | Status::InRoom | Status::Fulfilled
            )
    };
    let expected_cents = appointments
        .into_iter()
        .filter(seen)
        .map(|a| expected(a, directory, plans(a)).unwrap_or(0))
        .sum();
    for p in payments.iter().filter(|p| p.at.starts_with(&prefix)) {
        let desk = desks.entry(p.device.clone()).or_default();
        match p.kind {
            super::Kind::Payment => desk.taken.add(p.method, p.cents),
            super::Kind::Refund => desk.refunded.add(p.method, p.cents),
        }
    }
    for close in closes.iter().filter(|c| c.day == day) {
        desks.entry(close.desk.clone()).or_default().close = Some(close.clone());
    }
    let mut collected = PerMethod::default();
    let desks = desks
        .into_iter()
        .map(|(name, mut desk)| {
            desk.desk = name;
            desk.drawer = desk.taken.minus(&desk.refunded);
            for m in Method::ALL {
                collected.add(m, desk.drawer.get(m));
            }
            desk
        })
        .collect();
    Day {
        desks,
        expected: expected_cents,
        collected,
    }
}

/// What a desk typed as its closing count: one amount per method, empty for none.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CloseForm {
    pub counted: [String; 3],
}

impl CloseForm {
    /// The count, or the problems as (method, sentence).
    pub fn validate(&self) -> Result<PerMethod, Vec<(Method, String)>> {
        let mut counted = PerMethod::default();
        let mut errors = Vec::new();
        for m in Method::ALL {
            let typed = self.counted[m.index()].trim();
            // Nothing typed is nothing of that method.
            if typed.is_empty() {
                continue;
            }
            match parse_cents(typed, MAX_COUNT_CENTS) {
                Ok(cents) => counted.add(m, cents),
                Err(e) => errors.push((m, e)),
            }
        }
        if errors.is_empty() {
            Ok(counted)
        } else {
            Err(errors)
        }
    }
}

/// Records a desk's closing count for a day in the month's schedule document.
pub fn close_drawer(
    doc: &mut AutoCommit,
    day: NaiveDate,
    desk: &str,
    counted: PerMethod,
    closed_by: &str,
    now: NaiveDateTime,
) -> Result<(), DocumentError> {
    let map = Document::root_map(doc, maps::DRAWERS)?;
    let key = format!("{day}/{desk}");
    let obj = match record(doc, &map, &key) {
        Some(obj) => obj,
        None => new_record(doc, &map, &key)?,
    };
    put_changed(doc, &obj, "day", day.to_string().as_str())?;
    put_changed(doc, &obj, "desk", desk)?;
    for m in Method::ALL {
        put_changed(doc, &obj, m.code(), counted.get(m))?;
    }
    put_changed(doc, &obj, "closed_by", closed_by)?;
    put_changed(doc, &obj, "at", format_local_datetime(now).as_str())
}

/// Every closing count the month's document holds; one that does not read is left out.
pub fn closes(doc: &AutoCommit) -> Vec<Close> {
    let Ok(map) = Document::root_map(doc, maps::DRAWERS) else {
        return Vec::new();
    };
    automerge::ReadDoc::keys(doc, &map)
        .filter_map(|key| {
            let obj = record(doc, &map, &key)?;
            let mut counted = PerMethod::default();
            for m in Method::ALL {
                counted.add(m, int(doc, &obj, m.code())?);
            }
            Some(Close {
                day: NaiveDate::parse_from_str(&text(doc, &obj, "day")?, "%Y-%m-%d").ok()?,
                desk: text(doc, &obj, "desk")?,
                counted,
                closed_by: text(doc, &obj, "closed_by")?,
                at: text(doc, &obj, "at")?,
            })
        })
        .collect()
}
