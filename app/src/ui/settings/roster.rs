//! What the roster is planned against: the positions of the site in view (when each must
//! be staffed and what credentials it needs), the shift templates the week grid offers,
//! and the thresholds the roster's rules check (overtime, rest between shifts).

mod positions;
mod templates;

use leptos::prelude::*;

use crate::ui::Ctx;
use model::roster::setup::put_rules;
use model::roster::RosterRules;
use model::staff::hours_text;
use model::Directory;

use super::fields::{edit_directory, Field, TextField};

#[component]
pub fn RosterCard(directory: Memo<Directory>) -> impl IntoView {
    view! {
        <section class="card roster-setup" data-testid="roster-setup-card">
            <h2>"Roster"</h2>
            <p class="hint">"What the roster is planned against: each site's positions, the shift templates, and the thresholds of the rules."</p>
            <positions::Positions directory=directory />
            <templates::Templates directory=directory />
            <Rules directory=directory />
        </section>
    }
}

/// Reads hours as typed ("40", "10.5", "7,5 h") into minutes: more than none, at most
/// `most` hours, in quarter hours.
fn parse_hours(text: &str, what: &str, most: u32) -> Result<u32, String> {
    let text = text.trim().trim_end_matches('h').trim().replace(',', ".");
    let hours: f64 = text
        .parse()
        .ok()
        .filter(|h: &f64| h.is_finite())
        .ok_or_else(|| format!("Enter the {what} in hours, like 10 or 10.5."))?;
    if hours <= 0.0 || hours > f64::from(most) {
        return Err(format!(
            "The {what} must be more than 0 and at most {most} hours."
        ));
    }
    let minutes = (hours * 60.0).round();
    if minutes % 15.0 != 0.0 {
        return Err("Use quarter hours, like 10.25 or 10.5.".into());
    }
    Ok(minutes as u32)
}

/// The rules' thresholds, as hours.
#[component]
fn Rules(directory: Memo<Directory>) -> impl IntoView {
    let rules = Memo::new(move |_| directory.with(|d| d.roster_rules));
    // Drawn again when the thresholds change, so that the form shows what holds now.
    move || view! { <RulesForm initial=rules.get() /> }
}

#[component]
fn RulesForm(initial: RosterRules) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let overtime = Field::new(hours_text(initial.overtime_minutes));
    let rest = Field::new(hours_text(initial.rest_minutes));
    let done = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.set(false);
        let checked = (
            overtime.check(parse_hours(&overtime.text(), "overtime threshold", 80)),
            rest.check(parse_hours(&rest.text(), "least rest", 24)),
        );
        let (Some(overtime_minutes), Some(rest_minutes)) = checked else {
            return;
        };
        let rules = RosterRules {
            overtime_minutes,
            rest_minutes,
        };
        done.set(edit_directory(&ctx, "save the roster rules", |am| {
            put_rules(am, rules)
        }));
    };
    view! {
        <h3>"Rules"</h3>
        <p class="hint">"The roster flags a person's week over the overtime threshold, and less rest than this between two shifts."</p>
        <form class="details" on:submit=submit>
            <TextField label="Overtime after (hours a week)" name="rules-overtime" field=overtime />
            <TextField label="Least rest between shifts (hours)" name="rules-rest" field=rest />
            <div class="form-end">
                <button class="primary" type="submit" data-testid="save-rules">"Save rules"</button>
                <Show when=move || done.get()>
                    <span class="saved" data-testid="rules-saved">"Saved."</span>
                </Show>
            </div>
        </form>
    }
}
