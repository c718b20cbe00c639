//! Figures for the manager's reports over a year of the demo clinic: the demo's week, its
//! month of shifts and its supplies, with the past year it adds ([`demo::year`]), about
//! 11,000 appointments at two sites. What the Reports page does when it opens: loading
//! and reading a site's twelve months, then each report (the rates and waits by month and
//! by week, each provider's utilisation, hours against contract, supply spend against the
//! budget). Run with `make bench-reports`; figures, not assertions (see ARCHITECTURE.md,
//! Benchmarks). The browser's figures are `make bench-reports-client`.

use std::collections::BTreeMap;
use std::hint::black_box;

use automerge::AutoCommit;
use chrono::{NaiveDate, NaiveDateTime};
use criterion::{criterion_group, criterion_main, Criterion};
use demo::{demo_clinic, write_roster, write_supplies, DemoClinic};
use model::budget::{spend, standing, Budget};
use model::inventory::movement::read_log;
use model::inventory::Inventory;
use model::report::{figures, hours, utilisation, Period, Span};
use model::roster::Roster;
use model::schedule::{self, Schedule};
use model::{Appointment, DocKind, Document, DocumentError, SiteId};
use protocol::DocId;
use tests::bench_actor;

fn now() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 12, 16)
        .and_then(|d| d.and_hms_opt(10, 0, 0))
        .expect("a time")
}

/// The demo clinic with its year, saved document by document.
struct Year {
    clinic: DemoClinic,
    /// The main site's months (the year, this one, and the series reaching past it), oldest first.
    main: Vec<(DocId, Vec<u8>)>,
    appointments: Vec<Appointment>,
    supplies: Vec<(SiteId, Inventory, Vec<model::inventory::Movement>)>,
    shifts: Vec<model::roster::Shift>,
}

fn year() -> Year {
    let today = now().date();
    let clinic = demo_clinic(today, now(), "Bench desk", 1);
    let past = demo::year::year(&clinic.directory(), today, "Bench desk");
    let mut by_doc: BTreeMap<DocId, Vec<Appointment>> = BTreeMap::new();
    for (site, a) in past.iter().chain(&clinic.appointments) {
        let doc = DocKind::schedule_for(site, a.start.date()).doc_id();
        by_doc.entry(doc).or_default().push(a.clone());
    }
    let mut main = Vec::new();
    let mut appointments = Vec::new();
    for (id, list) in by_doc {
        let mut doc = Document::new(&id, &bench_actor()).expect("a schedule");
        doc.change(|d| list.iter().try_for_each(|a| schedule::put(d, a)))
            .expect("writes");
        let bytes = doc.save();
        if id.as_str().starts_with("schedule/main/") {
            main.push((id, bytes));
        }
        appointments.extend(list);
    }
    let mut supplies = Vec::new();
    for (site, part) in &clinic.supplies {
        let mut docs: Vec<Document> = std::iter::once(DocKind::Inventory { site: site.clone() })
            .chain(
                part.months()
                    .into_iter()
                    .map(|m| DocKind::stock_for(site, m)),
            )
            .map(|k| Document::new(&k.doc_id(), &bench_actor()).expect("a kind"))
            .collect();
        let mut all: Vec<&mut Document> = docs.iter_mut().collect();
        Document::change_many(&mut all, |docs: &mut [&mut AutoCommit]| {
            match docs.split_first_mut() {
                Some((inventory, logs)) => write_supplies(inventory, logs, part, "Bench desk"),
                None => Err(DocumentError::Write("no documents".into())),
            }
        })
        .expect("writes the supplies");
        let inventory = Inventory::read(docs[0].automerge()).expect("reads");
        let movements = docs[1..]
            .iter()
            .flat_map(|d| read_log(d.automerge()).expect("reads").0)
            .collect();
        supplies.push((site.clone(), inventory, movements));
    }
    let mut shifts = Vec::new();
    for (kind, part) in clinic.roster.by_document() {
        let mut doc = Document::new(&kind.doc_id(), &bench_actor()).expect("a roster");
        doc.change(|d| write_roster(d, &part)).expect("writes");
        let site = match &kind {
            DocKind::Roster { site, .. } => site.clone(),
            _ => unreachable!("a roster"),
        };
        shifts.extend(Roster::read(doc.automerge(), &site).expect("reads").shifts);
    }
    Year {
        clinic,
        main,
        appointments,
        supplies,
        shifts,
    }
}

fn reports(c: &mut Criterion) {
    let year = year();
    let directory = year.clinic.directory();
    let sites: Vec<SiteId> = directory.sites.iter().map(|s| s.id.clone()).collect();
    let bytes: usize = year.main.iter().map(|(_, b)| b.len()).sum();
    println!(
        "the demo clinic's year: {} appointments at {} sites; the main site's {} months are {bytes} bytes saved",
        year.appointments.len(),
        sites.len(),
        year.main.len(),
    );
    let months = Period::last(Span::Month, now().date(), 12);
    let weeks = Period::last(Span::Week, now().date(), 52);
    let last_month = months[10];
    let mut group = c.benchmark_group("reports");
    group.sample_size(10);
    group.bench_function(
        "load and read the main site's year (every month it has)",
        |b| {
            b.iter(|| {
                let mut count = 0;
                for (id, bytes) in &year.main {
                    let doc = Document::load(id, &bench_actor(), Some(bytes), []).expect("loads");
                    count += Schedule::read(doc.automerge())
                        .expect("reads")
                        .appointments
                        .len();
                }
                black_box(count)
            })
        },
    );
    group.bench_function("rates and waits by month, two sites, 12 months", |b| {
        b.iter(|| black_box(figures(&year.appointments, &months, now())))
    });
    group.bench_function("rates and waits by week, two sites, 52 weeks", |b| {
        b.iter(|| black_box(figures(&year.appointments, &weeks, now())))
    });
    let month = figures(&year.appointments, &[last_month], now()).remove(0);
    group.bench_function("utilisation of every provider, one month", |b| {
        b.iter(|| black_box(utilisation(&month, &directory, &sites)))
    });
    let this_month = months[11];
    group.bench_function("hours against contract, this month's roster", |b| {
        b.iter(|| black_box(hours(&year.shifts, &directory, &this_month, &sites)))
    });
    group.bench_function("supply spend against the budget, two sites", |b| {
        b.iter(|| {
            let spent: Vec<_> = year
                .supplies
                .iter()
                .flat_map(|(site, inventory, movements)| spend(site, inventory, movements))
                .collect();
            let main = SiteId::main();
            black_box(standing(
                [(&main, &Budget::default())],
                &spent,
                this_month.first,
            ))
        })
    });
    group.finish();
}

criterion_group!(benches, reports);
criterion_main!(benches);
