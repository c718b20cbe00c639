use automerge::ActorId;
use chrono::{NaiveDate, NaiveDateTime};

use super::*;
use crate::appointment::parse_local_datetime;
use crate::incident::{put_incident, read_all, IncidentForm};
use crate::{DocKind, Document, SiteId};

fn now() -> NaiveDateTime {
    parse_local_datetime("2026-12-07T10:00").expect("a time")
}

fn filled() -> InjuryForm {
    InjuryForm {
        employee: "Jesse Sample".into(),
        job_title: "Medical assistant".into(),
        location: "Treatment room".into(),
        description: "Needlestick, left index finger".into(),
        outcome: "restricted".into(),
        days_away: String::new(),
        days_restricted: "3".into(),
        case_type: "injury".into(),
        privacy: false,
    }
}

#[test]
fn an_injurys_facts_are_checked_field_by_field() {
    let injury = filled().validate().expect("valid");
    assert_eq!(
        (injury.outcome, injury.days_away, injury.days_restricted),
        (Outcome::Restricted, 0, 3)
    );
    type Change = fn(&mut InjuryForm);
    // (what is changed, the fields refused)
    let cases: [(Change, &[&str]); 7] = [
        (|f| f.employee = "  ".into(), &["employee"]),
        (|f| f.days_restricted = "-2".into(), &["days_restricted"]),
        (|f| f.days_restricted = "400".into(), &["days_restricted"]),
        (|f| f.days_away = "two".into(), &["days_away"]),
        (|f| f.outcome = "days-away".into(), &["days_away"]),
        (|f| f.outcome = "lost".into(), &["outcome"]),
        (
            |f| {
                f.case_type = String::new();
                f.location = String::new();
                f.description = "x".repeat(MAX_DESCRIPTION_CHARS + 1);
            },
            &["location", "description", "case_type"],
        ),
    ];
    for (change, expected) in cases {
        let mut form = filled();
        change(&mut form);
        let refused = form.validate().expect_err("refused");
        let fields: Vec<&str> = refused.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, expected, "{form:?}");
        assert!(refused.iter().all(|(_, s)| s.ends_with('.')));
    }
    let mut away = filled();
    away.outcome = "days-away".into();
    away.days_away = "180".into();
    assert_eq!(away.validate().expect("valid").days_away, 180);
}

fn log_doc() -> Document {
    let id = DocKind::Incidents {
        site: SiteId::main(),
    }
    .doc_id();
    Document::new(&id, &ActorId::random()).expect("known kind")
}

fn report(kind: &str, happened: &str) -> Incident {
    IncidentForm {
        kind: kind.into(),
        happened: happened.into(),
        summary: "Something happened".into(),
        severity: "moderate".into(),
        ..IncidentForm::default()
    }
    .validate("Avery Example", now())
    .expect("valid")
}

#[test]
fn two_managers_settling_different_facts_offline_keep_both_and_a_complaint_has_none() {
    let mut phone = log_doc();
    let mut office = log_doc();
    let injury = report("injury", "2026-12-03");
    let complaint = report("complaint", "2026-12-03");
    let (_, made) = phone
        .change(|d| {
            put_incident(d, &injury)?;
            put_incident(d, &complaint)?;
            put_injury(d, &injury.id, &filled().validate().expect("valid"))
        })
        .expect("logs");
    office.apply(&made.expect("a change")).expect("applies");

    let more_days = InjuryForm {
        days_restricted: "5".into(),
        ..filled()
    };
    let moved = InjuryForm {
        location: "Waiting room".into(),
        ..filled()
    };
    let (_, a) = phone
        .change(|d| put_injury(d, &injury.id, &more_days.validate().expect("valid")))
        .expect("writes");
    let (_, b) = office
        .change(|d| put_injury(d, &injury.id, &moved.validate().expect("valid")))
        .expect("writes");
    phone.apply(&b.expect("a change")).expect("applies");
    office.apply(&a.expect("a change")).expect("applies");
    for doc in [&phone, &office] {
        let (list, _) = read_all(doc.automerge()).expect("reads");
        let found = list.iter().find(|i| i.id == injury.id).expect("the injury");
        let facts = found.injury.as_ref().expect("its facts");
        assert_eq!(
            (facts.days_restricted, facts.location.as_str()),
            (5, "Waiting room")
        );
        let other = list
            .iter()
            .find(|i| i.id == complaint.id)
            .expect("the complaint");
        assert_eq!(other.injury, None);
    }
    let refused =
        phone.change(|d| put_injury(d, &complaint.id, &filled().validate().expect("valid")));
    assert!(matches!(refused, Err(DocumentError::Refused(_))));
}

#[test]
fn the_years_log_numbers_cases_in_the_order_they_happened_and_hides_a_privacy_case() {
    let mut doc = log_doc();
    let later = report("injury", "2026-11-20");
    let earlier = report("injury", "2026-03-02");
    let last_year = report("injury", "2025-12-30");
    let complaint = report("complaint", "2026-05-01");
    let private = InjuryForm {
        privacy: true,
        ..filled()
    };
    doc.change(|d| {
        for i in [&later, &earlier, &last_year, &complaint] {
            put_incident(d, i)?;
        }
        put_injury(d, &earlier.id, &private.validate().expect("valid"))
    })
    .expect("logs");
    let (list, _) = read_all(doc.automerge()).expect("reads");
    let lines = log(&list, 2026);
    let cases: Vec<(&str, NaiveDate)> = lines
        .iter()
        .map(|l| (l.case.as_str(), l.incident.happened))
        .collect();
    assert_eq!(
        cases,
        [
            (
                "2026-001",
                NaiveDate::from_ymd_opt(2026, 3, 2).expect("a day")
            ),
            (
                "2026-002",
                NaiveDate::from_ymd_opt(2026, 11, 20).expect("a day")
            ),
        ]
    );
    let sheet = csv(&lines);
    assert!(sheet.contains("2026-001,Privacy case,Medical assistant,2026-03-02,Treatment room"));
    assert!(sheet.contains("2026-002,,,2026-11-20,,Details not yet entered"));
    assert!(!sheet.contains("Jesse Sample"));
}
