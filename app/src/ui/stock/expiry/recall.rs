//! Recall lookup: which sites hold a lot number, used up or not, so a recall can be traced.

use leptos::prelude::*;

use super::{borrowed, open_item, site_name, All};
use crate::ui::stock::stock_place;
use crate::ui::Ctx;
use model::inventory::lots;
use model::Directory;

#[component]
pub(super) fn Recall(all: All, directory: Memo<Directory>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let stock = stock_place();
    let typed = RwSignal::new(String::new());
    // The number looked up: the results follow the documents until another is looked up.
    let wanted = RwSignal::new(None::<String>);
    let find = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        wanted.set(Some(typed.get_untracked().trim().to_string()));
    };
    let results = move || {
        let number = wanted.get()?;
        if number.is_empty() {
            return Some(view! { <p class="field-error" role="alert">"Type the lot number from the recall notice."</p> }.into_any());
        }
        let today = ctx.now.get().date();
        let d = directory.get();
        let found = all.with(|a| {
            a.as_ref()
                .map(|a| lots::recall(&borrowed(a), &number, today))
                .unwrap_or_default()
        });
        if found.is_empty() {
            return Some(view! { <p class="empty" data-testid="recall-none">{format!("No site holds lot {number}.")}</p> }.into_any());
        }
        let total: i64 = found.iter().map(|e| e.on_hand).sum();
        let sites = {
            let mut s: Vec<_> = found.iter().map(|e| &e.site).collect();
            s.sort();
            s.dedup();
            s.len()
        };
        let rows = found
            .into_iter()
            .map(|e| {
                let (site, item) = (e.site.clone(), e.item.clone());
                let held = if e.on_hand == 0 {
                    "used up".to_string()
                } else {
                    format!("{} on hand", e.on_hand)
                };
                let expiry = if e.days_left < 0 {
                    format!("expired {}", e.expiry.format("%-d %b %Y"))
                } else {
                    format!("expires {}", e.expiry.format("%-d %b %Y"))
                };
                view! {
                    <li class="ops-row" class:used-up=e.on_hand == 0 data-testid="recall-row">
                        <button type="button" class="ops-open" on:click=move |_| open_item(ctx, stock, &site, &item)>
                            <span class="ops-head">
                                <span class="ops-name">{site_name(&d, &e.site)}</span>
                                <span class="ops-days" data-testid="recall-held">{held}</span>
                            </span>
                            <span class="ops-meta">{format!("{} · lot {} · {expiry}", e.item_name, e.number)}</span>
                            <span class="ops-meta">{e.location.clone()}</span>
                        </button>
                    </li>
                }
            })
            .collect_view();
        Some(
            view! {
                <p class="ops-total" data-testid="recall-total">
                    {format!("{total} on hand across {sites} {}", if sites == 1 { "site" } else { "sites" })}
                </p>
                <ul class="ops-rows">{rows}</ul>
            }
            .into_any(),
        )
    };
    view! {
        <section class="card ops-section" data-testid="recall">
            <h2>"Recall lookup"</h2>
            <form class="ops-inline-form" on:submit=find>
                <label class="field">
                    <span class="label">"Lot number"</span>
                    <input type="search" autocomplete="off" maxlength="60" data-testid="recall-input"
                        prop:value=move || typed.get()
                        on:input=move |ev| typed.set(event_target_value(&ev)) />
                </label>
                <button type="submit" class="primary" data-testid="recall-find">"Find"</button>
            </form>
            {results}
        </section>
    }
}
