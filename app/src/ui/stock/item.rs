//! One item in the side panel of Stock: what is on hand and what it is, recording a
//! movement (the core action), its lots, a transfer to another site, its movements, and
//! its details to edit. The same panel adds a new item ([`new_item`]).
//!
//! The forms keep what is typed in their own signals, set once when the item is opened:
//! a movement made on another desk meanwhile changes the numbers shown, never the forms.

mod details;
mod history;
mod record;
mod transfer;

use std::sync::Arc;

use chrono::NaiveDate;
use leptos::prelude::*;

use crate::ui::stock::{edit_inventory, read_inventory, stock_place};
use crate::ui::{currency_memo, Ctx};
use model::inventory::form::{self, ItemForm};
use model::inventory::{reorder, Category, Inventory, Item, ItemId, Lot};
use model::{Directory, SiteId};

/// What `StockPlace::item` holds while the panel adds a new item. Real ids are random UUIDs.
const NEW_ITEM: &str = "new";

/// The marker that opens the panel on a new item: `StockPlace::item` set to `Some((site, new_item()))`.
pub(super) fn new_item() -> ItemId {
    ItemId::from(NEW_ITEM)
}

/// A day as the panel writes it: "12 Mar 2027".
pub(super) fn day_text(day: NaiveDate) -> String {
    day.format("%-d %b %Y").to_string()
}

#[component]
pub fn ItemPanel(
    /// The organisation's directory: the sites to transfer to, the person at the desk.
    directory: Memo<Directory>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let stock = stock_place();
    let chosen = Memo::new(move |_| stock.item.get());
    let inventory = Memo::new(move |_| {
        let (site, _) = chosen.get()?;
        read_inventory(ctx, &site)
    });
    let item = Memo::new(move |_| {
        let (_, id) = chosen.get()?;
        inventory.with(|i| i.as_ref()?.item(&id).cloned())
    });
    // Only whether they are there, so that the panel (and what is typed in it) is built
    // again only when another item is chosen, or this one appears or goes.
    let loaded = Memo::new(move |_| inventory.with(Option::is_some));
    let found = Memo::new(move |_| item.with(Option::is_some));
    move || {
        match (chosen.get(), loaded.get(), found.get()) {
        (None, _, _) => ().into_any(),
        (Some((site, id)), _, _) if id.as_str() == NEW_ITEM => view! {
            <section class="card item-panel" data-testid="item-panel">
                <div class="item-head">
                    <h2>"New item"</h2>
                    <button type="button" class="dismiss" aria-label="Close"
                        on:click=move |_| stock.item.set(None)>"×"</button>
                </div>
                <details::Details site=site editing=None opened=ItemForm {
                    category: Category::Medical.code().into(),
                    unit: "each".into(),
                    pack_size: "1".into(),
                    ..ItemForm::default()
                } inventory=inventory />
            </section>
        }
        .into_any(),
        (Some(_), false, _) => view! { <p class="empty">"Loading the item…"</p> }.into_any(),
        (Some((site, id)), true, true) => match item.get_untracked() {
            Some(opened) => view! {
                <Panel site=site id=id opened=opened item=item inventory=inventory directory=directory />
            }
            .into_any(),
            None => ().into_any(),
        },
        (Some(_), true, false) => view! {
            <section class="card item-panel" data-testid="item-panel">
                <p class="empty">"This item is no longer in this site's list."</p>
                <button type="button" on:click=move |_| stock.item.set(None)>"Close"</button>
            </section>
        }
        .into_any(),
    }
    }
}

#[component]
fn Panel(
    site: SiteId,
    id: ItemId,
    /// The item as it was when opened: what the forms start from.
    opened: Item,
    item: Memo<Option<Item>>,
    inventory: Memo<Option<Arc<Inventory>>>,
    directory: Memo<Directory>,
) -> impl IntoView {
    let stock = stock_place();
    // The item as it is now; while it is briefly gone (the panel is about to say so), as
    // it was last.
    let current = Memo::new(move |last: Option<&Item>| {
        item.get()
            .or_else(|| last.cloned())
            .unwrap_or_else(|| opened.clone())
    });
    let low = Memo::new(move |_| {
        let id = current.with(|i| i.id.clone());
        inventory.with(|inv| {
            inv.as_ref()
                .is_some_and(|inv| reorder::low(inv).any(|i| i.id == id))
        })
    });
    let on_order = {
        let id = id.clone();
        move || {
            inventory.with(|inv| {
                inv.as_ref()
                    .and_then(|inv| inv.on_order().get(&id).copied())
                    .unwrap_or(0)
            })
        }
    };
    let site_name = {
        let site = site.clone();
        move || {
            directory.with(|d| {
                d.sites
                    .iter()
                    .find(|s| s.id == site)
                    .map(|s| s.name.clone())
                    .unwrap_or_else(|| site.as_str().to_string())
            })
        }
    };
    let editing = RwSignal::new(false);
    let field = |i: &Item, f: fn(&Item) -> String| {
        let text = f(i);
        if text.is_empty() {
            "—".to_string()
        } else {
            text
        }
    };
    let currency = currency_memo(expect_context::<Ctx>());
    let fact = move |label: &'static str, f: fn(&Item) -> String| {
        view! {
            <dt>{label}</dt>
            <dd>{move || current.with(|i| field(i, f))}</dd>
        }
    };
    // On a phone the panel sits under the list: bring it into view when an item is opened.
    let panel = NodeRef::<leptos::html::Section>::new();
    Effect::new(move |_| {
        let narrow = web_sys::window()
            .and_then(|w| w.inner_width().ok())
            .and_then(|w| w.as_f64())
            .is_some_and(|w| w <= 600.0);
        if let (true, Some(element)) = (narrow, panel.get()) {
            element.scroll_into_view();
        }
    });
    view! {
        <section class="card item-panel" data-testid="item-panel" node_ref=panel>
            <div class="item-head">
                <div>
                    <h2 data-testid="item-title">{move || current.with(|i| i.name.clone())}</h2>
                    <p class="item-where">
                        {move || current.with(|i| {
                            let mut parts = vec![i.category.label().to_string()];
                            if !i.location.is_empty() {
                                parts.push(i.location.clone());
                            }
                            parts.join(" · ")
                        })}
                        " · "{site_name}
                    </p>
                </div>
                <button type="button" class="dismiss" aria-label="Close"
                    on:click=move |_| stock.item.set(None)>"×"</button>
            </div>
            <p class="item-stock" class:negative=move || current.with(|i| i.on_hand < 0)>
                <span class="item-on-hand" data-testid="item-on-hand">{move || current.with(|i| i.on_hand)}</span>
                " "<span class="item-unit">{move || current.with(|i| i.unit.clone())}</span>
                " on hand"
                <Show when=move || low.get()>
                    <span class="stock-badge low">"Low"</span>
                </Show>
                <Show when=move || current.with(Item::is_discrepant)>
                    <span class="stock-badge discrepancy">"Discrepancy"</span>
                </Show>
            </p>
            <Show when=move || current.with(Item::is_discrepant)>
                <p class="stock-alert" data-testid="item-discrepancy-note">
                    "Negative stock means more was used than recorded. Count this item to resolve it."
                </p>
            </Show>
            <Show when=move || current.with(|i| i.archived)>
                <p class="item-archived-note">"Archived: off the list, its history kept."</p>
            </Show>
            <dl class="facts item-facts">
                {fact("SKU", |i| i.sku.clone())}
                {fact("Barcode", |i| i.barcode.clone())}
                <dt>"Supplier"</dt>
                <dd data-testid="item-supplier-name">{move || current.with(|i| match &i.vendor {
                    Some(v) => directory.with(|d| d.vendor(v).map(|v| v.name.clone())).unwrap_or_else(|| i.supplier.clone()),
                    None => i.supplier.clone(),
                })}</dd>
                <dt>"Unit cost"</dt>
                <dd>{move || currency.get().amount(current.with(|i| i.unit_cost_cents))}</dd>
                {fact("Pack size", |i| i.pack_size.to_string())}
                {fact("Par", |i| i.par.to_string())}
                {fact("Reorder point", |i| i.reorder_point.to_string())}
                {fact("Reorder qty", |i| i.reorder_qty.to_string())}
                <dt>"On order"</dt>
                <dd data-testid="item-on-order">{on_order}</dd>
            </dl>
            <record::Record site=site.clone() item=current directory=directory />
            <Lots item=current />
            <transfer::Transfer site=site.clone() item=current directory=directory />
            <history::History site=site.clone() id=id.clone() directory=directory />
            <div class="item-actions">
                <button type="button" data-testid="item-edit" aria-expanded=move || editing.get().to_string()
                    on:click=move |_| editing.update(|e| *e = !*e)>
                    {move || if editing.get() { "Close details" } else { "Edit details" }}
                </button>
                <Archive site=site.clone() id=id.clone() item=current />
            </div>
            <Show when=move || editing.get()>
                {
                    let (site, id) = (site.clone(), id.clone());
                    move || view! {
                        <details::Details site=site.clone() editing=Some(id.clone())
                            opened=ItemForm::from_item(&current.get_untracked()) inventory=inventory />
                    }
                }
            </Show>
        </section>
    }
}

/// The item's lots, first-expiring first; those used up behind a button.
#[component]
fn Lots(item: Memo<Item>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let show_empty = RwSignal::new(false);
    let lots = move || {
        let all = show_empty.get();
        item.with(|i| {
            i.lots
                .iter()
                .filter(|l| all || l.on_hand != 0)
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    let used_up = move || item.with(|i| i.lots.iter().filter(|l| l.on_hand == 0).count());
    view! {
        <Show when=move || item.with(|i| i.lot_tracked || !i.lots.is_empty())>
            <h3>"Lots"</h3>
            {move || (lots().is_empty()).then(|| view! { <p class="empty">"No lot in stock."</p> })}
            <Show when=move || !lots().is_empty()>
                <table class="item-lots">
                    <thead>
                        <tr><th scope="col">"Lot"</th><th scope="col">"Expiry"</th><th scope="col">"Received"</th><th scope="col">"On hand"</th></tr>
                    </thead>
                    <tbody>
                        <For each=lots key=|l| (l.id.clone(), l.on_hand, l.number.clone(), l.expiry, l.received) let(lot)>
                            {lot_row(lot, ctx.now.get_untracked().date())}
                        </For>
                    </tbody>
                </table>
            </Show>
            <Show when=move || { used_up() > 0 && !show_empty.get() }>
                <button type="button" class="link" on:click=move |_| show_empty.set(true)>
                    {move || format!("Show {} used-up lots", used_up())}
                </button>
            </Show>
        </Show>
    }
}

fn lot_row(lot: Lot, today: NaiveDate) -> impl IntoView {
    let left = (lot.expiry - today).num_days();
    let note = match left {
        l if l < 0 => Some("expired".to_string()),
        0 => Some("expires today".to_string()),
        1 => Some("expires tomorrow".to_string()),
        l if l <= 90 => Some(format!("expires in {l} days")),
        _ => None,
    };
    view! {
        <tr data-testid="lot-row" class:expired=left < 0 class:soon=(0..=30).contains(&left)>
            <td>{lot.number.clone()}</td>
            <td>
                {day_text(lot.expiry)}
                {note.map(|n| view! { <span class="item-lot-note">{n}</span> })}
            </td>
            <td>{day_text(lot.received)}</td>
            <td class="number" class:negative=lot.on_hand < 0>{lot.on_hand}</td>
        </tr>
    }
}

#[component]
fn Archive(site: SiteId, id: ItemId, item: Memo<Item>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let archived = move || item.with(|i| i.archived);
    let toggle = move |_| {
        let id = id.clone();
        let archive = !item.with_untracked(|i| i.archived);
        let what = if archive {
            "archive the item"
        } else {
            "restore the item"
        };
        edit_inventory(
            ctx,
            &site,
            what,
            move |doc| form::set_archived(doc, &id, archive),
            |_| (),
        );
    };
    view! {
        <button type="button" data-testid="item-archive" on:click=toggle>
            {move || if archived() { "Restore item" } else { "Archive item" }}
        </button>
    }
}
