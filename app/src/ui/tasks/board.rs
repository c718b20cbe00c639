//! One board: its columns side by side (one under another on a phone), each with its cards
//! in order and a field to add a card. Cards move by drag and drop, or from the card's
//! panel with "Move to…", which works by touch and keyboard.

use leptos::prelude::*;

use crate::platform::local_now;
use crate::ui::tasks::{edit_board, read_board, tasks_place};
use crate::ui::{directory_memo, Ctx};
use model::board::edit::{self, Place, ValidCard};
use model::board::{Board, BoardScope, Card, CardId, ColumnId};
use model::Directory;

#[component]
pub fn BoardView(
    /// The board shown.
    scope: Memo<BoardScope>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let directory = directory_memo(ctx);
    let board = Memo::new(move |_| read_board(ctx, &scope.get()));
    // The card being dragged, if any: drops within the page need nothing more.
    let dragged = RwSignal::new(None::<CardId>);
    let columns = move || {
        board.with(|b| {
            b.as_ref()
                .map(|b| b.columns.iter().map(|c| c.id.clone()).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    };
    view! {
        <Show when=move || board.with(Option::is_some)
            fallback=|| view! { <p class="empty">"Loading the board…"</p> }>
            <div class="board" data-testid="board">
                <For each=columns key=|id| id.clone() let(column)>
                    <ColumnView board=board scope=scope column=column dragged=dragged directory=directory />
                </For>
            </div>
            <Archived board=board scope=scope />
        </Show>
    }
}

/// The board's archived cards, folded away: each opens in the panel, where it can be
/// restored. Archiving takes a card off the board, never out of the document.
#[component]
fn Archived(board: Memo<Option<Board>>, scope: Memo<BoardScope>) -> impl IntoView {
    let tasks = tasks_place();
    let archived = Memo::new(move |_| {
        board.with(|b| {
            b.as_ref()
                .map(|b| {
                    b.cards
                        .iter()
                        .filter(|c| c.archived)
                        .map(|c| (c.id.clone(), c.title.clone()))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    view! {
        <Show when=move || archived.with(|a| !a.is_empty())>
            <details class="archived" data-testid="archived">
                <summary>{move || format!("Archived cards ({})", archived.with(Vec::len))}</summary>
                <ul class="task-rows">
                    <For each=move || archived.get() key=|c| c.clone() let((id, title))>
                        <li class="task-row">
                            <button type="button" class="task-open" data-testid="archived-card"
                                on:click=move |_| tasks.card.set(Some((scope.get_untracked(), id.clone())))>
                                <span class="task-title">{title}</span>
                            </button>
                        </li>
                    </For>
                </ul>
            </details>
        </Show>
    }
}

/// Moves `card` to `place` in `column`, as the board is now.
pub fn move_to(ctx: Ctx, scope: &BoardScope, card: &CardId, column: &ColumnId, place: Place) {
    edit_board(ctx, scope, "move the card", |am, board| {
        edit::move_card(am, board, card, column, &place)
    });
}

#[component]
fn ColumnView(
    board: Memo<Option<Board>>,
    scope: Memo<BoardScope>,
    column: ColumnId,
    dragged: RwSignal<Option<CardId>>,
    directory: Memo<Directory>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let info = {
        let column = column.clone();
        Memo::new(move |_| board.with(|b| b.as_ref().and_then(|b| b.column(&column).cloned())))
    };
    let cards = {
        let column = column.clone();
        Memo::new(move |_| {
            board.with(|b| {
                b.as_ref()
                    .map(|b| b.cards_in(&column).into_iter().cloned().collect::<Vec<_>>())
                    .unwrap_or_default()
            })
        })
    };
    let drop_at = {
        let column = column.clone();
        move |place: Place| {
            if let Some(card) = dragged.get_untracked() {
                dragged.set(None);
                move_to(ctx, &scope.get_untracked(), &card, &column, place);
            }
        }
    };
    let title = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let add = {
        let column = column.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let text = title.get_untracked();
            if model::tidy(&text).is_empty() {
                error.set(Some("Enter a title for the card.".into()));
                return;
            }
            let card = ValidCard {
                title: model::tidy(&text),
                description: String::new(),
                column: column.clone(),
                assignees: Vec::new(),
                labels: Vec::new(),
                due: None,
            };
            let who = ctx.who(&directory.get_untracked());
            let added = edit_board(ctx, &scope.get_untracked(), "add the card", |am, board| {
                edit::add_card(am, board, &card, &Place::Bottom, &who, local_now())
            });
            if added.is_some() {
                title.set(String::new());
                error.set(None);
            }
        }
    };
    let drop_end = drop_at.clone();
    view! {
        <section class="board-column" data-testid="column" data-column=column.to_string()
            class:done=move || info.with(|c| c.as_ref().is_some_and(|c| c.done))
            on:dragover=|ev| ev.prevent_default()
            on:drop=move |ev| { ev.prevent_default(); drop_end(Place::Bottom) }>
            <header class="column-title">
                <h3>{move || info.with(|c| c.as_ref().map(|c| c.name.clone()))}</h3>
                <span class="count" data-testid="column-count">{move || cards.with(Vec::len)}</span>
            </header>
            <ul class="task-cards">
                <For each=move || cards.get() key=|c| (c.id.clone(), c.clone()) let(card)>
                    <CardTile card=card board=board scope=scope dragged=dragged drop_at=drop_at.clone() directory=directory />
                </For>
            </ul>
            <form class="quick-add" on:submit=add>
                <input type="text" placeholder="Add a card…" aria-label="New card's title"
                    data-testid="quick-add" maxlength="200"
                    prop:value=move || title.get()
                    on:input=move |ev| title.set(event_target_value(&ev)) />
                <button type="submit" data-testid="quick-add-button">"Add"</button>
                <p class="field-error">{move || error.get()}</p>
            </form>
        </section>
    }
}

/// A card on the board: title, labels, when it is due, who has it, how far its checklist is.
#[component]
fn CardTile(
    card: Card,
    board: Memo<Option<Board>>,
    scope: Memo<BoardScope>,
    dragged: RwSignal<Option<CardId>>,
    drop_at: impl Fn(Place) + Clone + 'static,
    directory: Memo<Directory>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let tasks = tasks_place();
    let labels = board.with_untracked(|b| {
        b.as_ref()
            .map(|b| {
                card.labels
                    .iter()
                    .filter_map(|l| b.label(l).cloned())
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    });
    let done = board.with_untracked(|b| b.as_ref().is_some_and(|b| b.is_done(&card)));
    // Turns amber, then red, as the clock passes the due time.
    let due = card.due.map(|d| {
        let class = move || {
            let now = ctx.now.get();
            if done {
                "due"
            } else if d.deadline() < now {
                "due overdue"
            } else if d.date == now.date() {
                "due today"
            } else {
                "due"
            }
        };
        view! { <span class=class data-testid="card-due">{d.describe()}</span> }
    });
    let people: Vec<String> = directory.with_untracked(|d| {
        card.assignees
            .iter()
            .filter_map(|id| d.staff_member(id))
            .map(|s| initials(&s.name))
            .collect()
    });
    let (checked, items) = card.checklist_done();
    let id = card.id.clone();
    let open = {
        let id = id.clone();
        move |_| tasks.card.set(Some((scope.get_untracked(), id.clone())))
    };
    let selected = {
        let id = id.clone();
        move || {
            tasks
                .card
                .with(|c| c.as_ref().is_some_and(|(_, c)| c == &id))
        }
    };
    let start_drag = {
        let id = id.clone();
        move |ev: leptos::ev::DragEvent| {
            if let Some(data) = ev.data_transfer() {
                let _ = data.set_data("text/plain", id.as_str());
            }
            dragged.set(Some(id.clone()));
        }
    };
    view! {
        <li class="task-card" data-testid="task-card" data-card=id.to_string() draggable="true"
            class:selected=selected
            on:dragstart=start_drag
            on:dragend=move |_| dragged.set(None)
            on:dragover=|ev| ev.prevent_default()
            on:drop=move |ev| { ev.prevent_default(); ev.stop_propagation(); drop_at(Place::Before(id.clone())) }>
            <button type="button" class="task-open" on:click=open>
                <span class="task-title" data-testid="card-title">{card.title.clone()}</span>
                <span class="task-meta">
                    {labels.into_iter().map(|l| view! {
                        <span class="chip" data-testid="card-label" style:background-color=l.colour>{l.name}</span>
                    }).collect_view()}
                    {due}
                    {(items > 0).then(|| view! { <span class="checks">{format!("☑ {checked}/{items}")}</span> })}
                    {(!card.comments.is_empty()).then(|| view! { <span class="comments">{match card.comments.len() { 1 => "1 comment".to_string(), n => format!("{n} comments") }}</span> })}
                    {card.link.as_ref().map(|l| view! { <span class="linked" title=l.summary.clone()>"↗"</span> })}
                    {people.into_iter().map(|p| view! { <span class="person">{p}</span> }).collect_view()}
                    {(!card.other_titles.is_empty()).then(|| view! { <span class="flag">"Edited on two devices"</span> })}
                </span>
            </button>
        </li>
    }
}

/// "Ana Reyes" → "AR".
pub fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|w| w.chars().next())
        .take(2)
        .collect::<String>()
        .to_uppercase()
}
