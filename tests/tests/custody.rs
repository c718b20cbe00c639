//! Device keys through the real relay (see `device`): a new tablet enrolled from a
//! manager's device reads the schedule, and after a revocation the manager's device makes a
//! new key epoch that the other devices read and the revoked one cannot.

mod device;

use device::*;
use sync_engine::seal::wrap::DeviceKey;
use sync_engine::seal::{Keyring, OpenError};
use sync_server::storage::TokenInfo;
use sync_server::{OrgName, Running, Sites};

async fn managing_token(running: &Running) -> String {
    let token = token_for(running, Sites::All).await;
    let id = protocol::token_id(&token);
    assert!(running.storage.allow_managing(&id).await.expect("stored"));
    token
}

/// What the relay lists of the token with public id `id`.
async fn listed(running: &Running, id: &str) -> TokenInfo {
    let org = OrgName::new("clinic").expect("valid");
    let tokens = running
        .storage
        .list_tokens(Some(&org))
        .await
        .expect("lists");
    tokens.into_iter().find(|t| t.id == id).expect("listed")
}

/// A tablet that opened the manager's link sends its key with the link's proof, shows
/// nothing until the manager's device approves it, then reads the sealed schedule.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tablet_enrolled_from_the_managers_device_reads_the_schedule() {
    let (running, _, _dir) = relay().await;
    let manager_token = managing_token(&running).await;
    let keys = Keyring::generate(rand::random());
    let link: [u8; 16] = rand::random();
    let (manager, mut manager_shown) = spawn_set_up(
        "Manager phone",
        running.addr,
        manager_token,
        Setup {
            keys: Some(keys.clone()),
            device_key: Some(DeviceKey::from_random(rand::random())),
            made_links: vec![link],
            ..Setup::default()
        },
    );
    manager
        .send(Command::Book("Quillon Enrolee".into()))
        .await
        .expect("runs");
    wait_until(&mut manager_shown, "stored", |s| s.waiting == 0 && s.online).await;

    let tablet_token = token_for(&running, Sites::All).await;
    let (_tablet, mut tablet_shown) = spawn_set_up(
        "Front desk 3",
        running.addr,
        tablet_token.clone(),
        Setup {
            device_key: Some(DeviceKey::from_random(rand::random())),
            link_secret: Some(link),
            ..Setup::default()
        },
    );
    let before = wait_until(&mut tablet_shown, "the sealed booking arrived", |s| {
        s.waits_for_key
    })
    .await;
    assert!(before.patients.is_empty());
    // The person opens Settings → Devices on the manager's phone (which lists the devices)
    // until the tablet shows there; the manager's device approves it.
    let approved = tokio::time::timeout(PATIENCE, async {
        loop {
            manager.send(Command::ListDevices).await.expect("runs");
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            if tablet_shown.borrow().epoch == 1 {
                break;
            }
        }
    });
    approved.await.expect("approved in time");
    let after = wait_until(&mut tablet_shown, "it reads the schedule", |s| {
        !s.waits_for_key && s.patients.len() == 1
    })
    .await;
    assert_eq!(after.patients, ["Quillon Enrolee"]);
    // Once it holds the keys it vouches for itself with them: a message of its own, which
    // may reach the relay a moment after the schedule showed, so the list is read until
    // it has (or patience runs out, and the assertion below says what it holds).
    let id = protocol::token_id(&tablet_token);
    let deadline = tokio::time::Instant::now() + PATIENCE;
    let mut tablet = listed(&running, &id).await;
    while tablet
        .enrolments
        .iter()
        .any(|e| e.key_epoch != Some(1) || e.epoch != 1)
        && tokio::time::Instant::now() < deadline
    {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        tablet = listed(&running, &id).await;
    }
    let [enrolment] = tablet.enrolments.as_slice() else {
        panic!("one device: {:?}", tablet.enrolments);
    };
    assert_eq!((enrolment.epoch, enrolment.key_epoch), (1, Some(1)));
    running.shutdown().await.expect("stops");
}

/// After revoking device C, devices A and B read what is sealed with the new key; C's
/// keys do not open it, and the relay holds no key of the new epoch for C.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_revocation_the_others_read_the_new_epoch_and_the_revoked_device_cannot() {
    let (running, _, _dir) = relay().await;
    let keys = Keyring::generate(rand::random());
    let set_up = |made: Vec<[u8; 16]>| Setup {
        keys: Some(keys.clone()),
        device_key: Some(DeviceKey::from_random(rand::random())),
        made_links: made,
        ..Setup::default()
    };
    let a_token = managing_token(&running).await;
    let (b_token, c_token) = (
        token_for(&running, Sites::All).await,
        token_for(&running, Sites::All).await,
    );
    let (a, mut a_shown) = spawn_set_up("Manager phone", running.addr, a_token, set_up(Vec::new()));
    let (_b, mut b_shown) = spawn_set_up("Desk B", running.addr, b_token, set_up(Vec::new()));
    let (_c, mut c_shown) =
        spawn_set_up("Desk C", running.addr, c_token.clone(), set_up(Vec::new()));
    a.send(Command::Book("Quillon Before".into()))
        .await
        .expect("runs");
    for shown in [&mut a_shown, &mut b_shown, &mut c_shown] {
        wait_until(shown, "the first booking everywhere", |s| {
            s.patients.len() == 1
        })
        .await;
    }

    let c_id = protocol::token_id(&c_token);
    assert!(running.storage.revoke_token(&c_id).await.expect("revokes"));
    a.send(Command::ListDevices).await.expect("runs");
    wait_until(&mut a_shown, "a new epoch", |s| s.epoch == 2).await;
    a.send(Command::Book("Quillon After".into()))
        .await
        .expect("runs");
    let b = wait_until(&mut b_shown, "B reads the new epoch", |s| {
        s.patients.len() == 2 && !s.waits_for_key
    })
    .await;
    assert_eq!(b.patients, ["Quillon After", "Quillon Before"]);
    assert_eq!(b.epoch, 2);

    let log = relay_log(&running).await;
    let newest = log.last().expect("an entry");
    assert_eq!(
        keys.open(&month(), &newest.data),
        Err(OpenError::NoKey { epoch: 2 }),
        "C's keys do not open what was sealed after its revocation"
    );
    let c = listed(&running, &c_id).await;
    let c_public = c.enrolments[0].public;
    let c_keys = running
        .storage
        .wrapped_keys(&c_id, c_public)
        .await
        .expect("reads");
    assert!(
        c_keys.iter().all(|k| k.epoch < 2),
        "no new key was wrapped for C"
    );
    assert!(!c_shown
        .borrow()
        .patients
        .contains(&"Quillon After".to_string()));
    let org = OrgName::new("clinic").expect("valid");
    assert!(!running.storage.rotation_wanted(&org).await.expect("reads"));
    running.shutdown().await.expect("stops");
}
