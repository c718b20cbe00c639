//! Browser unit tests: the IndexedDB store, and the driver's loading of documents from
//! it, in headless Chromium.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::future::Future;
use std::pin::pin;
use std::rc::Rc;
use std::task::Poll;

use app::platform::driver::{Driver, Notice};
use app::platform::idb::Store;
use automerge::ActorId;
use model::document::maps;
use model::schedule::Schedule;
use model::{DocKind, Document, DocumentError};
use protocol::{Bundle, BundleHash, DocId, Entry};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

mod common;

use common::book;

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
                let map = Document::root_map(d, maps::APPOINTMENTS)?;
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
            Document::root_map(reloaded.automerge(), maps::APPOINTMENTS).expect("map")
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

/// A bundle that books `patient` in `month`, made on another device from genesis, so that
/// it merges into any copy of the month.
fn booking(month: &DocId, patient: &str) -> Bundle {
    let mut document = Document::new(month, &ActorId::random()).expect("known kind");
    let (_, bytes) = document.change(|am| book(am, patient)).expect("books");
    Bundle::new(bytes.expect("changed"))
}

/// Stores `bundle` as if it had come from the relay, so that it waits in no outbox.
async fn save_as_remote(store: &Store, month: &DocId, bundle: &Bundle) {
    let entry = Entry {
        seq: 1,
        hash: bundle.hash,
        data: bundle.data.clone(),
    };
    store
        .save_remote(month, &[entry], 1)
        .await
        .expect("saves remote");
}

/// What the driver told the interface, and a way to wait for the next of it.
#[derive(Default)]
struct Heard {
    notices: RefCell<Vec<Notice>>,
    wakers: RefCell<Vec<js_sys::Function>>,
}

impl Heard {
    fn notify(self: &Rc<Self>) -> Rc<dyn Fn(Notice)> {
        let heard = self.clone();
        Rc::new(move |notice| {
            heard.notices.borrow_mut().push(notice);
            let wakers: Vec<_> = heard.wakers.borrow_mut().drain(..).collect();
            for wake in wakers {
                wake.call0(&JsValue::NULL).expect("resolves");
            }
        })
    }

    fn changes_of(&self, doc: &DocId) -> usize {
        let notices = self.notices.borrow();
        notices
            .iter()
            .filter(|n| matches!(n, Notice::Changed(d) if d == doc))
            .count()
    }

    fn problems(&self) -> Vec<String> {
        let notices = self.notices.borrow();
        notices
            .iter()
            .filter_map(|n| match n {
                Notice::Problem(p) => Some(p.clone()),
                _ => None,
            })
            .collect()
    }

    /// Waits until the driver has said that `doc` changed.
    async fn until_changed(&self, doc: &DocId) {
        while self.changes_of(doc) == 0 {
            let next = js_sys::Promise::new(&mut |resolve, _| {
                self.wakers.borrow_mut().push(resolve);
            });
            JsFuture::from(next).await.expect("resolves");
        }
    }
}

/// A driver over `store` with only the directory in view, and what it says.
async fn start(store: Store) -> (Driver, Rc<Heard>) {
    let heard = Rc::new(Heard::default());
    let driver = Driver::start(
        Rc::new(store),
        "desk_a".to_string(),
        ActorId::random(),
        "no-relay-in-tests".to_string(),
        &[DocKind::Directory.doc_id()],
        heard.notify(),
    )
    .await
    .expect("starts");
    (driver, heard)
}

/// The patients booked in `month`, as a view reads them.
fn patients(driver: &Driver, month: &DocId) -> Result<Vec<String>, DocumentError> {
    let schedule = driver.read(month, Schedule::read)??;
    Ok(schedule
        .appointments
        .into_iter()
        .map(|a| a.patient_name)
        .collect())
}

/// Runs two futures at once, as two views asking for the same month would.
async fn both<A: Future, B: Future>(a: A, b: B) -> (A::Output, B::Output) {
    let (mut a, mut b) = (pin!(a), pin!(b));
    let (mut done_a, mut done_b) = (None, None);
    std::future::poll_fn(|cx| {
        if done_a.is_none() {
            if let Poll::Ready(out) = a.as_mut().poll(cx) {
                done_a = Some(out);
            }
        }
        if done_b.is_none() {
            if let Poll::Ready(out) = b.as_mut().poll(cx) {
                done_b = Some(out);
            }
        }
        match (done_a.take(), done_b.take()) {
            (Some(a), Some(b)) => Poll::Ready((a, b)),
            (a, b) => {
                (done_a, done_b) = (a, b);
                Poll::Pending
            }
        }
    })
    .await
}

#[wasm_bindgen_test]
async fn one_document_is_loaded_without_the_others() {
    let store = fresh("test-load-one").await;
    let waiting = doc("schedule/main/2026-11");
    // Its id is a prefix of the one above: the key range must still tell them apart.
    let prefix = doc("schedule/main/2026-1");
    let remote = doc("schedule/main/2026-10");
    let compacted = doc("schedule/main/2026-09");
    let local = Bundle::new(vec![1, 1]);
    store.save_local(&waiting, &local).await.expect("saves");
    let other = Bundle::new(vec![2, 2]);
    store.save_local(&prefix, &other).await.expect("saves");
    let entry = Bundle::new(vec![3, 3]);
    save_as_remote(&store, &remote, &entry).await;
    let acked = Bundle::new(vec![4, 4]);
    store.save_local(&compacted, &acked).await.expect("saves");
    store
        .acknowledge(&compacted, &acked.hash)
        .await
        .expect("acks");
    store.compact(&compacted, &[5, 5]).await.expect("compacts");

    let loaded = store.load(&waiting).await.expect("loads").expect("stored");
    assert_eq!(loaded.outbox, vec![local.clone()]);
    assert_eq!(loaded.increments, vec![local.data.clone()]);
    assert_eq!(
        (loaded.snapshot, loaded.cursor, loaded.damaged),
        (None, 0, 0)
    );

    let loaded = store.load(&remote).await.expect("loads").expect("stored");
    assert!(loaded.outbox.is_empty());
    assert_eq!(loaded.increments, vec![entry.data.clone()]);
    assert_eq!(loaded.cursor, 1);

    let loaded = store
        .load(&compacted)
        .await
        .expect("loads")
        .expect("stored");
    assert_eq!(loaded.snapshot, Some(vec![5, 5]));
    assert!(loaded.increments.is_empty() && loaded.outbox.is_empty());

    let unknown = doc("schedule/main/2030-01");
    assert!(store.load(&unknown).await.expect("loads").is_none());

    assert_eq!(
        store.docs_with_outbox().await.expect("lists"),
        vec![prefix, waiting],
        "only documents with edits the relay has not acknowledged"
    );
}

#[wasm_bindgen_test]
async fn damaged_records_of_one_document_are_counted_when_it_loads() {
    let store = fresh("test-load-damaged").await;
    let month = doc("schedule/main/2027-03");
    store
        .put_raw_increment(&month, "garbage", JsValue::from_str("not bytes"))
        .await
        .expect("writes");
    let loaded = store.load(&month).await.expect("loads").expect("stored");
    assert_eq!(
        loaded.damaged, 1,
        "a damaged record alone still counts as stored"
    );
}

#[wasm_bindgen_test]
async fn a_driver_opens_what_is_in_view_and_what_waits_to_be_sent() {
    let store = fresh("test-driver-start").await;
    let waiting = doc("schedule/main/2026-03");
    let stored = doc("schedule/main/2026-04");
    store
        .save_local(&waiting, &booking(&waiting, "Ada Lovelace"))
        .await
        .expect("saves");
    save_as_remote(&store, &stored, &booking(&stored, "Bea Brown")).await;

    let (driver, heard) = start(store).await;
    assert!(driver.is_open(&DocKind::Directory.doc_id()));
    assert!(driver.is_open(&waiting), "its edit is sent without a visit");
    assert!(!driver.is_open(&stored), "nobody looked at it yet");
    assert_eq!(patients(&driver, &waiting).expect("open"), ["Ada Lovelace"]);

    assert!(matches!(
        patients(&driver, &stored),
        Err(DocumentError::Loading)
    ));
    driver.load(&stored).await.expect("loads");
    assert!(driver.is_open(&stored));
    assert_eq!(patients(&driver, &stored).expect("open"), ["Bea Brown"]);
    assert!(heard.changes_of(&stored) >= 1, "views hear to read again");
}

#[wasm_bindgen_test]
async fn reading_a_month_not_loaded_loads_it_and_edits_wait_for_it() {
    let store = fresh("test-driver-read").await;
    let month = doc("schedule/main/2026-05");
    save_as_remote(&store, &month, &booking(&month, "Cy Young")).await;
    let (driver, heard) = start(store).await;

    assert!(matches!(
        patients(&driver, &month),
        Err(DocumentError::Loading)
    ));
    let edit = driver.edit(&month, |am| book(am, "Never Written"));
    assert!(
        matches!(edit, Err(DocumentError::Loading)),
        "no edit lands on an empty copy over stored data"
    );
    assert!(matches!(
        patients(&driver, &month),
        Err(DocumentError::Loading)
    ));

    heard.until_changed(&month).await;
    assert_eq!(patients(&driver, &month).expect("open"), ["Cy Young"]);
    assert_eq!(heard.changes_of(&month), 1, "one load for three requests");
}

#[wasm_bindgen_test]
async fn two_loads_at_once_open_one_copy_and_edits_can_wait_for_a_load() {
    let store = fresh("test-driver-twice").await;
    let month = doc("schedule/main/2026-06");
    let later = doc("schedule/main/2026-07");
    save_as_remote(&store, &month, &booking(&month, "Dee Dee")).await;
    save_as_remote(&store, &later, &booking(&later, "Eve Early")).await;
    let (driver, heard) = start(store).await;

    let (first, second) = both(driver.load(&month), driver.load(&month)).await;
    assert!(first.is_ok() && second.is_ok(), "{first:?} {second:?}");
    assert_eq!(
        heard.changes_of(&month),
        1,
        "the second load opened nothing"
    );
    assert_eq!(patients(&driver, &month).expect("open"), ["Dee Dee"]);

    driver
        .edit_loaded(&later, |am| book(am, "Fay Fine"))
        .await
        .expect("edits once loaded");
    let mut names = patients(&driver, &later).expect("open");
    names.sort();
    assert_eq!(
        names,
        ["Eve Early", "Fay Fine"],
        "the stored booking is kept"
    );
}

#[wasm_bindgen_test]
async fn a_damaged_month_loads_fresh_and_the_others_still_load() {
    let store = fresh("test-driver-damaged").await;
    let damaged = doc("schedule/main/2026-08");
    let waiting = doc("schedule/main/2026-09");
    let fine = doc("schedule/main/2026-10");
    save_as_remote(&store, &damaged, &booking(&damaged, "Gus Gone")).await;
    let garbage = JsValue::from_str("not bytes");
    store
        .put_raw_increment(&damaged, "garbage", garbage.clone())
        .await
        .expect("writes");
    save_as_remote(&store, &waiting, &booking(&waiting, "Hal Held")).await;
    store
        .put_raw_increment(&waiting, "garbage", garbage)
        .await
        .expect("writes");
    let typed = booking(&waiting, "Ida Typed");
    store.save_local(&waiting, &typed).await.expect("saves");
    save_as_remote(&store, &fine, &booking(&fine, "Jo Fine")).await;
    let (driver, heard) = start(store).await;

    // Opened at start for its waiting edit: a fresh copy that keeps what was typed.
    assert_eq!(patients(&driver, &waiting).expect("open"), ["Ida Typed"]);
    driver.load(&damaged).await.expect("loads");
    assert!(
        patients(&driver, &damaged).expect("open").is_empty(),
        "a fresh copy, to be fetched again from the relay"
    );
    for month in [&damaged, &waiting] {
        assert!(
            heard
                .problems()
                .iter()
                .any(|p| p.contains(month.as_str()) && p.contains("damaged")),
            "{month} is reported: {:?}",
            heard.problems()
        );
    }
    driver.load(&fine).await.expect("loads");
    assert_eq!(patients(&driver, &fine).expect("open"), ["Jo Fine"]);
}
