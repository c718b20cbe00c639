//! Today at the site: the day's appointments in time order, booking, cancelling.

use chrono::{Duration, NaiveDate, Timelike};
use leptos::prelude::*;

use crate::model::schedule::{self, Schedule};
use crate::model::{Appointment, BookingForm, Directory, FieldErrors, Status};
use crate::platform::local_now;
use crate::ui::{directory_memo, schedule_doc, site_providers, Ctx};

/// One row as shown: the appointment and its provider's name.
#[derive(Clone, PartialEq)]
struct Row {
    appointment: Appointment,
    provider_name: String,
}

#[component]
pub fn Today() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let day = ctx.day;

    let directory = directory_memo(ctx);
    let rows = Memo::new(move |_| {
        ctx.revision.track();
        let doc = schedule_doc(&ctx.site.get(), day.get());
        let schedule = match ctx
            .driver
            .with_value(|d| d.read(&doc, Schedule::read))
            .and_then(|r| r)
        {
            Ok(s) => s,
            Err(e) => {
                ctx.report(format!("The schedule could not be read: {e}"));
                Schedule::default()
            }
        };
        if schedule.unreadable > 0 {
            ctx.report(format!(
                "{} appointments in {doc} could not be read.",
                schedule.unreadable
            ));
        }
        let directory = directory.get();
        schedule
            .on_day(day.get())
            .map(|a| Row {
                provider_name: directory
                    .provider(&a.provider)
                    .map_or_else(|| "Unknown provider".to_string(), |p| p.name.clone()),
                appointment: a.clone(),
            })
            .collect::<Vec<_>>()
    });

    let title = move || {
        let d = day.get();
        let suffix = if d == local_now().date() {
            " · Today"
        } else {
            ""
        };
        format!("{}{suffix}", d.format("%A %-d %B %Y"))
    };
    let shift = move |days: i64| day.update(|d| *d += Duration::days(days));

    view! {
        <div class="today">
            <section class="day-list">
                <div class="day-nav">
                    <button on:click=move |_| shift(-1) aria-label="Previous day">"‹"</button>
                    <h2 class="day-title" data-testid="day-title">{title}</h2>
                    <button on:click=move |_| shift(1) aria-label="Next day">"›"</button>
                    <button on:click=move |_| day.set(local_now().date()) aria-label="Go to today">"Today"</button>
                </div>
                <Show when=move || rows.get().is_empty()>
                    <p class="empty">"No appointments on this day."</p>
                </Show>
                <ul>
                    <For each=move || rows.get() key=|row| (row.appointment.id.clone(), row.appointment.status as u8, row.provider_name.clone()) let(row)>
                        <AppointmentRow row=row />
                    </For>
                </ul>
            </section>
            <section class="booking">
                <BookingPanel directory=directory day=day />
            </section>
        </div>
    }
}

#[component]
fn AppointmentRow(row: Row) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let a = row.appointment;
    let cancelled = a.status == Status::Cancelled;
    let id = a.id.clone();
    let doc = schedule_doc(&ctx.site.get_untracked(), a.start.date());
    let cancel = move |_| {
        let device = ctx.driver.with_value(|d| d.device());
        let who = schedule::Who { device, staff: None };
        let result = ctx
            .driver
            .with_value(|d| d.edit(&doc, |am| schedule::cancel(am, &id, "", &who, local_now())));
        if let Err(e) = result {
            ctx.report(format!("Could not cancel: {e}"));
        }
    };
    view! {
        <li class="appointment" class:cancelled=cancelled data-testid="appointment">
            <span class="time">{a.start.format("%H:%M").to_string()}</span>
            <span class="patient">{a.patient_name.clone()}</span>
            <span class="meta">
                {format!("{} min · {}", a.duration_minutes, row.provider_name)}
                {a.phone.clone().map(|p| format!(" · {p}"))}
            </span>
            <span class="status">{a.status.label()}</span>
            <Show when=move || !cancelled>
                <button class="cancel" data-testid="cancel" on:click=cancel.clone()>"Cancel"</button>
            </Show>
        </li>
    }
}

/// The next quarter hour from now, as the form's default start.
fn default_start(day: NaiveDate) -> String {
    let now = local_now();
    let base = if day == now.date() {
        let minutes = (now.minute() / 15 + 1) * 15;
        now.with_minute(0)
            .and_then(|t| t.with_second(0))
            .unwrap_or(now)
            + Duration::minutes(i64::from(minutes))
    } else {
        day.and_hms_opt(9, 0, 0).unwrap_or(now)
    };
    base.format("%Y-%m-%dT%H:%M").to_string()
}

#[component]
fn BookingPanel(
    /// The directory, for the site's providers.
    directory: Memo<Directory>,
    /// The day in view; the form starts on it.
    day: RwSignal<NaiveDate>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let form = RwSignal::new(BookingForm {
        duration_minutes: "30".into(),
        start: default_start(day.get_untracked()),
        ..BookingForm::default()
    });
    let errors = RwSignal::new(FieldErrors::default());
    let booked = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        let d = day.get();
        form.update(|f| f.start = default_start(d));
    });
    let providers = site_providers(ctx, directory);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut entered = form.get();
        if entered.provider.is_empty() {
            if let [only] = providers.get().as_slice() {
                entered.provider = only.id.to_string();
            }
        }
        match entered.validate(&directory.get(), &ctx.site.get(), local_now(), None) {
            Ok(valid) => {
                errors.set(FieldErrors::default());
                let doc = schedule_doc(&ctx.site.get(), valid.start.date());
                let device = ctx.driver.with_value(|d| d.device());
                let who = schedule::Who { device, staff: None };
                let result = ctx.driver.with_value(|d| {
                    d.edit(&doc, |am| schedule::book(am, &valid, &who, local_now()))
                });
                match result {
                    Ok(_) => {
                        booked.set(Some(format!(
                            "Booked {} at {}.",
                            valid.patient_name,
                            valid.start.format("%H:%M")
                        )));
                        form.update(|f| {
                            f.patient_name.clear();
                            f.phone.clear();
                            f.back_entry = false;
                        });
                        day.set(valid.start.date());
                    }
                    Err(e) => ctx.report(format!("Could not book: {e}")),
                }
            }
            Err(field_errors) => {
                booked.set(None);
                errors.set(field_errors);
            }
        }
    };

    let field = move |name: &'static str,
                      label: &'static str,
                      kind: &'static str,
                      get: fn(&BookingForm) -> String,
                      set: fn(&mut BookingForm, String),
                      error: fn(&FieldErrors) -> Option<String>| {
        view! {
            <label class="field">
                <span class="label">{label}</span>
                <input name=name type=kind
                    aria-invalid=move || errors.with(error).is_some().to_string()
                    prop:value=move || form.with(get)
                    on:input=move |ev| { let v = event_target_value(&ev); form.update(|f| set(f, v)) } />
                <span class="field-error" data-testid=format!("error-{name}")>{move || errors.with(error)}</span>
            </label>
        }
    };

    view! {
        <form class="booking-form" data-testid="booking-form" on:submit=submit novalidate>
            <h2>"Book an appointment"</h2>
            {field("patient_name", "Patient name", "text", |f| f.patient_name.clone(), |f, v| f.patient_name = v, |e| e.patient_name.clone())}
            {field("phone", "Phone (optional)", "tel", |f| f.phone.clone(), |f, v| f.phone = v, |e| e.phone.clone())}
            {field("start", "Start", "datetime-local", |f| f.start.clone(), |f, v| f.start = v, |e| e.start.clone())}
            <label class="check">
                <input type="checkbox" name="back_entry"
                    prop:checked=move || form.with(|f| f.back_entry)
                    on:change=move |ev| { let on = event_target_checked(&ev); form.update(|f| f.back_entry = on) } />
                " Back-entry: record an appointment that already took place"
            </label>
            {field("duration_minutes", "Duration (minutes)", "number", |f| f.duration_minutes.clone(), |f, v| f.duration_minutes = v, |e| e.duration_minutes.clone())}
            <label class="field">
                <span class="label">"Provider"</span>
                <select name="provider" aria-invalid=move || errors.with(|e| e.provider.is_some()).to_string()
                    on:change=move |ev| { let v = event_target_value(&ev); form.update(|f| f.provider = v) }
                    prop:value=move || form.with(|f| f.provider.clone())>
                    <option value="">"Choose…"</option>
                    <For each=move || providers.get() key=|p| p.id.clone() let(p)>
                        <option value=p.id.to_string()>{p.name.clone()}</option>
                    </For>
                </select>
                <span class="field-error" data-testid="error-provider">{move || errors.with(|e| e.provider.clone())}</span>
            </label>
            <Show when=move || providers.get().is_empty()>
                <p class="empty">"No providers at this site yet: add one in Settings."</p>
            </Show>
            <button class="primary" type="submit" data-testid="book">"Book"</button>
            <p class="empty" role="status">{move || booked.get()}</p>
        </form>
    }
}
