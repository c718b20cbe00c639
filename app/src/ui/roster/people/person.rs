//! One person's page: their details in the staff form, their credentials ([`super::held`]),
//! their time off, and their shifts this week and next at every site, with a calendar file
//! of them for their phone.

use chrono::Duration;
use leptos::prelude::*;

use crate::platform::download;
use crate::ui::roster::{place, shifts_between, RosterView};
use crate::ui::settings::staff::{staff_summary, StaffForm};
use crate::ui::Ctx;
use model::roster::exchange::{ics_file_name, shifts_ics};
use model::roster::{monday, Shift};
use model::{Directory, SiteId, StaffId};

use super::held::PersonCredentials;

#[component]
pub fn Person(directory: Memo<Directory>, id: StaffId) -> impl IntoView {
    let place = place();
    let member = {
        let id = id.clone();
        Memo::new(move |_| directory.with(|d| d.staff_member(&id).cloned()))
    };
    let known = Memo::new(move |_| member.with(Option::is_some));
    let name = move || member.with(|m| m.as_ref().map(|m| m.name.clone()));
    let summary =
        move || member.with(|m| m.as_ref().map(|m| directory.with(|d| staff_summary(d, m))));
    let contact = move || {
        member.with(|m| {
            m.as_ref()
                .filter(|m| !m.contact.is_empty())
                .map(|m| m.contact.clone())
        })
    };
    let gone = || {
        view! { <p class="empty" data-testid="person-gone">"This person is no longer in the directory."</p> }
    };
    view! {
        <div class="person-page" data-testid="person-page">
            <button type="button" class="back" data-testid="person-back"
                on:click=move |_| place.person.set(None)>"← All people"</button>
            <Show when=move || known.get() fallback=gone>
                <section class="card roster-page">
                    <h2 data-testid="person-name">{name}</h2>
                    <p class="hint">{summary}</p>
                    <p class="hint">{contact}</p>
                    // Built when the person is first known, so that what is typed stays
                    // while a colleague's edit arrives.
                    <StaffForm directory=directory editing=member.get_untracked() />
                </section>
                <PersonCredentials directory=directory staff=id.clone() />
                <PersonTimeOff directory=directory staff=id.clone() />
                <NextShifts directory=directory staff=id.clone() />
            </Show>
        </div>
    }
}

/// The person's requests for time off, newest first; deciding happens under Time off.
#[component]
fn PersonTimeOff(directory: Memo<Directory>, staff: StaffId) -> impl IntoView {
    let place = place();
    let requests = Memo::new(move |_| {
        directory.with(|d| {
            d.time_off
                .iter()
                .filter(|t| t.staff == staff)
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    let rows = move || {
        let list = requests.get();
        if list.is_empty() {
            return view! { <p class="empty">"No time off asked for."</p> }.into_any();
        }
        view! {
            <ul class="roster-rows">
                {list.into_iter().map(|t| {
                    let status = if t.disputed.is_empty() { t.status.label() } else { "Decided differently" };
                    view! {
                        <li class="roster-row" data-testid="person-time-off">
                            <span class="row-head">
                                <span class="row-name">{t.kind.label()}</span>
                                <span class=format!("status {}", t.status.code())>{status}</span>
                            </span>
                            <span class="row-meta">{super::super::time_off::days_text(&t)}</span>
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <section class="card roster-page" data-testid="person-time-off-list">
            <h2>"Time off"</h2>
            {rows}
            <div class="form-end">
                <button type="button" data-testid="person-ask-time-off"
                    on:click=move |_| place.view.set(RosterView::TimeOff)>"Time off requests"</button>
            </div>
        </section>
    }
}

/// "Mon 24 Nov · 07:30–15:30 · Desk 1 at Main site".
fn shift_line(directory: &Directory, shift: &Shift) -> String {
    let site = directory
        .site(&shift.site)
        .map_or_else(|| shift.site.as_str().to_string(), |s| s.name.clone());
    format!(
        "{} · {} · {} at {site}",
        shift.start.format("%a %-d %b"),
        shift.times(),
        directory.position_name(shift.position.as_ref()),
    )
}

/// The person's shifts from now to the end of next week, at every site, read-only.
#[component]
fn NextShifts(directory: Memo<Directory>, staff: StaffId) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let staff_id = staff.clone();
    let shifts = Memo::new(move |_| {
        let now = ctx.now.get();
        let today = now.date();
        let sites: Vec<SiteId> = directory.with(|d| d.sites.iter().map(|s| s.id.clone()).collect());
        // From yesterday: a night shift that began then may still be under way.
        let all = shifts_between(
            ctx,
            &sites,
            today - Duration::days(1),
            monday(today) + Duration::days(13),
        )?;
        Some(
            all.into_iter()
                .filter(|s| s.staff.as_ref() == Some(&staff) && s.end > now)
                .collect::<Vec<_>>(),
        )
    });
    let problem = RwSignal::new(None::<String>);
    let calendar = move |_| {
        let Some(list) = shifts.get_untracked() else {
            return;
        };
        let (text, name) = directory.with_untracked(|d| {
            let stamp = chrono::Utc::now().naive_utc();
            (
                shifts_ics(d, &staff_id, &list, stamp),
                ics_file_name(&d.staff_name(&staff_id)),
            )
        });
        problem.set(
            download(&name, "text/calendar", &text)
                .err()
                .map(|e| format!("The calendar file could not be saved: {e}.")),
        );
    };
    let rows = move || {
        match shifts.get() {
        None => view! { <p class="loading">"Loading the roster…"</p> }.into_any(),
        Some(list) if list.is_empty() => {
            view! { <p class="empty" data-testid="person-no-shifts">"No shifts this week or next."</p> }
                .into_any()
        }
        Some(list) => directory.with(|d| {
            view! {
                <ul class="roster-rows">
                    {list.iter().map(|s| view! {
                        <li class="roster-row" data-testid="person-shift">{shift_line(d, s)}</li>
                    }).collect_view()}
                </ul>
            }
            .into_any()
        }),
    }
    };
    view! {
        <section class="card roster-page" data-testid="person-shifts">
            <h2>"Shifts this week and next"</h2>
            {rows}
            <div class="form-end">
                <button type="button" data-testid="person-ics"
                    disabled=move || shifts.with(|s| s.as_ref().is_none_or(Vec::is_empty))
                    on:click=calendar>"Calendar file (.ics)"</button>
                <span class="field-error">{move || problem.get()}</span>
            </div>
        </section>
    }
}
