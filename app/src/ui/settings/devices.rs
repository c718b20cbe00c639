//! Adding a device: a manager pastes the access token made for it (`sync-server token
//! create`) and gets the link to open on the new device. The link carries the token and a
//! one-time enrolment secret in the address's fragment, which a browser never sends to the
//! relay. The new device sends its public key with a proof made with that secret; it then
//! shows under Devices, where this device (which kept the secret) approves it and wraps the
//! organisation's keys for it. The relay sees neither the keys nor anything they seal.
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

/// The link that sets a new device up: this app's address with the token and, when the
/// organisation has keys, the enrolment secret in the fragment.
fn device_link(origin: &str, token: &str, secret: Option<&str>) -> String {
    match secret {
        Some(secret) => format!("{origin}/#token={token}&enrol={secret}"),
        None => format!("{origin}/#token={token}"),
    }
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
        let driver = ctx.driver.get_value();
        if driver.keyring().is_none() && lacks_keys.get_untracked() {
            note.set(Some("This device has not been given the organisation's keys, so it cannot pass them on. Add the device from one that has them.".into()));
            return;
        }
        let origin = web_sys::window()
            .and_then(|w| w.location().origin().ok())
            .unwrap_or_default();
        note.set(None);
        let typed = typed.to_string();
        spawn_local(async move {
            // An organisation from before encryption has no keys to hand on: the token only.
            let secret = match driver.keyring() {
                None => None,
                Some(_) => {
                    match driver.make_link_secret().await {
                        Ok(secret) => Some(secret),
                        Err(e) => {
                            note.set(Some(format!("The link could not be made: this device could not remember it ({e}).")));
                            return;
                        }
                    }
                }
            };
            link.set(Some(device_link(&origin, &typed, secret.as_deref())));
        });
    };
    let copy = move |_| {
        let (Some(text), Some(window)) = (link.get_untracked(), web_sys::window()) else {
            return;
        };
        let _ = window.navigator().clipboard().write_text(&text);
        note.set(Some(
            "Copied. Open it on the new device only, then approve that device under Devices on this device.".into(),
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
            <p class="hint">"The link sets the new device up with its access token. Once it is open there, the device shows under Devices below, asking for the keys that keep patient data unreadable to the relay: approve it there, on this device, which made the link. Send the link only to that device."</p>
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
    // Asked again whenever the device (re)connects, and every few seconds while shown, so
    // that a new device asking for the keys appears without a reload.
    Effect::new(move |_| {
        if online.get() {
            ctx.driver.with_value(|d| d.list_devices());
        }
    });
    if let Ok(handle) = set_interval_with_handle(
        move || {
            if online.get_untracked() {
                ctx.driver.with_value(|d| d.list_devices());
            }
        },
        std::time::Duration::from_secs(3),
    ) {
        on_cleanup(move || handle.clear());
    }
    let confirming = RwSignal::new(None::<String>);
    let approve = move |token: protocol::DeviceToken| {
        match ctx.driver.with_value(|d| d.approve_device(&token)) {
            Ok(()) => {}
            Err(sync_engine::custody::Refusal::OpenedTwice) => ctx.report("This device's link was opened on more than one device, so neither is given the keys. Revoke its token, make a new one and a new link, and open that on the device only."),
            Err(sync_engine::custody::Refusal::NotThisLink) => ctx.report("This device could not approve it: its link was not made here, or its proof does not check. Make a new link for it."),
        }
    };
    let revoke = move |id: String| {
        confirming.set(None);
        ctx.driver.with_value(|d| d.revoke_device(id));
    };
    view! {
        <section class="card" data-testid="devices">
            <h2>"Devices"</h2>
            // Read again with each list: a rotation is followed by one.
            {move || {
                ctx.devices.track();
                let behind = ctx.devices.get().is_some_and(|d| d.behind);
                ctx.driver.with_value(|d| d.keyring()).map(|k| view! {
                    <p class="hint" data-testid="key-epoch">{words::key_epoch(k.epoch())}</p>
                    {behind.then(|| view! { <p class="hint" role="status" data-testid="keys-behind">{words::keys_behind()}</p> })}
                })
            }}
            {move || match (online.get(), ctx.devices.get()) {
                (false, _) => view! { <p class="hint">"Connect to the network to see this organisation's devices."</p> }.into_any(),
                (true, None) => view! { <p class="loading">"Loading…"</p> }.into_any(),
                (true, Some(d)) if !d.allowed => view! {
                    <p class="hint">"This device's access token cannot manage devices. A manager's device needs a token made with sync-server token create --manage."</p>
                }.into_any(),
                (true, Some(d)) => view! {
                    <ul class="devices" aria-label="Devices">
                        {d.list.into_iter().map(|t| {
                            let keys = keys_state(&t, d.approvable.contains(&t.id));
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
                                        {t.manage.then_some(" · manages devices")}
                                        {device_names(&t)}</span>
                                    <span class="row-meta" data-testid="device-keys">{keys.say()}</span>
                                    {(keys == Keys::AsksHere && t.revoked_secs.is_none()).then(|| {
                                        // Named as the device that asks named itself.
                                        let asking = t.enrolments.iter()
                                            .find(|e| e.epoch == 0 && e.key_epoch.is_none())
                                            .map_or(label.clone(), |e| e.name.clone());
                                        let token = t.clone();
                                        view! { <button type="button" class="primary" aria-label=format!("Approve {asking}") on:click=move |_| approve(token.clone())>"Approve"</button> }
                                    })}
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

/// Where a device stands with the organisation's keys.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Keys {
    NotSetUp,
    /// It opened a link made on this device: this device approves it.
    AsksHere,
    /// It opened a link made on another manager's device.
    AsksElsewhere,
    Holds,
}

impl Keys {
    fn say(self) -> &'static str {
        match self {
            Keys::NotSetUp => "Not opened yet",
            Keys::AsksHere => "Asks for the keys: its link was made on this device",
            Keys::AsksElsewhere => "Asks for the keys: approve it on the device that made its link",
            Keys::Holds => "Has the keys",
        }
    }
}

/// A token's devices, together: one asking here comes first, then one asking elsewhere.
fn keys_state(token: &protocol::DeviceToken, approvable: bool) -> Keys {
    let asks = token
        .enrolments
        .iter()
        .any(|e| e.epoch == 0 && e.key_epoch.is_none());
    match (approvable, asks, token.enrolments.is_empty()) {
        (true, _, _) => Keys::AsksHere,
        (false, true, _) => Keys::AsksElsewhere,
        (false, false, true) => Keys::NotSetUp,
        (false, false, false) => Keys::Holds,
    }
}

/// The names the token's devices gave, when they differ from its label.
fn device_names(token: &protocol::DeviceToken) -> String {
    let names: Vec<&str> = token
        .enrolments
        .iter()
        .map(|e| e.name.as_str())
        .filter(|n| *n != token.label)
        .collect();
    if names.is_empty() {
        String::new()
    } else {
        format!(" · opened on {}", names.join(", "))
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
