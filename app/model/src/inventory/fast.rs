//! Reading an item in one pass over its fields. A site may keep thousands of items, and
//! looking each field up by name (as the general reader does) costs a search of the
//! document per field; walking the item's map once costs one. Anything this reader does
//! not recognise makes it give up, and the general reader ([`super::ItemRecord`]) decides.

use automerge::{AutoCommit, ObjId, ObjType, ReadDoc, ScalarValueRef, ValueRef};

use super::{lots, parse_day, Category, Item, ItemId, Lot, LotId};

/// The item stored at `obj` under `id`, or `None` when the one-pass reader cannot tell.
pub(super) fn item(doc: &AutoCommit, obj: &ObjId, id: &str) -> Option<Item> {
    let mut item = Item {
        id: ItemId::from(id),
        name: String::new(),
        category: Category::Medical,
        unit: String::new(),
        pack_size: 0,
        sku: String::new(),
        barcode: String::new(),
        location: String::new(),
        supplier: String::new(),
        vendor: None,
        unit_cost_cents: 0,
        par: 0,
        reorder_point: 0,
        reorder_qty: 0,
        lot_tracked: false,
        on_hand: 0,
        lots: Vec::new(),
        archived: false,
    };
    // Every field the stored record must have; `archived` may be missing (older copies).
    let mut seen = 0u16;
    for entry in doc.map_range(obj, ..) {
        let key = entry.key.as_ref();
        let bit = |n: u16| 1u16 << n;
        match (key, &entry.value) {
            ("lots", ValueRef::Object(ObjType::Map)) => {
                item.lots = lot_list(doc, &entry.id())?;
                seen |= bit(0);
            }
            (_, ValueRef::Object(_)) => return None,
            (key, ValueRef::Scalar(value)) => match (key, value.clone()) {
                ("name", ScalarValueRef::Str(s)) => {
                    (item.name, seen) = (s.into_owned(), seen | bit(1))
                }
                ("category", ScalarValueRef::Str(s)) => {
                    item.category = Category::parse(&s)?;
                    seen |= bit(2);
                }
                ("unit", ScalarValueRef::Str(s)) => {
                    (item.unit, seen) = (s.into_owned(), seen | bit(3))
                }
                ("sku", ScalarValueRef::Str(s)) => {
                    (item.sku, seen) = (s.into_owned(), seen | bit(4))
                }
                ("barcode", ScalarValueRef::Str(s)) => {
                    (item.barcode, seen) = (s.into_owned(), seen | bit(5))
                }
                ("vendor", ScalarValueRef::Str(s)) => {
                    item.vendor = Some(crate::vendor::VendorId::from(s.as_ref()))
                }
                ("vendor", ScalarValueRef::Null) => {}
                ("location", ScalarValueRef::Str(s)) => {
                    (item.location, seen) = (s.into_owned(), seen | bit(6))
                }
                ("supplier", ScalarValueRef::Str(s)) => {
                    (item.supplier, seen) = (s.into_owned(), seen | bit(7))
                }
                ("pack_size", ScalarValueRef::Int(n)) => {
                    (item.pack_size, seen) = (n, seen | bit(8))
                }
                ("unit_cost_cents", ScalarValueRef::Int(n)) => {
                    (item.unit_cost_cents, seen) = (n, seen | bit(9))
                }
                ("par", ScalarValueRef::Int(n)) => (item.par, seen) = (n, seen | bit(10)),
                ("reorder_point", ScalarValueRef::Int(n)) => {
                    (item.reorder_point, seen) = (n, seen | bit(11))
                }
                ("reorder_qty", ScalarValueRef::Int(n)) => {
                    (item.reorder_qty, seen) = (n, seen | bit(12))
                }
                ("lot_tracked", ScalarValueRef::Boolean(b)) => {
                    (item.lot_tracked, seen) = (b, seen | bit(13))
                }
                ("on_hand", ScalarValueRef::Counter(n)) => {
                    (item.on_hand, seen) = (n, seen | bit(14))
                }
                ("archived", ScalarValueRef::Boolean(b)) => item.archived = b,
                _ => return None,
            },
        }
    }
    (seen == (1 << 15) - 1).then_some(item)
}

fn lot_list(doc: &AutoCommit, obj: &ObjId) -> Option<Vec<Lot>> {
    let mut all = Vec::new();
    for entry in doc.map_range(obj, ..) {
        let ValueRef::Object(ObjType::Map) = &entry.value else {
            return None;
        };
        all.push(lot(doc, &entry.id(), entry.key.as_ref())?);
    }
    lots::sort_first_expiring(&mut all);
    Some(all)
}

fn lot(doc: &AutoCommit, obj: &ObjId, id: &str) -> Option<Lot> {
    let (mut number, mut expiry, mut received, mut on_hand) = (None, None, None, None);
    let mut unit_cost_cents = None;
    for entry in doc.map_range(obj, ..) {
        match (entry.key.as_ref(), entry.value) {
            ("number", ValueRef::Scalar(ScalarValueRef::Str(s))) => number = Some(s.into_owned()),
            ("expiry", ValueRef::Scalar(ScalarValueRef::Str(s))) => expiry = parse_day(&s),
            ("received", ValueRef::Scalar(ScalarValueRef::Str(s))) => received = parse_day(&s),
            ("on_hand", ValueRef::Scalar(ScalarValueRef::Counter(n))) => on_hand = Some(n),
            ("unit_cost_cents", ValueRef::Scalar(ScalarValueRef::Int(n))) => {
                unit_cost_cents = Some(n)
            }
            ("unit_cost_cents", ValueRef::Scalar(ScalarValueRef::Null)) => {}
            _ => return None,
        }
    }
    Some(Lot {
        id: LotId::from(id),
        number: number?,
        expiry: expiry?,
        received: received?,
        on_hand: on_hand?,
        unit_cost_cents,
    })
}
