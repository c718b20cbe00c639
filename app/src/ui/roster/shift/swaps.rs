//! Swaps: the holder of a shift offers it to a colleague at the site, optionally taking
//! one of theirs in the same month in return; the manager approves or denies below the
//! week, and an approval moves both shifts in one change.

use chrono::Duration;
use leptos::prelude::*;

use super::super::{change_many, place, read_roster, roster_doc};
use crate::ui::Ctx;
use model::roster::{swap, Shift, ShiftId};
use model::staff::time_off::Decision;
use model::{Directory, StaffId};

/// The holder offers the shift to a colleague at the site, optionally taking one of theirs
/// in the same month in return; the manager approves below the week.
#[component]
pub(super) fn OfferSwap(
    directory: Memo<Directory>,
    shift: Shift,
    holder: StaffId,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let to = RwSignal::new(String::new());
    let back = RwSignal::new(String::new());
    let sent = RwSignal::new(false);
    let (site, day) = (shift.site.clone(), shift.day());
    let holder_for_list = holder.clone();
    let site_for_list = site.clone();
    let colleagues = move || {
        directory.with(|d| {
            d.staff_at(&site_for_list)
                .filter(|m| m.id != holder_for_list)
                .map(|m| (m.id.to_string(), m.name.clone()))
                .collect::<Vec<_>>()
        })
    };
    let site_for_theirs = site.clone();
    let theirs = move || {
        let wanted = to.get();
        if wanted.is_empty() {
            return Vec::new();
        }
        read_roster(ctx, &site_for_theirs, day)
            .map(|r| {
                r.shifts
                    .into_iter()
                    .filter(|s| s.staff.as_ref().is_some_and(|st| st.as_str() == wanted))
                    .map(|s| {
                        (
                            s.id.to_string(),
                            format!("{} {}", s.day().format("%a %-d %b"), s.times()),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let id = shift.id.clone();
    let request = move |_| {
        let target = to.get_untracked();
        if target.is_empty() {
            ctx.report("Choose who to offer the shift to.");
            return;
        }
        let give_back = Some(back.get_untracked())
            .filter(|b| !b.is_empty())
            .map(ShiftId::from);
        let by = directory.with_untracked(|d| ctx.who(d).name().to_string());
        let (id, target) = (id.clone(), StaffId::from(target));
        change_many(
            ctx,
            vec![roster_doc(&site, day)],
            "offer the shift",
            move |all| swap::request(all[0], &id, &target, give_back.as_ref(), &by),
            move |_| sent.set(true),
        );
    };
    view! {
        <details class="offer-swap">
            <summary data-testid="offer-swap">"Offer to a colleague"</summary>
            <label class="field"><span class="label">"To"</span>
                <select data-testid="swap-to" on:change=move |ev| { to.set(event_target_value(&ev)); back.set(String::new()); }>
                    <option value="">"Choose…"</option>
                    {move || colleagues().into_iter().map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view()}
                </select>
            </label>
            <label class="field"><span class="label">"Their shift in return (optional)"</span>
                <select data-testid="swap-back" prop:value=move || back.get()
                    on:change=move |ev| back.set(event_target_value(&ev))>
                    <option value="">"Nothing in return"</option>
                    {move || theirs().into_iter().map(|(id, label)| view! { <option value=id>{label}</option> }).collect_view()}
                </select>
            </label>
            <button type="button" data-testid="request-swap" on:click=request>"Ask the manager"</button>
            <Show when=move || sent.get()>
                <p class="saved" data-testid="swap-sent">"Swap requested; the manager approves it under the week."</p>
            </Show>
        </details>
    }
}

/// The swap requests of the site's months in view that wait for a decision.
#[component]
pub fn SwapRequests(directory: Memo<Directory>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let place = place();
    let waiting = Memo::new(move |_| {
        let site = ctx.site.get();
        let monday = place.monday.get();
        let mut months = vec![monday, monday + Duration::days(6)];
        months.dedup_by_key(|d| roster_doc(&site, *d));
        let mut all = Vec::new();
        for day in months {
            if let Some(roster) = read_roster(ctx, &site, day) {
                for s in roster
                    .swaps
                    .iter()
                    .filter(|s| s.status == Decision::Requested)
                {
                    let describe = |id: &ShiftId| {
                        roster
                            .shift(id)
                            .map(|s| format!("{} {}", s.day().format("%a %-d %b"), s.times()))
                            .unwrap_or_else(|| "a removed shift".into())
                    };
                    let text = directory.with(|d| {
                        let back = s
                            .give_back
                            .as_ref()
                            .map(|b| format!(", taking {} in return", describe(b)))
                            .unwrap_or_default();
                        format!(
                            "{} offers {} to {}{back}.",
                            d.staff_name(&s.from),
                            describe(&s.shift),
                            d.staff_name(&s.to)
                        )
                    });
                    all.push((roster_doc(&site, day), s.id.clone(), text));
                }
            }
        }
        all
    });
    let decide = move |doc, id: swap::SwapId, approve: bool| {
        let by = directory.with_untracked(|d| ctx.who(d).name().to_string());
        change_many(
            ctx,
            vec![doc],
            if approve {
                "approve the swap"
            } else {
                "deny the swap"
            },
            move |all| swap::decide(all[0], &id, approve, &by),
            |()| (),
        );
    };
    view! {
        <Show when=move || waiting.with(|w| !w.is_empty())>
            <section class="card swaps" data-testid="swap-requests">
                <h3>"Swap requests"</h3>
                <ul>
                    {move || waiting.get().into_iter().map(|(doc, id, text)| {
                        let (doc2, id2) = (doc.clone(), id.clone());
                        view! {
                            <li data-testid="swap-request">
                                <span>{text}</span>
                                <button type="button" data-testid="approve-swap"
                                    on:click=move |_| decide(doc.clone(), id.clone(), true)>"Approve"</button>
                                <button type="button" data-testid="deny-swap"
                                    on:click=move |_| decide(doc2.clone(), id2.clone(), false)>"Deny"</button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        </Show>
    }
}
