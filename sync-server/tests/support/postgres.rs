//! The PostgreSQL server the tests use, named by `SYNC_SERVER_TEST_POSTGRES` (libpq
//! key-value settings without `dbname`; `make test` starts a throwaway cluster and sets it).
//! Each caller gets a new, empty database of its own.

/// The server's settings; a missing variable fails the test rather than skipping it, so a
/// run without PostgreSQL cannot pass for one with it.
fn settings() -> String {
    std::env::var("SYNC_SERVER_TEST_POSTGRES").expect(
        "SYNC_SERVER_TEST_POSTGRES names the PostgreSQL server for these tests \
         (for example \"host=/tmp/pg port=5433 user=postgres\"); `make test` starts one",
    )
}

/// A new, empty database on the test server, and the settings that reach it.
pub async fn fresh_database() -> String {
    use rand::Rng;
    let settings = settings();
    let (admin, connection) = tokio_postgres::connect(
        &format!("{settings} dbname=postgres"),
        tokio_postgres::NoTls,
    )
    .await
    .expect("the test PostgreSQL server answers");
    tokio::spawn(connection);
    let name = format!("relay_test_{:016x}", rand::rng().random::<u64>());
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .await
        .expect("creates a database");
    format!("{settings} dbname={name}")
}

/// The file of the test server's own certificate (`ssl_cert_file`: Debian's clusters serve
/// TLS with the machine's self-signed "snakeoil" certificate for `localhost`), which the
/// tests trust as its authority.
#[allow(dead_code)] // not every test binary reaches the server over TLS
pub async fn server_certificate() -> std::path::PathBuf {
    let (admin, connection) = tokio_postgres::connect(
        &format!("{} dbname=postgres", settings()),
        tokio_postgres::NoTls,
    )
    .await
    .expect("the test PostgreSQL server answers");
    tokio::spawn(connection);
    let row = admin
        .query_one(
            "SELECT current_setting('ssl'), current_setting('ssl_cert_file')",
            &[],
        )
        .await
        .expect("reads its settings");
    let (ssl, file): (String, String) = (row.get(0), row.get(1));
    assert_eq!(ssl, "on", "the test server serves TLS");
    file.into()
}

/// Cuts every connection that listens for relays' notices on the database `settings`
/// names, as a restart or a failover of the database would; returns how many it cut.
#[allow(dead_code)] // not every test binary cuts connections
pub async fn cut_listeners(settings: &str) -> i64 {
    let (admin, connection) = tokio_postgres::connect(settings, tokio_postgres::NoTls)
        .await
        .expect("the test PostgreSQL server answers");
    tokio::spawn(connection);
    admin
        .query_one(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
             WHERE datname = current_database() AND pid <> pg_backend_pid()
               AND query ILIKE 'LISTEN%'",
            &[],
        )
        .await
        .expect("terminates")
        .get(0)
}
