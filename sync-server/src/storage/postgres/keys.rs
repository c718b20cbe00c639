//! Device keys in PostgreSQL: each device's public key (by token: several devices may share
//! one) and the content keys wrapped for it, as bytes; proofs are checked, and keys opened,
//! only on devices. The same rules as SQLite's (`storage::sqlite::keys`).

use deadpool_postgres::{GenericClient, Object};

use super::{now, time};
use crate::org::OrgName;
use crate::Error;
use protocol::{Enrolment, WrappedKey};

/// How many wrapped keys a device is sent: each holds every epoch up to its own.
const KEYS_SENT: i64 = 8;

/// How many devices' keys a token keeps: a token opened on more devices than this drops
/// the oldest.
const DEVICES_PER_TOKEN: i64 = 10;

fn array(bytes: Vec<u8>, what: &str) -> Result<[u8; 32], Error> {
    <[u8; 32]>::try_from(bytes)
        .map_err(|_| Error::Corrupt(format!("a stored {what} is not 32 bytes")))
}

fn epoch_from_sql(epoch: i64) -> Result<u32, Error> {
    u32::try_from(epoch).map_err(|_| Error::Corrupt(format!("epoch {epoch} is out of range")))
}

/// The public keys the devices of `token` sent, oldest first, each with the newest epoch
/// wrapped for it.
pub(super) async fn enrolments(
    client: &impl GenericClient,
    token: &str,
) -> Result<Vec<Enrolment>, Error> {
    let rows = client
        .query(
            "SELECT e.public, e.epoch, e.proof, e.name, e.enrolled_at,
                    (SELECT MAX(w.epoch) FROM wrapped_keys w
                     WHERE w.token = e.token AND w.public = e.public)
             FROM enrolments e WHERE e.token = $1 ORDER BY e.enrolled_at, e.public",
            &[&token],
        )
        .await?;
    rows.into_iter()
        .map(|r| {
            Ok(Enrolment {
                public: array(r.get(0), "public key")?,
                epoch: epoch_from_sql(r.get(1))?,
                proof: array(r.get(2), "proof")?,
                name: r.get(3),
                enrolled_secs: time(r.get(4))?.timestamp(),
                key_epoch: r.get::<_, Option<i64>>(5).map(epoch_from_sql).transpose()?,
            })
        })
        .collect()
}

pub(super) async fn enrol(
    client: &mut Object,
    token: &str,
    name: &str,
    public: [u8; 32],
    epoch: u32,
    proof: [u8; 32],
) -> Result<(), Error> {
    let tx = client.transaction().await?;
    tx.execute(
        "INSERT INTO enrolments (token, public, epoch, proof, name, enrolled_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (token, public) DO UPDATE SET epoch = $3, proof = $4, name = $5,
             enrolled_at = $6",
        &[
            &token,
            &public.as_slice(),
            &i64::from(epoch),
            &proof.as_slice(),
            &name,
            &now(),
        ],
    )
    .await?;
    tx.execute(
        "DELETE FROM enrolments WHERE token = $1 AND public NOT IN (
             SELECT public FROM enrolments WHERE token = $1
             ORDER BY enrolled_at DESC, public LIMIT $2)",
        &[&token, &DEVICES_PER_TOKEN],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub(super) async fn wrapped_for(
    client: &impl GenericClient,
    token: &str,
    public: [u8; 32],
) -> Result<Vec<WrappedKey>, Error> {
    let rows = client
        .query(
            "SELECT epoch, blob FROM wrapped_keys WHERE token = $1 AND public = $2
             ORDER BY epoch DESC LIMIT $3",
            &[&token, &public.as_slice(), &KEYS_SENT],
        )
        .await?;
    rows.into_iter()
        .map(|r| {
            Ok(WrappedKey {
                token: token.to_owned(),
                public,
                epoch: epoch_from_sql(r.get(0))?,
                blob: r.get(1),
            })
        })
        .collect()
}

/// The newest epoch of keys stored or rotated to for `org`, 0 if none.
async fn newest_epoch(client: &impl GenericClient, org: &OrgName) -> Result<i64, Error> {
    let row = client
        .query_one(
            "SELECT GREATEST(
                 (SELECT COALESCE(MAX(w.epoch), 0) FROM wrapped_keys w
                  JOIN tokens t ON t.id = w.token WHERE t.org = $1),
                 (SELECT COALESCE(MAX(epoch), 0) FROM rotations WHERE org = $1))",
            &[&org.as_str()],
        )
        .await?;
    Ok(row.get(0))
}

/// Stores keys of `epoch` for the live tokens of `org`, all or none. The organisation's row
/// is held for the transaction, so two managers' devices storing at once take turns, and
/// each sees the epochs the other stored.
pub(super) async fn store(
    client: &mut Object,
    org: &OrgName,
    epoch: u32,
    rotation: bool,
    keys: &[WrappedKey],
) -> Result<bool, Error> {
    let tx = client.transaction().await?;
    let exists = tx
        .query_opt(
            "SELECT 1 FROM orgs WHERE name = $1 FOR UPDATE",
            &[&org.as_str()],
        )
        .await?;
    if exists.is_none() {
        return Ok(false);
    }
    let newest = newest_epoch(&tx, org).await?;
    let epoch = i64::from(epoch);
    let fits = if rotation {
        epoch > newest
    } else {
        newest == 0 || epoch == newest
    };
    if !fits || epoch == 0 {
        return Ok(false);
    }
    if rotation {
        tx.execute(
            "INSERT INTO rotations (org, epoch, rotated_at) VALUES ($1, $2, $3)",
            &[&org.as_str(), &epoch, &now()],
        )
        .await?;
    }
    for key in keys.iter().filter(|k| i64::from(k.epoch) == epoch) {
        let live = tx
            .query_opt(
                "SELECT 1 FROM tokens WHERE id = $1 AND org = $2 AND revoked_at IS NULL",
                &[&key.token, &org.as_str()],
            )
            .await?;
        if live.is_some() {
            tx.execute(
                "INSERT INTO wrapped_keys (token, public, epoch, blob, stored_at)
                 VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (token, public, epoch) DO UPDATE SET blob = $4, stored_at = $5",
                &[
                    &key.token,
                    &key.public.as_slice(),
                    &epoch,
                    &key.blob,
                    &now(),
                ],
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(true)
}

/// Keys stored at the current epoch after a revocation do not count: the revoked device
/// may hold that epoch. Only a rotation since does.
pub(super) async fn rotation_wanted(
    client: &impl GenericClient,
    org: &OrgName,
) -> Result<bool, Error> {
    let wanted = client
        .query_opt(
            "SELECT 1 FROM tokens WHERE org = $1 AND revoked_at IS NOT NULL
             AND COALESCE(revoked_epoch, 0) >= (
                 SELECT COALESCE(MAX(epoch), 0) FROM rotations WHERE org = $1)
             LIMIT 1",
            &[&org.as_str()],
        )
        .await?;
    Ok(wanted.is_some())
}
