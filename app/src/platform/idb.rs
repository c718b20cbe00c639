//! The device's storage in IndexedDB: per document a snapshot, the bundles since, the
//! outbox of bundles the relay has not acknowledged, and the relay cursor; plus a few
//! settings of this device.
//!
//! Every user action is one transaction, so an edit is either wholly stored (its bundle in
//! both the increments and the outbox) or not at all.

use std::collections::{BTreeMap, BTreeSet};

use indexed_db_futures::database::{Database, ObjectStoreName};
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::{Transaction, TransactionMode};
use indexed_db_futures::KeyRange;
use js_sys::{Array, Uint8Array};
use protocol::{Bundle, BundleHash, DocId, Entry};
use wasm_bindgen::{JsCast, JsValue};

const VERSION: u8 = 1;
const SNAPSHOTS: &str = "snapshots";
const INCREMENTS: &str = "increments";
const OUTBOX: &str = "outbox";
const CURSORS: &str = "cursors";
const META: &str = "meta";
/// The setting a wiped device keeps: when and why it was wiped.
pub const WIPED: &str = "wiped";
/// The stores that hold documents, as opposed to settings.
const DOC_STORES: [&str; 4] = [SNAPSHOTS, INCREMENTS, OUTBOX, CURSORS];

/// Why storage failed. The text is for a person; it never holds document contents.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{0}")]
pub struct StoreError(String);

impl StoreError {
    /// A refusal of the driver's own, in words.
    pub fn from_text(text: &str) -> Self {
        Self(text.to_string())
    }
}

impl From<indexed_db_futures::error::Error> for StoreError {
    fn from(e: indexed_db_futures::error::Error) -> Self {
        Self(format!("browser storage failed: {e}"))
    }
}

impl From<indexed_db_futures::error::OpenDbError> for StoreError {
    fn from(e: indexed_db_futures::error::OpenDbError) -> Self {
        Self(format!("browser storage could not be opened: {e}"))
    }
}

/// What storage holds for one document.
#[derive(Default, Debug)]
pub struct StoredDoc {
    pub snapshot: Option<Vec<u8>>,
    pub increments: Vec<Vec<u8>>,
    pub outbox: Vec<Bundle>,
    pub cursor: u64,
    /// Records that were not bytes where bytes belong (a damaged database).
    pub damaged: usize,
}

impl StoredDoc {
    /// Files one record read from `store`. A value of the wrong shape is counted, not
    /// fatal: the driver then drops this document's copy and fetches it again.
    fn file(&mut self, store: &str, value: &JsValue) {
        let read = match store {
            SNAPSHOTS => to_bytes(value).map(|b| self.snapshot = Some(b)),
            INCREMENTS => to_bytes(value).map(|b| self.increments.push(b)),
            OUTBOX => to_bytes(value).map(|b| self.outbox.push(Bundle::new(b))),
            _ => value
                .as_f64()
                .filter(|c| *c >= 0.0 && c.fract() == 0.0)
                .map(|c| self.cursor = c as u64),
        };
        if read.is_none() {
            self.damaged += 1;
        }
    }
}

/// The open database.
pub struct Store {
    db: Database,
}

fn key(doc: &DocId, hash: &BundleHash) -> JsValue {
    Array::of2(
        &JsValue::from_str(doc.as_str()),
        &JsValue::from_str(&hash.to_hex()),
    )
    .into()
}

/// All `[doc, …]` keys of one document: arrays sort after strings' prefixes, and `[]`
/// sorts after every string, so `[doc]..[doc, []]` covers exactly that document.
fn doc_range(doc: &DocId) -> KeyRange<JsValue> {
    let lower: JsValue = Array::of1(&JsValue::from_str(doc.as_str())).into();
    let upper: JsValue = Array::of2(&JsValue::from_str(doc.as_str()), &Array::new()).into();
    KeyRange::Bound(lower, false, upper, false)
}

fn bytes(value: &[u8]) -> JsValue {
    Uint8Array::from(value).into()
}

fn to_bytes(value: &JsValue) -> Option<Vec<u8>> {
    value.dyn_ref::<Uint8Array>().map(Uint8Array::to_vec)
}

fn doc_of_key(key: &JsValue) -> Option<DocId> {
    let first = key.dyn_ref::<Array>()?.get(0).as_string()?;
    DocId::new(first).ok()
}

impl Store {
    /// Opens (and on first use creates) the database `name`.
    pub async fn open(name: &str) -> Result<Self, StoreError> {
        let db = Database::open(name)
            .with_version(VERSION)
            .with_on_upgrade_needed(|event, db| {
                if event.old_version() < 1.0 {
                    for store in [SNAPSHOTS, INCREMENTS, OUTBOX, CURSORS, META] {
                        db.create_object_store(store).build()?;
                    }
                }
                Ok(())
            })
            .await?;
        Ok(Self { db })
    }

    /// A read-write transaction over `stores`; it commits only when told to.
    fn writing<S: ObjectStoreName>(&self, stores: S) -> Result<Transaction<'_>, StoreError> {
        Ok(self
            .db
            .transaction(stores)
            .with_mode(TransactionMode::Readwrite)
            .build()?)
    }

    pub fn close(self) {
        self.db.close();
    }

    /// Reads a setting of this device.
    pub async fn meta(&self, name: &str) -> Result<Option<String>, StoreError> {
        let tx = self.db.transaction(META).build()?;
        let store = tx.object_store(META)?;
        let value: Option<JsValue> = store.get(name).primitive()?.await?;
        Ok(value.and_then(|v| v.as_string()))
    }

    pub async fn set_meta(&self, name: &str, value: &str) -> Result<(), StoreError> {
        let tx = self.writing(META)?;
        tx.object_store(META)?
            .put(value)
            .with_key(name)
            .primitive()?;
        tx.commit().await?;
        Ok(())
    }

    /// Deletes everything this device holds (documents, edits not yet sent, cursors and
    /// every setting: token, keys, name), in one transaction, and leaves only `note` under
    /// [`WIPED`], so that the next start can say why.
    pub async fn wipe(&self, note: &str) -> Result<(), StoreError> {
        let tx = self.writing([SNAPSHOTS, INCREMENTS, OUTBOX, CURSORS, META])?;
        for store in [SNAPSHOTS, INCREMENTS, OUTBOX, CURSORS, META] {
            tx.object_store(store)?.clear()?;
        }
        tx.object_store(META)?
            .put(note)
            .with_key(WIPED)
            .primitive()?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn delete_meta(&self, name: &str) -> Result<(), StoreError> {
        let tx = self.writing(META)?;
        tx.object_store(META)?
            .delete::<JsValue, _>(KeyRange::Only(JsValue::from_str(name)))
            .primitive()?;
        tx.commit().await?;
        Ok(())
    }

    /// Everything stored, per document: for looking at the whole database, as tests do. The
    /// driver reads one document at a time ([`Store::load`]).
    pub async fn load_all(&self) -> Result<BTreeMap<DocId, StoredDoc>, StoreError> {
        let tx = self.db.transaction(DOC_STORES).build()?;
        let mut docs: BTreeMap<DocId, StoredDoc> = BTreeMap::new();
        for name in DOC_STORES {
            let store = tx.object_store(name)?;
            let keys: Vec<JsValue> = store
                .get_all_keys()
                .primitive()?
                .await?
                .collect::<Result<_, _>>()?;
            let values: Vec<JsValue> = store
                .get_all()
                .primitive()?
                .await?
                .collect::<Result<_, _>>()?;
            for (key, value) in keys.iter().zip(values) {
                // Snapshots and cursors are keyed by the document id, the rest by [doc, hash].
                let doc = match name {
                    SNAPSHOTS | CURSORS => key.as_string().and_then(|s| DocId::new(s).ok()),
                    _ => doc_of_key(key),
                };
                let Some(doc) = doc else { continue };
                docs.entry(doc).or_default().file(name, &value);
            }
        }
        Ok(docs)
    }

    /// What is stored for one document, reading only its own records, so that opening a
    /// month costs the same however many months the device holds. `None` when nothing at
    /// all is stored for it.
    pub async fn load(&self, doc: &DocId) -> Result<Option<StoredDoc>, StoreError> {
        let tx = self.db.transaction(DOC_STORES).build()?;
        let mut stored = StoredDoc::default();
        let mut found = false;
        for name in [SNAPSHOTS, CURSORS] {
            let value: Option<JsValue> = tx
                .object_store(name)?
                .get(doc.as_str())
                .primitive()?
                .await?;
            if let Some(value) = value {
                found = true;
                stored.file(name, &value);
            }
        }
        for name in [INCREMENTS, OUTBOX] {
            let values: Vec<JsValue> = tx
                .object_store(name)?
                .get_all()
                .with_query::<JsValue, _>(doc_range(doc))
                .primitive()?
                .await?
                .collect::<Result<_, _>>()?;
            found |= !values.is_empty();
            for value in &values {
                stored.file(name, value);
            }
        }
        Ok(found.then_some(stored))
    }

    /// Every document with at least one local edit the relay has not acknowledged. These
    /// are opened at start whatever is in view, so that nothing typed is left unsent.
    pub async fn docs_with_outbox(&self) -> Result<Vec<DocId>, StoreError> {
        let tx = self.db.transaction(OUTBOX).build()?;
        let keys: Vec<JsValue> = tx
            .object_store(OUTBOX)?
            .get_all_keys()
            .primitive()?
            .await?
            .collect::<Result<_, _>>()?;
        let docs: BTreeSet<DocId> = keys.iter().filter_map(doc_of_key).collect();
        Ok(docs.into_iter().collect())
    }

    /// Stores a local edit: its bundle as an increment and in the outbox, together.
    pub async fn save_local(&self, doc: &DocId, bundle: &Bundle) -> Result<(), StoreError> {
        let tx = self.writing([INCREMENTS, OUTBOX])?;
        let k = key(doc, &bundle.hash);
        tx.object_store(INCREMENTS)?
            .put(bytes(&bundle.data))
            .with_key(k.clone())
            .primitive()?;
        tx.object_store(OUTBOX)?
            .put(bytes(&bundle.data))
            .with_key(k)
            .primitive()?;
        tx.commit().await?;
        Ok(())
    }

    /// Stores one local edit that changed several documents: every bundle as an increment
    /// and in the outbox, in one transaction, so that a crash keeps all of them or none.
    pub async fn save_local_many(&self, bundles: &[(DocId, Bundle)]) -> Result<(), StoreError> {
        let tx = self.writing([INCREMENTS, OUTBOX])?;
        let increments = tx.object_store(INCREMENTS)?;
        let outbox = tx.object_store(OUTBOX)?;
        for (doc, bundle) in bundles {
            let k = key(doc, &bundle.hash);
            increments
                .put(bytes(&bundle.data))
                .with_key(k.clone())
                .primitive()?;
            outbox.put(bytes(&bundle.data)).with_key(k).primitive()?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Stores entries received from the relay and the cursor after them, together.
    pub async fn save_remote(
        &self,
        doc: &DocId,
        entries: &[Entry],
        cursor: u64,
    ) -> Result<(), StoreError> {
        let tx = self.writing([INCREMENTS, CURSORS])?;
        let increments = tx.object_store(INCREMENTS)?;
        for entry in entries {
            increments
                .put(bytes(&entry.data))
                .with_key(key(doc, &entry.hash))
                .primitive()?;
        }
        tx.object_store(CURSORS)?
            .put(JsValue::from_f64(cursor as f64))
            .with_key(doc.as_str())
            .primitive()?;
        tx.commit().await?;
        Ok(())
    }

    /// The relay holds this bundle: it leaves the outbox (it stays an increment).
    pub async fn acknowledge(&self, doc: &DocId, hash: &BundleHash) -> Result<(), StoreError> {
        let tx = self.writing(OUTBOX)?;
        tx.object_store(OUTBOX)?
            .delete::<JsValue, _>(KeyRange::Only(key(doc, hash)))
            .primitive()?;
        tx.commit().await?;
        Ok(())
    }

    /// Replaces a document's increments with one snapshot that holds them all.
    pub async fn compact(&self, doc: &DocId, snapshot: &[u8]) -> Result<(), StoreError> {
        let tx = self.writing([SNAPSHOTS, INCREMENTS])?;
        tx.object_store(INCREMENTS)?
            .delete::<JsValue, _>(doc_range(doc))
            .primitive()?;
        tx.object_store(SNAPSHOTS)?
            .put(bytes(snapshot))
            .with_key(doc.as_str())
            .primitive()?;
        tx.commit().await?;
        Ok(())
    }

    /// Forgets a damaged copy of a document (but not its outbox), so that it is fetched
    /// again from the relay.
    pub async fn discard_copy(&self, doc: &DocId) -> Result<(), StoreError> {
        let tx = self.writing([SNAPSHOTS, INCREMENTS, CURSORS])?;
        tx.object_store(INCREMENTS)?
            .delete::<JsValue, _>(doc_range(doc))
            .primitive()?;
        tx.object_store(SNAPSHOTS)?
            .delete::<JsValue, _>(KeyRange::Only(JsValue::from_str(doc.as_str())))
            .primitive()?;
        tx.object_store(CURSORS)?
            .delete::<JsValue, _>(KeyRange::Only(JsValue::from_str(doc.as_str())))
            .primitive()?;
        tx.commit().await?;
        Ok(())
    }

    /// Writes a raw value, for tests that damage the database on purpose.
    #[doc(hidden)]
    pub async fn put_raw_increment(
        &self,
        doc: &DocId,
        name: &str,
        value: JsValue,
    ) -> Result<(), StoreError> {
        let tx = self.writing(INCREMENTS)?;
        let k: JsValue =
            Array::of2(&JsValue::from_str(doc.as_str()), &JsValue::from_str(name)).into();
        tx.object_store(INCREMENTS)?
            .put(value)
            .with_key(k)
            .primitive()?;
        tx.commit().await?;
        Ok(())
    }
}
