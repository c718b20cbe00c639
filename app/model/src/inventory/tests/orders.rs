//! Purchase orders and transfers between sites.

use chrono::NaiveDate;

use super::{at, day, gloves, stocked, vaccine, who, Replica};
use crate::inventory::*;
use crate::{Document, DocumentError, SiteId};

#[test]
fn an_order_goes_from_draft_to_received_and_two_desks_receiving_both_count() {
    let (mut a, gloves_id) = stocked(gloves(), 5);
    let valid = vaccine().validate().expect("valid");
    let vaccine_id = a.edit(|doc| form::add_item(doc, &valid)).expect("adds");
    let suggestions = reorder::suggestions(&a.read());
    assert_eq!(suggestions.len(), 2);
    let drafts = a
        .edit(|doc| order::draft_from_suggestions(doc, &suggestions, at(2, 9), &who("manager")))
        .expect("drafts");
    assert_eq!(drafts.len(), 1, "one supplier, one order");
    let order_id = drafts[0].clone();
    assert!(
        reorder::suggestions(&a.read()).is_empty(),
        "a draft counts as on order"
    );
    let refused = a.both(|inventory, log| {
        let line = order::read_all(inventory)?.0[0].lines[0].id.clone();
        let delivery = order::Delivery {
            line,
            quantity: 1,
            lot: None,
        };
        order::receive(inventory, log, &order_id, &delivery, at(2, 10), &who("d"))
    });
    assert!(
        matches!(refused, Err(DocumentError::Refused(_))),
        "a draft is not received against"
    );
    a.edit(|doc| order::send(doc, &order_id, at(2, 10)))
        .expect("sends");
    let order = a.read().orders[0].clone();
    assert_eq!(order.state, OrderState::Sent);
    let glove_line = order
        .lines
        .iter()
        .find(|l| l.item == gloves_id)
        .expect("a line")
        .clone();
    let vaccine_line = order
        .lines
        .iter()
        .find(|l| l.item == vaccine_id)
        .expect("a line")
        .clone();
    assert_eq!((glove_line.quantity, vaccine_line.quantity), (40, 30));

    // Two desks each receive part of the gloves offline.
    let mut b = a.fork();
    for (site, n) in [(&mut a, 10), (&mut b, 15)] {
        let delivery = order::Delivery {
            line: glove_line.id.clone(),
            quantity: n,
            lot: None,
        };
        site.both(|inventory, log| {
            order::receive(inventory, log, &order_id, &delivery, at(3, 9), &who("d"))
        })
        .expect("receives");
    }
    a.merge(&mut b);
    let read = a.read();
    assert_eq!(read.item(&gloves_id).map(|i| i.on_hand), Some(30));
    assert_eq!(read.orders[0].state, OrderState::PartlyReceived);
    assert_eq!(read.on_order().get(&gloves_id), Some(&15));
    // The vaccine needs its lot; then everything is in.
    let no_lot = order::Delivery {
        line: vaccine_line.id.clone(),
        quantity: 30,
        lot: None,
    };
    assert!(a
        .both(|inventory, log| order::receive(
            inventory,
            log,
            &order_id,
            &no_lot,
            at(3, 9),
            &who("d")
        ))
        .is_err());
    for delivery in [
        order::Delivery {
            line: glove_line.id.clone(),
            quantity: 15,
            lot: None,
        },
        order::Delivery {
            line: vaccine_line.id.clone(),
            quantity: 30,
            lot: Some((
                "FLU-26B".into(),
                NaiveDate::from_ymd_opt(2027, 5, 31).expect("a day"),
            )),
        },
    ] {
        a.both(|inventory, log| {
            order::receive(inventory, log, &order_id, &delivery, at(4, 9), &who("d"))
        })
        .expect("receives");
    }
    let read = a.read();
    assert_eq!(read.orders[0].state, OrderState::Received);
    assert_eq!(read.orders[0].receipts.len(), 4);
    assert!(read.on_order().values().all(|n| *n == 0));
    let vaccine = read.item(&vaccine_id).expect("the vaccine");
    assert_eq!(
        (vaccine.on_hand, vaccine.lots[0].number.as_str()),
        (30, "FLU-26B")
    );
    assert!(a
        .log()
        .iter()
        .filter(|m| m.kind == MovementKind::Receive)
        .all(|m| m.order.is_some() || m.at == at(1, 9)));
    assert!(matches!(
        a.edit(|doc| order::cancel(doc, &order_id)),
        Err(DocumentError::Refused(_))
    ));
}

#[test]
fn a_transfer_moves_stock_and_lots_between_sites_in_one_change() {
    let (mut main, id) = stocked(vaccine(), 10);
    let north_site = SiteId::new("north").expect("valid");
    let mut north = Replica::new(&north_site);
    let request = transfer::TransferRequest {
        item: id.clone(),
        quantity: 4,
        lot: None,
        at: at(5, 9),
        who: who("manager"),
    };
    let main_site = SiteId::main();
    let arrived = Document::change_many(
        &mut [
            &mut main.inventory,
            &mut main.log,
            &mut north.inventory,
            &mut north.log,
        ],
        |docs| match docs {
            [a, b, c, d] => transfer::transfer(
                transfer::SiteDocs {
                    site: &main_site,
                    inventory: a,
                    log: b,
                },
                transfer::SiteDocs {
                    site: &north_site,
                    inventory: c,
                    log: d,
                },
                &request,
            ),
            _ => unreachable!("four documents"),
        },
    )
    .expect("transfers")
    .0;
    assert_eq!(main.item(&id).on_hand, 6);
    let there = north.item(&arrived);
    assert_eq!(
        (there.name.as_str(), there.on_hand),
        ("Influenza vaccine", 4),
        "added at north"
    );
    assert_eq!(there.lots[0].number, "LOT-A");
    assert_eq!(main.log()[0].kind, MovementKind::TransferOut);
    assert_eq!(main.log()[0].other_site.as_deref(), Some("north"));
    assert_eq!(north.log()[0].kind, MovementKind::TransferIn);
    let recall = lots::recall(
        &[(main_site, &main.read()), (north_site, &north.read())],
        "lot-a",
        day(5),
    );
    assert_eq!(recall.iter().map(|r| r.on_hand).collect::<Vec<_>>(), [6, 4]);
}
