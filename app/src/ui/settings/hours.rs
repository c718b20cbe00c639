//! A week of hours, shown and edited: a site's opening hours and a provider's working hours
//! are the same thing, one span (or closed) a weekday.

use leptos::prelude::*;

use model::directory::{parse_span, span_text, WEEKDAYS};
use model::WeekHours;

use super::fields::{Field, TextField};

/// The week at a glance: "Mon 08:00-18:00 … Sun closed".
#[component]
pub fn WeekSummary(#[prop(into)] hours: Signal<WeekHours>) -> impl IntoView {
    let days = WEEKDAYS
        .iter()
        .enumerate()
        .map(|(i, day)| {
            let span = move || {
                let text = span_text(hours.get().0[i]);
                if text.is_empty() {
                    "closed".to_string()
                } else {
                    text
                }
            };
            view! {
                <li class:closed=move || hours.get().0[i].is_none()>
                    <span class="day">{*day}</span> " " <span class="span">{span}</span>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="week" data-testid="week">{days}</ul> }
}

/// Seven text fields, `08:00-17:00` or empty for closed. Each is read with [`parse_span`]
/// and a mistake is named at its day; `on_save` is called only when all seven read, so a
/// half-valid week is never written.
#[component]
pub fn HoursEditor(
    /// The hours when the editor opens.
    initial: WeekHours,
    /// Writes the week; returns whether it worked.
    on_save: Callback<WeekHours, bool>,
) -> impl IntoView {
    let fields: [Field; 7] = initial.0.map(|span| Field::new(span_text(span)));
    let saved = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let spans = fields.map(|f| f.check(parse_span(&f.text())));
        if spans.iter().all(Option::is_some) {
            let week = WeekHours(spans.map(Option::flatten));
            saved.set(on_save.run(week));
        }
    };
    let inputs = WEEKDAYS
        .iter()
        .zip(fields)
        .map(|(day, field)| {
            view! {
                <TextField label=*day name=format!("hours-{}", day.to_lowercase())
                    field=field placeholder="closed" />
            }
        })
        .collect_view();
    view! {
        <form class="hours" on:submit=submit>
            <p class="hint">"Hours like 08:00-17:00; leave a day empty when closed."</p>
            <div class="hours-grid">{inputs}</div>
            <div class="form-end">
                <button class="primary" type="submit" data-testid="save-hours">"Save hours"</button>
                <Show when=move || saved.get()>
                    <span class="saved" data-testid="hours-saved">"Hours saved."</span>
                </Show>
            </div>
        </form>
    }
}
