//! A site's equipment register: each piece with its serial number, where it stands, the
//! vendor who services it, how often it is serviced and when it last was. A service that
//! falls due within [`LEAD_DAYS`] becomes a maintenance card on the site's task board, one
//! card per piece and due day on every device ([`service_cards`]); recording the service
//! moves the next due day on, and with it the next card, so the cards recur.
//!
//! The register is the `equipment` map of the site's `inventory/{site}` document (genesis
//! step 2), each piece written field by field.

pub mod interval;

use automerge::AutoCommit;
use chrono::{Days, NaiveDate};

use crate::board::link::{LinkPurpose, LinkRequest, TaskLink};
use crate::board::{Board, CardId, ColumnId, Due};
use crate::directory::MAX_NAME_CHARS;
use crate::document::maps;
use crate::fields::FormEdit;
use crate::fields::{new_record, put_changed, record, text};
use crate::staff::credential::parse_date;
use crate::vendor::VendorId;
use crate::{random_id, tidy, Directory, Document, DocumentError};

pub use interval::{Interval, Unit};

random_id!(
    /// A piece of equipment of a site.
    EquipmentId
);

/// A service due within this many days gets its card.
pub const LEAD_DAYS: u64 = 14;

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Equipment {
    pub id: EquipmentId,
    pub name: String,
    pub serial: String,
    /// Where it stands: "Treatment room".
    pub location: String,
    /// Who services it.
    pub vendor: Option<VendorId>,
    pub interval: Interval,
    pub last_service: NaiveDate,
    pub archived: bool,
}

crate::fields::form_edit!(Equipment {
    id,
    name,
    serial,
    location,
    vendor,
    interval,
    last_service,
    archived
});

impl Equipment {
    /// When the next service falls due.
    pub fn next_due(&self) -> Option<NaiveDate> {
        self.interval.after(self.last_service)
    }

    /// Whether its service is due on `today` or overdue.
    pub fn is_due(&self, today: NaiveDate) -> bool {
        self.next_due().is_some_and(|due| due <= today)
    }
}

/// A piece of equipment as a manager typed it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EquipmentForm {
    pub name: String,
    pub serial: String,
    pub location: String,
    /// A vendor's id, or empty for none.
    pub vendor: String,
    pub every: String,
    /// A [`Unit`] code.
    pub unit: String,
    pub last_service: String,
}

impl EquipmentForm {
    pub fn from_equipment(e: &Equipment) -> Self {
        Self {
            name: e.name.clone(),
            serial: e.serial.clone(),
            location: e.location.clone(),
            vendor: e.vendor.as_ref().map(|v| v.to_string()).unwrap_or_default(),
            every: e.interval.every.to_string(),
            unit: e.interval.unit.code().into(),
            last_service: e.last_service.to_string(),
        }
    }

    /// The piece `id` this form describes on `today`, or each field's problem as (field,
    /// sentence): a service interval of zero, a last service still to come, a vendor not in
    /// the register.
    pub fn validate(
        &self,
        id: EquipmentId,
        today: NaiveDate,
        directory: &Directory,
    ) -> Result<Equipment, Vec<(&'static str, String)>> {
        let mut errors = Vec::new();
        let name = tidy(&self.name);
        if name.is_empty() {
            errors.push(("name", "Enter what the equipment is.".to_string()));
        } else if name.chars().count() > MAX_NAME_CHARS {
            errors.push(("name", format!("Use at most {MAX_NAME_CHARS} characters.")));
        }
        let mut short = |field: &'static str, value: &str| {
            let value = tidy(value);
            if value.chars().count() > MAX_NAME_CHARS {
                errors.push((field, format!("Use at most {MAX_NAME_CHARS} characters.")));
            }
            value
        };
        let serial = short("serial", &self.serial);
        let location = short("location", &self.location);
        let vendor = match self.vendor.trim() {
            "" => None,
            id => {
                let id = VendorId::from(id);
                if directory.vendor(&id).is_none() {
                    errors.push(("vendor", "Choose a vendor from the register.".to_string()));
                }
                Some(id)
            }
        };
        let unit = Unit::parse(self.unit.trim());
        if unit.is_none() {
            errors.push(("unit", "Choose days, weeks or months.".to_string()));
        }
        let every = match self.every.trim().parse::<i64>() {
            Ok(0) => {
                errors.push((
                    "every",
                    "A service interval of zero would make it due all the time: enter 1 or more."
                        .to_string(),
                ));
                None
            }
            Ok(n) if n < 0 => {
                errors.push(("every", "The interval cannot be below zero.".to_string()));
                None
            }
            Ok(n) => match unit {
                Some(unit) if n > i64::from(unit.most()) => {
                    errors.push((
                        "every",
                        format!("Enter at most {} {}: ten years.", unit.most(), unit.label()),
                    ));
                    None
                }
                _ => Some(n as u32),
            },
            Err(_) => {
                errors.push((
                    "every",
                    format!("\"{}\" is not a number.", self.every.trim()),
                ));
                None
            }
        };
        let last_service = match parse_date(&self.last_service, "day of the last service") {
            Ok(day) if day > today => {
                errors.push((
                    "last_service",
                    format!("{} has not come yet.", day.format("%-d %b %Y")),
                ));
                None
            }
            Ok(day) => Some(day),
            Err(e) => {
                errors.push(("last_service", e));
                None
            }
        };
        match (unit, every, last_service) {
            (Some(unit), Some(every), Some(last_service)) if errors.is_empty() => Ok(Equipment {
                id,
                name,
                serial,
                location,
                vendor,
                interval: Interval { every, unit },
                last_service,
                archived: false,
            }),
            _ => Err(errors),
        }
    }
}

/// Writes a piece of equipment (new, or as changed), each field only when it differs.
pub fn put_equipment(doc: &mut AutoCommit, e: &Equipment) -> Result<(), DocumentError> {
    let map = Document::root_map(doc, maps::EQUIPMENT)?;
    let obj = match record(doc, &map, e.id.as_str()) {
        Some(obj) => obj,
        None => new_record(doc, &map, e.id.as_str())?,
    };
    let vendor = e.vendor.as_ref().map(|v| v.to_string()).unwrap_or_default();
    put_changed(doc, &obj, "name", e.name.as_str())?;
    put_changed(doc, &obj, "serial", e.serial.as_str())?;
    put_changed(doc, &obj, "location", e.location.as_str())?;
    put_changed(doc, &obj, "vendor", vendor.as_str())?;
    put_changed(doc, &obj, "interval", e.interval.to_stored().as_str())?;
    put_changed(
        doc,
        &obj,
        "last_service",
        e.last_service.to_string().as_str(),
    )?;
    put_changed(doc, &obj, "archived", e.archived)
}

/// Saves a piece from a form: a new one as typed; a changed one with only what the form
/// changed from `before` (the piece as the form showed it) laid onto the piece as it stands
/// now, so a service recorded or a change made meanwhile elsewhere is kept.
pub fn save_equipment(
    doc: &mut AutoCommit,
    typed: Equipment,
    before: Option<&Equipment>,
) -> Result<(), DocumentError> {
    let piece = match before {
        None => typed,
        Some(before) => {
            let map = Document::root_map(doc, maps::EQUIPMENT)?;
            let current = read_one(doc, &map, before.id.as_str()).unwrap_or_else(|| before.clone());
            typed.onto(before, current)
        }
    };
    put_equipment(doc, &piece)
}

/// Records a service done on `day` (not after `today`). An earlier day than the one
/// recorded changes nothing: the last service is the latest.
pub fn record_service(
    doc: &mut AutoCommit,
    id: &EquipmentId,
    day: NaiveDate,
    today: NaiveDate,
) -> Result<(), DocumentError> {
    if day > today {
        return Err(DocumentError::Refused(crate::Refusal::Field(format!(
            "{} has not come yet.",
            day.format("%-d %b %Y")
        ))));
    }
    let map = Document::root_map(doc, maps::EQUIPMENT)?;
    let obj = record(doc, &map, id.as_str()).ok_or_else(|| crate::Thing::Equipment.gone())?;
    if last_service(doc, &obj).is_some_and(|c| c >= day) {
        return Ok(());
    }
    put_changed(doc, &obj, "last_service", day.to_string().as_str())
}

/// Takes back a service recorded on `recorded` by a slip: the last service is `previous`
/// again. A service recorded later meanwhile, on this device or another, stays, and the
/// undo is refused with a sentence.
pub fn undo_service(
    doc: &mut AutoCommit,
    id: &EquipmentId,
    previous: NaiveDate,
    recorded: NaiveDate,
) -> Result<(), DocumentError> {
    let map = Document::root_map(doc, maps::EQUIPMENT)?;
    let obj = record(doc, &map, id.as_str()).ok_or_else(|| crate::Thing::Equipment.gone())?;
    if last_service(doc, &obj) != Some(recorded) {
        return Err(DocumentError::Refused(crate::Refusal::Field(
            "A later service was recorded meanwhile; it stays.".into(),
        )));
    }
    // Another device's earlier service, merged meanwhile, is kept if it is later than the
    // one this undo goes back to.
    let back = service_days(doc, &obj)
        .filter(|day| *day != recorded)
        .chain([previous])
        .max()
        .unwrap_or(previous);
    put_changed(doc, &obj, "last_service", back.to_string().as_str())
}

/// Retires a piece (`retired`), or puts it back in service. A retired piece leaves the
/// register's list and asks for no more service cards; [`close_service_cards`] closes its
/// open ones.
pub fn set_retired(
    doc: &mut AutoCommit,
    id: &EquipmentId,
    retired: bool,
) -> Result<(), DocumentError> {
    let map = Document::root_map(doc, maps::EQUIPMENT)?;
    let obj = record(doc, &map, id.as_str()).ok_or_else(|| crate::Thing::Equipment.gone())?;
    put_changed(doc, &obj, "archived", retired)
}

/// The latest last service any device recorded: two devices recording services on
/// different days offline keep the later, whichever value Automerge lets win.
fn last_service(doc: &AutoCommit, obj: &automerge::ObjId) -> Option<NaiveDate> {
    service_days(doc, obj).max()
}

/// Every device's value of the last service that reads as a day.
fn service_days(doc: &AutoCommit, obj: &automerge::ObjId) -> impl Iterator<Item = NaiveDate> {
    crate::fields::all_values(doc, obj, "last_service")
        .into_iter()
        .filter_map(|v| match v {
            automerge::ScalarValue::Str(t) => NaiveDate::parse_from_str(&t, "%Y-%m-%d").ok(),
            _ => None,
        })
}

fn read_one(doc: &AutoCommit, map: &automerge::ObjId, id: &str) -> Option<Equipment> {
    let obj = record(doc, map, id)?;
    let get = |key| text(doc, &obj, key);
    let archived = crate::fields::flag(doc, &obj, "archived");
    Some(Equipment {
        id: EquipmentId::from(id),
        name: get("name")?,
        serial: get("serial").unwrap_or_default(),
        location: get("location").unwrap_or_default(),
        vendor: get("vendor").filter(|v| !v.is_empty()).map(VendorId::from),
        interval: Interval::parse_stored(&get("interval")?)?,
        last_service: last_service(doc, &obj)?,
        archived,
    })
}

/// The site's register, by name; and how many pieces did not read.
pub fn read_all(doc: &AutoCommit) -> Result<(Vec<Equipment>, usize), DocumentError> {
    let Ok(map) = Document::root_map(doc, maps::EQUIPMENT) else {
        return Ok((Vec::new(), 0));
    };
    let mut all = Vec::new();
    let mut unreadable = 0;
    for id in automerge::ReadDoc::keys(doc, &map) {
        match read_one(doc, &map, &id) {
            Some(e) => all.push(e),
            None => unreadable += 1,
        }
    }
    all.sort_by(|a, b| (a.name.to_lowercase(), &a.id).cmp(&(b.name.to_lowercase(), &b.id)));
    Ok((all, unreadable))
}

/// The maintenance card of `e`'s next service: one per piece and due day on every device.
pub fn service_card(
    e: &Equipment,
    inventory_doc: &str,
    directory: &Directory,
) -> Option<LinkRequest> {
    let due = e.next_due()?;
    let vendor = e
        .vendor
        .as_ref()
        .map(|v| format!(" · {}", directory.vendor_name(v)))
        .unwrap_or_default();
    let serial = if e.serial.is_empty() {
        String::new()
    } else {
        format!(" · serial {}", e.serial)
    };
    Some(LinkRequest {
        link: TaskLink {
            purpose: LinkPurpose::Service,
            doc: inventory_doc.into(),
            id: format!("{}-{due}", e.id),
            summary: format!("{} in {}, {}", e.name, e.location, e.interval.describe()),
        },
        title: format!("Service: {}", e.name),
        description: format!(
            "Last serviced {}{vendor}{serial}",
            e.last_service.format("%-d %b %Y")
        ),
        due: Some(Due {
            date: due,
            time: None,
        }),
    })
}

/// The cards of the services due within [`LEAD_DAYS`] of `today` not on `board` yet,
/// archived or not.
pub fn service_cards(
    board: &Board,
    equipment: &[Equipment],
    inventory_doc: &str,
    directory: &Directory,
    today: NaiveDate,
) -> Vec<LinkRequest> {
    let horizon = today + Days::new(LEAD_DAYS);
    equipment
        .iter()
        .filter(|e| !e.archived && e.next_due().is_some_and(|due| due <= horizon))
        .filter_map(|e| service_card(e, inventory_doc, directory))
        .filter(|request| board.card(&request.card_id()).is_none())
        .collect()
}

/// Moves the open service cards of `piece` that fell due before its next service to the
/// board's done column: recording a service closes what it answered, and retiring the
/// piece closes them all. Returns each card moved with the column it was in, for
/// [`reopen_service_cards`].
pub fn close_service_cards(
    doc: &mut AutoCommit,
    board: &Board,
    piece: &Equipment,
) -> Result<Vec<(CardId, ColumnId)>, DocumentError> {
    let Some(done) = board.columns.iter().find(|c| c.done) else {
        return Ok(Vec::new());
    };
    let next = piece.next_due();
    let prefix = format!("{}-", piece.id);
    let answered: Vec<_> = board
        .cards
        .iter()
        .filter(|c| !c.archived && !board.is_done(c))
        .filter(|c| {
            c.link
                .as_ref()
                .is_some_and(|l| l.purpose == LinkPurpose::Service && l.id.starts_with(&prefix))
        })
        .filter(|c| {
            piece.archived
                || match (c.due.map(|d| d.date), next) {
                    (Some(due), Some(next)) => due < next,
                    _ => true,
                }
        })
        .map(|c| (c.id.clone(), c.column.clone()))
        .collect();
    for (id, _) in &answered {
        crate::board::edit::move_card(
            doc,
            board,
            id,
            &done.id,
            &crate::board::edit::Place::Bottom,
        )?;
    }
    Ok(answered)
}

/// Puts the piece's service card for its next due day, closed when the piece was retired,
/// back in the board's first column: a piece back in service owes that service again, and
/// [`service_cards`] makes no second card for the same day. Returns the cards reopened.
pub fn reopen_due_card(
    doc: &mut AutoCommit,
    board: &Board,
    piece: &Equipment,
) -> Result<Vec<CardId>, DocumentError> {
    let (Some(due), Some(first)) = (piece.next_due(), board.columns.iter().find(|c| !c.done))
    else {
        return Ok(Vec::new());
    };
    let prefix = format!("{}-", piece.id);
    let closed: Vec<CardId> = board
        .cards
        .iter()
        .filter(|c| !c.archived && board.is_done(c) && c.due.map(|d| d.date) == Some(due))
        .filter(|c| {
            c.link
                .as_ref()
                .is_some_and(|l| l.purpose == LinkPurpose::Service && l.id.starts_with(&prefix))
        })
        .map(|c| c.id.clone())
        .collect();
    for id in &closed {
        crate::board::edit::move_card(
            doc,
            board,
            id,
            &first.id,
            &crate::board::edit::Place::Bottom,
        )?;
    }
    Ok(closed)
}

/// Puts the cards [`close_service_cards`] closed back in the columns they came from: the
/// undo of a service recorded by a slip. A card moved on since, or gone, stays as it is.
pub fn reopen_service_cards(
    doc: &mut AutoCommit,
    board: &Board,
    closed: &[(CardId, ColumnId)],
) -> Result<(), DocumentError> {
    for (id, column) in closed {
        let still_done = board.card(id).is_some_and(|c| board.is_done(c));
        if still_done && board.column(column).is_some() {
            crate::board::edit::move_card(
                doc,
                board,
                id,
                column,
                &crate::board::edit::Place::Bottom,
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
