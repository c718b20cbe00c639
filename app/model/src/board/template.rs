//! Recurring tasks: templates with a rule ([`rule`]) that put a card on the board on each
//! day the rule falls on — the daily opening checklist, the weekly fridge-log review, the
//! monthly fire-extinguisher check, the yearly OSHA training.
//!
//! A card's id is the template's id and the occurrence day, so two offline tablets that
//! both make today's card make the same card: after the merge there is one.

use std::collections::BTreeMap;

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjType, ReadDoc, Value};
use autosurgeon::{hydrate_prop, reconcile_prop, Hydrate, Reconcile};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use super::edit::{flags, jitter_of, key_for, put_card, Place};
use super::rule::{Recurrence, Rule, RuleForm};
use super::{write_error, Board, CardId, CardRecord, CheckRecord, ColumnId, Due, LabelId};
use crate::document::maps;
use crate::refusal::{Tasks, Thing};
use crate::{random_id, tidy, Document, DocumentError, StaffId, StaffMember};

random_id!(
    /// A recurring task.
    TemplateId
);

/// Occurrences older than this many days are not made any more, except each template's
/// latest: a tablet switched off for a week does not come back to a pile of daily cards.
pub const LOOKBACK_DAYS: u64 = 7;

/// The most checklist items a template may hold.
pub const MAX_CHECKLIST: usize = 50;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Template {
    pub id: TemplateId,
    pub title: String,
    pub description: String,
    pub column: ColumnId,
    pub labels: Vec<LabelId>,
    pub assignees: Vec<StaffId>,
    pub checklist: Vec<String>,
    pub recurrence: Recurrence,
    /// The time on the occurrence day the card is due; the end of the day when none.
    pub due_time: Option<NaiveTime>,
    pub paused: bool,
}

#[derive(Reconcile, Hydrate)]
struct TemplateRecord {
    title: String,
    description: String,
    column: String,
    labels: BTreeMap<String, bool>,
    assignees: BTreeMap<String, bool>,
    checklist: Vec<String>,
    rule: String,
    start: String,
    until: Option<String>,
    due_time: Option<String>,
    paused: bool,
    removed: bool,
}

fn day(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

fn day_text(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

/// Every template of a board that was not removed; plus how many did not read.
pub(crate) fn read_all(doc: &AutoCommit) -> Result<(Vec<Template>, usize), DocumentError> {
    let map = Document::root_map(doc, maps::TEMPLATES)?;
    let mut templates = Vec::new();
    let mut unreadable = 0;
    for key in doc.keys(&map) {
        let record = hydrate_prop::<_, TemplateRecord, _, _>(doc, &map, key.as_str()).ok();
        match record.map(|r| (r.removed, read_one(&key, r))) {
            Some((true, _)) => {}
            Some((false, Some(template))) => templates.push(template),
            _ => unreadable += 1,
        }
    }
    templates.sort_by(|a, b| (&a.title, &a.id).cmp(&(&b.title, &b.id)));
    Ok((templates, unreadable))
}

fn read_one(id: &str, r: TemplateRecord) -> Option<Template> {
    let on = |map: BTreeMap<String, bool>| map.into_iter().filter(|(_, v)| *v).map(|(k, _)| k);
    Some(Template {
        id: TemplateId::from(id),
        title: r.title,
        description: r.description,
        column: ColumnId::from(r.column),
        labels: on(r.labels).map(LabelId::from).collect(),
        assignees: on(r.assignees).map(StaffId::from).collect(),
        checklist: r.checklist,
        recurrence: Recurrence {
            rule: Rule::parse_stored(&r.rule)?,
            start: day(&r.start)?,
            until: match r.until {
                Some(text) => Some(day(&text)?),
                None => None,
            },
        },
        due_time: match r.due_time {
            Some(text) => Some(NaiveTime::parse_from_str(&text, "%H:%M").ok()?),
            None => None,
        },
        paused: r.paused,
    })
}

/// What a person typed for a recurring task.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TemplateForm {
    pub title: String,
    pub description: String,
    pub column: String,
    pub labels: Vec<String>,
    pub assignees: Vec<String>,
    /// One checklist item a line.
    pub checklist: String,
    pub rule: RuleForm,
    /// "HH:MM" or empty.
    pub due_time: String,
}

impl TemplateForm {
    /// Checks the form; the message says what is wrong, the rule's included (one that
    /// never comes up is refused).
    pub fn validate(
        &self,
        board: &Board,
        staff: &[StaffMember],
        today: NaiveDate,
        id: Option<TemplateId>,
    ) -> Result<Template, String> {
        let title = tidy(&self.title);
        if title.is_empty() {
            return Err("Enter a title for the recurring task.".into());
        }
        let column = ColumnId::from(self.column.as_str());
        if board.column(&column).is_none() {
            return Err("Choose the column its cards go in.".into());
        }
        let labels: Vec<LabelId> = self
            .labels
            .iter()
            .map(|l| LabelId::from(l.as_str()))
            .collect();
        if labels.iter().any(|l| board.label(l).is_none()) {
            return Err("Choose labels of this board only.".into());
        }
        let assignees: Vec<StaffId> = self
            .assignees
            .iter()
            .map(|s| StaffId::from(s.as_str()))
            .collect();
        if assignees.iter().any(|a| !staff.iter().any(|s| &s.id == a)) {
            return Err("Assign people from the staff list only.".into());
        }
        let checklist: Vec<String> = self
            .checklist
            .lines()
            .map(tidy)
            .filter(|l| !l.is_empty())
            .collect();
        if checklist.len() > MAX_CHECKLIST {
            return Err(format!("Keep the checklist to {MAX_CHECKLIST} items."));
        }
        let due_time = match self.due_time.trim() {
            "" => None,
            t => Some(
                crate::clock::parse_clock(t)
                    .map_err(|_| "Enter the due time like 09:00.".to_string())?,
            ),
        };
        let recurrence = self.rule.validate(today)?;
        Ok(Template {
            id: id.unwrap_or_else(TemplateId::random),
            title,
            description: self.description.trim().to_string(),
            column,
            labels,
            assignees,
            checklist,
            recurrence,
            due_time,
            paused: false,
        })
    }

    pub fn from_template(t: &Template) -> Self {
        Self {
            title: t.title.clone(),
            description: t.description.clone(),
            column: t.column.to_string(),
            labels: t.labels.iter().map(ToString::to_string).collect(),
            assignees: t.assignees.iter().map(ToString::to_string).collect(),
            checklist: t.checklist.join("\n"),
            rule: RuleForm::from_recurrence(&t.recurrence),
            due_time: t
                .due_time
                .map(|t| t.format("%H:%M").to_string())
                .unwrap_or_default(),
        }
    }
}

/// Writes a template, new or changed.
pub fn put_template(doc: &mut AutoCommit, t: &Template) -> Result<(), DocumentError> {
    let flags = |ids: Vec<String>| ids.into_iter().map(|k| (k, true)).collect();
    let record = TemplateRecord {
        title: t.title.clone(),
        description: t.description.clone(),
        column: t.column.to_string(),
        labels: flags(t.labels.iter().map(ToString::to_string).collect()),
        assignees: flags(t.assignees.iter().map(ToString::to_string).collect()),
        checklist: t.checklist.clone(),
        rule: t.recurrence.rule.to_stored(),
        start: day_text(t.recurrence.start),
        until: t.recurrence.until.map(day_text),
        due_time: t.due_time.map(|t| t.format("%H:%M").to_string()),
        paused: t.paused,
        removed: false,
    };
    let map = Document::root_map(doc, maps::TEMPLATES)?;
    reconcile_prop(doc, &map, t.id.as_str(), &record).map_err(write_error)
}

/// Pauses or resumes a template, or (with `removed`) takes it away. Cards it made stay.
pub fn set_template_state(
    doc: &mut AutoCommit,
    id: &TemplateId,
    field: &'static str,
    on: bool,
) -> Result<(), DocumentError> {
    debug_assert!(field == "paused" || field == "removed");
    let map = Document::root_map(doc, maps::TEMPLATES)?;
    match doc.get(&map, id.as_str()).map_err(write_error)? {
        Some((Value::Object(ObjType::Map), obj)) => doc.put(&obj, field, on).map_err(write_error),
        _ => Err(Thing::Template.gone()),
    }
}

/// The id of a template's card for one occurrence day: the same on every device.
pub fn occurrence_id(template: &TemplateId, day: NaiveDate) -> CardId {
    CardId::from(format!("{template}-{}", day_text(day)))
}

/// The occurrences whose cards are due by `today` and not on the board yet, archived or
/// not: those of the last [`LOOKBACK_DAYS`] days and each template's latest.
pub fn missing(board: &Board, today: NaiveDate) -> Vec<(&Template, NaiveDate)> {
    let from = today - chrono::Days::new(LOOKBACK_DAYS);
    let mut due = Vec::new();
    for template in board.templates.iter().filter(|t| !t.paused) {
        let mut days = template.recurrence.occurrences(from, today);
        if let Some(latest) = template.recurrence.latest_on_or_before(today) {
            if !days.contains(&latest) {
                days.push(latest);
            }
        }
        for day in days {
            if board.card(&occurrence_id(&template.id, day)).is_none() {
                due.push((template, day));
            }
        }
    }
    due
}

/// Makes the cards of every occurrence due by `today` that is not on the board yet;
/// returns how many. Running it again, here or on any device, makes none twice.
pub fn generate(
    doc: &mut AutoCommit,
    board: &Board,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<usize, DocumentError> {
    let missing = missing(board, today);
    for (template, day) in &missing {
        let id = occurrence_id(&template.id, *day);
        let column = board
            .column(&template.column)
            .or(board.columns.first())
            .map(|c| c.id.clone())
            .ok_or_else(|| DocumentError::from(Tasks::NoColumn))?;
        let keys = super::position::spread(template.checklist.len());
        let checklist = template
            .checklist
            .iter()
            .zip(keys)
            .enumerate()
            .map(|(i, (text, position))| {
                let item = CheckRecord {
                    text: text.clone(),
                    done: false,
                    position,
                };
                (format!("{id}-{i}"), item)
            })
            .collect();
        let position = key_for(board, None, &column, &Place::Bottom, jitter_of(&id));
        let title = &template.title;
        let record = CardRecord {
            assignees: flags(template.assignees.iter().map(ToString::to_string)),
            labels: flags(template.labels.iter().map(ToString::to_string)),
            due: Some(
                Due {
                    date: *day,
                    time: template.due_time,
                }
                .to_stored(),
            ),
            checklist,
            template: Some(template.id.to_string()),
            occurrence: Some(day_text(*day)),
            ..CardRecord::new(
                title,
                &template.description,
                &column,
                position,
                now,
                "Recurring task",
            )
        };
        put_card(doc, &id, &record)?;
    }
    Ok(missing.len())
}
