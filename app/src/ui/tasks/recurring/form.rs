//! The form of a recurring task, for a new one or opened on an existing one. Nothing is
//! written while the form names a mistake.

use leptos::prelude::*;

use crate::ui::clock::ClockInput;

use crate::ui::Ctx;
use model::board::template::{put_template, TemplateId};
use model::board::{Board, BoardScope, Label};
use model::{Directory, StaffMember};

use super::edit_board;
use super::state::{shown_column, toggle, FormState};

/// Monday first, as [`model::board::rule::RuleForm::weekdays`]: test id end, name.
const WEEKDAYS: [(&str, &str); 7] = [
    ("mon", "Mon"),
    ("tue", "Tue"),
    ("wed", "Wed"),
    ("thu", "Thu"),
    ("fri", "Fri"),
    ("sat", "Sat"),
    ("sun", "Sun"),
];

/// Adds a recurring task, or (with `editing`) changes one. The whole form is checked by
/// [`model::board::template::TemplateForm::validate`]; its message shows under the form and nothing is written.
#[component]
pub(super) fn TemplateEditor(
    scope: Memo<BoardScope>,
    board: Memo<Option<Board>>,
    directory: Memo<Directory>,
    state: FormState,
    /// The task being changed; `None` adds a new one.
    editing: Option<TemplateId>,
    /// Called once the task is saved.
    on_saved: Callback<()>,
    /// Called by Cancel, shown only when given.
    #[prop(optional)]
    on_cancel: Option<Callback<()>>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let adding = editing.is_none();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(current) = board.get_untracked() else {
            return;
        };
        let today = ctx.now.get_untracked().date();
        // A task whose start has passed can still be changed, as long as its start does
        // not move further back.
        let (today, paused) = match &editing {
            None => (today, false),
            Some(id) => match current.templates.iter().find(|t| &t.id == id) {
                Some(t) => (today.min(t.recurrence.start), t.paused),
                None => {
                    let gone = "This recurring task was removed on another device.";
                    state.error.set(Some(gone.into()));
                    return;
                }
            },
        };
        let checked = directory.with_untracked(|d| {
            state
                .read(&current, &d.staff)
                .validate(&current, &d.staff, today, editing.clone())
        });
        let mut template = match checked {
            Ok(t) => t,
            Err(message) => {
                state.error.set(Some(message));
                return;
            }
        };
        template.paused = paused;
        let saved = edit_board(ctx, scope, "save the recurring task", |am| {
            put_template(am, &template)
        });
        match saved {
            Ok(()) => {
                state.error.set(None);
                on_saved.run(());
            }
            Err(why) => state.error.set(Some(why)),
        }
    };
    let s = state;
    view! {
        <form class="template-form" data-testid="template-form" on:submit=submit>
            {text_field("Title", "template-title", "text", s.title)}
            <label class="field wide">
                <span class="label">"Description"</span>
                <textarea data-testid="template-description" rows="2"
                    prop:value=move || s.description.get()
                    on:input=move |ev| s.description.set(event_target_value(&ev))></textarea>
            </label>
            <label class="field">
                <span class="label">"Column"</span>
                <select data-testid="template-column"
                    prop:value=move || board.with(|b| b.as_ref().map(|b| s.column.with(|c| shown_column(b, c))))
                    on:change=move |ev| s.column.set(event_target_value(&ev))>
                    <For each=move || board.with(|b| b.as_ref().map(|b| b.columns.clone()).unwrap_or_default())
                        key=|c| (c.id.clone(), c.name.clone())
                        children=move |c| {
                            let id = c.id.to_string();
                            let chosen = {
                                let id = id.clone();
                                move || board.with(|b| b.as_ref().is_some_and(|b| s.column.with(|c| shown_column(b, c)) == id))
                            };
                            view! { <option value=id prop:selected=chosen>{c.name}</option> }
                        } />
                </select>
            </label>
            <fieldset class="field choices" data-testid="template-labels">
                <legend class="label">"Labels"</legend>
                <div class="checks">
                    <For each=move || board.with(|b| b.as_ref().map(|b| b.labels.clone()).unwrap_or_default())
                        key=|l| (l.id.clone(), l.name.clone(), l.colour.clone())
                        children=move |l| label_choice(s.labels, l) />
                </div>
            </fieldset>
            <fieldset class="field choices" data-testid="template-assignees">
                <legend class="label">"Assigned to"</legend>
                <div class="checks">
                    <For each=move || directory.with(|d| d.staff.clone())
                        key=|m| (m.id.clone(), m.name.clone())
                        children=move |m| person_choice(s.assignees, m) />
                </div>
                <Show when=move || directory.with(|d| d.staff.is_empty())>
                    <span class="hint">"Add staff in Settings to assign the task."</span>
                </Show>
            </fieldset>
            <label class="field wide">
                <span class="label">"Checklist (one item a line)"</span>
                <textarea data-testid="template-checklist" rows="3"
                    prop:value=move || s.checklist.get()
                    on:input=move |ev| s.checklist.set(event_target_value(&ev))></textarea>
            </label>
            <label class="field">
                <span class="label">"How often"</span>
                <select data-testid="template-kind" prop:value=move || s.kind.get()
                    on:change=move |ev| s.kind.set(event_target_value(&ev))>
                    <option value="daily" prop:selected=move || s.kind.with(|k| k == "daily")>"Every day"</option>
                    <option value="weekly" prop:selected=move || s.kind.with(|k| k == "weekly")>"Weekly"</option>
                    <option value="monthly" prop:selected=move || s.kind.with(|k| k == "monthly")>"Monthly or every few months"</option>
                </select>
            </label>
            <Show when=move || s.kind.with(|k| k == "weekly")>
                <fieldset class="field choices" data-testid="template-weekdays">
                    <legend class="label">"On"</legend>
                    <div class="checks">{weekday_choices(s.weekdays)}</div>
                </fieldset>
            </Show>
            <Show when=move || s.kind.with(|k| k == "monthly")>
                <div class="field-row wide">
                    {text_field("Every how many months", "template-every", "number", s.every)}
                    {text_field("On day of the month", "template-monthday", "number", s.day)}
                    <span class="hint">"12 months is once a year. Day 31 falls on the last day of shorter months."</span>
                </div>
            </Show>
            {text_field("Starts", "template-start", "date", s.start)}
            {text_field("Ends (optional)", "template-until", "date", s.until)}
            {text_field("Due by (optional)", "template-due-time", "time", s.due_time)}
            <div class="form-end">
                <button class="primary" type="submit" data-testid="template-save">
                    {if adding { "Add recurring task" } else { "Save recurring task" }}
                </button>
                {on_cancel.map(|cancel| view! {
                    <button type="button" data-testid="template-cancel"
                        on:click=move |_| cancel.run(())>"Cancel"</button>
                })}
                <span class="field-error" role="alert" data-testid="template-error">{move || s.error.get()}</span>
            </div>
        </form>
    }
}

/// A labelled input bound to `value`.
fn text_field(
    label: &'static str,
    testid: &'static str,
    kind: &'static str,
    value: RwSignal<String>,
) -> impl IntoView {
    if kind == "time" {
        return view! {
            <label class="field">
                <span class="label">{label}</span>
                <ClockInput name=testid value=value set=Callback::new(move |v| value.set(v)) />
            </label>
        }
        .into_any();
    }
    view! {
        <label class="field">
            <span class="label">{label}</span>
            <input type=kind data-testid=testid
                inputmode=(kind == "number").then_some("numeric")
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev)) />
        </label>
    }
    .into_any()
}

/// A tickable choice of the form's labels or people; a label has its colour beside it.
fn choice(
    ticked: RwSignal<Vec<String>>,
    id: String,
    testid: String,
    name: String,
    colour: Option<String>,
) -> impl IntoView {
    let on = {
        let id = id.clone();
        move || ticked.with(|t| t.contains(&id))
    };
    view! {
        <label class="check chip">
            <input type="checkbox" data-testid=testid prop:checked=on
                on:change=move |ev| toggle(ticked, &id, event_target_checked(&ev)) />
            {colour.map(|c| view! { <span class="swatch" aria-hidden="true" style:background-color=c></span> })}
            <span>{name}</span>
        </label>
    }
}

fn label_choice(ticked: RwSignal<Vec<String>>, label: Label) -> impl IntoView {
    let id = label.id.to_string();
    choice(
        ticked,
        id.clone(),
        format!("template-label-{id}"),
        label.name,
        Some(label.colour),
    )
}

fn person_choice(ticked: RwSignal<Vec<String>>, member: StaffMember) -> impl IntoView {
    let id = member.id.to_string();
    choice(
        ticked,
        id.clone(),
        format!("template-assignee-{id}"),
        member.name,
        None,
    )
}

fn weekday_choices(days: RwSignal<[bool; 7]>) -> impl IntoView {
    WEEKDAYS
        .iter()
        .enumerate()
        .map(|(i, (key, name))| {
            view! {
                <label class="check chip">
                    <input type="checkbox" data-testid=format!("template-day-{key}")
                        prop:checked=move || days.with(|d| d[i])
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            days.update(|d| d[i] = on);
                        } />
                    <span>{*name}</span>
                </label>
            }
        })
        .collect_view()
}
