//! Fan-out: who is subscribed to which document, and handing them new entries.
//!
//! Architecture invariant: every connection receives a document's entries in sequence
//! order with no gaps. Two things make it so. Appending and fanning out happen under one
//! lock, so entries reach the queues in the order of their sequence numbers. And a
//! subscription is registered under that same lock together with reading the document's
//! last sequence number (`live_from`): the connection sends the backlog up to `live_from`
//! itself, and the hub sends it exactly the entries after it.
//!
//! A connection's queue is bounded. When it is full the connection is marked too slow and
//! closed, and the device resumes from its cursor, so a slow tablet never grows the
//! relay's memory and never silently misses an entry.
//!
//! Several relays may share one database (PostgreSQL). An entry another relay appended is
//! fanned out here from the log, by sequence number, when the database says the log grew
//! ([`Hub::caught_up_to`], [`Hub::catch_up_all`]) or when this relay's own append finds
//! numbers it has not sent yet: a missed notice is made good by the next, never a gap.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

use axum::body::Bytes;
use tokio::sync::{mpsc, Mutex, Notify};

use crate::metrics::Metrics;
use crate::org::OrgName;
use crate::storage::{AppendOutcome, Storage};
use crate::Error;
use protocol::{Bundle, DocId, Entry, ServerMessage, Wire};

type DocKey = (OrgName, DocId);

pub struct Hub {
    storage: Arc<dyn Storage>,
    metrics: Arc<Metrics>,
    // One lock for the whole relay rather than one per document: simpler, and SQLite has a
    // single writer anyway, so appends are serialised by the storage whatever we do here.
    // What it costs is that a subscription waits behind a commit in an unrelated document.
    // A per-document lock is the next step if that ever shows in the metrics.
    docs: Mutex<HashMap<DocKey, DocState>>,
    next_id: AtomicU64,
}

/// A document that has at least one subscriber. Documents nobody watches are not kept.
struct DocState {
    last_seq: u64,
    subscribers: Vec<Subscriber>,
}

/// The hub's handle on one connection's queue.
#[derive(Clone)]
pub struct Subscriber {
    id: u64,
    tx: mpsc::Sender<Bytes>,
    slow: Arc<SlowSignal>,
}

/// The connection's end of its queue.
pub struct Mailbox {
    rx: mpsc::Receiver<Bytes>,
    slow: Arc<SlowSignal>,
    // Kept so that `recv` waits instead of returning `None` while the connection has no
    // subscription and the hub holds no sender.
    _tx: mpsc::Sender<Bytes>,
}

#[derive(Default)]
struct SlowSignal {
    flag: AtomicBool,
    notify: Notify,
}

impl Subscriber {
    fn mark_too_slow(&self) {
        self.slow.flag.store(true, Ordering::Release);
        // `notify_one` keeps a permit if the connection is not waiting right now.
        self.slow.notify.notify_one();
    }

    fn is_too_slow(&self) -> bool {
        self.slow.flag.load(Ordering::Acquire)
    }
}

/// What a connection's mailbox holds next.
pub enum Delivery {
    /// An encoded `Entries` message with one live entry.
    Frame(Bytes),
    /// The hub found the queue full and dropped this connection's subscriptions.
    TooSlow,
}

impl Mailbox {
    /// Waits for the next live entry, or for the verdict that this connection is too slow,
    /// which comes first even if entries are still queued: they would end in a gap anyway.
    pub async fn next(&mut self) -> Delivery {
        tokio::select! {
            biased;
            () = wait_until_slow(&self.slow) => Delivery::TooSlow,
            frame = self.rx.recv() => match frame {
                Some(frame) => Delivery::Frame(frame),
                // Cannot happen: the mailbox holds a sender itself.
                None => std::future::pending().await,
            },
        }
    }
}

async fn wait_until_slow(slow: &SlowSignal) {
    while !slow.flag.load(Ordering::Acquire) {
        slow.notify.notified().await;
    }
}

impl Hub {
    pub fn new(storage: Arc<dyn Storage>, metrics: Arc<Metrics>) -> Self {
        Self {
            storage,
            metrics,
            docs: Mutex::new(HashMap::new()),
            next_id: AtomicU64::new(1),
        }
    }

    pub fn storage(&self) -> &Arc<dyn Storage> {
        &self.storage
    }

    /// A queue for a new connection, holding up to `capacity` messages.
    pub fn mailbox(&self, capacity: usize) -> (Subscriber, Mailbox) {
        let (tx, rx) = mpsc::channel(capacity.max(1));
        let slow = Arc::new(SlowSignal::default());
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let subscriber = Subscriber {
            id,
            tx: tx.clone(),
            slow: Arc::clone(&slow),
        };
        (subscriber, Mailbox { rx, slow, _tx: tx })
    }

    /// Registers `subscriber` for the live entries of a document and returns `live_from`:
    /// the hub sends it every entry after that sequence number, and the caller sends the
    /// backlog up to and including it. Subscribing again replaces the earlier subscription.
    pub async fn subscribe(
        &self,
        org: &OrgName,
        doc: &DocId,
        subscriber: &Subscriber,
    ) -> Result<u64, Error> {
        let mut docs = self.docs.lock().await;
        let key = (org.clone(), doc.clone());
        let state = match docs.get_mut(&key) {
            Some(state) => state,
            None => {
                let last_seq = self.storage.last_seq(org, doc).await?;
                docs.entry(key).or_insert(DocState {
                    last_seq,
                    subscribers: Vec::new(),
                })
            }
        };
        state.subscribers.retain(|s| s.id != subscriber.id);
        state.subscribers.push(subscriber.clone());
        Ok(state.last_seq)
    }

    /// Removes a connection's subscriptions, when it closes.
    pub async fn leave<'a>(
        &self,
        org: &OrgName,
        docs: impl IntoIterator<Item = &'a DocId>,
        subscriber: &Subscriber,
    ) {
        let mut states = self.docs.lock().await;
        for doc in docs {
            let key = (org.clone(), doc.clone());
            if let Some(state) = states.get_mut(&key) {
                state.subscribers.retain(|s| s.id != subscriber.id);
                if state.subscribers.is_empty() {
                    states.remove(&key);
                }
            }
        }
    }

    /// Appends a bundle durably, then hands the new entry to the document's subscribers.
    ///
    /// The work runs in its own task, so that a caller that goes away mid-way (its
    /// connection task aborted) cannot leave an entry committed but not fanned out, which
    /// would be a gap for every subscriber.
    pub async fn append(
        self: &Arc<Self>,
        org: OrgName,
        doc: DocId,
        bundle: Bundle,
    ) -> Result<AppendOutcome, Error> {
        let hub = Arc::clone(self);
        tokio::spawn(async move { hub.append_and_fan_out(&org, &doc, bundle).await }).await?
    }

    async fn append_and_fan_out(
        &self,
        org: &OrgName,
        doc: &DocId,
        bundle: Bundle,
    ) -> Result<AppendOutcome, Error> {
        let mut docs = self.docs.lock().await;
        let outcome = self.storage.append(org, doc, &bundle).await?;
        if !outcome.new {
            return Ok(outcome);
        }
        self.metrics.bundle_appended(bundle.data.len());
        let key = (org.clone(), doc.clone());
        let Some(state) = docs.get_mut(&key) else {
            return Ok(outcome);
        };
        if outcome.seq > state.last_seq + 1 {
            // Another relay on the same database wrote to the log meanwhile: what it wrote
            // goes out first, from the log, then this entry. The entry is stored whatever
            // happens here: a failed read is made good by the next notice or catch-up.
            if let Err(e) = self.fan_out_from_log(org, doc, state, outcome.seq).await {
                tracing::warn!(error = %e, org = %org, doc = %doc,
                    "could not read another relay's entries; they follow with the next");
            }
        } else if outcome.seq == state.last_seq + 1 {
            state.last_seq = outcome.seq;
            let entry = Entry {
                seq: outcome.seq,
                hash: bundle.hash,
                data: bundle.data,
            };
            fan_out(org, doc, state, entry);
        }
        if state.subscribers.is_empty() {
            docs.remove(&key);
        }
        Ok(outcome)
    }

    /// Another relay says `doc`'s log reached `seq`: what this relay's devices have not had
    /// of it goes out from the log, in order.
    pub async fn caught_up_to(&self, org: &OrgName, doc: &DocId, seq: u64) -> Result<(), Error> {
        let mut docs = self.docs.lock().await;
        let key = (org.clone(), doc.clone());
        let Some(state) = docs.get_mut(&key) else {
            return Ok(());
        };
        if seq > state.last_seq {
            self.fan_out_from_log(org, doc, state, seq).await?;
        }
        if state.subscribers.is_empty() {
            docs.remove(&key);
        }
        Ok(())
    }

    /// Notices from other relays may have been missed (the database connection that hears
    /// them was lost): every watched document is brought up to its log.
    pub async fn catch_up_all(&self) -> Result<(), Error> {
        let mut docs = self.docs.lock().await;
        let keys: Vec<DocKey> = docs.keys().cloned().collect();
        for key in keys {
            let (org, doc) = &key;
            let last = self.storage.last_seq(org, doc).await?;
            if let Some(state) = docs.get_mut(&key) {
                if last > state.last_seq {
                    self.fan_out_from_log(org, doc, state, last).await?;
                }
                if state.subscribers.is_empty() {
                    docs.remove(&key);
                }
            }
        }
        Ok(())
    }

    /// Sends the entries after `state.last_seq` up to `upto`, read from the log. Should the
    /// log not hold them in order (compacted meanwhile), the subscribers resume from their
    /// cursors instead, which gives them everything.
    async fn fan_out_from_log(
        &self,
        org: &OrgName,
        doc: &DocId,
        state: &mut DocState,
        upto: u64,
    ) -> Result<(), Error> {
        while state.last_seq < upto && !state.subscribers.is_empty() {
            let page = self
                .storage
                .read_after(org, doc, state.last_seq, FAN_OUT_PAGE_BYTES)
                .await?;
            if page.first().is_none_or(|e| e.seq != state.last_seq + 1) {
                tracing::warn!(org = %org, doc = %doc, last_seq = state.last_seq, upto,
                    "the log cannot be followed from here; resubscribing its devices");
                state.subscribers.iter().for_each(Subscriber::mark_too_slow);
                state.subscribers.clear();
                return Ok(());
            }
            for entry in page.into_iter().take_while(|e| e.seq <= upto) {
                state.last_seq = entry.seq;
                fan_out(org, doc, state, entry);
            }
        }
        Ok(())
    }
}

/// How many bytes of another relay's entries are read from the log at a time.
const FAN_OUT_PAGE_BYTES: usize = 256 * 1024;

/// Hands one entry to every subscriber of the document, encoded once whatever their number
/// (fan-out costs O(bytes)); a full queue marks its connection too slow.
fn fan_out(org: &OrgName, doc: &DocId, state: &mut DocState, entry: Entry) {
    let seq = entry.seq;
    let frame = Bytes::from(
        ServerMessage::Entries {
            doc: doc.clone(),
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
                tracing::info!(org = %org, doc = %doc, seq,
                    "a device's queue is full; closing it as too slow");
                s.mark_too_slow();
                false
            }
            Err(mpsc::error::TrySendError::Closed(_)) => false,
        }
    });
}

impl Hub {
    /// Sends `frame` to every connection subscribed to `doc` of `org`, storing nothing (a
    /// notice, such as new keys to fetch). A connection whose queue is full misses it.
    pub async fn notify(&self, org: &OrgName, doc: &DocId, frame: Bytes) {
        let docs = self.docs.lock().await;
        if let Some(state) = docs.get(&(org.clone(), doc.clone())) {
            for s in &state.subscribers {
                let _ = s.tx.try_send(frame.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::sqlite::SqliteStorage;

    struct Fixture {
        hub: Arc<Hub>,
        org: OrgName,
        doc: DocId,
        _dir: tempfile::TempDir,
    }

    async fn fixture() -> Fixture {
        let dir = tempfile::tempdir().expect("temp dir");
        let storage = SqliteStorage::open(&dir.path().join("relay.sqlite3")).expect("open");
        let org = OrgName::new("acme").expect("valid");
        storage.create_org(&org).await.expect("org");
        let hub = Arc::new(Hub::new(Arc::new(storage), Arc::default()));
        let doc = DocId::new("d").expect("valid");
        Fixture {
            hub,
            org,
            doc,
            _dir: dir,
        }
    }

    fn seqs_of(frame: &Bytes) -> Vec<u64> {
        match ServerMessage::decode(frame).expect("decodes") {
            ServerMessage::Entries { entries, .. } => entries.iter().map(|e| e.seq).collect(),
            other => panic!("expected entries, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn subscribers_get_entries_after_live_from_in_order() {
        let f = fixture().await;
        let push = |n: u8| {
            f.hub
                .append(f.org.clone(), f.doc.clone(), Bundle::new(vec![n]))
        };
        push(1).await.expect("append");
        let (sub, mut mailbox) = f.hub.mailbox(8);
        assert_eq!(f.hub.subscribe(&f.org, &f.doc, &sub).await.expect("sub"), 1);
        push(2).await.expect("append");
        push(3).await.expect("append");
        // A duplicate is not fanned out again.
        assert!(!push(2).await.expect("append").new);
        push(4).await.expect("append");
        for expected in [2, 3, 4] {
            let Delivery::Frame(frame) = mailbox.next().await else {
                panic!("expected a frame");
            };
            assert_eq!(seqs_of(&frame), [expected]);
        }
        assert!(mailbox.rx.try_recv().is_err());
    }

    #[tokio::test]
    async fn a_full_queue_marks_the_connection_too_slow() {
        let f = fixture().await;
        let (slow, mut slow_box) = f.hub.mailbox(2);
        let (fast, mut fast_box) = f.hub.mailbox(8);
        f.hub.subscribe(&f.org, &f.doc, &slow).await.expect("sub");
        f.hub.subscribe(&f.org, &f.doc, &fast).await.expect("sub");
        for n in 0..4 {
            let bundle = Bundle::new(vec![n]);
            f.hub
                .append(f.org.clone(), f.doc.clone(), bundle)
                .await
                .expect("append");
            assert!(matches!(fast_box.next().await, Delivery::Frame(_)));
        }
        // Two entries fit, the third did not; the verdict comes before the queued ones.
        assert!(matches!(slow_box.next().await, Delivery::TooSlow));
        assert!(!fast.is_too_slow());
        let docs = f.hub.docs.lock().await;
        let state = docs.get(&(f.org.clone(), f.doc.clone())).expect("watched");
        assert_eq!(state.subscribers.len(), 1);
    }

    /// Entries another relay appended to the shared log reach this relay's subscribers in
    /// order: when the database says so, when a notice was missed, and before this relay's
    /// own next entry.
    #[tokio::test]
    async fn another_relays_entries_go_out_from_the_log_in_order() {
        let f = fixture().await;
        let (sub, mut mailbox) = f.hub.mailbox(16);
        assert_eq!(f.hub.subscribe(&f.org, &f.doc, &sub).await.expect("sub"), 0);
        let other_relay = f.hub.storage();
        for n in 1..=2 {
            other_relay
                .append(&f.org, &f.doc, &Bundle::new(vec![n]))
                .await
                .expect("append");
        }
        f.hub
            .caught_up_to(&f.org, &f.doc, 2)
            .await
            .expect("catches up");
        // A notice heard twice sends nothing twice.
        f.hub
            .caught_up_to(&f.org, &f.doc, 1)
            .await
            .expect("catches up");
        other_relay
            .append(&f.org, &f.doc, &Bundle::new(vec![3]))
            .await
            .expect("append");
        // Its notice missed: the next catch-up finds it from the log.
        f.hub.catch_up_all().await.expect("catches up");
        other_relay
            .append(&f.org, &f.doc, &Bundle::new(vec![4]))
            .await
            .expect("append");
        // No notice at all: this relay's own append sends the missing entry first.
        f.hub
            .append(f.org.clone(), f.doc.clone(), Bundle::new(vec![5]))
            .await
            .expect("append");
        for expected in 1..=5 {
            let Delivery::Frame(frame) = mailbox.next().await else {
                panic!("expected a frame");
            };
            assert_eq!(seqs_of(&frame), [expected]);
        }
        assert!(mailbox.rx.try_recv().is_err());
    }

    #[tokio::test]
    async fn leaving_forgets_unwatched_documents() {
        let f = fixture().await;
        let (sub, _mailbox) = f.hub.mailbox(8);
        f.hub.subscribe(&f.org, &f.doc, &sub).await.expect("sub");
        f.hub
            .subscribe(&f.org, &f.doc, &sub)
            .await
            .expect("resubscribe");
        assert_eq!(f.hub.docs.lock().await.len(), 1);
        f.hub.leave(&f.org, [&f.doc], &sub).await;
        assert!(f.hub.docs.lock().await.is_empty());
    }
}
