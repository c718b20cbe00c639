//! The booking form: a new appointment (or a series), or changes to an existing one.

use chrono::{Duration, NaiveDate, NaiveDateTime, Timelike};
use leptos::prelude::*;

use crate::ui::clock::ClockInput;
use crate::ui::patient_pick::{to_register, write_register, PatientPick, ToRegister};

use crate::platform::local_now;
use crate::ui::series::{self, Scope};
use crate::ui::{schedule_doc, Ctx};
use model::appointment::{parse_typed_datetime, ValidBooking};
use model::away::DaysOff;
use model::document::first_of_month;
use model::patient::Visit;
use model::schedule;
use model::slots::next_free_slot;
use model::{Appointment, BookingForm, Directory, FieldErrors, ProviderId};

/// Where the booking form stands on Today: whether it is open, and the slot last tapped on
/// the grid, which it takes as its provider and start.
#[derive(Clone, Copy)]
pub struct BookingPlace {
    pub open: RwSignal<bool>,
    pub slot: RwSignal<Option<(ProviderId, NaiveDateTime)>>,
}

impl BookingPlace {
    pub fn new() -> Self {
        Self {
            open: RwSignal::new(false),
            slot: RwSignal::new(None),
        }
    }

    /// Opens the form on `provider` at `start`.
    pub fn book_at(&self, provider: ProviderId, start: NaiveDateTime) {
        self.slot.set(Some((provider, start)));
        self.open.set(true);
    }
}

/// How far ahead "Next free slot" looks.
const SLOT_SEARCH_DAYS: u32 = 45;

/// The next quarter hour from now on today, else 09:00 on `day`, as the form's start.
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

/// One field of the form: how it is named and shown, and how it reads and writes the
/// form and its message.
struct Field {
    name: &'static str,
    label: &'static str,
    kind: &'static str,
    get: fn(&BookingForm) -> String,
    set: fn(&mut BookingForm, String),
    error: fn(&FieldErrors) -> Option<String>,
}

/// A text field of the form: label, input, and its message.
fn field(form: RwSignal<BookingForm>, errors: RwSignal<FieldErrors>, f: Field) -> impl IntoView {
    let Field {
        name,
        label,
        kind,
        get,
        set,
        error,
    } = f;
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
}

/// The start: the day from the browser's date picker, the time as a 24-hour text field.
/// The form keeps them as one text, `day` + "T" + what was typed; a whole date and time
/// pasted or typed into the time field ("2026-12-08T09:30") sets both.
fn start_fields(form: RwSignal<BookingForm>, errors: RwSignal<FieldErrors>) -> impl IntoView {
    fn parts(start: &str) -> (&str, &str) {
        start.split_once(['T', ' ']).unwrap_or((start, ""))
    }
    let time = Signal::derive(move || form.with(|f| parts(&f.start).1.to_string()));
    let set_time = Callback::new(move |typed: String| {
        form.update(|f| {
            // A whole date and time, typed or pasted, sets the day too.
            let whole = typed
                .trim()
                .split_once(['T', ' '])
                .is_some_and(|(day, _)| NaiveDate::parse_from_str(day, "%Y-%m-%d").is_ok());
            f.start = if whole {
                typed.trim().to_string()
            } else {
                format!("{}T{typed}", parts(&f.start).0)
            }
        })
    });
    let invalid = Signal::derive(move || errors.with(|e| e.start.is_some()));
    view! {
        <label class="field">
            <span class="label">"Day"</span>
            <input name="start_day" type="date" aria-describedby="error-start"
                aria-invalid=move || invalid.get().to_string()
                prop:value=move || form.with(|f| parts(&f.start).0.to_string())
                on:input=move |ev| {
                    let day = event_target_value(&ev);
                    form.update(|f| f.start = format!("{day}T{}", parts(&f.start).1))
                } />
        </label>
        <label class="field">
            <span class="label">"Start"</span>
            <ClockInput name="start" value=time set=set_time invalid=invalid described_by="error-start" />
        </label>
    }
}

/// What is wrong with the start, under the row of the day and the time; outside their
/// labels, so that their names stay "Day" and "Start".
fn start_error(errors: RwSignal<FieldErrors>) -> impl IntoView {
    view! {
        <p class="field-error" id="error-start" data-testid="error-start">
            {move || errors.with(|e| e.start.clone())}
        </p>
    }
}

/// A select of the form, with a first option for none.
fn select(
    form: RwSignal<BookingForm>,
    errors: RwSignal<FieldErrors>,
    f: Field,
    options: impl Fn() -> Vec<(String, String)> + Send + Sync + 'static,
) -> impl IntoView {
    // For a select, `kind` is the text of the "none" option.
    let Field {
        name,
        label,
        kind: none,
        get,
        set,
        error,
    } = f;
    view! {
        <label class="field">
            <span class="label">{label}</span>
            <select name=name aria-invalid=move || errors.with(error).is_some().to_string()
                on:change=move |ev| { let v = event_target_value(&ev); form.update(|f| set(f, v)) }
                prop:value=move || form.with(get)>
                <option value="">{none}</option>
                {move || options().into_iter().map(|(value, text)| {
                    let selected = form.with_untracked(get) == value;
                    view! { <option value=value selected=selected>{text}</option> }
                }).collect_view()}
            </select>
            <span class="field-error" data-testid=format!("error-{name}")>{move || errors.with(error)}</span>
        </label>
    }
}

#[component]
pub fn BookingPanel(
    directory: Memo<Directory>,
    /// The appointment being changed; `None` books a new one.
    #[prop(optional)]
    editing: Option<Appointment>,
    /// Called after a successful save or on "Close".
    #[prop(optional)]
    on_done: Option<Callback<()>>,
    /// Called on "Close" of a new booking's form (which stays open after booking, for the
    /// next patient).
    #[prop(optional)]
    on_close: Option<Callback<()>>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let day = ctx.day;
    let original = editing.clone();
    let form = RwSignal::new(match &editing {
        Some(a) => BookingForm::from_appointment(a),
        None => BookingForm {
            duration_minutes: "30".into(),
            start: default_start(day.get_untracked()),
            ..BookingForm::default()
        },
    });
    let errors = RwSignal::new(FieldErrors::default());
    let picked = RwSignal::new(None::<model::patient::Patient>);
    let note = RwSignal::new(None::<String>);
    let scope = RwSignal::new(Scope::ThisOne);
    if editing.is_none() {
        Effect::new(move |_| {
            let d = day.get();
            form.update(|f| f.start = default_start(d));
        });
    }
    let in_series = editing.as_ref().is_some_and(|a| a.series.is_some());
    // A slot tapped on the grid fills in its provider and start, says which it is, and
    // leaves the patient's name to type.
    if let (None, Some(place)) = (&editing, use_context::<BookingPlace>()) {
        Effect::new(move |_| {
            let Some((provider, start)) = place.slot.get() else {
                return;
            };
            let name = directory.with_untracked(|d| d.provider_name(&provider));
            form.update(|f| {
                f.provider = provider.to_string();
                f.start = start.format("%Y-%m-%dT%H:%M").to_string();
            });
            note.set(Some(format!(
                "{name}, {}",
                start.format("%A %-d %B, %H:%M")
            )));
            focus_patient_name();
            // Applied once: a form opened later starts afresh.
            place.slot.set(None);
        });
    }
    let providers = move || {
        let site = ctx.site.get();
        directory.with(|d| {
            d.providers_at(&site)
                .map(|p| (p.id.to_string(), p.name.clone()))
                .collect::<Vec<_>>()
        })
    };
    // Once a booking was refused, each change checks the form again, as Book would, so
    // that a mistake put right stops being shown.
    {
        let original_start = editing.as_ref().map(|a| a.start);
        Effect::new(move |_| {
            let entered = form.get();
            if errors.with_untracked(FieldErrors::is_empty) {
                return;
            }
            let entered = with_only_provider(entered, &untrack(providers));
            let site = ctx.site.get_untracked();
            let checked = directory.with_untracked(|d| {
                entered
                    .validate(d, &site, local_now(), original_start)
                    .err()
            });
            errors.set(checked.unwrap_or_default());
        });
    }
    let types = move || {
        directory.with(|d| {
            d.types
                .iter()
                .map(|t| {
                    (
                        t.id.to_string(),
                        format!("{} ({} min)", t.name, t.duration_minutes),
                    )
                })
                .collect::<Vec<_>>()
        })
    };
    let rooms = move || {
        let site = ctx.site.get();
        directory.with(|d| {
            d.rooms_at(&site)
                .map(|r| (r.id.to_string(), r.name.clone()))
                .collect::<Vec<_>>()
        })
    };
    // Choosing a type sets its usual length.
    Effect::new(move |previous: Option<String>| {
        let type_id = form.with(|f| f.type_id.clone());
        if previous.is_some_and(|p| p != type_id) {
            let minutes = directory.with_untracked(|d| {
                d.appointment_type(&type_id.clone().into())
                    .map(|t| t.duration_minutes)
            });
            if let Some(m) = minutes {
                form.update(|f| f.duration_minutes = m.to_string());
            }
        }
        type_id
    });

    // A booking on a day the site is closed or its provider away may still be made (it is
    // then a clash for a person to resolve), but it is said before Book is touched.
    let day_off = Memo::new(move |_| {
        let entered = with_only_provider(form.get(), &providers());
        let start = parse_typed_datetime(&entered.start)?;
        let minutes = entered.duration_minutes.trim().parse::<u32>().ok()?;
        let end = start + Duration::minutes(i64::from(minutes));
        let provider = ProviderId::from(entered.provider);
        let site = ctx.site.get();
        directory.with(|d| {
            d.away(&provider, &site, start, end)
                .map(|away| away.warning(d, &provider, &site))
        })
    });
    let original_for_slot = original.clone();
    let find_slot = move |_| {
        let f = form.get();
        let site_id = ctx.site.get();
        let d = directory.get();
        let (Some(provider), Some(site)) =
            (d.provider(&f.provider.clone().into()), d.site(&site_id))
        else {
            note.set(Some("Choose a provider first.".into()));
            return;
        };
        let Ok(minutes) = f.duration_minutes.trim().parse::<u32>() else {
            note.set(Some("Enter the duration first.".into()));
            return;
        };
        let from = parse_typed_datetime(&f.start)
            .unwrap_or_else(local_now)
            .max(local_now());
        let Some(months) = ctx.months(
            &site_id,
            from.date(),
            from.date() + Duration::days(i64::from(SLOT_SEARCH_DAYS)),
        ) else {
            note.set(Some(
                "Still loading the schedule; try again in a moment.".into(),
            ));
            return;
        };
        // When rescheduling, the appointment's own slot is free for it.
        let moving = original_for_slot.as_ref().map(|a| &a.id);
        let loaded = months
            .iter()
            .flat_map(|m| &m.appointments)
            .filter(|a| Some(&a.id) != moving);
        let days_off = DaysOff::of(&d, &provider.id, &site_id);
        match next_free_slot(loaded, provider, site, &days_off, minutes, from, SLOT_SEARCH_DAYS) {
            Some(start) => {
                form.update(|f| f.start = start.format("%Y-%m-%dT%H:%M").to_string());
                note.set(Some(format!(
                    "Next free: {}",
                    start.format("%a %-d %b %H:%M")
                )));
            }
            None => note.set(Some(format!(
                "{} has no free {minutes} minutes in the next 45 days (days off and closures skipped).",
                provider.name
            ))),
        }
    };

    let submit = {
        let original = original.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let entered = with_only_provider(form.get(), &providers());
            let site = ctx.site.get();
            let dir = directory.get();
            let now = local_now();
            let valid = match entered.validate(&dir, &site, now, original.as_ref().map(|a| a.start))
            {
                Ok(v) => v,
                Err(field_errors) => {
                    note.set(None);
                    errors.set(field_errors);
                    return;
                }
            };
            errors.set(FieldErrors::default());
            let who = ctx.who(&dir);
            let mut valid = valid;
            let to_write = match original {
                None => to_register(ctx, &mut valid, picked.get_untracked()),
                Some(_) => ToRegister::Nothing,
            };
            let (saved, visits) = match &original {
                None => match book(ctx, &valid, &who) {
                    Some(visits) => (true, visits),
                    None => (false, Vec::new()),
                },
                Some(old) => (
                    series::change(ctx, old, &valid, scope.get(), &dir, &who),
                    Vec::new(),
                ),
            };
            if saved {
                write_register(
                    ctx,
                    to_write,
                    valid.patient.as_ref(),
                    visits,
                    who.name(),
                    now,
                );
                note.set(Some(format!(
                    "{} {} at {}.",
                    if original.is_some() {
                        "Saved"
                    } else {
                        "Booked"
                    },
                    valid.patient_name,
                    valid.start.format("%H:%M")
                )));
                if original.is_none() {
                    form.update(|f| {
                        *f = BookingForm {
                            start: f.start.clone(),
                            duration_minutes: f.duration_minutes.clone(),
                            provider: f.provider.clone(),
                            type_id: f.type_id.clone(),
                            ..BookingForm::default()
                        }
                    });
                }
                // Setting the day always notifies: only when it changes, or every view of
                // the day would read it again for nothing.
                if day.get_untracked() != valid.start.date() {
                    day.set(valid.start.date());
                }
                if let Some(done) = on_done {
                    done.run(());
                }
            }
        }
    };

    let editing_now = original.is_some();
    view! {
        <form class="booking-form" data-testid="booking-form" on:submit=submit novalidate>
            <h2>{if editing_now { "Change the appointment" } else { "Book an appointment" }}</h2>
            <PatientPick form=form errors=errors picked=picked />
            <div class="field-row">
                {field(form, errors, Field { name: "dob", label: "Date of birth", kind: "date", get: |f| f.dob.clone(), set: |f, v| f.dob = v, error: |e| e.dob.clone() })}
                {field(form, errors, Field { name: "phone", label: "Phone", kind: "tel", get: |f| f.phone.clone(), set: |f, v| f.phone = v, error: |e| e.phone.clone() })}
            </div>
            {field(form, errors, Field { name: "email", label: "Email (optional)", kind: "email", get: |f| f.email.clone(), set: |f, v| f.email = v, error: |e| e.email.clone() })}
            <div class="field-row">
                {select(form, errors, Field { name: "type_id", label: "Type", kind: "No type", get: |f| f.type_id.clone(), set: |f, v| f.type_id = v, error: |e| e.type_id.clone() }, types)}
                {select(form, errors, Field { name: "provider", label: "Provider", kind: "Choose…", get: |f| f.provider.clone(), set: |f, v| f.provider = v, error: |e| e.provider.clone() }, providers)}
            </div>
            <div class="field-row start-row">
                {start_fields(form, errors)}
                {field(form, errors, Field { name: "duration_minutes", label: "Minutes", kind: "number", get: |f| f.duration_minutes.clone(), set: |f, v| f.duration_minutes = v, error: |e| e.duration_minutes.clone() })}
            </div>
            {start_error(errors)}
            <p class="day-off-warning" role="status" data-testid="booking-day-off">{move || {
                day_off.get().map(|w| format!("{w} Booking then makes a clash to resolve."))
            }}</p>
            <button type="button" data-testid="next-free" on:click=find_slot>"Next free slot"</button>
            // Which slot was found or tapped, next to the time it fills in.
            <p class="note" role="status" data-testid="booking-note">{move || note.get()}</p>
            <label class="check">
                <input type="checkbox" name="back_entry"
                    prop:checked=move || form.with(|f| f.back_entry)
                    on:change=move |ev| { let on = event_target_checked(&ev); form.update(|f| f.back_entry = on) } />
                " Back-entry: record an appointment that already took place"
            </label>
            {select(form, errors, Field { name: "room", label: "Room (optional)", kind: "No room yet", get: |f| f.room.clone(), set: |f, v| f.room = v, error: |e| e.room.clone() }, rooms)}
            {field(form, errors, Field { name: "reason", label: "Reason", kind: "text", get: |f| f.reason.clone(), set: |f, v| f.reason = v, error: |e| e.reason.clone() })}
            {field(form, errors, Field { name: "notes", label: "Notes", kind: "text", get: |f| f.notes.clone(), set: |f, v| f.notes = v, error: |e| e.notes.clone() })}
            {(!editing_now).then(|| view! {
                <div class="field-row">
                    {select(form, errors,
                        Field { name: "repeat", label: "Repeat", kind: "Does not repeat", get: |f| f.repeat.clone(), set: |f, v| f.repeat = v, error: |e| e.repeat.clone() },
                        || vec![("weekly".into(), "Weekly".into()), ("fortnightly".into(), "Every 2 weeks".into()), ("monthly".into(), "Monthly".into())])}
                    <Show when=move || form.with(|f| !f.repeat.is_empty())>
                        {field(form, errors, Field { name: "repeat_count", label: "Times in all", kind: "number", get: |f| f.repeat_count.clone(), set: |f, v| f.repeat_count = v, error: |_| None })}
                        {field(form, errors, Field { name: "repeat_until", label: "or until", kind: "date", get: |f| f.repeat_until.clone(), set: |f, v| f.repeat_until = v, error: |_| None })}
                    </Show>
                </div>
            })}
            {in_series.then(|| view! {
                <fieldset class="scope">
                    <legend>"Apply to"</legend>
                    <label class="check"><input type="radio" name="scope" checked=true
                        on:change=move |_| scope.set(Scope::ThisOne) />" This one"</label>
                    <label class="check"><input type="radio" name="scope" data-testid="scope-following"
                        on:change=move |_| scope.set(Scope::ThisAndFollowing) />" This and following"</label>
                </fieldset>
            })}
            <div class="actions">
                <button class="primary" type="submit" data-testid="book">{if editing_now { "Save" } else { "Book" }}</button>
                {on_done.filter(|_| editing_now).or(on_close).map(|done| view! {
                    <button type="button" data-testid="booking-close" on:click=move |_| done.run(())>"Close"</button>
                })}
            </div>
        </form>
    }
}

/// The form as Book takes it: with no provider chosen at a site that has one, that one.
fn with_only_provider(mut entered: BookingForm, providers: &[(String, String)]) -> BookingForm {
    if entered.provider.is_empty() {
        if let [(only, _)] = providers {
            entered.provider = only.clone();
        }
    }
    entered
}

/// Puts the cursor in the patient's name, once the form is on screen.
pub fn focus_patient_name() {
    use wasm_bindgen::JsCast;
    gloo::timers::callback::Timeout::new(0, || {
        let input = gloo::utils::document()
            .query_selector("form[data-testid=booking-form] input[name=patient_name]")
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(input) = input {
            let _ = input.focus();
        }
    })
    .forget();
}

/// Writes a new booking: one appointment, or every occurrence of its series into the month
/// documents they fall in. Returns where each was booked when the first one was written.
fn book(ctx: Ctx, valid: &ValidBooking, who: &schedule::Who) -> Option<Vec<Visit>> {
    let site = ctx.site.get_untracked();
    let planned = schedule::plan(valid, who, local_now());
    let visits: Vec<Visit> = planned
        .iter()
        .map(|a| Visit {
            appointment: a.id.clone(),
            site: site.clone(),
            month: first_of_month(a.start.date()),
        })
        .collect();
    let mut by_month: Vec<(chrono::NaiveDate, Vec<Appointment>)> = Vec::new();
    for a in planned {
        let month = a.start.date();
        match by_month
            .iter_mut()
            .find(|(m, _)| schedule_doc(&site, *m) == schedule_doc(&site, month))
        {
            Some((_, list)) => list.push(a),
            None => by_month.push((month, vec![a])),
        }
    }
    let mut first = true;
    let mut ok = true;
    for (month, list) in by_month {
        let doc = schedule_doc(&site, month);
        let write = move |am: &mut automerge::AutoCommit| {
            list.iter().try_for_each(|a| schedule::put(am, a))
        };
        if first && ctx.driver.with_value(|d| d.is_open(&doc)) {
            ok = ctx.edit(&doc, "book", write).is_some();
        } else {
            ctx.edit_later(doc, "book the series", write);
        }
        first = false;
    }
    ok.then_some(visits)
}
