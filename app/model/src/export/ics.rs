//! iCalendar (RFC 5545) for a day's schedule, to open in a calendar application.

use chrono::NaiveDateTime;

use super::{confirmed_or_later, room_name, type_name};
use crate::{Appointment, Directory};

const PRODID: &str = "-//Front desk//Schedules//EN";
/// RFC 5545 §3.1: a content line longer than this, in octets, is folded.
const MAX_LINE_OCTETS: usize = 75;
/// Times are the site's wall clock, written as "floating" local times without a zone:
/// a calendar shows 10:00 as 10:00, which is what the practice booked.
const LOCAL_TIME: &str = "%Y%m%dT%H%M%S";

/// The appointments that hold their slot, one VEVENT each; cancelled, no-show, waitlist
/// and mistaken ones are left out, as they take no time in anyone's day. `stamp_utc` is
/// when the file is made, in UTC; calendars use it to tell a newer copy of an event.
pub fn ics_calendar(
    appointments: &[Appointment],
    directory: &Directory,
    site_name: &str,
    stamp_utc: NaiveDateTime,
) -> String {
    let mut out = Lines::default();
    out.raw("BEGIN", "VCALENDAR");
    out.raw("VERSION", "2.0");
    out.raw("PRODID", PRODID);
    out.raw("CALSCALE", "GREGORIAN");
    let stamp = stamp_utc.format("%Y%m%dT%H%M%SZ").to_string();
    for a in appointments.iter().filter(|a| a.status.holds_slot()) {
        out.raw("BEGIN", "VEVENT");
        out.raw("UID", &format!("{}@front-desk", a.id));
        out.raw("DTSTAMP", &stamp);
        out.raw("DTSTART", &a.start.format(LOCAL_TIME).to_string());
        out.raw("DTEND", &a.end().format(LOCAL_TIME).to_string());
        let kind = type_name(a, directory).unwrap_or("Appointment");
        out.text("SUMMARY", &format!("{} – {kind}", a.patient_name));
        if let Some(room) = room_name(a, directory) {
            out.text("LOCATION", &format!("{site_name}, {room}"));
        }
        if !a.reason.is_empty() {
            out.text("DESCRIPTION", &a.reason);
        }
        let status = if confirmed_or_later(a.status) {
            "CONFIRMED"
        } else {
            "TENTATIVE"
        };
        out.raw("STATUS", status);
        out.raw("END", "VEVENT");
    }
    out.raw("END", "VCALENDAR");
    out.0
}

/// Content lines, each folded and ended with CRLF. Other calendars of the practice (a
/// person's shifts) are written with it too.
#[derive(Default)]
pub(crate) struct Lines(String);

impl Lines {
    /// A property whose value is already in its iCalendar form (a date-time, a code).
    pub(crate) fn raw(&mut self, name: &str, value: &str) {
        fold_into(&mut self.0, &format!("{name}:{value}"));
    }

    /// A TEXT property: the value as a person wrote it, escaped.
    pub(crate) fn text(&mut self, name: &str, value: &str) {
        self.raw(name, &escape_text(value));
    }

    /// The lines that open a calendar made by `prodid`.
    pub(crate) fn calendar(prodid: &str) -> Self {
        let mut out = Self::default();
        out.raw("BEGIN", "VCALENDAR");
        out.raw("VERSION", "2.0");
        out.raw("PRODID", prodid);
        out.raw("CALSCALE", "GREGORIAN");
        out
    }

    /// A DATE-TIME property in the site's wall-clock time, as [`LOCAL_TIME`] explains.
    pub(crate) fn local_time(&mut self, name: &str, time: NaiveDateTime) {
        self.raw(name, &time.format(LOCAL_TIME).to_string());
    }

    /// A DATE-TIME property in UTC, such as DTSTAMP.
    pub(crate) fn utc_time(&mut self, name: &str, time_utc: NaiveDateTime) {
        self.raw(name, &time_utc.format("%Y%m%dT%H%M%SZ").to_string());
    }

    /// Closes the calendar that [`Lines::calendar`] opened: the file's text.
    pub(crate) fn end_calendar(mut self) -> String {
        self.raw("END", "VCALENDAR");
        self.0
    }
}

/// Escapes a TEXT value (RFC 5545 §3.3.11). A line break of any kind becomes `\n`; other
/// control characters, which TEXT may not hold, are dropped rather than break the file.
fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push_str("\\n");
            }
            '\t' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends `line` and its CRLF, folded so that no physical line exceeds 75 octets
/// (RFC 5545 §3.1): a fold is CRLF plus one space, which counts towards the next line.
/// Folds fall between characters, so each physical line stays valid UTF-8 for the readers
/// that do not unfold before decoding.
fn fold_into(out: &mut String, line: &str) {
    let mut octets = 0;
    for c in line.chars() {
        if octets + c.len_utf8() > MAX_LINE_OCTETS {
            out.push_str("\r\n ");
            octets = 1;
        }
        out.push(c);
        octets += c.len_utf8();
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_text_values() {
        let check = |input: &str, expected: &str| assert_eq!(escape_text(input), expected);
        check("Check-up", "Check-up");
        check("Main Street, Room 2", "Main Street\\, Room 2");
        check("x-ray; bloods", "x-ray\\; bloods");
        check("C:\\scans", "C:\\\\scans");
        check("line one\nline two", "line one\\nline two");
        check("windows\r\nbreak", "windows\\nbreak");
        check("old mac\rbreak", "old mac\\nbreak");
        check("bell\u{7}gone\ttab kept", "bellgone\ttab kept");
        check("Zoë – ½ day", "Zoë – ½ day");
    }

    fn folded(line: &str) -> String {
        let mut out = String::new();
        fold_into(&mut out, line);
        out
    }

    #[test]
    fn folds_only_lines_over_75_octets() {
        let exactly = "a".repeat(MAX_LINE_OCTETS);
        assert_eq!(folded(&exactly), format!("{exactly}\r\n"));
        let over = "a".repeat(MAX_LINE_OCTETS + 1);
        assert_eq!(folded(&over), format!("{exactly}\r\n a\r\n"));
        // The continuation holds 74 octets after its space.
        let long = "b".repeat(MAX_LINE_OCTETS + 74 + 1);
        let out = folded(&long);
        let lines: Vec<&str> = out.split("\r\n").collect();
        assert_eq!(
            lines.iter().map(|l| l.len()).collect::<Vec<_>>(),
            [75, 75, 2, 0]
        );
    }

    #[test]
    fn folds_between_characters() {
        // 74 octets of ASCII, then a 2-octet "ë": it does not fit and moves whole.
        let line = format!("{}ë", "a".repeat(74));
        assert_eq!(folded(&line), format!("{}\r\n ë\r\n", "a".repeat(74)));
        for text in [
            "ë".repeat(100),
            "🦷".repeat(40),
            format!("a{}", "–".repeat(60)),
        ] {
            let out = folded(&text);
            for physical in out.split("\r\n") {
                assert!(physical.len() <= MAX_LINE_OCTETS, "{physical:?}");
            }
            assert_eq!(out.replace("\r\n ", ""), format!("{text}\r\n"));
        }
    }
}
