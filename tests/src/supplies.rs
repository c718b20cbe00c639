//! Synthetic, deterministic supplies of one site for the stock benchmarks: an
//! `inventory/main` document of 2,000 items and a year of 50,000 movements in twelve
//! `stock/main/yyyy-mm` logs, written through the model's own functions
//! (`form::add_item`, `movement::post`, `order::new_order`/`add_line`/`send`) as desks
//! would write them. The criterion benchmarks (`tests/benches/stock.rs`) and the browser
//! benchmark's data (`tests/examples/stock_2k.rs`) come from the same generator.
//!
//! What is drawn (names, codes, quantities, days, kinds) comes from the seeded generator (`TestRng`); the
//! ids the model makes (items, lots, movements, orders) are random UUIDs, as on a device,
//! so two runs hold the same stock under other ids.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use automerge::{AutoCommit, ObjType, ReadDoc, Value, ROOT};
use chrono::{Datelike, Months, NaiveDate, NaiveDateTime, TimeDelta, Weekday};
use model::inventory::form::add_item;
use model::inventory::movement::{post, LotChoice};
use model::inventory::{order, Category, ItemId, MovementKind, NewMovement, ValidItem};
use model::schedule::Who;
use model::{DocKind, Document, DocumentError, SiteId};
use protocol::DocId;

use super::{at, bench_actor, TestRng};

/// Items of the benchmarks' site.
pub const STOCK_ITEMS: usize = 2_000;
/// Movements over its last twelve months.
pub const STOCK_MOVEMENTS: usize = 50_000;
/// Movements one change writes while the logs are built: each its own change, as desks
/// post them.
pub const STOCK_PER_CHANGE: usize = 1;
/// Items one change adds while the inventory is built, as a spreadsheet import would.
const ITEMS_PER_CHANGE: usize = 500;
/// The seed of the benchmarks' supplies.
const SEED: u64 = 0x5eed_5700_c4ed;

const SUPPLIERS: [&str; 12] = [
    "Northgate Medical",
    "Harbor Surgical Supply",
    "Bluepeak Pharma",
    "Cedar Office Co.",
    "Clearwater Hygiene",
    "Summit Diagnostics",
    "Riverbend Vaccines",
    "Lakeside Paper",
    "Meridian Health Distributors",
    "Oakline Janitorial",
    "Pinecrest Labs",
    "Westfield Clinical",
];
const LOCATIONS: [&str; 10] = [
    "Supply room, shelf A",
    "Supply room, shelf B",
    "Supply room, shelf C",
    "Exam room 1 cabinet",
    "Exam room 2 cabinet",
    "Treatment room",
    "Front desk drawer",
    "Medication fridge",
    "Locked cabinet",
    "Cleaning closet",
];

/// One month's log of the site, with how many movements it holds.
pub struct StockMonth {
    pub id: DocId,
    pub doc: Document,
    pub movements: usize,
}

/// A site's supplies and their year of movements, with what they should show.
pub struct StockSite {
    pub today: NaiveDate,
    pub inventory: Document,
    /// The twelve months ending with the month of `today`, oldest first.
    pub months: Vec<StockMonth>,
    pub items: usize,
    pub lot_tracked: usize,
    /// Lots over all items (each from one receipt with a new lot number).
    pub lots: usize,
    pub movements: usize,
    /// Items kept (par above 0) at or below their reorder point.
    pub low: usize,
    /// Orders sent or drafted and not yet received.
    pub open_orders: usize,
    /// How long adding the items took, and posting the movements.
    pub adding_items: Duration,
    pub posting_movements: Duration,
}

/// What the generator knows of an item while it posts its movements.
struct Plan {
    id: ItemId,
    lot_tracked: bool,
    par: i64,
    reorder_point: i64,
    reorder_qty: i64,
    pack_size: i64,
    supplier: usize,
    /// How many movements it gets, and how many it had.
    movements: usize,
    posted: usize,
    /// Where it should end: a tenth of the kept items at or below the reorder point.
    target: i64,
    level: i64,
    /// How many lots it has at most (lot-tracked items: 1–3); its lots' ids once made.
    max_lots: usize,
    lots: Vec<String>,
    receipts: usize,
}

fn who(rng: &mut TestRng) -> Who {
    Who {
        device: "Bench desk".into(),
        staff: (rng.below(4) != 0).then(|| format!("Staff {}", rng.below(8) + 1)),
    }
}

/// `items` items and `movements` movements (at least one per item) at the main site,
/// over the twelve months ending with `today`'s, `per_change` movements to a change.
pub fn stock(today: NaiveDate, items: usize, movements: usize, per_change: usize) -> StockSite {
    assert!(movements >= items, "every item gets at least one movement");
    let mut rng = TestRng::new(SEED);
    let site = SiteId::main();
    let first = today
        .with_day(1)
        .and_then(|d| d.checked_sub_months(Months::new(11)))
        .expect("twelve months back is a day");
    let mut inventory = Document::new(
        &DocKind::Inventory { site: site.clone() }.doc_id(),
        &bench_actor(),
    )
    .expect("the inventory is a known kind of document");

    // The items, as typed into the form (or imported), 500 to a change.
    let started = Instant::now();
    let specs: Vec<ValidItem> = (0..items).map(|i| item(&mut rng, i)).collect();
    let mut ids = Vec::with_capacity(items);
    for batch in specs.chunks(ITEMS_PER_CHANGE) {
        let (added, _) = inventory
            .change(|d| {
                batch
                    .iter()
                    .map(|v| add_item(d, v))
                    .collect::<Result<Vec<_>, _>>()
            })
            .expect("adds the items");
        ids.extend(added);
    }
    let adding_items = started.elapsed();
    let mut plans: Vec<Plan> = specs
        .iter()
        .zip(ids)
        .map(|(v, id)| {
            let low = v.par > 0 && rng.below(10) == 0;
            let target = if v.par == 0 {
                rng.below(8) as i64
            } else if low {
                rng.below(v.reorder_point as usize + 1) as i64
            } else {
                v.reorder_point + 1 + rng.below((v.par - v.reorder_point) as usize) as i64
            };
            Plan {
                id,
                lot_tracked: v.lot_tracked,
                par: v.par,
                reorder_point: v.reorder_point,
                reorder_qty: v.reorder_qty,
                pack_size: v.pack_size,
                supplier: SUPPLIERS.iter().position(|s| *s == v.supplier).unwrap_or(0),
                movements: 0,
                posted: 0,
                target,
                level: 0,
                max_lots: if v.lot_tracked { 1 + rng.below(3) } else { 0 },
                lots: Vec::new(),
                receipts: 0,
            }
        })
        .collect();

    // Who moves what: every item once, the rest skewed (gloves go faster than staples).
    let weights: Vec<u64> = (0..items)
        .map(|_| [1, 1, 2, 3, 5, 8, 13][rng.below(7)])
        .collect();
    let total: u64 = weights.iter().sum();
    let mut cumulative = Vec::with_capacity(items);
    let mut sum = 0;
    for w in &weights {
        sum += w;
        cumulative.push(sum);
    }
    let mut whose: Vec<usize> = (0..items).collect();
    whose.extend((items..movements).map(|_| {
        let r = rng.next_u64() % total;
        cumulative.partition_point(|c| *c <= r)
    }));
    for i in (1..whose.len()).rev() {
        whose.swap(i, rng.below(i + 1));
    }
    for &i in &whose {
        plans[i].movements += 1;
    }
    // When: open days (Monday to Saturday) of the twelve months, 07:30 to 18:00.
    let days: Vec<NaiveDate> = first
        .iter_days()
        .take_while(|d| *d <= today)
        .filter(|d| d.weekday() != Weekday::Sun)
        .collect();
    let mut times: Vec<NaiveDateTime> = (0..movements)
        .map(|_| at(days[rng.below(days.len())], 7, 30) + TimeDelta::minutes(rng.below(630) as i64))
        .collect();
    times.sort();

    let mut months: Vec<StockMonth> = (0..12)
        .map(|m| {
            let id = DocKind::stock_for(&site, first + Months::new(m)).doc_id();
            StockMonth {
                doc: Document::new(&id, &bench_actor())
                    .expect("a stock log is a known kind of document"),
                id,
                movements: 0,
            }
        })
        .collect();
    let month_of = |t: &NaiveDateTime| {
        ((t.year() - first.year()) * 12 + t.month() as i32 - first.month() as i32) as usize
    };
    let events: Vec<(NaiveDateTime, usize)> = times.into_iter().zip(whose).collect();
    let started = Instant::now();
    let mut start = 0;
    while start < events.len() {
        let month = month_of(&events[start].0);
        let end = (start + per_change.max(1))
            .min(events.len())
            .min(start + events[start..].partition_point(|(t, _)| month_of(t) == month));
        let log = &mut months[month];
        Document::change_many(&mut [&mut inventory, &mut log.doc], |docs| {
            let [inventory, log] = docs else {
                unreachable!("two documents")
            };
            for (t, i) in &events[start..end] {
                next_movement(&mut rng, &mut plans[*i], inventory, log, *t)?;
            }
            Ok(())
        })
        .expect("posts the movements");
        log.movements += end - start;
        start = end;
    }
    let posting_movements = started.elapsed();

    // A few orders still open: sent and drafts, each for one supplier's low items (some
    // ordered up to par, which then need nothing more) and a few others.
    let ordered_at = at(today - TimeDelta::days(3), 9, 0);
    let desk = Who {
        device: "Bench desk".into(),
        staff: Some("Staff 1".into()),
    };
    let mut open_orders = 0;
    inventory
        .change(|d| {
            for o in 0..6 {
                let supplier = o * 2;
                let id = order::new_order(d, SUPPLIERS[supplier], ordered_at, &desk)?;
                let mine: Vec<&Plan> = plans.iter().filter(|p| p.supplier == supplier).collect();
                let lows = mine
                    .iter()
                    .filter(|p| p.par > 0 && p.level <= p.reorder_point)
                    .take(12);
                for (n, p) in lows.enumerate() {
                    let quantity = if n % 2 == 0 {
                        (p.par - p.level).max(1)
                    } else {
                        p.pack_size
                    };
                    order::add_line(d, &id, &p.id, quantity)?;
                }
                for p in mine.iter().filter(|p| p.level > p.reorder_point).take(3) {
                    order::add_line(d, &id, &p.id, p.reorder_qty.max(p.pack_size))?;
                }
                if o < 4 {
                    order::send(d, &id, ordered_at + TimeDelta::hours(1))?;
                }
                open_orders += 1;
            }
            Ok::<_, DocumentError>(())
        })
        .expect("writes the orders");

    StockSite {
        today,
        inventory,
        months,
        items,
        lot_tracked: plans.iter().filter(|p| p.lot_tracked).count(),
        lots: plans.iter().map(|p| p.lots.len()).sum(),
        movements,
        low: plans
            .iter()
            .filter(|p| p.par > 0 && p.level <= p.reorder_point)
            .count(),
        open_orders,
        adding_items,
        posting_movements,
    }
}

/// Item `i`: a name from its category's words, codes of its own, a supplier, a place.
fn item(rng: &mut TestRng, i: usize) -> ValidItem {
    let category = match rng.below(100) {
        0..=44 => Category::Medical,
        45..=64 => Category::Office,
        65..=81 => Category::Cleaning,
        _ => Category::Medication,
    };
    let (bases, kinds, units): (&[&str], &[&str], &[&str]) = match category {
        Category::Medical => (
            &[
                "Nitrile gloves",
                "Gauze pads",
                "Syringes",
                "Needles",
                "Alcohol swabs",
                "Bandages",
                "Tongue depressors",
                "Exam table paper",
                "Face masks",
                "Specimen cups",
                "Cotton balls",
                "Suture kit",
                "Thermometer covers",
                "Blood pressure cuff",
                "Urine test strips",
                "IV start kit",
                "Splint",
                "Elastic wrap",
                "Sharps container",
                "Lancets",
            ],
            &[
                "sterile",
                "non-sterile",
                "latex-free",
                "disposable",
                "paediatric",
                "adult",
            ],
            &["box", "pack", "each", "case"],
        ),
        Category::Office => (
            &[
                "Printer paper",
                "Toner cartridge",
                "Ballpoint pens",
                "Sticky notes",
                "File folders",
                "Envelopes",
                "Labels",
                "Staples",
                "Clipboard",
                "Appointment cards",
                "Receipt rolls",
                "Binder clips",
            ],
            &["black", "blue", "white", "recycled", "large", "small"],
            &["box", "pack", "ream", "each"],
        ),
        Category::Cleaning => (
            &[
                "Disinfectant wipes",
                "Hand sanitiser",
                "Paper towels",
                "Surface spray",
                "Bin liners",
                "Hand soap",
                "Floor cleaner",
                "Toilet paper",
                "Glass cleaner",
                "Mop heads",
            ],
            &[
                "unscented",
                "citrus",
                "hospital-grade",
                "refill",
                "large",
                "travel",
            ],
            &["bottle", "case", "roll", "pack"],
        ),
        Category::Medication => (
            &[
                "Influenza vaccine",
                "Tetanus vaccine",
                "Hepatitis B vaccine",
                "Lidocaine",
                "Amoxicillin",
                "Ibuprofen",
                "Paracetamol",
                "Epinephrine",
                "Saline",
                "Ondansetron",
                "Ceftriaxone",
                "Prednisolone",
                "Salbutamol inhaler",
            ],
            &[
                "single-dose",
                "multi-dose",
                "oral",
                "injectable",
                "paediatric",
                "adult",
            ],
            &["vial", "box", "bottle", "each"],
        ),
    };
    let sizes = [
        "small",
        "medium",
        "large",
        "10 ml",
        "50 ml",
        "100 count",
        "250 count",
        "1 l",
    ];
    let name = format!(
        "{} {}, {} #{:04}",
        bases[rng.below(bases.len())],
        kinds[rng.below(kinds.len())],
        sizes[rng.below(sizes.len())],
        i + 1
    );
    let prefix = match category {
        Category::Medical => "MED",
        Category::Office => "OFF",
        Category::Cleaning => "CLN",
        Category::Medication => "RX",
    };
    let lot_tracked =
        category == Category::Medication || (category == Category::Medical && rng.below(20) == 0);
    let pack_size = [1, 1, 1, 1, 6, 10, 12, 24][rng.below(8)];
    // A few items are kept without a par level: nobody said how many to keep.
    let par = if rng.below(40) == 0 {
        0
    } else {
        4 + rng.below(197) as i64
    };
    let reorder_point = if par == 0 {
        0
    } else {
        1 + par * (20 + rng.below(31) as i64) / 100
    };
    let reorder_qty = if par == 0 {
        pack_size.max(5)
    } else {
        (par / 2).max(pack_size)
    };
    let supplier = match category {
        Category::Office => [3, 7, 11][rng.below(3)],
        Category::Cleaning => [4, 9, 7][rng.below(3)],
        Category::Medication => [2, 6, 10, 8][rng.below(4)],
        Category::Medical => [0, 1, 5, 8, 10, 11][rng.below(6)],
    };
    let location = match category {
        Category::Medication if lot_tracked && rng.below(2) == 0 => 7,
        Category::Medication => 8,
        Category::Cleaning => 9,
        Category::Office => [0, 6][rng.below(2)],
        Category::Medical => [0, 1, 2, 3, 4, 5][rng.below(6)],
    };
    ValidItem {
        name,
        category,
        unit: units[rng.below(units.len())].into(),
        pack_size,
        sku: format!("{prefix}-{:05}", 10_000 + i),
        // Three in four carry a barcode; each its own.
        barcode: if rng.below(4) == 0 {
            String::new()
        } else {
            format!("{}", 4_006_381_000_000u64 + i as u64 * 7)
        },
        location: LOCATIONS[location].into(),
        supplier: SUPPLIERS[supplier].into(),
        vendor: None,
        unit_cost_cents: 25 + rng.below(25_000) as i64,
        par,
        reorder_point,
        reorder_qty,
        lot_tracked,
    }
}

/// Posts `plan`'s next movement at `t`: a receipt when it is at or below its reorder
/// point, otherwise a use (now and then waste or a correction); its last one lands it on
/// its target.
fn next_movement(
    rng: &mut TestRng,
    plan: &mut Plan,
    inventory: &mut AutoCommit,
    log: &mut AutoCommit,
    t: NaiveDateTime,
) -> Result<(), DocumentError> {
    let last = plan.posted + 1 == plan.movements;
    let (kind, quantity) = if last {
        match plan.target - plan.level {
            0 if plan.level > 0 => (MovementKind::Use, 1),
            0 => (MovementKind::Receive, 1),
            d if d > 0 => (MovementKind::Receive, d),
            d => (MovementKind::Use, -d),
        }
    } else if plan.level <= plan.reorder_point {
        let wanted = (plan.par - plan.level).max(plan.reorder_qty).max(1);
        let pack = plan.pack_size.max(1);
        (MovementKind::Receive, (wanted + pack - 1) / pack * pack)
    } else {
        let most = plan.level.min((plan.par / 5).max(1));
        match rng.below(100) {
            0..=5 => (
                MovementKind::Waste,
                1 + rng.below(plan.level.min(3) as usize) as i64,
            ),
            6..=11 if !plan.lot_tracked => {
                let n = 1 + rng.below(plan.level.min(3) as usize) as i64;
                (MovementKind::Adjust, if rng.below(2) == 0 { n } else { -n })
            }
            _ => (MovementKind::Use, 1 + rng.below(most as usize) as i64),
        }
    };
    let mut new = NewMovement::new(&plan.id, kind, quantity, t, &who(rng));
    new.reason = match kind {
        MovementKind::Waste => {
            ["Dropped", "Packaging damaged", "Opened, not used"][rng.below(3)].into()
        }
        MovementKind::Adjust => {
            ["Found in storage", "Miscounted", "Count difference"][rng.below(3)].into()
        }
        _ => String::new(),
    };
    let mut made_lot = false;
    if plan.lot_tracked && kind == MovementKind::Receive {
        new.lot = if plan.lots.len() < plan.max_lots {
            made_lot = true;
            // Good for more than a year: no lot of the twelve months has expired by
            // today, so uses never leave one lot short while another holds expired
            // stock (a discrepancy the bench data should not have).
            LotChoice::New {
                number: format!(
                    "L{}{:02}-{:04}",
                    t.year() % 100,
                    t.month(),
                    rng.below(10_000)
                ),
                expiry: t.date() + TimeDelta::days(400 + rng.below(600) as i64),
            }
        } else {
            // A restock from the same lot as an earlier delivery.
            LotChoice::Lot(plan.lots[plan.receipts % plan.lots.len()].as_str().into())
        };
        plan.receipts += 1;
    }
    post(inventory, log, &new)?;
    if made_lot {
        let new_lot = lot_ids(inventory, &plan.id)
            .into_iter()
            .find(|l| !plan.lots.contains(l))
            .expect("the receipt made a lot");
        plan.lots.push(new_lot);
    }
    plan.level += kind.sign().unwrap_or(1) * quantity;
    plan.posted += 1;
    Ok(())
}

/// The ids of an item's lots, straight from the document.
fn lot_ids(doc: &AutoCommit, item: &ItemId) -> BTreeSet<String> {
    let obj = |parent: &automerge::ObjId, key: &str| match doc.get(parent, key) {
        Ok(Some((Value::Object(ObjType::Map), obj))) => Some(obj),
        _ => None,
    };
    obj(&ROOT, "items")
        .and_then(|items| obj(&items, item.as_str()))
        .and_then(|item| obj(&item, "lots"))
        .map(|lots| doc.keys(&lots).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests;
