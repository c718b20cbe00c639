//! Today across all sites, for the office manager on a phone: per site the day's figures,
//! waits over the threshold, no-shows and clashes; one tap opens that site's day.

use leptos::prelude::*;

use crate::ui::{directory_memo, Ctx, Tab};
use model::clash::find_clashes;
use model::day::SiteSummary;

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
                    let Some(month) = ctx.month(&site.id, today) else {
                        return (site.id.clone(), site.name.clone(), None);
                    };
                    let day: Vec<_> = month.on_day(today).cloned().collect();
                    let conflicts = find_clashes(&day, d, &site.id).len();
                    let summary = SiteSummary::new(site, &day, conflicts, now, threshold);
                    (site.id.clone(), site.name.clone(), Some(summary))
                })
                .collect::<Vec<_>>()
        })
    });
    view! {
        <section class="sites">
            <h2>{move || format!("Today across sites · {}", ctx.now.get().format("%a %-d %b %H:%M"))}</h2>
            <ul class="site-cards">
                {move || summaries.get().into_iter().map(|(id, name, summary)| {
                    let open = {
                        let id = id.clone();
                        move |_| {
                            ctx.remember("site", id.as_str().to_string());
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
                                    None => view! { <p class="empty">"Loading…"</p> }.into_any(),
                                    Some(s) => {
                                        let c = s.counts;
                                        view! {
                                            <dl class="site-figures">
                                                <div><dt>"Booked"</dt><dd data-testid="site-booked">{c.booked}</dd></div>
                                                <div><dt>"Arrived"</dt><dd data-testid="site-arrived">{c.arrived}</dd></div>
                                                <div class:alert={c.waiting_long > 0}><dt>"Waiting too long"</dt><dd data-testid="site-waiting-long">{c.waiting_long}</dd></div>
                                                <div><dt>"No-shows"</dt><dd data-testid="site-no-show">{c.no_show}</dd></div>
                                                <div class:alert={s.conflicts > 0}><dt>"Conflicts"</dt><dd data-testid="site-conflicts">{s.conflicts}</dd></div>
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
