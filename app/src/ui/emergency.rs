//! Emergency access ("break glass"): when no manager is reachable, someone whose role does
//! not offer a page may open it anyway, with a reason. It is allowed at once, recorded in
//! the site's audit document (marked loudly on the Audit page), and lasts until the device
//! locks; a banner says so all the while.

use leptos::prelude::*;

use crate::ui::audit;
use crate::ui::Ctx;
use model::access::Action;
use model::audit::EventKind;

/// The fewest characters a reason needs: a word or two is not a reason.
const MIN_REASON: usize = 10;

/// The button in the top bar, for someone whose role keeps pages from them, and its form.
#[component]
pub fn EmergencyAccess() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let open = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let offered = move || !ctx.emergency.get() && !ctx.may(Action::ChangeSettings);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let why = model::tidy(&reason.get());
        if why.chars().count() < MIN_REASON {
            problem.set(Some(format!(
                "Say why, in at least {MIN_REASON} characters: the manager reads it in the audit."
            )));
            return;
        }
        audit::record(
            ctx,
            EventKind::BreakGlass,
            "Opened the pages a manager uses (settings, roster, exports, all sites)".into(),
            why,
        );
        ctx.emergency.set(true);
        open.set(false);
        reason.set(String::new());
        problem.set(None);
    };
    view! {
        <Show when=offered>
            <button type="button" class="emergency" aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)>"Emergency access"</button>
        </Show>
        <Show when=move || open.get() && offered()>
            <form class="emergency-form card" on:submit=submit aria-label="Emergency access">
                <p class="hint">"Only when no manager can be reached. You will see what a manager sees until the device locks, and the manager is shown that you did, and why."</p>
                <label class="field">
                    <span class="label">"Reason"</span>
                    <textarea name="emergency_reason" prop:value=move || reason.get()
                        on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                    <span class="field-error" role="alert">{move || problem.get()}</span>
                </label>
                <button class="primary danger" type="submit">"Open with emergency access"</button>
            </form>
        </Show>
    }
}

/// The banner shown all the while emergency access lasts.
#[component]
pub fn EmergencyBanner() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    view! {
        <Show when=move || ctx.emergency.get()>
            <p class="emergency-banner" role="alert" data-testid="emergency-banner">
                "Emergency access: what you open and change now is marked in the audit for the manager. Lock the device when you are done."
            </p>
        </Show>
    }
}
