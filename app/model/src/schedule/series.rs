//! Changes to an appointment, or to it and the rest of its series, across the month
//! documents the occurrences live in: which occurrences a change reaches, what it makes of
//! each, and how an appointment whose new start is in another month moves there.
//!
//! A move is one change across both month documents ([`relocate`], run through
//! `Document::change_many` or a driver's `edit_many`), so that no crash between two writes
//! can leave the appointment in both months or in neither. The month it goes to is named
//! first: its bundle is queued, pushed and appended first, so another device that has seen
//! only part of the move sees the appointment twice for a moment (one id, never a clash with
//! itself), never not at all.

use automerge::AutoCommit;
use chrono::{Datelike, Months, NaiveDate, NaiveDateTime};

use super::{cancelled, edited, get, put, take, Schedule, Who};
use crate::appointment::{SeriesRef, ValidBooking};
use crate::document::first_of_month;
use crate::{Appointment, AppointmentId, Directory, DocumentError, Status};

/// How far ahead a series is followed: a monthly series of the longest kind.
pub const MAX_SERIES_MONTHS: u32 = 60;

/// What a change reaches.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Scope {
    ThisOne,
    ThisAndFollowing,
}

/// What a change makes of one occurrence: `Some` is the changed appointment to write (into
/// the month of its new start), `None` leaves the occurrence as it is.
pub type Step = dyn Fn(Appointment) -> Result<Option<Appointment>, DocumentError>;

/// The booking form's changes to `original`, applied to one occurrence of what the change
/// reaches. Later occurrences move by as much as `original` does, keeping their own day;
/// those already over or called off stay as they are.
pub fn change_step(
    original: Appointment,
    booking: ValidBooking,
    directory: Directory,
    who: Who,
    now: NaiveDateTime,
) -> impl Fn(Appointment) -> Result<Option<Appointment>, DocumentError> {
    let delta = booking.start - original.start;
    move |a: Appointment| {
        let mut booking = booking.clone();
        if a.id != original.id {
            if !a.status.holds_slot() || a.status == Status::Fulfilled {
                return Ok(None);
            }
            booking.start = a.start + delta;
        }
        edited(a, &original, &booking, &directory, &who, now).map(Some)
    }
}

/// Cancelling one occurrence; those that can no longer be cancelled stay as they are.
pub fn cancel_step(
    reason: String,
    who: Who,
    now: NaiveDateTime,
) -> impl Fn(Appointment) -> Result<Option<Appointment>, DocumentError> {
    move |a: Appointment| {
        if !a.status.can_become(Status::Cancelled) {
            return Ok(None);
        }
        cancelled(a, &reason, &who, now).map(Some)
    }
}

/// The first days of the months a change to `old` and the rest of its series visits, from
/// `old`'s month on: up to the series' last visit, or, for a series written before the last
/// visit was recorded, [`MAX_SERIES_MONTHS`] (the caller stops at a month without one).
pub fn series_months(old: &Appointment) -> Vec<NaiveDate> {
    let first = first_of_month(old.start.date());
    let months = old
        .series
        .as_ref()
        .and_then(|s| s.last)
        .map(|last| {
            (last.year() - first.year()) * 12 + last.month() as i32 - first.month() as i32 + 1
        })
        .map_or(MAX_SERIES_MONTHS, |n| {
            n.clamp(1, MAX_SERIES_MONTHS as i32) as u32
        });
    (0..months)
        .map_while(|offset| first.checked_add_months(Months::new(offset)))
        .collect()
}

/// Whether `a` is the occurrence of `series` or one after it.
pub fn follows(a: &Appointment, series: &SeriesRef) -> bool {
    a.series
        .as_ref()
        .is_some_and(|s| s.id == series.id && s.index >= series.index)
}

/// What [`change_one`] and [`change_in_month`] leave to do.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Occurrences found in the month.
    pub found: usize,
    /// Appointments whose new start is in another month: the step is applied again, and
    /// the appointment moved, by [`relocate`] (one change across both months).
    pub to_move: Vec<(AppointmentId, NaiveDate)>,
}

/// Applies `step` to the appointment `id` of the month document `doc` (whose month starts
/// on `month`), as the document holds it now, so that a check-in that arrived meanwhile is
/// kept. Writes it if it stays in `month`.
pub fn change_one(
    doc: &mut AutoCommit,
    month: NaiveDate,
    id: &AppointmentId,
    step: &Step,
) -> Result<Outcome, DocumentError> {
    let mut outcome = Outcome {
        found: 1,
        to_move: Vec::new(),
    };
    if let Some(changed) = step(get(doc, id)?)? {
        write_or_defer(doc, month, changed, &mut outcome)?;
    }
    Ok(outcome)
}

/// Applies `step` to every occurrence of `series` from its index on in the month document
/// `doc` (whose month starts on `month`); writes those that stay in `month`.
pub fn change_in_month(
    doc: &mut AutoCommit,
    month: NaiveDate,
    series: &SeriesRef,
    step: &Step,
) -> Result<Outcome, DocumentError> {
    let mut outcome = Outcome::default();
    let schedule = Schedule::read(doc)?;
    for a in schedule
        .appointments
        .into_iter()
        .filter(|a| follows(a, series))
    {
        outcome.found += 1;
        if let Some(changed) = step(a)? {
            write_or_defer(doc, month, changed, &mut outcome)?;
        }
    }
    Ok(outcome)
}

fn write_or_defer(
    doc: &mut AutoCommit,
    month: NaiveDate,
    changed: Appointment,
    outcome: &mut Outcome,
) -> Result<(), DocumentError> {
    let target = first_of_month(changed.start.date());
    if target == month {
        put(doc, &changed)
    } else {
        outcome.to_move.push((changed.id, target));
        Ok(())
    }
}

/// Moves the appointment `id` from the month document `from` to `to` (the month of its
/// changed start, beginning on `to_month`), applying `step` to it as `from` holds it now.
/// Run in one change across both documents (`docs = [to, from]`, named in that order), it
/// lands whole or not at all. Returns whether it moved (`false`: the step now leaves it as
/// it is). If the step, applied to what `from` holds now, no longer lands in `to_month`
/// (another device rescheduled it meanwhile), nothing is written and the change is refused.
pub fn relocate(
    docs: &mut [&mut AutoCommit],
    to_month: NaiveDate,
    id: &AppointmentId,
    step: &Step,
) -> Result<bool, DocumentError> {
    let [to, from] = docs else {
        return Err(DocumentError::Write(
            "a move names the month it goes to and the month it leaves".into(),
        ));
    };
    let Some(changed) = step(get(from, id)?)? else {
        return Ok(false);
    };
    if first_of_month(changed.start.date()) != to_month {
        return Err(crate::refusal::Schedule::MovedMeanwhile.into());
    }
    put(to, &changed)?;
    take(from, id)?;
    Ok(true)
}

#[cfg(test)]
mod tests;
