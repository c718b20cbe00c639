//! A device's documents together with its sync engine: what every driver runs.
//!
//! The replica applies the engine's `Apply` effects to the open documents itself and
//! passes every effect on, so that the driver only has to store and send.

use std::collections::{BTreeMap, BTreeSet};

use automerge::{ActorId, AutoCommit, ReadDoc};
use protocol::{Bundle, ClientMessage, DocId};

use crate::seal::{is_sealed, open_any, Keyring, OpenError, Sealer};
use crate::{Effect, Engine, Event};
use model::access::stamp::Stamp;
use model::{Document, DocumentError, StaffId};

/// A problem with one document that a person should hear about; syncing goes on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocProblem {
    pub doc: DocId,
    pub message: String,
}

pub struct Replica {
    pub engine: Engine,
    actor: ActorId,
    device: String,
    docs: BTreeMap<DocId, Document>,
    problems: Vec<DocProblem>,
    /// Who is signed in: every local change carries them ([`Stamp`]).
    signer: Option<StaffId>,
    /// The organisation's keys, once this device has them: every local bundle is sealed
    /// with the newest, and sealed entries are opened ([`crate::seal`]).
    sealer: Option<Sealer>,
    /// Documents with entries sealed with a key this device has not been given.
    waiting_for_key: BTreeSet<DocId>,
    /// Documents with plain (unsealed) entries, from before the organisation's keys: a
    /// manager's device replaces them on the relay with a sealed snapshot.
    plain: BTreeSet<DocId>,
    /// Documents too large for one snapshot message: not saved for the relay again.
    too_big: BTreeSet<DocId>,
}

impl Replica {
    pub fn new(device: impl Into<String>, actor: ActorId, seed: u64) -> Self {
        let device = device.into();
        Self {
            engine: Engine::new(device.clone(), seed),
            actor,
            device,
            docs: BTreeMap::new(),
            problems: Vec::new(),
            signer: None,
            sealer: None,
            waiting_for_key: BTreeSet::new(),
            plain: BTreeSet::new(),
            too_big: BTreeSet::new(),
        }
    }

    /// Seals every local bundle from now on with `keyring`'s newest key, and opens sealed
    /// entries with any of its keys. `seed` (32 random bytes) seeds the nonces.
    pub fn set_keyring(&mut self, keyring: Keyring, seed: [u8; 32]) {
        self.sealer = Some(Sealer::new(keyring, seed));
    }

    pub fn keyring(&self) -> Option<&Keyring> {
        self.sealer.as_ref().map(Sealer::keyring)
    }

    /// Whether `doc` has entries (received or stored) sealed with a key this device has not
    /// been given: its copy is incomplete until the key comes.
    pub fn waits_for_key(&self, doc: &DocId) -> bool {
        self.waiting_for_key.contains(doc)
    }

    /// The documents with entries waiting for a key.
    pub fn waiting_for_key(&self) -> Vec<DocId> {
        self.waiting_for_key.iter().cloned().collect()
    }

    /// Notes that `doc` no longer waits for a key: every stored entry opened.
    pub fn unsealed(&mut self, doc: &DocId) {
        self.waiting_for_key.remove(doc);
    }

    /// Notes that `doc` holds plain entries from before the organisation's keys.
    pub fn mark_plain(&mut self, doc: &DocId) {
        self.plain.insert(doc.clone());
    }

    /// Sealed snapshots of the caught-up documents that hold plain entries, for a manager's
    /// device to send, so that the relay can drop the plain entries they cover (the
    /// migration of an organisation from before encryption). Each document once; none
    /// without keys.
    pub fn migration_snapshots(&mut self) -> Vec<ClientMessage> {
        let docs: Vec<DocId> = self.plain.iter().cloned().collect();
        let mut out = Vec::new();
        for doc in docs {
            if let Some(message) = self.snapshot_for_relay(&doc) {
                self.plain.remove(&doc);
                out.push(message);
            }
        }
        out
    }

    /// Notes that `doc`'s stored copy holds records waiting for a key.
    pub fn mark_waiting_for_key(&mut self, doc: &DocId) {
        self.waiting_for_key.insert(doc.clone());
    }

    /// A snapshot of `doc` for the relay, which asked for one: the whole document sealed
    /// like a bundle, holding every entry up to the engine's cursor. `None` when the device
    /// cannot vouch for that: no keys (a snapshot is only ever sent sealed), the document
    /// not open or not caught up, entries of it waiting for a key, or too large for a
    /// message.
    pub fn snapshot_for_relay(&mut self, doc: &DocId) -> Option<ClientMessage> {
        let upto = self.engine.cursor(doc).filter(|c| *c > 0)?;
        // Edits not yet in the log, or changes waiting for ones they build on, would make it
        // hold more or less than the log up to `upto`.
        if self.sealer.is_none()
            || !self.engine.caught_up(doc)
            || self.engine.has_outbox(doc)
            || self.waits_for_key(doc)
            || self.too_big.contains(doc)
        {
            return None;
        }
        let document = self.docs.get_mut(doc)?;
        if !document.inner().get_missing_deps(&[]).is_empty() {
            return None;
        }
        let plain = document.save();
        if plain.len() + crate::seal::OVERHEAD > protocol::MAX_BUNDLE_BYTES {
            self.too_big.insert(doc.clone());
            return None;
        }
        let bundle = self.bundle(doc, plain);
        Some(ClientMessage::PushSnapshot {
            doc: doc.clone(),
            upto,
            bundle,
        })
    }

    /// A local change's bytes as they leave the device: sealed when there is a key.
    fn bundle(&mut self, doc: &DocId, plain: Vec<u8>) -> Bundle {
        match &mut self.sealer {
            Some(sealer) => Bundle::new(sealer.seal(doc, &plain)),
            None => Bundle::new(plain),
        }
    }

    /// Who makes the local changes from now on; `None` while nobody is signed in.
    pub fn sign_in(&mut self, staff: Option<StaffId>) {
        self.signer = staff;
    }

    pub fn signer(&self) -> Option<&StaffId> {
        self.signer.as_ref()
    }

    fn stamp(&self, now_ms: i64) -> Stamp {
        Stamp {
            staff: self.signer.clone(),
            device: self.device.clone(),
            at_ms: now_ms,
        }
    }

    pub fn device(&self) -> &str {
        &self.device
    }

    pub fn actor(&self) -> &ActorId {
        &self.actor
    }

    /// Opens a document loaded from storage (or a fresh one) and starts syncing it.
    pub fn open(
        &mut self,
        document: Document,
        cursor: u64,
        outbox: Vec<Bundle>,
        now_ms: i64,
    ) -> Vec<Effect> {
        let doc = document.id().clone();
        self.docs.insert(doc.clone(), document);
        self.handle(
            Event::Open {
                doc,
                cursor,
                outbox,
            },
            now_ms,
        )
    }

    /// Opens `doc` empty if it is not open yet. Returns the engine's effects.
    pub fn ensure_open(&mut self, doc: &DocId, now_ms: i64) -> Result<Vec<Effect>, DocumentError> {
        if self.docs.contains_key(doc) {
            return Ok(Vec::new());
        }
        let document = Document::new(doc, &self.actor)?;
        Ok(self.open(document, 0, Vec::new(), now_ms))
    }

    pub fn doc(&self, doc: &DocId) -> Option<&Document> {
        self.docs.get(doc)
    }

    pub fn doc_mut(&mut self, doc: &DocId) -> Option<&mut Document> {
        self.docs.get_mut(doc)
    }

    pub fn docs(&self) -> impl Iterator<Item = &Document> {
        self.docs.values()
    }

    /// Problems seen since the last call.
    pub fn take_problems(&mut self) -> Vec<DocProblem> {
        std::mem::take(&mut self.problems)
    }

    /// Runs a local edit on `doc` (opening it empty if needed). Returns the edit's result
    /// and the bundle it made, if any. The driver stores the bundle in the outbox and then
    /// calls [`Replica::queue`].
    pub fn edit<T>(
        &mut self,
        doc: &DocId,
        now_ms: i64,
        edit: impl FnOnce(&mut AutoCommit) -> Result<T, DocumentError>,
    ) -> Result<(T, Option<Bundle>, Vec<Effect>), DocumentError> {
        let effects = self.ensure_open(doc, now_ms)?;
        let stamp = self.stamp(now_ms);
        let document = self.docs.get_mut(doc).expect("ensure_open just opened it");
        let (value, bytes) = document.change_signed(&stamp, edit)?;
        let bundle = bytes.map(|b| self.bundle(doc, b));
        Ok((value, bundle, effects))
    }

    /// Runs one local edit across several documents, all of it or none of it
    /// ([`Document::change_many`]). Returns the bundles made, with their documents.
    #[allow(clippy::type_complexity)]
    pub fn edit_many<T>(
        &mut self,
        docs: &[DocId],
        now_ms: i64,
        edit: impl FnOnce(&mut [&mut AutoCommit]) -> Result<T, DocumentError>,
    ) -> Result<(T, Vec<(DocId, Bundle)>, Vec<Effect>), DocumentError> {
        for (i, doc) in docs.iter().enumerate() {
            if docs[..i].contains(doc) {
                return Err(DocumentError::Write(format!(
                    "{doc} is named twice in one edit"
                )));
            }
        }
        let mut effects = Vec::new();
        for doc in docs {
            effects.extend(self.ensure_open(doc, now_ms)?);
        }
        let stamp = self.stamp(now_ms);
        let mut documents: Vec<&mut Document> = self
            .docs
            .iter_mut()
            .filter(|(id, _)| docs.contains(id))
            .map(|(_, d)| d)
            .collect();
        // The edit sees the documents in the order the caller named them.
        documents.sort_by_key(|d| docs.iter().position(|id| id == d.id()));
        let (value, bundles) = Document::change_many_signed(&mut documents, &stamp, edit)?;
        let bundles = docs
            .iter()
            .zip(bundles)
            .filter_map(|(doc, bytes)| Some((doc.clone(), self.bundle(doc, bytes?))))
            .collect();
        Ok((value, bundles, effects))
    }

    /// Hands a stored local bundle to the engine for sending.
    pub fn queue(&mut self, doc: &DocId, bundle: Bundle, now_ms: i64) -> Vec<Effect> {
        self.handle(
            Event::LocalBundle {
                doc: doc.clone(),
                bundle,
            },
            now_ms,
        )
    }

    /// Feeds an event to the engine, merging any entries it accepts into the documents.
    /// An entry that does not open or does not merge is reported and taken out of the
    /// `Apply` effect, so the driver never stores it as if it were good; one sealed with a
    /// key this device lacks stays in it, stored sealed until the key arrives.
    pub fn handle(&mut self, event: Event, now_ms: i64) -> Vec<Effect> {
        let mut effects = self.engine.handle(event, now_ms);
        let keyring = self.sealer.as_ref().map(Sealer::keyring);
        for effect in &mut effects {
            let Effect::Apply { doc, entries, .. } = effect else {
                continue;
            };
            let Some(document) = self.docs.get_mut(doc) else {
                continue;
            };
            let (problems, waiting) = (&mut self.problems, &mut self.waiting_for_key);
            if entries.iter().any(|e| !is_sealed(&e.data)) {
                self.plain.insert(doc.clone());
            }
            let mut report = |message: String| {
                problems.push(DocProblem {
                    doc: doc.clone(),
                    message,
                })
            };
            entries.retain(|entry| match open_any(keyring, doc, &entry.data) {
                Ok(plain) => match document.apply(&plain) {
                    Ok(()) => true,
                    Err(e) => {
                        report(format!("entry {} could not be merged: {e}", entry.seq));
                        false
                    }
                },
                Err(e @ OpenError::NoKey { .. }) => {
                    waiting.insert(doc.clone());
                    report(format!("changes wait, as {e}"));
                    true
                }
                Err(e @ OpenError::Damaged) => {
                    report(format!("entry {} was set aside: {e}", entry.seq));
                    false
                }
            });
        }
        effects
    }
}
