//! What to order: items at or below their reorder point, with how many would bring them
//! back to par once what is already on order arrives.

use super::{Inventory, ItemId};

/// One item to order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suggestion {
    pub item: ItemId,
    pub name: String,
    pub supplier: String,
    pub vendor: Option<crate::vendor::VendorId>,
    pub on_hand: i64,
    pub on_order: i64,
    pub reorder_point: i64,
    pub par: i64,
    /// par − on hand − on order, at least the item's reorder quantity, rounded up to whole
    /// packs.
    pub quantity: i64,
    /// How many units the supplier's pack holds (1: sold singly).
    pub pack_size: i64,
    pub unit_cost_cents: i64,
}

/// The items at or below their reorder point that still need ordering, by supplier then
/// name. An item whose open orders already bring it to par is not listed. Items with no
/// reorder point and no par (0 and 0) are never suggested: nobody said to keep them.
pub fn suggestions(inventory: &Inventory) -> Vec<Suggestion> {
    let on_order = inventory.on_order();
    let mut all: Vec<Suggestion> = inventory
        .active()
        .filter(|item| item.par > 0 && item.on_hand <= item.reorder_point)
        .filter_map(|item| {
            let ordered = on_order.get(&item.id).copied().unwrap_or(0);
            let short = item.par - item.on_hand - ordered;
            if short <= 0 {
                return None;
            }
            let wanted = short.max(item.reorder_qty);
            let pack = item.pack_size.max(1);
            let quantity = (wanted + pack - 1) / pack * pack;
            Some(Suggestion {
                item: item.id.clone(),
                name: item.name.clone(),
                supplier: item.supplier.clone(),
                vendor: item.vendor.clone(),
                on_hand: item.on_hand,
                on_order: ordered,
                reorder_point: item.reorder_point,
                par: item.par,
                quantity,
                pack_size: pack,
                unit_cost_cents: item.unit_cost_cents,
            })
        })
        .collect();
    all.sort_by(|a, b| {
        (a.supplier.to_lowercase(), a.name.to_lowercase(), &a.item).cmp(&(
            b.supplier.to_lowercase(),
            b.name.to_lowercase(),
            &b.item,
        ))
    });
    all
}

/// Items at or below their reorder point, whether or not an order covers them: the low
/// stock list of the manager's phone.
pub fn low(inventory: &Inventory) -> impl Iterator<Item = &super::Item> {
    inventory
        .active()
        .filter(|item| item.par > 0 && item.on_hand <= item.reorder_point)
}

/// Names the register's vendor on each suggestion whose item names none but whose supplier
/// text is the name of a vendor in use, so that its line goes on that vendor's order rather
/// than a draft of its own.
pub fn match_vendors(suggestions: &mut [Suggestion], directory: &crate::Directory) {
    for s in suggestions.iter_mut().filter(|s| s.vendor.is_none()) {
        s.vendor = directory
            .active_vendors()
            .find(|v| v.name.eq_ignore_ascii_case(s.supplier.trim()))
            .map(|v| v.id.clone());
    }
}
