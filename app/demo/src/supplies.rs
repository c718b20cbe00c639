//! The demo's supplies: what each site of a family practice keeps (gloves, exam-table
//! paper, toner, wipes, vaccines…) with three weeks of history behind it: the opening
//! stock, a delivery or two, the desk's daily uses, one adjustment and one waste. A few
//! items end at or below their reorder point, so that Reorder has something to say; lots
//! have expired or expire within 30, 60 and 90 days; one order per site is on its way,
//! partly delivered, and the main site has a draft.
//!
//! Like the rest of the demo it is made up: the suppliers are invented, the barcodes are
//! in-store numbers (prefixes 2 and 4) that no product carries. What a site keeps is a
//! table ([`catalogue`]); its history is laid out around the days it opens ([`history`]).
//! [`supplies`] is pure; [`write_supplies`] writes one site's through the inventory's own
//! changes.

mod catalogue;
mod history;

use automerge::AutoCommit;
use chrono::{NaiveDate, NaiveDateTime};

use super::names::Rng;
use super::DemoClinic;
use catalogue::{lot_number, CATALOGUE};
use model::document::first_of_month;
use model::inventory::movement::{self, LotChoice, NewMovement};
use model::inventory::order::{self, Delivery};
use model::inventory::{form, Inventory, MovementKind, ValidItem};
use model::schedule::Who;
use model::{DocumentError, SiteId};

/// One site's supplies, ready to be written: items, then their history and orders, which
/// name items by their place in `items`.
#[derive(Clone, Debug, Default)]
pub struct DemoSupplies {
    pub items: Vec<ValidItem>,
    /// In order of time. Deliveries against orders are the orders'.
    pub movements: Vec<DemoMovement>,
    pub orders: Vec<DemoOrder>,
}

/// A stock movement as a person at the desk would have posted it.
#[derive(Clone, Debug)]
pub struct DemoMovement {
    pub item: usize,
    pub kind: MovementKind,
    /// As typed: more than 0, signed for an adjustment.
    pub quantity: i64,
    /// The new lot's number and expiry, for a receipt of a lot-tracked item.
    pub lot: Option<(String, NaiveDate)>,
    pub reason: String,
    pub at: NaiveDateTime,
    /// A staff member's name.
    pub by: String,
}

#[derive(Clone, Debug)]
pub struct DemoOrder {
    pub supplier: String,
    pub created: NaiveDateTime,
    pub created_by: String,
    /// `None` for a draft.
    pub sent: Option<NaiveDateTime>,
    /// (item, quantity).
    pub lines: Vec<(usize, i64)>,
    pub deliveries: Vec<DemoDelivery>,
}

#[derive(Clone, Debug)]
pub struct DemoDelivery {
    /// The place of its line in the order's `lines`.
    pub line: usize,
    pub quantity: i64,
    pub lot: Option<(String, NaiveDate)>,
    pub at: NaiveDateTime,
    pub by: String,
}

impl DemoSupplies {
    /// The first day of each month something moved, in order: the stock logs
    /// [`write_supplies`] wants, in this order.
    pub fn months(&self) -> Vec<NaiveDate> {
        let deliveries = self.orders.iter().flat_map(|o| &o.deliveries);
        let mut months: Vec<NaiveDate> = (self.movements.iter().map(|m| m.at))
            .chain(deliveries.map(|d| d.at))
            .map(|at| first_of_month(at.date()))
            .collect();
        months.sort();
        months.dedup();
        months
    }
}

/// Whether a site's inventory is as new: no items, orders or counts, nothing unreadable.
pub fn has_no_supplies(inventory: &Inventory) -> bool {
    inventory.items.is_empty()
        && inventory.orders.is_empty()
        && inventory.counts.is_empty()
        && inventory.unreadable == 0
}

/// Each site's supplies, in the order of the sites. Lot numbers are drawn once, so that
/// both sites hold the same lots of what they both keep, as from one distributor.
pub(super) fn supplies(
    clinic: &DemoClinic,
    today: NaiveDate,
    now: NaiveDateTime,
    rng: &mut Rng,
) -> Vec<(SiteId, DemoSupplies)> {
    let numbers: Vec<Vec<String>> = CATALOGUE
        .iter()
        .map(|e| e.lots.iter().map(|_| lot_number(e.sku, rng)).collect())
        .collect();
    let mut all = Vec::new();
    for (n, site) in clinic.sites.iter().enumerate() {
        let supplies = history::site_supplies(clinic, site, n == 0, &numbers, (today, now), rng);
        all.push((site.id.clone(), supplies.unwrap_or_default()));
    }
    all
}

/// A movement, or a delivery against the order at that place.
enum Step<'a> {
    Move(&'a DemoMovement),
    Deliver(usize, &'a DemoDelivery),
}

/// Writes one site's demo supplies through the inventory's own changes: the items, the
/// orders (sent where the demo says), then every movement and delivery in order of time,
/// each into the log of its month. `logs` are the stock logs of [`DemoSupplies::months`],
/// in that order. Refuses an inventory that has anything in it already: the demo only
/// fills an empty organisation.
pub fn write_supplies(
    inventory: &mut AutoCommit,
    logs: &mut [&mut AutoCommit],
    supplies: &DemoSupplies,
    device: &str,
) -> Result<(), DocumentError> {
    if !has_no_supplies(&Inventory::read(inventory)?) {
        return Err(model::refusal::Stock::NotEmpty.into());
    }
    let months = supplies.months();
    if logs.len() != months.len() {
        return Err(DocumentError::Write(format!(
            "the demo supplies need {} months of stock logs, not {}",
            months.len(),
            logs.len()
        )));
    }
    let who = |name: &str| Who {
        device: device.to_string(),
        staff: Some(name.to_string()),
    };
    let missing = || DocumentError::Write("a demo record names no demo item".into());
    let mut ids = Vec::with_capacity(supplies.items.len());
    for item in &supplies.items {
        ids.push(form::add_item(inventory, item)?);
    }
    let mut orders = Vec::with_capacity(supplies.orders.len());
    for demo in &supplies.orders {
        let id = order::new_order(
            inventory,
            &demo.supplier,
            demo.created,
            &who(&demo.created_by),
        )?;
        let mut lines = Vec::with_capacity(demo.lines.len());
        for (item, quantity) in &demo.lines {
            let item = ids.get(*item).ok_or_else(missing)?;
            lines.push(order::add_line(inventory, &id, item, *quantity)?);
        }
        if let Some(sent) = demo.sent {
            order::send(inventory, &id, sent)?;
        }
        orders.push((id, lines));
    }
    // (when, whether it takes stock, what): what comes in at a moment before what goes out
    // at it, as the demo planned.
    let mut steps: Vec<(NaiveDateTime, bool, Step)> = Vec::new();
    let takes = |m: &DemoMovement| m.kind != MovementKind::Receive;
    steps.extend((supplies.movements.iter()).map(|m| (m.at, takes(m), Step::Move(m))));
    for (n, demo) in supplies.orders.iter().enumerate() {
        steps.extend((demo.deliveries.iter()).map(|d| (d.at, false, Step::Deliver(n, d))));
    }
    steps.sort_by_key(|(at, takes, _)| (*at, *takes));
    for (at, _, step) in steps {
        let month = months.iter().position(|m| *m == first_of_month(at.date()));
        let log = month.and_then(|m| logs.get_mut(m)).ok_or_else(missing)?;
        match step {
            Step::Move(m) => {
                let id = ids.get(m.item).ok_or_else(missing)?;
                let mut new = NewMovement::new(id, m.kind, m.quantity, m.at, &who(&m.by));
                new.reason = m.reason.clone();
                if let Some((number, expiry)) = &m.lot {
                    let (number, expiry) = (number.clone(), *expiry);
                    new.lot = LotChoice::New { number, expiry };
                }
                movement::post(inventory, log, &new)?;
            }
            Step::Deliver(n, d) => {
                let (order, lines) = &orders[n];
                let line = lines.get(d.line).ok_or_else(missing)?.clone();
                let (quantity, lot) = (d.quantity, d.lot.clone());
                let delivery = Delivery {
                    line,
                    quantity,
                    lot,
                };
                order::receive(inventory, log, order, &delivery, d.at, &who(&d.by))?;
            }
        }
    }
    Ok(())
}
