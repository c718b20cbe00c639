//! Wrong PINs: growing waits, then a lock-out that only a manager lifts.
//!
//! Every wrong PIN is written into the directory as a record of its own (when, on which
//! device), so failures on two tablets add up once they have synced, and a person cannot
//! walk to the next desk to start again. A right PIN clears them; so does a manager.

/// Wrong PINs in a row after which a person is locked out.
pub const MAX_FAILURES: usize = 5;

/// How long to wait after the n-th wrong PIN in a row (index n - 1), in milliseconds.
pub const WAITS_MS: [i64; MAX_FAILURES - 1] = [0, 5_000, 30_000, 120_000];

/// Whether a person may try a PIN now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gate {
    Open,
    /// Not before this time (ms since the epoch).
    WaitUntil(i64),
    /// Until a manager unlocks them.
    Locked,
}

/// The gate for someone whose wrong PINs in a row were at `failures` (ms since the epoch,
/// any order), at `now_ms`. A failure stamped later than now (another device's clock runs
/// ahead) counts as now, so nobody waits longer than the stated time.
pub fn gate(failures: &[i64], now_ms: i64) -> Gate {
    let count = failures.len();
    if count >= MAX_FAILURES {
        return Gate::Locked;
    }
    let Some(last) = failures.iter().max() else {
        return Gate::Open;
    };
    let until = (*last).min(now_ms) + WAITS_MS[count - 1];
    if until > now_ms {
        Gate::WaitUntil(until)
    } else {
        Gate::Open
    }
}

/// Wrong PINs left before the lock-out, after `count` of them.
pub fn tries_left(count: usize) -> usize {
    MAX_FAILURES.saturating_sub(count)
}

/// Days without reaching the relay after which a device keeps its data locked, unless the
/// manager set another number for it.
pub const DEFAULT_OFFLINE_DAYS: u32 = 14;
/// The most days a device may be set to go without reaching the relay.
pub const MAX_OFFLINE_DAYS: u32 = 90;

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// Whether a device last in touch with the relay at `last_contact_ms` has been away longer
/// than `days` at `now_ms`, so that nobody may sign in on it until it reaches the relay
/// again (which also lets a revoked device hear that it must wipe itself). A device that
/// never reached the relay holds nothing of the organisation's to lock; a clock set back
/// before the last contact counts as in touch.
pub fn away_too_long(last_contact_ms: Option<i64>, now_ms: i64, days: u32) -> bool {
    last_contact_ms.is_some_and(|last| now_ms.saturating_sub(last) > i64::from(days) * DAY_MS)
}
