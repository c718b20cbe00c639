//! Opening and working hours: one span a weekday, stored as `HH:MM-HH:MM` text.

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};

/// Hours for each weekday, Monday first; `None` is closed (or not working).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct WeekHours(pub [Option<(NaiveTime, NaiveTime)>; 7]);

pub const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

impl WeekHours {
    /// Monday to Friday, `open` to `close`; the weekend closed.
    pub fn weekdays(open: NaiveTime, close: NaiveTime) -> Self {
        let mut days = [None; 7];
        for day in days.iter_mut().take(5) {
            *day = Some((open, close));
        }
        Self(days)
    }

    /// The usual practice day, 08:00 to 18:00 on weekdays.
    pub fn office() -> Self {
        Self::weekdays(time(8, 0), time(18, 0))
    }

    pub fn on(&self, day: NaiveDate) -> Option<(NaiveTime, NaiveTime)> {
        self.0[day.weekday().num_days_from_monday() as usize]
    }

    /// Whether `start..end` lies inside the hours of `start`'s day.
    pub fn covers(&self, start: NaiveDateTime, end: NaiveDateTime) -> bool {
        match self.on(start.date()) {
            Some((open, close)) => {
                end.date() == start.date() && start.time() >= open && end.time() <= close
            }
            None => false,
        }
    }

    /// The stored form: seven `HH:MM-HH:MM` texts, empty for closed.
    pub fn to_texts(&self) -> Vec<String> {
        self.0.iter().map(|d| span_text(*d)).collect()
    }

    /// Reads the stored form; `None` when any day is not readable.
    pub fn from_texts(texts: &[String]) -> Option<Self> {
        if texts.len() != 7 {
            return None;
        }
        let mut days = [None; 7];
        for (day, text) in days.iter_mut().zip(texts) {
            *day = parse_span(text).ok()?;
        }
        Some(Self(days))
    }
}

pub fn time(hour: u32, minute: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(hour, minute, 0).expect("a valid time of day")
}

/// `08:00-17:00`, or empty for `None`.
pub fn span_text(span: Option<(NaiveTime, NaiveTime)>) -> String {
    span.map_or_else(String::new, |(open, close)| {
        format!("{}-{}", open.format("%H:%M"), close.format("%H:%M"))
    })
}

/// Reads `8:00-17:30` (an empty text, or "closed", is closed), as typed or stored.
pub fn parse_span(text: &str) -> Result<Option<(NaiveTime, NaiveTime)>, String> {
    let text = text.trim();
    if text.is_empty() || text.eq_ignore_ascii_case("closed") {
        return Ok(None);
    }
    let bad = || format!("\"{text}\" is not hours like 08:00-17:00.");
    let (open, close) = text.split_once('-').ok_or_else(bad)?;
    let parse = |t: &str| NaiveTime::parse_from_str(t.trim(), "%H:%M").map_err(|_| bad());
    let (open, close) = (parse(open)?, parse(close)?);
    if close <= open {
        return Err(format!("In \"{text}\" the end must come after the start."));
    }
    Ok(Some((open, close)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M").expect("valid")
    }

    #[test]
    fn spans_parse_and_print() {
        assert_eq!(
            parse_span("8:00-17:30"),
            Ok(Some((time(8, 0), time(17, 30))))
        );
        assert_eq!(parse_span(" closed "), Ok(None));
        assert_eq!(parse_span(""), Ok(None));
        assert!(parse_span("17:00-08:00").is_err());
        assert!(parse_span("9-5").is_err());
        assert!(parse_span("25:00-26:00").is_err());
        let hours = WeekHours::office();
        assert_eq!(WeekHours::from_texts(&hours.to_texts()), Some(hours));
        assert_eq!(WeekHours::from_texts(&vec!["x".to_string(); 7]), None);
        assert_eq!(WeekHours::from_texts(&[]), None);
    }

    #[test]
    fn covers_only_inside_the_day() {
        let hours = WeekHours::office();
        // 2026-11-23 is a Monday, 2026-11-22 a Sunday.
        assert!(hours.covers(at("2026-11-23T08:00"), at("2026-11-23T08:30")));
        assert!(hours.covers(at("2026-11-23T17:30"), at("2026-11-23T18:00")));
        assert!(!hours.covers(at("2026-11-23T17:45"), at("2026-11-23T18:15")));
        assert!(!hours.covers(at("2026-11-23T07:45"), at("2026-11-23T08:15")));
        assert!(!hours.covers(at("2026-11-22T10:00"), at("2026-11-22T10:30")));
    }
}
