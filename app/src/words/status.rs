//! What the sync status says about when the device last synced.

use chrono::{Datelike, NaiveDateTime};

/// When this device last synced with the relay, in the device's time: the time alone
/// today, with the day before, and with the year in an earlier one. The status shows
/// minutes, so a reload (which reads the stored time back) says the same as before it.
pub fn last_synced(at: Option<NaiveDateTime>, now: NaiveDateTime) -> String {
    match at {
        None => "Not synced yet".into(),
        Some(at) if at.date() == now.date() => format!("Last synced {}", at.format("%H:%M")),
        Some(at) if at.year() == now.year() => {
            format!("Last synced {}", at.format("%a %-d %b, %H:%M"))
        }
        Some(at) => format!("Last synced {}", at.format("%-d %b %Y, %H:%M")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").expect("a time")
    }

    #[test]
    fn says_the_time_today_and_the_day_before() {
        let now = at("2026-12-07 10:00");
        assert_eq!(last_synced(None, now), "Not synced yet");
        assert_eq!(
            last_synced(Some(at("2026-12-07 09:58")), now),
            "Last synced 09:58"
        );
        assert_eq!(
            last_synced(Some(at("2026-12-05 17:45")), now),
            "Last synced Sat 5 Dec, 17:45"
        );
        assert_eq!(
            last_synced(Some(at("2025-12-30 08:05")), now),
            "Last synced 30 Dec 2025, 08:05"
        );
    }
}
