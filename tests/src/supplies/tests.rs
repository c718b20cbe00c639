use chrono::NaiveDate;
use model::inventory::movement::read_log;
use model::inventory::{reorder, Inventory};
use model::Document;

use super::{super::bench_actor, stock};

#[test]
fn a_small_site_reads_back_as_the_app_reads_it() {
    let today = NaiveDate::from_ymd_opt(2026, 3, 14).expect("a day");
    let mut site = stock(today, 60, 900, 7);
    assert_eq!(site.months.len(), 12);
    assert_eq!(site.months[0].id.as_str(), "stock/main/2025-04");
    assert_eq!(site.months[11].id.as_str(), "stock/main/2026-03");
    let inventory_id = model::DocKind::Inventory {
        site: model::SiteId::main(),
    }
    .doc_id();
    let loaded = Document::load(
        &inventory_id,
        &bench_actor(),
        Some(&site.inventory.save()),
        [],
    )
    .expect("the snapshot loads");
    let inventory = Inventory::read(loaded.automerge()).expect("reads");
    assert_eq!(inventory.unreadable, 0);
    assert_eq!(inventory.items.len(), 60);
    assert_eq!(
        inventory.items.iter().map(|i| i.lots.len()).sum::<usize>(),
        site.lots
    );
    assert!(inventory
        .items
        .iter()
        .filter(|i| i.lot_tracked)
        .all(|i| (1..=3).contains(&i.lots.len())));
    assert_eq!(inventory.orders.len(), site.open_orders);
    assert_eq!(reorder::low(&inventory).count(), site.low);
    assert!(!inventory.items.iter().any(|i| i.is_discrepant()));
    let mut total = 0;
    for month in &mut site.months {
        let loaded = Document::load(&month.id, &bench_actor(), Some(&month.doc.save()), [])
            .expect("the log loads");
        let (movements, unreadable) = read_log(loaded.automerge()).expect("reads");
        assert_eq!(unreadable, 0);
        assert_eq!(movements.len(), month.movements);
        total += movements.len();
    }
    assert_eq!(total, 900);
    // The same draws again: the same stock under other ids.
    let again = stock(today, 60, 900, 1);
    assert_eq!(again.low, site.low);
    assert_eq!(again.lots, site.lots);
    let sums = |mut doc: Document| -> Vec<(String, i64)> {
        let loaded =
            Document::load(&inventory_id, &bench_actor(), Some(&doc.save()), []).expect("loads");
        let read = Inventory::read(loaded.automerge()).expect("reads");
        read.items
            .into_iter()
            .map(|i| (i.name, i.on_hand))
            .collect()
    };
    assert_eq!(sums(again.inventory), sums(site.inventory));
}
