//! The booking form as typed, and its validation into a [`ValidBooking`].

use chrono::{Datelike, NaiveDate, NaiveDateTime, TimeDelta};

use crate::appointment::{Appointment, Frequency, Recurrence, RecurrenceEnd};
use crate::{tidy, Directory, ProviderId, RoomId, SiteId, TypeId};

/// Shortest and longest appointment a desk may book, in minutes.
pub const MIN_DURATION_MINUTES: u32 = 5;
pub const MAX_DURATION_MINUTES: u32 = 480;
/// Longest patient name, in characters.
pub const MAX_NAME_CHARS: usize = 120;
const MAX_NOTES_CHARS: usize = 2000;
const MAX_REASON_CHARS: usize = 200;
/// How far before now a start may lie without being a back-entry: a walk-in booked into
/// the slot that has just begun is not a mistake.
pub const PAST_GRACE_MINUTES: i64 = 15;
/// The oldest date of birth accepted, in years before today.
const MAX_AGE_YEARS: i32 = 130;

/// A date of birth as typed (`YYYY-MM-DD`, or empty for none), checked against `today`.
pub fn check_dob(typed: &str, today: NaiveDate) -> Result<Option<NaiveDate>, String> {
    match typed.trim() {
        "" => Ok(None),
        text => match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            Ok(d) if d > today => Err("A date of birth cannot be in the future.".into()),
            Ok(d) if today.year() - d.year() > MAX_AGE_YEARS => {
                Err(format!("That is over {MAX_AGE_YEARS} years ago."))
            }
            Ok(d) => Ok(Some(d)),
            Err(_) => Err("Enter a real date, like 1980-04-30.".into()),
        },
    }
}

/// A phone number as typed (trimmed; empty for none): digits, spaces and `+ - ( ) .`,
/// 3 to 15 digits.
pub fn check_phone(phone: &str) -> Result<(), String> {
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    if !phone
        .chars()
        .all(|c| c.is_ascii_digit() || " +-().".contains(c))
        || digits > 15
    {
        Err("Use digits, spaces and + - ( ) only, at most 15 digits.".into())
    } else if !phone.is_empty() && digits < 3 {
        Err("That number is too short.".into())
    } else {
        Ok(())
    }
}

/// An e-mail address as typed (trimmed; empty for none).
pub fn check_email(email: &str) -> Result<(), String> {
    if !email.is_empty() && !plausible_email(email) {
        Err("Enter an address like name@example.org.".into())
    } else {
        Ok(())
    }
}

/// What a person typed into the booking form, before validation.
#[derive(Clone, Default, Debug, PartialEq, Eq)]
pub struct BookingForm {
    /// The patient picked from the register, or empty for one to register.
    pub patient_id: String,
    pub patient_name: String,
    /// `YYYY-MM-DD`, as an `<input type="date">` gives it; may be empty.
    pub dob: String,
    pub phone: String,
    pub email: String,
    pub notes: String,
    /// An appointment type id, or empty.
    pub type_id: String,
    pub provider: String,
    /// A room id, or empty.
    pub room: String,
    /// `YYYY-MM-DDTHH:MM`, as an `<input type="datetime-local">` gives it.
    pub start: String,
    pub duration_minutes: String,
    pub reason: String,
    /// The person confirmed that a start in the past is meant: recording what happened.
    pub back_entry: bool,
    /// Empty for a single appointment, else `weekly`, `fortnightly` or `monthly`.
    pub repeat: String,
    /// How many times in all; or else `repeat_until`.
    pub repeat_count: String,
    /// `YYYY-MM-DD`.
    pub repeat_until: String,
}

/// A message per form field that is wrong; empty when the form is valid.
#[derive(Clone, Default, Debug, PartialEq, Eq)]
pub struct FieldErrors {
    pub patient_name: Option<String>,
    pub dob: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub notes: Option<String>,
    pub type_id: Option<String>,
    pub provider: Option<String>,
    pub room: Option<String>,
    pub start: Option<String>,
    pub duration_minutes: Option<String>,
    pub reason: Option<String>,
    pub repeat: Option<String>,
}

impl FieldErrors {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// A booking that passed validation, ready to be written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidBooking {
    pub patient: Option<crate::patient::PatientId>,
    pub patient_name: String,
    pub dob: Option<NaiveDate>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub notes: String,
    pub type_id: Option<TypeId>,
    pub provider: ProviderId,
    pub room: Option<RoomId>,
    pub start: NaiveDateTime,
    pub duration_minutes: u32,
    pub reason: String,
    pub recurrence: Option<Recurrence>,
}

impl ValidBooking {
    /// A booking with only the essentials, for code that books without a form (the demo
    /// clinic, tests).
    pub fn new(
        patient_name: &str,
        provider: ProviderId,
        start: NaiveDateTime,
        duration_minutes: u32,
    ) -> Self {
        Self {
            patient: None,
            patient_name: patient_name.to_string(),
            dob: None,
            phone: None,
            email: None,
            notes: String::new(),
            type_id: None,
            provider,
            room: None,
            start,
            duration_minutes,
            reason: String::new(),
            recurrence: None,
        }
    }
}

impl BookingForm {
    /// The form filled from an appointment, for editing it.
    pub fn from_appointment(a: &Appointment) -> Self {
        Self {
            patient_id: a
                .patient
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            patient_name: a.patient_name.clone(),
            dob: a.dob.map(|d| d.to_string()).unwrap_or_default(),
            phone: a.phone.clone().unwrap_or_default(),
            email: a.email.clone().unwrap_or_default(),
            notes: a.notes.clone(),
            type_id: a
                .type_id
                .as_ref()
                .map(|t| t.to_string())
                .unwrap_or_default(),
            provider: a.provider.to_string(),
            room: a.room.as_ref().map(|r| r.to_string()).unwrap_or_default(),
            start: a.start.format("%Y-%m-%dT%H:%M").to_string(),
            duration_minutes: a.duration_minutes.to_string(),
            reason: a.reason.clone(),
            back_entry: false,
            repeat: String::new(),
            repeat_count: String::new(),
            repeat_until: String::new(),
        }
    }

    /// Checks every field at once, so that the person sees all that is wrong in one go.
    /// The provider must work at `site`, and the room be one of its rooms. `now` is the
    /// site's wall-clock time. `unchanged_start` is the start an edited appointment already
    /// has: keeping it needs no back-entry.
    // The errors are as large as the form and made once a submit: no reason to box them.
    #[allow(clippy::result_large_err)]
    pub fn validate(
        &self,
        directory: &Directory,
        site: &SiteId,
        now: NaiveDateTime,
        unchanged_start: Option<NaiveDateTime>,
    ) -> Result<ValidBooking, FieldErrors> {
        let mut errors = FieldErrors::default();

        let patient_name = tidy(&self.patient_name);
        if patient_name.is_empty() {
            errors.patient_name = Some("Enter the patient's name.".into());
        } else if patient_name.chars().count() > MAX_NAME_CHARS {
            errors.patient_name = Some(format!("Use at most {MAX_NAME_CHARS} characters."));
        }

        let dob = check_dob(&self.dob, now.date()).unwrap_or_else(|e| {
            errors.dob = Some(e);
            None
        });
        let phone = self.phone.trim();
        if let Err(e) = check_phone(phone) {
            errors.phone = Some(e);
        }
        let email = self.email.trim();
        if let Err(e) = check_email(email) {
            errors.email = Some(e);
        }

        let notes = self.notes.trim().to_string();
        if notes.chars().count() > MAX_NOTES_CHARS {
            errors.notes = Some(format!("Use at most {MAX_NOTES_CHARS} characters."));
        }
        let reason = tidy(&self.reason);
        if reason.chars().count() > MAX_REASON_CHARS {
            errors.reason = Some(format!("Use at most {MAX_REASON_CHARS} characters."));
        }

        let type_id = (!self.type_id.is_empty()).then(|| TypeId::from(self.type_id.clone()));
        if let Some(t) = &type_id {
            if directory.appointment_type(t).is_none() {
                errors.type_id = Some("That appointment type no longer exists.".into());
            }
        }

        let provider = ProviderId::from(self.provider.clone());
        if !directory
            .provider(&provider)
            .is_some_and(|p| p.works_at(site))
        {
            errors.provider = Some("Choose a provider.".into());
        }

        let room = (!self.room.is_empty()).then(|| RoomId::from(self.room.clone()));
        if let Some(r) = &room {
            if directory.room(r).is_none_or(|r| &r.site != site) {
                errors.room = Some("Choose a room at this site.".into());
            }
        }

        let start = parse_typed_datetime(&self.start);
        match start {
            // A day that reads with a time that does not: say how to type the time.
            None if self
                .start
                .trim()
                .split_once(['T', ' '])
                .is_some_and(|(day, _)| {
                    NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d").is_ok()
                }) =>
            {
                errors.start = Some(crate::clock::CLOCK_HINT.into())
            }
            None => errors.start = Some("Enter a valid date and time.".into()),
            Some(start)
                if !self.back_entry
                    && Some(start) != unchanged_start
                    && start < now - TimeDelta::minutes(PAST_GRACE_MINUTES) =>
            {
                errors.start = Some(
                    "This time has passed. Tick \"Back-entry\" to record a past appointment."
                        .into(),
                )
            }
            Some(_) => {}
        }

        let duration = self.duration_minutes.trim().parse::<u32>().ok();
        if !duration.is_some_and(|d| (MIN_DURATION_MINUTES..=MAX_DURATION_MINUTES).contains(&d)) {
            errors.duration_minutes = Some(format!(
                "Enter whole minutes from {MIN_DURATION_MINUTES} to {MAX_DURATION_MINUTES}."
            ));
        }

        let recurrence = match self.recurrence(start) {
            Ok(r) => r,
            Err(message) => {
                errors.repeat = Some(message);
                None
            }
        };

        match (start, duration) {
            (Some(start), Some(duration_minutes)) if errors.is_empty() => Ok(ValidBooking {
                patient: (!self.patient_id.is_empty())
                    .then(|| crate::patient::PatientId::from(self.patient_id.clone())),
                patient_name,
                dob,
                phone: (!phone.is_empty()).then(|| phone.to_string()),
                email: (!email.is_empty()).then(|| email.to_string()),
                notes,
                type_id,
                provider,
                room,
                start,
                duration_minutes,
                reason,
                recurrence,
            }),
            _ => Err(errors),
        }
    }

    fn recurrence(&self, start: Option<NaiveDateTime>) -> Result<Option<Recurrence>, String> {
        if self.repeat.is_empty() {
            return Ok(None);
        }
        let frequency =
            Frequency::parse(&self.repeat).ok_or("Choose how often it repeats.".to_string())?;
        let count = self.repeat_count.trim();
        let until = self.repeat_until.trim();
        let end = match (count.is_empty(), until.is_empty()) {
            (false, true) => match count.parse::<u32>() {
                Ok(n) if (2..=super::MAX_OCCURRENCES).contains(&n) => RecurrenceEnd::Count(n),
                _ => {
                    return Err(format!(
                        "Repeat from 2 to {} times in all.",
                        super::MAX_OCCURRENCES
                    ))
                }
            },
            (true, false) => {
                let day = NaiveDate::parse_from_str(until, "%Y-%m-%d")
                    .map_err(|_| "Enter the last day, like 2027-03-31.".to_string())?;
                if start.is_some_and(|s| day <= s.date()) {
                    return Err("The last day must come after the first appointment.".into());
                }
                RecurrenceEnd::Until(day)
            }
            _ => return Err("Give either a number of times or a last day.".into()),
        };
        Ok(Some(Recurrence { frequency, end }))
    }
}

fn plausible_email(email: &str) -> bool {
    match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !email.contains(char::is_whitespace)
                && !domain.contains('@')
        }
        None => false,
    }
}

/// Parses `YYYY-MM-DDTHH:MM` (with optional seconds), as documents store local date-times;
/// anything else is not a stored time.
pub fn parse_local_datetime(text: &str) -> Option<NaiveDateTime> {
    ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
}

/// Parses a day and a time as a form holds them: `day` + "T" (or a space) + the time as
/// typed into a time field (`crate::clock::parse_clock`: "9:30", "0930", "2:30 pm").
pub fn parse_typed_datetime(text: &str) -> Option<NaiveDateTime> {
    let (day, time) = text.trim().split_once(['T', ' '])?;
    crate::clock::parse_day_and_clock(day, time)
}

/// Formats a wall-clock time the way the documents store it.
pub fn format_local_datetime(at: NaiveDateTime) -> String {
    at.format("%Y-%m-%dT%H:%M:%S").to_string()
}
