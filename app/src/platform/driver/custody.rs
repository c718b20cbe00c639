//! The organisation's keys between this device and the others (`sync_engine::custody`
//! decides; this carries it out): this device's own key pair, the enrolment secret of the
//! link that set it up, the secrets of the links it made, fetching the keys wrapped for it,
//! and, on a manager's device, approving, catching up and rotating.
//!
//! Each time the relay welcomes the device, it sends its public key (`Enrol`), asks for
//! its wrapped keys and for the organisation's devices (a token that may not manage them
//! gets an empty list). A device still waiting for keys asks again after 3 s, doubling up to
//! a minute, until they come.

use std::cell::Cell;

use gloo::timers::callback::Timeout;
use protocol::{ClientMessage, DeviceToken, WrappedKey};
use sync_engine::custody;
use sync_engine::seal::wrap::DeviceKey;
use sync_engine::seal::{open_any, Keyring};
use sync_engine::Event;

use super::{Driver, Notice};
use crate::platform::idb::Store;
use crate::platform::{now_ms, random_bytes};

/// The settings names this module keeps on the device.
const DEVICE_KEY: &str = "device_key";
/// The enrolment secret of the link that set this device up, until its keys come.
pub const LINK_SECRET: &str = "link_secret";
/// The secrets of links this device made, each `{hex}:{ms}`, comma-separated.
const MADE_LINKS: &str = "made_links";
/// How long a link made here can be approved: as long as a set-up code is valid.
const LINK_VALID_MS: i64 = 3 * 24 * 60 * 60 * 1000;

/// The organisation's device tokens as the relay listed them; `allowed` is false when this
/// device's token may not manage them.
#[derive(Clone, Debug, PartialEq)]
pub struct Devices {
    pub allowed: bool,
    pub list: Vec<protocol::DeviceToken>,
    /// The tokens whose devices opened a link made on this device and wait for approval.
    pub approvable: Vec<String>,
    /// The relay holds newer keys than this device: it neither approves nor renews keys
    /// until a manager's device that has them wraps them for it.
    pub behind: bool,
}

/// What the driver keeps of custody.
pub(super) struct Custody {
    /// `None` when it could neither be read nor stored: nothing is enrolled then.
    device: Option<DeviceKey>,
    /// The public id of this device's token.
    token_id: String,
    link_secret: Option<[u8; 16]>,
    made_links: Vec<([u8; 16], i64)>,
    /// A new epoch made here, adopted once the relay stored it.
    rotated: Option<Keyring>,
    /// The next wait before asking for keys again, in ms.
    retry_ms: Cell<u32>,
    /// A timer to ask for keys again is set: one at a time.
    retry_set: Cell<bool>,
    /// Whether the relay had welcomed the device at the last status.
    online: Cell<bool>,
    /// The relay refused keys it posted as older than the newest: it waits for newer ones.
    behind: bool,
}

/// The secrets of the links a device made, as stored: `{hex}:{ms}`, comma-separated.
fn made_links_text(links: &[([u8; 16], i64)]) -> String {
    links
        .iter()
        .map(|(s, at)| format!("{}:{at}", hex::encode(s)))
        .collect::<Vec<_>>()
        .join(",")
}

fn secret_from_hex(text: &str) -> Option<[u8; 16]> {
    hex::decode(text.trim()).ok()?.try_into().ok()
}

impl Custody {
    /// Reads this device's key pair (making and storing one the first time) and secrets.
    pub(super) async fn load(store: &Store, token: &str, notify: &dyn Fn(Notice)) -> Self {
        let device = match store.meta(DEVICE_KEY).await {
            Ok(Some(text)) => DeviceKey::parse(&text).ok(),
            Ok(None) => {
                let key = DeviceKey::from_random(random_bytes());
                store
                    .set_meta(DEVICE_KEY, &key.to_text())
                    .await
                    .ok()
                    .map(|()| key)
            }
            Err(_) => None,
        };
        if device.is_none() {
            notify(Notice::Problem("This device's own key could not be read or stored, so it cannot be given the organisation's keys. Reload the app; if this stays, set the device up again.".into()));
        }
        let link_secret = match store.meta(LINK_SECRET).await.ok().flatten() {
            Some(text) => {
                let secret = secret_from_hex(&text);
                if secret.is_none() {
                    notify(Notice::Problem("The link that set this device up is damaged, so a manager cannot approve it. Ask for a new link.".into()));
                }
                secret
            }
            None => None,
        };
        let made = store
            .meta(MADE_LINKS)
            .await
            .ok()
            .flatten()
            .unwrap_or_default();
        let made_links = made
            .split(',')
            .filter_map(|item| {
                let (secret, at) = item.split_once(':')?;
                Some((secret_from_hex(secret)?, at.parse().ok()?))
            })
            .filter(|(_, at)| now_ms() - at < LINK_VALID_MS)
            .collect();
        Self {
            device,
            token_id: protocol::token_id(token),
            link_secret,
            made_links,
            rotated: None,
            retry_ms: Cell::new(3_000),
            retry_set: Cell::new(false),
            online: Cell::new(false),
            behind: false,
        }
    }
}

impl Driver {
    /// A new status: when the relay has just welcomed this device, it sends its key, and
    /// asks for its keys and for the organisation's devices.
    pub(super) fn online_now(&self, online: bool) {
        let was = self.0.borrow().custody.online.replace(online);
        if online && !was {
            self.welcomed();
        }
        // A rotation whose answer was lost with the connection is planned again (a new key)
        // at the next listing; the relay stores only one of the two.
        if !online && was {
            self.0.borrow_mut().custody.rotated = None;
        }
    }

    fn welcomed(&self) {
        self.0.borrow().custody.retry_ms.set(3_000);
        self.enrol();
        self.fetch_keys();
        self.feed(Event::ListDevices);
    }

    pub(super) fn fetch_keys(&self) {
        let public = self
            .0
            .borrow()
            .custody
            .device
            .as_ref()
            .map(DeviceKey::public);
        if let Some(public) = public {
            self.feed(Event::Ask(ClientMessage::FetchKeys { public }));
        }
    }

    fn enrol(&self) {
        let message = {
            let state = self.0.borrow();
            let c = &state.custody;
            c.device.as_ref().and_then(|device| {
                custody::enrol(
                    device,
                    &c.token_id,
                    state.replica.device(),
                    state.replica.keyring(),
                    c.link_secret.as_ref(),
                )
            })
        };
        if let Some(message) = message {
            self.feed(Event::Ask(message));
        }
    }

    /// Asks for keys again later, while some are missing: none at all, or a document waits.
    pub(super) fn ask_for_keys_later(&self) {
        let delay = {
            let state = self.0.borrow();
            let missing = state.replica.keyring().is_none() && state.custody.link_secret.is_some()
                || !state.replica.waiting_for_key().is_empty();
            if !missing {
                return;
            }
            if state.custody.retry_set.replace(true) {
                return;
            }
            let delay = state.custody.retry_ms.get();
            state.custody.retry_ms.set((delay * 2).min(60_000));
            delay
        };
        let driver = self.clone();
        Timeout::new(delay, move || {
            driver.0.borrow().custody.retry_set.set(false);
            driver.fetch_keys();
        })
        .forget();
    }

    /// The keys the relay holds for this device: adopted when they add to what it holds,
    /// then every document waiting for them is opened, and the device vouches for itself.
    pub(super) fn keys_arrived(&self, keys: Vec<WrappedKey>) {
        let (got, errors, notify) = {
            let state = self.0.borrow();
            let Some(device) = &state.custody.device else {
                return;
            };
            let link = state.custody.link_secret.as_ref();
            let (got, errors) = custody::receive(device, state.replica.keyring(), link, &keys);
            (got, errors, state.notify.clone())
        };
        for e in errors {
            notify(Notice::Problem(format!(
                "Keys the relay sent for this device were set aside: {e}."
            )));
        }
        let Some(keyring) = got else {
            self.ask_for_keys_later();
            return;
        };
        let driver = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            if let Err(e) = driver.adopt_keyring(keyring).await {
                notify(Notice::Problem(crate::words::keys_not_stored(&e)));
                return;
            }
            let store = driver.0.borrow().store.clone();
            driver.0.borrow_mut().custody.behind = false;
            if driver.0.borrow_mut().custody.link_secret.take().is_some() {
                let _ = store.delete_meta(LINK_SECRET).await;
            }
            driver.unseal_waiting().await;
            driver.enrol();
            driver.feed(Event::ListDevices);
        });
    }

    /// Opens, with keys that just came, the stored records each waiting document held back.
    async fn unseal_waiting(&self) {
        let docs = self.0.borrow().replica.waiting_for_key();
        for doc in docs {
            let (store, keyring, notify) = {
                let state = self.0.borrow();
                let keyring = state.replica.keyring().cloned();
                (state.store.clone(), keyring, state.notify.clone())
            };
            let saved = match store.load(&doc).await {
                Ok(Some(saved)) => saved,
                Ok(None) => continue,
                Err(e) => {
                    notify(Notice::Problem(e.to_string()));
                    continue;
                }
            };
            let records = saved.snapshot.iter().chain(&saved.increments);
            let mut still_waiting = 0;
            {
                let mut state = self.0.borrow_mut();
                let Some(document) = state.replica.doc_mut(&doc) else {
                    continue;
                };
                for bytes in records {
                    match open_any(keyring.as_ref(), &doc, bytes) {
                        Ok(plain) => {
                            if let Err(e) = document.apply(&plain) {
                                notify(Notice::Problem(format!("{doc}: {e}")));
                            }
                        }
                        Err(_) => still_waiting += 1,
                    }
                }
                if still_waiting == 0 {
                    state.replica.unsealed(&doc);
                }
            }
            notify(Notice::Changed(doc));
        }
    }

    /// The organisation's devices, as the relay listed them: a manager's device holding the
    /// keys rotates or catches holders up, and the views hear of the list.
    pub(super) fn devices_listed(&self, allowed: bool, list: Vec<DeviceToken>, rotate: bool) {
        let (post, migration, notify, approvable, behind) = {
            let mut state = self.0.borrow_mut();
            // Nothing is planned while a rotation waits for the relay's answer, or while the
            // relay holds newer keys than this device (its rotation would reuse an epoch).
            let plan = match (allowed, state.replica.keyring(), &state.custody.rotated) {
                (true, Some(keyring), None) if !state.custody.behind => {
                    custody::plan(keyring, &list, rotate, random_bytes)
                }
                _ => custody::Plan::default(),
            };
            // A manager's device replaces the plain entries from before the keys.
            let migration = if allowed && !state.custody.behind {
                state.replica.migration_snapshots()
            } else {
                Vec::new()
            };
            // A rotation waiting for the relay's answer stays until it comes.
            if plan.rotated.is_some() {
                state.custody.rotated = plan.rotated;
            }
            let approvable = list
                .iter()
                .filter(|t| {
                    t.enrolments.iter().any(|e| {
                        state
                            .custody
                            .made_links
                            .iter()
                            .any(|(secret, _)| custody::opened_link(secret, t, e))
                    })
                })
                .map(|t| t.id.clone())
                .collect();
            (
                plan.post,
                migration,
                state.notify.clone(),
                approvable,
                state.custody.behind,
            )
        };
        notify(Notice::Devices(Devices {
            allowed,
            list,
            approvable,
            behind,
        }));
        for message in post.into_iter().chain(migration) {
            self.feed(Event::Ask(message));
        }
    }

    /// The relay's answer to keys this device posted.
    pub(super) fn keys_stored(&self, epoch: u32, stored: bool) {
        let rotated = {
            let mut state = self.0.borrow_mut();
            let matches = state
                .custody
                .rotated
                .as_ref()
                .is_some_and(|r| r.epoch() == epoch);
            matches.then(|| state.custody.rotated.take()).flatten()
        };
        match (rotated, stored) {
            (Some(keyring), true) => {
                let driver = self.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    if let Err(e) = driver.adopt_keyring(keyring).await {
                        let notify = driver.0.borrow().notify.clone();
                        notify(Notice::Problem(crate::words::keys_not_stored(&e)));
                    }
                    driver.enrol();
                    driver.feed(Event::ListDevices);
                });
            }
            (_, true) => self.feed(Event::ListDevices),
            // Another manager's device rotated first, or this one's keys are behind: it asks
            // for the keys the relay holds for it, and lists again only once new ones came
            // (listing now would post the same old keys again, and again).
            (_, false) => {
                self.0.borrow_mut().custody.behind = true;
                self.fetch_keys();
            }
        }
    }

    /// A new link's one-time enrolment secret, as hex, remembered on this device so that it
    /// can approve the device that opens the link.
    pub async fn make_link_secret(&self) -> Result<String, crate::platform::idb::StoreError> {
        let secret: [u8; 16] = random_bytes();
        let (store, text) = {
            let mut state = self.0.borrow_mut();
            state.custody.made_links.push((secret, now_ms()));
            (
                state.store.clone(),
                made_links_text(&state.custody.made_links),
            )
        };
        store.set_meta(MADE_LINKS, &text).await?;
        Ok(hex::encode(secret))
    }

    /// Wraps the organisation's keys for the one device of `token` that opened a link made
    /// here, and forgets the link's secret (a link approves once). Nothing is sent when no
    /// link made here proves its key, or when the link was opened on two devices.
    pub fn approve_device(&self, token: &DeviceToken) -> Result<(), custody::Refusal> {
        let (post, secret) = {
            let state = self.0.borrow();
            let keyring = state
                .replica
                .keyring()
                .ok_or(custody::Refusal::NotThisLink)?;
            let mut refusal = custody::Refusal::NotThisLink;
            let mut approved = None;
            for (secret, _) in &state.custody.made_links {
                match custody::approve(keyring, token, secret, random_bytes()) {
                    Ok(post) => {
                        approved = Some((post, *secret));
                        break;
                    }
                    Err(custody::Refusal::OpenedTwice) => refusal = custody::Refusal::OpenedTwice,
                    Err(custody::Refusal::NotThisLink) => {}
                }
            }
            approved.ok_or(refusal)?
        };
        self.feed(Event::Ask(post));
        let (store, text) = {
            let mut state = self.0.borrow_mut();
            state.custody.made_links.retain(|(s, _)| *s != secret);
            (
                state.store.clone(),
                made_links_text(&state.custody.made_links),
            )
        };
        wasm_bindgen_futures::spawn_local(async move {
            let _ = store.set_meta(MADE_LINKS, &text).await;
        });
        Ok(())
    }

    /// Whether this device waits for a manager to approve it: it opened a link and has no
    /// keys yet.
    pub fn awaits_approval(&self) -> bool {
        let state = self.0.borrow();
        state.replica.keyring().is_none() && state.custody.link_secret.is_some()
    }
}
