//! Cycle counts: choose a storage location and count it, item by item (lot by lot for
//! lot-tracked items); post the count to add each difference as an adjustment. Open counts
//! can be resumed on any desk; the last posted counts are listed.

mod sheet;

use std::sync::Arc;

use leptos::prelude::*;

use super::orders::when;
use crate::platform::local_now;
use crate::ui::stock::edit_inventory;
use crate::ui::{directory_memo, Ctx};
use model::inventory::count::{self, CountState};
use model::inventory::{Count, CountId, Inventory};

/// How many posted counts the history lists.
const HISTORY: usize = 10;

/// The count the page shows: the one chosen on this desk while it is open, else the newest
/// open count this desk (or person) started, else the newest open count.
fn shown_count(counts: &[Count], chosen: Option<&CountId>, me: &str) -> Option<CountId> {
    let open: Vec<&Count> = counts
        .iter()
        .filter(|c| c.state == CountState::Open)
        .collect();
    chosen
        .and_then(|id| open.iter().find(|c| &c.id == id))
        .or_else(|| open.iter().find(|c| c.by == me))
        .or(open.first())
        .map(|c| c.id.clone())
}

#[component]
pub fn CountMode(inventory: Memo<Arc<Inventory>>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let directory = directory_memo(ctx);
    let chosen = RwSignal::new(None::<CountId>);
    let location = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let message = RwSignal::new(None::<String>);
    let shown = Memo::new(move |_| {
        let me = directory.with(|d| ctx.who(d).name().to_string());
        inventory.with(|i| chosen.with(|c| shown_count(&i.counts, c.as_ref(), &me)))
    });
    let locations = Memo::new(move |_| inventory.with(|i| i.locations()));
    let open_counts = Memo::new(move |_| {
        inventory.with(|i| {
            i.counts
                .iter()
                .filter(|c| c.state == CountState::Open)
                .map(|c| {
                    let summary = format!(
                        "Started {} by {} · {} counted",
                        when(c.started),
                        c.by,
                        c.lines.len()
                    );
                    (c.id.clone(), c.location.clone(), summary)
                })
                .collect::<Vec<_>>()
        })
    });
    let start = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        message.set(None);
        let place = location.get_untracked();
        if place.trim().is_empty() {
            error.set(Some("Choose the storage location to count.".into()));
            return;
        }
        error.set(None);
        // A location already being counted is resumed rather than counted twice.
        let open = inventory.with_untracked(|i| {
            i.counts
                .iter()
                .find(|c| c.state == CountState::Open && c.location.eq_ignore_ascii_case(&place))
                .map(|c| c.id.clone())
        });
        if let Some(id) = open {
            chosen.set(Some(id));
            message.set(Some(format!(
                "{place} is being counted already: carry on below."
            )));
            return;
        }
        let who = directory.with_untracked(|d| ctx.who(d));
        edit_inventory(
            ctx,
            &ctx.site.get_untracked(),
            "start the count",
            move |doc| count::start(doc, &place, local_now(), &who),
            move |id| chosen.set(Some(id)),
        );
    };
    view! {
        <div class="stock-ops" data-testid="count-page">
            <section class="card ops-section">
                <h2>"Count a storage location"</h2>
                <Show when=move || locations.with(|l| !l.is_empty())
                    fallback=|| view! { <p class="empty">"No item has a storage location yet. Give items one in their details to count them by location."</p> }>
                    <form class="ops-inline-form" on:submit=start>
                        <label class="field">
                            <span class="label">"Storage location"</span>
                            <select data-testid="count-location" prop:value=move || location.get()
                                on:change=move |ev| location.set(event_target_value(&ev))>
                                <option value="" prop:selected=move || location.with(String::is_empty)>"Choose a location"</option>
                                <For each=move || locations.get() key=|l| l.clone()
                                    children=move |l| {
                                        let selected = {
                                            let l = l.clone();
                                            move || location.with(|chosen| *chosen == l)
                                        };
                                        view! { <option value=l.clone() prop:selected=selected>{l.clone()}</option> }
                                    } />
                            </select>
                            <span class="field-error" role="alert">{move || error.get()}</span>
                        </label>
                        <button type="submit" class="primary" data-testid="count-start">"Start count"</button>
                    </form>
                </Show>
                <p class="ops-done" role="status" data-testid="count-message">{move || message.get()}</p>
                <Show when=move || open_counts.with(|c| !c.is_empty())>
                    <h3 class="ops-group">"Open counts"</h3>
                    <ul class="ops-rows">
                        <For each=move || open_counts.get() key=|row| row.clone()
                            children=move |(id, place, summary)| {
                                let this = id.clone();
                                let current = Memo::new(move |_| shown.with(|s| s.as_ref() == Some(&this)));
                                view! {
                                    <li class="ops-row" class:opened=current data-testid="count-open-row">
                                        <button type="button" class="ops-open" aria-pressed=move || current.get().to_string()
                                            on:click=move |_| { message.set(None); chosen.set(Some(id.clone())) }>
                                            <span class="ops-name">{place}</span>
                                            <span class="ops-meta">{summary}</span>
                                        </button>
                                    </li>
                                }
                            } />
                    </ul>
                </Show>
            </section>
            {move || shown.get().map(|id| view! { <sheet::CountSheet inventory=inventory id=id message=message /> })}
            <History inventory=inventory />
        </div>
    }
}

/// The last posted counts: where, when, by whom, how many lines and adjustments.
#[component]
fn History(inventory: Memo<Arc<Inventory>>) -> impl IntoView {
    let rows = Memo::new(move |_| {
        inventory.with(|i| {
            let mut posted: Vec<&Count> = i
                .counts
                .iter()
                .filter(|c| c.state == CountState::Posted)
                .collect();
            posted.sort_by(|a, b| (b.posted, &b.id).cmp(&(a.posted, &a.id)));
            posted
                .into_iter()
                .take(HISTORY)
                .map(|c| {
                    let adjustments = c.lines.iter().filter(|l| l.difference() != 0).count();
                    (
                        c.id.clone(),
                        c.location.clone(),
                        format!(
                            "Posted {} by {} · {} {} counted · {} {}",
                            c.posted.map(when).unwrap_or_default(),
                            c.by,
                            c.lines.len(),
                            if c.lines.len() == 1 { "line" } else { "lines" },
                            adjustments,
                            if adjustments == 1 {
                                "adjustment"
                            } else {
                                "adjustments"
                            }
                        ),
                    )
                })
                .collect::<Vec<_>>()
        })
    });
    view! {
        <section class="card ops-section" data-testid="count-history">
            <h2>"Posted counts"</h2>
            <Show when=move || rows.with(|r| !r.is_empty())
                fallback=|| view! { <p class="empty">"No count has been posted at this site yet."</p> }>
                <ul class="ops-rows">
                    <For each=move || rows.get() key=|row| row.clone()
                        children=|(_, place, summary)| view! {
                            <li class="ops-row" data-testid="count-history-row">
                                <span class="ops-name">{place}</span>
                                <span class="ops-meta">{summary}</span>
                            </li>
                        } />
                </ul>
            </Show>
        </section>
    }
}
