//! Durability: a relay process killed with SIGKILL while a device pushes loses no entry it
//! acknowledged, and the device's re-sends after the restart create no duplicates.

#[path = "support/postgres.rs"]
mod postgres_server;
#[path = "support/relay_process.rs"]
mod relay_process;

use std::path::Path;
use std::process::Child;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use protocol::{Bundle, ClientMessage, DocId, ServerMessage, Wire};
use tokio_tungstenite::tungstenite::Message;

const BIN: &str = env!("CARGO_BIN_EXE_sync-server");
const BUNDLES: usize = 300;

fn create_token(data: &Path) -> String {
    relay_process::create_token(Path::new(BIN), data, "clinic")
}

fn serve(data: &Path) -> (Child, String) {
    relay_process::serve(Path::new(BIN), data)
}

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn connect(addr: &str, token: &str) -> Socket {
    let (mut ws, _) = tokio_tungstenite::connect_async(format!("ws://{addr}/sync"))
        .await
        .expect("connects");
    let hello = ClientMessage::Hello {
        token: token.into(),
        device: "durability".into(),
    };
    ws.send(Message::Binary(hello.encode().into()))
        .await
        .expect("sends");
    match next(&mut ws).await {
        Some(ServerMessage::Welcome { .. }) => ws,
        other => panic!("expected a welcome, got {other:?}"),
    }
}

async fn next(ws: &mut Socket) -> Option<ServerMessage> {
    loop {
        match tokio::time::timeout(Duration::from_secs(20), ws.next())
            .await
            .ok()??
        {
            Ok(Message::Binary(bytes)) => {
                return Some(ServerMessage::decode(&bytes).expect("valid"))
            }
            Ok(Message::Close(_)) | Err(_) => return None,
            Ok(_) => {}
        }
    }
}

#[tokio::test]
async fn sigkill_mid_stream_loses_no_acknowledged_entry() {
    let dir = tempfile::tempdir().expect("temp dir");
    let token = create_token(dir.path());
    let data = dir.path().to_path_buf();
    loses_nothing_acknowledged(&token, serve(&data), || serve(&data)).await;
}

/// Two relay processes on one PostgreSQL database, as behind a load balancer: relay 1 is
/// killed while the device pushes to it, and the device goes on through relay 2.
#[tokio::test]
async fn sigkill_of_one_relay_of_two_on_postgres_loses_nothing_and_the_other_serves_on() {
    let settings = postgres_server::fresh_database().await;
    let database = ["--database", settings.as_str()];
    let (one, two) = (
        tempfile::tempdir().expect("temp dir"),
        tempfile::tempdir().expect("temp dir"),
    );
    let token = relay_process::create_token_with(Path::new(BIN), one.path(), "clinic", &database);
    let first = relay_process::serve_with(Path::new(BIN), one.path(), &database);
    let second = relay_process::serve_with(Path::new(BIN), two.path(), &database);
    loses_nothing_acknowledged(&token, first, move || second).await;
}

/// Pushes a whole outbox to `first` without waiting and kills it with SIGKILL after a third
/// is acknowledged; then, through the relay `then` gives, every acknowledged bundle is in
/// the log with its number, the numbers have no gap, and re-sending everything stores each
/// bundle once.
async fn loses_nothing_acknowledged(
    token: &str,
    first: (Child, String),
    then: impl FnOnce() -> (Child, String),
) {
    let token = token.to_owned();
    let doc = DocId::new("schedule/main/2026-11").expect("valid");
    let bundles: Vec<Bundle> = (0..BUNDLES)
        .map(|n| Bundle::new(format!("opaque change bundle number {n:04}").into_bytes()))
        .collect();

    let (mut relay, addr) = first;
    let mut ws = connect(&addr, &token).await;
    let (mut write, mut read) = ws.split();
    let pushes = bundles.clone();
    let push_doc = doc.clone();
    // Push everything without waiting, as a device flushing its outbox does.
    let writer = tokio::spawn(async move {
        for bundle in pushes {
            let push = ClientMessage::Push {
                doc: push_doc.clone(),
                bundle,
            };
            if write
                .send(Message::Binary(push.encode().into()))
                .await
                .is_err()
            {
                break;
            }
        }
    });
    let mut acked = Vec::new();
    while let Some(Ok(message)) = read.next().await {
        if let Message::Binary(bytes) = message {
            if let Ok(ServerMessage::Ack { hash, seq, .. }) = ServerMessage::decode(&bytes) {
                acked.push((hash, seq));
                if acked.len() == BUNDLES / 3 {
                    relay.kill().expect("SIGKILL");
                }
            }
        }
    }
    let _ = relay.wait();
    writer.abort();
    assert!(
        acked.len() >= BUNDLES / 3,
        "the relay acknowledged {} before the kill",
        acked.len()
    );

    let (mut relay, addr) = then();
    ws = connect(&addr, &token).await;
    let subscribe = ClientMessage::Subscribe {
        doc: doc.clone(),
        after: 0,
    };
    ws.send(Message::Binary(subscribe.encode().into()))
        .await
        .expect("sends");
    let mut log = Vec::new();
    loop {
        match next(&mut ws).await {
            Some(ServerMessage::Entries {
                entries, caught_up, ..
            }) => {
                log.extend(entries);
                if caught_up {
                    break;
                }
            }
            other => panic!("expected entries, got {other:?}"),
        }
    }
    for (hash, seq) in &acked {
        let entry = log.iter().find(|e| e.hash == *hash);
        assert_eq!(
            entry.map(|e| e.seq),
            Some(*seq),
            "acknowledged entry #{seq} is missing after the crash"
        );
    }
    let seqs: Vec<u64> = log.iter().map(|e| e.seq).collect();
    assert_eq!(
        seqs,
        (1..=log.len() as u64).collect::<Vec<_>>(),
        "sequence numbers have no gaps"
    );

    // The device re-sends its whole outbox; the relay keeps one entry per bundle.
    for bundle in &bundles {
        let push = ClientMessage::Push {
            doc: doc.clone(),
            bundle: bundle.clone(),
        };
        ws.send(Message::Binary(push.encode().into()))
            .await
            .expect("sends");
    }
    let mut acks = 0;
    let mut highest = 0;
    while acks < BUNDLES {
        match next(&mut ws).await {
            Some(ServerMessage::Ack { seq, .. }) => {
                acks += 1;
                highest = highest.max(seq);
            }
            Some(ServerMessage::Entries { .. }) => {}
            other => panic!("expected acks, got {other:?}"),
        }
    }
    assert_eq!(
        highest, BUNDLES as u64,
        "every bundle is stored exactly once"
    );
    relay.kill().expect("stops");
    let _ = relay.wait();
}
