//! Reconnect delays: exponential, capped, with jitter so that a room of tablets that lost
//! the network together does not hammer the relay together when it returns.

/// Delay before the first retry, in milliseconds.
pub const BASE_MS: u64 = 500;
/// Longest delay between retries, in milliseconds.
pub const CAP_MS: u64 = 30_000;

/// A small deterministic random source (xorshift64*), seeded by the driver, so that the
/// engine stays pure and tests are repeatable.
#[derive(Clone, Debug)]
pub struct Jitter(u64);

impl Jitter {
    pub fn new(seed: u64) -> Self {
        // Zero is the one state xorshift never leaves.
        Self(seed | 1)
    }

    /// A number in `[0, 1)`.
    pub fn next_unit(&mut self) -> f64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        (x.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// The delay before retry number `attempt` (0 for the first): half of the exponential
/// delay fixed, the other half random ("equal jitter").
pub fn delay_ms(attempt: u32, jitter: &mut Jitter) -> u64 {
    let exponential = BASE_MS.saturating_mul(1u64 << attempt.min(16)).min(CAP_MS);
    let half = exponential / 2;
    half + (half as f64 * jitter.next_unit()) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_stay_capped_and_vary() {
        let mut jitter = Jitter::new(7);
        let delays: Vec<u64> = (0..12).map(|n| delay_ms(n, &mut jitter)).collect();
        for (n, d) in delays.iter().enumerate() {
            let full = (BASE_MS << n.min(16)).min(CAP_MS);
            assert!(
                (full / 2..=full).contains(d),
                "attempt {n}: {d} outside {full}/2..={full}"
            );
        }
        assert!(delays[11] >= CAP_MS / 2);
        let mut other = Jitter::new(8);
        let other_delays: Vec<u64> = (0..12).map(|n| delay_ms(n, &mut other)).collect();
        assert_ne!(
            delays, other_delays,
            "two devices should not retry in lockstep"
        );
        assert!(delay_ms(1000, &mut jitter) <= CAP_MS);
    }
}
