//! The organisation's keys on this device: read from storage at start, adopted when the
//! organisation is started here or a link brings them, and handed to the replica, which
//! seals and opens with them (`sync_engine::seal`).

use sync_engine::seal::Keyring;

use super::{Driver, Notice};
use crate::platform::idb::{Store, StoreError};
use crate::platform::random_bytes;

/// The name the keyring is stored under in the device's settings.
pub const KEYRING: &str = "keyring";

impl Driver {
    /// The keys this device seals and opens with, if it has been given them.
    pub fn keyring(&self) -> Option<Keyring> {
        self.0.borrow().replica.keyring().cloned()
    }

    /// Stores `keyring` and seals every edit from now on with it. Stored first: a device
    /// that sealed edits with a key it then lost could never read them again.
    pub async fn adopt_keyring(&self, keyring: Keyring) -> Result<(), StoreError> {
        if self.0.borrow().wiped {
            return Err(StoreError::from_text("this device is being wiped"));
        }
        let store = self.0.borrow().store.clone();
        store.set_meta(KEYRING, &keyring.to_text()).await?;
        self.0
            .borrow_mut()
            .replica
            .set_keyring(keyring, random_bytes());
        Ok(())
    }

    /// Whether `doc` holds changes sealed with a key this device has not been given.
    pub fn waits_for_key(&self, doc: &protocol::DocId) -> bool {
        self.0.borrow().replica.waits_for_key(doc)
    }
}

/// The keyring stored on this device, if any. One that is stored but cannot be read (a
/// damaged record, storage failing) is reported and is an error: the device must then not
/// edit at all, or its edits would leave it unsealed. Sealed changes wait, stored.
pub(super) async fn stored_keyring(
    store: &Store,
    notify: &dyn Fn(Notice),
) -> Result<Option<Keyring>, ()> {
    let text = match store.meta(KEYRING).await {
        Ok(None) => return Ok(None),
        Ok(Some(text)) => text,
        Err(e) => {
            notify(Notice::Problem(e.to_string()));
            return Err(());
        }
    };
    Keyring::parse(&text).map(Some).map_err(|e| {
        notify(Notice::Problem(format!(
            "The organisation keys stored on this device could not be read ({e}), so it makes no edits. Open the link for this device again from a manager's device."
        )))
    })
}
