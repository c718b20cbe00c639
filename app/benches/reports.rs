//! The manager's reports over a year of the demo clinic in the browser: the main site's
//! months loaded from their saved bytes and read, each report computed (by month, by week,
//! utilisation), and the page's charts and table drawn. Run in headless Chromium with
//! `make bench-reports-client`; figures, not assertions (the native figures are
//! `make bench-reports`).
#![cfg(target_arch = "wasm32")]

use std::collections::BTreeMap;
use std::hint::black_box;
use std::rc::Rc;

use app::ui::reports::chart::{Bar, BarChart, FigureTable, Table};
use automerge::ActorId;
use chrono::{NaiveDate, NaiveDateTime};
use leptos::prelude::*;
use model::report::{figures, utilisation, Figures, Period, Span};
use model::schedule::{self, Schedule};
use model::{Appointment, DocKind, Document, SiteId};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_bench, wasm_bindgen_test_configure, Criterion};

#[path = "common/mod.rs"]
mod common;
use common::{pause, timed};

wasm_bindgen_test_configure!(run_in_browser);

fn now() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 12, 16)
        .and_then(|d| d.and_hms_opt(10, 0, 0))
        .expect("a time")
}

/// The main site's months of the demo clinic and its year, saved.
async fn saved() -> (model::Directory, Vec<(protocol::DocId, Vec<u8>)>) {
    let today = now().date();
    let clinic = demo::demo_clinic(today, now(), "Bench desk", 1);
    let directory = clinic.directory();
    let year = demo::year::year(&directory, today, "Bench desk");
    let mut by_doc: BTreeMap<protocol::DocId, Vec<Appointment>> = BTreeMap::new();
    for (site, a) in year.iter().chain(&clinic.appointments) {
        if *site == SiteId::main() {
            let doc = DocKind::schedule_for(site, a.start.date()).doc_id();
            by_doc.entry(doc).or_default().push(a.clone());
        }
    }
    let mut saved = Vec::new();
    for (id, list) in by_doc {
        let mut doc = Document::new(&id, &ActorId::random()).expect("a schedule");
        doc.change(|d| list.iter().try_for_each(|a| schedule::put(d, a)))
            .expect("writes");
        saved.push((id, doc.save()));
        pause().await;
    }
    (directory, saved)
}

fn load(saved: &[(protocol::DocId, Vec<u8>)]) -> Vec<Appointment> {
    let mut all = Vec::new();
    for (id, bytes) in saved {
        let doc = Document::load(id, &ActorId::random(), Some(bytes), []).expect("loads");
        all.extend(Schedule::read(doc.automerge()).expect("reads").appointments);
    }
    all
}

/// Draws what the Reports page draws for `figures`: four charts and the table, mounted in
/// a new element and taken down again.
fn draw(figures: &[Figures]) {
    let bars = |value: fn(&Figures) -> Option<i64>| -> Vec<Bar> {
        figures
            .iter()
            .map(|f| Bar {
                label: f.period.label(),
                value: value(f),
                said: value(f).map_or_else(String::new, |v| v.to_string()),
            })
            .collect()
    };
    let charts = [
        bars(|f| f.no_show_rate().map(i64::from)),
        bars(|f| f.late_cancel_rate().map(i64::from)),
        bars(|f| f.confirmation_rate().map(i64::from)),
        bars(Figures::median_wait),
    ];
    let table = Table {
        headers: vec!["From", "Booked", "Due", "No-shows", "Wait"],
        rows: figures
            .iter()
            .map(|f| {
                vec![
                    f.period.label(),
                    f.booked.to_string(),
                    f.came_due.to_string(),
                    f.no_shows.to_string(),
                    format!("{:?}", f.median_wait()),
                ]
            })
            .collect(),
    };
    let host = gloo::utils::document()
        .create_element("div")
        .expect("an element");
    gloo::utils::body().append_child(&host).expect("appends");
    let host: web_sys::HtmlElement = host.dyn_into().expect("an html element");
    let handle = leptos::mount::mount_to(host.clone(), move || {
        view! {
            {charts.into_iter().map(|bars| view! { <BarChart title="A rate".into() bars=bars top=Some(100) /> }).collect_view()}
            <FigureTable title="The figures".into() table=table />
        }
    });
    drop(handle);
    host.remove();
}

#[wasm_bindgen_bench]
async fn reports(c: &mut Criterion) {
    let taken = std::mem::take(c);
    *c = taken.sample_size(10);
    let (directory, saved) = saved().await;
    let saved = Rc::new(saved);
    let directory = Rc::new(directory);
    let bytes: usize = saved.iter().map(|(_, b)| b.len()).sum();
    let appointments = Rc::new(load(&saved));
    wasm_bindgen_test::console_log!(
        "reports: the main site's year, {} appointments, {bytes} bytes saved in {} documents",
        appointments.len(),
        saved.len()
    );
    let months = Rc::new(Period::last(Span::Month, now().date(), 12));
    let weeks = Rc::new(Period::last(Span::Week, now().date(), 52));
    c.bench_async_function("reports: load and read the main site's year", |b| {
        let saved = saved.clone();
        Box::pin(async move {
            b.iter_custom_future(|iters| {
                let saved = saved.clone();
                async move { timed(iters, || drop(black_box(load(&saved)))).await }
            })
            .await
        })
    })
    .await;
    for (name, periods) in [
        ("by month, 12 months", months.clone()),
        ("by week, 52 weeks", weeks.clone()),
    ] {
        c.bench_async_function(&format!("reports: rates and waits {name}"), |b| {
            let (appointments, periods) = (appointments.clone(), periods.clone());
            Box::pin(async move {
                b.iter_custom_future(|iters| {
                    let (appointments, periods) = (appointments.clone(), periods.clone());
                    async move {
                        timed(iters, || {
                            drop(black_box(figures(appointments.iter(), &periods, now())))
                        })
                        .await
                    }
                })
                .await
            })
        })
        .await;
    }
    let month = figures(appointments.iter(), &months[10..11], now()).remove(0);
    let month = Rc::new(month);
    c.bench_async_function("reports: utilisation of every provider, one month", |b| {
        let (month, directory) = (month.clone(), directory.clone());
        Box::pin(async move {
            b.iter_custom_future(|iters| {
                let (month, directory) = (month.clone(), directory.clone());
                async move {
                    timed(iters, || {
                        drop(black_box(utilisation(
                            &month,
                            &directory,
                            &[SiteId::main()],
                        )))
                    })
                    .await
                }
            })
            .await
        })
    })
    .await;
    for (name, periods) in [("12 months", months.clone()), ("52 weeks", weeks.clone())] {
        let drawn = Rc::new(figures(appointments.iter(), &periods, now()));
        c.bench_async_function(
            &format!("reports: draw four charts and the table, {name}"),
            |b| {
                let drawn = drawn.clone();
                Box::pin(async move {
                    b.iter_custom_future(|iters| {
                        let drawn = drawn.clone();
                        async move { timed(iters, || draw(&drawn)).await }
                    })
                    .await
                })
            },
        )
        .await;
    }
}
