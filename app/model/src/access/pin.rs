//! Personal PINs and one-time set-up codes: the rules a new PIN must meet, and how both are
//! kept: only as salted Argon2id hashes (PHC strings), never as typed.
//!
//! Parameters ([`PARAMS`]): Argon2id, 19 MiB of memory, 2 passes, 1 lane, a 16-byte salt
//! and a 32-byte hash: OWASP's first recommended setting for Argon2id. The PIN is short, so
//! the hash's cost is what slows a guesser who has copied the directory; verifying stays
//! well under a second on a phone-class CPU (the closing figures are in the benchmarks).
//! The salt comes in as an argument: the model has no random source of its own.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

/// Memory per hash in KiB (19 MiB).
pub const MEMORY_KIB: u32 = 19 * 1024;
/// Passes over the memory.
pub const PASSES: u32 = 2;
/// Lanes (parallelism).
pub const LANES: u32 = 1;
/// The fewest digits of a PIN.
pub const MIN_DIGITS: usize = 6;
/// The fewest characters of a passphrase (anything that is not only digits).
pub const MIN_PASSPHRASE: usize = 10;
/// The most characters of either.
pub const MAX_LENGTH: usize = 128;
/// Characters of a set-up code, which avoids letters and digits that look alike.
pub const SETUP_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/// Characters in a set-up code, shown as two groups of four.
pub const SETUP_LENGTH: usize = 8;

/// The largest memory and passes a stored hash may ask for: a damaged or hostile record
/// must not make a tablet allocate gigabytes.
const MAX_MEMORY_KIB: u32 = 64 * 1024;
const MAX_PASSES: u32 = 8;

/// Why a new PIN is not taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PinProblem {
    /// Only digits, and fewer than [`MIN_DIGITS`]; or a passphrase shorter than
    /// [`MIN_PASSPHRASE`].
    TooShort {
        digits: bool,
    },
    TooLong,
    /// One digit repeated, or a run up or down (`111111`, `123456`, `987654`).
    TooEasy,
    /// The same as the PIN it replaces.
    Reused,
    /// The two entries differ.
    Mismatch,
}

/// What checking a PIN or code against a stored hash found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Right,
    Wrong,
    /// The stored hash cannot be read, or asks for more than a tablet may spend.
    Damaged,
}

/// The hashing parameters stated above.
pub fn params() -> Params {
    Params::new(MEMORY_KIB, PASSES, LANES, Some(32)).expect("the stated parameters are valid")
}

fn hasher() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params())
}

/// Checks a new PIN against the rules, and against `previous` (its hash), if any.
pub fn check_new(pin: &str, again: &str, previous: Option<&str>) -> Result<(), PinProblem> {
    let digits = pin.chars().all(|c| c.is_ascii_digit());
    let length = pin.chars().count();
    if (digits && length < MIN_DIGITS) || (!digits && length < MIN_PASSPHRASE) {
        return Err(PinProblem::TooShort { digits });
    }
    if length > MAX_LENGTH {
        return Err(PinProblem::TooLong);
    }
    if digits && too_easy(pin.as_bytes()) {
        return Err(PinProblem::TooEasy);
    }
    if pin != again {
        return Err(PinProblem::Mismatch);
    }
    if previous.is_some_and(|hash| verify(pin, hash) == Verdict::Right) {
        return Err(PinProblem::Reused);
    }
    Ok(())
}

/// One digit throughout, or each digit one more (or one less) than the last.
fn too_easy(digits: &[u8]) -> bool {
    let steps: Vec<i16> = digits
        .windows(2)
        .map(|w| i16::from(w[1]) - i16::from(w[0]))
        .collect();
    steps.iter().all(|s| *s == 0) || steps.iter().all(|s| *s == 1) || steps.iter().all(|s| *s == -1)
}

/// The PHC string of `secret` hashed with `salt` (16 random bytes from the caller).
pub fn hash(secret: &str, salt: &[u8; 16]) -> String {
    let salt = SaltString::encode_b64(salt).expect("16 bytes make a valid salt");
    hasher()
        .hash_password(secret.as_bytes(), &salt)
        .expect("the stated parameters hash any input")
        .to_string()
}

/// Checks `secret` against a stored PHC string, with the parameters it states, within
/// bounds.
pub fn verify(secret: &str, stored: &str) -> Verdict {
    let Ok(parsed) = PasswordHash::new(stored) else {
        return Verdict::Damaged;
    };
    let Ok(params) = Params::try_from(&parsed) else {
        return Verdict::Damaged;
    };
    if parsed.algorithm != Algorithm::Argon2id.ident()
        || parsed.hash.is_none()
        || parsed.salt.is_none()
        || params.m_cost() > MAX_MEMORY_KIB
        || params.t_cost() > MAX_PASSES
        || params.p_cost() > 4
    {
        return Verdict::Damaged;
    }
    let checker = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
    match checker.verify_password(secret.as_bytes(), &parsed) {
        Ok(()) => Verdict::Right,
        Err(argon2::password_hash::Error::Password) => Verdict::Wrong,
        Err(_) => Verdict::Damaged,
    }
}

/// A set-up code from random bytes: [`SETUP_LENGTH`] characters of [`SETUP_ALPHABET`],
/// shown as `ABCD-EFGH`. About 40 bits.
pub fn setup_code(random: &[u8; SETUP_LENGTH]) -> String {
    let chars: String = random
        .iter()
        .map(|b| char::from(SETUP_ALPHABET[usize::from(*b) % SETUP_ALPHABET.len()]))
        .collect();
    format!("{}-{}", &chars[..4], &chars[4..])
}

/// A set-up code as typed, made comparable: upper case, without spaces or dashes.
pub fn normalise_code(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}
