//! Reconnect delays: exponential, capped, with jitter so that a room of tablets that lost
//! the network together does not hammer the relay together when it returns.

/// Delay before the first retry, in milliseconds.
pub const BASE_MS: u64 = 500;
/// Longest delay between retries, in milliseconds.
pub const CAP_MS: u64 = 30_000;

/// The random source of the jitter, seeded by the driver, so that the engine stays pure and
/// tests are repeatable.
pub type Jitter = model::random::Seeded;

/// The delay before retry number `attempt` (0 for the first): half of the exponential
/// delay fixed, the other half random ("equal jitter").
pub fn delay_ms(attempt: u32, jitter: &mut Jitter) -> u64 {
    let exponential = BASE_MS.saturating_mul(1u64 << attempt.min(16)).min(CAP_MS);
    let half = exponential / 2;
    half + (half as f64 * jitter.unit()) as u64
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
