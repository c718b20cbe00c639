//! What the sign-in screen and the people who manage sign-ins read.

use model::access::lockout::MAX_FAILURES;
use model::access::pin::{PinProblem, MIN_DIGITS, MIN_PASSPHRASE};
use model::refusal::Access;

pub(super) fn refused(refusal: &Access) -> &'static str {
    match refusal {
        Access::AlreadyStarted => {
            "Someone has set this organisation up already: sign in with your name."
        }
        Access::LastOwner => {
            "The organisation needs an owner who can sign in: make someone else an owner first."
        }
        Access::NoSignIn => "That person has no sign-in.",
        Access::CodeExpired => "That set-up code has expired: ask a manager for a new one.",
        Access::CodeGone => {
            "That set-up code was replaced or used meanwhile: ask a manager for a new one."
        }
    }
}

/// Why a new PIN is not taken.
pub fn pin_problem(problem: PinProblem) -> String {
    match problem {
        PinProblem::TooShort { digits: true } => {
            format!("A PIN needs at least {MIN_DIGITS} digits.")
        }
        PinProblem::TooShort { digits: false } => {
            format!("A passphrase needs at least {MIN_PASSPHRASE} characters; a PIN, {MIN_DIGITS} digits.")
        }
        PinProblem::TooLong => "That is too long for a PIN or passphrase.".into(),
        PinProblem::TooEasy => {
            "That PIN is too easy to guess: avoid runs like 123456 and one digit repeated.".into()
        }
        PinProblem::Reused => "Choose a PIN you have not used here before.".into(),
        PinProblem::Mismatch => "The two PINs differ: type the same PIN twice.".into(),
    }
}

/// A wrong PIN, and how many tries are left before the lock-out.
pub fn wrong_pin(left: usize) -> String {
    match left {
        0 => locked_out().into(),
        1 => "Wrong PIN. One more wrong PIN locks you out.".into(),
        n => format!("Wrong PIN. {n} tries left."),
    }
}

/// A wrong set-up code.
pub fn wrong_code(left: usize) -> String {
    match left {
        0 => locked_out().into(),
        n => format!("That is not your set-up code. {n} tries left."),
    }
}

pub fn wait_before_trying(seconds: i64) -> String {
    format!("Too many wrong PINs: try again in {seconds} seconds.")
}

pub fn locked_out() -> &'static str {
    const _: () = assert!(MAX_FAILURES == 5, "the sentence says five");
    "Locked after five wrong PINs. A manager can unlock you in Settings → Sign-ins."
}

pub fn signin_damaged() -> &'static str {
    "Your sign-in record cannot be read on this device. A manager can issue you a new set-up code in Settings → Sign-ins."
}

pub fn no_signin() -> &'static str {
    "You have no sign-in. A manager can issue you a set-up code in Settings → Sign-ins."
}

/// Someone without a PIN whose code has expired, or who never had one.
pub fn no_pin_yet(had_code: bool) -> &'static str {
    if had_code {
        "Your set-up code has expired. Ask a manager for a new one."
    } else {
        "You have no PIN yet. Ask a manager for a set-up code."
    }
}

pub fn choose_pin_hint() -> String {
    format!(
        "Type the set-up code a manager gave you, then choose your own PIN: at least {MIN_DIGITS} digits, or a passphrase of at least {MIN_PASSPHRASE} characters."
    )
}

pub fn first_owner_hint() -> &'static str {
    "Nobody can sign in to this organisation yet. You become its owner: you can then add your colleagues and give each a set-up code."
}

/// A link's organisation keys that do not read.
pub fn link_keys_unreadable(why: &dyn std::fmt::Display) -> String {
    format!("The organisation keys in this link could not be read ({why}). Ask a manager for a new link; nothing on this device was changed. Reload to carry on without them.")
}

/// A link's keys of another organisation than the one this device works for.
pub fn link_keys_foreign() -> &'static str {
    "The organisation keys in this link belong to another organisation than this device's; nothing on this device was changed. Reload to carry on without them."
}

/// The lock screen of a device whose organisation's data it cannot open yet.
/// A device that opened a link waits for the manager's device that made it.
pub fn awaits_approval(device: &str) -> String {
    format!("This device waits for a manager to approve it. On the manager's device that made its link, open Settings, Devices, and approve {device}. It then reads the organisation's data.")
}

/// Which content key this device seals with, and why it changes.
pub fn key_epoch(epoch: u32) -> String {
    format!("This device seals with key {epoch}. A manager's device makes a new key after each revocation, so a revoked device cannot read anything written since.")
}

/// A manager's device whose keys are older than the organisation's newest.
pub fn keys_behind() -> &'static str {
    "The organisation has a newer key than this device: it cannot approve devices or make a new key until a manager's device with the newer key is online and passes it on."
}

pub fn needs_keys() -> &'static str {
    "This device has not been given the organisation's keys, so it cannot read the list of who may sign in. On a manager's device, open Settings, Add a device, and open the link it makes here."
}

/// The first keys of a new organisation could not be stored on this device.
pub fn keys_not_stored(why: &dyn std::fmt::Display) -> String {
    format!("The organisation's keys could not be stored on this device ({why}), so nothing was set up. Try again.")
}

/// The set-up screen of a device the relay ordered wiped; `at_ms` is when, in ms since the
/// epoch (as stored).
pub fn wiped(at_ms: &str) -> String {
    let when = at_ms
        .parse::<i64>()
        .ok()
        .and_then(chrono::DateTime::from_timestamp_millis)
        .map(|t| format!(" on {}", t.format("%-d %b %Y at %H:%M UTC")))
        .unwrap_or_default();
    format!("This device's access to the organisation was revoked{when}, so everything it held was deleted from it: the schedule, the edits not yet sent, its keys and its settings. To use it again, ask a manager for a new link.")
}

/// The lock screen of a device that has not reached the relay for longer than it may.
pub fn away_too_long(days: u32) -> String {
    format!("This device has not reached the relay for more than {days} days, so its data stays locked until it does. Connect it to the network; nothing stored on it is lost.")
}
