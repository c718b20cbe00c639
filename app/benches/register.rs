//! The patient register at 20,000 patients in the browser: the sixteen documents loaded
//! from their saved bytes and read into the register (what a device does when the booking
//! form or the Patients page first asks for it), and type-ahead lookups as a desk types.
//! Run in headless Chromium with `make bench-register-client`; figures, not assertions
//! (the native figures are `make bench-register`).
#![cfg(target_arch = "wasm32")]

use std::hint::black_box;
use std::rc::Rc;

use automerge::ActorId;
use chrono::NaiveDate;
use model::patient::register::{Register, MATCHES};
use model::patient::{self, Patient, PatientId, SHARDS};
use model::random::Seeded;
use model::{DocKind, Document};
use wasm_bindgen_test::{wasm_bindgen_bench, wasm_bindgen_test_configure, Criterion};

#[path = "common/mod.rs"]
mod common;
use common::{pause, timed};

wasm_bindgen_test_configure!(run_in_browser);

const PATIENTS: u32 = 20_000;
const FIRST: [&str; 10] = [
    "Alex", "Sam", "Jamie", "Robin", "Kim", "Jo", "Avery", "Quinn", "Riley", "Casey",
];
const LAST: [&str; 10] = [
    "Example",
    "Sample",
    "Testcase",
    "Fixture",
    "Placeholder",
    "Specimen",
    "Trial",
    "Pilot",
    "Draft",
    "Demo",
];

/// The register's sixteen documents, saved, filled with synthetic patients.
async fn saved() -> Vec<(protocol::DocId, Vec<u8>)> {
    let mut rng = Seeded::new(2026);
    let now = NaiveDate::from_ymd_opt(2026, 12, 7)
        .and_then(|d| d.and_hms_opt(9, 0, 0))
        .expect("a time");
    let mut docs: Vec<Document> = (0..SHARDS)
        .map(|shard| {
            Document::new(&DocKind::Patients { shard }.doc_id(), &ActorId::random()).expect("kind")
        })
        .collect();
    for n in 0..PATIENTS {
        let p = Patient {
            id: PatientId::from(format!("{:08x}-bench", rng.next_u64() as u32).as_str()),
            name: format!("{} {} {n}", rng.pick(&FIRST), rng.pick(&LAST)),
            dob: NaiveDate::from_ymd_opt(
                1930 + rng.below(90) as i32,
                1 + rng.below(12),
                1 + rng.below(28),
            ),
            phone: format!("555 {:03} {:04}", rng.below(1000), rng.below(10_000)),
            ..Patient::default()
        };
        let doc = &mut docs[usize::from(patient::shard_of(&p.id))];
        doc.change(|d| patient::register(d, &p, "Desk A", now))
            .expect("registers");
        if n % 500 == 0 {
            pause().await;
        }
    }
    docs.iter_mut()
        .map(|d| (d.id().clone(), d.save()))
        .collect()
}

fn load(saved: &[(protocol::DocId, Vec<u8>)]) -> Register {
    let mut all = Vec::new();
    for (id, bytes) in saved {
        let doc = Document::load(id, &ActorId::random(), Some(bytes), []).expect("loads");
        all.extend(patient::read_all(doc.automerge()).expect("reads").0);
    }
    Register::new(all, 0)
}

#[wasm_bindgen_bench]
async fn register(c: &mut Criterion) {
    let taken = std::mem::take(c);
    *c = taken.sample_size(10);
    let saved = Rc::new(saved().await);
    let bytes: usize = saved.iter().map(|(_, b)| b.len()).sum();
    pause().await;
    let register = Rc::new(load(&saved));
    assert_eq!(register.len(), PATIENTS as usize);
    wasm_bindgen_test::console_log!(
        "register: {PATIENTS} patients, {bytes} bytes saved in {SHARDS} documents"
    );
    c.bench_async_function("register: load and read 20k patients", |b| {
        let saved = saved.clone();
        Box::pin(async move {
            b.iter_custom_future(|iters| {
                let saved = saved.clone();
                async move { timed(iters, || drop(black_box(load(&saved)))).await }
            })
            .await
        })
    })
    .await;
    for typed in ["ro", "robin tes", "1984-03-02", "555 12"] {
        c.bench_async_function(&format!("type-ahead {typed:?} in 20k"), |b| {
            let register = register.clone();
            Box::pin(async move {
                b.iter_custom_future(|iters| {
                    let register = register.clone();
                    async move {
                        timed(iters, || {
                            black_box(register.search(black_box(typed), MATCHES).len());
                        })
                        .await
                    }
                })
                .await
            })
        })
        .await;
    }
}
