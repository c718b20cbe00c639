//! Undoing a stock use: the counters come back, the log keeps both movements, and an undo
//! merged with another desk's use counts both.

use chrono::NaiveDate;

use super::{at, gloves, stocked, vaccine, who};
use crate::inventory::movement::{
    expired_lot_taken, LotChoice, MovementId, MovementKind, NewMovement,
};
use crate::inventory::undo::reverse;
use crate::refusal::{Missing, Thing};
use crate::DocumentError;

/// Desk 1 takes back `movement` at `hour` on the 2nd.
fn undo(
    site: &mut super::Replica,
    movement: &MovementId,
    hour: u32,
) -> Result<MovementId, DocumentError> {
    site.both(|inventory, log| reverse(inventory, log, movement, &who("desk-1"), at(2, hour)))
}

#[test]
fn undoing_a_use_puts_the_stock_back_and_the_log_shows_both() {
    let (mut site, id) = stocked(gloves(), 10);
    let used = site
        .post(&NewMovement::new(
            &id,
            MovementKind::Use,
            1,
            at(2, 10),
            &who("desk-1"),
        ))
        .expect("uses");
    assert_eq!(site.item(&id).on_hand, 9);
    undo(&mut site, &used, 10).expect("undoes");
    assert_eq!(site.item(&id).on_hand, 10);
    let log = site.log();
    let undone = log
        .iter()
        .find(|m| m.kind == MovementKind::Adjust)
        .expect("the undo is logged");
    assert_eq!(undone.quantity, 1);
    assert_eq!(undone.reason, "Undone: used at 10:00");
    assert!(log.iter().any(|m| m.id == used), "the use stays in the log");
}

#[test]
fn undoing_a_use_of_a_lot_puts_it_back_on_that_lot() {
    let (mut site, id) = stocked(vaccine(), 5);
    let mut used = NewMovement::new(&id, MovementKind::Use, 2, at(2, 10), &who("desk-1"));
    used.lot = LotChoice::FirstExpiring;
    let used = site.post(&used).expect("uses");
    assert_eq!(site.item(&id).lots[0].on_hand, 3);
    undo(&mut site, &used, 11).expect("undoes");
    let item = site.item(&id);
    assert_eq!((item.on_hand, item.lots[0].on_hand), (5, 5));
}

#[test]
fn an_undo_merged_with_another_desks_use_counts_both() {
    let (mut a, id) = stocked(gloves(), 10);
    let used = a
        .post(&NewMovement::new(
            &id,
            MovementKind::Use,
            1,
            at(2, 10),
            &who("desk-1"),
        ))
        .expect("uses");
    let mut b = a.fork();
    undo(&mut a, &used, 10).expect("undoes");
    b.post(&NewMovement::new(
        &id,
        MovementKind::Use,
        2,
        at(2, 10),
        &who("desk-2"),
    ))
    .expect("uses");
    a.merge(&mut b);
    b.merge(&mut a);
    for site in [&a, &b] {
        assert_eq!(site.item(&id).on_hand, 8, "10 − 1 + 1 − 2");
    }
}

#[test]
fn undoing_a_movement_not_in_the_log_changes_nothing() {
    let (mut site, id) = stocked(gloves(), 10);
    let other = MovementId::from("not-a-movement");
    let refused = undo(&mut site, &other, 10);
    assert_eq!(
        refused,
        Err(DocumentError::NotFound(Missing::Gone(Thing::Movement)))
    );
    assert_eq!(site.item(&id).on_hand, 10);
    assert_eq!(site.log().len(), 1);
}

#[test]
fn a_use_says_beforehand_that_it_would_take_from_an_expired_lot() {
    let (mut site, id) = stocked(vaccine(), 3);
    let after_expiry = NaiveDate::from_ymd_opt(2027, 7, 2)
        .and_then(|d| d.and_hms_opt(9, 0, 0))
        .expect("a time");
    let mut used = NewMovement::new(&id, MovementKind::Use, 1, after_expiry, &who("desk-1"));
    used.lot = LotChoice::FirstExpiring;
    let item = site.item(&id);
    let lot = expired_lot_taken(&item, &used).expect("the only lot has expired");
    assert_eq!(lot.number, "LOT-A");
    assert!(lot.expiry < after_expiry.date());
    // Before its expiry, the same use is not asked about.
    let mut in_date = used.clone();
    in_date.at = at(2, 10);
    assert!(expired_lot_taken(&item, &in_date).is_none());
    // Planning wrote nothing.
    assert_eq!(site.item(&id).on_hand, 3);
    site.post(&used).expect("still allowed, once asked");
}
