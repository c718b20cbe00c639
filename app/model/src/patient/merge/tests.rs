//! Merging two records of one person: every field kept, what named the dropped record
//! read as the kept one, and merges made both ways offline ending alike.

use automerge::ActorId;

use crate::appointment::parse_local_datetime;
use crate::patient::merge;
use crate::patient::tests::{now, patient, today, Device};
use crate::patient::*;
use crate::{Document, DocumentError};

#[test]
fn a_merge_keeps_every_field_and_what_named_the_dropped_record_reads_as_the_kept_one() {
    let mut a = Device::new();
    let mut kept = patient("Jamie Rivera", "1984-03-02", "555 0100");
    kept.notes = "Prefers mornings".into();
    let mut dropped = patient("Jamie Rivera", "", "555 0222");
    dropped.email = "jamie@example.org".into();
    dropped.notes = "Needs the ramp".into();
    a.add(&kept);
    a.add(&dropped);
    let mut b = Device::new();
    b.sync_from(&mut a);

    let refused = a.pair(&kept.id, &kept.id, |docs| {
        merge::merge(docs, &kept.id, &kept.id, "Desk A", now())
    });
    assert_eq!(
        refused,
        Err(DocumentError::Refused(crate::Refusal::Patients(
            crate::refusal::Patients::SamePerson
        )))
    );

    let written = a
        .pair(&kept.id, &dropped.id, |docs| {
            merge::merge(docs, &kept.id, &dropped.id, "Desk A", now())
        })
        .expect("merges");
    b.sync_from(&mut a);
    let register = b.register();
    let now_kept = register.resolve(&dropped.id).expect("resolves");
    assert_eq!(now_kept.id, kept.id);
    assert_eq!(
        now_kept,
        &Patient { ..written.clone() }.with_stamps(now_kept)
    );
    assert_eq!(
        now_kept.phone_other, "555 0222",
        "the second number is kept"
    );
    assert_eq!(now_kept.email, "jamie@example.org");
    assert_eq!(now_kept.notes, "Prefers mornings\nNeeds the ramp");
    let old = register
        .record(&dropped.id)
        .expect("the dropped record stays");
    assert_eq!(old.email, "jamie@example.org", "and still reads");
    assert_eq!(register.search("rivera", 8).len(), 1, "one patient to find");
    assert!(register.duplicates().is_empty());
    assert_eq!(
        register
            .merged_into(&kept.id)
            .map(|p| p.id.clone())
            .collect::<Vec<_>>(),
        [dropped.id.clone()]
    );
}

impl Patient {
    /// `self` with the stamps the register adds on writing taken from `read`.
    fn with_stamps(mut self, read: &Patient) -> Patient {
        self.registered_at.clone_from(&read.registered_at);
        self.registered_by.clone_from(&read.registered_by);
        self
    }
}

#[test]
fn two_desks_merging_one_pair_both_ways_offline_end_with_one_patient() {
    let mut a = Device::new();
    let x = patient("Jamie Rivera", "1984-03-02", "555 0100");
    let y = patient("Jamie Rivera", "1984-03-02", "");
    a.add(&x);
    a.add(&y);
    let mut b = Device::new();
    b.sync_from(&mut a);
    a.pair(&x.id, &y.id, |docs| {
        merge::merge(docs, &x.id, &y.id, "Desk A", now())
    })
    .expect("merges");
    b.pair(&y.id, &x.id, |docs| {
        merge::merge(docs, &y.id, &x.id, "Desk B", now())
    })
    .expect("merges");
    a.sync_from(&mut b);
    b.sync_from(&mut a);
    let (ra, rb) = (a.register(), b.register());
    let one = ra.resolve(&x.id).expect("resolves").id.clone();
    assert_eq!(ra.resolve(&y.id).map(|p| &p.id), Some(&one));
    assert_eq!(rb.resolve(&x.id).map(|p| &p.id), Some(&one));
    assert_eq!(one, x.id.clone().min(y.id.clone()), "the smaller id stands");
    assert_eq!(ra.search("jamie", 8).len(), 1);
    assert!(ra.duplicates().is_empty());

    // Merging the survivor with a newcomer makes it stand on its own again.
    let survivor = ra.resolve(&one).expect("there").clone();
    let other = if one == x.id { &y } else { &x };
    let z = patient("Jamie Rivera", "1984-03-02", "");
    a.add(&z);
    a.pair(&survivor.id, &z.id, |docs| {
        merge::merge(docs, &survivor.id, &z.id, "Desk A", now())
    })
    .expect("merges");
    let r = a.register();
    for id in [&x.id, &y.id, &z.id] {
        assert_eq!(r.resolve(id).map(|p| &p.id), Some(&survivor.id), "{id}");
    }
    assert_eq!(
        r.record(&other.id).and_then(|p| p.merged_into.clone()),
        Some(survivor.id)
    );
}

#[test]
fn after_a_merge_both_desks_appointments_are_the_kept_patients() {
    use crate::appointment::ValidBooking;
    use crate::schedule::{self, Schedule, Who};
    use crate::{ProviderId, SiteId};
    let mut a = Device::new();
    let mut b = Device::new();
    let at_a = patient("Jamie Rivera", "1984-03-02", "555 0100");
    let mut at_b = patient("Jamie Rivera", "1984-03-02", "");
    at_b.email = "jamie@example.org".into();
    a.add(&at_a);
    b.add(&at_b);
    let month = DocKind::schedule_for(&SiteId::main(), today()).doc_id();
    let mut book_a = Document::new(&month, &ActorId::random()).expect("kind");
    let mut book_b = Document::new(&month, &ActorId::random()).expect("kind");
    for (book, p, time) in [
        (&mut book_a, &at_a, "2026-12-09T09:00"),
        (&mut book_b, &at_b, "2026-12-10T11:00"),
    ] {
        let mut booking = ValidBooking::new(
            &p.name,
            ProviderId::from("dr-a"),
            parse_local_datetime(time).expect("time"),
            30,
        );
        booking.patient = Some(p.id.clone());
        let made = schedule::plan(
            &booking,
            &Who {
                device: "desk".into(),
                staff: None,
            },
            now(),
        );
        book.change(|d| made.iter().try_for_each(|x| schedule::put(d, x)))
            .expect("books");
    }
    a.sync_from(&mut b);
    book_a.apply(&book_b.save()).expect("applies");
    let pair = a.register().duplicates();
    assert_eq!(pair.len(), 1);
    let register = a.register();
    let (first, second) = (
        register.record(&pair[0].a).expect("there").clone(),
        register.record(&pair[0].b).expect("there").clone(),
    );
    a.pair(&first.id, &second.id, |docs| {
        merge::merge(docs, &first.id, &second.id, "Desk A", now())
    })
    .expect("merges");
    let register = a.register();
    let schedule = Schedule::read(book_a.automerge()).expect("reads");
    let mut theirs: Vec<_> = schedule
        .appointments
        .iter()
        .filter(|x| register.is_for(x, &first.id))
        .cloned()
        .collect();
    assert_eq!(
        theirs.len(),
        2,
        "both desks' bookings follow the kept record"
    );
    for x in &mut theirs {
        register.fill(x);
        assert_eq!(x.email.as_deref(), Some("jamie@example.org"));
        assert_eq!(x.phone.as_deref(), Some("555 0100"));
    }
    assert!(schedule
        .appointments
        .iter()
        .all(|x| !register.is_for(x, &second.id)));
}

#[test]
fn a_merge_works_on_the_records_as_they_stand_then() {
    let mut a = Device::new();
    let kept = patient("Jamie Rivera", "1984-03-02", "555 0100");
    let mut dropped = patient("Jamie Rivera", "1984-03-02", "");
    dropped.email = "old@example.org".into();
    a.add(&kept);
    a.add(&dropped);
    // A colleague gave the kept record an address after the pair was shown.
    let mut newer = kept.clone();
    newer.email = "jamie@example.org".into();
    a.doc(&kept.id)
        .change(|d| update(d, &kept, &newer))
        .expect("edits");
    a.pair(&kept.id, &dropped.id, |docs| {
        merge::merge(docs, &kept.id, &dropped.id, "Desk A", now())
    })
    .expect("merges");
    let register = a.register();
    let read = register.resolve(&dropped.id).expect("resolves");
    assert_eq!(read.email, "jamie@example.org", "the newer address stays");
}
