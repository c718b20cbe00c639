//! What holds for the whole practice, at every site and on every device: the currency its
//! amounts are shown in ([`model::money`]).

use leptos::prelude::*;

use crate::ui::settings::controls::SelectField;
use crate::ui::settings::fields::{edit_directory, Field};
use crate::ui::Ctx;
use model::money::{put_currency, Currency, CURRENCIES};
use model::Directory;

/// An amount to show what a currency looks like.
const EXAMPLE_CENTS: i64 = 123_450;

#[component]
pub fn PracticeCard(directory: Memo<Directory>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let stored = Memo::new(move |_| directory.with(|d| d.currency));
    let first = stored.get_untracked();
    let choice = Field::new(first.code);
    let saved = RwSignal::new(false);
    // The list shows the currency as it stands, again when a colleague's change arrives,
    // unless the person has chosen another and not saved it yet.
    Effect::new(move |shown: Option<Currency>| {
        let now = stored.get();
        if choice.text() == shown.unwrap_or(first).code {
            choice.value.set(now.code.to_string());
        }
        now
    });
    let options = Signal::derive(|| {
        CURRENCIES
            .iter()
            .map(|c| (c.code.to_string(), c.label()))
            .collect::<Vec<_>>()
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let Some(currency) = choice.check(
            Currency::from_code(&choice.text())
                .ok_or_else(|| "Choose one of the currencies listed.".to_string()),
        ) else {
            return;
        };
        saved.set(edit_directory(&ctx, "set the currency", |am| {
            put_currency(am, currency)
        }));
    };
    view! {
        <section class="card" data-testid="practice-card">
            <h2>"Practice"</h2>
            <form on:submit=submit>
                <SelectField label="Currency" name="practice-currency" field=choice options=options />
                <p class="hint">{move || format!(
                    "Amounts show like {}. They are kept in cents: another currency changes how they show, not what they are.",
                    stored.get().amount(EXAMPLE_CENTS)
                )}</p>
                <button class="primary" type="submit" data-testid="save-currency">"Save the currency"</button>
            </form>
            <Show when=move || saved.get()>
                <p class="saved" role="status" data-testid="currency-saved">
                    {move || format!("Saved: every device of the practice shows amounts in {}.", stored.get().label())}
                </p>
            </Show>
        </section>
    }
}
