//! Who made each entry of an appointment's history, read back from the changes after two
//! devices merge, and what a move to another month's document does to it.

use automerge::ActorId;
use protocol::DocId;

use crate::day::fixture::{appointment, at, signed as stamp, who_at as who};
use crate::schedule::{get, history_makers, put, set_status, take};
use crate::{Document, Status};

/// (staff, device) of each entry's maker.
fn makers(doc: &mut Document, id: &crate::AppointmentId) -> Vec<Option<(String, String)>> {
    history_makers(doc.inner(), id)
        .into_iter()
        .map(|m| {
            m.map(|m| {
                let staff = m.staff.map(|s| s.to_string()).unwrap_or_default();
                (staff, m.device.unwrap_or_default())
            })
        })
        .collect()
}

fn pair(staff: &str, device: &str) -> Option<(String, String)> {
    Some((staff.to_string(), device.to_string()))
}

#[test]
fn each_history_entry_names_the_person_and_device_whose_change_made_it_after_a_merge() {
    let id = DocId::new("schedule/main/2026-11").unwrap();
    let mut a = Document::new(&id, &ActorId::from([1; 16])).unwrap();
    let mut b = Document::new(&id, &ActorId::from([2; 16])).unwrap();
    let booked = appointment("Test Patient One", "2026-11-23T09:00");
    let (_, bundle) = a
        .change_signed(&stamp("casey", "Front desk 1", 1_000_000), |am| {
            put(am, &booked)
        })
        .unwrap();
    b.apply(&bundle.unwrap()).unwrap();
    // Drew checks the patient in at the other desk; Casey sends them to a room offline.
    let (_, arrived) = b
        .change_signed(&stamp("drew", "Front desk 2", 2_000_000), |am| {
            set_status(
                am,
                &booked.id,
                Status::Arrived,
                None,
                &who("Front desk 2"),
                at("2026-11-23T08:55"),
            )
        })
        .unwrap();
    a.apply(&arrived.unwrap()).unwrap();
    let (_, in_room) = a
        .change_signed(&stamp("casey", "Front desk 1", 3_000_000), |am| {
            set_status(
                am,
                &booked.id,
                Status::InRoom,
                Some((&crate::RoomId::from("room-1"), "Room 1")),
                &who("Front desk 1"),
                at("2026-11-23T09:02"),
            )
        })
        .unwrap();
    b.apply(&in_room.unwrap()).unwrap();

    let expected = vec![
        pair("casey", "Front desk 1"),
        pair("drew", "Front desk 2"),
        pair("casey", "Front desk 1"),
    ];
    for doc in [&mut a, &mut b] {
        assert_eq!(get(doc.automerge(), &booked.id).unwrap().history.len(), 3);
        assert_eq!(makers(doc, &booked.id), expected);
    }
}

#[test]
fn a_history_copied_into_another_months_document_is_not_credited_to_the_mover() {
    let november = DocId::new("schedule/main/2026-11").unwrap();
    let december = DocId::new("schedule/main/2026-12").unwrap();
    let mut old = Document::new(&november, &ActorId::from([1; 16])).unwrap();
    let mut new = Document::new(&december, &ActorId::from([1; 16])).unwrap();
    let booked = appointment("Test Patient Two", "2026-11-30T09:00");
    old.change_signed(&stamp("casey", "Front desk 1", 1_000_000), |am| {
        put(am, &booked)
    })
    .unwrap();
    // Drew moves it into December: the old record leaves November, and December gets the
    // whole history plus the move, in one change.
    let (mut moved, _) = old
        .change_signed(&stamp("drew", "Front desk 2", 2_000_000), |am| {
            take(am, &booked.id)
        })
        .unwrap();
    moved.history.push(crate::appointment::StatusChange {
        status: Status::Booked,
        at: "2026-11-29T10:00:00".into(),
        device: "Front desk 2".into(),
        staff: None,
        room: None,
        note: Some("Moved from 30 Nov".into()),
    });
    new.change_signed(&stamp("drew", "Front desk 2", 2_000_000), |am| {
        put(am, &moved)
    })
    .unwrap();
    assert_eq!(
        makers(&mut new, &booked.id),
        vec![None, pair("drew", "Front desk 2")]
    );
    // An unsigned change (the demo clinic, a device's own housekeeping) names nobody.
    let unsigned = appointment("Test Patient Three", "2026-11-24T09:00");
    old.change(|am| put(am, &unsigned)).unwrap();
    let made = history_makers(old.inner(), &unsigned.id);
    assert_eq!(made.len(), 1);
    assert!(made[0].as_ref().is_some_and(|m| m.staff.is_none()));
    assert!(history_makers(old.inner(), &booked.id).is_empty());
}
