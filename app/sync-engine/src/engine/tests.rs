//! Engine behaviour, one event sequence per test.
use super::*;
use protocol::ErrorCode;

fn doc() -> DocId {
    DocId::new("schedule/main/2026-11").expect("valid")
}

fn sent(effects: &[Effect]) -> Vec<ClientMessage> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Send(bytes) => ClientMessage::decode(bytes).ok(),
            _ => None,
        })
        .collect()
}

fn frame(conn: u64, message: ServerMessage) -> Event {
    Event::Frame {
        conn,
        bytes: message.encode(),
    }
}

/// Lets the reconnect that is due happen and opens its socket; returns its number.
fn reconnect(engine: &mut Engine) -> u64 {
    let conn = engine
        .handle(Event::ReconnectDue, 0)
        .into_iter()
        .find_map(|e| match e {
            Effect::Connect { conn } => Some(conn),
            _ => None,
        })
        .expect("reconnects");
    engine.handle(Event::Connected { conn }, 0);
    conn
}

fn online_engine() -> Engine {
    let mut engine = Engine::new("Desk A", 1);
    engine.handle(Event::Start { token: "t".into() }, 0);
    engine.handle(Event::Connected { conn: 1 }, 0);
    engine.handle(frame(1, ServerMessage::Welcome { org: "o".into() }), 0);
    engine
}

#[test]
fn hello_then_subscribe_and_push_the_outbox() {
    let mut engine = Engine::new("Desk A", 1);
    let bundle = Bundle::new(vec![1]);
    engine.handle(
        Event::Open {
            doc: doc(),
            cursor: 4,
            outbox: vec![bundle.clone()],
        },
        0,
    );
    let effects = engine.handle(Event::Start { token: "t".into() }, 0);
    assert!(effects.contains(&Effect::Connect { conn: 1 }));
    let hello = sent(&engine.handle(Event::Connected { conn: 1 }, 0));
    assert!(matches!(&hello[..], [ClientMessage::Hello { token, .. }] if token == "t"));
    let effects = engine.handle(frame(1, ServerMessage::Welcome { org: "o".into() }), 0);
    assert_eq!(
        sent(&effects),
        [
            ClientMessage::Subscribe {
                doc: doc(),
                after: 4
            },
            ClientMessage::Push {
                doc: doc(),
                bundle: bundle.clone()
            },
        ]
    );
    assert_eq!(engine.status().summary(), "Online · 1 edit waiting");
    let effects = engine.handle(
        frame(
            1,
            ServerMessage::Ack {
                doc: doc(),
                hash: bundle.hash,
                seq: 5,
            },
        ),
        1234,
    );
    assert!(effects.contains(&Effect::Acked {
        doc: doc(),
        hash: bundle.hash
    }));
    assert_eq!(engine.status().waiting, 0);
    assert_eq!(engine.status().last_sync_ms, Some(1234));
}

#[test]
fn entries_advance_the_cursor_skip_duplicates_and_reconnect_on_a_gap() {
    let mut engine = online_engine();
    engine.handle(
        Event::Open {
            doc: doc(),
            cursor: 0,
            outbox: vec![],
        },
        0,
    );
    let entry = |seq: u64| Entry {
        seq,
        hash: BundleHash::of(&[seq as u8]),
        data: vec![seq as u8],
    };
    let entries = |seqs: &[u64]| ServerMessage::Entries {
        doc: doc(),
        entries: seqs.iter().map(|&s| entry(s)).collect(),
        caught_up: true,
    };
    let effects = engine.handle(frame(1, entries(&[1, 2])), 0);
    assert!(effects.contains(&Effect::Apply {
        doc: doc(),
        entries: vec![entry(1), entry(2)],
        cursor: 2
    }));
    let effects = engine.handle(frame(1, entries(&[2, 3])), 0);
    assert!(effects.contains(&Effect::Apply {
        doc: doc(),
        entries: vec![entry(3)],
        cursor: 3
    }));
    let effects = engine.handle(frame(1, entries(&[5])), 0);
    assert!(effects.contains(&Effect::Close));
    assert!(effects
        .iter()
        .any(|e| matches!(e, Effect::ScheduleReconnect { .. })));
    assert_eq!(engine.cursor(&doc()), Some(3));
    // A frame from the old socket changes nothing now.
    assert!(engine.handle(frame(1, entries(&[4])), 0).is_empty());
    let effects = engine.handle(Event::ReconnectDue, 0);
    assert!(matches!(effects[0], Effect::Connect { conn } if conn > 1));
    assert_eq!(
        engine.status().state,
        ConnectionState::Connecting { attempt: 0 }
    );
}

#[test]
fn own_entry_in_the_log_counts_as_ack() {
    let mut engine = online_engine();
    let bundle = Bundle::new(vec![7]);
    engine.handle(
        Event::Open {
            doc: doc(),
            cursor: 0,
            outbox: vec![],
        },
        0,
    );
    engine.handle(
        Event::LocalBundle {
            doc: doc(),
            bundle: bundle.clone(),
        },
        0,
    );
    let effects = engine.handle(
        frame(
            1,
            ServerMessage::Entries {
                doc: doc(),
                entries: vec![Entry {
                    seq: 1,
                    hash: bundle.hash,
                    data: bundle.data.clone(),
                }],
                caught_up: true,
            },
        ),
        0,
    );
    assert!(effects.contains(&Effect::Acked {
        doc: doc(),
        hash: bundle.hash
    }));
}

#[test]
fn offline_edits_wait_and_go_out_when_the_network_returns() {
    let mut engine = online_engine();
    engine.handle(
        Event::Open {
            doc: doc(),
            cursor: 0,
            outbox: vec![],
        },
        0,
    );
    let effects = engine.handle(Event::NetworkDown, 0);
    assert!(effects.contains(&Effect::Close));
    for n in 0..3u8 {
        let effects = engine.handle(
            Event::LocalBundle {
                doc: doc(),
                bundle: Bundle::new(vec![n]),
            },
            0,
        );
        assert!(sent(&effects).is_empty(), "nothing is sent while offline");
    }
    assert_eq!(engine.status().summary(), "Offline · 3 edits waiting");
    // The old socket's close arrives late and must not schedule a retry while offline.
    assert!(!engine
        .handle(Event::Disconnected { conn: 1 }, 0)
        .iter()
        .any(|e| matches!(e, Effect::ScheduleReconnect { .. })));
    let effects = engine.handle(Event::NetworkUp, 0);
    let Some(&Effect::Connect { conn }) = effects.first() else {
        panic!("expected a connect, got {effects:?}");
    };
    engine.handle(Event::Connected { conn }, 0);
    let effects = engine.handle(frame(conn, ServerMessage::Welcome { org: "o".into() }), 0);
    assert_eq!(sent(&effects).len(), 4, "subscribe and three pushes");
}

#[test]
fn failed_connects_back_off_and_a_refused_token_stops_retrying() {
    let mut engine = Engine::new("Desk A", 3);
    engine.handle(Event::Start { token: "t".into() }, 0);
    let mut delays = Vec::new();
    let mut conn = 1;
    for _ in 0..6 {
        let effects = engine.handle(Event::Disconnected { conn }, 0);
        let Some(Effect::ScheduleReconnect { after_ms }) = effects.first().cloned() else {
            panic!("expected a retry, got {effects:?}");
        };
        delays.push(after_ms);
        let effects = engine.handle(Event::ReconnectDue, 0);
        let Some(&Effect::Connect { conn: next }) = effects.first() else {
            panic!("expected a connect, got {effects:?}");
        };
        conn = next;
    }
    assert!(delays[5] > delays[0], "delays grow: {delays:?}");

    engine.handle(Event::Connected { conn }, 0);
    let effects = engine.handle(
        frame(
            conn,
            ServerMessage::Error {
                code: ErrorCode::Unauthorised,
                message: "token unknown or revoked".into(),
            },
        ),
        0,
    );
    assert!(effects.contains(&Effect::Close));
    // An unknown token wipes nothing: it may be a typo.
    assert!(!effects.contains(&Effect::Wipe));
    assert!(engine.handle(Event::Disconnected { conn }, 0).is_empty());
    assert_eq!(engine.status().summary(), "Access refused");
    assert!(engine.handle(Event::NetworkUp, 0).is_empty());
}

#[test]
fn a_revoked_token_makes_the_device_wipe_and_stop() {
    let mut engine = online_engine();
    let conn = engine.conn;
    let effects = engine.handle(
        frame(
            conn,
            ServerMessage::Error {
                code: ErrorCode::Revoked,
                message: "revoked".into(),
            },
        ),
        0,
    );
    assert_eq!(effects.iter().filter(|e| **e == Effect::Wipe).count(), 1);
    assert!(effects.contains(&Effect::Close));
    assert!(engine.handle(Event::Disconnected { conn }, 0).is_empty());
    assert!(engine.handle(Event::NetworkUp, 0).is_empty());
    assert_eq!(engine.status().summary(), "Access refused");
}

#[test]
fn a_long_outbox_goes_out_a_window_at_a_time() {
    let mut engine = Engine::new("Desk A", 1);
    let outbox: Vec<Bundle> = (0..100u8).map(|n| Bundle::new(vec![n])).collect();
    engine.handle(
        Event::Open {
            doc: doc(),
            cursor: 0,
            outbox: outbox.clone(),
        },
        0,
    );
    engine.handle(Event::Start { token: "t".into() }, 0);
    engine.handle(Event::Connected { conn: 1 }, 0);
    let effects = engine.handle(frame(1, ServerMessage::Welcome { org: "o".into() }), 0);
    let pushes = |m: &[ClientMessage]| {
        m.iter()
            .filter(|m| matches!(m, ClientMessage::Push { .. }))
            .count()
    };
    assert_eq!(pushes(&sent(&effects)), PUSH_WINDOW);
    let effects = engine.handle(
        frame(
            1,
            ServerMessage::Ack {
                doc: doc(),
                hash: outbox[0].hash,
                seq: 1,
            },
        ),
        0,
    );
    assert_eq!(
        sent(&effects),
        [ClientMessage::Push {
            doc: doc(),
            bundle: outbox[PUSH_WINDOW].clone()
        }],
        "each acknowledgement lets the next bundle go"
    );
}

#[test]
fn garbage_from_the_relay_drops_the_connection() {
    let mut engine = online_engine();
    let effects = engine.handle(
        Event::Frame {
            conn: 1,
            bytes: vec![1, 255, 255],
        },
        0,
    );
    assert!(effects.contains(&Effect::Close));
    assert!(effects
        .iter()
        .any(|e| matches!(e, Effect::ScheduleReconnect { .. })));
}

#[test]
fn a_relay_that_keeps_sending_what_this_version_cannot_read_is_retried_with_growing_pauses() {
    let mut engine = online_engine();
    let mut pauses = Vec::new();
    for _ in 0..4 {
        let conn = engine.conn;
        let garbage = Event::Frame {
            conn,
            bytes: vec![1, 255, 255],
        };
        pauses.extend(engine.handle(garbage, 0).iter().filter_map(|e| match e {
            Effect::ScheduleReconnect { after_ms } => Some(*after_ms),
            _ => None,
        }));
        let conn = reconnect(&mut engine);
        engine.handle(frame(conn, ServerMessage::Welcome { org: "o".into() }), 0);
    }
    assert_eq!(pauses.len(), 4);
    assert!(
        pauses[3] >= pauses[0] * 2,
        "each unreadable frame in a row waits longer: {pauses:?}"
    );
}

#[test]
fn a_document_is_caught_up_once_the_relay_says_so_on_this_connection() {
    let mut engine = online_engine();
    engine.handle(
        Event::Open {
            doc: doc(),
            cursor: 0,
            outbox: Vec::new(),
        },
        0,
    );
    assert!(!engine.caught_up(&doc()), "subscribed, nothing heard yet");
    let entry = Entry {
        seq: 1,
        hash: BundleHash::of(&[1]),
        data: vec![1],
    };
    let more = ServerMessage::Entries {
        doc: doc(),
        entries: vec![entry.clone()],
        caught_up: false,
    };
    engine.handle(frame(1, more), 0);
    assert!(!engine.caught_up(&doc()), "more is on its way");
    let done = ServerMessage::Entries {
        doc: doc(),
        entries: Vec::new(),
        caught_up: true,
    };
    engine.handle(frame(1, done.clone()), 0);
    assert!(engine.caught_up(&doc()));

    // A new connection starts over: what the relay got meanwhile is not here yet.
    engine.handle(Event::Disconnected { conn: 1 }, 0);
    assert!(!engine.caught_up(&doc()));
    let conn = reconnect(&mut engine);
    engine.handle(frame(conn, ServerMessage::Welcome { org: "o".into() }), 0);
    assert!(!engine.caught_up(&doc()));
    engine.handle(frame(conn, done), 0);
    assert!(engine.caught_up(&doc()));
}

#[test]
fn a_relay_that_keeps_refusing_is_retried_with_growing_pauses() {
    let mut engine = online_engine();
    let mut pauses = Vec::new();
    for _ in 0..4 {
        let refusal = ServerMessage::Error {
            code: ErrorCode::Internal,
            message: "storage full".into(),
        };
        let conn = engine.conn;
        engine.handle(frame(conn, refusal), 0);
        assert_eq!(
            engine.status().state,
            ConnectionState::Online,
            "not a refused token"
        );
        let effects = engine.handle(Event::Disconnected { conn }, 0);
        pauses.extend(effects.iter().filter_map(|e| match e {
            Effect::ScheduleReconnect { after_ms } => Some(*after_ms),
            _ => None,
        }));
        let again = engine.handle(Event::ReconnectDue, 0);
        let conn = again
            .iter()
            .find_map(|e| match e {
                Effect::Connect { conn } => Some(*conn),
                _ => None,
            })
            .expect("reconnects");
        engine.handle(Event::Connected { conn }, 0);
        engine.handle(frame(conn, ServerMessage::Welcome { org: "o".into() }), 0);
    }
    assert_eq!(pauses.len(), 4);
    assert!(
        pauses[3] >= pauses[0] * 2,
        "each refusal in a row waits longer: {pauses:?}"
    );
}

#[test]
fn a_managers_requests_go_out_only_while_connected_and_the_answer_comes_back() {
    let mut offline = Engine::new("Phone", 1);
    let effects = offline.handle(Event::ListDevices, 0);
    assert!(!effects.iter().any(|e| matches!(e, Effect::Send(_))));
    let mut engine = online_engine();
    let sent = engine.handle(Event::RevokeDevice { id: "abc".into() }, 0);
    let expected = ClientMessage::RevokeDevice { id: "abc".into() }.encode();
    assert_eq!(sent, vec![Effect::Send(expected)]);
    let conn = engine.conn;
    let answer = ServerMessage::Devices {
        allowed: true,
        devices: Vec::new(),
        rotate: true,
    };
    let effects = engine.handle(frame(conn, answer), 0);
    assert!(effects.contains(&Effect::Devices {
        allowed: true,
        devices: Vec::new(),
        rotate: true,
    }));
}

#[test]
fn key_messages_go_out_only_while_connected_and_their_answers_come_back() {
    let fetch = Event::Ask(ClientMessage::FetchKeys { public: [1; 32] });
    let mut offline = Engine::new("Tablet", 1);
    assert!(!offline
        .handle(fetch.clone(), 0)
        .iter()
        .any(|e| matches!(e, Effect::Send(_))));
    let mut engine = online_engine();
    let sent = engine.handle(fetch, 0);
    let expected = ClientMessage::FetchKeys { public: [1; 32] }.encode();
    assert_eq!(sent, vec![Effect::Send(expected)]);
    // The engine's own messages are not sent on request.
    let push = ClientMessage::Subscribe {
        doc: DocId::new("directory").expect("id"),
        after: 0,
    };
    assert!(engine.handle(Event::Ask(push), 0).is_empty());
    let conn = engine.conn;
    let key = protocol::WrappedKey {
        token: "abc".into(),
        public: [1; 32],
        epoch: 2,
        blob: vec![1, 2, 3],
    };
    let effects = engine.handle(
        frame(
            conn,
            ServerMessage::Keys {
                keys: vec![key.clone()],
            },
        ),
        0,
    );
    assert!(effects.contains(&Effect::Keys(vec![key])));
    let stored = ServerMessage::KeysStored {
        epoch: 2,
        stored: false,
    };
    let effects = engine.handle(frame(conn, stored), 0);
    assert!(effects.contains(&Effect::KeysStored {
        epoch: 2,
        stored: false
    }));
}

#[test]
fn a_sync_remembered_from_before_a_restart_shows_until_the_next_one() {
    let mut engine = Engine::new("desk", 7);
    engine.recall_last_sync(5_000);
    assert_eq!(engine.status().last_sync_ms, Some(5_000));
    // An older record does not take a newer one back.
    engine.recall_last_sync(4_000);
    assert_eq!(engine.status().last_sync_ms, Some(5_000));
    // Offline, the remembered sync is what the device reports once it starts.
    engine.handle(Event::NetworkDown, 6_000);
    let effects = engine.handle(Event::Start { token: "t".into() }, 6_000);
    assert!(effects
        .iter()
        .any(|e| matches!(e, Effect::Status(s) if s.last_sync_ms == Some(5_000))));
    // The next sync replaces it.
    engine.handle(
        Event::Open {
            doc: doc(),
            cursor: 0,
            outbox: Vec::new(),
        },
        6_500,
    );
    let _ = engine.handle(Event::NetworkUp, 7_000);
    let _ = engine.handle(Event::Connected { conn: engine.conn }, 7_000);
    let _ = engine.handle(
        frame(engine.conn, ServerMessage::Welcome { org: "o".into() }),
        7_000,
    );
    let _ = engine.handle(
        frame(
            engine.conn,
            ServerMessage::Entries {
                doc: doc(),
                entries: Vec::new(),
                caught_up: true,
            },
        ),
        8_000,
    );
    assert_eq!(engine.status().last_sync_ms, Some(8_000));
}

mod refused;
