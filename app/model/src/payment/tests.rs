use automerge::ActorId;
use chrono::NaiveDate;
use proptest::prelude::*;

use super::drawer::{close_drawer, closes, day_takings, CloseForm, PerMethod};
use super::*;
use crate::appointment::{parse_local_datetime, ValidBooking};
use crate::refusal::Refusal;
use crate::schedule::{self, Schedule};
use crate::{AppointmentType, DocKind, Document, ProviderId, SiteId, Status, TypeId};

fn at(text: &str) -> NaiveDateTime {
    parse_local_datetime(text).expect("valid test time")
}

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 8).expect("a day")
}

fn desk(name: &str) -> Who {
    Who {
        device: name.into(),
        staff: Some("Avery Example".into()),
    }
}

/// A follow-up with a co-pay of 25.00.
fn directory() -> Directory {
    Directory {
        types: vec![AppointmentType {
            id: TypeId::from("follow-up"),
            name: "Follow-up".into(),
            duration_minutes: 20,
            colour: "#8ecae6".into(),
            copay_cents: Some(2_500),
        }],
        ..Directory::default()
    }
}

fn month() -> Document {
    let id = DocKind::schedule_for(&SiteId::main(), day()).doc_id();
    Document::new(&id, &ActorId::random()).expect("known kind")
}

fn book(doc: &mut Document, patient: &str, time: &str) -> AppointmentId {
    let mut booking = ValidBooking::new(
        patient,
        ProviderId::from("dr-a"),
        at(&format!("2026-12-08T{time}")),
        20,
    );
    booking.type_id = Some(TypeId::from("follow-up"));
    let (id, _) = doc
        .change(|d| schedule::book(d, &booking, &desk("Desk A"), at("2026-12-01T09:00")))
        .expect("books");
    id
}

/// Takes money for `id` as a desk does: what was paid so far is read from the document.
fn pay(
    doc: &mut Document,
    id: &AppointmentId,
    kind: Kind,
    cents: i64,
    method: Method,
    who: &str,
) -> Result<(Payment, Option<Vec<u8>>), DocumentError> {
    let a = schedule::get(doc.automerge(), id)?;
    let so_far = paid(&of_appointment(doc.automerge(), id));
    let now = at("2026-12-08T09:05");
    let money = Money {
        kind,
        cents,
        method,
    };
    doc.change(|d| take(d, &a, so_far, money, &desk(who), now))
}

fn payments_for(doc: &Document, id: &AppointmentId) -> Vec<Payment> {
    of_appointment(doc.automerge(), id)
}

fn appointments(doc: &Document) -> Vec<Appointment> {
    Schedule::read(doc.automerge()).expect("reads").appointments
}

#[test]
fn amounts_are_read_as_whole_cents_and_bad_ones_are_named() {
    for (typed, cents) in [
        ("25", 2_500),
        ("25.5", 2_550),
        ("25.50", 2_550),
        (" $1,025.00 ", 102_500),
        ("€ 12", 1_200),
        (".75", 75),
        ("10000", 1_000_000),
    ] {
        assert_eq!(parse_amount(typed), Ok(cents), "{typed}");
    }
    for (typed, says) in [
        ("-5", "without a minus"),
        ("25.505", "at most two decimals"),
        ("0", "above zero"),
        ("0.00", "above zero"),
        ("10000.01", "At most 10,000.00"),
        ("99999999999999999999", "At most"),
        ("25,50", "use a point for the cents"),
        ("€12,5", "use a point for the cents"),
        ("1,0,0", "use a point for the cents"),
        (",500", "use a point for the cents"),
        ("twelve", "is not an amount"),
        ("", "is not an amount"),
        ("$", "is not an amount"),
        (".", "is not an amount"),
        ("1.2.3", "is not an amount"),
        ("0.0.0", "is not an amount"),
    ] {
        let refused = parse_amount(typed).expect_err(typed);
        assert!(refused.contains(says), "{typed}: {refused}");
    }
    assert_eq!(parse_cents("0", MAX_CENTS), Ok(0));
    assert_eq!(plain(102_550), "1,025.50");
    assert_eq!(plain(-300), "-3.00");
    assert_eq!(plain(5), "0.05");
}

#[test]
fn a_payment_and_a_refund_are_kept_with_receipts() {
    let mut doc = month();
    let id = book(&mut doc, "Lee Sample", "09:00");
    let a = appointments(&doc).remove(0);
    assert_eq!(due(&a, &directory(), None, 0), Some(2_500));

    let (paid_in, _) =
        pay(&mut doc, &id, Kind::Payment, 2_500, Method::Card, "Desk A").expect("takes");
    assert!(
        paid_in.receipt.starts_with("R261208-"),
        "{}",
        paid_in.receipt
    );
    assert_eq!(paid_in.patient, "Lee Sample");
    assert_eq!(payments_for(&doc, &id), std::slice::from_ref(&paid_in));
    let so_far = paid(&payments_for(&doc, &id));
    assert_eq!(
        (so_far, due(&a, &directory(), None, so_far)),
        (2_500, Some(0))
    );

    // A refund may not be more than was paid; nothing is written when refused.
    let refused = pay(&mut doc, &id, Kind::Refund, 2_501, Method::Card, "Desk A");
    assert_eq!(
        refused.expect_err("too much"),
        DocumentError::Refused(Refusal::Schedule(
            crate::refusal::Schedule::RefundOverPaid { paid_cents: 2_500 }
        ))
    );
    assert_eq!(payments_for(&doc, &id).len(), 1);
    pay(&mut doc, &id, Kind::Refund, 500, Method::Cash, "Desk A").expect("refunds");
    let so_far = paid(&payments_for(&doc, &id));
    assert_eq!(so_far, 2_000);
    assert_eq!(due(&a, &directory(), None, so_far), Some(500));
    assert!(pay(&mut doc, &id, Kind::Payment, 0, Method::Cash, "Desk A").is_err());
}

#[test]
fn a_payment_stays_when_another_desk_moves_the_appointment_meanwhile() {
    let mut desk_a = month();
    let lee = book(&mut desk_a, "Lee Sample", "09:00");
    let mut desk_b = month();
    desk_b.apply(&desk_a.save()).expect("applies");
    // Desk A moves Lee to January (out of this month's document); desk B, offline, takes
    // the co-pay on the appointment as it knew it.
    let (_, moved) = desk_a
        .change(|d| schedule::take(d, &lee))
        .expect("takes it out");
    let (taken, from_b) = pay(
        &mut desk_b,
        &lee,
        Kind::Payment,
        2_500,
        Method::Cash,
        "Desk B",
    )
    .expect("takes");
    desk_a.apply(&from_b.expect("a change")).expect("applies");
    desk_b.apply(&moved.expect("a change")).expect("applies");
    for doc in [&desk_a, &desk_b] {
        assert!(
            appointments(doc).is_empty(),
            "the appointment left this month"
        );
        assert_eq!(
            payments_for(doc, &lee),
            std::slice::from_ref(&taken),
            "the money did not"
        );
    }
}

#[test]
fn two_desks_taking_money_offline_both_count_at_the_end_of_the_day() {
    let mut desk_a = month();
    let lee = book(&mut desk_a, "Lee Sample", "09:00");
    let kim = book(&mut desk_a, "Kim Example", "09:30");
    let mut desk_b = month();
    desk_b.apply(&desk_a.save()).expect("applies");
    for id in [&lee, &kim] {
        desk_a
            .change(|d| {
                let now = at("2026-12-08T08:55");
                schedule::set_status(d, id, Status::Arrived, None, &desk("Desk A"), now)
            })
            .expect("checks in");
    }
    pay(
        &mut desk_a,
        &lee,
        Kind::Payment,
        2_500,
        Method::Cash,
        "Desk A",
    )
    .expect("takes");
    let (_, b1) = pay(
        &mut desk_b,
        &lee,
        Kind::Payment,
        1_000,
        Method::Card,
        "Desk B",
    )
    .expect("takes");
    let (_, b2) = pay(
        &mut desk_b,
        &kim,
        Kind::Payment,
        2_500,
        Method::Cheque,
        "Desk B",
    )
    .expect("takes");
    desk_b.apply(&desk_a.save()).expect("applies");
    for bundle in [b1, b2] {
        desk_a.apply(&bundle.expect("a change")).expect("applies");
    }
    for doc in [&desk_a, &desk_b] {
        let all = appointments(doc);
        assert_eq!(
            payments_for(doc, &lee).len(),
            2,
            "both desks' payments kept"
        );
        let payments = on_day(doc.automerge(), day());
        let takings = day_takings(&all, &payments, day(), &directory(), &|_| None, &[]);
        assert_eq!(takings.expected, 5_000, "two follow-ups checked in");
        assert_eq!(takings.collected, PerMethod([2_500, 1_000, 2_500]));
        assert_eq!(takings.difference(), 1_000);
        let names: Vec<_> = takings.desks.iter().map(|d| d.desk.as_str()).collect();
        assert_eq!(names, ["Desk A", "Desk B"]);
        assert_eq!(takings.desks[1].drawer, PerMethod([0, 1_000, 2_500]));
    }
}

#[test]
fn a_drawer_is_closed_with_its_count_and_who_closed_it() {
    let mut doc = month();
    let id = book(&mut doc, "Lee Sample", "09:00");
    pay(&mut doc, &id, Kind::Payment, 2_500, Method::Cash, "Desk A").expect("takes");
    let form = CloseForm {
        counted: ["24.00".into(), "0".into(), String::new()],
    };
    let counted = form.validate().expect("valid");
    assert_eq!(counted, PerMethod([2_400, 0, 0]));
    let bad = CloseForm {
        counted: ["-1".into(), "12.345".into(), "$".into()],
    };
    let errors: Vec<Method> = bad
        .validate()
        .expect_err("bad")
        .into_iter()
        .map(|(m, _)| m)
        .collect();
    assert_eq!(errors, [Method::Cash, Method::Card, Method::Cheque]);
    doc.change(|d| {
        close_drawer(
            d,
            day(),
            "Desk A",
            counted,
            "Avery Example",
            at("2026-12-08T18:05"),
        )
    })
    .expect("closes");
    let recorded = closes(doc.automerge());
    let payments = on_day(doc.automerge(), day());
    let takings = day_takings(
        &appointments(&doc),
        &payments,
        day(),
        &directory(),
        &|_| None,
        &recorded,
    );
    let desk_a = &takings.desks[0];
    assert_eq!(
        desk_a.close.as_ref().map(|c| c.closed_by.as_str()),
        Some("Avery Example")
    );
    assert_eq!(
        desk_a.difference(),
        Some(PerMethod([-100, 0, 0])),
        "a dollar short"
    );
    // Another day's takings know nothing of it.
    let next = day().succ_opt().expect("a day");
    let later = on_day(doc.automerge(), next);
    let takings = day_takings(
        &appointments(&doc),
        &later,
        next,
        &directory(),
        &|_| None,
        &recorded,
    );
    assert!(takings.desks.is_empty());
}

fn method() -> impl Strategy<Value = Method> {
    prop::sample::select(Method::ALL.to_vec())
}

proptest! {
    /// Whatever desks take and refund, in any order: each desk's drawer per method is what
    /// it took less what it refunded, and the site's collected is the desks' sum.
    #[test]
    fn collected_less_refunds_is_the_drawer_per_method(
        moves in prop::collection::vec((0..3usize, 0..2usize, method(), 1..5_000i64, any::<bool>()), 1..40)
    ) {
        let mut doc = month();
        let patients = [book(&mut doc, "Lee Sample", "09:00"), book(&mut doc, "Kim Example", "10:00")];
        let desks = ["Desk A", "Desk B", "Desk C"];
        let mut expected: BTreeMap<&str, (PerMethod, PerMethod)> = BTreeMap::new();
        for (desk_index, patient, method, cents, refund) in moves {
            let kind = if refund { Kind::Refund } else { Kind::Payment };
            let name = desks[desk_index];
            if pay(&mut doc, &patients[patient], kind, cents, method, name).is_ok() {
                let entry = expected.entry(name).or_default();
                match kind {
                    Kind::Payment => entry.0.add(method, cents),
                    Kind::Refund => entry.1.add(method, cents),
                }
            }
        }
        for id in &patients {
            prop_assert!(paid(&payments_for(&doc, id)) >= 0, "never more refunded than paid");
        }
        let payments = on_day(doc.automerge(), day());
        let takings = day_takings(&appointments(&doc), &payments, day(), &directory(), &|_| None, &[]);
        let mut sum = PerMethod::default();
        for desk in &takings.desks {
            let (taken, refunded) = expected[desk.desk.as_str()];
            prop_assert_eq!(desk.taken, taken);
            prop_assert_eq!(desk.refunded, refunded);
            for m in Method::ALL {
                prop_assert_eq!(desk.drawer.get(m), taken.get(m) - refunded.get(m));
                sum.add(m, desk.drawer.get(m));
            }
        }
        prop_assert_eq!(takings.collected, sum);
        prop_assert_eq!(takings.collected.total(), paid(&payments));
    }
}

use std::collections::BTreeMap;
