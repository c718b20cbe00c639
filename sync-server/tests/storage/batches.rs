//! The conformance checks of group commit: batches in order and all or nothing, the quota
//! per organisation, and batches from several relays at once.

use std::sync::Arc;

use protocol::{Bundle, DocId};
use sync_server::storage::{Append, OverQuota, Storage};

use super::{all_seqs, bundle, doc, org};

/// A batch is appended in its order, to several documents and organisations at once; a
/// bundle already held, earlier in the batch included, keeps its number; and a batch the
/// database refuses one bundle of stores none of it.
pub async fn a_batch_appends_in_order_all_or_nothing(s: &dyn Storage) {
    let (a, b, d, e) = (org("a"), org("b"), doc("d"), doc("e"));
    s.create_org(&a).await.expect("org");
    s.create_org(&b).await.expect("org");
    s.append(&a, &d, &bundle("held")).await.expect("append");
    let (held, x, y, z) = (bundle("held"), bundle("x"), bundle("y"), bundle("z"));
    let at = |org, doc, bundle| Append { org, doc, bundle };
    let batch = [
        at(&a, &d, &x),
        at(&a, &e, &x),
        at(&b, &d, &x),
        at(&a, &d, &held),
        at(&a, &d, &y),
        at(&a, &d, &x),
        at(&b, &d, &z),
    ];
    let outcomes = s.append_batch(&batch, u64::MAX).await.expect("appends");
    let got: Vec<(u64, bool)> = outcomes
        .iter()
        .map(|o| o.expect("no quota"))
        .map(|o| (o.seq, o.new))
        .collect();
    assert_eq!(
        got,
        [
            (2, true),
            (1, true),
            (1, true),
            (1, false),
            (3, true),
            (2, false),
            (2, true)
        ]
    );
    let entries = s.read_after(&a, &d, 0, usize::MAX).await.expect("read");
    let bytes: Vec<&[u8]> = entries.iter().map(|e| e.data.as_slice()).collect();
    assert_eq!(bytes, [&b"held"[..], b"x", b"y"]);
    assert_eq!(all_seqs(s, &b, &d).await, [1, 2]);

    // An organisation that does not exist cannot hold a log: the whole batch is refused.
    let nobody = org("nobody");
    let refused = [at(&a, &d, &z), at(&nobody, &d, &z)];
    assert!(s.append_batch(&refused, u64::MAX).await.is_err());
    assert_eq!(all_seqs(s, &a, &d).await, [1, 2, 3], "nothing of it stored");
    assert!(s
        .append_batch(&[], u64::MAX)
        .await
        .expect("nothing to do")
        .is_empty());
}

/// An organisation's logs and snapshots count against its quota: a new bundle past it is
/// not stored (a bundle already held is acknowledged all the same), other organisations go
/// on, a snapshot is kept only within it (or when it shrinks what is stored), and dropped
/// entries give their bytes back.
pub async fn a_quota_bounds_what_an_organisation_stores(s: &dyn Storage) {
    const QUOTA: u64 = 1000;
    let (a, b, d, e) = (org("a"), org("b"), doc("d"), doc("e"));
    s.create_org(&a).await.expect("org");
    s.create_org(&b).await.expect("org");
    let sized = |n: usize, fill: u8| Bundle::new(vec![fill; n]);
    let (first, second, third, other) =
        (sized(600, 1), sized(300, 2), sized(200, 3), sized(600, 4));
    let at = |org, doc, bundle| Append { org, doc, bundle };
    let batch = [
        at(&a, &d, &first),
        at(&a, &d, &second),
        at(&a, &e, &third),
        at(&b, &d, &other),
        at(&a, &d, &first),
    ];
    let outcomes = s.append_batch(&batch, QUOTA).await.expect("appends");
    let seq = |n: usize| outcomes[n].expect("stored").seq;
    assert_eq!((seq(0), seq(1), seq(3), seq(4)), (1, 2, 1, 1));
    assert_eq!(
        outcomes[2],
        Err(OverQuota {
            stored: 900,
            quota: QUOTA
        })
    );
    assert!(
        !outcomes[4].expect("held").new,
        "already held: acknowledged"
    );
    assert_eq!(
        all_seqs(s, &a, &e).await,
        Vec::<u64>::new(),
        "nothing of it stored"
    );
    assert_eq!(s.stored_bytes(&a).await.expect("bytes"), 900);
    assert_eq!(s.stored_bytes(&b).await.expect("bytes"), 600);

    // A snapshot that would pass the quota is not kept; one that fits is, then compaction
    // drops the first entry (the last is always kept) and gives its bytes back.
    assert!(!s
        .store_snapshot(&a, &d, 2, &sized(250, 5), QUOTA)
        .await
        .expect("answers"));
    assert_eq!(s.stored_bytes(&a).await.expect("bytes"), 900);
    assert!(s
        .store_snapshot(&a, &d, 2, &sized(100, 5), QUOTA)
        .await
        .expect("stores"));
    assert_eq!(s.stored_bytes(&a).await.expect("bytes"), 1000);
    assert_eq!(s.compact(&a, &d).await.expect("compacts"), 1);
    assert_eq!(s.stored_bytes(&a).await.expect("bytes"), 400);
    let again = s
        .append_batch(&[at(&a, &e, &third)], QUOTA)
        .await
        .expect("appends");
    assert_eq!(again[0].expect("room now").seq, 1);
    assert_eq!(s.stored_bytes(&a).await.expect("bytes"), 600);

    // An organisation's own quota replaces the relay's, until it is taken away again.
    assert_eq!(s.org_quota(&a).await.expect("reads"), None);
    assert!(s.set_org_quota(&a, Some(2_000)).await.expect("sets"));
    assert!(!s
        .set_org_quota(&org("nobody"), Some(1))
        .await
        .expect("answers"));
    assert_eq!(s.org_quota(&a).await.expect("reads"), Some(2_000));
    let (big, more) = (sized(1_200, 6), sized(500, 7));
    let roomier = s
        .append_batch(&[at(&a, &e, &big)], QUOTA)
        .await
        .expect("appends");
    assert!(roomier[0].expect("within its own quota").new);
    assert!(s.set_org_quota(&a, None).await.expect("clears"));
    let back = s
        .append_batch(&[at(&a, &e, &more)], QUOTA)
        .await
        .expect("appends");
    assert_eq!(
        back[0],
        Err(OverQuota {
            stored: 1_800,
            quota: QUOTA
        })
    );
}

/// Several relays committing batches at once, each batch spanning documents in its own
/// order (the reverse of another's, as two relays' pushes arrive): no batch waits for ever
/// on another, every bundle is stored once, and each document's numbers run without a gap
/// in the order of the batches that held them.
pub async fn concurrent_batches_from_several_relays(relays: Vec<Arc<dyn Storage>>) {
    const BATCHES: usize = 12;
    const DOCS: usize = 5;
    let clinic = org("clinic");
    relays[0].create_org(&clinic).await.expect("org");
    let docs: Vec<DocId> = (0..DOCS)
        .map(|n| doc(&format!("board/site-{n}/main")))
        .collect();
    let mut tasks = Vec::new();
    for batch in 0..BATCHES {
        let relay = Arc::clone(&relays[batch % relays.len()]);
        let (clinic, mut order) = (clinic.clone(), docs.clone());
        if batch % 2 == 1 {
            order.reverse();
        }
        tasks.push(tokio::spawn(async move {
            let bundles: Vec<(DocId, Bundle)> = order
                .iter()
                .flat_map(|d| (0..3).map(move |i| (d.clone(), bundle(&format!("{batch} {d} {i}")))))
                .collect();
            let appends: Vec<Append<'_>> = bundles
                .iter()
                .map(|(d, b)| Append {
                    org: &clinic,
                    doc: d,
                    bundle: b,
                })
                .collect();
            let outcomes = relay
                .append_batch(&appends, u64::MAX)
                .await
                .expect("a batch");
            bundles
                .iter()
                .zip(outcomes)
                .map(|((d, b), o)| {
                    let o = o.expect("no quota");
                    assert!(o.new);
                    (d.clone(), b.hash, o.seq)
                })
                .collect::<Vec<_>>()
        }));
    }
    let mut acked = Vec::new();
    for task in tasks {
        let batch = task.await.expect("a relay's batch");
        // Within a batch, a document's bundles are numbered one after the other.
        for d in &docs {
            let numbers: Vec<u64> = batch
                .iter()
                .filter(|(bd, _, _)| bd == d)
                .map(|(_, _, seq)| *seq)
                .collect();
            assert!(
                numbers.windows(2).all(|w| w[1] == w[0] + 1),
                "{d}: {numbers:?}"
            );
        }
        acked.extend(batch);
    }
    for d in &docs {
        let entries = relays[1 % relays.len()]
            .read_after(&clinic, d, 0, usize::MAX)
            .await
            .expect("read");
        let expected: Vec<u64> = (1..=(BATCHES * 3) as u64).collect();
        let numbers: Vec<u64> = entries.iter().map(|e| e.seq).collect();
        assert_eq!(numbers, expected, "{d}: gap-free, each bundle once");
        for (_, hash, seq) in acked.iter().filter(|(ad, _, _)| ad == d) {
            assert_eq!(entries[(*seq - 1) as usize].hash, *hash, "{d} #{seq}");
        }
    }
}
