//! What a manager's device and the relay say about the organisation's devices: their
//! tokens, each device's public key, and the content keys wrapped for it. The relay keeps
//! wrapped keys as opaque bytes: only the device they were wrapped for opens them.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::DecodeError;

/// The most wrapped keys one message carries: one per device of an organisation.
pub const MAX_WRAPPED_KEYS: usize = 1000;

/// The largest wrapped key, in bytes: a keyring of a few hundred epochs.
pub const MAX_WRAPPED_KEY_BYTES: usize = 32 * 1024;

/// How many hex digits of a token's SHA-256 make its public id.
const TOKEN_ID_HEX_DIGITS: usize = 12;

/// A token's public id: the first hex digits of its SHA-256, as the relay lists it. A
/// device works out its own from its token.
pub fn token_id(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    let mut id: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    id.truncate(TOKEN_ID_HEX_DIGITS);
    id
}

/// One device token of the organisation, as a manager's device lists it: never its secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceToken {
    /// The public id `token revoke` and [`crate::ClientMessage::RevokeDevice`] take.
    pub id: String,
    pub label: String,
    /// The sites it may sync, joined by commas; `None` for all.
    pub sites: Option<String>,
    /// Seconds since the epoch.
    pub created_secs: i64,
    pub revoked_secs: Option<i64>,
    /// It may list and revoke tokens.
    pub manage: bool,
    /// It is the token of the connection that asked.
    pub this_device: bool,
    /// The public keys of the devices that use it, oldest first: one, unless the token
    /// was opened on several devices.
    pub enrolments: Vec<Enrolment>,
}

/// A device's public key as it sent it with [`crate::ClientMessage::Enrol`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enrolment {
    pub public: [u8; 32],
    /// The newest epoch of content keys wrapped for it, if any.
    pub key_epoch: Option<u32>,
    /// 0 for a proof made with a link's enrolment secret, else the content key's epoch.
    pub epoch: u32,
    pub proof: [u8; 32],
    /// The device's own name (its `Hello`).
    pub name: String,
    /// Seconds since the epoch.
    pub enrolled_secs: i64,
}

/// The organisation's content keys up to `epoch`, wrapped for one device of one token.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WrappedKey {
    /// The public id of the token whose device may open it.
    pub token: String,
    /// The public key of that device.
    pub public: [u8; 32],
    pub epoch: u32,
    pub blob: Vec<u8>,
}

impl std::fmt::Debug for WrappedKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "WrappedKey {{ token: {:?}, epoch: {}, {} bytes }}",
            self.token,
            self.epoch,
            self.blob.len()
        )
    }
}

/// The limits of a list of wrapped keys.
pub(crate) fn check_keys(keys: &[WrappedKey]) -> Result<(), DecodeError> {
    if keys.len() > MAX_WRAPPED_KEYS {
        return Err(DecodeError::FieldTooLong("keys"));
    }
    if keys
        .iter()
        .any(|k| k.blob.len() > MAX_WRAPPED_KEY_BYTES || k.token.len() > 64)
    {
        return Err(DecodeError::FieldTooLong("wrapped key"));
    }
    Ok(())
}
