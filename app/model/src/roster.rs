//! The roster: one document per site and month (`roster/{site}/{yyyy-mm}`) holding that
//! month's shifts, by the day they start, and the swap requests between them.
//!
//! A shift is a person (or nobody yet: an open shift that staff may claim), a position,
//! a start, an end and an unpaid break. Its fields are written one at a time and only when
//! changed, so two managers editing different fields of one shift offline both keep their
//! change; two managers changing the *same* field leave both values in the document, and
//! the shift reads as disputed, naming every value, until someone picks one ([`settle`]).
//! Nothing one of them typed vanishes without a trace.
//!
//! Rules that a merge can break (overlaps across sites, a shift in approved time off, too
//! many hours, too little rest, a missing credential) are checked on the merged state in
//! [`rules`]; what each site needs staffed against what is filled, in [`coverage`].

pub mod coverage;
pub mod exchange;
pub mod form;
pub mod rules;
pub mod setup;
pub mod swap;

use crate::refusal::{Roster as Refusal, Thing};
use automerge::transaction::Transactable;
use automerge::{AutoCommit, ReadDoc};
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};

use crate::document::maps;
use crate::fields::{
    all_values, int, new_record, put_changed, record, scalar_int, scalar_text, text, write_error,
};
use crate::{random_id, DocKind, Document, DocumentError, SiteId, StaffId};

pub use form::{ShiftForm, ValidShift};
pub use setup::{Position, PositionId, RosterRules, ShiftTemplate, TemplateId};
pub use swap::{Swap, SwapId};

random_id!(
    /// One shift.
    ShiftId
);

/// How a shift's times are stored: local wall-clock time of the site.
const STAMP: &str = "%Y-%m-%dT%H:%M";

/// A field of a shift that people edit.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub enum ShiftField {
    Staff,
    Position,
    Start,
    End,
    Break,
    Note,
    /// Removed on one device while changed or claimed on another.
    Removed,
}

impl ShiftField {
    pub const ALL: [Self; 7] = [
        Self::Staff,
        Self::Position,
        Self::Start,
        Self::End,
        Self::Break,
        Self::Note,
        Self::Removed,
    ];

    fn key(self) -> &'static str {
        match self {
            Self::Staff => "staff",
            Self::Position => "position",
            Self::Start => "start",
            Self::End => "end",
            Self::Break => "break_minutes",
            Self::Note => "note",
            Self::Removed => "removed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Staff => "person",
            Self::Position => "position",
            Self::Start => "start",
            Self::End => "end",
            Self::Break => "break",
            Self::Note => "note",
            Self::Removed => "removal",
        }
    }
}

/// A field two people set differently at once: every value, the one shown first. Values
/// are as stored: a staff or position id ("" for nobody), `YYYY-MM-DDTHH:MM`, minutes;
/// `true` (removed) or `false` (kept) for the removal.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Dispute {
    pub field: ShiftField,
    pub values: Vec<String>,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Shift {
    pub id: ShiftId,
    pub site: SiteId,
    /// `None`: an open shift, for anyone allowed at the site to claim.
    pub staff: Option<StaffId>,
    pub position: Option<PositionId>,
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
    /// Unpaid minutes.
    pub break_minutes: u32,
    pub note: String,
    pub disputes: Vec<Dispute>,
}

impl Shift {
    /// Paid minutes: the length less the break.
    pub fn minutes(&self) -> i64 {
        (self.end - self.start).num_minutes() - i64::from(self.break_minutes)
    }

    pub fn day(&self) -> NaiveDate {
        self.start.date()
    }

    pub fn is_open(&self) -> bool {
        self.staff.is_none()
    }

    /// Whether the shift is under way at `now`.
    pub fn on_at(&self, now: NaiveDateTime) -> bool {
        self.start <= now && now < self.end
    }

    /// "07:30–15:30".
    pub fn times(&self) -> String {
        let next_day = if self.end.date() > self.start.date() {
            " (+1)"
        } else {
            ""
        };
        format!(
            "{}–{}{next_day}",
            self.start.format("%H:%M"),
            self.end.format("%H:%M")
        )
    }

    /// The shift as fields to write: what an edit starts from.
    pub fn valid(&self) -> ValidShift {
        ValidShift {
            staff: self.staff.clone(),
            position: self.position.clone(),
            start: self.start,
            end: self.end,
            break_minutes: self.break_minutes,
            note: self.note.clone(),
        }
    }
}

/// One site's month of shifts and swap requests, as the interface reads it.
#[derive(Clone, Default, PartialEq, Eq, Debug)]
pub struct Roster {
    /// By start, then id.
    pub shifts: Vec<Shift>,
    pub swaps: Vec<Swap>,
    /// Records that could not be read; reported, not hidden.
    pub unreadable: usize,
}

impl Roster {
    pub fn read(doc: &AutoCommit, site: &SiteId) -> Result<Self, DocumentError> {
        let map = Document::root_map(doc, maps::SHIFTS)?;
        let mut roster = Self::default();
        for id in doc.keys(&map) {
            if is_removed(doc, &map, &id) {
                continue;
            }
            match read_shift(doc, &map, &id, site) {
                Some(shift) => roster.shifts.push(shift),
                None => roster.unreadable += 1,
            }
        }
        roster
            .shifts
            .sort_by(|a, b| (a.start, &a.id).cmp(&(b.start, &b.id)));
        let (swaps, unreadable) = swap::read_all(doc)?;
        roster.swaps = swaps;
        roster.unreadable += unreadable;
        Ok(roster)
    }

    pub fn shift(&self, id: &ShiftId) -> Option<&Shift> {
        self.shifts.iter().find(|s| &s.id == id)
    }

    pub fn on_day(&self, day: NaiveDate) -> impl Iterator<Item = &Shift> {
        self.shifts.iter().filter(move |s| s.day() == day)
    }
}

/// What the `removed` field says: `removed`, or `kept:` and a token that differs with
/// every change, so that a removal and a change made at once on two devices always meet as
/// two values (Automerge writes nothing for a value a field already holds).
const REMOVED: &str = "removed";

/// Every device's say on whether the shift stands, as `true` (removed) or `false`, without
/// repeats; a record without the field stands.
fn removals(doc: &AutoCommit, obj: &automerge::ObjId) -> Vec<bool> {
    let mut says = Vec::new();
    for value in all_values(doc, obj, ShiftField::Removed.key()) {
        let removed = scalar_text(&value).is_some_and(|t| t == REMOVED);
        if !says.contains(&removed) {
            says.push(removed);
        }
    }
    says
}

/// Whether the shift was removed, with no device's change standing against the removal.
fn is_removed(doc: &AutoCommit, map: &automerge::ObjId, id: &str) -> bool {
    record(doc, map, id).is_some_and(|obj| removals(doc, &obj) == [true])
}

fn read_shift(doc: &AutoCommit, map: &automerge::ObjId, id: &str, site: &SiteId) -> Option<Shift> {
    let obj = record(doc, map, id)?;
    let stamp = |key| NaiveDateTime::parse_from_str(&text(doc, &obj, key)?, STAMP).ok();
    let optional = |key| text(doc, &obj, key).filter(|t| !t.is_empty());
    let mut disputes = Vec::new();
    for field in ShiftField::ALL {
        let values: Vec<String> = if field == ShiftField::Removed {
            removals(doc, &obj).iter().map(bool::to_string).collect()
        } else {
            all_values(doc, &obj, field.key())
                .iter()
                .map(|v| {
                    scalar_text(v)
                        .or_else(|| scalar_int(v).map(|i| i.to_string()))
                        .unwrap_or_default()
                })
                .collect()
        };
        if values.len() > 1 {
            disputes.push(Dispute { field, values });
        }
    }
    let start = stamp("start")?;
    let end = stamp("end")?;
    Some(Shift {
        id: ShiftId::from(id),
        site: site.clone(),
        staff: optional("staff").map(StaffId::from),
        position: optional("position").map(PositionId::from),
        start,
        // Two managers may have moved the start and the end apart so that they cross; the
        // shift still shows, as disputed or as it stands, never lost.
        end: end.max(start),
        break_minutes: u32::try_from(int(doc, &obj, "break_minutes").unwrap_or(0)).ok()?,
        note: text(doc, &obj, "note").unwrap_or_default(),
        disputes,
    })
}

/// The roster document a shift starting at `start` at `site` belongs in.
pub fn roster_kind(site: &SiteId, start: NaiveDateTime) -> DocKind {
    DocKind::Roster {
        site: site.clone(),
        year: start.year(),
        month: start.month(),
    }
}

fn shifts_map(doc: &AutoCommit) -> Result<automerge::ObjId, DocumentError> {
    Document::root_map(doc, maps::SHIFTS)
}

fn write_fields(
    doc: &mut AutoCommit,
    obj: &automerge::ObjId,
    shift: &ValidShift,
) -> Result<(), DocumentError> {
    let staff = shift.staff.as_ref().map_or("", StaffId::as_str);
    let position = shift.position.as_ref().map_or("", PositionId::as_str);
    put_changed(doc, obj, "staff", staff)?;
    put_changed(doc, obj, "position", position)?;
    put_changed(
        doc,
        obj,
        "start",
        shift.start.format(STAMP).to_string().as_str(),
    )?;
    put_changed(
        doc,
        obj,
        "end",
        shift.end.format(STAMP).to_string().as_str(),
    )?;
    put_changed(doc, obj, "break_minutes", i64::from(shift.break_minutes))?;
    put_changed(doc, obj, "note", shift.note.as_str())?;
    stands(doc, obj)
}

/// Adds a shift to the roster document of its site and month.
pub fn add_shift(doc: &mut AutoCommit, shift: &ValidShift) -> Result<ShiftId, DocumentError> {
    let id = ShiftId::random();
    put_shift(doc, &id, shift)?;
    Ok(id)
}

/// Writes a shift under `id`, new or not (a move between months keeps its id).
pub fn put_shift(
    doc: &mut AutoCommit,
    id: &ShiftId,
    shift: &ValidShift,
) -> Result<(), DocumentError> {
    let map = shifts_map(doc)?;
    let obj = match record(doc, &map, id.as_str()) {
        Some(obj) => obj,
        None => new_record(doc, &map, id.as_str())?,
    };
    write_fields(doc, &obj, shift)
}

/// The record of a shift that stands; a removed one is not found.
fn shift_obj(doc: &AutoCommit, id: &ShiftId) -> Result<automerge::ObjId, DocumentError> {
    let map = shifts_map(doc)?;
    record(doc, &map, id.as_str())
        .filter(|_| !is_removed(doc, &map, id.as_str()))
        .ok_or_else(|| Thing::Shift.gone())
}

/// Says, with every change to a shift, that it stands: a removal made on another device at
/// the same time then meets this value, and the shift reads as disputed rather than the
/// change vanishing with it.
fn stands(doc: &mut AutoCommit, obj: &automerge::ObjId) -> Result<(), DocumentError> {
    let kept = format!("kept:{}", uuid::Uuid::new_v4().simple());
    doc.put(obj, ShiftField::Removed.key(), kept)
        .map_err(write_error)
}

/// Changes a shift from what was opened (`before`) to `after`: only the fields the person
/// changed are written, so another manager's change to other fields stands.
pub fn change_shift(
    doc: &mut AutoCommit,
    id: &ShiftId,
    before: &ValidShift,
    after: &ValidShift,
) -> Result<(), DocumentError> {
    let obj = shift_obj(doc, id)?;
    stands(doc, &obj)?;
    if before.staff != after.staff {
        let staff = after.staff.as_ref().map_or("", StaffId::as_str);
        doc.put(&obj, "staff", staff).map_err(write_error)?;
    }
    if before.position != after.position {
        let position = after.position.as_ref().map_or("", PositionId::as_str);
        doc.put(&obj, "position", position).map_err(write_error)?;
    }
    if before.start != after.start {
        let start = after.start.format(STAMP).to_string();
        doc.put(&obj, "start", start.as_str())
            .map_err(write_error)?;
    }
    if before.end != after.end {
        let end = after.end.format(STAMP).to_string();
        doc.put(&obj, "end", end.as_str()).map_err(write_error)?;
    }
    if before.break_minutes != after.break_minutes {
        doc.put(&obj, "break_minutes", i64::from(after.break_minutes))
            .map_err(write_error)?;
    }
    if before.note != after.note {
        doc.put(&obj, "note", after.note.as_str())
            .map_err(write_error)?;
    }
    Ok(())
}

/// Removes a shift. The record stays, marked removed, so that a change another device
/// makes to it meanwhile is not lost with it: the two then show as a dispute to settle.
pub fn remove_shift(doc: &mut AutoCommit, id: &ShiftId) -> Result<(), DocumentError> {
    let obj = shift_obj(doc, id)?;
    doc.put(&obj, ShiftField::Removed.key(), REMOVED)
        .map_err(write_error)
}

/// Someone claims an open shift. Refused when it is no longer open; two people claiming it
/// at once offline leave a dispute for the manager.
pub fn claim(doc: &mut AutoCommit, id: &ShiftId, staff: &StaffId) -> Result<(), DocumentError> {
    let obj = shift_obj(doc, id)?;
    if text(doc, &obj, "staff").is_some_and(|s| !s.is_empty()) {
        return Err(Refusal::Claimed.into());
    }
    stands(doc, &obj)?;
    doc.put(&obj, "staff", staff.as_str()).map_err(write_error)
}

/// Settles a disputed field with the value a person picked (one of [`Dispute::values`]).
pub fn settle(
    doc: &mut AutoCommit,
    id: &ShiftId,
    field: ShiftField,
    value: &str,
) -> Result<(), DocumentError> {
    let obj = shift_obj(doc, id)?;
    match field {
        ShiftField::Break => {
            let minutes: i64 = value
                .parse()
                .map_err(|_| DocumentError::from(Refusal::BreakNotMinutes))?;
            doc.put(&obj, field.key(), minutes).map_err(write_error)
        }
        ShiftField::Removed => match value {
            "true" => doc.put(&obj, field.key(), REMOVED).map_err(write_error),
            "false" => stands(doc, &obj),
            _ => Err(Refusal::RemovedOrKept.into()),
        },
        _ => doc.put(&obj, field.key(), value).map_err(write_error),
    }
}

/// The Monday of `day`'s week: rosters go Monday to Sunday.
pub fn monday(day: NaiveDate) -> NaiveDate {
    day - Duration::days(i64::from(day.weekday().num_days_from_monday()))
}

/// The shifts of the week before `to_monday`, moved on by a week, as new shifts to add —
/// except those the week already has (same person, position and times), so that copying
/// twice adds nothing the second time. Open shifts are copied open.
pub fn copy_week(from: &[Shift], existing: &[Shift], to_monday: NaiveDate) -> Vec<ValidShift> {
    let week = Duration::days(7);
    let from_monday = to_monday - week;
    let same = |a: &ValidShift, b: &Shift| {
        a.staff == b.staff && a.position == b.position && a.start == b.start && a.end == b.end
    };
    from.iter()
        .filter(|s| s.day() >= from_monday && s.day() < to_monday)
        .map(|s| ValidShift {
            start: s.start + week,
            end: s.end + week,
            ..s.valid()
        })
        .filter(|new| !existing.iter().any(|old| same(new, old)))
        .collect()
}

#[cfg(test)]
mod tests;
