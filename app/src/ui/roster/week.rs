//! The manager's week at one site: people down the side, Monday to Sunday across, each
//! cell the person's shifts that day; a row of open shifts for staff to claim. A tap on a
//! shift opens it in the panel; a tap on "+" starts a new one there. Copy last week brings
//! the previous week's shifts forward (once: copying again adds nothing), and the week's
//! rule problems mark the shifts they concern.

use std::collections::{BTreeMap, HashSet};

use chrono::{Duration, NaiveDate};
use leptos::prelude::*;

use super::issues::week_issues;
use super::shift::{ShiftPanel, SwapRequests};
use super::{change_many, place, roster_doc, shifts_between, ShiftOpen};
use crate::platform::{download, local_now};
use crate::ui::Ctx;
use model::roster::exchange::{week_csv, week_file_name};
use model::roster::rules::{weekly_minutes, Issue};
use model::roster::{add_shift, copy_week, monday, Shift, ShiftId};
use model::staff::hours_text;
use model::{Directory, SiteId, StaffId};

/// The rules' findings for the week in view, for the shift panel beside the grid.
#[derive(Clone, Copy)]
pub(super) struct WeekIssues(pub Memo<Option<Vec<Issue>>>);

/// The week's shifts at the site in view; `None` while a month loads.
fn site_week(ctx: Ctx, site: &SiteId, monday: NaiveDate) -> Option<Vec<Shift>> {
    shifts_between(
        ctx,
        std::slice::from_ref(site),
        monday,
        monday + Duration::days(6),
    )
}

#[component]
pub fn Week(directory: Memo<Directory>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let place = place();
    let week = Memo::new(move |_| site_week(ctx, &ctx.site.get(), place.monday.get()));
    // The shifts that a rule flags this week, across every site (a person may work two):
    // the same reading as the Rule checks page.
    let issues = week_issues(ctx, directory);
    provide_context(WeekIssues(issues));
    let flagged = Memo::new(move |_| {
        issues.with(|list| {
            list.as_ref().map(|list| {
                list.iter()
                    .filter_map(|i| i.shift.clone())
                    .collect::<HashSet<ShiftId>>()
            })
        })
    });
    let days = move || {
        let monday = place.monday.get();
        (0..7)
            .map(|d| monday + Duration::days(d))
            .collect::<Vec<_>>()
    };
    let step = move |weeks: i64| place.monday.update(|m| *m += Duration::days(7 * weeks));
    let this_week = move |_| place.monday.set(monday(local_now().date()));
    let copied = RwSignal::new(None::<String>);
    let copy_last_week = move |_| copy_last(ctx, place.monday.get_untracked(), copied);
    let export = move |_| {
        let (site, monday) = (ctx.site.get_untracked(), place.monday.get_untracked());
        let Some(shifts) = week.get_untracked() else {
            return;
        };
        let text = directory.with_untracked(|d| week_csv(d, &site, monday, &shifts));
        if let Err(e) = download(&week_file_name(&site, monday), "text/csv", &text) {
            ctx.report(format!("Could not export the week: {e}"));
        }
    };
    view! {
        <div class="roster-body">
            <div class="roster-main">
                <div class="week-tools">
                    <button type="button" data-testid="week-back" aria-label="Week before"
                        on:click=move |_| step(-1)>"‹"</button>
                    <h2 class="week-title" data-testid="week-title">
                        {move || format!("Week of {}", place.monday.get().format("%-d %b %Y"))}
                    </h2>
                    <button type="button" data-testid="week-next" aria-label="Week after"
                        on:click=move |_| step(1)>"›"</button>
                    <button type="button" data-testid="week-this" on:click=this_week>"This week"</button>
                    <button type="button" data-testid="copy-last-week" on:click=copy_last_week>"Copy last week"</button>
                    <button type="button" data-testid="export-week" on:click=export>"Week as CSV"</button>
                </div>
                {move || copied.get().map(|message| view! {
                    <p class="saved" data-testid="copied">{message}</p>
                })}
                {move || match week.get() {
                    None => view! { <p class="loading">"Loading…"</p> }.into_any(),
                    Some(shifts) => view! {
                        <Grid directory=directory shifts=shifts days=days()
                            flagged=flagged.get().unwrap_or_default() />
                    }.into_any(),
                }}
                <SwapRequests directory=directory />
            </div>
            <Show when=move || place.shift.with(Option::is_some)>
                <aside class="side">
                    <ShiftPanel directory=directory />
                </aside>
            </Show>
        </div>
    }
}

/// The table itself: one row per person who may work at the site or has a shift there
/// this week, and the open shifts first.
#[component]
fn Grid(
    directory: Memo<Directory>,
    shifts: Vec<Shift>,
    days: Vec<NaiveDate>,
    flagged: HashSet<ShiftId>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let place = place();
    let site = ctx.site.get_untracked();
    let monday = days[0];
    let mut rows: BTreeMap<(String, String), Option<StaffId>> = BTreeMap::new();
    directory.with_untracked(|d| {
        for member in d.staff_at(&site) {
            rows.insert(
                (member.name.to_lowercase(), member.id.to_string()),
                Some(member.id.clone()),
            );
        }
        for staff in shifts.iter().filter_map(|s| s.staff.as_ref()) {
            let name = d.staff_name(staff).to_lowercase();
            rows.insert((name, staff.to_string()), Some(staff.clone()));
        }
    });
    let header = days
        .iter()
        .map(|d| {
            let today = *d == local_now().date();
            view! {
                <th class:today=today>{d.format("%a").to_string()}<br/>{d.format("%-d %b").to_string()}</th>
            }
        })
        .collect_view();
    let row = |staff: Option<StaffId>| {
        let (name, hours) = directory.with_untracked(|d| match &staff {
            None => ("Open shifts".to_string(), String::new()),
            Some(id) => {
                let worked = weekly_minutes(&shifts, id, monday);
                let contracted = d
                    .staff_member(id)
                    .and_then(|m| m.weekly_minutes)
                    .map(|m| format!(" / {}", hours_text(m)))
                    .unwrap_or_default();
                (
                    d.staff_name(id),
                    format!("{} h{contracted}", hours_text(worked.max(0) as u32)),
                )
            }
        });
        let cells = days
            .iter()
            .map(|day| {
                let day = *day;
                let mine: Vec<Shift> = shifts
                    .iter()
                    .filter(|s| s.day() == day && s.staff == staff)
                    .cloned()
                    .collect();
                let chips = mine
                    .into_iter()
                    .map(|s| chip(directory, &s, flagged.contains(&s.id)))
                    .collect_view();
                let (site, staff) = (site.clone(), staff.clone());
                let add = move |_| {
                    place.shift.set(Some(ShiftOpen::New {
                        site: site.clone(),
                        day,
                        staff: staff.clone(),
                    }))
                };
                view! {
                    <td class="week-cell">
                        {chips}
                        <button type="button" class="add-shift" data-testid="add-shift"
                            aria-label=format!("Add a shift on {}", day.format("%A"))
                            on:click=add>"+"</button>
                    </td>
                }
            })
            .collect_view();
        let class = if staff.is_none() {
            "week-row open-row"
        } else {
            "week-row"
        };
        view! {
            <tr class=class data-testid="week-row">
                <th class="week-person" scope="row">
                    <span data-testid="week-person">{name}</span>
                    <span class="week-hours" data-testid="week-hours">{hours}</span>
                </th>
                {cells}
            </tr>
        }
    };
    let body = std::iter::once(None)
        .chain(rows.into_values())
        .map(row)
        .collect_view();
    view! {
        <div class="week-scroll">
            <table class="week-grid" data-testid="week-grid">
                <thead><tr><th>"Person"</th>{header}</tr></thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
}

/// A shift in its cell: position and times, marked when disputed or flagged by a rule.
fn chip(directory: Memo<Directory>, shift: &Shift, flagged: bool) -> impl IntoView {
    let place = place();
    let ctx = expect_context::<Ctx>();
    let position = directory.with_untracked(|d| d.position_name(shift.position.as_ref()));
    let (site, day, id) = (shift.site.clone(), shift.day(), shift.id.clone());
    let disputed = !shift.disputes.is_empty();
    let open = move |_| place.open_shift(ctx, site.clone(), day, id.clone());
    view! {
        <button type="button" class="shift-chip" class:disputed=disputed class:flagged=flagged
            class=("open-shift", shift.is_open()) data-testid="shift-chip" on:click=open>
            <span class="chip-times">{shift.times()}</span>
            <span class="chip-position">{position}</span>
            {disputed.then(|| view! { <span class="chip-mark" title="Two people changed this shift differently">"!"</span> })}
        </button>
    }
}

/// Brings last week's shifts at the site forward to the week of `monday`: one change
/// across the roster months involved, all or nothing.
fn copy_last(ctx: Ctx, monday: NaiveDate, copied: RwSignal<Option<String>>) {
    let site = ctx.site.get_untracked();
    let Some(shifts) = shifts_between(
        ctx,
        std::slice::from_ref(&site),
        monday - Duration::days(7),
        monday + Duration::days(6),
    ) else {
        copied.set(Some("Loading the weeks; try again in a moment.".into()));
        return;
    };
    let copies = copy_week(&shifts, &shifts, monday);
    if copies.is_empty() {
        copied.set(Some(
            "Nothing to copy: last week has no shifts this week lacks.".into(),
        ));
        return;
    }
    let docs: Vec<_> = {
        let mut docs: Vec<_> = copies
            .iter()
            .map(|c| roster_doc(&site, c.start.date()))
            .collect();
        docs.dedup();
        docs
    };
    let count = copies.len();
    let targets = docs.clone();
    change_many(
        ctx,
        docs,
        "copy last week",
        move |all| {
            for copy in &copies {
                let doc = roster_doc(&site, copy.start.date());
                let index = targets.iter().position(|d| *d == doc).unwrap_or(0);
                add_shift(all[index], copy)?;
            }
            Ok(())
        },
        move |()| copied.set(Some(format!("Copied {count} shifts from last week."))),
    );
}
