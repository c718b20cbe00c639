//! Spreadsheets in and out: a site's supply items and its stock levels as CSV files, and
//! imports of both that are checked in full before anything is written.
//!
//! An import has two steps. *Planning* reads the whole file against the inventory as it is
//! and says, row by row, what would happen or what is wrong, with the line of the file; a
//! file that is not a table at all (not CSV, no header, a required column missing) is one
//! sentence instead. *Applying* writes every valid row in one change, or nothing: it
//! refuses a plan with errors unless the person chose to import only the valid rows, and
//! any refusal on the way (a code taken meanwhile on another device) fails the whole
//! change, which the caller's edit then rolls back.
//!
//! Stock levels are never written: an import posts the difference between what the file
//! counted and what the counter says at that moment as an adjustment movement, like a
//! cycle count, so that stock used on another desk meanwhile still counts.
//!
//! The stock-levels file has one row per item, with the lot columns empty, holding its
//! total on hand. An item that has lots with stock has one row per lot number instead,
//! plus a row without a lot for stock not in any lot when there is some. Reading it back,
//! a row without a lot is the item's total, unless the file also lists lots of that item,
//! in which case it is the stock not in any lot. A plain "sku, count" sheet therefore sets
//! totals, and an exported sheet reads back as no change.

mod items;
mod levels;

use std::borrow::Cow;
use std::collections::HashMap;

use chrono::NaiveDate;

use super::{format_day, Inventory, Item};
use crate::csv;
use crate::tidy;

pub use items::{apply_items, plan_items, ImportRow, ItemAction, ItemImport};
pub use levels::{apply_levels, plan_levels, LevelAction, LevelImport, LevelRow, LevelScope};

/// The columns of the items file, in order; [`plan_items`] reads them back.
pub const ITEM_HEADERS: [&str; 13] = [
    "name",
    "category",
    "unit",
    "pack_size",
    "sku",
    "barcode",
    "location",
    "supplier",
    "unit_cost",
    "par",
    "reorder_point",
    "reorder_qty",
    "lot_tracked",
];

/// The columns of the stock-levels file, in order; [`plan_levels`] reads them back and
/// ignores the name, location, unit, expiry and note, which are there for the person.
pub const STOCK_HEADERS: [&str; 8] = [
    "sku", "name", "location", "unit", "lot", "expiry", "on_hand", "note",
];

/// The note of a lot row whose expiry has passed.
const EXPIRED: &str = "expired";
/// The note of the row holding stock not in any lot, beside the item's lot rows.
const NOT_IN_A_LOT: &str = "not in a lot";

/// The items in use, one row each, by name.
pub fn items_csv(inventory: &Inventory) -> String {
    let rows = inventory.active().map(|item| {
        vec![
            item.name.clone(),
            item.category.label().to_string(),
            item.unit.clone(),
            item.pack_size.to_string(),
            item.sku.clone(),
            item.barcode.clone(),
            item.location.clone(),
            item.supplier.clone(),
            crate::money::decimal(item.unit_cost_cents),
            item.par.to_string(),
            item.reorder_point.to_string(),
            item.reorder_qty.to_string(),
            if item.lot_tracked { "yes" } else { "no" }.to_string(),
        ]
    });
    csv::write(&ITEM_HEADERS, rows)
}

/// What is on hand of every item in use, by storage location then name, the order of a
/// walk along the shelves: a row per item, or per lot number with stock (lots that expired
/// by `today` are noted), as described in the module's documentation.
pub fn stock_csv(inventory: &Inventory, today: NaiveDate) -> String {
    let mut items: Vec<&Item> = inventory.active().collect();
    items.sort_by_key(|i| (i.location.to_lowercase(), i.name.to_lowercase()));
    let mut rows = Vec::new();
    for item in items {
        let row = |lot: &str, expiry: String, on_hand: i64, note: &str| {
            let (sku, name) = (item.sku.clone(), item.name.clone());
            let (location, unit) = (item.location.clone(), item.unit.clone());
            vec![
                sku,
                name,
                location,
                unit,
                lot.into(),
                expiry,
                on_hand.to_string(),
                note.into(),
            ]
        };
        let lots = lot_numbers(item);
        for (number, expiry, on_hand) in &lots {
            let note = if *expiry < today { EXPIRED } else { "" };
            rows.push(row(number, format_day(*expiry), *on_hand, note));
        }
        let outside = item.on_hand - item.in_lots();
        if lots.is_empty() {
            rows.push(row("", String::new(), item.on_hand, ""));
        } else if outside != 0 {
            rows.push(row("", String::new(), outside, NOT_IN_A_LOT));
        }
    }
    csv::write(&STOCK_HEADERS, rows)
}

/// The item's lot numbers whose stock is not 0, first-expiring first: (number, the
/// earliest expiry among its receipts, the stock of all its receipts). A lot number
/// received twice is kept as two receipts but is one lot on the shelf.
fn lot_numbers(item: &Item) -> Vec<(String, NaiveDate, i64)> {
    let mut numbers: Vec<(String, NaiveDate, i64)> = Vec::new();
    for lot in &item.lots {
        match numbers
            .iter_mut()
            .find(|(n, _, _)| n.eq_ignore_ascii_case(&lot.number))
        {
            Some((_, _, on_hand)) => *on_hand += lot.on_hand,
            None => numbers.push((lot.number.clone(), lot.expiry, lot.on_hand)),
        }
    }
    numbers.retain(|(_, _, on_hand)| *on_hand != 0);
    numbers
}

/// The items in use, found by code or name without a scan of the list for every row of a
/// long file. Each list keeps the inventory's order, so the first is the one a scan finds.
struct Index<'a> {
    /// By SKU, lower case.
    sku: HashMap<String, Vec<&'a Item>>,
    /// By SKU or barcode, lower case: what [`Item::has_code`] matches.
    code: HashMap<String, Vec<&'a Item>>,
    /// By name, lower case.
    name: HashMap<String, Vec<&'a Item>>,
}

impl<'a> Index<'a> {
    fn new(inventory: &'a Inventory) -> Self {
        let mut index = Self {
            sku: HashMap::new(),
            code: HashMap::new(),
            name: HashMap::new(),
        };
        for item in inventory.active() {
            let add = |map: &mut HashMap<String, Vec<&'a Item>>, key: &str| {
                let key = key.trim().to_lowercase();
                let items = map.entry(key).or_default();
                if !items.iter().any(|i| i.id == item.id) {
                    items.push(item);
                }
            };
            if !item.sku.trim().is_empty() {
                add(&mut index.sku, &item.sku);
                add(&mut index.code, &item.sku);
            }
            if !item.barcode.trim().is_empty() {
                add(&mut index.code, &item.barcode);
            }
            add(&mut index.name, &tidy(&item.name));
        }
        index
    }

    fn get<'m>(map: &'m HashMap<String, Vec<&'a Item>>, key: &str) -> &'m [&'a Item] {
        let key = key.trim();
        if key.is_empty() {
            return &[];
        }
        map.get(&key.to_lowercase()).map_or(&[], Vec::as_slice)
    }

    /// The items with this SKU.
    fn sku(&self, sku: &str) -> &[&'a Item] {
        Self::get(&self.sku, sku)
    }

    /// The items with this SKU or barcode.
    fn code(&self, code: &str) -> &[&'a Item] {
        Self::get(&self.code, code)
    }

    /// The items of this name, case aside.
    fn named(&self, name: &str) -> &[&'a Item] {
        Self::get(&self.name, &tidy(name))
    }
}

/// "12,50" as a European spreadsheet writes 12.50; "1,250" stays a thousands separator.
fn decimal_point(text: &str) -> Cow<'_, str> {
    match text.split_once(',') {
        Some((whole, cents))
            if !text.contains('.')
                && !cents.contains(',')
                && (1..=2).contains(&cents.len())
                && cents.chars().all(|c| c.is_ascii_digit()) =>
        {
            format!("{whole}.{cents}").into()
        }
        _ => text.into(),
    }
}

#[cfg(test)]
mod tests;
