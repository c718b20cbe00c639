//! A purchase order as the vendor receives it: who it is from and to (the register's
//! contact and the practice's account number), each line with its quantity, unit cost and
//! total, printed alone on its sheet.

use leptos::prelude::*;

use crate::ui::{audit, currency_memo, directory_memo, Ctx};
use model::audit::EventKind;
use model::inventory::Order;

/// The sheet, shown only when printed, and the button that prints it.
#[component]
pub(super) fn PurchaseOrder(order: Memo<Option<Order>>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let directory = directory_memo(ctx);
    let currency = currency_memo(ctx);
    let print = move |_| {
        let supplier = order.with_untracked(|o| {
            o.as_ref()
                .map(|o| super::supplier_of(o, &directory.get_untracked()))
                .unwrap_or_default()
        });
        audit::note(
            ctx,
            EventKind::Print,
            format!("Purchase order to {supplier}"),
        );
        crate::platform::print_with("printing-order");
    };
    let sheet = move || {
        let o = order.get()?;
        let d = directory.get();
        let money = currency.get();
        let vendor = o.vendor.as_ref().and_then(|v| d.vendor(v)).cloned();
        let site = ctx.site.get();
        let from = d.site(&site).map(|s| s.name.clone()).unwrap_or_default();
        let to = super::supplier_of(&o, &d);
        let contact = vendor
            .as_ref()
            .map(|v| v.contact.clone())
            .unwrap_or_default();
        let account = vendor
            .as_ref()
            .map(|v| v.account.clone())
            .filter(|a| !a.is_empty())
            .map(|a| format!("Our account: {a}"));
        let number: String =
            o.id.as_str()
                .chars()
                .take(8)
                .collect::<String>()
                .to_uppercase();
        let lines = o
            .lines
            .iter()
            .map(|l| {
                view! {
                    <tr>
                        <th scope="row">{l.item_name.clone()}</th>
                        <td>{l.quantity}</td>
                        <td>{money.amount(l.unit_cost_cents)}</td>
                        <td>{money.amount(l.quantity * l.unit_cost_cents)}</td>
                    </tr>
                }
            })
            .collect_view();
        Some(view! {
            <h2>{format!("Purchase order {number}")}</h2>
            <p>{format!("From {from} · made {}{}", o.created.format("%-d %b %Y"),
                o.sent.map(|s| format!(" · sent {}", s.format("%-d %b %Y"))).unwrap_or_default())}</p>
            <p>{format!("To {to}")}{(!contact.is_empty()).then(|| format!(" · {contact}"))}</p>
            {account.map(|a| view! { <p>{a}</p> })}
            <table class="takings-table">
                <thead><tr>
                    <th scope="col">"Item"</th>
                    <th scope="col">"Quantity"</th>
                    <th scope="col">"Unit cost"</th>
                    <th scope="col">"Total"</th>
                </tr></thead>
                <tbody>{lines}</tbody>
                <tfoot><tr>
                    <th scope="row" colspan="3">"Order total"</th>
                    <td>{money.amount(o.total_cents())}</td>
                </tr></tfoot>
            </table>
            {(!o.note.is_empty()).then(|| view! { <p>{o.note.clone()}</p> })}
        })
    };
    view! {
        <button type="button" class="no-print" data-testid="order-print" on:click=print>"Print the purchase order"</button>
        <section class="po-sheet" data-testid="po-sheet">{sheet}</section>
    }
}
