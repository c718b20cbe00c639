//! Swap requests: a person offers their shift to a colleague, who may give one of theirs
//! in return; the manager approves (both shifts change hands in one change) or denies.

use crate::refusal::{Roster as Refusal, Thing};
use automerge::{AutoCommit, ReadDoc};

use super::{shift_obj, ShiftId};
use crate::document::maps;
use crate::fields::{new_record, put_changed, record, text, write_error};
use crate::staff::time_off::Decision;
use crate::{random_id, Document, DocumentError, StaffId};

random_id!(
    /// One swap request.
    SwapId
);

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Swap {
    pub id: SwapId,
    /// The shift offered, held by `from`.
    pub shift: ShiftId,
    pub from: StaffId,
    pub to: StaffId,
    /// The shift of `to`'s that `from` takes in return, if any; in the same month's roster.
    pub give_back: Option<ShiftId>,
    pub status: Decision,
    pub requested_by: String,
    pub decided_by: String,
}

pub(super) fn read_all(doc: &AutoCommit) -> Result<(Vec<Swap>, usize), DocumentError> {
    let map = Document::root_map(doc, maps::SWAPS)?;
    let mut swaps = Vec::new();
    let mut unreadable = 0;
    for id in doc.keys(&map) {
        match read_swap(doc, &map, &id) {
            Some(swap) => swaps.push(swap),
            None => unreadable += 1,
        }
    }
    swaps.sort_by(|a, b| a.id.cmp(&b.id));
    Ok((swaps, unreadable))
}

fn read_swap(doc: &AutoCommit, map: &automerge::ObjId, id: &str) -> Option<Swap> {
    let obj = record(doc, map, id)?;
    let status = match text(doc, &obj, "status")?.as_str() {
        "requested" => Decision::Requested,
        "approved" => Decision::Approved,
        "denied" => Decision::Denied,
        _ => return None,
    };
    Some(Swap {
        id: SwapId::from(id),
        shift: ShiftId::from(text(doc, &obj, "shift")?),
        from: StaffId::from(text(doc, &obj, "from")?),
        to: StaffId::from(text(doc, &obj, "to")?),
        give_back: text(doc, &obj, "give_back")
            .filter(|s| !s.is_empty())
            .map(ShiftId::from),
        status,
        requested_by: text(doc, &obj, "requested_by").unwrap_or_default(),
        decided_by: text(doc, &obj, "decided_by").unwrap_or_default(),
    })
}

fn holder(doc: &AutoCommit, shift: &ShiftId) -> Result<Option<StaffId>, DocumentError> {
    let obj = shift_obj(doc, shift)?;
    Ok(text(doc, &obj, "staff")
        .filter(|s| !s.is_empty())
        .map(StaffId::from))
}

/// `from` offers `shift` to `to`, taking `give_back` (a shift of `to`'s) in return.
pub fn request(
    doc: &mut AutoCommit,
    shift: &ShiftId,
    to: &StaffId,
    give_back: Option<&ShiftId>,
    by: &str,
) -> Result<SwapId, DocumentError> {
    let from = holder(doc, shift)?.ok_or(Refusal::OpenShiftSwap)?;
    if &from == to {
        return Err(Refusal::SwapWithSelf.into());
    }
    if let Some(back) = give_back {
        if holder(doc, back)?.as_ref() != Some(to) {
            return Err(Refusal::ReturnNotTheirs.into());
        }
    }
    let id = SwapId::random();
    let map = Document::root_map(doc, maps::SWAPS)?;
    let obj = new_record(doc, &map, id.as_str())?;
    put_changed(doc, &obj, "shift", shift.as_str())?;
    put_changed(doc, &obj, "from", from.as_str())?;
    put_changed(doc, &obj, "to", to.as_str())?;
    put_changed(
        doc,
        &obj,
        "give_back",
        give_back.map_or("", ShiftId::as_str),
    )?;
    put_changed(doc, &obj, "requested_by", by)?;
    put_changed(doc, &obj, "status", Decision::Requested.code())?;
    Ok(id)
}

/// The manager approves a swap: the shifts change hands in this one change; or denies it.
/// Approval is refused when a shift has changed hands since the request.
pub fn decide(
    doc: &mut AutoCommit,
    id: &SwapId,
    approve: bool,
    by: &str,
) -> Result<(), DocumentError> {
    let map = Document::root_map(doc, maps::SWAPS)?;
    let swap = read_swap(doc, &map, id.as_str()).ok_or_else(|| Thing::SwapRequest.gone())?;
    if swap.status != Decision::Requested {
        return Err(Refusal::SwapDecided(swap.status).into());
    }
    if approve {
        if holder(doc, &swap.shift)?.as_ref() != Some(&swap.from) {
            return Err(Refusal::OfferedChangedHands.into());
        }
        let obj = shift_obj(doc, &swap.shift)?;
        automerge::transaction::Transactable::put(doc, &obj, "staff", swap.to.as_str())
            .map_err(write_error)?;
        if let Some(back) = &swap.give_back {
            if holder(doc, back)?.as_ref() != Some(&swap.to) {
                return Err(Refusal::ReturnChangedHands.into());
            }
            let obj = shift_obj(doc, back)?;
            automerge::transaction::Transactable::put(doc, &obj, "staff", swap.from.as_str())
                .map_err(write_error)?;
        }
    }
    let obj = record(doc, &map, id.as_str()).ok_or_else(|| Thing::SwapRequest.gone())?;
    let status = if approve {
        Decision::Approved
    } else {
        Decision::Denied
    };
    put_changed(doc, &obj, "status", status.code())?;
    put_changed(doc, &obj, "decided_by", by)
}
