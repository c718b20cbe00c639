//! Figures for the patient register at 20,000 patients, spread over its sixteen documents:
//! the bytes a patient costs, loading and reading the whole register (what a device does
//! when the booking form or the Patients page first asks), a type-ahead lookup as a desk
//! types (by name, by date of birth, by phone digits), and finding the possible
//! duplicates. Run with `make bench-register`; figures, not assertions (see
//! ARCHITECTURE.md, Benchmarks).

use std::hint::black_box;
use std::time::Instant;

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion};
use model::patient::register::{Register, MATCHES};
use model::patient::{self, Patient, PatientId, SHARDS};
use model::random::Seeded;
use model::{DocKind, Document};
use tests::{at, bench_actor};

const PATIENTS: usize = 20_000;
const FIRST: [&str; 20] = [
    "Alex", "Sam", "Jamie", "Robin", "Kim", "Jo", "Avery", "Quinn", "Riley", "Casey", "Morgan",
    "Drew", "Taylor", "Jordan", "Emery", "Rowan", "Sage", "Parker", "Reese", "Blake",
];
const LAST: [&str; 20] = [
    "Example",
    "Sample",
    "Testcase",
    "Fixture",
    "Placeholder",
    "Mockley",
    "Specimen",
    "Dummy",
    "Trial",
    "Pilot",
    "Draft",
    "Model",
    "Proto",
    "Mockup",
    "Instance",
    "Demo",
    "Stub",
    "Variant",
    "Replica",
    "Facsimile",
];

/// The register's sixteen documents' snapshots, filled with synthetic patients.
fn snapshots() -> Vec<(protocol::DocId, Vec<u8>)> {
    let mut rng = Seeded::new(2026);
    let mut docs: Vec<Document> = (0..SHARDS)
        .map(|shard| {
            Document::new(&DocKind::Patients { shard }.doc_id(), &bench_actor()).expect("kind")
        })
        .collect();
    let mut by_doc: Vec<Vec<Patient>> = vec![Vec::new(); usize::from(SHARDS)];
    for n in 0..PATIENTS {
        let p = Patient {
            id: PatientId::random(),
            name: format!("{} {} {n}", rng.pick(&FIRST), rng.pick(&LAST)),
            dob: NaiveDate::from_ymd_opt(
                1930 + rng.below(90) as i32,
                1 + rng.below(12),
                1 + rng.below(28),
            ),
            phone: format!("555 {:03} {:04}", rng.below(1000), rng.below(10_000)),
            email: format!("patient{n}@example.org"),
            address: format!("{} Example Street", 1 + rng.below(300)),
            ..Patient::default()
        };
        by_doc[usize::from(patient::shard_of(&p.id))].push(p);
    }
    let now = at(NaiveDate::from_ymd_opt(2026, 12, 7).expect("a day"), 9, 0);
    for (doc, list) in docs.iter_mut().zip(&by_doc) {
        // A desk registers one patient a change.
        for p in list {
            doc.change(|d| patient::register(d, p, "Desk A", now))
                .expect("registers");
        }
    }
    docs.iter_mut()
        .map(|d| (d.id().clone(), d.save()))
        .collect()
}

fn load(snapshots: &[(protocol::DocId, Vec<u8>)]) -> Register {
    let mut all = Vec::new();
    let mut unreadable = 0;
    for (id, bytes) in snapshots {
        let doc = Document::load(id, &bench_actor(), Some(bytes), []).expect("loads");
        let (list, bad) = patient::read_all(doc.automerge()).expect("reads");
        all.extend(list);
        unreadable += bad;
    }
    Register::new(all, unreadable)
}

fn register(c: &mut Criterion) {
    let started = Instant::now();
    let snapshots = snapshots();
    let bytes: usize = snapshots.iter().map(|(_, b)| b.len()).sum();
    let largest = snapshots.iter().map(|(_, b)| b.len()).max().unwrap_or(0);
    eprintln!(
        "register: {PATIENTS} patients in {SHARDS} documents, generated in {:.1?}: {bytes} bytes \
         saved ({} bytes a patient), the largest document {largest} bytes",
        started.elapsed(),
        bytes / PATIENTS
    );
    let register = load(&snapshots);
    assert_eq!(register.len(), PATIENTS);

    let mut group = c.benchmark_group("register");
    group.sample_size(10);
    group.bench_function("load and read 20k patients", |b| {
        b.iter(|| black_box(load(&snapshots)))
    });
    group.finish();

    let mut group = c.benchmark_group("type-ahead");
    for typed in ["ro", "robin tes", "1984-03-02", "555 12"] {
        group.bench_function(typed, |b| {
            b.iter(|| black_box(register.search(black_box(typed), MATCHES).len()))
        });
    }
    group.finish();
    c.bench_function("duplicates of 20k", |b| {
        b.iter(|| black_box(register.duplicates().len()))
    });
}

criterion_group!(benches, register);
criterion_main!(benches);
