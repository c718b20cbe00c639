//! Device tokens: how they are made, and the only form in which the relay keeps them.
//!
//! A token is 32 random bytes from the operating system, written as base64url without
//! padding after the prefix [`TOKEN_PREFIX`] (the prefix lets secret scanners and people
//! recognise a leaked token). The relay stores only the SHA-256 of the token text, so a
//! copy of the database does not let anyone connect. A token is 256 bits of entropy, so a
//! plain hash lookup is enough: there is nothing to brute-force and no timing to exploit.

use std::fmt;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::rngs::OsRng;
use rand::TryRngCore;
use sha2::{Digest, Sha256};

use crate::Error;

/// Starts every token, and names the token format's version.
pub const TOKEN_PREFIX: &str = "fd1_";

/// How many random bytes a token carries.
const TOKEN_RANDOM_BYTES: usize = 32;

/// How many hex digits of the hash make a token's public id.
const TOKEN_ID_HEX_DIGITS: usize = 12;

/// A token's secret text, as shown once to the person who created it.
///
/// Its `Debug` never prints the secret, so that a stray `{:?}` cannot leak it into a log.
#[derive(Clone, PartialEq, Eq)]
pub struct TokenSecret(String);

impl TokenSecret {
    /// A fresh token from the operating system's random number generator.
    pub fn generate() -> Result<Self, Error> {
        let mut bytes = [0u8; TOKEN_RANDOM_BYTES];
        OsRng
            .try_fill_bytes(&mut bytes)
            .map_err(|e| Error::Random(e.to_string()))?;
        Ok(Self(format!(
            "{TOKEN_PREFIX}{}",
            URL_SAFE_NO_PAD.encode(bytes)
        )))
    }

    /// The secret text: to print once for a person, or to send in `Hello`.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn hash(&self) -> TokenHash {
        TokenHash::of(&self.0)
    }
}

impl fmt::Debug for TokenSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TokenSecret(…)")
    }
}

/// The SHA-256 of a token's text: what the relay stores and looks up.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct TokenHash(pub [u8; 32]);

impl TokenHash {
    /// Hashes whatever a device presented, valid or not; the lookup decides.
    pub fn of(token: &str) -> Self {
        Self(Sha256::digest(token.as_bytes()).into())
    }

    /// A short public id that names the token in lists and in `token revoke` without
    /// revealing anything that helps to connect.
    pub fn id(&self) -> String {
        let mut id = hex::encode(self.0);
        id.truncate(TOKEN_ID_HEX_DIGITS);
        id
    }
}

impl fmt::Debug for TokenHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TokenHash({}…)", self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_prefixed_random_and_url_safe() {
        let a = TokenSecret::generate().expect("OS random numbers");
        let b = TokenSecret::generate().expect("OS random numbers");
        assert_ne!(a, b);
        let body = a.expose().strip_prefix(TOKEN_PREFIX).expect("prefix");
        // 32 bytes in base64 without padding are 43 characters.
        assert_eq!(body.len(), 43);
        assert!(body
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        assert_eq!(
            URL_SAFE_NO_PAD.decode(body).expect("base64url").len(),
            TOKEN_RANDOM_BYTES
        );
    }

    #[test]
    fn hash_and_id() {
        // SHA-256("abc") is a published test vector.
        let hash = TokenHash::of("abc");
        assert_eq!(
            hex::encode(hash.0),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(hash.id(), "ba7816bf8f01");
        // A device works out its own id with the protocol's function: the same.
        assert_eq!(protocol::token_id("abc"), hash.id());
    }

    #[test]
    fn debug_never_shows_the_secret() {
        let secret = TokenSecret::generate().expect("OS random numbers");
        let body = &secret.expose()[TOKEN_PREFIX.len()..];
        assert!(!format!("{secret:?}").contains(body));
    }
}
