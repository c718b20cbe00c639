//! The wire protocol between a device and the relay: one module, shared by both sides.
//!
//! Every message travels as one binary WebSocket frame: a version byte followed by the
//! message encoded with `postcard`. Decoding untrusted bytes never panics; it returns a
//! [`DecodeError`] that the receiver turns into a clear error for the peer.
//!
//! The relay never looks inside a bundle: `data` is an opaque byte string (an Automerge
//! change chunk today, possibly ciphertext later). This module is compiled without the
//! server's dependencies so that the wasm32 client uses the very same types.

use std::fmt;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

mod devices;
pub use devices::{
    token_id, DeviceToken, Enrolment, WrappedKey, MAX_WRAPPED_KEYS, MAX_WRAPPED_KEY_BYTES,
};

/// The version byte that starts every frame. A peer speaking another version is refused.
///
/// Version 2 added device keys (`Enrol`, `FetchKeys`, `PostKeys`, `Keys`, `KeysStored`, the
/// devices' enrolments and `rotate` in `Devices`) and snapshots (`PushSnapshot`,
/// `Snapshot`, `SnapshotWanted`, `KeysChanged`); version 3 the error code `QuotaExceeded`.
/// A client of an older version still open in a tab is refused with a clear error rather
/// than failing on messages it cannot read, and takes the new version at its next load.
pub const PROTOCOL_VERSION: u8 = 3;

/// The largest frame either side accepts, in bytes.
pub const MAX_MESSAGE_BYTES: usize = 1024 * 1024;

/// The largest bundle a device may push. It leaves room for the frame's own fields so
/// that a bundle of this size always fits in one message.
pub const MAX_BUNDLE_BYTES: usize = MAX_MESSAGE_BYTES - 4 * 1024;

/// The longest document id, in bytes.
pub const MAX_DOC_ID_BYTES: usize = 128;

/// The longest device name, in bytes.
pub const MAX_DEVICE_NAME_BYTES: usize = 64;

/// WebSocket close codes the relay uses, so that a device can tell why it was closed.
pub mod close {
    /// A frame that is not a valid message of this protocol.
    pub const MALFORMED: u16 = 1002;
    /// A message over [`super::MAX_MESSAGE_BYTES`].
    pub const TOO_BIG: u16 = 1009;
    /// The token is unknown or revoked, or a first message that was not `Hello`.
    pub const UNAUTHORISED: u16 = 4001;
    /// A document of another organisation.
    pub const FORBIDDEN: u16 = 4003;
    /// Too many messages in too short a time.
    pub const RATE_LIMITED: u16 = 4029;
    /// The device read too slowly to keep up; it resumes from its cursor.
    pub const TOO_SLOW: u16 = 4008;
    /// Nothing was heard from the device for too long.
    pub const IDLE: u16 = 4000;
    /// The relay failed; the device retries later.
    pub const INTERNAL: u16 = 1011;
    /// The relay is shutting down (WebSocket's "going away"); the device retries later.
    pub const SHUTTING_DOWN: u16 = 1001;
    /// The token was revoked: the device deletes what it holds of the organisation.
    pub const REVOKED: u16 = 4010;
    /// The relay, or the device's token, has as many connections as it allows; the device
    /// retries later.
    pub const BUSY: u16 = 4013;
    /// The organisation's storage on the relay is full (sent with `Refused`, which closes
    /// nothing: the code exists for completeness).
    pub const QUOTA_EXCEEDED: u16 = 4014;
}

/// Names one document of an organisation, for example `schedule/main/2026-11`.
///
/// Lower-case ASCII letters, digits and `-_./:` only, at most [`MAX_DOC_ID_BYTES`] bytes, so
/// that an id is safe to log and to use as a storage key.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DocId(String);

impl DocId {
    pub fn new(id: impl Into<String>) -> Result<Self, DecodeError> {
        let id = id.into();
        let valid_char =
            |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_./:".contains(c);
        if id.is_empty() || id.len() > MAX_DOC_ID_BYTES || !id.chars().all(valid_char) {
            return Err(DecodeError::InvalidDocId);
        }
        Ok(Self(id))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The site a document belongs to, by the ids' convention: the segment after the kind
    /// (`schedule/main/2026-03`, `inventory/main`), or after `board/site/`. Documents of
    /// the whole organisation (`directory`, `board/org`) belong to no site. What a
    /// site-scoped device may sync follows from this alone, so the relay never needs to
    /// know the kinds.
    pub fn site(&self) -> Option<&str> {
        let mut parts = self.0.split('/');
        let site = match (parts.next()?, parts.next()?) {
            ("board", "site") => parts.next()?,
            ("board", _) => return None,
            (_, site) => site,
        };
        (!site.is_empty()).then_some(site)
    }
}

impl TryFrom<String> for DocId {
    type Error = DecodeError;
    fn try_from(id: String) -> Result<Self, Self::Error> {
        Self::new(id)
    }
}

impl From<DocId> for String {
    fn from(id: DocId) -> Self {
        id.0
    }
}

impl fmt::Display for DocId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for DocId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DocId({})", self.0)
    }
}

/// The SHA-256 of a bundle's bytes: its identity. Pushing the same bundle twice is harmless
/// because the relay keeps one entry per hash and document.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct BundleHash(pub [u8; 32]);

impl BundleHash {
    pub fn of(data: &[u8]) -> Self {
        Self(Sha256::digest(data).into())
    }

    pub fn to_hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }
}

impl fmt::Debug for BundleHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A prefix is enough to tell bundles apart in a log line.
        write!(f, "BundleHash({}…)", &self.to_hex()[..12])
    }
}

/// A change bundle a device pushes: opaque bytes and their hash.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bundle {
    pub hash: BundleHash,
    pub data: Vec<u8>,
}

impl Bundle {
    pub fn new(data: Vec<u8>) -> Self {
        Self {
            hash: BundleHash::of(&data),
            data,
        }
    }

    /// Whether `hash` really is the hash of `data`. The relay checks this, so that a device
    /// can never make two different bundles look like one.
    pub fn is_intact(&self) -> bool {
        BundleHash::of(&self.data) == self.hash
    }
}

impl fmt::Debug for Bundle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never the payload: it may hold patient data.
        write!(f, "Bundle({:?}, {} bytes)", self.hash, self.data.len())
    }
}

/// One entry of a document's log on the relay: a bundle and the sequence number the relay
/// gave it. Sequence numbers of a document start at 1 and have no gaps.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub seq: u64,
    pub hash: BundleHash,
    pub data: Vec<u8>,
}

impl fmt::Debug for Entry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Entry(#{}, {:?}, {} bytes)",
            self.seq,
            self.hash,
            self.data.len()
        )
    }
}

/// What a device sends.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClientMessage {
    /// The first message of every connection. The token travels here rather than in the
    /// URL, which ends up in logs.
    Hello { token: String, device: String },
    /// Send me the entries of `doc` after sequence number `after`, then every new one.
    Subscribe { doc: DocId, after: u64 },
    /// Append this bundle to `doc`'s log; the relay answers with [`ServerMessage::Ack`] once
    /// the entry is durable.
    Push { doc: DocId, bundle: Bundle },
    /// List the organisation's device tokens (a managing token only); answered with
    /// [`ServerMessage::Devices`].
    ListDevices,
    /// Revoke the organisation's device token with this public id (a managing token only):
    /// its device wipes itself at its next contact. Answered with the list after it.
    RevokeDevice { id: String },
    /// This device's public key, for the organisation's content keys to be wrapped for it,
    /// stored against the connection's token with the `Hello`'s device name. `proof` is an
    /// HMAC the managers' devices check: keyed with the link's one-time enrolment secret
    /// (`epoch` 0), or, from a device that holds the keys, with the content key of `epoch`.
    Enrol {
        public: [u8; 32],
        epoch: u32,
        proof: [u8; 32],
    },
    /// Send the content keys wrapped for the device of this public key and the
    /// connection's token: answered with [`ServerMessage::Keys`].
    FetchKeys { public: [u8; 32] },
    /// Store the content keys of `epoch` wrapped for these tokens (a managing token only);
    /// answered with [`ServerMessage::KeysStored`]. With `rotation`, `epoch` is a new one
    /// and is stored only if it is newer than every epoch stored, so that two managers
    /// rotating at once never both succeed.
    PostKeys {
        epoch: u32,
        rotation: bool,
        keys: Vec<WrappedKey>,
    },
    /// A snapshot of `doc` (sealed on the device like a bundle) that holds every entry of
    /// its log up to `upto`: the relay serves it to devices that start further back, and may
    /// then drop the entries it covers. Sent when the relay asks ([`ServerMessage::
    /// SnapshotWanted`]); not answered.
    PushSnapshot {
        doc: DocId,
        upto: u64,
        bundle: Bundle,
    },
}

impl fmt::Debug for ClientMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // The token is a secret and never printed.
            Self::Hello { device, .. } => write!(f, "Hello {{ device: {device:?}, token: … }}"),
            Self::Subscribe { doc, after } => write!(f, "Subscribe {{ {doc:?}, after: {after} }}"),
            Self::Push { doc, bundle } => write!(f, "Push {{ {doc:?}, {bundle:?} }}"),
            Self::ListDevices => write!(f, "ListDevices"),
            Self::RevokeDevice { id } => write!(f, "RevokeDevice {{ {id:?} }}"),
            Self::Enrol { epoch, .. } => write!(f, "Enrol {{ epoch: {epoch}, … }}"),
            Self::FetchKeys { .. } => write!(f, "FetchKeys"),
            Self::PushSnapshot { doc, upto, bundle } => {
                write!(f, "PushSnapshot {{ {doc:?}, upto: {upto}, {bundle:?} }}")
            }
            Self::PostKeys {
                epoch,
                rotation,
                keys,
            } => write!(
                f,
                "PostKeys {{ epoch: {epoch}, rotation: {rotation}, {} keys }}",
                keys.len()
            ),
        }
    }
}

/// Why the relay refused something.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ErrorCode {
    Malformed,
    TooBig,
    Unauthorised,
    Forbidden,
    RateLimited,
    TooSlow,
    Internal,
    /// The token was revoked (not merely unknown): the device must delete everything it
    /// holds of the organisation. After the first seven, so that they keep their wire
    /// numbers.
    Revoked,
    /// A limit of the relay is reached: its connections, the token's connections, or the
    /// documents one connection may follow (`Refused` for that one document). The device
    /// tries again on a later connection. After the older codes, so that they keep their
    /// wire numbers.
    Busy,
    /// The organisation's storage quota on the relay is full: the push is refused with
    /// `Refused` (the connection stays open), and nothing of it is stored. The device keeps
    /// its edits and tries again later. Last, so that older variants keep their numbers.
    QuotaExceeded,
}

impl ErrorCode {
    /// The WebSocket close code that goes with this error.
    pub fn close_code(self) -> u16 {
        match self {
            Self::Malformed => close::MALFORMED,
            Self::TooBig => close::TOO_BIG,
            Self::Unauthorised => close::UNAUTHORISED,
            Self::Forbidden => close::FORBIDDEN,
            Self::RateLimited => close::RATE_LIMITED,
            Self::TooSlow => close::TOO_SLOW,
            Self::Internal => close::INTERNAL,
            Self::Revoked => close::REVOKED,
            Self::Busy => close::BUSY,
            Self::QuotaExceeded => close::QUOTA_EXCEEDED,
        }
    }

    /// Whether a device should stop retrying until a person acts (a new token).
    pub fn is_fatal(self) -> bool {
        matches!(self, Self::Unauthorised | Self::Revoked)
    }
}

/// What the relay sends.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ServerMessage {
    /// The token was accepted; the connection is scoped to this organisation.
    Welcome { org: String },
    /// Entries of `doc` in sequence order. `caught_up` is true on the batch that ends the
    /// backlog of a subscription, and on every live entry after it.
    Entries {
        doc: DocId,
        entries: Vec<Entry>,
        caught_up: bool,
    },
    /// The bundle `hash` is durably stored in `doc`'s log as entry `seq`.
    Ack {
        doc: DocId,
        hash: BundleHash,
        seq: u64,
    },
    /// The relay refused something; for most codes it closes the connection after this.
    Error { code: ErrorCode, message: String },
    /// The relay refused a `Subscribe` or `Push` of this one document (`Forbidden`: the
    /// device's token does not cover the document's site) and keeps the connection open
    /// for the others. Nothing of the document was sent or stored.
    Refused { doc: DocId, code: ErrorCode },
    /// The organisation's device tokens, answering `ListDevices` or `RevokeDevice`;
    /// `allowed` is false, and the list empty, for a token that may not manage them.
    Devices {
        allowed: bool,
        devices: Vec<DeviceToken>,
        /// A token was revoked since the newest content key was stored: a manager's device
        /// should make a new key epoch, so that nothing new opens with what it held.
        rotate: bool,
    },
    /// The content keys wrapped for this device's token, answering `FetchKeys`.
    Keys { keys: Vec<WrappedKey> },
    /// Whether the keys of `epoch` of a `PostKeys` were stored (a rotation to an epoch that
    /// is not newer than every stored one is not).
    KeysStored { epoch: u32, stored: bool },
    /// Answering a `Subscribe` from further back than a snapshot: the snapshot, holding
    /// every entry of `doc` up to `snapshot.seq`; the entries after it follow.
    Snapshot { doc: DocId, snapshot: Entry },
    /// `doc`'s log has grown long since its last snapshot: send one if you can.
    SnapshotWanted { doc: DocId },
    /// A manager's device stored a new key epoch: fetch your keys, and seal with the new one
    /// from now on. Sent to every device of the organisation that has the directory open.
    KeysChanged,
}

/// Why bytes are not a valid message.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("message of {0} bytes is over the limit of {MAX_MESSAGE_BYTES} bytes")]
    TooBig(usize),
    #[error("empty message")]
    Empty,
    #[error("protocol version {0} is not supported (this side speaks {PROTOCOL_VERSION})")]
    Version(u8),
    #[error("document id is empty, too long or has characters other than a-z 0-9 - _ . / :")]
    InvalidDocId,
    #[error("message has {0} bytes after its end")]
    TrailingBytes(usize),
    #[error("field over its limit: {0}")]
    FieldTooLong(&'static str),
    #[error("bundle bytes do not match their hash")]
    HashMismatch,
    #[error("not a valid message: {0}")]
    Syntax(String),
}

/// Encodes and decodes one kind of message.
pub trait Wire: Sized + Serialize + for<'de> Deserialize<'de> {
    fn encode(&self) -> Vec<u8> {
        let out = vec![PROTOCOL_VERSION];
        // Serialising plain structs into a Vec cannot fail.
        postcard::to_extend(self, out).expect("postcard writes any message into a Vec")
    }

    fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        if bytes.len() > MAX_MESSAGE_BYTES {
            return Err(DecodeError::TooBig(bytes.len()));
        }
        let (&version, body) = bytes.split_first().ok_or(DecodeError::Empty)?;
        if version != PROTOCOL_VERSION {
            return Err(DecodeError::Version(version));
        }
        let (message, rest) = postcard::take_from_bytes::<Self>(body).map_err(|e| match e {
            postcard::Error::SerdeDeCustom => DecodeError::InvalidDocId,
            other => DecodeError::Syntax(other.to_string()),
        })?;
        if !rest.is_empty() {
            return Err(DecodeError::TrailingBytes(rest.len()));
        }
        message.validate()?;
        Ok(message)
    }

    /// Checks the limits that the type system does not carry.
    fn validate(&self) -> Result<(), DecodeError>;
}

impl Wire for ClientMessage {
    fn validate(&self) -> Result<(), DecodeError> {
        match self {
            Self::Hello { token, device } => {
                if token.len() > 256 {
                    return Err(DecodeError::FieldTooLong("token"));
                }
                if device.len() > MAX_DEVICE_NAME_BYTES {
                    return Err(DecodeError::FieldTooLong("device"));
                }
            }
            Self::Subscribe { .. }
            | Self::ListDevices
            | Self::FetchKeys { .. }
            | Self::Enrol { .. } => {}
            Self::PostKeys { keys, .. } => devices::check_keys(keys)?,
            Self::PushSnapshot { bundle, .. } => {
                if bundle.data.len() > MAX_BUNDLE_BYTES {
                    return Err(DecodeError::FieldTooLong("snapshot"));
                }
                if !bundle.is_intact() {
                    return Err(DecodeError::HashMismatch);
                }
            }
            Self::RevokeDevice { id } => {
                if id.len() > 64 {
                    return Err(DecodeError::FieldTooLong("id"));
                }
            }
            Self::Push { bundle, .. } => {
                if bundle.data.len() > MAX_BUNDLE_BYTES {
                    return Err(DecodeError::FieldTooLong("bundle"));
                }
                if !bundle.is_intact() {
                    return Err(DecodeError::HashMismatch);
                }
            }
        }
        Ok(())
    }
}

impl Wire for ServerMessage {
    fn validate(&self) -> Result<(), DecodeError> {
        if let Self::Keys { keys } = self {
            devices::check_keys(keys)?;
        }
        if let Self::Snapshot { snapshot, .. } = self {
            if BundleHash::of(&snapshot.data) != snapshot.hash {
                return Err(DecodeError::HashMismatch);
            }
        }
        if let Self::Entries { entries, .. } = self {
            if entries
                .iter()
                .any(|e| BundleHash::of(&e.data) != e.hash || e.seq == 0)
            {
                return Err(DecodeError::HashMismatch);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
