//! Per-document fan-out: which connections follow a document, how far they have been sent
//! its log, and entries that arrived before the ones they follow.
//!
//! Architecture invariant: every subscriber of a document gets its entries in sequence
//! order with no gaps, and each document is handled on its own. The map of documents is
//! behind a std mutex held only for moments, never across a read or a commit: an entry
//! that cannot go out yet (an earlier one is still being read from the log, or the
//! document's starting point is) is held, and whoever brings the missing ones sends it.
//! When the document cannot be followed (the log was compacted under it, a read failed, too
//! much is held), its subscribers are closed as too slow and resume from their cursors,
//! which gives them everything.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::body::Bytes;
use tokio::sync::{mpsc, watch};

use super::Subscriber;
use crate::org::OrgName;
use crate::storage::Storage;
use crate::Error;
use protocol::{DocId, Entry, ServerMessage, Wire};

pub(super) type DocKey = (OrgName, DocId);

/// How many bytes of entries are read from the log at a time to fill a gap.
const FILL_PAGE_BYTES: usize = 256 * 1024;

/// Entries held for a document, waiting for earlier ones, before its subscribers are
/// closed as too slow instead.
const MOST_HELD: usize = 4096;
const MOST_HELD_BYTES: usize = 8 * 1024 * 1024;

/// Where a document's subscribers start: unknown until its log is read, then a number.
type Start = Option<Result<u64, String>>;

pub(super) struct Followed {
    storage: Arc<dyn Storage>,
    docs: Mutex<HashMap<DocKey, DocState>>,
    generations: AtomicU64,
}

/// A document that has at least one subscriber. Documents nobody watches are not kept.
pub(super) struct DocState {
    /// Tells a fill or a first read that the state it worked for was dropped meanwhile.
    generation: u64,
    /// The last sequence number handed to the subscribers; `None` until the log's last
    /// number has been read for the first subscriber.
    sent: Option<u64>,
    /// The highest sequence number known to be in the log.
    known: u64,
    /// Entries after `sent` that came before those between (by number).
    held: BTreeMap<u64, Entry>,
    held_bytes: usize,
    /// A task is reading the log from `sent` on.
    filling: bool,
    pub(super) subscribers: Vec<Subscriber>,
    start: watch::Sender<Start>,
}

impl Followed {
    pub(super) fn new(storage: Arc<dyn Storage>) -> Self {
        Self {
            storage,
            docs: Mutex::new(HashMap::new()),
            generations: AtomicU64::new(1),
        }
    }

    // Nothing in a critical section can leave a state half changed for another to see
    // (each is a few field writes and `try_send`s), so a poisoned lock is taken over.
    pub(super) fn lock(&self) -> MutexGuard<'_, HashMap<DocKey, DocState>> {
        self.docs.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Registers `subscriber` and returns the number after which the hub sends it entries.
    /// The first subscriber of a document waits for the log's last number to be read (by a
    /// task of its own, so that a caller going away cannot leave the others waiting).
    pub(super) async fn subscribe(
        self: &Arc<Self>,
        key: DocKey,
        subscriber: &Subscriber,
    ) -> Result<u64, Error> {
        let mut start = {
            let mut docs = self.lock();
            match docs.get_mut(&key) {
                Some(state) => {
                    state.subscribers.retain(|s| s.id != subscriber.id);
                    state.subscribers.push(subscriber.clone());
                    if let Some(sent) = state.sent {
                        return Ok(sent);
                    }
                    state.start.subscribe()
                }
                None => {
                    let generation = self.generations.fetch_add(1, Ordering::Relaxed);
                    let (start, waiting) = watch::channel(None);
                    docs.insert(
                        key.clone(),
                        DocState {
                            generation,
                            sent: None,
                            known: 0,
                            held: BTreeMap::new(),
                            held_bytes: 0,
                            filling: false,
                            subscribers: vec![subscriber.clone()],
                            start,
                        },
                    );
                    tokio::spawn(Arc::clone(self).read_start(key, generation));
                    waiting
                }
            }
        };
        let started = start
            .wait_for(Option::is_some)
            .await
            .map_err(|_| Error::Passed("the document was dropped while its log was read".into()))?;
        match started.as_ref() {
            Some(Ok(seq)) => Ok(*seq),
            Some(Err(why)) => Err(Error::Passed(why.clone())),
            None => Err(Error::Passed("the document's log was not read".into())),
        }
    }

    async fn read_start(self: Arc<Self>, key: DocKey, generation: u64) {
        let read = self.storage.last_seq(&key.0, &key.1).await;
        let mut docs = self.lock();
        let Some(state) = docs.get_mut(&key).filter(|s| s.generation == generation) else {
            return;
        };
        match read {
            Ok(last) => {
                state.sent = Some(last);
                state.known = state.known.max(last);
                state.start.send_replace(Some(Ok(last)));
                self.settle(&mut docs, &key);
            }
            Err(e) => {
                state.start.send_replace(Some(Err(e.to_string())));
                docs.remove(&key);
            }
        }
    }

    /// Removes a connection's subscription of one document.
    pub(super) fn leave(&self, key: &DocKey, subscriber: &Subscriber) {
        let mut docs = self.lock();
        if let Some(state) = docs.get_mut(key) {
            state.subscribers.retain(|s| s.id != subscriber.id);
            if state.subscribers.is_empty() {
                docs.remove(key);
            }
        }
    }

    /// A new entry of the log, as its commit returned: sent now if it is the next, else
    /// held until those before it are.
    pub(super) fn deliver(self: &Arc<Self>, key: &DocKey, entry: Entry) {
        let mut docs = self.lock();
        let Some(state) = docs.get_mut(key) else {
            return;
        };
        state.known = state.known.max(entry.seq);
        match state.sent {
            Some(sent) if entry.seq <= sent => return,
            Some(sent) if entry.seq == sent + 1 && !state.filling => {
                state.sent = Some(entry.seq);
                fan_out(key, state, entry);
            }
            _ => {
                state.held_bytes += entry.data.len();
                state.held.insert(entry.seq, entry);
            }
        }
        self.settle(&mut docs, key);
    }

    /// The log of `key` reached `seq` (another relay said so): what follows `sent` is read
    /// from the log.
    pub(super) fn reached(self: &Arc<Self>, key: &DocKey, seq: u64) {
        let mut docs = self.lock();
        if let Some(state) = docs.get_mut(key) {
            state.known = state.known.max(seq);
            self.settle(&mut docs, key);
        }
    }

    /// The documents followed now.
    pub(super) fn keys(&self) -> Vec<DocKey> {
        self.lock().keys().cloned().collect()
    }

    /// After any change to a state: sends the held entries that are next, gives up on a
    /// document holding too much, starts a fill for a gap, forgets a document nobody
    /// follows.
    fn settle(self: &Arc<Self>, docs: &mut HashMap<DocKey, DocState>, key: &DocKey) {
        let Some(state) = docs.get_mut(key) else {
            return;
        };
        if let (Some(_), false) = (state.sent, state.filling) {
            send_held(key, state);
        }
        if state.held.len() > MOST_HELD || state.held_bytes > MOST_HELD_BYTES {
            tracing::warn!(org = %key.0, doc = %key.1, held = state.held.len(),
                "too many entries wait for earlier ones; resubscribing the document's devices");
            give_up(state);
        }
        if let Some(sent) = state.sent {
            if !state.filling && state.known > sent && !state.subscribers.is_empty() {
                state.filling = true;
                tokio::spawn(Arc::clone(self).fill(key.clone(), state.generation));
            }
        }
        if state.subscribers.is_empty() {
            docs.remove(key);
        }
    }

    /// Reads the log after `sent` until every known entry went out.
    async fn fill(self: Arc<Self>, key: DocKey, generation: u64) {
        loop {
            let after = {
                let mut docs = self.lock();
                let Some(state) = docs.get_mut(&key).filter(|s| s.generation == generation) else {
                    return;
                };
                match state.sent {
                    Some(sent) if sent < state.known && !state.subscribers.is_empty() => sent,
                    _ => {
                        state.filling = false;
                        self.settle(&mut docs, &key);
                        return;
                    }
                }
            };
            let page = self
                .storage
                .read_after(&key.0, &key.1, after, FILL_PAGE_BYTES)
                .await;
            let mut docs = self.lock();
            let Some(state) = docs.get_mut(&key).filter(|s| s.generation == generation) else {
                return;
            };
            match page {
                Ok(page) if page.first().is_some_and(|e| e.seq == after + 1) => {
                    for entry in page {
                        if Some(entry.seq) == state.sent.map(|s| s + 1) {
                            state.sent = Some(entry.seq);
                            fan_out(&key, state, entry);
                        }
                    }
                    send_held(&key, state);
                }
                Ok(_) => {
                    tracing::warn!(org = %key.0, doc = %key.1, after,
                        "the log cannot be followed from here; resubscribing its devices");
                    give_up(state);
                }
                Err(e) => {
                    tracing::warn!(error = %e, org = %key.0, doc = %key.1,
                        "could not read the log; resubscribing its devices");
                    give_up(state);
                }
            }
            if state.subscribers.is_empty() {
                docs.remove(&key);
                return;
            }
        }
    }

    /// Sends `frame` to every subscriber of `key`, storing nothing; a full queue misses it.
    pub(super) fn notify(&self, key: &DocKey, frame: &Bytes) {
        if let Some(state) = self.lock().get(key) {
            for s in &state.subscribers {
                let _ = s.tx.try_send(frame.clone());
            }
        }
    }
}

/// Sends the held entries that come next, and drops those already sent.
fn send_held(key: &DocKey, state: &mut DocState) {
    while let Some(first) = state.held.first_entry() {
        let next = state.sent.map_or(0, |s| s + 1);
        if *first.key() > next {
            break;
        }
        let entry = first.remove();
        state.held_bytes = state.held_bytes.saturating_sub(entry.data.len());
        if entry.seq == next {
            state.sent = Some(entry.seq);
            fan_out(key, state, entry);
        }
    }
}

/// Closes every subscriber as too slow: each resumes from its cursor.
fn give_up(state: &mut DocState) {
    state.subscribers.iter().for_each(Subscriber::mark_too_slow);
    state.subscribers.clear();
    state.held.clear();
    state.held_bytes = 0;
}

/// Hands one entry to every subscriber of the document, encoded once whatever their number
/// (fan-out costs O(bytes)); a full queue marks its connection too slow.
fn fan_out(key: &DocKey, state: &mut DocState, entry: Entry) {
    let seq = entry.seq;
    let frame = Bytes::from(
        ServerMessage::Entries {
            doc: key.1.clone(),
            entries: vec![entry],
            caught_up: true,
        }
        .encode(),
    );
    state.subscribers.retain(|s| {
        if s.is_too_slow() {
            return false;
        }
        match s.tx.try_send(frame.clone()) {
            Ok(()) => true,
            Err(mpsc::error::TrySendError::Full(_)) => {
                tracing::info!(org = %key.0, doc = %key.1, seq,
                    "a device's queue is full; closing it as too slow");
                s.mark_too_slow();
                false
            }
            Err(mpsc::error::TrySendError::Closed(_)) => false,
        }
    });
}
