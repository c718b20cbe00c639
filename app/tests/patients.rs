//! Browser tests of the patient register: booking by type-ahead links the appointment to
//! the patient picked, a booking of a new name registers them, and the register's page
//! shows a pair of records of one person and merges them.
#![cfg(target_arch = "wasm32")]

use app::platform::idb::Store;
use app::ui::patients::Patients;
use app::ui::today::Today;
use chrono::NaiveDate;
use leptos::prelude::*;
use model::directory::{put_provider, put_site, PALETTE};
use model::patient::register::Register;
use model::patient::{self, Patient, PatientId};
use model::schedule::Schedule;
use model::{DocKind, Provider, ProviderId, Site, SiteId, WeekHours};
use protocol::DocId;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

mod common;
use common::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A Tuesday well ahead, so that what is booked on it is still to come.
fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2030, 1, 8).expect("a valid day")
}

fn patient_docs() -> Vec<DocId> {
    patient::all_docs().map(|k| k.doc_id()).collect()
}

async fn practice(store: &Store, patients: &[Patient]) {
    stored(store, &DocKind::Directory.doc_id(), |am| {
        put_site(
            am,
            &Site {
                id: SiteId::main(),
                name: "Main Street".into(),
                hours: WeekHours::office(),
            },
        )
        .expect("writes");
        put_provider(
            am,
            &Provider {
                id: ProviderId::from("dr-a"),
                name: "Dr. Ada Example".into(),
                specialty: String::new(),
                colour: PALETTE[0].into(),
                sites: vec![SiteId::main()],
                hours: WeekHours::office(),
            },
        )
        .expect("writes");
    })
    .await;
    let now = day().and_hms_opt(7, 0, 0).expect("a time");
    for p in patients {
        stored(store, &patient::doc_of(&p.id).doc_id(), |am| {
            patient::register(am, p, "Desk B", now).expect("registers");
        })
        .await;
    }
}

fn someone(id: &str, name: &str, dob: (i32, u32, u32), phone: &str) -> Patient {
    Patient {
        id: PatientId::from(id),
        name: name.into(),
        dob: NaiveDate::from_ymd_opt(dob.0, dob.1, dob.2),
        phone: phone.into(),
        registered_at: "2030-01-02T09:00".into(),
        ..Patient::default()
    }
}

/// Books `booking` into `month` as desk B did before this device started; its id.
async fn booked_before(
    store: &Store,
    month: &DocId,
    booking: &model::appointment::ValidBooking,
) -> model::AppointmentId {
    let mut id = None;
    stored(store, month, |am| {
        let who = model::schedule::Who {
            device: "Desk B".into(),
            staff: None,
        };
        let at = booking.start - chrono::Duration::days(1);
        id = Some(model::schedule::book(am, booking, &who, at).expect("books"));
    })
    .await;
    id.expect("booked")
}

/// A booking of `name` with Dr. Ada Example at `start`, for 20 minutes.
fn booking_of(name: &str, start: chrono::NaiveDateTime) -> model::appointment::ValidBooking {
    model::appointment::ValidBooking::new(name, ProviderId::from("dr-a"), start, 20)
}

/// The register as the driver holds it now; `None` while a document loads.
fn register_of(driver: &app::platform::driver::Driver) -> Option<Register> {
    let mut all = Vec::new();
    for doc in patient_docs() {
        let (list, _) = driver.read(&doc, patient::read_all).ok()?.ok()?;
        all.extend(list);
    }
    Some(Register::new(all, 0))
}

fn press(selector: &str) {
    let element = all(selector)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("{selector} is on the page"));
    let event = web_sys::MouseEvent::new("mousedown").expect("an event");
    element
        .dyn_ref::<web_sys::EventTarget>()
        .expect("a target")
        .dispatch_event(&event)
        .expect("dispatches");
}

#[wasm_bindgen_test]
async fn booking_by_type_ahead_links_the_patient_and_a_new_name_is_registered() {
    let store = Store::open("test-view-patients-book").await.expect("opens");
    let jamie = someone("3a1", "Jamie Rivera", (1984, 3, 2), "555 0100");
    let jo = someone("9b2", "Jo Riverton", (1990, 7, 15), "555 0777");
    practice(&store, &[jamie.clone(), jo.clone()]).await;
    let month = DocKind::schedule_for(&SiteId::main(), day()).doc_id();
    let mut wanted = vec![DocKind::Directory.doc_id(), month.clone()];
    wanted.extend(patient_docs());
    let (driver, ctx) = started(store, &wanted, day()).await;
    let today = mount(ctx, || view! { <Today /> });

    click("[data-testid=new-booking]");
    until(|| !all("form[data-testid=booking-form]").is_empty()).await;
    let name = "form[data-testid=booking-form] input[name=patient_name]";
    type_in(name, "riv");
    until(|| all("#patient-matches [role=option]").len() == 2).await;
    assert_eq!(
        texts("#patient-matches [role=option]"),
        [
            "Jamie Rivera born 2 Mar 1984 · 555 0100",
            "Jo Riverton born 15 Jul 1990 · 555 0777"
        ]
    );
    type_in(name, "0777");
    until(|| all("#patient-matches [role=option]").len() == 1).await;
    assert_eq!(
        all(name)[0].get_attribute("aria-expanded").as_deref(),
        Some("true")
    );
    press("#patient-matches [role=option]");
    until(|| value_of(name) == "Jo Riverton").await;
    assert_eq!(value_of("input[name=phone]"), "555 0777");
    assert_eq!(value_of("input[name=dob]"), "1990-07-15");
    assert_eq!(
        text("[data-testid=patient-linked]"),
        "A patient of the register: born 15 Jul 1990 · 555 0777."
    );
    assert!(all("#patient-matches [role=option]").is_empty(), "picked");
    // Jo has a new number: corrected in the booking form, it goes to the register.
    type_in("input[name=phone]", "555 0778");
    submit("form[data-testid=booking-form]");
    until(|| text("[data-testid=booking-note]").starts_with("Booked")).await;

    // A name nobody in the register has: the booking registers them.
    type_in(name, "Robin Newcomer");
    type_in("input[name=phone]", "555 0199");
    submit("form[data-testid=booking-form]");
    until(|| text("[data-testid=booking-note]") == "Booked Robin Newcomer at 09:00.").await;
    until(|| register_of(&driver).is_some_and(|r| r.len() == 3)).await;
    let register = register_of(&driver).expect("loaded");
    let robin = register
        .search("robin", 8)
        .first()
        .map(|p| (*p).clone())
        .expect("registered");
    assert_eq!(robin.phone, "555 0199");
    assert_eq!(robin.registered_by, "Desk A");
    // Each record notes where its patient's appointment is.
    assert_eq!(robin.visits.len(), 1);
    until(|| {
        register_of(&driver).and_then(|r| r.record(&jo.id).map(|p| p.visits.len())) == Some(1)
    })
    .await;
    let noted = register_of(&driver).expect("loaded");
    assert_eq!(noted.record(&jo.id).expect("there").phone, "555 0778");
    assert_eq!(
        noted.record(&jo.id).expect("there").dob,
        jo.dob,
        "what was not changed stays"
    );
    let jo_visit = &noted.record(&jo.id).expect("there").visits[0];
    assert_eq!(
        (jo_visit.site.as_str(), jo_visit.month),
        ("main", NaiveDate::from_ymd_opt(2030, 1, 1).expect("a day"))
    );

    let booked = driver
        .read(&month, Schedule::read)
        .expect("open")
        .expect("reads");
    let mut linked: Vec<(String, Option<PatientId>)> = booked
        .appointments
        .iter()
        .map(|a| (a.patient_name.clone(), a.patient.clone()))
        .collect();
    linked.sort();
    assert_eq!(
        linked,
        [
            ("Jo Riverton".to_string(), Some(jo.id.clone())),
            ("Robin Newcomer".to_string(), Some(robin.id.clone())),
        ]
    );
    drop(today);
}

#[wasm_bindgen_test]
async fn the_register_page_finds_a_patient_refuses_a_bad_date_and_merges_a_pair() {
    let store = Store::open("test-view-patients-merge")
        .await
        .expect("opens");
    let first = someone("1aa", "Kim Nakamura", (2001, 5, 5), "555 0300");
    let mut second = someone("eff", "Kim Nakamura", (2001, 5, 5), "");
    second.email = "kim@example.org".into();
    second.registered_at = "2030-01-03T10:00".into();
    practice(&store, &[first.clone(), second.clone()]).await;
    let mut wanted = vec![DocKind::Directory.doc_id()];
    wanted.extend(patient_docs());
    let (driver, ctx) = started(store, &wanted, day()).await;
    let page = mount(ctx, || view! { <Patients /> });

    until(|| !all("[aria-label='Possible duplicates']").is_empty()).await;
    assert_eq!(
        text("[aria-label='Possible duplicates'] h3"),
        "1 possible duplicate"
    );
    assert_eq!(
        text("[aria-label='Possible duplicates'] .pair > .meta"),
        "Same name and date of birth"
    );

    // Kept the first: it asks, then merges.
    click(".pair .pair-side:first-child button");
    until(|| !all("[data-testid=ask-yes]").is_empty()).await;
    click("[data-testid=ask-yes]");
    until(|| text(".done-bar") == "Merged: one record for Kim Nakamura.").await;
    assert!(all("[aria-label='Possible duplicates']").is_empty());
    until(|| {
        register_of(&driver).is_some_and(|r| {
            r.record(&second.id)
                .is_some_and(|p| p.merged_into.as_ref() == Some(&first.id))
        })
    })
    .await;
    let register = register_of(&driver).expect("loaded");
    let kept = register.resolve(&second.id).expect("resolves");
    assert_eq!(kept.id, first.id);
    assert_eq!(kept.email, "kim@example.org", "what only the other held");
    assert_eq!(text("[role=status]"), "1 patient in the register.");

    // The kept record opens; a date of birth to come is refused at its field.
    type_in("input[name=patient-search]", "nakamura");
    until(|| all("button.patient-row").len() == 1).await;
    // The merge opened the kept record already; the row opens it afresh.
    click("button.patient-row");
    settle().await;
    until(|| !all("form.patient-form").is_empty()).await;
    assert_eq!(value_of("input[name=patient-email]"), "kim@example.org");
    type_in("input[name=patient-dob]", "2031-01-01");
    submit("form.patient-form");
    until(|| !text("[data-testid=error-patient-dob]").is_empty()).await;
    assert_eq!(
        text("[data-testid=error-patient-dob]"),
        "A date of birth cannot be in the future."
    );
    let unchanged = register_of(&driver).expect("loaded");
    assert_eq!(
        unchanged.record(&first.id).and_then(|p| p.dob),
        NaiveDate::from_ymd_opt(2001, 5, 5),
        "nothing saved"
    );
    drop(page);
}

#[wasm_bindgen_test]
async fn check_in_shows_a_stale_coverage_and_the_plans_copay_due_and_a_check_makes_it_current() {
    use model::patient::coverage::{Check, CheckId, Coverage, Eligibility};
    use model::Status;
    let store = Store::open("test-view-patients-coverage")
        .await
        .expect("opens");
    let now = app::platform::local_now();
    let today = now.date();
    let mut robin = someone("4c7", "Robin Sample", (1979, 11, 30), "555 0142");
    robin.coverage = Some(Coverage {
        payer: "Acme Health".into(),
        plan: "Silver PPO".into(),
        member_id: "XJ-4471".into(),
        group: String::new(),
        subscriber: String::new(),
        copay_cents: Some(4_000),
    });
    robin.checks = vec![Check {
        id: CheckId::from("old"),
        at: now - chrono::Duration::days(45),
        by: "Avery Example".into(),
        result: Eligibility::Eligible,
        member_id: "XJ-4471".into(),
        notes: String::new(),
    }];
    practice(&store, std::slice::from_ref(&robin)).await;
    let month = DocKind::schedule_for(&SiteId::main(), today).doc_id();
    let mut booking = booking_of(&robin.name, today.and_hms_opt(23, 0, 0).expect("a time"));
    booking.patient = Some(robin.id.clone());
    let id = booked_before(&store, &month, &booking).await;
    let mut wanted = vec![DocKind::Directory.doc_id(), month.clone()];
    wanted.extend(patient_docs());
    let (driver, ctx) = started(store, &wanted, today).await;
    let page = mount(ctx, || view! { <Today /> });
    ctx.selected.set(Some(id.clone()));

    until(|| !all("[data-testid=coverage-standing]").is_empty()).await;
    click("[data-testid=detail-check-in]");
    until(|| text("[data-testid=detail-status]") == "Checked in").await;
    until(|| text("[data-testid=copay-due]") == "Co-pay 40.00: 40.00 due.").await;
    let last = (now - chrono::Duration::days(45)).format("%-d %b %Y");
    assert_eq!(
        text("[data-testid=coverage-standing]"),
        format!("Stale: last verified {last} by Avery Example. Verify it again.")
    );
    assert!(all("[data-testid=coverage-standing].coverage-stale").len() == 1);
    assert_eq!(
        text("[aria-label=Insurance] p"),
        "Acme Health · Silver PPO · member XJ-4471"
    );
    assert_eq!(
        text("[data-testid=copay-due]"),
        "Co-pay 40.00: 40.00 due.",
        "the plan's co-pay"
    );
    until(|| value_of("[data-testid=payment-amount]") == "40.00").await;
    assert_eq!(
        value_of("[data-testid=payment-amount]"),
        "40.00",
        "ready to take, whenever the register loaded"
    );

    // Verified on the phone to the insurer: current from now on.
    type_in("input[name=coverage-notes]", "Portal, ref 5521");
    click("[aria-label=Insurance] .verify button");
    until(|| text("[data-testid=coverage-standing]").starts_with("Current")).await;
    assert_eq!(
        text("[data-testid=coverage-standing]"),
        format!("Current: verified {} by Desk A.", today.format("%-d %b %Y"))
    );
    until(|| {
        register_of(&driver).and_then(|r| r.record(&robin.id).map(|p| p.checks.len())) == Some(2)
    })
    .await;
    let register = register_of(&driver).expect("loaded");
    let checks = &register.record(&robin.id).expect("there").checks;
    assert_eq!(checks[1].notes, "Portal, ref 5521");
    assert_eq!(checks[1].result, Eligibility::Eligible);
    let booked = driver
        .read(&month, Schedule::read)
        .expect("open")
        .expect("reads");
    assert_eq!(booked.appointments[0].status, Status::Arrived);
    drop(page);
}

#[wasm_bindgen_test]
async fn the_search_finds_a_patients_appointments_in_every_month_their_record_notes() {
    use model::patient::Visit;
    let store = Store::open("test-view-patients-search")
        .await
        .expect("opens");
    let sam = someone("5d1", "Sam Okafor", (1979, 11, 30), "555 0188");
    practice(&store, std::slice::from_ref(&sam)).await;
    // A visit eight months after the day in view, far outside the months around it.
    let far = NaiveDate::from_ymd_opt(2030, 9, 17).expect("a day");
    let month = DocKind::schedule_for(&SiteId::main(), far).doc_id();
    let mut booking = booking_of(&sam.name, far.and_hms_opt(14, 30, 0).expect("a time"));
    booking.patient = Some(sam.id.clone());
    let id = booked_before(&store, &month, &booking).await;
    let shard = patient::doc_of(&sam.id).doc_id();
    let (driver, ctx) = {
        // The record notes where the visit is, as the booking that made it would.
        let mut wanted = vec![DocKind::Directory.doc_id()];
        wanted.extend(patient_docs());
        started(store, &wanted, day()).await
    };
    until(|| driver.read(&shard, |_| ()).is_ok()).await;
    let visit = Visit {
        appointment: id.clone(),
        site: SiteId::main(),
        month: NaiveDate::from_ymd_opt(2030, 9, 1).expect("a day"),
    };
    driver
        .edit(&shard, |am| patient::note_visit(am, &sam.id, &visit))
        .expect("notes");
    let page = mount(ctx, || view! { <Today /> });

    type_in("[data-testid=search]", "okafor");
    until(|| !all("[data-testid=search-results] button").is_empty()).await;
    assert_eq!(
        texts("[data-testid=search-results] button"),
        ["Sam Okafor · Tue 17 Sep 14:30 · Dr. Ada Example · Booked"]
    );
    click("[data-testid=search-results] button");
    until(|| ctx.day.get_untracked() == far).await;
    assert_eq!(ctx.selected.get_untracked(), Some(id));
    drop(page);
}

#[wasm_bindgen_test]
async fn an_appointment_from_before_the_register_is_linked_to_its_patient() {
    use model::schedule;
    let store = Store::open("test-view-patients-link").await.expect("opens");
    let kim = someone("6e2", "Kim Example", (1990, 2, 14), "555 0166");
    practice(&store, std::slice::from_ref(&kim)).await;
    let month = DocKind::schedule_for(&SiteId::main(), day()).doc_id();
    // Booked before the register: the details on the appointment, no patient named.
    let mut booking = booking_of("Kim Example", day().and_hms_opt(10, 0, 0).expect("a time"));
    booking.phone = Some("555 0166".into());
    let id = booked_before(&store, &month, &booking).await;
    let mut wanted = vec![DocKind::Directory.doc_id(), month.clone()];
    wanted.extend(patient_docs());
    let (driver, ctx) = started(store, &wanted, day()).await;
    let page = mount(ctx, || view! { <Today /> });
    ctx.selected.set(Some(id.clone()));

    until(|| !all("details.link-patient").is_empty()).await;
    click("details.link-patient summary");
    // The search starts from the name on the appointment.
    until(|| all("[aria-label='Patients to link'] button").len() == 1).await;
    assert_eq!(
        text("[aria-label='Patients to link'] button"),
        "Kim Example born 14 Feb 1990 · 555 0166"
    );
    click("[aria-label='Patients to link'] button");
    until(|| {
        driver
            .read(&month, |am| {
                schedule::get(am, &id).ok().and_then(|a| a.patient)
            })
            .ok()
            .flatten()
            .is_some()
    })
    .await;
    let linked = driver
        .read(&month, |am| schedule::get(am, &id))
        .expect("open")
        .expect("there");
    assert_eq!(linked.patient, Some(kim.id.clone()));
    until(|| {
        register_of(&driver).is_some_and(|r| {
            r.record(&kim.id)
                .is_some_and(|p| p.visits.iter().any(|v| v.appointment == id))
        })
    })
    .await;
    assert!(register_of(&driver)
        .and_then(|r| r.record(&kim.id).map(|p| p.visits.len()))
        .is_some_and(|n| n == 1));
    drop(page);
}
