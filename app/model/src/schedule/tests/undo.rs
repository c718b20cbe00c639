//! Taking back a desk's step: the status and room come back, the history keeps the step
//! and its undoing, and a step another desk has moved on from is not undone.

use automerge::ActorId;
use protocol::DocId;

use crate::day::fixture::{appointment, at, who_at as who};
use crate::refusal::Schedule as Refusal;
use crate::schedule::undo::{take_back, Step};
use crate::schedule::{cancel, get, put, set_status};
use crate::{Document, DocumentError, RoomId, Status};

fn booked(name: &str) -> (Document, crate::Appointment) {
    let id = DocId::new("schedule/main/2026-11").unwrap();
    let mut doc = Document::new(&id, &ActorId::from([1; 16])).unwrap();
    let a = appointment(name, "2026-11-23T09:00");
    doc.change(|am| put(am, &a)).unwrap();
    (doc, a)
}

fn step(doc: &mut Document, to: Status, room: Option<(&RoomId, &str)>) -> Step {
    let before = get(doc.automerge(), &booked_id(doc)).unwrap();
    doc.change(|am| {
        set_status(
            am,
            &before.id,
            to,
            room,
            &who("Desk 1"),
            at("2026-11-23T08:55"),
        )
    })
    .unwrap();
    Step::new(&before, to)
}

fn booked_id(doc: &Document) -> crate::AppointmentId {
    crate::schedule::Schedule::read(doc.automerge())
        .unwrap()
        .appointments[0]
        .id
        .clone()
}

#[test]
fn undoing_a_check_in_makes_it_booked_again_and_the_history_shows_both() {
    let (mut doc, a) = booked("Test Patient Undo");
    let checked_in = step(&mut doc, Status::Arrived, None);
    doc.change(|am| take_back(am, &checked_in, &who("Desk 1"), at("2026-11-23T08:56")))
        .unwrap();
    let now = get(doc.automerge(), &a.id).unwrap();
    assert_eq!(now.status, Status::Booked);
    let statuses: Vec<_> = now.history.iter().map(|c| c.status).collect();
    assert_eq!(statuses, [Status::Booked, Status::Arrived, Status::Booked]);
    assert_eq!(now.history[2].note.as_deref(), Some("Undone: checked in"));
}

#[test]
fn undoing_a_room_change_puts_the_patient_back_in_the_room_before() {
    let (mut doc, a) = booked("Test Patient Rooms");
    let (one, two) = (RoomId::from("room-1"), RoomId::from("room-2"));
    step(&mut doc, Status::Arrived, None);
    step(&mut doc, Status::InRoom, Some((&one, "Room 1")));
    let moved = step(&mut doc, Status::InRoom, Some((&two, "Room 2")));
    doc.change(|am| take_back(am, &moved, &who("Desk 1"), at("2026-11-23T09:05")))
        .unwrap();
    let now = get(doc.automerge(), &a.id).unwrap();
    assert_eq!((now.status, now.room), (Status::InRoom, Some(one)));
}

#[test]
fn undoing_a_cancel_clears_the_reason_and_the_late_flag() {
    let (mut doc, a) = booked("Test Patient Cancel");
    doc.change(|am| {
        cancel(
            am,
            &a.id,
            "Car broke down",
            &who("Desk 1"),
            at("2026-11-23T08:00"),
        )
    })
    .unwrap();
    let cancelled = Step::new(&a, Status::Cancelled);
    doc.change(|am| take_back(am, &cancelled, &who("Desk 1"), at("2026-11-23T08:01")))
        .unwrap();
    let now = get(doc.automerge(), &a.id).unwrap();
    assert_eq!(now.status, Status::Booked);
    assert_eq!((now.late_cancel, now.cancel_reason), (false, None));
}

#[test]
fn a_step_another_desk_moved_on_from_is_not_undone() {
    let (mut doc, a) = booked("Test Patient Moved On");
    let checked_in = step(&mut doc, Status::Arrived, None);
    let room = RoomId::from("room-1");
    step(&mut doc, Status::InRoom, Some((&room, "Room 1")));
    let refused =
        doc.change(|am| take_back(am, &checked_in, &who("Desk 1"), at("2026-11-23T09:10")));
    assert_eq!(
        refused.map(|_| ()),
        Err(DocumentError::from(Refusal::MovedOnSince {
            status: Status::InRoom
        }))
    );
    assert_eq!(get(doc.automerge(), &a.id).unwrap().history.len(), 3);
}

#[test]
fn undoing_a_booking_marks_it_entered_in_error_and_keeps_it() {
    let (mut doc, a) = booked("Test Patient Waitlist");
    doc.change(|am| {
        take_back(
            am,
            &Step::booking(&a.id),
            &who("Desk 1"),
            at("2026-11-23T08:00"),
        )
    })
    .unwrap();
    let now = get(doc.automerge(), &a.id).unwrap();
    assert_eq!(now.status, Status::EnteredInError);
    assert!(!now.status.holds_slot(), "the slot is free again");
}

#[test]
fn undoing_a_room_keeps_the_wait_running_from_the_check_in() {
    let (mut doc, a) = booked("Test Patient Waits");
    step(&mut doc, Status::Arrived, None);
    let room = RoomId::from("room-1");
    let sent = step(&mut doc, Status::InRoom, Some((&room, "Room 1")));
    doc.change(|am| take_back(am, &sent, &who("Desk 1"), at("2026-11-23T09:40")))
        .unwrap();
    let now = get(doc.automerge(), &a.id).unwrap();
    assert_eq!(now.status, Status::Arrived);
    assert_eq!(now.arrived_at(), Some(at("2026-11-23T08:55")));
}
