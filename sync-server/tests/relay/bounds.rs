//! The bounds a hosted relay keeps: connections in all, per token, and documents followed
//! per connection, each refused with `Busy` and the rest left working.

use std::time::Duration;

use protocol::{ErrorCode, ServerMessage};

use super::{doc, relay_with, Device, Limits, Relay, PATIENCE};

fn bounded(max_connections: usize, per_token: usize, subscriptions: usize) -> Limits {
    Limits {
        max_connections,
        max_connections_per_token: per_token,
        max_subscriptions: subscriptions,
        ..Limits::default()
    }
}

/// Connects until the relay lets the device in: a place frees once the relay has seen the
/// earlier connection end.
async fn let_in(r: &Relay, name: &'static str, token: &str) -> Device {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let mut device = Device::connect(name, r.addr()).await;
        device.hello(token).await;
        match device.message().await {
            ServerMessage::Welcome { .. } => return device,
            ServerMessage::Error {
                code: ErrorCode::Busy,
                ..
            } if tokio::time::Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            other => panic!("{name}: expected Welcome, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_token_over_its_connections_is_told_busy_until_one_closes() {
    let r = relay_with(None, bounded(100, 2, 100)).await;
    let token = r.token("clinic").await;
    let other = r.token("clinic").await;
    let first = r.device("tab_1", &token).await;
    let _second = r.device("tab_2", &token).await;
    let mut third = Device::connect("tab_3", r.addr()).await;
    third.hello(&token).await;
    match third.message().await {
        ServerMessage::Error {
            code: ErrorCode::Busy,
            message,
        } => assert!(message.contains("2 connections open already"), "{message}"),
        other => panic!("expected Busy, got {other:?}"),
    }
    third.expect_close(ErrorCode::Busy.close_code()).await;
    // Another token of the organisation is not held up by it.
    let mut desk = r.device("desk", &other).await;
    desk.push("d", b"x").await;
    assert_eq!(desk.ack().await, 1);
    // Once a tab closes, the token's next connection is let in.
    drop(first);
    let _again = let_in(&r, "tab_3", &token).await;
}

#[tokio::test]
async fn the_relay_over_its_connections_refuses_the_next_device() {
    let r = relay_with(None, bounded(1, 10, 100)).await;
    let a = r.token("clinic").await;
    let b = r.token("practice").await;
    let desk = r.device("desk", &a).await;
    let mut phone = Device::connect("phone", r.addr()).await;
    phone.hello(&b).await;
    match phone.message().await {
        ServerMessage::Error {
            code: ErrorCode::Busy,
            message,
        } => assert!(message.contains("limit of 1 connections"), "{message}"),
        other => panic!("expected Busy, got {other:?}"),
    }
    drop(desk);
    let _phone = let_in(&r, "phone", &b).await;
}

#[tokio::test]
async fn a_connection_over_its_documents_is_refused_the_next_and_keeps_the_others() {
    let r = relay_with(None, bounded(100, 10, 2)).await;
    let token = r.token("clinic").await;
    let mut desk = r.device("desk", &token).await;
    for id in ["a", "b"] {
        desk.subscribe(id, 0).await;
        desk.entries_until_caught_up().await;
    }
    // Following one again is no new document.
    desk.subscribe("a", 0).await;
    desk.entries_until_caught_up().await;
    desk.subscribe("c", 0).await;
    assert_eq!(
        desk.message().await,
        ServerMessage::Refused {
            doc: doc("c"),
            code: ErrorCode::Busy
        }
    );
    // The connection goes on: it still pushes (a push follows nothing).
    desk.push("d", b"still here").await;
    assert_eq!(desk.ack().await, 1);
}

/// An organisation whose stored bytes reach its quota has its new pushes refused with
/// `QuotaExceeded`, the connection open: what it had stored still reads, a bundle already
/// stored is still acknowledged, and another organisation goes on.
#[tokio::test]
async fn an_organisation_over_its_quota_is_refused_new_pushes_and_keeps_the_rest() {
    let limits = Limits {
        org_quota_bytes: 1_000,
        ..Limits::default()
    };
    let r = relay_with(None, limits).await;
    let mut desk = r.device("desk", &r.token("clinic").await).await;
    desk.push("d", &[1; 600]).await;
    assert_eq!(desk.ack().await, 1);
    desk.push("d", &[2; 600]).await;
    match desk.message().await {
        ServerMessage::Refused { doc: refused, code } => {
            assert_eq!((refused, code), (doc("d"), ErrorCode::QuotaExceeded));
        }
        other => panic!("expected the push refused, got {other:?}"),
    }
    // The same connection: the first bundle again is acknowledged, the log still reads.
    desk.push("d", &[1; 600]).await;
    assert_eq!(desk.ack().await, 1);
    desk.subscribe("d", 0).await;
    let entries = desk.entries_until_caught_up().await;
    assert_eq!(entries.iter().map(|e| e.seq).collect::<Vec<_>>(), [1]);
    // Another organisation has its own quota.
    let mut other = r.device("other", &r.token("dental").await).await;
    other.push("d", &[3; 600]).await;
    assert_eq!(other.ack().await, 1);
}
