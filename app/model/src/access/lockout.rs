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
