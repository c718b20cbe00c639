//! Group commit on PostgreSQL: a batch of bundles in one transaction of a fixed number of
//! statements whatever its size (each takes arrays), so that a commit of many bundles costs
//! about what a commit of one does.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::listen;
use crate::storage::stored::seq_from_sql;
use crate::storage::{Append, AppendOutcome, OverQuota};
use crate::Error;

/// A document of the batch: (organisation, document) as stored.
type Doc<'a> = (&'a str, &'a str);

/// Entries as columns, each a statement's array parameter.
#[derive(Default)]
struct Columns<'a> {
    orgs: Vec<&'a str>,
    docs: Vec<&'a str>,
    seqs: Vec<i64>,
    hashes: Vec<&'a [u8]>,
    data: Vec<&'a [u8]>,
}

/// Appends `batch` in one transaction; see [`crate::storage::Storage::append_batch`].
pub(super) async fn append_batch(
    client: &mut deadpool_postgres::Object,
    batch: &[Append<'_>],
    quota: u64,
) -> Result<Vec<Result<AppendOutcome, OverQuota>>, Error> {
    if batch.is_empty() {
        return Ok(Vec::new());
    }
    let tx = client.transaction().await?;
    // Every document's row first, taken in one order by every relay (sorted), so that two
    // relays' batches sharing documents wait for each other instead of deadlocking. A
    // second append of the same bundle, from any relay, waits here and then finds the first.
    let docs: Vec<Doc<'_>> = batch
        .iter()
        .map(|a| (a.org.as_str(), a.doc.as_str()))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let (orgs, names): (Vec<&str>, Vec<&str>) = docs.iter().copied().unzip();
    let rows = tx
        .query(
            &tx.prepare_cached(
                "INSERT INTO docs (org, doc, last_seq)
                 SELECT org, doc, 0 FROM unnest($1::TEXT[], $2::TEXT[]) AS d(org, doc)
                 ORDER BY org, doc
                 ON CONFLICT (org, doc) DO UPDATE SET last_seq = docs.last_seq
                 RETURNING org, doc, last_seq",
            )
            .await?,
            &[&orgs, &names],
        )
        .await?;
    let mut last: BTreeMap<(String, String), i64> = BTreeMap::new();
    for row in rows {
        last.insert((row.get(0), row.get(1)), row.get(2));
    }

    // Bundles the documents hold already.
    let orgs: Vec<&str> = batch.iter().map(|a| a.org.as_str()).collect();
    let names: Vec<&str> = batch.iter().map(|a| a.doc.as_str()).collect();
    let hashes: Vec<&[u8]> = batch.iter().map(|a| a.bundle.hash.0.as_slice()).collect();
    let rows = tx
        .query(
            &tx.prepare_cached(
                "SELECT e.org, e.doc, e.hash, e.seq
                 FROM unnest($1::TEXT[], $2::TEXT[], $3::BYTEA[]) AS b(org, doc, hash)
                 JOIN entries e ON e.org = b.org AND e.doc = b.doc AND e.hash = b.hash",
            )
            .await?,
            &[&orgs, &names, &hashes],
        )
        .await?;
    let mut held: HashMap<(String, String, Vec<u8>), i64> = HashMap::new();
    for row in rows {
        held.insert((row.get(0), row.get(1), row.get(2)), row.get(3));
    }

    // What the batch's organisations store. Read after their documents were taken but
    // without taking their other documents: two relays may together pass a quota by what
    // one batch holds.
    let batch_orgs: Vec<&str> = docs.iter().map(|(org, _)| *org).collect();
    let mut stored = usage(&tx, &batch_orgs, quota).await?;

    // Numbers, in the batch's order; a bundle twice in the batch keeps its first number.
    let mut outcomes = Vec::with_capacity(batch.len());
    let mut new = Columns::default();
    for a in batch {
        let key = (
            a.org.as_str().to_owned(),
            a.doc.as_str().to_owned(),
            a.bundle.hash.0.to_vec(),
        );
        if let Some(&seq) = held.get(&key) {
            outcomes.push(Ok(AppendOutcome {
                seq: seq_from_sql(seq)?,
                new: false,
            }));
            continue;
        }
        let (used, quota) = stored.entry(key.0.clone()).or_insert((0, quota));
        let after = used.saturating_add(a.bundle.data.len() as u64);
        if after > *quota {
            outcomes.push(Err(OverQuota {
                stored: *used,
                quota: *quota,
            }));
            continue;
        }
        *used = after;
        let Some(seq) = last.get_mut(&(key.0.clone(), key.1.clone())) else {
            return Err(Error::Corrupt("a batch's document was not locked".into()));
        };
        *seq += 1;
        held.insert(key, *seq);
        new.orgs.push(a.org.as_str());
        new.docs.push(a.doc.as_str());
        new.seqs.push(*seq);
        new.hashes.push(a.bundle.hash.0.as_slice());
        new.data.push(a.bundle.data.as_slice());
        outcomes.push(Ok(AppendOutcome {
            seq: seq_from_sql(*seq)?,
            new: true,
        }));
    }
    // A document whose row this batch made and which gained nothing (its bundles refused
    // by the quota) keeps no row: pushes to ever new names must not grow the table.
    let (empty_orgs, empty_docs): (Vec<&str>, Vec<&str>) = last
        .iter()
        .filter(|(_, &seq)| seq == 0)
        .map(|((org, doc), _)| (org.as_str(), doc.as_str()))
        .unzip();
    if !empty_orgs.is_empty() {
        tx.execute(
            &tx.prepare_cached(
                "DELETE FROM docs d USING unnest($1::TEXT[], $2::TEXT[]) AS u(org, doc)
                 WHERE d.org = u.org AND d.doc = u.doc AND d.last_seq = 0 AND d.bytes = 0",
            )
            .await?,
            &[&empty_orgs, &empty_docs],
        )
        .await?;
    }
    if new.seqs.is_empty() {
        tx.commit().await?;
        return Ok(outcomes);
    }
    tx.execute(
        &tx.prepare_cached(
            "INSERT INTO entries (org, doc, seq, hash, data)
             SELECT * FROM unnest($1::TEXT[], $2::TEXT[], $3::BIGINT[], $4::BYTEA[], $5::BYTEA[])",
        )
        .await?,
        &[&new.orgs, &new.docs, &new.seqs, &new.hashes, &new.data],
    )
    .await?;

    // The documents that grew: their last numbers, and one notice each, heard by every
    // relay once the commit is done (`listen`).
    let grown: BTreeSet<Doc<'_>> = new
        .orgs
        .iter()
        .copied()
        .zip(new.docs.iter().copied())
        .collect();
    let mut update = Columns::default();
    let mut added: BTreeMap<Doc<'_>, i64> = BTreeMap::new();
    for (org, doc, data) in new
        .orgs
        .iter()
        .zip(&new.docs)
        .zip(&new.data)
        .map(|((o, d), b)| (o, d, b))
    {
        *added.entry((org, doc)).or_default() += i64::try_from(data.len()).unwrap_or(i64::MAX);
    }
    let mut notices = Vec::new();
    let mut bytes = Vec::new();
    for (org, doc) in grown {
        let seq = last
            .get(&(org.to_owned(), doc.to_owned()))
            .copied()
            .unwrap_or_default();
        update.orgs.push(org);
        update.docs.push(doc);
        update.seqs.push(seq);
        bytes.push(added.get(&(org, doc)).copied().unwrap_or(0));
        notices.push(listen::notice(org, doc, seq));
    }
    tx.execute(
        &tx.prepare_cached(
            "UPDATE docs SET last_seq = u.seq, bytes = docs.bytes + u.bytes
             FROM unnest($1::TEXT[], $2::TEXT[], $3::BIGINT[], $4::BIGINT[])
                 AS u(org, doc, seq, bytes)
             WHERE docs.org = u.org AND docs.doc = u.doc",
        )
        .await?,
        &[&update.orgs, &update.docs, &update.seqs, &bytes],
    )
    .await?;
    tx.execute(
        &tx.prepare_cached("SELECT pg_notify($1, n) FROM unnest($2::TEXT[]) AS n")
            .await?,
        &[&listen::CHANNEL, &notices],
    )
    .await?;
    tx.commit().await?;
    Ok(outcomes)
}

/// What each of `orgs` stores, in bytes, by the sum of its documents' rows, and may store:
/// its own quota, else `relay_quota`.
pub(super) async fn usage(
    client: &impl deadpool_postgres::GenericClient,
    orgs: &[&str],
    relay_quota: u64,
) -> Result<HashMap<String, (u64, u64)>, Error> {
    let rows = client
        .query(
            &client
                .prepare_cached(
                    "SELECT o,
                            COALESCE((SELECT SUM(bytes) FROM docs WHERE org = o), 0)::BIGINT,
                            (SELECT quota_bytes FROM orgs WHERE name = o)
                     FROM unnest($1::TEXT[]) AS o",
                )
                .await?,
            &[&orgs],
        )
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let bytes: i64 = row.get(1);
            let own: Option<i64> = row.get(2);
            let quota = own.map_or(relay_quota, |q| u64::try_from(q).unwrap_or(0));
            (row.get(0), (u64::try_from(bytes).unwrap_or(0), quota))
        })
        .collect())
}
