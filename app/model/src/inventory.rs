//! Supplies: what each site keeps, how much of it is on the shelf, and every change to that.
//!
//! One `inventory/{site}` document per site holds its items, purchase orders and cycle
//! counts; one `stock/{site}/{yyyy-mm}` document per site and month holds the stock
//! movements of that month, an append-only log, so that the item list never has to read a
//! year of history.
//!
//! How much is on hand is an Automerge **counter** on the item (and one on each lot): a
//! use or a receipt is an increment, never an overwrite, so two desks that each use three
//! boxes while offline end six boxes down after the merge. Each increment is written in
//! the same change as its movement ([`movement::post`], through a change across both
//! documents), so the log and the counters never disagree. A count never overwrites the
//! counter either: it posts the difference it found as an adjustment ([`count`]).
//!
//! Stock below zero after a merge is shown as it is, a discrepancy for a person to resolve,
//! never clamped.
//!
//! Lots are kept per receipt (a random id each), grouped by lot number for people: two
//! desks receiving the same lot offline then add two entries instead of racing to create
//! one, which would lose one desk's counter.

pub mod count;
pub mod exchange;
mod fast;
pub mod form;
pub mod lots;
pub mod movement;
pub mod order;
pub mod reorder;
pub mod search;
pub mod transfer;
pub mod undo;

use std::collections::BTreeMap;

use automerge::{AutoCommit, ObjId, ReadDoc};
use autosurgeon::{Counter, Hydrate, Reconcile};
use chrono::NaiveDate;

use crate::document::maps;
use crate::{random_id, Document, DocumentError};

pub use count::{Count, CountId, CountLine, CountState};
pub use form::{ItemForm, ValidItem};
pub use movement::{Movement, MovementId, MovementKind, NewMovement};
pub use order::{Order, OrderId, OrderLine, OrderState, Receipt};
pub use reorder::Suggestion;

random_id!(
    /// A supply item of one site.
    ItemId
);
random_id!(
    /// One receipt of one lot of an item.
    LotId
);

/// What kind of supply an item is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    Medical,
    Office,
    Cleaning,
    Medication,
}

impl Category {
    pub const ALL: [Category; 4] = [
        Category::Medical,
        Category::Office,
        Category::Cleaning,
        Category::Medication,
    ];

    /// How the documents store it.
    pub fn code(self) -> &'static str {
        match self {
            Self::Medical => "medical",
            Self::Office => "office",
            Self::Cleaning => "cleaning",
            Self::Medication => "medication",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Medical => "Medical supply",
            Self::Office => "Office supply",
            Self::Cleaning => "Cleaning",
            Self::Medication => "Medication/vaccine",
        }
    }

    /// The stored code, the label, or what a spreadsheet is likely to say.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim().to_lowercase();
        Self::ALL.into_iter().find(|c| {
            text == c.code()
                || text == c.label().to_lowercase()
                || match c {
                    Self::Medical => text == "medical supplies",
                    Self::Office => text == "office supplies" || text == "office",
                    Self::Cleaning => text == "cleaning supply" || text == "cleaning supplies",
                    Self::Medication => matches!(text.as_str(), "vaccine" | "medication"),
                }
        })
    }
}

/// One lot of an item, from one receipt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lot {
    pub id: LotId,
    pub number: String,
    pub expiry: NaiveDate,
    pub received: NaiveDate,
    /// May be below zero after a merge: a discrepancy, shown as it is.
    pub on_hand: i64,
    /// What one unit of it cost when it was received; `None` for lots received before
    /// costs were kept, which are valued at the item's unit cost.
    pub unit_cost_cents: Option<i64>,
}

/// A supply item as read from its site's document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub id: ItemId,
    pub name: String,
    pub category: Category,
    /// What one counts in: "box", "each", "pack of 100".
    pub unit: String,
    /// Units in one pack as the supplier sells it; orders are rounded up to whole packs.
    pub pack_size: i64,
    pub sku: String,
    pub barcode: String,
    pub location: String,
    /// The supplier's name as typed, or the vendor's when one was chosen.
    pub supplier: String,
    /// The vendor of the register who supplies it, if one was chosen: its name there is
    /// what people read.
    pub vendor: Option<crate::vendor::VendorId>,
    pub unit_cost_cents: i64,
    pub par: i64,
    pub reorder_point: i64,
    /// The least that is worth ordering at once.
    pub reorder_qty: i64,
    pub lot_tracked: bool,
    /// The counter: every movement's sum. Below zero is a discrepancy, shown as it is.
    pub on_hand: i64,
    /// Lots in first-expiring-first order.
    pub lots: Vec<Lot>,
    pub archived: bool,
}

impl Item {
    /// Stock held in lots that still have some (or owe some, below zero).
    pub fn in_lots(&self) -> i64 {
        self.lots.iter().map(|l| l.on_hand).sum()
    }

    /// Whether the counters show more used than there was: on the item or on a lot.
    pub fn is_discrepant(&self) -> bool {
        self.on_hand < 0 || self.lots.iter().any(|l| l.on_hand < 0)
    }

    /// Whether `code` (typed or scanned) is this item's SKU or barcode.
    pub fn has_code(&self, code: &str) -> bool {
        let code = code.trim();
        !code.is_empty()
            && (self.sku.eq_ignore_ascii_case(code) || self.barcode.eq_ignore_ascii_case(code))
    }
}

/// The stored shape of an item. Fields added after the first version must be optional.
#[derive(Clone, Reconcile, Hydrate)]
pub(crate) struct ItemRecord {
    pub(crate) name: String,
    pub(crate) category: String,
    pub(crate) unit: String,
    pub(crate) pack_size: i64,
    pub(crate) sku: String,
    pub(crate) barcode: String,
    pub(crate) location: String,
    pub(crate) supplier: String,
    pub(crate) unit_cost_cents: i64,
    pub(crate) par: i64,
    pub(crate) reorder_point: i64,
    pub(crate) reorder_qty: i64,
    pub(crate) lot_tracked: bool,
    pub(crate) on_hand: Counter,
    pub(crate) lots: BTreeMap<String, LotRecord>,
    pub(crate) archived: bool,
    #[autosurgeon(missing = "Default::default")]
    pub(crate) vendor: Option<String>,
}

#[derive(Clone, Reconcile, Hydrate)]
pub(crate) struct LotRecord {
    pub(crate) number: String,
    pub(crate) expiry: String,
    pub(crate) received: String,
    pub(crate) on_hand: Counter,
    #[autosurgeon(missing = "Default::default")]
    pub(crate) unit_cost_cents: Option<i64>,
}

impl ItemRecord {
    fn into_item(self, id: &str) -> Option<Item> {
        let mut lots = Vec::with_capacity(self.lots.len());
        for (lot_id, lot) in self.lots {
            lots.push(Lot {
                id: LotId::from(lot_id),
                number: lot.number,
                expiry: parse_day(&lot.expiry)?,
                received: parse_day(&lot.received)?,
                on_hand: lot.on_hand.value(),
                unit_cost_cents: lot.unit_cost_cents,
            });
        }
        lots::sort_first_expiring(&mut lots);
        Some(Item {
            id: ItemId::from(id),
            name: self.name,
            category: Category::parse(&self.category)?,
            unit: self.unit,
            pack_size: self.pack_size,
            sku: self.sku,
            barcode: self.barcode,
            location: self.location,
            supplier: self.supplier,
            vendor: self.vendor.map(crate::vendor::VendorId::from),
            unit_cost_cents: self.unit_cost_cents,
            par: self.par,
            reorder_point: self.reorder_point,
            reorder_qty: self.reorder_qty,
            lot_tracked: self.lot_tracked,
            on_hand: self.on_hand.value(),
            lots,
            archived: self.archived,
        })
    }
}

/// A site's supplies as read from its `inventory/{site}` document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Inventory {
    /// Archived items included; by name, then id, on every device.
    pub items: Vec<Item>,
    /// Newest first.
    pub orders: Vec<Order>,
    /// Newest first.
    pub counts: Vec<Count>,
    /// Records this version could not read: reported, never hidden.
    pub unreadable: usize,
}

impl Inventory {
    /// Reads a site's inventory document. A record that does not read is counted, the
    /// rest shows.
    pub fn read(doc: &AutoCommit) -> Result<Self, DocumentError> {
        let mut inventory = Inventory::default();
        let items = Document::root_map(doc, maps::ITEMS)?;
        for entry in doc.map_range(&items, ..) {
            let key = entry.key.as_ref();
            // One pass over each item's fields; the general reader only for what that pass
            // does not know (a record an older or newer version wrote differently).
            let item = match entry.value {
                automerge::ValueRef::Object(automerge::ObjType::Map) => {
                    fast::item(doc, &entry.id(), key)
                }
                _ => None,
            }
            .or_else(|| {
                autosurgeon::hydrate_prop::<_, ItemRecord, _, _>(doc, &items, key)
                    .ok()
                    .and_then(|r| r.into_item(key))
            });
            match item {
                Some(item) => inventory.items.push(item),
                None => inventory.unreadable += 1,
            }
        }
        inventory
            .items
            .sort_by(|a, b| (a.name.to_lowercase(), &a.id).cmp(&(b.name.to_lowercase(), &b.id)));
        let (orders, unreadable) = order::read_all(doc)?;
        inventory.orders = orders;
        inventory.unreadable += unreadable;
        let (counts, unreadable) = count::read_all(doc)?;
        inventory.counts = counts;
        inventory.unreadable += unreadable;
        Ok(inventory)
    }

    pub fn item(&self, id: &ItemId) -> Option<&Item> {
        self.items.iter().find(|i| &i.id == id)
    }

    /// Items in use (not archived), by name.
    pub fn active(&self) -> impl Iterator<Item = &Item> {
        self.items.iter().filter(|i| !i.archived)
    }

    /// The item a typed or scanned code names, or a sentence saying none does.
    pub fn find_code(&self, code: &str) -> Result<&Item, String> {
        let code = code.trim();
        if code.is_empty() {
            return Err("Type or scan a code first.".into());
        }
        self.active()
            .find(|i| i.has_code(code))
            .ok_or_else(|| format!("No item here has the code {code}."))
    }

    /// The storage locations in use, sorted, without repeats.
    pub fn locations(&self) -> Vec<String> {
        let mut all: Vec<String> = self
            .active()
            .map(|i| i.location.clone())
            .filter(|l| !l.is_empty())
            .collect();
        all.sort_by_key(|l| l.to_lowercase());
        all.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
        all
    }

    /// Items whose counters show more used than there was.
    pub fn discrepancies(&self) -> impl Iterator<Item = &Item> {
        self.active().filter(|i| i.is_discrepant())
    }

    /// Codes (SKU or barcode) that more than one item in use carries, with their items:
    /// two desks that added the same item offline (by hand or from one spreadsheet) made
    /// two. A scan finds only the first, so people are told and archive or recode one.
    pub fn shared_codes(&self) -> Vec<(String, Vec<&Item>)> {
        let mut by_code: BTreeMap<String, Vec<&Item>> = BTreeMap::new();
        for item in self.active() {
            let mut codes = vec![item.sku.to_lowercase(), item.barcode.to_lowercase()];
            codes.dedup();
            for code in codes.into_iter().filter(|c| !c.is_empty()) {
                by_code.entry(code).or_default().push(item);
            }
        }
        by_code.retain(|_, items| items.len() > 1);
        by_code
            .into_iter()
            .map(|(code, items)| {
                let first = items[0];
                let shown = if first.sku.eq_ignore_ascii_case(&code) {
                    first.sku.clone()
                } else {
                    first.barcode.clone()
                };
                (shown, items)
            })
            .collect()
    }

    /// How many of each item are on open orders and not yet received.
    pub fn on_order(&self) -> BTreeMap<&ItemId, i64> {
        let mut on_order = BTreeMap::new();
        for order in self.orders.iter().filter(|o| o.state.is_open()) {
            for line in &order.lines {
                let outstanding = (line.quantity - line.received).max(0);
                *on_order.entry(&line.item).or_default() += outstanding;
            }
        }
        on_order
    }
}

/// The object of item `id` in an inventory document.
pub(crate) fn item_obj(doc: &AutoCommit, id: &ItemId) -> Result<ObjId, DocumentError> {
    let items = Document::root_map(doc, maps::ITEMS)?;
    match doc.get(&items, id.as_str()) {
        Ok(Some((automerge::Value::Object(automerge::ObjType::Map), obj))) => Ok(obj),
        _ => Err(crate::Thing::Item.gone()),
    }
}

/// Reads one item straight from the document: what a change checks against.
pub(crate) fn read_item(doc: &AutoCommit, id: &ItemId) -> Result<Item, DocumentError> {
    let items = Document::root_map(doc, maps::ITEMS)?;
    autosurgeon::hydrate_prop::<_, Option<ItemRecord>, _, _>(doc, &items, id.as_str())
        .ok()
        .flatten()
        .and_then(|r| r.into_item(id.as_str()))
        .ok_or_else(|| crate::Thing::Item.gone())
}

pub(crate) fn write_error(e: impl std::fmt::Display) -> DocumentError {
    DocumentError::Write(e.to_string())
}

pub(crate) fn parse_day(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

pub(crate) fn format_day(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

#[cfg(test)]
pub(crate) mod tests;
