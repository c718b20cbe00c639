//! The relay's PostgreSQL schema and its migrations, kept in `relay_schema`. Every relay
//! migrates at start inside one transaction under an advisory lock, so several relays
//! starting at once on one database migrate it once.

use deadpool_postgres::Object;

use crate::Error;

/// The schema this code reads and writes.
pub(super) const SCHEMA_VERSION: i64 = 2;

/// The advisory lock that serialises migrations (an arbitrary number, the same for every
/// relay).
const MIGRATION_LOCK: i64 = 0x6672_6f6e_7464_6573;

/// Version 1: the shape SQLite reached at its version 5, with one more table, `docs`, that
/// holds each document's last sequence number. Its row is the document's lock: appends,
/// snapshots and compaction of one document take it, so sequence numbers stay gap-free
/// whichever relay appends, and documents never wait for each other.
const SCHEMA: &str = "
CREATE TABLE orgs (
    name TEXT PRIMARY KEY,
    created_at BIGINT NOT NULL
);

CREATE TABLE tokens (
    id TEXT PRIMARY KEY,
    hash BYTEA NOT NULL UNIQUE,
    org TEXT NOT NULL REFERENCES orgs(name),
    label TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT,
    -- The sites whose documents the token may sync, joined by commas; NULL for all.
    sites TEXT,
    -- Whether the token may list and revoke its organisation's tokens (a manager's device).
    manage BOOLEAN NOT NULL DEFAULT FALSE,
    -- The newest rotated epoch when the token was revoked.
    revoked_epoch BIGINT
);

CREATE INDEX tokens_by_org ON tokens(org);

CREATE TABLE docs (
    org TEXT NOT NULL REFERENCES orgs(name),
    doc TEXT NOT NULL,
    last_seq BIGINT NOT NULL,
    PRIMARY KEY (org, doc)
);

CREATE TABLE entries (
    org TEXT NOT NULL,
    doc TEXT NOT NULL,
    seq BIGINT NOT NULL,
    hash BYTEA NOT NULL,
    data BYTEA NOT NULL,
    PRIMARY KEY (org, doc, seq),
    UNIQUE (org, doc, hash),
    FOREIGN KEY (org, doc) REFERENCES docs(org, doc)
);

CREATE TABLE enrolments (
    token TEXT NOT NULL REFERENCES tokens(id),
    public BYTEA NOT NULL,
    -- 0 when the proof was made with a link's enrolment secret, else the content key's epoch.
    epoch BIGINT NOT NULL,
    proof BYTEA NOT NULL,
    name TEXT NOT NULL,
    enrolled_at BIGINT NOT NULL,
    PRIMARY KEY (token, public)
);

CREATE TABLE wrapped_keys (
    token TEXT NOT NULL REFERENCES tokens(id),
    public BYTEA NOT NULL,
    epoch BIGINT NOT NULL,
    blob BYTEA NOT NULL,
    stored_at BIGINT NOT NULL,
    PRIMARY KEY (token, public, epoch)
);

-- The epochs a manager's device made after a revocation.
CREATE TABLE rotations (
    org TEXT NOT NULL REFERENCES orgs(name),
    epoch BIGINT NOT NULL,
    rotated_at BIGINT NOT NULL,
    PRIMARY KEY (org, epoch)
);

CREATE TABLE snapshots (
    org TEXT NOT NULL,
    doc TEXT NOT NULL,
    upto BIGINT NOT NULL,
    hash BYTEA NOT NULL,
    data BYTEA NOT NULL,
    stored_at BIGINT NOT NULL,
    PRIMARY KEY (org, doc),
    FOREIGN KEY (org, doc) REFERENCES docs(org, doc)
);

CREATE TABLE cursors (
    token TEXT NOT NULL REFERENCES tokens(id),
    device TEXT NOT NULL,
    org TEXT NOT NULL,
    doc TEXT NOT NULL,
    seq BIGINT NOT NULL,
    seen_at BIGINT NOT NULL,
    PRIMARY KEY (token, device, doc)
);

CREATE INDEX cursors_by_doc ON cursors(org, doc);
";

/// Version 2: the bytes each document's log and snapshot hold, kept in its `docs` row by
/// whatever adds or drops them (that row is taken anyway); an organisation's sum is what its
/// quota bounds, its own (`orgs.quota_bytes`) or else the relay's.
const STORED_BYTES: &str = "
ALTER TABLE orgs ADD COLUMN quota_bytes BIGINT;
ALTER TABLE docs ADD COLUMN bytes BIGINT NOT NULL DEFAULT 0;
UPDATE docs SET bytes =
    (SELECT COALESCE(SUM(octet_length(data)), 0) FROM entries e
     WHERE e.org = docs.org AND e.doc = docs.doc)
  + (SELECT COALESCE(SUM(octet_length(data)), 0) FROM snapshots s
     WHERE s.org = docs.org AND s.doc = docs.doc);
";

/// Brings the database to [`SCHEMA_VERSION`], or refuses one a newer relay wrote.
pub(super) async fn migrate(client: &mut Object) -> Result<(), Error> {
    let tx = client.transaction().await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .await?;
    tx.batch_execute("CREATE TABLE IF NOT EXISTS relay_schema (version BIGINT NOT NULL)")
        .await?;
    let version: i64 = tx
        .query_opt("SELECT version FROM relay_schema", &[])
        .await?
        .map_or(0, |row| row.get(0));
    match version {
        0 => {
            tx.batch_execute(SCHEMA).await?;
            tx.batch_execute(STORED_BYTES).await?;
            tx.execute(
                "INSERT INTO relay_schema (version) VALUES ($1)",
                &[&SCHEMA_VERSION],
            )
            .await?;
        }
        1 => {
            tx.batch_execute(STORED_BYTES).await?;
            tx.execute("UPDATE relay_schema SET version = $1", &[&SCHEMA_VERSION])
                .await?;
        }
        SCHEMA_VERSION => {}
        found => {
            return Err(Error::SchemaTooNew {
                found,
                known: SCHEMA_VERSION,
            })
        }
    }
    tx.commit().await?;
    Ok(())
}
