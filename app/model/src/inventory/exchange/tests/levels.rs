//! Stock levels: export, plan and apply.

use super::*;

fn level_errors(import: &LevelImport) -> Vec<String> {
    shown(import.rows.iter().map(|r| (r.line, r.outcome.clone())))
}

fn import_levels(
    site: &mut Replica,
    import: &LevelImport,
    only_valid: bool,
) -> Result<usize, DocumentError> {
    Document::change_many(
        &mut [&mut site.inventory, &mut site.log],
        |docs| match docs {
            [inventory, log] => apply_levels(
                inventory,
                log,
                import,
                only_valid,
                at(22, 10),
                &who("desk-1"),
            ),
            _ => unreachable!("two documents"),
        },
    )
    .map(|(n, _)| n)
}

/// A site with 10 gloves; 5 doses of lot LOT-A and 3 of LOT-B (expired by the 22nd), and
/// 2 doses in no lot.
fn stocked_site() -> (Replica, ItemId, ItemId) {
    let (mut site, vaccine_id) = stocked(vaccine(), 5);
    let gloves_id = add(&mut site, gloves());
    let mut receipt = NewMovement::new(
        &gloves_id,
        MovementKind::Receive,
        10,
        at(1, 9),
        &who("desk-1"),
    );
    site.post(&receipt).expect("receives");
    receipt = NewMovement::new(
        &vaccine_id,
        MovementKind::Receive,
        3,
        at(1, 9),
        &who("desk-1"),
    );
    receipt.lot = LotChoice::New {
        number: "LOT-B".into(),
        expiry: day(20),
    };
    site.post(&receipt).expect("receives");
    let found = NewMovement::new(
        &vaccine_id,
        MovementKind::Adjust,
        2,
        at(2, 9),
        &who("desk-1"),
    );
    site.post(&found).expect("adjusts");
    (site, gloves_id, vaccine_id)
}

#[test]
fn stock_levels_export_by_shelf_and_lot_and_read_back_as_no_change() {
    let (site, _, _) = stocked_site();
    let text = stock_csv(&site.read(), day(22));
    assert_eq!(
        text,
        "sku,name,location,unit,lot,expiry,on_hand,note\r\n\
         VAC-FLU,Influenza vaccine,Supply room A,dose,LOT-B,2026-11-20,3,expired\r\n\
         VAC-FLU,Influenza vaccine,Supply room A,dose,LOT-A,2027-06-30,5,\r\n\
         VAC-FLU,Influenza vaccine,Supply room A,dose,,,2,not in a lot\r\n\
         GLV-M-100,\"Nitrile gloves, medium\",Supply room A,box,,,10,\r\n"
    );
    let import = plan_levels(&text, &site.read()).expect("a table");
    assert_eq!(level_errors(&import), Vec::<String>::new());
    let scopes: Vec<_> = import
        .rows
        .iter()
        .map(|r| r.outcome.clone().map(|a| a.scope))
        .collect();
    assert_eq!(
        scopes,
        [
            Ok(LevelScope::Lot("LOT-B".into())),
            Ok(LevelScope::Lot("LOT-A".into())),
            Ok(LevelScope::NotInLot),
            Ok(LevelScope::Total),
        ]
    );
    assert_eq!(
        import.summary(),
        "4 rows can be imported: 0 adjust the stock, 4 already match"
    );
}

#[test]
fn counted_levels_post_adjustments_of_the_difference_at_the_time_of_import() {
    let (mut site, gloves_id, vaccine_id) = stocked_site();
    let text = "SKU,Lot,Count\n\
                GLV-M-100,,7\n\
                VAC-FLU,lot-a,4\n\
                VAC-FLU,LOT-B,3\n\
                ABC-1,,1\n";
    let import = plan_levels(text, &site.read()).expect("a table");
    assert_eq!(
        level_errors(&import),
        ["line 5: No item has the SKU ABC-1."]
    );
    assert_eq!(
        import.summary(),
        "3 rows can be imported: 2 adjust the stock, 1 already match; 1 row has errors"
    );
    assert_eq!(
        import_levels(&mut site, &import, false),
        Err(crate::refusal::Import::RowsInError(1).into())
    );
    // Two boxes used after the file was checked: the count is what is on the shelf now.
    let used = NewMovement::new(&gloves_id, MovementKind::Use, 2, at(22, 9), &who("desk-2"));
    site.post(&used).expect("uses");
    let before = site.log().len();
    assert_eq!(import_levels(&mut site, &import, true).expect("imports"), 2);
    let gloves_now = site.item(&gloves_id);
    assert_eq!(gloves_now.on_hand, 7);
    let vaccine_now = site.item(&vaccine_id);
    let lots: Vec<_> = vaccine_now
        .lots
        .iter()
        .map(|l| (l.number.as_str(), l.on_hand))
        .collect();
    assert_eq!(lots, [("LOT-B", 3), ("LOT-A", 4)]);
    assert_eq!(vaccine_now.on_hand, 9, "2 not in a lot stay");
    let log = site.log();
    assert_eq!(log.len(), before + 2);
    let mut imported: Vec<_> = log
        .iter()
        .filter(|m| m.reason == "Stock levels imported")
        .map(|m| (m.kind, m.item_name.as_str(), m.quantity, m.lots.len()))
        .collect();
    imported.sort();
    assert_eq!(
        imported,
        [
            (MovementKind::Adjust, "Influenza vaccine", -1, 1),
            (MovementKind::Adjust, "Nitrile gloves, medium", -1, 0),
        ]
    );
}

#[test]
fn bad_level_rows_are_named_by_line() {
    let (site, _, _) = stocked_site();
    let text = "sku,name,lot,on_hand\n\
                GLV-M-100,,,-3\n\
                ,Influenza vaccine,LOT-Z,2\n\
                ,influenza VACCINE,LOT-A,two\n\
                0123456789012,,,4\n\
                ,Scissors,,1\n\
                VAC-FLU,,,\n\
                VAC-FLU,,6\n";
    let import = plan_levels(text, &site.read()).expect("a table");
    assert_eq!(
        level_errors(&import),
        [
            "line 2: The count must not be below 0.",
            "line 2: Line 5 counts Nitrile gloves, medium too.",
            "line 3: Influenza vaccine has no lot LOT-Z.",
            "line 4: The count must be a number, like 3; not \"two\".",
            "line 5: Line 2 counts Nitrile gloves, medium too.",
            "line 6: No item is named Scissors.",
            "line 7: Give the count: a whole number, 0 or more.",
            "line 8: The row has 3 columns and the header 4: a cell is missing.",
            "line 8: Influenza vaccine has no lot 6.",
            "line 8: Give the count: a whole number, 0 or more.",
        ]
    );
    assert_eq!(
        import.summary(),
        "No row can be imported; 7 rows have errors"
    );
}

#[test]
fn a_european_semicolon_file_imports() {
    let (mut site, gloves_id, _) = stocked_site();
    let items = "Name;Category;Unit cost;Par\nNitrile gloves, medium;Medical supply;12,50;44\n";
    let import = plan_items(items, &site.read()).expect("a table");
    assert_eq!(item_errors(&import), Vec::<String>::new());
    import_items(&mut site, &import, false).expect("imports");
    let gloves_now = site.item(&gloves_id);
    assert_eq!((gloves_now.unit_cost_cents, gloves_now.par), (1250, 44));

    let levels = "\u{feff}SKU;Bezeichnung;Quantity\r\nGLV-M-100;Handschuhe;12\r\n";
    let import = plan_levels(levels, &site.read()).expect("a table");
    assert_eq!(level_errors(&import), Vec::<String>::new());
    assert_eq!(
        import_levels(&mut site, &import, false).expect("imports"),
        1
    );
    assert_eq!(site.item(&gloves_id).on_hand, 12);
}

#[test]
fn a_plain_count_of_a_lot_tracked_item_sets_its_total() {
    let (mut site, _, vaccine_id) = stocked_site();
    let import = plan_levels("sku,on_hand\nVAC-FLU,6\n", &site.read()).expect("a table");
    let action = import.rows[0].outcome.clone().expect("valid");
    assert_eq!(
        (action.scope.clone(), action.current, action.difference()),
        (LevelScope::Total, 10, -4)
    );
    assert_eq!(
        import_levels(&mut site, &import, false).expect("imports"),
        1
    );
    let vaccine_now = site.item(&vaccine_id);
    assert_eq!(
        (vaccine_now.on_hand, vaccine_now.in_lots()),
        (6, 8),
        "the lots are left as they are"
    );
}

#[test]
fn a_lot_received_twice_loses_stock_first_expiring_first() {
    let (mut site, vaccine_id) = stocked(vaccine(), 5);
    let mut again = NewMovement::new(
        &vaccine_id,
        MovementKind::Receive,
        4,
        at(3, 9),
        &who("desk-2"),
    );
    again.lot = LotChoice::New {
        number: "LOT-A".into(),
        expiry: NaiveDate::from_ymd_opt(2027, 6, 30).expect("a day"),
    };
    site.post(&again).expect("receives");
    let text = stock_csv(&site.read(), day(22));
    assert!(text.contains(",LOT-A,2027-06-30,9,\r\n"), "{text}");
    let import = plan_levels("sku,lot,on_hand\nVAC-FLU,LOT-A,3\n", &site.read()).expect("a table");
    assert_eq!(
        import_levels(&mut site, &import, false).expect("imports"),
        1
    );
    let receipts: Vec<_> = site
        .item(&vaccine_id)
        .lots
        .iter()
        .map(|l| l.on_hand)
        .collect();
    assert_eq!(receipts, [0, 3]);
    assert_eq!(site.item(&vaccine_id).on_hand, 3);
}

#[test]
fn an_import_and_a_use_offline_on_another_desk_both_count_after_the_merge() {
    let (mut desk_a, gloves_id, _) = stocked_site();
    let mut desk_b = desk_a.fork();
    let import = plan_levels("sku,count\nGLV-M-100,7\n", &desk_a.read()).expect("a table");
    assert_eq!(
        import_levels(&mut desk_a, &import, false).expect("imports"),
        1
    );
    let used = NewMovement::new(&gloves_id, MovementKind::Use, 2, at(22, 11), &who("desk-2"));
    desk_b.post(&used).expect("uses");
    desk_a.merge(&mut desk_b);
    desk_b.merge(&mut desk_a);
    for desk in [&desk_a, &desk_b] {
        assert_eq!(
            desk.item(&gloves_id).on_hand,
            5,
            "10 − 3 counted short − 2 used"
        );
        assert_eq!(desk.log().len(), desk_a.log().len());
    }
}
