//! Browser tests of days off: a closure in the calendar and a provider's approved time
//! off, said on the day and in the booking form before anyone books, and a booking made
//! anyway listed among the conflicts until a person keeps it.
#![cfg(target_arch = "wasm32")]

use app::platform::idb::Store;
use app::ui::conflicts::Conflicts;
use app::ui::today::Today;
use chrono::NaiveDate;
use leptos::prelude::*;
use model::closure::{put_closure, Closure, ClosureId};
use model::directory::{put_provider, put_site, put_staff, PALETTE};
use model::schedule::Schedule;
use model::staff::time_off::{decide, put_time_off, AbsenceKind, Decision, TimeOff, TimeOffId};
use model::{DocKind, Provider, ProviderId, Site, SiteId, StaffId, StaffMember, WeekHours};
use wasm_bindgen_test::*;

mod common;
use common::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A Tuesday well ahead, so that what is booked on it is still to come.
fn closed_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2030, 1, 8).expect("a valid day")
}

/// Main Street, with Dr. Ada Example, who is away on the day after the closure, and
/// Founders' Day closing the site on the Tuesday.
async fn practice(store: &Store) {
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
        let ada = StaffMember {
            id: StaffId::from("ada"),
            provider: Some(ProviderId::from("dr-a")),
            ..StaffMember::new("Dr. Ada Example", "Provider")
        };
        put_staff(am, &ada).expect("writes");
        let day_after = closed_day().succ_opt().expect("a day");
        let leave = TimeOff {
            id: TimeOffId::from("leave"),
            staff: ada.id.clone(),
            kind: AbsenceKind::Training,
            from: day_after,
            to: day_after,
            note: String::new(),
            status: Decision::Requested,
            disputed: Vec::new(),
            requested_by: ada.name.clone(),
            decided_by: String::new(),
        };
        put_time_off(am, &leave).expect("writes");
        decide(am, &leave.id, Decision::Approved, "Avery Example").expect("decides");
        let closure = Closure {
            id: ClosureId::from("founders"),
            name: "Founders' Day".into(),
            site: None,
            from: closed_day(),
            to: closed_day(),
        };
        put_closure(am, &closure).expect("writes");
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_closed_day_is_said_before_booking_and_a_booking_on_it_is_a_clash_to_keep() {
    let store = Store::open("test-view-days-off").await.expect("opens");
    practice(&store).await;
    let directory = DocKind::Directory.doc_id();
    let month = DocKind::schedule_for(&SiteId::main(), closed_day()).doc_id();
    let (driver, ctx) = started(store, &[directory, month.clone()], closed_day()).await;
    let today = mount(ctx, || view! { <Today /> });

    until(|| !all("[data-testid=day-off]").is_empty()).await;
    assert_eq!(
        texts("[data-testid=day-off] li"),
        ["Main Street is closed: Founders' Day, Tue 8 Jan"]
    );

    // The form says so before Book; with one provider at the site, they are the one meant.
    click("[data-testid=new-booking]");
    until(|| !all("form[data-testid=booking-form]").is_empty()).await;
    type_in(
        "form[data-testid=booking-form] input[name=patient_name]",
        "Alex Sample",
    );
    until(|| !text("[data-testid=booking-day-off]").is_empty()).await;
    assert_eq!(
        text("[data-testid=booking-day-off]"),
        "Main Street is closed then (Founders' Day, Tue 8 Jan). Booking then makes a clash to resolve."
    );

    // The next day the site is open, but Dr. Ada Example is away training.
    ctx.day.set(closed_day().succ_opt().expect("a day"));
    until(|| {
        texts("[data-testid=day-off] li")
            .iter()
            .any(|t| t.contains("away"))
    })
    .await;
    assert_eq!(
        texts("[data-testid=day-off] li"),
        ["Dr. Ada Example is away: training, Wed 9 Jan"]
    );

    // Booked anyway on the closed day, it is a conflict, which a person keeps.
    ctx.day.set(closed_day());
    settle().await;
    submit("form[data-testid=booking-form]");
    until(|| text("[data-testid=booking-note]").starts_with("Booked")).await;
    drop(today);
    let conflicts = mount(ctx, || view! { <Conflicts /> });
    until(|| !all("[data-testid=conflict]").is_empty()).await;
    assert_eq!(
        texts("[data-testid=conflict] .conflict-line"),
        ["Tue 8 Jan 09:00 Alex Sample: Main Street is closed (Founders' Day, Tue 8 Jan)"]
    );
    assert_eq!(text("[data-testid=conflict-keep]"), "Keep it");
    type_in(
        "[data-testid=conflict] input[name=clash_note]",
        "Founder's clinic",
    );
    submit("[data-testid=conflict] form.keep-both");
    until(|| all("[data-testid=conflict]").is_empty()).await;
    assert!(all("[data-testid=conflict]").is_empty(), "kept");
    let kept = driver
        .read(&month, Schedule::read)
        .expect("open")
        .expect("reads");
    assert_eq!(kept.appointments.len(), 1);
    assert_eq!(kept.appointments[0].accepted_clashes, ["closed"]);
    assert_eq!(
        kept.appointments[0].clash_note.as_deref(),
        Some("Founder's clinic")
    );
    drop(conflicts);
}
