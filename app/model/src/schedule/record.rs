//! The stored shape of an appointment, and how a record is read from the document: in
//! one walk over its map, as autosurgeon's keyed lookup per field costs ten times more on a
//! month of 10,000 appointments. Writes go through autosurgeon's `reconcile`.

use automerge::{AutoCommit, ObjType, ReadDoc, ScalarValueRef, ValueRef};
use autosurgeon::{Hydrate, Reconcile};
use chrono::NaiveDate;

use super::entries::Entries;
use crate::appointment::{
    format_local_datetime, parse_local_datetime, SeriesId, SeriesRef, StatusChange,
};
use crate::patient::PatientId;
use crate::{Appointment, AppointmentId, ProviderId, RoomId, Status, TypeId};

/// The stored shape of an appointment. Times are text so that a person reading the raw
/// document, or a later version, sees the same wall-clock time. Fields added after the
/// first version are optional, so that its records still read.
#[derive(Reconcile, Hydrate)]
pub(super) struct Record {
    patient_name: String,
    #[autosurgeon(missing = "Default::default")]
    phone: Option<String>,
    start: String,
    duration_minutes: u32,
    provider: String,
    status: Status,
    history: Vec<StatusChange>,
    #[autosurgeon(missing = "Default::default")]
    dob: Option<String>,
    #[autosurgeon(missing = "Default::default")]
    email: Option<String>,
    #[autosurgeon(missing = "Default::default")]
    notes: Option<String>,
    #[autosurgeon(missing = "Default::default")]
    type_id: Option<String>,
    #[autosurgeon(missing = "Default::default")]
    room: Option<String>,
    #[autosurgeon(missing = "Default::default")]
    reason: Option<String>,
    #[autosurgeon(missing = "Default::default")]
    series: Option<String>,
    #[autosurgeon(missing = "Default::default")]
    series_index: Option<u32>,
    #[autosurgeon(missing = "Default::default")]
    series_last: Option<String>,
    #[autosurgeon(missing = "Default::default")]
    cancel_reason: Option<String>,
    #[autosurgeon(missing = "Default::default")]
    late_cancel: Option<bool>,
    #[autosurgeon(missing = "Default::default")]
    accepted_clashes: Option<Vec<String>>,
    #[autosurgeon(missing = "Default::default")]
    clash_note: Option<String>,
    /// The patient of the register ([`crate::patient`]).
    #[autosurgeon(missing = "Default::default")]
    patient: Option<String>,
}

impl Record {
    /// Reads the record at `obj` field by field as autosurgeon would hydrate it, in one
    /// walk over its map (and its history's maps) with no keyed lookups, with its calls;
    /// `None` when a field that must be there is not, or any field has the wrong type.
    pub(super) fn read(doc: &AutoCommit, obj: &automerge::ObjId) -> Option<(Self, Entries)> {
        let mut r = Fields::default();
        let mut entries = Entries::default();
        for item in doc.map_range(obj, ..) {
            let id = item.id();
            let value = item.value;
            match item.key.as_ref() {
                key if entries.take(doc, key, &id, &value) => {}
                "patient_name" => r.patient_name = Some(text(value)?),
                "phone" => r.phone = optional_text(value)?,
                "start" => r.start = Some(text(value)?),
                "duration_minutes" => r.duration_minutes = Some(number(value)?),
                "provider" => r.provider = Some(text(value)?),
                "status" => r.status = Some(status(&text(value)?)?),
                "history" => r.history = Some(history(doc, &id, value)?),
                "dob" => r.dob = optional_text(value)?,
                "email" => r.email = optional_text(value)?,
                "notes" => r.notes = optional_text(value)?,
                "type_id" => r.type_id = optional_text(value)?,
                "room" => r.room = optional_text(value)?,
                "reason" => r.reason = optional_text(value)?,
                "series" => r.series = optional_text(value)?,
                "series_index" => {
                    r.series_index = match value {
                        ValueRef::Scalar(ScalarValueRef::Null) => None,
                        other => Some(number(other)?),
                    }
                }
                "series_last" => r.series_last = optional_text(value)?,
                "cancel_reason" => r.cancel_reason = optional_text(value)?,
                "late_cancel" => {
                    r.late_cancel = match value {
                        ValueRef::Scalar(ScalarValueRef::Null) => None,
                        ValueRef::Scalar(ScalarValueRef::Boolean(b)) => Some(b),
                        _ => return None,
                    }
                }
                "accepted_clashes" => {
                    r.accepted_clashes = match value {
                        ValueRef::Scalar(ScalarValueRef::Null) => None,
                        ValueRef::Object(ObjType::List) => Some(
                            doc.list_range(&id, ..)
                                .map(|i| text(i.value))
                                .collect::<Option<Vec<_>>>()?,
                        ),
                        _ => return None,
                    }
                }
                "clash_note" => r.clash_note = optional_text(value)?,
                "patient" => r.patient = optional_text(value)?,
                // A field a later version added: not ours to read.
                _ => {}
            }
        }
        entries.sort();
        let record = Self {
            patient_name: r.patient_name?,
            phone: r.phone,
            start: r.start?,
            duration_minutes: r.duration_minutes?,
            provider: r.provider?,
            status: r.status?,
            history: r.history?,
            dob: r.dob,
            email: r.email,
            notes: r.notes,
            type_id: r.type_id,
            room: r.room,
            reason: r.reason,
            series: r.series,
            series_index: r.series_index,
            series_last: r.series_last,
            cancel_reason: r.cancel_reason,
            late_cancel: r.late_cancel,
            accepted_clashes: r.accepted_clashes,
            clash_note: r.clash_note,
            patient: r.patient,
        };
        Some((record, entries))
    }

    pub(super) fn into_appointment(self, id: String, entries: Entries) -> Option<Appointment> {
        let dob = match self.dob {
            Some(text) => Some(NaiveDate::parse_from_str(&text, "%Y-%m-%d").ok()?),
            None => None,
        };
        Some(Appointment {
            id: AppointmentId::from(id),
            patient_name: self.patient_name,
            dob,
            phone: self.phone,
            email: self.email,
            notes: self.notes.unwrap_or_default(),
            type_id: self.type_id.map(TypeId::from),
            provider: ProviderId::from(self.provider),
            room: self.room.map(RoomId::from),
            start: parse_local_datetime(&self.start)?,
            duration_minutes: self.duration_minutes,
            reason: self.reason.unwrap_or_default(),
            status: self.status,
            history: self.history,
            series: self.series.map(|id| SeriesRef {
                id: SeriesId::from(id),
                index: self.series_index.unwrap_or(0),
                last: self
                    .series_last
                    .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
            }),
            cancel_reason: self.cancel_reason,
            late_cancel: self.late_cancel.unwrap_or(false),
            accepted_clashes: self.accepted_clashes.unwrap_or_default(),
            clash_note: self.clash_note,
            calls: entries.calls,
            patient: self.patient.map(PatientId::from),
        })
    }

    pub(super) fn from_appointment(a: &Appointment) -> Self {
        let text = |s: &str| (!s.is_empty()).then(|| s.to_string());
        Self {
            patient_name: a.patient_name.clone(),
            phone: a.phone.clone(),
            start: format_local_datetime(a.start),
            duration_minutes: a.duration_minutes,
            provider: a.provider.to_string(),
            status: a.status,
            history: a.history.clone(),
            dob: a.dob.map(|d| d.to_string()),
            email: a.email.clone(),
            notes: text(&a.notes),
            type_id: a.type_id.as_ref().map(ToString::to_string),
            room: a.room.as_ref().map(ToString::to_string),
            reason: text(&a.reason),
            series: a.series.as_ref().map(|s| s.id.to_string()),
            series_index: a.series.as_ref().map(|s| s.index),
            series_last: a
                .series
                .as_ref()
                .and_then(|s| s.last)
                .map(|d| d.to_string()),
            cancel_reason: a.cancel_reason.clone(),
            late_cancel: a.late_cancel.then_some(true),
            accepted_clashes: (!a.accepted_clashes.is_empty()).then(|| a.accepted_clashes.clone()),
            clash_note: a.clash_note.clone(),
            patient: a.patient.as_ref().map(ToString::to_string),
        }
    }
}

/// A record's fields as they are found, before the required ones are checked.
#[derive(Default)]
struct Fields {
    patient_name: Option<String>,
    phone: Option<String>,
    start: Option<String>,
    duration_minutes: Option<u32>,
    provider: Option<String>,
    status: Option<Status>,
    history: Option<Vec<StatusChange>>,
    dob: Option<String>,
    email: Option<String>,
    notes: Option<String>,
    type_id: Option<String>,
    room: Option<String>,
    reason: Option<String>,
    series: Option<String>,
    series_index: Option<u32>,
    series_last: Option<String>,
    cancel_reason: Option<String>,
    late_cancel: Option<bool>,
    accepted_clashes: Option<Vec<String>>,
    clash_note: Option<String>,
    patient: Option<String>,
}

pub(super) fn text(value: ValueRef<'_>) -> Option<String> {
    match value {
        ValueRef::Scalar(ScalarValueRef::Str(s)) => Some(s.into_owned()),
        _ => None,
    }
}

/// A text that may be null: `Some(None)` for null, `None` for the wrong type.
pub(super) fn optional_text(value: ValueRef<'_>) -> Option<Option<String>> {
    match value {
        ValueRef::Scalar(ScalarValueRef::Null) => Some(None),
        other => text(other).map(Some),
    }
}

/// A whole number, as autosurgeon writes a `u32` (unsigned); a signed one that fits is
/// taken too, as other Automerge clients write numbers that way.
fn number(value: ValueRef<'_>) -> Option<u32> {
    match value {
        ValueRef::Scalar(ScalarValueRef::Uint(u)) => u32::try_from(u).ok(),
        ValueRef::Scalar(ScalarValueRef::Int(i)) => u32::try_from(i).ok(),
        _ => None,
    }
}

fn history(
    doc: &AutoCommit,
    list: &automerge::ObjId,
    value: ValueRef<'_>,
) -> Option<Vec<StatusChange>> {
    if value != ValueRef::Object(ObjType::List) {
        return None;
    }
    doc.list_range(list, ..)
        .map(|entry| {
            if entry.value != ValueRef::Object(ObjType::Map) {
                return None;
            }
            let (mut status_, mut at, mut device) = (None, None, None);
            let (mut staff, mut room, mut note) = (None, None, None);
            let entry_id = entry.id();
            for field in doc.map_range(&entry_id, ..) {
                let value = field.value;
                match field.key.as_ref() {
                    "status" => status_ = Some(status(&text(value)?)?),
                    "at" => at = Some(text(value)?),
                    "device" => device = Some(text(value)?),
                    "staff" => staff = optional_text(value)?,
                    "room" => room = optional_text(value)?,
                    "note" => note = optional_text(value)?,
                    _ => {}
                }
            }
            Some(StatusChange {
                status: status_?,
                at: at?,
                device: device?,
                staff,
                room,
                note,
            })
        })
        .collect()
}

/// A status by the name autosurgeon stores it under (the variant's name).
fn status(name: &str) -> Option<Status> {
    Status::ALL.into_iter().find(|s| format!("{s:?}") == name)
}
