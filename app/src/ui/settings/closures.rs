//! The practice's calendar of holidays and closures, kept by the manager: what is still to
//! come, and a form for a new entry, for one site or every site. A booking on such a day
//! is a clash to resolve, and Next free slot skips it ([`model::away`]).

use leptos::prelude::*;

use crate::platform::local_now;
use crate::ui::settings::controls::{RemoveButton, SelectField};
use crate::ui::settings::fields::{edit_directory, Field, TextField};
use crate::ui::Ctx;
use model::away::Away;
use model::closure::{put_closure, remove_closure, Closure, ClosureForm};
use model::Directory;

#[component]
pub fn ClosuresCard(directory: Memo<Directory>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let today = Memo::new(move |_| ctx.now.get().date());
    let coming = Memo::new(move |_| {
        directory.with(|d| {
            d.closures
                .iter()
                .filter(|c| c.to >= today.get())
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    view! {
        <section class="card" data-testid="closures-card">
            <h2>"Holidays and closures"</h2>
            <p class="hint">"Days a site sees no patients. A booking on one is a clash for the desk to resolve, and Next free slot skips them."</p>
            <Show when=move || coming.with(Vec::is_empty)>
                <p class="empty">"None to come."</p>
            </Show>
            <ul class="entries">
                <For each=move || coming.get() key=|c| (c.id.clone(), c.name.clone(), c.site.clone(), c.from, c.to)
                    let(closure)>
                    <ClosureEntry closure=closure directory=directory />
                </For>
            </ul>
            <NewClosure directory=directory />
        </section>
    }
}

/// One entry: its name, where and when, and Remove.
#[component]
fn ClosureEntry(closure: Closure, directory: Memo<Directory>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let place = directory.with_untracked(|d| match &closure.site {
        None => "Every site".to_string(),
        Some(site) => d
            .site(site)
            .map_or_else(|| site.as_str().to_string(), |s| s.name.clone()),
    });
    let when = Away::Closed(&closure).reason();
    let id = closure.id.clone();
    let remove = Callback::new(move |()| {
        edit_directory(&ctx, "remove the holiday or closure", |am| {
            remove_closure(am, &id)
        });
    });
    view! {
        <li class="entry" data-testid="closure">
            <span class="entry-name">{when}</span>
            <span class="entry-detail">{place}</span>
            <RemoveButton testid="remove-closure" what="this holiday or closure" on_remove=remove />
        </li>
    }
}

/// The form for a new entry; each mistake is named at its field and nothing is saved.
#[component]
fn NewClosure(directory: Memo<Directory>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let name = Field::new("");
    let site = Field::new("");
    let from = Field::new("");
    let to = Field::new("");
    let done = RwSignal::new(None::<String>);
    let sites = Signal::derive(move || {
        directory.with(|d| {
            d.sites
                .iter()
                .map(|s| (s.id.as_str().to_string(), s.name.clone()))
                .collect::<Vec<_>>()
        })
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.set(None);
        for field in [name, site, from, to] {
            field.error.set(None);
        }
        let form = ClosureForm {
            name: name.text(),
            site: site.text(),
            from: from.text(),
            to: to.text(),
        };
        let known: Vec<_> =
            directory.with_untracked(|d| d.sites.iter().map(|s| s.id.clone()).collect());
        let closure = match form.validate(&known, local_now().date()) {
            Ok(closure) => closure,
            Err(errors) => {
                for (field, message) in errors {
                    let field = match field {
                        "name" => name,
                        "site" => site,
                        "from" => from,
                        _ => to,
                    };
                    if field.error.with_untracked(Option::is_none) {
                        field.error.set(Some(message));
                    }
                }
                return;
            }
        };
        if edit_directory(&ctx, "add the holiday or closure", |am| {
            put_closure(am, &closure)
        }) {
            done.set(Some(format!("Added {}.", closure.name)));
            for field in [name, from, to] {
                field.value.set(String::new());
            }
        }
    };
    view! {
        <form class="details closure-form" on:submit=submit>
            <TextField label="Holiday or closure" name="closure-name" field=name
                placeholder="Christmas Day" />
            <SelectField label="Where" name="closure-site" field=site options=sites
                none="Every site" />
            <div class="field-row">
                <TextField label="First day" name="closure-from" field=from kind="date" />
                <TextField label="Last day (if more than one)" name="closure-to" field=to kind="date" />
            </div>
            <div class="form-end">
                <button class="primary" type="submit" data-testid="add-closure">"Add to the calendar"</button>
                <span class="saved" role="status" data-testid="closure-added">{move || done.get()}</span>
            </div>
        </form>
    }
}
