//! Load generator for the relay: many devices on loopback push bundles into shared
//! documents while every device is subscribed, so each push is committed, acknowledged and
//! fanned out. Prints throughput, acknowledgement latency and the relay's memory per idle
//! connection.
//!
//! ```sh
//! make bench-relay     # or, after a release build of the binary and this example:
//! target/release/examples/loadgen [DEVICES] [PUSHES_EACH] [BYTES] [IDLE]
//! ```
//!
//! It starts the release `sync-server` binary beside it as a child process on 127.0.0.1
//! port 0 with a temporary SQLite file, so it measures the real storage path (WAL,
//! `synchronous=FULL`) and reads the relay's own memory from `/proc`. Every loop is bounded
//! by its arguments.

#[path = "../tests/support/relay_process.rs"]
mod relay_process;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use protocol::{Bundle, ClientMessage, DocId, ServerMessage, Wire};
use tokio_tungstenite::tungstenite::Message;

/// Devices share this many documents, as desks of one site share a month.
const DOCS: usize = 4;

fn arg(n: usize, default: usize) -> usize {
    std::env::args()
        .nth(n)
        .and_then(|a| a.parse().ok())
        .unwrap_or(default)
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

async fn signed_in(url: &str, token: &str, name: String) -> Socket {
    let (mut ws, _) = tokio_tungstenite::connect_async(url)
        .await
        .expect("connects");
    let hello = ClientMessage::Hello {
        token: token.into(),
        device: name,
    };
    ws.send(Message::Binary(hello.encode().into()))
        .await
        .expect("sends");
    loop {
        if let Some(Ok(Message::Binary(bytes))) = ws.next().await {
            match ServerMessage::decode(&bytes) {
                Ok(ServerMessage::Welcome { .. }) => return ws,
                other => panic!("expected a welcome, got {other:?}"),
            }
        }
    }
}

#[tokio::main]
async fn main() {
    let devices = arg(1, 40);
    let pushes = arg(2, 50);
    let bytes = arg(3, 600);
    let idle = arg(4, 1000);

    // target/release/examples/loadgen → target/release/sync-server
    let exe = std::env::current_exe().expect("own path");
    let relay_bin: PathBuf = exe
        .parent()
        .and_then(|p| p.parent())
        .expect("inside target/<profile>/examples")
        .join("sync-server");
    let dir = tempfile::tempdir().expect("temp dir");
    let token = relay_process::create_token(&relay_bin, dir.path(), "load");
    let (mut relay, addr) = relay_process::serve(&relay_bin, dir.path());
    let url = format!("ws://{addr}/sync");
    let pid = relay.id();

    // Memory of idle connections: signed in, subscribed to nothing, silent.
    let before = rss_kib(pid);
    let mut parked = Vec::with_capacity(idle);
    for n in 0..idle {
        parked.push(signed_in(&url, &token, format!("idle {n}")).await);
    }
    let after = rss_kib(pid);
    println!(
        "idle connections: {idle}, relay RSS {before} KiB -> {after} KiB (+{} KiB, {:.1} KiB each)",
        after.saturating_sub(before),
        after.saturating_sub(before) as f64 / idle.max(1) as f64
    );
    drop(parked);

    let started = Instant::now();
    let mut tasks = Vec::new();
    for device in 0..devices {
        let (url, token) = (url.clone(), token.clone());
        tasks.push(tokio::spawn(async move {
            let doc = DocId::new(format!("schedule/load/doc-{}", device % DOCS)).expect("valid");
            let mut ws = signed_in(&url, &token, format!("device {device}")).await;
            let subscribe = ClientMessage::Subscribe {
                doc: doc.clone(),
                after: 0,
            };
            ws.send(Message::Binary(subscribe.encode().into()))
                .await
                .expect("sends");
            let mut latencies = Vec::with_capacity(pushes);
            let mut fanned_out = 0usize;
            for n in 0..pushes {
                let mut data = format!("device {device} bundle {n} ").into_bytes();
                data.resize(bytes, b'.');
                let push = ClientMessage::Push {
                    doc: doc.clone(),
                    bundle: Bundle::new(data),
                };
                let sent = Instant::now();
                ws.send(Message::Binary(push.encode().into()))
                    .await
                    .expect("sends");
                // One push in flight per device: the latency is the relay's, not a queue's.
                loop {
                    match tokio::time::timeout(Duration::from_secs(30), ws.next()).await {
                        Ok(Some(Ok(Message::Binary(frame)))) => match ServerMessage::decode(&frame)
                        {
                            Ok(ServerMessage::Ack { .. }) => {
                                latencies.push(sent.elapsed());
                                break;
                            }
                            Ok(ServerMessage::Entries { entries, .. }) => {
                                fanned_out += entries.len()
                            }
                            other => panic!("unexpected {other:?}"),
                        },
                        Ok(Some(Ok(_))) => {}
                        other => panic!("device {device}: connection ended: {other:?}"),
                    }
                }
            }
            (latencies, fanned_out)
        }));
    }
    let mut latencies = Vec::new();
    let mut fanned_out = 0;
    for task in tasks {
        let (l, f) = task.await.expect("device task");
        latencies.extend(l);
        fanned_out += f;
    }
    let elapsed = started.elapsed();
    latencies.sort();
    let pct = |p: f64| latencies[((latencies.len() - 1) as f64 * p) as usize];
    let total = latencies.len();
    println!(
        "devices: {devices} on {DOCS} documents, {pushes} pushes each of {bytes} bytes: {total} pushes in {:.2} s = {:.0} durable pushes/s",
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
        "fan-out: {fanned_out} live entries delivered while pushing ({:.0}/s)",
        fanned_out as f64 / elapsed.as_secs_f64()
    );
    let _ = relay.kill();
    let _ = relay.wait();
}
