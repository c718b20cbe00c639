//! The real relay on port 0, driven by native WebSocket and HTTP clients.

use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use protocol::{
    close, Bundle, ClientMessage, DocId, Entry, ErrorCode, ServerMessage, Wire, MAX_MESSAGE_BYTES,
};
use sha2::{Digest, Sha256};
use sync_server::storage::entry_cost;
use sync_server::{start, Config, Limits, OrgName, Running, Sites};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::{self, Message};

// The HTTP tests live beside this file; `tests/relay/` is not a test target of its own.
#[path = "relay/bounds.rs"]
mod bounds;
#[path = "relay/devices.rs"]
mod devices;
#[path = "relay/http.rs"]
mod http;
#[path = "relay/postgres.rs"]
mod postgres;
#[path = "relay/sites.rs"]
mod sites;
#[path = "relay/snapshots.rs"]
mod snapshots;

use http::{get, header};

/// Long enough for a slow CI machine, short enough that a hang fails the test.
const PATIENCE: Duration = Duration::from_secs(20);

struct Relay {
    running: Running,
    _data: tempfile::TempDir,
}

async fn relay_with(dist: Option<&Path>, limits: Limits) -> Relay {
    relay_configured(|config| {
        config.dist_dir = dist.map(Path::to_path_buf);
        config.limits = limits;
    })
    .await
}

/// A relay on port 0 in a fresh data directory, with `configure` applied to its config.
async fn relay_configured(configure: impl FnOnce(&mut Config)) -> Relay {
    let data = tempfile::tempdir().expect("temp dir");
    let mut config = Config::new(
        "127.0.0.1:0".parse().expect("address"),
        data.path().join("data"),
    );
    configure(&mut config);
    let running = start(config).await.expect("relay starts");
    Relay {
        running,
        _data: data,
    }
}

async fn relay() -> Relay {
    relay_with(None, Limits::default()).await
}

impl Relay {
    fn addr(&self) -> SocketAddr {
        self.running.addr
    }

    async fn token(&self, org: &str) -> String {
        self.token_for(org, Sites::All).await
    }

    /// A token that may sync only the documents of `sites` (and the organisation's own).
    async fn token_for(&self, org: &str, sites: Sites) -> String {
        let org = OrgName::new(org).expect("valid org");
        let token = self
            .running
            .storage
            .create_token(&org, "test", &sites)
            .await;
        token.expect("token").secret.expose().to_owned()
    }

    /// A device that said `Hello` and got `Welcome`.
    async fn device(&self, name: &'static str, token: &str) -> Device {
        let mut device = Device::connect(name, self.addr()).await;
        device.hello(token).await;
        match device.message().await {
            ServerMessage::Welcome { .. } => device,
            other => panic!("{name}: expected Welcome, got {other:?}"),
        }
    }
}

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

struct Device {
    name: &'static str,
    ws: Socket,
}

fn doc(id: &str) -> DocId {
    DocId::new(id).expect("valid doc id")
}

impl Device {
    async fn connect(name: &'static str, addr: SocketAddr) -> Self {
        let (ws, _) = tokio_tungstenite::connect_async(format!("ws://{addr}/sync"))
            .await
            .expect("WebSocket handshake");
        Self { name, ws }
    }

    async fn raw(&mut self, message: Message) {
        self.ws.send(message).await.expect("send");
    }

    async fn send(&mut self, message: ClientMessage) {
        self.raw(Message::Binary(message.encode().into())).await;
    }

    async fn hello(&mut self, token: &str) {
        let hello = ClientMessage::Hello {
            token: token.into(),
            device: self.name.into(),
        };
        self.send(hello).await;
    }

    async fn push(&mut self, doc_id: &str, data: &[u8]) {
        let push = ClientMessage::Push {
            doc: doc(doc_id),
            bundle: Bundle::new(data.to_vec()),
        };
        self.send(push).await;
    }

    async fn subscribe(&mut self, doc_id: &str, after: u64) {
        let subscribe = ClientMessage::Subscribe {
            doc: doc(doc_id),
            after,
        };
        self.send(subscribe).await;
    }

    /// The next frame that is not a ping or pong.
    async fn frame(&mut self) -> Message {
        loop {
            let next = tokio::time::timeout(PATIENCE, self.ws.next()).await;
            match next.unwrap_or_else(|_| panic!("{}: nothing from the relay", self.name)) {
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
                Some(Ok(message)) => return message,
                other => panic!("{}: connection ended: {other:?}", self.name),
            }
        }
    }

    async fn message(&mut self) -> ServerMessage {
        match self.frame().await {
            Message::Binary(bytes) => ServerMessage::decode(&bytes).expect("valid message"),
            other => panic!("{}: expected a message, got {other:?}", self.name),
        }
    }

    async fn ack(&mut self) -> u64 {
        match self.message().await {
            ServerMessage::Ack { seq, .. } => seq,
            other => panic!("{}: expected Ack, got {other:?}", self.name),
        }
    }

    /// Entries until a message with `caught_up`, checking that every message is in order.
    async fn entries_until_caught_up(&mut self) -> Vec<Entry> {
        let mut all = Vec::new();
        loop {
            match self.message().await {
                ServerMessage::Entries {
                    entries, caught_up, ..
                } => {
                    all.extend(entries);
                    if caught_up {
                        return all;
                    }
                }
                other => panic!("{}: expected Entries, got {other:?}", self.name),
            }
        }
    }

    /// Expects `Error { code }`, then a close frame with the code's close code.
    async fn expect_refused(&mut self, code: ErrorCode) {
        match self.message().await {
            ServerMessage::Error { code: got, .. } => assert_eq!(got, code, "{}", self.name),
            other => panic!("{}: expected Error {code:?}, got {other:?}", self.name),
        }
        self.expect_close(code.close_code()).await;
    }

    async fn expect_close(&mut self, code: u16) {
        match self.frame().await {
            Message::Close(Some(frame)) => assert_eq!(u16::from(frame.code), code, "{}", self.name),
            other => panic!("{}: expected close {code}, got {other:?}", self.name),
        }
    }
}

fn seqs(entries: &[Entry]) -> Vec<u64> {
    entries.iter().map(|e| e.seq).collect()
}

#[tokio::test]
async fn a_bad_token_is_refused_with_4001() {
    let r = relay().await;
    let mut desk = Device::connect("desk_a", r.addr()).await;
    desk.hello("fd1_not-a-real-token").await;
    desk.expect_refused(ErrorCode::Unauthorised).await;
}

#[tokio::test]
async fn pushes_are_acked_in_order_and_duplicates_keep_their_seq() {
    let r = relay().await;
    let token = r.token("clinic").await;
    let mut desk = r.device("desk_a", &token).await;
    desk.push("schedule/main/2026-11", b"first").await;
    assert_eq!(desk.ack().await, 1);
    desk.push("schedule/main/2026-11", b"second").await;
    assert_eq!(desk.ack().await, 2);
    desk.push("schedule/main/2026-11", b"first").await;
    assert_eq!(desk.ack().await, 1);

    let org = OrgName::new("clinic").expect("valid");
    let stored = r
        .running
        .storage
        .read_after(&org, &doc("schedule/main/2026-11"), 0, usize::MAX)
        .await
        .expect("read");
    assert_eq!(seqs(&stored), [1, 2]);
    assert_eq!(stored[0].data, b"first");
}

#[tokio::test]
async fn a_subscriber_gets_backlog_then_live_entries_without_gaps() {
    let r = relay().await;
    let token = r.token("clinic").await;
    let mut desk_a = r.device("desk_a", &token).await;
    for n in 0..3 {
        desk_a.push("d", format!("backlog {n}").as_bytes()).await;
        desk_a.ack().await;
    }

    let mut desk_b = r.device("desk_b", &token).await;
    desk_b.subscribe("d", 0).await;
    let backlog = desk_b.entries_until_caught_up().await;
    assert_eq!(seqs(&backlog), [1, 2, 3]);
    assert_eq!(backlog[2].data, b"backlog 2");

    desk_a.push("d", b"live 4").await;
    desk_a.push("d", b"live 5").await;
    for expected in [4, 5] {
        let live = desk_b.entries_until_caught_up().await;
        assert_eq!(seqs(&live), [expected]);
    }
}

#[tokio::test]
async fn subscribing_while_another_device_pushes_loses_nothing() {
    // Pages of two entries, so that reading the backlog takes many storage reads while the
    // other device keeps appending.
    let r = relay_with(
        None,
        Limits {
            page_bytes: 2 * entry_cost(16),
            ..Limits::default()
        },
    )
    .await;
    let token = r.token("clinic").await;
    const BEFORE: u64 = 100;
    const DURING: u64 = 100;
    let mut pusher = r.device("desk_a", &token).await;
    for n in 0..BEFORE {
        pusher.push("d", format!("bundle {n:06}").as_bytes()).await;
        pusher.ack().await;
    }
    let push_more = async move {
        // Without waiting for acks, so that appends overlap the subscription.
        for n in BEFORE..BEFORE + DURING {
            pusher.push("d", format!("bundle {n:06}").as_bytes()).await;
        }
        for _ in 0..DURING {
            pusher.ack().await;
        }
    };
    let watch = async {
        let mut phone = r.device("manager_phone", &token).await;
        phone.subscribe("d", 0).await;
        let mut seen = phone.entries_until_caught_up().await;
        while seen.len() < (BEFORE + DURING) as usize {
            seen.extend(phone.entries_until_caught_up().await);
        }
        seen
    };
    let ((), seen) = tokio::join!(push_more, watch);
    assert_eq!(seqs(&seen), (1..=BEFORE + DURING).collect::<Vec<_>>());
}

#[tokio::test]
async fn an_oversized_message_is_closed_with_1009_and_the_relay_keeps_serving() {
    let r = relay().await;
    let token = r.token("clinic").await;
    let mut bystander = r.device("desk_b", &token).await;
    let mut desk = r.device("desk_a", &token).await;
    desk.raw(Message::Binary(vec![1u8; MAX_MESSAGE_BYTES + 10].into()))
        .await;
    desk.expect_refused(ErrorCode::TooBig).await;

    bystander.push("d", b"still here").await;
    assert_eq!(bystander.ack().await, 1);
    let mut newcomer = r.device("desk_c", &token).await;
    newcomer.push("d", b"me too").await;
    assert_eq!(newcomer.ack().await, 2);
}

#[tokio::test]
async fn a_malformed_frame_closes_only_its_connection_with_1002() {
    let r = relay().await;
    let token = r.token("clinic").await;
    let mut bystander = r.device("desk_b", &token).await;
    let mut desk = r.device("desk_a", &token).await;
    // Random bytes, fixed so that a failure reproduces; the version byte is right so that
    // the decoder really reads them.
    let mut garbage = vec![1u8];
    garbage.extend(Sha256::digest(b"garbage").iter().copied());
    desk.raw(Message::Binary(garbage.into())).await;
    desk.expect_refused(ErrorCode::Malformed).await;

    bystander.push("d", b"unaffected").await;
    assert_eq!(bystander.ack().await, 1);
}

#[tokio::test]
async fn organisations_never_see_each_others_documents() {
    let r = relay().await;
    let (north, south) = (r.token("north").await, r.token("south").await);
    let mut north_desk = r.device("north_desk", &north).await;
    let mut south_desk = r.device("south_desk", &south).await;
    north_desk.subscribe("directory", 0).await;
    south_desk.subscribe("directory", 0).await;
    assert!(north_desk.entries_until_caught_up().await.is_empty());
    assert!(south_desk.entries_until_caught_up().await.is_empty());

    north_desk.push("directory", b"north only").await;
    // The pusher gets its own entry through fan-out, then the ack, or the other way round.
    let mut north_seen = Vec::new();
    for _ in 0..2 {
        match north_desk.message().await {
            ServerMessage::Ack { seq, .. } => assert_eq!(seq, 1),
            ServerMessage::Entries { entries, .. } => north_seen.extend(entries),
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(north_seen.len(), 1);
    south_desk.push("directory", b"south only").await;
    // South's own entry is its first: north's never reached its log or its socket.
    match south_desk.message().await {
        ServerMessage::Entries { entries, .. } => {
            assert_eq!(seqs(&entries), [1]);
            assert_eq!(entries[0].data, b"south only");
        }
        ServerMessage::Ack { seq, .. } => assert_eq!(seq, 1),
        other => panic!("unexpected {other:?}"),
    }
    let mut late_south = r.device("south_phone", &south).await;
    late_south.subscribe("directory", 0).await;
    let log = late_south.entries_until_caught_up().await;
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].data, b"south only");
}

#[tokio::test]
async fn a_revoked_token_is_told_to_wipe_at_the_next_connection_and_an_unknown_one_is_not() {
    let r = relay().await;
    let token = r.token("clinic").await;
    let _desk = r.device("desk_a", &token).await;
    let tokens = r.running.storage.list_tokens(None).await.expect("list");
    let revoked = r.running.storage.revoke_token(&tokens[0].id).await;
    assert!(revoked.expect("revoke"));
    let mut again = Device::connect("desk_a", r.addr()).await;
    again.hello(&token).await;
    again.expect_refused(ErrorCode::Revoked).await;
    // A token the relay never made (a typo) is only unknown: no device is wiped for it.
    let mut typo = Device::connect("desk_b", r.addr()).await;
    typo.hello(&format!("{token}x")).await;
    typo.expect_refused(ErrorCode::Unauthorised).await;
}

#[tokio::test]
async fn a_flood_is_rate_limited_with_4029() {
    let r = relay_with(
        None,
        Limits {
            rate_per_second: 1.0,
            rate_burst: 20,
            ..Limits::default()
        },
    )
    .await;
    let token = r.token("clinic").await;
    let mut desk = r.device("desk_a", &token).await;
    for _ in 0..40 {
        desk.subscribe("d", 0).await;
    }
    loop {
        match desk.message().await {
            ServerMessage::Entries { .. } => continue,
            ServerMessage::Error { code, .. } => {
                assert_eq!(code, ErrorCode::RateLimited);
                break;
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    desk.expect_close(close::RATE_LIMITED).await;
}

#[tokio::test]
async fn a_foreign_origin_is_refused_with_403() {
    let r = relay().await;
    let addr = r.addr();
    let connect = |origin: String| async move {
        let mut request = format!("ws://{addr}/sync")
            .into_client_request()
            .expect("request");
        let origin = HeaderValue::from_str(&origin).expect("header");
        request.headers_mut().insert("Origin", origin);
        tokio_tungstenite::connect_async(request).await
    };
    match connect("http://evil.example".into()).await {
        Err(tungstenite::Error::Http(response)) => assert_eq!(response.status(), 403),
        other => panic!("expected 403, got {other:?}"),
    }
    // The relay's own page may connect.
    let own = connect(format!("http://{addr}")).await;
    assert!(own.is_ok(), "{own:?}");
}

/// A bare HTTP/1.1 GET: status, lower-cased headers, body.
#[tokio::test]
async fn metrics_count_what_happened_on_their_own_address_only() {
    let r =
        relay_configured(|c| c.metrics_addr = Some("127.0.0.1:0".parse().expect("address"))).await;
    let token = r.token("clinic").await;
    let mut desk = r.device("desk_a", &token).await;
    desk.push("d", b"12345").await;
    desk.ack().await;
    // Not on the address devices reach.
    let (_, _, public) = get(r.addr(), "/metrics").await;
    assert!(!String::from_utf8_lossy(&public).contains("relay_connections_open"));
    let metrics = r.running.metrics_addr.expect("metrics served");
    let (status, headers, body) = get(metrics, "/metrics").await;
    assert_eq!(status, 200);
    assert!(header(&headers, "content-type").is_some_and(|t| t.starts_with("text/plain")));
    let text = String::from_utf8(body).expect("text");
    for line in [
        "relay_connections_open 1",
        "relay_messages_received_total 2",
        "relay_bundles_appended_total 1",
        "relay_bytes_appended_total 5",
    ] {
        assert!(text.lines().any(|l| l == line), "{line} in\n{text}");
    }
}

#[tokio::test]
async fn shutdown_closes_devices_with_1001() {
    let r = relay().await;
    let token = r.token("clinic").await;
    let mut desk = r.device("desk_a", &token).await;
    let Relay { running, _data } = r;
    let stopping = tokio::spawn(running.shutdown());
    desk.expect_close(close::SHUTTING_DOWN).await;
    drop(desk);
    stopping.await.expect("task").expect("clean shutdown");
}

#[tokio::test]
async fn a_new_data_directory_is_readable_by_the_relay_only() {
    let r = relay().await;
    let data = r._data.path().join("data");
    assert!(data.join("relay.sqlite3").exists());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&data)
            .expect("exists")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o700, "mode {mode:o}");
    }
}
