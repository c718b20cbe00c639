use automerge::ActorId;

use super::*;
use crate::{DocKind, Document};

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a day")
}

fn northwind() -> VendorForm {
    VendorForm {
        name: "Northwind Medical Supply".into(),
        contact: "orders@northwind.example.org".into(),
        account: "NW-20417".into(),
        supplies: "Gloves, gauze, syringes".into(),
        renewal: "2027-01-31".into(),
    }
}

fn directory_doc() -> Document {
    Document::new(&DocKind::Directory.doc_id(), &ActorId::random()).expect("known kind")
}

fn read(doc: &Document) -> Directory {
    Directory::read(doc.automerge()).expect("reads")
}

#[test]
fn a_vendor_is_checked_and_one_name_is_one_vendor() {
    let mut doc = directory_doc();
    let id = VendorId::random();
    let vendor = northwind()
        .validate(id.clone(), &read(&doc))
        .expect("valid");
    assert_eq!(vendor.renewal, Some(day("2027-01-31")));
    doc.change(|d| put_vendor(d, &vendor)).expect("writes");
    let directory = read(&doc);
    assert_eq!(directory.vendor_name(&id), "Northwind Medical Supply");

    type Change = fn(&mut VendorForm);
    let cases: [(Change, &[&str]); 4] = [
        (|f| f.name = " ".into(), &["name"]),
        (|f| f.name = "northwind medical supply".into(), &["name"]),
        (|f| f.renewal = "2027-02-30".into(), &["renewal"]),
        (
            |f| {
                f.supplies = "x".repeat(MAX_SUPPLIES_CHARS + 1);
                f.account = "y".repeat(MAX_NAME_CHARS + 1);
            },
            &["account", "supplies"],
        ),
    ];
    for (change, expected) in cases {
        let mut form = VendorForm {
            name: "Contoso Biomedical".into(),
            ..northwind()
        };
        change(&mut form);
        let refused = form
            .validate(VendorId::random(), &directory)
            .expect_err("refused");
        let fields: Vec<&str> = refused.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, expected, "{form:?}");
    }
    // The vendor itself keeps its name when saved again.
    assert!(northwind().validate(id, &directory).is_ok());
}

#[test]
fn two_managers_editing_one_vendor_offline_keep_both_fields_and_renewals_are_flagged() {
    let mut phone = directory_doc();
    let id = VendorId::random();
    let vendor = northwind()
        .validate(id.clone(), &read(&phone))
        .expect("valid");
    let (_, made) = phone.change(|d| put_vendor(d, &vendor)).expect("writes");
    let mut office = directory_doc();
    office.apply(&made.expect("a change")).expect("applies");

    let edit = |doc: &mut Document, form: VendorForm| {
        let v = form.validate(id.clone(), &read(doc)).expect("valid");
        doc.change(|d| put_vendor(d, &v))
            .expect("writes")
            .1
            .expect("a change")
    };
    let a = edit(
        &mut phone,
        VendorForm {
            account: "NW-99".into(),
            ..northwind()
        },
    );
    let b = edit(
        &mut office,
        VendorForm {
            contact: "Dana Example, 555-0142".into(),
            ..northwind()
        },
    );
    phone.apply(&b).expect("applies");
    office.apply(&a).expect("applies");
    for doc in [&phone, &office] {
        let v = read(doc).vendor(&id).cloned().expect("the vendor");
        assert_eq!(
            (v.account.as_str(), v.contact.as_str()),
            ("NW-99", "Dana Example, 555-0142")
        );
    }
    let v = read(&phone).vendor(&id).cloned().expect("the vendor");
    // (today, flagged): the contract renews on 31 January 2027.
    for (today, due) in [
        ("2026-11-30", false),
        ("2026-12-02", true),
        ("2027-03-01", true),
    ] {
        assert_eq!(v.renewal_due(day(today)), due, "{today}");
    }
}

#[test]
fn items_of_one_vendor_go_on_one_order_to_it_whatever_their_supplier_text() {
    use crate::inventory::tests::{at, gloves, stocked, vaccine, who};
    use crate::inventory::{form, order, reorder};
    let vendor = VendorId::random();
    let (mut site, gloves_id) = stocked(
        crate::inventory::ItemForm {
            vendor: vendor.to_string(),
            ..gloves()
        },
        5,
    );
    let other = crate::inventory::ItemForm {
        supplier: "Northwind (old name)".into(),
        vendor: vendor.to_string(),
        ..vaccine()
    };
    let valid = other.validate().expect("valid");
    let vaccine_id = site
        .both(|inventory, _| form::add_item(inventory, &valid))
        .expect("adds");
    let read = site.read();
    assert_eq!(
        read.item(&gloves_id).and_then(|i| i.vendor.clone()),
        Some(vendor.clone())
    );
    assert_eq!(
        read.item(&vaccine_id).and_then(|i| i.vendor.clone()),
        Some(vendor.clone())
    );

    let suggestions = reorder::suggestions(&read);
    assert_eq!(suggestions.len(), 2);
    let drafts = site
        .both(|inventory, _| {
            order::draft_from_suggestions(inventory, &suggestions, at(2, 9), &who("m"))
        })
        .expect("drafts");
    assert_eq!(drafts.len(), 1, "one vendor, one order");
    let orders = site.read().orders;
    assert_eq!(orders[0].vendor, Some(vendor.clone()));
    assert_eq!(orders[0].lines.len(), 2);

    // Choosing no vendor again clears it.
    let plain = crate::inventory::ItemForm {
        vendor: String::new(),
        ..gloves()
    };
    let valid = plain.validate().expect("valid");
    site.both(|inventory, _| form::change_item(inventory, &gloves_id, &valid))
        .expect("changes");
    assert_eq!(
        site.read().item(&gloves_id).and_then(|i| i.vendor.clone()),
        None
    );
}

#[test]
fn a_form_opened_before_a_colleagues_change_keeps_it_when_saved() {
    let mut doc = directory_doc();
    let id = VendorId::random();
    let vendor = northwind()
        .validate(id.clone(), &read(&doc))
        .expect("valid");
    doc.change(|d| save_vendor(d, vendor.clone(), None))
        .expect("writes");
    let before = vendor.clone();
    // A colleague's change arrives while the form is open.
    let theirs = VendorForm {
        contact: "Dana Example, 555-0142".into(),
        ..northwind()
    }
    .validate(id.clone(), &read(&doc))
    .expect("valid");
    doc.change(|d| save_vendor(d, theirs, Some(&vendor)))
        .expect("writes");
    let mine = VendorForm {
        account: "NW-99".into(),
        ..northwind()
    }
    .validate(id.clone(), &read(&doc))
    .expect("valid");
    doc.change(|d| save_vendor(d, mine, Some(&before)))
        .expect("writes");
    let v = read(&doc).vendor(&id).cloned().expect("the vendor");
    assert_eq!(
        (v.account.as_str(), v.contact.as_str()),
        ("NW-99", "Dana Example, 555-0142")
    );
}

#[test]
fn an_archived_vendor_keeps_its_name_and_comes_back_unless_its_name_is_taken() {
    let mut phone = directory_doc();
    let id = VendorId::random();
    let vendor = northwind()
        .validate(id.clone(), &read(&phone))
        .expect("valid");
    let (_, made) = phone.change(|d| put_vendor(d, &vendor)).expect("writes");
    let mut office = directory_doc();
    office.apply(&made.expect("a change")).expect("applies");

    // The phone archives it while the office, offline, changes its contact: both hold.
    let (_, archived) = phone
        .change(|d| set_archived(d, &id, true))
        .expect("archives");
    let edited = VendorForm {
        contact: "Dana Example, 555-0142".into(),
        ..northwind()
    }
    .validate(id.clone(), &read(&office))
    .expect("valid");
    let (_, contact) = office
        .change(|d| save_vendor(d, edited, Some(&vendor)))
        .expect("saves");
    phone.apply(&contact.expect("a change")).expect("applies");
    office.apply(&archived.expect("a change")).expect("applies");
    for doc in [&phone, &office] {
        let directory = read(doc);
        let v = directory.vendor(&id).expect("still in the directory");
        assert!(v.archived);
        assert_eq!(v.contact, "Dana Example, 555-0142");
        assert_eq!(directory.vendor_name(&id), "Northwind Medical Supply");
        assert_eq!(directory.active_vendors().count(), 0);
    }

    // Its name is free for another vendor; while that one is in use, the first stays out.
    let other = VendorId::random();
    let second = northwind()
        .validate(other.clone(), &read(&phone))
        .expect("the name is free");
    phone.change(|d| put_vendor(d, &second)).expect("writes");
    let refused = phone.change(|d| set_archived(d, &id, false));
    assert!(
        matches!(&refused, Err(DocumentError::Refused(crate::Refusal::Field(s))) if s.contains("Northwind Medical Supply is in the register already")),
        "{refused:?}"
    );
    assert!(read(&phone).vendor(&id).is_some_and(|v| v.archived));
    phone
        .change(|d| set_archived(d, &other, true))
        .expect("archives the second");
    phone
        .change(|d| set_archived(d, &id, false))
        .expect("the first comes back");
    let back: Vec<_> = read(&phone)
        .active_vendors()
        .map(|v| v.id.clone())
        .collect();
    assert_eq!(back, [id]);
    let gone = phone.change(|d| set_archived(d, &VendorId::random(), true));
    assert_eq!(gone.err(), Some(crate::Thing::Vendor.gone()));
}

#[test]
fn a_suggestion_whose_supplier_text_names_a_vendor_in_use_goes_on_its_order() {
    use crate::inventory::reorder::{match_vendors, Suggestion};
    use crate::inventory::ItemId;
    let mut doc = directory_doc();
    let id = VendorId::random();
    let vendor = northwind()
        .validate(id.clone(), &read(&doc))
        .expect("valid");
    doc.change(|d| put_vendor(d, &vendor)).expect("writes");
    let other = VendorId::random();
    let suggestion = |supplier: &str, vendor: Option<VendorId>| Suggestion {
        item: ItemId::random(),
        name: "Gauze".into(),
        supplier: supplier.into(),
        vendor,
        on_hand: 1,
        on_order: 0,
        reorder_point: 2,
        par: 10,
        quantity: 9,
        pack_size: 1,
        unit_cost_cents: 100,
    };
    let mut list = [
        suggestion(" northwind medical supply ", None),
        suggestion("Contoso Biomedical", None),
        suggestion("Northwind Medical Supply", Some(other.clone())),
    ];
    match_vendors(&mut list, &read(&doc));
    let vendors: Vec<_> = list.iter().map(|s| s.vendor.clone()).collect();
    assert_eq!(vendors, [Some(id.clone()), None, Some(other)]);

    // An archived vendor's name is not matched.
    doc.change(|d| set_archived(d, &id, true))
        .expect("archives");
    let mut list = [suggestion("Northwind Medical Supply", None)];
    match_vendors(&mut list, &read(&doc));
    assert_eq!(list[0].vendor, None);
}
