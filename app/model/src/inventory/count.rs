//! Cycle counts: a person counts one storage location, item by item (lot by lot for
//! lot-tracked items). Each count line keeps what the counter said at the moment it was
//! counted; posting turns each difference (counted − expected then) into an adjustment
//! movement. The counter is never overwritten, so whatever was used while the count went
//! on (on this desk or another) still counts.

use crate::refusal::{Stock, Thing};
use std::collections::BTreeMap;

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjId, ObjType, ReadDoc};
use autosurgeon::{reconcile_prop, Hydrate, Reconcile};
use chrono::NaiveDateTime;

use super::movement::{post, LotChoice, NewMovement};
use super::{read_item, write_error, ItemId, LotId, MovementKind};
use crate::appointment::{format_local_datetime, parse_local_datetime};
use crate::document::maps;
use crate::schedule::Who;
use crate::{random_id, tidy, Document, DocumentError};

random_id!(
    /// A cycle count.
    CountId
);

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CountState {
    Open,
    Posted,
    Cancelled,
}

impl CountState {
    fn code(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Posted => "posted",
            Self::Cancelled => "cancelled",
        }
    }

    fn parse(code: &str) -> Option<Self> {
        [Self::Open, Self::Posted, Self::Cancelled]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// What was counted of one item (or one lot of it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CountLine {
    pub item: ItemId,
    pub lot: Option<LotId>,
    pub counted: i64,
    /// What the counter said when this line was counted.
    pub expected: i64,
    pub at: NaiveDateTime,
}

impl CountLine {
    /// What posting adjusts by.
    pub fn difference(&self) -> i64 {
        self.counted - self.expected
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Count {
    pub id: CountId,
    pub location: String,
    pub state: CountState,
    pub started: NaiveDateTime,
    pub by: String,
    pub posted: Option<NaiveDateTime>,
    pub lines: Vec<CountLine>,
}

impl Count {
    pub fn line(&self, item: &ItemId, lot: Option<&LotId>) -> Option<&CountLine> {
        self.lines
            .iter()
            .find(|l| &l.item == item && l.lot.as_ref() == lot)
    }
}

#[derive(Clone, Reconcile, Hydrate)]
pub(crate) struct CountLineRecord {
    pub(crate) item: String,
    pub(crate) lot: Option<String>,
    pub(crate) counted: i64,
    pub(crate) expected: i64,
    pub(crate) at: String,
}

#[derive(Clone, Reconcile, Hydrate)]
pub(crate) struct CountRecord {
    pub(crate) location: String,
    pub(crate) state: String,
    pub(crate) started: String,
    pub(crate) by: String,
    pub(crate) posted: Option<String>,
    pub(crate) lines: BTreeMap<String, CountLineRecord>,
}

impl CountRecord {
    fn into_count(self, id: &str) -> Option<Count> {
        let mut lines = Vec::new();
        for (_, l) in self.lines {
            lines.push(CountLine {
                item: ItemId::from(l.item),
                lot: l.lot.map(LotId::from),
                counted: l.counted,
                expected: l.expected,
                at: parse_local_datetime(&l.at)?,
            });
        }
        Some(Count {
            id: CountId::from(id),
            location: self.location,
            state: CountState::parse(&self.state)?,
            started: parse_local_datetime(&self.started)?,
            by: self.by,
            posted: match self.posted {
                Some(at) => Some(parse_local_datetime(&at)?),
                None => None,
            },
            lines,
        })
    }
}

pub(crate) fn read_all(doc: &AutoCommit) -> Result<(Vec<Count>, usize), DocumentError> {
    let counts = Document::root_map(doc, maps::COUNTS)?;
    let mut all = Vec::new();
    let mut unreadable = 0;
    for key in doc.keys(&counts) {
        match autosurgeon::hydrate_prop::<_, CountRecord, _, _>(doc, &counts, key.as_str())
            .ok()
            .and_then(|r| r.into_count(&key))
        {
            Some(count) => all.push(count),
            None => unreadable += 1,
        }
    }
    all.sort_by(|a, b| (b.started, &b.id).cmp(&(a.started, &a.id)));
    Ok((all, unreadable))
}

fn read_count(doc: &AutoCommit, id: &CountId) -> Result<(ObjId, Count), DocumentError> {
    let counts = Document::root_map(doc, maps::COUNTS)?;
    let obj = match doc.get(&counts, id.as_str()) {
        Ok(Some((automerge::Value::Object(ObjType::Map), obj))) => obj,
        _ => return Err(Thing::Count.gone()),
    };
    let count = autosurgeon::hydrate_prop::<_, CountRecord, _, _>(doc, &counts, id.as_str())
        .ok()
        .and_then(|r| r.into_count(id.as_str()))
        .ok_or_else(|| Thing::Count.unreadable())?;
    Ok((obj, count))
}

/// Starts counting a storage location.
pub fn start(
    doc: &mut AutoCommit,
    location: &str,
    at: NaiveDateTime,
    who: &Who,
) -> Result<CountId, DocumentError> {
    let location = tidy(location);
    if location.is_empty() {
        return Err(Stock::NoLocation.into());
    }
    let id = CountId::random();
    let record = CountRecord {
        location,
        state: CountState::Open.code().into(),
        started: format_local_datetime(at),
        by: who.name().to_string(),
        posted: None,
        lines: BTreeMap::new(),
    };
    let counts = Document::root_map(doc, maps::COUNTS)?;
    reconcile_prop(doc, &counts, id.as_str(), &record).map_err(write_error)?;
    Ok(id)
}

/// The key of a count line: the item, and the lot when counted by lot.
fn line_key(item: &ItemId, lot: Option<&LotId>) -> String {
    match lot {
        Some(lot) => format!("{item}/{lot}"),
        None => item.to_string(),
    }
}

/// Records what was counted of `item` (or of one of its lots), with what the counter says
/// right now as the expected quantity. Counting it again replaces the line.
pub fn record(
    doc: &mut AutoCommit,
    count: &CountId,
    item: &ItemId,
    lot: Option<&LotId>,
    counted: i64,
    at: NaiveDateTime,
) -> Result<(), DocumentError> {
    let (obj, current) = read_count(doc, count)?;
    if current.state != CountState::Open {
        return Err(Stock::CountClosed.into());
    }
    if counted < 0 {
        return Err(Stock::CountBelowZero.into());
    }
    if counted > super::form::MAX_QUANTITY {
        return Err(Stock::CountTooLarge.into());
    }
    let found = read_item(doc, item)?;
    let expected = match lot {
        Some(lot) => found
            .lots
            .iter()
            .find(|l| &l.id == lot)
            .map(|l| l.on_hand)
            .ok_or_else(|| Thing::Lot.gone())?,
        None => found.on_hand,
    };
    let record = CountLineRecord {
        item: item.to_string(),
        lot: lot.map(ToString::to_string),
        counted,
        expected,
        at: format_local_datetime(at),
    };
    let lines = match doc.get(&obj, "lines") {
        Ok(Some((automerge::Value::Object(ObjType::Map), lines))) => lines,
        _ => return Err(Thing::CountLines.gone()),
    };
    reconcile_prop(doc, &lines, line_key(item, lot).as_str(), &record).map_err(write_error)
}

/// Posts a count: every line whose count differs from what was expected when it was
/// counted becomes an adjustment movement of the difference, in the inventory and the
/// month's log, all in one change. Returns how many adjustments were posted.
pub fn post_count(
    inventory: &mut AutoCommit,
    log: &mut AutoCommit,
    count: &CountId,
    at: NaiveDateTime,
    who: &Who,
) -> Result<usize, DocumentError> {
    let (obj, current) = read_count(inventory, count)?;
    if current.state != CountState::Open {
        return Err(Stock::CountFinished.into());
    }
    if current.lines.is_empty() {
        return Err(Stock::NothingCounted.into());
    }
    let mut posted = 0;
    for line in current.lines.iter().filter(|l| l.difference() != 0) {
        let mut movement =
            NewMovement::new(&line.item, MovementKind::Adjust, line.difference(), at, who);
        movement.count = Some(count.to_string());
        movement.reason = format!("Count of {}", current.location);
        movement.lot = match &line.lot {
            Some(lot) => LotChoice::Lot(lot.clone()),
            None => LotChoice::None,
        };
        post(inventory, log, &movement)?;
        posted += 1;
    }
    inventory
        .put(&obj, "state", CountState::Posted.code())
        .map_err(write_error)?;
    inventory
        .put(&obj, "posted", format_local_datetime(at))
        .map_err(write_error)?;
    Ok(posted)
}

/// Abandons a count; nothing is adjusted.
pub fn cancel(doc: &mut AutoCommit, count: &CountId) -> Result<(), DocumentError> {
    let (obj, current) = read_count(doc, count)?;
    if current.state != CountState::Open {
        return Err(Stock::CountFinished.into());
    }
    doc.put(&obj, "state", CountState::Cancelled.code())
        .map_err(write_error)
}
