//! Snapshots on a connection: a device that subscribes from further back than a document's
//! snapshot gets the snapshot first (and must, once the entries it covers are dropped); a
//! device that has read a long log is asked for a snapshot; a snapshot a device sends is
//! kept, and the entries it covers that every device has passed are dropped.

use std::fmt::Display;

use axum::extract::ws::Message;
use futures_util::{Sink, Stream};

use super::{internal, Connection, Ending};
use crate::org::OrgName;
use protocol::{Bundle, DocId, ServerMessage, Wire};

impl<S, E> Connection<S>
where
    S: Stream<Item = Result<Message, E>> + Sink<Message> + Unpin,
    E: Display,
    <S as Sink<Message>>::Error: Display,
{
    /// Where a document has a snapshot: notes where the device starts, sends the snapshot
    /// when it starts before it (from nothing, or from before what is kept), and returns
    /// where the entries then start.
    pub(super) async fn snapshot_first(
        &mut self,
        org: &OrgName,
        doc: &DocId,
        after: u64,
    ) -> Result<u64, Ending> {
        let storage = self.storage();
        // Without a snapshot nothing is dropped, and a device's cursor need not be written
        // (one write per subscription): a device unnoted when entries go later is sent the
        // snapshot instead.
        let Some(snapshot) = storage.snapshot(org, doc).await.map_err(internal)? else {
            return Ok(after);
        };
        storage
            .note_cursor(&self.token_id, &self.device, org, doc, after)
            .await
            .map_err(internal)?;
        let floor = storage.floor(org, doc).await.map_err(internal)?;
        let upto = snapshot.seq;
        // A snapshot stored since the subscription (reaching past `live_from`) is sent all
        // the same: the live entries it covers are duplicates the device skips.
        if upto <= after || (after > 0 && after >= floor) {
            // This device may have been the one holding entries back.
            if floor < upto.min(after) {
                storage.compact(org, doc).await.map_err(internal)?;
            }
            return Ok(after);
        }
        tracing::info!(org = %org, doc = %doc, after, upto, bytes = snapshot.data.len(),
            "snapshot sent");
        let message = ServerMessage::Snapshot {
            doc: doc.clone(),
            snapshot,
        };
        self.send(message.encode().into()).await?;
        // It never needs what the snapshot covers: were it to start from nothing again, it
        // would be sent the snapshot again.
        storage
            .note_cursor(&self.token_id, &self.device, org, doc, upto)
            .await
            .map_err(internal)?;
        // It may have been the one holding entries back, from its first subscription.
        if floor < upto {
            storage.compact(org, doc).await.map_err(internal)?;
        }
        Ok(upto)
    }

    /// Asks the device for a snapshot of `doc` when its log has grown by
    /// `Limits::snapshot_every` entries since the last one.
    pub(super) async fn ask_for_snapshot(
        &mut self,
        org: &OrgName,
        doc: &DocId,
        last: u64,
    ) -> Result<(), Ending> {
        let storage = self.storage();
        let upto = storage
            .snapshot(org, doc)
            .await
            .map_err(internal)?
            .map_or(0, |s| s.seq);
        if last.saturating_sub(upto) < self.ctx.limits.snapshot_every.max(1) {
            return Ok(());
        }
        let wanted = ServerMessage::SnapshotWanted { doc: doc.clone() };
        self.send(wanted.encode().into()).await
    }

    /// Keeps a device's snapshot of `doc`, then drops what it made unnecessary.
    pub(super) async fn push_snapshot(
        &mut self,
        org: &OrgName,
        doc: DocId,
        upto: u64,
        bundle: Bundle,
    ) -> Result<(), Ending> {
        let storage = self.storage();
        let stored = storage
            .store_snapshot(org, &doc, upto, &bundle, self.ctx.limits.org_quota_bytes)
            .await
            .map_err(internal)?;
        if stored {
            // The device holds everything its snapshot does.
            storage
                .note_cursor(&self.token_id, &self.device, org, &doc, upto)
                .await
                .map_err(internal)?;
        }
        let dropped = if stored {
            storage.compact(org, &doc).await.map_err(internal)?
        } else {
            0
        };
        tracing::info!(org = %org, doc = %doc, upto, bytes = bundle.data.len(), stored,
            dropped, "snapshot offered");
        Ok(())
    }
}
