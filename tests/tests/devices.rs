//! Native devices against the real relay: each device runs the app's own [`Replica`] (the
//! same engine and documents as the browser) with a tokio-tungstenite socket instead of the
//! browser's, and the relay runs on port 0 with a temporary SQLite file.

use std::net::SocketAddr;
use std::time::Duration;

use automerge::ActorId;
use futures_util::{SinkExt, StreamExt};
use model::appointment::{parse_local_datetime, ValidBooking};
use model::schedule::{self, Schedule, Who};
use model::ProviderId;
use protocol::DocId;
use sync_engine::seal::{is_sealed, Keyring};
use sync_engine::{ConnectionState, Effect, Event, Replica};
use sync_server::{Config, OrgName, Running, Sites};
use tokio::sync::{mpsc, watch};
use tokio_tungstenite::tungstenite::Message;

/// How long a scenario may take before it counts as stuck. Generous: it only bounds a
/// failure, a passing run finishes as soon as the devices converge.
const PATIENCE: Duration = Duration::from_secs(30);

fn month() -> DocId {
    DocId::new("schedule/main/2026-11").expect("valid")
}

/// What a device shows, published after every event it handles.
#[derive(Clone, Debug, Default, PartialEq)]
struct Shown {
    patients: Vec<String>,
    waiting: usize,
    online: bool,
    /// The relay refused the month to this device's token.
    refused: bool,
    /// Whether entries of the month wait for keys this device was not given.
    waits_for_key: bool,
}

enum Command {
    Book(String),
}

/// Starts a device task that shows main's month; returns its command line and what it
/// shows.
fn spawn_device(
    name: &str,
    addr: SocketAddr,
    token: String,
) -> (mpsc::Sender<Command>, watch::Receiver<Shown>) {
    spawn_keyed_device(name, addr, token, None)
}

/// [`spawn_device`], sealing and opening with the organisation's `keys` when given.
fn spawn_keyed_device(
    name: &str,
    addr: SocketAddr,
    token: String,
    keys: Option<Keyring>,
) -> (mpsc::Sender<Command>, watch::Receiver<Shown>) {
    let (commands, mut inbox) = mpsc::channel::<Command>(64);
    let (shown_tx, shown) = watch::channel(Shown::default());
    let name = name.to_string();
    tokio::spawn(async move {
        let mut replica = Replica::new(name.clone(), ActorId::random(), 42);
        if let Some(keys) = keys {
            replica.set_keyring(keys, rand::random());
        }
        let mut pending: Vec<Effect> = replica.ensure_open(&month(), 0).expect("known doc");
        pending.extend(replica.handle(Event::Start { token }, 0));
        let (frames_tx, mut frames) = mpsc::unbounded_channel::<Event>();
        let mut sink: Option<mpsc::UnboundedSender<Vec<u8>>> = None;
        let mut reconnect_at: Option<tokio::time::Instant> = None;
        loop {
            for effect in std::mem::take(&mut pending) {
                match effect {
                    Effect::Connect { conn } => {
                        let url = format!("ws://{addr}/sync");
                        let events = frames_tx.clone();
                        let (out_tx, mut out_rx) = mpsc::unbounded_channel::<Vec<u8>>();
                        sink = Some(out_tx);
                        tokio::spawn(async move {
                            let Ok((ws, _)) = tokio_tungstenite::connect_async(url).await else {
                                let _ = events.send(Event::Disconnected { conn });
                                return;
                            };
                            let _ = events.send(Event::Connected { conn });
                            let (mut write, mut read) = ws.split();
                            loop {
                                tokio::select! {
                                    out = out_rx.recv() => match out {
                                        Some(bytes) => if write.send(Message::Binary(bytes.into())).await.is_err() { break },
                                        None => { let _ = write.close().await; break }
                                    },
                                    incoming = read.next() => match incoming {
                                        Some(Ok(Message::Binary(bytes))) => { let _ = events.send(Event::Frame { conn, bytes: bytes.to_vec() }); }
                                        Some(Ok(_)) => {}
                                        _ => break,
                                    },
                                }
                            }
                            let _ = events.send(Event::Disconnected { conn });
                        });
                    }
                    Effect::Close => sink = None,
                    Effect::Send(bytes) => {
                        if let Some(s) = &sink {
                            let _ = s.send(bytes);
                        }
                    }
                    Effect::ScheduleReconnect { after_ms } => {
                        reconnect_at =
                            Some(tokio::time::Instant::now() + Duration::from_millis(after_ms));
                    }
                    Effect::Apply { .. }
                    | Effect::Acked { .. }
                    | Effect::Status(_)
                    | Effect::Refused { .. }
                    | Effect::Wipe
                    | Effect::Devices { .. } => {}
                }
            }
            let doc = replica.doc(&month()).expect("open");
            let mut patients: Vec<String> = Schedule::read(doc.automerge())
                .expect("readable")
                .appointments
                .into_iter()
                .map(|a| a.patient_name)
                .collect();
            patients.sort();
            let status = replica.engine.status();
            shown_tx.send_replace(Shown {
                patients,
                waiting: status.waiting,
                online: status.state == ConnectionState::Online,
                refused: replica.engine.is_refused(&month()),
                waits_for_key: replica.waits_for_key(&month()),
            });
            let timer = async {
                match reconnect_at {
                    Some(at) => tokio::time::sleep_until(at).await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                command = inbox.recv() => match command {
                    Some(Command::Book(patient)) => {
                        let now = parse_local_datetime("2026-11-22T08:00").expect("valid");
                        let start = parse_local_datetime("2026-11-23T09:00").expect("valid");
                        let booking = ValidBooking::new(&patient, ProviderId::from("dr-a"), start, 15);
                        let who = Who { device: name.clone(), staff: None };
                        let (_, bundle, effects) = replica
                            .edit(&month(), 0, |d| schedule::book(d, &booking, &who, now))
                            .expect("books");
                        pending.extend(effects);
                        pending.extend(replica.queue(&month(), bundle.expect("changed"), 0));
                    }
                    None => return,
                },
                Some(event) = frames.recv() => pending.extend(replica.handle(event, 0)),
                () = timer => {
                    reconnect_at = None;
                    pending.extend(replica.handle(Event::ReconnectDue, 0));
                }
            }
        }
    });
    (commands, shown)
}

async fn relay() -> (Running, String, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = Config::new("127.0.0.1:0".parse().expect("addr"), dir.path());
    let running = sync_server::start(config).await.expect("relay starts");
    let token = token_for(&running, Sites::All).await;
    (running, token, dir)
}

/// What the relay holds of main's month.
async fn relay_log(running: &Running) -> Vec<protocol::Entry> {
    let (org, month) = (OrgName::new("clinic").expect("valid"), month());
    let log = running.storage.read_after(&org, &month, 0, usize::MAX);
    log.await.expect("reads")
}

/// A token of organisation "clinic" for the documents of `sites`.
async fn token_for(running: &Running, sites: Sites) -> String {
    let org = OrgName::new("clinic").expect("valid");
    let token = running.storage.create_token(&org, "test", &sites).await;
    token.expect("token").secret.expose().to_string()
}

async fn wait_until(
    device: &mut watch::Receiver<Shown>,
    what: &str,
    done: impl FnMut(&Shown) -> bool,
) -> Shown {
    let result = tokio::time::timeout(PATIENCE, device.wait_for(done))
        .await
        .map(|r| r.map(|shown| shown.clone()));
    match result {
        Ok(Ok(shown)) => shown,
        _ => panic!(
            "timed out waiting until {what}; device shows {:?}",
            device.borrow()
        ),
    }
}

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
