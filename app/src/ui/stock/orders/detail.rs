//! One order opened in the list: a draft's lines to change, add to, send or cancel; a sent
//! order's receiving forms; the receipts of any order.

use std::sync::Arc;

use leptos::prelude::*;

use super::receive::{Receipts, ReceiveForm};
use super::typed_number;
use crate::platform::local_now;
use crate::ui::stock::edit_inventory;
use crate::ui::{currency_memo, Ctx};
use model::inventory::order::LineId;
use model::inventory::{order, Inventory, ItemId, Order, OrderId, OrderState};

/// What an order's panel shows; a sent order's first receipt keeps the same forms.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    Draft,
    Receiving,
    Received,
    Cancelled,
}

impl Phase {
    fn of(state: OrderState) -> Self {
        match state {
            OrderState::Draft => Self::Draft,
            OrderState::Sent | OrderState::PartlyReceived => Self::Receiving,
            OrderState::Received => Self::Received,
            OrderState::Cancelled => Self::Cancelled,
        }
    }
}

/// The order `id` as the inventory holds it now.
pub(super) fn order_memo(inventory: Memo<Arc<Inventory>>, id: OrderId) -> Memo<Option<Order>> {
    Memo::new(move |_| inventory.with(|i| i.orders.iter().find(|o| o.id == id).cloned()))
}

#[component]
pub(super) fn OrderDetail(inventory: Memo<Arc<Inventory>>, id: OrderId) -> impl IntoView {
    let order = order_memo(inventory, id.clone());
    let phase = Memo::new(move |_| order.with(|o| o.as_ref().map(|o| Phase::of(o.state))));
    view! {
        <div class="ops-detail" data-testid="order-detail">
            <super::sheet::PurchaseOrder order=order />
            {move || match phase.get() {
                None => view! { <p class="empty">"This order is no longer in the list."</p> }.into_any(),
                Some(Phase::Draft) => view! { <DraftEditor inventory=inventory order=order id=id.clone() /> }.into_any(),
                Some(Phase::Receiving) => view! {
                    <ReceiveForm inventory=inventory order=order id=id.clone() />
                    <CancelOrder order=order id=id.clone() />
                    <Receipts order=order />
                }.into_any(),
                Some(Phase::Received) => view! {
                    <p class="hint">"Everything on this order was received."</p>
                    <Receipts order=order />
                }.into_any(),
                Some(Phase::Cancelled) => view! {
                    <p class="hint">"This order was cancelled; nothing on it counts as on order."</p>
                    <ul class="ops-lines">
                        {move || order.with(|o| o.iter().flat_map(|o| o.lines.clone()).map(|l| view! {
                            <li>{format!("{} × {}", l.quantity, l.item_name)}</li>
                        }).collect_view())}
                    </ul>
                }.into_any(),
            }}
        </div>
    }
}

/// A draft: its lines with their quantities, an item to add, Send and Cancel.
#[component]
fn DraftEditor(
    inventory: Memo<Arc<Inventory>>,
    order: Memo<Option<Order>>,
    id: OrderId,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let currency = currency_memo(ctx);
    let error = RwSignal::new(None::<String>);
    let adding = RwSignal::new(String::new());
    let add_quantity = RwSignal::new(String::new());
    let add_error = RwSignal::new(None::<String>);
    let lines = Memo::new(move |_| {
        order.with(|o| {
            o.iter()
                .flat_map(|o| o.lines.iter().map(|l| l.id.clone()))
                .collect::<Vec<_>>()
        })
    });
    // Items in use that are not on the draft yet, by name.
    let addable = Memo::new(move |_| {
        order.with(|o| {
            let on: Vec<&ItemId> = o
                .iter()
                .flat_map(|o| o.lines.iter().map(|l| &l.item))
                .collect();
            inventory.with(|i| {
                i.active()
                    .filter(|item| !on.contains(&&item.id))
                    .map(|item| (item.id.clone(), item.name.clone()))
                    .collect::<Vec<_>>()
            })
        })
    });
    let add = {
        let id = id.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let chosen = adding.get_untracked();
            if chosen.is_empty() {
                add_error.set(Some("Choose the item to add.".into()));
                return;
            }
            let quantity = match typed_number(&add_quantity.get_untracked(), "The quantity", 1) {
                Ok(q) => q,
                Err(e) => {
                    add_error.set(Some(e));
                    return;
                }
            };
            add_error.set(None);
            let order_id = id.clone();
            let item = ItemId::from(chosen);
            edit_inventory(
                ctx,
                &ctx.site.get_untracked(),
                "add the item to the order",
                move |doc| order::add_line(doc, &order_id, &item, quantity),
                move |_| {
                    adding.set(String::new());
                    add_quantity.set(String::new());
                },
            );
        }
    };
    let send = {
        let id = id.clone();
        move |_| {
            if lines.with_untracked(Vec::is_empty) {
                error.set(Some("Add at least one item before sending.".into()));
                return;
            }
            error.set(None);
            let id = id.clone();
            edit_inventory(
                ctx,
                &ctx.site.get_untracked(),
                "mark the order as sent",
                move |doc| order::send(doc, &id, local_now()),
                |()| {},
            );
        }
    };
    let line_id = id.clone();
    view! {
        <Show when=move || lines.with(|l| !l.is_empty())
            fallback=|| view! { <p class="empty">"Nothing on this draft yet: add an item below."</p> }>
            <ul class="ops-lines">
                <For each=move || lines.get() key=|l| l.clone()
                    children={
                        let id = line_id.clone();
                        move |line| draft_line(ctx, order, id.clone(), line)
                    } />
            </ul>
            <p class="ops-total">{move || order.with(|o| o.as_ref().map(|o| format!("Total {}", currency.get().amount(o.total_cents()))))}</p>
        </Show>
        <form class="ops-inline-form" on:submit=add>
            <label class="field">
                <span class="label">"Add an item"</span>
                <select data-testid="order-add-item" prop:value=move || adding.get()
                    on:change=move |ev| adding.set(event_target_value(&ev))>
                    <option value="" prop:selected=move || adding.with(String::is_empty)>"Choose an item"</option>
                    <For each=move || addable.get() key=|(id, name)| (id.clone(), name.clone())
                        children=move |(item, name)| {
                            let value = item.to_string();
                            let selected = {
                                let value = value.clone();
                                move || adding.with(|a| *a == value)
                            };
                            view! { <option value=value prop:selected=selected>{name}</option> }
                        } />
                </select>
            </label>
            <label class="field ops-quantity">
                <span class="label">"Quantity"</span>
                <input type="text" inputmode="numeric" autocomplete="off" data-testid="order-add-quantity"
                    prop:value=move || add_quantity.get()
                    on:input=move |ev| add_quantity.set(event_target_value(&ev)) />
            </label>
            <button type="submit" data-testid="order-add">"Add"</button>
            <span class="field-error" role="alert">{move || add_error.get()}</span>
        </form>
        <div class="ops-actions">
            <button type="button" class="primary" data-testid="order-send" on:click=send>"Send"</button>
            <CancelOrder order=order id=id.clone() />
            <span class="field-error" role="alert">{move || error.get()}</span>
        </div>
        <p class="hint">"Send marks the order as sent to the supplier; what is on it then counts as on order until it is received."</p>
    }
}

/// A line of a draft: the quantity saves when the person leaves the field or presses
/// Enter; a typed mistake stays on screen with its sentence and nothing is saved.
fn draft_line(ctx: Ctx, order: Memo<Option<Order>>, id: OrderId, line: LineId) -> impl IntoView {
    let current = {
        let line = line.clone();
        Memo::new(move |_| order.with(|o| o.as_ref()?.lines.iter().find(|l| l.id == line).cloned()))
    };
    let currency = currency_memo(ctx);
    let typed = RwSignal::new(None::<String>);
    let problem = RwSignal::new(None::<String>);
    let save = {
        let (id, line) = (id.clone(), line.clone());
        move || {
            let Some(text) = typed.get_untracked() else {
                return;
            };
            let quantity = match typed_number(&text, "The quantity", 1) {
                Ok(q) => q,
                Err(e) => {
                    problem.set(Some(e));
                    return;
                }
            };
            problem.set(None);
            if current.with_untracked(|c| c.as_ref().map(|c| c.quantity)) == Some(quantity) {
                typed.set(None);
                return;
            }
            let (id, line) = (id.clone(), line.clone());
            edit_inventory(
                ctx,
                &ctx.site.get_untracked(),
                "change the quantity",
                move |doc| order::set_line_quantity(doc, &id, &line, quantity),
                move |()| typed.set(None),
            );
        }
    };
    let remove = move |_| {
        let (id, line) = (id.clone(), line.clone());
        edit_inventory(
            ctx,
            &ctx.site.get_untracked(),
            "take the line off the order",
            move |doc| order::remove_line(doc, &id, &line),
            |()| {},
        );
    };
    let name =
        move || current.with(|c| c.as_ref().map(|c| c.item_name.clone()).unwrap_or_default());
    view! {
        <li class="ops-line" data-testid="order-line">
            <span class="ops-name">{name}</span>
            <label class="field ops-quantity">
                <span class="label">"Quantity"</span>
                <input type="text" inputmode="numeric" autocomplete="off" data-testid="order-line-quantity"
                    aria-invalid=move || problem.with(Option::is_some).then_some("true")
                    prop:value=move || typed.get().unwrap_or_else(|| current.with(|c| c.as_ref().map(|c| c.quantity.to_string()).unwrap_or_default()))
                    on:input=move |ev| typed.set(Some(event_target_value(&ev)))
                    on:change={
                        let save = save.clone();
                        move |_| save()
                    } />
                <span class="field-error" role="alert">{move || problem.get()}</span>
            </label>
            <span class="ops-meta">{move || current.with(|c| c.as_ref().map(|c| format!("{} each", currency.get().amount(c.unit_cost_cents))))}</span>
            <button type="button" data-testid="order-line-remove"
                aria-label=move || format!("Take {} off the order", name())
                on:click=remove>"Remove"</button>
        </li>
    }
}

/// "Cancel order", asking first; shown while nothing was received against the order.
#[component]
fn CancelOrder(order: Memo<Option<Order>>, id: OrderId) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let asking = RwSignal::new(false);
    let id = StoredValue::new(id);
    let cancel = move |_| {
        asking.set(false);
        let id = id.get_value();
        edit_inventory(
            ctx,
            &ctx.site.get_untracked(),
            "cancel the order",
            move |doc| order::cancel(doc, &id),
            |()| {},
        );
    };
    let cancellable = move || order.with(|o| o.as_ref().is_some_and(|o| o.receipts.is_empty()));
    view! {
        <Show when=cancellable>
            <Show when=move || asking.get()
                fallback=move || view! {
                    <button type="button" class="ops-danger" data-testid="order-cancel"
                        on:click=move |_| asking.set(true)>"Cancel order"</button>
                }>
                <span class="ops-confirm" role="group" aria-label="Cancel the order?">
                    <span>"Cancel this order?"</span>
                    <button type="button" class="ops-danger" data-testid="order-cancel-confirm"
                        on:click=cancel>"Yes, cancel it"</button>
                    <button type="button" data-testid="order-cancel-keep"
                        on:click=move |_| asking.set(false)>"Keep it"</button>
                </span>
            </Show>
        </Show>
    }
}
