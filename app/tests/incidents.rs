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

#[wasm_bindgen_test]
async fn an_injurys_log_details_are_refused_until_right_then_numbered_in_the_years_log() {
    let store = Store::open("test-view-injury-log").await.expect("opens");
    let log = DocKind::Incidents {
        site: SiteId::main(),
    }
    .doc_id();
    let today = local_now().date();
    stored(&store, &log, |am| {
        let report = model::incident::IncidentForm {
            kind: "injury".into(),
            happened: today.to_string(),
            summary: "Slipped on a wet floor".into(),
            severity: "moderate".into(),
            ..Default::default()
        }
        .validate("Avery Example", local_now())
        .expect("valid");
        model::incident::put_incident(am, &report).expect("logs");
    })
    .await;
    let (driver, ctx) = started(store, &[DocKind::Directory.doc_id(), log.clone()], today).await;
    let handle = mount(ctx, || view! { <Incidents /> });
    until(|| all("[data-testid=injury-case]").len() == 1).await;
    let case = format!("{}-001", chrono::Datelike::year(&today));
    assert!(texts("[data-testid=injury-case] th").contains(&case));
    assert!(text("[data-testid=injury-case]").contains("Details not yet entered"));
    assert!(text("[data-testid=injury-details] summary").ends_with("not yet entered"));

    type_into("[data-testid=injury-employee]", "Jesse Sample");
    type_into("[data-testid=injury-job-title]", "Medical assistant");
    type_into("[data-testid=injury-location]", "Waiting room");
    type_into("[data-testid=injury-description]", "Sprained right wrist");
    set("[data-testid=injury-outcome]", "days-away", "change");
    set("[data-testid=injury-case-type]", "injury", "change");
    type_into("[data-testid=injury-days-away]", "-2");
    submit("[data-testid=injury-details] form");
    until(|| !text("[data-testid=error-injury-days-away]").is_empty()).await;
    assert_eq!(
        text("[data-testid=error-injury-days-away]"),
        "Days cannot be below zero."
    );
    let stored_injury = || {
        driver
            .read(&log, read_all)
            .expect("open")
            .expect("reads")
            .0
            .into_iter()
            .find(|i| i.kind == Kind::Injury)
            .and_then(|i| i.injury)
    };
    assert_eq!(stored_injury(), None, "nothing saved");

    type_into("[data-testid=injury-days-away]", "3");
    submit("[data-testid=injury-details] form");
    until(|| stored_injury().is_some()).await;
    until(|| text("[data-testid=injury-case]").contains("Jesse Sample")).await;
    let row = texts("[data-testid=injury-case] td");
    assert_eq!(
        row[3..],
        [
            "Waiting room",
            "Sprained right wrist",
            "Days away from work",
            "3",
            "0",
            "Injury"
        ]
    );
    drop(handle);
}
