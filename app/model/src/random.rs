//! The one seeded random source of the project's pure code: reconnect jitter in the sync
//! engine, the demo clinic, and the synthetic data of tests and benchmarks. The model takes
//! no randomness from the outside world (ids aside, which Automerge and `uuid` draw), so
//! whatever needs chance draws from this, seeded by the caller: the same seed gives the same
//! numbers, which keeps tests, screenshots and benchmark data repeatable.

/// xorshift64* (Marsaglia's xorshift with a multiplicative output step), seeded through one
/// splitmix64 step. Not for anything secret.
#[derive(Clone, Debug)]
pub struct Seeded(u64);

impl Seeded {
    pub fn new(seed: u64) -> Self {
        // One splitmix64 step spreads small seeds (0, 1, 2 …) over the whole state, and
        // `| 1` keeps it off zero, the one state xorshift never leaves.
        let mut z = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        Self((z ^ (z >> 31)) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `0..n`; `n` must not be zero.
    pub fn below(&mut self, n: u32) -> u32 {
        // The high bits of xorshift64* are its best; the modulo bias is irrelevant here.
        ((self.next_u64() >> 32) % u64::from(n)) as u32
    }

    /// An index into something `len` long; `len` must not be zero.
    pub fn index(&mut self, len: usize) -> usize {
        (self.next_u64() % len as u64) as usize
    }

    /// A number in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: u32) -> bool {
        self.below(100) < percent
    }

    /// One of `items`, which must not be empty.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        let len = u32::try_from(items.len()).expect("a list to pick from is short");
        &items[self.below(len) as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::Seeded;

    #[test]
    fn the_same_seed_gives_the_same_numbers_and_small_seeds_differ() {
        let draw = |seed| {
            let mut r = Seeded::new(seed);
            (0..8).map(|_| r.next_u64()).collect::<Vec<_>>()
        };
        assert_eq!(draw(0), draw(0));
        assert_ne!(draw(0), draw(1));
        assert!(draw(0).iter().all(|&x| x != 0));
    }

    #[test]
    fn draws_stay_in_range_and_spread() {
        let mut r = Seeded::new(42);
        let mut seen = [0u32; 10];
        for _ in 0..10_000 {
            let n = r.below(10);
            assert!(n < 10);
            seen[n as usize] += 1;
            let u = r.unit();
            assert!((0.0..1.0).contains(&u), "{u}");
        }
        // Each of ten values turns up roughly a tenth of the time.
        assert!(seen.iter().all(|&n| (800..1200).contains(&n)), "{seen:?}");
        assert!((0..1000).all(|_| !r.chance(0)));
        assert!((0..1000).all(|_| r.chance(100)));
    }
}
