//! Appointment types: what a booking is for, its usual length, the colour it has on the
//! schedule, and the co-pay a patient is expected to pay at the desk. The whole organisation shares them. A removed type stays named in the
//! appointments that used it, as removed.

use leptos::prelude::*;

use crate::ui::Ctx;
use model::appointment::{MAX_DURATION_MINUTES, MIN_DURATION_MINUTES};
use model::directory::{put_copay, put_type, remove, validate_colour, validate_name, PALETTE};
use model::money::plain;
use model::payment::parse_amount;
use model::{AppointmentType, Directory, TypeId};

use super::fields::{
    after_save, edit_directory, parse_minutes, submit_button, ColourField, Entry, Field, TextField,
};

#[component]
pub fn TypesCard(directory: Memo<Directory>) -> impl IntoView {
    let ids = move || directory.with(|d| d.types.iter().map(|t| t.id.clone()).collect::<Vec<_>>());
    view! {
        <section class="card" data-testid="types-card">
            <h2>"Appointment types"</h2>
            <ul class="entries">
                <For each=ids key=|id| id.clone() let(id)>
                    <TypeEntry directory=directory id=id />
                </For>
            </ul>
            <h3>"New type"</h3>
            <TypeForm editing=None />
        </section>
    }
}

/// One type: colour, name and length; opened, the same form as for a new one; and Remove.
#[component]
fn TypeEntry(directory: Memo<Directory>, id: TypeId) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let kind = Memo::new({
        let id = id.clone();
        move |_| directory.with(|d| d.appointment_type(&id).cloned())
    });
    let open = RwSignal::new(false);
    let remove_type = move |_| {
        edit_directory(&ctx, "remove the appointment type", |am| {
            remove(am, "types", id.as_str())
        });
    };
    let summary = move || {
        view! {
            <span class="swatch" aria-hidden="true"
                style:background-color=move || kind.get().map(|t| t.colour)></span>
            <span class="entry-name" data-testid="type">{move || kind.get().map(|t| t.name)}</span>
            <span class="entry-meta">
                {move || kind.get().map(|t| format!("{} min", t.duration_minutes))}
            </span>
        }
    };
    let actions = move || {
        view! { <button type="button" class="danger" data-testid="remove-type" on:click=remove_type.clone()>"Remove"</button> }
    };
    let editor = move || {
        view! { <TypeForm editing=kind.get_untracked() on_done=Callback::new(move |()| open.set(false)) /> }
    };
    view! {
        <Entry testid="type-row" edit_testid="edit-type" open=open summary=summary
            actions=actions editor=editor />
    }
}

/// Adds a type, or changes `editing`. Name, length and colour are checked together;
/// nothing is written while one is wrong.
#[component]
fn TypeForm(
    /// The type being changed; `None` adds a new one.
    editing: Option<AppointmentType>,
    /// Called once the change is saved (to close the entry).
    #[prop(optional)]
    on_done: Option<Callback<()>>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    // The test ids of an editor differ from the new-type form's, so both can be on screen.
    let adding = editing.is_none();
    let prefix = if adding { "" } else { "edit-" };
    let (name, duration, colour, copay) = match &editing {
        Some(t) => (
            Field::new(t.name.clone()),
            Field::new(t.duration_minutes.to_string()),
            Field::new(t.colour.clone()),
            Field::new(t.copay_cents.map(plain).unwrap_or_default()),
        ),
        None => (
            Field::new(""),
            Field::new("15"),
            Field::new(PALETTE[0]),
            Field::new(""),
        ),
    };
    let copay_before = editing.as_ref().and_then(|t| t.copay_cents);
    let id = editing.map(|t| t.id);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let checked = (
            name.check(validate_name(&name.text(), "type's name")),
            duration.check(parse_minutes(
                &duration.text(),
                MIN_DURATION_MINUTES..=MAX_DURATION_MINUTES,
            )),
            colour.check(validate_colour(&colour.text())),
            copay.check(match copay.text().trim() {
                "" => Ok(None),
                typed => parse_amount(typed).map(Some),
            }),
        );
        let (Some(name_text), Some(duration_minutes), Some(colour_text), Some(copay_cents)) =
            checked
        else {
            return;
        };
        let kind = AppointmentType {
            id: id.clone().unwrap_or_else(TypeId::random),
            name: name_text,
            duration_minutes,
            colour: colour_text,
            copay_cents,
        };
        // The co-pay is written only when this form changed it (see `put_copay`).
        let copay_changed = copay_before != kind.copay_cents;
        let worked = edit_directory(&ctx, "save the appointment type", |am| {
            put_type(am, &kind)?;
            if copay_changed {
                put_copay(am, &kind.id, kind.copay_cents)?;
            }
            Ok(())
        });
        after_save(worked, adding, &[name], on_done);
    };
    view! {
        <form class="details" on:submit=submit>
            <TextField label="Name" name=format!("{prefix}type-name") field=name
                placeholder="Follow-up" />
            <TextField label="Usual length (minutes)" name=format!("{prefix}type-duration")
                field=duration kind="number" />
            <ColourField name=format!("{prefix}type-colour") field=colour />
            <TextField label="Co-pay at the desk (optional)" name=format!("{prefix}type-copay")
                field=copay placeholder="25.00" />
            {submit_button(adding, ("Add type", "add-type"), ("Save type", "save-type"))}
        </form>
    }
}
