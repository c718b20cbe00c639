use automerge::ActorId;
use chrono::NaiveDate;

use super::*;
use crate::appointment::{parse_local_datetime, ValidBooking};
use crate::closure::{Closure, ClosureId};
use crate::directory::time;
use crate::schedule::Schedule;
use crate::{DocKind, Document, Provider, ProviderId, Site, WeekHours};

// 2026-12-07 is a Monday.

fn at(text: &str) -> NaiveDateTime {
    parse_local_datetime(text).expect("valid test time")
}

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("valid test day")
}

fn who(device: &str) -> Who {
    Who {
        device: device.into(),
        staff: Some("Avery Example".into()),
    }
}

fn directory() -> Directory {
    Directory {
        sites: vec![Site {
            id: SiteId::main(),
            name: "Main Street".into(),
            hours: WeekHours::weekdays(time(8, 0), time(18, 0)),
        }],
        providers: vec![Provider {
            id: ProviderId::from("dr-a"),
            name: "Dr. A".into(),
            specialty: String::new(),
            colour: "#8ecae6".into(),
            sites: vec![SiteId::main()],
            hours: WeekHours::weekdays(time(8, 0), time(17, 0)),
        }],
        ..Directory::default()
    }
}

fn month() -> Document {
    let id = DocKind::schedule_for(&SiteId::main(), day("2026-12-08")).doc_id();
    Document::new(&id, &ActorId::random()).expect("known kind")
}

/// Books `patient` on Tuesday 8 December at `time`, with a phone number.
fn book(doc: &mut Document, patient: &str, time: &str) -> AppointmentId {
    let mut booking = ValidBooking::new(
        patient,
        ProviderId::from("dr-a"),
        at(&format!("2026-12-08T{time}")),
        30,
    );
    booking.phone = Some("+1 (555) 010-0199".into());
    let (id, _) = doc
        .change(|d| schedule::book(d, &booking, &who("Desk A"), at("2026-12-01T09:00")))
        .expect("books");
    id
}

fn call(doc: &mut Document, id: &AppointmentId, outcome: Outcome, when: &str) -> Option<Vec<u8>> {
    let (_, bundle) = doc
        .change(|d| record_call(d, id, outcome, &who("Desk A"), at(when)))
        .expect("records");
    bundle
}

fn appointments(doc: &Document) -> Vec<Appointment> {
    Schedule::read(doc.automerge()).expect("reads").appointments
}

fn names(items: &[CallItem]) -> Vec<&str> {
    items
        .iter()
        .map(|i| i.appointment.patient_name.as_str())
        .collect()
}

#[test]
fn each_outcome_is_recorded_with_its_line_in_the_history() {
    let mut doc = month();
    let lee = book(&mut doc, "Lee Sample", "09:00");
    let kim = book(&mut doc, "Kim Example", "09:30");
    let sam = book(&mut doc, "Sam Test", "10:00");
    call(&mut doc, &lee, Outcome::NoAnswer, "2026-12-07T09:00");
    call(&mut doc, &lee, Outcome::Confirmed, "2026-12-07T11:00");
    call(&mut doc, &kim, Outcome::Reschedule, "2026-12-07T09:05");
    call(&mut doc, &sam, Outcome::Cancelled, "2026-12-07T09:10");
    let read = |id: &AppointmentId| {
        appointments(&doc)
            .into_iter()
            .find(|a| &a.id == id)
            .expect("still there")
    };

    let lee = read(&lee);
    assert_eq!(lee.status, Status::Confirmed);
    let outcomes: Vec<_> = lee.calls.iter().map(|c| c.outcome).collect();
    assert_eq!(outcomes, [Outcome::NoAnswer, Outcome::Confirmed]);
    assert_eq!(lee.calls[1].at, "2026-12-07T11:00:00");
    assert_eq!(lee.calls[1].start, "2026-12-08T09:00:00");
    assert_eq!(lee.calls[1].staff.as_deref(), Some("Avery Example"));
    let notes: Vec<_> = lee
        .history
        .iter()
        .filter_map(|h| h.note.as_deref())
        .collect();
    assert_eq!(
        notes,
        [
            "Confirmation call: no answer",
            "Confirmation call: confirmed"
        ]
    );
    assert_eq!(
        lee.history.last().map(|h| h.status),
        Some(Status::Confirmed)
    );

    let kim = read(&kim);
    assert_eq!(
        kim.status,
        Status::Booked,
        "a wish to move moves nothing yet"
    );
    let sam = read(&sam);
    assert_eq!(sam.status, Status::Cancelled);
    assert_eq!(
        sam.cancel_reason.as_deref(),
        Some("Cancelled on the confirmation call")
    );
    // A cancelled appointment cannot be called again into another state.
    let refused = doc.change(|d| {
        record_call(
            d,
            &sam.id,
            Outcome::Cancelled,
            &who("Desk A"),
            at("2026-12-07T12:00"),
        )
    });
    assert!(
        refused.is_ok(),
        "cancelling twice changes nothing: {refused:?}"
    );
}

#[test]
fn the_worklist_is_in_call_order_and_flags_who_was_not_reached() {
    let mut doc = month();
    book(&mut doc, "Early Patient", "08:30");
    book(&mut doc, "Fresh Patient", "11:00");
    let tried = book(&mut doc, "Tried Once", "08:00");
    let gone = book(&mut doc, "Gone Patient", "09:00");
    let wrong = book(&mut doc, "Wrong Number", "09:30");
    let moving = book(&mut doc, "Wants Moving", "10:00");
    let done = book(&mut doc, "Confirmed Patient", "10:30");
    let cancelled = book(&mut doc, "Cancelled Patient", "12:00");
    call(&mut doc, &tried, Outcome::NoAnswer, "2026-12-07T09:00");
    for when in ["2026-12-07T09:00", "2026-12-07T11:00", "2026-12-07T15:00"] {
        call(&mut doc, &gone, Outcome::LeftMessage, when);
    }
    call(&mut doc, &wrong, Outcome::WrongNumber, "2026-12-07T09:00");
    call(&mut doc, &moving, Outcome::Reschedule, "2026-12-07T09:00");
    call(&mut doc, &done, Outcome::Confirmed, "2026-12-07T09:00");
    call(&mut doc, &cancelled, Outcome::Cancelled, "2026-12-07T09:00");

    let all = appointments(&doc);
    let list = worklist(&all, 3);
    // Never tried first, by start; then those tried once.
    assert_eq!(
        names(&list.to_call),
        ["Early Patient", "Fresh Patient", "Tried Once"]
    );
    assert_eq!(list.to_call[2].tries, 1);
    assert_eq!(
        list.to_call[2].last.as_ref().map(|c| c.outcome),
        Some(Outcome::NoAnswer)
    );
    assert_eq!(names(&list.flagged), ["Wrong Number", "Gone Patient"]);
    assert_eq!(list.flagged[0].standing, Standing::WrongNumber);
    assert_eq!(list.flagged[1].standing, Standing::NotReached);
    assert_eq!(names(&list.another_time), ["Wants Moving"]);
    assert_eq!(names(&list.confirmed), ["Confirmed Patient"]);
    // The cancelled one is not counted: 1 of 7 confirmed.
    assert_eq!(list.total(), 7);
    assert_eq!(list.rate(), Some(14));
    // With four tries allowed, three messages are not yet enough to flag.
    let patient = worklist(&all, 4);
    assert_eq!(names(&patient.flagged), ["Wrong Number"]);
    assert_eq!(patient.to_call.len(), 4);
    assert_eq!(worklist(&[], 3).rate(), None);
}

#[test]
fn a_moved_appointment_asks_for_a_new_confirmation() {
    let mut doc = month();
    let id = book(&mut doc, "Lee Sample", "09:00");
    call(&mut doc, &id, Outcome::Reschedule, "2026-12-07T09:00");
    let mut a = appointments(&doc).remove(0);
    a.start = at("2026-12-08T14:00");
    doc.change(|d| schedule::put(d, &a)).expect("moves");
    let list = worklist(&appointments(&doc), 3);
    assert_eq!(names(&list.to_call), ["Lee Sample"]);
    assert_eq!(list.to_call[0].tries, 0);
    assert_eq!(list.to_call[0].last, None);
    assert_eq!(appointments(&doc)[0].calls.len(), 1, "the old call stays");
}

#[test]
fn an_appointment_moved_to_another_month_keeps_its_calls() {
    let mut december = month();
    let id = book(&mut december, "Lee Sample", "09:00");
    call(&mut december, &id, Outcome::NoAnswer, "2026-12-07T09:00");
    call(&mut december, &id, Outcome::Reschedule, "2026-12-07T10:00");
    let january_id = DocKind::schedule_for(&SiteId::main(), day("2027-01-05")).doc_id();
    let mut january = Document::new(&january_id, &ActorId::random()).expect("known kind");
    let (mut moved, _) = december.change(|d| schedule::take(d, &id)).expect("takes");
    moved.start = at("2027-01-05T09:00");
    january.change(|d| schedule::put(d, &moved)).expect("puts");
    let there = appointments(&january);
    let outcomes: Vec<_> = there[0].calls.iter().map(|c| c.outcome).collect();
    assert_eq!(outcomes, [Outcome::NoAnswer, Outcome::Reschedule]);
    assert!(appointments(&december).is_empty());
    // Called about December's slot: January's needs a call of its own.
    assert_eq!(names(&worklist(&there, 3).to_call), ["Lee Sample"]);
}

#[test]
fn a_call_that_does_not_read_leaves_the_appointment_and_its_other_calls() {
    use automerge::transaction::Transactable;
    let mut doc = month();
    let id = book(&mut doc, "Lee Sample", "09:00");
    call(&mut doc, &id, Outcome::NoAnswer, "2026-12-07T09:00");
    doc.change(|d| -> Result<(), DocumentError> {
        let map = Document::root_map(d, crate::document::maps::APPOINTMENTS)?;
        let record = crate::fields::record(d, &map, id.as_str()).expect("the record");
        let bad = d
            .put_object(&record, "call:damaged", automerge::ObjType::Map)
            .map_err(crate::fields::write_error)?;
        d.put(&bad, "outcome", "Shouted")
            .map_err(crate::fields::write_error)
    })
    .expect("writes");
    let (schedule, unreadable) = Schedule::read_with_unreadable(doc.automerge()).expect("reads");
    assert!(unreadable.is_empty());
    let outcomes: Vec<_> = schedule.appointments[0]
        .calls
        .iter()
        .map(|c| c.outcome)
        .collect();
    assert_eq!(outcomes, [Outcome::NoAnswer]);
}

#[test]
fn two_desks_calling_offline_both_keep_their_call() {
    let mut desk_a = month();
    let id = book(&mut desk_a, "Lee Sample", "09:00");
    let mut phone = month();
    phone.apply(&desk_a.save()).expect("applies");
    let from_a = call(&mut desk_a, &id, Outcome::NoAnswer, "2026-12-07T09:00");
    let (_, from_phone) = phone
        .change(|d| {
            record_call(
                d,
                &id,
                Outcome::LeftMessage,
                &who("Manager phone"),
                at("2026-12-07T09:02"),
            )
        })
        .expect("records");
    desk_a
        .apply(&from_phone.expect("a change"))
        .expect("applies");
    phone.apply(&from_a.expect("a change")).expect("applies");
    for doc in [&desk_a, &phone] {
        let list = worklist(&appointments(doc), 3);
        assert_eq!(list.to_call[0].tries, 2);
        assert_eq!(
            list.to_call[0].last.as_ref().map(|c| c.outcome),
            Some(Outcome::LeftMessage)
        );
    }
    assert_eq!(appointments(&desk_a), appointments(&phone));
}

#[test]
fn the_call_day_is_the_next_open_day_or_further_ahead() {
    let mut d = directory();
    let main = SiteId::main();
    assert_eq!(
        call_day(&d, &main, day("2026-12-07")),
        Some(day("2026-12-08"))
    );
    // From Friday the next open day is Monday.
    assert_eq!(
        call_day(&d, &main, day("2026-12-11")),
        Some(day("2026-12-14"))
    );
    d.closures.push(Closure {
        id: ClosureId::from("training"),
        name: "Staff training".into(),
        site: None,
        from: day("2026-12-14"),
        to: day("2026-12-14"),
    });
    assert_eq!(
        call_day(&d, &main, day("2026-12-11")),
        Some(day("2026-12-15"))
    );
    d.calling.push(CallSettings {
        ahead: 2,
        ..CallSettings::default_for(&main)
    });
    assert_eq!(
        call_day(&d, &main, day("2026-12-10")),
        Some(day("2026-12-15"))
    );
    assert_eq!(
        call_day(&d, &SiteId::new("gone").expect("valid"), day("2026-12-10")),
        None
    );
}

#[test]
fn settings_are_checked_written_and_read_back() {
    let main = SiteId::main();
    let form = |ahead: &str, tries: &str, template: &str| CallSettingsForm {
        ahead: ahead.into(),
        tries: tries.into(),
        template: template.into(),
        stale_days: "30".into(),
    };
    let fields = |f: CallSettingsForm| -> Vec<&'static str> {
        f.validate(&main)
            .expect_err("refused")
            .into_iter()
            .map(|(field, _)| field)
            .collect()
    };
    assert_eq!(fields(form("0", "3", DEFAULT_TEMPLATE)), ["ahead"]);
    assert_eq!(
        fields(form("15", "x", DEFAULT_TEMPLATE)),
        ["ahead", "tries"]
    );
    assert_eq!(fields(form("1", "3", " ")), ["template"]);
    let unknown = form("1", "3", "Hi {name}")
        .validate(&main)
        .expect_err("refused");
    assert!(
        unknown[0].1.starts_with("{name} is not a word"),
        "{unknown:?}"
    );
    assert_eq!(fields(form("1", "3", "Hi {first_name")), ["template"]);
    let settings = form(" 2 ", "4", "See you {day} at {time}, {first_name}.")
        .validate(&main)
        .expect("valid");

    let mut doc = Document::new(&DocKind::Directory.doc_id(), &ActorId::random()).expect("known");
    assert_eq!(
        Directory::read(doc.automerge())
            .expect("reads")
            .calling(&main),
        CallSettings::default_for(&main)
    );
    let before = CallSettings::default_for(&main);
    doc.change(|d| put_call_settings(d, &before, &settings))
        .expect("writes");
    let read = Directory::read(doc.automerge()).expect("reads");
    assert_eq!(read.calling(&main), settings);
    assert_eq!(read.calling(&main).ahead, 2);
}

#[test]
fn two_managers_setting_a_site_up_first_offline_both_keep_their_field() {
    let main = SiteId::main();
    let new_directory =
        || Document::new(&DocKind::Directory.doc_id(), &ActorId::random()).expect("known kind");
    let (mut first, mut second) = (new_directory(), new_directory());
    let ahead = CallSettings {
        ahead: 2,
        ..CallSettings::default_for(&main)
    };
    let tries = CallSettings {
        tries: 5,
        ..CallSettings::default_for(&main)
    };
    let before = CallSettings::default_for(&main);
    let (_, a) = first
        .change(|d| put_call_settings(d, &before, &ahead))
        .expect("writes");
    let (_, b) = second
        .change(|d| put_call_settings(d, &before, &tries))
        .expect("writes");
    first.apply(&b.expect("a change")).expect("applies");
    second.apply(&a.expect("a change")).expect("applies");
    for doc in [&first, &second] {
        let read = Directory::read(doc.automerge())
            .expect("reads")
            .calling(&main);
        assert_eq!((read.ahead, read.tries), (2, 5));
    }
}

#[test]
fn the_texts_file_has_a_message_per_patient_with_a_number() {
    let mut doc = month();
    book(&mut doc, "Lee Sample", "09:00");
    let wrong = book(&mut doc, "=Kim Example", "09:30");
    book(&mut doc, "Sam Test", "10:00");
    call(&mut doc, &wrong, Outcome::WrongNumber, "2026-12-07T09:00");
    let mut all = appointments(&doc);
    for a in all.iter_mut().filter(|a| a.patient_name == "Sam Test") {
        a.phone = None;
    }
    let list = worklist(&all, 3);
    let to_send: Vec<CallItem> = list.to_call.iter().chain(&list.flagged).cloned().collect();
    let file = texts_csv(&to_send, &directory(), &SiteId::main());
    assert_eq!(
        file,
        "patient,phone,message\r\nLee Sample,+15550100199,\"Hello Lee, this is Main Street reminding you of your appointment with Dr. A on Tuesday 8 December at 09:00. Please call us if you cannot come.\"\r\n"
    );
}

#[test]
fn each_word_of_a_template_is_filled_in_once() {
    let mut doc = month();
    book(&mut doc, "Lee {time}", "09:00");
    let a = appointments(&doc).remove(0);
    let text = message(
        "{patient} at {time} {unknown",
        &a,
        &directory(),
        &SiteId::main(),
    );
    assert_eq!(text, "Lee {time} at 09:00 {unknown");
}
