//! People: the staff who work at the site in view (and, asked for, everyone else), each
//! with their role, home site, employment and hours, and a badge when a credential has
//! expired or expires soon. A tap opens the person's page ([`person`]): their details,
//! credentials, time off and next shifts.

mod held;
mod person;

use leptos::prelude::*;

use crate::ui::settings::staff::{staff_summary, StaffForm};
use crate::ui::Ctx;
use model::staff::credential::Expiry;
use model::{Directory, StaffId};

use super::credentials::badge;
use super::place;

#[component]
pub fn People(directory: Memo<Directory>) -> impl IntoView {
    let place = place();
    move || match place.person.get() {
        Some(id) => view! { <person::Person directory=directory id=id /> }.into_any(),
        None => view! { <PeopleList directory=directory /> }.into_any(),
    }
}

/// One line of the list.
#[derive(Clone, PartialEq, Eq)]
struct Row {
    id: StaffId,
    name: String,
    summary: String,
    /// The worst band among the person's credentials that are due, and what is due.
    due: Option<(Expiry, String)>,
}

/// The worst band among `staff`'s credentials that are due on `today`, with a sentence
/// naming each of them.
fn worst_due(
    directory: &Directory,
    staff: &StaffId,
    today: chrono::NaiveDate,
) -> Option<(Expiry, String)> {
    let due: Vec<(Expiry, &str)> = directory
        .credentials
        .iter()
        .filter(|c| &c.staff == staff)
        .map(|c| (c.expiry(today), c.name()))
        .filter(|(band, _)| band.is_due())
        .collect();
    let worst = due.iter().map(|(band, _)| *band).min()?;
    let what = due
        .iter()
        .map(|(band, name)| format!("{name}: {}", band.label().to_lowercase()))
        .collect::<Vec<_>>()
        .join("; ");
    Some((worst, what))
}

#[component]
fn PeopleList(directory: Memo<Directory>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let place = place();
    let all_sites = RwSignal::new(false);
    // Everyone, those who may work at the site in view first.
    let rows = Memo::new(move |_| {
        let site = ctx.site.get();
        let today = ctx.now.get().date();
        directory.with(|d| {
            let (here, elsewhere): (Vec<_>, Vec<_>) =
                d.staff.iter().partition(|s| s.may_work_at(&site));
            let row = |s: &&model::StaffMember| Row {
                id: s.id.clone(),
                name: s.name.clone(),
                summary: staff_summary(d, s),
                due: worst_due(d, &s.id, today),
            };
            (
                here.iter().map(row).collect::<Vec<_>>(),
                elsewhere.iter().map(row).collect::<Vec<_>>(),
            )
        })
    });
    let site_name = move || {
        let site = ctx.site.get();
        directory.with(|d| d.site(&site).map(|s| s.name.clone()).unwrap_or_default())
    };
    let row_view = move |row: Row| {
        let id = row.id.clone();
        let due = row.due.is_some();
        view! {
            <li class="roster-row" class:due=due data-testid="person-row"
                data-staff=row.id.to_string()>
                <button type="button" class="row-open" data-testid="open-person"
                    on:click=move |_| place.open_person(id.clone())>
                    <span class="row-head">
                        <span class="row-name">{row.name}</span>
                        {row.due.map(|(band, what)| badge(band, what))}
                    </span>
                    <span class="row-meta">{row.summary}</span>
                </button>
            </li>
        }
    };
    let here = move || {
        let list = rows.with(|(here, _)| here.clone());
        if list.is_empty() {
            let sentence = format!("No one works at {} yet: add someone below.", site_name());
            return view! { <p class="empty">{sentence}</p> }.into_any();
        }
        view! { <ul class="roster-rows">{list.into_iter().map(row_view).collect_view()}</ul> }
            .into_any()
    };
    let elsewhere = move || {
        let list = rows.with(|(_, elsewhere)| elsewhere.clone());
        (all_sites.get() && !list.is_empty()).then(|| {
            view! {
                <h3 class="roster-group">"Other sites"</h3>
                <ul class="roster-rows" data-testid="people-elsewhere">
                    {list.into_iter().map(row_view).collect_view()}
                </ul>
            }
        })
    };
    view! {
        <section class="card roster-page people-page" data-testid="people-page">
            <h2>"People"</h2>
            <label class="check">
                <input type="checkbox" data-testid="people-all-sites"
                    prop:checked=move || all_sites.get()
                    on:change=move |ev| all_sites.set(event_target_checked(&ev)) />
                "Everyone, at every site"
            </label>
            <h3 class="roster-group">"At " {site_name}</h3>
            {here}
            {elsewhere}
        </section>
        <section class="card roster-page">
            <h2>"New member of staff"</h2>
            <StaffForm directory=directory editing=None />
        </section>
    }
}
