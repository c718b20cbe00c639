//! Group commit: pushes that arrive together share one transaction and one fsync.
//!
//! One task per relay takes every push waiting when the previous commit returned (up to a
//! bound), appends them all in one transaction ([`Storage::append_batch`]), and only when
//! that commit returned hands each new entry to the document's subscribers and answers each
//! push. So an `Ack` still means durable, and the more devices push at once, the more each
//! commit carries: the relay's pushes per second grow with the load instead of being one
//! fsync each.
//!
//! The task commits whatever it was given even when the push's connection has gone away
//! meanwhile: an entry is never committed without being fanned out, which would be a gap
//! for every subscriber.

use std::sync::Arc;

use tokio::sync::{mpsc, oneshot};

use super::follow::Followed;
use crate::metrics::Metrics;
use crate::org::OrgName;
use crate::storage::{Append, AppendOutcome, OverQuota, Storage};
use crate::Error;
use protocol::{Bundle, DocId, Entry};

/// Pushes one commit carries at most, by number and by bytes.
const MOST_PER_COMMIT: usize = 1024;
const MOST_BYTES_PER_COMMIT: usize = 8 * 1024 * 1024;

/// Pushes waiting for a commit before another push waits to be queued.
const QUEUE: usize = 4096;

/// One push waiting for its commit.
struct Waiting {
    org: OrgName,
    doc: DocId,
    bundle: Bundle,
    answer: oneshot::Sender<Result<AppendOutcome, Error>>,
}

/// The pushes' way into the committing task.
pub(super) struct Committer {
    queue: mpsc::Sender<Waiting>,
}

/// What the committing task works with.
struct Task {
    storage: Arc<dyn Storage>,
    followed: Arc<Followed>,
    metrics: Arc<Metrics>,
    /// The bytes each organisation may store.
    quota: u64,
}

impl Committer {
    /// Starts the task; it ends when the committer is dropped and the queue is empty.
    pub(super) fn start(
        storage: Arc<dyn Storage>,
        followed: Arc<Followed>,
        metrics: Arc<Metrics>,
        quota: u64,
    ) -> Self {
        let (queue, waiting) = mpsc::channel(QUEUE);
        let task = Task {
            storage,
            followed,
            metrics,
            quota,
        };
        tokio::spawn(task.run(waiting));
        Self { queue }
    }

    /// Appends `bundle` with whatever else is pushed meanwhile; returns once it is durable
    /// and fanned out.
    pub(super) async fn append(
        &self,
        org: OrgName,
        doc: DocId,
        bundle: Bundle,
    ) -> Result<AppendOutcome, Error> {
        let (answer, outcome) = oneshot::channel();
        let waiting = Waiting {
            org,
            doc,
            bundle,
            answer,
        };
        self.queue
            .send(waiting)
            .await
            .map_err(|_| Error::Passed("the relay is stopping".into()))?;
        outcome
            .await
            .map_err(|_| Error::Passed("the commit was abandoned".into()))?
    }
}

impl Task {
    async fn run(self, mut queue: mpsc::Receiver<Waiting>) {
        let mut batch = Vec::with_capacity(MOST_PER_COMMIT);
        while let Some(first) = queue.recv().await {
            let mut bytes = first.bundle.data.len();
            batch.push(first);
            while batch.len() < MOST_PER_COMMIT && bytes < MOST_BYTES_PER_COMMIT {
                match queue.try_recv() {
                    Ok(next) => {
                        bytes += next.bundle.data.len();
                        batch.push(next);
                    }
                    Err(_) => break,
                }
            }
            self.commit(&mut batch).await;
        }
    }

    /// Commits `batch` (emptying it), fans out and answers. Should the database refuse the
    /// batch for what it holds, each push is tried alone, so that one bundle it refuses fails
    /// only its own push; should it fail to work (unreachable, timed out), every push of the
    /// batch is answered with that at once, not tried again one by one behind it.
    async fn commit(&self, batch: &mut Vec<Waiting>) {
        match self.append_all(batch).await {
            Ok(outcomes) => {
                self.metrics.commit_made();
                for (waiting, outcome) in batch.drain(..).zip(outcomes) {
                    self.answer(waiting, outcome.map_err(Error::OverQuota));
                }
            }
            Err(e) if batch.len() == 1 || !e.is_about_the_data() => {
                let why = e.to_string();
                let mut first = Some(e);
                for waiting in batch.drain(..) {
                    let e = first.take().unwrap_or_else(|| Error::Passed(why.clone()));
                    self.answer(waiting, Err(e));
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, bundles = batch.len(),
                    "a group commit failed; committing its bundles one by one");
                for waiting in batch.drain(..) {
                    let alone = self.append_all(std::slice::from_ref(&waiting)).await;
                    let outcome = match alone.map(|mut o| o.pop()) {
                        Ok(Some(outcome)) => {
                            self.metrics.commit_made();
                            outcome.map_err(Error::OverQuota)
                        }
                        Ok(None) => Err(Error::Corrupt("an append answered nothing".into())),
                        Err(e) => Err(e),
                    };
                    self.answer(waiting, outcome);
                }
            }
        }
    }

    async fn append_all(
        &self,
        batch: &[Waiting],
    ) -> Result<Vec<Result<AppendOutcome, OverQuota>>, Error> {
        let appends: Vec<Append<'_>> = batch
            .iter()
            .map(|w| Append {
                org: &w.org,
                doc: &w.doc,
                bundle: &w.bundle,
            })
            .collect();
        let outcomes = self.storage.append_batch(&appends, self.quota).await?;
        if outcomes.len() != appends.len() {
            return Err(Error::Corrupt(format!(
                "{} bundles appended, {} outcomes",
                appends.len(),
                outcomes.len()
            )));
        }
        Ok(outcomes)
    }

    /// Fans a new entry out, then answers its push (the device may not be waiting any
    /// more).
    fn answer(&self, waiting: Waiting, outcome: Result<AppendOutcome, Error>) {
        let Waiting {
            org,
            doc,
            bundle,
            answer,
        } = waiting;
        match outcome {
            Ok(AppendOutcome { seq, new: true }) => {
                self.metrics.bundle_appended(bundle.data.len());
                let entry = Entry {
                    seq,
                    hash: bundle.hash,
                    data: bundle.data,
                };
                self.followed.deliver(&(org, doc), entry);
            }
            // Held already: were it held by a commit whose answer was lost, nothing else
            // would have said the log reached it.
            Ok(AppendOutcome { seq, new: false }) => self.followed.reached(&(org, doc), seq),
            Err(_) => {}
        }
        let _ = answer.send(outcome);
    }
}
