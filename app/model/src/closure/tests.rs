use automerge::transaction::Transactable;
use automerge::ActorId;

use super::*;
use crate::{Directory, DocKind};

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("valid test day")
}

fn sites() -> Vec<SiteId> {
    vec![SiteId::main(), SiteId::new("north").expect("valid")]
}

fn form(name: &str, site: &str, from: &str, to: &str) -> ClosureForm {
    ClosureForm {
        name: name.into(),
        site: site.into(),
        from: from.into(),
        to: to.into(),
    }
}

/// The fields a form's problems name, in order.
fn problems(form: &ClosureForm) -> Vec<&'static str> {
    match form.validate(&sites(), day("2026-12-07")) {
        Ok(c) => panic!("{c:?} should be refused"),
        Err(errors) => errors.into_iter().map(|(field, _)| field).collect(),
    }
}

#[test]
fn a_form_makes_a_holiday_for_every_site_or_a_closure_of_one() {
    let today = day("2026-12-07");
    let holiday = form("  Christmas   Day ", "", "2026-12-25", "")
        .validate(&sites(), today)
        .expect("valid");
    assert_eq!(
        (
            holiday.name.as_str(),
            holiday.site,
            holiday.from,
            holiday.to
        ),
        ("Christmas Day", None, day("2026-12-25"), day("2026-12-25"))
    );
    let closure = form("Moving day", "north", "12/14/2026", "2026-12-15")
        .validate(&sites(), today)
        .expect("valid");
    assert_eq!(closure.site, SiteId::new("north"));
    assert_eq!(
        (closure.from, closure.to),
        (day("2026-12-14"), day("2026-12-15"))
    );
    // Today itself is still to come.
    assert!(form("Snow", "main", "2026-12-07", "")
        .validate(&sites(), today)
        .is_ok());
}

#[test]
fn bad_input_is_named_at_its_field() {
    assert_eq!(problems(&form(" ", "", "2026-12-25", "")), ["name"]);
    assert_eq!(
        problems(&form(&"x".repeat(81), "", "2026-12-25", "")),
        ["name"]
    );
    assert_eq!(
        problems(&form("Holiday", "south", "2026-12-25", "")),
        ["site"]
    );
    assert_eq!(problems(&form("Holiday", "", "2026-02-30", "")), ["from"]);
    assert_eq!(problems(&form("Holiday", "", "next week", "")), ["from"]);
    assert_eq!(
        problems(&form("Holiday", "", "2026-12-25", "2026-13-01")),
        ["to"]
    );
    assert_eq!(
        problems(&form("Holiday", "", "2026-12-25", "2026-12-24")),
        ["to"]
    );
    assert_eq!(
        problems(&form("Holiday", "", "2026-12-25", "2028-01-01")),
        ["to"]
    );
    assert_eq!(
        problems(&form("Holiday", "", "2026-12-01", "2026-12-06")),
        ["to"]
    );
    assert_eq!(
        problems(&form("", "south", "", "")),
        ["name", "site", "from"]
    );
    let past = form("Holiday", "", "2026-12-01", "").validate(&sites(), day("2026-12-07"));
    assert_eq!(
        past.expect_err("past"),
        [("to", "1 Dec 2026 has passed already.".to_string())]
    );
}

fn directory_doc() -> Document {
    Document::new(&DocKind::Directory.doc_id(), &ActorId::random()).expect("known kind")
}

fn entry() -> Closure {
    Closure {
        id: ClosureId::from("xmas"),
        name: "Christmas Day".into(),
        site: None,
        from: day("2026-12-25"),
        to: day("2026-12-25"),
    }
}

#[test]
fn entries_are_written_read_back_and_removed() {
    let mut doc = directory_doc();
    let north = Closure {
        id: ClosureId::from("move"),
        name: "Moving day".into(),
        site: SiteId::new("north"),
        from: day("2026-12-14"),
        to: day("2026-12-15"),
    };
    doc.change(|d| -> Result<(), DocumentError> {
        put_closure(d, &north)?;
        put_closure(d, &entry())
    })
    .expect("writes");
    let read = Directory::read(doc.automerge()).expect("reads");
    assert_eq!(read.closures, [north.clone(), entry()], "by first day");
    doc.change(|d| remove_closure(d, &ClosureId::from("xmas")))
        .expect("removes");
    // Removing what is gone already is no error.
    doc.change(|d| remove_closure(d, &ClosureId::from("xmas")))
        .expect("removes nothing");
    let read = Directory::read(doc.automerge()).expect("reads");
    assert_eq!(read.closures, [north]);
}

#[test]
fn two_managers_editing_one_entry_offline_both_keep_their_change() {
    let mut first = directory_doc();
    let (_, made) = first.change(|d| put_closure(d, &entry())).expect("writes");
    let mut second = directory_doc();
    second.apply(&made.expect("a change")).expect("applies");
    let renamed = Closure {
        name: "Christmas".into(),
        ..entry()
    };
    let longer = Closure {
        to: day("2026-12-26"),
        ..entry()
    };
    let (_, a) = first.change(|d| put_closure(d, &renamed)).expect("writes");
    let (_, b) = second.change(|d| put_closure(d, &longer)).expect("writes");
    first.apply(&b.expect("a change")).expect("applies");
    second.apply(&a.expect("a change")).expect("applies");
    for doc in [&first, &second] {
        let read = Directory::read(doc.automerge()).expect("reads");
        assert_eq!(read.closures.len(), 1);
        assert_eq!(read.closures[0].name, "Christmas");
        assert_eq!(read.closures[0].to, day("2026-12-26"));
    }
}

#[test]
fn a_damaged_entry_is_counted_and_the_rest_still_read() {
    let mut doc = directory_doc();
    doc.change(|d| -> Result<(), DocumentError> {
        put_closure(d, &entry())?;
        let map = Document::root_map(d, maps::CLOSURES)?;
        let bad = d
            .put_object(&map, "bad", automerge::ObjType::Map)
            .map_err(write_error)?;
        d.put(&bad, "name", "Backwards").map_err(write_error)?;
        d.put(&bad, "site", "").map_err(write_error)?;
        d.put(&bad, "from", "2026-12-25").map_err(write_error)?;
        d.put(&bad, "to", "2026-12-24").map_err(write_error)
    })
    .expect("writes");
    let read = Directory::read(doc.automerge()).expect("reads");
    assert_eq!(read.closures, [entry()]);
    assert_eq!(read.unreadable, 1);
}
