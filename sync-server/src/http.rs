//! The HTTP face of the relay: the WebSocket at `/sync`, `/healthz`, `/metrics`, and the
//! built client for every other path.
//!
//! API boundary: [`router`] is all that [`crate::server`] needs; handlers only translate
//! between HTTP and [`crate::connection`], [`crate::storage`] and [`crate::metrics`].

mod csp;
mod origin;
mod static_files;

use std::sync::Arc;

use axum::extract::{State, WebSocketUpgrade};
use axum::http::header::{CONTENT_TYPE, HOST, ORIGIN};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tokio::sync::mpsc;

pub use self::static_files::{cache_policy, CachePolicy, StaticFiles};
use crate::connection;
use crate::limits::WEBSOCKET_MAX_BYTES;
use crate::Error;

/// What the handlers share.
pub struct AppState {
    pub connection: connection::Context,
    /// Never sent on. Every WebSocket task holds the state until it ends, so the receiver
    /// sees the channel close once the server and the last connection are gone, which is
    /// what shutdown waits for.
    pub alive: mpsc::Sender<()>,
}

/// The whole application.
pub fn router(state: Arc<AppState>, statics: &StaticFiles) -> Router {
    let routes = Router::new()
        .route("/sync", get(sync))
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics));
    statics.apply(routes).with_state(state)
}

async fn sync(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Response {
    if !origin::allowed(headers.get(ORIGIN), headers.get(HOST)) {
        tracing::info!(origin = ?headers.get(ORIGIN), host = ?headers.get(HOST),
            "refused a WebSocket from another origin");
        return (
            StatusCode::FORBIDDEN,
            "this origin may not connect to the relay",
        )
            .into_response();
    }
    let limits = &state.connection.limits;
    upgrade
        .read_buffer_size(limits.read_buffer_bytes)
        .write_buffer_size(limits.write_buffer_bytes)
        .max_message_size(WEBSOCKET_MAX_BYTES)
        .max_frame_size(WEBSOCKET_MAX_BYTES)
        .on_upgrade(move |socket| async move {
            connection::serve(socket, state.connection.clone()).await;
        })
}

async fn healthz(State(state): State<Arc<AppState>>) -> Result<&'static str, Error> {
    state.connection.hub.storage().check().await?;
    Ok("ok")
}

async fn metrics(State(state): State<Arc<AppState>>) -> Response {
    (
        [(CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")],
        state.connection.metrics.render(),
    )
        .into_response()
}
