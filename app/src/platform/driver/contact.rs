//! When this device last reached the relay, kept across restarts: a device away for longer
//! than its set number of days keeps its data locked until it is back
//! (`model::access::lockout::away_too_long`).

use super::{Driver, Notice};
use crate::platform::idb::Store;
use crate::platform::now_ms;

/// The setting that holds the time of the last contact, in ms since the epoch.
const LAST_CONTACT: &str = "last_contact";
/// The stored time is written at most this often while the device stays connected.
const WRITE_EVERY_MS: i64 = 60_000;

impl Driver {
    /// When this device last heard from the relay while welcomed, in ms since the epoch.
    pub fn last_contact_ms(&self) -> Option<i64> {
        self.0.borrow().last_contact
    }

    /// Notes a contact with the relay, which has welcomed the device.
    pub(super) fn note_contact(&self) {
        let now = now_ms();
        let (store, notify, write) = {
            let mut s = self.0.borrow_mut();
            let write = s
                .last_contact
                .is_none_or(|last| now - last >= WRITE_EVERY_MS);
            s.last_contact = Some(now);
            (s.store.clone(), s.notify.clone(), write)
        };
        if write {
            wasm_bindgen_futures::spawn_local(async move {
                if let Err(e) = store.set_meta(LAST_CONTACT, &now.to_string()).await {
                    notify(Notice::Problem(e.to_string()));
                }
            });
        }
    }
}

/// The last contact stored on this device. A device with none recorded (new, or from a
/// version that kept none) counts from now, so that one kept offline still locks.
pub(super) async fn stored_contact(store: &Store) -> Option<i64> {
    let stored = store.meta(LAST_CONTACT).await.ok().flatten();
    match stored.and_then(|t| t.parse().ok()) {
        Some(at) => Some(at),
        None => {
            let now = now_ms();
            let _ = store.set_meta(LAST_CONTACT, &now.to_string()).await;
            Some(now)
        }
    }
}
