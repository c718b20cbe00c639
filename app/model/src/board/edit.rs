//! The changes a person makes to a board: cards (with the form that checks them), their
//! place, checklists and comments, and the board's columns and labels.
//!
//! A change writes only what the person changed, so that another device's edit of another
//! field of the same card, made at the same time, stays. Titles and descriptions are edited
//! as from the version the person started typing on, so that words another device added
//! meanwhile are merged in, not overwritten.

use std::collections::BTreeMap;

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ChangeHash, ObjId, ObjType, ReadDoc, Value};
use autosurgeon::{reconcile_prop, Text};
use chrono::{NaiveDate, NaiveDateTime};

use super::{
    position, read_card, write_error, Board, Card, CardId, CardRecord, CheckId, CheckRecord,
    ColumnId, CommentId, CommentRecord, Due, LabelId,
};
use crate::appointment::format_local_datetime;
use crate::document::maps;
use crate::refusal::{Tasks, Thing};
use crate::schedule::Who;
use crate::{tidy, Document, DocumentError, StaffId, StaffMember};

/// The longest title a card may have, in characters.
pub const MAX_TITLE_CHARS: usize = 200;

/// What a person typed or chose for a card.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CardForm {
    pub title: String,
    pub description: String,
    pub column: String,
    pub assignees: Vec<String>,
    pub labels: Vec<String>,
    /// "YYYY-MM-DD" or empty.
    pub due_date: String,
    /// "HH:MM" or empty.
    pub due_time: String,
}

/// A card's fields once checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidCard {
    pub title: String,
    pub description: String,
    pub column: ColumnId,
    pub assignees: Vec<StaffId>,
    pub labels: Vec<LabelId>,
    pub due: Option<Due>,
}

impl CardForm {
    /// The form showing `card`.
    pub fn from_card(card: &Card) -> Self {
        Self {
            title: card.title.clone(),
            description: card.description.clone(),
            column: card.column.to_string(),
            assignees: card.assignees.iter().map(ToString::to_string).collect(),
            labels: card.labels.iter().map(ToString::to_string).collect(),
            due_date: card
                .due
                .map(|d| d.date.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            due_time: card
                .due
                .and_then(|d| d.time)
                .map(|t| t.format("%H:%M").to_string())
                .unwrap_or_default(),
        }
    }

    /// Checks the form; the message names what is wrong. A due date may not be in the past
    /// unless the card already had it (an overdue card can still be edited).
    pub fn validate(
        &self,
        board: &Board,
        staff: &[StaffMember],
        today: NaiveDate,
        previous_due: Option<Due>,
    ) -> Result<ValidCard, String> {
        let title = tidy(&self.title);
        if title.is_empty() {
            return Err("Enter a title for the card.".into());
        }
        if title.chars().count() > MAX_TITLE_CHARS {
            return Err(format!(
                "Keep the title under {MAX_TITLE_CHARS} characters."
            ));
        }
        let column = ColumnId::from(self.column.as_str());
        if board.column(&column).is_none() {
            return Err("Choose a column of this board.".into());
        }
        let mut assignees = Vec::new();
        for id in &self.assignees {
            let id = StaffId::from(id.as_str());
            if !staff.iter().any(|s| s.id == id) {
                return Err("Assign people from the staff list only.".into());
            }
            assignees.push(id);
        }
        let mut labels = Vec::new();
        for id in &self.labels {
            let id = LabelId::from(id.as_str());
            if board.label(&id).is_none() {
                return Err("Choose labels of this board only.".into());
            }
            labels.push(id);
        }
        let due = parse_due(&self.due_date, &self.due_time)?;
        if let Some(due) = due {
            if due.date < today && previous_due != Some(due) {
                return Err("The due date has passed: choose today or a later day.".into());
            }
        }
        Ok(ValidCard {
            title,
            description: self.description.trim().to_string(),
            column,
            assignees,
            labels,
            due,
        })
    }
}

/// Reads a due date and optional time as typed.
pub fn parse_due(date: &str, time: &str) -> Result<Option<Due>, String> {
    let (date, time) = (date.trim(), time.trim());
    if date.is_empty() {
        return match time {
            "" => Ok(None),
            _ => Err("Enter the due date for the time.".into()),
        };
    }
    let date = NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .map_err(|_| "Enter a real due date, like 2026-12-31.".to_string())?;
    let time = match time {
        "" => None,
        t => Some(
            crate::clock::parse_clock(t)
                .map_err(|_| "Enter the due time like 14:30.".to_string())?,
        ),
    };
    Ok(Some(Due { date, time }))
}

/// Where a card goes in its column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Place {
    Top,
    Bottom,
    Before(CardId),
    After(CardId),
}

/// A position key for a card going to `place` in `column`, the card itself left out of
/// its neighbours. `jitter` keeps two devices inserting at one place from equal keys.
pub fn key_for(
    board: &Board,
    card: Option<&CardId>,
    column: &ColumnId,
    place: &Place,
    jitter: u64,
) -> String {
    let others: Vec<&super::Card> = board
        .cards_in(column)
        .into_iter()
        .filter(|c| Some(&c.id) != card && position::is_valid(&c.position))
        .collect();
    let index = |id: &CardId| others.iter().position(|c| &c.id == id);
    let at = match place {
        Place::Top => 0,
        Place::Bottom => others.len(),
        Place::Before(id) => index(id).unwrap_or(others.len()),
        Place::After(id) => index(id).map_or(others.len(), |i| i + 1),
    };
    let key = |i: usize| others.get(i).map(|c| c.position.as_str());
    position::between_jittered(at.checked_sub(1).and_then(key), key(at), jitter)
}

/// Adds a card at `place`; returns its id.
pub fn add_card(
    doc: &mut AutoCommit,
    board: &Board,
    card: &ValidCard,
    place: &Place,
    who: &Who,
    now: NaiveDateTime,
) -> Result<CardId, DocumentError> {
    let id = CardId::random();
    let position = key_for(board, None, &card.column, place, jitter_of(&id));
    let record = CardRecord {
        assignees: flags(card.assignees.iter().map(ToString::to_string)),
        labels: flags(card.labels.iter().map(ToString::to_string)),
        due: card.due.map(Due::to_stored),
        ..CardRecord::new(
            &card.title,
            &card.description,
            &card.column,
            position,
            now,
            who.name(),
        )
    };
    put_card(doc, &id, &record)?;
    Ok(id)
}

/// Writes a whole new card record.
pub(crate) fn put_card(
    doc: &mut AutoCommit,
    id: &CardId,
    record: &CardRecord,
) -> Result<(), DocumentError> {
    let cards = Document::root_map(doc, maps::CARDS)?;
    reconcile_prop(doc, &cards, id.as_str(), record).map_err(write_error)
}

/// A number from an id, for [`position::between_jittered`].
pub(crate) fn jitter_of(id: &CardId) -> u64 {
    id.as_str().bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

pub(crate) fn flags(keys: impl Iterator<Item = String>) -> BTreeMap<String, bool> {
    keys.map(|k| (k, true)).collect()
}

/// Writes what differs between the card as the person opened it (`base`, read at
/// `base_heads`) and what they saved. Title and description edits are made as from
/// `base_heads`, so that another device's words added meanwhile merge with these.
pub fn change_card(
    doc: &mut AutoCommit,
    board: &Board,
    base: &Card,
    base_heads: &[ChangeHash],
    new: &ValidCard,
) -> Result<(), DocumentError> {
    // Folds copies first, if there are any, so every field below lands on the one card.
    let obj = card_obj(doc, &base.id)?;
    if new.title != base.title {
        edit_text(doc, &obj, "title", base_heads, &new.title)?;
    }
    if new.description != base.description {
        edit_text(doc, &obj, "description", base_heads, &new.description)?;
    }
    if new.column != base.column {
        let position = key_for(
            board,
            Some(&base.id),
            &new.column,
            &Place::Bottom,
            jitter_of(&base.id),
        );
        put_place(doc, &obj, &new.column, &position)?;
    }
    set_flags(doc, &obj, "assignees", &base.assignees, &new.assignees)?;
    set_flags(doc, &obj, "labels", &base.labels, &new.labels)?;
    if new.due != base.due {
        match new.due {
            Some(due) => doc.put(&obj, "due", due.to_stored()),
            None => doc.put(&obj, "due", automerge::ScalarValue::Null),
        }
        .map_err(write_error)?;
    }
    Ok(())
}

/// Adds and removes the keys of a set stored as a map of flags.
fn set_flags<T: ToString + PartialEq>(
    doc: &mut AutoCommit,
    card: &ObjId,
    field: &str,
    before: &[T],
    after: &[T],
) -> Result<(), DocumentError> {
    let map = match doc.get(card, field).map_err(write_error)? {
        Some((Value::Object(ObjType::Map), id)) => id,
        _ => doc
            .put_object(card, field, ObjType::Map)
            .map_err(write_error)?,
    };
    for added in after.iter().filter(|k| !before.contains(k)) {
        doc.put(&map, added.to_string(), true)
            .map_err(write_error)?;
    }
    for removed in before.iter().filter(|k| !after.contains(k)) {
        doc.delete(&map, removed.to_string()).map_err(write_error)?;
    }
    Ok(())
}

/// Edits a text field as from `base_heads`: Automerge's isolation makes the edit a change
/// concurrent with whatever arrived since, so both people's words are kept.
fn edit_text(
    doc: &mut AutoCommit,
    obj: &ObjId,
    field: &str,
    base_heads: &[ChangeHash],
    text: &str,
) -> Result<(), DocumentError> {
    let text_obj = match doc.get(obj, field).map_err(write_error)? {
        Some((Value::Object(ObjType::Text), id)) => id,
        _ => {
            let id = doc
                .put_object(obj, field, ObjType::Text)
                .map_err(write_error)?;
            return doc.splice_text(&id, 0, 0, text).map_err(write_error);
        }
    };
    let isolated = !base_heads.is_empty()
        && doc.get_heads() != base_heads
        && doc.text_at(&text_obj, base_heads).is_ok();
    if isolated {
        doc.isolate(base_heads);
        let edited = doc.update_text(&text_obj, text);
        doc.commit();
        doc.integrate();
        if edited.is_ok() {
            return Ok(());
        }
    }
    doc.update_text(&text_obj, text).map_err(write_error)
}

fn put_place(
    doc: &mut AutoCommit,
    card: &ObjId,
    column: &ColumnId,
    position: &str,
) -> Result<(), DocumentError> {
    // Both, in this order, in one change: two devices' concurrent moves of one card then
    // resolve to one of the two places, never a mix.
    doc.put(card, "column", column.as_str())
        .map_err(write_error)?;
    doc.put(card, "position", position).map_err(write_error)
}

/// The card's map. When two devices made the same card at once, its copies are first
/// folded into one (comments, checklist items and set-aside titles kept), so that the edit
/// lands on the card every device shows.
pub(crate) fn card_obj(doc: &mut AutoCommit, id: &CardId) -> Result<ObjId, DocumentError> {
    let cards = Document::root_map(doc, maps::CARDS)?;
    let copies = doc.get_all(&cards, id.as_str()).map_err(write_error)?;
    match copies.as_slice() {
        [] => Err(Thing::Card.gone()),
        [(Value::Object(ObjType::Map), obj)] => Ok(obj.clone()),
        _ => {
            let card =
                read_card(doc, &cards, id.as_str()).ok_or_else(|| Thing::Card.unreadable())?;
            let mut description = card.description.clone();
            for title in &card.other_titles {
                description.push_str(&format!("\nAlso titled on another device: {title}"));
            }
            let record = record_of(&card, description.trim());
            // A new map over every copy ends the conflict; then the merged card fills it.
            doc.put_object(&cards, id.as_str(), ObjType::Map)
                .map_err(write_error)?;
            put_card(doc, id, &record)?;
            let (_, obj) = doc
                .get(&cards, id.as_str())
                .map_err(write_error)?
                .ok_or_else(|| DocumentError::Write("the card was not written".into()))?;
            Ok(obj)
        }
    }
}

/// The stored form of a card as read.
fn record_of(card: &Card, description: &str) -> CardRecord {
    CardRecord {
        title: Text::with_value(&card.title),
        description: Text::with_value(description),
        column: card.column.to_string(),
        position: card.position.clone(),
        assignees: flags(card.assignees.iter().map(ToString::to_string)),
        labels: flags(card.labels.iter().map(ToString::to_string)),
        due: card.due.map(Due::to_stored),
        checklist: card
            .checklist
            .iter()
            .map(|c| {
                let record = CheckRecord {
                    text: c.text.clone(),
                    done: c.done,
                    position: c.position.clone(),
                };
                (c.id.to_string(), record)
            })
            .collect(),
        comments: card
            .comments
            .iter()
            .map(|c| {
                let record = CommentRecord {
                    author: c.author.clone(),
                    device: c.device.clone(),
                    at: format_local_datetime(c.at),
                    text: c.text.clone(),
                };
                (c.id.to_string(), record)
            })
            .collect(),
        created: format_local_datetime(card.created),
        created_by: card.created_by.clone(),
        link: card.link.as_ref().map(super::link::LinkRecord::of),
        template: card.occurrence.as_ref().map(|(t, _)| t.to_string()),
        occurrence: card
            .occurrence
            .as_ref()
            .map(|(_, d)| d.format("%Y-%m-%d").to_string()),
        archived: card.archived,
    }
}

/// Moves a card to `place` in `column`: two fields of the card, no list operation.
pub fn move_card(
    doc: &mut AutoCommit,
    board: &Board,
    id: &CardId,
    column: &ColumnId,
    place: &Place,
) -> Result<(), DocumentError> {
    if board.column(column).is_none() {
        return Err(Tasks::ColumnGone.into());
    }
    let obj = card_obj(doc, id)?;
    let position = key_for(
        board,
        Some(id),
        column,
        place,
        jitter_of(id) ^ board.cards.len() as u64,
    );
    put_place(doc, &obj, column, &position)
}

/// Archives a card (taken off the board, kept in the document) or brings it back.
pub fn set_archived(
    doc: &mut AutoCommit,
    id: &CardId,
    archived: bool,
) -> Result<(), DocumentError> {
    let obj = card_obj(doc, id)?;
    doc.put(&obj, "archived", archived).map_err(write_error)
}

fn child_map(doc: &mut AutoCommit, card: &CardId, field: &str) -> Result<ObjId, DocumentError> {
    let obj = card_obj(doc, card)?;
    match doc.get(&obj, field).map_err(write_error)? {
        Some((Value::Object(ObjType::Map), id)) => Ok(id),
        _ => doc
            .put_object(&obj, field, ObjType::Map)
            .map_err(write_error),
    }
}

/// Adds an item at the end of a card's checklist.
pub fn add_check_item(
    doc: &mut AutoCommit,
    card: &Card,
    text: &str,
) -> Result<CheckId, DocumentError> {
    let text = tidy(text);
    if text.is_empty() {
        return Err(Tasks::EmptyChecklistItem.into());
    }
    let id = CheckId::random();
    let last = card
        .checklist
        .iter()
        .map(|c| c.position.as_str())
        .filter(|p| position::is_valid(p))
        .max();
    let record = CheckRecord {
        text,
        done: false,
        position: position::between(last, None),
    };
    let map = child_map(doc, &card.id, "checklist")?;
    reconcile_prop(doc, &map, id.as_str(), &record).map_err(write_error)?;
    Ok(id)
}

/// Ticks or unticks a checklist item.
pub fn set_check_done(
    doc: &mut AutoCommit,
    card: &CardId,
    item: &CheckId,
    done: bool,
) -> Result<(), DocumentError> {
    let map = child_map(doc, card, "checklist")?;
    match doc.get(&map, item.as_str()).map_err(write_error)? {
        Some((Value::Object(ObjType::Map), obj)) => {
            doc.put(&obj, "done", done).map_err(write_error)
        }
        _ => Err(Thing::ChecklistItem.gone()),
    }
}

pub fn remove_check_item(
    doc: &mut AutoCommit,
    card: &CardId,
    item: &CheckId,
) -> Result<(), DocumentError> {
    let map = child_map(doc, card, "checklist")?;
    doc.delete(&map, item.as_str()).map_err(write_error)
}

/// Adds a comment; comments are never changed once written.
pub fn add_comment(
    doc: &mut AutoCommit,
    card: &CardId,
    text: &str,
    who: &Who,
    now: NaiveDateTime,
) -> Result<CommentId, DocumentError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Tasks::EmptyComment.into());
    }
    let id = CommentId::random();
    let record = CommentRecord {
        author: who.name().to_string(),
        device: who.device.clone(),
        at: format_local_datetime(now),
        text: text.to_string(),
    };
    let map = child_map(doc, card, "comments")?;
    reconcile_prop(doc, &map, id.as_str(), &record).map_err(write_error)?;
    Ok(id)
}

impl Who {
    /// The name written as a card's creator or a comment's author.
    pub fn name(&self) -> &str {
        self.staff.as_deref().unwrap_or(&self.device)
    }
}
