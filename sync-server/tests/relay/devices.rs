//! A manager's token lists and revokes its organisation's devices; every token stores its
//! device's public key and fetches the keys wrapped for it.

use super::*;

/// Whether the token may manage, and each token's label, whether it is revoked and whether
/// it is the asking device's, by label, from a `Devices` answer.
fn listed(message: ServerMessage) -> (bool, Vec<(String, bool, bool)>) {
    match message {
        ServerMessage::Devices {
            allowed, devices, ..
        } => {
            let mut list: Vec<_> = devices
                .into_iter()
                .map(|d| (d.label, d.revoked_secs.is_some(), d.this_device))
                .collect();
            list.sort();
            (allowed, list)
        }
        other => panic!("expected Devices, got {other:?}"),
    }
}

#[tokio::test]
async fn a_managers_token_lists_and_revokes_its_organisations_devices_and_no_other_token_may() {
    let r = relay().await;
    let storage = &r.running.storage;
    let make = |org: &'static str, label: &'static str| async move {
        let org = sync_server::OrgName::new(org).expect("valid");
        let token = storage
            .create_token(&org, label, &Sites::All)
            .await
            .expect("token");
        (token.id, token.secret.expose().to_string())
    };
    let (phone_id, phone) = make("clinic", "manager phone").await;
    assert!(storage.allow_managing(&phone_id).await.expect("allows"));
    let (tablet_id, tablet) = make("clinic", "front desk").await;
    let (other_id, _) = make("other", "elsewhere").await;

    // A front-desk token may neither list nor revoke.
    let mut desk = r.device("desk_a", &tablet).await;
    desk.send(ClientMessage::ListDevices).await;
    assert_eq!(listed(desk.message().await), (false, vec![]));
    desk.send(ClientMessage::RevokeDevice {
        id: phone_id.clone(),
    })
    .await;
    assert_eq!(listed(desk.message().await), (false, vec![]));

    // The manager's phone lists its organisation's tokens only, itself marked.
    let mut manager = r.device("manager_phone", &phone).await;
    manager.send(ClientMessage::ListDevices).await;
    let expected = |tablet_revoked| {
        (
            true,
            vec![
                ("front desk".to_string(), tablet_revoked, false),
                ("manager phone".to_string(), false, true),
            ],
        )
    };
    assert_eq!(listed(manager.message().await), expected(false));
    // Another organisation's token is not its to revoke.
    manager
        .send(ClientMessage::RevokeDevice {
            id: other_id.clone(),
        })
        .await;
    assert_eq!(listed(manager.message().await), expected(false));
    let others = storage.list_tokens(None).await.expect("lists");
    assert!(others.iter().all(|t| t.revoked_at.is_none()));
    manager
        .send(ClientMessage::RevokeDevice { id: tablet_id })
        .await;
    assert_eq!(listed(manager.message().await), expected(true));

    // The tablet is told to wipe at its next connection.
    let mut again = Device::connect("desk_a", r.addr()).await;
    again.hello(&tablet).await;
    again.expect_refused(ErrorCode::Revoked).await;
}

/// Any token stores its device's key and fetches what was wrapped for it; only a managing
/// token stores wrapped keys, and a revocation asks it for a new epoch.
#[tokio::test]
async fn device_keys_go_through_the_relay_as_opaque_records() {
    let r = relay().await;
    let storage = &r.running.storage;
    let org = sync_server::OrgName::new("clinic").expect("valid");
    let phone = storage
        .create_token(&org, "phone", &Sites::All)
        .await
        .expect("token");
    assert!(storage.allow_managing(&phone.id).await.expect("allows"));
    let tablet = storage
        .create_token(&org, "tablet", &Sites::All)
        .await
        .expect("token");
    let mut desk = r.device("Front desk 2", tablet.secret.expose()).await;
    let enrol = ClientMessage::Enrol {
        public: [3; 32],
        epoch: 0,
        proof: [4; 32],
    };
    desk.send(enrol).await;
    let key = |byte| protocol::WrappedKey {
        token: tablet.id.clone(),
        public: [3; 32],
        epoch: 1,
        blob: vec![byte; 90],
    };
    let post = |byte| ClientMessage::PostKeys {
        epoch: 1,
        rotation: false,
        keys: vec![key(byte)],
    };
    desk.send(post(1)).await;
    assert_eq!(
        desk.message().await,
        ServerMessage::KeysStored {
            epoch: 1,
            stored: false
        }
    );

    let mut manager = r.device("Manager phone", phone.secret.expose()).await;
    manager.send(ClientMessage::ListDevices).await;
    let ServerMessage::Devices {
        devices, rotate, ..
    } = manager.message().await
    else {
        panic!("a list");
    };
    let listed = devices
        .iter()
        .find(|d| d.id == tablet.id)
        .expect("the tablet");
    let enrolment = listed.enrolments.first().cloned().expect("its key");
    assert_eq!(
        (enrolment.public, enrolment.name.as_str(), rotate),
        ([3; 32], "Front desk 2", false)
    );
    manager.send(post(2)).await;
    assert_eq!(
        manager.message().await,
        ServerMessage::KeysStored {
            epoch: 1,
            stored: true
        }
    );
    desk.send(ClientMessage::FetchKeys { public: [3; 32] })
        .await;
    assert_eq!(
        desk.message().await,
        ServerMessage::Keys { keys: vec![key(2)] }
    );

    manager
        .send(ClientMessage::RevokeDevice {
            id: tablet.id.clone(),
        })
        .await;
    let ServerMessage::Devices { rotate, .. } = manager.message().await else {
        panic!("a list");
    };
    assert!(rotate, "the tablet held epoch 1");
}
