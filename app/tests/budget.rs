//! Browser tests of the budget page: a budget set through its form, refused when it is
//! not an amount, and the month's spend warned of at 80 % and again at 100 %, its chart
//! agreeing with its table, every amount in the currency the practice sets.
#![cfg(target_arch = "wasm32")]

use app::platform::idb::Store;
use app::platform::local_now;
use app::ui::budget::BudgetPage;
use app::ui::settings::practice::PracticeCard;
use leptos::prelude::*;
use model::budget::Budget;
use model::inventory::{form, order, ItemForm};
use wasm_bindgen_test::*;

mod common;
use common::*;
#[path = "stock_views/support.rs"]
mod support;
use support::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn the_month_warns_at_eighty_percent_and_again_at_the_budget() {
    let store = Store::open("test-view-budget").await.expect("opens");
    // Eight boxes of gloves at $10.00 received against an order today: $80.00 spent.
    stored_together(&store, &[inventory_doc(), this_month()], |docs| {
        let [inventory, log] = docs else {
            panic!("two documents")
        };
        let gloves = ItemForm {
            unit_cost: "10.00".into(),
            supplier: "Northwind Medical Supply".into(),
            ..item("Test gloves", "TG-1", "10", "2", false)
        };
        let id = form::add_item(inventory, &gloves.validate().expect("valid")).expect("adds");
        let now = local_now();
        let order_id = order::new_order(inventory, "Northwind Medical Supply", now, &desk_b())
            .expect("drafts");
        let line = order::add_line(inventory, &order_id, &id, 10).expect("adds a line");
        order::send(inventory, &order_id, now).expect("sends");
        let delivery = order::Delivery {
            line,
            quantity: 8,
            lot: None,
        };
        order::receive(inventory, log, &order_id, &delivery, now, &desk_b()).expect("receives");
    })
    .await;
    let (driver, ctx) = started(
        store,
        &[
            model::DocKind::Directory.doc_id(),
            inventory_doc(),
            this_month(),
        ],
        local_now().date(),
    )
    .await;
    let handle = mount(ctx, || view! { <BudgetPage /> });
    until(|| all("[data-testid=section-budget] [data-testid=report-row]").len() == 4).await;
    assert!(
        all("[data-testid=budget-warning]").is_empty(),
        "no budget, no warning"
    );
    assert_eq!(
        texts("[data-testid=section-suppliers] [data-testid=report-row] td"),
        ["$80.00"]
    );

    // Not an amount: said at the field, nothing saved.
    type_into("[data-testid=budget-amount]", "-100");
    submit("form.set-budget");
    until(|| !text("[data-testid=error-budget-amount]").is_empty()).await;
    assert_eq!(
        text("[data-testid=error-budget-amount]"),
        "A budget cannot be below zero."
    );
    let budget = || {
        driver
            .read(&inventory_doc(), Budget::read)
            .expect("open")
            .expect("reads")
    };
    assert!(budget().amounts.is_empty());

    // (budget typed, the warning shown, the chart's bar for medical supplies)
    for (typed, warning, bar) in [
        ("101", None, "79"),
        (
            "100",
            Some("Medical supply: Near the budget: 80% spent"),
            "80",
        ),
        (
            "80",
            Some("Medical supply: Over budget: 100% spent ($80.00 of $80.00)"),
            "100",
        ),
    ] {
        type_into("[data-testid=budget-amount]", typed);
        submit("form.set-budget");
        until(|| {
            all("[data-testid=section-budget] rect.bar")
                .first()
                .and_then(|b| b.get_attribute("data-value"))
                .as_deref()
                == Some(bar)
        })
        .await;
        let warnings = texts("[data-testid=budget-warning]");
        assert_eq!(warnings.first().map(String::as_str), warning, "{typed}");
        // The chart's bar is the table's figure.
        let row = texts("[data-testid=section-budget] [data-testid=report-row] td");
        assert!(row[2].contains(&format!("{bar}% spent")), "{row:?}");
        assert_eq!(budget().amounts.len(), 1, "one category's budget");
    }

    // The practice keeps pounds: set in Settings, the same figures are said in them.
    let card = mount(ctx, move || {
        view! { <PracticeCard directory=app::ui::directory_memo(ctx) /> }
    });
    set("[data-testid=practice-currency]", "GBP", "change");
    submit("[data-testid=practice-card] form");
    until(|| !all("[data-testid=currency-saved]").is_empty()).await;
    let directory = driver
        .read(&model::DocKind::Directory.doc_id(), model::Directory::read)
        .expect("open")
        .expect("reads");
    assert_eq!(directory.currency.code, "GBP");
    until(|| texts("[data-testid=section-suppliers] [data-testid=report-row] td") == ["£80.00"])
        .await;
    assert_eq!(
        texts("[data-testid=budget-warning]"),
        ["Medical supply: Over budget: 100% spent (£80.00 of £80.00)"]
    );
    drop(card);
    drop(handle);
}
