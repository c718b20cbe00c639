//! The demo's supplies, written into fresh documents as Settings writes them (one change
//! across a site's inventory and the stock logs of its months) and read back as the Stock
//! tab reads them.

use std::collections::HashSet;

use automerge::ActorId;
use chrono::{Datelike, NaiveDate};

use super::{at, demo, MOMENTS};
use crate::{has_no_supplies, write_supplies, DemoClinic, DemoSupplies};
use model::inventory::movement::{read_log, Movement};
use model::inventory::{lots, reorder, Category, Inventory, Item, ItemForm};
use model::inventory::{MovementKind, OrderLine, OrderState};
use model::{DocKind, Document, DocumentError, SiteId};

/// A site's inventory document and its stock logs, in the order of the months.
fn documents(site: &SiteId, supplies: &DemoSupplies) -> (Document, Vec<Document>) {
    let new = |kind: DocKind| Document::new(&kind.doc_id(), &ActorId::random()).expect("known");
    let inventory = new(DocKind::Inventory { site: site.clone() });
    let months = supplies.months().into_iter();
    let logs = months.map(|m| new(DocKind::stock_for(site, m))).collect();
    (inventory, logs)
}

fn write(
    inventory: &mut Document,
    logs: &mut [Document],
    supplies: &DemoSupplies,
) -> Result<(), DocumentError> {
    let mut all: Vec<&mut Document> = std::iter::once(inventory).chain(logs).collect();
    let write = |docs: &mut [&mut automerge::AutoCommit]| match docs.split_first_mut() {
        Some((inventory, logs)) => write_supplies(inventory, logs, supplies, "Reception tablet"),
        None => unreachable!("the inventory comes first"),
    };
    Document::change_many(&mut all, write).map(|_| ())
}

/// Each site's supplies written and read back: its inventory and every movement of its
/// logs, each of which holds only movements of its own month.
fn written(clinic: &DemoClinic) -> Vec<(SiteId, Inventory, Vec<Movement>)> {
    let mut all = Vec::new();
    for (site, supplies) in &clinic.supplies {
        let (mut inventory, mut logs) = documents(site, supplies);
        write(&mut inventory, &mut logs, supplies).expect("writes");
        let mut movements = Vec::new();
        for log in &logs {
            let (read, unreadable) = read_log(log.automerge()).expect("reads");
            let DocKind::Stock { year, month, .. } = log.kind() else {
                panic!("a stock log")
            };
            let of_month = |m: &Movement| (m.at.year(), m.at.month()) == (*year, *month);
            assert!(unreadable == 0 && !read.is_empty() && read.iter().all(of_month));
            movements.extend(read);
        }
        let inventory = Inventory::read(inventory.automerge()).expect("reads");
        assert_eq!(inventory.unreadable, 0);
        all.push((site.clone(), inventory, movements));
    }
    all
}

/// A demo at a moment, and its supplies as written and read back.
type Written = (
    &'static str,
    DemoClinic,
    Vec<(SiteId, Inventory, Vec<Movement>)>,
);

/// Moments across the week and a week that spans two months, with a few seeds each, each
/// written once for all the tests that read them (writing is most of their time).
fn some_demos() -> &'static [Written] {
    static DEMOS: std::sync::OnceLock<Vec<Written>> = std::sync::OnceLock::new();
    DEMOS.get_or_init(|| {
        [MOMENTS[0], MOMENTS[3], MOMENTS[6], MOMENTS[7]]
            .into_iter()
            .flat_map(|now| (0..2).map(move |seed| (now, demo(now, seed))))
            .map(|(now, clinic)| {
                let sites = written(&clinic);
                (now, clinic, sites)
            })
            .collect()
    })
}

#[test]
fn every_site_keeps_supplies_of_every_category_as_written() {
    for (now, clinic, written) in some_demos() {
        let sites: Vec<&SiteId> = clinic.sites.iter().map(|s| &s.id).collect();
        assert_eq!(written.iter().map(|(s, ..)| s).collect::<Vec<_>>(), sites);
        for ((site, inventory, _), (_, demo)) in written.iter().zip(&clinic.supplies) {
            assert!((30..=40).contains(&inventory.items.len()), "{now} {site:?}");
            for category in Category::ALL {
                let of = |c| inventory.items.iter().filter(|i| i.category == c).count();
                assert!(of(category) >= 3, "{now} {site:?}: {category:?}");
            }
            let mut codes = HashSet::new();
            for item in &inventory.items {
                let valid = demo.items.iter().find(|v| v.name == item.name);
                assert_eq!(ItemForm::from_item(item).validate().ok().as_ref(), valid);
                assert!(codes.insert(item.sku.clone()) && codes.insert(item.barcode.clone()));
                assert!(matches!(item.barcode.len(), 12 | 13), "{}", item.barcode);
                assert!(item.barcode.bytes().all(|b| b.is_ascii_digit()));
                let medication = item.category == Category::Medication;
                assert!(!medication || item.lot_tracked, "{}", item.name);
                assert!(!item.supplier.is_empty() && !item.location.is_empty());
                assert!(item.unit_cost_cents > 0 && item.reorder_point < item.par);
            }
            let sterile = |i: &Item| i.lot_tracked && i.category == Category::Medical;
            assert!(inventory.items.iter().any(sterile), "{now} {site:?}");
        }
    }
}

#[test]
fn no_stock_goes_below_zero_and_the_counters_match_the_logs() {
    for (now, _, written) in some_demos() {
        for (site, inventory, movements) in written.clone() {
            for item in &inventory.items {
                assert!(
                    item.on_hand >= 0 && !item.is_discrepant(),
                    "{now} {}",
                    item.name
                );
                let moved: i64 = (movements.iter())
                    .filter(|m| m.item == item.id)
                    .map(|m| m.quantity)
                    .sum();
                assert_eq!(item.on_hand, moved, "{now} {}", item.name);
                if item.lot_tracked {
                    assert_eq!(item.in_lots(), item.on_hand, "{now} {}", item.name);
                } else {
                    assert!(item.lots.is_empty());
                }
            }
            assert!(movements.iter().all(|m| m.at <= at(now)), "{now}");
            let kinds = |kind| movements.iter().filter(|m| m.kind == kind).count();
            assert_eq!(
                (kinds(MovementKind::Adjust), kinds(MovementKind::Waste)),
                (1, 1)
            );
            assert!(
                kinds(MovementKind::Receive) > inventory.items.len(),
                "{now}"
            );
            let days: HashSet<NaiveDate> = (movements.iter())
                .filter(|m| m.kind == MovementKind::Use)
                .map(|m| m.at.date())
                .collect();
            assert!(
                days.len() >= 8,
                "{now} {site:?}: uses on {} days",
                days.len()
            );
            assert!(days.iter().all(|d| (at(now).date() - *d).num_days() <= 22));
        }
    }
}

#[test]
fn some_items_are_low_and_lots_expire_in_every_band() {
    for (now, _, written) in some_demos() {
        let today = at(now).date();
        for (site, inventory, _) in written.clone() {
            let suggested = reorder::suggestions(&inventory);
            assert!(suggested.len() >= 2, "{now} {site:?}: {suggested:?}");
            let low = reorder::low(&inventory).count();
            assert!((3..=8).contains(&low), "{now} {site:?}: {low} low");
            let expiring = lots::expiring(&[(site.clone(), &inventory)], today, 90);
            let bands: HashSet<&str> = expiring
                .iter()
                .filter_map(|e| lots::band(e.days_left))
                .collect();
            assert_eq!(bands.len(), 4, "{now} {site:?}: {bands:?}");
            let later = |i: &&Item| i.lots.iter().any(|l| (l.expiry - today).num_days() > 90);
            assert!(inventory.items.iter().filter(later).count() >= 8, "{now}");
        }
    }
}

#[test]
fn each_site_has_an_order_on_the_way_and_the_main_site_a_draft() {
    for (now, _, written) in some_demos() {
        for (site, inventory, movements) in written.clone() {
            let states: Vec<OrderState> = inventory.orders.iter().map(|o| o.state).collect();
            let expected: &[OrderState] = match site == SiteId::main() {
                true => &[OrderState::Draft, OrderState::PartlyReceived],
                false => &[OrderState::PartlyReceived],
            };
            assert_eq!(states, expected, "{now} {site:?}");
            let on_its_way = &inventory.orders[states.len() - 1];
            assert!(on_its_way.sent.is_some() && on_its_way.lines.len() >= 2);
            let partly = |l: &&OrderLine| 0 < l.received && l.received < l.quantity;
            assert_eq!(on_its_way.lines.iter().filter(partly).count(), 1, "{now}");
            let id = on_its_way.id.to_string();
            let delivered = movements.iter().filter(|m| m.order.as_deref() == Some(&id));
            assert_eq!(delivered.count(), on_its_way.receipts.len());
            assert!(!inventory.on_order().is_empty());
        }
    }
}

#[test]
fn the_same_seed_gives_the_same_supplies() {
    let shape = |clinic: &DemoClinic| {
        let site = |s: &DemoSupplies| {
            let names: Vec<String> = s.items.iter().map(|i| i.name.clone()).collect();
            let moves: Vec<_> = (s.movements.iter())
                .map(|m| {
                    (
                        m.item,
                        m.kind,
                        m.quantity,
                        m.lot.clone(),
                        m.at,
                        m.by.clone(),
                    )
                })
                .collect();
            let orders: Vec<_> = s.orders.iter().map(|o| (o.lines.clone(), o.sent)).collect();
            (names, moves, orders)
        };
        clinic
            .supplies
            .iter()
            .map(|(id, s)| (id.clone(), site(s)))
            .collect::<Vec<_>>()
    };
    let (a, b) = (demo("2026-11-25T10:40", 7), demo("2026-11-25T10:40", 7));
    assert_eq!(shape(&a), shape(&b));
    let quantities = |clinic: &DemoClinic| {
        let all = clinic.supplies.iter().flat_map(|(_, s)| &s.movements);
        all.map(|m| (m.quantity, m.at)).collect::<Vec<_>>()
    };
    assert_ne!(quantities(&a), quantities(&demo("2026-11-25T10:40", 8)));
    let read = |clinic: &DemoClinic| {
        let sites = written(clinic).into_iter();
        let items = sites.flat_map(|(_, inventory, _)| inventory.items);
        items
            .map(|i| (i.name, i.on_hand, i.lots.len()))
            .collect::<Vec<_>>()
    };
    assert_eq!(read(&a), read(&b));
}

#[test]
fn supplies_are_written_only_into_an_empty_inventory() {
    let clinic = demo("2026-11-25T10:40", 1);
    let (site, supplies) = &clinic.supplies[0];
    let (mut inventory, mut logs) = documents(site, supplies);
    assert!(has_no_supplies(
        &Inventory::read(inventory.automerge()).expect("reads")
    ));
    write(&mut inventory, &mut logs, supplies).expect("writes");
    assert!(!has_no_supplies(
        &Inventory::read(inventory.automerge()).expect("reads")
    ));
    let again = write(&mut inventory, &mut logs, supplies);
    assert!(matches!(again, Err(DocumentError::Refused(_))), "{again:?}");
    let (mut fresh, _) = documents(site, supplies);
    let too_few = write(&mut fresh, &mut [], supplies);
    assert!(
        matches!(too_few, Err(DocumentError::Write(_))),
        "{too_few:?}"
    );
}
