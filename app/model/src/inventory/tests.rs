use automerge::ActorId;
use chrono::{NaiveDate, NaiveDateTime};

mod orders;
mod reading;
mod undo;

use super::movement::{post, read_log, LotChoice, NewMovement};
use super::*;
use crate::refusal::Stock;
use crate::schedule::Who;
use crate::{DocKind, Document, DocumentError, SiteId};

pub(crate) fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).expect("a day")
}

pub(crate) fn at(d: u32, hour: u32) -> NaiveDateTime {
    day(d).and_hms_opt(hour, 0, 0).expect("a time")
}

pub(crate) fn who(device: &str) -> Who {
    Who {
        device: device.into(),
        staff: None,
    }
}

/// One device's copy of a site's supplies: the inventory and November's log.
pub(crate) struct Replica {
    pub(crate) inventory: Document,
    pub(crate) log: Document,
}

impl Replica {
    pub(crate) fn new(site: &SiteId) -> Self {
        let inventory = DocKind::Inventory { site: site.clone() }.doc_id();
        let log = DocKind::stock_for(site, day(1)).doc_id();
        Self {
            inventory: Document::new(&inventory, &ActorId::random()).expect("known kind"),
            log: Document::new(&log, &ActorId::random()).expect("known kind"),
        }
    }

    pub(crate) fn fork(&mut self) -> Self {
        let mut other = Self::new(&SiteId::main());
        other.merge(self);
        other
    }

    pub(crate) fn merge(&mut self, other: &mut Self) {
        self.inventory
            .apply(&other.inventory.save())
            .expect("merges");
        self.log.apply(&other.log.save()).expect("merges");
    }

    fn edit<T>(
        &mut self,
        edit: impl FnOnce(&mut automerge::AutoCommit) -> Result<T, DocumentError>,
    ) -> Result<T, DocumentError> {
        self.inventory.change(edit).map(|(value, _)| value)
    }

    pub(crate) fn both<T>(
        &mut self,
        edit: impl FnOnce(
            &mut automerge::AutoCommit,
            &mut automerge::AutoCommit,
        ) -> Result<T, DocumentError>,
    ) -> Result<T, DocumentError> {
        Document::change_many(
            &mut [&mut self.inventory, &mut self.log],
            |docs| match docs {
                [inventory, log] => edit(inventory, log),
                _ => unreachable!("two documents"),
            },
        )
        .map(|(value, _)| value)
    }

    pub(crate) fn post(&mut self, movement: &NewMovement) -> Result<MovementId, DocumentError> {
        self.both(|inventory, log| post(inventory, log, movement))
    }

    pub(crate) fn read(&self) -> Inventory {
        Inventory::read(self.inventory.automerge()).expect("reads")
    }

    pub(crate) fn item(&self, id: &ItemId) -> Item {
        self.read().item(id).expect("the item").clone()
    }

    pub(crate) fn log(&self) -> Vec<Movement> {
        read_log(self.log.automerge()).expect("reads").0
    }
}

pub(crate) fn gloves() -> ItemForm {
    ItemForm {
        name: "Nitrile gloves, medium".into(),
        category: "medical".into(),
        unit: "box".into(),
        pack_size: "10".into(),
        sku: "GLV-M-100".into(),
        barcode: "0123456789012".into(),
        location: "Supply room A".into(),
        supplier: "Northwind Medical Supply".into(),
        unit_cost: "8.50".into(),
        par: "40".into(),
        reorder_point: "15".into(),
        reorder_qty: "20".into(),
        lot_tracked: false,
        vendor: String::new(),
    }
}

pub(crate) fn vaccine() -> ItemForm {
    ItemForm {
        name: "Influenza vaccine".into(),
        category: "Medication/vaccine".into(),
        unit: "dose".into(),
        sku: "VAC-FLU".into(),
        barcode: String::new(),
        lot_tracked: true,
        par: "30".into(),
        reorder_point: "10".into(),
        ..gloves()
    }
}

/// A replica with `form`'s item holding `on_hand` (received on the 1st).
pub(crate) fn stocked(form: ItemForm, on_hand: i64) -> (Replica, ItemId) {
    let mut site = Replica::new(&SiteId::main());
    let valid = form.validate().expect("valid");
    let id = site.edit(|doc| form::add_item(doc, &valid)).expect("adds");
    if on_hand > 0 {
        let mut receipt = NewMovement::new(
            &id,
            MovementKind::Receive,
            on_hand,
            at(1, 9),
            &who("desk-1"),
        );
        if valid.lot_tracked {
            receipt.lot = LotChoice::New {
                number: "LOT-A".into(),
                expiry: NaiveDate::from_ymd_opt(2027, 6, 30).expect("a day"),
            };
        }
        site.post(&receipt).expect("receives");
    }
    (site, id)
}

#[test]
fn two_desks_using_three_each_offline_end_six_down_with_both_movements() {
    let (mut a, id) = stocked(gloves(), 10);
    let mut b = a.fork();
    a.post(&NewMovement::new(
        &id,
        MovementKind::Use,
        3,
        at(2, 10),
        &who("desk-1"),
    ))
    .expect("uses");
    b.post(&NewMovement::new(
        &id,
        MovementKind::Use,
        3,
        at(2, 10),
        &who("desk-2"),
    ))
    .expect("uses");
    a.merge(&mut b);
    b.merge(&mut a);
    for site in [&a, &b] {
        assert_eq!(site.item(&id).on_hand, 4, "10 − 3 − 3, never 7");
        let uses: Vec<_> = site
            .log()
            .into_iter()
            .filter(|m| m.kind == MovementKind::Use)
            .collect();
        assert_eq!(uses.len(), 2);
        assert!(uses.iter().all(|m| m.quantity == -3));
    }
}

#[test]
fn more_used_than_there_was_shows_below_zero_as_a_discrepancy() {
    let (mut a, id) = stocked(gloves(), 4);
    let mut b = a.fork();
    a.post(&NewMovement::new(
        &id,
        MovementKind::Use,
        3,
        at(2, 10),
        &who("desk-1"),
    ))
    .expect("uses");
    b.post(&NewMovement::new(
        &id,
        MovementKind::Use,
        3,
        at(2, 11),
        &who("desk-2"),
    ))
    .expect("uses");
    a.merge(&mut b);
    let item = a.item(&id);
    assert_eq!(item.on_hand, -2, "never clamped");
    assert!(item.is_discrepant());
    assert_eq!(a.read().discrepancies().count(), 1);
}

#[test]
fn a_count_posts_its_difference_and_usage_during_the_count_survives() {
    let (mut a, id) = stocked(gloves(), 10);
    let count = a
        .edit(|doc| count::start(doc, "Supply room A", at(3, 8), &who("desk-1")))
        .expect("starts");
    // Counted 8 on the shelf while the counter said 10: two boxes went unrecorded.
    a.edit(|doc| count::record(doc, &count, &id, None, 8, at(3, 8)))
        .expect("records");
    // Meanwhile another desk uses one box, and that reaches this one before posting.
    let mut b = a.fork();
    b.post(&NewMovement::new(
        &id,
        MovementKind::Use,
        1,
        at(3, 9),
        &who("desk-2"),
    ))
    .expect("uses");
    a.merge(&mut b);
    let posted = a
        .both(|inventory, log| count::post_count(inventory, log, &count, at(3, 10), &who("desk-1")))
        .expect("posts");
    assert_eq!(posted, 1);
    assert_eq!(a.item(&id).on_hand, 7, "10 − 1 used − 2 missing");
    // And a use on a third desk made during the count, merged after posting, still counts.
    let mut c = b.fork();
    c.post(&NewMovement::new(
        &id,
        MovementKind::Use,
        2,
        at(3, 9),
        &who("desk-3"),
    ))
    .expect("uses");
    a.merge(&mut c);
    assert_eq!(a.item(&id).on_hand, 5);
    let adjust: Vec<_> = a
        .log()
        .into_iter()
        .filter(|m| m.kind == MovementKind::Adjust)
        .collect();
    assert_eq!(adjust.len(), 1);
    assert_eq!(adjust[0].quantity, -2);
    assert_eq!(adjust[0].count.as_deref(), Some(count.as_str()));
    let read = a.read();
    assert_eq!(read.counts[0].state, CountState::Posted);
    assert!(matches!(
        a.both(|inventory, log| count::post_count(
            inventory,
            log,
            &count,
            at(3, 11),
            &who("desk-1")
        )),
        Err(DocumentError::Refused(_))
    ));
}

#[test]
fn a_count_of_a_lot_adjusts_that_lot() {
    let (mut a, id) = stocked(vaccine(), 10);
    let lot = a.item(&id).lots[0].id.clone();
    let count = a
        .edit(|doc| count::start(doc, "Vaccine fridge", at(3, 8), &who("desk-1")))
        .expect("starts");
    a.edit(|doc| count::record(doc, &count, &id, Some(&lot), 12, at(3, 8)))
        .expect("records");
    a.both(|inventory, log| count::post_count(inventory, log, &count, at(3, 9), &who("desk-1")))
        .expect("posts");
    let item = a.item(&id);
    assert_eq!((item.on_hand, item.lots[0].on_hand), (12, 12));
    assert!(matches!(
        a.edit(|doc| count::record(doc, &count, &id, None, 1, at(3, 10))),
        Err(DocumentError::Refused(_))
    ));
}

/// (on hand, reorder point, par, reorder qty, pack, on order) → suggested quantity.
type ReorderCase = (i64, i64, i64, i64, i64, i64, Option<i64>);

#[test]
fn reorder_suggestions() {
    // (on hand, reorder point, par, reorder qty, pack, on order) → suggested quantity.
    let cases: [ReorderCase; 9] = [
        (20, 15, 40, 0, 1, 0, None),      // above the reorder point
        (15, 15, 40, 0, 1, 0, Some(25)),  // at it: back to par
        (5, 15, 40, 0, 1, 0, Some(35)),   // below it
        (5, 15, 40, 0, 1, 20, Some(15)),  // what is on order counts
        (5, 15, 40, 0, 1, 35, None),      // on order covers it
        (5, 15, 40, 30, 1, 20, Some(30)), // at least the reorder quantity
        (5, 15, 40, 0, 10, 0, Some(40)),  // whole packs
        (-4, 15, 40, 0, 1, 0, Some(44)),  // below zero: a discrepancy, still ordered
        (0, 0, 0, 0, 1, 0, None),         // nobody asked to keep it
    ];
    for (on_hand, point, par, qty, pack, on_order, expected) in cases {
        let mut form = gloves();
        form.reorder_point = point.to_string();
        form.par = par.to_string();
        form.reorder_qty = qty.to_string();
        form.pack_size = pack.to_string();
        let (mut site, id) = stocked(form, on_hand.max(0));
        if on_hand < 0 {
            site.post(&NewMovement::new(
                &id,
                MovementKind::Use,
                -on_hand,
                at(2, 9),
                &who("d"),
            ))
            .expect("uses");
        }
        if on_order > 0 {
            site.edit(|doc| {
                let order = order::new_order(doc, "Northwind Medical Supply", at(2, 9), &who("d"))?;
                order::add_line(doc, &order, &id, on_order)
            })
            .expect("orders");
        }
        let found = reorder::suggestions(&site.read());
        let case = (on_hand, point, par, qty, pack, on_order);
        assert_eq!(found.first().map(|s| s.quantity), expected, "{case:?}");
        if let Some(s) = found.first() {
            assert_eq!((s.on_hand, s.on_order), (on_hand, on_order), "{case:?}");
        }
    }
}

#[test]
fn first_expiring_lot_is_used_first_and_expired_lots_are_left_for_waste() {
    let (mut site, id) = stocked(vaccine(), 0);
    let receive = |number: &str, expiry: NaiveDate, quantity: i64| {
        let mut r = NewMovement::new(&id, MovementKind::Receive, quantity, at(1, 9), &who("d"));
        r.lot = LotChoice::New {
            number: number.into(),
            expiry,
        };
        r
    };
    let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("a day");
    site.post(&receive("LATE", date(2027, 9, 1), 5))
        .expect("receives");
    site.post(&receive("SOON", date(2027, 1, 15), 3))
        .expect("receives");
    site.post(&receive("GONE", date(2026, 11, 10), 4))
        .expect("receives");
    let item = site.item(&id);
    let numbers: Vec<_> = item.lots.iter().map(|l| l.number.as_str()).collect();
    assert_eq!(
        numbers,
        ["GONE", "SOON", "LATE"],
        "sorted first-expiring-first"
    );
    // On the 20th GONE has expired: the first usable lot is SOON.
    let mut use_four = NewMovement::new(&id, MovementKind::Use, 4, at(20, 9), &who("d"));
    use_four.lot = LotChoice::FirstExpiring;
    assert_eq!(
        lots::first_expiring(&item, day(20)).map(|l| l.number.as_str()),
        Some("SOON")
    );
    site.post(&use_four).expect("uses");
    let item = site.item(&id);
    let left: Vec<_> = item
        .lots
        .iter()
        .map(|l| (l.number.as_str(), l.on_hand))
        .collect();
    assert_eq!(
        left,
        [("GONE", 4), ("SOON", 0), ("LATE", 4)],
        "3 from SOON, 1 from LATE"
    );
    assert_eq!(item.on_hand, 8);
    let used = &site.log()[0];
    assert_eq!(used.lots.len(), 2);
    // Throwing expired stock away without naming a lot takes it from the expired lot.
    let mut waste = NewMovement::new(&id, MovementKind::Expired, 4, at(20, 10), &who("d"));
    waste.lot = LotChoice::FirstExpiring;
    site.post(&waste).expect("wastes");
    let item = site.item(&id);
    assert_eq!((item.on_hand, item.lots[0].on_hand), (4, 0));
    let expiring = lots::expiring(&[(SiteId::main(), &site.read())], day(20), 90);
    assert!(
        expiring.is_empty(),
        "LATE expires in more than 90 days: {expiring:?}"
    );
}

#[test]
fn bad_movements_are_refused_and_change_nothing() {
    let (mut site, id) = stocked(vaccine(), 5);
    let before = site.read();
    let heads = site.inventory.heads();
    let mut no_lot = NewMovement::new(&id, MovementKind::Receive, 5, at(2, 9), &who("d"));
    let mut past = no_lot.clone();
    past.lot = LotChoice::New {
        number: "L2".into(),
        expiry: day(1),
    };
    let zero = NewMovement::new(&id, MovementKind::Use, 0, at(2, 9), &who("d"));
    let negative = NewMovement::new(&id, MovementKind::Use, -2, at(2, 9), &who("d"));
    let nothing = NewMovement::new(&id, MovementKind::Adjust, 0, at(2, 9), &who("d"));
    let unknown = NewMovement::new(
        &ItemId::from("nope"),
        MovementKind::Use,
        1,
        at(2, 9),
        &who("d"),
    );
    no_lot.reason = "delivery".into();
    let lot_needed = Stock::LotNeeded {
        item: "Influenza vaccine".into(),
    };
    let too_early = Stock::ExpiryBeforeReceipt {
        expiry: day(1),
        received: day(2),
    };
    for (bad, refused) in [
        (no_lot, DocumentError::from(lot_needed)),
        (past, too_early.into()),
        (zero, Stock::NotPositive.into()),
        (negative, Stock::NotPositive.into()),
        (nothing, Stock::ZeroAdjustment.into()),
        (unknown, crate::Thing::Item.gone()),
    ] {
        assert_eq!(site.post(&bad), Err(refused));
    }
    assert_eq!(site.inventory.heads(), heads);
    assert_eq!(site.read(), before);
    assert!(site.log().len() == 1, "only the first receipt");
}

#[test]
fn the_item_form_says_what_is_wrong() {
    let mut form = gloves();
    form.name = " ".into();
    form.category = "toys".into();
    form.par = "ten".into();
    form.reorder_point = "-1".into();
    form.pack_size = "2.5".into();
    form.unit_cost = "12.345".into();
    let errors = form.validate().expect_err("invalid");
    let fields: Vec<_> = errors.iter().map(|(f, _)| *f).collect();
    assert_eq!(
        fields,
        [
            "name",
            "category",
            "pack_size",
            "par",
            "reorder_point",
            "unit_cost"
        ]
    );
    assert!(errors[3].1.contains("must be a number"), "{:?}", errors[3]);
    assert!(
        errors[4].1.contains("must not be below 0"),
        "{:?}",
        errors[4]
    );
    assert!(errors[2].1.contains("whole number"), "{:?}", errors[2]);
    let mut upside_down = gloves();
    upside_down.reorder_point = "50".into();
    assert_eq!(
        upside_down.validate().expect_err("invalid")[0].0,
        "reorder_point"
    );
    for (typed, cents) in [
        ("12.50", 1250),
        ("$3", 300),
        ("0.5", 50),
        (".99", 99),
        ("1,200.00", 120_000),
    ] {
        assert_eq!(form::parse_cents(typed), Ok(cents), "{typed}");
    }
    assert!(form::parse_cents("-1").is_err());
    for refused in ["12,50", "abc", "1.234", "2000000"] {
        assert!(form::parse_cents(refused).is_err(), "{refused}");
    }
    assert_eq!(
        crate::money::Currency::default().amount(120_005),
        "$1,200.05"
    );
    let valid = gloves().validate().expect("valid");
    assert_eq!(valid.unit_cost_cents, 850);
    assert_eq!(
        ItemForm::from_item(&stocked(gloves(), 0).0.read().items[0]).validate(),
        Ok(valid)
    );
}

#[test]
fn a_code_names_one_item_and_a_scan_finds_it() {
    let (mut site, id) = stocked(gloves(), 0);
    let mut other = vaccine();
    other.sku = "glv-m-100".into();
    let valid = other.validate().expect("valid");
    let error = site
        .edit(|doc| form::add_item(doc, &valid))
        .expect_err("the SKU is taken");
    assert!(
        matches!(&error, DocumentError::Refused(crate::Refusal::Stock(Stock::CodeTaken { code, .. })) if code == "glv-m-100"),
        "{error}"
    );
    let inventory = site.read();
    assert_eq!(
        inventory.find_code(" 0123456789012 ").map(|i| &i.id),
        Ok(&id)
    );
    assert_eq!(inventory.find_code("glv-m-100").map(|i| &i.id), Ok(&id));
    assert_eq!(
        inventory.find_code("999").map(|i| &i.id),
        Err("No item here has the code 999.".to_string())
    );
}

#[test]
fn two_people_changing_different_details_of_an_item_keep_both() {
    let (mut a, id) = stocked(gloves(), 10);
    let mut b = a.fork();
    let mut renamed = gloves();
    renamed.name = "Nitrile gloves M".into();
    let mut moved = gloves();
    moved.location = "Exam 1 cabinet".into();
    let renamed = renamed.validate().expect("valid");
    let moved = moved.validate().expect("valid");
    a.edit(|doc| form::change_item(doc, &id, &renamed))
        .expect("changes");
    b.edit(|doc| form::change_item(doc, &id, &moved))
        .expect("changes");
    b.post(&NewMovement::new(
        &id,
        MovementKind::Use,
        1,
        at(2, 9),
        &who("d"),
    ))
    .expect("uses");
    a.merge(&mut b);
    let item = a.item(&id);
    assert_eq!(
        (item.name.as_str(), item.location.as_str(), item.on_hand),
        ("Nitrile gloves M", "Exam 1 cabinet", 9)
    );
}

#[test]
fn expiry_bands() {
    for (days, band) in [
        (-1, Some("Expired")),
        (0, Some("Within 30 days")),
        (30, Some("Within 30 days")),
        (31, Some("Within 60 days")),
        (90, Some("Within 90 days")),
        (91, None),
    ] {
        assert_eq!(lots::band(days), band, "{days}");
    }
}
