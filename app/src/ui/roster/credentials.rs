//! What expires: every credential across the staff that has expired or expires within 90
//! days, grouped by how soon, for the manager to chase before the roster's rules flag a
//! shift. By default only people who may work at the site in view; a tap on a row opens
//! the person.

use chrono::NaiveDate;
use leptos::prelude::*;

use crate::ui::Ctx;
use model::staff::credential::{self, Expiry};
use model::{Directory, StaffId};

use super::{place, RosterPlace};

/// The bands of the list, in order, with their headings.
const BANDS: [(Expiry, &str); 4] = [
    (Expiry::Expired, "Expired"),
    (Expiry::Within30, "Within 30 days"),
    (Expiry::Within60, "Within 60 days"),
    (Expiry::Within90, "Within 90 days"),
];

/// The class of a band, for its colour.
pub(super) fn band_class(band: Expiry) -> &'static str {
    match band {
        Expiry::Expired => "expired",
        Expiry::Within30 => "within-30",
        Expiry::Within60 => "within-60",
        Expiry::Within90 => "within-90",
        Expiry::Later => "valid",
        Expiry::Never => "never",
    }
}

/// A band in a word or two, as a badge shows it.
fn band_short(band: Expiry) -> &'static str {
    match band {
        Expiry::Expired => "Expired",
        Expiry::Within30 => "30 d",
        Expiry::Within60 => "60 d",
        Expiry::Within90 => "90 d",
        Expiry::Later => "Valid",
        Expiry::Never => "No expiry",
    }
}

/// A credential's band as a coloured badge; `title` says more (the full band, or what is
/// due of a person's credentials).
pub(super) fn badge(band: Expiry, title: String) -> impl IntoView {
    view! {
        <span class=format!("cred-badge {}", band_class(band)) data-testid="credential-badge"
            data-band=band_class(band) title=title>{band_short(band)}</span>
    }
}

/// "20 days left", "expired 3 days ago".
pub(super) fn days_text(expires: NaiveDate, today: NaiveDate) -> String {
    match (expires - today).num_days() {
        d if d < -1 => format!("expired {} days ago", -d),
        -1 => "expired yesterday".into(),
        0 => "last valid today".into(),
        1 => "1 day left".into(),
        d => format!("{d} days left"),
    }
}

/// One line of the list.
#[derive(Clone, PartialEq, Eq)]
struct Due {
    band: Expiry,
    staff: StaffId,
    person: String,
    what: String,
    number: String,
    expires: Option<NaiveDate>,
}

#[component]
pub fn Credentials(directory: Memo<Directory>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let place = place();
    let all_sites = RwSignal::new(false);
    let today = Memo::new(move |_| ctx.now.get().date());
    let due = Memo::new(move |_| {
        let site = ctx.site.get();
        let every = all_sites.get();
        directory.with(|d| {
            credential::due(&d.credentials, today.get())
                .into_iter()
                .filter(|(_, c)| {
                    every
                        || d.staff_member(&c.staff)
                            .is_some_and(|s| s.may_work_at(&site))
                })
                .map(|(band, c)| Due {
                    band,
                    staff: c.staff.clone(),
                    person: d.staff_name(&c.staff),
                    what: c.name().to_string(),
                    number: c.number.clone(),
                    expires: c.expires,
                })
                .collect::<Vec<_>>()
        })
    });
    let site_name = move || {
        let site = ctx.site.get();
        directory.with(|d| d.site(&site).map(|s| s.name.clone()).unwrap_or_default())
    };
    let groups = move || {
        let list = due.get();
        if list.is_empty() {
            let sentence = if all_sites.get() {
                "No one's credentials have expired or expire within 90 days.".to_string()
            } else {
                format!(
                    "No credential of anyone who works at {} has expired or expires within 90 days.",
                    site_name()
                )
            };
            return view! { <p class="empty" data-testid="credentials-empty">{sentence}</p> }
                .into_any();
        }
        BANDS
            .into_iter()
            .filter_map(|(band, heading)| {
                let rows: Vec<Due> = list.iter().filter(|r| r.band == band).cloned().collect();
                (!rows.is_empty()).then(|| {
                    view! {
                        <h3 class=format!("roster-group {}", band_class(band))
                            data-testid="credential-group" data-band=band_class(band)>
                            {format!("{heading} ({})", rows.len())}
                        </h3>
                        <ul class="roster-rows">
                            {rows.into_iter().map(|r| due_row(r, today.get_untracked(), place)).collect_view()}
                        </ul>
                    }
                })
            })
            .collect_view()
            .into_any()
    };
    view! {
        <section class="card roster-page credentials-page" data-testid="credentials-page">
            <h2>"Credentials due"</h2>
            <p class="hint">"Licences, certifications and training that expired or expire within 90 days."</p>
            <label class="check">
                <input type="checkbox" data-testid="credentials-all-sites"
                    prop:checked=move || all_sites.get()
                    on:change=move |ev| all_sites.set(event_target_checked(&ev)) />
                {move || format!("All sites, not only {}", site_name())}
            </label>
            {groups}
        </section>
    }
}

fn due_row(row: Due, today: NaiveDate, place: RosterPlace) -> impl IntoView {
    let staff = row.staff.clone();
    let number = if row.number.is_empty() {
        String::new()
    } else {
        format!(" · No. {}", row.number)
    };
    let when = row.expires.map(|e| {
        let lead = if e < today { "Last valid" } else { "Expires" };
        format!("{lead} {} · {}", e.format("%-d %b %Y"), days_text(e, today))
    });
    view! {
        <li class=format!("roster-row {}", band_class(row.band)) data-testid="credential-row"
            data-staff=row.staff.to_string()>
            <button type="button" class="row-open" data-testid="credential-person"
                on:click=move |_| place.open_person(staff.clone())>
                <span class="row-head">
                    <span class="row-name">{row.person}</span>
                    {badge(row.band, row.band.label().to_string())}
                </span>
                <span class="row-meta">{format!("{}{number}", row.what)}</span>
                <span class="row-meta row-days">{when}</span>
            </button>
        </li>
    }
}
