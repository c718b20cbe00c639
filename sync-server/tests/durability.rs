//! Durability: a relay process killed with SIGKILL while a device pushes loses no entry it
//! acknowledged, and the device's re-sends after the restart create no duplicates.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use sync_server::protocol::{Bundle, ClientMessage, DocId, ServerMessage, Wire};
use tokio_tungstenite::tungstenite::Message;

const BIN: &str = env!("CARGO_BIN_EXE_sync-server");
const BUNDLES: usize = 300;

fn create_token(data: &Path) -> String {
    let out = Command::new(BIN)
        .args(["token", "create", "--org", "clinic", "--data"])
        .arg(data)
        .stderr(Stdio::null())
        .output()
        .expect("sync-server runs");
    assert!(out.status.success(), "token create failed");
    String::from_utf8(out.stdout)
        .expect("utf-8")
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .expect("a token line")
        .to_string()
}

/// Starts `sync-server serve` on a free port and returns it with its address.
fn serve(data: &Path) -> (Child, String) {
    let mut child = Command::new(BIN)
        .args(["serve", "--addr", "127.0.0.1:0", "--data"])
        .arg(data)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("sync-server starts");
    let stdout = child.stdout.take().expect("piped");
    let mut lines = BufReader::new(stdout).lines();
    let addr = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|line| line.strip_prefix("listening on ").map(str::to_string))
        .expect("the relay says where it listens");
    // Keep reading, so that the relay never writes into a closed pipe.
    std::thread::spawn(move || lines.for_each(drop));
    (child, addr)
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
    let doc = DocId::new("schedule/main/2026-11").expect("valid");
    let bundles: Vec<Bundle> = (0..BUNDLES)
        .map(|n| Bundle::new(format!("opaque change bundle number {n:04}").into_bytes()))
        .collect();

    let (mut relay, addr) = serve(dir.path());
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

    let (mut relay, addr) = serve(dir.path());
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
