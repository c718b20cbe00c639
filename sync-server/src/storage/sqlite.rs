//! The embedded default storage: one SQLite file, no server to start.
//!
//! The file runs in WAL mode with `synchronous=FULL`, so a commit has reached the disk
//! when it returns: that is what makes an `Ack` mean durable. There are two connections,
//! each behind a std `Mutex`: a writer for every change and a reader for lookups and
//! backlogs, so that a device downloading a long backlog never waits behind a commit (WAL
//! lets readers and the one writer work at the same time). SQLite calls block, so every
//! method runs them on tokio's blocking pool.

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use rusqlite::{params, Connection, OpenFlags, OptionalExtension, TransactionBehavior};

use super::stored::{now, org_from_sql, seq_from_sql, sites_from_sql, time};
use super::{
    entry_cost, Access, Append, AppendOutcome, BoxFuture, NewToken, OverQuota, Storage, TokenInfo,
};
use crate::auth::{TokenHash, TokenSecret, TOKEN_PREFIX};
use crate::org::OrgName;
use crate::sites::Sites;
use crate::Error;
use protocol::{Bundle, BundleHash, DocId, Entry, WrappedKey};
use schema::migrate;
#[cfg(test)]
use schema::SCHEMA;

/// How long a statement waits for another process (for example `sync-server token
/// revoke` while the relay runs) to release the database before it fails.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Storage in one SQLite file.
#[derive(Clone)]
pub struct SqliteStorage {
    inner: Arc<Inner>,
}

struct Inner {
    writer: Mutex<Connection>,
    reader: Mutex<Connection>,
}

impl Inner {
    // A panic while a connection was locked leaves the connection usable: an unfinished
    // transaction rolls back when it is dropped. So a poisoned lock is simply taken over.
    fn writer(&self) -> MutexGuard<'_, Connection> {
        self.writer.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn reader(&self) -> MutexGuard<'_, Connection> {
        self.reader.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl SqliteStorage {
    /// Opens the database file, creating it and its schema if missing.
    pub fn open(path: &Path) -> Result<Self, Error> {
        let mut writer = Connection::open(path)?;
        writer.busy_timeout(BUSY_TIMEOUT)?;
        let mode: String = writer.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(Error::Corrupt(format!(
                "the database refused WAL mode (it is in {mode} mode)"
            )));
        }
        writer.pragma_update(None, "synchronous", "FULL")?;
        writer.pragma_update(None, "foreign_keys", true)?;
        migrate(&mut writer)?;

        let reader = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        reader.busy_timeout(BUSY_TIMEOUT)?;
        Ok(Self {
            inner: Arc::new(Inner {
                writer: Mutex::new(writer),
                reader: Mutex::new(reader),
            }),
        })
    }

    /// Writes a consistent copy of the database file `from` to `to`, a file that must not
    /// exist yet, while a relay goes on serving from it (SQLite's `VACUUM INTO`, on a
    /// read-only connection: nothing is created or migrated, and pushes are not held up).
    /// The copy is made readable by its owner only before anything is written into it.
    pub async fn backup(from: &Path, to: &Path) -> Result<(), Error> {
        let (from, to) = (from.to_path_buf(), to.to_path_buf());
        tokio::task::spawn_blocking(move || {
            if !from.is_file() {
                return Err(Error::Io(std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    format!("there is no relay database at {}", from.display()),
                )));
            }
            let target = to.to_str().ok_or_else(|| {
                Error::Io(std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    "the backup's path is not valid UTF-8",
                ))
            })?;
            let mut file = std::fs::OpenOptions::new();
            file.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut file, 0o600);
            file.open(&to).map_err(|e| match e.kind() {
                std::io::ErrorKind::AlreadyExists => Error::Io(std::io::Error::new(
                    e.kind(),
                    format!("{} exists already; choose a new file", to.display()),
                )),
                _ => Error::Io(e),
            })?;
            let source = Connection::open_with_flags(&from, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
            source.busy_timeout(BUSY_TIMEOUT)?;
            // Into the empty file made above, which VACUUM INTO accepts.
            if let Err(e) = source.execute("VACUUM INTO ?1", [target]) {
                let _ = std::fs::remove_file(&to);
                return Err(e.into());
            }
            Ok(())
        })
        .await?
    }

    /// Runs `work` on the blocking pool with the shared connections.
    fn run<T, F>(&self, work: F) -> BoxFuture<'static, Result<T, Error>>
    where
        T: Send + 'static,
        F: FnOnce(&Inner) -> Result<T, Error> + Send + 'static,
    {
        let inner = Arc::clone(&self.inner);
        Box::pin(async move { tokio::task::spawn_blocking(move || work(&inner)).await? })
    }
}

fn blob<'r>(row: &'r rusqlite::Row<'_>, column: usize) -> Result<&'r [u8], Error> {
    row.get_ref(column)?
        .as_blob()
        .map_err(|e| Error::Corrupt(format!("column {column} is not a blob: {e}")))
}

fn insert_org(conn: &Connection, org: &OrgName) -> Result<bool, Error> {
    let inserted = conn
        .prepare_cached("INSERT OR IGNORE INTO orgs (name, created_at) VALUES (?1, ?2)")?
        .execute(params![org.as_str(), now()])?;
    Ok(inserted == 1)
}

impl Storage for SqliteStorage {
    fn check(&self) -> BoxFuture<'_, Result<(), Error>> {
        self.run(|db| {
            db.reader().query_row("SELECT 1", [], |_| Ok(()))?;
            Ok(())
        })
    }

    fn create_org<'a>(&'a self, org: &'a OrgName) -> BoxFuture<'a, Result<bool, Error>> {
        let org = org.clone();
        self.run(move |db| insert_org(&db.writer(), &org))
    }

    fn create_token<'a>(
        &'a self,
        org: &'a OrgName,
        label: &'a str,
        sites: &'a Sites,
    ) -> BoxFuture<'a, Result<NewToken, Error>> {
        let org = org.clone();
        let label = label.to_owned();
        let sites = sites.to_stored();
        self.run(move |db| {
            let secret = TokenSecret::generate()?;
            let hash = secret.hash();
            let id = hash.id();
            let mut conn = db.writer();
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            insert_org(&tx, &org)?;
            tx.execute(
                "INSERT INTO tokens (id, hash, org, label, created_at, sites)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![id, hash.0.as_slice(), org.as_str(), label, now(), sites],
            )?;
            tx.commit()?;
            Ok(NewToken { id, secret })
        })
    }

    fn list_tokens<'a>(
        &'a self,
        org: Option<&'a OrgName>,
    ) -> BoxFuture<'a, Result<Vec<TokenInfo>, Error>> {
        let org = org.map(|o| o.as_str().to_owned());
        self.run(move |db| {
            let conn = db.reader();
            let mut stmt = conn.prepare_cached(
                "SELECT id, org, label, created_at, revoked_at, sites, manage FROM tokens
                 WHERE ?1 IS NULL OR org = ?1 ORDER BY created_at, id",
            )?;
            let mut rows = stmt.query(params![org])?;
            let mut tokens = Vec::new();
            while let Some(r) = rows.next()? {
                let id: String = r.get(0)?;
                tokens.push(TokenInfo {
                    enrolments: keys::enrolments(&conn, &id)?,
                    id,
                    org: org_from_sql(r.get(1)?)?,
                    label: r.get(2)?,
                    created_at: time(r.get(3)?)?,
                    revoked_at: r.get::<_, Option<i64>>(4)?.map(time).transpose()?,
                    sites: sites_from_sql(r.get::<_, Option<String>>(5)?.as_deref())?,
                    manage: r.get::<_, i64>(6)? != 0,
                });
            }
            Ok(tokens)
        })
    }

    fn revoke_token<'a>(&'a self, id: &'a str) -> BoxFuture<'a, Result<bool, Error>> {
        let id = id.to_owned();
        self.run(move |db| {
            let conn = db.writer();
            // Only a rotation after this revocation leaves its device behind.
            conn.execute(
                "UPDATE tokens SET revoked_at = ?2, revoked_epoch = (
                     SELECT COALESCE(MAX(r.epoch), 0) FROM rotations r WHERE r.org = tokens.org)
                 WHERE id = ?1 AND revoked_at IS NULL",
                params![id, now()],
            )?;
            let exists = conn
                .query_row(
                    "SELECT 1 FROM tokens WHERE id = ?1",
                    params![id],
                    |_| Ok(()),
                )
                .optional()?;
            Ok(exists.is_some())
        })
    }

    fn verify_token<'a>(&'a self, secret: &'a str) -> BoxFuture<'a, Result<Option<Access>, Error>> {
        // Text that cannot be a token is refused without a query.
        let hash = secret
            .starts_with(TOKEN_PREFIX)
            .then(|| TokenHash::of(secret));
        self.run(move |db| {
            let Some(hash) = hash else { return Ok(None) };
            let found: Option<(String, String, Option<String>, i64)> = db
                .reader()
                .prepare_cached(
                    "SELECT id, org, sites, manage FROM tokens WHERE hash = ?1 AND revoked_at IS NULL",
                )?
                .query_row(params![hash.0.as_slice()], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get::<_, i64>(3)?))
                })
                .optional()?;
            found
                .map(|(token, org, sites, manage)| {
                    Ok(Access {
                        token,
                        org: org_from_sql(org)?,
                        sites: sites_from_sql(sites.as_deref())?,
                        manage: manage != 0,
                    })
                })
                .transpose()
        })
    }

    fn allow_managing<'a>(&'a self, id: &'a str) -> BoxFuture<'a, Result<bool, Error>> {
        let id = id.to_owned();
        self.run(move |db| {
            let changed = db
                .writer()
                .prepare_cached("UPDATE tokens SET manage = 1 WHERE id = ?1")?
                .execute(params![id])?;
            Ok(changed == 1)
        })
    }

    fn token_revoked<'a>(&'a self, secret: &'a str) -> BoxFuture<'a, Result<bool, Error>> {
        let hash = secret
            .starts_with(TOKEN_PREFIX)
            .then(|| TokenHash::of(secret));
        self.run(move |db| {
            let Some(hash) = hash else { return Ok(false) };
            let revoked: Option<i64> = db
                .reader()
                .prepare_cached("SELECT 1 FROM tokens WHERE hash = ?1 AND revoked_at IS NOT NULL")?
                .query_row(params![hash.0.as_slice()], |r| r.get(0))
                .optional()?;
            Ok(revoked.is_some())
        })
    }

    fn enrol<'a>(
        &'a self,
        token: &'a str,
        name: &'a str,
        public: [u8; 32],
        epoch: u32,
        proof: [u8; 32],
    ) -> BoxFuture<'a, Result<(), Error>> {
        let (token, name) = (token.to_owned(), name.to_owned());
        self.run(move |db| keys::enrol(&db.writer(), &token, &name, public, epoch, proof))
    }

    fn wrapped_keys<'a>(
        &'a self,
        token: &'a str,
        public: [u8; 32],
    ) -> BoxFuture<'a, Result<Vec<WrappedKey>, Error>> {
        let token = token.to_owned();
        self.run(move |db| keys::wrapped_for(&db.reader(), &token, public))
    }

    fn store_keys<'a>(
        &'a self,
        org: &'a OrgName,
        epoch: u32,
        rotation: bool,
        keys: &'a [WrappedKey],
    ) -> BoxFuture<'a, Result<bool, Error>> {
        let (org, keys) = (org.clone(), keys.to_vec());
        self.run(move |db| keys::store(&mut db.writer(), &org, epoch, rotation, &keys))
    }

    fn rotation_wanted<'a>(&'a self, org: &'a OrgName) -> BoxFuture<'a, Result<bool, Error>> {
        let org = org.clone();
        self.run(move |db| keys::rotation_wanted(&db.reader(), &org))
    }

    fn store_snapshot<'a>(
        &'a self,
        org: &'a OrgName,
        doc: &'a DocId,
        upto: u64,
        bundle: &'a Bundle,
        quota: u64,
    ) -> BoxFuture<'a, Result<bool, Error>> {
        let (org, doc, bundle) = (org.clone(), doc.clone(), bundle.clone());
        self.run(move |db| snapshots::store(&mut db.writer(), &org, &doc, upto, &bundle, quota))
    }

    fn snapshot<'a>(
        &'a self,
        org: &'a OrgName,
        doc: &'a DocId,
    ) -> BoxFuture<'a, Result<Option<Entry>, Error>> {
        let (org, doc) = (org.clone(), doc.clone());
        self.run(move |db| snapshots::newest(&db.reader(), &org, &doc))
    }

    fn floor<'a>(&'a self, org: &'a OrgName, doc: &'a DocId) -> BoxFuture<'a, Result<u64, Error>> {
        let (org, doc) = (org.clone(), doc.clone());
        self.run(move |db| snapshots::floor(&db.reader(), &org, &doc))
    }

    fn note_cursor<'a>(
        &'a self,
        token: &'a str,
        device: &'a str,
        org: &'a OrgName,
        doc: &'a DocId,
        seq: u64,
    ) -> BoxFuture<'a, Result<(), Error>> {
        let (token, device, org, doc) = (
            token.to_owned(),
            device.to_owned(),
            org.clone(),
            doc.clone(),
        );
        self.run(move |db| snapshots::note_cursor(&db.writer(), &token, &device, &org, &doc, seq))
    }

    fn compact<'a>(
        &'a self,
        org: &'a OrgName,
        doc: &'a DocId,
    ) -> BoxFuture<'a, Result<u64, Error>> {
        let (org, doc) = (org.clone(), doc.clone());
        self.run(move |db| snapshots::compact(&mut db.writer(), &org, &doc))
    }

    fn has_tokens(&self) -> BoxFuture<'_, Result<bool, Error>> {
        self.run(|db| {
            let any = db
                .reader()
                .query_row("SELECT 1 FROM tokens LIMIT 1", [], |_| Ok(()))
                .optional()?;
            Ok(any.is_some())
        })
    }

    fn append_batch<'a>(
        &'a self,
        batch: &'a [Append<'a>],
        quota: u64,
    ) -> BoxFuture<'a, Result<Vec<Result<AppendOutcome, OverQuota>>, Error>> {
        // One copy of the bytes, because the blocking thread cannot borrow from the caller.
        let owned: Vec<append::Owned> = batch
            .iter()
            .map(|a| {
                (
                    a.org.as_str().to_owned(),
                    a.doc.as_str().to_owned(),
                    a.bundle.hash.0,
                    a.bundle.data.clone(),
                )
            })
            .collect();
        self.run(move |db| append::append_batch(&mut db.writer(), &owned, quota))
    }

    fn stored_bytes<'a>(&'a self, org: &'a OrgName) -> BoxFuture<'a, Result<u64, Error>> {
        let org = org.clone();
        self.run(move |db| append::stored_bytes(&db.reader(), org.as_str()))
    }

    fn set_org_quota<'a>(
        &'a self,
        org: &'a OrgName,
        quota: Option<u64>,
    ) -> BoxFuture<'a, Result<bool, Error>> {
        let org = org.clone();
        let quota = quota.map(|q| i64::try_from(q).unwrap_or(i64::MAX));
        self.run(move |db| {
            let changed = db
                .writer()
                .prepare_cached("UPDATE orgs SET quota_bytes = ?2 WHERE name = ?1")?
                .execute(params![org.as_str(), quota])?;
            Ok(changed == 1)
        })
    }

    fn org_quota<'a>(&'a self, org: &'a OrgName) -> BoxFuture<'a, Result<Option<u64>, Error>> {
        let org = org.clone();
        self.run(move |db| {
            let own: Option<Option<i64>> = db
                .reader()
                .prepare_cached("SELECT quota_bytes FROM orgs WHERE name = ?1")?
                .query_row(params![org.as_str()], |r| r.get(0))
                .optional()?;
            Ok(own.flatten().map(|q| u64::try_from(q).unwrap_or(0)))
        })
    }

    fn read_after<'a>(
        &'a self,
        org: &'a OrgName,
        doc: &'a DocId,
        after: u64,
        max_bytes: usize,
    ) -> BoxFuture<'a, Result<Vec<Entry>, Error>> {
        let org = org.clone();
        let doc = doc.clone();
        // A cursor beyond what SQLite's integers hold is beyond every entry.
        let after = i64::try_from(after).unwrap_or(i64::MAX);
        self.run(move |db| {
            let conn = db.reader();
            let mut stmt = conn.prepare_cached(
                "SELECT seq, hash, data FROM entries
                 WHERE org = ?1 AND doc = ?2 AND seq > ?3 ORDER BY seq",
            )?;
            let mut rows = stmt.query(params![org.as_str(), doc.as_str(), after])?;
            let mut entries = Vec::new();
            let mut used = 0usize;
            while let Some(row) = rows.next()? {
                // Look at the size before copying the bytes of an entry that will not fit.
                let data = blob(row, 2)?;
                let cost = entry_cost(data.len());
                if !entries.is_empty() && used.saturating_add(cost) > max_bytes {
                    break;
                }
                used = used.saturating_add(cost);
                let hash: [u8; 32] = blob(row, 1)?
                    .try_into()
                    .map_err(|_| Error::Corrupt("an entry's hash is not 32 bytes".into()))?;
                entries.push(Entry {
                    seq: seq_from_sql(row.get(0)?)?,
                    hash: BundleHash(hash),
                    data: data.to_vec(),
                });
            }
            Ok(entries)
        })
    }

    fn last_seq<'a>(
        &'a self,
        org: &'a OrgName,
        doc: &'a DocId,
    ) -> BoxFuture<'a, Result<u64, Error>> {
        let org = org.clone();
        let doc = doc.clone();
        self.run(move |db| {
            let seq: i64 = db
                .reader()
                .prepare_cached(
                    "SELECT COALESCE(MAX(seq), 0) FROM entries WHERE org = ?1 AND doc = ?2",
                )?
                .query_row(params![org.as_str(), doc.as_str()], |r| r.get(0))?;
            seq_from_sql(seq)
        })
    }
}

mod append;
mod keys;
mod schema;
mod snapshots;
#[cfg(test)]
mod tests;
