//! Figures for end-to-end encryption: what sealing and opening a bundle costs on the device
//! (XChaCha20-Poly1305, `sync_engine::seal`), for one booking's bundle as a desk makes it
//! and for a 64 KiB bundle (a large import's); and what wrapping the organisation's keys for
//! one device, and opening them there, cost (`seal::wrap`, X25519 + HKDF + the AEAD). Run with `make bench-sealing`; figures, not
//! assertions (see ARCHITECTURE.md, Benchmarks).

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use model::appointment::ValidBooking;
use model::schedule::{self, Who};
use model::{Document, ProviderId};
use protocol::DocId;
use sync_engine::seal::wrap::DeviceKey;
use sync_engine::seal::{Keyring, Sealer, OVERHEAD};
use tests::{at, bench_actor};

/// One booking's bundle, as a desk's edit makes it.
fn booking_bundle(id: &DocId) -> Vec<u8> {
    let mut doc = Document::new(id, &bench_actor()).expect("known kind");
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).expect("a day");
    let booking = ValidBooking::new("Test Patient", ProviderId::from("dr-a"), at(day, 9, 0), 20);
    let who = Who {
        device: "Front desk 1".into(),
        staff: None,
    };
    let (_, bundle) = doc
        .change(|am| schedule::book(am, &booking, &who, at(day, 8, 0)))
        .expect("books");
    bundle.expect("a change")
}

fn sealing(c: &mut Criterion) {
    let id = DocId::new("schedule/main/2026-11").expect("valid");
    let keys = Keyring::generate([7; 48]);
    let mut sealer = Sealer::new(keys.clone(), [9; 32]);
    let booking = booking_bundle(&id);
    let large = vec![0x5a_u8; 64 * 1024];
    eprintln!(
        "sealing: a booking's bundle is {} bytes plain, {} sealed (+{OVERHEAD})",
        booking.len(),
        booking.len() + OVERHEAD
    );
    let mut group = c.benchmark_group("seal");
    for (name, plain) in [("booking", &booking), ("64 KiB", &large)] {
        group.throughput(Throughput::Bytes(plain.len() as u64));
        group.bench_function(format!("seal {name}"), |b| {
            b.iter(|| black_box(sealer.seal(&id, black_box(plain))))
        });
        let sealed = sealer.seal(&id, plain);
        group.bench_function(format!("open {name}"), |b| {
            b.iter(|| black_box(keys.open(&id, black_box(&sealed)).expect("opens")))
        });
    }
    group.finish();
}

fn wrapping(c: &mut Criterion) {
    let mut keys = Keyring::generate([7; 48]);
    keys.rotate([8; 32]);
    let device = DeviceKey::from_random([3; 32]);
    let blob = keys.wrap_for(&device.public(), [5; 56]);
    eprintln!(
        "wrapping: two epochs of keys wrapped for one device are {} bytes",
        blob.len()
    );
    let mut group = c.benchmark_group("wrap");
    group.bench_function("wrap for a device", |b| {
        b.iter(|| black_box(keys.wrap_for(black_box(&device.public()), [5; 56])))
    });
    group.bench_function("unwrap on the device", |b| {
        b.iter(|| black_box(device.unwrap(2, black_box(&blob)).expect("opens")))
    });
    group.finish();
}

criterion_group!(benches, sealing, wrapping);
criterion_main!(benches);
