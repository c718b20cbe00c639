//! The item list: the receptionist's main screen of Stock. A field that finds by typing
//! and by scanning (a keyboard-wedge scanner types the code and Enter), filters for what is
//! low and what shows a discrepancy, and one row per item with its stock and "Use 1".
//!
//! A site may keep two thousand items: the search and filters are the model's
//! (`model::inventory::search`), run once per reading and keystroke, and only the first
//! [`FIRST_ROWS`] matches are drawn until the person asks for all. Rows are keyed by what
//! they show, so a movement redraws only the row it changed.

use std::sync::Arc;

use chrono::NaiveDate;
use leptos::prelude::*;

use super::item::new_item;
use super::{post_in, stock_place};
use crate::platform::local_now;
use crate::ui::{directory_memo, Ctx};
use crate::words;
use model::inventory::movement::{self, LotChoice, NewMovement};
use model::inventory::search::{self, Counts, Filter, Haystacks};
use model::inventory::undo;
use model::inventory::{Category, Inventory, Item, ItemId, MovementKind};
use model::Directory;

/// Rows drawn at first: enough to scroll through, few enough to draw at once.
const FIRST_ROWS: usize = 200;

/// One row as drawn. It is its own key: when any of it changes, that row alone is drawn
/// again.
#[derive(Clone, PartialEq, Eq, Hash)]
struct Row {
    id: ItemId,
    name: String,
    location: String,
    unit: String,
    on_hand: i64,
    low: bool,
    discrepant: bool,
    lot_tracked: bool,
    /// The soonest-expiring lot that has stock: its expiry and the days left.
    expiry: Option<(NaiveDate, i64)>,
}

impl Row {
    fn of(item: &Item, low: bool, today: NaiveDate) -> Self {
        Self {
            id: item.id.clone(),
            name: item.name.clone(),
            location: item.location.clone(),
            unit: item.unit.clone(),
            on_hand: item.on_hand,
            low,
            discrepant: item.is_discrepant(),
            lot_tracked: item.lot_tracked,
            expiry: item
                .lot_tracked
                .then(|| item.lots.iter().find(|l| l.on_hand > 0))
                .flatten()
                .map(|l| (l.expiry, (l.expiry - today).num_days())),
        }
    }
}

#[component]
pub fn ItemList(
    /// The inventory of the site in view; follows changes.
    inventory: Memo<Arc<Inventory>>,
) -> impl IntoView {
    let stock = stock_place();
    let ctx = expect_context::<Ctx>();
    let directory = directory_memo(ctx);
    let query = RwSignal::new(String::new());
    let filter = RwSignal::new(Filter::All);
    let category = RwSignal::new(None::<Category>);
    let show_all = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let today = Memo::new(move |_| ctx.now.get().date());

    // Each item's searchable text, lowercased once per reading rather than per keystroke.
    let haystacks = Memo::new(move |_| inventory.with(|inv| Haystacks::new(inv)));
    let low = Memo::new(move |_| inventory.with(|inv| search::low(inv)));
    let counts = Memo::new(move |_| inventory.with(|inv| low.with(|low| Counts::of(inv, low))));
    // The positions in `items` of every item the field, filter and category let through.
    let matching = Memo::new(move |_| {
        let (filter, category) = (filter.get(), category.get());
        query.with(|q| {
            inventory.with(|inv| {
                haystacks.with(|hay| {
                    low.with(|low| search::matching(inv, hay, low, q, filter, category))
                })
            })
        })
    });
    let rows = Memo::new(move |_| {
        let limit = if show_all.get() {
            usize::MAX
        } else {
            FIRST_ROWS
        };
        let today = today.get();
        matching.with(|at| {
            inventory.with(|inv| {
                low.with(|low| {
                    at.iter()
                        .take(limit)
                        .filter_map(|&i| inv.items.get(i))
                        .map(|item| Row::of(item, low.contains(&item.id), today))
                        .collect::<Vec<_>>()
                })
            })
        })
    });

    let open = move |id: ItemId| stock.item.set(Some((ctx.site.get_untracked(), id)));
    // Enter in the field: a scanned (or typed) code opens its item; a name that leaves one
    // row opens that row.
    let find = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = query.get_untracked();
        if text.trim().is_empty() {
            return;
        }
        let found = inventory.with_untracked(|inv| inv.find_code(&text).map(|i| i.id.clone()));
        match found {
            Ok(id) => {
                error.set(None);
                query.set(String::new());
                open(id);
            }
            Err(sentence) => {
                let only = matching.with_untracked(|at| match at.as_slice() {
                    [one] => {
                        inventory.with_untracked(|inv| inv.items.get(*one).map(|i| i.id.clone()))
                    }
                    _ => None,
                });
                match only {
                    Some(id) => {
                        error.set(None);
                        open(id);
                    }
                    None => error.set(Some(sentence)),
                }
            }
        }
    };
    // "Use 1": a use that would take from an expired lot is asked about first.
    let use_one = move |row: &Row| {
        let who = ctx.who(&directory.get_untracked());
        let mut used = NewMovement::new(&row.id, MovementKind::Use, 1, local_now(), &who);
        if row.lot_tracked {
            used.lot = LotChoice::FirstExpiring;
        }
        let expired = inventory.with_untracked(|inv| {
            let lot = movement::expired_lot_taken(inv.item(&row.id)?, &used)?;
            Some((lot.number.clone(), lot.expiry))
        });
        let said = crate::words::stock::used_one(&row.unit, &row.name);
        let go = move || use_stock(ctx, directory, used.clone(), said.clone());
        match expired {
            Some((number, expiry)) => ctx.ask_first(
                words::stock::expired_use(&row.name, &number, expiry),
                "Use it anyway",
                go,
            ),
            None => go(),
        }
    };

    let filter_button = move |which: Filter, label: &'static str, test: &'static str| {
        let count = move || counts.with(|c| c.shown_by(which));
        view! {
            <button type="button" data-testid=test
                class:active=move || filter.get() == which
                aria-pressed=move || (filter.get() == which).to_string()
                on:click=move |_| filter.set(which)>
                {label}" "<span class="stock-count">{count}</span>
            </button>
        }
    };
    let plural = |n: usize, one: &'static str, many: &'static str| if n == 1 { one } else { many };

    view! {
        <section class="stock-list" data-testid="stock-list">
            <div class="stock-tools">
                <form class="stock-find" role="search" on:submit=find>
                    <input type="search" class="stock-search" data-testid="stock-search"
                        aria-label="Find or scan an item" placeholder="Find or scan an item…"
                        autocomplete="off" enterkeyhint="search"
                        prop:value=move || query.get()
                        on:input=move |ev| {
                            error.set(None);
                            query.set(event_target_value(&ev));
                        } />
                </form>
                <button type="button" class="primary" data-testid="stock-add-item"
                    on:click=move |_| stock.item.set(Some((ctx.site.get_untracked(), new_item())))>
                    "Add item"
                </button>
            </div>
            <p class="field-error" data-testid="stock-search-error" role="alert">{move || error.get()}</p>
            <div class="stock-filters">
                <div class="mode" role="group" aria-label="Show">
                    {filter_button(Filter::All, "All", "stock-filter-all")}
                    {filter_button(Filter::Low, "Low", "stock-filter-low")}
                    {filter_button(Filter::Discrepancy, "Discrepancies", "stock-filter-discrepancy")}
                    <Show when=move || counts.with(|c| c.archived > 0) || filter.get() == Filter::Archived>
                        {filter_button(Filter::Archived, "Archived", "stock-filter-archived")}
                    </Show>
                </div>
                <select class="stock-category" aria-label="Category" data-testid="stock-category"
                    on:change=move |ev| category.set(Category::parse(&event_target_value(&ev)))>
                    <option value="" prop:selected=move || category.get().is_none()>"All categories"</option>
                    {Category::ALL.map(|c| view! {
                        <option value=c.code() prop:selected=move || category.get() == Some(c)>{c.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <p class="stock-summary" data-testid="stock-summary">
                {move || counts.with(|c| format!(
                    "{} {} · {} low · {} {}",
                    c.items, plural(c.items, "item", "items"),
                    c.low,
                    c.discrepancies, plural(c.discrepancies, "discrepancy", "discrepancies"),
                ))}
            </p>
            <Show when=move || counts.with(|c| c.discrepancies > 0)>
                <p class="stock-alert" data-testid="stock-discrepancy-note" role="status">
                    <strong>{move || counts.with(|c| format!(
                        "{} {} negative stock.",
                        c.discrepancies,
                        plural(c.discrepancies, "item shows", "items show"),
                    ))}</strong>
                    " Negative stock means more was used than recorded, for example by two desks \
                     working offline at once. Resolve it by counting the item."
                </p>
            </Show>
            {move || inventory.with(|inventory| inventory.shared_codes().into_iter().map(|(code, items)| {
                let names: Vec<&str> = items.iter().map(|i| i.name.as_str()).collect();
                view! {
                    <p class="stock-alert" data-testid="stock-shared-code" role="status">
                        <strong>{format!("{} items share the code {code}: {}.", names.len(), names.join(", "))}</strong>
                        " A scan finds only one of them. Two desks may have added the same item \
                         while offline: archive the extra one, or give it its own code."
                    </p>
                }
            }).collect_view())}
            {move || {
                let shown = matching.with(Vec::len);
                (shown == 0).then(|| {
                    let sentence = if counts.with(|c| c.items == 0) && filter.get() == Filter::All {
                        "No supplies at this site yet: add an item, or import a spreadsheet."
                    } else {
                        "No item matches."
                    };
                    view! { <p class="empty" data-testid="stock-empty">{sentence}</p> }
                })
            }}
            <ul class="stock-rows">
                <For each=move || rows.get() key=|row| row.clone() let(row)>
                    {row_view(row, use_one, open)}
                </For>
            </ul>
            {move || {
                let total = matching.with(Vec::len);
                (!show_all.get() && total > FIRST_ROWS).then(|| view! {
                    <button type="button" class="stock-more" data-testid="stock-more"
                        on:click=move |_| show_all.set(true)>
                        {format!("Show all {total}")}
                    </button>
                })
            }}
        </section>
    }
}

/// Posts a use, and offers to take it back.
fn use_stock(ctx: Ctx, directory: Memo<Directory>, used: NewMovement, said: String) {
    let site = ctx.site.get_untracked();
    let undo_site = site.clone();
    // The use goes into the log of its own day, and so does its undoing.
    let day = used.at.date();
    post_in(
        ctx,
        &site,
        day,
        "use stock",
        move |inv, log| movement::post(inv, log, &used),
        move |id| {
            ctx.done(said, move || {
                let who = ctx.who(&directory.get_untracked());
                let id = id.clone();
                post_in(
                    ctx,
                    &undo_site,
                    day,
                    "undo the use",
                    move |inv, log| undo::reverse(inv, log, &id, &who, local_now()),
                    move |_| ctx.said(crate::words::stock::USE_UNDONE),
                );
            })
        },
    );
}

fn row_view(
    row: Row,
    use_one: impl Fn(&Row) + Copy + 'static,
    open: impl Fn(ItemId) + Copy + 'static,
) -> impl IntoView {
    let stock = stock_place();
    let id = row.id.clone();
    let selected = {
        let id = id.clone();
        move || {
            stock
                .item
                .with(|chosen| chosen.as_ref().is_some_and(|(_, open)| *open == id))
        }
    };
    let expiry = row.expiry.map(|(day, left)| {
        let text = if left < 0 {
            format!("expired {}", day.format("%-d %b %Y"))
        } else {
            format!("exp {}", day.format("%-d %b %Y"))
        };
        view! {
            <span class="stock-expiry" class:expired=left < 0 class:soon=(0..=30).contains(&left)
                data-testid="stock-soonest-expiry">{text}</span>
        }
    });
    let use_label = format!("Use 1 {} of {}", row.unit, row.name);
    let for_use = row.clone();
    view! {
        <li class="stock-row" class:selected=selected class:stock-row-low=row.low
            class:stock-row-discrepant=row.discrepant
            data-testid="stock-row" data-item=row.id.to_string()>
            <button type="button" class="stock-open" on:click=move |_| open(id.clone())>
                <span class="stock-name">{row.name.clone()}</span>
                <span class="stock-meta">
                    {(!row.location.is_empty()).then(|| view! { <span>{row.location.clone()}</span> })}
                    {expiry}
                    {row.low.then(|| view! { <span class="stock-badge low" data-testid="stock-low">"Low"</span> })}
                    {row.discrepant.then(|| view! {
                        <span class="stock-badge discrepancy" data-testid="stock-discrepancy">"Discrepancy"</span>
                    })}
                </span>
            </button>
            <span class="stock-qty" class:negative=row.on_hand < 0>
                <span class="stock-number" data-testid="stock-on-hand">{row.on_hand}</span>
                <span class="stock-unit">{row.unit.clone()}</span>
            </span>
            <button type="button" class="stock-use" data-testid="stock-use-one" aria-label=use_label
                on:click=move |_| use_one(&for_use)>"Use 1"</button>
        </li>
    }
}
