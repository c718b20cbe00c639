//! The staff: who is put on the roster and who may be given a sign-in (the Sign-ins card);
//! the name of whoever is signed in goes into the history of every change made at a desk.
//! Staff are not removed here: the histories keep their names either way.

use leptos::prelude::*;

use crate::ui::Ctx;
use model::directory::{put_staff, validate_name};
use model::staff::{hours_text, parse_weekly_hours, Employment, ROLES};
use model::{Directory, ProviderId, SiteId, StaffId, StaffMember};

use super::controls::{SelectField, Ticks};
use super::fields::{
    after_save, edit_directory, optional_text, submit_button, Entry, Field, TextField,
};

#[component]
pub fn StaffCard(directory: Memo<Directory>) -> impl IntoView {
    let ids = move || directory.with(|d| d.staff.iter().map(|s| s.id.clone()).collect::<Vec<_>>());
    view! {
        <section class="card" data-testid="staff-card">
            <h2>"Staff"</h2>
            <p class="hint">"Who is put on the roster, and who may be given a sign-in; the name of whoever is signed in goes into the history of every change they make."</p>
            <ul class="entries">
                <For each=ids key=|id| id.clone() let(id)>
                    <StaffEntry directory=directory id=id />
                </For>
            </ul>
            <h3>"New member of staff"</h3>
            <StaffForm directory=directory editing=None />
        </section>
    }
}

/// What a row says of a person after their name: role, home site, employment and hours.
pub(crate) fn staff_summary(directory: &Directory, member: &StaffMember) -> String {
    let home = directory
        .site(&member.home)
        .map_or_else(|| member.home.as_str().to_string(), |s| s.name.clone());
    let mut employment = member.employment.label().to_string();
    if let Some(minutes) = member.weekly_minutes {
        employment.push_str(&format!(", {} h a week", hours_text(minutes)));
    }
    [member.role.clone(), home, employment].join(" · ")
}

/// One member of staff: name, role, home site and hours; opened, the same form as for a
/// new one.
#[component]
fn StaffEntry(directory: Memo<Directory>, id: StaffId) -> impl IntoView {
    let member = Memo::new(move |_| directory.with(|d| d.staff_member(&id).cloned()));
    let open = RwSignal::new(false);
    let summary = move || {
        view! {
            <span class="entry-name" data-testid="staff-member">{move || member.get().map(|m| m.name)}</span>
            <span class="entry-meta">{move || {
                member.with(|m| m.as_ref().map(|m| directory.with(|d| staff_summary(d, m))))
            }}</span>
        }
    };
    let editor = move || {
        view! {
            <StaffForm directory=directory editing=member.get_untracked()
                on_done=Callback::new(move |()| open.set(false)) />
        }
    };
    view! { <Entry testid="staff-row" edit_testid="edit-staff" open=open summary=summary editor=editor /> }
}

/// The fields of a member as the form shows them.
fn field_values(member: &StaffMember) -> [String; 6] {
    [
        member.name.clone(),
        member.role.clone(),
        member.contact.clone(),
        member.home.as_str().to_string(),
        member.employment.code().to_string(),
        member.weekly_minutes.map(hours_text).unwrap_or_default(),
    ]
}

/// Adds a member of staff, or changes `editing`: name and role are needed; the role may be
/// one of [`ROLES`] or any other; contracted hours are checked with [`parse_weekly_hours`].
/// Only the fields changed in the form are written, so that a colleague's change to
/// another field of the same person, made meanwhile, is kept.
#[component]
pub(crate) fn StaffForm(
    directory: Memo<Directory>,
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
    let blank = {
        let mut member = StaffMember::new("", "");
        member.home = ctx.site.get_untracked();
        member.sites = vec![member.home.clone()];
        member
    };
    let start = editing.clone().unwrap_or_else(|| blank.clone());
    let [name, role, contact, home, employment, hours] = field_values(&start).map(Field::new);
    let provider = Field::new(
        start
            .provider
            .as_ref()
            .map(|p| p.as_str().to_string())
            .unwrap_or_default(),
    );
    let site_codes = |member: &StaffMember| {
        member
            .sites
            .iter()
            .map(|s| s.as_str().to_string())
            .collect::<Vec<_>>()
    };
    let sites = RwSignal::new(site_codes(&start));
    let sites_error = RwSignal::new(None::<String>);
    let done = RwSignal::new(false);
    let roles_id = format!("roles-{}", start.id);

    let site_options = Signal::derive(move || {
        directory.with(|d| {
            d.sites
                .iter()
                .map(|s| (s.id.as_str().to_string(), s.name.clone()))
                .collect::<Vec<_>>()
        })
    });
    let employment_options = Signal::derive(|| {
        Employment::ALL
            .iter()
            .map(|e| (e.code().to_string(), e.label().to_string()))
            .collect::<Vec<_>>()
    });
    let provider_options = Signal::derive(move || {
        directory.with(|d| {
            d.providers
                .iter()
                .map(|p| (p.id.as_str().to_string(), p.name.clone()))
                .collect::<Vec<_>>()
        })
    });
    let home_fixed = Signal::derive(move || vec![home.value.get()]);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.set(false);
        let checked = (
            name.check(validate_name(&name.text(), "name")),
            role.check(validate_name(&role.text(), "role")),
            contact.check(optional_text(&contact.text(), "contact")),
            hours.check(parse_weekly_hours(&hours.text())),
            home.check(
                SiteId::new(&home.text()).ok_or_else(|| "Choose the home site.".to_string()),
            ),
            employment.check(
                Employment::parse(&employment.text())
                    .ok_or_else(|| "Choose how they are employed.".to_string()),
            ),
        );
        let (
            Some(name_text),
            Some(role_text),
            Some(contact_text),
            Some(weekly),
            Some(home_site),
            Some(kind),
        ) = checked
        else {
            return;
        };
        let order = site_options.get_untracked();
        let mut chosen: Vec<SiteId> = order
            .iter()
            .filter(|(code, _)| {
                *code == home_site.as_str() || sites.with_untracked(|s| s.contains(code))
            })
            .filter_map(|(code, _)| SiteId::new(code))
            .collect();
        if !chosen.contains(&home_site) {
            chosen.insert(0, home_site.clone());
        }
        let chosen_provider = provider.text();
        let typed = StaffMember {
            id: start.id.clone(),
            name: name_text,
            role: role_text,
            contact: contact_text,
            home: home_site,
            sites: chosen,
            employment: kind,
            weekly_minutes: weekly,
            provider: (!chosen_provider.is_empty()).then(|| ProviderId::from(chosen_provider)),
        };
        let member = match &editing {
            // Every addition is a new person, even from a form that stays on screen.
            None => StaffMember {
                id: StaffId::random(),
                ..typed
            },
            Some(before) => {
                let current = directory
                    .with_untracked(|d| d.staff_member(&before.id).cloned())
                    .unwrap_or_else(|| before.clone());
                typed.edited(before, current)
            }
        };
        let worked = edit_directory(&ctx, "save the member of staff", |am| {
            put_staff(am, &member)
        });
        if worked && adding {
            let [_, _, _, home_code, employment_code, _] = field_values(&blank);
            home.value.set(home_code);
            employment.value.set(employment_code);
            provider.value.set(String::new());
            sites.set(site_codes(&blank));
        }
        done.set(worked && !adding);
        after_save(worked, adding, &[name, role, contact, hours], on_done);
    };
    let role_name = format!("{prefix}staff-role");
    let role_error = format!("error-{role_name}");
    view! {
        <form class="details staff-form" on:submit=submit>
            <TextField label="Name" name=format!("{prefix}staff-name") field=name
                placeholder="Robin Example" />
            <label class="field">
                <span class="label">"Role"</span>
                <input name=role_name.clone() data-testid=role_name list=roles_id.clone()
                    placeholder="Front desk" autocomplete="off"
                    aria-invalid=move || role.error.with(Option::is_some).to_string()
                    prop:value=move || role.value.get()
                    on:input=move |ev| role.value.set(event_target_value(&ev)) />
                <datalist id=roles_id>
                    {ROLES.iter().map(|r| view! { <option value=*r></option> }).collect_view()}
                </datalist>
                <span class="field-error" data-testid=role_error>{move || role.error.get()}</span>
            </label>
            <TextField label="Contact" name=format!("{prefix}staff-contact") field=contact
                placeholder="Phone or e-mail" />
            <SelectField label="Home site" name=format!("{prefix}staff-home") field=home
                options=site_options />
            <Ticks legend="May work at" name=format!("{prefix}staff-site") chosen=sites
                options=site_options error=sites_error fixed=home_fixed />
            <SelectField label="Employment" name=format!("{prefix}staff-employment")
                field=employment options=employment_options />
            <TextField label="Contracted hours a week (empty if none)"
                name=format!("{prefix}staff-hours") field=hours placeholder="37.5" />
            <SelectField label="On the schedule as" name=format!("{prefix}staff-provider")
                field=provider options=provider_options none="Not a provider" />
            {submit_button(adding, ("Add member of staff", "add-staff"), ("Save", "save-staff"))}
            <Show when=move || done.get()>
                <p class="saved" data-testid="staff-saved">"Saved."</p>
            </Show>
        </form>
    }
}
