//! Snapshots over the wire: the relay asks for one once a log is long, keeps it, sends it
//! to a device that starts from nothing (then the entries after it), drops what it covers,
//! and sends it to a device that comes back from before what it kept.

use super::*;

#[tokio::test]
async fn a_new_device_gets_the_snapshot_then_the_tail_and_a_long_log_asks_for_one() {
    let r = relay().await;
    let token = r.token("clinic").await;
    let mut desk = r.device("desk_a", &token).await;
    desk.subscribe("d", 0).await;
    assert!(desk.entries_until_caught_up().await.is_empty());
    for i in 1..=500u32 {
        desk.push("d", &i.to_be_bytes()).await;
        loop {
            // The desk's own entries come back as live entries too.
            match desk.message().await {
                ServerMessage::Ack { seq, .. } => {
                    assert_eq!(seq, u64::from(i));
                    break;
                }
                ServerMessage::Entries { .. } => {}
                other => panic!("unexpected {other:?}"),
            }
        }
    }
    // The 500th entry makes the log long enough to ask for a snapshot.
    let wanted = loop {
        match desk.message().await {
            ServerMessage::Entries { .. } => {}
            other => break other,
        }
    };
    assert_eq!(wanted, ServerMessage::SnapshotWanted { doc: doc("d") });
    let snapshot = Bundle::new(b"sealed snapshot of 1..=400".to_vec());
    desk.send(ClientMessage::PushSnapshot {
        doc: doc("d"),
        upto: 400,
        bundle: snapshot.clone(),
    })
    .await;

    // A snapshot is not answered: wait until the relay holds it.
    let org = OrgName::new("clinic").expect("valid");
    tokio::time::timeout(PATIENCE, async {
        while r
            .running
            .storage
            .snapshot(&org, &doc("d"))
            .await
            .expect("reads")
            .is_none()
        {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await
    .expect("the snapshot is stored in time");

    let mut tablet = r.device("new_tablet", &token).await;
    tablet.subscribe("d", 0).await;
    match tablet.message().await {
        ServerMessage::Snapshot {
            doc: d,
            snapshot: got,
        } => {
            assert_eq!(
                (d, got.seq, got.data),
                (doc("d"), 400, snapshot.data.clone())
            );
        }
        other => panic!("expected the snapshot, got {other:?}"),
    }
    let tail = tablet.entries_until_caught_up().await;
    assert_eq!(seqs(&tail), (401..=500).collect::<Vec<_>>());

    // The desk holds everything its snapshot does, and the tablet was sent it: the entries
    // it covers go (compaction follows the snapshot on the relay, so it is waited for).
    let kept = tokio::time::timeout(PATIENCE, async {
        loop {
            let kept = r
                .running
                .storage
                .read_after(&org, &doc("d"), 0, usize::MAX)
                .await;
            let kept = seqs(&kept.expect("reads"));
            if kept.len() == 100 {
                return kept;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("compacted in time");
    assert_eq!(kept, (401..=500).collect::<Vec<_>>());
    // A device back from before what is kept gets the snapshot too.
    let mut old = r.device("old_phone", &token).await;
    old.subscribe("d", 120).await;
    assert!(
        matches!(old.message().await, ServerMessage::Snapshot { snapshot, .. } if snapshot.seq == 400)
    );
    assert_eq!(
        seqs(&old.entries_until_caught_up().await),
        (401..=500).collect::<Vec<_>>()
    );
}
