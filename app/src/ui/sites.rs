//! Today across all sites, for the office manager on a phone: per site the day's figures,
//! waits over the threshold, no-shows and clashes; one tap opens that site's day. Above
//! them, the manager's other rounds one tap away: clashes, cards due, supplies expiring,
//! who is working now.

use leptos::prelude::*;

use crate::ui::conflicts::clashes_from_today;
use crate::ui::{directory_memo, Ctx, Tab};
use model::day::SiteSummary;
use model::DocKind;

/// What a site's card can show.
#[derive(Clone, PartialEq)]
enum Figures {
    Loading,
    /// The relay refuses this site's documents to this device.
    NotEnrolled,
    Ready(SiteSummary),
}

#[component]
pub fn Sites() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let directory = directory_memo(ctx);
    let summaries = Memo::new(move |_| {
        let now = ctx.now.get();
        let today = now.date();
        let threshold = ctx.wait_threshold.get();
        directory.with(|d| {
            d.sites
                .iter()
                .map(|site| {
                    let named =
                        |figures, calls| (site.id.clone(), site.name.clone(), figures, calls);
                    if ctx.not_enrolled(&DocKind::schedule_for(&site.id, today).doc_id()) {
                        return named(Figures::NotEnrolled, None);
                    }
                    let calls = confirmation(ctx, d, &site.id, today);
                    let Some(month) = ctx.month(&site.id, today) else {
                        return named(Figures::Loading, calls);
                    };
                    let day: Vec<_> = month.on_day(today).cloned().collect();
                    // The same count as the Conflicts badge: open clashes from today on.
                    let conflicts = clashes_from_today(ctx, d, &site.id).len();
                    let summary = SiteSummary::new(site, &day, conflicts, now, threshold);
                    named(Figures::Ready(summary), calls)
                })
                .collect::<Vec<_>>()
        })
    });
    view! {
        <section class="sites">
            <h2>{move || format!("Today across sites · {}", ctx.now.get().format("%a %-d %b %H:%M"))}</h2>
            <Rounds />
            <ul class="site-cards">
                {move || summaries.get().into_iter().map(|(id, name, summary, calls)| {
                    let open = {
                        let id = id.clone();
                        move |_| {
                            ctx.work_at(&id);
                            ctx.site.set(id.clone());
                            ctx.day.set(ctx.now.get_untracked().date());
                            ctx.deselect();
                            ctx.tab.set(Tab::Today);
                        }
                    };
                    view! {
                        <li class="site-card card" class:current=ctx.site.get_untracked() == id data-testid="site-card">
                            <button class="site-open" on:click=open>
                                <h3 data-testid="site-name">{name}</h3>
                                {match summary {
                                    Figures::Loading => view! { <p class="empty">"Loading…"</p> }.into_any(),
                                    Figures::NotEnrolled => view! {
                                        <p class="empty" data-testid="site-not-enrolled">
                                            "This device is not enrolled for this site."
                                        </p>
                                    }.into_any(),
                                    Figures::Ready(s) => {
                                        let c = s.counts;
                                        view! {
                                            <dl class="site-figures">
                                                <div><dt>"Booked"</dt><dd data-testid="site-booked">{c.booked}</dd></div>
                                                <div><dt>"Checked in today"</dt><dd data-testid="site-arrived">{c.arrived}</dd></div>
                                                <div class:alert={c.waiting_long > 0}><dt>"Waiting too long"</dt><dd data-testid="site-waiting-long">{c.waiting_long}</dd></div>
                                                <div><dt>"No-shows"</dt><dd data-testid="site-no-show">{c.no_show}</dd></div>
                                                <div class:alert={s.conflicts > 0}><dt>"Conflicts from today"</dt><dd data-testid="site-conflicts">{s.conflicts}</dd></div>
                                                {calls.clone().map(|(day, figure)| view! {
                                                    <div><dt>{format!("Confirmed for {day}")}</dt><dd data-testid="site-confirmed">{figure}</dd></div>
                                                })}
                                            </dl>
                                        }.into_any()
                                    }
                                }}
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

/// How far the site's confirmation calls are for its call day: ("Tue", "6 of 8 · 75%");
/// `None` while that day loads, or when the site has no open day ahead.
fn confirmation(
    ctx: Ctx,
    directory: &model::Directory,
    site: &model::SiteId,
    today: chrono::NaiveDate,
) -> Option<(String, String)> {
    let day = model::confirm::call_day(directory, site, today)?;
    let appointments = ctx.day_of(site, day)?;
    let list = model::confirm::worklist(&appointments, directory.calling(site).tries);
    let figure = match list.rate() {
        None => "nobody booked".to_string(),
        Some(rate) => format!("{} of {} · {rate}%", list.confirmed.len(), list.total()),
    };
    Some((day.format("%a %-d %b").to_string(), figure))
}

/// The manager's pages, first on the phone: each opens its page on the view that answers
/// the round's question. (Named apart from the navigation's tabs, which stay as they are.)
#[component]
fn Rounds() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let tasks = crate::ui::tasks::tasks_place();
    let stock = crate::ui::stock::stock_place();
    let roster = crate::ui::roster::place();
    let clashes = use_context::<crate::ui::conflicts::OpenClashes>();
    view! {
        <nav class="rounds" aria-label="The manager's rounds">
            <button type="button" data-testid="round-clashes" on:click=move |_| ctx.tab.set(Tab::Conflicts)>
                {move || match clashes.map_or(0, |c| c.0.with(Vec::len)) {
                    0 => "Clashes to resolve: none".to_string(),
                    n => format!("Clashes to resolve: {n}"),
                }}
            </button>
            <button type="button" data-testid="round-due" on:click=move |_| {
                tasks.open_on.set(Some(crate::ui::tasks::View::Due));
                ctx.tab.set(Tab::Tasks)
            }>"Cards falling due"</button>
            <button type="button" data-testid="round-expiry" on:click=move |_| {
                stock.open_on.set(Some(crate::ui::stock::View::Expiry));
                ctx.tab.set(Tab::Stock)
            }>"Supplies expiring"</button>
            <Show when=move || ctx.may(model::access::Action::RunRoster)>
                <button type="button" data-testid="round-on-now" on:click=move |_| {
                    roster.view.set(crate::ui::roster::RosterView::Now);
                    ctx.tab.set(Tab::Roster)
                }>"Who is working now"</button>
            </Show>
        </nav>
    }
}
