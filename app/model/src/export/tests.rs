use chrono::NaiveDate;
use serde_json::Value;

use super::*;
use crate::day::fixture::{appointment, at, directory, through, with_status, ROOM, TYPE};
use crate::{RoomId, TypeId};

/// FHIR R4 AppointmentStatus (http://hl7.org/fhir/R4/valueset-appointmentstatus.html).
const FHIR_STATUSES: [&str; 10] = [
    "proposed",
    "pending",
    "booked",
    "arrived",
    "fulfilled",
    "cancelled",
    "noshow",
    "entered-in-error",
    "checked-in",
    "waitlist",
];

fn fhir(a: &Appointment) -> Value {
    fhir_appointment(a, &directory(), &SiteId::main(), 60)
}

/// A booked appointment for Alex Sample on Monday 23 November 2026 at 10:00.
fn alex() -> Appointment {
    appointment("Alex Sample", "2026-11-23T10:00")
}

fn participant_status(resource: &Value, kind: &str) -> Vec<String> {
    let participants = resource["participant"].as_array().expect("participants");
    participants
        .iter()
        .filter(|p| p["actor"]["type"] == kind)
        .map(|p| p["status"].as_str().expect("a status").to_string())
        .collect()
}

/// Each status with its FHIR code and the patient participant's status; in the order of
/// [`Status::ALL`], so that a new status cannot be left out.
const STATUSES: [(Status, &str, &str); 9] = [
    (Status::Booked, "booked", "needs-action"),
    (Status::Confirmed, "booked", "accepted"),
    (Status::Arrived, "arrived", "accepted"),
    (Status::InRoom, "checked-in", "accepted"),
    (Status::Fulfilled, "fulfilled", "accepted"),
    (Status::Cancelled, "cancelled", "needs-action"),
    (Status::NoShow, "noshow", "needs-action"),
    (Status::Waitlist, "waitlist", "needs-action"),
    (Status::EnteredInError, "entered-in-error", "needs-action"),
];

#[test]
fn statuses_cover_every_status() {
    assert_eq!(STATUSES.map(|(status, _, _)| status), Status::ALL);
}

#[test]
fn fhir_status_follows_the_value_set() {
    for (status, code, _) in STATUSES {
        assert_eq!(
            fhir(&with_status(alex(), status))["status"],
            code,
            "{status:?}"
        );
        assert!(FHIR_STATUSES.contains(&code), "{code} is a FHIR code");
    }
}

#[test]
fn patient_accepts_once_confirmed() {
    for (status, _, patient) in STATUSES {
        let resource = fhir(&with_status(alex(), status));
        assert_eq!(
            participant_status(&resource, "Patient"),
            [patient],
            "{status:?}"
        );
        assert_eq!(participant_status(&resource, "Practitioner"), ["accepted"]);
    }
}

#[test]
fn participants_are_named() {
    let resource = fhir(&alex());
    let displays: Vec<(&str, &str)> = resource["participant"]
        .as_array()
        .expect("participants")
        .iter()
        .map(|p| {
            let actor = &p["actor"];
            (
                actor["type"].as_str().expect("type"),
                actor["display"].as_str().expect("display"),
            )
        })
        .collect();
    assert_eq!(
        displays,
        [
            ("Patient", "Alex Sample"),
            ("Practitioner", "Dr. Ada Example"),
            ("Location", "Main Street"),
        ]
    );

    let mut in_room = alex();
    in_room.room = Some(RoomId::from(ROOM));
    let resource = fhir(&in_room);
    assert_eq!(resource["participant"][3]["actor"]["display"], "Room 2");
    assert_eq!(resource["participant"][3]["actor"]["type"], "Location");
    assert_eq!(participant_status(&resource, "Location"), ["accepted"; 2]);
}

#[test]
fn instants_carry_the_offset() {
    let check = |offset: i32, expected: &str| {
        assert_eq!(fhir_instant(at("2026-11-23T10:00"), offset), expected);
    };
    check(0, "2026-11-23T10:00:00+00:00");
    check(60, "2026-11-23T10:00:00+01:00");
    check(-300, "2026-11-23T10:00:00-05:00");
    check(-330, "2026-11-23T10:00:00-05:30");
    check(345, "2026-11-23T10:00:00+05:45");
    check(-30, "2026-11-23T10:00:00-00:30");
    check(14 * 60, "2026-11-23T10:00:00+14:00");
    check(-20 * 60, "2026-11-23T10:00:00-14:00");
}

#[test]
fn times_and_duration() {
    let resource = fhir_appointment(&alex(), &directory(), &SiteId::main(), -330);
    assert_eq!(resource["resourceType"], "Appointment");
    assert_eq!(resource["start"], "2026-11-23T10:00:00-05:30");
    assert_eq!(resource["end"], "2026-11-23T10:20:00-05:30");
    assert_eq!(resource["minutesDuration"], 20);
}

#[test]
fn id_is_the_appointments() {
    let a = alex();
    assert_eq!(fhir(&a)["id"], a.id.as_str());
}

#[test]
fn optional_fields_only_when_given() {
    let plain = fhir(&alex());
    for field in [
        "description",
        "comment",
        "appointmentType",
        "cancelationReason",
    ] {
        assert!(plain.get(field).is_none(), "{field} without a value");
    }

    let mut a = alex();
    a.reason = "Knee pain".into();
    a.notes = "Prefers mornings".into();
    a.type_id = Some(TypeId::from(TYPE));
    let full = fhir(&a);
    assert_eq!(full["description"], "Knee pain");
    assert_eq!(full["comment"], "Prefers mornings");
    assert_eq!(full["appointmentType"]["text"], "Follow-up");

    // A type since removed from the directory is left out rather than named wrongly.
    a.type_id = Some(TypeId::from("removed"));
    assert!(fhir(&a).get("appointmentType").is_none());
}

#[test]
fn cancel_reason_only_when_cancelled() {
    let check = |status: Status, reason: Option<&str>, expected: Option<&str>| {
        let mut a = with_status(alex(), status);
        a.cancel_reason = reason.map(String::from);
        let resource = fhir(&a);
        let got = resource
            .get("cancelationReason")
            .map(|r| r["text"].as_str().expect("text"));
        assert_eq!(got, expected, "{status:?}");
        assert!(resource.get("cancellationReason").is_none());
    };
    check(
        Status::Cancelled,
        Some("Feeling better"),
        Some("Feeling better"),
    );
    check(Status::Cancelled, None, None);
    check(Status::Booked, Some("Feeling better"), None);
    check(Status::NoShow, Some("Feeling better"), None);
}

#[test]
fn no_contact_details() {
    let mut a = alex();
    a.dob = NaiveDate::from_ymd_opt(1980, 4, 30);
    a.phone = Some("+44 20 7946 0001".into());
    a.email = Some("alex@example.org".into());
    let text = fhir(&a).to_string();
    for detail in [
        "1980-04-30",
        "7946",
        "alex@example.org",
        "birthDate",
        "telecom",
    ] {
        assert!(!text.contains(detail), "{detail} in {text}");
    }
}

#[test]
fn bundle_has_an_entry_per_appointment() {
    let day = [
        alex(),
        with_status(
            appointment("Kim Example", "2026-11-23T10:20"),
            Status::Cancelled,
        ),
        through(
            appointment("Sam Test", "2026-11-23T11:00"),
            &[(Status::Arrived, "2026-11-23T10:55")],
        ),
    ];
    let bundle = fhir_bundle(&day, &directory(), &SiteId::main(), |_| 60);
    assert_eq!(bundle["resourceType"], "Bundle");
    assert_eq!(bundle["type"], "collection");
    let entries = bundle["entry"].as_array().expect("entries");
    assert_eq!(entries.len(), 3);
    for (entry, a) in entries.iter().zip(&day) {
        assert_eq!(entry["resource"]["id"], a.id.as_str());
        assert_eq!(entry["resource"]["resourceType"], "Appointment");
    }
    let empty = fhir_bundle(&[], &directory(), &SiteId::main(), |_| 60);
    assert_eq!(empty["entry"], Value::Array(Vec::new()));
}

#[test]
fn file_names_are_safe() {
    let day = NaiveDate::from_ymd_opt(2026, 11, 23).expect("a date");
    let check = |name: &str, expected: &str| assert_eq!(ics_file_name(name, day), expected);
    check("Dr. Ada Example", "dr-ada-example-2026-11-23.ics");
    check("  Dr Kim  O'Example ", "dr-kim-o-example-2026-11-23.ics");
    check("../../etc/passwd", "etc-passwd-2026-11-23.ics");
    check("Dr. Zoë Sample", "dr-zoë-sample-2026-11-23.ics");
    check("", "schedule-2026-11-23.ics");
    check("!!!", "schedule-2026-11-23.ics");
    let long = "word ".repeat(40);
    let name = ics_file_name(&long, day);
    assert!(name.starts_with("word-word-"));
    assert!(name.ends_with("word-2026-11-23.ics"), "{name}");
    assert!(name.chars().count() <= MAX_FILE_STEM_CHARS + "-2026-11-23.ics".len());
    assert_eq!(
        fhir_file_name("Main Street", day),
        "main-street-2026-11-23.json"
    );
}

mod icalendar {
    use super::*;

    fn calendar(appointments: &[Appointment]) -> String {
        ics_calendar(
            appointments,
            &directory(),
            "Main Street",
            at("2026-11-20T16:30:05"),
        )
    }

    /// The unfolded content lines.
    fn lines(text: &str) -> Vec<String> {
        text.replace("\r\n ", "")
            .split("\r\n")
            .map(String::from)
            .collect()
    }

    #[test]
    fn every_line_ends_with_crlf() {
        let mut a = alex();
        a.reason = "First line\nsecond line".into();
        let text = calendar(&[a, appointment("Kim Example", "2026-11-23T11:00")]);
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        assert_eq!(text.matches('\n').count(), text.matches("\r\n").count());
        assert_eq!(text.matches('\r').count(), text.matches("\r\n").count());
    }

    #[test]
    fn calendar_and_event() {
        let mut a = with_status(alex(), Status::Confirmed);
        a.room = Some(RoomId::from(ROOM));
        a.type_id = Some(TypeId::from(TYPE));
        a.reason = "Knee pain, left; since May".into();
        let expected = [
            "BEGIN:VCALENDAR".to_string(),
            "VERSION:2.0".into(),
            "PRODID:-//Front desk//Schedules//EN".into(),
            "CALSCALE:GREGORIAN".into(),
            "BEGIN:VEVENT".into(),
            format!("UID:{}@front-desk", a.id),
            "DTSTAMP:20261120T163005Z".into(),
            "DTSTART:20261123T100000".into(),
            "DTEND:20261123T102000".into(),
            "SUMMARY:Alex Sample – Follow-up".into(),
            "LOCATION:Main Street\\, Room 2".into(),
            "DESCRIPTION:Knee pain\\, left\\; since May".into(),
            "STATUS:CONFIRMED".into(),
            "END:VEVENT".into(),
            "END:VCALENDAR".into(),
            String::new(),
        ];
        assert_eq!(lines(&calendar(&[a])), expected);
    }

    #[test]
    fn bare_appointment_has_no_location_or_description() {
        let text = calendar(&[alex()]);
        assert!(text.contains("SUMMARY:Alex Sample – Appointment\r\n"));
        assert!(text.contains("STATUS:TENTATIVE\r\n"));
        assert!(!text.contains("LOCATION"));
        assert!(!text.contains("DESCRIPTION"));
    }

    #[test]
    fn confirmed_or_later_is_confirmed() {
        let check = |status: Status, expected: &str| {
            let text = calendar(&[with_status(alex(), status)]);
            assert!(
                text.contains(&format!("STATUS:{expected}\r\n")),
                "{status:?}"
            );
        };
        check(Status::Booked, "TENTATIVE");
        check(Status::Confirmed, "CONFIRMED");
        check(Status::Arrived, "CONFIRMED");
        check(Status::InRoom, "CONFIRMED");
        check(Status::Fulfilled, "CONFIRMED");
    }

    #[test]
    fn only_appointments_that_hold_their_slot() {
        let day: Vec<Appointment> = Status::ALL
            .iter()
            .map(|&status| {
                let mut a = with_status(alex(), status);
                a.patient_name = format!("Patient {}", status.key());
                a
            })
            .collect();
        let text = calendar(&day);
        let kept: Vec<&str> = day
            .iter()
            .filter(|a| text.contains(&format!("UID:{}@front-desk", a.id)))
            .map(|a| a.status.key())
            .collect();
        assert_eq!(
            kept,
            ["booked", "confirmed", "arrived", "in-room", "fulfilled"]
        );
        assert_eq!(text.matches("BEGIN:VEVENT").count(), 5);
    }

    #[test]
    fn long_values_fold_and_unfold() {
        let mut a = alex();
        a.patient_name = "Zoë Ångström-Sample".into();
        a.reason = "Überweisung – Kontrolle, 🦷 ".repeat(8).trim().to_string();
        let text = calendar(&[a.clone()]);
        for physical in text.split("\r\n") {
            assert!(
                physical.len() <= 75,
                "{} octets: {physical:?}",
                physical.len()
            );
        }
        assert!(text.contains("\r\n "), "something was folded");
        let description = format!("DESCRIPTION:{}", a.reason.replace(',', "\\,"));
        assert!(lines(&text).contains(&description));
    }
}
