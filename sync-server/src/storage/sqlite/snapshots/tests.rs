//! Snapshots kept, served and used to drop entries only as far as every device has read.

use crate::org::OrgName;
use crate::sites::Sites;
use crate::storage::sqlite::tests::{db, Db};
use crate::storage::sqlite::SqliteStorage;
use crate::storage::Storage;
use protocol::{Bundle, DocId};

async fn seqs(s: &SqliteStorage, org: &OrgName, doc: &DocId) -> Vec<u64> {
    let entries = s.read_after(org, doc, 0, usize::MAX).await.expect("reads");
    entries.iter().map(|e| e.seq).collect()
}

/// A log of `n` entries in organisation "clinic".
async fn log_of(s: &SqliteStorage, n: u8) -> (OrgName, DocId) {
    let (org, doc) = (
        OrgName::new("clinic").expect("org"),
        DocId::new("schedule/main/2026-11").expect("doc"),
    );
    s.create_org(&org).await.expect("org");
    for i in 1..=n {
        s.append(&org, &doc, &Bundle::new(vec![i]))
            .await
            .expect("append");
    }
    (org, doc)
}

#[tokio::test]
async fn a_snapshot_is_kept_only_when_it_reaches_further_and_the_log_does() {
    let Db { storage: s, .. } = &db();
    let (org, doc) = log_of(s, 5).await;
    let snap = |n: u8| Bundle::new(vec![100 + n]);
    assert!(
        !s.store_snapshot(&org, &doc, 6, &snap(6))
            .await
            .expect("stores"),
        "past the log"
    );
    assert!(
        !s.store_snapshot(&org, &doc, 0, &snap(0))
            .await
            .expect("stores"),
        "empty"
    );
    assert!(s
        .store_snapshot(&org, &doc, 3, &snap(3))
        .await
        .expect("stores"));
    assert!(
        !s.store_snapshot(&org, &doc, 2, &snap(2))
            .await
            .expect("stores"),
        "older"
    );
    assert!(s
        .store_snapshot(&org, &doc, 4, &snap(4))
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
#[tokio::test]
async fn compaction_keeps_every_entry_a_device_still_needs() {
    let Db { storage: s, .. } = &db();
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
        .store_snapshot(&org, &doc, 5, &Bundle::new(vec![9]))
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
    assert_eq!(seqs(s, &org, &doc).await, [3, 4, 5, 6]);
    assert_eq!(s.floor(&org, &doc).await.expect("floor"), 2);
    s.note_cursor(&desk.id, "Front desk 2", &org, &doc, 6)
        .await
        .expect("notes");
    assert_eq!(
        s.compact(&org, &doc).await.expect("compacts"),
        3,
        "up to the snapshot"
    );
    assert_eq!(seqs(s, &org, &doc).await, [6]);
    assert!(s
        .store_snapshot(&org, &doc, 6, &Bundle::new(vec![10]))
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
