//! Adding a device: a manager pastes the access token made for it (`sync-server token
//! create`) and gets the link to open on the new device. The link carries the token and
//! the organisation's keys in the address's fragment, which a browser never sends to the
//! relay, so the relay sees neither the keys nor anything they seal.
//!
//! An organisation from before encryption has no keys: a manager's device makes them here
//! ("Encrypt from now on"), and every later change is sealed. Its other devices read those
//! changes once they open a link made here; what was written before stays plain.

use leptos::prelude::*;

use leptos::task::spawn_local;
use sync_engine::seal::Keyring;
use sync_engine::ConnectionState;

use crate::platform::random_bytes;
use crate::ui::Ctx;
use crate::words;
use model::DocKind;

/// The link that sets a new device up: this app's address with the token and the keys in
/// the fragment.
fn device_link(origin: &str, token: &str, keys: &str) -> String {
    format!("{origin}/#token={token}&key={keys}")
}

#[component]
pub fn NewDeviceCard() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    // Whether this device holds the organisation's keys; set again when it makes them.
    let keyed = RwSignal::new(ctx.driver.with_value(|d| d.keyring().is_some()));
    let directory = DocKind::Directory.doc_id();
    // Sealed changes this device cannot open: the organisation has keys, this device not.
    let lacks_keys = Memo::new(move |_| {
        ctx.changes.track(&directory);
        ctx.driver.with_value(|d| d.waits_for_key(&directory))
    });
    let busy = RwSignal::new(false);
    let encrypt = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let driver = ctx.driver.get_value();
            let made = match driver.keyring() {
                Some(_) => Ok(()),
                None => {
                    driver
                        .adopt_keyring(Keyring::generate(random_bytes()))
                        .await
                }
            };
            match made {
                Ok(()) => keyed.set(true),
                Err(e) => ctx.report(words::keys_not_stored(&e)),
            }
            busy.set(false);
        });
    };
    let token = RwSignal::new(String::new());
    let link = RwSignal::new(None::<String>);
    let note = RwSignal::new(None::<String>);
    let make = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        link.set(None);
        // A whole link from the relay's command is taken too: the token is what follows
        // `token=`.
        let typed = token.get_untracked();
        let typed = typed.trim();
        let typed = typed.rsplit_once("token=").map_or(typed, |(_, t)| t);
        let typed = typed.split('&').next().unwrap_or_default();
        if typed.is_empty()
            || !typed
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_".contains(c))
        {
            note.set(Some(
                "Paste the access token made for the new device (sync-server token create).".into(),
            ));
            return;
        }
        let Some(keys) = ctx.driver.with_value(|d| d.keyring()) else {
            note.set(Some("This device has not been given the organisation's keys, so it cannot pass them on. Add the device from one that has them.".into()));
            return;
        };
        let origin = web_sys::window()
            .and_then(|w| w.location().origin().ok())
            .unwrap_or_default();
        note.set(None);
        link.set(Some(device_link(&origin, typed, &keys.to_text())));
    };
    let copy = move |_| {
        let (Some(text), Some(window)) = (link.get_untracked(), web_sys::window()) else {
            return;
        };
        let _ = window.navigator().clipboard().write_text(&text);
        note.set(Some(
            "Copied. Open it on the new device only; it holds the organisation's keys.".into(),
        ));
    };
    view! {
        <Show when=move || !keyed.get()>
            <section class="card" data-testid="encrypt-organisation">
                <h2>"Encryption"</h2>
                {move || if lacks_keys.get() {
                    view! { <p class="hint">{words::needs_keys()}</p> }.into_any()
                } else {
                    view! {
                        <p class="hint">"This organisation's changes reach the relay unencrypted: it was set up before encryption. Encrypting seals every change from now on with keys only your devices hold; each other device then needs a link from Add a device to read them. What was written before stays as it is."</p>
                        <button type="button" class="primary" disabled=move || busy.get() on:click=encrypt>"Encrypt from now on"</button>
                    }.into_any()
                }}
            </section>
        </Show>
        <section class="card" data-testid="new-device">
            <h2>"Add a device"</h2>
            <p class="hint">"The link sets the new device up with its access token and the keys that keep patient data unreadable to the relay. Send it only to that device, and never by a channel the relay's operator reads."</p>
            <form on:submit=make>
                <label class="field">
                    <span class="label">"The new device's access token"</span>
                    <input name="device_token" type="password" autocomplete="off"
                        prop:value=move || token.get() on:input=move |ev| token.set(event_target_value(&ev)) />
                </label>
                <button type="submit">"Make the link"</button>
            </form>
            <span class="field-error" role="status">{move || note.get()}</span>
            <Show when=move || link.get().is_some()>
                <label class="field">
                    <span class="label">"Link for the new device"</span>
                    <textarea name="device_link" readonly rows="3" prop:value=move || link.get().unwrap_or_default()></textarea>
                </label>
                <button type="button" on:click=copy>"Copy the link"</button>
            </Show>
        </section>
    }
}

/// The organisation's devices, as the relay lists their tokens for a manager's device, with
/// a way to revoke one: it deletes everything it holds at its next contact.
#[component]
pub fn DevicesCard() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let online = Memo::new(move |_| ctx.status.get().state == ConnectionState::Online);
    // Asked again whenever the device (re)connects.
    Effect::new(move |_| {
        if online.get() {
            ctx.driver.with_value(|d| d.list_devices());
        }
    });
    let confirming = RwSignal::new(None::<String>);
    let revoke = move |id: String| {
        confirming.set(None);
        ctx.driver.with_value(|d| d.revoke_device(id));
    };
    view! {
        <section class="card" data-testid="devices">
            <h2>"Devices"</h2>
            {move || match (online.get(), ctx.devices.get()) {
                (false, _) => view! { <p class="hint">"Connect to the network to see this organisation's devices."</p> }.into_any(),
                (true, None) => view! { <p class="loading">"Loading…"</p> }.into_any(),
                (true, Some(d)) if !d.allowed => view! {
                    <p class="hint">"This device's access token cannot manage devices. A manager's device needs a token made with sync-server token create --manage."</p>
                }.into_any(),
                (true, Some(d)) => view! {
                    <ul class="devices" aria-label="Devices">
                        {d.list.into_iter().map(|t| {
                            let (id, label) = (t.id.clone(), device_label(&t.label, &t.id));
                            let asking = {
                                let id = id.clone();
                                move || confirming.get().as_deref() == Some(id.as_str())
                            };
                            let sites = t.sites.clone().map_or("every site".to_string(), |s| format!("sites {s}"));
                            let created = day(t.created_secs);
                            view! {
                                <li data-testid="device-row">
                                    <span class="row-name">{label.clone()}</span>
                                    <span class="row-meta">{format!("{sites} · since {created}")}
                                        {t.this_device.then_some(" · this device")}
                                        {t.manage.then_some(" · manages devices")}</span>
                                    {match t.revoked_secs {
                                        Some(at) => view! { <span class="flag">{format!("Revoked {}", day(at))}</span> }.into_any(),
                                        None if t.this_device => ().into_any(),
                                        None => {
                                            let (ask, yes) = (id.clone(), id.clone());
                                            let label = label.clone();
                                            view! {
                                                <Show when=asking.clone() fallback=move || {
                                                    let ask = ask.clone();
                                                    view! { <button type="button" aria-label=format!("Revoke {label}") on:click=move |_| confirming.set(Some(ask.clone()))>"Revoke"</button> }
                                                }>
                                                    <span class="hint">"It deletes everything it holds at its next contact, edits not yet sent included."</span>
                                                    <button type="button" class="danger" on:click={ let yes = yes.clone(); move |_| revoke(yes.clone()) }>"Revoke now"</button>
                                                    <button type="button" on:click=move |_| confirming.set(None)>"Keep it"</button>
                                                </Show>
                                            }.into_any()
                                        }
                                    }}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}

/// A token's label, or its id when it has none.
fn device_label(label: &str, id: &str) -> String {
    if label.trim().is_empty() {
        format!("Device {id}")
    } else {
        label.to_string()
    }
}

/// A day from seconds since the epoch, as "6 Dec 2026".
fn day(secs: i64) -> String {
    chrono::DateTime::from_timestamp(secs, 0)
        .map(|t| t.format("%-d %b %Y").to_string())
        .unwrap_or_default()
}
