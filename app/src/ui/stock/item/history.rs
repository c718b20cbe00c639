//! The open item's movements, newest first: this month's and last month's logs, and one
//! month further back with each "Show earlier month".

use chrono::{Months, NaiveDate};
use leptos::prelude::*;

use crate::ui::stock::{read_movements, stock_doc};
use crate::ui::Ctx;
use model::document::first_of_month;
use model::inventory::movement::makers;
use model::inventory::{ItemId, Movement, MovementKind};
use model::{Directory, SiteId};

/// The first day of the month `back` months before the one of `today`.
fn month_back(today: NaiveDate, back: u32) -> Option<NaiveDate> {
    first_of_month(today).checked_sub_months(Months::new(back))
}

#[component]
pub(super) fn History(site: SiteId, id: ItemId, directory: Memo<Directory>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    // How many months before this one are read.
    let back = RwSignal::new(1u32);
    let today = Memo::new(move |_| ctx.now.get().date());
    let read = Memo::new(move |_| {
        let today = today.get();
        let mut all = Vec::new();
        let mut loading = false;
        for n in 0..=back.get() {
            let Some(month) = month_back(today, n) else {
                break;
            };
            // Every month is asked for, so that all of them load at once.
            match read_movements(ctx, &site, month) {
                Some(log) => {
                    let mine: Vec<Movement> =
                        log.0.iter().filter(|m| m.item == id).cloned().collect();
                    // Who posted each, as the log's changes say.
                    let ids: Vec<_> = mine.iter().map(|m| m.id.clone()).collect();
                    let made = ctx
                        .read_history(&stock_doc(&site, month), |am| makers(am, &ids))
                        .unwrap_or_default();
                    let by = |i: usize, m: &Movement| {
                        let signed = made
                            .get(i)
                            .and_then(|s| directory.with(|d| s.as_ref()?.by(d)));
                        signed.unwrap_or_else(|| m.who())
                    };
                    all.extend(mine.iter().enumerate().map(|(i, m)| (m.clone(), by(i, m))));
                }
                None => loading = true,
            }
        }
        (all, loading)
    });
    let movements = move || read.with(|(all, _)| all.clone());
    let loading = move || read.with(|(_, loading)| *loading);
    let since = move || month_back(today.get(), back.get());
    let site_name = move |id: &str| {
        directory.with(|d| {
            d.sites
                .iter()
                .find(|s| s.id.as_str() == id)
                .map(|s| s.name.clone())
                .unwrap_or_else(|| id.to_string())
        })
    };
    view! {
        <section class="item-history">
            <h3>"Movements"</h3>
            <ol class="item-movements">
                <For each=movements key=|(m, _)| m.id.clone() let((m, by))>
                    {movement_row(m, by, site_name)}
                </For>
            </ol>
            <Show when=loading>
                <p class="loading">"Loading…"</p>
            </Show>
            <Show when=move || !loading() && read.with(|(all, _)| all.is_empty())>
                <p class="empty">
                    {move || since().map(|d| format!("Nothing recorded since {}.", d.format("%-d %b %Y")))}
                </p>
            </Show>
            <button type="button" class="link" data-testid="movements-earlier"
                on:click=move |_| back.update(|b| *b += 1)>
                {move || {
                    let earlier = month_back(today.get(), back.get() + 1);
                    match earlier {
                        Some(m) => format!("Show earlier month ({})", m.format("%B %Y")),
                        None => "Show earlier month".into(),
                    }
                }}
            </button>
        </section>
    }
}

fn movement_row(m: Movement, by: String, site_name: impl Fn(&str) -> String) -> impl IntoView {
    let quantity = format!("{:+}", m.quantity);
    let lots: Vec<String> = m
        .lots
        .iter()
        .map(|(_, number, q)| format!("lot {number} ({q:+})"))
        .collect();
    let other = m.other_site.as_deref().map(|s| match m.kind {
        MovementKind::TransferIn => format!("from {}", site_name(s)),
        _ => format!("to {}", site_name(s)),
    });
    // A transfer's reason only names the other site, said above by its name.
    let reason = (!m.reason.is_empty() && other.is_none()).then(|| m.reason.clone());
    let mut details: Vec<String> = Vec::new();
    details.extend(other);
    details.extend(lots);
    details.push(by);
    view! {
        <li class="item-movement" data-testid="movement-row" data-kind=m.kind.code()>
            <span class="item-movement-when">{m.at.format("%-d %b %H:%M").to_string()}</span>
            <span class="item-movement-kind">{m.kind.label()}</span>
            <span class="item-movement-quantity" class:negative=m.quantity < 0
                data-testid="movement-quantity">{quantity}</span>
            <span class="item-movement-details">{details.join(" · ")}</span>
            {reason.map(|r| view! { <span class="item-movement-reason">{r}</span> })}
        </li>
    }
}
