//! Browser tests of money at the desk: check-in showing the co-pay due, a payment taken in
//! the side panel going into the month's document, and the day's takings with this
//! desk's drawer closed.
#![cfg(target_arch = "wasm32")]

use app::platform::idb::Store;
use app::ui::takings::Takings;
use app::ui::today::Today;
use chrono::NaiveDate;
use leptos::prelude::*;
use model::appointment::ValidBooking;
use model::directory::{put_copay, put_provider, put_type, time, PALETTE};
use model::payment::{Kind, Method};
use model::schedule::{self, Schedule, Who};
use model::{AppointmentType, DocKind, Provider, ProviderId, SiteId, Status, TypeId, WeekHours};
use wasm_bindgen_test::*;

mod common;
use common::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Today: payments are dated by the device's clock, and the takings show today.
fn visit_day() -> NaiveDate {
    app::platform::local_now().date()
}

#[wasm_bindgen_test]
async fn check_in_shows_the_copay_due_and_a_payment_reaches_the_days_takings() {
    let store = Store::open("test-view-payments").await.expect("opens");
    let directory = DocKind::Directory.doc_id();
    stored(&store, &directory, |am| {
        put_provider(
            am,
            &Provider {
                id: ProviderId::from("dr-a"),
                name: "Dr. Ada Example".into(),
                specialty: String::new(),
                colour: PALETTE[0].into(),
                sites: vec![SiteId::main()],
                hours: WeekHours::office(),
            },
        )
        .expect("writes");
        put_type(
            am,
            &AppointmentType {
                id: TypeId::from("follow-up"),
                name: "Follow-up".into(),
                duration_minutes: 20,
                colour: PALETTE[1].into(),
                copay_cents: Some(2_500),
            },
        )
        .expect("writes");
        put_copay(am, &TypeId::from("follow-up"), Some(2_500)).expect("writes");
    })
    .await;
    let month = DocKind::schedule_for(&SiteId::main(), visit_day()).doc_id();
    let mut id = None;
    stored(&store, &month, |am| {
        let mut booking = ValidBooking::new(
            "Alex Sample",
            ProviderId::from("dr-a"),
            visit_day().and_time(time(9, 0)),
            20,
        );
        booking.type_id = Some(TypeId::from("follow-up"));
        let who = Who {
            device: "Desk B".into(),
            staff: None,
        };
        id = Some(
            schedule::book(am, &booking, &who, visit_day().and_time(time(7, 0))).expect("books"),
        );
    })
    .await;
    let id = id.expect("booked");
    let (driver, ctx) = started(store, &[directory, month.clone()], visit_day()).await;
    let today = mount(ctx, || view! { <Today /> });
    ctx.selected.set(Some(id.clone()));

    until(|| !all("[data-testid=copay-due]").is_empty()).await;
    assert_eq!(text("[data-testid=copay-due]"), "Co-pay 25.00: 25.00 due.");
    click("[data-testid=detail-check-in]");
    until(|| text("[data-testid=detail-status]") == "Checked in").await;
    // Still due at check-in, with the amount ready to take.
    assert_eq!(text("[data-testid=copay-due]"), "Co-pay 25.00: 25.00 due.");
    assert_eq!(value_of("[data-testid=payment-amount]"), "25.00");
    set("[data-testid=payment-method]", "cash", "change");
    submit("form.payment-form");
    until(|| text("[data-testid=copay-due]") == "Co-pay 25.00: paid.").await;
    assert_eq!(text("[data-testid=copay-due]"), "Co-pay 25.00: paid.");
    let receipt = format!(
        "Paid 25.00 by cash · receipt R{}-",
        visit_day().format("%y%m%d")
    );
    assert!(
        text("[data-testid=payment]").contains(&receipt),
        "{}",
        text("[data-testid=payment]")
    );

    // A wrong amount is named at its field and nothing is taken.
    type_in("[data-testid=payment-amount]", "12.345");
    submit("form.payment-form");
    until(|| !text("[data-testid=error-payment-amount]").is_empty()).await;
    assert_eq!(
        text("[data-testid=error-payment-amount]"),
        "Use at most two decimals, like 25.50."
    );
    let stored = driver
        .read(&month, Schedule::read)
        .expect("open")
        .expect("reads");
    assert_eq!(stored.appointments[0].status, Status::Arrived);
    // The payment is a record of its own in the month's document, naming the appointment.
    let taken = driver.read(&month, model::payment::read_all).expect("open");
    assert_eq!(taken.len(), 1);
    let p = &taken[0];
    assert_eq!(
        (p.kind, p.cents, p.method),
        (Kind::Payment, 2_500, Method::Cash)
    );
    assert_eq!(
        (p.appointment.clone(), p.device.as_str()),
        (id.clone(), "Desk A")
    );
    drop(today);

    // The day's takings: expected, collected by method, and this desk's drawer closed a
    // dollar short.
    let takings = mount(ctx, || view! { <Takings /> });
    until(|| !all("[data-testid=takings-desk]").is_empty()).await;
    assert_eq!(text("[data-testid=takings-expected]"), "25.00");
    assert_eq!(text("[data-testid=takings-collected]"), "25.00");
    assert_eq!(text("[data-testid=takings-difference]"), "0.00");
    let cells = |row: &str| texts(&format!("[data-testid={row}] th, [data-testid={row}] td"));
    assert_eq!(
        cells("takings-desk"),
        ["Desk A", "25.00", "0.00", "0.00", "0.00", "25.00", "Open"]
    );
    type_in("[data-testid=count-cash]", "24");
    submit("form.close-drawer");
    until(|| {
        cells("takings-desk")
            .last()
            .is_some_and(|c| c.starts_with("by"))
    })
    .await;
    let closed = cells("takings-desk").pop().unwrap_or_default();
    assert!(
        closed.ends_with("counted 24.00 · difference -1.00"),
        "{closed}"
    );
    drop(takings);
}
