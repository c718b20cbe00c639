//! A schedule document: the appointments of one site in one month, and every change a desk
//! makes to them. Each change appends to the appointment's history.

use crate::refusal::{Schedule as Refusal, Thing};
use automerge::{AutoCommit, ObjType, ReadDoc, ValueRef};
use autosurgeon::reconcile_prop;
use chrono::{NaiveDate, NaiveDateTime, TimeDelta};

use crate::access::stamp::{makers, Signed};
use crate::appointment::{
    format_local_datetime, SeriesId, SeriesRef, StatusChange, ValidBooking, LATE_CANCEL_HOURS,
};
use crate::document::maps;
use crate::{Appointment, AppointmentId, Directory, Document, DocumentError, RoomId, Status};
use record::Record;

/// Who makes a change: the device, and the member of staff signed in at it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Who {
    pub device: String,
    pub staff: Option<String>,
}

/// The appointments of a schedule document, as the interface reads them.
#[derive(Clone, Default, Debug, PartialEq, Eq)]
pub struct Schedule {
    /// Sorted by start, then patient name, then id, so that every device lists them alike.
    pub appointments: Vec<Appointment>,
    /// Records that could not be read; counted so that a person is told.
    pub unreadable: usize,
}

impl Schedule {
    pub fn read(doc: &AutoCommit) -> Result<Self, DocumentError> {
        Self::read_with_unreadable(doc).map(|(schedule, _)| schedule)
    }

    /// The schedule, and the ids of the records that did not read.
    pub fn read_with_unreadable(
        doc: &AutoCommit,
    ) -> Result<(Self, std::collections::BTreeSet<String>), DocumentError> {
        let map = Document::root_map(doc, maps::APPOINTMENTS)?;
        let mut schedule = Self::default();
        let mut unreadable = std::collections::BTreeSet::new();
        // One walk over the map, each record read from its own object: looking every key
        // up again costs a search of the whole map per appointment, which is most of the
        // time at 10,000 a month.
        for item in doc.map_range(&map, ..) {
            let record = match item.value {
                automerge::ValueRef::Object(automerge::ObjType::Map) => {
                    Record::read(doc, &item.id())
                }
                _ => None,
            };
            let key = item.key.into_owned();
            match record.and_then(|(r, entries)| r.into_appointment(key.clone(), entries)) {
                Some(appointment) => schedule.appointments.push(appointment),
                None => {
                    unreadable.insert(key);
                }
            }
        }
        schedule.unreadable = unreadable.len();
        schedule.appointments.sort_by(|a, b| {
            (a.start, &a.patient_name, &a.id).cmp(&(b.start, &b.patient_name, &b.id))
        });
        Ok((schedule, unreadable))
    }

    /// The appointments of one day, without reading the rest of the month: each record's
    /// start is looked up, and only the day's records are read whole. What a desk sees
    /// first when it opens on a busy month.
    pub fn read_day(doc: &AutoCommit, day: NaiveDate) -> Result<Vec<Appointment>, DocumentError> {
        let map = Document::root_map(doc, maps::APPOINTMENTS)?;
        let prefix = day.format("%Y-%m-%d").to_string();
        let mut appointments = Vec::new();
        for item in doc.map_range(&map, ..) {
            if item.value != ValueRef::Object(ObjType::Map) {
                continue;
            }
            let record = item.id();
            let on_day = matches!(
                doc.get(&record, "start"),
                Ok(Some((automerge::Value::Scalar(start), _))) if start.as_str().is_some_and(|s| s.starts_with(&prefix))
            );
            if on_day {
                let key = item.key.into_owned();
                let read = Record::read(doc, &record);
                if let Some(a) = read.and_then(|(r, entries)| r.into_appointment(key, entries)) {
                    appointments.push(a);
                }
            }
        }
        appointments.sort_by(|a, b| {
            (a.start, &a.patient_name, &a.id).cmp(&(b.start, &b.patient_name, &b.id))
        });
        Ok(appointments)
    }

    pub fn on_day(&self, day: NaiveDate) -> impl Iterator<Item = &Appointment> {
        // Sorted by start, so the day is one run.
        let from = self.appointments.partition_point(|a| a.start.date() < day);
        self.appointments[from..]
            .iter()
            .take_while(move |a| a.start.date() == day)
    }

    pub fn find(&self, id: &AppointmentId) -> Option<&Appointment> {
        self.appointments.iter().find(|a| &a.id == id)
    }
}

/// A line of an appointment's history, made by `who` at `now`.
pub(crate) fn entry(
    status: Status,
    who: &Who,
    now: NaiveDateTime,
    note: Option<String>,
) -> StatusChange {
    StatusChange {
        status,
        at: format_local_datetime(now),
        device: who.device.clone(),
        staff: who.staff.clone(),
        room: None,
        note,
    }
}

/// Reads one appointment for a change, the same way [`Schedule::read`] reads it, so that
/// what a desk sees it can also change.
pub fn get(doc: &AutoCommit, id: &AppointmentId) -> Result<Appointment, DocumentError> {
    let map = Document::root_map(doc, maps::APPOINTMENTS)?;
    let not_found = || Thing::Appointment.gone();
    match doc.get(&map, id.as_str()) {
        Ok(Some((automerge::Value::Object(automerge::ObjType::Map), obj))) => {
            Record::read(doc, &obj)
                .and_then(|(r, entries)| r.into_appointment(id.to_string(), entries))
                .ok_or_else(not_found)
        }
        _ => Err(not_found()),
    }
}

/// Links an appointment booked before the register (it carries its patient's details
/// itself) to patient `patient`, as it stands in the document now.
pub fn link_patient(
    doc: &mut AutoCommit,
    id: &AppointmentId,
    patient: &crate::patient::PatientId,
) -> Result<Appointment, DocumentError> {
    let mut a = get(doc, id)?;
    a.patient = Some(patient.clone());
    put(doc, &a)?;
    Ok(a)
}

/// Who made each entry of an appointment's history, read from the changes that made
/// them: an entry's own `staff` and `device` are what the desk wrote, this is what the
/// document's history proves. A change that made several entries at once (moving an
/// appointment to another month's document copies its whole history) is taken as the
/// maker of the last of them only; the others are `None`, as they were made before.
pub fn history_makers(doc: &automerge::Automerge, id: &AppointmentId) -> Vec<Option<Signed>> {
    let Ok(map) = Document::root_map(doc, maps::APPOINTMENTS) else {
        return Vec::new();
    };
    let Ok(Some((_, record))) = doc.get(&map, id.as_str()) else {
        return Vec::new();
    };
    let Ok(Some((automerge::Value::Object(automerge::ObjType::List), list))) =
        doc.get(&record, "history")
    else {
        return Vec::new();
    };
    let entries: Vec<automerge::ObjId> = doc.list_range(&list, ..).map(|e| e.id()).collect();
    let mut makers = makers(doc, &entries);
    let mut later = std::collections::HashSet::new();
    for maker in makers.iter_mut().rev() {
        if maker.as_ref().is_some_and(|m| !later.insert(m.hash)) {
            *maker = None;
        }
    }
    makers
}

/// Writes an appointment whole. Only the fields that differ from the document are written,
/// so concurrent changes to other fields on other devices survive the merge.
pub fn put(doc: &mut AutoCommit, appointment: &Appointment) -> Result<(), DocumentError> {
    let map = Document::root_map(doc, maps::APPOINTMENTS)?;
    reconcile_prop(
        doc,
        &map,
        appointment.id.as_str(),
        Record::from_appointment(appointment),
    )
    .map_err(|e| DocumentError::Write(e.to_string()))?;
    if appointment.calls.is_empty() {
        return Ok(());
    }
    match doc.get(&map, appointment.id.as_str()) {
        Ok(Some((automerge::Value::Object(ObjType::Map), obj))) => {
            entries::put(doc, &obj, &appointment.calls)
        }
        _ => Err(DocumentError::Write(
            "the appointment was not written".into(),
        )),
    }
}

/// Takes an appointment out of this month's document, to put it into another month's.
pub fn take(doc: &mut AutoCommit, id: &AppointmentId) -> Result<Appointment, DocumentError> {
    let appointment = get(doc, id)?;
    let map = Document::root_map(doc, maps::APPOINTMENTS)?;
    automerge::transaction::Transactable::delete(doc, &map, id.as_str())
        .map_err(|e| DocumentError::Write(e.to_string()))?;
    Ok(appointment)
}

/// A new appointment from a validated booking, starting at `start` (an occurrence of a
/// series may start later than the booking). Not yet written: see [`put`].
pub fn new_appointment(
    booking: &ValidBooking,
    start: NaiveDateTime,
    series: Option<SeriesRef>,
    who: &Who,
    now: NaiveDateTime,
) -> Appointment {
    Appointment {
        id: AppointmentId::random(),
        patient: booking.patient.clone(),
        patient_name: booking.patient_name.clone(),
        dob: booking.dob,
        phone: booking.phone.clone(),
        email: booking.email.clone(),
        notes: booking.notes.clone(),
        type_id: booking.type_id.clone(),
        provider: booking.provider.clone(),
        room: booking.room.clone(),
        start,
        duration_minutes: booking.duration_minutes,
        reason: booking.reason.clone(),
        status: Status::Booked,
        history: vec![entry(Status::Booked, who, now, None)],
        series,
        cancel_reason: None,
        late_cancel: false,
        accepted_clashes: Vec::new(),
        clash_note: None,
        calls: Vec::new(),
    }
}

/// Books a validated single appointment into this document (the month of its start).
pub fn book(
    doc: &mut AutoCommit,
    booking: &ValidBooking,
    who: &Who,
    now: NaiveDateTime,
) -> Result<AppointmentId, DocumentError> {
    let appointment = new_appointment(booking, booking.start, None, who, now);
    put(doc, &appointment)?;
    Ok(appointment.id)
}

/// The occurrences of a booking: one, or each of its series, each a new appointment.
pub fn plan(booking: &ValidBooking, who: &Who, now: NaiveDateTime) -> Vec<Appointment> {
    match booking.recurrence {
        None => vec![new_appointment(booking, booking.start, None, who, now)],
        Some(rule) => {
            let series = SeriesId::random();
            let starts = rule.expand(booking.start);
            let last = starts.last().map(|s| s.date());
            starts
                .into_iter()
                .zip(0..)
                .map(|(start, index)| {
                    let place = SeriesRef {
                        id: series.clone(),
                        index,
                        last,
                    };
                    new_appointment(booking, start, Some(place), who, now)
                })
                .collect()
        }
    }
}

/// Moves an appointment along its status flow. `room` is the room it is sent to.
pub fn set_status(
    doc: &mut AutoCommit,
    id: &AppointmentId,
    to: Status,
    room: Option<(&RoomId, &str)>,
    who: &Who,
    now: NaiveDateTime,
) -> Result<(), DocumentError> {
    let mut a = get(doc, id)?;
    check_transition(&a, to, now)?;
    if to == Status::InRoom && room.is_none() {
        return Err(Refusal::RoomNeeded.into());
    }
    let mut change = entry(to, who, now, None);
    if let Some((room_id, name)) = room {
        a.room = Some(room_id.clone());
        change.room = Some(name.to_string());
    }
    a.status = to;
    a.history.push(change);
    put(doc, &a)
}

fn check_transition(a: &Appointment, to: Status, now: NaiveDateTime) -> Result<(), DocumentError> {
    if !a.status.can_become(to) {
        return Err(Refusal::Transition { from: a.status, to }.into());
    }
    if to == Status::NoShow && now < a.start {
        return Err(Refusal::NoShowTooEarly.into());
    }
    Ok(())
}

/// Cancels with a reason; under 24 hours before the start it is flagged a late cancel.
/// Cancelling twice changes nothing.
pub fn cancel(
    doc: &mut AutoCommit,
    id: &AppointmentId,
    reason: &str,
    who: &Who,
    now: NaiveDateTime,
) -> Result<(), DocumentError> {
    let a = get(doc, id)?;
    if a.status == Status::Cancelled {
        return Ok(());
    }
    put(doc, &cancelled(a, reason, who, now)?)
}

/// The appointment cancelled, with its history entry; not yet written.
pub fn cancelled(
    mut a: Appointment,
    reason: &str,
    who: &Who,
    now: NaiveDateTime,
) -> Result<Appointment, DocumentError> {
    check_transition(&a, Status::Cancelled, now)?;
    let reason = crate::tidy(reason);
    a.late_cancel = a.start - now < TimeDelta::hours(LATE_CANCEL_HOURS);
    a.cancel_reason = (!reason.is_empty()).then(|| reason.clone());
    a.status = Status::Cancelled;
    let note = match (a.late_cancel, reason.is_empty()) {
        (true, true) => Some("Late cancel".to_string()),
        (true, false) => Some(format!("Late cancel: {reason}")),
        (false, true) => None,
        (false, false) => Some(reason),
    };
    a.history.push(entry(Status::Cancelled, who, now, note));
    Ok(a)
}

/// The history line a reschedule leaves: where the appointment was.
pub fn moved_note(old: &Appointment, directory: &Directory) -> String {
    format!(
        "Moved from {} with {}",
        old.start.format("%a %-d %b %H:%M"),
        directory.provider_name(&old.provider)
    )
}

/// Applies an edit of the booking form to an appointment. `current` is the appointment
/// as the document has it now; `original` is what the form was filled from: only the
/// fields the person changed are written, so that what other desks changed meanwhile (a
/// check-in, a room, a phone number) stays. A new time, duration or provider is a
/// reschedule: the old slot goes into the history, and a patient who had checked in is
/// booked again for the new slot. Returns the edited appointment, not yet written (it may
/// belong to another month's document now).
pub fn edited(
    current: Appointment,
    original: &Appointment,
    booking: &ValidBooking,
    directory: &Directory,
    who: &Who,
    now: NaiveDateTime,
) -> Result<Appointment, DocumentError> {
    let mut a = current;
    if (!a.status.holds_slot() && a.status != Status::Waitlist) || a.status == Status::Fulfilled {
        return Err(Refusal::Unchangeable(a.status).into());
    }
    fn take<T: Clone + PartialEq>(field: &mut T, was: &T, now: &T) {
        if now != was {
            *field = now.clone();
        }
    }
    let o = original;
    let start = if booking.start != o.start {
        booking.start
    } else {
        a.start
    };
    let provider = if booking.provider != o.provider {
        booking.provider.clone()
    } else {
        a.provider.clone()
    };
    let duration = if booking.duration_minutes != o.duration_minutes {
        booking.duration_minutes
    } else {
        a.duration_minutes
    };
    let moved = start != a.start || provider != a.provider || duration != a.duration_minutes;
    if moved {
        let note = moved_note(&a, directory);
        if matches!(a.status, Status::Arrived | Status::InRoom) {
            a.status = Status::Booked;
            a.room = None;
        }
        a.history.push(entry(a.status, who, now, Some(note)));
        // A clash someone accepted was about the old slot.
        a.accepted_clashes.clear();
        a.clash_note = None;
    }
    a.start = start;
    a.provider = provider;
    a.duration_minutes = duration;
    take(&mut a.patient, &o.patient, &booking.patient);
    take(&mut a.patient_name, &o.patient_name, &booking.patient_name);
    take(&mut a.dob, &o.dob, &booking.dob);
    take(&mut a.phone, &o.phone, &booking.phone);
    take(&mut a.email, &o.email, &booking.email);
    take(&mut a.notes, &o.notes, &booking.notes);
    take(&mut a.type_id, &o.type_id, &booking.type_id);
    take(&mut a.room, &o.room, &booking.room);
    take(&mut a.reason, &o.reason, &booking.reason);
    Ok(a)
}

/// Keeps a clash a person looked at: `other` is the other appointment's id, or `hours`.
pub fn accept_clash(
    doc: &mut AutoCommit,
    id: &AppointmentId,
    other: &str,
    note: &str,
    who: &Who,
    now: NaiveDateTime,
) -> Result<(), DocumentError> {
    let mut a = get(doc, id)?;
    if !a.accepted_clashes.iter().any(|o| o == other) {
        a.accepted_clashes.push(other.to_string());
    }
    let note = crate::tidy(note);
    let note = if note.is_empty() {
        "Clash kept".to_string()
    } else {
        note
    };
    a.clash_note = Some(note.clone());
    a.history.push(entry(a.status, who, now, Some(note)));
    put(doc, &a)
}

mod entries;
mod record;
pub mod series;
#[cfg(test)]
mod tests;
pub mod undo;
