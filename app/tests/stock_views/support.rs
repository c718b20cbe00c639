//! What the Stock view tests share: the three items stored as if from the relay, and
//! touching the page as a person would.
#![allow(dead_code)]

use app::platform::idb::Store;
use app::platform::local_now;
use chrono::NaiveDate;
use model::document::maps;
use model::inventory::form::{self, ItemForm};
use model::inventory::movement::{self, LotChoice, NewMovement};
use model::inventory::{ItemId, MovementKind};
use model::schedule::Who;
use model::{DocKind, Document, SiteId};
use protocol::DocId;

use super::common::{all, stored_together};

pub fn inventory_doc() -> DocId {
    DocKind::Inventory {
        site: SiteId::main(),
    }
    .doc_id()
}

/// The log of the month the desk posts in: the local today's.
pub fn this_month() -> DocId {
    DocKind::stock_for(&SiteId::main(), local_now().date()).doc_id()
}

pub fn desk_b() -> Who {
    Who {
        device: "Desk B".into(),
        staff: None,
    }
}

pub fn item(name: &str, sku: &str, par: &str, reorder_point: &str, lot_tracked: bool) -> ItemForm {
    ItemForm {
        name: name.into(),
        category: "medical".into(),
        unit: "box".into(),
        sku: sku.into(),
        par: par.into(),
        reorder_point: reorder_point.into(),
        lot_tracked,
        ..ItemForm::default()
    }
}

/// The three items of the tests, by name: swabs (lot-tracked, 50), bandages (5 received
/// and 8 used on another desk: -3) and cotton balls (4, at or below their reorder point).
pub struct Items {
    pub swabs: ItemId,
    pub bandages: ItemId,
    pub cotton: ItemId,
}

pub async fn three_items(store: &Store) -> Items {
    let mut ids = None;
    stored_together(store, &[inventory_doc(), this_month()], |docs| {
        let [inventory, log] = docs else {
            panic!("two documents")
        };
        let mut add = |form: ItemForm| {
            let valid = form.validate().expect("valid");
            form::add_item(inventory, &valid).expect("adds")
        };
        // Added out of name order: the list sorts them.
        let cotton = add(item("Cotton balls", "CB-1", "20", "5", false));
        let swabs = add(ItemForm {
            barcode: "0123456789012".into(),
            ..item("Alcohol swabs", "AS-100", "100", "20", true)
        });
        let bandages = add(item("Bandages", "BD-2", "", "", false));
        let at = local_now();
        let mut post = |id: &ItemId, kind, quantity, lot| {
            let mut new = NewMovement::new(id, kind, quantity, at, &desk_b());
            new.lot = lot;
            movement::post(inventory, log, &new).expect("posts");
        };
        post(&cotton, MovementKind::Receive, 4, LotChoice::None);
        let expiry = NaiveDate::from_ymd_opt(2030, 1, 31).expect("valid");
        let lot = LotChoice::New {
            number: "LOT-A1".into(),
            expiry,
        };
        post(&swabs, MovementKind::Receive, 50, lot);
        post(&bandages, MovementKind::Receive, 5, LotChoice::None);
        post(&bandages, MovementKind::Use, 8, LotChoice::None);
        ids = Some(Items {
            swabs,
            bandages,
            cotton,
        });
    })
    .await;
    ids.expect("made")
}

pub fn row(id: &ItemId) -> String {
    format!("[data-testid=stock-row][data-item='{id}']")
}

/// Mounts the Stock tab, first taking away what an earlier test left on the page when it
/// failed before unmounting, so that one failure does not fail the tests after it.
pub fn mount_stock(
    ctx: app::ui::Ctx,
) -> leptos::mount::UnmountHandle<leptos::tachys::view::any_view::AnyViewState> {
    use leptos::prelude::*;
    for old in all("[data-stock-test]") {
        old.remove();
    }
    let handle = super::common::mount(ctx, || view! { <app::ui::stock::Stock /> });
    if let Some(host) = gloo::utils::body().last_element_child() {
        host.set_attribute("data-stock-test", "").expect("marks");
    }
    handle
}

/// Two thousand items "Supply 0000"… on forty shelves, one in forty from "Rare Goods".
pub async fn two_thousand_items(store: &Store) {
    use autosurgeon::{reconcile_prop, Counter, Reconcile};
    use std::collections::BTreeMap;

    // The stored shape of an item, written directly: adding two thousand through the form
    // would check every code against every other.
    #[derive(Reconcile)]
    struct Record {
        name: String,
        category: String,
        unit: String,
        pack_size: i64,
        sku: String,
        barcode: String,
        location: String,
        supplier: String,
        unit_cost_cents: i64,
        par: i64,
        reorder_point: i64,
        reorder_qty: i64,
        lot_tracked: bool,
        on_hand: Counter,
        lots: BTreeMap<String, String>,
        archived: bool,
    }
    super::common::stored(store, &inventory_doc(), |am| {
        let items = Document::root_map(am, maps::ITEMS).expect("an items map");
        for n in 0..2000 {
            let record = Record {
                name: format!("Supply {n:04}"),
                category: "office".into(),
                unit: "each".into(),
                pack_size: 1,
                sku: format!("SKU-{n:04}"),
                barcode: String::new(),
                location: format!("Shelf {}", n % 40),
                supplier: if n % 40 == 0 {
                    "Rare Goods"
                } else {
                    "Example Supplies"
                }
                .into(),
                unit_cost_cents: 100,
                par: 10,
                reorder_point: 2,
                reorder_qty: 0,
                lot_tracked: false,
                on_hand: Counter::with_value(n % 7),
                lots: BTreeMap::new(),
                archived: false,
            };
            reconcile_prop(am, &items, ItemId::random().as_str(), &record).expect("writes");
        }
    })
    .await;
}
