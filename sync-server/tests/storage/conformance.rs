//! The storage conformance suite: what every `Storage` engine must do, written once and
//! run against SQLite and PostgreSQL (`tests/storage.rs`). Each check starts from an empty
//! database of its own.

use std::collections::BTreeMap;
use std::sync::Arc;

use protocol::{Bundle, BundleHash, DocId, WrappedKey};
use sync_server::storage::{entry_cost, Access, AppendOutcome, Storage};
use sync_server::{OrgName, Sites};

fn org(name: &str) -> OrgName {
    OrgName::new(name).expect("valid test org")
}

fn doc(id: &str) -> DocId {
    DocId::new(id).expect("valid test doc")
}

fn bundle(text: &str) -> Bundle {
    Bundle::new(text.as_bytes().to_vec())
}

async fn seqs(s: &dyn Storage, o: &OrgName, d: &DocId, after: u64, max: usize) -> Vec<u64> {
    let entries = s.read_after(o, d, after, max).await.expect("read");
    entries.iter().map(|e| e.seq).collect()
}

async fn all_seqs(s: &dyn Storage, org: &OrgName, doc: &DocId) -> Vec<u64> {
    seqs(s, org, doc, 0, usize::MAX).await
}

/// A log of `n` entries in organisation "clinic".
async fn log_of(s: &dyn Storage, n: u8) -> (OrgName, DocId) {
    let (org, doc) = (org("clinic"), doc("schedule/main/2026-11"));
    s.create_org(&org).await.expect("org");
    for i in 1..=n {
        s.append(&org, &doc, &Bundle::new(vec![i]))
            .await
            .expect("append");
    }
    (org, doc)
}

fn key(token: &str, epoch: u32, byte: u8) -> WrappedKey {
    WrappedKey {
        token: token.into(),
        public: [1; 32],
        epoch,
        blob: vec![byte; 80],
    }
}

// Batches, the quota, and batches from several relays at once.
#[path = "batches.rs"]
mod batches;
pub use batches::*;

pub async fn append_is_idempotent_and_gapless(s: &dyn Storage) {
    let (acme, d) = (org("acme"), doc("schedule/main/2026-11"));
    s.create_org(&acme).await.expect("org");
    assert_eq!(s.last_seq(&acme, &d).await.expect("last"), 0);
    let check = |text: &'static str, seq: u64, new: bool| {
        let (acme, d) = (acme.clone(), d.clone());
        async move {
            let outcome = s.append(&acme, &d, &bundle(text)).await.expect("append");
            assert_eq!(outcome, AppendOutcome { seq, new }, "{text}");
        }
    };
    check("a", 1, true).await;
    check("b", 2, true).await;
    check("a", 1, false).await;
    check("c", 3, true).await;
    check("b", 2, false).await;
    assert_eq!(s.last_seq(&acme, &d).await.expect("last"), 3);
    assert_eq!(seqs(s, &acme, &d, 0, usize::MAX).await, [1, 2, 3]);
    let entries = s.read_after(&acme, &d, 0, usize::MAX).await.expect("read");
    assert_eq!(entries[1].data, b"b");
    assert_eq!(entries[1].hash, BundleHash::of(b"b"));
}

pub async fn documents_and_orgs_have_their_own_logs(s: &dyn Storage) {
    let (a, b, d, e) = (org("a"), org("b"), doc("d"), doc("e"));
    s.create_org(&a).await.expect("org");
    s.create_org(&b).await.expect("org");
    let x = bundle("x");
    assert_eq!(s.append(&a, &d, &x).await.expect("append").seq, 1);
    // The same bytes in another document or organisation are another entry.
    assert!(s.append(&a, &e, &x).await.expect("append").new);
    assert!(s.append(&b, &d, &x).await.expect("append").new);
    assert_eq!(s.append(&b, &d, &bundle("y")).await.expect("append").seq, 2);
    assert_eq!(seqs(s, &a, &d, 0, usize::MAX).await, [1]);
    assert_eq!(seqs(s, &b, &d, 0, usize::MAX).await, [1, 2]);
}

pub async fn read_after_pages_by_bytes(s: &dyn Storage) {
    let (o, d) = (org("acme"), doc("d"));
    s.create_org(&o).await.expect("org");
    for i in 0..5 {
        s.append(&o, &d, &Bundle::new(vec![i; 100]))
            .await
            .expect("append");
    }
    let one = entry_cost(100);
    assert_eq!(seqs(s, &o, &d, 0, 2 * one).await, [1, 2]);
    assert_eq!(seqs(s, &o, &d, 0, 2 * one + 1).await, [1, 2]);
    assert_eq!(seqs(s, &o, &d, 2, 3 * one).await, [3, 4, 5]);
    // A budget smaller than one entry still makes progress.
    assert_eq!(seqs(s, &o, &d, 3, 1).await, [4]);
    assert_eq!(seqs(s, &o, &d, 5, usize::MAX).await, Vec::<u64>::new());
    assert_eq!(
        seqs(s, &o, &d, u64::MAX, usize::MAX).await,
        Vec::<u64>::new()
    );
}

pub async fn tokens_verify_until_revoked(s: &dyn Storage) {
    let clinic = org("clinic");
    assert!(!s.has_tokens().await.expect("has"));
    let token = s
        .create_token(&clinic, "Desk 1", &Sites::All)
        .await
        .expect("token");
    assert!(s.has_tokens().await.expect("has"));
    // The organisation was created with the token.
    assert!(!s.create_org(&clinic).await.expect("org"));
    let secret = token.secret.expose();
    assert_eq!(
        s.verify_token(secret).await.expect("verify"),
        Some(Access {
            token: token.id.clone(),
            manage: false,
            org: clinic.clone(),
            sites: Sites::All
        })
    );
    assert_eq!(s.verify_token("fd1_nope").await.expect("verify"), None);
    assert_eq!(s.verify_token("").await.expect("verify"), None);

    let listed = s.list_tokens(None).await.expect("list");
    assert_eq!(listed.len(), 1);
    assert_eq!(
        (listed[0].id.as_str(), listed[0].label.as_str()),
        (token.id.as_str(), "Desk 1")
    );
    assert_eq!(listed[0].revoked_at, None);

    assert!(s.revoke_token(&token.id).await.expect("revoke"));
    assert!(s.revoke_token(&token.id).await.expect("revoke again"));
    assert!(!s
        .revoke_token("000000000000")
        .await
        .expect("revoke unknown"));
    assert_eq!(s.verify_token(secret).await.expect("verify"), None);
    let listed = s.list_tokens(Some(&clinic)).await.expect("list");
    assert!(listed[0].revoked_at.is_some());
    assert!(s
        .list_tokens(Some(&org("other")))
        .await
        .expect("list")
        .is_empty());
}

/// Each device of a token keeps its own key (a token opened on two tablets has two), a
/// device sending its key again replaces its proof, and a token keeps ten devices' keys.
pub async fn each_device_of_a_token_keeps_its_own_key(s: &dyn Storage) {
    let clinic = org("clinic");
    let desk = s
        .create_token(&clinic, "desk", &Sites::All)
        .await
        .expect("token");
    s.enrol(&desk.id, "Front desk 1", [1; 32], 0, [2; 32])
        .await
        .expect("enrol");
    s.enrol(&desk.id, "Front desk 2", [9; 32], 0, [8; 32])
        .await
        .expect("second");
    s.enrol(&desk.id, "Front desk 1", [1; 32], 3, [4; 32])
        .await
        .expect("again");
    let listed = s.list_tokens(Some(&clinic)).await.expect("list");
    let mut got: Vec<_> = listed[0]
        .enrolments
        .iter()
        .map(|e| {
            (
                e.public[0],
                e.epoch,
                e.proof[0],
                e.name.as_str(),
                e.key_epoch,
            )
        })
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            (1, 3, 4, "Front desk 1", None),
            (9, 0, 8, "Front desk 2", None)
        ]
    );
    for n in 10..30 {
        s.enrol(&desk.id, "another", [n; 32], 0, [0; 32])
            .await
            .expect("more");
    }
    let listed = s.list_tokens(Some(&clinic)).await.expect("list");
    assert_eq!(listed[0].enrolments.len(), 10);
}

/// Keys are stored for the organisation's live tokens only; a rotation only to a newer
/// epoch, other keys only at the newest, so two managers never both rotate and a device
/// with old keys never hands them out as current.
pub async fn wrapped_keys_go_to_live_tokens_of_the_organisation_at_the_right_epoch(
    s: &dyn Storage,
) {
    let (clinic, other) = (org("clinic"), org("other"));
    let a = s.create_token(&clinic, "a", &Sites::All).await.expect("a");
    let b = s.create_token(&clinic, "b", &Sites::All).await.expect("b");
    let c = s.create_token(&clinic, "c", &Sites::All).await.expect("c");
    let stranger = s.create_token(&other, "x", &Sites::All).await.expect("x");
    assert!(s.revoke_token(&c.id).await.expect("revoke"));
    let first = [
        key(&a.id, 1, 1),
        key(&b.id, 1, 2),
        key(&c.id, 1, 3),
        key(&stranger.id, 1, 4),
    ];
    assert!(s
        .store_keys(&clinic, 1, false, &first)
        .await
        .expect("store"));
    assert_eq!(
        s.wrapped_keys(&a.id, [1; 32]).await.expect("a's"),
        [key(&a.id, 1, 1)]
    );
    assert!(
        s.wrapped_keys(&c.id, [1; 32])
            .await
            .expect("c's")
            .is_empty(),
        "revoked"
    );
    assert!(
        s.wrapped_keys(&stranger.id, [1; 32])
            .await
            .expect("x's")
            .is_empty(),
        "another organisation"
    );

    assert!(!s
        .store_keys(&clinic, 2, false, &[key(&a.id, 2, 5)])
        .await
        .expect("not newest"));
    assert!(!s
        .store_keys(&clinic, 1, true, &[key(&a.id, 1, 5)])
        .await
        .expect("not newer"));
    assert!(s
        .store_keys(&clinic, 2, true, &[key(&a.id, 2, 6)])
        .await
        .expect("rotation"));
    assert!(!s
        .store_keys(&clinic, 2, true, &[key(&a.id, 2, 7)])
        .await
        .expect("second rotation"));
    assert!(s
        .store_keys(&clinic, 2, false, &[key(&b.id, 2, 8)])
        .await
        .expect("newest"));
    let a_keys = s.wrapped_keys(&a.id, [1; 32]).await.expect("a's");
    assert_eq!(
        a_keys,
        [key(&a.id, 2, 6), key(&a.id, 1, 1)],
        "newest first, not replaced"
    );
    s.enrol(&a.id, "a", [1; 32], 2, [0; 32])
        .await
        .expect("enrol");
    s.enrol(&c.id, "c", [1; 32], 1, [0; 32])
        .await
        .expect("enrol");
    let mut epochs: Vec<_> = s
        .list_tokens(Some(&clinic))
        .await
        .expect("list")
        .iter()
        .map(|t| {
            (
                t.label.clone(),
                t.enrolments.first().and_then(|e| e.key_epoch),
            )
        })
        .collect();
    epochs.sort();
    assert_eq!(
        epochs,
        [
            ("a".into(), Some(2)),
            ("b".into(), None),
            ("c".into(), None)
        ],
        "b sent no key; nothing was stored for c, revoked"
    );
}

pub async fn a_revocation_wants_a_rotation_until_one_is_stored(s: &dyn Storage) {
    let clinic = org("clinic");
    let a = s.create_token(&clinic, "a", &Sites::All).await.expect("a");
    let b = s.create_token(&clinic, "b", &Sites::All).await.expect("b");
    let c = s.create_token(&clinic, "c", &Sites::All).await.expect("c");
    assert!(!s.rotation_wanted(&clinic).await.expect("wanted"));
    // Revoked before any keys were stored: keys stored after, at the first epoch, are the
    // ones it may hold, so they do not count either.
    let early = s
        .create_token(&clinic, "early", &Sites::All)
        .await
        .expect("early");
    s.revoke_token(&early.id).await.expect("revoke");
    assert!(s.rotation_wanted(&clinic).await.expect("wanted"));
    assert!(s
        .store_keys(&clinic, 1, false, &[key(&a.id, 1, 1), key(&b.id, 1, 1)])
        .await
        .expect("store"));
    assert!(s.rotation_wanted(&clinic).await.expect("still, for early"));
    s.revoke_token(&b.id).await.expect("revoke");
    assert!(s.rotation_wanted(&clinic).await.expect("wanted"));
    // Keys at the same epoch, for a new device, do not count: b holds that epoch.
    assert!(s
        .store_keys(&clinic, 1, false, &[key(&c.id, 1, 1)])
        .await
        .expect("store"));
    assert!(s.rotation_wanted(&clinic).await.expect("still wanted"));
    assert!(s
        .store_keys(&clinic, 2, true, &[key(&a.id, 2, 2)])
        .await
        .expect("rotate"));
    assert!(!s.rotation_wanted(&clinic).await.expect("done"));
    s.revoke_token(&c.id).await.expect("revoke");
    assert!(s.rotation_wanted(&clinic).await.expect("again"));
}

pub async fn a_snapshot_is_kept_only_when_it_reaches_further_and_the_log_does(s: &dyn Storage) {
    let (org, doc) = log_of(s, 5).await;
    let snap = |n: u8| Bundle::new(vec![100 + n]);
    assert!(
        !s.store_snapshot(&org, &doc, 6, &snap(6), u64::MAX)
            .await
            .expect("stores"),
        "past the log"
    );
    assert!(
        !s.store_snapshot(&org, &doc, 0, &snap(0), u64::MAX)
            .await
            .expect("stores"),
        "empty"
    );
    assert!(s
        .store_snapshot(&org, &doc, 3, &snap(3), u64::MAX)
        .await
        .expect("stores"));
    assert!(
        !s.store_snapshot(&org, &doc, 2, &snap(2), u64::MAX)
            .await
            .expect("stores"),
        "older"
    );
    assert!(s
        .store_snapshot(&org, &doc, 4, &snap(4), u64::MAX)
        .await
        .expect("stores"));
    let kept = s.snapshot(&org, &doc).await.expect("reads").expect("one");
    assert_eq!(
        (kept.seq, kept.data, kept.hash),
        (4, vec![104], snap(4).hash)
    );
}

/// Compaction drops what the snapshot covers only as far as the slowest live device has
/// read, never the last entry, and forgets revoked devices.
pub async fn compaction_keeps_every_entry_a_device_still_needs(s: &dyn Storage) {
    let (org, doc) = log_of(s, 6).await;
    let desk = s
        .create_token(&org, "desk", &Sites::All)
        .await
        .expect("token");
    let old = s
        .create_token(&org, "old", &Sites::All)
        .await
        .expect("token");
    s.note_cursor(&desk.id, "Front desk 1", &org, &doc, 6)
        .await
        .expect("notes");
    s.note_cursor(&desk.id, "Front desk 2", &org, &doc, 2)
        .await
        .expect("notes");
    s.note_cursor(&old.id, "Old tablet", &org, &doc, 0)
        .await
        .expect("notes");
    assert_eq!(
        s.compact(&org, &doc).await.expect("compacts"),
        0,
        "no snapshot yet"
    );
    assert!(s
        .store_snapshot(&org, &doc, 5, &Bundle::new(vec![9]), u64::MAX)
        .await
        .expect("stores"));
    assert_eq!(
        s.compact(&org, &doc).await.expect("compacts"),
        0,
        "the old tablet is at 0"
    );
    s.revoke_token(&old.id).await.expect("revokes");
    assert_eq!(
        s.compact(&org, &doc).await.expect("compacts"),
        2,
        "desk 2 is at 2"
    );
    assert_eq!(all_seqs(s, &org, &doc).await, [3, 4, 5, 6]);
    assert_eq!(s.floor(&org, &doc).await.expect("floor"), 2);
    s.note_cursor(&desk.id, "Front desk 2", &org, &doc, 6)
        .await
        .expect("notes");
    assert_eq!(
        s.compact(&org, &doc).await.expect("compacts"),
        3,
        "up to the snapshot"
    );
    assert_eq!(all_seqs(s, &org, &doc).await, [6]);
    assert!(s
        .store_snapshot(&org, &doc, 6, &Bundle::new(vec![10]), u64::MAX)
        .await
        .expect("stores"));
    assert_eq!(
        s.compact(&org, &doc).await.expect("compacts"),
        0,
        "the last entry stays"
    );
    assert_eq!(s.last_seq(&org, &doc).await.expect("last"), 6);
    let next = s
        .append(&org, &doc, &Bundle::new(vec![7]))
        .await
        .expect("append");
    assert_eq!(next.seq, 7, "numbering goes on");
}

/// Several relays on one database (each `Storage` here is one relay's), many devices
/// pushing to many documents at once, re-sending some bundles as a device does after a
/// lost acknowledgement: every bundle is stored exactly once, with the same number for
/// each of its sends, and each document's numbers run from 1 without a gap.
pub async fn concurrent_appends_from_several_relays(relays: Vec<Arc<dyn Storage>>) {
    const DEVICES: usize = 8;
    const DOCS: usize = 4;
    const EACH: usize = 25;
    let clinic = org("clinic");
    relays[0].create_org(&clinic).await.expect("org");
    let mut tasks = Vec::new();
    for device in 0..DEVICES {
        let relay = Arc::clone(&relays[device % relays.len()]);
        let clinic = clinic.clone();
        tasks.push(tokio::spawn(async move {
            let mut acked = Vec::new();
            for i in 0..EACH {
                let d = doc(&format!("schedule/main/doc-{}", (device + i) % DOCS));
                let b = Bundle::new(format!("device {device} bundle {i}").into_bytes());
                let first = relay.append(&clinic, &d, &b).await.expect("append");
                assert!(first.new);
                // Every third bundle is sent again, as after a lost acknowledgement.
                if i % 3 == 0 {
                    let again = relay.append(&clinic, &d, &b).await.expect("again");
                    assert_eq!(
                        again,
                        AppendOutcome {
                            seq: first.seq,
                            new: false
                        }
                    );
                }
                acked.push((d, b.hash, first.seq));
            }
            acked
        }));
    }
    let mut acked = Vec::new();
    for task in tasks {
        acked.extend(task.await.expect("a device's task"));
    }
    assert_eq!(acked.len(), DEVICES * EACH);
    let mut per_doc: BTreeMap<DocId, usize> = BTreeMap::new();
    for (d, _, _) in &acked {
        *per_doc.entry(d.clone()).or_default() += 1;
    }
    for (d, count) in per_doc {
        let entries = relays[1 % relays.len()]
            .read_after(&clinic, &d, 0, usize::MAX)
            .await
            .expect("read");
        let numbers: Vec<u64> = entries.iter().map(|e| e.seq).collect();
        let expected: Vec<u64> = (1..=count as u64).collect();
        assert_eq!(numbers, expected, "{d}: gap-free, each bundle once");
        for (ad, hash, seq) in acked.iter().filter(|(ad, _, _)| *ad == d) {
            let entry = &entries[(*seq - 1) as usize];
            assert_eq!(entry.hash, *hash, "{ad} #{seq}: the bundle acknowledged");
        }
    }
}
