//! The connection handler driven through channels: timing, limits and protocol errors that
//! a real socket makes awkward to provoke.

use std::pin::Pin;
use std::task::{Context as TaskContext, Poll};

use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver, UnboundedSender};
use tokio::task::JoinHandle;

use super::*;
use crate::storage::sqlite::SqliteStorage;
use crate::storage::Storage;
use protocol::Bundle;

/// The relay's side of a fake WebSocket.
struct ChannelSocket {
    incoming: UnboundedReceiver<Result<Message, String>>,
    outgoing: UnboundedSender<Message>,
}

impl Stream for ChannelSocket {
    type Item = Result<Message, String>;
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<Option<Self::Item>> {
        self.incoming.poll_recv(cx)
    }
}

impl Sink<Message> for ChannelSocket {
    type Error = String;
    fn poll_ready(self: Pin<&mut Self>, _: &mut TaskContext<'_>) -> Poll<Result<(), String>> {
        Poll::Ready(Ok(()))
    }
    fn start_send(self: Pin<&mut Self>, item: Message) -> Result<(), String> {
        self.outgoing
            .send(item)
            .map_err(|_| "device gone".to_owned())
    }
    fn poll_flush(self: Pin<&mut Self>, _: &mut TaskContext<'_>) -> Poll<Result<(), String>> {
        Poll::Ready(Ok(()))
    }
    fn poll_close(self: Pin<&mut Self>, _: &mut TaskContext<'_>) -> Poll<Result<(), String>> {
        Poll::Ready(Ok(()))
    }
}

struct Relay {
    storage: Arc<SqliteStorage>,
    secret: String,
    shutdown: watch::Sender<bool>,
    ctx: Context,
    _dir: tempfile::TempDir,
}

async fn relay(limits: Limits) -> Relay {
    let dir = tempfile::tempdir().expect("temp dir");
    let storage = Arc::new(SqliteStorage::open(&dir.path().join("r.sqlite3")).expect("open"));
    let org = OrgName::new("acme").expect("valid");
    let token = storage
        .create_token(&org, "desk", &crate::Sites::All)
        .await
        .expect("token");
    let metrics = Arc::new(Metrics::default());
    let (shutdown, shutdown_rx) = watch::channel(false);
    let ctx = Context {
        hub: Arc::new(Hub::new(
            storage.clone(),
            Arc::clone(&metrics),
            limits.org_quota_bytes,
        )),
        admission: crate::admission::Admission::new(
            limits.max_connections,
            limits.max_connections_per_token,
        ),
        metrics,
        limits,
        shutdown: shutdown_rx,
    };
    Relay {
        storage,
        secret: token.secret.expose().to_owned(),
        shutdown,
        ctx,
        _dir: dir,
    }
}

/// A named device on the other end of a [`ChannelSocket`].
struct Device {
    name: &'static str,
    to_relay: UnboundedSender<Result<Message, String>>,
    from_relay: UnboundedReceiver<Message>,
    task: JoinHandle<()>,
}

impl Relay {
    fn connect(&self, name: &'static str) -> Device {
        let (to_relay, incoming) = unbounded_channel();
        let (outgoing, from_relay) = unbounded_channel();
        let socket = ChannelSocket { incoming, outgoing };
        let task = tokio::spawn(serve(socket, self.ctx.clone()));
        Device {
            name,
            to_relay,
            from_relay,
            task,
        }
    }

    /// A device that has said `Hello` with a good token and got `Welcome`.
    async fn signed_in(&self, name: &'static str) -> Device {
        let mut device = self.connect(name);
        device.hello(&self.secret);
        assert_eq!(
            device.server_message().await,
            ServerMessage::Welcome { org: "acme".into() }
        );
        device
    }
}

impl Device {
    fn raw(&self, message: Message) {
        self.to_relay.send(Ok(message)).expect("relay task alive");
    }

    fn send(&self, message: ClientMessage) {
        self.raw(Message::Binary(message.encode().into()));
    }

    fn hello(&self, token: &str) {
        self.send(ClientMessage::Hello {
            token: token.into(),
            device: self.name.into(),
        });
    }

    async fn next(&mut self) -> Message {
        self.from_relay.recv().await.expect("relay sent something")
    }

    async fn server_message(&mut self) -> ServerMessage {
        match self.next().await {
            Message::Binary(bytes) => ServerMessage::decode(&bytes).expect("valid message"),
            other => panic!("{}: expected a binary message, got {other:?}", self.name),
        }
    }

    /// The next server message, or `None` for a ping (answered).
    async fn server_message_or_ping(&mut self) -> Option<ServerMessage> {
        match self.next().await {
            Message::Binary(bytes) => Some(ServerMessage::decode(&bytes).expect("valid message")),
            Message::Ping(data) => {
                self.raw(Message::Pong(data));
                None
            }
            other => panic!("{}: expected a message or a ping, got {other:?}", self.name),
        }
    }

    /// Expects `Error { code }` and then the matching close frame.
    async fn expect_refused(&mut self, code: ErrorCode) {
        match self.server_message().await {
            ServerMessage::Error { code: got, .. } => assert_eq!(got, code, "{}", self.name),
            other => panic!("{}: expected an error, got {other:?}", self.name),
        }
        self.expect_close(code.close_code()).await;
    }

    async fn expect_close(&mut self, code: u16) {
        match self.next().await {
            Message::Close(Some(frame)) => assert_eq!(frame.code, code, "{}", self.name),
            other => panic!("{}: expected close {code}, got {other:?}", self.name),
        }
        // The relay waits for the device's close frame, then ends the connection.
        self.raw(Message::Close(None));
        (&mut self.task)
            .await
            .expect("connection task ends cleanly");
    }
}

fn doc(id: &str) -> DocId {
    DocId::new(id).expect("valid test doc")
}

#[tokio::test]
async fn no_hello_in_time_is_unauthorised() {
    let r = relay(Limits {
        hello_timeout: Duration::from_millis(50),
        ..Limits::default()
    })
    .await;
    let mut desk = r.connect("desk_a");
    desk.expect_refused(ErrorCode::Unauthorised).await;
}

#[tokio::test]
async fn hello_must_come_first_and_only_once() {
    let r = relay(Limits::default()).await;
    let mut desk = r.connect("desk_a");
    desk.send(ClientMessage::Subscribe {
        doc: doc("d"),
        after: 0,
    });
    desk.expect_refused(ErrorCode::Unauthorised).await;

    let mut desk = r.signed_in("desk_b").await;
    desk.hello(&r.secret);
    desk.expect_refused(ErrorCode::Malformed).await;
}

#[tokio::test]
async fn bad_tokens_are_unauthorised() {
    let r = relay(Limits::default()).await;
    for token in ["", "fd1_unknown", &r.secret[..r.secret.len() - 1]] {
        let mut desk = r.connect("desk_a");
        desk.hello(token);
        desk.expect_refused(ErrorCode::Unauthorised).await;
    }
}

#[tokio::test]
async fn text_and_garbage_are_malformed() {
    let r = relay(Limits::default()).await;
    let mut desk = r.signed_in("desk_a").await;
    desk.raw(Message::Text("hello".into()));
    desk.expect_refused(ErrorCode::Malformed).await;

    let mut desk = r.signed_in("desk_b").await;
    desk.raw(Message::Binary(Bytes::from_static(&[1, 250, 3])));
    desk.expect_refused(ErrorCode::Malformed).await;
}

#[tokio::test]
async fn too_long_for_the_websocket_layer_is_too_big() {
    let r = relay(Limits::default()).await;
    let mut desk = r.signed_in("desk_a").await;
    // What axum's WebSocket yields when tungstenite refuses a frame over its limit.
    let error = axum::Error::new(tokio_tungstenite::tungstenite::Error::Capacity(
        tokio_tungstenite::tungstenite::error::CapacityError::MessageTooLong {
            size: 3 << 20,
            max_size: crate::limits::WEBSOCKET_MAX_BYTES,
        },
    ));
    assert!(is_too_long(&error), "{error}");
    desk.to_relay
        .send(Err(error.to_string()))
        .expect("relay task alive");
    desk.expect_refused(ErrorCode::TooBig).await;
}

#[tokio::test]
async fn pings_and_closes_when_idle() {
    let r = relay(Limits {
        ping_interval: Duration::from_millis(20),
        idle_timeout: Duration::from_millis(150),
        ..Limits::default()
    })
    .await;
    let mut desk = r.signed_in("desk_a").await;
    // Answering pings keeps the connection open well past the idle timeout.
    for _ in 0..15 {
        match desk.next().await {
            Message::Ping(data) => desk.raw(Message::Pong(data)),
            other => panic!("expected a ping, got {other:?}"),
        }
    }
    // Then silence: more pings, and finally the idle close.
    loop {
        match desk.next().await {
            Message::Ping(_) => continue,
            Message::Close(Some(frame)) => {
                assert_eq!(frame.code, close::IDLE);
                break;
            }
            other => panic!("expected a ping or close, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn revoking_a_token_ends_its_open_connections() {
    let r = relay(Limits {
        ping_interval: Duration::from_millis(20),
        ..Limits::default()
    })
    .await;
    let mut desk = r.signed_in("desk_a").await;
    match desk.next().await {
        Message::Ping(data) => desk.raw(Message::Pong(data)),
        other => panic!("expected a ping, got {other:?}"),
    }
    let tokens = r.storage.list_tokens(None).await.expect("lists");
    assert!(r
        .storage
        .revoke_token(&tokens[0].id)
        .await
        .expect("revokes"));
    // At most one more ping may already be on its way before the next check.
    let refused = async {
        loop {
            match desk.server_message_or_ping().await {
                Some(ServerMessage::Error { code, .. }) => return code,
                Some(other) => panic!("expected the refusal, got {other:?}"),
                None => continue,
            }
        }
    };
    let code = timeout(Duration::from_secs(5), refused)
        .await
        .expect("the revoked token's connection is refused within a few pings");
    assert_eq!(code, ErrorCode::Revoked);
    desk.expect_close(close::REVOKED).await;
}

#[tokio::test]
async fn floods_are_rate_limited() {
    let r = relay(Limits {
        rate_per_second: 0.001,
        rate_burst: 3,
        ..Limits::default()
    })
    .await;
    // Hello is the first of the three.
    let mut desk = r.signed_in("desk_a").await;
    for _ in 0..3 {
        desk.send(ClientMessage::Subscribe {
            doc: doc("d"),
            after: 0,
        });
    }
    for _ in 0..2 {
        assert!(matches!(
            desk.server_message().await,
            ServerMessage::Entries {
                caught_up: true,
                ..
            }
        ));
    }
    desk.expect_refused(ErrorCode::RateLimited).await;
    let metrics = r.ctx.metrics.render();
    assert!(metrics.contains("relay_errors_total{code=\"rate_limited\"} 1"));
}

#[tokio::test]
async fn shutdown_closes_with_going_away() {
    let r = relay(Limits::default()).await;
    let mut desk = r.signed_in("desk_a").await;
    r.shutdown.send_replace(true);
    desk.expect_close(close::SHUTTING_DOWN).await;
    assert_eq!(r.ctx.metrics.connections_open(), 0);
}

#[tokio::test]
async fn backlog_comes_in_pages_then_live_entries() {
    let r = relay(Limits {
        // Room for two 100-byte entries per page.
        page_bytes: 2 * crate::storage::entry_cost(100),
        ..Limits::default()
    })
    .await;
    let org = OrgName::new("acme").expect("valid");
    let d = doc("schedule/main/2026-11");
    for n in 1..=5u8 {
        r.storage
            .append(&org, &d, &Bundle::new(vec![n; 100]))
            .await
            .expect("append");
    }
    let mut tablet = r.signed_in("tablet").await;
    tablet.send(ClientMessage::Subscribe {
        doc: d.clone(),
        after: 1,
    });
    let mut pages = Vec::new();
    for _ in 0..2 {
        match tablet.server_message().await {
            ServerMessage::Entries {
                entries, caught_up, ..
            } => pages.push((entries.iter().map(|e| e.seq).collect::<Vec<_>>(), caught_up)),
            other => panic!("expected entries, got {other:?}"),
        }
    }
    assert_eq!(pages, [(vec![2, 3], false), (vec![4, 5], true)]);

    let desk = r.signed_in("desk_a").await;
    desk.send(ClientMessage::Push {
        doc: d.clone(),
        bundle: Bundle::new(b"six".to_vec()),
    });
    match tablet.server_message().await {
        ServerMessage::Entries {
            entries, caught_up, ..
        } => {
            assert_eq!(entries.len(), 1);
            assert_eq!(
                (entries[0].seq, entries[0].data.as_slice()),
                (6, &b"six"[..])
            );
            assert!(caught_up);
        }
        other => panic!("expected the live entry, got {other:?}"),
    }
}
