//! A schedule document: the appointments of one site in one month.

use automerge::{AutoCommit, ReadDoc};
use autosurgeon::{hydrate_prop, reconcile_prop, Hydrate, Reconcile};
use chrono::{NaiveDate, NaiveDateTime};

use crate::model::appointment::{
    format_local_datetime, parse_local_datetime, StatusChange, ValidBooking,
};
use crate::model::{Appointment, AppointmentId, Document, DocumentError, ProviderId, Status};

/// The stored shape of an appointment. Times are text so that a person reading the raw
/// document, or a later version, sees the same wall-clock time.
#[derive(Reconcile, Hydrate)]
struct Record {
    patient_name: String,
    phone: Option<String>,
    start: String,
    duration_minutes: u32,
    provider: String,
    status: Status,
    history: Vec<StatusChange>,
}

impl Record {
    fn into_appointment(self, id: String) -> Option<Appointment> {
        Some(Appointment {
            id: AppointmentId::from(id),
            patient_name: self.patient_name,
            phone: self.phone,
            start: parse_local_datetime(&self.start)?,
            duration_minutes: self.duration_minutes,
            provider: ProviderId::from(self.provider),
            status: self.status,
            history: self.history,
        })
    }
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
        let map = Document::root_map(doc, "appointments")?;
        let mut schedule = Self::default();
        for key in doc.keys(&map) {
            let record = hydrate_prop::<_, Record, _, _>(doc, &map, key.as_str()).ok();
            match record.and_then(|r| r.into_appointment(key)) {
                Some(appointment) => schedule.appointments.push(appointment),
                None => schedule.unreadable += 1,
            }
        }
        schedule.appointments.sort_by(|a, b| {
            (a.start, &a.patient_name, &a.id).cmp(&(b.start, &b.patient_name, &b.id))
        });
        Ok(schedule)
    }

    pub fn on_day(&self, day: NaiveDate) -> impl Iterator<Item = &Appointment> {
        self.appointments
            .iter()
            .filter(move |a| a.start.date() == day)
    }
}

/// Books a validated appointment. The caller picks the month document of `booking.start`.
pub fn book(
    doc: &mut AutoCommit,
    booking: &ValidBooking,
    device: &str,
    now: NaiveDateTime,
) -> Result<AppointmentId, DocumentError> {
    let map = Document::root_map(doc, "appointments")?;
    let id = AppointmentId::random();
    let record = Record {
        patient_name: booking.patient_name.clone(),
        phone: booking.phone.clone(),
        start: format_local_datetime(booking.start),
        duration_minutes: booking.duration_minutes,
        provider: booking.provider.as_str().to_string(),
        status: Status::Booked,
        history: vec![StatusChange {
            status: Status::Booked,
            at: format_local_datetime(now),
            device: device.to_string(),
        }],
    };
    reconcile_prop(doc, &map, id.as_str(), &record)
        .map_err(|e| DocumentError::Write(e.to_string()))?;
    Ok(id)
}

/// Cancels an appointment, appending to its history. Cancelling twice changes nothing.
pub fn cancel(
    doc: &mut AutoCommit,
    id: &AppointmentId,
    device: &str,
    now: NaiveDateTime,
) -> Result<(), DocumentError> {
    let map = Document::root_map(doc, "appointments")?;
    let not_found = || DocumentError::NotFound("That appointment no longer exists.".into());
    let mut record: Record = hydrate_prop(doc, &map, id.as_str()).map_err(|_| not_found())?;
    if record.start.is_empty() {
        return Err(not_found());
    }
    if record.status == Status::Cancelled {
        return Ok(());
    }
    record.status = Status::Cancelled;
    record.history.push(StatusChange {
        status: Status::Cancelled,
        at: format_local_datetime(now),
        device: device.to_string(),
    });
    reconcile_prop(doc, &map, id.as_str(), &record).map_err(|e| DocumentError::Write(e.to_string()))
}

#[cfg(test)]
mod tests {
    use automerge::ActorId;
    use sync_server::protocol::DocId;

    use super::*;
    use crate::model::BookingForm;

    fn at(text: &str) -> NaiveDateTime {
        parse_local_datetime(text).expect("valid test time")
    }

    fn booking(name: &str, start: &str) -> ValidBooking {
        BookingForm {
            patient_name: name.into(),
            phone: String::new(),
            start: start.into(),
            duration_minutes: "20".into(),
            provider: "dr-a".into(),
            back_entry: false,
        }
        .validate(
            &[ProviderId::from("dr-a".to_string())],
            at("2026-11-22T08:00"),
        )
        .expect("valid test booking")
    }

    fn new_doc() -> Document {
        let id = DocId::new("schedule/main/2026-11").expect("valid");
        Document::new(&id, &ActorId::random()).expect("known kind")
    }

    fn names(doc: &Document) -> Vec<String> {
        Schedule::read(doc.automerge())
            .expect("reads")
            .appointments
            .into_iter()
            .map(|a| a.patient_name)
            .collect()
    }

    #[test]
    fn concurrent_bookings_on_two_forks_both_survive() {
        let mut desk_a = new_doc();
        let mut desk_b = new_doc();
        let now = at("2026-11-22T08:00");
        let (_, from_a) = desk_a
            .change(|d| {
                book(
                    d,
                    &booking("Avery Testcase", "2026-11-23T10:00"),
                    "Desk A",
                    now,
                )
            })
            .expect("books");
        let (_, from_b) = desk_b
            .change(|d| {
                book(
                    d,
                    &booking("Blake Fixture", "2026-11-23T09:30"),
                    "Desk B",
                    now,
                )
            })
            .expect("books");
        desk_a.apply(&from_b.expect("bundle")).expect("applies");
        desk_b.apply(&from_a.expect("bundle")).expect("applies");
        assert_eq!(names(&desk_a), ["Blake Fixture", "Avery Testcase"]);
        assert_eq!(names(&desk_a), names(&desk_b));
    }

    #[test]
    fn cancel_keeps_history_and_merges_with_concurrent_cancel() {
        let mut desk_a = new_doc();
        let now = at("2026-11-22T08:00");
        let (id, bundle) = desk_a
            .change(|d| {
                book(
                    d,
                    &booking("Casey Synthetic", "2026-11-23T11:00"),
                    "Desk A",
                    now,
                )
            })
            .expect("books");
        let mut desk_b = new_doc();
        desk_b.apply(&bundle.expect("bundle")).expect("applies");

        let (_, a) = desk_a
            .change(|d| cancel(d, &id, "Desk A", at("2026-11-22T08:05")))
            .expect("cancels");
        let (_, b) = desk_b
            .change(|d| cancel(d, &id, "Desk B", at("2026-11-22T08:06")))
            .expect("cancels");
        desk_a.apply(&b.expect("bundle")).expect("applies");
        desk_b.apply(&a.expect("bundle")).expect("applies");
        let merged = Schedule::read(desk_a.automerge()).expect("reads");
        assert_eq!(merged, Schedule::read(desk_b.automerge()).expect("reads"));
        let appointment = &merged.appointments[0];
        assert_eq!(appointment.status, Status::Cancelled);
        // Both desks' cancellations stay in the history: it is an audit trail.
        assert_eq!(appointment.history.len(), 3);

        let (_, again) = desk_a
            .change(|d| cancel(d, &id, "Desk A", at("2026-11-22T09:00")))
            .expect("no-op");
        assert!(again.is_none());
    }

    #[test]
    fn cancelling_an_unknown_appointment_is_an_error() {
        let mut doc = new_doc();
        let missing = AppointmentId::random();
        let result = doc.change(|d| cancel(d, &missing, "Desk A", at("2026-11-22T08:00")));
        assert!(matches!(result, Err(DocumentError::NotFound(_))));
    }

    #[test]
    fn unreadable_records_are_counted_not_fatal() {
        let mut doc = new_doc();
        let now = at("2026-11-22T08:00");
        doc.change(|d| {
            book(
                d,
                &booking("Dana Placeholder", "2026-11-23T10:00"),
                "Desk A",
                now,
            )
        })
        .expect("books");
        doc.change(|d| {
            let map = Document::root_map(d, "appointments")?;
            automerge::transaction::Transactable::put(d, &map, "broken", "not a record")
                .map_err(|e| DocumentError::Write(e.to_string()))
        })
        .expect("writes");
        let schedule = Schedule::read(doc.automerge()).expect("reads");
        assert_eq!(schedule.appointments.len(), 1);
        assert_eq!(schedule.unreadable, 1);
    }

    #[test]
    fn day_filter() {
        let mut doc = new_doc();
        let now = at("2026-11-22T08:00");
        for (name, start) in [("Eli", "2026-11-23T10:00"), ("Fay", "2026-11-24T10:00")] {
            doc.change(|d| book(d, &booking(name, start), "Desk A", now))
                .expect("books");
        }
        let schedule = Schedule::read(doc.automerge()).expect("reads");
        let day = NaiveDate::from_ymd_opt(2026, 11, 24).expect("valid");
        let on_day: Vec<_> = schedule
            .on_day(day)
            .map(|a| a.patient_name.as_str())
            .collect();
        assert_eq!(on_day, ["Fay"]);
    }
}
