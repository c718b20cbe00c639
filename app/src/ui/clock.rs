//! The app's time field: 24-hour text ("14:30"), the same on every device, where the
//! browser's own time field follows its locale (08:00 AM). What is typed is read by
//! `model::clock::parse_clock`, and tidied to HH:MM once the field is left.

use leptos::prelude::*;
use model::clock::{clock_text, parse_clock};

/// A time-of-day input bound to `value`; `name` is its form name and test id.
#[component]
pub fn ClockInput(
    #[prop(into)] value: Signal<String>,
    #[prop(into)] set: Callback<String>,
    #[prop(into)] name: String,
    /// Whether the form found the time wrong, for assistive technology.
    #[prop(into, optional)]
    invalid: Option<Signal<bool>>,
    /// The id of the message that says what is wrong, when it sits outside the label.
    #[prop(optional)]
    described_by: Option<&'static str>,
) -> impl IntoView {
    view! {
        <input type="text" class="clock" inputmode="numeric" autocomplete="off" placeholder="HH:MM"
            name=name.clone() data-testid=name aria-describedby=described_by
            aria-invalid=move || invalid.map(|i| i.get().to_string())
            prop:value=move || value.get()
            on:input=move |ev| set.run(event_target_value(&ev))
            on:change=move |ev| {
                let typed = event_target_value(&ev);
                if let Ok(time) = parse_clock(&typed) {
                    let tidy = clock_text(time);
                    if tidy != typed {
                        set.run(tidy);
                    }
                }
            } />
    }
}
