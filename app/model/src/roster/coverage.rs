//! Coverage: what each position of a site must have staffed on a day against the shifts
//! that fill it, and who is on now and next.
//!
//! Only staffed shifts fill a position: an open shift is a plan to find someone, not
//! someone at the desk, so it is listed beside the gap it may fill but does not close it.
//! A night shift that started the day before counts for its part after midnight.

use chrono::{Duration, NaiveDate, NaiveDateTime};

use crate::roster::{PositionId, Shift, ShiftId};
use crate::{Directory, SiteId};

/// One position on one day.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct PositionCover {
    pub position: PositionId,
    pub name: String,
    /// When it must be staffed that day; `None` when it need not be.
    pub required: Option<(NaiveDateTime, NaiveDateTime)>,
    /// Staffed shifts of the position working that day, by start.
    pub filled: Vec<ShiftId>,
    /// Open shifts of the position working that day, by start.
    pub open: Vec<ShiftId>,
    /// Parts of the required span no staffed shift covers, in order.
    pub gaps: Vec<(NaiveDateTime, NaiveDateTime)>,
}

/// A site's day.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct DayCover {
    pub site: SiteId,
    pub day: NaiveDate,
    /// The site's positions, in the directory's order.
    pub positions: Vec<PositionCover>,
    /// Shifts working that day with no position, or one that was removed, by start.
    pub unplanned: Vec<ShiftId>,
}

impl DayCover {
    /// How many uncovered spans the day has, over all positions.
    pub fn gap_count(&self) -> usize {
        self.positions.iter().map(|p| p.gaps.len()).sum()
    }

    pub fn is_covered(&self) -> bool {
        self.gap_count() == 0
    }
}

/// The cover of `site` on `day`. `shifts` may hold other sites and days (the day before
/// is needed for night shifts); those that do not work at `site` on `day` are left out.
pub fn day_cover(
    directory: &Directory,
    site: &SiteId,
    day: NaiveDate,
    shifts: &[Shift],
) -> DayCover {
    let midnight = day.and_time(chrono::NaiveTime::MIN);
    let next_midnight = midnight + Duration::days(1);
    let mut working: Vec<&Shift> = shifts
        .iter()
        .filter(|s| &s.site == site)
        .filter(|s| s.day() == day || (s.start < next_midnight && s.end > midnight))
        .collect();
    working.sort_by(|a, b| (a.start, &a.id).cmp(&(b.start, &b.id)));
    let positions: Vec<PositionCover> = directory
        .positions_at(site)
        .map(|position| {
            let of_position: Vec<&Shift> = working
                .iter()
                .copied()
                .filter(|s| s.position.as_ref() == Some(&position.id))
                .collect();
            let (open, filled): (Vec<&Shift>, Vec<&Shift>) =
                of_position.into_iter().partition(|s| s.is_open());
            let required = position
                .required
                .on(day)
                .map(|(start, end)| (day.and_time(start), day.and_time(end)));
            PositionCover {
                position: position.id.clone(),
                name: position.name.clone(),
                required,
                gaps: required.map_or_else(Vec::new, |span| gaps(span, &filled)),
                filled: filled.iter().map(|s| s.id.clone()).collect(),
                open: open.iter().map(|s| s.id.clone()).collect(),
            }
        })
        .collect();
    let unplanned = working
        .iter()
        .filter(|s| {
            s.position
                .as_ref()
                .is_none_or(|p| !positions.iter().any(|c| &c.position == p))
        })
        .map(|s| s.id.clone())
        .collect();
    DayCover {
        site: site.clone(),
        day,
        positions,
        unplanned,
    }
}

/// `span` less the times `shifts` (by start) cover.
fn gaps(
    (start, end): (NaiveDateTime, NaiveDateTime),
    shifts: &[&Shift],
) -> Vec<(NaiveDateTime, NaiveDateTime)> {
    let mut gaps = Vec::new();
    let mut covered_to = start;
    for shift in shifts {
        if shift.start >= end || covered_to >= end {
            break;
        }
        if shift.start > covered_to {
            gaps.push((covered_to, shift.start));
        }
        covered_to = covered_to.max(shift.end);
    }
    if covered_to < end {
        gaps.push((covered_to, end));
    }
    gaps
}

/// Staffed shifts at `site` under way at `now`, by position then start. The order keeps
/// one position's people together; [`by_position_name`] puts the positions in the order
/// people read them.
pub fn on_now<'a>(shifts: &'a [Shift], site: &SiteId, now: NaiveDateTime) -> Vec<&'a Shift> {
    let mut on: Vec<&Shift> = shifts
        .iter()
        .filter(|s| &s.site == site && !s.is_open() && s.on_at(now))
        .collect();
    on.sort_by(|a, b| (&a.position, a.start, &a.id).cmp(&(&b.position, b.start, &b.id)));
    on
}

/// Staffed shifts at `site` that start later on `now`'s day, by start.
pub fn next_on<'a>(shifts: &'a [Shift], site: &SiteId, now: NaiveDateTime) -> Vec<&'a Shift> {
    let mut next: Vec<&Shift> = shifts
        .iter()
        .filter(|s| &s.site == site && !s.is_open())
        .filter(|s| s.start > now && s.day() == now.date())
        .collect();
    next.sort_by(|a, b| (a.start, &a.position, &a.id).cmp(&(b.start, &b.position, &b.id)));
    next
}

/// Orders shifts by their position's name (no position last), then start.
pub fn by_position_name(directory: &Directory, shifts: &mut [&Shift]) {
    shifts.sort_by_cached_key(|s| {
        (
            s.position.is_none(),
            directory.position_name(s.position.as_ref()).to_lowercase(),
            s.start,
            s.id.clone(),
        )
    });
}

#[cfg(test)]
mod tests;
