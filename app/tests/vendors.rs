//! Browser tests of Vendors and equipment: a vendor and a piece of equipment refused until
//! right (a vendor without a name, a service interval of zero), then saved into
//! their documents; a service recorded today moves the next one on, and one recorded by a
//! slip is undone; the vendor archived
//! and restored, the equipment retired and put back in service.
#![cfg(target_arch = "wasm32")]

use app::platform::idb::Store;
use app::platform::local_now;
use app::ui::vendors::Vendors;
use chrono::Months;
use leptos::prelude::*;
use model::equipment::read_all;
use model::{Directory, DocKind, SiteId};
use wasm_bindgen_test::*;

mod common;
use common::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn a_vendor_and_its_equipment_are_refused_until_right_then_serviced() {
    let store = Store::open("test-view-vendors").await.expect("opens");
    let inventory = DocKind::Inventory {
        site: SiteId::main(),
    }
    .doc_id();
    let today = local_now().date();
    let (driver, ctx) = started(
        store,
        &[DocKind::Directory.doc_id(), inventory.clone()],
        today,
    )
    .await;
    let handle = mount(ctx, || view! { <Vendors /> });
    until(|| !all("[data-testid=equipment]").is_empty()).await;

    // No name: said at the field.
    type_into("[data-testid=vendor-name]", "  ");
    type_into("[data-testid=vendor-supplies]", "Autoclave service");
    submit("[data-testid=vendors] details.new-report form");
    until(|| !text("[data-testid=error-vendor-name]").is_empty()).await;
    let directory = || {
        driver
            .read(&DocKind::Directory.doc_id(), Directory::read)
            .expect("open")
            .expect("reads")
    };
    assert!(directory().vendors.is_empty(), "nothing saved");
    type_into("[data-testid=vendor-name]", "Contoso Biomedical");
    let renewal = today + Months::new(1);
    type_into("[data-testid=vendor-renewal]", &renewal.to_string());
    submit("[data-testid=vendors] details.new-report form");
    until(|| all("[data-testid=vendor]").len() == 1).await;
    assert!(text("[data-testid=vendor]").contains("renews soon"));
    assert_eq!(
        text("[data-testid=vendors-renewals]"),
        "1 contract is up for renewal in the next 60 days."
    );
    let vendor = directory().vendors[0].id.clone();

    // Equipment: an interval of zero is refused at its field.
    type_into("[data-testid=equipment-name]", "Autoclave");
    type_into("[data-testid=equipment-location]", "Treatment room");
    set("[data-testid=equipment-vendor]", vendor.as_str(), "change");
    type_into("[data-testid=equipment-every]", "0");
    set("[data-testid=equipment-unit]", "w", "change");
    let last = today - chrono::Days::new(10);
    type_into("[data-testid=equipment-last-service]", &last.to_string());
    submit("[data-testid=equipment] details.new-report form");
    until(|| !text("[data-testid=error-equipment-every]").is_empty()).await;
    assert!(text("[data-testid=error-equipment-every]").contains("zero"));
    let pieces = || {
        driver
            .read(&inventory, read_all)
            .expect("open")
            .expect("reads")
            .0
    };
    assert!(pieces().is_empty(), "nothing saved");

    // Every week, last serviced ten days ago: overdue.
    type_into("[data-testid=equipment-every]", "1");
    submit("[data-testid=equipment] details.new-report form");
    until(|| all("[data-testid=equipment-piece]").len() == 1).await;
    let facts = text("[data-testid=equipment-facts]");
    assert!(facts.contains("serviced by Contoso Biomedical"), "{facts}");
    assert!(facts.ends_with("· overdue"), "{facts}");

    // A slip: "Serviced today", then Undo; the service stands as it was, still overdue.
    click("[data-testid=equipment-serviced]");
    until(|| pieces().first().is_some_and(|p| p.last_service == today)).await;
    until(|| !all("[data-testid=undo]").is_empty()).await;
    assert_eq!(
        text("[data-testid=done-text]"),
        "Service of Autoclave recorded."
    );
    click("[data-testid=undo]");
    until(|| pieces().first().is_some_and(|p| p.last_service == last)).await;
    until(|| text("[data-testid=equipment-facts]").ends_with("· overdue")).await;

    click("[data-testid=equipment-serviced]");
    until(|| pieces().first().is_some_and(|p| p.last_service == today)).await;
    until(|| !text("[data-testid=equipment-facts]").contains("overdue")).await;
    let next = (today + chrono::Days::new(7))
        .format("%-d %b %Y")
        .to_string();
    assert!(text("[data-testid=equipment-facts]").contains(&format!("next due {next}")));

    // The vendor is archived: off the register, still named on the autoclave, and marked
    // archived where the autoclave's form offers vendors.
    click("[data-testid=vendor] summary");
    until(|| !all("[data-testid=vendor-archive]").is_empty()).await;
    click("[data-testid=vendor-archive]");
    until(|| all("[data-testid=vendor]").is_empty()).await;
    assert!(directory().vendor(&vendor).is_some_and(|v| v.archived));
    assert_eq!(
        texts("[data-testid=archived-vendor] .incident-summary"),
        ["Contoso Biomedical"]
    );
    until(|| text("[data-testid=equipment-facts]").contains("serviced by Contoso Biomedical"))
        .await;
    click("[data-testid=equipment-piece] summary");
    until(|| !all("[data-testid=equipment-edit-vendor]").is_empty()).await;
    assert_eq!(
        text("[data-testid=equipment-edit-vendor] option:checked"),
        "Contoso Biomedical (archived)"
    );
    assert_eq!(
        text("[data-testid=vendors-renewals]"),
        "No contract is up for renewal in the next 60 days."
    );
    click("[data-testid=vendor-restore]");
    until(|| all("[data-testid=vendor]").len() == 1).await;
    assert!(all("[data-testid=vendors-archived]").is_empty());

    // The autoclave is retired, then put back in service.
    click("[data-testid=equipment-retire]");
    until(|| all("[data-testid=equipment-piece]").is_empty()).await;
    assert!(pieces()[0].archived);
    assert_eq!(
        texts("[data-testid=retired-piece] .incident-summary"),
        ["Autoclave"]
    );
    click("[data-testid=equipment-restore]");
    until(|| all("[data-testid=equipment-piece]").len() == 1).await;
    assert!(!pieces()[0].archived);
    drop(handle);
}
