//! Revocation: a manager's device asking the relay to revoke another device's token, and the
//! relay's order to wipe when it is this device's: its access was revoked, so it deletes everything it
//! holds of the organisation (IndexedDB, the app's caches, the keys) and starts again at the
//! set-up screen, which says why.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::{Driver, Notice};
use crate::platform::now_ms;
use model::DocumentError;

impl Driver {
    /// Asks the relay for the organisation's device tokens (answered with
    /// [`Notice::Devices`]); nothing happens while offline.
    pub fn list_devices(&self) {
        self.feed(sync_engine::Event::ListDevices);
    }

    /// Asks the relay to revoke the organisation's token `id`: its device wipes itself at
    /// its next contact. The new list follows.
    pub fn revoke_device(&self, id: String) {
        self.feed(sync_engine::Event::RevokeDevice { id });
    }

    /// Refuses an edit once the device is being wiped, or while its stored keys cannot be
    /// read (the edit would leave the device unsealed).
    pub(super) fn refuse_if_blocked(&self) -> Result<(), DocumentError> {
        let state = self.0.borrow();
        if state.wiped {
            return Err(DocumentError::Write(
                "this device's access was revoked; what it held is being deleted".into(),
            ));
        }
        if state.keys_unusable {
            return Err(DocumentError::Write(
                "the organisation keys stored on this device could not be read; open the link for this device again".into(),
            ));
        }
        Ok(())
    }

    /// Stops syncing, deletes what the device holds, and reloads the app.
    pub(super) fn wipe(&self) {
        let (store, notify) = {
            let mut state = self.0.borrow_mut();
            if let Some(socket) = state.socket.take() {
                socket.close();
            }
            state.wiped = true;
            (state.store.clone(), state.notify.clone())
        };
        wasm_bindgen_futures::spawn_local(async move {
            let note = now_ms().to_string();
            if let Err(e) = store.wipe(&note).await {
                notify(Notice::Problem(e.to_string()));
            }
            delete_caches().await;
            if let Some(window) = web_sys::window() {
                let _ = window.location().reload();
            }
        });
    }
}

/// Deletes every cache of the app's origin (the service worker's copy of the app shell).
async fn delete_caches() {
    let Some(caches) = web_sys::window().and_then(|w| w.caches().ok()) else {
        return;
    };
    let Ok(names) = JsFuture::from(caches.keys()).await else {
        return;
    };
    let names: js_sys::Array = names.unchecked_into();
    for name in names.iter().filter_map(|n| n.as_string()) {
        let _ = JsFuture::from(caches.delete(&name)).await;
    }
}
