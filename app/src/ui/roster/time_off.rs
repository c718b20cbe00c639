//! Time off: the request form ([`request`]), then what waits for a manager's decision, and
//! what was approved or denied (from 30 days ago on). Two managers who decided one request
//! differently while offline see both decisions and decide again. An approved absence
//! that holds shifts of the person says how many, as the rules list does.

mod request;

use std::collections::HashMap;

use chrono::{Duration, NaiveDate};
use leptos::prelude::*;

use crate::ui::settings::fields::edit_directory;
use crate::ui::Ctx;
use model::staff::time_off::{decide, withdraw, Decision, TimeOff, TimeOffId};
use model::{Directory, SiteId};

use super::{place, shifts_between, RosterView};

/// Days of decided requests that are still listed after their last day.
const DECIDED_DAYS_SHOWN: i64 = 30;

/// "Mon 1 Dec – Fri 5 Dec 2025 · 5 days".
pub(super) fn days_text(t: &TimeOff) -> String {
    let days = match t.days() {
        1 => "1 day".to_string(),
        n => format!("{n} days"),
    };
    if t.from == t.to {
        format!("{} · {days}", t.from.format("%a %-d %b %Y"))
    } else {
        format!(
            "{} – {} · {days}",
            t.from.format("%a %-d %b"),
            t.to.format("%a %-d %b %Y")
        )
    }
}

/// The requests of each list, by first day.
#[derive(Clone, Default, PartialEq, Eq)]
struct Lists {
    waiting: Vec<TimeOff>,
    approved: Vec<TimeOff>,
    denied: Vec<TimeOff>,
}

fn lists(directory: &Directory, today: NaiveDate) -> Lists {
    let since = today - Duration::days(DECIDED_DAYS_SHOWN);
    let mut lists = Lists::default();
    for t in &directory.time_off {
        let list = if t.status == Decision::Requested || !t.disputed.is_empty() {
            &mut lists.waiting
        } else if t.to < since {
            continue;
        } else if t.status == Decision::Approved {
            &mut lists.approved
        } else {
            &mut lists.denied
        };
        list.push(t.clone());
    }
    for list in [&mut lists.waiting, &mut lists.approved, &mut lists.denied] {
        list.sort_by(|a, b| (a.from, &a.id).cmp(&(b.from, &b.id)));
    }
    lists
}

#[component]
pub fn TimeOffPage(directory: Memo<Directory>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let place = place();
    let today = Memo::new(move |_| ctx.now.get().date());
    let lists = Memo::new(move |_| directory.with(|d| lists(d, today.get())));
    // How many shifts each approved request holds; `None` while the roster loads.
    let held = Memo::new(move |_| -> Option<HashMap<TimeOffId, usize>> {
        let approved = lists.with(|l| l.approved.clone());
        let (Some(from), Some(to)) = (
            approved.iter().map(|t| t.from).min(),
            approved.iter().map(|t| t.to).max(),
        ) else {
            return Some(HashMap::new());
        };
        let sites: Vec<SiteId> = directory.with(|d| d.sites.iter().map(|s| s.id.clone()).collect());
        let shifts = shifts_between(ctx, &sites, from, to)?;
        Some(
            approved
                .iter()
                .map(|t| {
                    let count = shifts
                        .iter()
                        .filter(|s| s.staff.as_ref() == Some(&t.staff) && t.covers(s.day()))
                        .count();
                    (t.id.clone(), count)
                })
                .collect(),
        )
    });
    let decide_it = move |id: TimeOffId, decision: Decision| {
        let who = ctx.who(&directory.get_untracked());
        edit_directory(&ctx, "record the decision", |am| {
            decide(am, &id, decision, who.name())
        });
    };
    let withdraw_it = move |id: TimeOffId| {
        edit_directory(&ctx, "withdraw the request", |am| withdraw(am, &id));
    };

    let row = move |t: TimeOff, d: &Directory| {
        let waiting = t.status == Decision::Requested || !t.disputed.is_empty();
        let mut who = Vec::new();
        if !t.requested_by.is_empty() {
            who.push(format!("Asked by {}", t.requested_by));
        }
        if !waiting && !t.decided_by.is_empty() {
            who.push(format!("{} by {}", t.status.label(), t.decided_by));
        }
        let disputed = (!t.disputed.is_empty()).then(|| {
            let decisions: Vec<&str> = t.disputed.iter().map(|d| d.label()).collect();
            view! {
                <p class="disputed" data-testid="time-off-disputed">
                    {format!("Two managers decided differently: {} — decide again.", decisions.join(" / "))}
                </p>
            }
        });
        let shifts = (t.status == Decision::Approved && t.disputed.is_empty())
            .then(|| held.with(|h| h.as_ref().and_then(|h| h.get(&t.id).copied())))
            .flatten()
            .filter(|n| *n > 0)
            .map(|n| {
                let words = match n {
                    1 => "1 shift in this time off — see Rule checks".to_string(),
                    n => format!("{n} shifts in this time off — see Rule checks"),
                };
                view! {
                    <button type="button" class="link warning" data-testid="time-off-shifts"
                        on:click=move |_| place.view.set(RosterView::Issues)>{words}</button>
                }
            });
        let (approve_id, deny_id, withdraw_id) = (t.id.clone(), t.id.clone(), t.id.clone());
        let can_withdraw = t.status == Decision::Requested && t.disputed.is_empty();
        let actions = waiting.then(|| {
            view! {
                <div class="row-actions">
                    <button type="button" class="primary" data-testid="approve-time-off"
                        on:click=move |_| decide_it(approve_id.clone(), Decision::Approved)>"Approve"</button>
                    <button type="button" class="danger" data-testid="deny-time-off"
                        on:click=move |_| decide_it(deny_id.clone(), Decision::Denied)>"Deny"</button>
                    {can_withdraw.then(|| view! {
                        <button type="button" data-testid="withdraw-time-off"
                            on:click=move |_| withdraw_it(withdraw_id.clone())>"Withdraw"</button>
                    })}
                </div>
            }
        });
        view! {
            <li class="roster-row time-off-row" class:disputed=!t.disputed.is_empty()
                data-testid="time-off-row" data-status=t.status.code() data-request=t.id.to_string()>
                <span class="row-head">
                    <span class="row-name">{d.staff_name(&t.staff)}</span>
                    <span class=format!("status {}", t.status.code())>{t.kind.label()}</span>
                </span>
                <span class="row-meta">{days_text(&t)}</span>
                {(!t.note.is_empty()).then(|| view! { <span class="row-meta">{t.note.clone()}</span> })}
                <span class="row-meta">{who.join(" · ")}</span>
                {disputed}
                {shifts}
                {actions}
            </li>
        }
    };
    let section = move |testid: &'static str,
                        heading: &'static str,
                        empty: &'static str,
                        pick: fn(&Lists) -> &Vec<TimeOff>| {
        view! {
            <section class="card roster-page" data-testid=testid>
                <h2>{heading}</h2>
                {move || {
                    let list = lists.with(|l| pick(l).clone());
                    if list.is_empty() {
                        return view! { <p class="empty">{empty}</p> }.into_any();
                    }
                    directory.with(|d| view! {
                        <ul class="roster-rows">
                            {list.into_iter().map(|t| row(t, d)).collect_view()}
                        </ul>
                    }.into_any())
                }}
            </section>
        }
    };
    view! {
        <div class="time-off-page" data-testid="time-off-page">
            <request::Request directory=directory />
            {section("time-off-waiting", "Waiting for a decision",
                "Nothing is waiting for a decision.", |l| &l.waiting)}
            {section("time-off-approved", "Approved",
                "No approved time off from the last 30 days on.", |l| &l.approved)}
            {section("time-off-denied", "Denied",
                "No denied requests from the last 30 days on.", |l| &l.denied)}
        </div>
    }
}
