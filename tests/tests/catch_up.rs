//! A new tablet catches up a busy month from the relay's snapshot and the entries after it,
//! the same month a tablet on a relay without snapshots reads from the whole log; the relay
//! then drops the entries the snapshot covers. An organisation's plain log from before
//! encryption is replaced by a sealed snapshot. Prints the figures (run with `--nocapture`);
//! asserts only what the tablets show and what the relay keeps.

mod device;

use std::time::Instant;

use device::*;
use sync_engine::seal::wrap::DeviceKey;
use sync_engine::seal::{is_sealed, Keyring};
use sync_server::{OrgName, Running, Sites};

/// How long booking or reading the month may take in a debug build before it counts as
/// stuck.
const SLOW: std::time::Duration = std::time::Duration::from_secs(300);

/// A busy month of one site: three providers, 25 appointments a day, 20 days.
const BOOKINGS: usize = 1_500;

/// What the relay holds of main's month: its entries' bytes, how many, and its snapshot's.
async fn held(running: &Running) -> (usize, usize, usize) {
    let (org, doc) = (OrgName::new("clinic").expect("valid"), month());
    let entries = relay_log(running).await;
    let snapshot = running.storage.snapshot(&org, &doc).await.expect("reads");
    (
        entries.iter().map(|e| e.data.len()).sum(),
        entries.len(),
        snapshot.map_or(0, |s| s.data.len()),
    )
}

/// Books the busy month on a desk, then opens a new tablet; returns how long the tablet
/// took to show every booking, and what the relay held before and after.
async fn month_then_new_tablet(snapshots: bool) -> (std::time::Duration, (usize, usize, usize)) {
    let (running, token, _dir) = relay().await;
    let keys = Keyring::generate(rand::random());
    let setup = |no_snapshots| Setup {
        keys: Some(keys.clone()),
        device_key: Some(DeviceKey::from_random(rand::random())),
        no_snapshots,
        ..Setup::default()
    };
    let (desk, mut desk_shown) = spawn_set_up(
        "Front desk 1",
        running.addr,
        token.clone(),
        setup(!snapshots),
    );
    for i in 0..BOOKINGS {
        desk.send(Command::Book(format!("Synthetic Patient {i:04}")))
            .await
            .expect("runs");
    }
    wait_within(SLOW, &mut desk_shown, "every booking stored", |s| {
        s.count == BOOKINGS && s.waiting == 0
    })
    .await;
    if snapshots {
        // The desk sends its snapshot once its edits are all in the log.
        let (org, doc) = (OrgName::new("clinic").expect("valid"), month());
        tokio::time::timeout(SLOW, async {
            while running
                .storage
                .snapshot(&org, &doc)
                .await
                .expect("reads")
                .is_none()
            {
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
        })
        .await
        .expect("a snapshot in time");
    }
    let started = Instant::now();
    let (_tablet, mut tablet_shown) = spawn_set_up("New tablet", running.addr, token, setup(true));
    wait_within(
        SLOW,
        &mut tablet_shown,
        "the new tablet shows the month",
        |s| s.count == BOOKINGS && !s.waits_for_key,
    )
    .await;
    let took = started.elapsed();
    let after = held(&running).await;
    running.shutdown().await.expect("stops");
    (took, after)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_tablet_catches_up_a_busy_month_from_a_snapshot_and_the_relay_drops_what_it_covers() {
    let (from_log, full) = month_then_new_tablet(false).await;
    let (from_snapshot, compacted) = month_then_new_tablet(true).await;
    assert_eq!(full.1, BOOKINGS, "without snapshots the whole log stays");
    assert!(compacted.2 > 0, "a snapshot is kept");
    assert!(
        compacted.1 < BOOKINGS,
        "entries the snapshot covers are dropped: {} kept",
        compacted.1
    );
    eprintln!(
        "catch-up of {BOOKINGS} bookings: {} ms from the whole log, {} ms from snapshot + tail",
        from_log.as_millis(),
        from_snapshot.as_millis()
    );
    eprintln!(
        "relay storage of the month: {} entries, {} bytes without snapshots; {} entries, {} bytes + a {}-byte snapshot after compaction",
        full.1, full.0, compacted.1, compacted.0, compacted.2
    );
}

/// An organisation from before encryption: a desk wrote plain entries; once a manager's
/// device holds the keys, it sends a sealed snapshot in their place, a new tablet catches
/// up from it, and once the desk has come back past it the relay holds none of the plain
/// entries.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_managers_device_replaces_an_old_organisations_plain_log_with_a_sealed_snapshot() {
    let (running, token, _dir) = relay().await;
    let (desk, mut desk_shown) = spawn_device("Desk A", running.addr, token.clone());
    for name in ["Quillon Plainfield", "Marisol Oldlog", "Tobin Beforekeys"] {
        desk.send(Command::Book(name.into())).await.expect("runs");
    }
    wait_until(&mut desk_shown, "three plain bookings stored", |s| {
        s.count == 3 && s.waiting == 0
    })
    .await;
    assert!(relay_log(&running)
        .await
        .iter()
        .all(|e| !is_sealed(&e.data)));

    let manager = token_for(&running, Sites::All).await;
    let manager_id = protocol::token_id(&manager);
    let manages = running.storage.allow_managing(&manager_id).await;
    assert!(manages.expect("stored"));
    let keys = Keyring::generate(rand::random());
    let setup = Setup {
        keys: Some(keys.clone()),
        device_key: Some(DeviceKey::from_random(rand::random())),
        ..Setup::default()
    };
    let (_phone, mut phone_shown) = spawn_set_up("Manager phone", running.addr, manager, setup);
    wait_until(&mut phone_shown, "the phone reads the plain log", |s| {
        s.count == 3
    })
    .await;
    let (org, doc) = (OrgName::new("clinic").expect("valid"), month());
    let snapshot = tokio::time::timeout(PATIENCE, async {
        loop {
            if let Some(s) = running.storage.snapshot(&org, &doc).await.expect("reads") {
                return s;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    })
    .await
    .expect("the phone sent a snapshot");
    assert!(is_sealed(&snapshot.data), "the snapshot is sealed");
    assert_eq!(snapshot.seq, 3, "it covers the whole plain log");

    let (_tablet, mut tablet_shown) =
        spawn_keyed_device("New tablet", running.addr, token.clone(), Some(keys));
    let got = wait_until(&mut tablet_shown, "the tablet reads it", |s| s.count == 3).await;
    assert_eq!(
        got.patients,
        ["Marisol Oldlog", "Quillon Plainfield", "Tobin Beforekeys"]
    );

    // The desk comes back: its next subscription starts after what it holds.
    let desk_id = protocol::token_id(&token);
    running
        .storage
        .note_cursor(&desk_id, "Desk A", &org, &doc, 3)
        .await
        .expect("notes");
    running.storage.compact(&org, &doc).await.expect("compacts");
    let kept = relay_log(&running).await;
    assert!(
        kept.iter().all(|e| e.seq > 2),
        "plain entries covered by the snapshot are gone"
    );
    running.shutdown().await.expect("stops");
}
