//! Group commit in SQLite: a batch of bundles in one IMMEDIATE transaction, and the bytes
//! each organisation stores, which its quota bounds.

use std::collections::HashMap;

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use super::seq_from_sql;
use crate::storage::{AppendOutcome, OverQuota};
use crate::Error;

/// A bundle as the blocking thread owns it: organisation, document, hash and bytes.
pub(super) type Owned = (String, String, [u8; 32], Vec<u8>);

/// Appends `owned` in one transaction; see [`crate::storage::Storage::append_batch`].
pub(super) fn append_batch(
    conn: &mut Connection,
    owned: &[Owned],
    quota: u64,
) -> Result<Vec<Result<AppendOutcome, OverQuota>>, Error> {
    // IMMEDIATE takes the write lock at once, so that the max+1 read below and the
    // inserts see the same log even if another process writes to the file.
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // Each document's next number and each organisation's stored bytes, read once
    // per batch.
    let mut next: HashMap<(&str, &str), i64> = HashMap::new();
    let mut stored: HashMap<&str, (u64, u64)> = HashMap::new();
    // What each organisation gains, written once at the end.
    let mut gained: HashMap<&str, i64> = HashMap::new();
    let mut outcomes = Vec::with_capacity(owned.len());
    for (org, doc, hash, data) in owned {
        let existing: Option<i64> = tx
            .prepare_cached("SELECT seq FROM entries WHERE org = ?1 AND doc = ?2 AND hash = ?3")?
            .query_row(params![org, doc, hash.as_slice()], |r| r.get(0))
            .optional()?;
        if let Some(seq) = existing {
            outcomes.push(Ok(AppendOutcome {
                seq: seq_from_sql(seq)?,
                new: false,
            }));
            continue;
        }
        let (used, quota) = match stored.get(org.as_str()) {
            Some(&usage) => usage,
            None => usage(&tx, org, quota)?,
        };
        let after = used.saturating_add(data.len() as u64);
        if after > quota {
            stored.insert(org.as_str(), (used, quota));
            outcomes.push(Err(OverQuota {
                stored: used,
                quota,
            }));
            continue;
        }
        stored.insert(org.as_str(), (after, quota));
        *gained.entry(org.as_str()).or_default() += i64::try_from(data.len()).unwrap_or(i64::MAX);
        let seq = match next.get(&(org.as_str(), doc.as_str())) {
            Some(&seq) => seq,
            None => tx
                .prepare_cached(
                    "SELECT COALESCE(MAX(seq), 0) + 1 FROM entries
                     WHERE org = ?1 AND doc = ?2",
                )?
                .query_row(params![org, doc], |r| r.get(0))?,
        };
        tx.prepare_cached(
            "INSERT INTO entries (org, doc, seq, hash, data) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![org, doc, seq, hash.as_slice(), data])?;
        next.insert((org.as_str(), doc.as_str()), seq + 1);
        outcomes.push(Ok(AppendOutcome {
            seq: seq_from_sql(seq)?,
            new: true,
        }));
    }
    for (org, bytes) in gained {
        add_stored(&tx, org, bytes)?;
    }
    tx.commit()?;
    Ok(outcomes)
}

/// Adds `delta` (negative when bytes are dropped) to what `org` stores.
pub(super) fn add_stored(conn: &Connection, org: &str, delta: i64) -> Result<(), Error> {
    conn.prepare_cached(
        "UPDATE orgs SET stored_bytes = MAX(stored_bytes + ?2, 0) WHERE name = ?1",
    )?
    .execute(params![org, delta])?;
    Ok(())
}

/// What `org` stores, in bytes (0 for an organisation that does not exist).
pub(super) fn stored_bytes(conn: &Connection, org: &str) -> Result<u64, Error> {
    Ok(usage(conn, org, u64::MAX)?.0)
}

/// What `org` stores and may store: its own quota, else `relay_quota`.
pub(super) fn usage(conn: &Connection, org: &str, relay_quota: u64) -> Result<(u64, u64), Error> {
    let found: Option<(i64, Option<i64>)> = conn
        .prepare_cached("SELECT stored_bytes, quota_bytes FROM orgs WHERE name = ?1")?
        .query_row(params![org], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (stored, own) = found.unwrap_or((0, None));
    let quota = own.map_or(relay_quota, |q| u64::try_from(q).unwrap_or(0));
    Ok((u64::try_from(stored).unwrap_or(0), quota))
}
