//! One appointment and the rules for booking it.

use std::fmt;

use autosurgeon::{Hydrate, Reconcile};
use chrono::{NaiveDateTime, TimeDelta};
use serde::{Deserialize, Serialize};

use crate::model::ProviderId;

/// Shortest and longest appointment a desk may book, in minutes.
pub const MIN_DURATION_MINUTES: u32 = 5;
pub const MAX_DURATION_MINUTES: u32 = 480;
/// Longest patient name, in characters.
pub const MAX_NAME_CHARS: usize = 120;
/// How far before now a start may lie without being a back-entry: a walk-in booked into
/// the slot that has just begun is not a mistake.
pub const PAST_GRACE_MINUTES: i64 = 15;

/// A random id, so that two desks booking at once never collide.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Serialize, Deserialize)]
pub struct AppointmentId(String);

impl AppointmentId {
    pub fn random() -> Self {
        Self(uuid::Uuid::new_v4().to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<String> for AppointmentId {
    fn from(id: String) -> Self {
        Self(id)
    }
}

impl fmt::Display for AppointmentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where an appointment stands. The schedules work adds the rest of the front-desk flow.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Reconcile, Hydrate, Serialize, Deserialize)]
pub enum Status {
    Booked,
    Cancelled,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Self::Booked => "Booked",
            Self::Cancelled => "Cancelled",
        }
    }
}

/// One entry of an appointment's append-only status history.
#[derive(Clone, PartialEq, Eq, Debug, Reconcile, Hydrate)]
pub struct StatusChange {
    pub status: Status,
    /// Wall-clock time at the site, `YYYY-MM-DDTHH:MM:SS`.
    pub at: String,
    /// The device that made the change, by its name.
    pub device: String,
}

/// An appointment as stored in a schedule document.
///
/// Times are the site's wall-clock time: a practice books "10:00 at Main Street", and the
/// month document an appointment lives in follows the same calendar.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Appointment {
    pub id: AppointmentId,
    pub patient_name: String,
    pub phone: Option<String>,
    pub start: NaiveDateTime,
    pub duration_minutes: u32,
    pub provider: ProviderId,
    pub status: Status,
    pub history: Vec<StatusChange>,
}

impl Appointment {
    pub fn end(&self) -> NaiveDateTime {
        self.start + TimeDelta::minutes(i64::from(self.duration_minutes))
    }
}

/// What a person typed into the booking form, before validation.
#[derive(Clone, Default, Debug, PartialEq, Eq)]
pub struct BookingForm {
    pub patient_name: String,
    pub phone: String,
    /// `YYYY-MM-DDTHH:MM`, as an `<input type="datetime-local">` gives it.
    pub start: String,
    pub duration_minutes: String,
    pub provider: String,
    /// The person confirmed that a start in the past is meant: recording what happened.
    pub back_entry: bool,
}

/// A message per form field that is wrong; empty when the form is valid.
#[derive(Clone, Default, Debug, PartialEq, Eq)]
pub struct FieldErrors {
    pub patient_name: Option<String>,
    pub phone: Option<String>,
    pub start: Option<String>,
    pub duration_minutes: Option<String>,
    pub provider: Option<String>,
}

impl FieldErrors {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// A booking that passed validation, ready to be written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidBooking {
    pub patient_name: String,
    pub phone: Option<String>,
    pub start: NaiveDateTime,
    pub duration_minutes: u32,
    pub provider: ProviderId,
}

impl BookingForm {
    /// Checks every field at once, so that the person sees all that is wrong in one go.
    /// `providers` are the ids the site offers; `now` is the site's wall-clock time.
    pub fn validate(
        &self,
        providers: &[ProviderId],
        now: NaiveDateTime,
    ) -> Result<ValidBooking, FieldErrors> {
        let mut errors = FieldErrors::default();

        let patient_name = self
            .patient_name
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if patient_name.is_empty() {
            errors.patient_name = Some("Enter the patient's name.".into());
        } else if patient_name.chars().count() > MAX_NAME_CHARS {
            errors.patient_name = Some(format!("Use at most {MAX_NAME_CHARS} characters."));
        }

        let phone = self.phone.trim();
        let phone_ok = phone
            .chars()
            .all(|c| c.is_ascii_digit() || " +-().".contains(c))
            && phone.chars().filter(char::is_ascii_digit).count() <= 15;
        if !phone_ok {
            errors.phone = Some("Use digits, spaces and + - ( ) only, at most 15 digits.".into());
        } else if !phone.is_empty() && phone.chars().filter(char::is_ascii_digit).count() < 3 {
            errors.phone = Some("That number is too short.".into());
        }

        let start = parse_local_datetime(self.start.trim());
        match start {
            None => errors.start = Some("Enter a valid date and time.".into()),
            Some(start)
                if !self.back_entry && start < now - TimeDelta::minutes(PAST_GRACE_MINUTES) =>
            {
                errors.start = Some(
                    "This time has passed. Tick \"Back-entry\" to record a past appointment."
                        .into(),
                )
            }
            Some(_) => {}
        }

        let duration = self.duration_minutes.trim().parse::<u32>().ok();
        match duration {
            Some(d) if (MIN_DURATION_MINUTES..=MAX_DURATION_MINUTES).contains(&d) => {}
            _ => {
                errors.duration_minutes = Some(format!(
                    "Enter whole minutes from {MIN_DURATION_MINUTES} to {MAX_DURATION_MINUTES}."
                ))
            }
        }

        let provider = ProviderId::from(self.provider.clone());
        if !providers.contains(&provider) {
            errors.provider = Some("Choose a provider.".into());
        }

        match (start, duration) {
            (Some(start), Some(duration_minutes)) if errors.is_empty() => Ok(ValidBooking {
                patient_name,
                phone: (!phone.is_empty()).then(|| phone.to_string()),
                start,
                duration_minutes,
                provider,
            }),
            _ => Err(errors),
        }
    }
}

/// Parses `YYYY-MM-DDTHH:MM` (with optional seconds), as browsers give local date-times.
pub fn parse_local_datetime(text: &str) -> Option<NaiveDateTime> {
    ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
}

/// Formats a wall-clock time the way the documents store it.
pub fn format_local_datetime(at: NaiveDateTime) -> String {
    at.format("%Y-%m-%dT%H:%M:%S").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(name: &str, start: &str, duration: &str, provider: &str) -> BookingForm {
        BookingForm {
            patient_name: name.into(),
            phone: String::new(),
            start: start.into(),
            duration_minutes: duration.into(),
            provider: provider.into(),
            back_entry: false,
        }
    }

    fn now() -> NaiveDateTime {
        parse_local_datetime("2026-11-22T08:00").expect("valid")
    }

    fn providers() -> Vec<ProviderId> {
        vec![ProviderId::from("dr-a".to_string())]
    }

    /// Checks which fields a form gets messages for.
    fn check(form: BookingForm, bad_fields: &[&str]) {
        let result = form.validate(&providers(), now());
        let errors = result.clone().err().unwrap_or_default();
        let got: Vec<&str> = [
            ("patient_name", &errors.patient_name),
            ("phone", &errors.phone),
            ("start", &errors.start),
            ("duration_minutes", &errors.duration_minutes),
            ("provider", &errors.provider),
        ]
        .iter()
        .filter(|(_, e)| e.is_some())
        .map(|(name, _)| *name)
        .collect();
        assert_eq!(got, bad_fields, "{form:?}");
        assert_eq!(result.is_ok(), bad_fields.is_empty());
    }

    #[test]
    fn booking_validation() {
        check(form("Alex Sample", "2026-11-23T10:00", "30", "dr-a"), &[]);
        check(
            form("  Alex   Sample ", "2026-11-23T10:00:00", "5", "dr-a"),
            &[],
        );
        check(form("Alex Sample", "2026-11-23T10:00", "480", "dr-a"), &[]);
        check(
            form("", "2026-11-23T10:00", "30", "dr-a"),
            &["patient_name"],
        );
        check(
            form("   ", "2026-11-23T10:00", "30", "dr-a"),
            &["patient_name"],
        );
        check(
            form(&"x".repeat(121), "2026-11-23T10:00", "30", "dr-a"),
            &["patient_name"],
        );
        check(form("Alex", "2026-02-30T10:00", "30", "dr-a"), &["start"]);
        check(form("Alex", "tomorrow", "30", "dr-a"), &["start"]);
        check(form("Alex", "", "30", "dr-a"), &["start"]);
        check(
            form("Alex", "2026-11-23T10:00", "4", "dr-a"),
            &["duration_minutes"],
        );
        check(
            form("Alex", "2026-11-23T10:00", "0", "dr-a"),
            &["duration_minutes"],
        );
        check(
            form("Alex", "2026-11-23T10:00", "-15", "dr-a"),
            &["duration_minutes"],
        );
        check(
            form("Alex", "2026-11-23T10:00", "481", "dr-a"),
            &["duration_minutes"],
        );
        check(
            form("Alex", "2026-11-23T10:00", "2.5", "dr-a"),
            &["duration_minutes"],
        );
        check(
            form("Alex", "2026-11-23T10:00", "30", "dr-zzz"),
            &["provider"],
        );
        check(
            form("", "nope", "0", ""),
            &["patient_name", "start", "duration_minutes", "provider"],
        );
    }

    #[test]
    fn a_start_in_the_past_needs_a_deliberate_back_entry() {
        check(form("Alex", "2026-11-22T07:45", "30", "dr-a"), &[]);
        check(form("Alex", "2026-11-22T07:44", "30", "dr-a"), &["start"]);
        check(form("Alex", "2025-01-01T09:00", "30", "dr-a"), &["start"]);
        let back_entry = BookingForm {
            back_entry: true,
            ..form("Alex", "2025-01-01T09:00", "30", "dr-a")
        };
        check(back_entry, &[]);
    }

    #[test]
    fn phone_validation() {
        let with_phone = |phone: &str| BookingForm {
            phone: phone.into(),
            ..form("Alex", "2026-11-23T10:00", "30", "dr-a")
        };
        check(with_phone("+1 (555) 010-0199"), &[]);
        check(with_phone("555-0100 ext"), &["phone"]);
        check(with_phone("12"), &["phone"]);
        check(with_phone("1234567890123456"), &["phone"]);
        let valid = with_phone(" 555 0100 ")
            .validate(&providers(), now())
            .expect("valid");
        assert_eq!(valid.phone.as_deref(), Some("555 0100"));
        let valid = with_phone("").validate(&providers(), now()).expect("valid");
        assert_eq!(valid.phone, None);
    }
}
