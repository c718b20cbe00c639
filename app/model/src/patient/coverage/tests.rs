use automerge::ActorId;
use chrono::{NaiveDate, NaiveDateTime};

use super::*;
use crate::appointment::parse_local_datetime;
use crate::patient::merge::merge;
use crate::patient::{doc_of, read_all, register, update, PatientForm};
use crate::Document;

fn at(text: &str) -> NaiveDateTime {
    parse_local_datetime(text).expect("valid test time")
}

fn day(text: &str) -> NaiveDate {
    at(&format!("{text}T12:00")).date()
}

fn insured() -> Coverage {
    CoverageForm {
        payer: "Acme Health".into(),
        plan: "Silver PPO".into(),
        member_id: "XJ-4471".into(),
        group: "G-100".into(),
        subscriber: String::new(),
        copay: "25.00".into(),
    }
    .validate()
    .expect("valid")
    .expect("insured")
}

fn check(when: &str, result: Eligibility, member_id: &str) -> Check {
    Check {
        id: CheckId::random(),
        at: at(when),
        by: "Avery Example".into(),
        result,
        member_id: member_id.into(),
        notes: String::new(),
    }
}

#[test]
fn a_coverage_form_is_checked_field_by_field_and_an_empty_one_is_self_pay() {
    assert_eq!(CoverageForm::default().validate(), Ok(None));
    let fields = |f: CoverageForm| -> Vec<&'static str> {
        f.validate()
            .expect_err("refused")
            .into_iter()
            .map(|(field, _)| field)
            .collect()
    };
    let no_member = CoverageForm {
        payer: "Acme Health".into(),
        ..CoverageForm::default()
    };
    assert_eq!(fields(no_member.clone()), ["member_id"]);
    assert_eq!(
        no_member.validate().expect_err("refused")[0].1,
        "A payer needs the member id from the card."
    );
    let no_payer = CoverageForm {
        member_id: "XJ-4471".into(),
        ..CoverageForm::default()
    };
    assert_eq!(fields(no_payer), ["payer"]);
    for bad in ["-5", "25.505", "25,50", "lots"] {
        let f = CoverageForm {
            copay: bad.into(),
            ..CoverageForm::from_coverage(Some(&insured()))
        };
        assert_eq!(fields(f), ["copay"], "{bad}");
    }
    assert_eq!(insured().copay_cents, Some(2_500));
    assert_eq!(
        CoverageForm::from_coverage(Some(&insured())).validate(),
        Ok(Some(insured()))
    );
}

#[test]
fn a_check_is_current_then_due_then_stale_and_a_new_card_needs_its_own() {
    let mut p = Patient {
        name: "Jamie Rivera".into(),
        ..Patient::default()
    };
    assert_eq!(standing(&p, day("2026-12-07"), 30), Standing::SelfPay);
    assert!(!Standing::SelfPay.to_verify());
    p.coverage = Some(insured());
    assert_eq!(standing(&p, day("2026-12-07"), 30), Standing::NotVerified);
    p.checks
        .push(check("2026-11-20T10:00", Eligibility::Eligible, "XJ-4471"));
    assert!(matches!(
        standing(&p, day("2026-12-07"), 30),
        Standing::Current(_)
    ));
    assert!(
        matches!(standing(&p, day("2026-12-14"), 30), Standing::Due(_)),
        "24 days"
    );
    assert!(
        matches!(standing(&p, day("2026-12-20"), 30), Standing::Due(_)),
        "30 days"
    );
    assert!(
        matches!(standing(&p, day("2026-12-21"), 30), Standing::Stale(_)),
        "31 days"
    );
    let stale = standing(&p, day("2026-12-21"), 30);
    assert!(stale.to_verify());
    assert_eq!(
        stale.words(),
        "Stale: last verified 20 Nov 2026 by Avery Example. Verify it again."
    );
    // A tighter setting makes the same check stale sooner.
    assert!(matches!(
        standing(&p, day("2026-12-07"), 10),
        Standing::Stale(_)
    ));
    // A new card: the old check no longer counts.
    p.coverage.as_mut().expect("insured").member_id = "XJ-9000".into();
    assert_eq!(standing(&p, day("2026-12-07"), 30), Standing::NotVerified);
    p.checks.push(check(
        "2026-12-06T10:00",
        Eligibility::NotEligible,
        "XJ-9000",
    ));
    assert!(matches!(
        standing(&p, day("2026-12-07"), 30),
        Standing::NotEligible(_)
    ));
    assert_eq!(plan_copay(&p), Some(2_500));
}

#[test]
fn two_desks_verifying_offline_both_keep_their_check_and_a_merge_keeps_every_check() {
    let now = at("2026-12-07T09:00");
    let mut jamie = PatientForm {
        name: "Jamie Rivera".into(),
        dob: "1984-03-02".into(),
        ..PatientForm::default()
    }
    .validate(PatientId::random(), now.date())
    .expect("valid");
    jamie.coverage = Some(insured());
    let id = doc_of(&jamie.id).doc_id();
    let mut a = Document::new(&id, &ActorId::random()).expect("kind");
    a.change(|d| register(d, &jamie, "Desk A", now))
        .expect("registers");
    let mut b = Document::new(&id, &ActorId::random()).expect("kind");
    b.apply(&a.save()).expect("applies");
    let first = check("2026-12-07T09:10", Eligibility::Eligible, "XJ-4471");
    let second = check("2026-12-07T09:12", Eligibility::Eligible, "XJ-4471");
    a.change(|d| record_check(d, &jamie.id, &first))
        .expect("records");
    b.change(|d| record_check(d, &jamie.id, &second))
        .expect("records");
    a.apply(&b.save()).expect("applies");
    let (list, _) = read_all(a.automerge()).expect("reads");
    let read = list.iter().find(|p| p.id == jamie.id).expect("there");
    assert_eq!(read.checks, [first.clone(), second.clone()]);
    assert_eq!(read.coverage, Some(insured()));

    // Correcting the record's phone leaves the insurance and its checks alone.
    let mut corrected = read.clone();
    corrected.phone = "555 0100".into();
    a.change(|d| update(d, read, &corrected)).expect("edits");
    let (list, _) = read_all(a.automerge()).expect("reads");
    let after = list.iter().find(|p| p.id == jamie.id).expect("there");
    assert_eq!((after.checks.len(), after.coverage.is_some()), (2, true));

    // Another record of Jamie, with no insurance, merged into from this one: the kept record
    // takes the insurance and both checks.
    let bare = Patient {
        id: PatientId::from(format!("{}x", jamie.id).as_str()),
        name: "Jamie Rivera".into(),
        ..Patient::default()
    };
    a.change(|d| register(d, &bare, "Desk B", now))
        .expect("registers");
    a.change(|d| merge(&mut [d], &bare.id, &after.id, "Desk A", now))
        .expect("merges");
    let (list, _) = read_all(a.automerge()).expect("reads");
    let kept = list.iter().find(|p| p.id == bare.id).expect("there");
    assert_eq!(kept.coverage, Some(insured()));
    assert_eq!(kept.checks.len(), 2);
    assert!(matches!(
        standing(kept, now.date(), 30),
        Standing::Current(_)
    ));
}

#[test]
fn the_worklist_has_the_days_insured_patients_not_verified_in_start_order() {
    use crate::appointment::ValidBooking;
    use crate::patient::register::Register;
    use crate::schedule::{new_appointment, Who};
    use crate::ProviderId;
    let who = Who {
        device: "desk".into(),
        staff: None,
    };
    let person = |name: &str, coverage: Option<Coverage>, checks: Vec<Check>| Patient {
        id: PatientId::random(),
        name: name.into(),
        coverage,
        checks,
        ..Patient::default()
    };
    let verified = person(
        "Alex Sample",
        Some(insured()),
        vec![check("2026-12-01T10:00", Eligibility::Eligible, "XJ-4471")],
    );
    let stale = person(
        "Kim Example",
        Some(insured()),
        vec![check("2026-09-01T10:00", Eligibility::Eligible, "XJ-4471")],
    );
    let never = person("Sam Test", Some(insured()), Vec::new());
    let self_pay = person("Robin Sample", None, Vec::new());
    let register = Register::new(
        vec![
            verified.clone(),
            stale.clone(),
            never.clone(),
            self_pay.clone(),
        ],
        0,
    );
    let booked = |p: &Patient, time: &str| {
        let mut b = ValidBooking::new(&p.name, ProviderId::from("dr-a"), at(time), 30);
        b.patient = Some(p.id.clone());
        new_appointment(&b, b.start, None, &who, at("2026-12-01T08:00"))
    };
    let appointments = vec![
        booked(&never, "2026-12-08T11:00"),
        booked(&verified, "2026-12-08T09:00"),
        booked(&stale, "2026-12-08T10:00"),
        booked(&self_pay, "2026-12-08T12:00"),
        booked(&never, "2026-12-09T09:00"),
    ];
    let list = worklist(&appointments, &register, day("2026-12-08"), 30);
    let names: Vec<(&str, bool)> = list
        .iter()
        .map(|(_, p, s)| (p.name.as_str(), matches!(s, Standing::Stale(_))))
        .collect();
    assert_eq!(names, [("Kim Example", true), ("Sam Test", false)]);
}

#[test]
fn the_plans_copay_goes_before_the_appointment_types() {
    use crate::appointment::ValidBooking;
    use crate::payment::{due, expected};
    use crate::schedule::{new_appointment, Who};
    use crate::{Directory, ProviderId};
    let who = Who {
        device: "desk".into(),
        staff: None,
    };
    let b = ValidBooking::new(
        "Jamie Rivera",
        ProviderId::from("dr-a"),
        at("2026-12-08T09:00"),
        30,
    );
    let a = new_appointment(&b, b.start, None, &who, at("2026-12-01T08:00"));
    let directory = Directory::default();
    assert_eq!(expected(&a, &directory, None), None, "no type, no plan");
    assert_eq!(expected(&a, &directory, Some(2_500)), Some(2_500));
    assert_eq!(
        expected(&a, &directory, Some(0)),
        None,
        "the plan waives it"
    );
    assert_eq!(due(&a, &directory, Some(2_500), 1_000), Some(1_500));
}

#[test]
fn two_desks_entering_different_member_ids_see_both_until_one_is_saved() {
    let now = at("2026-12-07T09:00");
    let mut jamie = Patient {
        id: PatientId::random(),
        name: "Jamie Rivera".into(),
        ..Patient::default()
    };
    jamie.coverage = Some(insured());
    let id = doc_of(&jamie.id).doc_id();
    let mut a = Document::new(&id, &ActorId::random()).expect("kind");
    a.change(|d| register(d, &jamie, "Desk A", now))
        .expect("registers");
    let mut b = Document::new(&id, &ActorId::random()).expect("kind");
    b.apply(&a.save()).expect("applies");
    let with_member = |member: &str| {
        let mut p = jamie.clone();
        p.coverage.as_mut().expect("insured").member_id = member.into();
        p
    };
    a.change(|d| update(d, &jamie, &with_member("XJ-5000")))
        .expect("edits");
    b.change(|d| update(d, &jamie, &with_member("XJ-6000")))
        .expect("edits");
    a.apply(&b.save()).expect("applies");
    let read = |doc: &Document| {
        read_all(doc.automerge())
            .expect("reads")
            .0
            .into_iter()
            .find(|p| p.id == jamie.id)
            .expect("there")
    };
    let both = read(&a);
    let (field, values) = both
        .disputed
        .iter()
        .find(|(k, _)| *k == "member_id")
        .expect("the member id is disputed");
    assert_eq!((*field, values.len()), ("member_id", 2));
    // Saving the form that showed both settles it on what the form holds.
    let chosen = with_member("XJ-6000");
    a.change(|d| update(d, &both, &chosen)).expect("edits");
    let settled = read(&a);
    assert!(settled.disputed.is_empty(), "{:?}", settled.disputed);
    assert_eq!(
        settled.coverage.map(|c| c.member_id).as_deref(),
        Some("XJ-6000")
    );
}
