//! The relay's SQLite schema and its migrations: version 1 to 3 shapes of `tokens`, then
//! device keys (4), snapshots (5) and the bytes each organisation stores (6), each step applied once inside one exclusive
//! transaction.

use rusqlite::{Connection, TransactionBehavior};

use crate::Error;

/// The schema this code reads and writes, kept in SQLite's `user_version`.
pub(super) const SCHEMA_VERSION: i64 = 6;

pub(super) const SCHEMA: &str = "
CREATE TABLE orgs (
    name TEXT PRIMARY KEY,
    created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE tokens (
    id TEXT PRIMARY KEY,
    hash BLOB NOT NULL UNIQUE,
    org TEXT NOT NULL REFERENCES orgs(name),
    label TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER,
    -- The sites whose documents the token may sync, joined by commas; NULL for all.
    sites TEXT,
    -- 1 when the token may list and revoke its organisation's tokens (a manager's device).
    manage INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE INDEX tokens_by_org ON tokens(org);

CREATE TABLE entries (
    org TEXT NOT NULL REFERENCES orgs(name),
    doc TEXT NOT NULL,
    seq INTEGER NOT NULL,
    hash BLOB NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (org, doc, seq),
    UNIQUE (org, doc, hash)
) STRICT;
";

/// Version 4: each device's public key (several devices may share a token) and the content
/// keys wrapped for it, the epochs made by rotation, and the newest of those at a token's
/// revocation (a revocation with no rotation since asks a manager's device for a new
/// epoch). Tokens revoked before count as revoked at epoch 0.
pub(super) const DEVICE_KEYS: &str = "
ALTER TABLE tokens ADD COLUMN revoked_epoch INTEGER;
UPDATE tokens SET revoked_epoch = 0 WHERE revoked_at IS NOT NULL;

CREATE TABLE enrolments (
    token TEXT NOT NULL REFERENCES tokens(id),
    public BLOB NOT NULL,
    -- 0 when the proof was made with a link's enrolment secret, else the content key's epoch.
    epoch INTEGER NOT NULL,
    proof BLOB NOT NULL,
    name TEXT NOT NULL,
    enrolled_at INTEGER NOT NULL,
    PRIMARY KEY (token, public)
) STRICT;

CREATE TABLE wrapped_keys (
    token TEXT NOT NULL REFERENCES tokens(id),
    public BLOB NOT NULL,
    epoch INTEGER NOT NULL,
    blob BLOB NOT NULL,
    stored_at INTEGER NOT NULL,
    PRIMARY KEY (token, public, epoch)
) STRICT;

-- The epochs a manager's device made after a revocation.
CREATE TABLE rotations (
    org TEXT NOT NULL REFERENCES orgs(name),
    epoch INTEGER NOT NULL,
    rotated_at INTEGER NOT NULL,
    PRIMARY KEY (org, epoch)
) STRICT;
";

/// Version 5: each document's newest snapshot (sealed on a device, like its entries), and
/// how far each device had read each document when it last subscribed, so that entries a
/// snapshot covers are dropped only once every device that reads them has passed them.
pub(super) const SNAPSHOTS: &str = "
CREATE TABLE snapshots (
    org TEXT NOT NULL REFERENCES orgs(name),
    doc TEXT NOT NULL,
    upto INTEGER NOT NULL,
    hash BLOB NOT NULL,
    data BLOB NOT NULL,
    stored_at INTEGER NOT NULL,
    PRIMARY KEY (org, doc)
) STRICT;

CREATE TABLE cursors (
    token TEXT NOT NULL REFERENCES tokens(id),
    device TEXT NOT NULL,
    org TEXT NOT NULL,
    doc TEXT NOT NULL,
    seq INTEGER NOT NULL,
    seen_at INTEGER NOT NULL,
    PRIMARY KEY (token, device, doc)
) STRICT;

CREATE INDEX cursors_by_doc ON cursors(org, doc);
";

/// Version 6: the bytes each organisation's logs and snapshots hold, kept up to date by
/// whatever adds or drops them, and its own quota (NULL: the relay's).
const STORED_BYTES: &str = "
ALTER TABLE orgs ADD COLUMN quota_bytes INTEGER;
ALTER TABLE orgs ADD COLUMN stored_bytes INTEGER NOT NULL DEFAULT 0;
UPDATE orgs SET stored_bytes =
    (SELECT COALESCE(SUM(length(data)), 0) FROM entries WHERE entries.org = orgs.name)
  + (SELECT COALESCE(SUM(length(data)), 0) FROM snapshots WHERE snapshots.org = orgs.name);
";

/// Brings the file to [`SCHEMA_VERSION`]. The version is read inside the exclusive
/// transaction that changes it, so two processes opening an older file at once (the relay
/// and `token create`) migrate it once: the second finds it done.
pub(super) fn migrate(conn: &mut Connection) -> Result<(), Error> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Exclusive)?;
    let version: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
    match version {
        0 => tx.execute_batch(SCHEMA)?,
        // Version 1 had no site scope: its tokens keep every site. Versions 1 and 2 had no
        // managing tokens: theirs manage nothing.
        1 => tx.execute_batch(
            "ALTER TABLE tokens ADD COLUMN sites TEXT;
             ALTER TABLE tokens ADD COLUMN manage INTEGER NOT NULL DEFAULT 0;",
        )?,
        2 => tx.execute_batch("ALTER TABLE tokens ADD COLUMN manage INTEGER NOT NULL DEFAULT 0")?,
        3..=5 => {}
        SCHEMA_VERSION => return Ok(()),
        found => {
            return Err(Error::SchemaTooNew {
                found,
                known: SCHEMA_VERSION,
            })
        }
    }
    if version < 4 {
        tx.execute_batch(DEVICE_KEYS)?;
    }
    if version < 5 {
        tx.execute_batch(SNAPSHOTS)?;
    }
    tx.execute_batch(STORED_BYTES)?;
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    tx.commit()?;
    Ok(())
}
