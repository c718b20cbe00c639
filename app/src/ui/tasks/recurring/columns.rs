//! The board's columns, in order: renamed, marked as holding finished work, moved left or
//! right, removed when empty, and added at the end.

use leptos::prelude::*;
use web_sys::HtmlInputElement;

use crate::ui::Ctx;
use model::board::columns::{
    add_column, remove_column, rename_column, set_column_done, shift_column,
};
use model::board::{Board, BoardScope, Column, ColumnId};
use model::directory::validate_name;

use super::edit_board;

#[component]
pub(super) fn ColumnsCard(scope: Memo<BoardScope>, board: Memo<Option<Board>>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let ids = move || {
        board.with(|b| {
            b.as_ref()
                .map(|b| b.columns.iter().map(|c| c.id.clone()).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    };
    let name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = match validate_name(&name.get_untracked(), "column's name") {
            Ok(typed) => typed,
            Err(why) => return error.set(Some(why)),
        };
        let added = edit_board(ctx, scope, "add the column", |am| {
            let fresh = Board::read(am)?;
            add_column(am, &fresh, &typed)
        });
        match added {
            Ok(_) => {
                name.set(String::new());
                error.set(None);
            }
            Err(why) => error.set(Some(why)),
        }
    };
    view! {
        <section class="card" data-testid="columns-card">
            <h2>"Columns"</h2>
            <p class="hint">"Cards in a column of finished work are done: never overdue, and not in anyone's open tasks."</p>
            <ul class="entries columns">
                <For each=ids key=|id| id.clone() let(id)>
                    <ColumnEntry scope=scope board=board id=id />
                </For>
            </ul>
            <form class="row-form" on:submit=add>
                <label class="field">
                    <span class="label">"New column"</span>
                    <input type="text" data-testid="add-column-name" placeholder="Waiting for reply"
                        prop:value=move || name.get()
                        on:input=move |ev| name.set(event_target_value(&ev)) />
                </label>
                <button class="primary" type="submit" data-testid="add-column">"Add column"</button>
                <span class="field-error" role="alert" data-testid="add-column-error">{move || error.get()}</span>
            </form>
        </section>
    }
}

/// Where a column stands: itself, and whether it is the first and the last.
type Place = Option<(Column, bool, bool)>;

/// One column. Its name field keeps what is typed until saved; untouched, it follows the
/// name the board holds.
#[component]
fn ColumnEntry(scope: Memo<BoardScope>, board: Memo<Option<Board>>, id: ColumnId) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let place = Memo::new({
        let id = id.clone();
        move |_| -> Place {
            board.with(|b| {
                let columns = &b.as_ref()?.columns;
                let at = columns.iter().position(|c| c.id == id)?;
                Some((columns[at].clone(), at == 0, at + 1 == columns.len()))
            })
        }
    });
    let draft = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let stored_name = move || place.with(|p| p.as_ref().map(|(c, ..)| c.name.clone()));
    let shown_name = move || draft.get().or_else(stored_name).unwrap_or_default();
    let done = move || place.with(|p| p.as_ref().is_some_and(|(c, ..)| c.done));
    let first = move || place.with(|p| p.as_ref().is_none_or(|(_, first, _)| *first));
    let last = move || place.with(|p| p.as_ref().is_none_or(|(.., last)| *last));
    let show = move |outcome: Result<(), String>| error.set(outcome.err());

    let rename = {
        let id = id.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let Some(typed) = draft.get_untracked() else {
                return;
            };
            let renamed = validate_name(&typed, "column's name").and_then(|name| {
                edit_board(ctx, scope, "rename the column", |am| {
                    rename_column(am, &id, &name)
                })
            });
            if renamed.is_ok() {
                draft.set(None);
            }
            show(renamed);
        }
    };
    let set_done = {
        let id = id.clone();
        move |ev: leptos::ev::Event| {
            let on = event_target_checked(&ev);
            let outcome = edit_board(ctx, scope, "change the column", |am| {
                set_column_done(am, &id, on)
            });
            if outcome.is_err() {
                // Nothing changed: the box shows the column as it is.
                event_target::<HtmlInputElement>(&ev).set_checked(!on);
            }
            show(outcome);
        }
    };
    let shift = {
        let id = id.clone();
        move |by: i32| {
            show(edit_board(ctx, scope, "move the column", |am| {
                let fresh = Board::read(am)?;
                shift_column(am, &fresh, &id, by)
            }));
        }
    };
    let remove = move |_| {
        show(edit_board(ctx, scope, "remove the column", |am| {
            let fresh = Board::read(am)?;
            remove_column(am, &fresh, &id)
        }));
    };
    view! {
        <li class="entry column" data-testid="column-row">
            <div class="entry-head">
                <form class="column-name" on:submit=rename>
                    <input type="text" data-testid="column-name" aria-label="Column name"
                        prop:value=shown_name
                        on:input=move |ev| draft.set(Some(event_target_value(&ev))) />
                    <button type="submit" data-testid="rename-column"
                        class:changed=move || draft.with(Option::is_some)>"Save"</button>
                </form>
                <div class="entry-actions">
                    <label class="check">
                        <input type="checkbox" data-testid="column-done" prop:checked=done
                            on:change=set_done />
                        <span>"Finished work"</span>
                    </label>
                    <button type="button" data-testid="column-left" aria-label="Move left"
                        title="Move left" disabled=first on:click={
                            let shift = shift.clone();
                            move |_| shift(-1)
                        }>"←"</button>
                    <button type="button" data-testid="column-right" aria-label="Move right"
                        title="Move right" disabled=last on:click=move |_| shift(1)>"→"</button>
                    <button type="button" class="danger" data-testid="remove-column"
                        on:click=remove>"Remove"</button>
                </div>
            </div>
            <span class="field-error" role="alert" data-testid="column-error">{move || error.get()}</span>
        </li>
    }
}
