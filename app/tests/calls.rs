//! Browser tests of the confirmation calls: the call day's list drawn from a stored month,
//! one touch per outcome going back into the document, and the call order and the rate
//! following it.
#![cfg(target_arch = "wasm32")]

use app::platform::idb::Store;
use app::ui::calls::Calls;
use chrono::NaiveDate;
use leptos::prelude::*;
use model::appointment::ValidBooking;
use model::confirm::Outcome;
use model::directory::time;
use model::schedule::{self, Schedule, Who};
use model::{DocKind, ProviderId, SiteId, Status};
use wasm_bindgen_test::*;

mod common;
use common::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A Monday well ahead; the call day is the Tuesday after it.
fn monday() -> NaiveDate {
    NaiveDate::from_ymd_opt(2030, 1, 7).expect("a valid day")
}

fn tuesday() -> NaiveDate {
    monday().succ_opt().expect("a day")
}

fn rows(section: &str) -> Vec<String> {
    texts(&format!(
        "[data-testid={section}] [data-testid=call] .call-who strong"
    ))
}

#[wasm_bindgen_test]
async fn the_call_list_records_each_outcome_in_one_touch_and_keeps_call_order() {
    let store = Store::open("test-view-calls").await.expect("opens");
    let month = DocKind::schedule_for(&SiteId::main(), tuesday()).doc_id();
    stored(&store, &month, |am| {
        let who = Who {
            device: "Desk B".into(),
            staff: None,
        };
        for (patient, hour) in [("Alex Sample", 9), ("Kim Example", 10), ("Sam Test", 11)] {
            let mut booking = ValidBooking::new(
                patient,
                ProviderId::from("dr-a"),
                tuesday().and_time(time(hour, 0)),
                30,
            );
            booking.phone = Some("555 0100".into());
            schedule::book(am, &booking, &who, monday().and_time(time(7, 0))).expect("books");
        }
    })
    .await;
    let (driver, ctx) = started(
        store,
        &[DocKind::Directory.doc_id(), month.clone()],
        monday(),
    )
    .await;
    ctx.now.set(monday().and_time(time(8, 0)));
    let handle = mount(ctx, || view! { <Calls /> });

    until(|| rows("calls-to-call").len() == 3).await;
    assert_eq!(
        text("[data-testid=calls-title]"),
        "Confirmation calls for Tuesday 8 January"
    );
    assert_eq!(text("[data-testid=calls-rate]"), "Confirmed 0 of 3 (0%)");
    assert_eq!(
        rows("calls-to-call"),
        ["09:00 Alex Sample", "10:00 Kim Example", "11:00 Sam Test"]
    );

    // Alex does not answer: tried once, Alex goes after those not yet called.
    click(
        "[data-testid=calls-to-call] [data-testid=call]:first-child [data-testid=call-no-answer]",
    );
    until(|| {
        rows("calls-to-call")
            .first()
            .is_some_and(|r| r.contains("Kim"))
    })
    .await;
    assert_eq!(
        rows("calls-to-call"),
        ["10:00 Kim Example", "11:00 Sam Test", "09:00 Alex Sample"]
    );
    assert!(
        texts("[data-testid=calls-to-call] .call-number")[2].ends_with("1 try, last: no answer")
    );

    // Kim confirms; Sam cancels, which takes a second touch.
    click(
        "[data-testid=calls-to-call] [data-testid=call]:first-child [data-testid=call-confirmed]",
    );
    until(|| text("[data-testid=calls-rate]") == "Confirmed 1 of 3 (33%)").await;
    assert_eq!(text("[data-testid=calls-rate]"), "Confirmed 1 of 3 (33%)");
    let cancel =
        "[data-testid=calls-to-call] [data-testid=call]:first-child [data-testid=call-cancelled]";
    click(cancel);
    settle().await;
    assert_eq!(text(cancel), "Tap again to cancel");
    assert_eq!(rows("calls-to-call").len(), 2, "nothing cancelled yet");
    click(cancel);
    until(|| rows("calls-to-call").len() == 1).await;
    assert_eq!(text("[data-testid=calls-rate]"), "Confirmed 1 of 2 (50%)");

    // Everything went back into the month's document, with its history.
    let stored = driver
        .read(&month, Schedule::read)
        .expect("open")
        .expect("reads");
    let by_name = |name: &str| {
        stored
            .appointments
            .iter()
            .find(|a| a.patient_name == name)
            .cloned()
            .expect("still there")
    };
    let (alex, kim, sam) = (
        by_name("Alex Sample"),
        by_name("Kim Example"),
        by_name("Sam Test"),
    );
    assert_eq!(alex.status, Status::Booked);
    assert_eq!(
        alex.calls.iter().map(|c| c.outcome).collect::<Vec<_>>(),
        [Outcome::NoAnswer]
    );
    assert_eq!(alex.calls[0].device, "Desk A");
    assert_eq!(kim.status, Status::Confirmed);
    assert_eq!(
        kim.history.last().and_then(|h| h.note.as_deref()),
        Some("Confirmation call: confirmed")
    );
    assert_eq!(sam.status, Status::Cancelled);
    drop(handle);
}
