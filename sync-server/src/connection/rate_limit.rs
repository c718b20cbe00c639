//! A token bucket: a device may send `burst` messages at once and `rate` per second on
//! average, which a person at a desk never reaches and a runaway loop quickly does.

use tokio::time::Instant;

pub struct TokenBucket {
    rate: f64,
    burst: f64,
    tokens: f64,
    last: Instant,
}

impl TokenBucket {
    pub fn new(rate_per_second: f64, burst: u32, now: Instant) -> Self {
        let burst = f64::from(burst.max(1));
        Self {
            rate: rate_per_second.max(0.0),
            burst,
            tokens: burst,
            last: now,
        }
    }

    /// Takes one token if there is one.
    pub fn allow(&mut self, now: Instant) -> bool {
        let elapsed = now.saturating_duration_since(self.last).as_secs_f64();
        self.last = now;
        self.tokens = (self.tokens + elapsed * self.rate).min(self.burst);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    /// Sends a message at each offset (in milliseconds from the start) and checks which
    /// were allowed.
    fn check(rate: f64, burst: u32, sends_ms: &[u64], expected: &[bool]) {
        let start = Instant::now();
        let mut bucket = TokenBucket::new(rate, burst, start);
        let allowed: Vec<bool> = sends_ms
            .iter()
            .map(|&ms| bucket.allow(start + Duration::from_millis(ms)))
            .collect();
        assert_eq!(
            allowed, expected,
            "rate {rate}, burst {burst}, at {sends_ms:?}"
        );
    }

    #[test]
    fn bursts_then_refills_at_the_rate() {
        check(1.0, 2, &[0, 0, 0], &[true, true, false]);
        check(1.0, 2, &[0, 0, 999, 1000], &[true, true, false, true]);
        check(
            10.0,
            1,
            &[0, 50, 100, 150, 200],
            &[true, false, true, false, true],
        );
        // A long pause refills only up to the burst.
        check(
            10.0,
            2,
            &[0, 0, 10_000, 10_000, 10_000],
            &[true, true, true, true, false],
        );
        check(
            50.0,
            200,
            &[0; 201],
            &[vec![true; 200], vec![false]].concat(),
        );
    }
}
