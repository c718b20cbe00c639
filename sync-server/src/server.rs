//! Starting and stopping the relay: what `sync-server serve` and the tests call.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

use crate::connection;
use crate::http::{self, AppState, StaticFiles};
use crate::hub::Hub;
use crate::limits::Limits;
use crate::metrics::Metrics;
use crate::storage::sqlite::SqliteStorage;
use crate::storage::Storage;
use crate::Error;

/// The SQLite file inside the data directory.
pub const DATABASE_FILE: &str = "relay.sqlite3";

/// How long shutdown waits for open connections to say goodbye.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// How to run the relay.
#[derive(Clone, Debug)]
pub struct Config {
    /// Where to listen; port 0 picks a free port (see [`Running::addr`]).
    pub addr: SocketAddr,
    /// Holds [`DATABASE_FILE`]; created if missing.
    pub data_dir: PathBuf,
    /// The built client; `None` or a directory without `index.html` serves a 503 page.
    pub dist_dir: Option<PathBuf>,
    pub limits: Limits,
}

impl Config {
    pub fn new(addr: SocketAddr, data_dir: impl Into<PathBuf>) -> Self {
        Self {
            addr,
            data_dir: data_dir.into(),
            dist_dir: None,
            limits: Limits::default(),
        }
    }
}

/// Opens the storage in `data_dir`, creating the directory and the database if missing.
pub async fn open_storage(data_dir: PathBuf) -> Result<SqliteStorage, Error> {
    tokio::task::spawn_blocking(move || {
        std::fs::create_dir_all(&data_dir)?;
        SqliteStorage::open(&data_dir.join(DATABASE_FILE))
    })
    .await?
}

/// A relay that is listening.
pub struct Running {
    /// The address it listens on, with the real port when the config asked for port 0.
    pub addr: SocketAddr,
    pub storage: Arc<dyn Storage>,
    pub metrics: Arc<Metrics>,
    shutdown: watch::Sender<bool>,
    server: JoinHandle<std::io::Result<()>>,
    all_gone: mpsc::Receiver<()>,
}

/// Opens the storage, binds the address and serves until [`Running::shutdown`].
pub async fn start(config: Config) -> Result<Running, Error> {
    let storage: Arc<dyn Storage> = Arc::new(open_storage(config.data_dir.clone()).await?);
    let dist = config.dist_dir.clone();
    let statics = tokio::task::spawn_blocking(move || StaticFiles::load(dist.as_deref())).await??;
    let listener = TcpListener::bind(config.addr)
        .await
        .map_err(|source| Error::Bind {
            addr: config.addr,
            source,
        })?;
    let addr = listener.local_addr()?;

    let metrics = Arc::new(Metrics::default());
    let (shutdown, shutdown_rx) = watch::channel(false);
    let (alive, all_gone) = mpsc::channel(1);
    let state = Arc::new(AppState {
        connection: connection::Context {
            hub: Arc::new(Hub::new(Arc::clone(&storage), Arc::clone(&metrics))),
            metrics: Arc::clone(&metrics),
            limits: config.limits.clone(),
            shutdown: shutdown_rx.clone(),
        },
        alive,
    });
    let app = http::router(state, &statics);
    let mut stop = shutdown_rx;
    let server = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                // An error means the sender is gone, which also means stop.
                let _ = stop.wait_for(|&stop| stop).await;
            })
            .await
    });
    tracing::info!(%addr, data_dir = ?config.data_dir, "relay listening");
    Ok(Running {
        addr,
        storage,
        metrics,
        shutdown,
        server,
        all_gone,
    })
}

impl Running {
    /// Stops accepting, closes every WebSocket with code 1001 and waits (a few seconds at
    /// most) for connections to end.
    pub async fn shutdown(mut self) -> Result<(), Error> {
        self.shutdown.send_replace(true);
        let served = self.server.await?;
        let drained = tokio::time::timeout(SHUTDOWN_GRACE, self.all_gone.recv()).await;
        if drained.is_err() {
            tracing::warn!("some connections did not close in time");
        }
        served.map_err(Error::Io)
    }
}
