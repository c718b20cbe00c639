use automerge::ActorId;
use protocol::DocId;

use super::*;
use crate::day::fixture::{appointment, at, signed as stamp, who_at as who};
use crate::schedule::{put, set_status};
use crate::{DocKind, SiteId, Status};

/// Two tablets book and check in offline, then merge: the audit of either copy lists every
/// change with its person, device, time and appointment, and shows a record before and
/// after a change.
#[test]
fn the_audit_reads_who_changed_which_appointment_from_a_merged_history() {
    let id = DocId::new("schedule/main/2026-11").unwrap();
    let mut a = Document::new(&id, &ActorId::from([1; 16])).unwrap();
    let mut b = Document::new(&id, &ActorId::from([2; 16])).unwrap();
    let now = at("2026-11-23T08:30");
    let book = |doc: &mut Document, staff, device, at_ms, patient, start| {
        let booked = appointment(patient, start);
        let (_, bundle) = doc
            .change_signed(&stamp(staff, device, at_ms), |am| put(am, &booked))
            .unwrap();
        (booked.id, bundle)
    };
    let (first, one) = book(
        &mut a,
        "casey",
        "Front desk 1",
        1_000_000,
        "Test Patient One",
        "2026-11-23T09:00",
    );
    let (_, two) = book(
        &mut b,
        "drew",
        "Front desk 2",
        2_000_000,
        "Test Patient Two",
        "2026-11-23T09:30",
    );
    a.apply(&two.unwrap()).unwrap();
    b.apply(&one.unwrap()).unwrap();
    let (_, arrived) = b
        .change_signed(&stamp("drew", "Front desk 2", 3_000_000), |am| {
            set_status(am, &first, Status::Arrived, None, &who("Front desk 2"), now)
        })
        .unwrap();
    a.apply(&arrived.unwrap()).unwrap();

    for doc in [&a, &b] {
        let mut am = doc.automerge().clone();
        let all = changes(&mut am);
        let listed: Vec<_> = all
            .iter()
            .map(|c| {
                let record = &c.touched[0];
                (
                    c.staff.clone().map(|s| s.to_string()),
                    c.device.clone(),
                    c.at_secs,
                    record.map.clone(),
                    label_at(&am, &record.map, &record.id, &[c.hash]),
                )
            })
            .collect();
        let expected = |staff: &str, device: &str, secs, patient: &str| {
            (
                Some(staff.to_string()),
                Some(device.to_string()),
                secs,
                "appointments".to_string(),
                Some(patient.to_string()),
            )
        };
        assert_eq!(
            listed,
            vec![
                expected("casey", "Front desk 1", 1_000, "Test Patient One"),
                expected("drew", "Front desk 2", 2_000, "Test Patient Two"),
                expected("drew", "Front desk 2", 3_000, "Test Patient One"),
            ]
        );
        assert!(all.iter().all(|c| c.touched.len() == 1));

        // The check-in, opened: the status before and after.
        let check_in = &all[2];
        let field = |heads: &[ChangeHash]| {
            record_at(&am, "appointments", first.as_str(), heads)
                .into_iter()
                .find(|(k, _)| k == "status")
                .map(|(_, v)| v)
        };
        assert_eq!(field(&check_in.deps).as_deref(), Some("Booked"));
        assert_eq!(field(&[check_in.hash]).as_deref(), Some("Arrived"));
        // Before it was booked, the first appointment was not there at all.
        assert!(record_at(&am, "appointments", first.as_str(), &all[0].deps).is_empty());
        // The first appointment's own history: booked by Casey, checked in by Drew.
        let own: Vec<_> = record_changes(&mut am, "appointments", first.as_str())
            .into_iter()
            .map(|c| (c.staff.map(|s| s.to_string()), c.at_secs))
            .collect();
        assert_eq!(
            own,
            vec![(Some("casey".into()), 1_000), (Some("drew".into()), 3_000)]
        );
    }
}

#[test]
fn events_are_appended_and_read_back_in_order_and_a_damaged_one_is_counted() {
    let id = DocKind::Audit {
        site: SiteId::main(),
        year: 2026,
        month: 12,
    }
    .doc_id();
    assert_eq!(id.as_str(), "audit/main/2026-12");
    assert_eq!(id.site(), Some("main"));
    assert_eq!(
        DocKind::parse(&id),
        Some(DocKind::Audit {
            site: SiteId::main(),
            year: 2026,
            month: 12
        })
    );
    let mut doc = Document::new(&id, &ActorId::from([1; 16])).unwrap();
    let event = |id: &str, kind, at_ms, reason: &str| Event {
        id: id.into(),
        kind,
        staff: StaffId::from("casey"),
        device: "Front desk 1".into(),
        at_ms,
        what: "Roster".into(),
        reason: reason.into(),
    };
    let glass = event(
        "e2",
        EventKind::BreakGlass,
        2_000,
        "No manager on site; a shift had to be found",
    );
    let print = event("e1", EventKind::Print, 1_000, "");
    let view = event("e0", EventKind::View, 500, "");
    doc.change(|am| append(am, &glass)).unwrap();
    doc.change(|am| append(am, &print)).unwrap();
    doc.change(|am| append(am, &view)).unwrap();
    doc.change(|am| {
        let map = Document::root_map(am, maps::EVENTS)?;
        let obj = new_record(am, &map, "e3")?;
        am.put(&obj, "kind", "teleport").map_err(write_error)
    })
    .unwrap();
    let (events, unreadable) = events(doc.automerge()).unwrap();
    assert_eq!(events, vec![view, print, glass]);
    assert_eq!(unreadable, 1);
}

#[test]
fn the_audit_never_shows_a_pin_or_set_up_code_hash() {
    let mut doc = Document::new(&DocKind::Directory.doc_id(), &ActorId::from([1; 16])).unwrap();
    let owner = crate::StaffMember::new("Avery Owner", "Office manager");
    let hash = crate::access::pin::hash("482916", &[9; 16]);
    doc.change_signed(&stamp("avery", "Front desk 1", 1_000), |am| {
        crate::access::start_organisation(am, &owner, &hash)
    })
    .unwrap();
    let mut am = doc.automerge().clone();
    let change = changes(&mut am).pop().unwrap();
    let fields = record_at(&am, maps::ACCESS, owner.id.as_str(), &[change.hash]);
    assert!(
        fields.contains(&("pin".to_string(), "(hidden)".to_string())),
        "{fields:?}"
    );
    assert!(fields.contains(&("role".to_string(), "owner".to_string())));
    assert!(fields.iter().all(|(_, v)| !v.contains("argon2")));
}
