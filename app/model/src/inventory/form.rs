//! The item form: what a person types for an item, checked field by field, and the changes
//! that add an item or change one.

use automerge::transaction::Transactable;
use automerge::AutoCommit;
use autosurgeon::{reconcile_prop, Counter};

use super::{item_obj, read_item, write_error, Category, Item, ItemId, ItemRecord};
use crate::document::maps;
use crate::{tidy, Document, DocumentError};

/// The longest name an item may have, in characters.
pub const MAX_NAME_CHARS: usize = 120;
/// The most of anything a site keeps or orders at once: a typo guard, not a policy.
pub const MAX_QUANTITY: i64 = 1_000_000;

/// What a person typed for an item (or a spreadsheet row held).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ItemForm {
    pub name: String,
    /// A [`Category`] code or label.
    pub category: String,
    pub unit: String,
    pub pack_size: String,
    pub sku: String,
    pub barcode: String,
    pub location: String,
    pub supplier: String,
    /// The id of the register's vendor who supplies it, or empty.
    pub vendor: String,
    /// In the practice's currency: "12.50", "$12.50", "12".
    pub unit_cost: String,
    pub par: String,
    pub reorder_point: String,
    pub reorder_qty: String,
    pub lot_tracked: bool,
}

/// An item's fields once checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidItem {
    pub name: String,
    pub category: Category,
    pub unit: String,
    pub pack_size: i64,
    pub sku: String,
    pub barcode: String,
    pub location: String,
    pub supplier: String,
    pub vendor: Option<crate::vendor::VendorId>,
    pub unit_cost_cents: i64,
    pub par: i64,
    pub reorder_point: i64,
    pub reorder_qty: i64,
    pub lot_tracked: bool,
}

/// What is wrong with a form: (field, sentence), in the order of the form.
pub type ItemErrors = Vec<(&'static str, String)>;

impl ItemForm {
    /// The form showing `item`.
    pub fn from_item(item: &Item) -> Self {
        Self {
            name: item.name.clone(),
            category: item.category.code().into(),
            unit: item.unit.clone(),
            pack_size: item.pack_size.to_string(),
            sku: item.sku.clone(),
            barcode: item.barcode.clone(),
            location: item.location.clone(),
            supplier: item.supplier.clone(),
            vendor: item
                .vendor
                .as_ref()
                .map(|v| v.to_string())
                .unwrap_or_default(),
            unit_cost: format!(
                "{}.{:02}",
                item.unit_cost_cents / 100,
                item.unit_cost_cents % 100
            ),
            par: item.par.to_string(),
            reorder_point: item.reorder_point.to_string(),
            reorder_qty: item.reorder_qty.to_string(),
            lot_tracked: item.lot_tracked,
        }
    }

    /// Checks every field; all that is wrong is said at once.
    pub fn validate(&self) -> Result<ValidItem, ItemErrors> {
        let mut errors = ItemErrors::new();
        let name = tidy(&self.name);
        if name.is_empty() {
            errors.push(("name", "Give the item a name.".into()));
        } else if name.chars().count() > MAX_NAME_CHARS {
            errors.push((
                "name",
                format!("Keep the name under {MAX_NAME_CHARS} characters."),
            ));
        }
        let category = Category::parse(&self.category);
        if category.is_none() {
            errors.push((
                "category",
                "Choose a category: medical supply, office supply, cleaning or medication/vaccine."
                    .into(),
            ));
        }
        let unit = tidy(&self.unit);
        let unit = if unit.is_empty() { "each".into() } else { unit };
        let mut number = |field: &'static str, text: &str, what: &str, default: i64, least: i64| {
            if text.trim().is_empty() {
                return default;
            }
            match parse_count(text, what, least) {
                Ok(n) => n,
                Err(e) => {
                    errors.push((field, e));
                    default
                }
            }
        };
        let pack_size = number("pack_size", &self.pack_size, "The pack size", 1, 1);
        let par = number("par", &self.par, "The par level", 0, 0);
        let reorder_point = number(
            "reorder_point",
            &self.reorder_point,
            "The reorder point",
            0,
            0,
        );
        let reorder_qty = number(
            "reorder_qty",
            &self.reorder_qty,
            "The reorder quantity",
            0,
            0,
        );
        let unit_cost_cents = if self.unit_cost.trim().is_empty() {
            0
        } else {
            parse_cents(&self.unit_cost).unwrap_or_else(|e| {
                errors.push(("unit_cost", e));
                0
            })
        };
        if reorder_point > par
            && errors
                .iter()
                .all(|(f, _)| *f != "par" && *f != "reorder_point")
        {
            errors.push((
                "reorder_point",
                "The reorder point must not be above the par level.".into(),
            ));
        }
        let code = |text: &str| tidy(text).replace(' ', "");
        match category {
            Some(category) if errors.is_empty() => Ok(ValidItem {
                name,
                category,
                unit,
                pack_size,
                sku: code(&self.sku),
                barcode: code(&self.barcode),
                location: tidy(&self.location),
                supplier: tidy(&self.supplier),
                vendor: Some(self.vendor.trim())
                    .filter(|v| !v.is_empty())
                    .map(crate::vendor::VendorId::from),
                unit_cost_cents,
                par,
                reorder_point,
                reorder_qty,
                lot_tracked: self.lot_tracked,
            }),
            _ => Err(errors),
        }
    }
}

/// A whole number of at least `least`, as typed: "3". Says what is wrong otherwise.
pub fn parse_count(text: &str, what: &str, least: i64) -> Result<i64, String> {
    let text = text.trim();
    let n: i64 = match text.parse() {
        Ok(n) => n,
        Err(_) if text.parse::<f64>().is_ok() => {
            return Err(format!("{what} must be a whole number, like 3."))
        }
        Err(_) => return Err(format!("{what} must be a number, like 3; not \"{text}\".")),
    };
    if n < least {
        return Err(if least == 1 {
            format!("{what} must be more than 0.")
        } else {
            format!("{what} must not be below {least}.")
        });
    }
    if n > MAX_QUANTITY {
        return Err(format!(
            "{what} is more than {MAX_QUANTITY}: check the number."
        ));
    }
    Ok(n)
}

/// An amount as typed ("12.50", "$12.50", "£12", "0.5", "1,200.00") in cents, read as the
/// desk reads one ([`crate::payment::parse_cents`]): a comma only between thousands, so
/// "12,50" is refused rather than read as 1,250.
pub fn parse_cents(text: &str) -> Result<i64, String> {
    const MAX_UNIT_COST_CENTS: i64 = 100_000_000;
    if crate::money::without_symbol(text).starts_with('-') {
        return Err("The unit cost must not be below 0.".into());
    }
    match crate::payment::parse_cents(text, i64::MAX) {
        Ok(cents) if cents <= MAX_UNIT_COST_CENTS => Ok(cents),
        Ok(_) => Err("The unit cost is too large: check the number.".into()),
        Err(e) => Err(format!("The unit cost: {e}")),
    }
}

/// Adds a new item with nothing on hand. Refuses a SKU or barcode another item here has.
pub fn add_item(doc: &mut AutoCommit, item: &ValidItem) -> Result<ItemId, DocumentError> {
    let mut codes = Codes::read(doc)?;
    insert_item(doc, item, &mut codes)
}

/// [`add_item`] with the codes in use read once by the caller, for many items at a time.
pub(crate) fn insert_item(
    doc: &mut AutoCommit,
    item: &ValidItem,
    codes: &mut Codes,
) -> Result<ItemId, DocumentError> {
    codes.check(item, None)?;
    let id = ItemId::random();
    let items = Document::root_map(doc, maps::ITEMS)?;
    let record = ItemRecord {
        name: item.name.clone(),
        category: item.category.code().into(),
        unit: item.unit.clone(),
        pack_size: item.pack_size,
        sku: item.sku.clone(),
        barcode: item.barcode.clone(),
        location: item.location.clone(),
        supplier: item.supplier.clone(),
        unit_cost_cents: item.unit_cost_cents,
        par: item.par,
        reorder_point: item.reorder_point,
        reorder_qty: item.reorder_qty,
        lot_tracked: item.lot_tracked,
        on_hand: Counter::default(),
        lots: Default::default(),
        archived: false,
        vendor: item.vendor.as_ref().map(|v| v.to_string()),
    };
    reconcile_prop(doc, &items, id.as_str(), &record).map_err(write_error)?;
    codes.add(&id, item);
    Ok(id)
}

/// Changes an item's details, writing only the fields that differ, so that another device's
/// change of another field stays. The counters are never touched here.
pub fn change_item(
    doc: &mut AutoCommit,
    id: &ItemId,
    item: &ValidItem,
) -> Result<(), DocumentError> {
    let mut codes = Codes::read(doc)?;
    update_item(doc, id, item, &mut codes)
}

/// [`change_item`] with the codes in use read once by the caller.
pub(crate) fn update_item(
    doc: &mut AutoCommit,
    id: &ItemId,
    item: &ValidItem,
    codes: &mut Codes,
) -> Result<(), DocumentError> {
    let old = read_item(doc, id)?;
    codes.check(item, Some(id))?;
    let obj = item_obj(doc, id)?;
    let text = [
        ("name", &old.name, &item.name),
        ("unit", &old.unit, &item.unit),
        ("sku", &old.sku, &item.sku),
        ("barcode", &old.barcode, &item.barcode),
        ("location", &old.location, &item.location),
        ("supplier", &old.supplier, &item.supplier),
    ];
    for (field, old, new) in text {
        if old != new {
            doc.put(&obj, field, new.as_str()).map_err(write_error)?;
        }
    }
    if old.category != item.category {
        doc.put(&obj, "category", item.category.code())
            .map_err(write_error)?;
    }
    let numbers = [
        ("pack_size", old.pack_size, item.pack_size),
        ("unit_cost_cents", old.unit_cost_cents, item.unit_cost_cents),
        ("par", old.par, item.par),
        ("reorder_point", old.reorder_point, item.reorder_point),
        ("reorder_qty", old.reorder_qty, item.reorder_qty),
    ];
    for (field, old, new) in numbers {
        if old != new {
            doc.put(&obj, field, new).map_err(write_error)?;
        }
    }
    if old.vendor != item.vendor {
        match &item.vendor {
            Some(vendor) => doc.put(&obj, "vendor", vendor.as_str()),
            None => doc.put(&obj, "vendor", automerge::ScalarValue::Null),
        }
        .map_err(write_error)?;
    }
    if old.lot_tracked != item.lot_tracked {
        doc.put(&obj, "lot_tracked", item.lot_tracked)
            .map_err(write_error)?;
    }
    codes.add(id, item);
    Ok(())
}

/// Takes an item out of the lists, or brings it back; its history stays.
pub fn set_archived(
    doc: &mut AutoCommit,
    id: &ItemId,
    archived: bool,
) -> Result<(), DocumentError> {
    let obj = item_obj(doc, id)?;
    doc.put(&obj, "archived", archived).map_err(write_error)
}

/// The SKUs and barcodes in use at a site, and whose they are: a scan must name one item.
#[derive(Default)]
pub(crate) struct Codes(std::collections::BTreeMap<String, (ItemId, String)>);

impl Codes {
    /// Reads only the codes and names of the site's items in use.
    pub(crate) fn read(doc: &AutoCommit) -> Result<Self, DocumentError> {
        use automerge::ReadDoc;
        let items = Document::root_map(doc, maps::ITEMS)?;
        let mut codes = Self::default();
        // One pass over each item's fields: a site may have thousands.
        for entry in doc.map_range(&items, ..) {
            let automerge::ValueRef::Object(_) = entry.value else {
                continue;
            };
            let (mut name, mut found, mut archived) = (String::new(), Vec::new(), false);
            for field in doc.map_range(entry.id(), ..) {
                use automerge::{ScalarValueRef, ValueRef};
                match (field.key.as_ref(), &field.value) {
                    ("name", ValueRef::Scalar(ScalarValueRef::Str(s))) => name = s.to_string(),
                    ("sku" | "barcode", ValueRef::Scalar(ScalarValueRef::Str(s)))
                        if !s.is_empty() =>
                    {
                        found.push(s.to_lowercase())
                    }
                    ("archived", ValueRef::Scalar(ScalarValueRef::Boolean(b))) => archived = *b,
                    _ => {}
                }
            }
            if archived {
                continue;
            }
            let id = ItemId::from(entry.key.as_ref());
            for code in found {
                codes.0.insert(code, (id.clone(), name.clone()));
            }
        }
        Ok(codes)
    }

    fn check(&self, item: &ValidItem, except: Option<&ItemId>) -> Result<(), DocumentError> {
        for code in [&item.sku, &item.barcode] {
            if code.is_empty() {
                continue;
            }
            if let Some((other, name)) = self.0.get(&code.to_lowercase()) {
                if Some(other) != except {
                    return Err(crate::refusal::Stock::CodeTaken {
                        holder: name.clone(),
                        code: code.to_string(),
                    }
                    .into());
                }
            }
        }
        Ok(())
    }

    fn add(&mut self, id: &ItemId, item: &ValidItem) {
        for code in [&item.sku, &item.barcode] {
            if !code.is_empty() {
                self.0
                    .insert(code.to_lowercase(), (id.clone(), item.name.clone()));
            }
        }
    }
}
