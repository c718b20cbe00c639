//! Browser tests of the Stock tab's reorder, purchase order, count and across-sites pages:
//! documents built with the model, stored as if from the relay, shown, and touched; what
//! the touch wrote is read back from the driver's documents.
#![cfg(target_arch = "wasm32")]

use app::platform::driver::Driver;
use app::platform::idb::Store;
use app::platform::local_now;
use app::ui::stock::{inventory_doc, stock_doc, Stock, StockPlace};
use chrono::{Days, NaiveDate};
use leptos::prelude::*;
use model::inventory::movement::{self, LotChoice, NewMovement};
use model::inventory::{CountState, MovementKind, OrderState};
use model::SiteId;
use wasm_bindgen_test::*;

mod common;
use common::*;
#[path = "stock_ops/support.rs"]
mod support;
use support::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn a_low_item_is_suggested_put_on_a_draft_order_with_the_quantity_checked_and_sent() {
    let store = Store::open("test-stock-orders").await.expect("opens");
    // Gloves: 3 on hand, reorder at 5, par 20, in packs of 5: 17 short makes 20 to order.
    let (inventory, log, _) = supplies(
        &store,
        &[
            (item("Exam gloves", "Cupboard A", "20", "5", "5"), 3),
            (item("Gauze pads", "Cupboard A", "10", "2", "1"), 8),
        ],
    )
    .await;
    let (driver, ctx) = started(store, &[inventory.clone(), log], local_now().date()).await;
    let handle = mount(ctx, || view! { <Stock /> });
    until(|| !all("[data-testid=stock-orders]").is_empty()).await;
    click("[data-testid=stock-orders]");
    until(|| !all("[data-testid=reorder-row]").is_empty()).await;

    assert_eq!(
        all("[data-testid=reorder-row]").len(),
        1,
        "only the low item"
    );
    assert!(texts("[data-testid=reorder-row] .ops-name")[0].contains("Exam gloves"));
    assert_eq!(value_of("[data-testid=reorder-quantity]"), "20");
    assert_eq!(text("[data-testid=reorder-packs]"), "4 packs of 5");

    // A quantity that is not a number is named, and nothing is ordered.
    type_into("[data-testid=reorder-quantity]", "lots");
    click("[data-testid=reorder-draft]");
    settle().await;
    let error = texts("[data-testid=reorder-error]").join("");
    assert!(error.contains("must be a number"), "{error}");
    assert!(read(&driver, &inventory).expect("reads").orders.is_empty());

    type_into("[data-testid=reorder-quantity]", "23");
    settle().await;
    assert_eq!(
        text("[data-testid=reorder-packs]"),
        "4 packs of 5 and 3 more: not whole packs"
    );
    type_into("[data-testid=reorder-quantity]", "25");
    click("[data-testid=reorder-draft]");
    until(|| !all("[data-testid=order-row]").is_empty()).await;
    assert_eq!(
        texts("[data-testid=order-row] [data-testid=order-state]"),
        ["Draft"]
    );
    let orders = read(&driver, &inventory).expect("reads").orders;
    assert_eq!(orders.len(), 1);
    assert_eq!(orders[0].state, OrderState::Draft);
    assert_eq!(orders[0].supplier, "Acme Medical");
    let lines: Vec<_> = orders[0]
        .lines
        .iter()
        .map(|l| (l.item_name.as_str(), l.quantity))
        .collect();
    assert_eq!(lines, [("Exam gloves", 25)]);
    // On order now up to par: nothing left to suggest.
    until(|| all("[data-testid=reorder-row]").is_empty()).await;
    assert_eq!(all("[data-testid=reorder-empty]").len(), 1);
    assert_eq!(
        texts("[data-testid=reorder-done]"),
        ["Put 1 item on 1 draft order."]
    );
    assert_eq!(
        all("[data-testid=order-detail]").len(),
        1,
        "the draft opens"
    );

    // The draft's line is changed, then the order is sent.
    let first_line = |driver: &Driver| {
        read(driver, &inventory)
            .and_then(|i| Some(i.orders.first()?.lines.first()?.quantity))
            .unwrap_or_default()
    };
    type_into("[data-testid=order-line-quantity]", "30");
    until(|| first_line(&driver) == 30).await;
    assert_eq!(first_line(&driver), 30);
    click("[data-testid=order-send]");
    until(|| texts("[data-testid=order-state]") == ["Sent"]).await;
    let sent = &read(&driver, &inventory).expect("reads").orders[0];
    assert_eq!(sent.state, OrderState::Sent);
    assert!(sent.sent.is_some());
    assert_eq!(
        all("[data-testid=order-receive-quantity]").len(),
        1,
        "the sent order shows its receiving form"
    );
    drop(handle);
}

#[wasm_bindgen_test]
async fn a_posted_count_adjusts_by_its_difference_and_what_was_used_meanwhile_still_counts() {
    let store = Store::open("test-stock-count").await.expect("opens");
    let (inventory, log, ids) = supplies(
        &store,
        &[(item("Saline flush", "Cupboard A", "20", "5", "1"), 10)],
    )
    .await;
    let saline = ids[0].clone();
    let (driver, ctx) = started(store, &[inventory.clone(), log.clone()], local_now().date()).await;
    let handle = mount(ctx, || view! { <Stock /> });
    until(|| !all("[data-testid=stock-count]").is_empty()).await;
    click("[data-testid=stock-count]");
    until(|| !all("[data-testid=count-location]").is_empty()).await;

    type_into("[data-testid=count-location]", "Cupboard A");
    click("[data-testid=count-start]");
    until(|| !all("[data-testid=count-line]").is_empty()).await;
    assert_eq!(all("[data-testid=count-uncounted]").len(), 1);

    // A count below zero is named next to the field, and nothing is recorded.
    type_into("[data-testid=count-input]", "-3");
    click("[data-testid=count-record]");
    settle().await;
    let error = texts("[data-testid=count-error]").join("");
    assert!(error.contains("must not be below 0"), "{error}");
    let open = read(&driver, &inventory).expect("reads").counts;
    assert!(open[0].lines.is_empty());

    // Eight counted where the list said ten.
    type_into("[data-testid=count-input]", "8");
    click("[data-testid=count-record]");
    until(|| !all("[data-testid=count-difference]").is_empty()).await;
    assert_eq!(texts("[data-testid=count-difference]"), ["\u{2212}2"]);
    assert_eq!(texts("[data-testid=count-expected]"), ["10"]);

    // One is used on another desk before the count is posted.
    let use_one = NewMovement::new(&saline, MovementKind::Use, 1, local_now(), &who());
    driver
        .edit_many_loaded(&[inventory.clone(), log.clone()], |docs| {
            let [inventory, log] = docs else {
                unreachable!("two documents")
            };
            movement::post(inventory, log, &use_one)
        })
        .await
        .expect("uses one");
    let on_hand = |driver: &Driver| {
        read(driver, &inventory)
            .and_then(|i| i.item(&saline).map(|item| item.on_hand))
            .unwrap_or_default()
    };
    assert_eq!(on_hand(&driver), 9);

    click("[data-testid=count-post]");
    until(|| on_hand(&driver) == 7).await;
    assert_eq!(on_hand(&driver), 7, "10, used 1, counted 2 short");
    let counts = read(&driver, &inventory).expect("reads").counts;
    assert_eq!(counts[0].state, CountState::Posted);
    until(|| !texts("[data-testid=count-message]").join("").is_empty()).await;
    assert_eq!(
        texts("[data-testid=count-message]"),
        ["Posted 1 adjustment."]
    );
    until(|| !all("[data-testid=count-history-row]").is_empty()).await;
    assert!(all("[data-testid=count-sheet]").is_empty(), "no open count");
    drop(handle);
}

#[wasm_bindgen_test]
async fn a_lot_tracked_delivery_is_received_against_a_sent_order_once_its_label_is_right() {
    use model::inventory::order;

    let store = Store::open("test-stock-receive").await.expect("opens");
    let site = SiteId::main();
    let mut vaccine = item("Flu vaccine", "Fridge", "20", "5", "10");
    vaccine.lot_tracked = true;
    let (vaccine_id, order_id) = build(&store, &site, |inventory, log| {
        let id = add(inventory, log, &vaccine, 0, None)?;
        let order_id = order::new_order(inventory, "Acme Medical", local_now(), &who())?;
        order::add_line(inventory, &order_id, &id, 10)?;
        order::send(inventory, &order_id, local_now())?;
        Ok((id, order_id))
    })
    .await;
    let inventory = inventory_doc(&site);
    let log = stock_doc(&site, local_now().date());
    let (driver, ctx) = started(store, &[inventory.clone(), log], local_now().date()).await;
    let handle = mount(ctx, || view! { <Stock /> });
    until(|| !all("[data-testid=stock-orders]").is_empty()).await;
    click("[data-testid=stock-orders]");
    until(|| !all("[data-testid=order-row]").is_empty()).await;
    assert_eq!(texts("[data-testid=order-state]"), ["Sent"]);
    click("[data-testid=order-row] .ops-open");
    until(|| !all("[data-testid=order-receive-quantity]").is_empty()).await;

    let today = local_now().date();
    let day = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    let receive_error = || texts("[data-testid=order-receive-error]").join("");
    type_into("[data-testid=order-receive-quantity]", "4");
    type_into(
        "[data-testid=order-receive-expiry]",
        &day(today + Days::new(365)),
    );
    click("[data-testid=order-receive]");
    settle().await;
    assert!(
        receive_error().contains("lot number"),
        "{}",
        receive_error()
    );

    type_into("[data-testid=order-receive-lot]", "FLU-123");
    type_into(
        "[data-testid=order-receive-expiry]",
        &day(today - Days::new(1)),
    );
    click("[data-testid=order-receive]");
    settle().await;
    assert!(
        receive_error().contains("before today"),
        "{}",
        receive_error()
    );
    let untouched = read(&driver, &inventory).expect("reads");
    assert_eq!(untouched.item(&vaccine_id).map(|i| i.on_hand), Some(0));

    type_into(
        "[data-testid=order-receive-expiry]",
        &day(today + Days::new(365)),
    );
    click("[data-testid=order-receive]");
    let on_hand = || {
        read(&driver, &inventory)
            .and_then(|i| i.item(&vaccine_id).map(|i| i.on_hand))
            .unwrap_or_default()
    };
    until(|| on_hand() == 4).await;
    let now = read(&driver, &inventory).expect("reads");
    let received = now.item(&vaccine_id).expect("the vaccine");
    let lots: Vec<_> = received
        .lots
        .iter()
        .map(|l| (l.number.as_str(), l.on_hand, l.expiry))
        .collect();
    assert_eq!(lots, [("FLU-123", 4, today + Days::new(365))]);
    let sent = now
        .orders
        .iter()
        .find(|o| o.id == order_id)
        .expect("the order");
    assert_eq!(sent.state, OrderState::PartlyReceived);
    until(|| !all("[data-testid=order-receipt]").is_empty()).await;
    assert_eq!(texts("[data-testid=order-state]"), ["Partly received"]);
    assert!(receive_error().is_empty());
    drop(handle);
}

#[wasm_bindgen_test]
async fn the_manager_sees_expiring_lots_low_stock_and_discrepancies_of_every_site_and_traces_a_recall(
) {
    use model::directory::{put_site, Site};
    use model::{DocKind, WeekHours};

    let store = Store::open("test-stock-across").await.expect("opens");
    let (main, north) = (SiteId::main(), SiteId::new("north").expect("an id"));
    stored(&store, &DocKind::Directory.doc_id(), |am| {
        for (id, name) in [(&main, "Main Street"), (&north, "North Clinic")] {
            let site = Site {
                id: id.clone(),
                name: name.into(),
                hours: WeekHours::office(),
            };
            put_site(am, &site).expect("writes");
        }
    })
    .await;
    let today = local_now().date();
    let long_ago = local_now() - Days::new(100);
    let mut vaccine = item("Flu vaccine", "Fridge", "20", "5", "1");
    vaccine.lot_tracked = true;
    // Main Street: 3 of lot LOT-7 left, expiring in 10 days, and low.
    build(&store, &main, |inventory, log| {
        let lot = ("LOT-7", today + Days::new(10), local_now());
        add(inventory, log, &vaccine, 3, Some(lot))
    })
    .await;
    // North Clinic: 2 of LOT-7, expired 5 days ago; 4 of B-2 in 75 days; gauze used
    // offline past what was recorded.
    let gauze = build(&store, &north, |inventory, log| {
        let mut plenty = vaccine.clone();
        plenty.par = "0".into();
        plenty.reorder_point = "0".into();
        let id = add(
            inventory,
            log,
            &plenty,
            2,
            Some(("LOT-7", today - Days::new(5), long_ago)),
        )?;
        let receipt = NewMovement::new(&id, MovementKind::Receive, 4, local_now(), &who());
        let receipt = NewMovement {
            lot: LotChoice::New {
                number: "B-2".into(),
                expiry: today + Days::new(75),
            },
            ..receipt
        };
        movement::post(inventory, log, &receipt)?;
        let gauze = add(
            inventory,
            log,
            &item("Gauze pads", "Shelf", "0", "0", "1"),
            2,
            None,
        )?;
        let used = NewMovement::new(&gauze, MovementKind::Use, 5, local_now(), &who());
        movement::post(inventory, log, &used)?;
        Ok(gauze)
    })
    .await;

    let wanted = [
        DocKind::Directory.doc_id(),
        inventory_doc(&main),
        inventory_doc(&north),
    ];
    let (_driver, ctx) = started(store, &wanted, today).await;
    // The place of Stock, as the shell provides it, so that the test sees the item opened.
    let stock = StockPlace::new();
    let handle = mount(ctx, move || {
        provide_context(stock);
        view! { <Stock /> }
    });
    until(|| !all("[data-testid=stock-expiry]").is_empty()).await;
    click("[data-testid=stock-expiry]");
    until(|| !all("[data-testid=expiry-band]").is_empty()).await;

    assert_eq!(
        texts("[data-testid=expiry-band]"),
        ["Expired (1)", "Within 30 days (1)", "Within 90 days (1)"]
    );
    let rows = texts("[data-testid=expiry-row]");
    assert!(
        rows[0].contains("LOT-7") && rows[0].contains("North Clinic"),
        "{rows:?}"
    );
    assert!(
        rows[1].contains("LOT-7") && rows[1].contains("Main Street"),
        "{rows:?}"
    );
    click("[data-testid=expiry-within-30]");
    until(|| all("[data-testid=expiry-band]").len() == 2).await;
    assert_eq!(
        texts("[data-testid=expiry-band]"),
        ["Expired (1)", "Within 30 days (1)"]
    );

    let low = texts("[data-testid=low-row]");
    assert_eq!(low.len(), 1);
    assert!(
        low[0].contains("Flu vaccine") && low[0].contains("Main Street"),
        "{low:?}"
    );
    let odd = texts("[data-testid=discrepancy-row]");
    assert_eq!(odd.len(), 1);
    assert!(
        odd[0].contains("Gauze pads") && odd[0].contains("-3 on hand"),
        "{odd:?}"
    );
    assert!(odd[0].contains("More was used than recorded; count it to fix."));

    // The recall finds the lot at both sites however it is typed.
    type_into("[data-testid=recall-input]", " lot-7");
    click("[data-testid=recall-find]");
    until(|| !all("[data-testid=recall-row]").is_empty()).await;
    assert_eq!(all("[data-testid=recall-row]").len(), 2);
    assert_eq!(
        texts("[data-testid=recall-total]"),
        ["5 on hand across 2 sites"]
    );
    type_into("[data-testid=recall-input]", "ZZZ-9");
    click("[data-testid=recall-find]");
    until(|| !all("[data-testid=recall-none]").is_empty()).await;
    assert_eq!(
        texts("[data-testid=recall-none]"),
        ["No site holds lot ZZZ-9."]
    );

    // A tap on the discrepancy switches to North Clinic and opens the gauze.
    click("[data-testid=discrepancy-row] .ops-open");
    settle().await;
    assert_eq!(ctx.site.get_untracked(), north);
    assert_eq!(stock.item.get_untracked(), Some((north, gauze)));
    drop(handle);
}
