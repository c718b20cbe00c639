use automerge::transaction::Transactable;
use automerge::{ActorId, ObjType, ROOT};

use super::*;
use crate::{DocKind, Document};

fn directory() -> Document {
    Document::new(&DocKind::Directory.doc_id(), &ActorId::random()).expect("known kind")
}

fn set(doc: &mut Document, currency: Currency) {
    doc.change(|am| put_currency(am, currency))
        .expect("sets the currency");
}

fn currency(code: &str) -> Currency {
    Currency::from_code(code).expect("offered")
}

#[test]
fn amounts_read_in_the_practice_currency() {
    for (code, cents, shown) in [
        ("USD", 102_550, "$1,025.50"),
        ("USD", 0, "$0.00"),
        ("USD", -300, "-$3.00"),
        ("GBP", 1_250, "£12.50"),
        ("EUR", 123_456_789, "€1,234,567.89"),
        ("CHF", 1_200, "CHF 12.00"),
        ("ZAR", 5, "R0.05"),
        ("INR", 99, "₹0.99"),
        ("USD", i64::MIN, "-$92,233,720,368,547,758.08"),
    ] {
        assert_eq!(currency(code).amount(cents), shown, "{code} {cents}");
    }
    assert_eq!(currency("GBP").round_amount(8_000), "£80");
    assert_eq!(currency("GBP").round_amount(8_050), "£80.50");
    assert_eq!(plain(102_550), "1,025.50");
    assert_eq!(plain(-5), "-0.05");
    assert_eq!(decimal(102_550), "1025.50");
    assert_eq!(decimal(-300), "-3.00");
}

#[test]
fn every_currency_is_found_by_its_code_and_has_a_label() {
    for c in CURRENCIES {
        assert_eq!(Currency::from_code(c.code), Some(c));
        assert_eq!(Currency::from_code(&c.code.to_lowercase()), Some(c));
        assert!(c.label().contains(c.code));
    }
    assert_eq!(Currency::from_code("XYZ"), None);
    assert_eq!(Currency::from_code(""), None);
    assert_eq!(Currency::default().code, "USD");
}

#[test]
fn a_symbol_or_code_in_front_of_an_amount_is_left_out() {
    for (typed, bare) in [
        ("$25", "25"),
        ("  £ 25.00 ", "25.00"),
        ("€1,025", "1,025"),
        ("usd 25", "25"),
        ("CHF 12.50", "12.50"),
        ("R12", "12"),
        ("₹99", "99"),
        ("25", "25"),
        ("-$3", "-$3"),
        ("twelve", "twelve"),
        ("Rs 25", "s 25"),
    ] {
        assert_eq!(without_symbol(typed), bare, "{typed}");
    }
}

#[test]
fn a_practice_that_set_nothing_keeps_dollars() {
    let doc = directory();
    assert_eq!(read_currency(doc.automerge()), Ok(Currency::default()));
    // A directory without the `practice` map at all (an old copy mid-load) reads the same.
    assert_eq!(
        read_currency(&automerge::AutoCommit::new()),
        Ok(Currency::default())
    );
}

#[test]
fn the_currency_set_is_read_back_and_setting_it_again_writes_nothing() {
    let mut doc = directory();
    set(&mut doc, currency("GBP"));
    assert_eq!(read_currency(doc.automerge()), Ok(currency("GBP")));
    let (_, bundle) = doc
        .change(|am| put_currency(am, currency("GBP")))
        .expect("sets");
    assert!(bundle.is_none(), "the same currency again is no change");
}

#[test]
fn a_code_this_version_does_not_know_reads_as_the_default_and_is_said() {
    for stored in [
        automerge::ScalarValue::Str("JPY".into()),
        automerge::ScalarValue::Int(840),
    ] {
        let mut doc = directory();
        doc.change(|am| {
            let map = Document::root_map(am, maps::PRACTICE)?;
            am.put(&map, "currency", stored.clone())
                .map_err(crate::fields::write_error)
        })
        .expect("writes");
        assert_eq!(read_currency(doc.automerge()), Err(Currency::default()));
        let read = crate::Directory::read(doc.automerge()).expect("reads");
        assert_eq!(read.currency, Currency::default());
        assert_eq!(read.unreadable, 1, "{stored:?}");
    }
}

#[test]
fn two_managers_setting_it_offline_end_with_one_currency_on_both() {
    let mut a = directory();
    let mut b = directory();
    set(&mut a, currency("EUR"));
    set(&mut b, currency("CHF"));
    let from_a = a.save();
    let from_b = b.save();
    a.apply(&from_b).expect("merges");
    b.apply(&from_a).expect("merges");
    let on_a = read_currency(a.automerge()).expect("reads");
    let on_b = read_currency(b.automerge()).expect("reads");
    assert_eq!(on_a, on_b);
    assert!([currency("EUR"), currency("CHF")].contains(&on_a));
}

#[test]
fn a_practice_map_of_the_wrong_type_is_not_read() {
    // Written by a damaged client: `practice` as a list. Amounts fall back to dollars.
    let mut doc = automerge::AutoCommit::new();
    doc.put_object(ROOT, "practice", ObjType::List)
        .expect("writes");
    assert_eq!(read_currency(&doc), Ok(Currency::default()));
}
