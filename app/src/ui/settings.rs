//! Settings: this device (its name, storage, sync and waiting threshold), the
//! organisation's directory as the manager edits it (the practice's currency, sites, their
//! holidays and closures,
//! rooms, providers, appointment
//! types, staff, what the roster is planned against), the demo clinic, and this device's
//! access.
//!
//! Every card reads the directory through one [`directory_memo`], so what it lists is what
//! the document holds now, including a colleague's edit that just arrived; only the text
//! being typed into a form lives here.

mod calls;
mod closures;
pub(crate) mod controls;
pub(crate) mod demo;
pub mod devices;
pub(crate) mod fields;
mod hours;
pub mod practice;
mod providers;
mod rooms;
mod roster;
mod sign_ins;
mod sites;
pub(crate) mod staff;
mod types;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::platform::idb::Store;
use crate::ui::lock::{self, Locking};
use crate::ui::{directory_memo, Ctx, DATABASE};
use fields::{parse_minutes, parse_whole, Field, TextField};
use model::access::lockout::MAX_OFFLINE_DAYS;
use model::access::Action;

/// The waiting threshold a desk may choose, in minutes.
const WAIT_THRESHOLD_MINUTES: std::ops::RangeInclusive<u32> = 1..=120;

#[component]
pub fn Settings() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let directory = directory_memo(ctx);
    // A new organisation meets the demo clinic first, and the card stays there to say what
    // it added; otherwise it waits at the end.
    let added = RwSignal::new(None::<String>);
    let first = Memo::new(move |_| directory.with(::demo::is_empty) || added.with(Option::is_some));
    view! {
        <div class="settings">
            <Show when=move || first.get()>
                <demo::DemoCard directory=directory added=added />
            </Show>
            <DeviceCard />
            <practice::PracticeCard directory=directory />
            <sites::SitesCard directory=directory />
            <closures::ClosuresCard directory=directory />
            <calls::CallsCard directory=directory />
            <rooms::RoomsCard directory=directory />
            <providers::ProvidersCard directory=directory />
            <types::TypesCard directory=directory />
            <staff::StaffCard directory=directory />
            <Show when=move || ctx.may(Action::ManagePeople)>
                <sign_ins::SignInsCard directory=directory />
                <devices::NewDeviceCard />
                <devices::DevicesCard />
            </Show>
            <roster::RosterCard directory=directory />
            <Show when=move || !first.get()>
                <demo::DemoCard directory=directory added=added />
            </Show>
            <AccessCard />
        </div>
    }
}

/// What belongs to this device alone: its name, whether the browser keeps its data, how
/// its sync stands, and how long a wait may last before the desk's list highlights it.
#[component]
fn DeviceCard() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let persisted = move || {
        match ctx.persisted.get() {
        None => "Asking the browser…",
        Some(true) => "Granted: the browser keeps this device's data.",
        Some(false) => "Not granted: the browser may clear data when space runs low. Install the app to the home screen to help.",
    }
    };
    let threshold = Field::new(ctx.wait_threshold.get_untracked().to_string());
    let saved = RwSignal::new(false);
    let save_threshold = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let Some(minutes) =
            threshold.check(parse_minutes(&threshold.text(), WAIT_THRESHOLD_MINUTES))
        else {
            return;
        };
        ctx.wait_threshold.set(i64::from(minutes));
        ctx.remember("wait_threshold", minutes.to_string());
        saved.set(true);
    };
    view! {
        <section class="card" data-testid="device-card">
            <h2>"This device"</h2>
            <p>"Name: " <strong data-testid="device-name">{move || ctx.driver.with_value(|d| d.device())}</strong></p>
            <p>"Persistent storage: " <span data-testid="persist-status">{persisted}</span></p>
            <p>"Sync: " {move || ctx.status.get().summary()}</p>
            <form on:submit=save_threshold>
                <TextField label="Highlight a wait after (minutes)" name="wait-threshold"
                    field=threshold kind="number" />
                <button class="primary" type="submit" data-testid="save-wait-threshold">"Save"</button>
            </form>
            <Show when=move || saved.get()>
                <p class="saved" data-testid="wait-threshold-saved">"Saved on this device."</p>
            </Show>
            <LockingForm />
        </section>
    }
}

/// How soon this device locks itself, and whether it is one person's own.
#[component]
fn LockingForm() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let start = ctx.locking.get_untracked();
    let minutes = Field::new(start.idle_minutes.to_string());
    let personal = RwSignal::new(start.personal);
    let days = Field::new(start.offline_days.to_string());
    let saved = RwSignal::new(false);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let own = personal.get();
        let Some(idle) = minutes.check(parse_minutes(
            &minutes.text(),
            1..=Locking::max_minutes(own),
        )) else {
            return;
        };
        let Some(away) = days.check(parse_whole(&days.text(), 1..=MAX_OFFLINE_DAYS, "days")) else {
            return;
        };
        ctx.locking.set(Locking {
            idle_minutes: idle,
            personal: own,
            offline_days: away,
        });
        ctx.remember("idle_minutes", idle.to_string());
        ctx.remember("personal", if own { "yes" } else { "no" }.into());
        ctx.remember("offline_days", away.to_string());
        saved.set(true);
    };
    view! {
        <form on:submit=save>
            <TextField label="Lock after this many idle minutes" name="idle-minutes" field=minutes kind="number" />
            <label class="field inline">
                <input type="checkbox" name="personal-device" prop:checked=move || personal.get()
                    on:change=move |ev| personal.set(event_target_checked(&ev)) />
                <span class="label">{format!(
                    "One person's own device (up to {} minutes; shared tablets at most {}, and they lock when hidden)",
                    lock::MAX_PERSONAL_IDLE_MINUTES, lock::MAX_SHARED_IDLE_MINUTES
                )}</span>
            </label>
            <TextField label="Lock its data after this many days without reaching the relay" name="offline-days" field=days kind="number" />
            <button class="primary" type="submit" data-testid="save-locking">"Save"</button>
            <Show when=move || saved.get()>
                <p class="saved" data-testid="locking-saved">"Saved on this device."</p>
            </Show>
        </form>
    }
}

/// Replaces this device's access token, for when the manager revoked the old one.
#[component]
fn AccessCard() -> impl IntoView {
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
    view! {
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
    }
}
