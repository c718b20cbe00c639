//! The sentences for the model's errors, checked against what the model returns: the files
//! and refusals here are the ones the model's own tests make.

use chrono::NaiveDate;

use super::*;
use model::import::at_line;
use model::inventory::exchange::{plan_items, plan_levels};
use model::inventory::Inventory;
use model::refusal::Stock;
use model::staff::exchange::{plan_credentials, plan_staff};
use model::{Directory, Status, Thing};

fn items(text: &str) -> String {
    sheet(&plan_items(text, &Inventory::default()).expect_err("not a table"))
}

fn levels(text: &str) -> String {
    sheet(&plan_levels(text, &Inventory::default()).expect_err("not a table"))
}

#[test]
fn a_quote_left_open_makes_the_whole_file_unreadable() {
    assert_eq!(
        items("name,sku\n\"Gauze, sterile,GZ-1\n"),
        "The file could not be read as a spreadsheet (CSV): line 2: a quoted field is never closed."
    );
}

#[test]
fn whole_file_errors_are_one_sentence() {
    assert_eq!(items(""), "The file is empty.");
    assert_eq!(items("\u{feff} \r\n"), "The file is empty.");
    assert_eq!(
        items("name,par\n"),
        "The file has a header row but no rows to import."
    );
    assert_eq!(
        items("Gloves,10\nSoap,3\n"),
        "The file has no \"name\" column: its first row must name the columns, like name, category, unit, sku, par."
    );
    assert_eq!(
        levels("location,on_hand\nA,3\n"),
        "The file has no \"sku\" column (nor \"barcode\" or \"name\") to find each item by."
    );
    assert_eq!(
        levels("sku,name\nGLV,Gloves\n"),
        "The file has no \"on_hand\" column (nor \"count\" or \"quantity\") with what was counted."
    );
    let staff = |text: &str| sheet(&plan_staff(text, &Directory::default()).expect_err("no"));
    assert_eq!(
        staff("Robin Mockwell,Front desk\nQuinn Testcase,Nurse\n"),
        "The file has no \"name\" column: its first row must name the columns, like name, role, home_site, sites, employment, weekly_hours."
    );
    let credentials =
        |text: &str| sheet(&plan_credentials(text, &Directory::default()).expect_err("no"));
    assert_eq!(
        credentials("kind,number\nlicence,RN-1\n"),
        "The file has no \"person\" column (whose credential each row is, by their name on the staff list): its first row must name the columns, like person, kind, number, expires."
    );
    assert_eq!(
        credentials("Name;Number\nRobin Mockwell;RN-1\n"),
        "The file has no \"kind\" column (licence, certification, BLS/CPR, HIPAA or OSHA): its first row must name the columns, like person, kind, number, expires."
    );
    assert_eq!(
        sheet(&SheetError::Csv(CsvError::TooLarge(20_000))),
        "The file has more than 20000 rows: split it into smaller files."
    );
}

#[test]
fn a_refused_import_says_which_line_and_that_nothing_was_imported() {
    assert_eq!(
        say(&Import::RowsInError(6).into()),
        "6 rows of the file have errors: correct the file, or import only the valid rows."
    );
    assert_eq!(
        say(&Import::RowsInError(1).into()),
        "1 row of the file has errors: correct the file, or import only the valid rows."
    );
    let removed = Import::RemovedMeanwhile {
        name: "Robin Mockwell".into(),
    };
    assert_eq!(
        say(&at_line(3, removed.into())),
        "Line 3: Robin Mockwell is no longer on the staff list: they were removed on another device. Nothing was imported."
    );
    let added = Import::AddedMeanwhile {
        name: "Avery Sampleton".into(),
    };
    assert_eq!(
        say(&at_line(2, added.into())),
        "Line 2: Avery Sampleton was added to the staff list meanwhile, on another device: check the file again. Nothing was imported."
    );
    let taken = Stock::CodeTaken {
        holder: "Bandages (other desk)".into(),
        code: "BND-1".into(),
    };
    assert_eq!(
        say(&at_line(4, taken.into())),
        "Line 4: Bandages (other desk) already has the code BND-1. Nothing was imported."
    );
    assert_eq!(
        say(&at_line(5, Thing::Item.gone())),
        "Line 5: That item is not in this site's list. Nothing was imported."
    );
}

#[test]
fn refusals_say_what_to_do() {
    let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).expect("a day");
    let cases: [(DocumentError, &str); 8] = [
        (
            Stock::LotNeeded {
                item: "Influenza vaccine".into(),
            }
            .into(),
            "Influenza vaccine is tracked by lot: give the lot number and expiry date.",
        ),
        (
            Stock::ExpiryBeforeReceipt {
                expiry: day(1),
                received: day(2),
            }
            .into(),
            "The expiry date 1 Nov 2026 is before the day it was received (2 Nov 2026): check the label.",
        ),
        (
            Stock::ZeroAdjustment.into(),
            "An adjustment of 0 changes nothing: give how many more (3) or fewer (-3).",
        ),
        (
            Stock::OverMax(2_000_000).into(),
            "2000000 is more than 1000000: check the number.",
        ),
        (
            Schedule::Transition {
                from: Status::Cancelled,
                to: Status::Arrived,
            }
            .into(),
            "A cancelled appointment cannot become checked in.",
        ),
        (
            Roster::SwapDecided(model::staff::time_off::Decision::Denied).into(),
            "That swap was denied already.",
        ),
        (
            Tasks::LastColumn.into(),
            "A board needs at least one column.",
        ),
        (
            Thing::Order.unreadable(),
            "That order could not be read.",
        ),
    ];
    for (error, sentence) in cases {
        assert_eq!(say(&error), sentence);
    }
}

#[test]
fn what_went_wrong_with_a_document_itself_reads_as_the_error_says() {
    assert_eq!(
        say(&DocumentError::Loading),
        "still loading from this device's storage"
    );
    assert_eq!(
        say(&DocumentError::Write("quota".into())),
        "could not write the change: quota"
    );
    assert_eq!(
        say(&Missing::Map("appointments".into()).into()),
        "the document has no appointments map"
    );
}

#[test]
fn a_site_this_device_is_not_enrolled_for_is_named() {
    assert!(not_enrolled(Some("hillside"))
        .starts_with("This device is not enrolled for the site \"hillside\": its schedule"));
    assert!(not_enrolled(None).contains("\"this organisation\""));
}

#[test]
fn a_wiped_device_is_told_when_and_why_and_a_damaged_time_is_left_out() {
    let said = wiped("1764979200000");
    assert!(
        said.contains("revoked on 6 Dec 2025 at 00:00 UTC,"),
        "{said}"
    );
    assert!(said.contains("ask a manager for a new link"));
    assert!(wiped("not a time").contains("was revoked, so everything"));
}

#[test]
fn an_order_quantity_is_said_in_the_suppliers_packs() {
    use super::stock::packs;
    assert_eq!(packs(24, 12).as_deref(), Some("2 packs of 12"));
    assert_eq!(packs(12, 12).as_deref(), Some("1 pack of 12"));
    assert_eq!(
        packs(30, 12).as_deref(),
        Some("2 packs of 12 and 6 more: not whole packs")
    );
    assert_eq!(
        packs(5, 12).as_deref(),
        Some("5 of a pack of 12: not a whole pack")
    );
    assert_eq!(packs(24, 1), None, "sold singly");
    assert_eq!(packs(0, 12), None);
}
