use automerge::ActorId;
use protocol::DocId;

mod makers;
mod undo;

use super::*;
use crate::appointment::parse_local_datetime;
use crate::appointment::{Frequency, Recurrence, RecurrenceEnd};
use crate::directory::{time, PALETTE};
use crate::document::maps;
use crate::ProviderId;
use crate::{BookingForm, Provider, SiteId, WeekHours};

fn at(text: &str) -> NaiveDateTime {
    parse_local_datetime(text).expect("valid test time")
}

fn directory() -> Directory {
    let provider = |id: &str, name: &str| Provider {
        id: ProviderId::from(id),
        name: name.into(),
        specialty: String::new(),
        colour: PALETTE[0].into(),
        sites: vec![SiteId::main()],
        hours: WeekHours::weekdays(time(8, 0), time(17, 0)),
    };
    Directory {
        providers: vec![provider("dr-a", "Dr. A"), provider("dr-b", "Dr. B")],
        ..Directory::default()
    }
}

fn booking(name: &str, start: &str) -> ValidBooking {
    BookingForm {
        patient_name: name.into(),
        start: start.into(),
        duration_minutes: "20".into(),
        provider: "dr-a".into(),
        ..BookingForm::default()
    }
    .validate(&directory(), &SiteId::main(), at("2026-11-22T08:00"), None)
    .expect("valid test booking")
}

fn who(device: &str) -> Who {
    Who {
        device: device.into(),
        staff: Some("Robin Receptionist".into()),
    }
}

fn new_doc(month: &str) -> Document {
    let id = DocId::new(format!("schedule/main/{month}")).expect("valid");
    Document::new(&id, &ActorId::random()).expect("known kind")
}

fn read(doc: &Document) -> Schedule {
    Schedule::read(doc.automerge()).expect("reads")
}

fn names(doc: &Document) -> Vec<String> {
    read(doc)
        .appointments
        .into_iter()
        .map(|a| a.patient_name)
        .collect()
}

/// Books on a fresh document and returns it with a second device's copy.
fn booked_on_two(name: &str, start: &str) -> (Document, Document, AppointmentId) {
    let mut desk_a = new_doc("2026-11");
    let (id, bundle) = desk_a
        .change(|d| {
            book(
                d,
                &booking(name, start),
                &who("Desk A"),
                at("2026-11-22T08:00"),
            )
        })
        .expect("books");
    let mut desk_b = new_doc("2026-11");
    desk_b.apply(&bundle.expect("bundle")).expect("applies");
    (desk_a, desk_b, id)
}

fn sync(a: &mut Document, b: &mut Document, from_a: Option<Vec<u8>>, from_b: Option<Vec<u8>>) {
    if let Some(bytes) = from_b {
        a.apply(&bytes).expect("applies");
    }
    if let Some(bytes) = from_a {
        b.apply(&bytes).expect("applies");
    }
}

#[test]
fn concurrent_bookings_on_two_forks_both_survive() {
    let mut desk_a = new_doc("2026-11");
    let mut desk_b = new_doc("2026-11");
    let now = at("2026-11-22T08:00");
    let (_, from_a) = desk_a
        .change(|d| {
            book(
                d,
                &booking("Avery Testcase", "2026-11-23T10:00"),
                &who("A"),
                now,
            )
        })
        .expect("books");
    let (_, from_b) = desk_b
        .change(|d| {
            book(
                d,
                &booking("Blake Fixture", "2026-11-23T09:30"),
                &who("B"),
                now,
            )
        })
        .expect("books");
    sync(&mut desk_a, &mut desk_b, from_a, from_b);
    assert_eq!(names(&desk_a), ["Blake Fixture", "Avery Testcase"]);
    assert_eq!(names(&desk_a), names(&desk_b));
}

#[test]
fn the_front_desk_flow_appends_to_the_history() {
    let (mut doc, _, id) = booked_on_two("Casey Synthetic", "2026-11-23T10:00");
    let room = RoomId::from("room-2");
    type Step<'a> = (Status, Option<(&'a RoomId, &'a str)>, &'a str);
    let steps: [Step; 4] = [
        (Status::Confirmed, None, "2026-11-22T12:00"),
        (Status::Arrived, None, "2026-11-23T09:52"),
        (Status::InRoom, Some((&room, "Room 2")), "2026-11-23T10:03"),
        (Status::Fulfilled, None, "2026-11-23T10:25"),
    ];
    for (to, room, when) in steps {
        doc.change(|d| set_status(d, &id, to, room, &who("Desk A"), at(when)))
            .expect("allowed");
    }
    let a = read(&doc).find(&id).cloned().expect("exists");
    assert_eq!(a.status, Status::Fulfilled);
    assert_eq!(a.room, Some(room));
    let statuses: Vec<_> = a.history.iter().map(|c| c.status).collect();
    assert_eq!(
        statuses,
        [
            Status::Booked,
            Status::Confirmed,
            Status::Arrived,
            Status::InRoom,
            Status::Fulfilled
        ]
    );
    assert_eq!(a.history[3].room.as_deref(), Some("Room 2"));
    assert_eq!(a.history[3].staff.as_deref(), Some("Robin Receptionist"));

    let refused = doc.change(|d| {
        set_status(
            d,
            &id,
            Status::Arrived,
            None,
            &who("A"),
            at("2026-11-23T11:00"),
        )
    });
    assert!(matches!(refused, Err(DocumentError::Refused(_))));
    assert_eq!(read(&doc).find(&id).map(|a| a.history.len()), Some(5));
}

#[test]
fn in_room_needs_a_room_and_no_show_needs_the_start_to_have_passed() {
    let (mut doc, _, id) = booked_on_two("Dana Placeholder", "2026-11-23T10:00");
    let early = doc.change(|d| {
        set_status(
            d,
            &id,
            Status::NoShow,
            None,
            &who("A"),
            at("2026-11-23T09:00"),
        )
    });
    assert!(matches!(early, Err(DocumentError::Refused(_))));
    doc.change(|d| {
        set_status(
            d,
            &id,
            Status::Arrived,
            None,
            &who("A"),
            at("2026-11-23T09:55"),
        )
    })
    .expect("checks in");
    let no_room = doc.change(|d| {
        set_status(
            d,
            &id,
            Status::InRoom,
            None,
            &who("A"),
            at("2026-11-23T10:00"),
        )
    });
    assert!(matches!(no_room, Err(DocumentError::Refused(_))));
}

#[test]
fn late_cancel_is_flagged_under_24_hours() {
    let (mut doc, _, id) = booked_on_two("Eli Example", "2026-11-23T10:00");
    doc.change(|d| {
        cancel(
            d,
            &id,
            " patient  unwell ",
            &who("A"),
            at("2026-11-22T18:00"),
        )
    })
    .expect("cancels");
    let a = read(&doc).find(&id).cloned().expect("exists");
    assert!(a.late_cancel);
    assert_eq!(a.cancel_reason.as_deref(), Some("patient unwell"));
    assert_eq!(
        a.history.last().and_then(|c| c.note.clone()).as_deref(),
        Some("Late cancel: patient unwell")
    );

    let (mut doc, _, id) = booked_on_two("Fay Fixture", "2026-11-25T10:00");
    doc.change(|d| cancel(d, &id, "", &who("A"), at("2026-11-22T18:00")))
        .expect("cancels");
    assert!(!read(&doc).find(&id).expect("exists").late_cancel);
}

#[test]
fn cancel_keeps_history_and_merges_with_concurrent_cancel() {
    let (mut desk_a, mut desk_b, id) = booked_on_two("Casey Synthetic", "2026-11-23T11:00");
    let (_, a) = desk_a
        .change(|d| cancel(d, &id, "", &who("Desk A"), at("2026-11-22T08:05")))
        .expect("cancels");
    let (_, b) = desk_b
        .change(|d| cancel(d, &id, "", &who("Desk B"), at("2026-11-22T08:06")))
        .expect("cancels");
    sync(&mut desk_a, &mut desk_b, a, b);
    let merged = read(&desk_a);
    assert_eq!(merged, read(&desk_b));
    let appointment = &merged.appointments[0];
    assert_eq!(appointment.status, Status::Cancelled);
    // Both desks' cancellations stay in the history: it is an audit trail.
    assert_eq!(appointment.history.len(), 3);
    let (_, again) = desk_a
        .change(|d| cancel(d, &id, "", &who("Desk A"), at("2026-11-22T09:00")))
        .expect("no-op");
    assert!(again.is_none());
}

#[test]
fn a_check_in_and_a_phone_change_on_two_desks_both_land() {
    let (mut desk_a, mut desk_b, id) = booked_on_two("Gale Sample", "2026-11-23T10:00");
    let (_, a) = desk_a
        .change(|d| {
            set_status(
                d,
                &id,
                Status::Arrived,
                None,
                &who("Desk A"),
                at("2026-11-23T09:50"),
            )
        })
        .expect("checks in");
    let (_, b) = desk_b
        .change(|d| {
            let mut appt = get(d, &id)?;
            appt.phone = Some("555 0142".into());
            put(d, &appt)
        })
        .expect("edits");
    sync(&mut desk_a, &mut desk_b, a, b);
    let merged = read(&desk_a).find(&id).cloned().expect("exists");
    assert_eq!(merged.status, Status::Arrived);
    assert_eq!(merged.phone.as_deref(), Some("555 0142"));
    assert_eq!(read(&desk_b).find(&id), Some(&merged));
}

#[test]
fn a_reschedule_keeps_the_old_slot_in_the_history_and_can_change_month() {
    let (mut november, _, id) = booked_on_two("Hal Testcase", "2026-11-23T10:00");
    let mut form = BookingForm::from_appointment(&read(&november).appointments[0]);
    form.start = "2026-12-01T14:00".into();
    form.provider = "dr-b".into();
    let moved = form
        .validate(&directory(), &SiteId::main(), at("2026-11-22T08:00"), None)
        .expect("valid");
    let original = read(&november).appointments[0].clone();
    let taken = november.change(|d| take(d, &id)).expect("takes").0;
    let edited = edited(
        taken,
        &original,
        &moved,
        &directory(),
        &who("A"),
        at("2026-11-22T08:10"),
    )
    .expect("edits");
    let mut december = new_doc("2026-12");
    december.change(|d| put(d, &edited)).expect("puts");
    assert!(read(&november).appointments.is_empty());
    let a = read(&december)
        .find(&id)
        .cloned()
        .expect("moved with its id");
    assert_eq!(a.provider, ProviderId::from("dr-b"));
    assert_eq!(
        a.history.last().and_then(|c| c.note.clone()).as_deref(),
        Some("Moved from Mon 23 Nov 10:00 with Dr. A")
    );
}

#[test]
fn a_series_is_planned_with_one_id_and_an_index_each() {
    let mut b = booking("Ivy Sample", "2026-11-23T10:00");
    b.recurrence = Some(Recurrence {
        frequency: Frequency::Weekly,
        end: RecurrenceEnd::Count(3),
    });
    let planned = plan(&b, &who("A"), at("2026-11-22T08:00"));
    assert_eq!(planned.len(), 3);
    let series: Vec<_> = planned.iter().filter_map(|a| a.series.clone()).collect();
    assert!(series.iter().all(|s| s.id == series[0].id));
    assert_eq!(
        series.iter().map(|s| s.index).collect::<Vec<_>>(),
        [0, 1, 2]
    );
    assert_eq!(planned[2].start, at("2026-12-07T10:00"));
    let mut doc = new_doc("2026-11");
    doc.change(|d| planned.iter().take(2).try_for_each(|a| put(d, a)))
        .expect("puts");
    assert_eq!(read(&doc).appointments[1].series, planned[1].series);
}

#[test]
fn accepting_a_clash_is_recorded() {
    let (mut doc, _, id) = booked_on_two("Jo Fixture", "2026-11-23T10:00");
    doc.change(|d| {
        accept_clash(
            d,
            &id,
            "other-id",
            "double-booked on purpose",
            &who("A"),
            at("2026-11-22T09:00"),
        )
    })
    .expect("accepts");
    let a = read(&doc).find(&id).cloned().expect("exists");
    assert_eq!(a.accepted_clashes, ["other-id"]);
    assert_eq!(a.clash_note.as_deref(), Some("double-booked on purpose"));
}

#[test]
fn unknown_and_unreadable_records() {
    let mut doc = new_doc("2026-11");
    let missing = AppointmentId::random();
    let result = doc.change(|d| cancel(d, &missing, "", &who("A"), at("2026-11-22T08:00")));
    assert!(matches!(result, Err(DocumentError::NotFound(_))));
    doc.change(|d| {
        book(
            d,
            &booking("Kit Placeholder", "2026-11-23T10:00"),
            &who("A"),
            at("2026-11-22T08:00"),
        )
    })
    .expect("books");
    doc.change(|d| {
        let map = Document::root_map(d, maps::APPOINTMENTS)?;
        automerge::transaction::Transactable::put(d, &map, "broken", "not a record")
            .map_err(|e| DocumentError::Write(e.to_string()))
    })
    .expect("writes");
    let schedule = read(&doc);
    assert_eq!(schedule.appointments.len(), 1);
    assert_eq!(schedule.unreadable, 1);
}

#[test]
fn day_filter() {
    let mut doc = new_doc("2026-11");
    for (name, start) in [
        ("Eli", "2026-11-23T10:00"),
        ("Fay", "2026-11-24T10:00"),
        ("Gus", "2026-11-24T11:00"),
    ] {
        doc.change(|d| book(d, &booking(name, start), &who("A"), at("2026-11-22T08:00")))
            .expect("books");
    }
    let schedule = read(&doc);
    let day = NaiveDate::from_ymd_opt(2026, 11, 24).expect("valid");
    let on_day: Vec<_> = schedule
        .on_day(day)
        .map(|a| a.patient_name.as_str())
        .collect();
    assert_eq!(on_day, ["Fay", "Gus"]);
    // Reading the day alone gives the same as reading the month and picking the day.
    let alone = Schedule::read_day(doc.automerge(), day).expect("reads");
    assert_eq!(alone, schedule.on_day(day).cloned().collect::<Vec<_>>());
}

#[test]
fn a_change_keeps_what_other_desks_changed_meanwhile() {
    let (mut desk_a, mut desk_b, id) = booked_on_two("Ivo Sample", "2026-11-23T10:00");
    // Desk A opens the form; desk B sends the patient to a room meanwhile.
    let original = read(&desk_a).find(&id).cloned().expect("exists");
    let room = RoomId::from("room-3");
    let (_, b) = desk_b
        .change(|d| {
            set_status(
                d,
                &id,
                Status::Arrived,
                None,
                &who("B"),
                at("2026-11-23T09:50"),
            )?;
            set_status(
                d,
                &id,
                Status::InRoom,
                Some((&room, "Room 3")),
                &who("B"),
                at("2026-11-23T09:55"),
            )
        })
        .expect("rooms");
    sync(&mut desk_a, &mut desk_b, None, b);
    let mut form = BookingForm::from_appointment(&original);
    form.phone = "555 0199".into();
    let valid = form
        .validate(
            &directory(),
            &SiteId::main(),
            at("2026-11-22T08:00"),
            Some(original.start),
        )
        .expect("valid");
    let (_, _) = desk_a
        .change(|d| {
            let changed = edited(
                get(d, &id)?,
                &original,
                &valid,
                &directory(),
                &who("A"),
                at("2026-11-23T10:00"),
            )?;
            put(d, &changed)
        })
        .expect("saves");
    let a = read(&desk_a).find(&id).cloned().expect("exists");
    assert_eq!(a.phone.as_deref(), Some("555 0199"));
    assert_eq!(a.status, Status::InRoom, "the room desk B chose stays");
    assert_eq!(a.room, Some(room));
}

#[test]
fn moving_a_checked_in_patient_books_them_again() {
    let (mut doc, _, id) = booked_on_two("Jay Fixture", "2026-11-23T10:00");
    doc.change(|d| {
        set_status(
            d,
            &id,
            Status::Arrived,
            None,
            &who("A"),
            at("2026-11-23T09:50"),
        )
    })
    .expect("checks in");
    let original = read(&doc).find(&id).cloned().expect("exists");
    let mut form = BookingForm::from_appointment(&original);
    form.start = "2026-11-30T10:00".into();
    let valid = form
        .validate(
            &directory(),
            &SiteId::main(),
            at("2026-11-23T09:55"),
            Some(original.start),
        )
        .expect("valid");
    let changed = edited(
        original.clone(),
        &original,
        &valid,
        &directory(),
        &who("A"),
        at("2026-11-23T09:56"),
    )
    .expect("moves");
    assert_eq!(changed.status, Status::Booked);
    assert_eq!(changed.start, at("2026-11-30T10:00"));
    assert!(changed.waiting_minutes(at("2026-11-30T09:00")).is_none());
}
