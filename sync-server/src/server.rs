//! Starting and stopping the relay: what `sync-server serve` and the tests call.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::serve::ListenerExt;
use tokio::net::TcpListener;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

use crate::connection;
use crate::http::{self, AppState, StaticFiles};
use crate::hub::Hub;
use crate::limits::Limits;
use crate::metrics::Metrics;
use crate::storage::postgres::{PostgresStorage, Reach};
use crate::storage::sqlite::SqliteStorage;
use crate::storage::{Change, Storage};
use crate::Error;

/// The SQLite file inside the data directory.
pub const DATABASE_FILE: &str = "relay.sqlite3";

/// How long shutdown waits for open connections to say goodbye.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// How to run the relay. Its `Debug` leaves the database settings out: they may hold a
/// password.
#[derive(Clone)]
pub struct Config {
    /// Where to listen; port 0 picks a free port (see [`Running::addr`]).
    pub addr: SocketAddr,
    /// Holds [`DATABASE_FILE`]; created if missing.
    pub data_dir: PathBuf,
    /// The built client; `None` or a directory without `index.html` serves a 503 page.
    pub dist_dir: Option<PathBuf>,
    pub limits: Limits,
    /// Where `/metrics` is served, apart from the devices' address (so that the figures are
    /// not public); `None` serves no metrics.
    pub metrics_addr: Option<SocketAddr>,
    /// A PostgreSQL database (libpq settings or a `postgres://` URL) instead of the SQLite
    /// file in `data_dir`: several relays may share it.
    pub database: Option<String>,
    /// How that database is reached when it is on another machine: over verified TLS, or
    /// in plain text on a network the operator trusts.
    pub database_reach: Reach,
    /// The certificate authorities (PEM) that sign the database's certificate, when not
    /// the system's.
    pub database_ca: Option<PathBuf>,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("addr", &self.addr)
            .field("data_dir", &self.data_dir)
            .field("dist_dir", &self.dist_dir)
            .field("limits", &self.limits)
            .field("metrics_addr", &self.metrics_addr)
            .field(
                "database",
                &self.database.as_ref().map(|_| "(set, not shown)"),
            )
            .field("database_reach", &self.database_reach)
            .field("database_ca", &self.database_ca)
            .finish()
    }
}

impl Config {
    pub fn new(addr: SocketAddr, data_dir: impl Into<PathBuf>) -> Self {
        Self {
            addr,
            data_dir: data_dir.into(),
            dist_dir: None,
            limits: Limits::default(),
            metrics_addr: None,
            database: None,
            database_reach: Reach::Verified,
            database_ca: None,
        }
    }
}

/// Opens PostgreSQL when `database` names one, else the SQLite file in `data_dir`.
pub async fn open_any(
    data_dir: PathBuf,
    database: Option<&str>,
    reach: Reach,
    ca: Option<&std::path::Path>,
) -> Result<Arc<dyn Storage>, Error> {
    Ok(match database {
        Some(settings) => Arc::new(PostgresStorage::open_with(settings, reach, ca).await?),
        None => Arc::new(open_storage(data_dir).await?),
    })
}

/// Opens the storage in `data_dir`, creating the directory and the database if missing.
pub async fn open_storage(data_dir: PathBuf) -> Result<SqliteStorage, Error> {
    tokio::task::spawn_blocking(move || {
        create_private_dir(&data_dir)?;
        SqliteStorage::open(&data_dir.join(DATABASE_FILE))
    })
    .await?
}

/// Creates `dir` (and its parents) if missing, readable by the relay's own user only (0700
/// on Unix): it holds the device tokens' hashes and every organisation's log. A directory
/// that exists keeps the permissions its owner gave it.
fn create_private_dir(dir: &std::path::Path) -> std::io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// A relay that is listening.
pub struct Running {
    /// The address it listens on, with the real port when the config asked for port 0.
    pub addr: SocketAddr,
    pub storage: Arc<dyn Storage>,
    pub metrics: Arc<Metrics>,
    /// Where `/metrics` is served, when it is.
    pub metrics_addr: Option<SocketAddr>,
    shutdown: watch::Sender<bool>,
    server: JoinHandle<std::io::Result<()>>,
    metrics_server: Option<JoinHandle<std::io::Result<()>>>,
    /// Follows other relays' appends, on a shared database.
    watcher: Option<JoinHandle<()>>,
    all_gone: mpsc::Receiver<()>,
}

/// Opens the storage, binds the address and serves until [`Running::shutdown`].
pub async fn start(config: Config) -> Result<Running, Error> {
    let storage = open_any(
        config.data_dir.clone(),
        config.database.as_deref(),
        config.database_reach,
        config.database_ca.as_deref(),
    )
    .await?;
    let dist = config.dist_dir.clone();
    let statics = tokio::task::spawn_blocking(move || StaticFiles::load(dist.as_deref())).await??;
    let listener = bind(config.addr).await?;
    let addr = listener.local_addr()?;
    let metrics_listener = match config.metrics_addr {
        Some(at) => Some(bind(at).await?),
        None => None,
    };

    let metrics = Arc::new(Metrics::default());
    let hub = Arc::new(Hub::new(
        Arc::clone(&storage),
        Arc::clone(&metrics),
        config.limits.org_quota_bytes,
    ));
    let watcher = follow_other_relays(&storage, &hub);
    let (shutdown, shutdown_rx) = watch::channel(false);
    let (alive, all_gone) = mpsc::channel(1);
    let state = Arc::new(AppState {
        connection: connection::Context {
            hub: Arc::clone(&hub),
            admission: crate::admission::Admission::new(
                config.limits.max_connections,
                config.limits.max_connections_per_token,
            ),
            metrics: Arc::clone(&metrics),
            limits: config.limits.clone(),
            shutdown: shutdown_rx.clone(),
        },
        alive,
    });
    let metrics_addr = match &metrics_listener {
        Some(l) => Some(l.local_addr()?),
        None => None,
    };
    let metrics_server = metrics_listener.map(|listener| {
        let app = http::metrics_router(Arc::clone(&state));
        serve_until(listener, app, shutdown_rx.clone())
    });
    let app = http::router(state, &statics);
    let server = serve_until(listener, app, shutdown_rx);
    tracing::info!(%addr, ?metrics_addr, data_dir = ?config.data_dir, "relay listening");
    Ok(Running {
        addr,
        storage,
        metrics,
        metrics_addr,
        shutdown,
        server,
        metrics_server,
        watcher,
        all_gone,
    })
}

/// On a database other relays share, hands what they append to this relay's devices.
fn follow_other_relays(storage: &Arc<dyn Storage>, hub: &Arc<Hub>) -> Option<JoinHandle<()>> {
    let mut changes = storage.watch()?;
    let hub = Arc::clone(hub);
    Some(tokio::spawn(async move {
        while let Some(change) = changes.recv().await {
            match change {
                Change::Appended { org, doc, seq } => {
                    if let Err(e) = hub.caught_up_to(&org, &doc, seq).await {
                        // The next notice of the document, or the next catch-up, makes it
                        // good: the hub reads from its own last number.
                        tracing::warn!(error = %e, org = %org, doc = %doc,
                            "could not read what another relay appended");
                    }
                }
                // Tried until it succeeds: until then, devices would miss other relays'
                // entries without knowing it. Just after a failover, reads may fail a while.
                Change::Missed => {
                    let mut pause = Duration::from_millis(200);
                    while let Err(e) = hub.catch_up_all().await {
                        tracing::warn!(error = %e, "could not catch up with other relays; retrying");
                        tokio::time::sleep(pause).await;
                        pause = (pause * 2).min(Duration::from_secs(10));
                    }
                }
            }
        }
    }))
}

async fn bind(addr: SocketAddr) -> Result<TcpListener, Error> {
    TcpListener::bind(addr)
        .await
        .map_err(|source| Error::Bind { addr, source })
}

/// Serves `app` on `listener` until the shutdown signal.
fn serve_until(
    listener: TcpListener,
    app: axum::Router,
    mut stop: watch::Receiver<bool>,
) -> JoinHandle<std::io::Result<()>> {
    // Acknowledgements and live entries are small frames sent one at a time: without
    // TCP_NODELAY, Nagle's algorithm holds each behind the last one's TCP acknowledgement,
    // which the device delays (about 40 ms on Linux).
    let listener = listener.tap_io(|tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!(error = %e, "could not set TCP_NODELAY on a connection");
        }
    });
    tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                // An error means the sender is gone, which also means stop.
                let _ = stop.wait_for(|&stop| stop).await;
            })
            .await
    })
}

impl Running {
    /// Stops accepting, closes every WebSocket with code 1001 and waits (a few seconds at
    /// most) for connections to end.
    pub async fn shutdown(mut self) -> Result<(), Error> {
        self.shutdown.send_replace(true);
        if let Some(watcher) = &self.watcher {
            watcher.abort();
        }
        if let Some(metrics) = self.metrics_server {
            metrics.await??;
        }
        let served = self.server.await?;
        let drained = tokio::time::timeout(SHUTDOWN_GRACE, self.all_gone.recv()).await;
        if drained.is_err() {
            tracing::warn!("some connections did not close in time");
        }
        served.map_err(Error::Io)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_config_printed_never_shows_the_database_password() {
        let mut config = Config::new(SocketAddr::from(([127, 0, 0, 1], 0)), "/tmp/relay");
        config.database = Some("host=db.internal user=relay password=hunter2".into());
        let printed = format!("{config:?}");
        assert!(
            !printed.contains("hunter2") && !printed.contains("db.internal"),
            "{printed}"
        );
        assert!(printed.contains("not shown"), "{printed}");
    }
}
