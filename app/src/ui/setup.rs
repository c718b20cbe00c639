//! First start on a device: the access token (unless the link carried it) and a name for
//! the device, such as "Front desk 1".

use leptos::prelude::*;

use crate::ui::Identity;
use crate::words;

const MAX_DEVICE_NAME: usize = protocol::MAX_DEVICE_NAME_BYTES;

#[component]
pub fn Setup(
    /// What the device already knows.
    identity: Identity,
    /// Called with what the person entered, once it is valid.
    on_done: Callback<Identity>,
) -> impl IntoView {
    let needs_token = identity.token.is_none();
    let token = RwSignal::new(String::new());
    let name = RwSignal::new(identity.device_name.clone().unwrap_or_default());
    let token_error = RwSignal::new(None::<String>);
    let name_error = RwSignal::new(None::<String>);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let entered_token = token.get().trim().to_string();
        let entered_name = name.get().split_whitespace().collect::<Vec<_>>().join(" ");
        let token_problem = (needs_token && entered_token.is_empty())
            .then(|| "Paste the access token from the office manager's link.".to_string());
        let name_problem = if entered_name.is_empty() {
            Some("Give this device a name, such as \"Front desk 1\".".to_string())
        } else if entered_name.len() > MAX_DEVICE_NAME {
            Some(format!("Use at most {MAX_DEVICE_NAME} characters."))
        } else {
            None
        };
        token_error.set(token_problem.clone());
        name_error.set(name_problem.clone());
        if token_problem.is_none() && name_problem.is_none() {
            on_done.run(Identity {
                token: needs_token.then_some(entered_token),
                device_name: Some(entered_name),
                wiped_at: None,
            });
        }
    };

    view! {
        <form class="setup" on:submit=submit>
            <h1>"Set up this device"</h1>
            {identity.wiped_at.map(|at| view! {
                <p class="banner" role="alert" data-testid="wiped">{words::wiped(&at)}</p>
            })}
            <Show when=move || needs_token>
                <label class="field">
                    <span class="label">"Access token"</span>
                    <input name="token" type="password" autocomplete="off"
                        prop:value=move || token.get()
                        on:input=move |ev| token.set(event_target_value(&ev)) />
                    <span class="field-error" data-testid="error-token">{move || token_error.get()}</span>
                </label>
            </Show>
            <label class="field">
                <span class="label">"Name of this device"</span>
                <input name="device_name" placeholder="Front desk 1" maxlength=MAX_DEVICE_NAME
                    prop:value=move || name.get()
                    on:input=move |ev| name.set(event_target_value(&ev)) />
                <span class="field-error" data-testid="error-device_name">{move || name_error.get()}</span>
            </label>
            <button class="primary" type="submit" data-testid="setup-submit">"Start"</button>
        </form>
    }
}
