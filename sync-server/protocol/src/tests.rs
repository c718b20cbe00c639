//! The protocol's own tests: ids, limits, and decoding untrusted bytes.

use proptest::prelude::*;

use super::*;

fn doc(id: &str) -> DocId {
    DocId::new(id).expect("valid test id")
}

#[test]
fn doc_ids() {
    let check = |id: &str, ok: bool| assert_eq!(DocId::new(id).is_ok(), ok, "{id:?}");
    check("schedule/main/2026-11", true);
    check("directory", true);
    check("", false);
    check("Schedule", false);
    check("a b", false);
    check("ü", false);
    check(&"a".repeat(MAX_DOC_ID_BYTES), true);
    check(&"a".repeat(MAX_DOC_ID_BYTES + 1), false);
}

#[test]
fn round_trip_examples() {
    let client = [
        ClientMessage::Hello {
            token: "secret".into(),
            device: "Front desk 1".into(),
        },
        ClientMessage::Subscribe {
            doc: doc("schedule/main/2026-11"),
            after: 42,
        },
        ClientMessage::Push {
            doc: doc("schedule/main/2026-11"),
            bundle: Bundle::new(vec![1, 2, 3]),
        },
    ];
    for m in client {
        assert_eq!(ClientMessage::decode(&m.encode()), Ok(m));
    }
    let server = [
        ServerMessage::Welcome { org: "acme".into() },
        ServerMessage::Entries {
            doc: doc("d"),
            entries: vec![Entry {
                seq: 1,
                hash: BundleHash::of(b"x"),
                data: b"x".to_vec(),
            }],
            caught_up: true,
        },
        ServerMessage::Ack {
            doc: doc("d"),
            hash: BundleHash::of(b"x"),
            seq: 7,
        },
        ServerMessage::Error {
            code: ErrorCode::Forbidden,
            message: "no".into(),
        },
        ServerMessage::Refused {
            doc: doc("schedule/hillside/2026-12"),
            code: ErrorCode::Forbidden,
        },
    ];
    for m in server {
        assert_eq!(ServerMessage::decode(&m.encode()), Ok(m));
    }
}

#[test]
fn a_document_names_its_site_by_the_ids_convention() {
    for (id, site) in [
        ("schedule/main/2026-03", Some("main")),
        ("waitlist/hillside", Some("hillside")),
        ("inventory/north-clinic", Some("north-clinic")),
        ("stock/main/2026-11", Some("main")),
        ("roster/main/2026-11", Some("main")),
        ("board/site/hillside", Some("hillside")),
        ("board/org", None),
        ("board/site", None),
        ("directory", None),
        ("schedule/", None),
    ] {
        assert_eq!(doc(id).site(), site, "{id}");
    }
}

#[test]
fn rejections() {
    let push = ClientMessage::Push {
        doc: doc("d"),
        bundle: Bundle::new(vec![9; 10]),
    }
    .encode();
    assert_eq!(ClientMessage::decode(&[]), Err(DecodeError::Empty));
    let mut wrong_version = push.clone();
    wrong_version[0] = 9;
    assert_eq!(
        ClientMessage::decode(&wrong_version),
        Err(DecodeError::Version(9))
    );
    let mut trailing = push.clone();
    trailing.push(0);
    assert_eq!(
        ClientMessage::decode(&trailing),
        Err(DecodeError::TrailingBytes(1))
    );
    let mut tampered = push.clone();
    *tampered.last_mut().expect("non-empty") ^= 1;
    assert_eq!(
        ClientMessage::decode(&tampered),
        Err(DecodeError::HashMismatch)
    );
    let huge = vec![PROTOCOL_VERSION; MAX_MESSAGE_BYTES + 1];
    assert_eq!(
        ClientMessage::decode(&huge),
        Err(DecodeError::TooBig(MAX_MESSAGE_BYTES + 1))
    );
    let bad_doc = ClientMessage::Subscribe {
        doc: DocId("UPPER".into()),
        after: 0,
    }
    .encode();
    assert_eq!(
        ClientMessage::decode(&bad_doc),
        Err(DecodeError::InvalidDocId)
    );
}

#[test]
fn debug_never_shows_secrets_or_payloads() {
    let hello = ClientMessage::Hello {
        token: "tok_secret".into(),
        device: "Desk".into(),
    };
    assert!(!format!("{hello:?}").contains("tok_secret"));
    let push = ClientMessage::Push {
        doc: doc("d"),
        bundle: Bundle::new(b"Jane Placeholder".to_vec()),
    };
    assert!(!format!("{push:?}").contains("Jane"));
}

#[test]
fn keys_round_trip_within_their_limits() {
    let key = |token: &str, bytes: usize| WrappedKey {
        token: token.into(),
        public: [5; 32],
        epoch: 2,
        blob: vec![7; bytes],
    };
    let post = ClientMessage::PostKeys {
        epoch: 2,
        rotation: true,
        keys: vec![key("tok-a", 200), key("tok-b", 200)],
    };
    assert_eq!(ClientMessage::decode(&post.encode()), Ok(post.clone()));
    assert!(
        !format!("{post:?}").contains("7, 7"),
        "a wrapped key's bytes are not printed"
    );
    let enrol = ClientMessage::Enrol {
        public: [1; 32],
        epoch: 0,
        proof: [2; 32],
    };
    assert_eq!(ClientMessage::decode(&enrol.encode()), Ok(enrol));
    let too_big = ClientMessage::PostKeys {
        epoch: 2,
        rotation: false,
        keys: vec![key("tok-a", MAX_WRAPPED_KEY_BYTES + 1)],
    };
    assert_eq!(
        ClientMessage::decode(&too_big.encode()),
        Err(DecodeError::FieldTooLong("wrapped key"))
    );
    let too_many = ServerMessage::Keys {
        keys: vec![key("t", 1); MAX_WRAPPED_KEYS + 1],
    };
    assert_eq!(
        ServerMessage::decode(&too_many.encode()),
        Err(DecodeError::FieldTooLong("keys"))
    );
}

fn arb_doc() -> impl Strategy<Value = DocId> {
    "[a-z0-9/_.:-]{1,40}".prop_map(|s| DocId::new(s).expect("strategy makes valid ids"))
}

fn arb_client() -> impl Strategy<Value = ClientMessage> {
    prop_oneof![
        (".{0,60}", ".{0,20}").prop_filter_map("within limits", |(token, device)| {
            (device.len() <= MAX_DEVICE_NAME_BYTES)
                .then_some(ClientMessage::Hello { token, device })
        }),
        (arb_doc(), any::<u64>()).prop_map(|(doc, after)| ClientMessage::Subscribe { doc, after }),
        (arb_doc(), proptest::collection::vec(any::<u8>(), 0..300)).prop_map(|(doc, data)| {
            ClientMessage::Push {
                doc,
                bundle: Bundle::new(data),
            }
        }),
    ]
}

proptest! {
    #[test]
    fn client_messages_round_trip(m in arb_client()) {
        prop_assert_eq!(ClientMessage::decode(&m.encode()), Ok(m));
    }

    #[test]
    fn garbage_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = ClientMessage::decode(&bytes);
        let _ = ServerMessage::decode(&bytes);
    }

    #[test]
    fn versioned_garbage_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let mut framed = vec![PROTOCOL_VERSION];
        framed.extend(bytes);
        let _ = ClientMessage::decode(&framed);
        let _ = ServerMessage::decode(&framed);
    }
}
