//! Each provider's utilisation over a period: the minutes they were booked for over the
//! minutes they keep, their working hours on each day one of their sites is open and they
//! are not away.

use super::Figures;
use crate::{Directory, Provider, ProviderId, SiteId};

/// One provider's booked and available minutes in a period.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Utilisation {
    pub provider: ProviderId,
    pub name: String,
    pub booked: i64,
    pub available: i64,
}

impl Utilisation {
    /// Booked over available in whole percent, rounded down; above 100 when booked past
    /// their hours, `None` when they kept no hours.
    pub fn percent(&self) -> Option<u32> {
        (self.available > 0).then(|| (self.booked.max(0) * 100 / self.available) as u32)
    }
}

/// The utilisation of every provider who works at one of `sites` or was booked there, by
/// name. A provider who works at several of them counts their hours once.
pub fn utilisation(figures: &Figures, directory: &Directory, sites: &[SiteId]) -> Vec<Utilisation> {
    let mut all: Vec<Utilisation> = directory
        .providers
        .iter()
        .filter(|p| p.sites.iter().any(|s| sites.contains(s)))
        .map(|p| Utilisation {
            provider: p.id.clone(),
            name: p.name.clone(),
            booked: figures.booked_minutes.get(&p.id).copied().unwrap_or(0),
            available: available(p, directory, sites, figures),
        })
        .collect();
    for (id, &booked) in &figures.booked_minutes {
        if !all.iter().any(|u| &u.provider == id) {
            all.push(Utilisation {
                provider: id.clone(),
                name: directory.provider_name(id),
                booked,
                available: 0,
            });
        }
    }
    all.sort_by(|a, b| {
        (a.name.to_lowercase(), &a.provider).cmp(&(b.name.to_lowercase(), &b.provider))
    });
    all
}

/// The minutes `provider` keeps in the period at `sites`: their hours on each day one of
/// those sites they work at is open, unless they are away.
fn available(
    provider: &Provider,
    directory: &Directory,
    sites: &[SiteId],
    figures: &Figures,
) -> i64 {
    figures
        .period
        .days()
        .filter(|&day| {
            provider
                .sites
                .iter()
                .any(|s| sites.contains(s) && directory.closure_on(s, day).is_none())
                && directory.leave_on(&provider.id, day).is_none()
        })
        .filter_map(|day| provider.hours.on(day))
        .map(|(open, close)| (close - open).num_minutes().max(0))
        .sum()
}
