use automerge::ActorId;

use super::*;
use crate::appointment::parse_local_datetime;
use crate::board::link::open_linked_card;
use crate::board::{Board, BoardScope};
use crate::schedule::Who;
use crate::{DocKind, SiteId};

fn at(text: &str) -> NaiveDateTime {
    parse_local_datetime(text).expect("valid test time")
}

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("valid test day")
}

fn form(kind: &str, happened: &str, summary: &str, respond_by: &str) -> IncidentForm {
    IncidentForm {
        kind: kind.into(),
        happened: happened.into(),
        summary: summary.into(),
        category: "Waiting time".into(),
        severity: "moderate".into(),
        respond_by: respond_by.into(),
    }
}

fn now() -> NaiveDateTime {
    at("2026-12-07T10:00")
}

fn fields(f: IncidentForm) -> Vec<&'static str> {
    f.validate("Avery Example", now())
        .expect_err("refused")
        .into_iter()
        .map(|(field, _)| field)
        .collect()
}

#[test]
fn a_report_is_checked_and_a_complaint_owes_a_response_in_five_days() {
    let complaint = form(
        "complaint",
        "2026-12-06",
        " Waited an hour.\nNobody said why. ",
        "",
    )
    .validate("Avery Example", now())
    .expect("valid");
    assert_eq!(complaint.kind, Kind::Complaint);
    assert_eq!(complaint.summary, "Waited an hour.\nNobody said why.");
    assert_eq!(
        complaint.respond_by,
        Some(day("2026-12-12")),
        "five days from today"
    );
    assert_eq!(
        (complaint.stage, complaint.taken_by.as_str()),
        (Stage::Open, "Avery Example")
    );
    let failure = form("equipment", "2026-12-07", "Autoclave stopped mid-cycle", "")
        .validate("Avery Example", now())
        .expect("valid");
    assert_eq!(failure.respond_by, None, "no response owed by default");

    assert_eq!(
        fields(form("complaint", "2026-12-08", "x", "")),
        ["happened"]
    );
    assert_eq!(
        fields(form("complaint", "2026-02-30", "x", "")),
        ["happened"]
    );
    assert_eq!(
        fields(form("rumour", "2026-12-06", " ", "")),
        ["kind", "summary"]
    );
    assert_eq!(
        fields(form("injury", "2026-12-06", "x", "2026-12-01")),
        ["respond_by"]
    );
    let mut unrated = form("injury", "2026-12-06", "x", "");
    unrated.severity = String::new();
    assert_eq!(fields(unrated), ["severity"]);
    let future = form("complaint", "2026-12-08", "x", "")
        .validate("Avery Example", now())
        .expect_err("refused");
    assert_eq!(future[0].1, "8 Dec 2026 has not come yet.");
}

fn log() -> Document {
    let id = DocKind::Incidents {
        site: SiteId::main(),
    }
    .doc_id();
    Document::new(&id, &ActorId::random()).expect("known kind")
}

#[test]
fn the_log_lists_open_reports_soonest_due_first_and_knows_what_is_overdue() {
    let mut doc = log();
    let make = |happened: &str, respond_by: &str, summary: &str| {
        form("complaint", happened, summary, respond_by)
            .validate("Avery Example", now())
            .expect("valid")
    };
    let late = make("2026-11-20", "2026-12-01", "Billed twice");
    let soon = make("2026-12-06", "2026-12-09", "Rude on the phone");
    let mut answered = make("2026-12-02", "2026-12-04", "Lost referral");
    doc.change(|d| -> Result<(), DocumentError> {
        for i in [&soon, &late, &answered] {
            put_incident(d, i)?;
        }
        Ok(())
    })
    .expect("writes");
    doc.change(|d| {
        respond(
            d,
            &answered.id,
            "Apologised; referral re-sent",
            Stage::Closed,
        )
    })
    .expect("responds");
    let (list, unreadable) = read_all(doc.automerge()).expect("reads");
    assert_eq!(unreadable, 0);
    let order: Vec<&str> = list.iter().map(|i| i.summary.as_str()).collect();
    assert_eq!(
        order,
        ["Billed twice", "Rude on the phone", "Lost referral"]
    );
    let today = day("2026-12-07");
    let overdue: Vec<bool> = list.iter().map(|i| i.overdue(today)).collect();
    assert_eq!(overdue, [true, false, false]);
    answered.stage = Stage::Closed;
    answered.outcome = "Apologised; referral re-sent".into();
    assert_eq!(list[2], answered);
    assert_eq!(
        check_response("  ", Stage::Responded),
        Err("Say what the response or outcome was.".into())
    );
    assert!(doc
        .change(|d| respond(d, &IncidentId::from("gone"), "x", Stage::Closed))
        .is_err());
}

#[test]
fn two_managers_answering_one_report_offline_keep_both_fields() {
    let mut first = log();
    let report = form(
        "injury",
        "2026-12-05",
        "Slipped on a wet floor",
        "2026-12-10",
    )
    .validate("Avery Example", now())
    .expect("valid");
    let (_, made) = first.change(|d| put_incident(d, &report)).expect("writes");
    let mut second = log();
    second.apply(&made.expect("a change")).expect("applies");
    // One writes the outcome, keeping it open; the other only re-rates it.
    let (_, a) = first
        .change(|d| respond(d, &report.id, "Floor sign bought", Stage::Open))
        .expect("responds");
    let rated = Incident {
        severity: Severity::Serious,
        ..report.clone()
    };
    let (_, b) = second
        .change(|d| put_incident(d, &rated))
        .expect("re-rates");
    first.apply(&b.expect("a change")).expect("applies");
    second.apply(&a.expect("a change")).expect("applies");
    for doc in [&first, &second] {
        let (list, _) = read_all(doc.automerge()).expect("reads");
        assert_eq!(list[0].outcome, "Floor sign bought");
        assert_eq!(list[0].severity, Severity::Serious);
    }
}

#[test]
fn a_report_asked_to_follow_up_on_two_devices_makes_one_card() {
    let report = form("complaint", "2026-12-06", "Waited an hour", "")
        .validate("Avery Example", now())
        .expect("valid");
    let log_id = DocKind::Incidents {
        site: SiteId::main(),
    }
    .doc_id()
    .to_string();
    let request = follow_up(&report, &log_id, now());
    assert_eq!(request.title, "Follow up: Waited an hour");
    assert_eq!(request.due.map(|d| d.date), Some(day("2026-12-12")));
    let board_id = DocKind::Board {
        scope: BoardScope::Site(SiteId::main()),
    }
    .doc_id();
    let new_board = || Document::new(&board_id, &ActorId::random()).expect("known kind");
    let (mut desk, mut phone) = (new_board(), new_board());
    let who = Who {
        device: "Manager phone".into(),
        staff: Some("Avery Example".into()),
    };
    let mut bundles = Vec::new();
    for doc in [&mut desk, &mut phone] {
        let board = Board::read(doc.automerge()).expect("reads");
        let (_, bundle) = doc
            .change(|d| open_linked_card(d, &board, &request, &who, now()))
            .expect("opens the card");
        bundles.push(bundle.expect("a change"));
    }
    desk.apply(&bundles[1]).expect("applies");
    phone.apply(&bundles[0]).expect("applies");
    for doc in [&desk, &phone] {
        let board = Board::read(doc.automerge()).expect("reads");
        let linked: Vec<_> = board.linked_to(report.id.as_str()).collect();
        assert_eq!(linked.len(), 1, "one card, whichever device asked first");
        assert_eq!(linked[0].title, "Follow up: Waited an hour");
    }
}
