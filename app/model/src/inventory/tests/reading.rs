//! Reading a site's inventory: the one-pass reader, damaged records, shared codes.

use super::{at, gloves, stocked, vaccine, who, Replica};
use crate::document::maps;
use crate::inventory::movement::NewMovement;
use crate::inventory::*;
use crate::{Document, SiteId};

#[test]
fn an_unreadable_item_is_counted_and_the_rest_show() {
    let (mut site, _) = stocked(gloves(), 3);
    site.edit(|doc| {
        use automerge::transaction::Transactable;
        let items = Document::root_map(doc, maps::ITEMS)?;
        doc.put(&items, "broken", "not an item")
            .map_err(write_error)
    })
    .expect("writes");
    let read = site.read();
    assert_eq!((read.items.len(), read.unreadable), (1, 1));
}

#[test]
fn the_one_pass_reader_reads_what_the_general_reader_reads() {
    let (mut site, id) = stocked(vaccine(), 12);
    site.post(&NewMovement::new(
        &id,
        MovementKind::Use,
        5,
        at(2, 9),
        &who("d"),
    ))
    .expect("uses");
    let doc = site.inventory.automerge();
    let items = Document::root_map(doc, maps::ITEMS).expect("items");
    let (_, obj) = automerge::ReadDoc::get(doc, &items, id.as_str())
        .expect("reads")
        .expect("the item");
    let fast = super::fast::item(doc, &obj, id.as_str()).expect("the one-pass reader knows it");
    let general = read_item(doc, &id).expect("reads");
    assert_eq!(fast, general);
    assert_eq!((fast.on_hand, fast.lots[0].on_hand), (7, 7));
}

#[test]
fn two_desks_adding_the_same_item_offline_are_told_it_shares_a_code() {
    let mut a = Replica::new(&SiteId::main());
    let mut b = a.fork();
    let valid = gloves().validate().expect("valid");
    for site in [&mut a, &mut b] {
        site.edit(|doc| form::add_item(doc, &valid)).expect("adds");
    }
    assert!(
        a.read().shared_codes().is_empty(),
        "each desk alone sees one"
    );
    a.merge(&mut b);
    let read = a.read();
    let shared = read.shared_codes();
    let codes: Vec<_> = shared
        .iter()
        .map(|(code, items)| (code.as_str(), items.len()))
        .collect();
    assert_eq!(codes, [("0123456789012", 2), ("GLV-M-100", 2)]);
    let extra = read.items[1].id.clone();
    a.edit(|doc| form::set_archived(doc, &extra, true))
        .expect("archives");
    assert!(a.read().shared_codes().is_empty());
}
