//! Shift templates: the shifts a week is usually made of ("Morning desk 07:30–15:30, 30
//! minutes' break, Desk 1"), which the week grid offers when a shift is added.

use chrono::NaiveTime;
use leptos::prelude::*;

use crate::ui::Ctx;
use model::directory::validate_name;
use model::fields::FormEdit;
use model::roster::setup::{put_template, remove};
use model::roster::{PositionId, ShiftTemplate, TemplateId};
use model::Directory;

use super::super::controls::{RemoveButton, SelectField};
use super::super::fields::{
    after_save, edit_directory, parse_minutes, submit_button, Entry, Field, TextField,
};

/// The longest break a template may hold, in minutes.
const MAX_BREAK_MINUTES: u32 = 240;

#[component]
pub fn Templates(directory: Memo<Directory>) -> impl IntoView {
    let ids =
        move || directory.with(|d| d.templates.iter().map(|t| t.id.clone()).collect::<Vec<_>>());
    view! {
        <h3>"Shift templates"</h3>
        <ul class="entries" data-testid="templates">
            <For each=ids key=|id| id.clone() let(id)>
                <TemplateEntry directory=directory id=id />
            </For>
        </ul>
        <h4>"New template"</h4>
        <TemplateForm directory=directory editing=None />
    }
}

/// What a template row says after its name and times: the break and the position.
fn template_details(directory: &Directory, t: &ShiftTemplate) -> String {
    let pause = match t.break_minutes {
        0 => "no break".to_string(),
        m => format!("{m} min break"),
    };
    let next_day = if t.overnight() {
        "ends next day · "
    } else {
        ""
    };
    format!(
        "{next_day}{pause} · {}",
        directory.position_name(t.position.as_ref())
    )
}

#[component]
fn TemplateEntry(directory: Memo<Directory>, id: TemplateId) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let template = {
        let id = id.clone();
        Memo::new(move |_| directory.with(|d| d.templates.iter().find(|t| t.id == id).cloned()))
    };
    let open = RwSignal::new(false);
    let summary = move || {
        view! {
            <span class="entry-name" data-testid="template-label">{move || template.get().map(|t| t.label())}</span>
            <span class="entry-meta">{move || {
                template.with(|t| t.as_ref().map(|t| directory.with(|d| template_details(d, t))))
            }}</span>
        }
    };
    let remove_it = Callback::new(move |()| {
        edit_directory(&ctx, "remove the template", |am| {
            remove(am, "shift_templates", id.as_str())
        });
    });
    let actions = move || {
        view! { <RemoveButton testid="remove-template" what="this template" on_remove=remove_it /> }
    };
    let editor = move || {
        view! {
            <TemplateForm directory=directory editing=template.get_untracked()
                on_done=Callback::new(move |()| open.set(false)) />
        }
    };
    view! {
        <Entry testid="template-row" edit_testid="edit-template" open=open summary=summary
            actions=actions editor=editor />
    }
}

fn parse_time(text: &str, what: &str) -> Result<NaiveTime, String> {
    model::clock::parse_clock(text)
        .map_err(|_| format!("Enter the {what} as a time of day, like 07:30."))
}

/// Adds a template or changes `editing`. An end before the start is the next day (a night
/// shift); a break must be shorter than the shift.
#[component]
fn TemplateForm(
    directory: Memo<Directory>,
    editing: Option<ShiftTemplate>,
    #[prop(optional)] on_done: Option<Callback<()>>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let adding = editing.is_none();
    let prefix = if adding { "" } else { "edit-" };
    let value = |get: fn(&ShiftTemplate) -> String| editing.as_ref().map(get).unwrap_or_default();
    let name = Field::new(value(|t| t.name.clone()));
    let start = Field::new(value(|t| t.start.format("%H:%M").to_string()));
    let end = Field::new(value(|t| t.end.format("%H:%M").to_string()));
    let pause = Field::new(value(|t| t.break_minutes.to_string()));
    let position = Field::new(value(|t| {
        t.position
            .as_ref()
            .map(|p| p.as_str().to_string())
            .unwrap_or_default()
    }));
    let position_options = Signal::derive(move || {
        directory.with(|d| {
            d.positions
                .iter()
                .map(|p| {
                    let site = d.site(&p.site).map_or(p.site.as_str(), |s| s.name.as_str());
                    (p.id.as_str().to_string(), format!("{} · {site}", p.name))
                })
                .collect::<Vec<_>>()
        })
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let checked = (
            name.check(validate_name(&name.text(), "template's name")),
            start.check(parse_time(&start.text(), "start")),
            end.check(parse_time(&end.text(), "end")),
            pause.check(match pause.text().trim() {
                "" => Ok(0),
                text => parse_minutes(text, 0..=MAX_BREAK_MINUTES),
            }),
        );
        let (Some(name_text), Some(from), Some(to), Some(break_minutes)) = checked else {
            return;
        };
        if from == to {
            end.error.set(Some(
                "The end must differ from the start; an end before the start is the next day."
                    .into(),
            ));
            return;
        }
        let length = (to - from).num_minutes().rem_euclid(24 * 60);
        if i64::from(break_minutes) >= length {
            pause
                .error
                .set(Some("The break must be shorter than the shift.".into()));
            return;
        }
        let chosen = position.text();
        let typed = ShiftTemplate {
            id: editing
                .as_ref()
                .map_or_else(TemplateId::random, |t| t.id.clone()),
            name: name_text,
            start: from,
            end: to,
            break_minutes,
            position: (!chosen.is_empty()).then(|| PositionId::from(chosen)),
        };
        let template = match &editing {
            None => typed,
            Some(before) => {
                // Only what the form changed, onto the template as it stands now.
                let current = directory
                    .with_untracked(|d| d.templates.iter().find(|t| t.id == before.id).cloned())
                    .unwrap_or_else(|| before.clone());
                typed.onto(before, current)
            }
        };
        let worked = edit_directory(&ctx, "save the template", |am| put_template(am, &template));
        after_save(
            worked,
            adding,
            &[name, start, end, pause, position],
            on_done,
        );
    };
    view! {
        <form class="details template-form" on:submit=submit>
            <TextField label="Name" name=format!("{prefix}template-name") field=name
                placeholder="Morning desk" />
            <TextField label="Start" name=format!("{prefix}template-start") field=start kind="time" />
            <TextField label="End" name=format!("{prefix}template-end") field=end kind="time" />
            <TextField label="Break (minutes)" name=format!("{prefix}template-break") field=pause
                kind="number" placeholder="30" />
            <SelectField label="Position" name=format!("{prefix}template-position") field=position
                options=position_options none="Any position" />
            {submit_button(adding, ("Add template", "add-template"), ("Save", "save-template"))}
        </form>
    }
}
