//! End-to-end encryption of what leaves a device. Every bundle is sealed on the device with
//! the organisation's content key before it is pushed, and opened on the device after it
//! arrives, so that the relay stores and forwards ciphertext it cannot read (and hashes,
//! de-duplicates and orders ciphertext).
//!
//! A sealed bundle is `FDe1` (4 bytes), the key epoch (4 bytes, big-endian), a random
//! 24-byte nonce, then the XChaCha20-Poly1305 ciphertext with its 16-byte tag: 48 bytes more
//! than the plain bundle. The associated data binds the organisation's key id, the document
//! id and the epoch, so an entry copied into another document, another organisation or
//! another epoch does not open.
//!
//! Plain Automerge bytes (an organisation's logs from before its first key) are told apart
//! by their first bytes: Automerge's own magic number is never `FDe1`.

use std::collections::BTreeMap;
use std::fmt;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use protocol::DocId;
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;

pub mod wrap;

const MAGIC: [u8; 4] = *b"FDe1";
const NONCE: usize = 24;
const HEADER: usize = MAGIC.len() + 4 + NONCE;
/// Bytes a sealed bundle has beyond the plain one: the header and the tag.
pub const OVERHEAD: usize = HEADER + 16;
/// What a keyring's text starts with.
const TEXT_VERSION: &str = "fdk1";

/// Why a sealed bundle did not open. Plain bundles always "open" (they pass through).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum OpenError {
    /// Sealed with a key of an epoch this device was not given (yet).
    #[error("it is sealed with a key this device has not been given (key {epoch})")]
    NoKey { epoch: u32 },
    /// Cut short, changed, or sealed for another document or organisation.
    #[error("it is damaged, or was not sealed for this document")]
    Damaged,
}

/// Why a keyring's text was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("this is not an organisation key: {0}")]
pub struct KeyringError(&'static str);

/// The organisation's content keys, one per epoch; the newest seals. Its `Debug` never
/// shows a key.
#[derive(Clone, PartialEq, Eq)]
pub struct Keyring {
    /// Made with the first key: binds every bundle to this organisation.
    org: [u8; 16],
    keys: BTreeMap<u32, [u8; 32]>,
}

impl fmt::Debug for Keyring {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Keyring({}…, epochs {:?})",
            &self.org_id()[..8],
            self.keys.keys().collect::<Vec<_>>()
        )
    }
}

impl Keyring {
    /// A new organisation's first key (epoch 1), from 48 random bytes.
    pub fn generate(random: [u8; 48]) -> Self {
        let mut org = [0; 16];
        org.copy_from_slice(&random[..16]);
        let mut key = [0; 32];
        key.copy_from_slice(&random[16..]);
        Self {
            org,
            keys: BTreeMap::from([(1, key)]),
        }
    }

    /// A new epoch: `random` is its key, which seals from now on. The older keys stay, to
    /// open what they sealed.
    pub fn rotate(&mut self, random: [u8; 32]) {
        let next = self.epoch() + 1;
        self.keys.insert(next, random);
    }

    /// The epoch that seals.
    pub fn epoch(&self) -> u32 {
        self.keys.keys().next_back().copied().unwrap_or(0)
    }

    /// The organisation's key id, as hex: the same on every device of the organisation.
    pub fn org_id(&self) -> String {
        hex::encode(self.org)
    }

    /// `fdk1.{key id}.{epoch}-{key}…`: hex, dots and dashes, safe in an address's fragment.
    pub fn to_text(&self) -> String {
        let mut text = format!("{TEXT_VERSION}.{}", self.org_id());
        for (epoch, key) in &self.keys {
            text.push_str(&format!(".{epoch}-{}", hex::encode(key)));
        }
        text
    }

    pub fn parse(text: &str) -> Result<Self, KeyringError> {
        let mut parts = text.trim().split('.');
        if parts.next() != Some(TEXT_VERSION) {
            return Err(KeyringError("it does not start as one does"));
        }
        let org = parts
            .next()
            .and_then(|h| hex::decode(h).ok())
            .and_then(|b| <[u8; 16]>::try_from(b).ok())
            .ok_or(KeyringError("its organisation id is damaged"))?;
        let mut keys = BTreeMap::new();
        for part in parts {
            let (epoch, key) = part
                .split_once('-')
                .ok_or(KeyringError("a key is damaged"))?;
            let epoch: u32 = epoch
                .parse()
                .map_err(|_| KeyringError("an epoch is damaged"))?;
            let key = hex::decode(key)
                .ok()
                .and_then(|b| <[u8; 32]>::try_from(b).ok())
                .ok_or(KeyringError("a key is damaged"))?;
            if epoch == 0 || keys.insert(epoch, key).is_some() {
                return Err(KeyringError("an epoch is named twice or is 0"));
            }
        }
        if keys.is_empty() {
            return Err(KeyringError("it holds no key"));
        }
        Ok(Self { org, keys })
    }

    /// Takes `other`'s keys of epochs this keyring lacks, when both are this organisation's
    /// and agree on every epoch they share; says whether it did.
    pub fn absorb(&mut self, other: &Keyring) -> bool {
        let agrees = other
            .keys
            .iter()
            .all(|(e, k)| self.keys.get(e).is_none_or(|mine| mine == k));
        if self.org != other.org || !agrees {
            return false;
        }
        self.keys.extend(other.keys.iter().map(|(e, k)| (*e, *k)));
        true
    }

    /// Whether it holds every epoch from the first to its newest: a keyring with a gap was
    /// not made by rotating.
    pub fn is_whole(&self) -> bool {
        self.keys.keys().copied().eq(1..=self.epoch())
    }

    /// Whether this keyring can open everything `other` can, and seals alike.
    pub fn covers(&self, other: &Keyring) -> bool {
        self.org == other.org && other.keys.iter().all(|(e, k)| self.keys.get(e) == Some(k))
    }

    /// `plain`, sealed for `doc` with the newest key and `nonce` (random, never reused).
    pub fn seal(&self, doc: &DocId, plain: &[u8], nonce: [u8; NONCE]) -> Vec<u8> {
        let epoch = self.epoch();
        let key = self
            .keys
            .get(&epoch)
            .expect("a keyring holds at least one key");
        let cipher = XChaCha20Poly1305::new(key.into());
        let aad = self.associated(doc, epoch);
        let sealed = cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plain,
                    aad: &aad,
                },
            )
            .expect("XChaCha20-Poly1305 seals any length a bundle has");
        let mut out = Vec::with_capacity(HEADER + sealed.len());
        out.extend_from_slice(&MAGIC);
        out.extend_from_slice(&epoch.to_be_bytes());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        out
    }

    /// The plain bundle of a sealed one for `doc`.
    pub fn open(&self, doc: &DocId, bytes: &[u8]) -> Result<Vec<u8>, OpenError> {
        if !is_sealed(bytes) || bytes.len() < OVERHEAD {
            return Err(OpenError::Damaged);
        }
        let epoch = u32::from_be_bytes(bytes[4..8].try_into().expect("four bytes"));
        // A device holds every epoch up to its newest: a missing older one is forged, and
        // only a newer one can be a key still to come.
        let key = match self.keys.get(&epoch) {
            Some(key) => key,
            None if epoch > self.epoch() => return Err(OpenError::NoKey { epoch }),
            None => return Err(OpenError::Damaged),
        };
        let cipher = XChaCha20Poly1305::new(key.into());
        let aad = self.associated(doc, epoch);
        cipher
            .decrypt(
                XNonce::from_slice(&bytes[8..HEADER]),
                Payload {
                    msg: &bytes[HEADER..],
                    aad: &aad,
                },
            )
            .map_err(|_| OpenError::Damaged)
    }

    fn associated(&self, doc: &DocId, epoch: u32) -> Vec<u8> {
        let mut aad = Vec::with_capacity(64);
        aad.extend_from_slice(b"front-desk bundle 1\0");
        aad.extend_from_slice(&self.org);
        aad.extend_from_slice(doc.as_str().as_bytes());
        aad.push(0);
        aad.extend_from_slice(&epoch.to_be_bytes());
        aad
    }
}

/// Whether `bytes` are a sealed bundle (rather than plain Automerge bytes).
pub fn is_sealed(bytes: &[u8]) -> bool {
    bytes.starts_with(&MAGIC)
}

/// The plain bytes of a stored or received bundle: a plain one as it is, a sealed one
/// opened with `keyring` (refused when there is none).
pub fn open_any(
    keyring: Option<&Keyring>,
    doc: &DocId,
    bytes: &[u8],
) -> Result<Vec<u8>, OpenError> {
    if !is_sealed(bytes) {
        return Ok(bytes.to_vec());
    }
    match keyring {
        Some(keyring) => keyring.open(doc, bytes),
        None if bytes.len() >= 8 => Err(OpenError::NoKey {
            epoch: u32::from_be_bytes(bytes[4..8].try_into().expect("four bytes")),
        }),
        None => Err(OpenError::Damaged),
    }
}

/// A keyring with its nonce source: ChaCha20 seeded from the driver's random source.
pub struct Sealer {
    keyring: Keyring,
    nonces: ChaCha20Rng,
}

impl Sealer {
    pub fn new(keyring: Keyring, seed: [u8; 32]) -> Self {
        Self {
            keyring,
            nonces: ChaCha20Rng::from_seed(seed),
        }
    }

    pub fn keyring(&self) -> &Keyring {
        &self.keyring
    }

    pub fn seal(&mut self, doc: &DocId, plain: &[u8]) -> Vec<u8> {
        let mut nonce = [0; NONCE];
        self.nonces.fill_bytes(&mut nonce);
        self.keyring.seal(doc, plain, nonce)
    }
}

#[cfg(test)]
mod tests;
