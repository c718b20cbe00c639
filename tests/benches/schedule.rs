//! Figures for the schedule's speed targets on a month far busier than any practice's:
//! 10,000 appointments of four providers at one site. Clashes are found again after every
//! change and sync, and the next free slot while a patient waits on the phone, so both must
//! stay well inside a frame; the month document is read whenever it is opened and written
//! on every booking. Run with `make bench-schedule`; these are figures,
//! not assertions (see ARCHITECTURE.md, Benchmarks).
//!
//! The data is synthetic and deterministic (`tests::month`, one seeded generator, ids
//! included), so that two runs measure the same month; the browser benchmark
//! (`make bench-client`) loads a month from the same generator.

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion, SamplingMode};
use model::appointment::ValidBooking;
use model::away::DaysOff;
use model::clash::find_clashes;
use model::closure::{Closure, ClosureId};
use model::month::MonthView;
use model::schedule::{self, Schedule, Who};
use model::slots::next_free_slot;
use model::staff::time_off::{AbsenceKind, Decision, TimeOff, TimeOffId};
use model::{Appointment, Directory, Document, SiteId, StaffMember, WeekHours};
use protocol::DocId;
use tests::{at, bench_actor, weekdays_of_month, APPOINTMENTS};

fn november(day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, day).expect("a day of November 2026")
}

/// 10,000 appointments on the weekdays of November 2026 (`tests::month`), for four
/// providers who work office hours.
fn month() -> (Directory, Vec<Appointment>) {
    tests::month(
        WeekHours::office(),
        &weekdays_of_month(november(1)),
        APPOINTMENTS,
    )
}

fn clash_detection(c: &mut Criterion) {
    let (directory, appointments) = month();
    let site = SiteId::main();
    let found = find_clashes(&appointments, &directory, &site);
    eprintln!(
        "clash_detection_10k: {} appointments, {} clashes",
        appointments.len(),
        found.len()
    );
    c.bench_function("clash_detection_10k", |b| {
        b.iter(|| find_clashes(black_box(&appointments), &directory, &site))
    });
    // The same month with days off: a holiday, and a week of leave for each provider.
    let away = with_days_off(directory);
    let found = find_clashes(&appointments, &away, &site);
    eprintln!(
        "clash_detection_10k_days_off: {} appointments, {} clashes",
        appointments.len(),
        found.len()
    );
    c.bench_function("clash_detection_10k_days_off", |b| {
        b.iter(|| find_clashes(black_box(&appointments), &away, &site))
    });
}

/// `directory` with a public holiday on 26 November and, for each provider, a staff
/// record with a week of approved vacation (a different week each).
fn with_days_off(mut directory: Directory) -> Directory {
    directory.closures.push(Closure {
        id: ClosureId::from("thanksgiving"),
        name: "Thanksgiving".into(),
        site: None,
        from: november(26),
        to: november(26),
    });
    for (week, provider) in (0u32..).zip(directory.providers.clone()) {
        let person = StaffMember {
            provider: Some(provider.id.clone()),
            ..StaffMember::new(&provider.name, "Provider")
        };
        directory.time_off.push(TimeOff {
            id: TimeOffId::from(format!("leave-{week}")),
            staff: person.id.clone(),
            kind: AbsenceKind::Vacation,
            from: november(2 + 7 * week),
            to: november(6 + 7 * week),
            note: String::new(),
            status: Decision::Approved,
            disputed: Vec::new(),
            requested_by: provider.name.clone(),
            decided_by: "Manager".into(),
        });
        directory.staff.push(person);
    }
    directory
}

fn free_slot(c: &mut Criterion) {
    let (directory, appointments) = month();
    let (provider, site) = (&directory.providers[0], &directory.sites[0]);
    // 45 minutes from the first Monday, with 60 days to search: the month is overbooked,
    // so no gap is that long and the search walks every weekday of November before it
    // finds December empty, the slowest search the interface can ask for.
    let from = at(november(2), 7, 0);
    let off = DaysOff::of(&directory, &provider.id, &site.id);
    let found = next_free_slot(&appointments, provider, site, &off, 45, from, 60);
    eprintln!("next_free_slot_10k: 45 minutes from {from}: {found:?}");
    c.bench_function("next_free_slot_10k", |b| {
        b.iter(|| next_free_slot(black_box(&appointments), provider, site, &off, 45, from, 60))
    });
}

fn month_document(c: &mut Criterion) {
    let (directory, appointments) = month();
    let id = DocId::new("schedule/main/2026-11").expect("a schedule document id");
    let actor = bench_actor();
    let built = Instant::now();
    let mut doc = tests::month_document(&id, &appointments);
    let bytes = doc.save();
    eprintln!(
        "month_document_10k: built in {:.1?}, saved {} KiB",
        built.elapsed(),
        bytes.len() / 1024
    );
    let load = || Document::load(&id, &actor, Some(&bytes), std::iter::empty()).expect("loads");

    let mut group = c.benchmark_group("month_document_10k");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(12));
    // Reading alone as well, to tell Automerge's load from hydrating the records.
    let loaded = load();
    group.bench_function("read", |b| {
        b.iter(|| Schedule::read(black_box(loaded.automerge())).expect("reads"))
    });
    group.bench_function("read_one_day", |b| {
        b.iter(|| Schedule::read_day(black_box(loaded.automerge()), november(24)).expect("reads"))
    });
    group.bench_function("load_and_read", |b| {
        b.iter(|| {
            let doc = load();
            Schedule::read(doc.automerge()).expect("reads")
        })
    });

    let booking = ValidBooking::new(
        "Patient 9999",
        directory.providers[1].id.clone(),
        at(november(24), 10, 0),
        20,
    );
    let who = Who {
        device: "Bench desk".into(),
        staff: None,
    };
    let now = at(november(20), 9, 0);
    group.measurement_time(Duration::from_secs(4));
    group.bench_function("book_one_into_10k", |b| {
        // Each sample books into a freshly loaded copy, so the document stays at about
        // 10,000 appointments; loading is not timed.
        b.iter_custom(|iters| {
            let mut doc = load();
            let started = Instant::now();
            for _ in 0..iters {
                let booked = doc.change(|d| schedule::book(d, &booking, &who, now));
                black_box(booked.expect("books").1);
            }
            started.elapsed()
        })
    });
    // What a desk pays after each booking: the month view reads only what changed.
    group.bench_function("book_and_refresh_view_10k", |b| {
        b.iter_custom(|iters| {
            let mut doc = load();
            let mut view = MonthView::new(&mut doc).expect("reads");
            let started = Instant::now();
            for _ in 0..iters {
                doc.change(|d| schedule::book(d, &booking, &who, now))
                    .expect("books");
                black_box(view.refresh(&mut doc).expect("refreshes"));
            }
            started.elapsed()
        })
    });
    group.finish();
}

criterion_group!(benches, clash_detection, free_slot, month_document);
criterion_main!(benches);
