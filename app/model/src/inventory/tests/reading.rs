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

/// Two desks use stock offline, each signed in: after they merge, each movement of the
/// log names the person and device whose change posted it, on either copy.
#[test]
fn each_movement_names_who_posted_it_from_the_change_after_a_merge() {
    use crate::access::stamp::Stamp;
    use crate::inventory::movement::{makers, post, read_log};
    use crate::StaffId;
    let (mut a, id) = stocked(gloves(), 10);
    let mut b = a.fork();
    let use_one =
        |site: &mut Replica, staff: &str, device: &str| {
            let stamp = Stamp {
                staff: Some(StaffId::from(staff)),
                device: device.into(),
                at_ms: 1_700_000_000_000,
            };
            let new = NewMovement::new(&id, MovementKind::Use, 1, at(2, 10), &who(device));
            Document::change_many_signed(&mut [&mut site.inventory, &mut site.log], &stamp, |d| {
                match d {
                    [inventory, log] => post(inventory, log, &new),
                    _ => unreachable!("two documents"),
                }
            })
            .expect("uses")
            .0
        };
    let by_casey = use_one(&mut a, "casey", "Front desk 1");
    let by_drew = use_one(&mut b, "drew", "Front desk 2");
    a.merge(&mut b);
    b.merge(&mut a);
    for site in [&mut a, &mut b] {
        let (all, _) = read_log(site.log.automerge()).expect("reads");
        assert_eq!(all.len(), 3);
        let made = makers(
            site.log.inner(),
            &[by_drew.clone(), by_casey.clone(), "gone".into()],
        );
        let named: Vec<_> = made
            .iter()
            .map(|m| m.as_ref().map(|m| (m.staff.clone(), m.device.clone())))
            .collect();
        let signed = |s: &str, d: &str| Some((Some(StaffId::from(s)), Some(d.to_string())));
        assert_eq!(
            named,
            vec![
                signed("drew", "Front desk 2"),
                signed("casey", "Front desk 1"),
                None
            ]
        );
    }
}
