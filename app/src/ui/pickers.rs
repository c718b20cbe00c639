//! The shell's pickers: the site this device works at, and who is at the desk.

use leptos::prelude::*;

use crate::ui::Ctx;
use model::{Directory, SiteId, StaffId};

/// Which site this device works at; remembered on the device.
#[component]
pub(super) fn SitePicker(directory: Memo<Directory>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    view! {
        <select class="site-picker" data-testid="site-picker" aria-label="Site"
            prop:value=move || ctx.site.get().as_str().to_string()
            on:change=move |ev| {
                if let Some(site) = SiteId::new(&event_target_value(&ev)) {
                    ctx.remember("site", site.as_str().to_string());
                    ctx.deselect();
                    ctx.site.set(site);
                }
            }>
            <For each=move || directory.get().sites key=|s| (s.id.clone(), s.name.clone()) let(site)>
                <option value=site.id.as_str().to_string()>{site.name}</option>
            </For>
        </select>
    }
}

/// Who is at this desk: named in the history of every change made here.
#[component]
pub(super) fn StaffPicker(directory: Memo<Directory>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    view! {
        <select class="staff-picker" data-testid="staff-picker" aria-label="Who is at this desk"
            prop:value=move || ctx.staff.get().map(|s| s.to_string()).unwrap_or_default()
            on:change=move |ev| {
                let value = event_target_value(&ev);
                ctx.remember("staff", value.clone());
                ctx.staff.set((!value.is_empty()).then(|| StaffId::from(value)));
            }>
            <option value="">"Who is at this desk?"</option>
            <For each=move || directory.get().staff key=|s| (s.id.clone(), s.name.clone()) let(member)>
                <option value=member.id.to_string()>{member.name}</option>
            </For>
        </select>
    }
}
