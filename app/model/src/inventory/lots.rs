//! Lots and expiry: first-expiring-first, what expires soon across sites, and which sites
//! hold a recalled lot.

use chrono::NaiveDate;

use super::{Inventory, Item, Lot, LotId};
use crate::SiteId;

/// Orders lots first-expiring-first: by expiry, then the day received, then lot number and
/// id, the same on every device.
pub fn sort_first_expiring(lots: &mut [Lot]) {
    lots.sort_by(|a, b| {
        (a.expiry, a.received, &a.number, &a.id).cmp(&(b.expiry, b.received, &b.number, &b.id))
    });
}

/// The lot a person should use first: the earliest-expiring that has stock and has not
/// expired by `today`.
pub fn first_expiring(item: &Item, today: NaiveDate) -> Option<&Lot> {
    item.lots
        .iter()
        .find(|l| l.on_hand > 0 && l.expiry >= today)
}

/// Where `amount` taken from `lots` (sorted first-expiring-first) comes from: `first` (if
/// given), then the others first-expiring-first, each only as far as it has stock. What
/// no lot has left is taken from the lot asked for (or the first-expiring, or the last to
/// expire when all are empty), which then shows below zero: a discrepancy, not a refusal.
pub fn take(lots: &[Lot], first: Option<&LotId>, amount: i64) -> Vec<(LotId, i64)> {
    let mut order: Vec<&Lot> = Vec::with_capacity(lots.len());
    order.extend(lots.iter().filter(|l| Some(&l.id) == first));
    order.extend(lots.iter().filter(|l| Some(&l.id) != first));
    let mut parts: Vec<(LotId, i64)> = Vec::new();
    let mut left = amount;
    for lot in &order {
        if left <= 0 {
            break;
        }
        let share = left.min(lot.on_hand.max(0));
        if share > 0 {
            parts.push((lot.id.clone(), share));
            left -= share;
        }
    }
    if left > 0 {
        let short = order
            .iter()
            .find(|l| Some(&l.id) == first)
            .or_else(|| order.iter().find(|l| l.on_hand > 0))
            .or(order.last());
        if let Some(lot) = short {
            match parts.iter_mut().find(|(id, _)| *id == lot.id) {
                Some((_, share)) => *share += left,
                None => parts.push((lot.id.clone(), left)),
            }
        }
    }
    parts
}

/// A lot that has expired or expires soon, and where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expiring {
    pub site: SiteId,
    pub item: super::ItemId,
    pub item_name: String,
    pub location: String,
    pub lot: LotId,
    pub number: String,
    pub expiry: NaiveDate,
    pub on_hand: i64,
    /// Below zero once expired.
    pub days_left: i64,
}

impl Expiring {
    fn of(site: &SiteId, item: &Item, lot: &Lot, today: NaiveDate) -> Self {
        Self {
            site: site.clone(),
            item: item.id.clone(),
            item_name: item.name.clone(),
            location: item.location.clone(),
            lot: lot.id.clone(),
            number: lot.number.clone(),
            expiry: lot.expiry,
            on_hand: lot.on_hand,
            days_left: (lot.expiry - today).num_days(),
        }
    }
}

/// Lots with stock that expire on or before `today + within_days` (expired ones included),
/// across the sites given, soonest first.
pub fn expiring(
    sites: &[(SiteId, &Inventory)],
    today: NaiveDate,
    within_days: i64,
) -> Vec<Expiring> {
    let mut all = Vec::new();
    for (site, inventory) in sites {
        for item in inventory.active() {
            for lot in item.lots.iter().filter(|l| l.on_hand > 0) {
                let days_left = (lot.expiry - today).num_days();
                if days_left <= within_days {
                    all.push(Expiring::of(site, item, lot, today));
                }
            }
        }
    }
    all.sort_by(|a, b| {
        (a.expiry, &a.item_name, a.site.as_str(), &a.lot).cmp(&(
            b.expiry,
            &b.item_name,
            b.site.as_str(),
            &b.lot,
        ))
    });
    all
}

/// Which band of the expiry lists a lot falls in: expired, 30, 60 or 90 days.
pub fn band(days_left: i64) -> Option<&'static str> {
    match days_left {
        d if d < 0 => Some("Expired"),
        0..=30 => Some("Within 30 days"),
        31..=60 => Some("Within 60 days"),
        61..=90 => Some("Within 90 days"),
        _ => None,
    }
}

/// Where a recalled lot is: every site and item holding a lot with this number (compared
/// without case or spaces), including lots used up, so the recall can be traced.
pub fn recall(sites: &[(SiteId, &Inventory)], number: &str, today: NaiveDate) -> Vec<Expiring> {
    let wanted = normalise(number);
    if wanted.is_empty() {
        return Vec::new();
    }
    let mut all = Vec::new();
    for (site, inventory) in sites {
        for item in &inventory.items {
            for lot in item.lots.iter().filter(|l| normalise(&l.number) == wanted) {
                all.push(Expiring::of(site, item, lot, today));
            }
        }
    }
    all.sort_by(|a, b| {
        (a.site.as_str(), &a.item_name, &a.lot).cmp(&(b.site.as_str(), &b.item_name, &b.lot))
    });
    all
}

fn normalise(number: &str) -> String {
    number
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}
