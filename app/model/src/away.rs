//! Who cannot be booked when: a site closed by the calendar ([`crate::closure`]), or a
//! provider away on time off ([`crate::staff::time_off`]) through the member of staff who
//! is that provider ([`crate::StaffMember::provider`]). The clashes
//! ([`crate::clash::ClashKind::Closed`] and [`crate::clash::ClashKind::Away`]), the booking
//! form's warning and the next free slot all ask here, so they agree.

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};

use crate::closure::Closure;
use crate::staff::time_off::{Decision, TimeOff};
use crate::{Directory, ProviderId, SiteId};

/// Why a booking falls on a day its provider cannot see patients at its site.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Away<'a> {
    /// The site is closed that day.
    Closed(&'a Closure),
    /// The provider is away that day.
    OnLeave(&'a TimeOff),
}

impl Away<'_> {
    /// What keeps the day off, as a desk reads it: "Christmas Day, Fri 25 Dec" or
    /// "vacation, Tue 8 Dec – Wed 9 Dec".
    pub fn reason(&self) -> String {
        let days = |from: NaiveDate, to: NaiveDate| {
            if from == to {
                from.format("%a %-d %b").to_string()
            } else {
                format!("{} – {}", from.format("%a %-d %b"), to.format("%a %-d %b"))
            }
        };
        match self {
            Self::Closed(c) => format!("{}, {}", c.name, days(c.from, c.to)),
            Self::OnLeave(t) => {
                format!("{}, {}", t.kind.label().to_lowercase(), days(t.from, t.to))
            }
        }
    }

    /// A sentence for the booking form: who or what is away, and why.
    pub fn warning(&self, directory: &Directory, provider: &ProviderId, site: &SiteId) -> String {
        match self {
            Self::Closed(_) => {
                let name = directory.site(site).map_or("The site", |s| s.name.as_str());
                format!("{name} is closed then ({}).", self.reason())
            }
            Self::OnLeave(_) => format!(
                "{} is away then ({}).",
                directory.provider_name(provider),
                self.reason()
            ),
        }
    }
}

impl TimeOff {
    /// Whether the person is away for it: approved, or approved by one of two managers who
    /// disagree, since a booking is better warned of until they settle it.
    pub fn keeps_away(&self) -> bool {
        self.status == Decision::Approved || self.disputed.contains(&Decision::Approved)
    }
}

impl Directory {
    /// The calendar's entry that closes `site` on `day`, if any (the first by its days).
    pub fn closure_on(&self, site: &SiteId, day: NaiveDate) -> Option<&Closure> {
        self.closures.iter().find(|c| c.closes(site, day))
    }

    /// The time off that keeps `provider` away on `day`, if any.
    pub fn leave_on(&self, provider: &ProviderId, day: NaiveDate) -> Option<&TimeOff> {
        self.leave_of(provider).find(|t| t.covers(day))
    }

    /// The time off that keeps `provider` away, through every staff record that is them.
    fn leave_of<'a>(
        &'a self,
        provider: &ProviderId,
    ) -> impl Iterator<Item = &'a TimeOff> + use<'a> {
        let people: Vec<_> = self
            .staff
            .iter()
            .filter(|s| s.provider.as_ref() == Some(provider))
            .map(|s| &s.id)
            .collect();
        self.time_off
            .iter()
            .filter(move |t| t.keeps_away() && people.contains(&&t.staff))
    }

    /// Why `provider` cannot see a patient at `site` from `start` to `end`, on any day the
    /// booking touches: the site's closure first, as it keeps everyone away.
    pub fn away(
        &self,
        provider: &ProviderId,
        site: &SiteId,
        start: NaiveDateTime,
        end: NaiveDateTime,
    ) -> Option<Away<'_>> {
        let days = days_of(start, end);
        days.clone()
            .find_map(|day| self.closure_on(site, day).map(Away::Closed))
            .or_else(|| {
                days.into_iter()
                    .find_map(|day| self.leave_on(provider, day).map(Away::OnLeave))
            })
    }
}

/// The days a booking from `start` to `end` touches: its start's, through the day of its
/// last minute.
pub(crate) fn days_of(
    start: NaiveDateTime,
    end: NaiveDateTime,
) -> impl Iterator<Item = NaiveDate> + Clone {
    let last = (end - TimeDelta::minutes(1)).max(start).date();
    start.date().iter_days().take_while(move |d| *d <= last)
}

/// The days one provider cannot be booked at one site, gathered once for a search over
/// many days (the next free slot).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DaysOff(Vec<(NaiveDate, NaiveDate)>);

impl DaysOff {
    /// No day off: every day is open.
    pub fn none() -> Self {
        Self::default()
    }

    pub fn of(directory: &Directory, provider: &ProviderId, site: &SiteId) -> Self {
        let closed = directory
            .closures
            .iter()
            .filter(|c| c.site.as_ref().is_none_or(|s| s == site))
            .map(|c| (c.from, c.to));
        let leave = directory.leave_of(provider).map(|t| (t.from, t.to));
        Self(closed.chain(leave).collect())
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        self.0.iter().any(|&(from, to)| from <= day && day <= to)
    }
}

#[cfg(test)]
mod tests;
