//! The providers who work at the site in view: their details, the sites they work at and
//! their working hours, which the schedule uses to flag bookings outside them.

use leptos::prelude::*;

use crate::ui::{site_providers, Ctx};
use model::directory::{add_provider, put_provider, validate_colour, validate_name};
use model::{Directory, Provider, ProviderId, WeekHours};

use super::fields::{
    edit_directory, optional_text, saved, site_in_view, update, ColourField, Entry, Field,
    NameForm, TextField,
};
use super::hours::HoursEditor;

#[component]
pub fn ProvidersCard(directory: Memo<Directory>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let providers = site_providers(ctx, directory);
    let ids = move || providers.with(|list| list.iter().map(|p| p.id.clone()).collect::<Vec<_>>());
    // A new provider works at the site in view, office hours, with the next palette colour;
    // the rest is filled in with Edit.
    let add = Callback::new(move |name: String| {
        let site = ctx.site.get_untracked();
        saved(edit_directory(&ctx, "add the provider", |am| {
            add_provider(am, &site, &name).map(|_| ())
        }))
    });
    view! {
        <section class="card" data-testid="providers-card">
            <h2>"Providers at " {site_in_view(ctx, directory)}</h2>
            <ul class="entries">
                <For each=ids key=|id| id.clone() let(id)>
                    <ProviderEntry directory=directory id=id />
                </For>
            </ul>
            <NameForm label="New provider" what="provider's name" name="provider_name"
                button=("Add provider", "add-provider") placeholder="Dr. Ada Example" on_save=add />
        </section>
    }
}

/// One provider: colour, name, specialty and other sites; opened, the details form and the
/// working hours.
#[component]
fn ProviderEntry(directory: Memo<Directory>, id: ProviderId) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let provider = Memo::new(move |_| directory.with(|d| d.provider(&id).cloned()));
    let open = RwSignal::new(false);
    let details = move || {
        let site = ctx.site.get();
        provider.with(|p| {
            let Some(p) = p else { return String::new() };
            let elsewhere = directory.with(|d| {
                p.sites
                    .iter()
                    .filter(|s| **s != site)
                    .filter_map(|s| d.site(s).map(|s| s.name.clone()))
                    .collect::<Vec<_>>()
            });
            let mut parts = vec![p.specialty.clone()];
            if !elsewhere.is_empty() {
                parts.push(format!("also at {}", elsewhere.join(", ")));
            }
            parts.retain(|s| !s.is_empty());
            parts.join(" · ")
        })
    };
    let save_hours = Callback::new(move |week: WeekHours| {
        update(
            &ctx,
            provider,
            "save the working hours",
            put_provider,
            |p| p.hours = week,
        )
    });
    let summary = move || {
        view! {
            <span class="swatch" aria-hidden="true"
                style:background-color=move || provider.get().map(|p| p.colour)></span>
            <span class="entry-name" data-testid="provider">{move || provider.get().map(|p| p.name)}</span>
            <span class="entry-meta">{details}</span>
        }
    };
    let editor = move || {
        let hours = provider
            .get_untracked()
            .map(|p| p.hours)
            .unwrap_or_default();
        view! {
            <ProviderForm directory=directory provider=provider />
            <h3>"Working hours"</h3>
            <HoursEditor initial=hours on_save=save_hours />
        }
    };
    view! {
        <Entry testid="provider-row" edit_testid="edit-provider" open=open summary=summary editor=editor />
    }
}

/// A provider's name, specialty, colour and sites, checked together and saved in one
/// edit. The entry stays open after saving, as the working hours below may be next.
#[component]
fn ProviderForm(directory: Memo<Directory>, provider: Memo<Option<Provider>>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let current = provider.get_untracked();
    let value = |get: fn(&Provider) -> String| current.as_ref().map(get).unwrap_or_default();
    let name = Field::new(value(|p| p.name.clone()));
    let specialty = Field::new(value(|p| p.specialty.clone()));
    let colour = Field::new(value(|p| p.colour.clone()));
    let sites = RwSignal::new(current.map(|p| p.sites).unwrap_or_default());
    let sites_error = RwSignal::new(None::<String>);
    let done = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.set(false);
        let checked = (
            name.check(validate_name(&name.text(), "provider's name")),
            specialty.check(optional_text(&specialty.text(), "specialty")),
            colour.check(validate_colour(&colour.text())),
        );
        let chosen = sites.get_untracked();
        sites_error.set(
            chosen
                .is_empty()
                .then(|| "Tick at least one site.".to_string()),
        );
        let (Some(name), Some(specialty), Some(colour)) = checked else {
            return;
        };
        if chosen.is_empty() {
            return;
        }
        let worked = update(&ctx, provider, "save the provider", put_provider, |p| {
            p.name = name;
            p.specialty = specialty;
            p.colour = colour;
            p.sites = chosen;
        });
        done.set(worked);
    };
    let site_boxes = move || {
        directory.with(|d| {
            d.sites
                .iter()
                .map(|site| {
                    let id = site.id.clone();
                    let ticked = {
                        let id = id.clone();
                        move || sites.with(|s| s.contains(&id))
                    };
                    let toggle = move |ev| {
                        let on = event_target_checked(&ev);
                        sites.update(|s| {
                            s.retain(|x| *x != id);
                            if on {
                                s.push(id.clone());
                            }
                        });
                    };
                    view! {
                        <label class="check">
                            <input type="checkbox" data-testid=format!("provider-site-{}", site.id.as_str())
                                prop:checked=ticked on:change=toggle />
                            {site.name.clone()}
                        </label>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <form class="details" on:submit=submit>
            <TextField label="Name" name="edit-provider-name" field=name />
            <TextField label="Specialty" name="provider-specialty" field=specialty
                placeholder="General practice" />
            <ColourField name="provider-colour" field=colour />
            <fieldset class="field sites">
                <legend class="label">"Works at"</legend>
                {site_boxes}
                <span class="field-error" data-testid="error-provider-sites">{move || sites_error.get()}</span>
            </fieldset>
            <div class="form-end">
                <button class="primary" type="submit" data-testid="save-provider">"Save provider"</button>
                <Show when=move || done.get()>
                    <span class="saved" data-testid="provider-saved">"Saved."</span>
                </Show>
            </div>
        </form>
    }
}
