//! What is typed into a recurring-task form, kept field by field.

use chrono::NaiveDate;
use leptos::prelude::*;

use model::board::rule::{Recurrence, Rule, RuleForm};
use model::board::template::{Template, TemplateForm};
use model::board::{Board, ColumnId, LabelId};
use model::StaffMember;

/// What is typed into one recurring-task form, field by field, and what is wrong with it.
/// Made once per form, so that a change from another device does not wipe what is typed.
#[derive(Clone, Copy)]
pub(super) struct FormState {
    pub(super) title: RwSignal<String>,
    pub(super) description: RwSignal<String>,
    pub(super) column: RwSignal<String>,
    pub(super) labels: RwSignal<Vec<String>>,
    pub(super) assignees: RwSignal<Vec<String>>,
    pub(super) checklist: RwSignal<String>,
    pub(super) kind: RwSignal<String>,
    pub(super) weekdays: RwSignal<[bool; 7]>,
    pub(super) every: RwSignal<String>,
    pub(super) day: RwSignal<String>,
    pub(super) start: RwSignal<String>,
    pub(super) until: RwSignal<String>,
    pub(super) due_time: RwSignal<String>,
    pub(super) error: RwSignal<Option<String>>,
}

impl FormState {
    fn new(form: TemplateForm) -> Self {
        let rule = form.rule;
        Self {
            title: RwSignal::new(form.title),
            description: RwSignal::new(form.description),
            column: RwSignal::new(form.column),
            labels: RwSignal::new(form.labels),
            assignees: RwSignal::new(form.assignees),
            checklist: RwSignal::new(form.checklist),
            kind: RwSignal::new(rule.kind),
            weekdays: RwSignal::new(rule.weekdays),
            every: RwSignal::new(rule.every),
            day: RwSignal::new(rule.day),
            start: RwSignal::new(rule.start),
            until: RwSignal::new(rule.until),
            due_time: RwSignal::new(form.due_time),
            error: RwSignal::new(None),
        }
    }

    /// An empty form: every day from `today`, in the board's first column.
    pub(super) fn blank(today: NaiveDate) -> Self {
        Self::new(blank_form(today))
    }

    /// The form showing an existing task, for editing.
    pub(super) fn of(t: &Template) -> Self {
        Self::new(TemplateForm::from_template(t))
    }

    /// Empties the form for the next task.
    pub(super) fn clear(&self, today: NaiveDate) {
        let form = blank_form(today);
        let rule = form.rule;
        self.title.set(form.title);
        self.description.set(form.description);
        self.column.set(form.column);
        self.labels.set(form.labels);
        self.assignees.set(form.assignees);
        self.checklist.set(form.checklist);
        self.kind.set(rule.kind);
        self.weekdays.set(rule.weekdays);
        self.every.set(rule.every);
        self.day.set(rule.day);
        self.start.set(rule.start);
        self.until.set(rule.until);
        self.due_time.set(form.due_time);
        self.error.set(None);
    }

    /// The form as typed. The column is the one the select shows; labels and people are
    /// those ticked that are still on the board and in the directory, as they show.
    pub(super) fn read(&self, board: &Board, staff: &[StaffMember]) -> TemplateForm {
        let mut form = blank_form(NaiveDate::MIN);
        form.title = self.title.get_untracked();
        form.description = self.description.get_untracked();
        form.column = self.column.with_untracked(|c| shown_column(board, c));
        form.labels = self.labels.get_untracked();
        form.labels
            .retain(|l| board.label(&LabelId::from(l.as_str())).is_some());
        form.assignees = self.assignees.get_untracked();
        form.assignees
            .retain(|a| staff.iter().any(|s| s.id.as_str() == a));
        form.checklist = self.checklist.get_untracked();
        form.rule.kind = self.kind.get_untracked();
        form.rule.weekdays = self.weekdays.get_untracked();
        form.rule.every = self.every.get_untracked();
        form.rule.day = self.day.get_untracked();
        form.rule.start = self.start.get_untracked();
        form.rule.until = self.until.get_untracked();
        form.due_time = self.due_time.get_untracked();
        form
    }
}

fn blank_form(today: NaiveDate) -> TemplateForm {
    let every_day = Recurrence {
        rule: Rule::Daily,
        start: today,
        until: None,
    };
    TemplateForm {
        rule: RuleForm::from_recurrence(&every_day),
        ..TemplateForm::default()
    }
}

/// The column chosen, or the board's first when none is (or the chosen one was removed).
pub(super) fn shown_column(board: &Board, chosen: &str) -> String {
    match board.column(&ColumnId::from(chosen)) {
        Some(c) => c.id.to_string(),
        None => board
            .columns
            .first()
            .map(|c| c.id.to_string())
            .unwrap_or_default(),
    }
}

/// Adds or removes `id` in a set of ticked ids.
pub(super) fn toggle(set: RwSignal<Vec<String>>, id: &str, on: bool) {
    set.update(|ids| {
        ids.retain(|i| i != id);
        if on {
            ids.push(id.to_string());
        }
    });
}
