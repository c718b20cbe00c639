//! Across all sites, for the manager's phone: lots that expired or expire within 90 days
//! (banded by 30, 60, 90 days), stock at or below its reorder point, discrepancies, and
//! which sites hold a recalled lot. A tap on a row switches to that site and opens the item.

mod recall;

use leptos::prelude::*;

use crate::ui::stock::{all_inventories, stock_place, SiteInventories, StockPlace};
use crate::ui::Ctx;
use model::inventory::lots::{self, Expiring};
use model::inventory::{reorder, Inventory, ItemId};
use model::{Directory, SiteId};

/// The bands of the expiry list, as [`lots::band`] names them, in order.
const BANDS: [&str; 4] = [
    "Expired",
    "Within 30 days",
    "Within 60 days",
    "Within 90 days",
];

/// Switches the site in view to `site` (remembered on this device) and opens `item` in
/// the side panel.
pub(super) fn open_item(ctx: Ctx, stock: StockPlace, site: &SiteId, item: &ItemId) {
    if ctx.site.get_untracked() != *site {
        ctx.work_at(site);
        ctx.deselect();
        ctx.site.set(site.clone());
    }
    stock.item.set(Some((site.clone(), item.clone())));
}

/// A site's name from the directory, or its id when the directory does not have it.
pub(super) fn site_name(directory: &Directory, site: &SiteId) -> String {
    directory
        .sites
        .iter()
        .find(|s| &s.id == site)
        .map(|s| s.name.clone())
        .unwrap_or_else(|| site.as_str().to_string())
}

/// The sites' inventories as [`lots`] takes them.
pub(super) fn borrowed(all: &SiteInventories) -> Vec<(SiteId, &Inventory)> {
    all.iter().map(|(s, i)| (s.clone(), &**i)).collect()
}

#[component]
pub fn AcrossSites(directory: Memo<Directory>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let all = all_inventories(ctx, directory);
    let loaded = Memo::new(move |_| all.with(Option::is_some));
    view! {
        <div class="stock-ops across-sites" data-testid="expiry-page">
            <Show when=move || loaded.get()
                fallback=|| view! { <p class="loading">"Loading…"</p> }>
                <ExpiringLots all=all directory=directory />
                <LowStock all=all directory=directory />
                <Discrepancies all=all directory=directory />
                <recall::Recall all=all directory=directory />
            </Show>
        </div>
    }
}

type All = Memo<Option<SiteInventories>>;

#[component]
fn ExpiringLots(all: All, directory: Memo<Directory>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let within = RwSignal::new(90_i64);
    let expiring = Memo::new(move |_| {
        let today = ctx.now.get().date();
        let days = within.get();
        all.with(|a| {
            a.as_ref()
                .map(|a| lots::expiring(&borrowed(a), today, days))
                .unwrap_or_default()
        })
    });
    let filter = move |days: i64| {
        view! {
            <button type="button" class:active=move || within.get() == days
                aria-pressed=move || (within.get() == days).to_string()
                data-testid=format!("expiry-within-{days}")
                on:click=move |_| within.set(days)>{format!("{days} days")}</button>
        }
    };
    view! {
        <section class="card ops-section" data-testid="expiring">
            <h2>"Expiring lots"</h2>
            <div class="mode ops-filter" role="group" aria-label="Show lots expiring within">
                {filter(30)}{filter(60)}{filter(90)}
            </div>
            {move || {
                let list = expiring.get();
                if list.is_empty() {
                    let days = within.get();
                    return view! { <p class="empty">{format!("No lot at any site expires within {days} days.")}</p> }.into_any();
                }
                let d = directory.get();
                BANDS.into_iter().filter_map(|band| {
                    let rows: Vec<&Expiring> = list.iter().filter(|e| lots::band(e.days_left) == Some(band)).collect();
                    (!rows.is_empty()).then(|| view! {
                        <h3 class="ops-group" class:expired=band == "Expired" data-testid="expiry-band" data-band=band>
                            {format!("{band} ({})", rows.len())}
                        </h3>
                        <ul class="ops-rows">
                            {rows.into_iter().map(|e| expiring_row(ctx, &d, e)).collect_view()}
                        </ul>
                    })
                }).collect_view().into_any()
            }}
        </section>
    }
}

fn days_left(days: i64) -> String {
    match days {
        d if d < -1 => format!("expired {} days ago", -d),
        -1 => "expired yesterday".into(),
        0 => "expires today".into(),
        1 => "1 day left".into(),
        d => format!("{d} days left"),
    }
}

fn expiring_row(ctx: Ctx, directory: &Directory, e: &Expiring) -> impl IntoView {
    let stock = stock_place();
    let (site, item) = (e.site.clone(), e.item.clone());
    let place = if e.location.is_empty() {
        site_name(directory, &e.site)
    } else {
        format!("{} · {}", site_name(directory, &e.site), e.location)
    };
    view! {
        <li class="ops-row" class:expired=e.days_left < 0 data-testid="expiry-row">
            <button type="button" class="ops-open" on:click=move |_| open_item(ctx, stock, &site, &item)>
                <span class="ops-head">
                    <span class="ops-name">{e.item_name.clone()}</span>
                    <span class="ops-days">{days_left(e.days_left)}</span>
                </span>
                <span class="ops-meta">{format!("Lot {} · expires {} · {} on hand", e.number, e.expiry.format("%-d %b %Y"), e.on_hand)}</span>
                <span class="ops-meta">{place}</span>
            </button>
        </li>
    }
}

#[component]
fn LowStock(all: All, directory: Memo<Directory>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let stock = stock_place();
    view! {
        <section class="card ops-section" data-testid="low-stock">
            <h2>"Low stock"</h2>
            {move || {
                let d = directory.get();
                let rows = all.with(|a| {
                    a.iter().flatten().flat_map(|(site, inventory)| {
                        let on_order = inventory.on_order();
                        reorder::low(inventory).map(|item| {
                            let ordered = on_order.get(&item.id).copied().unwrap_or(0);
                            (site.clone(), item.id.clone(), item.name.clone(), item.on_hand, item.reorder_point, ordered)
                        }).collect::<Vec<_>>()
                    }).collect::<Vec<_>>()
                });
                if rows.is_empty() {
                    return view! { <p class="empty">"Nothing is at or below its reorder point at any site."</p> }.into_any();
                }
                view! {
                    <ul class="ops-rows">
                        {rows.into_iter().map(|(site, item, name, on_hand, point, ordered)| {
                            let place = site_name(&d, &site);
                            view! {
                                <li class="ops-row" data-testid="low-row">
                                    <button type="button" class="ops-open" on:click=move |_| open_item(ctx, stock, &site, &item)>
                                        <span class="ops-head">
                                            <span class="ops-name">{name}</span>
                                            <span class="ops-meta">{place}</span>
                                        </span>
                                        <span class="ops-meta" class:negative=on_hand < 0>
                                            {format!("{on_hand} on hand · reorder at {point} · {ordered} on order")}
                                        </span>
                                    </button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn Discrepancies(all: All, directory: Memo<Directory>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let stock = stock_place();
    view! {
        <section class="card ops-section" data-testid="discrepancies">
            <h2>"Discrepancies"</h2>
            {move || {
                let d = directory.get();
                let rows = all.with(|a| {
                    a.iter().flatten().flat_map(|(site, inventory)| {
                        inventory.discrepancies().map(|item| {
                            let lots: Vec<String> = item.lots.iter().filter(|l| l.on_hand < 0)
                                .map(|l| format!("lot {} at {}", l.number, l.on_hand)).collect();
                            let figures = if lots.is_empty() {
                                format!("{} on hand", item.on_hand)
                            } else {
                                format!("{} on hand; {}", item.on_hand, lots.join(", "))
                            };
                            (site.clone(), item.id.clone(), item.name.clone(), figures)
                        }).collect::<Vec<_>>()
                    }).collect::<Vec<_>>()
                });
                if rows.is_empty() {
                    return view! { <p class="empty">"No site shows more used than it had."</p> }.into_any();
                }
                view! {
                    <ul class="ops-rows">
                        {rows.into_iter().map(|(site, item, name, figures)| {
                            let place = site_name(&d, &site);
                            view! {
                                <li class="ops-row discrepancy" data-testid="discrepancy-row">
                                    <button type="button" class="ops-open" on:click=move |_| open_item(ctx, stock, &site, &item)>
                                        <span class="ops-head">
                                            <span class="ops-name">{name}</span>
                                            <span class="ops-meta">{place}</span>
                                        </span>
                                        <span class="ops-meta negative">{figures}</span>
                                        <span class="ops-meta">"More was used than recorded; count it to fix."</span>
                                    </button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}
