//! What the Stock browser tests share: supplies built with the model and stored as if
//! from the relay, reading them back, and touching the page as a person would.

use app::platform::driver::Driver;
use app::platform::idb::Store;
use app::platform::local_now;
use app::ui::stock::{inventory_doc, stock_doc};
use automerge::{ActorId, AutoCommit};
use chrono::{NaiveDate, NaiveDateTime};
use model::inventory::form::{self, ItemForm};
use model::inventory::movement::{self, LotChoice, NewMovement};
use model::inventory::{Inventory, ItemId, MovementKind};
use model::schedule::Who;
use model::{Document, DocumentError, SiteId};
use protocol::{Bundle, DocId, Entry};

pub fn who() -> Who {
    Who {
        device: "Desk B".into(),
        staff: None,
    }
}

/// Stores a document built here, whole, as if it came from the relay.
pub async fn store_built(store: &Store, document: &mut Document) {
    let bundle = Bundle::new(document.save());
    let entry = Entry {
        seq: 1,
        hash: bundle.hash,
        data: bundle.data,
    };
    store
        .save_remote(document.id(), &[entry], 1)
        .await
        .expect("saves");
}

/// A site's inventory and this month's log, built by `edit` in one change and stored.
pub async fn build<T>(
    store: &Store,
    site: &SiteId,
    edit: impl FnOnce(&mut AutoCommit, &mut AutoCommit) -> Result<T, DocumentError>,
) -> T {
    let (inventory_id, log_id) = (inventory_doc(site), stock_doc(site, local_now().date()));
    let mut inventory = Document::new(&inventory_id, &ActorId::random()).expect("a document");
    let mut log = Document::new(&log_id, &ActorId::random()).expect("a document");
    let (value, _) = Document::change_many(&mut [&mut inventory, &mut log], |docs| {
        let [inventory, log] = docs else {
            unreachable!("two documents")
        };
        edit(inventory, log)
    })
    .expect("builds");
    store_built(store, &mut inventory).await;
    store_built(store, &mut log).await;
    value
}

/// Adds an item and receives `received` of it now (in lot `lot`, if given).
pub fn add(
    inventory: &mut AutoCommit,
    log: &mut AutoCommit,
    item: &ItemForm,
    received: i64,
    lot: Option<(&str, NaiveDate, NaiveDateTime)>,
) -> Result<ItemId, DocumentError> {
    let valid = item.validate().expect("a valid item");
    let id = form::add_item(inventory, &valid)?;
    if received > 0 {
        let at = lot.map_or_else(local_now, |(_, _, at)| at);
        let mut receipt = NewMovement::new(&id, MovementKind::Receive, received, at, &who());
        if let Some((number, expiry, _)) = lot {
            receipt.lot = LotChoice::New {
                number: number.into(),
                expiry,
            };
        }
        movement::post(inventory, log, &receipt)?;
    }
    Ok(id)
}

/// The main site's supplies: `items` each received now.
pub async fn supplies(store: &Store, items: &[(ItemForm, i64)]) -> (DocId, DocId, Vec<ItemId>) {
    let site = SiteId::main();
    let ids = build(store, &site, |inventory, log| {
        items
            .iter()
            .map(|(item, received)| add(inventory, log, item, *received, None))
            .collect::<Result<Vec<_>, _>>()
    })
    .await;
    (
        inventory_doc(&site),
        stock_doc(&site, local_now().date()),
        ids,
    )
}

pub fn item(name: &str, location: &str, par: &str, point: &str, pack: &str) -> ItemForm {
    ItemForm {
        name: name.into(),
        category: "medical".into(),
        unit: "box".into(),
        pack_size: pack.into(),
        location: location.into(),
        supplier: "Acme Medical".into(),
        unit_cost: "4.50".into(),
        par: par.into(),
        reorder_point: point.into(),
        ..ItemForm::default()
    }
}

pub fn read(driver: &Driver, doc: &DocId) -> Option<Inventory> {
    driver.read(doc, Inventory::read).ok()?.ok()
}
