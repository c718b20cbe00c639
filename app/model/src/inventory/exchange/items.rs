//! Importing supply items: each row adds an item or changes the one it names.

use std::collections::BTreeMap;

use automerge::AutoCommit;

use super::{decimal_point, Index};
use crate::csv::{Row, Table};
use crate::import::{self, at_line, cell, shape_error, Columns, Fields, Sheet, SheetError};
use crate::inventory::form::{insert_item, update_item, Codes, ItemForm, ValidItem};
use crate::inventory::{Inventory, Item, ItemId};
use crate::{tidy, DocumentError};

/// What a valid row does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ItemAction {
    Add(ValidItem),
    /// Changes the item in use with that id to these details; the last field says what it
    /// changes ("par", "unit cost"), empty when nothing.
    Update(ItemId, ValidItem, Vec<&'static str>),
}

/// One data row of an items file, checked.
pub type ImportRow = import::Row<ItemAction>;

/// A checked items file: every row, in the order of the file.
pub type ItemImport = import::Plan<ItemAction>;

impl ImportRow {
    /// For an update, what it changes ("par", "unit cost"); empty otherwise.
    pub fn changes(&self) -> &[&'static str] {
        match &self.outcome {
            Ok(ItemAction::Update(_, _, changes)) => changes.as_slice(),
            _ => &[],
        }
    }
}

impl ItemImport {
    /// "12 rows can be imported: 10 new, 2 updates; 2 rows have errors".
    pub fn summary(&self) -> String {
        let added = self.count(|a| matches!(a, ItemAction::Add(_)));
        let updated = self.valid() - added;
        let same =
            self.count(|a| matches!(a, ItemAction::Update(_, _, changes) if changes.is_empty()));
        let mut what = format!(
            "{added} new, {updated} update{}",
            if updated == 1 { "" } else { "s" }
        );
        if same > 0 {
            what += &format!(" ({same} without changes)");
        }
        import::summary(self.valid(), &what, self.broken())
    }
}

/// The columns an items file may have, with the other headers a spreadsheet may give them.
const FIELDS: Fields<13> = [
    ("name", &["name", "item", "item name"]),
    ("category", &["category", "type"]),
    ("unit", &["unit", "uom", "unit of measure"]),
    ("pack_size", &["pack_size", "pack", "units per pack"]),
    ("sku", &["sku", "code", "item code", "product code"]),
    ("barcode", &["barcode", "ean", "upc", "gtin"]),
    ("location", &["location", "storage", "shelf"]),
    ("supplier", &["supplier", "vendor"]),
    ("unit_cost", &["unit_cost", "cost", "price", "unit price"]),
    ("par", &["par", "par level"]),
    (
        "reorder_point",
        &["reorder_point", "reorder at", "min", "minimum"],
    ),
    (
        "reorder_qty",
        &["reorder_qty", "reorder quantity", "order quantity"],
    ),
    (
        "lot_tracked",
        &["lot_tracked", "lots", "lot tracking", "tracked by lot"],
    ),
];

/// Checks every row of an items file against `inventory`; nothing is written. A text that
/// is not a table with a "name" column is one sentence instead.
pub fn plan_items(text: &str, inventory: &Inventory) -> Result<ItemImport, SheetError> {
    let table = import::read(text)?;
    let columns = Columns::find(&table, &FIELDS);
    columns.require(Sheet::Items, &["name"])?;
    let index = Index::new(inventory);
    let mut import = ItemImport {
        rows: table
            .rows
            .iter()
            .map(|row| plan_row(&table, &columns, row, &index))
            .collect(),
    };
    mark_repeats(&mut import, &table, &columns);
    Ok(import)
}

/// The code as an item keeps it: no spaces.
fn code(text: &str) -> String {
    tidy(text).replace(' ', "")
}

fn plan_row(table: &Table, columns: &Columns<13>, row: &Row, index: &Index) -> ImportRow {
    let get = |field: &str| cell(row, columns.of(field));
    let name = tidy(get("name").unwrap_or_default());
    let mut errors: Vec<String> = shape_error(table, row).into_iter().collect();
    let existing = match find_item(index, get("sku").map(code).unwrap_or_default(), &name) {
        Ok(existing) => existing,
        // Which item's details the row would complete is unknown, so nothing more is said.
        Err(why) => {
            errors.push(why);
            let (line, outcome) = (row.line, Err(errors));
            return ImportRow {
                line,
                name,
                outcome,
            };
        }
    };
    let mut form = existing.map(ItemForm::from_item).unwrap_or_default();
    let texts: [(&str, &mut String); 12] = [
        ("name", &mut form.name),
        ("category", &mut form.category),
        ("unit", &mut form.unit),
        ("pack_size", &mut form.pack_size),
        ("sku", &mut form.sku),
        ("barcode", &mut form.barcode),
        ("location", &mut form.location),
        ("supplier", &mut form.supplier),
        ("unit_cost", &mut form.unit_cost),
        ("par", &mut form.par),
        ("reorder_point", &mut form.reorder_point),
        ("reorder_qty", &mut form.reorder_qty),
    ];
    // A column the file lacks keeps what an existing item has; a cell left empty is
    // read as the form reads an empty field.
    for (field, value) in texts {
        if let Some(text) = get(field) {
            *value = text.to_string();
        }
    }
    form.unit_cost = decimal_point(&form.unit_cost).into_owned();
    if let Some(text) = get("lot_tracked") {
        match yes_no(text) {
            Some(tracked) => form.lot_tracked = tracked,
            None => errors.push(format!("lot_tracked must be yes or no; not \"{text}\".")),
        }
    }
    let shown = match existing {
        Some(item) if name.is_empty() => item.name.clone(),
        _ => name,
    };
    let valid = match form.validate() {
        Ok(valid) => Some(valid),
        Err(wrong) => {
            errors.extend(wrong.into_iter().map(|(_, message)| message));
            None
        }
    };
    if let Some(valid) = &valid {
        errors.extend(taken_codes(index, valid, existing.map(|i| &i.id)));
    }
    let changes = match (existing, &valid) {
        (Some(item), Some(valid)) => changed_fields(item, valid),
        _ => Vec::new(),
    };
    let outcome = match valid {
        Some(valid) if errors.is_empty() => Ok(match existing {
            Some(item) => ItemAction::Update(item.id.clone(), valid, changes),
            None => ItemAction::Add(valid),
        }),
        _ => Err(errors),
    };
    ImportRow {
        line: row.line,
        name: shown,
        outcome,
    }
}

/// The item in use a row changes: the one with its SKU; without an SKU (or when no item
/// has it yet), the one with its name, case aside, if that one has no SKU of its own. Two
/// items of that name are a sentence: the row must say which.
fn find_item<'a>(index: &Index<'a>, sku: String, name: &str) -> Result<Option<&'a Item>, String> {
    if let Some(item) = index.sku(&sku).first() {
        return Ok(Some(*item));
    }
    let mut found = index
        .named(name)
        .iter()
        .filter(|i| sku.is_empty() || i.sku.is_empty());
    match (found.next(), found.count()) {
        (item, 0) => Ok(item.copied()),
        (_, more) => Err(format!(
            "{} items here are named {name}: give the SKU of the one to change.",
            more + 1
        )),
    }
}

/// yes/no as a spreadsheet may write it; empty is no.
fn yes_no(text: &str) -> Option<bool> {
    match text.trim().to_lowercase().as_str() {
        "yes" | "y" | "true" | "1" | "x" => Some(true),
        "no" | "n" | "false" | "0" | "" => Some(false),
        _ => None,
    }
}

/// The sentences for the row's codes that another item in use already has.
fn taken_codes(index: &Index, valid: &ValidItem, except: Option<&ItemId>) -> Vec<String> {
    let mut taken = Vec::new();
    for (what, code) in [("SKU", &valid.sku), ("barcode", &valid.barcode)] {
        if let Some(other) = index.code(code).iter().find(|i| Some(&i.id) != except) {
            taken.push(format!("The {what} {code} is already {}'s.", other.name));
        }
    }
    taken
}

/// What an update changes, by the names the file's columns have.
fn changed_fields(item: &Item, valid: &ValidItem) -> Vec<&'static str> {
    let differs = [
        ("name", item.name != valid.name),
        ("category", item.category != valid.category),
        ("unit", item.unit != valid.unit),
        ("pack size", item.pack_size != valid.pack_size),
        ("SKU", item.sku != valid.sku),
        ("barcode", item.barcode != valid.barcode),
        ("location", item.location != valid.location),
        ("supplier", item.supplier != valid.supplier),
        ("unit cost", item.unit_cost_cents != valid.unit_cost_cents),
        ("par", item.par != valid.par),
        ("reorder point", item.reorder_point != valid.reorder_point),
        ("reorder quantity", item.reorder_qty != valid.reorder_qty),
        ("lot tracking", item.lot_tracked != valid.lot_tracked),
    ];
    differs
        .into_iter()
        .filter_map(|(field, differs)| differs.then_some(field))
        .collect()
}

/// Rows that clash with another row of the file: a code on two rows, one item changed by
/// two rows, or two new items of the same name without an SKU. Both rows are marked, since
/// either may be the mistake.
fn mark_repeats(import: &mut ItemImport, table: &Table, columns: &Columns<13>) {
    // Every row's codes and target, valid or not, so that a row in error still holds
    // the code it means to use.
    let mut seen: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (at, row) in table.rows.iter().enumerate() {
        let mut codes: Vec<String> = ["sku", "barcode"]
            .into_iter()
            .filter_map(|field| cell(row, columns.of(field)).map(code))
            .filter(|c| !c.is_empty())
            .map(|c| format!("code {}", c.to_lowercase()))
            .collect();
        codes.dedup();
        let planned = &import.rows[at];
        match &planned.outcome {
            Ok(ItemAction::Update(id, ..)) => codes.push(format!("item {id}")),
            Ok(ItemAction::Add(valid)) if valid.sku.is_empty() => {
                codes.push(format!("name {}", valid.name.to_lowercase()));
            }
            _ => {}
        }
        for key in codes {
            seen.entry(key).or_default().push(at);
        }
    }
    for (key, at) in seen.into_iter().filter(|(_, at)| at.len() > 1) {
        for &this in &at {
            let others: Vec<String> = at
                .iter()
                .filter(|&&other| other != this)
                .map(|&other| import.rows[other].line.to_string())
                .collect();
            let lines = others.join(", ");
            let row = &mut import.rows[this];
            let message = match key.split_once(' ') {
                Some(("code", _)) => {
                    let shown = cell(&table.rows[this], columns.of("sku"))
                        .map(code)
                        .filter(|c| format!("code {}", c.to_lowercase()) == key)
                        .map(|c| format!("The SKU {c}"))
                        .or_else(|| {
                            cell(&table.rows[this], columns.of("barcode"))
                                .map(|c| format!("The barcode {}", code(c)))
                        })
                        .unwrap_or_else(|| "The same code".into());
                    format!("{shown} is also on line {lines}.")
                }
                Some(("item", _)) => format!("Line {lines} changes {} too.", row.name),
                _ => format!("Line {lines} adds an item named {} too.", row.name),
            };
            let mut errors = match std::mem::replace(&mut row.outcome, Err(Vec::new())) {
                Ok(_) => Vec::new(),
                Err(errors) => errors,
            };
            errors.push(message);
            row.outcome = Err(errors);
        }
    }
}

/// Writes every valid row of `import` (the caller's one change): adds the new items and
/// changes the others. Refuses a plan with errors unless `only_valid`, and fails whole
/// when a row is refused (a code another device has taken since), so the caller's change
/// rolls back and nothing of the file is written. Returns how many rows were written.
pub fn apply_items(
    doc: &mut AutoCommit,
    import: &ItemImport,
    only_valid: bool,
) -> Result<usize, DocumentError> {
    import.check_apply(only_valid)?;
    let mut codes = Codes::read(doc)?;
    let mut written = 0;
    for row in &import.rows {
        let done = match &row.outcome {
            Ok(ItemAction::Add(valid)) => insert_item(doc, valid, &mut codes).map(|_| ()),
            Ok(ItemAction::Update(id, valid, _)) => update_item(doc, id, valid, &mut codes),
            Err(_) => continue,
        };
        done.map_err(|e| at_line(row.line, e))?;
        written += 1;
    }
    Ok(written)
}
