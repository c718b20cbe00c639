//! Sending some of the open item to another site: one change across both sites'
//! inventories and month logs, so the stock is never in both places or in neither.

use leptos::prelude::*;

use crate::platform::local_now;
use crate::ui::stock::{change_many, inventory_doc, stock_doc};
use crate::ui::Ctx;
use model::inventory::form::parse_count;
use model::inventory::transfer::{transfer, SiteDocs, TransferRequest};
use model::inventory::Item;
use model::{Directory, DocumentError, SiteId};

#[component]
pub(super) fn Transfer(
    site: SiteId,
    item: Memo<Item>,
    directory: Memo<Directory>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let others = {
        let site = site.clone();
        Memo::new(move |_| {
            directory.with(|d| {
                d.sites
                    .iter()
                    .filter(|s| s.id != site)
                    .map(|s| (s.id.clone(), s.name.clone()))
                    .collect::<Vec<_>>()
            })
        })
    };
    // The site chosen; `None` is the first other site.
    let to = RwSignal::new(None::<String>);
    let shown_to = move || {
        to.get().unwrap_or_else(|| {
            others.with(|o| {
                o.first()
                    .map(|(id, _)| id.as_str().to_string())
                    .unwrap_or_default()
            })
        })
    };
    let quantity = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<String>);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.set(None);
        let destination = SiteId::new(&untrack(shown_to)).filter(|s| *s != site);
        let Some(destination) = destination else {
            error.set(Some("Choose the site to send to.".into()));
            return;
        };
        let text = quantity.get_untracked();
        let amount = if text.trim().is_empty() {
            Err("Give how many to send.".to_string())
        } else {
            parse_count(&text, "The quantity", 1)
        };
        let amount = match amount {
            Ok(n) => n,
            Err(sentence) => {
                error.set(Some(sentence));
                return;
            }
        };
        error.set(None);
        let it = item.get_untracked();
        let now = local_now();
        let request = TransferRequest {
            item: it.id.clone(),
            quantity: amount,
            lot: None,
            at: now,
            who: ctx.who(&directory.get_untracked()),
        };
        let name = others.with_untracked(|o| {
            o.iter()
                .find(|(id, _)| *id == destination)
                .map(|(_, name)| name.clone())
                .unwrap_or_else(|| destination.as_str().to_string())
        });
        let said = format!("Sent {amount} {} to {name}.", it.unit);
        let from = site.clone();
        let today = now.date();
        let docs = vec![
            inventory_doc(&from),
            stock_doc(&from, today),
            inventory_doc(&destination),
            stock_doc(&destination, today),
        ];
        change_many(
            ctx,
            docs,
            "transfer stock",
            move |docs| match docs {
                [a, b, c, d] => transfer(
                    SiteDocs {
                        site: &from,
                        inventory: a,
                        log: b,
                    },
                    SiteDocs {
                        site: &destination,
                        inventory: c,
                        log: d,
                    },
                    &request,
                ),
                _ => Err(DocumentError::Write("four documents expected".into())),
            },
            move |_| {
                quantity.set(String::new());
                done.set(Some(said));
            },
        );
    };

    view! {
        <Show when=move || others.with(|o| !o.is_empty())>
            <form class="item-transfer" on:submit=submit.clone()>
                <h3>"Send to another site"</h3>
                <div class="item-transfer-fields">
                    <label class="field">
                        <span class="label">"To"</span>
                        <select data-testid="stock-transfer-site"
                            on:change=move |ev| { done.set(None); to.set(Some(event_target_value(&ev))); }>
                            <For each=move || others.get() key=|s| s.clone() let((id, name))>
                                {
                                    let id = id.as_str().to_string();
                                    view! { <option value=id.clone() prop:selected=move || shown_to() == id>{name}</option> }
                                }
                            </For>
                        </select>
                    </label>
                    <label class="field item-quantity">
                        <span class="label">"Quantity"</span>
                        <input type="text" inputmode="numeric" autocomplete="off" data-testid="stock-transfer-quantity"
                            prop:value=move || quantity.get()
                            on:input=move |ev| { done.set(None); error.set(None); quantity.set(event_target_value(&ev)); } />
                    </label>
                </div>
                <p class="hint">"Lots are sent first-expiring first, with their numbers and expiry dates."</p>
                <p class="field-error" data-testid="stock-transfer-error" role="alert">{move || error.get()}</p>
                <div class="item-record-go">
                    <button type="submit" data-testid="stock-transfer">"Send"</button>
                    <span class="saved" aria-live="polite">{move || done.get()}</span>
                </div>
            </form>
        </Show>
    }
}
