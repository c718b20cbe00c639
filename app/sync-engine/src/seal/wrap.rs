//! Device keys and wrapped content keys. Each device makes its own X25519 key pair; a
//! manager's device wraps the organisation's keyring (every content key) for a device's
//! public key, and the relay stores the wrapped blob, which it cannot read.
//!
//! A wrapped keyring is `FDw1` (4 bytes), an ephemeral X25519 public key (32), a random
//! 24-byte nonce, then the XChaCha20-Poly1305 ciphertext (with its 16-byte tag) of the
//! keyring's text. Its key is HKDF-SHA256 (salted with the link's secret for a device that holds no keys yet, else unsalted) of the X25519 shared secret, with info
//! `front-desk wrap 1\0` ‖ ephemeral public ‖ recipient public; its associated data is
//! `front-desk wrap 1\0` ‖ epoch (big-endian) ‖ recipient public, so a blob opens only for
//! the device it was made for and as the epoch it was made at.
//!
//! A new device proves its public key came from whoever opened the enrolment link with an
//! HMAC keyed by the link's one-time secret ([`enrolment_proof`]); a device that holds the
//! keys vouches for another with an HMAC keyed by a content key ([`Keyring::vouch`]). Every
//! HMAC input starts with a domain string ending in NUL, then the variable-length token id
//! and a 0 byte, the fixed 32-byte public key, and the name last: no two inputs read alike.
//! Randomness comes in as arguments: this crate has no random source.

use std::fmt;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use x25519_dalek::{PublicKey, StaticSecret};

use super::Keyring;

type HmacSha256 = Hmac<Sha256>;

const MAGIC: [u8; 4] = *b"FDw1";
const HEADER: usize = MAGIC.len() + 32 + 24;
const WRAP_DOMAIN: &[u8] = b"front-desk wrap 1\0";
const ENROL_DOMAIN: &[u8] = b"front-desk enrol 1\0";
const KEYHOLDER_DOMAIN: &[u8] = b"front-desk keyholder 1\0";
/// What a device key's text starts with.
const TEXT_VERSION: &str = "fdd1";

/// Why a wrapped key or a device key was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WrapError {
    /// Cut short, changed, or wrapped for another device or another epoch.
    #[error("the wrapped key is damaged, or was not wrapped for this device and epoch")]
    Damaged,
    /// It opened, but is not a keyring of the epoch it was given as.
    #[error("the wrapped key opened, but is not the organisation's keys of that epoch")]
    NotKeys,
    /// A device key's text that does not parse.
    #[error("this is not a device key")]
    BadText,
}

/// This device's own X25519 key pair: others wrap the organisation's keys for its public
/// half. The secret is wiped when dropped, and its `Debug` shows only the public key.
#[derive(Clone)]
pub struct DeviceKey {
    secret: StaticSecret,
}

impl fmt::Debug for DeviceKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DeviceKey(public {}…)", &hex::encode(self.public())[..8])
    }
}

impl DeviceKey {
    /// A new device key from 32 random bytes (X25519 clamps them when it uses them).
    pub fn from_random(random: [u8; 32]) -> Self {
        Self {
            secret: StaticSecret::from(random),
        }
    }

    /// The public key, which the device sends for others to wrap the keys for.
    pub fn public(&self) -> [u8; 32] {
        PublicKey::from(&self.secret).to_bytes()
    }

    /// `fdd1.{secret, 64 hex}`, for the device's own storage only: it is the secret.
    pub fn to_text(&self) -> String {
        format!("{TEXT_VERSION}.{}", hex::encode(self.secret.as_bytes()))
    }

    /// The device key of a text made by [`DeviceKey::to_text`].
    pub fn parse(text: &str) -> Result<Self, WrapError> {
        let hex_part = text
            .trim()
            .strip_prefix(TEXT_VERSION)
            .and_then(|rest| rest.strip_prefix('.'))
            .ok_or(WrapError::BadText)?;
        let mut secret = [0; 32];
        hex::decode_to_slice(hex_part, &mut secret).map_err(|_| WrapError::BadText)?;
        let key = Self::from_random(secret);
        wipe(&mut secret);
        Ok(key)
    }

    /// The keyring wrapped for this device as content key epoch `epoch`: [`WrapError::Damaged`]
    /// when it does not open (including an ephemeral key that makes a non-contributory
    /// shared secret, which anyone could compute), [`WrapError::NotKeys`] when what opens is
    /// not a keyring whose newest epoch is `epoch`.
    pub fn unwrap(&self, epoch: u32, blob: &[u8]) -> Result<Keyring, WrapError> {
        self.unwrap_salted(epoch, blob, None)
    }

    /// The keyring wrapped for this device by the maker of the link of `secret`
    /// ([`Keyring::wrap_for_link`]).
    pub fn unwrap_for_link(
        &self,
        epoch: u32,
        blob: &[u8],
        secret: &[u8; 16],
    ) -> Result<Keyring, WrapError> {
        self.unwrap_salted(epoch, blob, Some(secret))
    }

    fn unwrap_salted(
        &self,
        epoch: u32,
        blob: &[u8],
        salt: Option<&[u8; 16]>,
    ) -> Result<Keyring, WrapError> {
        if !blob.starts_with(&MAGIC) || blob.len() < HEADER + 16 {
            return Err(WrapError::Damaged);
        }
        let ephemeral: [u8; 32] = blob[4..36].try_into().expect("32 bytes");
        let shared = self.secret.diffie_hellman(&PublicKey::from(ephemeral));
        if !shared.was_contributory() {
            return Err(WrapError::Damaged);
        }
        let own = self.public();
        let mut key = wrap_key(shared.as_bytes(), &ephemeral, &own, salt);
        let (msg, aad) = (&blob[HEADER..], &associated(epoch, &own)[..]);
        let cipher = XChaCha20Poly1305::new((&key).into());
        let opened = cipher.decrypt(XNonce::from_slice(&blob[36..HEADER]), Payload { msg, aad });
        wipe(&mut key);
        let mut plain = opened.map_err(|_| WrapError::Damaged)?;
        let keyring = std::str::from_utf8(&plain)
            .ok()
            .and_then(|text| Keyring::parse(text).ok());
        wipe(&mut plain);
        match keyring {
            Some(keyring) if keyring.epoch() == epoch => Ok(keyring),
            _ => Err(WrapError::NotKeys),
        }
    }
}

/// HMAC-SHA256, keyed with the enrolment link's one-time `secret`, of `front-desk enrol 1\0`
/// ‖ `token_id` ‖ 0 ‖ `public` ‖ `name`: proves the device key `public` (named `name`, for
/// enrolment token `token_id`) comes from whoever opened the link.
pub fn enrolment_proof(
    secret: &[u8; 16],
    token_id: &str,
    public: &[u8; 32],
    name: &str,
) -> [u8; 32] {
    let mac = proof_mac(secret, &[ENROL_DOMAIN], token_id, public, name);
    mac.finalize().into_bytes().into()
}

/// Whether `proof` is [`enrolment_proof`]'s for these inputs, compared in constant time.
pub fn check_enrolment(
    secret: &[u8; 16],
    token_id: &str,
    public: &[u8; 32],
    name: &str,
    proof: &[u8; 32],
) -> bool {
    let mac = proof_mac(secret, &[ENROL_DOMAIN], token_id, public, name);
    mac.verify_slice(proof).is_ok()
}

impl Keyring {
    /// HMAC-SHA256, keyed with the content key of this keyring's newest epoch, of
    /// `front-desk keyholder 1\0` ‖ org id (16) ‖ epoch (big-endian) ‖ `token_id` ‖ 0 ‖
    /// `public` ‖ `name`: a key holder vouching for the device key `public`. Returns the
    /// epoch used (`self.epoch()`) with the proof, since a checker needs both.
    pub fn vouch(&self, token_id: &str, public: &[u8; 32], name: &str) -> (u32, [u8; 32]) {
        let epoch = self.epoch();
        let mac = self
            .keyholder(epoch, token_id, public, name)
            .expect("a keyring holds its newest epoch's key");
        (epoch, mac.finalize().into_bytes().into())
    }

    /// Whether `proof` was made by [`Keyring::vouch`] with this keyring's key of `epoch`
    /// (false when it lacks that epoch), compared in constant time.
    pub fn vouches(
        &self,
        epoch: u32,
        token_id: &str,
        public: &[u8; 32],
        name: &str,
        proof: &[u8; 32],
    ) -> bool {
        self.keyholder(epoch, token_id, public, name)
            .is_some_and(|mac| mac.verify_slice(proof).is_ok())
    }

    /// This keyring, wrapped for the device whose public key is `recipient`; `random` gives
    /// the ephemeral secret (first 32 bytes) and the nonce (last 24), never reused. A
    /// recipient key that makes a non-contributory shared secret (a low-order point, which
    /// no real device has) gets a blob that holds no key and that [`DeviceKey::unwrap`]
    /// refuses.
    pub fn wrap_for(&self, recipient: &[u8; 32], random: [u8; 56]) -> Vec<u8> {
        self.wrap_salted(recipient, None, random)
    }

    /// [`Keyring::wrap_for`] a device that opened a link and holds no keys yet: the link's
    /// secret salts the wrapping key, so that only what the link's maker wrapped opens there
    /// (a relay, which never sees the secret, cannot hand such a device keys of its own).
    pub fn wrap_for_link(
        &self,
        recipient: &[u8; 32],
        secret: &[u8; 16],
        random: [u8; 56],
    ) -> Vec<u8> {
        self.wrap_salted(recipient, Some(secret), random)
    }

    fn wrap_salted(
        &self,
        recipient: &[u8; 32],
        salt: Option<&[u8; 16]>,
        random: [u8; 56],
    ) -> Vec<u8> {
        let ephemeral = StaticSecret::from(<[u8; 32]>::try_from(&random[..32]).expect("32"));
        let ephemeral_public = PublicKey::from(&ephemeral).to_bytes();
        let shared = ephemeral.diffie_hellman(&PublicKey::from(*recipient));
        let mut key = wrap_key(shared.as_bytes(), &ephemeral_public, recipient, salt);
        // Anyone can compute a non-contributory secret: wrap nothing under it.
        let mut text = if shared.was_contributory() {
            self.to_text().into_bytes()
        } else {
            Vec::new()
        };
        let aad = associated(self.epoch(), recipient);
        let blob = seal_blob(&key, &ephemeral_public, &random[32..], &aad, &text);
        wipe(&mut key);
        wipe(&mut text);
        blob
    }

    fn keyholder(&self, epoch: u32, id: &str, pk: &[u8; 32], name: &str) -> Option<HmacSha256> {
        let key = self.keys.get(&epoch)?;
        let head: [&[u8]; 3] = [KEYHOLDER_DOMAIN, &self.org, &epoch.to_be_bytes()];
        Some(proof_mac(key, &head, id, pk, name))
    }
}

/// HMAC-SHA256 keyed with `key` of `head` ‖ `id` (the token id) ‖ 0 ‖ `public` ‖ `name`.
fn proof_mac(key: &[u8], head: &[&[u8]], id: &str, public: &[u8; 32], name: &str) -> HmacSha256 {
    let mut mac = <HmacSha256 as Mac>::new_from_slice(key).expect("HMAC takes any key length");
    for part in head {
        mac.update(part);
    }
    mac.update(id.as_bytes());
    mac.update(&[0]);
    mac.update(public);
    mac.update(name.as_bytes());
    mac
}

/// The wrapping key: HKDF-SHA256 of the shared secret, salted with a link's secret when
/// there is one, bound to both public keys.
fn wrap_key(
    shared: &[u8; 32],
    ephemeral: &[u8; 32],
    recipient: &[u8; 32],
    salt: Option<&[u8; 16]>,
) -> [u8; 32] {
    let mut key = [0; 32];
    Hkdf::<Sha256>::new(salt.map(|s| &s[..]), shared)
        .expand(&[WRAP_DOMAIN, ephemeral, recipient].concat(), &mut key)
        .expect("HKDF-SHA256 gives 32 bytes");
    key
}

fn associated(epoch: u32, recipient: &[u8; 32]) -> Vec<u8> {
    [WRAP_DOMAIN, &epoch.to_be_bytes(), recipient].concat()
}

fn seal_blob(key: &[u8; 32], eph: &[u8; 32], nonce: &[u8], aad: &[u8], plain: &[u8]) -> Vec<u8> {
    let sealed = XChaCha20Poly1305::new(key.into())
        .encrypt(XNonce::from_slice(nonce), Payload { msg: plain, aad })
        .expect("XChaCha20-Poly1305 seals any length a keyring has");
    [&MAGIC[..], eph, nonce, &sealed].concat()
}

/// Overwrites secret bytes before they are dropped; best effort (no volatile writes here).
fn wipe(bytes: &mut [u8]) {
    bytes.fill(0);
    std::hint::black_box(bytes);
}

#[cfg(test)]
mod tests;
