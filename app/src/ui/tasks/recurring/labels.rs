//! The board's labels: chips with their colour, removed with one tap (cards that carry a
//! removed label keep it, hidden), and a new one named with a colour of the palette.

use leptos::prelude::*;

use crate::ui::Ctx;
use model::board::columns::{add_label, remove_label};
use model::board::{Board, BoardScope, Label};
use model::directory::{validate_name, PALETTE};

use super::edit_board;

/// Names for the palette's colours, in its order.
const COLOUR_NAMES: [&str; 8] = [
    "Blue", "Amber", "Green", "Pink", "Lavender", "Yellow", "Teal", "Peach",
];

/// The first colour of the palette no label of the board has yet, or the first.
fn unused_colour(board: Option<&Board>) -> &'static str {
    let used = |colour: &str| {
        board.is_some_and(|b| {
            b.labels
                .iter()
                .any(|l| l.colour.eq_ignore_ascii_case(colour))
        })
    };
    PALETTE
        .iter()
        .copied()
        .find(|c| !used(c))
        .unwrap_or(PALETTE[0])
}

#[component]
pub(super) fn LabelsCard(scope: Memo<BoardScope>, board: Memo<Option<Board>>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let labels = move || board.with(|b| b.as_ref().map(|b| b.labels.clone()).unwrap_or_default());
    let name = RwSignal::new(String::new());
    let colour = RwSignal::new(
        board
            .with_untracked(|b| unused_colour(b.as_ref()))
            .to_string(),
    );
    let error = RwSignal::new(None::<String>);
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = match validate_name(&name.get_untracked(), "label's name") {
            Ok(typed) => typed,
            Err(why) => return error.set(Some(why)),
        };
        let chosen = colour.get_untracked();
        match edit_board(ctx, scope, "add the label", |am| {
            add_label(am, &typed, &chosen)
        }) {
            Ok(_) => {
                name.set(String::new());
                error.set(None);
                colour.set(
                    board
                        .with_untracked(|b| unused_colour(b.as_ref()))
                        .to_string(),
                );
            }
            Err(why) => error.set(Some(why)),
        }
    };
    let options = PALETTE
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            let words = COLOUR_NAMES.get(i).copied().unwrap_or(c);
            view! {
                <option value=c prop:selected=move || colour.with(|v| v.eq_ignore_ascii_case(c))>{words}</option>
            }
        })
        .collect_view();
    view! {
        <section class="card" data-testid="labels-card">
            <h2>"Labels"</h2>
            <ul class="label-chips">
                <For each=labels key=|l| (l.id.clone(), l.name.clone(), l.colour.clone())
                    children=move |l| label_chip(ctx, scope, error, l) />
            </ul>
            <Show when=move || board.with(|b| b.as_ref().is_some_and(|b| b.labels.is_empty()))>
                <p class="empty" data-testid="no-labels">"No labels on this board."</p>
            </Show>
            <form class="row-form" on:submit=add>
                <label class="field">
                    <span class="label">"New label"</span>
                    <input type="text" data-testid="add-label-name" placeholder="Urgent"
                        prop:value=move || name.get()
                        on:input=move |ev| name.set(event_target_value(&ev)) />
                </label>
                <label class="field label-colour">
                    <span class="label">"Colour"</span>
                    <span class="colour-pick">
                        <span class="swatch" aria-hidden="true"
                            style:background-color=move || colour.get()></span>
                        <select data-testid="add-label-colour" prop:value=move || colour.get()
                            on:change=move |ev| colour.set(event_target_value(&ev))>
                            {options}
                        </select>
                    </span>
                </label>
                <button class="primary" type="submit" data-testid="add-label">"Add label"</button>
                <span class="field-error" role="alert" data-testid="label-error">{move || error.get()}</span>
            </form>
        </section>
    }
}

/// One label: its colour, its name and Remove.
fn label_chip(
    ctx: Ctx,
    scope: Memo<BoardScope>,
    error: RwSignal<Option<String>>,
    label: Label,
) -> impl IntoView {
    let id = label.id.clone();
    let remove = move |_| {
        let removed = edit_board(ctx, scope, "remove the label", |am| remove_label(am, &id));
        error.set(removed.err());
    };
    view! {
        <li class="label-chip" data-testid="label-chip">
            <span class="swatch" aria-hidden="true" style:background-color=label.colour></span>
            <span class="label-name">{label.name.clone()}</span>
            <button type="button" class="danger" data-testid="remove-label"
                aria-label=format!("Remove {}", label.name) on:click=remove>"Remove"</button>
        </li>
    }
}
