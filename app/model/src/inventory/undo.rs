//! Taking back a stock movement a desk just posted ("Used 1 box · Undo"): a correction of
//! the opposite sign on the same item and the same lots, logged as its own movement, so the
//! log shows both and the counters merge like any other movement.

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjType, ReadDoc};
use chrono::NaiveDateTime;

use super::movement::{append, read_one, LotPart, MovementId, MovementKind, MovementRecord};
use super::{item_obj, write_error};
use crate::appointment::format_local_datetime;
use crate::refusal::Thing;
use crate::schedule::Who;
use crate::DocumentError;

/// Posts, into the same month's log, the movement that cancels `id`: the item and each lot
/// it touched move back by what it moved them. Refused, changing nothing, when the movement
/// is not in the log, or its item or one of its lots is gone.
pub fn reverse(
    inventory: &mut AutoCommit,
    log: &mut AutoCommit,
    id: &MovementId,
    who: &Who,
    at: NaiveDateTime,
) -> Result<MovementId, DocumentError> {
    let original = read_one(log, id)?;
    let obj = item_obj(inventory, &original.item)?;
    let lots_map = match inventory.get(&obj, "lots").map_err(write_error)? {
        Some((automerge::Value::Object(ObjType::Map), lots)) => Some(lots),
        _ => None,
    };
    let mut lots = Vec::new();
    for (lot, number, quantity) in &original.lots {
        let found = lots_map
            .as_ref()
            .and_then(|map| match inventory.get(map, lot.as_str()) {
                Ok(Some((automerge::Value::Object(ObjType::Map), obj))) => Some(obj),
                _ => None,
            });
        lots.push((
            found.ok_or_else(|| Thing::Lot.gone())?,
            lot,
            number,
            -quantity,
        ));
    }
    inventory
        .increment(&obj, "on_hand", -original.quantity)
        .map_err(write_error)?;
    for (obj, _, _, quantity) in &lots {
        inventory
            .increment(obj, "on_hand", *quantity)
            .map_err(write_error)?;
    }
    let reason = format!(
        "Undone: {} at {}",
        original.kind.label().to_lowercase(),
        original.at.format("%H:%M")
    );
    let record = MovementRecord {
        item: original.item.to_string(),
        item_name: original.item_name.clone(),
        kind: MovementKind::Adjust.code().into(),
        quantity: -original.quantity,
        lots: lots
            .iter()
            .map(|(_, lot, number, quantity)| {
                let part = LotPart {
                    number: (*number).clone(),
                    quantity: *quantity,
                };
                (lot.to_string(), part)
            })
            .collect(),
        at: format_local_datetime(at),
        device: who.device.clone(),
        staff: who.staff.clone(),
        reason,
        order: None,
        count: None,
        other_site: None,
        value_cents: original.value_cents.map(|v| -v),
        reverses: Some(id.to_string()),
    };
    let id = MovementId::random();
    append(log, &id, &record)?;
    Ok(id)
}
