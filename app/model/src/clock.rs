//! Times of day as the practice types and reads them: 24-hour, "14:30", everywhere. The
//! browser's own time fields follow its locale (08:00 AM on many tablets), so the app's
//! time fields are text read here, forgiving of how a person types a time.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

/// The sentence for a time that does not read.
pub const CLOCK_HINT: &str = "Type the time as 24-hour HH:MM, for example 14:30.";

/// Reads a time of day: "14:30", "9:05", "0930", "930", "9.30", "9" or "14" (on the hour),
/// with seconds ("14:30:00") as stored times carry them, and "2:30 pm" / "12 am" as some
/// people type. Anything else, or an hour past 23 or a minute past 59, is refused with
/// [`CLOCK_HINT`].
pub fn parse_clock(text: &str) -> Result<NaiveTime, String> {
    let bad = || CLOCK_HINT.to_string();
    let lower = text.trim().to_ascii_lowercase();
    let (digits, half) = match lower
        .strip_suffix("am")
        .or_else(|| lower.strip_suffix("a.m."))
        .or_else(|| lower.strip_suffix('a'))
    {
        Some(rest) => (rest.trim_end(), Some(false)),
        None => match lower
            .strip_suffix("pm")
            .or_else(|| lower.strip_suffix("p.m."))
            .or_else(|| lower.strip_suffix('p'))
        {
            Some(rest) => (rest.trim_end(), Some(true)),
            None => (lower.as_str(), None),
        },
    };
    let parts: Vec<&str> = digits.split([':', '.', 'h']).collect();
    let number = |s: &str| -> Option<u32> {
        (!s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let (hour, minute, second) = match parts.as_slice() {
        [whole]
            if whole.len() >= 3
                && whole.len() <= 4
                && whole.bytes().all(|b| b.is_ascii_digit()) =>
        {
            let (h, m) = whole.split_at(whole.len() - 2);
            (number(h), number(m), Some(0))
        }
        [h] => (number(h), Some(0), Some(0)),
        [h, m] if m.len() == 2 => (number(h), number(m), Some(0)),
        [h, m, s] if m.len() == 2 && s.len() == 2 => (number(h), number(m), number(s)),
        _ => (None, None, None),
    };
    let (Some(mut hour), Some(minute), Some(second)) = (hour, minute, second) else {
        return Err(bad());
    };
    if let Some(pm) = half {
        if !(1..=12).contains(&hour) {
            return Err(bad());
        }
        hour = match (hour, pm) {
            (12, false) => 0,
            (12, true) => 12,
            (h, true) => h + 12,
            (h, false) => h,
        };
    }
    NaiveTime::from_hms_opt(hour, minute, second).ok_or_else(bad)
}

/// A time of day as the app shows it and its fields hold it: "09:30".
pub fn clock_text(time: NaiveTime) -> String {
    time.format("%H:%M").to_string()
}

/// A date and a typed time, as a form holds them: "2026-12-08" and "9:30". `None` when
/// either does not read.
pub fn parse_day_and_clock(day: &str, time: &str) -> Option<NaiveDateTime> {
    let day = NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d").ok()?;
    Some(day.and_time(parse_clock(time).ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(text: &str) -> Option<String> {
        parse_clock(text).ok().map(clock_text)
    }

    #[test]
    fn reads_the_ways_people_type_a_time() {
        for (typed, read) in [
            ("14:30", "14:30"),
            ("9:05", "09:05"),
            (" 09:05 ", "09:05"),
            ("0930", "09:30"),
            ("930", "09:30"),
            ("9.30", "09:30"),
            ("9h30", "09:30"),
            ("9", "09:00"),
            ("14", "14:00"),
            ("00:00", "00:00"),
            ("23:59", "23:59"),
            ("14:30:00", "14:30"),
            ("2:30 pm", "14:30"),
            ("2:30PM", "14:30"),
            ("12 am", "00:00"),
            ("12:15 pm", "12:15"),
            ("8 a.m.", "08:00"),
            ("7p", "19:00"),
        ] {
            assert_eq!(t(typed).as_deref(), Some(read), "{typed:?}");
        }
    }

    #[test]
    fn refuses_what_is_not_a_time_with_the_hint() {
        for typed in [
            "",
            "24:00",
            "12:60",
            "9:3",
            "9:300",
            "12345",
            "half past",
            "13 pm",
            "0 am",
            "-1",
            "9:30:5",
            "9::30",
            ":30",
            "９:30",
        ] {
            assert_eq!(parse_clock(typed), Err(CLOCK_HINT.to_string()), "{typed:?}");
        }
    }

    #[test]
    fn a_day_and_a_typed_time_make_a_start() {
        let start = parse_day_and_clock("2026-12-08", "930").expect("reads");
        assert_eq!(start.to_string(), "2026-12-08 09:30:00");
        assert_eq!(parse_day_and_clock("2026-02-30", "09:30"), None);
        assert_eq!(parse_day_and_clock("2026-12-08", "25:00"), None);
    }
}
