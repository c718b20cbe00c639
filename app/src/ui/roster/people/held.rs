//! The credentials a person holds: each with its band, number, issuer and dates, opened to
//! change it or removed; and the form that adds one. [`CredentialForm::validate`] checks
//! what is typed and names each mistake at its field; nothing is written until all is
//! well.

use leptos::prelude::*;

use crate::ui::roster::credentials::{badge, days_text};
use crate::ui::settings::controls::{RemoveButton, SelectField};
use crate::ui::settings::fields::{
    after_save, edit_directory, submit_button, Entry, Field, TextField,
};
use crate::ui::Ctx;
use model::fields::FormEdit;
use model::staff::credential::{
    put_credential, remove_credential, Credential, CredentialForm, CredentialId, CredentialKind,
};
use model::{Directory, StaffId};

#[component]
pub fn PersonCredentials(directory: Memo<Directory>, staff: StaffId) -> impl IntoView {
    let ids = {
        let staff = staff.clone();
        Memo::new(move |_| {
            directory.with(|d| {
                d.credentials
                    .iter()
                    .filter(|c| c.staff == staff)
                    .map(|c| c.id.clone())
                    .collect::<Vec<_>>()
            })
        })
    };
    view! {
        <section class="card roster-page" data-testid="person-credentials">
            <h2>"Credentials and training"</h2>
            <ul class="entries">
                <For each=move || ids.get() key=|id| id.clone() let(id)>
                    <CredentialEntry directory=directory id=id />
                </For>
            </ul>
            <Show when=move || ids.with(Vec::is_empty)>
                <p class="empty" data-testid="no-credentials">"No credentials recorded yet."</p>
            </Show>
            <h3>"Add a credential"</h3>
            <CredentialEditor directory=directory staff=staff editing=None />
        </section>
    }
}

/// Number, issuer and dates in one line.
fn details(c: &Credential, today: chrono::NaiveDate) -> String {
    let mut parts = Vec::new();
    if !c.number.is_empty() {
        parts.push(format!("No. {}", c.number));
    }
    if !c.issuer.is_empty() {
        parts.push(c.issuer.clone());
    }
    if let Some(issued) = c.issued {
        parts.push(format!("issued {}", issued.format("%-d %b %Y")));
    }
    match c.expires {
        Some(expires) => parts.push(format!(
            "{} {} ({})",
            if expires < today {
                "last valid"
            } else {
                "expires"
            },
            expires.format("%-d %b %Y"),
            days_text(expires, today)
        )),
        None => parts.push("does not expire".into()),
    }
    parts.join(" · ")
}

#[component]
fn CredentialEntry(directory: Memo<Directory>, id: CredentialId) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let credential = {
        let id = id.clone();
        Memo::new(move |_| directory.with(|d| d.credentials.iter().find(|c| c.id == id).cloned()))
    };
    let open = RwSignal::new(false);
    let summary = move || {
        view! {
            {move || credential.with(|c| c.as_ref().map(|c| {
                let band = c.expiry(ctx.now.get().date());
                badge(band, band.label().to_string())
            }))}
            <span class="entry-name" data-testid="credential-name">
                {move || credential.with(|c| c.as_ref().map(|c| c.name().to_string()))}
            </span>
            <span class="entry-meta">
                {move || credential.with(|c| c.as_ref().map(|c| details(c, ctx.now.get().date())))}
            </span>
        }
    };
    let remove_it = Callback::new(move |()| {
        edit_directory(&ctx, "remove the credential", |am| {
            remove_credential(am, &id)
        });
    });
    let actions = move || {
        view! { <RemoveButton testid="remove-credential" what="this credential" on_remove=remove_it /> }
    };
    let editor = move || {
        credential.get_untracked().map(|c| {
            view! {
                <CredentialEditor directory=directory staff=c.staff.clone() editing=Some(c)
                    on_done=Callback::new(move |()| open.set(false)) />
            }
        })
    };
    view! {
        <Entry testid="credential-entry" edit_testid="edit-credential" open=open summary=summary
            actions=actions editor=editor />
    }
}

/// Adds a credential of `staff`, or changes `editing`. Only the fields changed in the form
/// are written, so that a colleague's change to another field is kept.
#[component]
fn CredentialEditor(
    directory: Memo<Directory>,
    staff: StaffId,
    editing: Option<Credential>,
    #[prop(optional)] on_done: Option<Callback<()>>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let adding = editing.is_none();
    let prefix = if adding { "" } else { "edit-" };
    let start = editing
        .as_ref()
        .map(CredentialForm::from_credential)
        .unwrap_or_else(|| CredentialForm {
            kind: CredentialKind::Licence.code().into(),
            ..CredentialForm::default()
        });
    let kind = Field::new(start.kind);
    let title = Field::new(start.title);
    let number = Field::new(start.number);
    let issuer = Field::new(start.issuer);
    let issued = Field::new(start.issued);
    let expires = Field::new(start.expires);
    let fields = [kind, title, number, issuer, issued, expires];
    let kind_options = Signal::derive(|| {
        CredentialKind::ALL
            .iter()
            .map(|k| (k.code().to_string(), k.label().to_string()))
            .collect::<Vec<_>>()
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let form = CredentialForm {
            kind: kind.text(),
            title: title.text(),
            number: number.text(),
            issuer: issuer.text(),
            issued: issued.text(),
            expires: expires.text(),
        };
        let id = editing
            .as_ref()
            .map_or_else(CredentialId::random, |c| c.id.clone());
        fields.iter().for_each(|f| f.error.set(None));
        let typed = match form.validate(id, staff.clone()) {
            Ok(credential) => credential,
            Err(errors) => {
                for (name, message) in errors {
                    let field = match name {
                        "kind" => kind,
                        "title" => title,
                        "number" => number,
                        "issuer" => issuer,
                        "issued" => issued,
                        _ => expires,
                    };
                    // The first problem of a field is the one to fix first.
                    if field.error.with_untracked(Option::is_none) {
                        field.error.set(Some(message));
                    }
                }
                return;
            }
        };
        let credential = match &editing {
            None => typed,
            Some(before) => {
                let current = directory
                    .with_untracked(|d| d.credentials.iter().find(|c| c.id == before.id).cloned())
                    .unwrap_or_else(|| before.clone());
                typed.onto(before, current)
            }
        };
        let worked = edit_directory(&ctx, "save the credential", |am| {
            put_credential(am, &credential)
        });
        // The kind stays chosen for the next one; the rest is emptied.
        after_save(
            worked,
            adding,
            &[title, number, issuer, issued, expires],
            on_done,
        );
    };
    view! {
        <form class="details credential-form" on:submit=submit>
            <SelectField label="Kind" name=format!("{prefix}credential-kind") field=kind
                options=kind_options />
            <TextField label="Title" name=format!("{prefix}credential-title") field=title
                placeholder="RN licence" />
            <TextField label="Number" name=format!("{prefix}credential-number") field=number />
            <TextField label="Issued by" name=format!("{prefix}credential-issuer") field=issuer />
            <TextField label="Issued on" name=format!("{prefix}credential-issued") field=issued
                kind="date" />
            <TextField label="Last valid day" name=format!("{prefix}credential-expires")
                field=expires kind="date" />
            {submit_button(adding, ("Add credential", "add-credential"), ("Save", "save-credential"))}
        </form>
    }
}
