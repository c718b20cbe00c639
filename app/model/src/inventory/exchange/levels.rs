//! Importing stock levels: what was counted, turned into adjustments of the counters.

use std::collections::{BTreeMap, BTreeSet};

use automerge::AutoCommit;
use chrono::NaiveDateTime;

use super::Index;
use crate::csv::Row;
use crate::import::{self, at_line, cell, shape_error, Sheet, SheetError};
use crate::inventory::form::parse_count;
use crate::inventory::movement::{post, LotChoice, NewMovement};
use crate::inventory::{lots, read_item, Inventory, Item, ItemId, Lot, MovementKind};
use crate::refusal::Import;
use crate::schedule::Who;
use crate::{tidy, DocumentError};

/// The reason every adjustment of an import carries.
pub const REASON: &str = "Stock levels imported";

/// Which stock of an item a row counted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LevelScope {
    /// All of it.
    Total,
    /// One lot number, all its receipts together; the number as the item has it.
    Lot(String),
    /// What is not in any lot, beside lots the file lists for the same item.
    NotInLot,
}

/// What a valid row counted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LevelAction {
    pub item: ItemId,
    pub scope: LevelScope,
    pub counted: i64,
    /// What the counters said when the file was checked; applying reads them again.
    pub current: i64,
}

impl LevelAction {
    /// What importing would adjust by, as the counters stood when the file was checked.
    pub fn difference(&self) -> i64 {
        self.counted - self.current
    }
}

/// One data row of a stock-levels file, checked; its name is the item's, or what the row
/// gave to find it by.
pub type LevelRow = import::Row<LevelAction>;

/// A checked stock-levels file: every row, in the order of the file.
pub type LevelImport = import::Plan<LevelAction>;

impl LevelImport {
    /// How many valid rows differ from the counters as they were when checked.
    pub fn adjustments(&self) -> usize {
        self.count(|a| a.difference() != 0)
    }

    /// "40 rows can be imported: 3 adjust the stock, 37 already match; 2 rows have errors".
    pub fn summary(&self) -> String {
        let adjust = self.adjustments();
        let what = format!(
            "{adjust} {} the stock, {} already match",
            if adjust == 1 { "adjusts" } else { "adjust" },
            self.valid() - adjust
        );
        import::summary(self.valid(), &what, self.broken())
    }
}

/// A row read on its own, before the rows are compared.
struct Read<'a> {
    item: Option<&'a Item>,
    /// The lot number as the item has it, when the row names a lot.
    lot: Option<String>,
    /// The lot cell as written, known or not, lower case: what tells two rows apart.
    lot_cell: String,
    counted: Option<i64>,
    name: String,
    errors: Vec<String>,
}

/// Checks every row of a stock-levels file against `inventory`; nothing is written. A
/// text that is not a table with a column to find items by and one of counts is one
/// sentence instead.
pub fn plan_levels(text: &str, inventory: &Inventory) -> Result<LevelImport, SheetError> {
    let table = import::read(text)?;
    let sku = table.column(&["sku", "code", "item code", "product code"]);
    let barcode = table.column(&["barcode", "ean", "upc", "gtin"]);
    let name = table.column(&["name", "item", "item name"]);
    let count = table.column(&[
        "on_hand",
        "count",
        "counted",
        "quantity",
        "qty",
        "stock",
        "stock level",
        "in stock",
    ]);
    let lot = table.column(&["lot", "lot number", "lot no", "batch"]);
    let missing = |field| SheetError::NoColumn {
        sheet: Sheet::Levels,
        field,
    };
    if sku.is_none() && barcode.is_none() && name.is_none() {
        return Err(missing("sku"));
    }
    if count.is_none() {
        return Err(missing("on_hand"));
    }
    let index = Index::new(inventory);
    let read: Vec<Read> = table
        .rows
        .iter()
        .map(|row| {
            let mut read = read_row(row, &index, [sku, barcode, name], lot, count);
            read.errors.splice(0..0, shape_error(&table, row));
            read
        })
        .collect();
    let with_lots: BTreeSet<&ItemId> = read
        .iter()
        .filter(|r| !r.lot_cell.is_empty())
        .filter_map(|r| r.item.map(|i| &i.id))
        .collect();
    let mut seen: BTreeMap<(&ItemId, String), Vec<usize>> = BTreeMap::new();
    for (at, r) in read.iter().enumerate() {
        if let Some(item) = r.item {
            seen.entry((&item.id, r.lot_cell.clone()))
                .or_default()
                .push(at);
        }
    }
    let mut rows: Vec<LevelRow> = Vec::with_capacity(read.len());
    for (at, r) in read.iter().enumerate() {
        let mut errors = r.errors.clone();
        if let Some(item) = r.item {
            let others: Vec<String> = seen[&(&item.id, r.lot_cell.clone())]
                .iter()
                .filter(|&&other| other != at)
                .map(|&other| table.rows[other].line.to_string())
                .collect();
            if !others.is_empty() {
                let what = match &r.lot {
                    Some(lot) => format!("lot {lot} of {}", item.name),
                    None => item.name.clone(),
                };
                errors.push(format!("Line {} counts {what} too.", others.join(", ")));
            }
        }
        let outcome = match (r.item, r.counted) {
            (Some(item), Some(counted)) if errors.is_empty() => {
                let scope = match &r.lot {
                    Some(number) => LevelScope::Lot(number.clone()),
                    None if with_lots.contains(&item.id) => LevelScope::NotInLot,
                    None => LevelScope::Total,
                };
                let current = current(item, &scope);
                Ok(LevelAction {
                    item: item.id.clone(),
                    scope,
                    counted,
                    current,
                })
            }
            _ => Err(errors),
        };
        rows.push(LevelRow {
            line: table.rows[at].line,
            name: r.name.clone(),
            outcome,
        });
    }
    Ok(LevelImport { rows })
}

/// Reads one row: the item it names (by SKU, then barcode, then name), the lot, the count.
fn read_row<'a>(
    row: &Row,
    index: &Index<'a>,
    [sku, barcode, name]: [Option<usize>; 3],
    lot: Option<usize>,
    count: Option<usize>,
) -> Read<'a> {
    let mut errors = Vec::new();
    let (sku, barcode) = (
        cell(row, sku).unwrap_or(""),
        cell(row, barcode).unwrap_or(""),
    );
    let name = tidy(cell(row, name).unwrap_or(""));
    let by_code = |what: &str, code: &str, errors: &mut Vec<String>| {
        let found = index.code(code).first().copied();
        if found.is_none() {
            errors.push(format!("No item has the {what} {code}."));
        }
        found
    };
    let item = if !sku.is_empty() {
        by_code("SKU", sku, &mut errors)
    } else if !barcode.is_empty() {
        by_code("barcode", barcode, &mut errors)
    } else if !name.is_empty() {
        let named = index.named(&name);
        match named {
            [item] => Some(*item),
            [] => {
                errors.push(format!("No item is named {name}."));
                None
            }
            several => {
                errors.push(format!(
                    "{} items are named {name}: give the SKU.",
                    several.len()
                ));
                None
            }
        }
    } else {
        errors.push("Give the SKU or the name of the item.".into());
        None
    };
    let lot_cell = tidy(cell(row, lot).unwrap_or(""));
    let lot = match item {
        Some(item) if !lot_cell.is_empty() => {
            let found = item
                .lots
                .iter()
                .find(|l| l.number.eq_ignore_ascii_case(&lot_cell));
            if found.is_none() {
                errors.push(format!("{} has no lot {lot_cell}.", item.name));
            }
            found.map(|l| l.number.clone())
        }
        _ => None,
    };
    let counted = match cell(row, count) {
        None | Some("") => {
            errors.push("Give the count: a whole number, 0 or more.".into());
            None
        }
        Some(text) => parse_count(text, "The count", 0)
            .map_err(|e| errors.push(e))
            .ok(),
    };
    let shown = match item {
        Some(item) => item.name.clone(),
        None if !name.is_empty() => name,
        None if !sku.is_empty() => sku.to_string(),
        None => barcode.to_string(),
    };
    Read {
        item,
        lot,
        lot_cell: lot_cell.to_lowercase(),
        counted,
        name: shown,
        errors,
    }
}

/// The receipts of a lot number, first-expiring first.
fn receipts<'a>(item: &'a Item, number: &str) -> Vec<&'a Lot> {
    let same = |l: &&Lot| l.number.eq_ignore_ascii_case(number);
    item.lots.iter().filter(same).collect()
}

/// What the counters of `item` say of the stock `scope` names.
fn current(item: &Item, scope: &LevelScope) -> i64 {
    match scope {
        LevelScope::Total => item.on_hand,
        LevelScope::NotInLot => item.on_hand - item.in_lots(),
        LevelScope::Lot(number) => receipts(item, number).iter().map(|l| l.on_hand).sum(),
    }
}

/// Posts, in the caller's one change across the inventory and the month's log, an
/// adjustment for every valid row whose count differs from the counters as they are now
/// (never an overwrite: stock used meanwhile still counts). A lot number received more
/// than once loses stock from its receipts first-expiring first. Refuses a plan with
/// errors unless `only_valid`, and fails whole when a movement is refused. Returns how
/// many rows adjusted the stock.
pub fn apply_levels(
    inventory_doc: &mut AutoCommit,
    log_doc: &mut AutoCommit,
    import: &LevelImport,
    only_valid: bool,
    at: NaiveDateTime,
    who: &Who,
) -> Result<usize, DocumentError> {
    import.check_apply(only_valid)?;
    let mut adjusted = 0;
    for row in &import.rows {
        let Ok(action) = &row.outcome else {
            continue;
        };
        let item = read_item(inventory_doc, &action.item).map_err(|e| at_line(row.line, e))?;
        let difference = action.counted - current(&item, &action.scope);
        if difference == 0 {
            continue;
        }
        let parts: Vec<(LotChoice, i64)> = match &action.scope {
            LevelScope::Total | LevelScope::NotInLot => vec![(LotChoice::None, difference)],
            LevelScope::Lot(number) => {
                let receipts: Vec<Lot> = receipts(&item, number).into_iter().cloned().collect();
                match receipts.first() {
                    None => {
                        let gone = Import::NoSuchLot {
                            item: item.name.clone(),
                            lot: number.clone(),
                        };
                        return Err(at_line(row.line, gone.into()));
                    }
                    Some(first) if difference > 0 => {
                        vec![(LotChoice::Lot(first.id.clone()), difference)]
                    }
                    Some(_) => lots::take(&receipts, None, -difference)
                        .into_iter()
                        .map(|(lot, taken)| (LotChoice::Lot(lot), -taken))
                        .collect(),
                }
            }
        };
        for (lot, quantity) in parts {
            let mut movement = NewMovement::new(&item.id, MovementKind::Adjust, quantity, at, who);
            movement.lot = lot;
            movement.reason = REASON.into();
            post(inventory_doc, log_doc, &movement).map_err(|e| at_line(row.line, e))?;
        }
        adjusted += 1;
    }
    Ok(adjusted)
}
