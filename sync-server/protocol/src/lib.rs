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

/// The version byte that starts every frame. A peer speaking another version is refused.
pub const PROTOCOL_VERSION: u8 = 1;

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
    /// holds of the organisation. Last, so that older variants keep their wire numbers.
    Revoked,
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
        }
    }

    /// Whether a device should stop retrying until a person acts (a new token).
    pub fn is_fatal(self) -> bool {
        matches!(self, Self::Unauthorised | Self::Revoked)
    }
}

/// One device token of the organisation, as a manager's device lists it: never its secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceToken {
    /// The public id `token revoke` and [`ClientMessage::RevokeDevice`] take.
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
    },
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
            Self::Subscribe { .. } | Self::ListDevices => {}
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
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn doc(id: &str) -> DocId {
        DocId::new(id).expect("valid test id")
    }

    #[test]
    fn doc_ids() {
        let check = |id: &str, ok: bool| assert_eq!(DocId::new(id).is_ok(), ok, "{id:?}");
        check("schedule/main/2026-11", true);
        check("directory", true);
        check("", false);
        check("Schedule", false);
        check("a b", false);
        check("ü", false);
        check(&"a".repeat(MAX_DOC_ID_BYTES), true);
        check(&"a".repeat(MAX_DOC_ID_BYTES + 1), false);
    }

    #[test]
    fn round_trip_examples() {
        let client = [
            ClientMessage::Hello {
                token: "secret".into(),
                device: "Front desk 1".into(),
            },
            ClientMessage::Subscribe {
                doc: doc("schedule/main/2026-11"),
                after: 42,
            },
            ClientMessage::Push {
                doc: doc("schedule/main/2026-11"),
                bundle: Bundle::new(vec![1, 2, 3]),
            },
        ];
        for m in client {
            assert_eq!(ClientMessage::decode(&m.encode()), Ok(m));
        }
        let server = [
            ServerMessage::Welcome { org: "acme".into() },
            ServerMessage::Entries {
                doc: doc("d"),
                entries: vec![Entry {
                    seq: 1,
                    hash: BundleHash::of(b"x"),
                    data: b"x".to_vec(),
                }],
                caught_up: true,
            },
            ServerMessage::Ack {
                doc: doc("d"),
                hash: BundleHash::of(b"x"),
                seq: 7,
            },
            ServerMessage::Error {
                code: ErrorCode::Forbidden,
                message: "no".into(),
            },
            ServerMessage::Refused {
                doc: doc("schedule/hillside/2026-12"),
                code: ErrorCode::Forbidden,
            },
        ];
        for m in server {
            assert_eq!(ServerMessage::decode(&m.encode()), Ok(m));
        }
    }

    #[test]
    fn a_document_names_its_site_by_the_ids_convention() {
        for (id, site) in [
            ("schedule/main/2026-03", Some("main")),
            ("waitlist/hillside", Some("hillside")),
            ("inventory/north-clinic", Some("north-clinic")),
            ("stock/main/2026-11", Some("main")),
            ("roster/main/2026-11", Some("main")),
            ("board/site/hillside", Some("hillside")),
            ("board/org", None),
            ("board/site", None),
            ("directory", None),
            ("schedule/", None),
        ] {
            assert_eq!(doc(id).site(), site, "{id}");
        }
    }

    #[test]
    fn rejections() {
        let push = ClientMessage::Push {
            doc: doc("d"),
            bundle: Bundle::new(vec![9; 10]),
        }
        .encode();
        assert_eq!(ClientMessage::decode(&[]), Err(DecodeError::Empty));
        let mut wrong_version = push.clone();
        wrong_version[0] = 9;
        assert_eq!(
            ClientMessage::decode(&wrong_version),
            Err(DecodeError::Version(9))
        );
        let mut trailing = push.clone();
        trailing.push(0);
        assert_eq!(
            ClientMessage::decode(&trailing),
            Err(DecodeError::TrailingBytes(1))
        );
        let mut tampered = push.clone();
        *tampered.last_mut().expect("non-empty") ^= 1;
        assert_eq!(
            ClientMessage::decode(&tampered),
            Err(DecodeError::HashMismatch)
        );
        let huge = vec![PROTOCOL_VERSION; MAX_MESSAGE_BYTES + 1];
        assert_eq!(
            ClientMessage::decode(&huge),
            Err(DecodeError::TooBig(MAX_MESSAGE_BYTES + 1))
        );
        let bad_doc = ClientMessage::Subscribe {
            doc: DocId("UPPER".into()),
            after: 0,
        }
        .encode();
        assert_eq!(
            ClientMessage::decode(&bad_doc),
            Err(DecodeError::InvalidDocId)
        );
    }

    #[test]
    fn debug_never_shows_secrets_or_payloads() {
        let hello = ClientMessage::Hello {
            token: "tok_secret".into(),
            device: "Desk".into(),
        };
        assert!(!format!("{hello:?}").contains("tok_secret"));
        let push = ClientMessage::Push {
            doc: doc("d"),
            bundle: Bundle::new(b"Jane Placeholder".to_vec()),
        };
        assert!(!format!("{push:?}").contains("Jane"));
    }

    fn arb_doc() -> impl Strategy<Value = DocId> {
        "[a-z0-9/_.:-]{1,40}".prop_map(|s| DocId::new(s).expect("strategy makes valid ids"))
    }

    fn arb_client() -> impl Strategy<Value = ClientMessage> {
        prop_oneof![
            (".{0,60}", ".{0,20}").prop_filter_map("within limits", |(token, device)| {
                (device.len() <= MAX_DEVICE_NAME_BYTES)
                    .then_some(ClientMessage::Hello { token, device })
            }),
            (arb_doc(), any::<u64>())
                .prop_map(|(doc, after)| ClientMessage::Subscribe { doc, after }),
            (arb_doc(), proptest::collection::vec(any::<u8>(), 0..300)).prop_map(|(doc, data)| {
                ClientMessage::Push {
                    doc,
                    bundle: Bundle::new(data),
                }
            }),
        ]
    }

    proptest! {
        #[test]
        fn client_messages_round_trip(m in arb_client()) {
            prop_assert_eq!(ClientMessage::decode(&m.encode()), Ok(m));
        }

        #[test]
        fn garbage_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = ClientMessage::decode(&bytes);
            let _ = ServerMessage::decode(&bytes);
        }

        #[test]
        fn versioned_garbage_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let mut framed = vec![PROTOCOL_VERSION];
            framed.extend(bytes);
            let _ = ClientMessage::decode(&framed);
            let _ = ServerMessage::decode(&framed);
        }
    }
}
