//! The hub: order, slowness, other relays, leaving.

use super::*;
use crate::storage::sqlite::SqliteStorage;
use protocol::{Entry, ServerMessage, Wire};

struct Fixture {
    hub: Arc<Hub>,
    metrics: Arc<Metrics>,
    org: OrgName,
    doc: DocId,
    _dir: tempfile::TempDir,
}

async fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let storage = SqliteStorage::open(&dir.path().join("relay.sqlite3")).expect("open");
    let org = OrgName::new("acme").expect("valid");
    storage.create_org(&org).await.expect("org");
    let metrics = Arc::new(Metrics::default());
    let hub = Arc::new(Hub::new(Arc::new(storage), Arc::clone(&metrics), u64::MAX));
    let doc = DocId::new("d").expect("valid");
    Fixture {
        hub,
        metrics,
        org,
        doc,
        _dir: dir,
    }
}

fn seqs_of(frame: &Bytes) -> Vec<u64> {
    match ServerMessage::decode(frame).expect("decodes") {
        ServerMessage::Entries { entries, .. } => entries.iter().map(|e| e.seq).collect(),
        other => panic!("expected entries, got {other:?}"),
    }
}

#[tokio::test]
async fn subscribers_get_entries_after_live_from_in_order() {
    let f = fixture().await;
    let push = |n: u8| {
        f.hub
            .append(f.org.clone(), f.doc.clone(), Bundle::new(vec![n]))
    };
    push(1).await.expect("append");
    let (sub, mut mailbox) = f.hub.mailbox(8);
    assert_eq!(f.hub.subscribe(&f.org, &f.doc, &sub).await.expect("sub"), 1);
    push(2).await.expect("append");
    push(3).await.expect("append");
    // A duplicate is not fanned out again.
    assert!(!push(2).await.expect("append").new);
    push(4).await.expect("append");
    for expected in [2, 3, 4] {
        let Delivery::Frame(frame) = mailbox.next().await else {
            panic!("expected a frame");
        };
        assert_eq!(seqs_of(&frame), [expected]);
    }
    assert!(mailbox.rx.try_recv().is_err());
}

#[tokio::test]
async fn a_full_queue_marks_the_connection_too_slow() {
    let f = fixture().await;
    let (slow, mut slow_box) = f.hub.mailbox(2);
    let (fast, mut fast_box) = f.hub.mailbox(8);
    f.hub.subscribe(&f.org, &f.doc, &slow).await.expect("sub");
    f.hub.subscribe(&f.org, &f.doc, &fast).await.expect("sub");
    for n in 0..4 {
        let bundle = Bundle::new(vec![n]);
        f.hub
            .append(f.org.clone(), f.doc.clone(), bundle)
            .await
            .expect("append");
        assert!(matches!(fast_box.next().await, Delivery::Frame(_)));
    }
    // Two entries fit, the third did not; the verdict comes before the queued ones.
    assert!(matches!(slow_box.next().await, Delivery::TooSlow));
    assert!(!fast.is_too_slow());
    let docs = f.hub.followed.lock();
    let state = docs.get(&(f.org.clone(), f.doc.clone())).expect("watched");
    assert_eq!(state.subscribers.len(), 1);
}

/// Entries another relay appended to the shared log reach this relay's subscribers in
/// order: when the database says so, when a notice was missed, and before this relay's
/// own next entry.
#[tokio::test]
async fn another_relays_entries_go_out_from_the_log_in_order() {
    let f = fixture().await;
    let (sub, mut mailbox) = f.hub.mailbox(16);
    assert_eq!(f.hub.subscribe(&f.org, &f.doc, &sub).await.expect("sub"), 0);
    let other_relay = f.hub.storage();
    for n in 1..=2 {
        other_relay
            .append(&f.org, &f.doc, &Bundle::new(vec![n]))
            .await
            .expect("append");
    }
    f.hub
        .caught_up_to(&f.org, &f.doc, 2)
        .await
        .expect("catches up");
    // A notice heard twice sends nothing twice.
    f.hub
        .caught_up_to(&f.org, &f.doc, 1)
        .await
        .expect("catches up");
    other_relay
        .append(&f.org, &f.doc, &Bundle::new(vec![3]))
        .await
        .expect("append");
    // Its notice missed: the next catch-up finds it from the log.
    f.hub.catch_up_all().await.expect("catches up");
    other_relay
        .append(&f.org, &f.doc, &Bundle::new(vec![4]))
        .await
        .expect("append");
    // No notice at all: this relay's own append sends the missing entry first.
    f.hub
        .append(f.org.clone(), f.doc.clone(), Bundle::new(vec![5]))
        .await
        .expect("append");
    for expected in 1..=5 {
        let Delivery::Frame(frame) = mailbox.next().await else {
            panic!("expected a frame");
        };
        assert_eq!(seqs_of(&frame), [expected]);
    }
    assert!(mailbox.rx.try_recv().is_err());
}

#[tokio::test]
async fn leaving_forgets_unwatched_documents() {
    let f = fixture().await;
    let (sub, _mailbox) = f.hub.mailbox(8);
    f.hub.subscribe(&f.org, &f.doc, &sub).await.expect("sub");
    f.hub
        .subscribe(&f.org, &f.doc, &sub)
        .await
        .expect("resubscribe");
    assert_eq!(f.hub.followed.lock().len(), 1);
    f.hub.leave(&f.org, [&f.doc], &sub).await;
    assert!(f.hub.followed.lock().is_empty());
}

/// The next frame's one sequence number; fails after 10 s without one.
async fn next_seq(mailbox: &mut Mailbox) -> u64 {
    let next = tokio::time::timeout(std::time::Duration::from_secs(10), mailbox.next());
    let Ok(Delivery::Frame(frame)) = next.await else {
        panic!("expected a frame");
    };
    let seqs = seqs_of(&frame);
    assert_eq!(seqs.len(), 1);
    seqs[0]
}

/// Many devices pushing at once to several documents: their pushes share commits, every
/// push is acknowledged, and each document's subscriber gets its entries in order.
#[tokio::test]
async fn pushes_that_arrive_together_share_a_commit() {
    const DOCS: u64 = 4;
    const PUSHES: u64 = 200;
    let f = fixture().await;
    let docs: Vec<DocId> = (0..DOCS)
        .map(|n| DocId::new(format!("d{n}")).expect("valid"))
        .collect();
    let mut mailboxes = Vec::new();
    for doc in &docs {
        let (sub, mailbox) = f.hub.mailbox(PUSHES as usize);
        assert_eq!(f.hub.subscribe(&f.org, doc, &sub).await.expect("sub"), 0);
        mailboxes.push(mailbox);
    }
    let pushes: Vec<_> = (0..PUSHES)
        .map(|n| {
            let (hub, org) = (Arc::clone(&f.hub), f.org.clone());
            let doc = docs[(n % DOCS) as usize].clone();
            tokio::spawn(async move {
                hub.append(org, doc, Bundle::new(n.to_le_bytes().to_vec()))
                    .await
            })
        })
        .collect();
    for push in pushes {
        assert!(push.await.expect("task").expect("acknowledged").new);
    }
    for mailbox in &mut mailboxes {
        for expected in 1..=PUSHES / DOCS {
            assert_eq!(next_seq(mailbox).await, expected);
        }
        assert!(mailbox.rx.try_recv().is_err());
    }
    let commits = f.metrics.commits();
    assert!(
        commits < PUSHES / 2,
        "{PUSHES} pushes at once took {commits} commits"
    );
}

/// A device subscribing while others push gets, from its backlog up to `live_from` and
/// then from the hub, every entry once and in order; two subscribing together to a
/// document nobody followed start from the same number.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subscribing_during_pushes_misses_nothing_and_repeats_nothing() {
    const PUSHES: u8 = 120;
    let f = fixture().await;
    let pushing = {
        let (hub, org, doc) = (Arc::clone(&f.hub), f.org.clone(), f.doc.clone());
        tokio::spawn(async move {
            for n in 1..=PUSHES {
                hub.append(org.clone(), doc.clone(), Bundle::new(vec![n]))
                    .await
                    .expect("append");
                if n % 8 == 0 {
                    tokio::task::yield_now().await;
                }
            }
        })
    };
    while f
        .hub
        .storage()
        .last_seq(&f.org, &f.doc)
        .await
        .expect("last")
        < 20
    {
        tokio::task::yield_now().await;
    }
    let (one, mut one_box) = f.hub.mailbox(PUSHES as usize);
    let (two, mut two_box) = f.hub.mailbox(PUSHES as usize);
    let (from_one, from_two) = tokio::join!(
        f.hub.subscribe(&f.org, &f.doc, &one),
        f.hub.subscribe(&f.org, &f.doc, &two)
    );
    let live_from = from_one.expect("sub");
    assert_eq!(from_two.expect("sub"), live_from);
    pushing.await.expect("pushes");
    let backlog = f
        .hub
        .storage()
        .read_after(&f.org, &f.doc, 0, usize::MAX)
        .await
        .expect("read");
    for mailbox in [&mut one_box, &mut two_box] {
        let mut got: Vec<u64> = backlog
            .iter()
            .map(|e| e.seq)
            .take_while(|&seq| seq <= live_from)
            .collect();
        while got.len() < usize::from(PUSHES) {
            got.push(next_seq(mailbox).await);
        }
        assert_eq!(got, (1..=u64::from(PUSHES)).collect::<Vec<_>>());
        assert!(mailbox.rx.try_recv().is_err());
    }
}

/// An entry committed while a new document's starting number is still being read is held,
/// then sent after that number: none lost, none twice.
#[tokio::test]
async fn an_entry_arriving_while_the_start_is_read_is_held_then_sent() {
    let f = fixture().await;
    for n in 1..=3 {
        f.hub
            .storage()
            .append(&f.org, &f.doc, &Bundle::new(vec![n]))
            .await
            .expect("append");
    }
    let key = (f.org.clone(), f.doc.clone());
    let (sub, mut mailbox) = f.hub.mailbox(8);
    let subscribing = {
        let (followed, key, sub) = (Arc::clone(&f.hub.followed), key.clone(), sub.clone());
        tokio::spawn(async move { followed.subscribe(key, &sub).await })
    };
    while !f.hub.followed.lock().contains_key(&key) {
        tokio::task::yield_now().await;
    }
    // As the committer hands over entries: one the read will count, one after it.
    let entry = |seq: u64| Entry {
        seq,
        hash: protocol::BundleHash::of(&[seq as u8]),
        data: vec![seq as u8],
    };
    f.hub.followed.deliver(&key, entry(3));
    f.hub.followed.deliver(&key, entry(4));
    assert_eq!(subscribing.await.expect("task").expect("sub"), 3);
    assert_eq!(next_seq(&mut mailbox).await, 4);
    assert!(mailbox.rx.try_recv().is_err());
}

/// A push of a bundle the log holds already (its first commit's answer was lost) still
/// brings the hub's subscribers up to the log: nothing else would announce that entry.
#[tokio::test]
async fn a_bundle_held_already_brings_subscribers_up_to_the_log() {
    let f = fixture().await;
    let (sub, mut mailbox) = f.hub.mailbox(8);
    assert_eq!(f.hub.subscribe(&f.org, &f.doc, &sub).await.expect("sub"), 0);
    let bundle = Bundle::new(vec![1]);
    // Committed without the hub hearing of it.
    f.hub
        .storage()
        .append(&f.org, &f.doc, &bundle)
        .await
        .expect("append");
    let again = f
        .hub
        .append(f.org.clone(), f.doc.clone(), bundle)
        .await
        .expect("append");
    assert_eq!((again.seq, again.new), (1, false));
    assert_eq!(next_seq(&mut mailbox).await, 1);
}
