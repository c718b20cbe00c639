//! Who is on now at every site (the manager's phone, between sites), and each day's
//! coverage at the site in view: the positions required against those filled, gaps in red
//! with a tap to plan a shift there.

use std::sync::Arc;

use chrono::{Duration, NaiveDate};
use leptos::prelude::*;

use super::{place, shifts_between, RosterView, ShiftOpen};
use crate::ui::Ctx;
use model::roster::coverage::{day_cover, next_on, on_now, DayCover};
use model::roster::Shift;
use model::{Directory, SiteId};

/// A shift as a line: "Robin Mockwell · Desk 1 · until 15:30".
fn line(directory: &Directory, shift: &Shift, until: bool) -> String {
    let who = shift
        .staff
        .as_ref()
        .map_or_else(|| "Open".to_string(), |s| directory.staff_name(s));
    let position = directory.position_name(shift.position.as_ref());
    let when = if until {
        format!("until {}", shift.end.format("%H:%M"))
    } else {
        shift.times()
    };
    format!("{who} · {position} · {when}")
}

#[component]
pub fn OnNow(directory: Memo<Directory>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let today = Memo::new(move |_| ctx.now.get().date());
    // Yesterday too: a night shift that started then may be on now.
    let shifts = Memo::new(move |_| {
        let sites: Vec<SiteId> = directory.with(|d| d.sites.iter().map(|s| s.id.clone()).collect());
        let today = today.get();
        shifts_between(ctx, &sites, today - Duration::days(1), today)
    });
    let cards = move || {
        let Some(shifts) = shifts.get() else {
            return view! { <p class="loading">"Loading…"</p> }.into_any();
        };
        let now = ctx.now.get();
        directory.with(|d| {
            d.sites
                .iter()
                .map(|site| {
                    let on: Vec<String> = on_now(&shifts, &site.id, now)
                        .into_iter()
                        .map(|s| line(d, s, true))
                        .collect();
                    let next: Vec<String> = next_on(&shifts, &site.id, now)
                        .into_iter()
                        .map(|s| line(d, s, false))
                        .collect();
                    let cover = day_cover(d, &site.id, now.date(), &shifts);
                    let gaps_now: Vec<String> = cover
                        .positions
                        .iter()
                        .filter(|p| p.gaps.iter().any(|(from, to)| *from <= now && now < *to))
                        .map(|p| p.name.clone())
                        .collect();
                    let empty = on.is_empty();
                    view! {
                        <section class="card on-now" data-testid="on-now-site">
                            <h3>{site.name.clone()}</h3>
                            {(!gaps_now.is_empty()).then(|| view! {
                                <p class="gap" data-testid="gap-now">{format!("Nobody at {} now.", gaps_now.join(", "))}</p>
                            })}
                            <ul class="on-list">
                                {on.into_iter().map(|l| view! { <li data-testid="on-now">{l}</li> }).collect_view()}
                            </ul>
                            {empty.then(|| view! { <p class="hint">"Nobody is on shift here now."</p> })}
                            {(!next.is_empty()).then(|| view! {
                                <h4>"Later today"</h4>
                                <ul class="on-list later">
                                    {next.into_iter().map(|l| view! { <li data-testid="on-later">{l}</li> }).collect_view()}
                                </ul>
                            })}
                        </section>
                    }
                })
                .collect_view()
                .into_any()
        })
    };
    view! {
        <div class="on-now-page">
            <p class="hint">{move || format!("As of {}", ctx.now.get().format("%a %-d %b, %H:%M"))}</p>
            {cards}
        </div>
    }
}

#[component]
pub fn Coverage(directory: Memo<Directory>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let place = place();
    let week = Memo::new(move |_| {
        let monday = place.monday.get();
        let site = ctx.site.get();
        let shifts = shifts_between(
            ctx,
            std::slice::from_ref(&site),
            monday - Duration::days(1),
            monday + Duration::days(6),
        )?;
        // One copy of the week's shifts, shared by the seven days' cards.
        let shifts = Arc::new(shifts);
        Some(directory.with(|d| {
            (0..7)
                .map(|n| {
                    let day = monday + Duration::days(n);
                    (day_cover(d, &site, day, &shifts), shifts.clone())
                })
                .collect::<Vec<_>>()
        }))
    });
    let step = move |weeks: i64| place.monday.update(|m| *m += Duration::days(7 * weeks));
    view! {
        <div class="cover-page">
            <div class="week-tools">
                <button type="button" aria-label="Week before" on:click=move |_| step(-1)>"‹"</button>
                <h2 class="week-title">{move || format!("Coverage, week of {}", place.monday.get().format("%-d %b %Y"))}</h2>
                <button type="button" aria-label="Week after" on:click=move |_| step(1)>"›"</button>
            </div>
            {move || match week.get() {
                None => view! { <p class="loading">"Loading…"</p> }.into_any(),
                Some(days) if directory.with(|d| d.positions_at(&ctx.site.get()).next().is_none()) => {
                    let _ = days;
                    view! { <p class="hint" data-testid="no-positions">"This site has no positions yet: add them under Settings → Roster planning, with the hours each must be staffed."</p> }.into_any()
                }
                Some(days) => days
                    .into_iter()
                    .map(|(cover, shifts)| view! { <DayCard directory=directory cover=cover shifts=shifts /> })
                    .collect_view()
                    .into_any(),
            }}
        </div>
    }
}

#[component]
fn DayCard(directory: Memo<Directory>, cover: DayCover, shifts: Arc<Vec<Shift>>) -> impl IntoView {
    let place = place();
    let day: NaiveDate = cover.day;
    let site = cover.site.clone();
    let name_of = move |id: &model::roster::ShiftId| {
        shifts
            .iter()
            .find(|s| &s.id == id)
            .map(|s| directory.with_untracked(|d| line(d, s, false)))
            .unwrap_or_default()
    };
    let gaps = cover.gap_count();
    let rows = cover
        .positions
        .iter()
        .filter(|p| p.required.is_some() || !p.filled.is_empty() || !p.open.is_empty())
        .map(|p| {
            let required = p.required.map(|(from, to)| {
                format!("{}–{}", from.format("%H:%M"), to.format("%H:%M"))
            });
            let filled: Vec<String> = p.filled.iter().map(&name_of).collect();
            let open = p.open.len();
            let gap_views = p
                .gaps
                .iter()
                .map(|(from, to)| {
                    let site = site.clone();
                    let plan = move |_| {
                        place.view.set(RosterView::Week);
                        place.shift.set(Some(ShiftOpen::New {
                            site: site.clone(),
                            day,
                            staff: None,
                        }));
                    };
                    view! {
                        <button type="button" class="gap" data-testid="cover-gap" on:click=plan>
                            {format!("Gap {}–{}", from.format("%H:%M"), to.format("%H:%M"))}
                        </button>
                    }
                })
                .collect_view();
            view! {
                <li class="cover-row" class:short=!p.gaps.is_empty() data-testid="cover-position">
                    <strong>{p.name.clone()}</strong>
                    <span class="hint">{required.unwrap_or_else(|| "not required".into())}</span>
                    <span>{if filled.is_empty() { "Nobody".to_string() } else { filled.join("; ") }}</span>
                    {(open > 0).then(|| view! { <span class="open-note">{format!("{open} open shift(s) to claim")}</span> })}
                    {gap_views}
                </li>
            }
        })
        .collect_view();
    view! {
        <section class={if gaps > 0 { "card cover-day has-gaps" } else { "card cover-day" }} data-testid="cover-day">
            <h3>
                {day.format("%A %-d %b").to_string()}
                <span class="badge" class:ok=move || gaps == 0 data-testid="cover-gaps">
                    {if gaps == 0 { "Covered".to_string() } else { format!("{gaps} gap(s)") }}
                </span>
            </h3>
            <ul class="cover-list">{rows}</ul>
        </section>
    }
}
