//! Browser tests of the reports: last week's figures read from a stored month, and every
//! chart's bars agreeing with the table's figures.
#![cfg(target_arch = "wasm32")]

use app::platform::idb::Store;
use app::platform::local_now;
use app::ui::reports::Reports;
use chrono::Days;
use leptos::prelude::*;
use model::appointment::{format_local_datetime, StatusChange, ValidBooking};
use model::directory::time;
use model::report::{Period, Span};
use model::schedule::{self, Who};
use model::{DocKind, ProviderId, SiteId, Status};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

mod common;
use common::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn the_charts_draw_what_the_table_says() {
    let store = Store::open("test-view-reports").await.expect("opens");
    // Last week's Monday: a day wholly past whenever the test runs.
    let monday = Period::of(Span::Week, local_now().date()).first - Days::new(7);
    let month = DocKind::schedule_for(&SiteId::main(), monday).doc_id();
    stored(&store, &month, |am| {
        let who = Who {
            device: "Desk B".into(),
            staff: None,
        };
        let steps: [&[Status]; 4] = [
            &[Status::NoShow],
            &[Status::Confirmed, Status::Arrived, Status::Fulfilled],
            &[Status::Arrived, Status::Fulfilled],
            &[Status::Cancelled],
        ];
        for (hour, statuses) in (9..).zip(steps) {
            let start = monday.and_time(time(hour, 0));
            let booking = ValidBooking::new("Alex Sample", ProviderId::from("dr-a"), start, 20);
            let made = monday.and_time(time(7, 0)) - Days::new(3);
            let mut a = schedule::new_appointment(&booking, start, None, &who, made);
            for &status in statuses {
                a.history.push(StatusChange {
                    status,
                    at: format_local_datetime(start),
                    device: "Desk B".into(),
                    staff: None,
                    room: None,
                    note: None,
                });
                a.status = status;
            }
            a.late_cancel = a.status == Status::Cancelled;
            schedule::put(am, &a).expect("writes");
        }
    })
    .await;
    let (_driver, ctx) = started(
        store,
        &[DocKind::Directory.doc_id(), month],
        local_now().date(),
    )
    .await;
    let handle = mount(ctx, || view! { <Reports /> });
    until(|| all("[data-testid=report-period]").len() == 8).await;

    let rows: Vec<Vec<String>> = all("[data-testid=report-period]")
        .iter()
        .map(|row| {
            let cells = row.query_selector_all("th, td").expect("cells");
            (0..cells.length())
                .filter_map(|i| cells.item(i)?.text_content())
                .collect()
        })
        .collect();
    let last_week = monday.format("%-d %b").to_string();
    let row = rows
        .iter()
        .find(|r| r[0] == last_week)
        .expect("last week's row");
    assert_eq!(row[1..6], ["4", "3", "1 (33%)", "1 (25%)", "33%"]);

    // Every bar of every chart is the table's figure for its week.
    for (chart, column) in [
        ("chart-no-show", 3),
        ("chart-late-cancel", 4),
        ("chart-confirmed", 5),
    ] {
        let bars = all(&format!("[data-testid={chart}] rect.bar"));
        assert_eq!(bars.len(), 8, "{chart}");
        for bar in bars {
            let bar: web_sys::Element = bar.dyn_into().expect("an element");
            let week = bar.get_attribute("data-label").unwrap_or_default();
            let value = bar.get_attribute("data-value").unwrap_or_default();
            let row = rows.iter().find(|r| r[0] == week).expect("a row per bar");
            let in_table = row[column]
                .rsplit('(')
                .next()
                .unwrap_or_default()
                .trim_end_matches([')', '%']);
            let in_table = if in_table == "–" { "" } else { in_table };
            assert_eq!(value, in_table, "{chart}, week of {week}");
        }
    }
    drop(handle);
}
