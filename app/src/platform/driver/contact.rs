//! When this device last reached the relay, kept across restarts: a device away for longer
//! than its set number of days keeps its data locked until it is back
//! (`model::access::lockout::away_too_long`); and when it last synced, which the sync
//! status shows after a reload as before it.

use super::{Driver, Notice};
use crate::platform::idb::Store;
use crate::platform::now_ms;

/// The setting that holds the time of the last contact, in ms since the epoch.
const LAST_CONTACT: &str = "last_contact";
/// The setting that holds the time of the last successful sync, in ms since the epoch.
const LAST_SYNC: &str = "last_sync";
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

impl Driver {
    /// Keeps the last successful sync when its minute changes: the status shows minutes.
    pub(super) fn keep_last_sync(&self, at: Option<i64>) {
        let Some(at) = at else { return };
        let (store, notify) = {
            let mut s = self.0.borrow_mut();
            // Whenever the minute differs, earlier too: a clock once set ahead must not
            // leave a time in the future for good.
            if s.last_sync.is_some_and(|kept| kept / 60_000 == at / 60_000) {
                return;
            }
            s.last_sync = Some(at);
            (s.store.clone(), s.notify.clone())
        };
        wasm_bindgen_futures::spawn_local(async move {
            if let Err(e) = store.set_meta(LAST_SYNC, &at.to_string()).await {
                notify(Notice::Problem(e.to_string()));
            }
        });
    }
}

/// The last successful sync stored on this device; none on a device that never synced,
/// or whose record does not read (it is then written afresh at the next sync).
pub(super) async fn stored_last_sync(store: &Store) -> Option<i64> {
    store.meta(LAST_SYNC).await.ok().flatten()?.parse().ok()
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
