use chrono::NaiveDate;

use super::*;
use crate::import::{at_line, Sheet, SheetError};
use crate::inventory::form::{self, ItemForm};
use crate::inventory::movement::{LotChoice, NewMovement};
use crate::inventory::tests::{at, day, gloves, stocked, vaccine, who, Replica};
use crate::inventory::{Category, ItemId, MovementKind};
use crate::refusal::{Import, Stock};
use crate::{Document, DocumentError, SiteId};

mod levels;

/// Every error of a plan as the page shows it: "line N: sentence".
fn shown<T>(rows: impl IntoIterator<Item = (usize, Result<T, Vec<String>>)>) -> Vec<String> {
    let mut all = Vec::new();
    for (line, outcome) in rows {
        if let Err(errors) = outcome {
            all.extend(errors.into_iter().map(|e| format!("line {line}: {e}")));
        }
    }
    all
}

fn item_errors(import: &ItemImport) -> Vec<String> {
    shown(import.rows.iter().map(|r| (r.line, r.outcome.clone())))
}

fn add(site: &mut Replica, form: ItemForm) -> ItemId {
    let valid = form.validate().expect("valid");
    let (id, _) = site
        .inventory
        .change(|doc| form::add_item(doc, &valid))
        .expect("adds");
    id
}

fn import_items(
    site: &mut Replica,
    import: &ItemImport,
    only_valid: bool,
) -> Result<usize, DocumentError> {
    let heads = site.inventory.heads();
    let result = site
        .inventory
        .change(|doc| apply_items(doc, import, only_valid))
        .map(|(n, _)| n);
    if result.is_err() {
        assert_eq!(site.inventory.heads(), heads, "nothing partial is saved");
    }
    result
}

fn names(site: &Replica) -> Vec<String> {
    site.read().active().map(|i| i.name.clone()).collect()
}

#[test]
fn exported_items_read_back_as_updates_that_change_nothing() {
    let (mut site, _) = stocked(gloves(), 12);
    add(&mut site, vaccine());
    let tricky = ItemForm {
        name: "Wipes, \"antiseptic\"".into(),
        category: "cleaning".into(),
        sku: String::new(),
        barcode: String::new(),
        supplier: "=Acme; cleaning".into(),
        unit_cost: "0.05".into(),
        ..gloves()
    };
    add(&mut site, tricky);
    let text = items_csv(&site.read());
    assert!(text.starts_with(
        "name,category,unit,pack_size,sku,barcode,location,supplier,unit_cost,par,reorder_point,reorder_qty,lot_tracked\r\n"
    ));
    assert!(text.contains(
        "Nitrile gloves, medium\",Medical supply,box,10,GLV-M-100,0123456789012,Supply room A,Northwind Medical Supply,8.50,40,15,20,no\r\n"
    ));
    assert!(text.contains("\"'=Acme; cleaning\",0.05"), "{text}");

    let import = plan_items(&text, &site.read()).expect("a table");
    assert_eq!(item_errors(&import), Vec::<String>::new());
    assert!(import
        .rows
        .iter()
        .all(|r| matches!(r.outcome, Ok(ItemAction::Update(..))) && r.changes().is_empty()));
    assert_eq!(
        import.summary(),
        "3 rows can be imported: 0 new, 3 updates (3 without changes)"
    );
    let heads = site.inventory.heads();
    assert_eq!(import_items(&mut site, &import, false).expect("imports"), 3);
    assert_eq!(site.inventory.heads(), heads, "no change was written");
}

const BROKEN: &str = "name,category,unit,sku,par,reorder_point,lot_tracked
Exam table paper,office,roll,PAP-1,12,4,no
Sharps container,medical,each,SHP-1,6,2
Hand soap,cleaning,bottle,SOAP-1,abc,2,no
Teddy bears,Toys,each,TOY-1,5,1,no
Cotton swabs,medical,pack,SWB-1,-3,0,maybe
Tongue depressors,medical,box,DEP-1,10,2,yes
Tongue depressors (junior),medical,box,dep-1,10,2,yes
";

#[test]
fn broken_rows_are_named_by_line_and_nothing_is_written_unless_asked() {
    let mut site = Replica::new(&SiteId::main());
    add(&mut site, gloves());
    let import = plan_items(BROKEN, &site.read()).expect("a table");
    assert_eq!(
        item_errors(&import),
        [
            "line 3: The row has 6 columns and the header 7: a cell is missing.",
            "line 4: The par level must be a number, like 3; not \"abc\".",
            "line 5: Choose a category: medical supply, office supply, cleaning or medication/vaccine.",
            "line 6: lot_tracked must be yes or no; not \"maybe\".",
            "line 6: The par level must not be below 0.",
            "line 7: The SKU DEP-1 is also on line 8.",
            "line 8: The SKU dep-1 is also on line 7.",
        ]
    );
    assert_eq!((import.valid(), import.broken()), (1, 6));
    assert_eq!(
        import.summary(),
        "1 row can be imported: 1 new, 0 updates; 6 rows have errors"
    );
    let before = names(&site);
    let refused = import_items(&mut site, &import, false);
    assert_eq!(refused, Err(Import::RowsInError(6).into()));
    assert_eq!(names(&site), before);

    assert_eq!(import_items(&mut site, &import, true).expect("imports"), 1);
    assert_eq!(names(&site), ["Exam table paper", "Nitrile gloves, medium"]);
    let paper = site.read().active().next().expect("an item").clone();
    assert_eq!(
        (
            paper.category,
            paper.unit.as_str(),
            paper.sku.as_str(),
            paper.par,
            paper.reorder_point
        ),
        (Category::Office, "roll", "PAP-1", 12, 4)
    );
}

#[test]
fn a_quote_left_open_makes_the_whole_file_unreadable() {
    let text = format!("{BROKEN}\"Gauze, sterile,medical,box,GZ-1,5,1,no\n");
    assert_eq!(
        plan_items(&text, &Inventory::default()),
        Err(SheetError::Csv(crate::csv::CsvError::Unclosed { line: 9 }))
    );
}

#[test]
fn whole_file_errors_are_one_reason() {
    let items = |text: &str| plan_items(text, &Inventory::default()).map(|_| ());
    let levels = |text: &str| plan_levels(text, &Inventory::default()).map(|_| ());
    let no_column = |sheet, field| Err(SheetError::NoColumn { sheet, field });
    assert_eq!(items(""), Err(SheetError::Csv(crate::csv::CsvError::Empty)));
    assert_eq!(
        items("\u{feff} \r\n"),
        Err(SheetError::Csv(crate::csv::CsvError::Empty))
    );
    assert_eq!(items("name,par\n"), Err(SheetError::NoRows));
    assert_eq!(
        items("Gloves,10\nSoap,3\n"),
        no_column(Sheet::Items, "name")
    );
    assert_eq!(
        levels("location,on_hand\nA,3\n"),
        no_column(Sheet::Levels, "sku")
    );
    assert_eq!(
        levels("sku,name\nGLV,Gloves\n"),
        no_column(Sheet::Levels, "on_hand")
    );
}

#[test]
fn rows_find_items_by_sku_then_name_and_keep_what_the_file_lacks() {
    let mut site = Replica::new(&SiteId::main());
    let gloves_id = add(&mut site, gloves());
    let unnamed = ItemForm {
        name: "Paper towels".into(),
        category: "cleaning".into(),
        sku: String::new(),
        barcode: String::new(),
        ..gloves()
    };
    let towels = add(&mut site, unnamed);
    let text = "sku;Name;Par level;Unit cost ($)\n\
                GLV-M-100;Nitrile gloves, medium;60;9,25\n\
                TWL-1;paper towels;20;\n\
                ;Printer paper;3;1\n";
    let import = plan_items(text, &site.read()).expect("a table");
    // A new item needs a category, which this file lacks.
    assert_eq!(
        item_errors(&import),
        ["line 4: Choose a category: medical supply, office supply, cleaning or medication/vaccine."]
    );
    let actions: Vec<_> = import
        .rows
        .iter()
        .map(|r| (&r.outcome, r.changes().to_vec()))
        .collect();
    assert!(matches!(actions[0], (Ok(ItemAction::Update(id, ..)), _) if *id == gloves_id));
    assert_eq!(actions[0].1, ["unit cost", "par"]);
    assert!(matches!(actions[1], (Ok(ItemAction::Update(id, ..)), _) if *id == towels));
    assert_eq!(actions[1].1, ["name", "SKU", "unit cost", "par"]);
    assert_eq!(import_items(&mut site, &import, true).expect("imports"), 2);
    let gloves_now = site.item(&gloves_id);
    assert_eq!((gloves_now.par, gloves_now.unit_cost_cents), (60, 925));
    assert_eq!(
        (gloves_now.reorder_point, gloves_now.location.as_str()),
        (15, "Supply room A")
    );
    let towels_now = site.item(&towels);
    assert_eq!(
        (towels_now.sku.as_str(), towels_now.unit_cost_cents),
        ("TWL-1", 0)
    );
}

#[test]
fn a_code_another_item_has_is_a_row_error_and_one_taken_meanwhile_fails_the_whole_import() {
    let mut site = Replica::new(&SiteId::main());
    add(&mut site, gloves());
    let text = "name,category,sku,barcode\n\
                Gauze pads,medical,GZ-1,\n\
                Masks,medical,MSK-1,0123456789012\n\
                Bandages,medical,BND-1,\n";
    let import = plan_items(text, &site.read()).expect("a table");
    assert_eq!(
        item_errors(&import),
        ["line 3: The barcode 0123456789012 is already Nitrile gloves, medium's."]
    );
    let other = ItemForm {
        name: "Bandages (other desk)".into(),
        sku: "BND-1".into(),
        barcode: String::new(),
        ..gloves()
    };
    add(&mut site, other);
    let failed = import_items(&mut site, &import, true);
    let taken = Stock::CodeTaken {
        holder: "Bandages (other desk)".into(),
        code: "BND-1".into(),
    };
    assert_eq!(failed, Err(at_line(4, taken.into())));
    assert_eq!(
        names(&site),
        ["Bandages (other desk)", "Nitrile gloves, medium"]
    );
}

#[test]
fn a_byte_order_mark_and_windows_line_ends_are_read() {
    let text = "\u{feff}Name,Category,Lot tracked\r\nSaline flush,Medical supply,Y\r\n\r\nAlcohol pads,medical,\r\n";
    let import = plan_items(text, &Inventory::default()).expect("a table");
    assert_eq!(item_errors(&import), Vec::<String>::new());
    let lines: Vec<_> = import
        .rows
        .iter()
        .map(|r| (r.line, r.name.as_str()))
        .collect();
    assert_eq!(lines, [(2, "Saline flush"), (4, "Alcohol pads")]);
    assert!(matches!(&import.rows[0].outcome, Ok(ItemAction::Add(v)) if v.lot_tracked));
    assert!(matches!(&import.rows[1].outcome, Ok(ItemAction::Add(v)) if !v.lot_tracked));
}

#[test]
fn a_name_two_items_share_must_come_with_the_sku() {
    let mut site = Replica::new(&SiteId::main());
    for sku in ["GZ-S", "GZ-L"] {
        let gauze = ItemForm {
            name: "Gauze pads".into(),
            sku: sku.into(),
            barcode: String::new(),
            ..gloves()
        };
        add(&mut site, gauze);
    }
    let text = "name,par\nGAUZE PADS,12\n";
    let import = plan_items(text, &site.read()).expect("a table");
    assert_eq!(
        item_errors(&import),
        ["line 2: 2 items here are named GAUZE PADS: give the SKU of the one to change."]
    );
    let text = "name,sku,par\nGauze pads,gz-l,30\n";
    let import = plan_items(text, &site.read()).expect("a table");
    assert_eq!(item_errors(&import), Vec::<String>::new());
    // Found whatever its case; the file's spelling of the code is then kept.
    assert_eq!(import.rows[0].changes(), ["SKU", "par"]);
}
