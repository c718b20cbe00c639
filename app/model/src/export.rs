//! Exports of a schedule for other systems: FHIR R4 `Appointment` resources, for a
//! practice-management or health-record system, and iCalendar, for a provider's own
//! calendar application.
//!
//! Both are built from the model alone; the interface offers them as downloads. Neither
//! carries the patient's date of birth, phone or e-mail: a FHIR Appointment refers to its
//! patient instead of describing them, and a calendar file is easily forwarded.

mod ics;

use chrono::{NaiveDate, NaiveDateTime};
use serde_json::{json, Map, Value};

pub use ics::ics_calendar;
/// The iCalendar writer, for the roster's calendar of a person's shifts.
pub(crate) use ics::Lines as IcsLines;

use crate::{Appointment, Directory, SiteId, Status};

/// The widest UTC offsets FHIR's `instant` accepts (±14:00), in minutes.
const MAX_OFFSET_MINUTES: i32 = 14 * 60;
/// Longest name part of a file name, in characters, so that every system can store it.
const MAX_FILE_STEM_CHARS: usize = 60;

/// Whether the patient has said they will come, or has come: FHIR then calls the patient
/// participant `accepted`, and a calendar the event CONFIRMED.
fn confirmed_or_later(status: Status) -> bool {
    matches!(
        status,
        Status::Confirmed | Status::Arrived | Status::InRoom | Status::Fulfilled
    )
}

/// The name of the appointment's type, when it has one that still exists.
fn type_name<'a>(a: &Appointment, directory: &'a Directory) -> Option<&'a str> {
    let kind = directory.appointment_type(a.type_id.as_ref()?)?;
    Some(kind.name.as_str())
}

/// The name of the appointment's room, when it has one that still exists.
fn room_name<'a>(a: &Appointment, directory: &'a Directory) -> Option<&'a str> {
    Some(directory.room(a.room.as_ref()?)?.name.as_str())
}

/// A FHIR `instant`: the site's wall-clock time with the UTC offset it has.
///
/// The model keeps wall-clock times without a zone (see [`Appointment`]), so the offset is
/// the caller's: minutes east of UTC (+60 for `+01:00`; the negation of JavaScript's
/// `getTimezoneOffset`). Offsets beyond ±14:00 exist on no clock; they are held to that
/// range so that the resource stays valid.
fn fhir_instant(at: NaiveDateTime, utc_offset_minutes: i32) -> String {
    let offset = utc_offset_minutes.clamp(-MAX_OFFSET_MINUTES, MAX_OFFSET_MINUTES);
    let sign = if offset < 0 { '-' } else { '+' };
    let minutes = offset.unsigned_abs();
    format!(
        "{}{sign}{:02}:{:02}",
        at.format("%Y-%m-%dT%H:%M:%S"),
        minutes / 60,
        minutes % 60
    )
}

/// A participant whose actor is known by name only: the model has no FHIR ids for people
/// or places, and a reference with a `display` alone is valid.
fn participant(kind: &str, display: &str, status: &str) -> Value {
    json!({
        "actor": { "type": kind, "display": display },
        "status": status,
    })
}

/// The appointment as a FHIR R4 `Appointment` resource.
///
/// Participants are the patient (`accepted` once they confirmed, else `needs-action`), the
/// practitioner, the site as a Location, since the times are its wall clock, and the room
/// as a second Location when one is set.
pub fn fhir_appointment(
    a: &Appointment,
    directory: &Directory,
    site: &SiteId,
    utc_offset_minutes: i32,
) -> Value {
    let patient_status = if confirmed_or_later(a.status) {
        "accepted"
    } else {
        "needs-action"
    };
    let site_name = directory.site(site).map_or(site.as_str(), |s| &s.name);
    let mut participants = vec![
        participant("Patient", &a.patient_name, patient_status),
        participant(
            "Practitioner",
            &directory.provider_name(&a.provider),
            "accepted",
        ),
        participant("Location", site_name, "accepted"),
    ];
    if let Some(room) = room_name(a, directory) {
        participants.push(participant("Location", room, "accepted"));
    }

    let mut resource = Map::new();
    resource.insert("resourceType".into(), "Appointment".into());
    resource.insert("id".into(), a.id.as_str().into());
    resource.insert("status".into(), a.status.fhir().into());
    if a.status == Status::Cancelled {
        if let Some(reason) = &a.cancel_reason {
            // FHIR R4 spells the element with one "l".
            resource.insert("cancelationReason".into(), json!({ "text": reason }));
        }
    }
    if let Some(kind) = type_name(a, directory) {
        resource.insert("appointmentType".into(), json!({ "text": kind }));
    }
    if !a.reason.is_empty() {
        resource.insert("description".into(), a.reason.as_str().into());
    }
    let start = fhir_instant(a.start, utc_offset_minutes);
    resource.insert("start".into(), start.into());
    let end = fhir_instant(a.end(), utc_offset_minutes);
    resource.insert("end".into(), end.into());
    resource.insert("minutesDuration".into(), a.duration_minutes.into());
    if !a.notes.is_empty() {
        resource.insert("comment".into(), a.notes.as_str().into());
    }
    resource.insert("participant".into(), participants.into());
    Value::Object(resource)
}

/// A day's appointments as a FHIR `Bundle` of type `collection`: every appointment, also
/// the cancelled ones, since the receiving system may hold them already and must learn of
/// the cancel.
///
/// `utc_offset_minutes` gives the offset at each appointment's start: a day may hold the
/// change to or from summer time, and months apart certainly do.
pub fn fhir_bundle(
    appointments: &[Appointment],
    directory: &Directory,
    site: &SiteId,
    utc_offset_minutes: impl Fn(NaiveDateTime) -> i32,
) -> Value {
    let entries: Vec<Value> = appointments
        .iter()
        .map(|a| {
            let offset = utc_offset_minutes(a.start);
            json!({ "resource": fhir_appointment(a, directory, site, offset) })
        })
        .collect();
    json!({
        "resourceType": "Bundle",
        "type": "collection",
        "entry": entries,
    })
}

/// `dr-ada-example-2026-11-23.ics` for a provider's day.
pub fn ics_file_name(provider_name: &str, day: NaiveDate) -> String {
    file_name(provider_name, day, "ics")
}

/// `main-street-2026-11-23.json` for the FHIR bundle of a day, named after a site or a
/// provider.
pub fn fhir_file_name(name: &str, day: NaiveDate) -> String {
    file_name(name, day, "json")
}

/// Lower-case words joined by `-`: no separator, dot or space that a file system or a
/// download could take for something else. Letters outside ASCII stay, as every current
/// system stores them, and dropping them would garble names.
fn file_name(name: &str, day: NaiveDate, extension: &str) -> String {
    let words: Vec<String> = name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let stem: String = words.join("-").chars().take(MAX_FILE_STEM_CHARS).collect();
    let stem = stem.trim_end_matches('-');
    let stem = if stem.is_empty() { "schedule" } else { stem };
    format!("{stem}-{}.{extension}", day.format("%Y-%m-%d"))
}

#[cfg(test)]
mod tests;
