//! Snapshots and compaction in PostgreSQL: each document's newest snapshot, the cursor each
//! device had at its last subscription, and dropping the entries a snapshot covers once
//! every device that reads the document has passed them. The same rules as SQLite's
//! (`storage::sqlite::snapshots`); what changes a document's log holds its `docs` row.

use deadpool_postgres::{GenericClient, Object};

use super::{hash_from_sql, lock_doc, now, seq_from_sql, seq_to_sql};
use crate::org::OrgName;
use crate::Error;
use protocol::{Bundle, DocId, Entry};

/// A device not seen for this long no longer holds entries back: when it comes back from
/// further than what is kept, it is sent the snapshot instead.
const FORGET_CURSOR_SECS: i64 = 30 * 24 * 60 * 60;

pub(super) async fn store(
    client: &mut Object,
    org: &OrgName,
    doc: &DocId,
    upto: u64,
    bundle: &Bundle,
    quota: u64,
) -> Result<bool, Error> {
    let tx = client.transaction().await?;
    let last = seq_from_sql(lock_doc(&tx, org.as_str(), doc.as_str()).await?)?;
    let held: Option<(i64, i32)> = tx
        .query_opt(
            "SELECT upto, octet_length(data) FROM snapshots WHERE org = $1 AND doc = $2",
            &[&org.as_str(), &doc.as_str()],
        )
        .await?
        .map(|r| (r.get(0), r.get(1)));
    if let Some((held, _)) = held {
        if upto <= seq_from_sql(held)? {
            return Ok(false);
        }
    }
    if upto == 0 || upto > last {
        return Ok(false);
    }
    let replaced = held.map_or(0, |(_, bytes)| i64::from(bytes));
    let grows = i64::try_from(bundle.data.len()).unwrap_or(i64::MAX) - replaced;
    let (stored, quota) = super::append::usage(&tx, &[org.as_str()], quota)
        .await?
        .into_values()
        .next()
        .unwrap_or((0, quota));
    let stored = i64::try_from(stored).unwrap_or(i64::MAX);
    if grows > 0 && stored.saturating_add(grows) > i64::try_from(quota).unwrap_or(i64::MAX) {
        return Ok(false);
    }
    add_bytes(&tx, org, doc, grows).await?;
    tx.execute(
        "INSERT INTO snapshots (org, doc, upto, hash, data, stored_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (org, doc) DO UPDATE
             SET upto = $3, hash = $4, data = $5, stored_at = $6",
        &[
            &org.as_str(),
            &doc.as_str(),
            &seq_to_sql(upto),
            &bundle.hash.0.as_slice(),
            &bundle.data.as_slice(),
            &now(),
        ],
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

pub(super) async fn newest(
    client: &impl GenericClient,
    org: &OrgName,
    doc: &DocId,
) -> Result<Option<Entry>, Error> {
    let row = client
        .query_opt(
            "SELECT upto, hash, data FROM snapshots WHERE org = $1 AND doc = $2",
            &[&org.as_str(), &doc.as_str()],
        )
        .await?;
    row.map(|r| {
        Ok(Entry {
            seq: seq_from_sql(r.get(0))?,
            hash: hash_from_sql(r.get(1), "a snapshot")?,
            data: r.get(2),
        })
    })
    .transpose()
}

/// The highest sequence number no longer kept: entries start after it.
pub(super) async fn floor(
    client: &impl GenericClient,
    org: &OrgName,
    doc: &DocId,
) -> Result<u64, Error> {
    let row = client
        .query_one(
            "SELECT COALESCE(MIN(seq), 1) FROM entries WHERE org = $1 AND doc = $2",
            &[&org.as_str(), &doc.as_str()],
        )
        .await?;
    Ok(seq_from_sql(row.get(0))?.saturating_sub(1))
}

pub(super) async fn note_cursor(
    client: &impl GenericClient,
    token: &str,
    device: &str,
    org: &OrgName,
    doc: &DocId,
    seq: u64,
) -> Result<(), Error> {
    client
        .execute(
            "INSERT INTO cursors (token, device, org, doc, seq, seen_at)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (token, device, doc) DO UPDATE SET seq = $5, seen_at = $6",
            &[
                &token,
                &device,
                &org.as_str(),
                &doc.as_str(),
                &seq_to_sql(seq),
                &now(),
            ],
        )
        .await?;
    Ok(())
}

/// Adds `delta` (negative when bytes are dropped) to what `doc` stores; its row is held.
async fn add_bytes(
    tx: &deadpool_postgres::Transaction<'_>,
    org: &OrgName,
    doc: &DocId,
    delta: i64,
) -> Result<(), Error> {
    tx.execute(
        "UPDATE docs SET bytes = GREATEST(bytes + $3, 0) WHERE org = $1 AND doc = $2",
        &[&org.as_str(), &doc.as_str(), &delta],
    )
    .await?;
    Ok(())
}

/// Drops the entries the newest snapshot covers that every live device seen in the last
/// 30 days has passed, keeping the last entry; returns how many it dropped.
pub(super) async fn compact(client: &mut Object, org: &OrgName, doc: &DocId) -> Result<u64, Error> {
    let tx = client.transaction().await?;
    let last = seq_from_sql(lock_doc(&tx, org.as_str(), doc.as_str()).await?)?;
    let Some(snapshot) = newest(&tx, org, doc).await? else {
        return Ok(0);
    };
    let slowest: Option<i64> = tx
        .query_one(
            "SELECT MIN(c.seq) FROM cursors c JOIN tokens t ON t.id = c.token
             WHERE c.org = $1 AND c.doc = $2 AND t.revoked_at IS NULL AND c.seen_at > $3",
            &[&org.as_str(), &doc.as_str(), &(now() - FORGET_CURSOR_SECS)],
        )
        .await?
        .get(0);
    let mut bound = snapshot.seq.min(last.saturating_sub(1));
    if let Some(slowest) = slowest {
        bound = bound.min(seq_from_sql(slowest)?);
    }
    let freed: i64 = tx
        .query_one(
            "SELECT COALESCE(SUM(octet_length(data)), 0)::BIGINT FROM entries
             WHERE org = $1 AND doc = $2 AND seq <= $3",
            &[&org.as_str(), &doc.as_str(), &seq_to_sql(bound)],
        )
        .await?
        .get(0);
    let dropped = tx
        .execute(
            "DELETE FROM entries WHERE org = $1 AND doc = $2 AND seq <= $3",
            &[&org.as_str(), &doc.as_str(), &seq_to_sql(bound)],
        )
        .await?;
    add_bytes(&tx, org, doc, -freed).await?;
    tx.commit().await?;
    Ok(dropped)
}
