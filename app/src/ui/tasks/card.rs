//! One card in the side panel: its fields, "Move to…" (by touch or keyboard), its
//! checklist and comments, archiving, and the record it came from in another area.
//!
//! The form keeps the card as it was opened and the document's heads then: saving writes
//! only what the person changed, and edits titles as from what they saw, so another
//! device's change made meanwhile is kept.

use automerge::ChangeHash;
use leptos::prelude::*;

use crate::ui::clock::ClockInput;

use crate::platform::local_now;
use crate::ui::changes::RecordChanges;
use crate::ui::tasks::board::move_to;
use crate::ui::tasks::{board_doc, edit_board, read_board, scope_name, tasks_place};
use crate::ui::{directory_memo, Ctx, Tab};
use model::board::edit::{self, CardForm, Place};
use model::board::{Board, BoardScope, Card, CardId, LinkPurpose, TaskLink};
use model::document::{first_of_month, maps};
use model::{AppointmentId, DocKind};

#[component]
pub fn CardPanel() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let tasks = tasks_place();
    let chosen = Memo::new(move |_| tasks.card.get());
    let board = Memo::new(move |_| {
        let (scope, _) = chosen.get()?;
        read_board(ctx, &scope)
    });
    let card = Memo::new(move |_| {
        let (_, id) = chosen.get()?;
        board.with(|b| b.as_ref()?.card(&id).cloned())
    });
    // Only whether they are there, so that the editor (and what is typed in it) is built
    // again only when another card is chosen or this one appears or goes.
    let loaded = Memo::new(move |_| board.with(Option::is_some));
    let found = Memo::new(move |_| card.with(Option::is_some));
    view! {
        {move || match (chosen.get(), loaded.get(), found.get()) {
            (None, _, _) => ().into_any(),
            (Some(_), false, _) => view! { <p class="empty">"Loading the card…"</p> }.into_any(),
            (Some(_), true, false) => view! {
                <section class="card" data-testid="card-panel">
                    <p class="empty">"This card is no longer on the board."</p>
                    <button type="button" on:click=move |_| tasks.card.set(None)>"Close"</button>
                </section>
            }.into_any(),
            (Some((scope, id)), true, true) => view! { <Editor scope=scope id=id board=board card=card /> }.into_any(),
        }}
    }
}

#[component]
fn Editor(
    scope: BoardScope,
    id: CardId,
    board: Memo<Option<Board>>,
    card: Memo<Option<Card>>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let tasks = tasks_place();
    let directory = directory_memo(ctx);
    let doc = board_doc(&scope);
    // The card as opened, and where the document stood: what a save is made as from.
    let opened = card.get_untracked();
    let base: RwSignal<Option<(Card, Vec<ChangeHash>)>> =
        RwSignal::new(opened.clone().map(|c| (c, ctx.heads(&doc))));
    let form = RwSignal::new(opened.as_ref().map(CardForm::from_card).unwrap_or_default());
    let error = RwSignal::new(None::<String>);
    let saved = RwSignal::new(false);
    let save = {
        let scope = scope.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let Some((base_card, heads)) = base.get_untracked() else {
                return;
            };
            let Some(b) = board.get_untracked() else {
                return;
            };
            let staff = directory.with_untracked(|d| d.staff.clone());
            let today = ctx.now.get_untracked().date();
            match form
                .get_untracked()
                .validate(&b, &staff, today, base_card.due)
            {
                Err(message) => error.set(Some(message)),
                Ok(valid) => {
                    error.set(None);
                    let done = edit_board(ctx, &scope, "save the card", |am, board| {
                        edit::change_card(am, board, &base_card, &heads, &valid)
                    });
                    if done.is_some() {
                        // The next save starts from what is there now.
                        let doc = board_doc(&scope);
                        let now =
                            read_board(ctx, &scope).and_then(|b| b.card(&base_card.id).cloned());
                        base.set(now.map(|c| (c, ctx.heads(&doc))));
                        saved.set(true);
                    }
                }
            }
        }
    };
    let input = move |label: &'static str,
                      kind: &'static str,
                      test: &'static str,
                      get: fn(&CardForm) -> String,
                      set: fn(&mut CardForm, String)| {
        if kind == "time" {
            let value = Signal::derive(move || form.with(get));
            let set = Callback::new(move |v: String| {
                saved.set(false);
                form.update(|f| set(f, v))
            });
            return view! {
                <label class="field">
                    <span class="label">{label}</span>
                    <ClockInput name=test value=value set=set />
                </label>
            }
            .into_any();
        }
        view! {
            <label class="field">
                <span class="label">{label}</span>
                <input type=kind data-testid=test maxlength="200"
                    prop:value=move || form.with(get)
                    on:input=move |ev| { saved.set(false); form.update(|f| set(f, event_target_value(&ev))) } />
            </label>
        }
        .into_any()
    };
    let toggle = move |list: fn(&mut CardForm) -> &mut Vec<String>, value: String, on: bool| {
        saved.set(false);
        form.update(|f| {
            let list = list(f);
            list.retain(|v| v != &value);
            if on {
                list.push(value);
            }
        });
    };
    let labels = move || board.with(|b| b.as_ref().map(|b| b.labels.clone()).unwrap_or_default());
    let staff = move || directory.with(|d| d.staff.clone());
    let current = move || card.get();
    let where_now = {
        let scope = scope.clone();
        move || {
            let c = current()?;
            let b = board.get()?;
            let column = b.column_of(&c)?.name.clone();
            Some(format!(
                "{} · {column}",
                scope_name(&directory.get(), &scope)
            ))
        }
    };
    // On a phone the panel sits above the list: bring it into view when a card is opened.
    let panel = NodeRef::<leptos::html::Section>::new();
    Effect::new(move |_| {
        let narrow = web_sys::window()
            .and_then(|w| w.inner_width().ok())
            .and_then(|w| w.as_f64())
            .is_some_and(|w| w < 800.0);
        if let (true, Some(element)) = (narrow, panel.get()) {
            element.scroll_into_view();
        }
    });
    view! {
        <section class="card card-panel" data-testid="card-panel" node_ref=panel>
            <div class="detail-head">
                <h2 data-testid="panel-title">{move || current().map(|c| c.title)}</h2>
                <button class="dismiss" aria-label="Close" on:click=move |_| tasks.card.set(None)>"×"</button>
            </div>
            <p class="detail-when" data-testid="card-where">{where_now}</p>
            {move || current().filter(|c| !c.other_titles.is_empty()).map(|c| view! {
                <p class="flag" data-testid="other-titles">{format!("Also titled on another device: {}", c.other_titles.join(" · "))}</p>
            })}
            {move || current().and_then(|c| c.link).map(|link| view! { <LinkBack link=link /> })}
            <MoveTo scope=scope.clone() id=id.clone() board=board card=card />
            <form class="card-form" on:submit=save>
                {input("Title", "text", "card-title-input", |f| f.title.clone(), |f, v| f.title = v)}
                <label class="field">
                    <span class="label">"Description"</span>
                    <textarea rows="3" data-testid="card-description"
                        prop:value=move || form.with(|f| f.description.clone())
                        on:input=move |ev| { saved.set(false); form.update(|f| f.description = event_target_value(&ev)) }></textarea>
                </label>
                <div class="due-fields">
                    {input("Due", "date", "card-due-date", |f| f.due_date.clone(), |f, v| f.due_date = v)}
                    {input("Time", "time", "card-due-time", |f| f.due_time.clone(), |f, v| f.due_time = v)}
                </div>
                <fieldset class="choices">
                    <legend>"Labels"</legend>
                    <For each=labels key=|l| (l.id.clone(), l.name.clone()) let(label)>
                        <label class="choice">
                            <input type="checkbox" data-testid="card-label-choice"
                                prop:checked={ let id = label.id.to_string(); move || form.with(|f| f.labels.contains(&id)) }
                                on:change={ let id = label.id.to_string(); move |ev| toggle(|f| &mut f.labels, id.clone(), event_target_checked(&ev)) } />
                            <span class="swatch" style:background-color=label.colour.clone()></span>
                            {label.name.clone()}
                        </label>
                    </For>
                </fieldset>
                <fieldset class="choices">
                    <legend>"Assigned to"</legend>
                    <For each=staff key=|s| (s.id.clone(), s.name.clone()) let(member)>
                        <label class="choice">
                            <input type="checkbox" data-testid="card-assignee"
                                prop:checked={ let id = member.id.to_string(); move || form.with(|f| f.assignees.contains(&id)) }
                                on:change={ let id = member.id.to_string(); move |ev| toggle(|f| &mut f.assignees, id.clone(), event_target_checked(&ev)) } />
                            {member.name.clone()}
                        </label>
                    </For>
                </fieldset>
                <p class="field-error" data-testid="card-error">{move || error.get()}</p>
                <button class="primary" type="submit" data-testid="card-save">"Save card"</button>
                <Show when=move || saved.get()><span class="saved">"Saved."</span></Show>
            </form>
            <Checklist scope=scope.clone() card=card />
            <Comments scope=scope.clone() card=card />
            <RecordChanges doc=doc.clone() map=maps::CARDS id=id.to_string() />
            <Archive scope=scope id=id card=card />
        </section>
    }
}

/// "Move to…": a column, and the place in it, one touch or key each.
#[component]
fn MoveTo(
    scope: BoardScope,
    id: CardId,
    board: Memo<Option<Board>>,
    card: Memo<Option<Card>>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let neighbours = {
        let id = id.clone();
        move || {
            let b = board.get()?;
            let c = card.get()?;
            let column = b.column_of(&c)?.id.clone();
            let list: Vec<CardId> = b.cards_in(&column).iter().map(|c| c.id.clone()).collect();
            let at = list.iter().position(|c| c == &id)?;
            Some((column, list, at))
        }
    };
    let go = {
        let (scope, id) = (scope.clone(), id.clone());
        let neighbours = neighbours.clone();
        move |step: i32| {
            let Some((column, list, at)) = neighbours() else {
                return;
            };
            let place = match step {
                -2 => Place::Top,
                2 => Place::Bottom,
                -1 if at > 0 => Place::Before(list[at - 1].clone()),
                1 if at + 1 < list.len() => Place::After(list[at + 1].clone()),
                _ => return,
            };
            move_to(ctx, &scope, &id, &column, place);
        }
    };
    let to_column = {
        let (scope, id) = (scope.clone(), id.clone());
        move |ev: leptos::ev::Event| {
            let column = model::board::ColumnId::from(event_target_value(&ev));
            move_to(ctx, &scope, &id, &column, Place::Bottom);
        }
    };
    let column_now = move || {
        let b = board.get()?;
        Some(b.column_of(&card.get()?)?.id.to_string())
    };
    let step = move |n: i32, label: &'static str, test: &'static str| {
        let go = go.clone();
        view! { <button type="button" data-testid=test on:click=move |_| go(n)>{label}</button> }
    };
    view! {
        <div class="move-to" role="group" aria-label="Move to">
            <label class="field">
                <span class="label">"Move to…"</span>
                <select data-testid="move-column" prop:value=column_now on:change=to_column>
                    <For each=move || board.get().map(|b| b.columns).unwrap_or_default() key=|c| (c.id.clone(), c.name.clone()) let(column)>
                        <option value=column.id.to_string()>{column.name.clone()}</option>
                    </For>
                </select>
            </label>
            <div class="move-steps">
                {step(-2, "Top", "move-top")}
                {step(-1, "Up", "move-up")}
                {step(1, "Down", "move-down")}
                {step(2, "Bottom", "move-bottom")}
            </div>
        </div>
    }
}

#[component]
fn Checklist(scope: BoardScope, card: Memo<Option<Card>>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let text = RwSignal::new(String::new());
    let add = {
        let scope = scope.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let Some(c) = card.get_untracked() else {
                return;
            };
            let item = text.get_untracked();
            if ctx
                .edit(&board_doc(&scope), "add the checklist item", |am| {
                    edit::add_check_item(am, &c, &item)
                })
                .is_some()
            {
                text.set(String::new());
            }
        }
    };
    let items = move || card.with(|c| c.as_ref().map(|c| c.checklist.clone()).unwrap_or_default());
    view! {
        <h3>"Checklist"</h3>
        <ul class="checklist" data-testid="checklist">
            <For each=items key=|i| (i.id.clone(), i.done, i.text.clone()) let(item)>
                <li>
                    <label class="choice">
                        <input type="checkbox" data-testid="check-item" prop:checked=item.done
                            on:change={
                                let (scope, id) = (scope.clone(), item.id.clone());
                                move |ev| {
                                    let Some(c) = card.get_untracked() else { return };
                                    let on = event_target_checked(&ev);
                                    ctx.edit(&board_doc(&scope), "tick the item", |am| edit::set_check_done(am, &c.id, &id, on));
                                }
                            } />
                        <span class:done=item.done>{item.text.clone()}</span>
                    </label>
                    <button type="button" class="dismiss" aria-label="Remove item"
                        on:click={
                            let (scope, id) = (scope.clone(), item.id.clone());
                            move |_| {
                                let Some(c) = card.get_untracked() else { return };
                                ctx.edit(&board_doc(&scope), "remove the item", |am| edit::remove_check_item(am, &c.id, &id));
                            }
                        }>"×"</button>
                </li>
            </For>
        </ul>
        <form class="inline-add" on:submit=add>
            <input type="text" aria-label="New checklist item" placeholder="Add an item…" data-testid="check-add"
                prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev)) />
            <button type="submit">"Add"</button>
        </form>
    }
}

#[component]
fn Comments(scope: BoardScope, card: Memo<Option<Card>>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let directory = directory_memo(ctx);
    let text = RwSignal::new(String::new());
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(c) = card.get_untracked() else {
            return;
        };
        let who = ctx.who(&directory.get_untracked());
        let comment = text.get_untracked();
        let added = ctx.edit(&board_doc(&scope), "add the comment", |am| {
            edit::add_comment(am, &c.id, &comment, &who, local_now())
        });
        if added.is_some() {
            text.set(String::new());
        }
    };
    let comments =
        move || card.with(|c| c.as_ref().map(|c| c.comments.clone()).unwrap_or_default());
    view! {
        <h3>"Comments"</h3>
        <ol class="comments" data-testid="comments">
            <For each=comments key=|c| c.id.clone() let(comment)>
                <li data-testid="comment">
                    <span class="when">{format!("{} · {}", comment.at.format("%-d %b %H:%M"), comment.author)}</span>
                    <p>{comment.text.clone()}</p>
                </li>
            </For>
        </ol>
        <form class="inline-add" on:submit=add>
            <textarea rows="2" aria-label="New comment" placeholder="Write a comment…" data-testid="comment-text"
                prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            <button type="submit" data-testid="comment-add">"Comment"</button>
        </form>
    }
}

#[component]
fn Archive(scope: BoardScope, id: CardId, card: Memo<Option<Card>>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let archived = move || card.with(|c| c.as_ref().is_some_and(|c| c.archived));
    let set = move |on: bool| {
        ctx.edit(&board_doc(&scope), "archive the card", |am| {
            edit::set_archived(am, &id, on)
        });
    };
    view! {
        <div class="actions">
            {move || if archived() {
                let set = set.clone();
                view! { <p class="hint">"Archived: off the board, kept here." <button type="button" data-testid="restore-card" on:click=move |_| set(false)>"Restore"</button></p> }.into_any()
            } else {
                let set = set.clone();
                view! { <button type="button" data-testid="archive-card" on:click=move |_| set(true)>"Archive card"</button> }.into_any()
            }}
        </div>
    }
}

/// The record the card came from, one tap away.
#[component]
fn LinkBack(link: TaskLink) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let kind = DocKind::parse(&match protocol::DocId::new(link.doc.clone()) {
        Ok(doc) => doc,
        Err(_) => return view! { <p class="hint">{link.summary.clone()}</p> }.into_any(),
    });
    match (link.purpose, kind) {
        (LinkPurpose::Rebook | LinkPurpose::ClaimsFollowUp, Some(DocKind::Schedule { site, year, month })) => {
            let id = AppointmentId::from(link.id.as_str());
            let open = move |_| {
                let Some(first) = chrono::NaiveDate::from_ymd_opt(year, month, 1) else { return };
                let day = ctx
                    .month(&site, first)
                    .and_then(|m| m.find(&id).map(|a| a.start.date()))
                    .unwrap_or_else(|| first_of_month(first));
                ctx.site.set(site.clone());
                ctx.day.set(day);
                ctx.selected.set(Some(id.clone()));
                ctx.tab.set(Tab::Today);
            };
            view! {
                <p class="linked-from">
                    <button type="button" class="link" data-testid="open-appointment" on:click=open>
                        {format!("Appointment: {} ↗", link.summary)}
                    </button>
                </p>
            }
            .into_any()
        }
        (LinkPurpose::Incident, Some(DocKind::Incidents { site })) => {
            let open = move |_| {
                ctx.site.set(site.clone());
                ctx.tab.set(Tab::Incidents);
            };
            view! {
                <p class="linked-from">
                    <button type="button" class="link" data-testid="open-incident" on:click=open>
                        {format!("Report: {} ↗", link.summary)}
                    </button>
                </p>
            }
            .into_any()
        }
        _ => view! { <p class="linked-from hint" data-testid="linked-record">{link.summary.clone()}</p> }.into_any(),
    }
}
