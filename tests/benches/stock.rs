//! Figures for the supplies' speed targets on a site far busier than any practice's: 2,000
//! items and a year of 50,000 movements (`tests::stock`). Reorder suggestions are worked
//! out whenever the Reorder page or the manager's phone looks (target: at most 10 ms
//! native); the inventory document is loaded and read whenever the Stock tab opens; a
//! month's log is read when an item's movements are shown; every use, receipt or count
//! posts one movement into the inventory and the month's log, and a new item is checked
//! against every item's codes. The documents' sizes are printed first. Run with `make bench-stock`; these are figures, not assertions (see
//! ARCHITECTURE.md, Benchmarks).
//!
//! The browser benchmark (`make bench-stock-client`) loads the same site from IndexedDB.

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion, SamplingMode};
use model::inventory::form::add_item;
use model::inventory::movement::{post, read_log, NewMovement};
use model::inventory::{reorder, Inventory, MovementKind};
use model::schedule::Who;
use model::{DocKind, Document, SiteId};
use protocol::DocId;
use tests::{at, bench_actor, stock, STOCK_ITEMS, STOCK_MOVEMENTS, STOCK_PER_CHANGE};

/// The day the benchmark's year of movements ends on.
fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 20).expect("a day of November 2026")
}

/// The snapshots of the site: the inventory and the twelve logs, oldest first.
struct Snapshots {
    inventory: (DocId, Vec<u8>),
    months: Vec<(DocId, Vec<u8>, usize)>,
}

fn snapshots() -> Snapshots {
    let started = Instant::now();
    let mut site = stock(today(), STOCK_ITEMS, STOCK_MOVEMENTS, STOCK_PER_CHANGE);
    let generated = started.elapsed();
    let inventory = (
        DocKind::Inventory {
            site: SiteId::main(),
        }
        .doc_id(),
        site.inventory.save(),
    );
    let months: Vec<_> = site
        .months
        .iter_mut()
        .map(|m| (m.id.clone(), m.doc.save(), m.movements))
        .collect();
    let logs: usize = months.iter().map(|(_, bytes, _)| bytes.len()).sum();
    eprintln!(
        "stock_2k: {} items ({} by lot, {} lots, {} at or below reorder point, {} open orders) \
         and {} movements, generated in {generated:.1?} (adding the items {:.1?}, posting the \
         movements {:.1?}, {} to a change)",
        site.items,
        site.lot_tracked,
        site.lots,
        site.low,
        site.open_orders,
        site.movements,
        site.adding_items,
        site.posting_movements,
        STOCK_PER_CHANGE,
    );
    eprintln!("stock_2k sizes (Automerge snapshots, bytes):");
    eprintln!("  {:<22} {:>10}", inventory.0.as_str(), inventory.1.len());
    for (id, bytes, movements) in &months {
        eprintln!(
            "  {:<22} {:>10}  ({movements} movements)",
            id.as_str(),
            bytes.len()
        );
    }
    eprintln!("  {:<22} {:>10}", "logs, 12 months", logs);
    eprintln!("  {:<22} {:>10}", "total", logs + inventory.1.len());
    Snapshots { inventory, months }
}

fn load(id: &DocId, bytes: &[u8]) -> Document {
    Document::load(id, &bench_actor(), Some(bytes), std::iter::empty()).expect("loads")
}

fn stock_2k(c: &mut Criterion) {
    let snapshots = snapshots();
    let (inventory_id, inventory_bytes) = &snapshots.inventory;
    let loaded = load(inventory_id, inventory_bytes);
    let inventory = Inventory::read(loaded.automerge()).expect("reads");
    let suggested = reorder::suggestions(&inventory);
    eprintln!(
        "reorder_suggestions_2k: {} suggestions for {} items at or below their reorder point",
        suggested.len(),
        reorder::low(&inventory).count()
    );

    c.bench_function("reorder_suggestions_2k", |b| {
        b.iter(|| reorder::suggestions(black_box(&inventory)))
    });

    let mut group = c.benchmark_group("inventory_2k");
    group
        .sample_size(20)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(8));
    // Automerge's load and hydrating the items apart, to tell where opening the tab goes.
    group.bench_function("document_load", |b| {
        b.iter(|| load(inventory_id, black_box(inventory_bytes)))
    });
    group.bench_function("inventory_read", |b| {
        b.iter(|| Inventory::read(black_box(loaded.automerge())).expect("reads"))
    });
    group.bench_function("load_and_read", |b| {
        b.iter(|| {
            let doc = load(inventory_id, black_box(inventory_bytes));
            Inventory::read(doc.automerge()).expect("reads")
        })
    });
    group.finish();

    // This month's log, the one a movement goes to and an item's panel reads first.
    let (log_id, log_bytes, movements) = snapshots.months.last().expect("twelve months");
    let log = load(log_id, log_bytes);
    let mut group = c.benchmark_group("stock_log");
    group
        .sample_size(20)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(8));
    group.bench_function(format!("read_log_{movements}"), |b| {
        b.iter(|| read_log(black_box(log.automerge())).expect("reads"))
    });
    group.bench_function(format!("document_load_{movements}"), |b| {
        b.iter(|| load(log_id, black_box(log_bytes)))
    });

    group.finish();

    let mut group = c.benchmark_group("edit_2k");
    group
        .sample_size(20)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(8));
    // One movement posted into the big documents, through one change across both, as the
    // desk does; each sample posts into freshly loaded copies (loading is not timed).
    let who = Who {
        device: "Bench desk".into(),
        staff: None,
    };
    let when = at(today(), 16, 0);
    let plain = inventory
        .active()
        .find(|i| !i.lot_tracked)
        .expect("an item kept without lots");
    let by_lot = inventory
        .active()
        .find(|i| i.lot_tracked && i.in_lots() > 0)
        .expect("a lot-tracked item with stock");
    for (name, item) in [("post_use", plain), ("post_use_by_lot", by_lot)] {
        let new = NewMovement::new(&item.id, MovementKind::Use, 1, when, &who);
        group.bench_function(name, |b| {
            b.iter_custom(|iters| {
                let mut inventory = load(inventory_id, inventory_bytes);
                let mut log = load(log_id, log_bytes);
                let started = Instant::now();
                for _ in 0..iters {
                    let posted = Document::change_many(&mut [&mut inventory, &mut log], |docs| {
                        let [inventory, log] = docs else {
                            unreachable!("two documents")
                        };
                        post(inventory, log, &new)
                    });
                    black_box(posted.expect("posts"));
                }
                started.elapsed()
            })
        });
    }

    // A new item through the form: it checks the SKU and barcode against every item's.
    let mut form = model::inventory::ItemForm::from_item(plain);
    form.name = "Bench item".into();
    form.sku = "BENCH-1".into();
    form.barcode = String::new();
    let valid = form.validate().expect("a valid item");
    group.bench_function("add_item", |b| {
        b.iter_custom(|iters| {
            let mut inventory = load(inventory_id, inventory_bytes);
            let started = Instant::now();
            for i in 0..iters {
                let mut item = valid.clone();
                item.sku = format!("BENCH-{i}");
                let added = inventory.change(|d| add_item(d, &item));
                black_box(added.expect("adds"));
            }
            started.elapsed()
        })
    });
    group.finish();
}

criterion_group!(benches, stock_2k);
criterion_main!(benches);
