//! Load generator for the relay: many devices on loopback push bundles into shared
//! documents while every device is subscribed, so each push is committed, acknowledged and
//! fanned out. Prints throughput, acknowledgement latency, fan-out, the relay's memory per
//! idle connection, and how long a new device takes to catch up a site's busy year.
//!
//! ```sh
//! make bench-relay     # or, after a release build of the binary and this example:
//! target/release/examples/loadgen [DEVICES] [PUSHES_EACH] [BYTES] [IDLE] [DOCUMENTS]
//! LOADGEN_DATABASE='host=… user=… dbname=…' target/release/examples/loadgen …   # PostgreSQL
//! ```
//!
//! It starts the release `sync-server` binary beside it as a child process on 127.0.0.1
//! port 0, on a temporary SQLite file (WAL, `synchronous=FULL`) or on the PostgreSQL
//! database `LOADGEN_DATABASE` names, so it measures the real storage path, and reads the
//! relay's own memory from `/proc`. Tokens are made beforehand through the library, one per
//! 16 connections (the relay's bound per token). Every loop is bounded by its arguments.

#[allow(dead_code)] // the load generator starts the relay, the tests do more with it
#[path = "../tests/support/relay_process.rs"]
mod relay_process;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use protocol::{Bundle, ClientMessage, DocId, ServerMessage, Wire};
use sync_server::storage::postgres::{PostgresStorage, Reach};
use sync_server::storage::sqlite::SqliteStorage;
use sync_server::storage::Storage;
use sync_server::{OrgName, Sites};
use tokio_tungstenite::tungstenite::Message;

/// Connections per token: the relay's default bound.
const PER_TOKEN: usize = 16;
/// The busy year: twelve monthly documents of this many entries each, with a snapshot of
/// all but the last `YEAR_TAIL` of them.
const YEAR_MONTHS: usize = 12;
const YEAR_ENTRIES: usize = 2_000;
const YEAR_TAIL: usize = 200;
const YEAR_SNAPSHOT_BYTES: usize = 200 * 1024;

fn arg(n: usize, default: usize) -> usize {
    std::env::args()
        .nth(n)
        .and_then(|a| a.parse().ok())
        .unwrap_or(default)
}

/// CPU seconds a process has used, user and system (from `/proc`, in clock ticks of 1/100 s).
fn cpu_seconds(pid: u32) -> (f64, f64) {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // The fields after the command's name, which is in parentheses.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or(Vec::new(), |(_, rest)| rest.split_whitespace().collect());
    let ticks = |n: usize| {
        fields
            .get(n)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) / 100.0, ticks(12) / 100.0)
}

fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// The relay under load and the tokens its devices use.
struct Relay {
    url: String,
    tokens: Vec<String>,
}

impl Relay {
    fn token(&self, connection: usize) -> &str {
        &self.tokens[(connection / PER_TOKEN) % self.tokens.len()]
    }

    async fn signed_in(&self, connection: usize, name: String) -> Socket {
        let (mut ws, _) = tokio_tungstenite::connect_async_with_config(&self.url, None, true)
            .await
            .expect("connects");
        let hello = ClientMessage::Hello {
            token: self.token(connection).into(),
            device: name,
        };
        send(&mut ws, hello).await;
        match next(&mut ws).await {
            ServerMessage::Welcome { .. } => ws,
            other => panic!("expected a welcome, got {other:?}"),
        }
    }
}

impl Relay {
    /// A device signed in and subscribed to `doc` from `after`.
    async fn following(&self, connection: usize, name: &str, doc: &DocId, after: u64) -> Socket {
        let mut ws = self.signed_in(connection, name.to_owned()).await;
        let subscribe = ClientMessage::Subscribe {
            doc: doc.clone(),
            after,
        };
        send(&mut ws, subscribe).await;
        ws
    }
}

async fn send(ws: &mut Socket, message: ClientMessage) {
    ws.send(Message::Binary(message.encode().into()))
        .await
        .expect("sends");
}

/// The next message from the relay; panics if none comes within 30 s.
async fn next(ws: &mut Socket) -> ServerMessage {
    loop {
        match tokio::time::timeout(Duration::from_secs(30), ws.next()).await {
            Ok(Some(Ok(Message::Binary(frame)))) => {
                return ServerMessage::decode(&frame).expect("a relay message")
            }
            Ok(Some(Ok(_))) => {}
            other => panic!("the connection ended: {other:?}"),
        }
    }
}

/// What a device has received of its document.
#[derive(Default)]
struct Seen {
    /// Live entries counted.
    entries: usize,
    /// The highest sequence number received: where it resumes from.
    last: u64,
}

/// The relay closed the connection as too slow to read (its queue filled).
struct TooSlow;

/// Pushes `bundle` and waits for its acknowledgement, counting live entries meanwhile.
async fn push_acked(
    ws: &mut Socket,
    doc: &DocId,
    bundle: Bundle,
    seen: &mut Seen,
) -> Result<(), TooSlow> {
    send(
        ws,
        ClientMessage::Push {
            doc: doc.clone(),
            bundle,
        },
    )
    .await;
    loop {
        match next(ws).await {
            ServerMessage::Ack { .. } => return Ok(()),
            ServerMessage::Entries { entries, .. } => {
                seen.entries += entries.len();
                seen.last = entries.iter().map(|e| e.seq).fold(seen.last, u64::max);
            }
            ServerMessage::Error {
                code: protocol::ErrorCode::TooSlow,
                ..
            } => return Err(TooSlow),
            ServerMessage::Error { code, .. } => panic!("refused: {code:?}"),
            // SnapshotWanted and the like: not this device's job here.
            _ => {}
        }
    }
}

fn bundle_of(text: String, bytes: usize) -> Bundle {
    let mut data = text.into_bytes();
    data.resize(bytes.max(data.len()), b'.');
    Bundle::new(data)
}

async fn open_storage(dir: &std::path::Path) -> Box<dyn Storage> {
    match std::env::var("LOADGEN_DATABASE") {
        Ok(settings) => Box::new(
            PostgresStorage::open(&settings, Reach::Verified)
                .await
                .expect("the database named by LOADGEN_DATABASE"),
        ),
        Err(_) => Box::new(SqliteStorage::open(&dir.join("relay.sqlite3")).expect("opens")),
    }
}

#[tokio::main]
async fn main() {
    let devices = arg(1, 40);
    let pushes = arg(2, 50);
    let bytes = arg(3, 600);
    let idle = arg(4, 1000);
    let docs = arg(5, 4).max(1);
    let database = std::env::var("LOADGEN_DATABASE").ok();

    // target/release/examples/loadgen → target/release/sync-server
    let exe = std::env::current_exe().expect("own path");
    let relay_bin: PathBuf = exe
        .parent()
        .and_then(|p| p.parent())
        .expect("inside target/<profile>/examples")
        .join("sync-server");
    let dir = tempfile::tempdir().expect("temp dir");
    // A run's own names, so that runs on one PostgreSQL database do not meet.
    let run = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    let org = OrgName::new(format!("load{run}")).expect("valid");
    let connections = idle + devices + YEAR_MONTHS + 1;
    let mut tokens = Vec::new();
    {
        let storage = open_storage(dir.path()).await;
        for n in 0..connections.div_ceil(PER_TOKEN) {
            let token = storage
                .create_token(&org, &format!("load {n}"), &Sites::All)
                .await
                .expect("a token");
            tokens.push(token.secret.expose().to_string());
        }
    }
    let mut extra = Vec::new();
    if let Some(settings) = &database {
        extra.extend(["--database", settings.as_str()]);
    }
    let (mut child, addr) = relay_process::serve_with(&relay_bin, dir.path(), &extra);
    let pid = child.id();
    let relay = std::sync::Arc::new(Relay {
        url: format!("ws://{addr}/sync"),
        tokens,
    });
    println!(
        "relay on {}",
        if database.is_some() {
            "PostgreSQL"
        } else {
            "SQLite"
        }
    );

    // Memory of idle connections: signed in, subscribed to nothing, silent.
    let before = rss_kib(pid);
    let mut parked = Vec::with_capacity(idle);
    for n in 0..idle {
        parked.push(relay.signed_in(n, format!("idle {n}")).await);
    }
    let after = rss_kib(pid);
    println!(
        "idle connections: {idle}, relay RSS {before} KiB -> {after} KiB (+{} KiB, {:.1} KiB each)",
        after.saturating_sub(before),
        after.saturating_sub(before) as f64 / idle.max(1) as f64
    );
    drop(parked);

    let (user_before, system_before) = cpu_seconds(pid);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for device in 0..devices {
        let (relay, run) = (std::sync::Arc::clone(&relay), run);
        tasks.push(tokio::spawn(async move {
            let doc = DocId::new(format!("schedule/load/{run}-{}", device % docs)).expect("valid");
            let name = format!("device {device}");
            let mut seen = Seen::default();
            let mut ws = relay.following(idle + device, &name, &doc, 0).await;
            let mut latencies = Vec::with_capacity(pushes);
            let mut closed = 0;
            for n in 0..pushes {
                let bundle = bundle_of(format!("device {device} bundle {n} "), bytes);
                let sent = Instant::now();
                // One push in flight per device: the latency is the relay's, not a queue's.
                // A device closed as too slow comes back from its cursor and pushes again,
                // as a tablet does.
                while push_acked(&mut ws, &doc, bundle.clone(), &mut seen)
                    .await
                    .is_err()
                {
                    closed += 1;
                    ws = relay.following(idle + device, &name, &doc, seen.last).await;
                }
                latencies.push(sent.elapsed());
            }
            (latencies, seen.entries, closed)
        }));
    }
    let mut latencies = Vec::new();
    let (mut fanned_out, mut closed) = (0, 0);
    for task in tasks {
        let (l, f, c) = task.await.expect("device task");
        latencies.extend(l);
        fanned_out += f;
        closed += c;
    }
    let elapsed = started.elapsed();
    latencies.sort();
    let pct = |p: f64| latencies[((latencies.len() - 1) as f64 * p) as usize];
    let total = latencies.len();
    println!(
        "devices: {devices} on {docs} documents, {pushes} pushes each of {bytes} bytes: {total} pushes in {:.2} s = {:.0} durable pushes/s",
        elapsed.as_secs_f64(),
        total as f64 / elapsed.as_secs_f64()
    );
    println!(
        "ack latency: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        pct(0.5).as_secs_f64() * 1e3,
        pct(0.99).as_secs_f64() * 1e3,
        latencies[total - 1].as_secs_f64() * 1e3
    );
    println!(
        "fan-out: {fanned_out} entries delivered while pushing ({:.0}/s); {closed} times a device was closed as too slow and came back",
        fanned_out as f64 / elapsed.as_secs_f64()
    );

    let (user, system) = cpu_seconds(pid);
    println!(
        "relay CPU while pushing: {:.2} s user + {:.2} s system in {:.2} s (the load generator shares the machine)",
        user - user_before,
        system - system_before,
        elapsed.as_secs_f64()
    );

    catch_up_a_year(&relay, idle + devices, run).await;
    let _ = child.kill();
    let _ = child.wait();
}

/// Writes a site's busy year (twelve months, each with a snapshot and a tail after it),
/// then times a new device subscribing to all of it from nothing.
async fn catch_up_a_year(relay: &std::sync::Arc<Relay>, first: usize, run: u128) {
    let months: Vec<DocId> = (1..=YEAR_MONTHS)
        .map(|m| DocId::new(format!("schedule/year/{run}-2026-{m:02}")).expect("valid"))
        .collect();
    let mut writers = Vec::new();
    for (n, month) in months.iter().enumerate() {
        let (relay, month) = (std::sync::Arc::clone(relay), month.clone());
        writers.push(tokio::spawn(async move {
            let mut ws = relay.signed_in(first + n, format!("writer {n}")).await;
            let mut ignored = Seen::default();
            for i in 0..YEAR_ENTRIES {
                let bundle = bundle_of(format!("{month} change {i} "), 300);
                let _ = push_acked(&mut ws, &month, bundle, &mut ignored).await;
            }
            let snapshot = ClientMessage::PushSnapshot {
                doc: month.clone(),
                upto: (YEAR_ENTRIES - YEAR_TAIL) as u64,
                bundle: bundle_of(format!("{month} snapshot "), YEAR_SNAPSHOT_BYTES),
            };
            send(&mut ws, snapshot).await;
            // The relay answers nothing to a snapshot: an acknowledged push after it shows
            // it was handled.
            let bundle = bundle_of(format!("{month} last "), 300);
            let _ = push_acked(&mut ws, &month, bundle, &mut ignored).await;
        }));
    }
    for writer in writers {
        writer.await.expect("a writer");
    }
    let mut ws = relay
        .signed_in(first + YEAR_MONTHS, "new tablet".into())
        .await;
    let started = Instant::now();
    for month in &months {
        let subscribe = ClientMessage::Subscribe {
            doc: month.clone(),
            after: 0,
        };
        send(&mut ws, subscribe).await;
    }
    let (mut pending, mut received, mut snapshots, mut entries) = (YEAR_MONTHS, 0usize, 0, 0);
    while pending > 0 {
        match next(&mut ws).await {
            ServerMessage::Snapshot { snapshot, .. } => {
                snapshots += 1;
                received += snapshot.data.len();
            }
            ServerMessage::Entries {
                entries: page,
                caught_up,
                ..
            } => {
                entries += page.len();
                received += page.iter().map(|e| e.data.len()).sum::<usize>();
                if caught_up {
                    pending -= 1;
                }
            }
            _ => {}
        }
    }
    let elapsed = started.elapsed();
    println!(
        "catch-up: a new device took {:.0} ms for a year of {YEAR_MONTHS} months x {} entries: {snapshots} snapshots and {entries} entries, {:.1} MiB",
        elapsed.as_secs_f64() * 1e3,
        YEAR_ENTRIES + 1,
        received as f64 / (1024.0 * 1024.0)
    );
}
