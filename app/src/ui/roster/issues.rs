//! The roster's rules, one list across every site for the week in view: overlapping
//! shifts, shifts in approved time off, too many hours, too little rest, missing or
//! expired credentials, shifts two managers changed differently. Each line opens what
//! fixes it: the shift in its week, or the person.

use chrono::Duration;
use leptos::prelude::*;

use super::{place, week_with_margin};
use crate::ui::Ctx;
use model::roster::rules::{check, Issue, IssueKind};
use model::Directory;

/// The issues of the week in view across all sites; `None` while a month loads. The Rule checks
/// page and the week's marks read it.
pub(super) fn week_issues(ctx: Ctx, directory: Memo<Directory>) -> Memo<Option<Vec<Issue>>> {
    let place = place();
    Memo::new(move |_| {
        let monday = place.monday.get();
        let shifts = directory.with(|d| week_with_margin(ctx, d, monday))?;
        Some(directory.with(|d| check(&shifts, d, monday, monday + Duration::days(6))))
    })
}

fn kind_label(kind: &IssueKind) -> &'static str {
    match kind {
        IssueKind::Overlap { .. } => "Overlap",
        IssueKind::InTimeOff { .. } => "Time off",
        IssueKind::OverContract { .. } => "Over contract",
        IssueKind::Overtime { .. } => "Overtime",
        IssueKind::ShortRest { .. } => "Rest",
        IssueKind::MissingCredential { .. } => "Credential",
        IssueKind::ExpiredLicence { .. } => "Licence expired",
        IssueKind::NotAtSite => "Site",
        IssueKind::UnknownPerson => "Unknown person",
        IssueKind::Disputed { .. } => "Changed twice",
    }
}

#[component]
pub fn Issues(directory: Memo<Directory>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let place = place();
    let issues = week_issues(ctx, directory);
    let step = move |weeks: i64| place.monday.update(|m| *m += Duration::days(7 * weeks));
    let row = move |issue: Issue| {
        let site_name = directory.with_untracked(|d| {
            d.site(&issue.site)
                .map_or_else(|| issue.site.as_str().to_string(), |s| s.name.clone())
        });
        let label = kind_label(&issue.kind);
        let fix = {
            let issue = issue.clone();
            move |_| match (&issue.shift, &issue.staff) {
                (Some(shift), _) => {
                    place.open_shift(ctx, issue.site.clone(), issue.day, shift.clone())
                }
                (None, Some(staff)) => place.open_person(staff.clone()),
                (None, None) => {}
            }
        };
        view! {
            <li class="issue" data-testid="roster-issue">
                <span class="issue-kind">{label}</span>
                <span class="issue-text">{issue.message.clone()}</span>
                <span class="hint">{site_name}</span>
                <button type="button" data-testid="fix-issue" on:click=fix>"Open"</button>
            </li>
        }
    };
    view! {
        <div class="issues-page">
            <div class="week-tools">
                <button type="button" aria-label="Week before" on:click=move |_| step(-1)>"‹"</button>
                <h2 class="week-title">{move || format!("Rule checks, week of {}", place.monday.get().format("%-d %b %Y"))}</h2>
                <button type="button" aria-label="Week after" on:click=move |_| step(1)>"›"</button>
            </div>
            <p class="hint">"Every site's shifts checked against the practice's rules: hours, rests, qualifications and time off. A shift added on a device that is offline is checked here once it has synced."</p>
            {move || match issues.get() {
                None => view! { <p class="loading">"Loading…"</p> }.into_any(),
                Some(list) if list.is_empty() => view! {
                    <p class="saved" data-testid="no-issues">"No rule is broken this week."</p>
                }.into_any(),
                Some(list) => view! {
                    <ul class="issues" data-testid="roster-issues">
                        {list.into_iter().map(row).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </div>
    }
}
