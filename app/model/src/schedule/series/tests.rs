use automerge::ActorId;
use chrono::{NaiveDate, NaiveDateTime};
use protocol::DocId;

use super::*;
use crate::appointment::{parse_local_datetime, Frequency, Recurrence, RecurrenceEnd};
use crate::directory::{time, PALETTE};
use crate::schedule::{plan, set_status};
use crate::{BookingForm, Document, Provider, ProviderId, SiteId, WeekHours};

fn at(text: &str) -> NaiveDateTime {
    parse_local_datetime(text).expect("valid test time")
}

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("valid test day")
}

fn directory() -> Directory {
    Directory {
        providers: vec![Provider {
            id: ProviderId::from("dr-a"),
            name: "Dr. A".into(),
            specialty: String::new(),
            colour: PALETTE[0].into(),
            sites: vec![SiteId::main()],
            hours: WeekHours::weekdays(time(8, 0), time(17, 0)),
        }],
        ..Directory::default()
    }
}

fn form(start: &str) -> BookingForm {
    BookingForm {
        patient_name: "Sam Sample".into(),
        start: start.into(),
        duration_minutes: "20".into(),
        provider: "dr-a".into(),
        ..BookingForm::default()
    }
}

fn valid(form: BookingForm) -> ValidBooking {
    form.validate(&directory(), &SiteId::main(), at("2026-11-02T08:00"), None)
        .expect("valid test booking")
}

fn who() -> Who {
    Who {
        device: "Desk A".into(),
        staff: Some("Robin Receptionist".into()),
    }
}

fn month_doc(month: &str) -> Document {
    let id = DocId::new(format!("schedule/main/{month}")).expect("valid");
    Document::new(&id, &ActorId::random()).expect("known kind")
}

fn ids(doc: &Document) -> Vec<AppointmentId> {
    Schedule::read(doc.automerge())
        .expect("reads")
        .appointments
        .into_iter()
        .map(|a| a.id)
        .collect()
}

/// A weekly series of `count` visits from `start`, written into the month documents it
/// falls in (November and December 2026).
fn weekly_series(start: &str, count: u32) -> (Vec<Appointment>, Document, Document) {
    let mut booking = valid(form(start));
    booking.recurrence = Some(Recurrence {
        frequency: Frequency::Weekly,
        end: RecurrenceEnd::Count(count),
    });
    let visits = plan(&booking, &who(), at("2026-11-02T08:00"));
    let (mut november, mut december) = (month_doc("2026-11"), month_doc("2026-12"));
    for visit in &visits {
        let doc = if visit.start.date() < day("2026-12-01") {
            &mut november
        } else {
            &mut december
        };
        doc.change(|d| put(d, visit)).expect("writes");
    }
    (visits, november, december)
}

#[test]
fn a_series_visits_every_month_up_to_its_last_occurrence() {
    let (visits, _, _) = weekly_series("2026-11-23T09:00", 3);
    let months = series_months(&visits[0]);
    assert_eq!(months, vec![day("2026-11-01"), day("2026-12-01")]);
    // From a later occurrence, the months before it are not visited.
    assert_eq!(series_months(&visits[2]), vec![day("2026-12-01")]);
    // A series written before its last visit was recorded is followed as far as any goes.
    let mut unbounded = visits[0].clone();
    if let Some(s) = unbounded.series.as_mut() {
        s.last = None;
    }
    let months = series_months(&unbounded);
    assert_eq!(months.len(), MAX_SERIES_MONTHS as usize);
    assert_eq!(months[1], day("2026-12-01"));
}

#[test]
fn later_occurrences_move_by_as_much_and_finished_ones_stay() {
    let (visits, mut november, _) = weekly_series("2026-11-02T09:00", 4);
    // The second visit has taken place.
    let second = visits[1].id.clone();
    november
        .change(|d| {
            set_status(
                d,
                &second,
                Status::Arrived,
                None,
                &who(),
                at("2026-11-09T08:55"),
            )?;
            set_status(
                d,
                &second,
                Status::Fulfilled,
                None,
                &who(),
                at("2026-11-09T09:30"),
            )
        })
        .expect("checked in and out");
    let step = change_step(
        visits[0].clone(),
        valid(form("2026-11-02T10:00")),
        directory(),
        who(),
        at("2026-11-02T08:00"),
    );
    let series = visits[0].series.clone().expect("a series");
    let (outcome, _) = november
        .change(|d| change_in_month(d, day("2026-11-01"), &series, &step))
        .expect("changes");
    assert_eq!(outcome.found, 4);
    assert!(outcome.to_move.is_empty());
    let starts: Vec<String> = Schedule::read(november.automerge())
        .expect("reads")
        .appointments
        .into_iter()
        .map(|a| a.start.format("%d %H:%M").to_string())
        .collect();
    assert_eq!(starts, ["02 10:00", "09 09:00", "16 10:00", "23 10:00"]);
}

#[test]
fn cancelling_the_rest_of_a_series_leaves_what_cannot_be_cancelled() {
    let (visits, mut november, _) = weekly_series("2026-11-02T09:00", 3);
    let first = visits[0].id.clone();
    november
        .change(|d| {
            set_status(
                d,
                &first,
                Status::Arrived,
                None,
                &who(),
                at("2026-11-02T08:55"),
            )?;
            set_status(
                d,
                &first,
                Status::Fulfilled,
                None,
                &who(),
                at("2026-11-02T09:30"),
            )
        })
        .expect("seen");
    let step = cancel_step("Moved away".into(), who(), at("2026-11-02T10:00"));
    let series = visits[0].series.clone().expect("a series");
    november
        .change(|d| change_in_month(d, day("2026-11-01"), &series, &step))
        .expect("cancels");
    let statuses: Vec<Status> = Schedule::read(november.automerge())
        .expect("reads")
        .appointments
        .into_iter()
        .map(|a| a.status)
        .collect();
    assert_eq!(
        statuses,
        [Status::Fulfilled, Status::Cancelled, Status::Cancelled]
    );
}

#[test]
fn a_move_to_another_month_is_one_change_across_both_documents() {
    let (visits, mut november, mut december) = weekly_series("2026-11-23T09:00", 1);
    let id = visits[0].id.clone();
    let step = change_step(
        visits[0].clone(),
        valid(form("2026-12-07T11:00")),
        directory(),
        who(),
        at("2026-11-02T08:00"),
    );
    // Changed where it is, the appointment is left for the move.
    let (outcome, bundle) = november
        .change(|d| change_one(d, day("2026-11-01"), &id, &step))
        .expect("changes");
    assert_eq!(outcome.to_move, vec![(id.clone(), day("2026-12-01"))]);
    assert!(bundle.is_none(), "nothing is written before the move");

    let (moved, bundles) = Document::change_many(&mut [&mut december, &mut november], |docs| {
        relocate(docs, day("2026-12-01"), &id, &step)
    })
    .expect("moves");
    assert!(moved);
    assert!(bundles.iter().all(Option::is_some), "both months changed");
    assert_eq!(ids(&december), vec![id.clone()]);
    assert!(ids(&november).is_empty());
    let there = Schedule::read(december.automerge())
        .expect("reads")
        .appointments;
    assert_eq!(there[0].start, at("2026-12-07T11:00"));
    // Its history travelled with it.
    assert_eq!(there[0].history.len(), visits[0].history.len() + 1);
}

#[test]
fn a_move_refused_midway_changes_neither_month() {
    let (visits, mut november, mut december) = weekly_series("2026-11-23T09:00", 1);
    let id = visits[0].id.clone();
    // Another device rescheduled it within November meanwhile: the step no longer takes it
    // to December.
    let step = |mut a: Appointment| -> Result<Option<Appointment>, DocumentError> {
        a.start = at("2026-11-30T09:00");
        Ok(Some(a))
    };
    let before = (november.heads(), december.heads());
    let refused = Document::change_many(&mut [&mut december, &mut november], |docs| {
        relocate(docs, day("2026-12-01"), &id, &step)
    });
    assert!(
        matches!(refused, Err(DocumentError::Refused(_))),
        "{refused:?}"
    );
    assert_eq!((november.heads(), december.heads()), before);
    assert_eq!(ids(&november), vec![id]);
    assert!(ids(&december).is_empty());
}

#[test]
fn a_move_of_an_appointment_another_device_removed_is_refused_whole() {
    let (visits, mut november, mut december) = weekly_series("2026-11-23T09:00", 1);
    let id = visits[0].id.clone();
    november.change(|d| take(d, &id)).expect("taken");
    let step = |a: Appointment| -> Result<Option<Appointment>, DocumentError> { Ok(Some(a)) };
    let result = Document::change_many(&mut [&mut december, &mut november], |docs| {
        relocate(docs, day("2026-12-01"), &id, &step)
    });
    assert!(
        matches!(result, Err(DocumentError::NotFound(_))),
        "{result:?}"
    );
    assert!(ids(&december).is_empty());
}
