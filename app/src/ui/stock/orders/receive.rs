//! Receiving against a sent order, line by line: how many arrived and, for a lot-tracked
//! item, the lot number and expiry on the box. What is typed is checked here first, so a
//! mistake is named next to its field; the model checks again and `post` reports a refusal.

use std::sync::Arc;

use chrono::NaiveDate;
use leptos::prelude::*;

use super::{typed_number, when};
use crate::platform::local_now;
use crate::ui::stock::post;
use crate::ui::{directory_memo, Ctx};
use model::inventory::order::{Delivery, LineId};
use model::inventory::{order, Inventory, Order, OrderId};
use model::tidy;

/// What the person typed for one delivery, checked: the delivery, or the first mistake.
pub(super) fn check_delivery(
    line: &LineId,
    quantity: &str,
    lot_tracked: bool,
    lot: &str,
    expiry: &str,
    today: NaiveDate,
) -> Result<Delivery, String> {
    let quantity = typed_number(quantity, "The quantity received", 1)?;
    let lot = if lot_tracked {
        let number = tidy(lot);
        if number.is_empty() {
            return Err("Give the lot number printed on the box.".into());
        }
        if expiry.trim().is_empty() {
            return Err("Give the expiry date printed on the box.".into());
        }
        let Ok(expiry) = NaiveDate::parse_from_str(expiry.trim(), "%Y-%m-%d") else {
            return Err("The expiry date must be a real date, like 2027-05-31.".into());
        };
        if expiry < today {
            return Err(format!(
                "The expiry date {} is before today: check the label.",
                expiry.format("%-d %b %Y")
            ));
        }
        Some((number, expiry))
    } else {
        None
    };
    Ok(Delivery {
        line: line.clone(),
        quantity,
        lot,
    })
}

/// A receiving form for each line of a sent order.
#[component]
pub(super) fn ReceiveForm(
    inventory: Memo<Arc<Inventory>>,
    order: Memo<Option<Order>>,
    id: OrderId,
) -> impl IntoView {
    let lines = Memo::new(move |_| {
        order.with(|o| {
            o.iter()
                .flat_map(|o| o.lines.iter().map(|l| l.id.clone()))
                .collect::<Vec<_>>()
        })
    });
    view! {
        <p class="hint">"Receive what arrived, line by line: it is added to the stock at once."</p>
        <ul class="ops-lines">
            <For each=move || lines.get() key=|l| l.clone()
                children=move |line| receive_line(inventory, order, id.clone(), line) />
        </ul>
    }
}

fn receive_line(
    inventory: Memo<Arc<Inventory>>,
    order: Memo<Option<Order>>,
    id: OrderId,
    line: LineId,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let directory = directory_memo(ctx);
    let current = {
        let line = line.clone();
        Memo::new(move |_| order.with(|o| o.as_ref()?.lines.iter().find(|l| l.id == line).cloned()))
    };
    let lot_tracked = Memo::new(move |_| {
        current.with(|c| {
            c.as_ref().is_some_and(|c| {
                inventory.with(|i| i.item(&c.item).is_some_and(|item| item.lot_tracked))
            })
        })
    });
    let quantity = RwSignal::new(String::new());
    let lot = RwSignal::new(String::new());
    let expiry = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<String>);
    let receive = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.set(None);
        let today = local_now().date();
        let checked = check_delivery(
            &line,
            &quantity.get_untracked(),
            lot_tracked.get_untracked(),
            &lot.get_untracked(),
            &expiry.get_untracked(),
            today,
        );
        let delivery = match checked {
            Ok(delivery) => delivery,
            Err(e) => {
                problem.set(Some(e));
                return;
            }
        };
        problem.set(None);
        let who = directory.with_untracked(|d| ctx.who(d));
        let order_id = id.clone();
        let received = delivery.quantity;
        post(
            ctx,
            &ctx.site.get_untracked(),
            "receive the delivery",
            move |inv, log| order::receive(inv, log, &order_id, &delivery, local_now(), &who),
            move |()| {
                quantity.set(String::new());
                lot.set(String::new());
                expiry.set(String::new());
                done.set(Some(format!("Received {received}.")));
            },
        );
    };
    let name =
        move || current.with(|c| c.as_ref().map(|c| c.item_name.clone()).unwrap_or_default());
    let figures = move || {
        current.with(|c| {
            c.as_ref().map(|c| {
                let left = (c.quantity - c.received).max(0);
                format!(
                    "Ordered {} · received {} · {}",
                    c.quantity,
                    c.received,
                    if left == 0 {
                        "all here".to_string()
                    } else {
                        format!("{left} to come")
                    }
                )
            })
        })
    };
    view! {
        <li class="ops-line receive-line" data-testid="order-receive-line">
            <span class="ops-name">{name}</span>
            <span class="ops-meta" data-testid="order-received">{figures}</span>
            <form class="ops-inline-form" on:submit=receive>
                <label class="field ops-quantity">
                    <span class="label">"Arrived"</span>
                    <input type="text" inputmode="numeric" autocomplete="off" data-testid="order-receive-quantity"
                        prop:value=move || quantity.get()
                        on:input=move |ev| quantity.set(event_target_value(&ev)) />
                </label>
                <Show when=move || lot_tracked.get()>
                    <label class="field">
                        <span class="label">"Lot number"</span>
                        <input type="text" autocomplete="off" maxlength="60" data-testid="order-receive-lot"
                            prop:value=move || lot.get()
                            on:input=move |ev| lot.set(event_target_value(&ev)) />
                    </label>
                    <label class="field">
                        <span class="label">"Expiry date"</span>
                        <input type="date" data-testid="order-receive-expiry"
                            prop:value=move || expiry.get()
                            on:input=move |ev| expiry.set(event_target_value(&ev)) />
                    </label>
                </Show>
                <button type="submit" class="primary" data-testid="order-receive"
                    aria-label=move || format!("Receive {}", name())>"Receive"</button>
                <span class="field-error" role="alert" data-testid="order-receive-error">{move || problem.get()}</span>
                <span class="ops-done" role="status">{move || done.get()}</span>
            </form>
        </li>
    }
}

/// What was received against an order, oldest first.
#[component]
pub(super) fn Receipts(order: Memo<Option<Order>>) -> impl IntoView {
    let rows = move || {
        order.with(|o| {
            let Some(o) = o else {
                return Vec::new();
            };
            o.receipts
                .iter()
                .map(|r| {
                    let item = o
                        .lines
                        .iter()
                        .find(|l| l.id == r.line)
                        .map(|l| l.item_name.clone())
                        .unwrap_or_else(|| "A line taken off the order".into());
                    let lot = match (&r.lot, r.expiry) {
                        (Some(lot), Some(expiry)) => {
                            format!(" · lot {lot}, expires {}", expiry.format("%-d %b %Y"))
                        }
                        (Some(lot), None) => format!(" · lot {lot}"),
                        _ => String::new(),
                    };
                    format!("{} × {item}{lot} — {} by {}", r.quantity, when(r.at), r.by)
                })
                .collect::<Vec<_>>()
        })
    };
    view! {
        <Show when=move || order.with(|o| o.as_ref().is_some_and(|o| !o.receipts.is_empty()))>
            <h4 class="ops-subhead">"Received"</h4>
            <ul class="ops-receipts" data-testid="order-receipts">
                {move || rows().into_iter().map(|r| view! { <li data-testid="order-receipt">{r}</li> }).collect_view()}
            </ul>
        </Show>
    }
}
