//! The HTTP face of the relay: the WebSocket at `/sync`, `/healthz` (ready: storage answers
//! and the relay is not stopping) and `/healthz/live` (the process answers), and the built
//! client for every other path; `/metrics` on an address of its own ([`metrics_router`]).
//! Behind a proxy that ends TLS (`X-Forwarded-Proto: https`), every answer carries HSTS.
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

/// The whole application, as devices reach it.
pub fn router(state: Arc<AppState>, statics: &StaticFiles) -> Router {
    let routes = Router::new()
        .route("/sync", get(sync))
        .route("/healthz", get(healthz))
        .route("/healthz/live", get(live));
    statics
        .apply(routes)
        .with_state(state)
        .layer(axum::middleware::map_response(hsts))
}

/// `/metrics` alone, for the address the operator's monitoring reaches.
pub fn metrics_router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/metrics", get(metrics))
        .with_state(state)
}

/// A year of HTTPS only, once the browser has reached the relay over TLS (through the proxy
/// that ends it); a plain-HTTP answer says nothing, as browsers ignore it there anyway.
async fn hsts(request_headers: HeaderMap, mut response: Response) -> Response {
    let over_tls = request_headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|proto| proto.eq_ignore_ascii_case("https"));
    if over_tls {
        response.headers_mut().insert(
            axum::http::header::STRICT_TRANSPORT_SECURITY,
            axum::http::HeaderValue::from_static("max-age=31536000"),
        );
    }
    response
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

/// Ready for devices: storage answers and the relay is not stopping. A balancer sends new
/// devices elsewhere on a 503.
async fn healthz(State(state): State<Arc<AppState>>) -> Result<Response, Error> {
    if *state.connection.shutdown.borrow() {
        return Ok((StatusCode::SERVICE_UNAVAILABLE, "stopping").into_response());
    }
    state.connection.hub.storage().check().await?;
    Ok("ok".into_response())
}

/// Alive: the process answers, whatever its storage does (restart it if not).
async fn live() -> &'static str {
    "ok"
}

async fn metrics(State(state): State<Arc<AppState>>) -> Response {
    (
        [(CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")],
        state.connection.metrics.render(),
    )
        .into_response()
}
