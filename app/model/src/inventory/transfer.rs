//! Transfers between sites: one movement out of the sending site's stock and one into the
//! receiving site's, made in one change across the four documents (each site's inventory
//! and month log), so that stock is never in both places or in neither.

use crate::refusal::Stock;
use chrono::NaiveDateTime;

use super::form::{insert_item, Codes, ItemForm};
use super::movement::{post, LotChoice, NewMovement};
use super::{read_item, Inventory, Item, ItemId, MovementKind};
use crate::schedule::Who;
use crate::{DocumentError, SiteId};

/// One site's side of a transfer: its inventory document and its log of the month.
pub struct SiteDocs<'a> {
    pub site: &'a SiteId,
    pub inventory: &'a mut automerge::AutoCommit,
    pub log: &'a mut automerge::AutoCommit,
}

/// What a person asks to send.
#[derive(Clone, Debug)]
pub struct TransferRequest {
    pub item: ItemId,
    pub quantity: i64,
    /// The lot to send first, for a lot-tracked item; otherwise first-expiring-first.
    pub lot: Option<super::LotId>,
    pub at: NaiveDateTime,
    pub who: Who,
}

/// Moves stock from one site to another. The receiving site's item is the one with the
/// same SKU, else the same name; if it has none, the item is added there with the sending
/// site's details and nothing on hand. Lots travel with their numbers and expiry dates.
/// Returns the receiving site's item.
pub fn transfer(
    from: SiteDocs<'_>,
    to: SiteDocs<'_>,
    request: &TransferRequest,
) -> Result<ItemId, DocumentError> {
    if from.site == to.site {
        return Err(Stock::SameSite.into());
    }
    let item = read_item(from.inventory, &request.item)?;
    let today = request.at.date();
    if let Some(lot) = &request.lot {
        match item.lots.iter().find(|l| &l.id == lot) {
            Some(l) if l.expiry < today => {
                return Err(Stock::LotExpired {
                    number: l.number.clone(),
                    expiry: l.expiry,
                }
                .into())
            }
            Some(_) => {}
            None => return Err(Stock::ForeignLot.into()),
        }
    }
    let mut out = NewMovement::new(
        &item.id,
        MovementKind::TransferOut,
        request.quantity,
        request.at,
        &request.who,
    );
    out.other_site = Some(to.site.clone());
    out.reason = format!("To {}", to.site.as_str());
    out.lot = match &request.lot {
        Some(lot) => LotChoice::Lot(lot.clone()),
        None if item.lot_tracked => LotChoice::FirstExpiring,
        None => LotChoice::None,
    };
    post(from.inventory, from.log, &out)?;
    // What left which lot, read back from the sending site as it now stands.
    let after = read_item(from.inventory, &item.id)?;
    let destination = match matching_item(&Inventory::read(to.inventory)?, &item) {
        Some(id) => id,
        None => {
            let mut codes = Codes::read(to.inventory)?;
            let copy = ItemForm::from_item(&item).validate().map_err(|errors| {
                DocumentError::from(Stock::CannotCopy {
                    item: item.name.clone(),
                    problems: errors.into_iter().map(|(_, e)| e).collect(),
                })
            })?;
            insert_item(to.inventory, &copy, &mut codes)?
        }
    };
    let sent_lots: Vec<(String, chrono::NaiveDate, i64)> = item
        .lots
        .iter()
        .filter_map(|before| {
            let now = after.lots.iter().find(|l| l.id == before.id)?;
            let sent = before.on_hand - now.on_hand;
            (sent > 0).then(|| (before.number.clone(), before.expiry, sent))
        })
        .collect();
    let mut arrivals: Vec<(LotChoice, i64)> = sent_lots
        .into_iter()
        .map(|(number, expiry, sent)| (LotChoice::New { number, expiry }, sent))
        .collect();
    let in_lots: i64 = arrivals.iter().map(|(_, n)| n).sum();
    if in_lots < request.quantity {
        arrivals.push((LotChoice::None, request.quantity - in_lots));
    }
    for (lot, quantity) in arrivals {
        let mut arrival = NewMovement::new(
            &destination,
            MovementKind::TransferIn,
            quantity,
            request.at,
            &request.who,
        );
        arrival.other_site = Some(from.site.clone());
        arrival.reason = format!("From {}", from.site.as_str());
        arrival.lot = lot;
        post(to.inventory, to.log, &arrival)?;
    }
    Ok(destination)
}

/// The receiving site's item for `item`: the same SKU, else the same name.
fn matching_item(inventory: &Inventory, item: &Item) -> Option<ItemId> {
    let by_sku = (!item.sku.is_empty())
        .then(|| {
            inventory
                .active()
                .find(|i| i.sku.eq_ignore_ascii_case(&item.sku))
        })
        .flatten();
    by_sku
        .or_else(|| {
            inventory
                .active()
                .find(|i| i.name.eq_ignore_ascii_case(&item.name))
        })
        .map(|i| i.id.clone())
}
