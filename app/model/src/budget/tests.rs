use chrono::NaiveDate;

use super::*;
use crate::inventory::movement::NewMovement;
use crate::inventory::tests::{at, day, stocked, vaccine, who, Replica};
use crate::inventory::{form, order, undo, ItemForm, MovementKind};
use crate::SiteId;

fn november() -> NaiveDate {
    day(1)
}

#[test]
fn a_budget_form_refuses_what_is_not_a_budget_and_saves_nothing() {
    let form = |month: &str, category: &str, amount: &str| BudgetForm {
        month: month.into(),
        category: category.into(),
        amount: amount.into(),
    };
    // (form, the fields refused)
    let cases: [(BudgetForm, &[&str]); 7] = [
        (form("2026-11", "medical", "-5"), &["amount"]),
        (form("2026-11", "medical", "20000000.00"), &["amount"]),
        (form("2026-11", "medical", "twelve"), &["amount"]),
        (form("2026-11", "Snacks", "100"), &["category"]),
        (form("2026-13", "medical", "100"), &["month"]),
        (
            form("next month", "Furniture", "-1"),
            &["month", "category", "amount"],
        ),
        (form("2026-11", "office", "25,50"), &["amount"]),
    ];
    for (form, fields) in cases {
        let refused = form.validate().expect_err("refused");
        let found: Vec<&str> = refused.iter().map(|(f, _)| *f).collect();
        assert_eq!(found, fields, "{form:?}");
        assert!(refused.iter().all(|(_, sentence)| sentence.ends_with('.')));
    }
    assert_eq!(
        form("2026-11", "Office supply", "$1,250.50").validate(),
        Ok((november(), Category::Office, Some(125_050)))
    );
    assert_eq!(
        form("2026-11", "cleaning", " ").validate(),
        Ok((november(), Category::Cleaning, None)),
        "an empty amount clears the budget"
    );
}

#[test]
fn spend_warns_at_eighty_percent_and_again_at_the_budget() {
    // (budget, spent, percent, warning)
    let cases = [
        (Some(10_000), 0, Some(0), None),
        (Some(10_000), 7_999, Some(79), None),
        (Some(10_000), 8_000, Some(80), Some(Warning::Near)),
        (Some(10_000), 9_999, Some(99), Some(Warning::Near)),
        (Some(10_000), 10_000, Some(100), Some(Warning::Over)),
        (Some(10_000), 12_500, Some(125), Some(Warning::Over)),
        (Some(0), 0, None, None),
        (Some(0), 1, Some(i64::MAX), Some(Warning::Over)),
        (None, 50_000, None, None),
    ];
    for (budget, spent, percent, warning) in cases {
        let standing = Standing {
            category: Category::Medical,
            budget,
            spent,
            unbudgeted: 0,
        };
        assert_eq!(
            (standing.percent(), standing.warning()),
            (percent, warning),
            "{budget:?} budgeted, {spent} spent"
        );
    }
}

/// A site that bought ten doses at the order's price of $8.50 (the item now costs $9.00),
/// threw two away and let one expire, then took the expiry back.
fn a_month_of_vaccine() -> Replica {
    let (mut site, vaccine_id) = stocked(vaccine(), 0);
    let order_id = site
        .both(|inventory, _| {
            let id = order::new_order(inventory, "Northwind Medical Supply", at(2, 9), &who("m"))?;
            order::add_line(inventory, &id, &vaccine_id, 10)?;
            let dearer = ItemForm {
                unit_cost: "9.00".into(),
                ..vaccine()
            };
            form::change_item(inventory, &vaccine_id, &dearer.validate().expect("valid"))?;
            order::send(inventory, &id, at(2, 10))?;
            Ok(id)
        })
        .expect("orders");
    let line = site.read().orders[0].lines[0].id.clone();
    site.both(|inventory, log| {
        let delivery = order::Delivery {
            line,
            quantity: 10,
            lot: Some((
                "LOT-9".into(),
                NaiveDate::from_ymd_opt(2027, 1, 31).expect("a day"),
            )),
        };
        order::receive(inventory, log, &order_id, &delivery, at(3, 9), &who("desk"))
    })
    .expect("receives");
    site.post(&NewMovement::new(
        &vaccine_id,
        MovementKind::Waste,
        2,
        at(10, 9),
        &who("desk"),
    ))
    .expect("wastes");
    let expired = site
        .post(&NewMovement::new(
            &vaccine_id,
            MovementKind::Expired,
            1,
            at(20, 9),
            &who("desk"),
        ))
        .expect("throws away");
    site.both(|inventory, log| undo::reverse(inventory, log, &expired, &who("desk"), at(20, 10)))
        .expect("takes back");
    site
}

#[test]
fn spend_is_what_was_received_at_the_orders_price_and_thrown_away_at_the_cost_received() {
    let site = a_month_of_vaccine();
    let spent = spend(&SiteId::main(), &site.read(), &site.log());
    let found: Vec<_> = spent
        .iter()
        .map(|s| (s.day, s.kind, s.category, s.cents))
        .collect();
    use SpendKind::*;
    assert_eq!(
        found,
        [
            (day(3), Bought, Category::Medication, 8_500),
            (day(10), ThrownAway, Category::Medication, 1_700),
            (day(20), ThrownAway, Category::Medication, 850),
            (day(20), ThrownAway, Category::Medication, -850),
        ]
    );
    assert_eq!(
        by_supplier(&spent, november(), &crate::Directory::default()),
        [("Northwind Medical Supply".to_string(), 8_500)]
    );
    // (budget for the month, warning): 10,200 spent.
    for (budget, warning) in [
        (13_000, None),
        (12_500, Some(Warning::Near)),
        (10_200, Some(Warning::Over)),
    ] {
        let mut budget_doc = Replica::new(&SiteId::main());
        budget_doc
            .both(|inventory, _| set(inventory, november(), Category::Medication, Some(budget)))
            .expect("sets");
        let read = Budget::read(budget_doc.inventory.automerge()).expect("reads");
        let main = SiteId::main();
        let month = standing([(&main, &read)], &spent, november());
        let medication = month
            .iter()
            .find(|s| s.category == Category::Medication)
            .expect("every category");
        assert_eq!(
            (medication.spent, medication.budget, medication.warning()),
            (10_200, Some(budget), warning)
        );
        assert!(
            standing([(&main, &read)], &spent, day(1) + chrono::Months::new(1))
                .iter()
                .all(|s| s.spent == 0 && s.budget.is_none()),
            "December has neither"
        );
    }
}

#[test]
fn two_managers_budgeting_offline_keep_both_categories_and_sites_add_up() {
    let mut a = Replica::new(&SiteId::main());
    let mut b = a.fork();
    a.both(|doc, _| set(doc, november(), Category::Medical, Some(50_000)))
        .expect("sets");
    b.both(|doc, _| set(doc, november(), Category::Office, Some(7_500)))
        .expect("sets");
    a.merge(&mut b);
    b.merge(&mut a);
    let read = |r: &Replica| Budget::read(r.inventory.automerge()).expect("reads");
    assert_eq!(read(&a), read(&b));
    assert_eq!(read(&a).of(day(15), Category::Medical), Some(50_000));
    assert_eq!(read(&a).of(day(15), Category::Office), Some(7_500));
    let (main, north) = (SiteId::main(), SiteId::new("north").expect("an id"));
    let (ra, rb) = (read(&a), read(&b));
    let both = standing([(&main, &ra), (&north, &rb)], [], november());
    assert_eq!(both[0].budget, Some(100_000), "two sites' budgets add up");

    // Every site: a site without a budget for a category does not count against another's.
    let spent_at = |site: &SiteId, cents| Spend {
        day: day(10),
        site: site.clone(),
        category: Category::Office,
        supplier: "Paper Co".into(),
        vendor: None,
        item_name: "Paper".into(),
        kind: SpendKind::Bought,
        cents,
    };
    let unset = Budget::default();
    let spent = [spent_at(&main, 5_000), spent_at(&north, 9_000)];
    let office = standing([(&main, &ra), (&north, &unset)], &spent, november())
        .into_iter()
        .find(|s| s.category == Category::Office)
        .expect("office");
    assert_eq!(
        (
            office.budget,
            office.spent,
            office.unbudgeted,
            office.warning()
        ),
        (Some(7_500), 5_000, 9_000, None),
        "66% of the main site's budget; the other site's spend apart"
    );
    assert_eq!(office.total(), 14_000);

    a.both(|doc, _| set(doc, november(), Category::Office, None))
        .expect("clears");
    assert_eq!(read(&a).of(day(15), Category::Office), None);
}

#[test]
fn a_suppliers_orders_add_up_under_its_register_name_after_a_rename() {
    use crate::vendor::{Vendor, VendorId};
    let northwind = VendorId::random();
    let directory = crate::Directory {
        vendors: vec![Vendor {
            id: northwind.clone(),
            name: "Northwind Medical".into(),
            contact: String::new(),
            account: String::new(),
            supplies: String::new(),
            renewal: None,
            archived: false,
        }],
        ..crate::Directory::default()
    };
    let bought = |supplier: &str, vendor: Option<VendorId>, cents| Spend {
        day: day(10),
        site: SiteId::main(),
        category: Category::Medical,
        supplier: supplier.into(),
        vendor,
        item_name: "Gloves".into(),
        kind: SpendKind::Bought,
        cents,
    };
    // Ordered before and after the vendor's rename; one supplier named by text alone; one
    // vendor no longer in this copy of the register, known by the order's text.
    let spent = [
        bought("Northwind", Some(northwind.clone()), 1_000),
        bought("Northwind Medical", Some(northwind), 2_000),
        bought("Paper Co", None, 500),
        bought("Gone Vendor Co", Some(VendorId::random()), 300),
    ];
    assert_eq!(
        by_supplier(&spent, november(), &directory),
        [
            ("Northwind Medical".to_string(), 3_000),
            ("Paper Co".to_string(), 500),
            ("Gone Vendor Co".to_string(), 300),
        ]
    );
}
