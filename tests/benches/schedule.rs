//! Figures for the schedule's speed targets on a month far busier than any practice's:
//! 10,000 appointments of four providers at one site. Clashes are found again after every
//! change and sync, and the next free slot while a patient waits on the phone, so both must
//! stay well inside a frame; the month document is read whenever it is opened and written
//! on every booking. Run with `make bench-schedule`; these are figures,
//! not assertions (see ARCHITECTURE.md, Benchmarks).
//!
//! The data is synthetic and deterministic (a seeded xorshift, ids included), so that two
//! runs measure the same month.

use std::hint::black_box;
use std::time::{Duration, Instant};

use app::model::appointment::ValidBooking;
use app::model::clash::find_clashes;
use app::model::directory::{time, PALETTE};
use app::model::schedule::{self, Schedule, Who};
use app::model::slots::next_free_slot;
use app::model::{
    Appointment, AppointmentId, Directory, Document, Provider, ProviderId, Room, RoomId, Site,
    SiteId, Status, WeekHours,
};
use automerge::ActorId;
use chrono::{Datelike, NaiveDate, NaiveDateTime, TimeDelta, Weekday};
use criterion::{criterion_group, criterion_main, Criterion, SamplingMode};
use sync_server::protocol::DocId;

const APPOINTMENTS: usize = 10_000;
const PROVIDERS: usize = 4;
const ROOMS: usize = 6;
/// Appointments a single change writes while the month document is built, as a desk
/// importing a diary would.
const BATCH: usize = 500;

/// Marsaglia's xorshift64: enough spread for test data, no dependency.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// A random-looking id shaped like the UUIDs devices make, so that sorting and hashing
    /// cost what they cost on real data.
    fn uuid(&mut self) -> String {
        let (a, b) = (self.next(), self.next());
        format!(
            "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            b >> 52,
            b & 0xffff_ffff_ffff
        )
    }
}

fn at(day: NaiveDate, hour: u32, minute: u32) -> NaiveDateTime {
    day.and_time(time(hour, minute))
}

fn november(day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, day).expect("a day of November 2026")
}

/// The main site and four providers who work there in office hours, with six rooms.
fn directory(rng: &mut XorShift) -> Directory {
    let providers = (0..PROVIDERS)
        .map(|i| Provider {
            id: ProviderId::from(rng.uuid()),
            name: format!("Provider {}", i + 1),
            specialty: "General practice".into(),
            colour: PALETTE[i % PALETTE.len()].into(),
            sites: vec![SiteId::main()],
            hours: WeekHours::office(),
        })
        .collect();
    let rooms = (0..ROOMS)
        .map(|i| Room {
            id: RoomId::from(rng.uuid()),
            name: format!("Room {}", i + 1),
            site: SiteId::main(),
        })
        .collect();
    Directory {
        sites: vec![Site {
            id: SiteId::main(),
            name: "Main site".into(),
            hours: WeekHours::office(),
        }],
        providers,
        rooms,
        ..Directory::default()
    }
}

/// 10,000 appointments on the weekdays of November 2026, starting on the five-minute marks
/// from 07:00 to 18:55, so that some fall outside office hours and many overlap. Most hold
/// their slot; a few are cancelled, no-shows or on the waitlist, as in a real month.
fn appointments(rng: &mut XorShift, directory: &Directory) -> Vec<Appointment> {
    let weekdays: Vec<NaiveDate> = (1..=30)
        .map(november)
        .filter(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
        .collect();
    let statuses = [
        Status::Booked,
        Status::Booked,
        Status::Booked,
        Status::Confirmed,
        Status::Confirmed,
        Status::Arrived,
        Status::Fulfilled,
        Status::Fulfilled,
        Status::Cancelled,
        Status::NoShow,
        Status::Waitlist,
    ];
    let who = Who {
        device: "Bench desk".into(),
        staff: None,
    };
    let made = at(november(1), 9, 0);
    (0..APPOINTMENTS)
        .map(|i| {
            let day = weekdays[rng.below(weekdays.len())];
            let start = at(day, 7, 0) + TimeDelta::minutes(5 * rng.below(144) as i64);
            let provider = directory.providers[rng.below(PROVIDERS)].id.clone();
            let minutes = [10, 15, 20, 30, 45][rng.below(5)];
            let booking = ValidBooking::new(&format!("Patient {i:04}"), provider, start, minutes);
            let mut a = schedule::new_appointment(&booking, start, None, &who, made);
            a.id = AppointmentId::from(rng.uuid());
            a.status = statuses[rng.below(statuses.len())];
            // One in three has no room yet.
            a.room = (rng.below(3) != 0).then(|| directory.rooms[rng.below(ROOMS)].id.clone());
            a
        })
        .collect()
}

fn month() -> (Directory, Vec<Appointment>) {
    let mut rng = XorShift(0x5eed_0ff0_de5c);
    let directory = directory(&mut rng);
    let appointments = appointments(&mut rng, &directory);
    (directory, appointments)
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
}

fn free_slot(c: &mut Criterion) {
    let (directory, appointments) = month();
    let (provider, site) = (&directory.providers[0], &directory.sites[0]);
    // 45 minutes from the first Monday, with 60 days to search: the month is overbooked,
    // so no gap is that long and the search walks every weekday of November before it
    // finds December empty, the slowest search the interface can ask for.
    let from = at(november(2), 7, 0);
    let found = next_free_slot(&appointments, provider, site, 45, from, 60);
    eprintln!("next_free_slot_10k: 45 minutes from {from}: {found:?}");
    c.bench_function("next_free_slot_10k", |b| {
        b.iter(|| next_free_slot(black_box(&appointments), provider, site, 45, from, 60))
    });
}

fn month_document(c: &mut Criterion) {
    let (directory, appointments) = month();
    let id = DocId::new("schedule/main/2026-11").expect("a schedule document id");
    let actor = ActorId::from(*b"bench-desk-actor");
    let built = Instant::now();
    let mut doc = Document::new(&id, &actor).expect("a known kind of document");
    for batch in appointments.chunks(BATCH) {
        doc.change(|d| batch.iter().try_for_each(|a| schedule::put(d, a)))
            .expect("writes a batch");
    }
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
    group.finish();
}

criterion_group!(benches, clash_detection, free_slot, month_document);
criterion_main!(benches);
