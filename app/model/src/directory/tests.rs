use automerge::transaction::Transactable;
use automerge::{ActorId, ObjType};
use protocol::DocId;

use super::*;
use crate::document::maps;

fn new_doc() -> Document {
    let id = DocId::new("directory").expect("valid");
    Document::new(&id, &ActorId::random()).expect("known")
}

fn read(doc: &Document) -> Directory {
    Directory::read(doc.automerge()).expect("reads")
}

#[test]
fn providers_added_on_two_devices_both_survive() {
    let mut desk_a = new_doc();
    let mut desk_b = new_doc();
    let site = SiteId::main();
    let (_, a) = desk_a
        .change(|d| add_provider(d, &site, "Dr. Ada Example"))
        .expect("adds");
    let (_, b) = desk_b
        .change(|d| add_provider(d, &site, "Dr. Bo Sample"))
        .expect("adds");
    desk_a.apply(&b.expect("bundle")).expect("applies");
    desk_b.apply(&a.expect("bundle")).expect("applies");
    assert_eq!(read(&desk_a), read(&desk_b));
    let names: Vec<_> = read(&desk_a)
        .providers
        .iter()
        .map(|p| p.name.clone())
        .collect();
    assert_eq!(names, ["Dr. Ada Example", "Dr. Bo Sample"]);
}

#[test]
fn names_and_colours() {
    assert_eq!(validate_provider_name("  Dr.  Ada "), Ok("Dr. Ada".into()));
    assert!(validate_provider_name("   ").is_err());
    assert!(validate_provider_name(&"x".repeat(81)).is_err());
    assert_eq!(validate_colour(" #8ECAE6"), Ok("#8ecae6".into()));
    assert!(validate_colour("blue").is_err());
    assert!(validate_colour("#12345g").is_err());
    assert_eq!(
        SiteId::from_name("  North  Clinic!"),
        SiteId::new("north-clinic")
    );
    assert_eq!(SiteId::from_name("!!!"), None);
}

#[test]
fn every_collection_round_trips_and_main_site_always_exists() {
    let mut doc = new_doc();
    assert_eq!(
        read(&doc).sites.len(),
        1,
        "the main site exists from the start"
    );
    let north = Site {
        id: SiteId::new("north").expect("valid"),
        name: "North Clinic".into(),
        hours: WeekHours::weekdays(time(7, 30), time(16, 0)),
    };
    let room = Room {
        id: RoomId::random(),
        name: "Room 1".into(),
        site: north.id.clone(),
    };
    let kind = AppointmentType {
        id: TypeId::random(),
        name: "Follow-up".into(),
        duration_minutes: 15,
        colour: PALETTE[2].into(),
        copay_cents: Some(2_500),
    };
    let provider = Provider {
        id: ProviderId::random(),
        name: "Dr. Cy Placeholder".into(),
        specialty: "Dermatology".into(),
        colour: PALETTE[3].into(),
        sites: vec![north.id.clone(), SiteId::main()],
        hours: WeekHours::weekdays(time(9, 0), time(13, 0)),
    };
    let member = StaffMember::new("Robin Receptionist", "Reception");
    doc.change(|d| {
        put_site(d, &north)?;
        put_room(d, &room)?;
        put_type(d, &kind)?;
        put_copay(d, &kind.id, kind.copay_cents)?;
        put_provider(d, &provider)?;
        put_staff(d, &member)
    })
    .expect("writes");
    let directory = read(&doc);
    assert_eq!(directory.site(&north.id), Some(&north));
    assert_eq!(directory.sites[0].id, SiteId::main(), "main comes first");
    assert_eq!(directory.room(&room.id), Some(&room));
    assert_eq!(directory.appointment_type(&kind.id), Some(&kind));
    assert_eq!(directory.provider(&provider.id), Some(&provider));
    assert_eq!(directory.staff_member(&member.id), Some(&member));
    assert_eq!(directory.providers_at(&SiteId::main()).count(), 1);
    assert_eq!(directory.rooms_at(&SiteId::main()).count(), 0);
    assert_eq!(directory.unreadable, 0);

    doc.change(|d| remove(d, "rooms", room.id.as_str()))
        .expect("removes");
    assert!(read(&doc).rooms.is_empty());
}

#[test]
fn providers_of_the_first_version_still_read() {
    let mut doc = new_doc();
    doc.change(|d| {
        let map = Document::root_map(d, maps::PROVIDERS)?;
        let record = d
            .put_object(&map, "old-1", ObjType::Map)
            .map_err(|e| DocumentError::Write(e.to_string()))?;
        d.put(&record, "name", "Dr. Old Record")
            .and_then(|_| d.put(&record, "site", "main"))
            .map_err(|e| DocumentError::Write(e.to_string()))?;
        d.put(&map, "broken", 7)
            .map_err(|e| DocumentError::Write(e.to_string()))
    })
    .expect("writes");
    let directory = read(&doc);
    let old = &directory.providers[0];
    assert_eq!(old.sites, [SiteId::main()]);
    assert_eq!(old.hours, WeekHours::office());
    assert_eq!(directory.unreadable, 1);
}

#[test]
fn concurrent_edits_of_different_fields_both_land() {
    let mut desk_a = new_doc();
    let (id, bundle) = desk_a
        .change(|d| add_provider(d, &SiteId::main(), "Dr. Di Sample"))
        .expect("adds");
    let mut phone = new_doc();
    phone.apply(&bundle.expect("bundle")).expect("applies");
    let original = read(&desk_a).provider(&id).cloned().expect("exists");
    let (_, a) = desk_a
        .change(|d| {
            put_provider(
                d,
                &Provider {
                    specialty: "Paediatrics".into(),
                    ..original.clone()
                },
            )
        })
        .expect("edits");
    let (_, b) = phone
        .change(|d| {
            put_provider(
                d,
                &Provider {
                    colour: PALETTE[5].into(),
                    ..original.clone()
                },
            )
        })
        .expect("edits");
    desk_a.apply(&b.expect("bundle")).expect("applies");
    phone.apply(&a.expect("bundle")).expect("applies");
    let merged = read(&desk_a).provider(&id).cloned().expect("exists");
    assert_eq!(merged.specialty, "Paediatrics");
    assert_eq!(merged.colour, PALETTE[5]);
    assert_eq!(read(&phone), read(&desk_a));
}

#[test]
fn a_copay_set_while_another_manager_renames_the_type_stays() {
    let kind = AppointmentType {
        id: TypeId::from("follow-up"),
        name: "Follow-up".into(),
        duration_minutes: 15,
        colour: PALETTE[2].into(),
        copay_cents: None,
    };
    let mut first = new_doc();
    let (_, made) = first.change(|d| put_type(d, &kind)).expect("writes");
    let mut second = new_doc();
    second.apply(&made.expect("bundle")).expect("applies");
    let renamed = AppointmentType {
        name: "Follow-up visit".into(),
        ..kind.clone()
    };
    let (_, a) = first.change(|d| put_type(d, &renamed)).expect("renames");
    let (_, b) = second
        .change(|d| put_copay(d, &kind.id, Some(3_000)))
        .expect("sets the co-pay");
    first.apply(&b.expect("bundle")).expect("applies");
    second.apply(&a.expect("bundle")).expect("applies");
    for doc in [&first, &second] {
        let read = read(doc);
        let merged = read.appointment_type(&kind.id).expect("still there");
        assert_eq!(merged.name, "Follow-up visit");
        assert_eq!(merged.copay_cents, Some(3_000));
    }
    // Cleared, it reads as none.
    first
        .change(|d| put_copay(d, &kind.id, None))
        .expect("clears");
    assert_eq!(
        read(&first)
            .appointment_type(&kind.id)
            .and_then(|t| t.copay_cents),
        None
    );
}
