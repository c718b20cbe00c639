//! Settings: this device, its storage, its access, and the site's providers.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::model::directory::{add_provider, validate_provider_name};
use crate::model::DocKind;
use crate::platform::idb::Store;
use crate::ui::{directory_memo, site_providers, Ctx, DATABASE};

#[component]
pub fn Settings() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let directory = directory_memo(ctx);
    let name = RwSignal::new(String::new());
    let name_error = RwSignal::new(None::<String>);
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match validate_provider_name(&name.get()) {
            Ok(valid) => {
                name_error.set(None);
                let site = ctx.site.get();
                let result = ctx.driver.with_value(|d| {
                    d.edit(&DocKind::Directory.doc_id(), |am| {
                        add_provider(am, &site, &valid)
                    })
                });
                match result {
                    Ok(_) => name.set(String::new()),
                    Err(e) => ctx.report(format!("Could not add the provider: {e}")),
                }
            }
            Err(message) => name_error.set(Some(message)),
        }
    };

    let new_token = RwSignal::new(String::new());
    let token_note = RwSignal::new(None::<String>);
    let replace_token = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let token = new_token.get().trim().to_string();
        if token.is_empty() {
            token_note.set(Some("Paste the new access token first.".into()));
            return;
        }
        spawn_local(async move {
            let saved = match Store::open(DATABASE).await {
                Ok(store) => {
                    let r = store.set_meta("token", &token).await;
                    store.close();
                    r.map_err(|e| e.to_string())
                }
                Err(e) => Err(e.to_string()),
            };
            match saved {
                Ok(()) => {
                    // Reloading starts the device again with the new token; every edit is
                    // stored, so nothing is lost.
                    if let Some(w) = web_sys::window() {
                        let _ = w.location().reload();
                    }
                }
                Err(e) => token_note.set(Some(e)),
            }
        });
    };

    let providers = site_providers(ctx, directory);
    let persisted = move || {
        match ctx.persisted.get() {
        None => "Asking the browser…",
        Some(true) => "Granted: the browser keeps this device's data.",
        Some(false) => "Not granted: the browser may clear data when space runs low. Install the app to the home screen to help.",
    }
    };

    view! {
        <div class="settings">
            <section class="card">
                <h2>"This device"</h2>
                <p>"Name: " <strong data-testid="device-name">{move || ctx.driver.with_value(|d| d.device())}</strong></p>
                <p>"Persistent storage: " <span data-testid="persist-status">{persisted}</span></p>
                <p>"Sync: " {move || ctx.status.get().summary()}</p>
            </section>
            <section class="card">
                <h2>"Providers at this site"</h2>
                <ul>
                    <For each=move || providers.get() key=|p| p.id.clone() let(p)>
                        <li data-testid="provider">{p.name}</li>
                    </For>
                </ul>
                <form on:submit=add>
                    <label class="field">
                        <span class="label">"New provider"</span>
                        <input name="provider_name" placeholder="Dr. Ada Example"
                            prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
                        <span class="field-error" data-testid="error-provider_name">{move || name_error.get()}</span>
                    </label>
                    <button class="primary" type="submit" data-testid="add-provider">"Add provider"</button>
                </form>
            </section>
            <section class="card">
                <h2>"Access"</h2>
                <form on:submit=replace_token>
                    <label class="field">
                        <span class="label">"New access token"</span>
                        <input name="new_token" type="password" autocomplete="off"
                            prop:value=move || new_token.get() on:input=move |ev| new_token.set(event_target_value(&ev)) />
                        <span class="field-error">{move || token_note.get()}</span>
                    </label>
                    <button type="submit">"Use this token"</button>
                </form>
            </section>
        </div>
    }
}
