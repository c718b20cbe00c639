//! Who is rostered for how many hours in a period, against their contract, and how much of
//! it is overtime. Overtime is counted shift by shift: walking a person's week (Monday to
//! Sunday, every site) in order, the minutes past the organisation's weekly threshold are
//! overtime on the day of the shift that went past it, so that weeks and months both add
//! up to the same total.

use std::collections::BTreeMap;

use super::Period;
use crate::roster::{monday, Shift};
use crate::{Directory, StaffId};

/// One person's rostered minutes in a period.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Hours {
    pub staff: StaffId,
    pub name: String,
    /// Paid minutes of their shifts in the period (breaks left out).
    pub rostered: i64,
    /// Their contracted weekly minutes over the period's days; `None` without a contract.
    pub contracted: Option<i64>,
    /// Of the rostered minutes, those past the weekly overtime threshold.
    pub overtime: i64,
}

impl Hours {
    /// Rostered minutes past the contract; zero when within it or without one.
    pub fn over_contract(&self) -> i64 {
        self.contracted
            .map_or(0, |contracted| (self.rostered - contracted).max(0))
    }
}

/// Every rostered person's hours at `sites` in `period`, by name, from `shifts`: of every
/// site (a week's overtime counts the hours worked elsewhere too), in any order, and every
/// shift of the weeks the period touches (from the Monday of its first day), so that
/// overtime counts the days of a week before the period starts.
pub fn hours<'a>(
    shifts: impl IntoIterator<Item = &'a Shift>,
    directory: &Directory,
    period: &Period,
    sites: &[crate::SiteId],
) -> Vec<Hours> {
    let threshold = i64::from(directory.roster_rules.overtime_minutes);
    let mut by_person: BTreeMap<&StaffId, Vec<&Shift>> = BTreeMap::new();
    for shift in shifts {
        if let Some(staff) = &shift.staff {
            by_person.entry(staff).or_default().push(shift);
        }
    }
    let days = period.days().count() as i64;
    let mut all: Vec<Hours> = by_person
        .into_iter()
        .filter_map(|(staff, mut list)| {
            list.sort_by(|a, b| (a.start, &a.id).cmp(&(b.start, &b.id)));
            let (mut rostered, mut overtime) = (0, 0);
            let mut week = None;
            let mut so_far = 0;
            for shift in list {
                let paid = shift.minutes().max(0);
                if week != Some(monday(shift.day())) {
                    week = Some(monday(shift.day()));
                    so_far = 0;
                }
                let past = (so_far + paid - threshold).clamp(0, paid);
                so_far += paid;
                if period.contains(shift.day()) && sites.contains(&shift.site) {
                    rostered += paid;
                    overtime += past;
                }
            }
            (rostered > 0).then(|| {
                let member = directory.staff.iter().find(|m| &m.id == staff);
                Hours {
                    staff: staff.clone(),
                    name: directory.staff_name(staff),
                    rostered,
                    contracted: member
                        .and_then(|m| m.weekly_minutes)
                        .map(|weekly| (i64::from(weekly) * days + 3) / 7),
                    overtime,
                }
            })
        })
        .collect();
    all.sort_by(|a, b| (a.name.to_lowercase(), &a.staff).cmp(&(b.name.to_lowercase(), &b.staff)));
    all
}
