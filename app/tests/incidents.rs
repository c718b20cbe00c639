//! Browser tests of the log of complaints and incidents: a report refused until it is
//! right, then logged into the site's document, answered and closed.
#![cfg(target_arch = "wasm32")]

use app::platform::idb::Store;
use app::platform::local_now;
use app::ui::incidents::Incidents;
use leptos::prelude::*;
use model::incident::{read_all, Kind, Stage};
use model::{DocKind, SiteId};
use wasm_bindgen_test::*;

mod common;
use common::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn a_report_is_logged_answered_and_closed_in_the_sites_document() {
    let store = Store::open("test-view-incidents").await.expect("opens");
    let log = DocKind::Incidents {
        site: SiteId::main(),
    }
    .doc_id();
    let (driver, ctx) = started(
        store,
        &[DocKind::Directory.doc_id(), log.clone()],
        local_now().date(),
    )
    .await;
    let handle = mount(ctx, || view! { <Incidents /> });
    until(|| text("[data-testid=incidents-overdue]") == "No response is overdue.").await;

    // Something that has not happened yet is refused at its field, and nothing is logged.
    let tomorrow = local_now().date().succ_opt().expect("a day").to_string();
    set("[data-testid=incident-kind]", "equipment", "change");
    type_in("[data-testid=incident-happened]", &tomorrow);
    set(
        "[data-testid=incident-summary]",
        "Autoclave stopped mid-cycle",
        "input",
    );
    submit("details.new-report form");
    until(|| !text("[data-testid=error-incident-happened]").is_empty()).await;
    assert!(text("[data-testid=error-incident-happened]").ends_with("has not come yet."));
    assert!(all("[data-testid=incident]").is_empty());

    type_in(
        "[data-testid=incident-happened]",
        &local_now().date().to_string(),
    );
    type_in("[data-testid=incident-respond-by]", &tomorrow);
    submit("details.new-report form");
    until(|| all("[data-testid=incident]").len() == 1).await;
    assert_eq!(
        text("[data-testid=incident] .incident-summary"),
        "Autoclave stopped mid-cycle"
    );
    assert_eq!(text("[data-testid=incident-stage]"), "Open");

    // Closing needs the outcome's words.
    click("[data-testid=incident-closed]");
    until(|| !text("[data-testid=error-incident-outcome]").is_empty()).await;
    assert_eq!(
        text("[data-testid=error-incident-outcome]"),
        "Say what the response or outcome was."
    );
    type_in(
        "[data-testid=incident-outcome]",
        "Engineer replaced the seal",
    );
    click("[data-testid=incident-closed]");
    until(|| text("[data-testid=incident-stage]") == "Closed").await;

    let (stored, unreadable) = driver.read(&log, read_all).expect("open").expect("reads");
    assert_eq!(unreadable, 0);
    assert_eq!(stored.len(), 1);
    assert_eq!(
        (stored[0].kind, stored[0].stage),
        (Kind::Equipment, Stage::Closed)
    );
    assert_eq!(stored[0].outcome, "Engineer replaced the seal");
    assert_eq!(stored[0].respond_by.map(|d| d.to_string()), Some(tomorrow));
    drop(handle);
}
