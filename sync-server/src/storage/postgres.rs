//! PostgreSQL storage, for a group of practices: several relays on one database, behind any
//! load balancer. Chosen with `sync-server --database postgres://…`; SQLite stays the
//! embedded default.
//!
//! A pool of connections (deadpool-postgres) serves every method; each change is one
//! transaction, committed before the method returns, so an `Ack` still means durable.
//! Documents are independent: the row of `docs` that holds a document's last sequence
//! number is taken `FOR UPDATE` by whatever changes that document's log, so appends to one
//! document are ordered and gap-free across relays while other documents never wait.
//!
//! The connection string may hold a password: it is never logged.

mod append;
mod connect;
mod keys;
mod listen;
mod schema;
mod snapshots;
mod tls;

pub(crate) use connect::why;
pub use connect::Reach;

use deadpool_postgres::{GenericClient, Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use tokio_postgres_rustls::MakeRustlsConnect;

use super::stored::{now, org_from_sql, seq_from_sql, seq_to_sql, sites_from_sql, time};
use super::{
    entry_cost, Access, Append, AppendOutcome, BoxFuture, NewToken, OverQuota, Storage, TokenInfo,
    ENTRY_OVERHEAD_BYTES,
};
use crate::auth::{TokenHash, TokenSecret, TOKEN_PREFIX};
use crate::org::OrgName;
use crate::sites::Sites;
use crate::Error;
use protocol::{Bundle, BundleHash, DocId, Entry, WrappedKey};

/// Connections each relay keeps to the database at most.
const POOL_SIZE: usize = 16;

/// Storage in a PostgreSQL database.
#[derive(Clone)]
pub struct PostgresStorage {
    pool: Pool,
    /// For the connection that listens to other relays' appends. Never logged: it may hold
    /// a password.
    config: tokio_postgres::Config,
    tls: MakeRustlsConnect,
    /// The database said, at start, that the connection is encrypted.
    encrypted: bool,
}

impl PostgresStorage {
    /// Connects to the database named by `settings` (libpq settings such as
    /// `host=/run/postgresql dbname=relay`, or a `postgres://` URL), over TLS verified
    /// against the system's certificate authorities when it is on another machine (unless
    /// `reach` trusts the network), and brings its schema up to date.
    pub async fn open(settings: &str, reach: Reach) -> Result<Self, Error> {
        Self::open_with(settings, reach, None).await
    }

    /// The same, verifying the database's certificate against the authorities in the PEM
    /// file `ca` when there is one.
    pub async fn open_with(
        settings: &str,
        reach: Reach,
        ca: Option<&std::path::Path>,
    ) -> Result<Self, Error> {
        let config = connect::config(settings, reach)?;
        let tls = tls::connector(ca)?;
        let manager = Manager::from_config(
            config.clone(),
            tls.clone(),
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(connect::WAIT))
            .create_timeout(Some(connect::WAIT))
            .build()
            .map_err(|e| Error::Setup(format!("the PostgreSQL pool: {e}")))?;
        let mut storage = Self {
            pool,
            config,
            tls,
            encrypted: false,
        };
        let mut client = storage.client().await?;
        schema::migrate(&mut client).await?;
        storage.encrypted = client
            .query_one(
                "SELECT COALESCE((SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()), false)",
                &[],
            )
            .await?
            .get(0);
        tracing::info!(encrypted = storage.encrypted, "PostgreSQL reached");
        Ok(storage)
    }

    /// Whether the connection to the database is encrypted (TLS), as the database says.
    pub fn encrypted(&self) -> bool {
        self.encrypted
    }

    async fn client(&self) -> Result<deadpool_postgres::Object, Error> {
        self.pool
            .get()
            .await
            .map_err(|e| Error::Setup(format!("no PostgreSQL connection: {}", connect::why(&e))))
    }
}

fn hash_from_sql(bytes: Vec<u8>, what: &str) -> Result<BundleHash, Error> {
    <[u8; 32]>::try_from(bytes)
        .map(BundleHash)
        .map_err(|_| Error::Corrupt(format!("{what}'s hash is not 32 bytes")))
}

async fn insert_org(client: &impl GenericClient, org: &OrgName) -> Result<bool, Error> {
    let inserted = client
        .execute(
            "INSERT INTO orgs (name, created_at) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            &[&org.as_str(), &now()],
        )
        .await?;
    Ok(inserted == 1)
}

/// Takes the row of `doc` for this transaction (making it, at 0, for a new document) and
/// returns the document's last sequence number: whatever changes the document's log
/// holds it until it commits.
async fn lock_doc(
    tx: &deadpool_postgres::Transaction<'_>,
    org: &str,
    doc: &str,
) -> Result<i64, Error> {
    // One statement: the upsert takes the row lock whether it inserts or finds the row.
    let row = tx
        .query_one(
            &tx.prepare_cached(
                "INSERT INTO docs (org, doc, last_seq) VALUES ($1, $2, 0)
                 ON CONFLICT (org, doc) DO UPDATE SET last_seq = docs.last_seq
                 RETURNING last_seq",
            )
            .await?,
            &[&org, &doc],
        )
        .await?;
    Ok(row.get(0))
}

impl Storage for PostgresStorage {
    fn check(&self) -> BoxFuture<'_, Result<(), Error>> {
        Box::pin(async move {
            self.client().await?.query_one("SELECT 1", &[]).await?;
            Ok(())
        })
    }

    fn create_org<'a>(&'a self, org: &'a OrgName) -> BoxFuture<'a, Result<bool, Error>> {
        Box::pin(async move { insert_org(&self.client().await?, org).await })
    }

    fn create_token<'a>(
        &'a self,
        org: &'a OrgName,
        label: &'a str,
        sites: &'a Sites,
    ) -> BoxFuture<'a, Result<NewToken, Error>> {
        Box::pin(async move {
            let secret = TokenSecret::generate()?;
            let hash = secret.hash();
            let id = hash.id();
            let mut client = self.client().await?;
            let tx = client.transaction().await?;
            insert_org(&tx, org).await?;
            tx.execute(
                "INSERT INTO tokens (id, hash, org, label, created_at, sites)
                 VALUES ($1, $2, $3, $4, $5, $6)",
                &[
                    &id,
                    &hash.0.as_slice(),
                    &org.as_str(),
                    &label,
                    &now(),
                    &sites.to_stored(),
                ],
            )
            .await?;
            tx.commit().await?;
            Ok(NewToken { id, secret })
        })
    }

    fn list_tokens<'a>(
        &'a self,
        org: Option<&'a OrgName>,
    ) -> BoxFuture<'a, Result<Vec<TokenInfo>, Error>> {
        Box::pin(async move {
            let client = self.client().await?;
            let org = org.map(OrgName::as_str);
            let rows = client
                .query(
                    "SELECT id, org, label, created_at, revoked_at, sites, manage FROM tokens
                     WHERE $1::TEXT IS NULL OR org = $1 ORDER BY created_at, id",
                    &[&org],
                )
                .await?;
            let mut tokens = Vec::with_capacity(rows.len());
            for r in rows {
                let id: String = r.get(0);
                tokens.push(TokenInfo {
                    enrolments: keys::enrolments(&client, &id).await?,
                    org: org_from_sql(r.get(1))?,
                    label: r.get(2),
                    created_at: time(r.get(3))?,
                    revoked_at: r.get::<_, Option<i64>>(4).map(time).transpose()?,
                    sites: sites_from_sql(r.get::<_, Option<&str>>(5))?,
                    manage: r.get(6),
                    id,
                });
            }
            Ok(tokens)
        })
    }

    fn revoke_token<'a>(&'a self, id: &'a str) -> BoxFuture<'a, Result<bool, Error>> {
        Box::pin(async move {
            let client = self.client().await?;
            // Only a rotation after this revocation leaves its device behind.
            client
                .execute(
                    "UPDATE tokens SET revoked_at = $2, revoked_epoch = (
                         SELECT COALESCE(MAX(r.epoch), 0) FROM rotations r WHERE r.org = tokens.org)
                     WHERE id = $1 AND revoked_at IS NULL",
                    &[&id, &now()],
                )
                .await?;
            let exists = client
                .query_opt("SELECT 1 FROM tokens WHERE id = $1", &[&id])
                .await?;
            Ok(exists.is_some())
        })
    }

    fn verify_token<'a>(&'a self, secret: &'a str) -> BoxFuture<'a, Result<Option<Access>, Error>> {
        Box::pin(async move {
            // Text that cannot be a token is refused without a query.
            if !secret.starts_with(TOKEN_PREFIX) {
                return Ok(None);
            }
            let hash = TokenHash::of(secret);
            let client = self.client().await?;
            let statement = client
                .prepare_cached(
                    "SELECT id, org, sites, manage FROM tokens
                     WHERE hash = $1 AND revoked_at IS NULL",
                )
                .await?;
            let Some(row) = client.query_opt(&statement, &[&hash.0.as_slice()]).await? else {
                return Ok(None);
            };
            Ok(Some(Access {
                token: row.get(0),
                org: org_from_sql(row.get(1))?,
                sites: sites_from_sql(row.get::<_, Option<&str>>(2))?,
                manage: row.get(3),
            }))
        })
    }

    fn allow_managing<'a>(&'a self, id: &'a str) -> BoxFuture<'a, Result<bool, Error>> {
        Box::pin(async move {
            let changed = self
                .client()
                .await?
                .execute("UPDATE tokens SET manage = TRUE WHERE id = $1", &[&id])
                .await?;
            Ok(changed == 1)
        })
    }

    fn token_revoked<'a>(&'a self, secret: &'a str) -> BoxFuture<'a, Result<bool, Error>> {
        Box::pin(async move {
            if !secret.starts_with(TOKEN_PREFIX) {
                return Ok(false);
            }
            let hash = TokenHash::of(secret);
            let revoked = self
                .client()
                .await?
                .query_opt(
                    "SELECT 1 FROM tokens WHERE hash = $1 AND revoked_at IS NOT NULL",
                    &[&hash.0.as_slice()],
                )
                .await?;
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
        Box::pin(async move {
            let mut client = self.client().await?;
            keys::enrol(&mut client, token, name, public, epoch, proof).await
        })
    }

    fn wrapped_keys<'a>(
        &'a self,
        token: &'a str,
        public: [u8; 32],
    ) -> BoxFuture<'a, Result<Vec<WrappedKey>, Error>> {
        Box::pin(async move { keys::wrapped_for(&self.client().await?, token, public).await })
    }

    fn store_keys<'a>(
        &'a self,
        org: &'a OrgName,
        epoch: u32,
        rotation: bool,
        keys: &'a [WrappedKey],
    ) -> BoxFuture<'a, Result<bool, Error>> {
        Box::pin(async move {
            let mut client = self.client().await?;
            keys::store(&mut client, org, epoch, rotation, keys).await
        })
    }

    fn rotation_wanted<'a>(&'a self, org: &'a OrgName) -> BoxFuture<'a, Result<bool, Error>> {
        Box::pin(async move { keys::rotation_wanted(&self.client().await?, org).await })
    }

    fn store_snapshot<'a>(
        &'a self,
        org: &'a OrgName,
        doc: &'a DocId,
        upto: u64,
        bundle: &'a Bundle,
        quota: u64,
    ) -> BoxFuture<'a, Result<bool, Error>> {
        Box::pin(async move {
            let mut client = self.client().await?;
            snapshots::store(&mut client, org, doc, upto, bundle, quota).await
        })
    }

    fn snapshot<'a>(
        &'a self,
        org: &'a OrgName,
        doc: &'a DocId,
    ) -> BoxFuture<'a, Result<Option<Entry>, Error>> {
        Box::pin(async move { snapshots::newest(&self.client().await?, org, doc).await })
    }

    fn floor<'a>(&'a self, org: &'a OrgName, doc: &'a DocId) -> BoxFuture<'a, Result<u64, Error>> {
        Box::pin(async move { snapshots::floor(&self.client().await?, org, doc).await })
    }

    fn note_cursor<'a>(
        &'a self,
        token: &'a str,
        device: &'a str,
        org: &'a OrgName,
        doc: &'a DocId,
        seq: u64,
    ) -> BoxFuture<'a, Result<(), Error>> {
        Box::pin(async move {
            snapshots::note_cursor(&self.client().await?, token, device, org, doc, seq).await
        })
    }

    fn compact<'a>(
        &'a self,
        org: &'a OrgName,
        doc: &'a DocId,
    ) -> BoxFuture<'a, Result<u64, Error>> {
        Box::pin(async move {
            let mut client = self.client().await?;
            snapshots::compact(&mut client, org, doc).await
        })
    }

    fn has_tokens(&self) -> BoxFuture<'_, Result<bool, Error>> {
        Box::pin(async move {
            let any = self
                .client()
                .await?
                .query_opt("SELECT 1 FROM tokens LIMIT 1", &[])
                .await?;
            Ok(any.is_some())
        })
    }

    fn append_batch<'a>(
        &'a self,
        batch: &'a [Append<'a>],
        quota: u64,
    ) -> BoxFuture<'a, Result<Vec<Result<AppendOutcome, OverQuota>>, Error>> {
        Box::pin(async move { append::append_batch(&mut self.client().await?, batch, quota).await })
    }

    fn stored_bytes<'a>(&'a self, org: &'a OrgName) -> BoxFuture<'a, Result<u64, Error>> {
        Box::pin(async move {
            let client = self.client().await?;
            append::usage(&client, &[org.as_str()], u64::MAX)
                .await
                .map(|usage| usage.into_values().next().map_or(0, |(stored, _)| stored))
        })
    }

    fn set_org_quota<'a>(
        &'a self,
        org: &'a OrgName,
        quota: Option<u64>,
    ) -> BoxFuture<'a, Result<bool, Error>> {
        Box::pin(async move {
            let quota = quota.map(|q| i64::try_from(q).unwrap_or(i64::MAX));
            let changed = self
                .client()
                .await?
                .execute(
                    "UPDATE orgs SET quota_bytes = $2 WHERE name = $1",
                    &[&org.as_str(), &quota],
                )
                .await?;
            Ok(changed == 1)
        })
    }

    fn org_quota<'a>(&'a self, org: &'a OrgName) -> BoxFuture<'a, Result<Option<u64>, Error>> {
        Box::pin(async move {
            let own: Option<i64> = self
                .client()
                .await?
                .query_opt(
                    "SELECT quota_bytes FROM orgs WHERE name = $1",
                    &[&org.as_str()],
                )
                .await?
                .and_then(|row| row.get(0));
            Ok(own.map(|q| u64::try_from(q).unwrap_or(0)))
        })
    }

    fn read_after<'a>(
        &'a self,
        org: &'a OrgName,
        doc: &'a DocId,
        after: u64,
        max_bytes: usize,
    ) -> BoxFuture<'a, Result<Vec<Entry>, Error>> {
        Box::pin(async move {
            let client = self.client().await?;
            // The page is worked out in the database: entries while their running cost
            // fits, and always the first. No page holds more entries than the budget has
            // room for, whatever their size, so no more are looked at.
            let budget = i64::try_from(max_bytes).unwrap_or(i64::MAX);
            let most = budget / i64::try_from(ENTRY_OVERHEAD_BYTES).unwrap_or(64) + 1;
            let statement = client
                .prepare_cached(
                    "SELECT seq, hash, data FROM (
                         SELECT seq, hash, data,
                                (SUM(octet_length(data)::BIGINT + $5::BIGINT)
                                    OVER (ORDER BY seq))::BIGINT AS used,
                                ROW_NUMBER() OVER (ORDER BY seq) AS n
                         FROM (SELECT seq, hash, data FROM entries
                               WHERE org = $1 AND doc = $2 AND seq > $3
                               ORDER BY seq LIMIT $6::BIGINT) AS tail
                     ) AS page
                     WHERE used <= $4::BIGINT OR n = 1 ORDER BY seq",
                )
                .await?;
            let overhead = i64::try_from(ENTRY_OVERHEAD_BYTES).unwrap_or(64);
            let rows = client
                .query(
                    &statement,
                    &[
                        &org.as_str(),
                        &doc.as_str(),
                        &seq_to_sql(after),
                        &budget,
                        &overhead,
                        &most,
                    ],
                )
                .await?;
            let mut entries = Vec::with_capacity(rows.len());
            let mut used = 0usize;
            for row in rows {
                let data: Vec<u8> = row.get(2);
                used = used.saturating_add(entry_cost(data.len()));
                entries.push(Entry {
                    seq: seq_from_sql(row.get(0))?,
                    hash: hash_from_sql(row.get(1), "an entry")?,
                    data,
                });
            }
            debug_assert!(entries.len() <= 1 || used <= max_bytes);
            Ok(entries)
        })
    }

    fn watch(&self) -> Option<tokio::sync::mpsc::Receiver<super::Change>> {
        Some(listen::watch(self.config.clone(), self.tls.clone()))
    }

    fn last_seq<'a>(
        &'a self,
        org: &'a OrgName,
        doc: &'a DocId,
    ) -> BoxFuture<'a, Result<u64, Error>> {
        Box::pin(async move {
            let row = self
                .client()
                .await?
                .query_opt(
                    "SELECT last_seq FROM docs WHERE org = $1 AND doc = $2",
                    &[&org.as_str(), &doc.as_str()],
                )
                .await?;
            row.map_or(Ok(0), |r| seq_from_sql(r.get(0)))
        })
    }
}
