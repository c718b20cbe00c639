//! Stock movements: every change of what is on hand, as an increment of the counters and a
//! record in the month's append-only log, written in one change across both documents.

use crate::refusal::Stock;
use std::collections::BTreeMap;

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjType, ReadDoc};
use autosurgeon::{reconcile_prop, Counter, Hydrate, Reconcile};
use chrono::{NaiveDate, NaiveDateTime};

use super::form::MAX_QUANTITY;
use super::{format_day, item_obj, lots, read_item, write_error, Item, ItemId, LotId, LotRecord};
use crate::access::stamp::{self, Signed};
use crate::appointment::{format_local_datetime, parse_local_datetime};
use crate::document::maps;
use crate::schedule::Who;
use crate::{random_id, tidy, Document, DocumentError, SiteId};

random_id!(
    /// One stock movement.
    MovementId
);

/// What moved stock.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MovementKind {
    Receive,
    Use,
    /// A correction, of either sign: a count's difference, a found box.
    Adjust,
    TransferIn,
    TransferOut,
    /// Thrown away: damaged, dropped, opened and spoiled.
    Waste,
    /// Thrown away because it expired.
    Expired,
}

impl MovementKind {
    pub const ALL: [MovementKind; 7] = [
        Self::Receive,
        Self::Use,
        Self::Adjust,
        Self::TransferIn,
        Self::TransferOut,
        Self::Waste,
        Self::Expired,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Receive => "receive",
            Self::Use => "use",
            Self::Adjust => "adjust",
            Self::TransferIn => "transfer_in",
            Self::TransferOut => "transfer_out",
            Self::Waste => "waste",
            Self::Expired => "expired",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Receive => "Received",
            Self::Use => "Used",
            Self::Adjust => "Adjusted",
            Self::TransferIn => "Transfer in",
            Self::TransferOut => "Transfer out",
            Self::Waste => "Wasted",
            Self::Expired => "Expired, thrown away",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The sign a quantity of this kind takes on the counter; `None` for adjustments, whose
    /// quantity carries its own sign.
    pub fn sign(self) -> Option<i64> {
        match self {
            Self::Receive | Self::TransferIn => Some(1),
            Self::Use | Self::TransferOut | Self::Waste | Self::Expired => Some(-1),
            Self::Adjust => None,
        }
    }
}

/// One movement as read from a month's log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Movement {
    pub id: MovementId,
    pub item: ItemId,
    /// The item's name when the movement was made, so the log reads even after a rename.
    pub item_name: String,
    pub kind: MovementKind,
    /// Signed: what the counter moved by.
    pub quantity: i64,
    /// The lots it touched, with their numbers and signed quantities.
    pub lots: Vec<(LotId, String, i64)>,
    pub at: NaiveDateTime,
    pub device: String,
    pub staff: Option<String>,
    pub reason: String,
    pub order: Option<String>,
    pub count: Option<String>,
    /// The other site of a transfer.
    pub other_site: Option<String>,
    /// What it was worth at the cost recorded at receipt, in cents: a receipt's cost, or
    /// the cost of what was thrown away (negative for a taking back of either). `None` for
    /// other kinds and for movements logged before values were kept.
    pub value_cents: Option<i64>,
    /// The movement this one takes back ([`super::undo::reverse`]).
    pub reverses: Option<MovementId>,
}

impl Movement {
    /// "Ana Ruiz at desk-2" or "desk-2", as the movement's record says (the history shows
    /// who the change that posted it names, when it names someone).
    pub fn who(&self) -> String {
        match &self.staff {
            Some(name) => format!("{name} at {}", self.device),
            None => self.device.clone(),
        }
    }
}

#[derive(Clone, Reconcile, Hydrate)]
pub(crate) struct LotPart {
    pub(crate) number: String,
    pub(crate) quantity: i64,
}

/// The stored shape of a movement. Written once, never changed.
#[derive(Clone, Reconcile, Hydrate)]
pub(crate) struct MovementRecord {
    pub(crate) item: String,
    pub(crate) item_name: String,
    pub(crate) kind: String,
    pub(crate) quantity: i64,
    pub(crate) lots: BTreeMap<String, LotPart>,
    pub(crate) at: String,
    pub(crate) device: String,
    pub(crate) staff: Option<String>,
    pub(crate) reason: String,
    pub(crate) order: Option<String>,
    pub(crate) count: Option<String>,
    pub(crate) other_site: Option<String>,
    #[autosurgeon(missing = "Default::default")]
    pub(crate) value_cents: Option<i64>,
    #[autosurgeon(missing = "Default::default")]
    pub(crate) reverses: Option<String>,
}

/// Where a movement takes its lots from, or which lot a receipt makes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LotChoice {
    /// No lot: the item is not lot-tracked, or an adjustment of the total.
    None,
    /// First-expiring-first across the item's lots, starting with the soonest.
    FirstExpiring,
    /// This lot first; what it lacks comes from the others, first-expiring-first.
    Lot(LotId),
    /// A receipt: a new lot with this number and expiry.
    New { number: String, expiry: NaiveDate },
}

/// A movement a person asks for.
#[derive(Clone, Debug)]
pub struct NewMovement {
    pub item: ItemId,
    pub kind: MovementKind,
    /// As typed: more than 0, except for adjustments, which are signed and not 0.
    pub quantity: i64,
    pub lot: LotChoice,
    pub reason: String,
    pub at: NaiveDateTime,
    pub who: Who,
    pub order: Option<String>,
    pub count: Option<String>,
    pub other_site: Option<SiteId>,
    /// What one unit cost, for a receipt: the order line's price. `None` takes the item's
    /// unit cost.
    pub unit_cost_cents: Option<i64>,
}

impl NewMovement {
    /// A movement of `item` now, with nothing else said.
    pub fn new(
        item: &ItemId,
        kind: MovementKind,
        quantity: i64,
        at: NaiveDateTime,
        who: &Who,
    ) -> Self {
        Self {
            item: item.clone(),
            kind,
            quantity,
            lot: LotChoice::None,
            reason: String::new(),
            at,
            who: who.clone(),
            order: None,
            count: None,
            other_site: None,
            unit_cost_cents: None,
        }
    }
}

/// The longest reason a movement may carry, in characters.
pub const MAX_REASON_CHARS: usize = 200;

/// Posts a movement: increments the item's counter (and its lots') in the site's inventory
/// document and appends the record to the log of the month of `at`, in one change across
/// both (the caller runs it through a change of both documents). Refuses, with a sentence,
/// a quantity that is 0 or of the wrong sign, a lot-tracked receipt without a lot, and an
/// expiry before the day of receipt. Never refuses to go below zero: a desk that used the
/// last box offline must be able to say so; the discrepancy shows.
pub fn post(
    inventory: &mut AutoCommit,
    log: &mut AutoCommit,
    new: &NewMovement,
) -> Result<MovementId, DocumentError> {
    let item = read_item(inventory, &new.item)?;
    let delta = signed_quantity(new)?;
    let reason = tidy(&new.reason);
    if reason.chars().count() > MAX_REASON_CHARS {
        return Err(Stock::ReasonTooLong.into());
    }
    let parts = lot_parts(&item, new, delta)?;
    let obj = item_obj(inventory, &item.id)?;
    inventory
        .increment(&obj, "on_hand", delta)
        .map_err(write_error)?;
    let lots_map = match inventory.get(&obj, "lots").map_err(write_error)? {
        Some((automerge::Value::Object(ObjType::Map), lots)) => lots,
        _ => inventory
            .put_object(&obj, "lots", ObjType::Map)
            .map_err(write_error)?,
    };
    let mut stored = BTreeMap::new();
    for part in &parts {
        match &part.made {
            Some(record) => {
                reconcile_prop(inventory, &lots_map, part.lot.as_str(), record)
                    .map_err(write_error)?;
            }
            None => {
                let lot = match inventory.get(&lots_map, part.lot.as_str()) {
                    Ok(Some((automerge::Value::Object(ObjType::Map), lot))) => lot,
                    _ => return Err(Stock::ForeignLot.into()),
                };
                inventory
                    .increment(&lot, "on_hand", part.quantity)
                    .map_err(write_error)?;
            }
        }
        stored.insert(
            part.lot.to_string(),
            LotPart {
                number: part.number.clone(),
                quantity: part.quantity,
            },
        );
    }
    let id = MovementId::random();
    let record = MovementRecord {
        item: item.id.to_string(),
        item_name: item.name.clone(),
        kind: new.kind.code().into(),
        quantity: delta,
        lots: stored,
        at: format_local_datetime(new.at),
        device: new.who.device.clone(),
        staff: new.who.staff.clone(),
        reason,
        order: new.order.clone(),
        count: new.count.clone(),
        other_site: new.other_site.as_ref().map(|s| s.as_str().to_string()),
        value_cents: value(&item, new, &parts),
        reverses: None,
    };
    append(log, &id, &record)?;
    Ok(id)
}

/// What a receipt cost, or what was thrown away was worth, at the cost recorded when it was
/// received: each lot it took from at that lot's cost, the item's unit cost for the rest.
fn value(item: &Item, new: &NewMovement, parts: &[Part]) -> Option<i64> {
    let unit = new.unit_cost_cents.unwrap_or(item.unit_cost_cents);
    match new.kind {
        MovementKind::Receive => Some(new.quantity.abs() * unit),
        MovementKind::Waste | MovementKind::Expired => {
            let in_lots: i64 = parts.iter().map(|p| p.quantity.abs()).sum();
            let lots: i64 = parts
                .iter()
                .map(|p| {
                    let cost = item
                        .lots
                        .iter()
                        .find(|l| l.id == p.lot)
                        .and_then(|l| l.unit_cost_cents)
                        .unwrap_or(item.unit_cost_cents);
                    p.quantity.abs() * cost
                })
                .sum();
            Some(lots + (new.quantity.abs() - in_lots).max(0) * item.unit_cost_cents)
        }
        _ => None,
    }
}

/// Writes a new movement's record into a month's log.
pub(super) fn append(
    log: &mut AutoCommit,
    id: &MovementId,
    record: &MovementRecord,
) -> Result<(), DocumentError> {
    let movements = Document::root_map(log, maps::MOVEMENTS)?;
    reconcile_prop(log, &movements, id.as_str(), record).map_err(write_error)
}

/// The expired lot `new` would take stock from, if any, worked out as [`post`] would
/// without writing: a desk is asked before a use that would. `None` too for a movement
/// [`post`] would refuse, which then says why itself.
pub fn expired_lot_taken<'a>(item: &'a Item, new: &NewMovement) -> Option<&'a super::Lot> {
    let delta = signed_quantity(new).ok()?;
    let parts = lot_parts(item, new, delta).ok()?;
    let today = new.at.date();
    item.lots
        .iter()
        .find(|l| l.expiry < today && parts.iter().any(|p| p.lot == l.id))
}

/// One movement of a month's log, by its id.
pub fn read_one(doc: &AutoCommit, id: &MovementId) -> Result<Movement, DocumentError> {
    let movements = Document::root_map(doc, maps::MOVEMENTS)?;
    autosurgeon::hydrate_prop::<_, Option<MovementRecord>, _, _>(doc, &movements, id.as_str())
        .ok()
        .flatten()
        .and_then(|r| into_movement(r, id.as_str()))
        .ok_or_else(|| crate::refusal::Thing::Movement.gone())
}

/// The quantity as it moves the counter, or why it cannot.
fn signed_quantity(new: &NewMovement) -> Result<i64, DocumentError> {
    if new.quantity.abs() > MAX_QUANTITY {
        return Err(Stock::OverMax(new.quantity).into());
    }
    match new.kind.sign() {
        Some(_) if new.quantity <= 0 => Err(Stock::NotPositive.into()),
        Some(sign) => Ok(sign * new.quantity),
        None if new.quantity == 0 => Err(Stock::ZeroAdjustment.into()),
        None => Ok(new.quantity),
    }
}

/// One lot's share of a movement; `made` when the movement creates the lot.
struct Part {
    lot: LotId,
    number: String,
    quantity: i64,
    made: Option<LotRecord>,
}

fn lot_parts(item: &Item, new: &NewMovement, delta: i64) -> Result<Vec<Part>, DocumentError> {
    // Stock of a lot-tracked item leaves from its lots even when none was named.
    let taken_from_lots = item.lot_tracked && delta < 0 && new.kind != MovementKind::Adjust;
    let choice = match &new.lot {
        LotChoice::None if taken_from_lots && !item.lots.is_empty() => &LotChoice::FirstExpiring,
        choice => choice,
    };
    match choice {
        LotChoice::New { number, expiry } => {
            let number = tidy(number);
            if number.is_empty() {
                return Err(Stock::NoLotNumber.into());
            }
            if *expiry < new.at.date() {
                return Err(Stock::ExpiryBeforeReceipt {
                    expiry: *expiry,
                    received: new.at.date(),
                }
                .into());
            }
            if delta <= 0 {
                return Err(Stock::NewLotOnlyOnReceipt.into());
            }
            Ok(vec![Part {
                lot: LotId::random(),
                number: number.clone(),
                quantity: delta,
                made: Some(LotRecord {
                    number,
                    expiry: format_day(*expiry),
                    received: format_day(new.at.date()),
                    on_hand: Counter::with_value(delta),
                    unit_cost_cents: Some(new.unit_cost_cents.unwrap_or(item.unit_cost_cents)),
                }),
            }])
        }
        LotChoice::None if item.lot_tracked && new.kind == MovementKind::Receive => {
            Err(Stock::LotNeeded {
                item: item.name.clone(),
            }
            .into())
        }
        LotChoice::None => Ok(Vec::new()),
        // Stock coming back, or a correction of one lot (a count's): all on that lot.
        LotChoice::FirstExpiring | LotChoice::Lot(_)
            if delta > 0 || new.kind == MovementKind::Adjust =>
        {
            let LotChoice::Lot(id) = choice else {
                return Err(Stock::WhichLot.into());
            };
            let lot = item
                .lots
                .iter()
                .find(|l| &l.id == id)
                .ok_or(Stock::ForeignLot)?;
            Ok(vec![Part {
                lot: lot.id.clone(),
                number: lot.number.clone(),
                quantity: delta,
                made: None,
            }])
        }
        LotChoice::FirstExpiring | LotChoice::Lot(_) => {
            let first = match choice {
                LotChoice::Lot(id) => Some(id),
                _ => None,
            };
            if first.is_some_and(|id| !item.lots.iter().any(|l| &l.id == id)) {
                return Err(Stock::ForeignLot.into());
            }
            // Expired lots are thrown away, not used: a use takes from them only when named,
            // and throwing away expired stock takes only from them unless another is named.
            let today = new.at.date();
            let fits = |l: &super::Lot| (l.expiry < today) == (new.kind == MovementKind::Expired);
            let usable: Vec<_> = item
                .lots
                .iter()
                .filter(|l| fits(l) || Some(&l.id) == first)
                .cloned()
                .collect();
            let from = if usable.is_empty() {
                &item.lots
            } else {
                &usable
            };
            Ok(lots::take(from, first, -delta)
                .into_iter()
                .map(|(lot, quantity)| Part {
                    number: item
                        .lots
                        .iter()
                        .find(|l| l.id == lot)
                        .map(|l| l.number.clone())
                        .unwrap_or_default(),
                    lot,
                    quantity: -quantity,
                    made: None,
                })
                .collect())
        }
    }
}

/// Reads a month's log, newest first. A record that does not read is counted.
pub fn read_log(doc: &AutoCommit) -> Result<(Vec<Movement>, usize), DocumentError> {
    let movements = Document::root_map(doc, maps::MOVEMENTS)?;
    let mut all = Vec::new();
    let mut unreadable = 0;
    for key in doc.keys(&movements) {
        match autosurgeon::hydrate_prop::<_, MovementRecord, _, _>(doc, &movements, key.as_str())
            .ok()
            .and_then(|r| into_movement(r, &key))
        {
            Some(m) => all.push(m),
            None => unreadable += 1,
        }
    }
    all.sort_by(|a, b| (b.at, &b.id).cmp(&(a.at, &a.id)));
    Ok((all, unreadable))
}

/// Who made each of the movements `ids` of a month's log, read from the changes that
/// made them (see [`crate::access::stamp::makers`]); `None` for one not in the log.
pub fn makers(doc: &automerge::Automerge, ids: &[MovementId]) -> Vec<Option<Signed>> {
    let Ok(movements) = Document::root_map(doc, maps::MOVEMENTS) else {
        return vec![None; ids.len()];
    };
    let objects: Vec<Option<automerge::ObjId>> = ids
        .iter()
        .map(|id| match doc.get(&movements, id.as_str()) {
            Ok(Some((automerge::Value::Object(_), obj))) => Some(obj),
            _ => None,
        })
        .collect();
    let found: Vec<automerge::ObjId> = objects.iter().flatten().cloned().collect();
    let mut made = stamp::makers(doc, &found).into_iter();
    objects
        .iter()
        .map(|o| o.as_ref().and_then(|_| made.next().flatten()))
        .collect()
}

fn into_movement(r: MovementRecord, id: &str) -> Option<Movement> {
    Some(Movement {
        id: MovementId::from(id),
        item: ItemId::from(r.item),
        item_name: r.item_name,
        kind: MovementKind::parse(&r.kind)?,
        quantity: r.quantity,
        lots: r
            .lots
            .into_iter()
            .map(|(id, p)| (LotId::from(id), p.number, p.quantity))
            .collect(),
        at: parse_local_datetime(&r.at)?,
        device: r.device,
        staff: r.staff,
        reason: r.reason,
        order: r.order,
        count: r.count,
        other_site: r.other_site,
        value_cents: r.value_cents,
        reverses: r.reverses.map(MovementId::from),
    })
}
