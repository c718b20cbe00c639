//! Browser tests of the Stock tab's import / export page: a pasted file is checked, its
//! rows in error are named by line, and only what the person confirms is written.
#![cfg(target_arch = "wasm32")]

use app::platform::local_now;
use app::ui::stock::{inventory_doc, stock_doc, Stock};
use automerge::ActorId;
use leptos::prelude::*;
use model::inventory::form::{self, ItemForm};
use model::inventory::movement::{self, read_log, NewMovement};
use model::inventory::{Inventory, MovementKind};
use model::schedule::Who;
use model::{Document, DocumentError, SiteId};
use protocol::{Bundle, DocId, Entry};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

mod common;
use common::*;

wasm_bindgen_test_configure!(run_in_browser);

fn text(selector: &str) -> Vec<String> {
    all(selector)
        .iter()
        .map(|e| e.text_content().unwrap_or_default().trim().to_string())
        .collect()
}

fn disabled(selector: &str) -> bool {
    all(selector)
        .first()
        .map(|e| e.has_attribute("disabled"))
        .unwrap_or_else(|| panic!("{selector} is on the page"))
}

/// The main site's inventory with 10 exam gloves (SKU GLV-1), and this month's log.
async fn gloves(store: &app::platform::idb::Store) -> (DocId, DocId) {
    let site = SiteId::main();
    let (inventory_id, log_id) = (inventory_doc(&site), stock_doc(&site, local_now().date()));
    let mut inventory = Document::new(&inventory_id, &ActorId::random()).expect("a document");
    let mut log = Document::new(&log_id, &ActorId::random()).expect("a document");
    let who = Who {
        device: "Desk B".into(),
        staff: None,
    };
    Document::change_many(&mut [&mut inventory, &mut log], |docs| {
        let [inventory, log] = docs else {
            unreachable!("two documents")
        };
        let gloves = ItemForm {
            name: "Exam gloves".into(),
            category: "medical".into(),
            sku: "GLV-1".into(),
            ..ItemForm::default()
        };
        let id = form::add_item(inventory, &gloves.validate().expect("valid"))?;
        let receipt = NewMovement::new(&id, MovementKind::Receive, 10, local_now(), &who);
        movement::post(inventory, log, &receipt)?;
        Ok::<_, DocumentError>(())
    })
    .expect("builds");
    for document in [&mut inventory, &mut log] {
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
    (inventory_id, log_id)
}

#[wasm_bindgen_test]
async fn a_pasted_file_is_checked_then_only_its_valid_rows_are_imported_once_confirmed() {
    let store = app::platform::idb::Store::open("test-stock-exchange")
        .await
        .expect("opens");
    let (inventory, log) = gloves(&store).await;
    let (driver, ctx) = started(store, &[inventory.clone(), log.clone()], local_now().date()).await;
    let handle = mount(ctx, || view! { <Stock /> });
    until(|| !all("[data-testid=stock-exchange]").is_empty()).await;
    click("[data-testid=stock-exchange]");
    until(|| !all("[data-testid=exchange-page]").is_empty()).await;
    let read = || {
        driver
            .read(&inventory, Inventory::read)
            .expect("open")
            .expect("reads")
    };

    click("[data-testid=import-check]");
    until(|| !text("[data-testid=import-problem]").join("").is_empty()).await;
    assert_eq!(
        text("[data-testid=import-problem]"),
        ["Choose a file, or paste the rows of the spreadsheet, first."]
    );

    type_into(
        "[data-testid=import-text]",
        "name,category,par\nGauze pads,medical,5\nToys,toys,2\n",
    );
    click("[data-testid=import-check]");
    until(|| !all("[data-testid=import-summary]").is_empty()).await;
    assert_eq!(
        text("[data-testid=import-summary]"),
        ["1 row can be imported: 1 new, 0 updates; 1 row has errors."]
    );
    let error = text("[data-testid=import-error-row]");
    assert_eq!(error.len(), 1);
    assert!(
        error[0].starts_with("line 3: Choose a category"),
        "{error:?}"
    );
    assert_eq!(text("[data-testid=import-row]"), ["add Gauze pads"]);
    assert!(disabled("[data-testid=import-apply]"));
    click("[data-testid=import-valid-only]");
    until(|| !all("[data-testid=import-confirm]").is_empty()).await;
    assert_eq!(
        read().items.len(),
        1,
        "nothing written before the confirmation"
    );
    click("[data-testid=import-confirm]");
    until(|| !text("[data-testid=import-done]").join("").is_empty()).await;
    assert_eq!(text("[data-testid=import-done]"), ["Imported 1 row."]);
    assert!(
        all("[data-testid=import-plan]").is_empty(),
        "the plan is cleared"
    );
    let names: Vec<String> = read().items.iter().map(|i| i.name.clone()).collect();
    assert_eq!(names, ["Exam gloves", "Gauze pads"]);

    click("[data-testid=import-kind-levels]");
    type_into("[data-testid=import-text]", "sku;count\nGLV-1;7\n");
    click("[data-testid=import-check]");
    until(|| !all("[data-testid=import-summary]").is_empty()).await;
    assert_eq!(
        text("[data-testid=import-row]"),
        ["adjust Exam gloves: 10 → 7 (−3)"]
    );
    assert!(!disabled("[data-testid=import-apply]"));
    click("[data-testid=import-apply]");
    until(|| !text("[data-testid=import-done]").join("").is_empty()).await;
    assert_eq!(
        text("[data-testid=import-done]"),
        ["Imported 1 row. 1 stock level was adjusted."],
        "{:?}",
        ctx.problems.get_untracked(),
    );
    let gloves = read().items.into_iter().find(|i| i.name == "Exam gloves");
    assert_eq!(gloves.map(|g| g.on_hand), Some(7));
    let (movements, _) = driver.read(&log, read_log).expect("open").expect("reads");
    assert!(movements.iter().any(|m| m.kind == MovementKind::Adjust
        && m.quantity == -3
        && m.reason == "Stock levels imported"));
    drop(handle);
}

/// Chooses a file of `bytes` named `name` in the file input, as a person would.
fn choose_file(name: &str, bytes: &[u8]) {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let file = web_sys::File::new_with_u8_array_sequence(&parts, name).expect("a file");
    let transfer = web_sys::DataTransfer::new().expect("a transfer");
    let items = js_sys::Reflect::get(&transfer, &JsValue::from_str("items")).expect("items");
    let add: js_sys::Function = js_sys::Reflect::get(&items, &JsValue::from_str("add"))
        .expect("add")
        .dyn_into()
        .expect("a function");
    add.call1(&items, &file).expect("adds the file");
    let input = all("[data-testid=import-file]")
        .into_iter()
        .next()
        .expect("the file input");
    js_sys::Reflect::set(
        &input,
        &JsValue::from_str("files"),
        &transfer.files().into(),
    )
    .expect("sets the files");
    let event = web_sys::Event::new("change").expect("an event");
    input.dispatch_event(&event).expect("dispatches");
}

#[wasm_bindgen_test]
async fn a_chosen_file_is_read_and_one_that_is_not_text_is_named() {
    let store = app::platform::idb::Store::open("test-stock-exchange-file")
        .await
        .expect("opens");
    let (inventory, log) = gloves(&store).await;
    let (_driver, ctx) = started(store, &[inventory, log], local_now().date()).await;
    let handle = mount(ctx, || view! { <Stock /> });
    until(|| !all("[data-testid=stock-exchange]").is_empty()).await;
    click("[data-testid=stock-exchange]");
    until(|| !all("[data-testid=exchange-page]").is_empty()).await;

    choose_file("old.csv", b"name\n\xe9t\xe9\n");
    until(|| !text("[data-testid=import-problem]").join("").is_empty()).await;
    let problem = text("[data-testid=import-problem]").join("");
    assert!(
        problem.starts_with("old.csv is not a text file in UTF-8"),
        "{problem}"
    );

    choose_file(
        "supplies.csv",
        "\u{feff}Name;Category\r\nGants;Medical supply\r\n".as_bytes(),
    );
    until(|| text("[data-testid=import-check]") == ["Check supplies.csv"]).await;
    assert_eq!(text("[data-testid=import-problem]"), [""]);
    click("[data-testid=import-check]");
    until(|| !all("[data-testid=import-summary]").is_empty()).await;
    assert_eq!(text("[data-testid=import-row]"), ["add Gants"]);

    // A file that is not a table of supplies is one sentence, and nothing to import.
    click("[data-testid=import-kind-levels]");
    click("[data-testid=import-check]");
    until(|| !text("[data-testid=import-problem]").join("").is_empty()).await;
    assert_eq!(
        text("[data-testid=import-problem]"),
        ["The file has no \"on_hand\" column (nor \"count\" or \"quantity\") with what was counted."]
    );
    assert!(all("[data-testid=import-plan]").is_empty());
    drop(handle);
}
