//! The schedule of the site: the day as a grid of provider columns (or the week), the
//! day's figures, patient search, the booking form or the chosen appointment, print and
//! export.

use chrono::{Duration, Months, NaiveDate};
use leptos::prelude::*;

use crate::platform::{local_now, print, utc_offset_minutes};
use crate::ui::audit;
use crate::ui::booking::{focus_patient_name, BookingPanel, BookingPlace};
use crate::ui::detail::Detail;
use crate::ui::grid::{DayGrid, Density};
use crate::ui::print::PrintSheet;
use crate::ui::week::{week_memo, Week};
use crate::ui::{directory_memo, Ctx};
use model::access::Action;
use model::audit::EventKind;
use model::away::Away;
use model::day::{day_counts, search};
use model::document::first_of_month;
use model::export::{fhir_bundle, ics_calendar, ics_file_name};
use model::{Appointment, Directory, ProviderId, SiteId, Status};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Day,
    Week,
}

/// The appointments of the site on `day`, re-read on every change; `None` while loading.
pub fn day_memo(
    ctx: Ctx,
    day: impl Fn() -> NaiveDate + Send + Sync + 'static,
) -> Memo<Option<Vec<Appointment>>> {
    Memo::new(move |_| {
        let d = day();
        ctx.day_of(&ctx.site.get(), d)
    })
}

#[component]
pub fn Today() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let day = ctx.day;
    let directory = directory_memo(ctx);
    let mode = RwSignal::new(Mode::Day);
    // The appointment whose booking form is open: editing follows the choice, so choosing
    // another appointment shows it, not its form.
    let editing = RwSignal::new(None::<model::AppointmentId>);
    let place = BookingPlace::new();
    provide_context(place);
    let loaded = day_memo(ctx, move || day.get());
    let appointments = Memo::new(move |_| loaded.get().unwrap_or_default());

    let title = move || {
        let d = day.get();
        let suffix = if d == local_now().date() {
            " · Today"
        } else {
            ""
        };
        format!("{}{suffix}", d.format("%A %-d %B %Y"))
    };
    let step = move || if mode.get() == Mode::Week { 7 } else { 1 };
    let shift = move |sign: i64| {
        ctx.deselect();
        day.update(|d| *d += Duration::days(sign * step()))
    };
    let week = week_memo(
        ctx,
        directory,
        Signal::derive(move || mode.get() == Mode::Week),
    );
    // The figures of what is in view: the day, or the whole week.
    let counts = move || {
        let (now, threshold) = (ctx.now.get(), ctx.wait_threshold.get());
        match mode.get() {
            Mode::Day => day_counts(&appointments.get(), now, threshold),
            Mode::Week => week.with(|w| {
                let all = w.iter().flatten().flat_map(|d| &d.list);
                day_counts(all, now, threshold)
            }),
        }
    };

    let selected = Memo::new(move |_| {
        let id = ctx.selected.get()?;
        appointments
            .with(|list| list.iter().find(|a| a.id == id).cloned())
            .or_else(|| found_anywhere(ctx, &id))
    });
    // The form keeps what was typed while documents change underneath it: it is rebuilt
    // only when another appointment is chosen or editing starts or ends.
    let side = move || {
        let chosen = ctx.selected.get();
        let edit = chosen.is_some() && editing.get() == chosen;
        match (chosen, edit) {
        (Some(_), true) => match selected.get_untracked() {
            Some(a) => view! {
                <BookingPanel directory=directory editing=a on_done=Callback::new(move |_| editing.set(None)) />
            }.into_any(),
            None => ().into_any(),
        },
        (Some(_), false) => (move || selected.get().map(|a| view! {
            <Detail directory=directory appointment=a editing=editing />
        })).into_any(),
        (None, _) if place.open.get() => view! {
            <BookingPanel directory=directory on_close=Callback::new(move |_| place.open.set(false)) />
        }.into_any(),
        (None, _) => ().into_any(),
    }
    };
    // The side opens when needed: an appointment chosen, or a booking begun.
    let side_open = move || ctx.selected.get().is_some() || place.open.get();

    let export_day = move |_| {
        let d = directory.get();
        let site = ctx.site.get();
        let list = appointments.get();
        let json = fhir_bundle(&list, &d, &site, utc_offset_minutes);
        let name = format!("appointments-{}-{}.json", site.as_str(), day.get());
        let text = serde_json::to_string_pretty(&json).unwrap_or_default();
        let what = format!("Day's appointments (FHIR), {} patients: {name}", list.len());
        audit::export(ctx, &name, "application/fhir+json", &text, what);
    };
    let ics_provider = RwSignal::new(String::new());
    let export_ics = move |_| {
        let d = directory.get();
        let Some(provider) = d.provider(&ProviderId::from(ics_provider.get())).cloned() else {
            ctx.report("Choose a provider for the calendar file.");
            return;
        };
        let site_name = d
            .site(&ctx.site.get())
            .map(|s| s.name.clone())
            .unwrap_or_default();
        let list: Vec<_> = appointments
            .get()
            .into_iter()
            .filter(|a| a.provider == provider.id)
            .collect();
        let text = ics_calendar(&list, &d, &site_name, chrono::Utc::now().naive_utc());
        let file = ics_file_name(&provider.name, day.get());
        let what = format!("Calendar file, {} appointments: {file}", list.len());
        audit::export(ctx, &file, "text/calendar", &text, what);
    };

    view! {
        <div class="schedule">
            <div class="day-nav">
                <button on:click=move |_| shift(-1) aria-label=move || if mode.get() == Mode::Week { "Previous week" } else { "Previous day" }>"‹"</button>
                <h2 class="day-title" data-testid="day-title">{title}</h2>
                <button on:click=move |_| shift(1) aria-label=move || if mode.get() == Mode::Week { "Next week" } else { "Next day" }>"›"</button>
                <button on:click=move |_| { ctx.deselect(); day.set(local_now().date()) } aria-label="Go to today">"Today"</button>
                <input type="date" aria-label="Go to a day" prop:value=move || day.get().to_string()
                    on:change=move |ev| if let Ok(d) = NaiveDate::parse_from_str(&event_target_value(&ev), "%Y-%m-%d") { day.set(d) } />
                <div class="mode" role="group" aria-label="Show">
                    <button class:active=move || mode.get() == Mode::Day aria-pressed=move || (mode.get() == Mode::Day).to_string()
                        data-testid="mode-day" on:click=move |_| mode.set(Mode::Day)>"Day"</button>
                    <button class:active=move || mode.get() == Mode::Week aria-pressed=move || (mode.get() == Mode::Week).to_string()
                        data-testid="mode-week" on:click=move |_| mode.set(Mode::Week)>"Week"</button>
                </div>
                <div class="mode" role="group" aria-label="Time scale">
                    {[(Density::Roomy, "Roomy"), (Density::Compact, "Compact")].map(|(which, label)| view! {
                        <button class:active=move || ctx.density.get() == which aria-pressed=move || (ctx.density.get() == which).to_string()
                            data-testid=format!("density-{}", which.key())
                            on:click=move |_| { ctx.density.set(which); ctx.remember("density", which.key().into()) }>{label}</button>
                    })}
                </div>
                <Search directory=directory />
                <details class="share-menu" data-testid="share-menu">
                    <summary>"Share / print"</summary>
                    <div class="sheet-actions">
                        // The desk prints its day sheet; every print is in the audit.
                        <button on:click=move |_| {
                            audit::note(ctx, EventKind::Print, format!("Day sheet {}", day.get_untracked()));
                            print()
                        } data-testid="print">"Print day sheet"</button>
                        <Show when=move || ctx.may(Action::Export)>
                            <button on:click=export_day data-testid="export-day">"Export day (FHIR)"</button>
                            <select aria-label="Provider for the calendar file" prop:value=move || ics_provider.get()
                                on:change=move |ev| ics_provider.set(event_target_value(&ev))>
                                <option value="">"Calendar file for…"</option>
                                {move || { let site = ctx.site.get(); directory.with(|d| d.providers_at(&site).map(|p| view! {
                                    <option value=p.id.to_string()>{p.name.clone()}</option>
                                }).collect_view()) }}
                            </select>
                            <button on:click=export_ics data-testid="export-ics" disabled=move || ics_provider.with(String::is_empty)>"Download calendar file"</button>
                        </Show>
                    </div>
                </details>
                <button class="primary" data-testid="new-booking"
                    on:click=move |_| { ctx.deselect(); place.open.set(true); focus_patient_name() }>"New booking"</button>
            </div>
            <ul class="counts" data-testid="counts"
                aria-label=move || if mode.get() == Mode::Week { "The week's figures" } else { "The day's figures" }>
                {move || {
                    let c = counts();
                    // Each appointment of the day in one of the first five; the last counts
                    // every check-in of the day, those since checked out included.
                    [("Booked", c.booked, "booked"), ("Waiting", c.waiting, "waiting"), ("In room", c.in_room, "in-room"),
                     ("Done", c.done, "done"), ("No-show", c.no_show, "no-show"),
                     (match mode.get() {
                         Mode::Week => "Checked in this week",
                         Mode::Day if day.get() == local_now().date() => "Checked in today",
                         Mode::Day => "Checked in",
                     }, c.arrived, "arrived")]
                    .into_iter()
                    .map(|(label, n, key)| view! {
                        <li class:alert={key == "waiting" && c.waiting_long > 0}>
                            <strong data-testid=format!("count-{key}")>{n}</strong>" "{label}
                        </li>
                    })
                    .collect_view()
                }}
            </ul>
            <Show when=move || mode.get() == Mode::Day>
                <DayOff directory=directory />
            </Show>
            <div class="schedule-body" class:with-side=side_open>
                <section class="grid-area">
                    <Show when=move || loaded.get().is_none()>
                        <p class="empty">"Loading this month's schedule…"</p>
                    </Show>
                    {move || match mode.get() {
                        Mode::Day => view! {
                            <DayGrid directory=directory appointments=appointments />
                            <Cancelled appointments=appointments />
                        }.into_any(),
                        Mode::Week => view! { <Week directory=directory days=week on_pick=Callback::new(move |d| { day.set(d); mode.set(Mode::Day) }) /> }.into_any(),
                    }}
                </section>
                <aside class="side" class:open=side_open>{side}</aside>
            </div>
            <PrintSheet directory=directory appointments=appointments />
        </div>
    }
}

/// What keeps the day in view from being an ordinary one: the site closed by the calendar,
/// or providers away on time off. A booking then is a clash; this says so before anyone
/// books.
#[component]
fn DayOff(directory: Memo<Directory>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let lines = Memo::new(move |_| {
        let (site, day) = (ctx.site.get(), ctx.day.get());
        directory.with(|d| {
            let closed = d.closure_on(&site, day).map(|c| {
                let name = d.site(&site).map_or("The site", |s| s.name.as_str());
                format!("{name} is closed: {}", Away::Closed(c).reason())
            });
            let away = d.providers_at(&site).filter_map(|p| {
                let leave = d.leave_on(&p.id, day)?;
                Some(format!(
                    "{} is away: {}",
                    p.name,
                    Away::OnLeave(leave).reason()
                ))
            });
            closed.into_iter().chain(away).collect::<Vec<_>>()
        })
    });
    view! {
        <Show when=move || !lines.with(Vec::is_empty)>
            <ul class="day-off" data-testid="day-off" aria-label="Closed or away on this day">
                <For each=move || lines.get().into_iter().enumerate() key=|line| line.clone() let((_, line))>
                    <li>{line}</li>
                </For>
            </ul>
        </Show>
    }
}

/// The chosen appointment when it is not on the day in view (a search result).
fn found_anywhere(ctx: Ctx, id: &model::AppointmentId) -> Option<Appointment> {
    let site = ctx.site.get();
    around(ctx.day.get())
        .into_iter()
        .find_map(|month| ctx.month(&site, month)?.find(id).cloned())
}

/// The months a search covers: the one in view, the one before, and two after.
fn around(day: NaiveDate) -> Vec<NaiveDate> {
    let first = first_of_month(day);
    [
        first.checked_sub_months(Months::new(1)),
        Some(first),
        first.checked_add_months(Months::new(1)),
        first.checked_add_months(Months::new(2)),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// Cancelled appointments of the day, under the grid, with their reasons.
#[component]
fn Cancelled(appointments: Memo<Vec<Appointment>>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let cancelled = move || {
        appointments
            .get()
            .into_iter()
            .filter(|a| a.status == Status::Cancelled)
            .collect::<Vec<_>>()
    };
    view! {
        <Show when=move || !cancelled().is_empty()>
            <details class="cancelled-list">
                <summary>{move || format!("Cancelled ({})", cancelled().len())}</summary>
                <ul>
                    <For each=cancelled key=|a| a.id.clone() let(a)>
                        <li data-testid="cancelled">
                            <button class="link" on:click={ let id = a.id.clone(); move |_| ctx.selected.set(Some(id.clone())) }>
                                {format!("{} {}", a.start.format("%H:%M"), a.patient_name)}
                            </button>
                            {a.late_cancel.then_some(" · late cancel")}
                            {a.cancel_reason.clone().map(|r| format!(" · {r}"))}
                        </li>
                    </For>
                </ul>
            </details>
        </Show>
    }
}

/// The most appointments the search lists.
const SEARCH_RESULTS: usize = 30;

/// Finds patients by name, phone or date of birth in the months around the day in view,
/// and the patients of the register who match in every month and at every site.
#[component]
fn Search(directory: Memo<Directory>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let query = RwSignal::new(String::new());
    let results = Memo::new(move |_| {
        let q = query.get();
        if q.trim().chars().count() < 2 {
            return Vec::new();
        }
        let site = ctx.site.get();
        let months: Vec<_> = around(ctx.day.get())
            .into_iter()
            .filter_map(|m| ctx.month(&site, m))
            .collect();
        let mut found: Vec<(SiteId, Appointment)> =
            search(months.iter().flat_map(|m| m.appointments.iter()), &q)
                .into_iter()
                .map(|a| (site.clone(), a.clone()))
                .collect();
        // Patients of the register who match, in every month and at every site their
        // records note.
        found.extend(crate::ui::register::appointments_of_matches(ctx, &q));
        // Newest first, as the search lists them; each once.
        found.sort_by(|(_, a), (_, b)| (b.start, &a.id).cmp(&(a.start, &b.id)));
        let mut seen = std::collections::HashSet::new();
        found.retain(|(_, a)| seen.insert(a.id.clone()));
        found.truncate(SEARCH_RESULTS);
        found
    });
    view! {
        <div class="search">
            <input type="search" placeholder="Find a patient: name, phone, date of birth" data-testid="search"
                prop:value=move || query.get() on:input=move |ev| query.set(event_target_value(&ev)) />
            <Show when=move || !results.get().is_empty()>
                <ul class="search-results" data-testid="search-results">
                    <For each=move || results.get() key=|(_, a)| a.id.clone() let((site, a))>
                        <li>
                            <button class="link" on:click={
                                let a = a.clone();
                                move |_| {
                                    if ctx.site.get_untracked() != site {
                                        ctx.site.set(site.clone());
                                    }
                                    ctx.day.set(a.start.date());
                                    ctx.selected.set(Some(a.id.clone()));
                                    query.set(String::new());
                                }
                            }>
                                {format!("{} · {} · {} · {}", a.patient_name, a.start.format("%a %-d %b %H:%M"),
                                    directory.with_untracked(|d| d.provider_name(&a.provider)), a.status.label())}
                                {(site != ctx.site.get_untracked()).then(|| directory.with_untracked(|d| {
                                    format!(" · at {}", d.site(&site).map_or(site.as_str(), |s| s.name.as_str()))
                                }))}
                            </button>
                        </li>
                    </For>
                </ul>
            </Show>
        </div>
    }
}
