//! Fan-out: who is subscribed to which document, and handing them new entries.
//!
//! Architecture invariant: every connection receives a document's entries in sequence
//! order with no gaps, and documents are independent: there is no lock for the whole relay
//! held across a commit or a read. Pushes go through one group commit ([`commit`]): those
//! that arrive together share one transaction, and each new entry is handed to the
//! document's subscribers, in order, when its commit returns, before its push is
//! acknowledged. A subscription is registered together with the number it starts after
//! (`live_from`, [`follow`]): the connection sends the backlog up to `live_from` itself,
//! and the hub sends it exactly the entries after it.
//!
//! A connection's queue is bounded. When it is full the connection is marked too slow and
//! closed, and the device resumes from its cursor, so a slow tablet never grows the
//! relay's memory and never silently misses an entry.
//!
//! Several relays may share one database (PostgreSQL). An entry another relay appended is
//! fanned out here from the log, by sequence number, when the database says the log grew
//! ([`Hub::caught_up_to`], [`Hub::catch_up_all`]) or when this relay's own commit finds
//! numbers it has not sent yet: a missed notice is made good by the next, never a gap.

mod commit;
mod follow;
#[cfg(test)]
mod tests;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

use axum::body::Bytes;
use tokio::sync::{mpsc, Notify};

use self::commit::Committer;
use self::follow::Followed;
use crate::metrics::Metrics;
use crate::org::OrgName;
use crate::storage::{AppendOutcome, Storage};
use crate::Error;
use protocol::{Bundle, DocId};

pub struct Hub {
    storage: Arc<dyn Storage>,
    followed: Arc<Followed>,
    committer: Committer,
    next_id: AtomicU64,
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

    /// Whether the hub closed this connection's queue as too slow.
    pub fn is_too_slow(&self) -> bool {
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

impl Mailbox {
    /// The next live entry if one is queued already and the connection is not too slow.
    pub fn queued(&mut self) -> Option<Bytes> {
        if self.slow.flag.load(Ordering::Acquire) {
            return None;
        }
        self.rx.try_recv().ok()
    }
}

async fn wait_until_slow(slow: &SlowSignal) {
    while !slow.flag.load(Ordering::Acquire) {
        slow.notify.notified().await;
    }
}

impl Hub {
    /// A hub on `storage`, with its committing task (so: inside a tokio runtime); each
    /// organisation may store `quota` bytes.
    pub fn new(storage: Arc<dyn Storage>, metrics: Arc<Metrics>, quota: u64) -> Self {
        let followed = Arc::new(Followed::new(Arc::clone(&storage)));
        let committer =
            Committer::start(Arc::clone(&storage), Arc::clone(&followed), metrics, quota);
        Self {
            storage,
            followed,
            committer,
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
        self.followed
            .subscribe((org.clone(), doc.clone()), subscriber)
            .await
    }

    /// Removes a connection's subscriptions, when it closes.
    pub async fn leave<'a>(
        &self,
        org: &OrgName,
        docs: impl IntoIterator<Item = &'a DocId>,
        subscriber: &Subscriber,
    ) {
        for doc in docs {
            self.followed.leave(&(org.clone(), doc.clone()), subscriber);
        }
    }

    /// Appends a bundle durably (in a commit it may share with other pushes), hands the new
    /// entry to the document's subscribers, then returns; [`Error::OverQuota`] when the
    /// organisation's quota is full, and nothing is stored.
    pub async fn append(
        &self,
        org: OrgName,
        doc: DocId,
        bundle: Bundle,
    ) -> Result<AppendOutcome, Error> {
        self.committer.append(org, doc, bundle).await
    }

    /// Another relay says `doc`'s log reached `seq`: what this relay's devices have not had
    /// of it goes out from the log, in order.
    pub async fn caught_up_to(&self, org: &OrgName, doc: &DocId, seq: u64) -> Result<(), Error> {
        self.followed.reached(&(org.clone(), doc.clone()), seq);
        Ok(())
    }

    /// Notices from other relays may have been missed (the database connection that hears
    /// them was lost): every watched document is brought up to its log, one at a time.
    pub async fn catch_up_all(&self) -> Result<(), Error> {
        for key in self.followed.keys() {
            let last = self.storage.last_seq(&key.0, &key.1).await?;
            self.followed.reached(&key, last);
        }
        Ok(())
    }

    /// Sends `frame` to every connection subscribed to `doc` of `org`, storing nothing (a
    /// notice, such as new keys to fetch). A connection whose queue is full misses it.
    pub async fn notify(&self, org: &OrgName, doc: &DocId, frame: Bytes) {
        self.followed.notify(&(org.clone(), doc.clone()), &frame);
    }
}
