//! Native devices against the real relay (see `device`): converging, catching up after a
//! restart, site scopes, and sealed storage.

mod device;

use device::*;
use sync_engine::seal::{is_sealed, Keyring};
use sync_server::Config;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_devices_converge_through_the_real_relay() {
    let (running, token, _dir) = relay().await;
    let names = ["desk_a", "desk_b", "manager_phone"];
    let devices: Vec<_> = names
        .iter()
        .map(|n| spawn_device(n, running.addr, token.clone()))
        .collect();
    for (_, shown) in &devices {
        wait_until(&mut shown.clone(), "online", |s| s.online).await;
    }
    let mut expected = Vec::new();
    for round in 0..4 {
        for (name, (commands, _)) in names.iter().zip(&devices) {
            let patient = format!("Patient {name} {round}");
            commands
                .send(Command::Book(patient.clone()))
                .await
                .expect("device runs");
            expected.push(patient);
        }
    }
    expected.sort();
    for ((_, shown), name) in devices.iter().zip(names) {
        let got = wait_until(
            &mut shown.clone(),
            &format!("{name} has all 12 and nothing waiting"),
            |s| s.patients.len() == expected.len() && s.waiting == 0,
        )
        .await;
        assert_eq!(got.patients, expected, "{name}");
    }
    let log = relay_log(&running).await;
    assert_eq!(log.len(), 12, "one entry per booking, none duplicated");
    running.shutdown().await.expect("stops");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_that_booked_while_the_relay_was_down_catches_up_after_restart() {
    let (running, token, dir) = relay().await;
    let addr = running.addr;
    let (desk_a, mut shown_a) = spawn_device("desk_a", addr, token.clone());
    wait_until(&mut shown_a, "online", |s| s.online).await;
    running.shutdown().await.expect("stops");
    wait_until(&mut shown_a, "offline", |s| !s.online).await;

    desk_a
        .send(Command::Book("Quinn Outage".into()))
        .await
        .expect("runs");
    let shown = wait_until(&mut shown_a, "the booking waits", |s| s.waiting == 1).await;
    assert_eq!(shown.patients, ["Quinn Outage"]);

    // The relay comes back on the same address and data.
    let mut config = Config::new(addr, dir.path());
    config.dist_dir = None;
    let running = sync_server::start(config).await.expect("relay restarts");
    wait_until(&mut shown_a, "the booking is acknowledged", |s| {
        s.online && s.waiting == 0
    })
    .await;
    let (_desk_b, mut shown_b) = spawn_device("desk_b", addr, token);
    let shown = wait_until(&mut shown_b, "desk B sees it", |s| s.patients.len() == 1).await;
    assert_eq!(shown.patients, ["Quinn Outage"]);
    running.shutdown().await.expect("stops");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_enrolled_for_another_site_keeps_its_booking_and_the_relay_stores_none_of_it() {
    let (running, token, _dir) = relay().await;
    let hillside_only = token_for(&running, "hillside".parse().expect("sites")).await;
    let (elsewhere, mut shown_elsewhere) =
        spawn_device("hillside_desk", running.addr, hillside_only);
    wait_until(&mut shown_elsewhere, "online", |s| s.online).await;
    elsewhere
        .send(Command::Book("Quinn Elsewhere".into()))
        .await
        .expect("runs");
    wait_until(
        &mut shown_elsewhere,
        "main's month is refused, the booking kept and waiting",
        |s| s.online && s.refused && s.waiting == 1 && s.patients == ["Quinn Elsewhere"],
    )
    .await;

    let (desk, mut shown) = spawn_device("main_desk", running.addr, token);
    wait_until(&mut shown, "online", |s| s.online).await;
    desk.send(Command::Book("Avery Main".into()))
        .await
        .expect("runs");
    let got = wait_until(&mut shown, "main's desk has its booking saved", |s| {
        s.patients.len() == 1 && s.waiting == 0
    })
    .await;
    assert_eq!(got.patients, ["Avery Main"], "nothing of the other desk's");
    let log = relay_log(&running).await;
    assert_eq!(log.len(), 1, "only main's desk's booking reached the relay");
    let still = shown_elsewhere.borrow().clone();
    assert_eq!(
        (still.patients, still.waiting, still.refused),
        (vec!["Quinn Elsewhere".to_string()], 1, true)
    );
    running.shutdown().await.expect("stops");
}

/// Two desks of a keyed organisation book synthetic patients: every entry the relay holds
/// is sealed, and a byte scan of its database and write-ahead log finds none of the names.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_relay_stores_only_sealed_bundles_and_no_patient_name() {
    let (running, token, dir) = relay().await;
    let keys = Keyring::generate(rand::random());
    let desks: Vec<_> = ["desk_a", "desk_b"]
        .iter()
        .map(|n| spawn_keyed_device(n, running.addr, token.clone(), Some(keys.clone())))
        .collect();
    let mut names = Vec::new();
    for round in 0..3 {
        for (i, (commands, _)) in desks.iter().enumerate() {
            let patient = format!("Quillon Vantreece {i}{round}");
            commands
                .send(Command::Book(patient.clone()))
                .await
                .expect("runs");
            names.push(patient);
        }
    }
    names.sort();
    for (_, shown) in &desks {
        let got = wait_until(&mut shown.clone(), "both have all six", |s| {
            s.patients.len() == names.len() && s.waiting == 0
        })
        .await;
        assert_eq!(got.patients, names);
    }
    let log = relay_log(&running).await;
    assert_eq!(log.len(), 6);
    assert!(
        log.iter().all(|e| is_sealed(&e.data)),
        "every entry is sealed"
    );
    running.shutdown().await.expect("stops");
    let mut scanned = 0;
    for file in std::fs::read_dir(dir.path()).expect("lists") {
        let bytes = std::fs::read(file.expect("entry").path()).expect("reads");
        scanned += bytes.len();
        for name in names
            .iter()
            .map(String::as_str)
            .chain(["Quillon", "Vantreece"])
        {
            let found = bytes.windows(name.len()).any(|w| w == name.as_bytes());
            assert!(!found, "{name} is readable in the relay's files");
        }
    }
    assert!(scanned > 0, "the relay's files were scanned");
}

/// A device without the keys keeps the sealed entries it cannot open out of its documents
/// and knows they wait for keys; it shows none of the patients.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_without_the_keys_shows_nothing_of_a_sealed_booking() {
    let (running, token, _dir) = relay().await;
    let (desk, mut shown) = spawn_keyed_device(
        "desk",
        running.addr,
        token.clone(),
        Some(Keyring::generate(rand::random())),
    );
    desk.send(Command::Book("Quillon Keyless".into()))
        .await
        .expect("runs");
    wait_until(&mut shown, "stored", |s| {
        s.waiting == 0 && s.patients.len() == 1
    })
    .await;
    let (_bare, mut bare) = spawn_device("bare", running.addr, token);
    let got = wait_until(&mut bare, "the sealed entry arrived", |s| s.waits_for_key).await;
    assert!(got.patients.is_empty());
    running.shutdown().await.expect("stops");
}
