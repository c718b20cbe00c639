//! Where the relay keeps organisations, device tokens and the document logs.
//!
//! The relay talks to a [`Storage`] trait object: the embedded SQLite default
//! ([`sqlite::SqliteStorage`]) or PostgreSQL ([`postgres::PostgresStorage`], for several
//! relays on one database), without the hub or the connections knowing which. Methods
//! return boxed futures rather than being `async fn`, because `async fn` in a trait cannot
//! be called through `dyn Storage`. One conformance suite (`tests/storage.rs`) runs every
//! method against both.
//!
//! Architecture invariant: storage never looks inside a bundle. It keeps bytes, their hash
//! and a sequence number.

pub mod postgres;
pub mod sqlite;
mod stored;

use std::future::Future;
use std::pin::Pin;

use chrono::{DateTime, Utc};

use crate::auth::TokenSecret;
use crate::org::OrgName;
use crate::sites::Sites;
use crate::Error;
use protocol::{Bundle, DocId, Enrolment, Entry, WrappedKey};

/// A future that a storage method returns; `Send` so that it runs on any tokio worker.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// What a database shared by several relays says changed, for [`Storage::watch`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// A document's log reached `seq` (through any relay, this one included).
    Appended { org: OrgName, doc: DocId, seq: u64 },
    /// Notices may have been missed (the watch reconnected): every watched log is to be
    /// read again.
    Missed,
}

/// One bundle for [`Storage::append_batch`] to append to a document's log.
#[derive(Clone, Copy, Debug)]
pub struct Append<'a> {
    pub org: &'a OrgName,
    pub doc: &'a DocId,
    pub bundle: &'a Bundle,
}

/// A bundle not stored because its organisation's quota would be passed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OverQuota {
    /// What the organisation stores already, in bytes.
    pub stored: u64,
    pub quota: u64,
}

impl std::fmt::Display for OverQuota {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the organisation stores {} of its {} bytes",
            self.stored, self.quota
        )
    }
}

/// What [`Storage::append`] did with a bundle.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AppendOutcome {
    /// The bundle's sequence number in its document's log.
    pub seq: u64,
    /// False when the document already held this bundle: `seq` is then the existing entry's.
    pub new: bool,
}

/// A freshly created token. The secret exists only here: storage keeps its hash.
#[derive(Clone, Debug)]
pub struct NewToken {
    pub id: String,
    pub secret: TokenSecret,
}

/// What storage knows about a token, which is everything but its secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenInfo {
    pub id: String,
    pub org: OrgName,
    pub label: String,
    /// The sites whose documents the token may sync.
    pub sites: Sites,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// Whether the token may list and revoke its organisation's tokens.
    pub manage: bool,
    /// The public keys its devices sent, oldest first.
    pub enrolments: Vec<Enrolment>,
}

/// What a valid token gives a connection: its organisation, and the sites of it whose
/// documents it may sync.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Access {
    /// The token's public id.
    pub token: String,
    pub org: OrgName,
    pub sites: Sites,
    /// A manager's device: it may list and revoke its organisation's tokens.
    pub manage: bool,
}

/// What a page of entries costs against a byte budget: the bundle bytes plus a bound on
/// what each entry adds in a message (sequence number, hash, length prefix), so that a page
/// of many tiny entries is bounded too.
pub fn entry_cost(data_len: usize) -> usize {
    data_len + ENTRY_OVERHEAD_BYTES
}

/// An upper bound on what an entry adds to a message besides its bytes: 32 for the hash,
/// at most 10 each for the varint sequence number and length, rounded up.
pub const ENTRY_OVERHEAD_BYTES: usize = 64;

/// The relay's persistent state. Implementations must be safe to share between tasks.
///
/// Arguments are borrowed for the duration of the call only; an implementation copies what
/// it needs before it goes to a blocking thread or to the network.
pub trait Storage: Send + Sync + 'static {
    /// A trivial query, for `/healthz`.
    fn check(&self) -> BoxFuture<'_, Result<(), Error>>;

    /// Creates an organisation; false if it already existed.
    fn create_org<'a>(&'a self, org: &'a OrgName) -> BoxFuture<'a, Result<bool, Error>>;

    /// Creates a token for `org` that may sync the documents of `sites`, creating the
    /// organisation too if it does not exist.
    fn create_token<'a>(
        &'a self,
        org: &'a OrgName,
        label: &'a str,
        sites: &'a Sites,
    ) -> BoxFuture<'a, Result<NewToken, Error>>;

    /// The tokens of `org`, or of every organisation, oldest first.
    fn list_tokens<'a>(
        &'a self,
        org: Option<&'a OrgName>,
    ) -> BoxFuture<'a, Result<Vec<TokenInfo>, Error>>;

    /// Revokes the token with this public id; false if there is no such token. Revoking a
    /// revoked token is harmless and keeps the first revocation time.
    fn revoke_token<'a>(&'a self, id: &'a str) -> BoxFuture<'a, Result<bool, Error>>;

    /// What a token gives, or `None` if the token is unknown or revoked.
    fn verify_token<'a>(&'a self, secret: &'a str) -> BoxFuture<'a, Result<Option<Access>, Error>>;

    /// Lets the token with this public id list and revoke its organisation's tokens; false
    /// if there is no such token.
    fn allow_managing<'a>(&'a self, id: &'a str) -> BoxFuture<'a, Result<bool, Error>>;

    /// Whether this secret is that of a revoked token (rather than unknown): its device is
    /// told to delete what it holds.
    fn token_revoked<'a>(&'a self, secret: &'a str) -> BoxFuture<'a, Result<bool, Error>>;

    /// Stores the public key a device of token `token` sent, with its name and proof
    /// (replacing what the same key sent before); storage does not check the proof,
    /// managers' devices do. A token keeps the keys of its ten newest devices.
    fn enrol<'a>(
        &'a self,
        token: &'a str,
        name: &'a str,
        public: [u8; 32],
        epoch: u32,
        proof: [u8; 32],
    ) -> BoxFuture<'a, Result<(), Error>>;

    /// The content keys wrapped for the device of `public` of token `token`, newest epoch
    /// first, at most eight.
    fn wrapped_keys<'a>(
        &'a self,
        token: &'a str,
        public: [u8; 32],
    ) -> BoxFuture<'a, Result<Vec<WrappedKey>, Error>>;

    /// Stores content keys of `epoch` wrapped for tokens of `org` (others, and revoked
    /// ones, are skipped), all or none, and says whether it did. A `rotation` is stored only
    /// if `epoch` is newer than every epoch stored for the organisation; other keys only if
    /// `epoch` is the newest stored (or none is), so that a device with old keys cannot
    /// hand them out as current.
    fn store_keys<'a>(
        &'a self,
        org: &'a OrgName,
        epoch: u32,
        rotation: bool,
        keys: &'a [WrappedKey],
    ) -> BoxFuture<'a, Result<bool, Error>>;

    /// Whether a token of `org` was revoked with no newer epoch of keys stored since: its
    /// device may hold the current content key, so a manager's device should rotate.
    fn rotation_wanted<'a>(&'a self, org: &'a OrgName) -> BoxFuture<'a, Result<bool, Error>>;

    /// Keeps `bundle` as `doc`'s snapshot holding its entries up to `upto`, if no snapshot
    /// reaches as far and the log does, and the organisation's stored bytes stay within
    /// `quota` or do not grow (a snapshot smaller than the one it replaces is always kept);
    /// says whether it did.
    fn store_snapshot<'a>(
        &'a self,
        org: &'a OrgName,
        doc: &'a DocId,
        upto: u64,
        bundle: &'a Bundle,
        quota: u64,
    ) -> BoxFuture<'a, Result<bool, Error>>;

    /// `doc`'s newest snapshot as an entry whose sequence number is the last it holds.
    fn snapshot<'a>(
        &'a self,
        org: &'a OrgName,
        doc: &'a DocId,
    ) -> BoxFuture<'a, Result<Option<Entry>, Error>>;

    /// The highest sequence number of `doc` no longer kept (0 when nothing was dropped):
    /// a device further back than this is sent the snapshot first.
    fn floor<'a>(&'a self, org: &'a OrgName, doc: &'a DocId) -> BoxFuture<'a, Result<u64, Error>>;

    /// Notes that the device named `device` of token `token` has `doc` up to `seq`.
    fn note_cursor<'a>(
        &'a self,
        token: &'a str,
        device: &'a str,
        org: &'a OrgName,
        doc: &'a DocId,
        seq: u64,
    ) -> BoxFuture<'a, Result<(), Error>>;

    /// Drops the entries of `doc` its snapshot covers and every live device has passed
    /// (devices unseen for 30 days do not count: they get the snapshot), always keeping
    /// the last; returns how many.
    fn compact<'a>(&'a self, org: &'a OrgName, doc: &'a DocId)
        -> BoxFuture<'a, Result<u64, Error>>;

    /// Whether any token exists at all, revoked or not: the test for a first run.
    fn has_tokens(&self) -> BoxFuture<'_, Result<bool, Error>>;

    /// Appends bundles to their documents' logs in one transaction, one commit for them all
    /// (group commit), and returns only once every entry is durable: an outcome per bundle,
    /// in order, or one error and nothing stored.
    ///
    /// Idempotent: a bundle whose hash the document already holds, earlier in the same batch
    /// included, keeps its sequence number. Sequence numbers of a document start at 1, have
    /// no gaps, and follow the order of the batch. A new bundle that would take its
    /// organisation's stored bytes (logs and snapshots) over its quota (its own, else
    /// `quota`) is not stored: [`OverQuota`]. The caller has checked that each hash matches its bytes (decoding a
    /// `Push` does).
    fn append_batch<'a>(
        &'a self,
        batch: &'a [Append<'a>],
        quota: u64,
    ) -> BoxFuture<'a, Result<Vec<Result<AppendOutcome, OverQuota>>, Error>>;

    /// Appends one bundle, with no quota: [`Storage::append_batch`] of one.
    fn append<'a>(
        &'a self,
        org: &'a OrgName,
        doc: &'a DocId,
        bundle: &'a Bundle,
    ) -> BoxFuture<'a, Result<AppendOutcome, Error>> {
        Box::pin(async move {
            let batch = [Append { org, doc, bundle }];
            match self.append_batch(&batch, u64::MAX).await?.pop() {
                Some(Ok(outcome)) => Ok(outcome),
                Some(Err(over)) => Err(Error::Corrupt(format!("{over} with no quota"))),
                None => Err(Error::Corrupt(
                    "the storage answered an append with nothing".into(),
                )),
            }
        })
    }

    /// The bytes `org`'s logs and snapshots hold, which its quota bounds.
    fn stored_bytes<'a>(&'a self, org: &'a OrgName) -> BoxFuture<'a, Result<u64, Error>>;

    /// Gives `org` a quota of its own, in bytes, or (`None`) the relay's again; false if
    /// there is no such organisation. Its own quota replaces the `quota` the relay passes
    /// to [`Storage::append_batch`] and [`Storage::store_snapshot`].
    fn set_org_quota<'a>(
        &'a self,
        org: &'a OrgName,
        quota: Option<u64>,
    ) -> BoxFuture<'a, Result<bool, Error>>;

    /// `org`'s own quota, if it has one.
    fn org_quota<'a>(&'a self, org: &'a OrgName) -> BoxFuture<'a, Result<Option<u64>, Error>>;

    /// The entries of a document with a sequence number above `after`, in order, as many as
    /// fit in `max_bytes` by [`entry_cost`] but always at least one if there is one.
    fn read_after<'a>(
        &'a self,
        org: &'a OrgName,
        doc: &'a DocId,
        after: u64,
        max_bytes: usize,
    ) -> BoxFuture<'a, Result<Vec<Entry>, Error>>;

    /// The highest sequence number of a document, 0 for a document without entries.
    fn last_seq<'a>(
        &'a self,
        org: &'a OrgName,
        doc: &'a DocId,
    ) -> BoxFuture<'a, Result<u64, Error>>;

    /// The changes other relays make to the same database, as they commit; `None` for an
    /// engine only one relay uses (SQLite).
    fn watch(&self) -> Option<tokio::sync::mpsc::Receiver<Change>> {
        None
    }
}
