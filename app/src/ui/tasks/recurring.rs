//! Recurring tasks and the board's columns and labels: what a manager sets up once. The
//! cards of recurring tasks are made elsewhere ([`super::make_recurring_cards`]); here the
//! templates are listed, written, paused and removed.
//!
//! Forms keep what is typed while other devices change the board: their fields are signals
//! made once per form, and the lists around them re-render entry by entry.

mod columns;
mod form;
mod labels;
mod state;

use automerge::AutoCommit;
use chrono::{Datelike, Days, NaiveDate};
use leptos::prelude::*;

use crate::ui::{directory_memo, Ctx};
use model::board::template::{set_template_state, Template, TemplateId};
use model::board::{Board, BoardScope};
use model::{Directory, DocumentError};

use super::{board_doc, read_board};
use form::TemplateEditor;
use state::FormState;

#[component]
pub fn Recurring(scope: Memo<BoardScope>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let directory = directory_memo(ctx);
    let board = Memo::new(move |_| read_board(ctx, &scope.get()));
    let loaded = Memo::new(move |_| board.with(Option::is_some));
    // Another board is another set of forms: what was typed for one does not fit the other.
    move || {
        scope.track();
        view! {
            <div class="recurring" data-testid="recurring">
                <Show when=move || loaded.get()
                    fallback=|| view! { <p class="empty" data-testid="recurring-loading">"Loading…"</p> }>
                    <TemplatesCard scope=scope board=board directory=directory />
                    <columns::ColumnsCard scope=scope board=board />
                    <labels::LabelsCard scope=scope board=board />
                </Show>
            </div>
        }
    }
}

/// Runs one edit of the board in view. A failure is shown among the problems by
/// [`Ctx::edit`]; the error returned is a sentence for showing next to what was tapped
/// (the refusal's own words when the edit was refused).
pub(super) fn edit_board<T>(
    ctx: Ctx,
    scope: Memo<BoardScope>,
    what: &str,
    edit: impl FnOnce(&mut AutoCommit) -> Result<T, DocumentError>,
) -> Result<T, String> {
    let mut refusal = None;
    let done = ctx.edit(&board_doc(&scope.get_untracked()), what, |am| {
        edit(am).inspect_err(|e| {
            if let DocumentError::Refused(_) | DocumentError::NotFound(_) = e {
                refusal = Some(crate::words::say(e));
            }
        })
    });
    done.ok_or_else(|| {
        refusal.unwrap_or_else(|| format!("Could not {what}: see the problem above."))
    })
}

/// The day as the lists show it: "Mon 7 Dec", with the year when it is not this year's.
fn short_day(day: NaiveDate, today: NaiveDate) -> String {
    if day.year() == today.year() {
        day.format("%a %-d %b").to_string()
    } else {
        day.format("%a %-d %b %Y").to_string()
    }
}

/// The board's recurring tasks, each with its rule and next day, and the form for a new one.
/// One form shows at a time: an opened entry's editor, or else the form for a new task, so
/// that the form's test ids name one element.
#[component]
fn TemplatesCard(
    scope: Memo<BoardScope>,
    board: Memo<Option<Board>>,
    directory: Memo<Directory>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let editing = RwSignal::new(None::<TemplateId>);
    let note = RwSignal::new(None::<&'static str>);
    // Made once: what is typed for a new task stays while an entry is edited.
    let fresh = FormState::blank(ctx.now.get_untracked().date());
    let ids = move || {
        board.with(|b| {
            b.as_ref()
                .map(|b| b.templates.iter().map(|t| t.id.clone()).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    };
    // An editor whose task was removed on another device is gone with its entry.
    let editor_open = Memo::new(move |_| {
        editing.with(|e| {
            e.as_ref().is_some_and(|id| {
                board.with(|b| {
                    b.as_ref()
                        .is_some_and(|b| b.templates.iter().any(|t| &t.id == id))
                })
            })
        })
    });
    let on_added = Callback::new(move |()| {
        fresh.clear(ctx.now.get_untracked().date());
        note.set(Some("Saved."));
    });
    view! {
        <section class="card" data-testid="recurring-card">
            <h2>"Recurring tasks"</h2>
            <p class="hint">"Each puts a card on the board on the days it comes up."</p>
            <ul class="entries templates">
                <For each=ids key=|id| id.clone() let(id)>
                    <TemplateEntry scope=scope board=board directory=directory id=id
                        editing=editing note=note />
                </For>
            </ul>
            <Show when=move || board.with(|b| b.as_ref().is_some_and(|b| b.templates.is_empty()))>
                <p class="empty" data-testid="no-templates">"No recurring tasks on this board yet."</p>
            </Show>
            <p class="saved" data-testid="template-saved">{move || note.get()}</p>
            <Show when=move || !editor_open.get()>
                <h3>"New recurring task"</h3>
                <TemplateEditor scope=scope board=board directory=directory state=fresh
                    editing=None on_saved=on_added />
            </Show>
        </section>
    }
}

/// One recurring task: what it is and when it next comes up; Edit, Pause and Remove.
#[component]
fn TemplateEntry(
    scope: Memo<BoardScope>,
    board: Memo<Option<Board>>,
    directory: Memo<Directory>,
    id: TemplateId,
    editing: RwSignal<Option<TemplateId>>,
    note: RwSignal<Option<&'static str>>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let template = Memo::new({
        let id = id.clone();
        move |_| {
            board.with(|b| {
                b.as_ref()
                    .and_then(|b| b.templates.iter().find(|t| t.id == id).cloned())
            })
        }
    });
    let open = Memo::new({
        let id = id.clone();
        move |_| editing.with(|e| e.as_ref() == Some(&id))
    });
    let paused = Memo::new(move |_| template.with(|t| t.as_ref().is_some_and(|t| t.paused)));
    let confirming = RwSignal::new(false);
    let with = move |f: fn(&Template, NaiveDate) -> String| {
        let today = ctx.now.get().date();
        template.with(|t| t.as_ref().map(|t| f(t, today)))
    };
    let toggle_edit = {
        let id = id.clone();
        move |_| {
            note.set(None);
            let opening = !open.get_untracked();
            editing.set(opening.then(|| id.clone()));
        }
    };
    let pause = {
        let id = id.clone();
        move |_| {
            let on = !paused.get_untracked();
            let what = if on {
                "pause the recurring task"
            } else {
                "resume the recurring task"
            };
            let _ = edit_board(ctx, scope, what, |am| {
                set_template_state(am, &id, "paused", on)
            });
        }
    };
    let remove = {
        let id = id.clone();
        move |_| {
            if !confirming.get_untracked() {
                confirming.set(true);
                return;
            }
            confirming.set(false);
            let removed = edit_board(ctx, scope, "remove the recurring task", |am| {
                set_template_state(am, &id, "removed", true)
            });
            if removed.is_ok() && open.get_untracked() {
                editing.set(None);
            }
        }
    };
    let on_saved = Callback::new(move |()| {
        editing.set(None);
        note.set(Some("Saved."));
    });
    view! {
        <li class="entry template" data-testid="template" class:open=move || open.get()
            class:paused=move || paused.get()>
            <div class="entry-head">
                <div class="entry-summary">
                    <span class="entry-name" data-testid="template-name">
                        {move || with(|t, _| t.title.clone())}
                    </span>
                    <span class="entry-meta" data-testid="template-rule">
                        {move || with(|t, _| t.recurrence.rule.describe(t.recurrence.start))}
                    </span>
                    <span class="entry-meta" data-testid="template-due">
                        {move || with(|t, _| t.due_time.map(|at| format!("Due by {}", at.format("%H:%M"))).unwrap_or_default())}
                    </span>
                    <span class="entry-meta" data-testid="template-next">{move || with(next_day)}</span>
                    <Show when=move || paused.get()>
                        <span class="tag paused" data-testid="template-paused">"Paused"</span>
                    </Show>
                </div>
                <div class="entry-actions">
                    <button type="button" data-testid="edit-template"
                        aria-expanded=move || open.get().to_string() on:click=toggle_edit>
                        {move || if open.get() { "Close" } else { "Edit" }}
                    </button>
                    <button type="button" data-testid="pause-template" on:click=pause>
                        {move || if paused.get() { "Resume" } else { "Pause" }}
                    </button>
                    <button type="button" class="danger" data-testid="remove-template"
                        class:confirming=move || confirming.get()
                        on:blur=move |_| confirming.set(false) on:click=remove>
                        {move || if confirming.get() { "Tap again to remove" } else { "Remove" }}
                    </button>
                </div>
            </div>
            <Show when=move || open.get()>
                <div class="editor">
                    {
                        // Built each time the editor opens, from the task as it is then.
                        let state = template.with_untracked(|t| {
                            t.as_ref().map(FormState::of).unwrap_or_else(|| {
                                FormState::blank(ctx.now.get_untracked().date())
                            })
                        });
                        view! {
                            <TemplateEditor scope=scope board=board directory=directory
                                state=state editing=Some(id.clone()) on_saved=on_saved
                                on_cancel=Callback::new(move |()| editing.set(None)) />
                        }
                    }
                </div>
            </Show>
        </li>
    }
}

/// "Next: Mon 7 Dec": the first day from today the task comes up on.
fn next_day(t: &Template, today: NaiveDate) -> String {
    let from = today.checked_sub_days(Days::new(1)).unwrap_or(today);
    match t.recurrence.next_after(from) {
        Some(day) => format!("Next: {}", short_day(day, today)),
        None => "No more days: it has ended".to_string(),
    }
}
