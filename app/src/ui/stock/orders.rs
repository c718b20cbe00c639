//! Reorder and purchase orders: what is at or below its reorder point, put on draft orders
//! (one per supplier) with the quantities a person checked; then the site's orders, open
//! ones first, each opening in place to be edited, sent, received against or cancelled.
//!
//! What a person types is kept in signals of this page, keyed by item, order or line, so
//! that a change from another desk redraws the figures around it and never what is typed.

mod detail;
mod receive;
mod sheet;

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDateTime;
use leptos::prelude::*;

use crate::platform::local_now;
use crate::ui::stock::{edit_inventory, inventory_doc};
use crate::ui::{currency_memo, directory_memo, Ctx};
use model::board::link;
use model::inventory::form::parse_count;
use model::inventory::reorder::{self, Suggestion};
use model::inventory::{order, Inventory, ItemId, Order, OrderId, OrderState};

/// A whole number as typed, of at least `least`, or the sentence that says what is wrong.
pub(super) fn typed_number(text: &str, what: &str, least: i64) -> Result<i64, String> {
    if text.trim().is_empty() {
        return Err(format!("{what} is missing: type a number, like 3."));
    }
    parse_count(text, what, least)
}

/// A moment as the lists show it: "4 Mar 2026, 09:30".
pub(super) fn when(at: NaiveDateTime) -> String {
    at.format("%-d %b %Y, %H:%M").to_string()
}

/// What a person changed on a suggestion: the quantity as typed, and whether it is left off.
#[derive(Clone, Default)]
struct RowEdit {
    quantity: Option<String>,
    left_off: bool,
}

/// The suggestions to order with the quantities typed, or the first typed mistake.
fn chosen(all: &[Suggestion], edits: &HashMap<ItemId, RowEdit>) -> Result<Vec<Suggestion>, String> {
    let mut wanted = Vec::new();
    for s in all {
        let edit = edits.get(&s.item).cloned().unwrap_or_default();
        if edit.left_off {
            continue;
        }
        let quantity = match &edit.quantity {
            Some(text) => {
                typed_number(text, "The quantity", 1).map_err(|e| format!("{}: {e}", s.name))?
            }
            None => s.quantity,
        };
        wanted.push(Suggestion {
            quantity,
            ..s.clone()
        });
    }
    Ok(wanted)
}

#[component]
pub fn Orders(inventory: Memo<Arc<Inventory>>) -> impl IntoView {
    let opened = RwSignal::new(None::<OrderId>);
    view! {
        <div class="stock-ops" data-testid="orders-page">
            <ReorderList inventory=inventory opened=opened />
            <OrderList inventory=inventory opened=opened />
        </div>
    }
}

/// The items at or below their reorder point, each with the quantity that brings it back
/// to par, to be put on draft orders.
#[component]
fn ReorderList(
    inventory: Memo<Arc<Inventory>>,
    opened: RwSignal<Option<OrderId>>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let directory = directory_memo(ctx);
    let suggestions = Memo::new(move |_| inventory.with(|i| reorder::suggestions(i)));
    let edits = RwSignal::new(HashMap::<ItemId, RowEdit>::new());
    let error = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<String>);
    let draft = move |_| {
        done.set(None);
        let mut wanted =
            match edits.with_untracked(|e| suggestions.with_untracked(|s| chosen(s, e))) {
                Ok(wanted) if wanted.is_empty() => {
                    error.set(Some("Tick at least one item to order.".into()));
                    return;
                }
                Ok(wanted) => wanted,
                Err(message) => {
                    error.set(Some(message));
                    return;
                }
            };
        error.set(None);
        directory.with_untracked(|d| reorder::match_vendors(&mut wanted, d));
        let who = directory.with_untracked(|d| ctx.who(d));
        let items = wanted.len();
        edit_inventory(
            ctx,
            &ctx.site.get_untracked(),
            "put the items on draft orders",
            move |doc| order::draft_from_suggestions(doc, &wanted, local_now(), &who),
            move |drafts| {
                edits.set(HashMap::new());
                let orders = drafts.len();
                done.set(Some(format!(
                    "Put {items} {} on {orders} draft {}.",
                    if items == 1 { "item" } else { "items" },
                    if orders == 1 { "order" } else { "orders" }
                )));
                if let Some(first) = drafts.into_iter().next() {
                    opened.set(Some(first));
                }
            },
        );
    };
    view! {
        <section class="card ops-section" data-testid="reorder">
            <h2>"To reorder"</h2>
            <Show when=move || suggestions.with(|s| !s.is_empty())
                fallback=|| view! { <p class="empty" data-testid="reorder-empty">"Nothing is at or below its reorder point: there is nothing to order."</p> }>
                <p class="hint">"Each quantity brings the item back to its par level once what is on order arrives, in whole packs. Change it or untick the item before putting it on the supplier's draft order."</p>
                <ul class="ops-rows">
                    <For each=move || suggestions.get() key=|s| s.item.clone()
                        children=move |s| reorder_row(ctx, directory, suggestions, edits, s.item) />
                </ul>
                <div class="ops-actions">
                    <button type="button" class="primary" data-testid="reorder-draft" on:click=draft>
                        "Put on draft orders"
                    </button>
                    <span class="field-error" role="alert" data-testid="reorder-error">{move || error.get()}</span>
                </div>
            </Show>
            <p class="ops-done" role="status" data-testid="reorder-done">{move || done.get()}</p>
        </section>
    }
}

/// One suggestion: its figures follow the inventory; what is typed stays in `edits`.
fn reorder_row(
    ctx: Ctx,
    directory: Memo<model::Directory>,
    suggestions: Memo<Vec<Suggestion>>,
    edits: RwSignal<HashMap<ItemId, RowEdit>>,
    item: ItemId,
) -> impl IntoView {
    let tasks = crate::ui::tasks::tasks_place();
    let current = {
        let item = item.clone();
        Memo::new(move |_| suggestions.with(|all| all.iter().find(|s| s.item == item).cloned()))
    };
    let show = move |f: fn(&Suggestion) -> String| {
        move || current.with(|s| s.as_ref().map(f).unwrap_or_default())
    };
    let edit = {
        let item = item.clone();
        move || edits.with(|e| e.get(&item).cloned().unwrap_or_default())
    };
    let typed = {
        let edit = edit.clone();
        move || {
            edit()
                .quantity
                .unwrap_or_else(|| show(|s| s.quantity.to_string())())
        }
    };
    let problem = {
        let edit = edit.clone();
        move || {
            edit()
                .quantity
                .and_then(|text| typed_number(&text, "The quantity", 1).err())
        }
    };
    let set_quantity = {
        let item = item.clone();
        move |text: String| {
            edits.update(|e| e.entry(item.clone()).or_default().quantity = Some(text))
        }
    };
    let set_included = {
        let item = item.clone();
        move |on: bool| edits.update(|e| e.entry(item.clone()).or_default().left_off = !on)
    };
    let task = {
        let item = item.clone();
        move |_| {
            let Some(s) = current.get_untracked() else {
                return;
            };
            let site = ctx.site.get_untracked();
            // The quantity as typed when it reads, else the suggested one.
            let quantity = edits
                .with_untracked(|e| e.get(&item).and_then(|e| e.quantity.clone()))
                .and_then(|text| typed_number(&text, "The quantity", 1).ok())
                .unwrap_or(s.quantity)
                .try_into()
                .ok();
            let request = link::reorder(
                &inventory_doc(&site).to_string(),
                s.item.as_str(),
                &s.name,
                quantity,
            );
            directory
                .with_untracked(|d| crate::ui::tasks::open_linked(ctx, tasks, &site, request, d));
        }
    };
    let name = show(|s| s.name.clone());
    let problem_shown = problem.clone();
    let packs_typed = typed.clone();
    let packs_id = format!("packs-{}", item.as_str());
    view! {
        <li class="ops-row reorder-row" data-testid="reorder-row" data-item=name>
            <div class="ops-head">
                <label class="ops-tick">
                    <input type="checkbox" data-testid="reorder-include"
                        prop:checked=move || !edit().left_off
                        on:change=move |ev| set_included(event_target_checked(&ev)) />
                    <span class="ops-name">{name}</span>
                </label>
                <span class="ops-meta">{show(|s| if s.supplier.is_empty() { "No supplier set".into() } else { s.supplier.clone() })}</span>
            </div>
            <dl class="ops-figures">
                <div><dt>"On hand"</dt><dd class:negative=move || current.with(|s| s.as_ref().is_some_and(|s| s.on_hand < 0))>{show(|s| s.on_hand.to_string())}</dd></div>
                <div><dt>"On order"</dt><dd>{show(|s| s.on_order.to_string())}</dd></div>
                <div><dt>"Reorder at"</dt><dd>{show(|s| s.reorder_point.to_string())}</dd></div>
                <div><dt>"Par"</dt><dd>{show(|s| s.par.to_string())}</dd></div>
                <div><dt>"Pack"</dt><dd>{show(|s| if s.pack_size > 1 { s.pack_size.to_string() } else { "Single".into() })}</dd></div>
            </dl>
            <div class="ops-controls">
                <div class="ops-quantity-wrap">
                    <label class="field ops-quantity">
                        <span class="label">"Quantity to order"</span>
                        <input type="text" inputmode="numeric" autocomplete="off" data-testid="reorder-quantity"
                            aria-invalid=move || problem().is_some().then_some("true")
                            aria-describedby=packs_id.clone()
                            prop:value=typed
                            on:input=move |ev| set_quantity(event_target_value(&ev)) />
                        <span class="field-error" role="alert">{move || problem_shown()}</span>
                    </label>
                    // The quantity in the supplier's packs, as the order will read; outside the
                    // label, so that the field's name stays "Quantity to order".
                    <p class="hint" id=packs_id data-testid="reorder-packs">{move || {
                        let pack = current.with(|s| s.as_ref().map_or(1, |s| s.pack_size));
                        typed_number(&packs_typed(), "The quantity", 1).ok()
                            .and_then(|n| crate::words::stock::packs(n, pack))
                    }}</p>
                </div>
                <button type="button" class="ops-task" data-testid="reorder-task"
                    aria-label=move || format!("Make a Supplies task to order {}", name())
                    on:click=task>"Make a task"</button>
            </div>
        </li>
    }
}

/// How the list groups the open orders, in this order.
const OPEN_GROUPS: [(OrderState, &str); 3] = [
    (OrderState::Draft, "Drafts"),
    (OrderState::Sent, "Sent"),
    (OrderState::PartlyReceived, "Partly received"),
];

/// The site's orders, open ones first, newest first in each group; tapping one opens it.
#[component]
fn OrderList(inventory: Memo<Arc<Inventory>>, opened: RwSignal<Option<OrderId>>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let directory = directory_memo(ctx);
    let closed = Memo::new(move |_| ids_where(inventory, |s| !s.is_open()));
    let supplier = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let suppliers = Memo::new(move |_| {
        inventory.with(|i| {
            let mut all: Vec<String> = i
                .active()
                .map(|item| item.supplier.clone())
                .chain(directory.with(|d| {
                    d.active_vendors()
                        .map(|v| v.name.clone())
                        .collect::<Vec<_>>()
                }))
                .filter(|s| !s.is_empty())
                .collect();
            all.sort_by_key(|s| s.to_lowercase());
            all.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
            all
        })
    });
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let name = supplier.get_untracked();
        if name.trim().is_empty() {
            error.set(Some("Type the supplier's name first.".into()));
            return;
        }
        error.set(None);
        let who = directory.with_untracked(|d| ctx.who(d));
        // A name of the register's is that vendor.
        let vendor = directory.with_untracked(|d| {
            d.active_vendors()
                .find(|v| v.name.eq_ignore_ascii_case(name.trim()))
                .map(|v| v.id.clone())
        });
        edit_inventory(
            ctx,
            &ctx.site.get_untracked(),
            "start the order",
            move |doc| {
                let id = order::new_order(doc, &name, local_now(), &who)?;
                if vendor.is_some() {
                    order::set_vendor(doc, &id, vendor.as_ref())?;
                }
                Ok(id)
            },
            move |id| {
                supplier.set(String::new());
                opened.set(Some(id));
            },
        );
    };
    view! {
        <section class="card ops-section" data-testid="orders">
            <h2>"Purchase orders"</h2>
            <form class="ops-inline-form" on:submit=create>
                <label class="field">
                    <span class="label">"New order for supplier"</span>
                    <input type="text" list="ops-suppliers" maxlength="120" data-testid="order-new-supplier"
                        prop:value=move || supplier.get()
                        on:input=move |ev| supplier.set(event_target_value(&ev)) />
                    <span class="field-error" role="alert">{move || error.get()}</span>
                </label>
                <datalist id="ops-suppliers">
                    <For each=move || suppliers.get() key=|s| s.clone() let(s)>
                        <option value=s></option>
                    </For>
                </datalist>
                <button type="submit" data-testid="order-new">"New order"</button>
            </form>
            <Show when=move || inventory.with(|i| i.orders.is_empty())>
                <p class="empty">"No orders yet. Put items on draft orders above, or start one for a supplier."</p>
            </Show>
            {OPEN_GROUPS.into_iter().map(|(state, heading)| {
                let these = Memo::new(move |_| ids_where(inventory, |s| s == state));
                view! {
                    <Show when=move || these.with(|t| !t.is_empty())>
                        <h3 class="ops-group">{move || format!("{heading} ({})", these.with(Vec::len))}</h3>
                        <ul class="ops-rows">
                            <For each=move || these.get() key=|id| id.clone()
                                children=move |id| order_row(inventory, opened, id) />
                        </ul>
                    </Show>
                }
            }).collect_view()}
            <Show when=move || closed.with(|c| !c.is_empty())>
                <details class="ops-closed">
                    <summary>{move || format!("Received and cancelled ({})", closed.with(Vec::len))}</summary>
                    <ul class="ops-rows">
                        <For each=move || closed.get() key=|id| id.clone()
                            children=move |id| order_row(inventory, opened, id) />
                    </ul>
                </details>
            </Show>
        </section>
    }
}

/// Who an order goes to: the register's vendor's name as it is now, else the supplier as
/// typed.
pub(super) fn supplier_of(order: &Order, directory: &model::Directory) -> String {
    order
        .vendor
        .as_ref()
        .and_then(|v| directory.vendor(v))
        .map_or_else(|| order.supplier.clone(), |v| v.name.clone())
}

/// The ids of the orders in a state `wanted` accepts, newest first.
fn ids_where(inventory: Memo<Arc<Inventory>>, wanted: impl Fn(OrderState) -> bool) -> Vec<OrderId> {
    inventory.with(|i| {
        i.orders
            .iter()
            .filter(|o| wanted(o.state))
            .map(|o| o.id.clone())
            .collect()
    })
}

/// One order in the list; the open one shows its lines and forms under it.
fn order_row(
    inventory: Memo<Arc<Inventory>>,
    opened: RwSignal<Option<OrderId>>,
    id: OrderId,
) -> impl IntoView {
    let order = {
        let id = id.clone();
        Memo::new(move |_| inventory.with(|i| i.orders.iter().find(|o| o.id == id).cloned()))
    };
    let directory = directory_memo(expect_context::<Ctx>());
    let currency = currency_memo(expect_context::<Ctx>());
    let show = move |f: fn(&Order) -> String| {
        move || order.with(|o| o.as_ref().map(f).unwrap_or_default())
    };
    let is_open = {
        let id = id.clone();
        Memo::new(move |_| opened.with(|o| o.as_ref() == Some(&id)))
    };
    let toggle = {
        let id = id.clone();
        move |_| opened.set((!is_open.get_untracked()).then(|| id.clone()))
    };
    let state_class = move || {
        order.with(|o| match o.as_ref().map(|o| o.state) {
            Some(OrderState::Draft) => "ops-state draft",
            Some(OrderState::Sent) => "ops-state sent",
            Some(OrderState::PartlyReceived) => "ops-state partly",
            Some(OrderState::Received) => "ops-state received",
            _ => "ops-state cancelled",
        })
    };
    view! {
        <li class="ops-row order-row" class:opened=move || is_open.get() data-testid="order-row">
            <button type="button" class="ops-open" aria-expanded=move || is_open.get().to_string() on:click=toggle>
                <span class="ops-head">
                    <span class="ops-name">{move || order.with(|o| o.as_ref().map(|o| supplier_of(o, &directory.get())).unwrap_or_default())}</span>
                    <span class=state_class data-testid="order-state">{show(|o| o.state.label().to_string())}</span>
                </span>
                <span class="ops-meta">
                    {show(|o| format!("Made {} by {}", when(o.created), o.created_by))}
                    {show(|o| o.sent.map(|s| format!(" · sent {}", when(s))).unwrap_or_default())}
                </span>
                <span class="ops-meta">
                    {show(|o| format!("{} {} · ", o.lines.len(), if o.lines.len() == 1 { "line" } else { "lines" }))}
                    {move || order.with(|o| o.as_ref().map(|o| currency.get().amount(o.total_cents())))}
                </span>
            </button>
            <Show when=move || is_open.get()>
                <detail::OrderDetail inventory=inventory id=id.clone() />
            </Show>
        </li>
    }
}
