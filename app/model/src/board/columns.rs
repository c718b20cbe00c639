//! A board's own layout: its columns (renamed, reordered, marked as finished work,
//! removed when empty) and its labels.

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjId, ObjType, ReadDoc, Value};
use autosurgeon::reconcile_prop;

use super::{position, write_error, Board, ColumnId, ColumnRecord, LabelId, LabelRecord};
use crate::directory::{validate_colour, validate_name};
use crate::document::maps;
use crate::refusal::{Tasks, Thing};
use crate::{Document, DocumentError};

/// Adds a column at the end of the board.
pub fn add_column(
    doc: &mut AutoCommit,
    board: &Board,
    name: &str,
) -> Result<ColumnId, DocumentError> {
    let name = validate_name(name, "column's name").map_err(field)?;
    let id = ColumnId::random();
    let last = board
        .columns
        .last()
        .map(|c| c.position.as_str())
        .filter(|p| position::is_valid(p));
    let record = ColumnRecord {
        name,
        position: position::between(last, None),
        done: false,
        removed: false,
    };
    let columns = Document::root_map(doc, maps::COLUMNS)?;
    reconcile_prop(doc, &columns, id.as_str(), &record).map_err(write_error)?;
    Ok(id)
}

fn column_obj(doc: &AutoCommit, id: &ColumnId) -> Result<ObjId, DocumentError> {
    let columns = Document::root_map(doc, maps::COLUMNS)?;
    match doc.get(&columns, id.as_str()).map_err(write_error)? {
        Some((Value::Object(ObjType::Map), obj)) => Ok(obj),
        _ => Err(Thing::Column.gone()),
    }
}

pub fn rename_column(doc: &mut AutoCommit, id: &ColumnId, name: &str) -> Result<(), DocumentError> {
    let name = validate_name(name, "column's name").map_err(field)?;
    let obj = column_obj(doc, id)?;
    doc.put(&obj, "name", name).map_err(write_error)
}

/// Marks a column as holding finished work, or not.
pub fn set_column_done(
    doc: &mut AutoCommit,
    id: &ColumnId,
    done: bool,
) -> Result<(), DocumentError> {
    let obj = column_obj(doc, id)?;
    doc.put(&obj, "done", done).map_err(write_error)
}

/// Moves a column one place left (`-1`) or right (`1`).
pub fn shift_column(
    doc: &mut AutoCommit,
    board: &Board,
    id: &ColumnId,
    by: i32,
) -> Result<(), DocumentError> {
    let keys: Vec<&str> = board
        .columns
        .iter()
        .filter(|c| &c.id != id)
        .map(|c| c.position.as_str())
        .collect();
    let Some(now) = board.columns.iter().position(|c| &c.id == id) else {
        return Err(Thing::Column.gone());
    };
    let at = (now as i64 + i64::from(by)).clamp(0, keys.len() as i64) as usize;
    let before = at.checked_sub(1).and_then(|i| keys.get(i).copied());
    let key = position::between(before, keys.get(at).copied());
    let obj = column_obj(doc, id)?;
    doc.put(&obj, "position", key).map_err(write_error)
}

/// Removes an empty column; one that holds cards is refused, so that no card is hidden.
pub fn remove_column(
    doc: &mut AutoCommit,
    board: &Board,
    id: &ColumnId,
) -> Result<(), DocumentError> {
    if board.columns.len() <= 1 {
        return Err(Tasks::LastColumn.into());
    }
    if !board.cards_in(id).is_empty() {
        return Err(Tasks::ColumnNotEmpty.into());
    }
    let obj = column_obj(doc, id)?;
    doc.put(&obj, "removed", true).map_err(write_error)
}

/// Adds a label to the board's list.
pub fn add_label(doc: &mut AutoCommit, name: &str, colour: &str) -> Result<LabelId, DocumentError> {
    let name = validate_name(name, "label's name").map_err(field)?;
    let colour = validate_colour(colour).map_err(field)?;
    let id = LabelId::random();
    let labels = Document::root_map(doc, maps::LABELS)?;
    let record = LabelRecord {
        name,
        colour,
        removed: false,
    };
    reconcile_prop(doc, &labels, id.as_str(), &record).map_err(write_error)?;
    Ok(id)
}

/// Takes a label off the board's list; cards that carry it keep it hidden, not lost.
pub fn remove_label(doc: &mut AutoCommit, id: &LabelId) -> Result<(), DocumentError> {
    let labels = Document::root_map(doc, maps::LABELS)?;
    match doc.get(&labels, id.as_str()).map_err(write_error)? {
        Some((Value::Object(ObjType::Map), obj)) => {
            doc.put(&obj, "removed", true).map_err(write_error)
        }
        _ => Err(Thing::Label.gone()),
    }
}

/// A field check's sentence as a refusal.
fn field(why: String) -> DocumentError {
    DocumentError::Refused(crate::Refusal::Field(why))
}
