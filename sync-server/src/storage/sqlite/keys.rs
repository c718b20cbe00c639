//! Device keys in SQLite: each device's public key (by token: several devices may share
//! one) and the content keys wrapped for it. Storage keeps them as bytes: the proofs are checked, and the keys
//! opened, only on devices.

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use super::{now, time};
use crate::org::OrgName;
use crate::Error;
use protocol::{Enrolment, WrappedKey};

/// How many wrapped keys a device is sent: each holds every epoch up to its own.
const KEYS_SENT: usize = 8;

fn array(bytes: Vec<u8>, what: &str) -> Result<[u8; 32], Error> {
    <[u8; 32]>::try_from(bytes)
        .map_err(|_| Error::Corrupt(format!("a stored {what} is not 32 bytes")))
}

/// How many devices' keys a token keeps: a token opened on more devices than this drops
/// the oldest.
const DEVICES_PER_TOKEN: i64 = 10;

/// The public keys the devices of `token` sent, oldest first, each with the newest epoch
/// wrapped for it.
pub(super) fn enrolments(conn: &Connection, token: &str) -> Result<Vec<Enrolment>, Error> {
    let mut stmt = conn.prepare_cached(
        "SELECT e.public, e.epoch, e.proof, e.name, e.enrolled_at,
                (SELECT MAX(w.epoch) FROM wrapped_keys w
                 WHERE w.token = e.token AND w.public = e.public)
         FROM enrolments e WHERE e.token = ?1 ORDER BY e.enrolled_at, e.public",
    )?;
    let mut rows = stmt.query(params![token])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(Enrolment {
            public: array(r.get(0)?, "public key")?,
            epoch: r.get(1)?,
            proof: array(r.get(2)?, "proof")?,
            name: r.get(3)?,
            enrolled_secs: time(r.get(4)?)?.timestamp(),
            key_epoch: r.get(5)?,
        });
    }
    Ok(out)
}

pub(super) fn enrol(
    conn: &Connection,
    token: &str,
    name: &str,
    public: [u8; 32],
    epoch: u32,
    proof: [u8; 32],
) -> Result<(), Error> {
    conn.prepare_cached(
        "INSERT INTO enrolments (token, public, epoch, proof, name, enrolled_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (token, public) DO UPDATE SET epoch = ?3, proof = ?4, name = ?5,
             enrolled_at = ?6",
    )?
    .execute(params![
        token,
        public.as_slice(),
        epoch,
        proof.as_slice(),
        name,
        now()
    ])?;
    conn.prepare_cached(
        "DELETE FROM enrolments WHERE token = ?1 AND public NOT IN (
             SELECT public FROM enrolments WHERE token = ?1
             ORDER BY enrolled_at DESC, public LIMIT ?2)",
    )?
    .execute(params![token, DEVICES_PER_TOKEN])?;
    Ok(())
}

pub(super) fn wrapped_for(
    conn: &Connection,
    token: &str,
    public: [u8; 32],
) -> Result<Vec<WrappedKey>, Error> {
    let mut stmt = conn.prepare_cached(
        "SELECT epoch, blob FROM wrapped_keys WHERE token = ?1 AND public = ?2
         ORDER BY epoch DESC LIMIT ?3",
    )?;
    let rows = stmt.query_map(params![token, public.as_slice(), KEYS_SENT], |r| {
        Ok(WrappedKey {
            token: token.to_owned(),
            public,
            epoch: r.get(0)?,
            blob: r.get(1)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The newest epoch of keys stored or rotated to for `org`, 0 if none.
fn newest_epoch(conn: &Connection, org: &OrgName) -> Result<u32, Error> {
    Ok(conn
        .prepare_cached(
            "SELECT MAX(
                 (SELECT COALESCE(MAX(w.epoch), 0) FROM wrapped_keys w
                  JOIN tokens t ON t.id = w.token WHERE t.org = ?1),
                 (SELECT COALESCE(MAX(epoch), 0) FROM rotations WHERE org = ?1))",
        )?
        .query_row(params![org.as_str()], |r| r.get(0))?)
}

/// The newest epoch made by a rotation for `org`, 0 if none.
fn rotated_epoch(conn: &Connection, org: &OrgName) -> Result<u32, Error> {
    Ok(conn
        .prepare_cached("SELECT COALESCE(MAX(epoch), 0) FROM rotations WHERE org = ?1")?
        .query_row(params![org.as_str()], |r| r.get(0))?)
}

pub(super) fn store(
    conn: &mut Connection,
    org: &OrgName,
    epoch: u32,
    rotation: bool,
    keys: &[WrappedKey],
) -> Result<bool, Error> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let newest = newest_epoch(&tx, org)?;
    let fits = if rotation {
        epoch > newest
    } else {
        newest == 0 || epoch == newest
    };
    if !fits || epoch == 0 {
        return Ok(false);
    }
    if rotation {
        tx.prepare_cached("INSERT INTO rotations (org, epoch, rotated_at) VALUES (?1, ?2, ?3)")?
            .execute(params![org.as_str(), epoch, now()])?;
    }
    for key in keys.iter().filter(|k| k.epoch == epoch) {
        let live: Option<i64> = tx
            .prepare_cached(
                "SELECT 1 FROM tokens WHERE id = ?1 AND org = ?2 AND revoked_at IS NULL",
            )?
            .query_row(params![key.token, org.as_str()], |r| r.get(0))
            .optional()?;
        if live.is_some() {
            tx.prepare_cached(
                "INSERT OR REPLACE INTO wrapped_keys (token, public, epoch, blob, stored_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![
                key.token,
                key.public.as_slice(),
                epoch,
                key.blob,
                now()
            ])?;
        }
    }
    tx.commit()?;
    Ok(true)
}

/// Keys stored at the current epoch after a revocation do not count: the revoked device
/// may hold that epoch. Only a rotation since does.
pub(super) fn rotation_wanted(conn: &Connection, org: &OrgName) -> Result<bool, Error> {
    let newest = rotated_epoch(conn, org)?;
    let wanted: Option<i64> = conn
        .prepare_cached(
            "SELECT 1 FROM tokens WHERE org = ?1 AND revoked_at IS NOT NULL
             AND COALESCE(revoked_epoch, 0) >= ?2 LIMIT 1",
        )?
        .query_row(params![org.as_str(), newest], |r| r.get(0))
        .optional()?;
    Ok(wanted.is_some())
}
