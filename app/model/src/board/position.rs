//! Position keys for ordering cards on a task board (fractional indexing).
//!
//! Each card stores a short text key, and a list shows its cards sorted by
//! (key, card id) with plain byte-wise string comparison. A key is a fraction in
//! (0, 1) written in base 62 after the point, so "V" is about one half. Moving or
//! inserting a card writes one new key strictly between its new neighbours' keys,
//! which merges cleanly when several offline devices reorder the same list: no
//! list operations, only one field written per move.
//!
//! Between two keys the midpoint goes digit by digit (after David Greenspan's
//! "Implementing Fractional Indexing"). At either end of the list the key instead
//! steps by one digit, so appending or prepending again and again adds only one
//! byte every 61 cards.

/// The digits of a key, in ascending byte order: 0-9, A-Z, a-z (base 62).
pub const DIGITS: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// The number of digits, as a digit value one past the largest.
const BASE: u8 = 62;
/// The value of the largest digit, 'z'.
const TOP: u8 = BASE - 1;
/// The value of 'V', the digit nearest one half.
const HALF: u8 = BASE / 2;

/// Whether `key` is a key this module made: non-empty, only [`DIGITS`], and not ending
/// in '0' (so no two different keys stand for the same fraction).
pub fn is_valid(key: &str) -> bool {
    !key.is_empty() && !key.ends_with('0') && key.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// A key strictly between `before` and `after` (None: the start or end of the list).
///
/// Deterministic. When `before >= after` (two cards that got the same key from
/// concurrent inserts, or a damaged order) the result is strictly greater than
/// `before` and `after` is ignored; an invalid `before` or `after` counts as None.
pub fn between(before: Option<&str>, after: Option<&str>) -> String {
    let (before, after) = bounds(before, after);
    let digits = match (before, after) {
        (None, None) => vec![HALF],
        (Some(a), None) => above(&values(a)),
        (None, Some(b)) => below(&values(b)),
        (Some(a), Some(b)) => midpoint(&values(a), Some(&values(b))),
    };
    encode(&digits)
}

/// Like [`between`], but with one or two digits taken from `jitter` appended (the last
/// never '0') when the key stays strictly below `after`, so two devices inserting at the same place at the
/// same moment rarely produce equal keys. Strictly between whenever `between` is.
pub fn between_jittered(before: Option<&str>, after: Option<&str>, jitter: u64) -> String {
    let key = between(before, after);
    let (_, after) = bounds(before, after);
    // Both indices are below 62; the last digit appended is never '0'.
    let first = DIGITS[(jitter % 62) as usize];
    let second = DIGITS[(jitter / 62 % 61 + 1) as usize];
    let jittered = [[first, second].as_slice(), &[first.max(b'1')]]
        .into_iter()
        .map(|suffix| {
            key.chars()
                .chain(suffix.iter().map(|&d| char::from(d)))
                .collect()
        })
        .find(|candidate: &String| after.is_none_or(|b| candidate.as_str() < b));
    jittered.unwrap_or(key)
}

/// `n` keys in ascending order, evenly spread and as short as possible, for seeding
/// a list (`n` up to a few thousand).
pub fn spread(n: usize) -> Vec<String> {
    let slots = n as u128 + 1;
    let (mut length, mut scale) = (1, 62_u128);
    while scale < slots {
        (length, scale) = (length + 1, scale * 62);
    }
    // Key i is (i + 1) * scale / slots; scale >= slots makes the steps at least 1.
    let (step, rest) = (scale / slots, scale % slots);
    (1..slots)
        .map(|i| {
            let mut value = i * step + i * rest / slots;
            let mut digits = vec![0; length];
            for digit in digits.iter_mut().rev() {
                (*digit, value) = ((value % 62) as u8, value / 62);
            }
            while digits.last() == Some(&0) {
                digits.pop();
            }
            encode(&digits)
        })
        .collect()
}

/// The bounds `between` works with: valid keys only, and no `after` unless it is
/// above `before`.
fn bounds<'a>(
    before: Option<&'a str>,
    after: Option<&'a str>,
) -> (Option<&'a str>, Option<&'a str>) {
    let before = before.filter(|k| is_valid(k));
    let after = after
        .filter(|k| is_valid(k))
        .filter(|b| before.is_none_or(|a| a < *b));
    (before, after)
}

/// The digit values of a valid key.
fn values(key: &str) -> Vec<u8> {
    let value = |b: u8| DIGITS.iter().position(|&d| d == b).unwrap_or(0) as u8;
    key.bytes().map(value).collect()
}

fn encode(digits: &[u8]) -> String {
    digits
        .iter()
        .map(|&d| char::from(DIGITS[usize::from(d.min(TOP))]))
        .collect()
}

/// The shortest key one step above `a`: bump the first digit that is not 'z'.
fn above(a: &[u8]) -> Vec<u8> {
    let i = a.iter().take_while(|&&d| d == TOP).count();
    let mut out = a[..i].to_vec();
    out.push(a.get(i).map_or(1, |&d| d + 1));
    out
}

/// A short key one step below the valid key `b`, never ending in '0'.
fn below(b: &[u8]) -> Vec<u8> {
    let i = b.iter().take_while(|&&d| d == 0).count();
    let mut out = b[..i].to_vec();
    match b.get(i) {
        Some(&d) if d > 1 => out.push(d - 1),
        // "...1" followed by more digits: the prefix ending in 1 is below it.
        Some(_) if i + 1 < b.len() => out.push(1),
        // "0...01": go one digit deeper, "0...00z".
        _ => out.extend([0, TOP]),
    }
    out
}

/// The midpoint of `a < b` (`a` empty: zero; `b` None: one), as digit values.
fn midpoint(mut a: &[u8], mut b: Option<&[u8]>) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        if let Some(high) = b {
            // Copy the common prefix, reading `a` as padded with zeros.
            let n = high
                .iter()
                .enumerate()
                .take_while(|&(i, &d)| a.get(i).copied().unwrap_or(0) == d)
                .count();
            out.extend_from_slice(&high[..n]);
            a = a.get(n..).unwrap_or(&[]);
            // Only empty if `a < b` did not hold; then there is no upper bound left.
            b = Some(&high[n..]).filter(|rest| !rest.is_empty());
        }
        let low = a.first().copied().unwrap_or(0);
        let high = b.and_then(|b| b.first().copied()).unwrap_or(BASE);
        if high > low + 1 {
            // Halves round up under a real digit and down under the end of the
            // list, so closing in on either bound takes six keys per digit.
            out.push((low + high + u8::from(b.is_some())) / 2);
            return out;
        }
        if let Some(b) = b.filter(|b| b.len() > 1) {
            out.push(b[0]);
            return out;
        }
        // The first digits are neighbours: keep `a`'s and go one digit deeper, where
        // the only bound left is `a` from below.
        out.push(low);
        a = a.get(1..).unwrap_or(&[]);
        b = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ends_and_empty_list() {
        assert_eq!(between(None, None), "V");
        assert!(is_valid(&between(None, None)));
        for key in ["1", "V", "z", "zz", "Vabc", "0001"] {
            let up = between(Some(key), None);
            let down = between(None, Some(key));
            assert!(is_valid(&up) && up.as_str() > key, "{key} -> {up}");
            assert!(is_valid(&down) && down.as_str() < key, "{key} -> {down}");
        }
    }

    #[test]
    fn table() {
        let cases = [
            (Some("V"), None, "W"),
            (Some("y"), None, "z"),
            (Some("z"), None, "z1"),
            (Some("zzV"), None, "zzW"),
            (Some("Vabc"), None, "W"),
            (None, Some("V"), "U"),
            (None, Some("1"), "0z"),
            (None, Some("1V"), "1"),
            (None, Some("01"), "00z"),
            (Some("0"), Some("2"), "1"),
            (Some("1"), Some("3"), "2"),
            (Some("V"), Some("W"), "VV"),
            (Some("V"), Some("VV"), "VG"),
            (Some("V"), Some("WV"), "W"),
            (Some("V9"), Some("W"), "VZ"),
            (Some("a"), Some("z"), "n"),
            (Some("Vz"), Some("W"), "VzV"),
        ];
        for (a, b, want) in cases {
            assert_eq!(between(a, b), want, "between({a:?}, {b:?})");
        }
    }

    #[test]
    fn ties_and_damaged_order_go_above_before() {
        assert_eq!(between(Some("V"), Some("V")), "W");
        assert_eq!(between(Some("b"), Some("a")), "c");
        let jittered = between_jittered(Some("V"), Some("V"), 12_345);
        assert!(is_valid(&jittered) && jittered.as_str() > "V");
    }

    #[test]
    fn invalid_inputs_count_as_none() {
        for bad in ["", "abc!", "V0", "ü", "0"] {
            assert!(!is_valid(bad));
            assert_eq!(between(Some(bad), None), between(None, None));
            assert_eq!(between(None, Some(bad)), between(None, None));
            assert_eq!(between(Some(bad), Some("V")), between(None, Some("V")));
            assert_eq!(between(Some("V"), Some(bad)), between(Some("V"), None));
            assert!(is_valid(&between_jittered(Some(bad), Some(bad), u64::MAX)));
        }
    }

    #[test]
    fn jitter_stays_inside_and_varies() {
        let keys: Vec<_> = (0..100)
            .map(|j| between_jittered(Some("V"), Some("W"), j))
            .collect();
        assert!(keys
            .iter()
            .all(|k| is_valid(k) && "V" < k.as_str() && k.as_str() < "W"));
        assert!(keys.windows(2).all(|w| w[0] != w[1]));
        // "W" is a prefix of the bound, so the appended digits must stay under "V".
        for j in [0, 61, 62, 1_000, u64::MAX] {
            let key = between_jittered(Some("V"), Some("WV"), j);
            assert!(key.as_str() > "V" && key.as_str() < "WV", "{key}");
        }
    }

    #[test]
    fn spread_is_ascending_and_short() {
        assert_eq!(spread(1), ["V"]);
        assert_eq!(spread(3), ["F", "V", "k"]);
        for n in 0..=2000 {
            let keys = spread(n);
            assert_eq!(keys.len(), n);
            assert!(keys.iter().all(|k| is_valid(k) && k.len() <= 2), "{n}");
            assert!(keys.windows(2).all(|w| w[0] < w[1]), "{n}");
        }
    }

    /// Key lengths after 1,000 inserts into a list seeded with `spread(2)`, measured:
    /// 18 bytes appending at the end, 18 prepending at the start, 167 always right
    /// after the first card, 167 always right before the last, 167 always at the
    /// middle index (about one digit per six inserts into the same gap), and 5 at
    /// scattered places.
    #[test]
    fn growth_over_a_thousand_inserts() {
        let grow = |pick: &dyn Fn(usize, usize) -> usize| {
            let mut list = spread(2);
            for step in 0..1000 {
                let i = pick(step, list.len());
                let before = i.checked_sub(1).map(|j| list[j].as_str());
                let key = between(before, list.get(i).map(String::as_str));
                list.insert(i, key);
            }
            assert!(list.windows(2).all(|w| w[0] < w[1]));
            list.iter().map(String::len).max().unwrap_or(0)
        };
        assert!(grow(&|_, len| len) <= 20);
        assert!(grow(&|_, _| 0) <= 20);
        assert!(grow(&|_, _| 1) <= 200);
        assert!(grow(&|_, len| len - 1) <= 200);
        assert!(grow(&|_, len| len / 2) <= 200);
        assert!(grow(&|step, len| step * 2_654_435_761 % (len + 1)) <= 10);
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn key() -> impl Strategy<Value = String> {
        "[0-9A-Za-z]{0,11}[1-9A-Za-z]"
    }

    /// Two valid keys `a < b`, often sharing a prefix or one a prefix of the other.
    fn ordered_pair() -> impl Strategy<Value = (String, String)> {
        let tail = "[0-9A-Za-z]{0,5}";
        ("[0-9A-Za-z]{0,6}", tail, tail).prop_filter_map("equal", |(prefix, x, y)| {
            let trim = |tail: String| (prefix.clone() + &tail).trim_end_matches('0').to_string();
            let (a, b) = (trim(x), trim(y));
            let usable = !a.is_empty() && !b.is_empty() && a != b;
            usable.then(|| if a < b { (a, b) } else { (b, a) })
        })
    }

    proptest! {
        #[test]
        fn between_two_keys((a, b) in ordered_pair(), jitter in any::<u64>()) {
            for key in [between(Some(&a), Some(&b)), between_jittered(Some(&a), Some(&b), jitter)] {
                prop_assert!(is_valid(&key), "{}", key);
                prop_assert!(a < key && key < b, "{} < {} < {}", a, key, b);
            }
        }

        #[test]
        fn beyond_either_end(k in key(), jitter in any::<u64>()) {
            for key in [between(None, Some(&k)), between_jittered(None, Some(&k), jitter)] {
                prop_assert!(is_valid(&key) && key < k, "{} < {}", key, k);
            }
            for key in [between(Some(&k), None), between_jittered(Some(&k), None, jitter)] {
                prop_assert!(is_valid(&key) && key > k, "{} > {}", key, k);
            }
        }

        #[test]
        fn any_strings_never_panic(a in ".{0,8}", b in ".{0,8}", jitter in any::<u64>()) {
            let key = between_jittered(Some(&a), Some(&b), jitter);
            prop_assert!(is_valid(&key));
            if is_valid(&a) {
                prop_assert!(key > a);
            }
        }

        #[test]
        fn random_inserts_keep_the_list_sorted(
            ops in proptest::collection::vec((any::<usize>(), any::<u64>(), any::<bool>()), 1..200),
        ) {
            let mut list: Vec<String> = Vec::new();
            for (at, jitter, jittered) in ops {
                let i = at % (list.len() + 1);
                let before = i.checked_sub(1).map(|j| list[j].as_str());
                let after = list.get(i).map(String::as_str);
                let key = if jittered {
                    between_jittered(before, after, jitter)
                } else {
                    between(before, after)
                };
                list.insert(i, key);
            }
            prop_assert!(list.iter().all(|k| is_valid(k)));
            prop_assert!(list.windows(2).all(|w| w[0] < w[1]), "{:?}", list);
        }
    }
}
