//! How the site in view runs its confirmation calls: how many open days ahead the desk
//! calls, how many tries before a patient is flagged, and the reminder text an SMS service
//! is given, and how many days a check of a patient's coverage stays current
//! ([`model::confirm::CallSettings`]).

use leptos::prelude::*;

use crate::ui::settings::fields::{edit_directory, site_in_view, Field, TextField};
use crate::ui::Ctx;
use model::confirm::{put_call_settings, CallSettingsForm, DEFAULT_TEMPLATE};
use model::Directory;

#[component]
pub fn CallsCard(directory: Memo<Directory>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let site_name = site_in_view(ctx, directory);
    let ahead = Field::new("");
    let tries = Field::new("");
    let stale_days = Field::new("");
    let template = Field::new("");
    let saved = RwSignal::new(false);
    // The form shows the site's settings as they stand, again when the site changes or a
    // colleague's change arrives.
    let stored = Memo::new(move |_| {
        let site = ctx.site.get();
        directory.with(|d| d.calling(&site))
    });
    // What the form was last filled with: a save writes only what differs from it.
    let shown = StoredValue::new(stored.get_untracked());
    Effect::new(move |first: Option<()>| {
        let now = stored.get();
        let was = shown.get_value();
        // A field the person has not touched follows the stored value; one being typed in
        // keeps what is typed, unless the form now shows another site.
        let refill = first.is_none() || was.site != now.site;
        for (field, old, new) in [
            (ahead, was.ahead.to_string(), now.ahead.to_string()),
            (tries, was.tries.to_string(), now.tries.to_string()),
            (
                stale_days,
                was.stale_days.to_string(),
                now.stale_days.to_string(),
            ),
            (template, was.template.clone(), now.template.clone()),
        ] {
            if refill || field.text() == old {
                field.value.set(new);
            }
        }
        shown.set_value(now);
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        for field in [ahead, tries, stale_days, template] {
            field.error.set(None);
        }
        let form = CallSettingsForm {
            ahead: ahead.text(),
            tries: tries.text(),
            stale_days: stale_days.text(),
            template: template.text(),
        };
        let site = ctx.site.get_untracked();
        match form.validate(&site) {
            Ok(settings) => {
                let before = shown.get_value();
                saved.set(edit_directory(
                    &ctx,
                    "save the confirmation calls' settings",
                    |am| put_call_settings(am, &before, &settings),
                ));
            }
            Err(errors) => {
                for (name, message) in errors {
                    let field = match name {
                        "ahead" => ahead,
                        "tries" => tries,
                        "stale_days" => stale_days,
                        _ => template,
                    };
                    field.error.set(Some(message));
                }
            }
        }
    };
    view! {
        <section class="card" data-testid="calls-card">
            <h2>{move || format!("Confirmation calls at {}", site_name())}</h2>
            <form class="details" on:submit=submit>
                <div class="field-row">
                    <TextField label="Call this many open days ahead" name="calls-ahead" field=ahead kind="number" />
                    <TextField label="Tries before a patient is flagged" name="calls-tries" field=tries kind="number" />
                </div>
                <TextField label="Days a coverage check stays current" name="calls-stale-days" field=stale_days kind="number" />
                <label class="field">
                    <span class="label">"Reminder text"</span>
                    <textarea name="calls-template" data-testid="calls-template" rows="4"
                        aria-invalid=move || template.error.with(Option::is_some).to_string()
                        prop:value=move || template.value.get()
                        on:input=move |ev| template.value.set(event_target_value(&ev))></textarea>
                </label>
                <p class="field-error" data-testid="error-calls-template">{move || template.error.get()}</p>
                <p class="hint">"It may use {patient}, {first_name}, {site}, {provider}, {day} and {time}."</p>
                <div class="form-end">
                    <button class="primary" type="submit" data-testid="save-calls">"Save"</button>
                    <button type="button" on:click=move |_| template.value.set(DEFAULT_TEMPLATE.to_string())>
                        "Put back the default text"
                    </button>
                    <Show when=move || saved.get()>
                        <span class="saved" role="status" data-testid="calls-saved">"Saved for every device."</span>
                    </Show>
                </div>
            </form>
        </section>
    }
}
