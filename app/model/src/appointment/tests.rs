use super::*;
use crate::directory::{time, PALETTE};
use crate::{BookingForm, Directory, Provider, Room, SiteId, WeekHours};

fn form(name: &str, start: &str, duration: &str, provider: &str) -> BookingForm {
    BookingForm {
        patient_name: name.into(),
        start: start.into(),
        duration_minutes: duration.into(),
        provider: provider.into(),
        ..BookingForm::default()
    }
}

fn now() -> NaiveDateTime {
    parse_local_datetime("2026-11-22T08:00").expect("valid")
}

fn directory() -> Directory {
    Directory {
        providers: vec![Provider {
            id: ProviderId::from("dr-a"),
            name: "Dr. A".into(),
            specialty: String::new(),
            colour: PALETTE[0].into(),
            sites: vec![SiteId::main()],
            hours: WeekHours::weekdays(time(8, 0), time(17, 0)),
        }],
        rooms: vec![Room {
            id: RoomId::from("room-1"),
            name: "Room 1".into(),
            site: SiteId::new("north").expect("valid"),
        }],
        ..Directory::default()
    }
}

/// Checks which fields a form gets messages for.
fn check(form: BookingForm, bad_fields: &[&str]) {
    let result = form.validate(&directory(), &SiteId::main(), now(), None);
    let e = result.clone().err().unwrap_or_default();
    let got: Vec<&str> = [
        ("patient_name", &e.patient_name),
        ("dob", &e.dob),
        ("phone", &e.phone),
        ("email", &e.email),
        ("type_id", &e.type_id),
        ("provider", &e.provider),
        ("room", &e.room),
        ("start", &e.start),
        ("duration_minutes", &e.duration_minutes),
        ("repeat", &e.repeat),
    ]
    .iter()
    .filter(|(_, e)| e.is_some())
    .map(|(name, _)| *name)
    .collect();
    assert_eq!(got, bad_fields, "{form:?}");
    assert_eq!(result.is_ok(), bad_fields.is_empty());
}

fn valid() -> BookingForm {
    form("Alex Sample", "2026-11-23T10:00", "30", "dr-a")
}

#[test]
fn booking_validation() {
    check(valid(), &[]);
    check(
        form("  Alex   Sample ", "2026-11-23T10:00:00", "5", "dr-a"),
        &[],
    );
    check(form("Alex", "2026-11-23T10:00", "480", "dr-a"), &[]);
    check(
        form("", "2026-11-23T10:00", "30", "dr-a"),
        &["patient_name"],
    );
    check(
        form("   ", "2026-11-23T10:00", "30", "dr-a"),
        &["patient_name"],
    );
    check(
        form(&"x".repeat(121), "2026-11-23T10:00", "30", "dr-a"),
        &["patient_name"],
    );
    check(form("Alex", "2026-02-30T10:00", "30", "dr-a"), &["start"]);
    check(form("Alex", "tomorrow", "30", "dr-a"), &["start"]);
    for bad in ["4", "0", "-15", "481", "2.5", ""] {
        check(
            form("Alex", "2026-11-23T10:00", bad, "dr-a"),
            &["duration_minutes"],
        );
    }
    check(
        form("Alex", "2026-11-23T10:00", "30", "dr-zzz"),
        &["provider"],
    );
    check(
        form("", "nope", "0", ""),
        &["patient_name", "provider", "start", "duration_minutes"],
    );
}

#[test]
fn date_of_birth_email_type_and_room() {
    let with = |f: fn(&mut BookingForm)| {
        let mut form = valid();
        f(&mut form);
        form
    };
    check(with(|f| f.dob = "1980-04-30".into()), &[]);
    check(with(|f| f.dob = "1980-02-30".into()), &["dob"]);
    check(with(|f| f.dob = "30/04/1980".into()), &["dob"]);
    check(with(|f| f.dob = "2027-01-01".into()), &["dob"]);
    check(with(|f| f.dob = "1850-01-01".into()), &["dob"]);
    check(with(|f| f.email = "alex@example.org".into()), &[]);
    for bad in ["alex", "alex@", "@example.org", "a b@example.org", "a@b"] {
        let mut form = valid();
        form.email = bad.into();
        check(form, &["email"]);
    }
    check(with(|f| f.type_id = "gone".into()), &["type_id"]);
    // room-1 is at another site.
    check(with(|f| f.room = "room-1".into()), &["room"]);
    let booking = with(|f| {
        f.dob = "1980-04-30".into();
        f.notes = "  prefers mornings ".into();
    })
    .validate(&directory(), &SiteId::main(), now(), None)
    .expect("valid");
    assert_eq!(
        booking.dob.map(|d| d.to_string()).as_deref(),
        Some("1980-04-30")
    );
    assert_eq!(booking.notes, "prefers mornings");
}

#[test]
fn a_start_in_the_past_needs_a_deliberate_back_entry() {
    check(form("Alex", "2026-11-22T07:45", "30", "dr-a"), &[]);
    check(form("Alex", "2026-11-22T07:44", "30", "dr-a"), &["start"]);
    check(form("Alex", "2025-01-01T09:00", "30", "dr-a"), &["start"]);
    let back_entry = BookingForm {
        back_entry: true,
        ..form("Alex", "2025-01-01T09:00", "30", "dr-a")
    };
    check(back_entry, &[]);
    // Editing a past appointment without moving it is not a back-entry.
    let past = parse_local_datetime("2025-01-01T09:00");
    assert!(form("Alex", "2025-01-01T09:00", "30", "dr-a")
        .validate(&directory(), &SiteId::main(), now(), past)
        .is_ok());
}

#[test]
fn phone_validation() {
    let with_phone = |phone: &str| BookingForm {
        phone: phone.into(),
        ..valid()
    };
    check(with_phone("+1 (555) 010-0199"), &[]);
    check(with_phone("555-0100 ext"), &["phone"]);
    check(with_phone("12"), &["phone"]);
    check(with_phone("1234567890123456"), &["phone"]);
    let site = SiteId::main();
    let valid = with_phone(" 555 0100 ")
        .validate(&directory(), &site, now(), None)
        .expect("valid");
    assert_eq!(valid.phone.as_deref(), Some("555 0100"));
}

#[test]
fn repeat_fields() {
    let with = |repeat: &str, count: &str, until: &str| BookingForm {
        repeat: repeat.into(),
        repeat_count: count.into(),
        repeat_until: until.into(),
        ..valid()
    };
    check(with("weekly", "4", ""), &[]);
    check(with("monthly", "", "2027-05-01"), &[]);
    check(with("weekly", "1", ""), &["repeat"]);
    check(with("weekly", "53", ""), &["repeat"]);
    check(with("weekly", "", ""), &["repeat"]);
    check(with("weekly", "3", "2027-01-01"), &["repeat"]);
    check(with("weekly", "", "2026-11-23"), &["repeat"]);
    check(with("daily", "3", ""), &["repeat"]);
    let booking = with("fortnightly", "3", "")
        .validate(&directory(), &SiteId::main(), now(), None)
        .expect("valid");
    assert_eq!(
        booking.recurrence,
        Some(Recurrence {
            frequency: Frequency::Fortnightly,
            end: RecurrenceEnd::Count(3)
        })
    );
}

#[test]
fn status_transitions() {
    use Status::*;
    let allowed = [
        (Booked, Confirmed),
        (Booked, Arrived),
        (Confirmed, Arrived),
        (Arrived, InRoom),
        (InRoom, InRoom),
        (InRoom, Fulfilled),
        (Arrived, Fulfilled),
        (Booked, Cancelled),
        (Booked, NoShow),
        (NoShow, Arrived),
        (Waitlist, Booked),
    ];
    for (from, to) in allowed {
        assert!(from.can_become(to), "{from:?} → {to:?}");
    }
    let refused = [
        (Booked, InRoom),
        (Booked, Fulfilled),
        (Cancelled, Arrived),
        (Fulfilled, Arrived),
        (Fulfilled, Cancelled),
        (InRoom, Cancelled),
        (EnteredInError, Booked),
        (Arrived, NoShow),
        (Booked, Booked),
    ];
    for (from, to) in refused {
        assert!(!from.can_become(to), "{from:?} → {to:?}");
    }
    for status in Status::ALL {
        assert!(!Fulfilled.can_become(status));
        assert!(!Cancelled.can_become(status));
    }
}

#[test]
fn waiting_time_counts_from_the_last_check_in() {
    let change = |status, at: &str| StatusChange {
        status,
        at: at.into(),
        device: "Desk".into(),
        staff: None,
        room: None,
        note: None,
    };
    let mut a = Appointment {
        id: AppointmentId::random(),
        patient_name: "Alex Sample".into(),
        dob: None,
        phone: None,
        email: None,
        notes: String::new(),
        type_id: None,
        provider: ProviderId::from("dr-a"),
        room: None,
        start: parse_local_datetime("2026-11-22T09:00").expect("valid"),
        duration_minutes: 20,
        reason: String::new(),
        status: Status::Arrived,
        history: vec![
            change(Status::Booked, "2026-11-20T10:00:00"),
            change(Status::Arrived, "2026-11-22T08:50:00"),
        ],
        series: None,
        cancel_reason: None,
        late_cancel: false,
        accepted_clashes: Vec::new(),
        clash_note: None,
        calls: Vec::new(),
        patient: None,
    };
    let at = |t| parse_local_datetime(t).expect("valid");
    assert_eq!(a.waiting_minutes(at("2026-11-22T09:07")), Some(17));
    assert_eq!(a.end(), at("2026-11-22T09:20"));
    a.status = Status::InRoom;
    assert_eq!(a.waiting_minutes(at("2026-11-22T09:07")), None);
    assert_eq!(a.arrived_at(), Some(at("2026-11-22T08:50")));
}

#[test]
fn a_start_reads_the_time_as_typed_and_says_how_to_type_one_that_does_not() {
    let typed = form("Alex Sample", " 2026-11-23T930 ", "30", "dr-a");
    let valid = typed
        .validate(&directory(), &SiteId::main(), now(), None)
        .expect("valid");
    assert_eq!(
        valid.start,
        parse_local_datetime("2026-11-23T09:30").expect("valid")
    );
    let wrong_time = form("Alex Sample", "2026-11-23T25:00", "30", "dr-a")
        .validate(&directory(), &SiteId::main(), now(), None)
        .expect_err("refused");
    assert_eq!(wrong_time.start.as_deref(), Some(crate::clock::CLOCK_HINT));
    let no_day = form("Alex Sample", "T09:30", "30", "dr-a")
        .validate(&directory(), &SiteId::main(), now(), None)
        .expect_err("refused");
    assert_eq!(
        no_day.start.as_deref(),
        Some("Enter a valid date and time.")
    );
    // What a document stores is read strictly: a typed shape there is no stored time.
    assert_eq!(parse_local_datetime("2026-11-23T930"), None);
    assert_eq!(parse_local_datetime("2026-11-23T2:30 pm"), None);
}
