//! The shell's site picker: the site this device works at, among those the signed-in
//! person works at (every site, for a manager).

use leptos::prelude::*;

use crate::ui::Ctx;
use model::access::Action;
use model::{Directory, SiteId};

/// Which site this device works at; remembered on the device.
#[component]
pub(super) fn SitePicker(directory: Memo<Directory>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    view! {
        <select class="site-picker" data-testid="site-picker" aria-label="Site"
            prop:value=move || ctx.site.get().as_str().to_string()
            on:change=move |ev| {
                if let Some(site) = SiteId::new(&event_target_value(&ev)) {
                    ctx.work_at(&site);
                    ctx.deselect();
                    ctx.site.set(site);
                }
            }>
            <For each=move || open_sites(ctx, directory) key=|s| (s.id.clone(), s.name.clone()) let(site)>
                <option value=site.id.as_str().to_string()>{site.name}</option>
            </For>
        </select>
    }
}

/// The sites the signed-in person may work at here: a manager's are all of them.
fn open_sites(ctx: Ctx, directory: Memo<Directory>) -> Vec<model::Site> {
    let everywhere = ctx.may(Action::Oversee);
    let staff = ctx.staff.get();
    directory.with(|d| {
        let member = staff.as_ref().and_then(|id| d.staff_member(id));
        d.sites
            .iter()
            .filter(|s| everywhere || member.is_some_and(|m| m.may_work_at(&s.id)))
            .cloned()
            .collect()
    })
}

/// Keeps the device on a site the signed-in person works at: someone who works only at
/// another site is moved to their home site when they sign in.
pub(super) fn keep_to_own_sites(ctx: Ctx, directory: Memo<Directory>) {
    Effect::new(move |_| {
        if ctx.may(Action::Oversee) {
            return;
        }
        let Some(id) = ctx.staff.get() else {
            return;
        };
        let home = directory.with(|d| {
            d.staff_member(&id)
                .filter(|m| !m.may_work_at(&ctx.site.get_untracked()))
                .map(|m| m.home.clone())
        });
        if let Some(home) = home {
            ctx.deselect();
            ctx.site.set(home);
        }
    });
}
