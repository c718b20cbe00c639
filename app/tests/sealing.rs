//! End-to-end encryption in the browser: what a keyed device stores is sealed, what it
//! stored opens again after a restart, an entry sealed with a key it has not been given is
//! kept until the key comes, and what sealing costs here.
#![cfg(target_arch = "wasm32")]

mod common;

use app::platform::driver::{Driver, KEYRING};
use app::platform::idb::Store;
use automerge::ActorId;
use chrono::NaiveDate;
use common::{book, settle};
use model::schedule::Schedule;
use model::Document;
use protocol::{Bundle, DocId, Entry};
use sync_engine::seal::{is_sealed, Keyring, Sealer};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn month() -> DocId {
    DocId::new("schedule/main/2026-03").expect("valid")
}

/// A driver over the database `name`, with `month` in view.
async fn start(name: &str) -> Driver {
    let store = Store::open(name).await.expect("opens");
    let (driver, _) = common::started(store, &[month()], NaiveDate::default()).await;
    driver
}

fn patients(driver: &Driver) -> Vec<String> {
    let read = driver.read(&month(), Schedule::read);
    let schedule = read.expect("open").expect("reads");
    schedule
        .appointments
        .into_iter()
        .map(|a| a.patient_name)
        .collect()
}

fn holds(bytes: &[u8], text: &str) -> bool {
    bytes.windows(text.len()).any(|w| w == text.as_bytes())
}

#[wasm_bindgen_test]
async fn a_keyed_device_stores_only_sealed_bundles_and_reads_them_after_a_restart() {
    let name = "test-sealed-store";
    let keys = Keyring::generate([3; 48]);
    let store = Store::open(name).await.expect("opens");
    store
        .set_meta(KEYRING, &keys.to_text())
        .await
        .expect("stores the keys");
    store.close();
    let patient = "Tamsin Sealwright";
    {
        let driver = start(name).await;
        driver
            .edit(&month(), |am| book(am, patient))
            .expect("books");
        let store = Store::open(name).await.expect("opens");
        // The edit is stored on a later turn.
        let mut saved = None;
        for _ in 0..40 {
            saved = store.load(&month()).await.expect("reads");
            if saved.as_ref().is_some_and(|s| !s.outbox.is_empty()) {
                break;
            }
            settle().await;
        }
        let saved = saved.expect("stored");
        assert_eq!(saved.outbox.len(), 1);
        assert!(saved.outbox.iter().all(|b| is_sealed(&b.data)));
        assert!(saved.increments.iter().all(|b| is_sealed(b)));
        let everything = saved
            .outbox
            .iter()
            .map(|b| &b.data)
            .chain(&saved.increments);
        assert!(everything.clone().all(|b| !holds(b, patient)));
        store.close();
    }
    let driver = start(name).await;
    assert_eq!(patients(&driver), [patient]);
}

#[wasm_bindgen_test]
async fn an_entry_sealed_with_a_newer_key_waits_stored_until_the_key_comes() {
    let name = "test-sealed-waits";
    let old = Keyring::generate([4; 48]);
    let mut new = old.clone();
    new.rotate([5; 32]);
    // Another device, given the newer key, booked; the relay's entry is sealed with it.
    let mut other = Document::new(&month(), &ActorId::random()).expect("known kind");
    let (_, plain) = other.change(|am| book(am, "Ivo Laterkey")).expect("books");
    let sealed = Sealer::new(new.clone(), [6; 32]).seal(&month(), &plain.expect("changed"));
    let bundle = Bundle::new(sealed);
    let store = Store::open(name).await.expect("opens");
    store
        .set_meta(KEYRING, &old.to_text())
        .await
        .expect("stores");
    let entry = Entry {
        seq: 1,
        hash: bundle.hash,
        data: bundle.data,
    };
    store
        .save_remote(&month(), &[entry], 1)
        .await
        .expect("saves");
    store.close();
    {
        let driver = start(name).await;
        assert!(patients(&driver).is_empty());
        assert!(driver.waits_for_key(&month()));
        settle().await;
    }
    // The entry is still stored; with the newer keys, the next start reads it.
    let store = Store::open(name).await.expect("opens");
    let saved = store.load(&month()).await.expect("reads").expect("stored");
    assert_eq!(saved.increments.len(), 1);
    store
        .set_meta(KEYRING, &new.to_text())
        .await
        .expect("stores");
    store.close();
    let driver = start(name).await;
    assert_eq!(patients(&driver), ["Ivo Laterkey"]);
    assert!(!driver.waits_for_key(&month()));
}

/// A figure for the log, not a check: what sealing and opening one booking's bundle costs
/// in this browser (`make bench-sealing` gives the native figure).
#[wasm_bindgen_test]
fn sealing_a_booking_in_the_browser() {
    let mut doc = Document::new(&month(), &ActorId::random()).expect("known kind");
    let (_, plain) = doc.change(|am| book(am, "Test Patient")).expect("books");
    let plain = plain.expect("changed");
    let keys = Keyring::generate([7; 48]);
    let mut sealer = Sealer::new(keys.clone(), [8; 32]);
    let clock = web_sys::window()
        .expect("a window")
        .performance()
        .expect("a clock");
    const ROUNDS: u32 = 2000;
    let start = clock.now();
    let sealed: Vec<Vec<u8>> = (0..ROUNDS).map(|_| sealer.seal(&month(), &plain)).collect();
    let sealing = clock.now() - start;
    let start = clock.now();
    for bundle in &sealed {
        assert_eq!(keys.open(&month(), bundle).as_deref(), Ok(plain.as_slice()));
    }
    let opening = clock.now() - start;
    let per = |ms: f64| ms * 1000.0 / f64::from(ROUNDS);
    console_log!(
        "sealing a {}-byte booking bundle in the browser: {:.1} µs to seal, {:.1} µs to open",
        plain.len(),
        per(sealing),
        per(opening)
    );
}

/// An organisation from before encryption: a manager's device makes its keys from
/// Settings, stores them, and seals every change from then on.
#[wasm_bindgen_test]
async fn encrypting_an_organisation_from_before_seals_every_change_after_it() {
    let name = "test-sealed-from-now-on";
    let store = Store::open(name).await.expect("opens");
    let (driver, ctx) = common::started(store, &[month()], NaiveDate::default()).await;
    assert!(driver.keyring().is_none());
    let _card = common::mount(ctx, app::ui::settings::devices::NewDeviceCard);
    common::until(|| !common::all("[data-testid=encrypt-organisation] button").is_empty()).await;
    common::click("[data-testid=encrypt-organisation] button");
    common::until(|| driver.keyring().is_some()).await;
    let keys = driver.keyring().expect("made");
    common::until(|| common::all("[data-testid=encrypt-organisation]").is_empty()).await;
    let store = Store::open(name).await.expect("opens");
    let stored = store.meta(KEYRING).await.expect("reads").expect("stored");
    assert_eq!(Keyring::parse(&stored), Ok(keys));

    driver
        .edit(&month(), |am| book(am, "Una Fromnow"))
        .expect("books");
    let mut outbox = Vec::new();
    for _ in 0..40 {
        outbox = store
            .load(&month())
            .await
            .expect("reads")
            .map(|s| s.outbox)
            .unwrap_or_default();
        if !outbox.is_empty() {
            break;
        }
        settle().await;
    }
    assert_eq!(outbox.len(), 1);
    assert!(is_sealed(&outbox[0].data));
}
