//! The positions of the site in view: a name, the hours it must be staffed on which
//! weekdays, and the credentials a person needs to fill it.

use leptos::prelude::*;

use crate::ui::Ctx;
use model::directory::{span_text, validate_name, WEEKDAYS};
use model::roster::setup::{put_position, remove, weekday_span};
use model::roster::{Position, PositionId};
use model::staff::credential::CredentialKind;
use model::{Directory, WeekHours};

use super::super::controls::{RemoveButton, Ticks};
use super::super::fields::{
    after_save, edit_directory, site_in_view, submit_button, Entry, Field, TextField,
};

#[component]
pub fn Positions(directory: Memo<Directory>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let ids = move || {
        let site = ctx.site.get();
        directory.with(|d| {
            d.positions_at(&site)
                .map(|p| p.id.clone())
                .collect::<Vec<_>>()
        })
    };
    view! {
        <h3>"Positions at " {site_in_view(ctx, directory)}</h3>
        <ul class="entries" data-testid="positions">
            <For each=ids key=|id| id.clone() let(id)>
                <PositionEntry directory=directory id=id />
            </For>
        </ul>
        <h4>"New position"</h4>
        <PositionForm directory=directory editing=None />
    }
}

/// The required hours in few words: runs of weekdays with the same hours, "Mon–Fri
/// 07:30–18:00; Sat 08:00–12:00", or "Not required" when no day is.
pub(crate) fn hours_summary(week: &WeekHours) -> String {
    let mut runs: Vec<(usize, usize, String)> = Vec::new();
    for (day, span) in week.0.iter().enumerate() {
        let Some(span) = span else { continue };
        let text = span_text(Some(*span)).replace('-', "–");
        match runs.last_mut() {
            Some((_, last, t)) if *last + 1 == day && *t == text => *last = day,
            _ => runs.push((day, day, text)),
        }
    }
    if runs.is_empty() {
        return "Not required".into();
    }
    runs.iter()
        .map(|(first, last, text)| match last - first {
            0 => format!("{} {text}", WEEKDAYS[*first]),
            1 => format!("{}, {} {text}", WEEKDAYS[*first], WEEKDAYS[*last]),
            _ => format!("{}–{} {text}", WEEKDAYS[*first], WEEKDAYS[*last]),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn requires_summary(kinds: &[CredentialKind]) -> String {
    if kinds.is_empty() {
        return String::new();
    }
    let names: Vec<&str> = kinds.iter().map(|k| k.label()).collect();
    format!("needs {}", names.join(", "))
}

#[component]
fn PositionEntry(directory: Memo<Directory>, id: PositionId) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let position = {
        let id = id.clone();
        Memo::new(move |_| directory.with(|d| d.position(&id).cloned()))
    };
    let open = RwSignal::new(false);
    let summary = move || {
        view! {
            <span class="entry-name" data-testid="position-label">{move || position.get().map(|p| p.name)}</span>
            <span class="entry-meta">{move || position.with(|p| p.as_ref().map(|p| hours_summary(&p.required)))}</span>
            <span class="entry-meta">{move || position.with(|p| p.as_ref().map(|p| requires_summary(&p.requires)))}</span>
        }
    };
    let remove_it = Callback::new(move |()| {
        edit_directory(&ctx, "remove the position", |am| {
            remove(am, "positions", id.as_str())
        });
    });
    let actions = move || {
        view! { <RemoveButton testid="remove-position" what="this position" on_remove=remove_it /> }
    };
    let editor = move || {
        view! {
            <PositionForm directory=directory editing=position.get_untracked()
                on_done=Callback::new(move |()| open.set(false)) />
        }
    };
    view! {
        <Entry testid="position-row" edit_testid="edit-position" open=open summary=summary
            actions=actions editor=editor />
    }
}

/// The weekday boxes' values: "0" for Monday to "6" for Sunday.
fn day_values(week: &WeekHours) -> Vec<String> {
    (0..7)
        .filter(|d| week.0[*d].is_some())
        .map(|d| d.to_string())
        .collect()
}

/// Adds a position at the site in view, or changes `editing`. The form takes one span of
/// hours for every ticked weekday; a position whose days had different hours is told so.
#[component]
fn PositionForm(
    directory: Memo<Directory>,
    editing: Option<Position>,
    #[prop(optional)] on_done: Option<Callback<()>>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let adding = editing.is_none();
    let prefix = if adding { "" } else { "edit-" };
    let name = Field::new(editing.as_ref().map(|p| p.name.clone()).unwrap_or_default());
    let first_span = editing
        .as_ref()
        .and_then(|p| p.required.0.iter().flatten().next().copied());
    let mixed = editing.as_ref().is_some_and(|p| {
        p.required
            .0
            .iter()
            .flatten()
            .any(|span| Some(*span) != first_span)
    });
    let hours = Field::new(first_span.map_or_else(String::new, |s| span_text(Some(s))));
    let initial_days = match &editing {
        Some(p) => day_values(&p.required),
        None => (0..5).map(|d| d.to_string()).collect(),
    };
    let initial_hours = hours.text();
    let days = RwSignal::new(initial_days.clone());
    let days_error = RwSignal::new(None::<String>);
    let requires = RwSignal::new(
        editing
            .as_ref()
            .map(|p| {
                p.requires
                    .iter()
                    .map(|k| k.code().to_string())
                    .collect::<Vec<String>>()
            })
            .unwrap_or_default(),
    );
    let no_error = RwSignal::new(None::<String>);
    let day_options = Signal::derive(|| {
        WEEKDAYS
            .iter()
            .enumerate()
            .map(|(d, name)| (d.to_string(), name.to_string()))
            .collect::<Vec<_>>()
    });
    let kind_options = Signal::derive(|| {
        CredentialKind::ALL
            .iter()
            .map(|k| (k.code().to_string(), k.label().to_string()))
            .collect::<Vec<_>>()
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let ticked = days.get_untracked();
        let mut on = [false; 7];
        for day in &ticked {
            if let Some(slot) = day.parse::<usize>().ok().and_then(|d| on.get_mut(d)) {
                *slot = true;
            }
        }
        days_error.set(
            ticked
                .is_empty()
                .then(|| "Tick at least one day it must be staffed.".to_string()),
        );
        let checked = (
            name.check(validate_name(&name.text(), "position's name")),
            hours.check(weekday_span(&hours.text(), on)),
        );
        let (Some(name_text), Some(required)) = checked else {
            return;
        };
        if ticked.is_empty() {
            return;
        }
        let kinds: Vec<CredentialKind> = requires
            .get_untracked()
            .iter()
            .filter_map(|code| CredentialKind::parse(code))
            .collect();
        let position = match &editing {
            None => Position {
                id: PositionId::random(),
                site: ctx.site.get_untracked(),
                name: name_text,
                required,
                requires: kinds,
            },
            Some(before) => {
                // Only what the form changed, onto the position as it stands now.
                let mut current = directory
                    .with_untracked(|d| d.position(&before.id).cloned())
                    .unwrap_or_else(|| before.clone());
                if name_text != before.name {
                    current.name = name_text;
                }
                // Hours and days left as they were keep the hours as they were, even
                // when its days had different hours, which the form cannot show.
                let untouched = hours.text() == initial_hours && ticked == initial_days;
                if !untouched && required != before.required {
                    current.required = required;
                }
                if kinds != before.requires {
                    current.requires = kinds;
                }
                current
            }
        };
        let worked = edit_directory(&ctx, "save the position", |am| put_position(am, &position));
        if worked && adding {
            requires.set(Vec::new());
        }
        after_save(worked, adding, &[name, hours], on_done);
    };
    view! {
        <form class="details position-form" on:submit=submit>
            <TextField label="Name" name=format!("{prefix}position-name") field=name
                placeholder="Desk 1" />
            <TextField label="Staffed (hours)" name=format!("{prefix}position-hours") field=hours
                placeholder="07:30-18:00" />
            <Ticks legend="On" name=format!("{prefix}position-day") chosen=days
                options=day_options error=days_error />
            {mixed.then(|| view! {
                <p class="hint">"Its days have different hours now; saving gives every ticked day the hours above."</p>
            })}
            <Ticks legend="Needs" name=format!("{prefix}position-requires") chosen=requires
                options=kind_options error=no_error />
            {submit_button(adding, ("Add position", "add-position"), ("Save", "save-position"))}
        </form>
    }
}
