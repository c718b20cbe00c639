//! Documents the relay will not sync on a connection: refused to the token for good,
//! deferred to the next connection by a bound the relay keeps, or not taken for lack of
//! room.

use super::*;

#[test]
fn a_document_refused_to_this_token_keeps_its_edits_and_is_not_asked_for_again() {
    let mut engine = online_engine();
    let other_site = DocId::new("schedule/hillside/2026-11").expect("valid");
    let kept = Bundle::new(vec![7]);
    let opened = engine.handle(
        Event::Open {
            doc: other_site.clone(),
            cursor: 0,
            outbox: vec![kept.clone()],
        },
        0,
    );
    assert_eq!(
        sent(&opened).len(),
        2,
        "subscribe and push, as for any document"
    );
    let refused = ServerMessage::Refused {
        doc: other_site.clone(),
        code: ErrorCode::Forbidden,
    };
    let effects = engine.handle(frame(1, refused.clone()), 0);
    assert!(effects.contains(&Effect::Refused {
        doc: other_site.clone()
    }));
    assert_eq!(
        engine.status().state,
        ConnectionState::Online,
        "the rest syncs"
    );
    assert!(engine.is_refused(&other_site));
    assert!(
        engine.caught_up_or_offline(&other_site),
        "nothing more is coming"
    );
    // Said once, however often the relay says it.
    let again = engine.handle(frame(1, refused), 0);
    assert!(!again.iter().any(|e| matches!(e, Effect::Refused { .. })));

    // A new edit there waits with the others; nothing of it is sent.
    let edit = Bundle::new(vec![8]);
    let effects = engine.handle(
        Event::LocalBundle {
            doc: other_site.clone(),
            bundle: edit,
        },
        0,
    );
    assert!(sent(&effects).is_empty());
    assert_eq!(engine.status().waiting, 2, "both edits kept");

    // Its own site still subscribes and pushes on the same connection.
    let own = Bundle::new(vec![9]);
    let effects = engine.handle(
        Event::LocalBundle {
            doc: doc(),
            bundle: own.clone(),
        },
        0,
    );
    assert_eq!(
        sent(&effects),
        [ClientMessage::Push {
            doc: doc(),
            bundle: own
        }]
    );

    // After a reconnect the refused document is not asked for; a new token asks again.
    let conn = engine.conn;
    engine.handle(Event::Disconnected { conn }, 0);
    let conn = reconnect(&mut engine);
    let welcome = engine.handle(frame(conn, ServerMessage::Welcome { org: "o".into() }), 0);
    assert!(!sent(&welcome).iter().any(|m| matches!(m,
        ClientMessage::Subscribe { doc, .. } | ClientMessage::Push { doc, .. } if *doc == other_site)));
    engine.handle(Event::Start { token: "t2".into() }, 0);
    assert!(!engine.is_refused(&other_site));
}

#[test]
fn a_document_over_the_relays_bound_is_followed_from_the_next_connection_and_its_edits_still_go_out(
) {
    let mut engine = online_engine();
    let many = DocId::new("schedule/main/2027-01").expect("valid");
    let kept = Bundle::new(vec![7]);
    engine.handle(
        Event::Open {
            doc: many.clone(),
            cursor: 0,
            outbox: vec![kept.clone()],
        },
        0,
    );
    let busy = ServerMessage::Refused {
        doc: many.clone(),
        code: ErrorCode::Busy,
    };
    let effects = engine.handle(frame(1, busy), 0);
    assert!(effects.contains(&Effect::Deferred { doc: many.clone() }));
    assert!(
        !effects.iter().any(|e| matches!(e, Effect::Refused { .. })),
        "not a refusal of the token: nothing says the device is not enrolled"
    );
    assert!(!engine.is_refused(&many));
    assert!(
        engine.caught_up_or_offline(&many),
        "nothing more this connection"
    );
    // An edit there still goes out on this connection: the bound is on following, and the
    // relay takes pushes of any document.
    let edit = Bundle::new(vec![8]);
    let effects = engine.handle(
        Event::LocalBundle {
            doc: many.clone(),
            bundle: edit.clone(),
        },
        0,
    );
    assert_eq!(
        sent(&effects),
        [ClientMessage::Push {
            doc: many.clone(),
            bundle: edit
        }]
    );
    assert_eq!(engine.status().waiting, 2, "kept until acknowledged");

    // The next connection asks for it again and sends its edits.
    let conn = engine.conn;
    engine.handle(Event::Disconnected { conn }, 0);
    let conn = reconnect(&mut engine);
    let welcome = engine.handle(frame(conn, ServerMessage::Welcome { org: "o".into() }), 0);
    let sent = sent(&welcome);
    assert!(sent
        .iter()
        .any(|m| matches!(m, ClientMessage::Subscribe { doc, .. } if *doc == many)));
    assert!(sent.iter().any(
        |m| matches!(m, ClientMessage::Push { doc, bundle } if *doc == many && *bundle == kept)
    ));
}

/// The organisation's storage on the relay is full: the device says so once, keeps every
/// edit, pushes nothing while it waits, and pushes them all again when the pause is over
/// (or on its next connection).
#[test]
fn a_full_relay_keeps_the_edits_here_and_they_go_out_after_a_pause() {
    let mut engine = online_engine();
    let month = DocId::new("schedule/main/2026-11").expect("valid");
    let refused = Bundle::new(vec![1]);
    let opened = engine.handle(
        Event::Open {
            doc: month.clone(),
            cursor: 0,
            outbox: vec![refused.clone()],
        },
        0,
    );
    assert!(sent(&opened)
        .iter()
        .any(|m| matches!(m, ClientMessage::Push { .. })));
    let full = ServerMessage::Refused {
        doc: month.clone(),
        code: ErrorCode::QuotaExceeded,
    };
    let effects = engine.handle(frame(1, full.clone()), 0);
    assert_eq!(
        effects,
        [Effect::StorageFull {
            retry_after_ms: STORAGE_FULL_RETRY_MS
        }]
    );
    assert!(!engine.is_refused(&month), "the document still syncs in");
    assert_eq!(engine.status().state, ConnectionState::Online);
    // Said once, however many pushes come back refused.
    assert!(engine.handle(frame(1, full), 0).is_empty());

    // A new edit waits with the first; nothing is pushed meanwhile.
    let edit = Bundle::new(vec![2]);
    let effects = engine.handle(
        Event::LocalBundle {
            doc: month.clone(),
            bundle: edit.clone(),
        },
        0,
    );
    assert!(sent(&effects).is_empty());
    assert_eq!(engine.status().waiting, 2, "both edits kept");

    // After the pause, both go out.
    let pushed = sent(&engine.handle(Event::RetryPushes, 0));
    let push = |bundle: &Bundle| ClientMessage::Push {
        doc: month.clone(),
        bundle: bundle.clone(),
    };
    assert_eq!(pushed, [push(&refused), push(&edit)]);

    // Full again, then a new connection: pushed again there without waiting.
    let full = ServerMessage::Refused {
        doc: month.clone(),
        code: ErrorCode::QuotaExceeded,
    };
    assert!(!engine.handle(frame(1, full), 0).is_empty(), "said again");
    let conn = engine.conn;
    engine.handle(Event::Disconnected { conn }, 0);
    let conn = reconnect(&mut engine);
    let welcome = engine.handle(frame(conn, ServerMessage::Welcome { org: "o".into() }), 0);
    let again = sent(&welcome);
    assert!(again.contains(&push(&refused)) && again.contains(&push(&edit)));
}
