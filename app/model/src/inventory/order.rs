//! Purchase orders, one per supplier: draft → sent → partly received → received (or
//! cancelled). Receiving against an order posts a receipt movement with its lot, in the
//! same change as the order's receipt record.
//!
//! Lines and receipts are maps keyed by random ids: two desks receiving parts of one order
//! offline both count. An order's state after "sent" follows from what was received.

use crate::refusal::{Stock, Thing};
use std::collections::BTreeMap;

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjId, ObjType, ReadDoc};
use autosurgeon::{reconcile_prop, Hydrate, Reconcile};
use chrono::{NaiveDate, NaiveDateTime};

use super::movement::{post, LotChoice, NewMovement};
use super::reorder::Suggestion;
use super::{format_day, parse_day, read_item, write_error, ItemId, MovementKind};
use crate::appointment::{format_local_datetime, parse_local_datetime};
use crate::document::maps;
use crate::schedule::Who;
use crate::{random_id, tidy, Document, DocumentError};

random_id!(
    /// A purchase order.
    OrderId
);
random_id!(
    /// A line of a purchase order.
    LineId
);
random_id!(
    /// One delivery against a line.
    ReceiptId
);

/// Where an order stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OrderState {
    Draft,
    Sent,
    PartlyReceived,
    Received,
    Cancelled,
}

impl OrderState {
    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "Draft",
            Self::Sent => "Sent",
            Self::PartlyReceived => "Partly received",
            Self::Received => "Received",
            Self::Cancelled => "Cancelled",
        }
    }

    /// Whether what it orders still counts as on order.
    pub fn is_open(self) -> bool {
        matches!(self, Self::Draft | Self::Sent | Self::PartlyReceived)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderLine {
    pub id: LineId,
    pub item: ItemId,
    pub item_name: String,
    pub quantity: i64,
    pub unit_cost_cents: i64,
    /// The sum of this line's receipts.
    pub received: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Receipt {
    pub id: ReceiptId,
    pub line: LineId,
    pub quantity: i64,
    pub lot: Option<String>,
    pub expiry: Option<NaiveDate>,
    pub at: NaiveDateTime,
    pub by: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Order {
    pub id: OrderId,
    pub supplier: String,
    /// The register's vendor the order goes to, if known.
    pub vendor: Option<crate::vendor::VendorId>,
    pub state: OrderState,
    pub created: NaiveDateTime,
    pub created_by: String,
    pub sent: Option<NaiveDateTime>,
    pub note: String,
    /// By item name.
    pub lines: Vec<OrderLine>,
    /// Oldest first.
    pub receipts: Vec<Receipt>,
}

impl Order {
    /// The order's total at its lines' unit costs.
    pub fn total_cents(&self) -> i64 {
        self.lines
            .iter()
            .map(|l| l.quantity * l.unit_cost_cents)
            .sum()
    }
}

#[derive(Clone, Reconcile, Hydrate)]
pub(crate) struct LineRecord {
    pub(crate) item: String,
    pub(crate) item_name: String,
    pub(crate) quantity: i64,
    pub(crate) unit_cost_cents: i64,
    #[autosurgeon(missing = "Default::default")]
    pub(crate) removed: bool,
}

#[derive(Clone, Reconcile, Hydrate)]
pub(crate) struct ReceiptRecord {
    pub(crate) line: String,
    pub(crate) quantity: i64,
    pub(crate) lot: Option<String>,
    pub(crate) expiry: Option<String>,
    pub(crate) at: String,
    pub(crate) by: String,
}

/// The stored shape of an order. `stage` is what people set: draft, sent or cancelled.
#[derive(Clone, Reconcile, Hydrate)]
pub(crate) struct OrderRecord {
    pub(crate) supplier: String,
    pub(crate) stage: String,
    pub(crate) created: String,
    pub(crate) created_by: String,
    pub(crate) sent: Option<String>,
    pub(crate) note: String,
    pub(crate) lines: BTreeMap<String, LineRecord>,
    pub(crate) receipts: BTreeMap<String, ReceiptRecord>,
    #[autosurgeon(missing = "Default::default")]
    pub(crate) vendor: Option<String>,
}

impl OrderRecord {
    fn into_order(self, id: &str) -> Option<Order> {
        let mut receipts = Vec::new();
        for (rid, r) in self.receipts {
            receipts.push(Receipt {
                id: ReceiptId::from(rid),
                line: LineId::from(r.line),
                quantity: r.quantity,
                lot: r.lot,
                expiry: match r.expiry {
                    Some(day) => Some(parse_day(&day)?),
                    None => None,
                },
                at: parse_local_datetime(&r.at)?,
                by: r.by,
            });
        }
        receipts.sort_by(|a, b| (a.at, &a.id).cmp(&(b.at, &b.id)));
        let mut lines: Vec<OrderLine> = self
            .lines
            .into_iter()
            .filter(|(_, l)| !l.removed)
            .map(|(lid, l)| {
                let id = LineId::from(lid);
                let received = receipts
                    .iter()
                    .filter(|r| r.line == id)
                    .map(|r| r.quantity)
                    .sum();
                OrderLine {
                    id,
                    item: ItemId::from(l.item),
                    item_name: l.item_name,
                    quantity: l.quantity,
                    unit_cost_cents: l.unit_cost_cents,
                    received,
                }
            })
            .collect();
        lines.sort_by(|a, b| {
            (a.item_name.to_lowercase(), &a.id).cmp(&(b.item_name.to_lowercase(), &b.id))
        });
        let any = receipts.iter().any(|r| r.quantity > 0);
        let all = !lines.is_empty() && lines.iter().all(|l| l.received >= l.quantity);
        let state = match self.stage.as_str() {
            "draft" => OrderState::Draft,
            "cancelled" => OrderState::Cancelled,
            "sent" if all => OrderState::Received,
            "sent" if any => OrderState::PartlyReceived,
            "sent" => OrderState::Sent,
            _ => return None,
        };
        Some(Order {
            id: OrderId::from(id),
            supplier: self.supplier,
            vendor: self.vendor.map(crate::vendor::VendorId::from),
            state,
            created: parse_local_datetime(&self.created)?,
            created_by: self.created_by,
            sent: match self.sent {
                Some(at) => Some(parse_local_datetime(&at)?),
                None => None,
            },
            note: self.note,
            lines,
            receipts,
        })
    }
}

pub(crate) fn read_all(doc: &AutoCommit) -> Result<(Vec<Order>, usize), DocumentError> {
    let orders = Document::root_map(doc, maps::ORDERS)?;
    let mut all = Vec::new();
    let mut unreadable = 0;
    for key in doc.keys(&orders) {
        match autosurgeon::hydrate_prop::<_, OrderRecord, _, _>(doc, &orders, key.as_str())
            .ok()
            .and_then(|r| r.into_order(&key))
        {
            Some(order) => all.push(order),
            None => unreadable += 1,
        }
    }
    all.sort_by(|a, b| (b.created, &b.id).cmp(&(a.created, &a.id)));
    Ok((all, unreadable))
}

fn order_obj(doc: &AutoCommit, id: &OrderId) -> Result<ObjId, DocumentError> {
    let orders = Document::root_map(doc, maps::ORDERS)?;
    match doc.get(&orders, id.as_str()) {
        Ok(Some((automerge::Value::Object(ObjType::Map), obj))) => Ok(obj),
        _ => Err(Thing::Order.gone()),
    }
}

fn read_order(doc: &AutoCommit, id: &OrderId) -> Result<Order, DocumentError> {
    let orders = Document::root_map(doc, maps::ORDERS)?;
    autosurgeon::hydrate_prop::<_, Option<OrderRecord>, _, _>(doc, &orders, id.as_str())
        .ok()
        .flatten()
        .and_then(|r| r.into_order(id.as_str()))
        .ok_or_else(|| Thing::Order.unreadable())
}

fn child_map(doc: &AutoCommit, obj: &ObjId, key: &str) -> Result<ObjId, DocumentError> {
    match doc.get(obj, key) {
        Ok(Some((automerge::Value::Object(ObjType::Map), map))) => Ok(map),
        _ => Err(Thing::OrderPart(key.to_string()).gone()),
    }
}

/// Puts the suggested quantities on draft orders, one per supplier: an open draft for the
/// supplier takes the lines (an item already on it has its quantity raised), otherwise a
/// new draft is made. Returns the drafts written.
pub fn draft_from_suggestions(
    doc: &mut AutoCommit,
    suggestions: &[Suggestion],
    at: NaiveDateTime,
    who: &Who,
) -> Result<Vec<OrderId>, DocumentError> {
    if suggestions.is_empty() {
        return Err(Stock::NothingToOrder.into());
    }
    let (orders, _) = read_all(doc)?;
    // One order per vendor of the register, else per supplier as typed.
    let mut by_supplier: BTreeMap<(Option<String>, String), Vec<&Suggestion>> = BTreeMap::new();
    for s in suggestions {
        let key = match &s.vendor {
            Some(vendor) => (Some(vendor.to_string()), String::new()),
            None => (None, s.supplier.to_lowercase()),
        };
        by_supplier.entry(key).or_default().push(s);
    }
    let mut written = Vec::new();
    for ((vendor, _), wanted) in by_supplier {
        let supplier = wanted[0].supplier.clone();
        let draft = orders.iter().find(|o| {
            o.state == OrderState::Draft
                && match &vendor {
                    Some(v) => o.vendor.as_ref().is_some_and(|ov| ov.as_str() == v),
                    None => o.vendor.is_none() && o.supplier.eq_ignore_ascii_case(&supplier),
                }
        });
        let id = match draft {
            Some(o) => o.id.clone(),
            None => {
                let id = new_order(doc, &supplier, at, who)?;
                if let Some(v) = &vendor {
                    set_vendor(doc, &id, Some(&crate::vendor::VendorId::from(v.as_str())))?;
                }
                id
            }
        };
        for s in wanted {
            let existing = draft.and_then(|o| o.lines.iter().find(|l| l.item == s.item));
            match existing {
                Some(line) if line.quantity < s.quantity => {
                    set_line_quantity(doc, &id, &line.id, s.quantity)?
                }
                Some(_) => {}
                None => {
                    add_line(doc, &id, &s.item, s.quantity)?;
                }
            }
        }
        written.push(id);
    }
    Ok(written)
}

/// Names the register's vendor an order goes to (or none).
pub fn set_vendor(
    doc: &mut AutoCommit,
    order: &OrderId,
    vendor: Option<&crate::vendor::VendorId>,
) -> Result<(), DocumentError> {
    let obj = order_obj(doc, order)?;
    match vendor {
        Some(v) => doc.put(&obj, "vendor", v.as_str()),
        None => doc.put(&obj, "vendor", automerge::ScalarValue::Null),
    }
    .map_err(write_error)
}

/// A new, empty draft for `supplier`.
pub fn new_order(
    doc: &mut AutoCommit,
    supplier: &str,
    at: NaiveDateTime,
    who: &Who,
) -> Result<OrderId, DocumentError> {
    let supplier = tidy(supplier);
    let supplier = if supplier.is_empty() {
        "No supplier set".to_string()
    } else {
        supplier
    };
    let id = OrderId::random();
    let record = OrderRecord {
        supplier,
        stage: "draft".into(),
        created: format_local_datetime(at),
        created_by: who.name().to_string(),
        sent: None,
        note: String::new(),
        lines: BTreeMap::new(),
        receipts: BTreeMap::new(),
        vendor: None,
    };
    let orders = Document::root_map(doc, maps::ORDERS)?;
    reconcile_prop(doc, &orders, id.as_str(), &record).map_err(write_error)?;
    Ok(id)
}

/// Adds `item` to a draft.
pub fn add_line(
    doc: &mut AutoCommit,
    order: &OrderId,
    item: &ItemId,
    quantity: i64,
) -> Result<LineId, DocumentError> {
    let current = read_order(doc, order)?;
    if current.state != OrderState::Draft {
        return Err(Stock::OrderSent.into());
    }
    check_quantity(quantity)?;
    let item = read_item(doc, item)?;
    let id = LineId::random();
    let record = LineRecord {
        item: item.id.to_string(),
        item_name: item.name.clone(),
        quantity,
        unit_cost_cents: item.unit_cost_cents,
        removed: false,
    };
    let obj = order_obj(doc, order)?;
    let lines = child_map(doc, &obj, "lines")?;
    reconcile_prop(doc, &lines, id.as_str(), &record).map_err(write_error)?;
    Ok(id)
}

/// Changes how many a draft's line orders.
pub fn set_line_quantity(
    doc: &mut AutoCommit,
    order: &OrderId,
    line: &LineId,
    quantity: i64,
) -> Result<(), DocumentError> {
    check_quantity(quantity)?;
    let line = draft_line(doc, order, line)?;
    doc.put(&line, "quantity", quantity).map_err(write_error)
}

/// Takes a line off a draft.
pub fn remove_line(
    doc: &mut AutoCommit,
    order: &OrderId,
    line: &LineId,
) -> Result<(), DocumentError> {
    let line = draft_line(doc, order, line)?;
    doc.put(&line, "removed", true).map_err(write_error)
}

fn draft_line(doc: &AutoCommit, order: &OrderId, line: &LineId) -> Result<ObjId, DocumentError> {
    if read_order(doc, order)?.state != OrderState::Draft {
        return Err(Stock::OrderSent.into());
    }
    let obj = order_obj(doc, order)?;
    let lines = child_map(doc, &obj, "lines")?;
    match doc.get(&lines, line.as_str()) {
        Ok(Some((automerge::Value::Object(ObjType::Map), obj))) => Ok(obj),
        _ => Err(Thing::OrderLine.gone()),
    }
}

fn check_quantity(quantity: i64) -> Result<(), DocumentError> {
    if quantity <= 0 {
        return Err(Stock::NotPositive.into());
    }
    if quantity > super::form::MAX_QUANTITY {
        return Err(Stock::QuantityTooLarge.into());
    }
    Ok(())
}

/// Marks a draft as sent to the supplier.
pub fn send(doc: &mut AutoCommit, order: &OrderId, at: NaiveDateTime) -> Result<(), DocumentError> {
    let current = read_order(doc, order)?;
    if current.state != OrderState::Draft {
        return Err(Stock::AlreadySent.into());
    }
    if current.lines.is_empty() {
        return Err(Stock::EmptyOrder.into());
    }
    let obj = order_obj(doc, order)?;
    doc.put(&obj, "stage", "sent").map_err(write_error)?;
    doc.put(&obj, "sent", format_local_datetime(at))
        .map_err(write_error)
}

/// Cancels an order nothing was received against.
pub fn cancel(doc: &mut AutoCommit, order: &OrderId) -> Result<(), DocumentError> {
    let current = read_order(doc, order)?;
    if !current.receipts.is_empty() {
        return Err(Stock::OrderReceived.into());
    }
    let obj = order_obj(doc, order)?;
    doc.put(&obj, "stage", "cancelled").map_err(write_error)
}

/// What arrived for one line of an order.
#[derive(Clone, Debug)]
pub struct Delivery {
    pub line: LineId,
    pub quantity: i64,
    /// The lot number and expiry, for a lot-tracked item (or when the box shows them).
    pub lot: Option<(String, NaiveDate)>,
}

/// Receives a delivery against a sent order: posts a receipt movement (and its lot) in the
/// inventory and the month's log, and records the receipt on the order, all in one change.
pub fn receive(
    inventory: &mut AutoCommit,
    log: &mut AutoCommit,
    order: &OrderId,
    delivery: &Delivery,
    at: NaiveDateTime,
    who: &Who,
) -> Result<(), DocumentError> {
    let current = read_order(inventory, order)?;
    if !matches!(
        current.state,
        OrderState::Sent | OrderState::PartlyReceived | OrderState::Received
    ) {
        return Err(Stock::OrderNotSent.into());
    }
    let line = current
        .lines
        .iter()
        .find(|l| l.id == delivery.line)
        .ok_or_else(|| Thing::OrderLine.gone())?;
    let mut movement = NewMovement::new(
        &line.item,
        MovementKind::Receive,
        delivery.quantity,
        at,
        who,
    );
    movement.order = Some(order.to_string());
    movement.unit_cost_cents = Some(line.unit_cost_cents);
    movement.reason = format!("Order from {}", current.supplier);
    if let Some((number, expiry)) = &delivery.lot {
        movement.lot = LotChoice::New {
            number: number.clone(),
            expiry: *expiry,
        };
    }
    post(inventory, log, &movement)?;
    let record = ReceiptRecord {
        line: delivery.line.to_string(),
        quantity: delivery.quantity,
        lot: delivery.lot.as_ref().map(|(n, _)| tidy(n)),
        expiry: delivery.lot.as_ref().map(|(_, e)| format_day(*e)),
        at: format_local_datetime(at),
        by: who.name().to_string(),
    };
    let obj = order_obj(inventory, order)?;
    let receipts = child_map(inventory, &obj, "receipts")?;
    reconcile_prop(inventory, &receipts, ReceiptId::random().as_str(), &record).map_err(write_error)
}
