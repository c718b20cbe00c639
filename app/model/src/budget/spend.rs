//! What a site spent on supplies, read from its documents: each delivery received against a
//! purchase order at the price on the order's line, on the day it was received; and each
//! box thrown away (wasted or expired) at the cost recorded when it was received, on the
//! day it was thrown away, less what was taken back by an undo.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::inventory::{Category, Inventory, Movement, MovementId, MovementKind};
use crate::vendor::VendorId;
use crate::SiteId;

/// Where money went.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SpendKind {
    /// Received against a purchase order.
    Bought,
    /// Wasted or expired: bought and lost.
    ThrownAway,
}

impl SpendKind {
    pub fn label(self) -> &'static str {
        match self {
            Self::Bought => "Received",
            Self::ThrownAway => "Thrown away",
        }
    }
}

/// One amount spent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spend {
    pub day: NaiveDate,
    pub site: SiteId,
    pub category: Category,
    /// The order's supplier, or the item's for what was thrown away, as its text says.
    pub supplier: String,
    /// The same supplier in the vendor register, when the order or item names one.
    pub vendor: Option<VendorId>,
    pub item_name: String,
    pub kind: SpendKind,
    /// Negative for a taking back.
    pub cents: i64,
}

/// What `site` spent: the receipts of its orders in `inventory`, and what `movements`
/// (the logs of any of its months) threw away. Items that no longer read are left out.
pub fn spend<'a>(
    site: &SiteId,
    inventory: &Inventory,
    movements: impl IntoIterator<Item = &'a Movement>,
) -> Vec<Spend> {
    let mut all = Vec::new();
    for order in &inventory.orders {
        for receipt in &order.receipts {
            let Some(line) = order.lines.iter().find(|l| l.id == receipt.line) else {
                continue;
            };
            let Some(item) = inventory.item(&line.item) else {
                continue;
            };
            all.push(Spend {
                day: receipt.at.date(),
                site: site.clone(),
                category: item.category,
                supplier: order.supplier.clone(),
                vendor: order.vendor.clone(),
                item_name: line.item_name.clone(),
                kind: SpendKind::Bought,
                cents: receipt.quantity * line.unit_cost_cents,
            });
        }
    }
    let mut movements: Vec<&Movement> = movements.into_iter().collect();
    movements.sort_by(|a, b| (a.at, &a.id).cmp(&(b.at, &b.id)));
    // What each thrown-away movement was worth, for the undo that takes it back.
    let mut thrown: BTreeMap<&MovementId, i64> = BTreeMap::new();
    for m in &movements {
        if matches!(m.kind, MovementKind::Waste | MovementKind::Expired) {
            let unit = inventory.item(&m.item).map_or(0, |i| i.unit_cost_cents);
            thrown.insert(&m.id, m.value_cents.unwrap_or(m.quantity.abs() * unit));
        }
    }
    for m in &movements {
        let cents = match (&m.reverses, thrown.get(&m.id)) {
            (_, Some(&cents)) => cents,
            (Some(original), None) => match thrown.get(original) {
                Some(&cents) => m.value_cents.unwrap_or(-cents),
                None => continue,
            },
            (None, None) => continue,
        };
        let Some(item) = inventory.item(&m.item) else {
            continue;
        };
        all.push(Spend {
            day: m.at.date(),
            site: site.clone(),
            category: item.category,
            supplier: item.supplier.clone(),
            vendor: item.vendor.clone(),
            item_name: m.item_name.clone(),
            kind: SpendKind::ThrownAway,
            cents,
        });
    }
    all.sort_by(|a, b| (a.day, &a.item_name).cmp(&(b.day, &b.item_name)));
    all
}
