//! The practice's sites: their names and opening hours.
//!
//! A site's id is made from its name once, when it is added, and never changes: it is part
//! of the ids of the site's schedule and waitlist documents. Renaming changes only what
//! people read. Sites are not removed here, since their documents keep their history; the
//! main site in particular always exists ([`Directory::read`] stands it in).

use leptos::prelude::*;

use crate::ui::Ctx;
use model::directory::put_site;
use model::{Directory, Site, SiteId, WeekHours};

use super::fields::{edit_directory, saved, update, Entry, NameForm};
use super::hours::{HoursEditor, WeekSummary};

#[component]
pub fn SitesCard(directory: Memo<Directory>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let ids = move || directory.with(|d| d.sites.iter().map(|s| s.id.clone()).collect::<Vec<_>>());
    let add = Callback::new(move |name: String| {
        let id = SiteId::from_name(&name)
            .ok_or_else(|| "Use some letters or digits in the name.".to_string())?;
        if let Some(existing) = directory.with_untracked(|d| d.site(&id).map(|s| s.name.clone())) {
            return Err(format!("\"{existing}\" already uses this name."));
        }
        let site = Site {
            id,
            name,
            hours: WeekHours::office(),
        };
        saved(edit_directory(&ctx, "add the site", |am| {
            put_site(am, &site)
        }))
    });
    view! {
        <section class="card" data-testid="sites-card">
            <h2>"Sites"</h2>
            <ul class="entries">
                <For each=ids key=|id| id.clone() let(id)>
                    <SiteEntry directory=directory id=id />
                </For>
            </ul>
            <NameForm label="New site" what="site's name" name="site-name"
                button=("Add site", "add-site") placeholder="North Clinic" on_save=add />
        </section>
    }
}

/// One site: its name and week; opened, a rename and the hours editor.
#[component]
fn SiteEntry(directory: Memo<Directory>, id: SiteId) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let site = Memo::new(move |_| directory.with(|d| d.site(&id).cloned()));
    let hours =
        Signal::derive(move || site.with(|s| s.as_ref().map(|s| s.hours).unwrap_or_default()));
    let open = RwSignal::new(false);
    let rename = Callback::new(move |name: String| {
        saved(update(&ctx, site, "rename the site", put_site, |s| {
            s.name = name
        }))
    });
    let save_hours = Callback::new(move |week: WeekHours| {
        update(&ctx, site, "save the site's hours", put_site, |s| {
            s.hours = week
        })
    });
    let summary = move || {
        view! {
            <span class="entry-name" data-testid="site">{move || site.get().map(|s| s.name)}</span>
            <Show when=move || site.with(|s| s.as_ref().is_some_and(|s| s.id == SiteId::main()))>
                <span class="tag">"Main"</span>
            </Show>
        }
    };
    let week = move || view! { <WeekSummary hours=hours /> };
    let editor = move || {
        let current = site.get_untracked();
        let name = current.as_ref().map(|s| s.name.clone()).unwrap_or_default();
        view! {
            <NameForm label="Name" what="site's name" name="edit-site-name"
                button=("Rename", "rename-site") initial=name on_save=rename />
            <HoursEditor initial=current.map(|s| s.hours).unwrap_or_default() on_save=save_hours />
        }
    };
    view! {
        <Entry testid="site-row" edit_testid="edit-site" open=open summary=summary below=week editor=editor />
    }
}
