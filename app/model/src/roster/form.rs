//! The shift form: a day, a start and an end time (the end on the next day for a night
//! shift), an unpaid break as minutes or as the span it is taken in, the person and the
//! position. Checked field by field; nothing is written from a form with a problem.

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};

use super::setup::{PositionId, ShiftTemplate};
use crate::directory::parse_span;
use crate::staff::credential::parse_date;
use crate::{tidy, StaffId};

/// The longest shift, in hours: a typo guard.
pub const MAX_SHIFT_HOURS: i64 = 16;

/// A shift's fields once checked.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ValidShift {
    pub staff: Option<StaffId>,
    pub position: Option<PositionId>,
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
    pub break_minutes: u32,
    pub note: String,
}

/// What a person typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ShiftForm {
    /// `YYYY-MM-DD`.
    pub day: String,
    /// `HH:MM`.
    pub start: String,
    pub end: String,
    /// The end is on the day after the start (a night shift).
    pub next_day: bool,
    /// Minutes ("30"), or the span it is taken in ("12:00-12:30"); empty for none.
    pub break_text: String,
    pub staff: Option<StaffId>,
    pub position: Option<PositionId>,
    pub note: String,
}

/// What is wrong with a form: (field, sentence), in the order of the form.
pub type ShiftErrors = Vec<(&'static str, String)>;

fn parse_time(text: &str, what: &str) -> Result<NaiveTime, String> {
    crate::clock::parse_clock(text)
        .map_err(|_| format!("The {what} \"{}\" is not a time like 07:30.", text.trim()))
}

impl ShiftForm {
    /// The form for a new shift on `day` from a template.
    pub fn from_template(day: NaiveDate, template: &ShiftTemplate) -> Self {
        Self {
            day: day.to_string(),
            start: template.start.format("%H:%M").to_string(),
            end: template.end.format("%H:%M").to_string(),
            next_day: template.overnight(),
            break_text: if template.break_minutes == 0 {
                String::new()
            } else {
                template.break_minutes.to_string()
            },
            staff: None,
            position: template.position.clone(),
            note: String::new(),
        }
    }

    /// The form showing a shift as it is.
    pub fn from_shift(shift: &ValidShift) -> Self {
        Self {
            day: shift.start.date().to_string(),
            start: shift.start.format("%H:%M").to_string(),
            end: shift.end.format("%H:%M").to_string(),
            next_day: shift.end.date() > shift.start.date(),
            break_text: if shift.break_minutes == 0 {
                String::new()
            } else {
                shift.break_minutes.to_string()
            },
            staff: shift.staff.clone(),
            position: shift.position.clone(),
            note: shift.note.clone(),
        }
    }

    pub fn validate(&self) -> Result<ValidShift, ShiftErrors> {
        let mut errors = ShiftErrors::new();
        let day = parse_date(&self.day, "day")
            .map_err(|e| errors.push(("day", e)))
            .ok();
        let start = parse_time(&self.start, "start")
            .map_err(|e| errors.push(("start", e)))
            .ok();
        let end = parse_time(&self.end, "end")
            .map_err(|e| errors.push(("end", e)))
            .ok();
        let (Some(day), Some(start), Some(end)) = (day, start, end) else {
            return Err(errors);
        };
        let start_at = day.and_time(start);
        let end_day = if self.next_day {
            day + Duration::days(1)
        } else {
            day
        };
        let end_at = end_day.and_time(end);
        if end_at <= start_at {
            errors.push((
                "end",
                if end_at == start_at {
                    "The shift ends when it starts.".to_string()
                } else {
                    format!(
                        "The shift ends ({}) before it starts ({}). For a night shift, tick \"Ends next day\".",
                        end.format("%H:%M"),
                        start.format("%H:%M")
                    )
                },
            ));
            return Err(errors);
        }
        let length = (end_at - start_at).num_minutes();
        if length > MAX_SHIFT_HOURS * 60 {
            errors.push((
                "end",
                format!("A shift may last at most {MAX_SHIFT_HOURS} hours."),
            ));
        }
        let break_minutes = match self.parse_break(start_at, end_at, length) {
            Ok(minutes) => minutes,
            Err(e) => {
                errors.push(("break", e));
                0
            }
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ValidShift {
            staff: self.staff.clone(),
            position: self.position.clone(),
            start: start_at,
            end: end_at,
            break_minutes,
            note: tidy(&self.note),
        })
    }

    fn parse_break(
        &self,
        start: NaiveDateTime,
        end: NaiveDateTime,
        length: i64,
    ) -> Result<u32, String> {
        let text = self.break_text.trim();
        if text.is_empty() {
            return Ok(0);
        }
        let minutes = if text.contains(':') {
            let (from, to) = parse_span(text)?
                .ok_or_else(|| format!("\"{text}\" is not a break like 12:00-12:30."))?;
            // A break is taken on the day of the start, or after midnight in a night shift.
            let place = |t: NaiveTime| {
                let same_day = start.date().and_time(t);
                if same_day < start {
                    same_day + Duration::days(1)
                } else {
                    same_day
                }
            };
            let (from_at, to_at) = (place(from), place(to));
            if from_at < start || to_at > end || to_at <= from_at {
                return Err(format!(
                    "The break {}–{} lies outside the shift {}–{}.",
                    from.format("%H:%M"),
                    to.format("%H:%M"),
                    start.format("%H:%M"),
                    end.format("%H:%M")
                ));
            }
            (to_at - from_at).num_minutes()
        } else {
            text.trim_end_matches("min")
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|m| *m >= 0)
                .ok_or_else(|| {
                    format!("The break \"{text}\" is not minutes (30) or a span (12:00-12:30).")
                })?
        };
        if minutes >= length {
            return Err(format!(
                "The break ({minutes} min) is as long as the shift or longer."
            ));
        }
        Ok(u32::try_from(minutes).unwrap_or(0))
    }
}
