//! Snapshots and compaction in SQLite: each document's newest snapshot, the cursor each
//! device had at its last subscription, and dropping the entries a snapshot covers once
//! every device that reads the document has passed them.

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use super::append::{add_stored, usage};
use super::{now, seq_from_sql};
use crate::org::OrgName;
use crate::Error;
use protocol::{Bundle, BundleHash, DocId, Entry};

/// A length as SQLite counts it.
fn byte_count(len: usize) -> i64 {
    i64::try_from(len).unwrap_or(i64::MAX)
}

/// A device not seen for this long no longer holds entries back: when it comes back from
/// further than what is kept, it is sent the snapshot instead.
const FORGET_CURSOR_SECS: i64 = 30 * 24 * 60 * 60;

fn last_seq(conn: &Connection, org: &OrgName, doc: &DocId) -> Result<u64, Error> {
    let last: i64 = conn
        .prepare_cached("SELECT COALESCE(MAX(seq), 0) FROM entries WHERE org = ?1 AND doc = ?2")?
        .query_row(params![org.as_str(), doc.as_str()], |r| r.get(0))?;
    seq_from_sql(last)
}

pub(super) fn store(
    conn: &mut Connection,
    org: &OrgName,
    doc: &DocId,
    upto: u64,
    bundle: &Bundle,
    quota: u64,
) -> Result<bool, Error> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let held: Option<(i64, i64)> = tx
        .prepare_cached("SELECT upto, length(data) FROM snapshots WHERE org = ?1 AND doc = ?2")?
        .query_row(params![org.as_str(), doc.as_str()], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    let newer = match held {
        Some((held, _)) => upto > seq_from_sql(held)?,
        None => true,
    };
    if upto == 0 || upto > last_seq(&tx, org, doc)? || !newer {
        return Ok(false);
    }
    let replaced = held.map_or(0, |(_, bytes)| bytes);
    let grows = byte_count(bundle.data.len()) - replaced;
    let (stored, quota) = usage(&tx, org.as_str(), quota)?;
    let stored = i64::try_from(stored).unwrap_or(i64::MAX);
    if grows > 0 && stored.saturating_add(grows) > i64::try_from(quota).unwrap_or(i64::MAX) {
        return Ok(false);
    }
    add_stored(&tx, org.as_str(), grows)?;
    tx.prepare_cached(
        "INSERT OR REPLACE INTO snapshots (org, doc, upto, hash, data, stored_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        org.as_str(),
        doc.as_str(),
        i64::try_from(upto).unwrap_or(i64::MAX),
        bundle.hash.0.as_slice(),
        bundle.data,
        now()
    ])?;
    tx.commit()?;
    Ok(true)
}

pub(super) fn newest(
    conn: &Connection,
    org: &OrgName,
    doc: &DocId,
) -> Result<Option<Entry>, Error> {
    let found: Option<(i64, Vec<u8>, Vec<u8>)> = conn
        .prepare_cached("SELECT upto, hash, data FROM snapshots WHERE org = ?1 AND doc = ?2")?
        .query_row(params![org.as_str(), doc.as_str()], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    found
        .map(|(upto, hash, data)| {
            let hash = <[u8; 32]>::try_from(hash)
                .map_err(|_| Error::Corrupt("a snapshot's hash is not 32 bytes".into()))?;
            Ok(Entry {
                seq: seq_from_sql(upto)?,
                hash: BundleHash(hash),
                data,
            })
        })
        .transpose()
}

/// The highest sequence number no longer kept: entries start after it.
pub(super) fn floor(conn: &Connection, org: &OrgName, doc: &DocId) -> Result<u64, Error> {
    let first: i64 = conn
        .prepare_cached("SELECT COALESCE(MIN(seq), 1) FROM entries WHERE org = ?1 AND doc = ?2")?
        .query_row(params![org.as_str(), doc.as_str()], |r| r.get(0))?;
    Ok(seq_from_sql(first)?.saturating_sub(1))
}

pub(super) fn note_cursor(
    conn: &Connection,
    token: &str,
    device: &str,
    org: &OrgName,
    doc: &DocId,
    seq: u64,
) -> Result<(), Error> {
    conn.prepare_cached(
        "INSERT INTO cursors (token, device, org, doc, seq, seen_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (token, device, doc) DO UPDATE SET seq = ?5, seen_at = ?6",
    )?
    .execute(params![
        token,
        device,
        org.as_str(),
        doc.as_str(),
        i64::try_from(seq).unwrap_or(i64::MAX),
        now()
    ])?;
    Ok(())
}

/// Drops the entries the newest snapshot covers that every live device seen in the last
/// 30 days has passed, keeping the last entry (its number is the log's length); returns how
/// many it dropped.
pub(super) fn compact(conn: &mut Connection, org: &OrgName, doc: &DocId) -> Result<u64, Error> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let Some(snapshot) = newest(&tx, org, doc)? else {
        return Ok(0);
    };
    let slowest: Option<i64> = tx
        .prepare_cached(
            "SELECT MIN(c.seq) FROM cursors c JOIN tokens t ON t.id = c.token
             WHERE c.org = ?1 AND c.doc = ?2 AND t.revoked_at IS NULL AND c.seen_at > ?3",
        )?
        .query_row(
            params![org.as_str(), doc.as_str(), now() - FORGET_CURSOR_SECS],
            |r| r.get(0),
        )?;
    let last = last_seq(&tx, org, doc)?;
    let mut bound = snapshot.seq.min(last.saturating_sub(1));
    if let Some(slowest) = slowest {
        bound = bound.min(seq_from_sql(slowest)?);
    }
    let bound = i64::try_from(bound).unwrap_or(i64::MAX);
    let freed: i64 = tx
        .prepare_cached(
            "SELECT COALESCE(SUM(length(data)), 0) FROM entries
             WHERE org = ?1 AND doc = ?2 AND seq <= ?3",
        )?
        .query_row(params![org.as_str(), doc.as_str(), bound], |r| r.get(0))?;
    let dropped = tx
        .prepare_cached("DELETE FROM entries WHERE org = ?1 AND doc = ?2 AND seq <= ?3")?
        .execute(params![org.as_str(), doc.as_str(), bound])?;
    add_stored(&tx, org.as_str(), -freed)?;
    tx.commit()?;
    Ok(dropped as u64)
}
