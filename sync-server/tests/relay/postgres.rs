//! Two relays on one PostgreSQL database, as behind a load balancer: a device on one and a
//! device on the other converge, live, through the database, and what one relay did not hear
//! while its listening connection was cut reaches its devices from the log.

use protocol::ServerMessage;
use sync_server::{start, Config, OrgName};

use super::{doc, Relay};

#[path = "../support/postgres.rs"]
mod postgres_server;

/// A relay on port 0 on the database `settings`.
async fn relay_on(settings: &str) -> Relay {
    let data = tempfile::tempdir().expect("temp dir");
    let mut config = Config::new("127.0.0.1:0".parse().expect("address"), data.path());
    config.database = Some(settings.to_owned());
    let running = start(config).await.expect("relay starts");
    Relay {
        running,
        _data: data,
    }
}

#[tokio::test]
async fn a_device_on_one_relay_gets_what_a_device_on_the_other_pushes_live() {
    let settings = postgres_server::fresh_database().await;
    let (one, two) = (relay_on(&settings).await, relay_on(&settings).await);
    // Made through one relay, known to both: the tokens are in the database.
    let token = one.token("clinic").await;
    let mut phone = two.device("phone", &token).await;
    phone.subscribe("schedule/main/2026-12", 0).await;
    assert!(phone.entries_until_caught_up().await.is_empty());

    let mut desk = one.device("desk", &token).await;
    desk.push("schedule/main/2026-12", b"booked on relay one")
        .await;
    assert_eq!(desk.ack().await, 1);
    match phone.message().await {
        ServerMessage::Entries {
            doc: d, entries, ..
        } => {
            assert_eq!(d, doc("schedule/main/2026-12"));
            assert_eq!(entries.len(), 1);
            assert_eq!(
                (entries[0].seq, entries[0].data.as_slice()),
                (1, &b"booked on relay one"[..])
            );
        }
        other => panic!("expected the entry, got {other:?}"),
    }
    // And back: the phone's push reaches the desk, subscribed on the other relay.
    desk.subscribe("board/site/main", 0).await;
    assert!(desk.entries_until_caught_up().await.is_empty());
    phone.push("board/site/main", b"a card on relay two").await;
    assert_eq!(phone.ack().await, 1);
    match desk.message().await {
        ServerMessage::Entries {
            doc: d, entries, ..
        } => {
            assert_eq!((d, entries[0].seq), (doc("board/site/main"), 1));
        }
        other => panic!("expected the entry, got {other:?}"),
    }
    let org = OrgName::new("clinic").expect("org");
    assert_eq!(
        one.running
            .storage
            .last_seq(&org, &doc("schedule/main/2026-12"))
            .await
            .expect("reads"),
        1
    );
}

#[tokio::test]
async fn entries_appended_while_a_relay_did_not_listen_reach_its_devices_from_the_log() {
    const MONTH: &str = "schedule/main/2027-01";
    let settings = postgres_server::fresh_database().await;
    let (one, two) = (relay_on(&settings).await, relay_on(&settings).await);
    let token = one.token("clinic").await;
    let mut phone = two.device("phone", &token).await;
    phone.subscribe(MONTH, 0).await;
    assert!(phone.entries_until_caught_up().await.is_empty());

    // The database drops the connections on which the relays hear each other; relay one
    // appends before they are back (they retry after a second), so no notice of these
    // entries reaches relay two.
    assert!(postgres_server::cut_listeners(&settings).await >= 2);
    let mut desk = one.device("desk", &token).await;
    for n in 1..=3u64 {
        desk.push(MONTH, format!("booked {n}").as_bytes()).await;
        assert_eq!(desk.ack().await, n);
    }
    let mut got = Vec::new();
    while got.len() < 3 {
        match phone.message().await {
            ServerMessage::Entries { entries, .. } => got.extend(entries.iter().map(|e| e.seq)),
            other => panic!("expected entries, got {other:?}"),
        }
    }
    assert_eq!(got, [1, 2, 3], "every entry, in order, once");
}
