//! A native device for the tests against the real relay: it runs the app's own [`Replica`]
//! (the same engine and documents as the browser) with a tokio-tungstenite socket instead
//! of the browser's, and, like the browser's driver, sends its public key, asks for and
//! opens the keys wrapped for it, and on a manager's token approves, catches up and rotates
//! (`sync_engine::custody`). The relay runs on port 0 with a temporary SQLite file.
//!
//! Each test file uses part of it.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::time::Duration;

use automerge::ActorId;
use automerge::ReadDoc;
use futures_util::{SinkExt, StreamExt};
use model::appointment::{parse_local_datetime, ValidBooking};
use model::document::maps;
use model::schedule::{self, Schedule, Who};
use model::{Document, ProviderId};
use protocol::{ClientMessage, DocId, Entry};
use sync_engine::custody;
use sync_engine::seal::wrap::DeviceKey;
use sync_engine::seal::{open_any, Keyring};
use sync_engine::{ConnectionState, Effect, Event, Replica};
use sync_server::{Config, OrgName, Running, Sites};
use tokio::sync::{mpsc, watch};
use tokio_tungstenite::tungstenite::Message;

/// How long a scenario may take before it counts as stuck. Generous: it only bounds a
/// failure, a passing run finishes as soon as the devices converge.
pub const PATIENCE: Duration = Duration::from_secs(30);

/// How long a device waits before asking again for keys it lacks.
const KEYS_AGAIN: Duration = Duration::from_millis(200);

pub fn month() -> DocId {
    DocId::new("schedule/main/2026-11").expect("valid")
}

/// What a device shows, published after every event it handles.
#[derive(Clone, Default, PartialEq)]
pub struct Shown {
    /// The month's patients, sorted, while it holds at most [`NAMED`] appointments.
    pub patients: Vec<String>,
    /// How many appointments the month holds.
    pub count: usize,
    pub waiting: usize,
    pub online: bool,
    /// The relay refused the month to this device's token.
    pub refused: bool,
    /// Whether entries of the month wait for keys this device was not given.
    pub waits_for_key: bool,
    /// The epoch of the keys it seals with; 0 without keys.
    pub epoch: u32,
    /// The relay ordered it to wipe itself.
    pub wiped: bool,
}

/// Up to how many appointments a device publishes their names (reading a month costs more
/// as it grows, and the device publishes after every event).
pub const NAMED: usize = 100;

impl std::fmt::Debug for Shown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} appointments {:?}, {} waiting, online {}, refused {}, waits for key {}, epoch {}, wiped {}",
            self.count,
            &self.patients[..self.patients.len().min(5)],
            self.waiting,
            self.online,
            self.refused,
            self.waits_for_key,
            self.epoch,
            self.wiped
        )
    }
}

pub enum Command {
    Book(String),
    /// Ask the relay for the organisation's devices, as Settings → Devices does.
    ListDevices,
}

/// How a device starts: the keys it holds, and its place in enrolment.
#[derive(Default)]
pub struct Setup {
    pub keys: Option<Keyring>,
    /// Its own key pair: it then enrols, and takes keys wrapped for it.
    pub device_key: Option<DeviceKey>,
    /// The secret of the link it was set up with.
    pub link_secret: Option<[u8; 16]>,
    /// Secrets of links it made: it approves the devices that opened them (a manager's
    /// device, where a person taps Approve).
    pub made_links: Vec<[u8; 16]>,
    /// It does not send the snapshots the relay asks for.
    pub no_snapshots: bool,
}

/// Starts a device task that shows main's month; returns its command line and what it
/// shows.
pub fn spawn_device(
    name: &str,
    addr: SocketAddr,
    token: String,
) -> (mpsc::Sender<Command>, watch::Receiver<Shown>) {
    spawn_keyed_device(name, addr, token, None)
}

/// [`spawn_device`], sealing and opening with the organisation's `keys` when given.
pub fn spawn_keyed_device(
    name: &str,
    addr: SocketAddr,
    token: String,
    keys: Option<Keyring>,
) -> (mpsc::Sender<Command>, watch::Receiver<Shown>) {
    spawn_set_up(
        name,
        addr,
        token,
        Setup {
            keys,
            ..Setup::default()
        },
    )
}

/// What a device keeps beyond its replica: its custody of keys, and the entries it
/// received (its storage), opened again when keys come.
struct Keeper {
    name: String,
    token_id: String,
    setup: Setup,
    rotated: Option<Keyring>,
    received: Vec<(DocId, Entry)>,
    online: bool,
    wiped: bool,
    keys_again_at: Option<tokio::time::Instant>,
}

impl Keeper {
    fn enrol(&self, replica: &Replica) -> Vec<Event> {
        let Some(device) = &self.setup.device_key else {
            return Vec::new();
        };
        let message = custody::enrol(
            device,
            &self.token_id,
            &self.name,
            replica.keyring(),
            self.setup.link_secret.as_ref(),
        );
        message.map(Event::Ask).into_iter().collect()
    }

    fn fetch(&self) -> Option<Event> {
        let public = self.setup.device_key.as_ref()?.public();
        Some(Event::Ask(ClientMessage::FetchKeys { public }))
    }

    /// Adopts a keyring and opens every entry that waited for it.
    fn adopt(&mut self, replica: &mut Replica, keyring: Keyring) -> Vec<Event> {
        replica.set_keyring(keyring.clone(), rand::random());
        for doc in replica.waiting_for_key() {
            let Some(document) = replica.doc_mut(&doc) else {
                continue;
            };
            for (_, entry) in self.received.iter().filter(|(d, _)| *d == doc) {
                if let Ok(plain) = open_any(Some(&keyring), &doc, &entry.data) {
                    document.apply(&plain).expect("merges");
                }
            }
            replica.unsealed(&doc);
        }
        let mut events = self.enrol(replica);
        events.push(Event::ListDevices);
        events
    }

    /// What the device does with an effect about keys or devices; the events it answers with.
    fn handle(&mut self, replica: &mut Replica, effect: Effect) -> Vec<Event> {
        match effect {
            Effect::Status(status) => {
                let online = status.state == ConnectionState::Online;
                let welcomed = online && !self.online;
                self.online = online;
                if !welcomed {
                    return Vec::new();
                }
                let mut events = self.enrol(replica);
                events.extend(self.fetch());
                events.push(Event::ListDevices);
                events
            }
            Effect::Apply { doc, entries, .. } => {
                self.received
                    .extend(entries.into_iter().map(|e| (doc.clone(), e)));
                if replica.waits_for_key(&doc) {
                    self.keys_again_at = Some(tokio::time::Instant::now() + KEYS_AGAIN);
                }
                Vec::new()
            }
            Effect::Keys(keys) => {
                let Some(device) = &self.setup.device_key else {
                    return Vec::new();
                };
                let link = self
                    .setup
                    .link_secret
                    .as_ref()
                    .filter(|_| replica.keyring().is_none());
                let (got, errors) = custody::receive(device, replica.keyring(), link, &keys);
                assert!(errors.is_empty(), "{} refused keys: {errors:?}", self.name);
                match got {
                    Some(keyring) => self.adopt(replica, keyring),
                    None => {
                        if replica.keyring().is_none() || !replica.waiting_for_key().is_empty() {
                            self.keys_again_at = Some(tokio::time::Instant::now() + KEYS_AGAIN);
                        }
                        Vec::new()
                    }
                }
            }
            Effect::Devices {
                allowed: true,
                devices,
                rotate,
            } => {
                let Some(keyring) = replica.keyring().cloned() else {
                    return Vec::new();
                };
                let mut events: Vec<Event> = replica
                    .migration_snapshots()
                    .into_iter()
                    .map(Event::Ask)
                    .collect();
                if self.rotated.is_none() {
                    let plan = custody::plan(&keyring, &devices, rotate, rand::random);
                    self.rotated = plan.rotated;
                    events.extend(plan.post.map(Event::Ask));
                }
                for token in &devices {
                    for secret in &self.setup.made_links {
                        let post = custody::approve(&keyring, token, secret, rand::random());
                        events.extend(post.ok().map(Event::Ask));
                    }
                }
                events
            }
            // As the app's driver does: only the answer to the rotation's own epoch settles
            // it; a catch-up's answer arriving meanwhile leaves the rotation waiting.
            Effect::KeysStored { epoch, stored } => {
                let answers_rotation = self.rotated.as_ref().is_some_and(|r| r.epoch() == epoch);
                match answers_rotation.then(|| self.rotated.take()).flatten() {
                    Some(next) if stored => self.adopt(replica, next),
                    _ if stored => vec![Event::ListDevices],
                    _ => self.fetch().into_iter().collect(),
                }
            }
            Effect::Wipe => {
                self.wiped = true;
                Vec::new()
            }
            Effect::KeysChanged => self.fetch().into_iter().collect(),
            Effect::SnapshotWanted { doc } if !self.setup.no_snapshots => replica
                .snapshot_for_relay(&doc)
                .map(Event::Ask)
                .into_iter()
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// Starts a device as `setup` says.
pub fn spawn_set_up(
    name: &str,
    addr: SocketAddr,
    token: String,
    setup: Setup,
) -> (mpsc::Sender<Command>, watch::Receiver<Shown>) {
    let (commands, mut inbox) = mpsc::channel::<Command>(64);
    let (shown_tx, shown) = watch::channel(Shown::default());
    let name = name.to_string();
    tokio::spawn(async move {
        let mut replica = Replica::new(name.clone(), ActorId::random(), 42);
        if let Some(keys) = &setup.keys {
            replica.set_keyring(keys.clone(), rand::random());
        }
        let mut keeper = Keeper {
            name: name.clone(),
            token_id: protocol::token_id(&token),
            setup,
            rotated: None,
            received: Vec::new(),
            online: false,
            wiped: false,
            keys_again_at: None,
        };
        let mut pending: Vec<Effect> = replica.ensure_open(&month(), 0).expect("known doc");
        pending.extend(replica.handle(Event::Start { token }, 0));
        let (frames_tx, mut frames) = mpsc::unbounded_channel::<Event>();
        let mut sink: Option<mpsc::UnboundedSender<Vec<u8>>> = None;
        let mut reconnect_at: Option<tokio::time::Instant> = None;
        loop {
            while !pending.is_empty() {
                for effect in std::mem::take(&mut pending) {
                    match effect {
                        Effect::Connect { conn } => {
                            sink = Some(connect(addr, conn, frames_tx.clone()));
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
                        other => {
                            for event in keeper.handle(&mut replica, other) {
                                pending.extend(replica.handle(event, 0));
                            }
                        }
                    }
                }
            }
            let doc = replica.doc(&month()).expect("open");
            let am = doc.automerge();
            let map = Document::root_map(am, maps::APPOINTMENTS).expect("genesis map");
            let count = am.length(&map);
            let mut patients: Vec<String> = if count <= NAMED {
                Schedule::read(am)
                    .expect("readable")
                    .appointments
                    .into_iter()
                    .map(|a| a.patient_name)
                    .collect()
            } else {
                Vec::new()
            };
            patients.sort();
            let status = replica.engine.status();
            shown_tx.send_replace(Shown {
                patients,
                count,
                waiting: status.waiting,
                online: status.state == ConnectionState::Online,
                refused: replica.engine.is_refused(&month()),
                waits_for_key: replica.waits_for_key(&month()),
                epoch: replica.keyring().map_or(0, Keyring::epoch),
                wiped: keeper.wiped,
            });
            let until = |at: Option<tokio::time::Instant>| async move {
                match at {
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
                    Some(Command::ListDevices) => pending.extend(replica.handle(Event::ListDevices, 0)),
                    None => return,
                },
                Some(event) = frames.recv() => pending.extend(replica.handle(event, 0)),
                () = until(reconnect_at) => {
                    reconnect_at = None;
                    pending.extend(replica.handle(Event::ReconnectDue, 0));
                }
                () = until(keeper.keys_again_at) => {
                    keeper.keys_again_at = None;
                    if let Some(fetch) = keeper.fetch() {
                        pending.extend(replica.handle(fetch, 0));
                    }
                }
            }
        }
    });
    (commands, shown)
}

/// Opens a socket for connection `conn`; its events go to `events`, and what is sent on
/// the returned line goes out on it.
fn connect(
    addr: SocketAddr,
    conn: u64,
    events: mpsc::UnboundedSender<Event>,
) -> mpsc::UnboundedSender<Vec<u8>> {
    let url = format!("ws://{addr}/sync");
    let (out_tx, mut out_rx) = mpsc::unbounded_channel::<Vec<u8>>();
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
    out_tx
}

pub async fn relay() -> (Running, String, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = Config::new("127.0.0.1:0".parse().expect("addr"), dir.path());
    let running = sync_server::start(config).await.expect("relay starts");
    let token = token_for(&running, Sites::All).await;
    (running, token, dir)
}

/// What the relay holds of main's month.
pub async fn relay_log(running: &Running) -> Vec<protocol::Entry> {
    let (org, month) = (OrgName::new("clinic").expect("valid"), month());
    let log = running.storage.read_after(&org, &month, 0, usize::MAX);
    log.await.expect("reads")
}

/// A token of organisation "clinic" for the documents of `sites`.
pub async fn token_for(running: &Running, sites: Sites) -> String {
    let org = OrgName::new("clinic").expect("valid");
    let token = running.storage.create_token(&org, "test", &sites).await;
    token.expect("token").secret.expose().to_string()
}

pub async fn wait_until(
    device: &mut watch::Receiver<Shown>,
    what: &str,
    done: impl FnMut(&Shown) -> bool,
) -> Shown {
    wait_within(PATIENCE, device, what, done).await
}

/// [`wait_until`], for work that takes longer than [`PATIENCE`] in a debug build.
pub async fn wait_within(
    patience: Duration,
    device: &mut watch::Receiver<Shown>,
    what: &str,
    done: impl FnMut(&Shown) -> bool,
) -> Shown {
    let result = tokio::time::timeout(patience, device.wait_for(done))
        .await
        .map(|r| r.map(|shown| shown.clone()));
    match result {
        Ok(Ok(shown)) => shown,
        Ok(Err(_)) => panic!("the device stopped before {what}"),
        Err(_) => panic!(
            "timed out waiting until {what}; device shows {:?}",
            device.borrow()
        ),
    }
}
