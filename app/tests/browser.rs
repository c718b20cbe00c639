//! Browser unit tests: the IndexedDB store in headless Chromium.
#![cfg(target_arch = "wasm32")]

use app::model::{Document, DocumentError};
use app::platform::idb::Store;
use automerge::ActorId;
use sync_server::protocol::{Bundle, BundleHash, DocId, Entry};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn doc(id: &str) -> DocId {
    DocId::new(id).expect("valid doc id")
}

/// A database of its own per test, so that tests never see each other's records.
async fn fresh(name: &str) -> Store {
    let store = Store::open(name).await.expect("opens");
    let stored = store.load_all().await.expect("loads");
    assert!(stored.is_empty(), "{name} should start empty");
    store
}

#[wasm_bindgen_test]
async fn round_trip_of_every_kind_of_record() {
    let store = fresh("test-round-trip").await;
    let month = doc("schedule/main/2026-11");
    let local = Bundle::new(vec![1, 2, 3]);
    store.save_local(&month, &local).await.expect("saves local");
    let remote = Entry {
        seq: 7,
        hash: BundleHash::of(&[4, 5]),
        data: vec![4, 5],
    };
    store
        .save_remote(&month, &[remote], 7)
        .await
        .expect("saves remote");
    store
        .set_meta("device_name", "Front desk 1")
        .await
        .expect("saves meta");

    let stored = store.load_all().await.expect("loads");
    let month_doc = &stored[&month];
    assert_eq!(month_doc.cursor, 7);
    assert_eq!(month_doc.outbox, vec![local.clone()]);
    let mut increments = month_doc.increments.clone();
    increments.sort();
    assert_eq!(increments, vec![vec![1, 2, 3], vec![4, 5]]);
    assert_eq!(month_doc.damaged, 0);
    assert_eq!(
        store.meta("device_name").await.expect("reads").as_deref(),
        Some("Front desk 1")
    );
    assert_eq!(store.meta("missing").await.expect("reads"), None);

    store.acknowledge(&month, &local.hash).await.expect("acks");
    let stored = store.load_all().await.expect("loads");
    assert!(
        stored[&month].outbox.is_empty(),
        "an acked bundle leaves the outbox"
    );
    assert_eq!(
        stored[&month].increments.len(),
        2,
        "but stays part of the document"
    );
}

#[wasm_bindgen_test]
async fn outbox_survives_closing_and_reopening() {
    let name = "test-outbox-reopen";
    let month = doc("schedule/main/2026-12");
    let bundles: Vec<Bundle> = (0..3u8).map(|n| Bundle::new(vec![n; 10])).collect();
    {
        let store = fresh(name).await;
        for bundle in &bundles {
            store.save_local(&month, bundle).await.expect("saves");
        }
        store.close();
    }
    let store = Store::open(name).await.expect("reopens");
    let stored = store.load_all().await.expect("loads");
    let mut outbox = stored[&month].outbox.clone();
    outbox.sort_by_key(|b| b.hash);
    let mut expected = bundles.clone();
    expected.sort_by_key(|b| b.hash);
    assert_eq!(outbox, expected);
}

#[wasm_bindgen_test]
async fn compaction_keeps_the_document_whole() {
    let store = fresh("test-compaction").await;
    let month = doc("schedule/main/2027-01");
    let actor = ActorId::random();
    let mut document = Document::new(&month, &actor).expect("known kind");
    for n in 0..5 {
        let (_, bundle) = document
            .change(|d| {
                let map = Document::root_map(d, "appointments")?;
                automerge::transaction::Transactable::put(d, &map, format!("k{n}"), n)
                    .map_err(|e| DocumentError::Write(e.to_string()))
            })
            .expect("edits");
        store
            .save_local(&month, &Bundle::new(bundle.expect("changed")))
            .await
            .expect("saves");
    }
    store
        .compact(&month, &document.save())
        .await
        .expect("compacts");
    let stored = store.load_all().await.expect("loads");
    let saved = &stored[&month];
    assert!(saved.increments.is_empty());
    let reloaded = Document::load(&month, &actor, saved.snapshot.as_deref(), []).expect("loads");
    assert_eq!(
        automerge::ReadDoc::keys(
            reloaded.automerge(),
            Document::root_map(reloaded.automerge(), "appointments").expect("map")
        )
        .count(),
        5
    );
}

#[wasm_bindgen_test]
async fn damaged_records_are_counted_and_can_be_discarded() {
    let store = fresh("test-damaged").await;
    let month = doc("schedule/main/2027-02");
    let good = Bundle::new(vec![9, 9]);
    store.save_local(&month, &good).await.expect("saves");
    store
        .put_raw_increment(
            &month,
            "garbage",
            wasm_bindgen::JsValue::from_str("not bytes"),
        )
        .await
        .expect("writes");
    let stored = store.load_all().await.expect("loads");
    assert_eq!(stored[&month].damaged, 1);

    store.discard_copy(&month).await.expect("discards");
    let stored = store.load_all().await.expect("loads");
    assert_eq!(stored[&month].damaged, 0);
    assert!(stored[&month].increments.is_empty());
    assert_eq!(
        stored[&month].outbox,
        vec![good],
        "edits waiting to be sent are kept"
    );
}
