//! The storage conformance suite (`tests/storage/conformance.rs`) on both engines: SQLite in
//! a temporary directory, and a real PostgreSQL server, a new database per check, named by
//! `SYNC_SERVER_TEST_POSTGRES` (libpq key-value settings without `dbname`, which `make test`
//! sets to the throwaway cluster it starts).

#[path = "storage/conformance.rs"]
mod conformance;
#[path = "support/postgres.rs"]
mod postgres_server;

use std::sync::Arc;

use sync_server::storage::postgres::{PostgresStorage, Reach};
use sync_server::storage::sqlite::SqliteStorage;
use sync_server::storage::Storage;

/// SQLite in a directory of its own; the directory lives as long as the value.
struct Sqlite {
    storage: SqliteStorage,
    dir: tempfile::TempDir,
}

fn sqlite() -> Sqlite {
    let dir = tempfile::tempdir().expect("temp dir");
    let storage = SqliteStorage::open(&dir.path().join("relay.sqlite3")).expect("open");
    Sqlite { storage, dir }
}

async fn postgres() -> PostgresStorage {
    PostgresStorage::open(&postgres_server::fresh_database().await, Reach::Verified)
        .await
        .expect("opens and migrates")
}

/// One test per check and engine.
macro_rules! conformance {
    ($($check:ident),* $(,)?) => {
        mod on_sqlite {
            $(
                #[tokio::test]
                async fn $check() {
                    let db = super::sqlite();
                    super::conformance::$check(&db.storage).await;
                    drop(db.dir);
                }
            )*
        }
        mod on_postgres {
            $(
                #[tokio::test]
                async fn $check() {
                    let storage = super::postgres().await;
                    super::conformance::$check(&storage).await;
                }
            )*
        }
    };
}

conformance!(
    append_is_idempotent_and_gapless,
    a_batch_appends_in_order_all_or_nothing,
    a_quota_bounds_what_an_organisation_stores,
    documents_and_orgs_have_their_own_logs,
    read_after_pages_by_bytes,
    tokens_verify_until_revoked,
    each_device_of_a_token_keeps_its_own_key,
    wrapped_keys_go_to_live_tokens_of_the_organisation_at_the_right_epoch,
    a_revocation_wants_a_rotation_until_one_is_stored,
    a_snapshot_is_kept_only_when_it_reaches_further_and_the_log_does,
    compaction_keeps_every_entry_a_device_still_needs,
);

/// Two relays on one SQLite file (two processes would open it the same way).
#[tokio::test]
async fn concurrent_appends_from_several_relays_on_sqlite() {
    let db = sqlite();
    let second = SqliteStorage::open(&db.dir.path().join("relay.sqlite3")).expect("open");
    let relays: Vec<Arc<dyn Storage>> = vec![Arc::new(db.storage.clone()), Arc::new(second)];
    conformance::concurrent_appends_from_several_relays(relays).await;
}

/// Two relays, each with its own pool, on one PostgreSQL database.
#[tokio::test]
async fn concurrent_appends_from_several_relays_on_postgres() {
    let settings = postgres_server::fresh_database().await;
    let first = PostgresStorage::open(&settings, Reach::Verified)
        .await
        .expect("opens");
    let second = PostgresStorage::open(&settings, Reach::Verified)
        .await
        .expect("opens");
    let relays: Vec<Arc<dyn Storage>> = vec![Arc::new(first), Arc::new(second)];
    conformance::concurrent_appends_from_several_relays(relays).await;
}

/// Batches from two relays on one SQLite file.
#[tokio::test]
async fn concurrent_batches_from_several_relays_on_sqlite() {
    let db = sqlite();
    let second = SqliteStorage::open(&db.dir.path().join("relay.sqlite3")).expect("open");
    let relays: Vec<Arc<dyn Storage>> = vec![Arc::new(db.storage.clone()), Arc::new(second)];
    conformance::concurrent_batches_from_several_relays(relays).await;
}

/// Batches from two relays, each with its own pool, on one PostgreSQL database.
#[tokio::test]
async fn concurrent_batches_from_several_relays_on_postgres() {
    let settings = postgres_server::fresh_database().await;
    let mut relays: Vec<Arc<dyn Storage>> = Vec::new();
    for _ in 0..2 {
        let relay = PostgresStorage::open(&settings, Reach::Verified)
            .await
            .expect("opens");
        relays.push(Arc::new(relay));
    }
    conformance::concurrent_batches_from_several_relays(relays).await;
}

/// A database reached over TLS is verified, name and authority: with the authority that
/// signed its certificate the relay connects and says the connection is encrypted; with
/// another authority (a certificate kept for this test, its key thrown away), or under
/// another name than the certificate's, it is refused and says why.
#[tokio::test]
async fn a_database_over_tls_is_verified() {
    let settings = postgres_server::fresh_database().await;
    let authority = postgres_server::server_certificate().await;
    let over_tls = format!("{settings} sslmode=require");
    let storage = PostgresStorage::open_with(&over_tls, Reach::Verified, Some(&authority))
        .await
        .expect("verified against the server's authority");
    assert!(storage.encrypted(), "the connection is TLS");
    assert!(storage.check().await.is_ok());
    let plain = PostgresStorage::open(&settings, Reach::Verified)
        .await
        .expect("plain on this machine");
    assert!(!plain.encrypted());

    let another = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/support/another-authority.pem");
    let unknown = PostgresStorage::open_with(&over_tls, Reach::Verified, Some(&another))
        .await
        .err()
        .expect("a certificate another authority signed is refused");
    assert!(unknown.to_string().contains("certificate"), "{unknown}");
    let port = settings
        .split_whitespace()
        .find_map(|kv| kv.strip_prefix("port="))
        .unwrap_or("5432");
    let database = settings
        .split_whitespace()
        .find_map(|kv| kv.strip_prefix("dbname="))
        .expect("a database");
    let user_and_password: Vec<&str> = settings
        .split_whitespace()
        .filter(|kv| kv.starts_with("user=") || kv.starts_with("password="))
        .collect();
    let by_address = format!(
        "host=127.0.0.1 port={port} dbname={database} {} sslmode=require",
        user_and_password.join(" ")
    );
    let misnamed = PostgresStorage::open_with(&by_address, Reach::Verified, Some(&authority))
        .await
        .err()
        .expect("a certificate for another name is refused");
    assert!(misnamed.to_string().contains("certificate"), "{misnamed}");
}

/// Two relays starting at once on a new database migrate it once.
#[tokio::test]
async fn relays_starting_together_migrate_once() {
    let settings = postgres_server::fresh_database().await;
    let (a, b) = tokio::join!(
        PostgresStorage::open(&settings, Reach::Verified),
        PostgresStorage::open(&settings, Reach::Verified)
    );
    let (a, b) = (a.expect("first opens"), b.expect("second opens"));
    assert!(a.check().await.is_ok() && b.check().await.is_ok());
    assert!(!a.has_tokens().await.expect("reads"));
}
