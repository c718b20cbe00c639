//! The staff who can be signed in at a desk with the picker in the top bar; the name of
//! whoever is signed in goes into the history of every change made there. Staff are not
//! removed here: the histories keep their names either way, and a desk that has someone
//! signed in should not lose them from its picker.

use leptos::prelude::*;

use crate::model::directory::{put_staff, validate_name};
use crate::model::{Directory, StaffId, StaffMember};
use crate::ui::Ctx;

use super::fields::{after_save, edit_directory, submit_button, Entry, Field, TextField};

#[component]
pub fn StaffCard(directory: Memo<Directory>) -> impl IntoView {
    let ids = move || directory.with(|d| d.staff.iter().map(|s| s.id.clone()).collect::<Vec<_>>());
    view! {
        <section class="card" data-testid="staff-card">
            <h2>"Staff"</h2>
            <p class="hint">"Who can be signed in at a desk; their name goes into the history of every change made there."</p>
            <ul class="entries">
                <For each=ids key=|id| id.clone() let(id)>
                    <StaffEntry directory=directory id=id />
                </For>
            </ul>
            <h3>"New member of staff"</h3>
            <StaffForm editing=None />
        </section>
    }
}

/// One member of staff: name and role; opened, the same form as for a new one.
#[component]
fn StaffEntry(directory: Memo<Directory>, id: StaffId) -> impl IntoView {
    let member = Memo::new(move |_| directory.with(|d| d.staff_member(&id).cloned()));
    let open = RwSignal::new(false);
    let summary = move || {
        view! {
            <span class="entry-name" data-testid="staff-member">{move || member.get().map(|m| m.name)}</span>
            <span class="entry-meta">{move || member.get().map(|m| m.role)}</span>
        }
    };
    let editor = move || {
        view! { <StaffForm editing=member.get_untracked() on_done=Callback::new(move |()| open.set(false)) /> }
    };
    view! { <Entry testid="staff-row" edit_testid="edit-staff" open=open summary=summary editor=editor /> }
}

/// Adds a member of staff, or changes `editing`; name and role are both needed.
#[component]
fn StaffForm(
    /// The member being changed; `None` adds a new one.
    editing: Option<StaffMember>,
    /// Called once the change is saved (to close the entry).
    #[prop(optional)]
    on_done: Option<Callback<()>>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let adding = editing.is_none();
    // The test ids of an editor differ from the new-member form's, so both can be on screen.
    let prefix = if adding { "" } else { "edit-" };
    let name = Field::new(editing.as_ref().map(|m| m.name.clone()).unwrap_or_default());
    let role = Field::new(editing.as_ref().map(|m| m.role.clone()).unwrap_or_default());
    let id = editing.map(|m| m.id);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let checked = (
            name.check(validate_name(&name.text(), "name")),
            role.check(validate_name(&role.text(), "role")),
        );
        let (Some(name_text), Some(role_text)) = checked else {
            return;
        };
        let member = StaffMember {
            id: id.clone().unwrap_or_else(StaffId::random),
            name: name_text,
            role: role_text,
        };
        let worked = edit_directory(&ctx, "save the member of staff", |am| {
            put_staff(am, &member)
        });
        after_save(worked, adding, &[name, role], on_done);
    };
    view! {
        <form class="details" on:submit=submit>
            <TextField label="Name" name=format!("{prefix}staff-name") field=name
                placeholder="Robin Example" />
            <TextField label="Role" name=format!("{prefix}staff-role") field=role
                placeholder="Receptionist" />
            {submit_button(adding, ("Add member of staff", "add-staff"), ("Save", "save-staff"))}
        </form>
    }
}
