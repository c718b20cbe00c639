//! Made-up patients: names combined from small lists of invented first and last names,
//! phones in the 555-01xx range set aside for fiction, addresses at `example.org`. Nothing
//! here may ever look like a real person's record, because a newcomer may show the demo to
//! anyone.

use chrono::{Datelike, NaiveDate, TimeDelta};

const FIRST: [&str; 20] = [
    "Alex", "Blake", "Casey", "Dana", "Eden", "Finley", "Gray", "Harper", "Indy", "Jules", "Kai",
    "Logan", "Marlow", "Noor", "Oakley", "Parker", "Quinn", "Reese", "Sage", "Tatum",
];

const LAST: [&str; 12] = [
    "Sample",
    "Example",
    "Fixture",
    "Placeholder",
    "Testcase",
    "Mockwell",
    "Stubbs",
    "Dummyford",
    "Specimen",
    "Prototype",
    "Demoson",
    "Trialby",
];

/// The demo's random source, seeded by the caller: the same seed gives the same practice,
/// which keeps tests and screenshots repeatable.
pub(super) type Rng = model::random::Seeded;

/// A synthetic patient.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Patient {
    pub name: String,
    pub dob: NaiveDate,
    pub phone: String,
    pub email: Option<String>,
}

/// A patient aged `min_age..=max_age` years on `today`; about a third give an email.
pub(super) fn patient(rng: &mut Rng, today: NaiveDate, min_age: u32, max_age: u32) -> Patient {
    let first = *rng.pick(&FIRST);
    let last = *rng.pick(&LAST);
    let age = min_age + rng.below(max_age - min_age + 1);
    let year = today.year() - age as i32;
    let (month, day) = (1 + rng.below(12), 1 + rng.below(28));
    let dob = NaiveDate::from_ymd_opt(year, month, day)
        .expect("the 1st to the 28th exists in every month")
        // A baby "aged 0" drawn with a birthday later this year is born a month ago instead.
        .min(today - TimeDelta::days(30));
    let email = rng.chance(35).then(|| {
        format!(
            "{}.{}@example.org",
            first.to_lowercase(),
            last.to_lowercase()
        )
    });
    Patient {
        name: format!("{first} {last}"),
        dob,
        phone: format!("555-01{:02}", rng.below(100)),
        email,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patients_are_synthetic_and_plausible() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).expect("valid");
        let mut rng = Rng::new(0);
        for _ in 0..500 {
            let p = patient(&mut rng, today, 0, 90);
            let (first, last) = p.name.split_once(' ').expect("two names");
            assert!(FIRST.contains(&first) && LAST.contains(&last), "{}", p.name);
            assert!(
                p.dob < today && today.year() - p.dob.year() <= 91,
                "{}",
                p.dob
            );
            assert!(
                p.phone.starts_with("555-01") && p.phone.len() == 8,
                "{}",
                p.phone
            );
            assert!(p.email.is_none_or(|e| e.ends_with("@example.org")));
        }
    }

    #[test]
    fn small_seeds_give_different_streams() {
        let draws = |seed| {
            let mut rng = Rng::new(seed);
            (0..8).map(|_| rng.below(1000)).collect::<Vec<_>>()
        };
        assert_eq!(draws(1), draws(1));
        assert_ne!(draws(0), draws(1));
        assert_ne!(draws(1), draws(2));
    }
}
