//! Multi-device scenarios: named peers, each running the real engine and documents,
//! talking to the in-memory relay through a simulated network that can go down, duplicate
//! frames and reorder them. Every scenario runs until quiescent and then asserts that all
//! devices converged and nothing typed was lost.

use std::collections::BTreeMap;

use automerge::ActorId;
use chrono::NaiveDateTime;
use protocol::{Bundle, ClientMessage, DocId, ServerMessage, Wire};

use crate::backoff::Jitter;
use crate::memory_relay::MemoryRelay;
use crate::{ConnectionState, Effect, Event, Replica};
use model::appointment::{parse_local_datetime, ValidBooking};
use model::inventory::movement::{post, NewMovement};
use model::inventory::{form, Inventory, ItemForm, MovementKind};
use model::schedule::{self, Schedule, Who};
use model::{DocumentError, ProviderId};

mod convergence;
mod moves;
mod snapshots;

const TOKEN: &str = "fd1_test";

fn month() -> DocId {
    DocId::new("schedule/main/2026-11").expect("valid")
}

fn now() -> NaiveDateTime {
    parse_local_datetime("2026-11-22T08:00").expect("valid")
}

struct Peer {
    name: &'static str,
    replica: Replica,
    /// The relay's number for this peer's live connection, and the engine's number for it.
    link: Option<(u64, u64)>,
    network_up: bool,
    events: Vec<Event>,
    reconnect_due: bool,
    /// What the device's storage holds: the outbox and cursor per document, and every
    /// change it has taken in (its own and the relay's), from which a restart rebuilds it.
    stored_outbox: BTreeMap<DocId, Vec<Bundle>>,
    stored_cursor: BTreeMap<DocId, u64>,
    stored_changes: BTreeMap<DocId, Vec<Vec<u8>>>,
}

impl Peer {
    /// Stores a local bundle as the browser does, in one transaction: the change itself and
    /// its outbox entry.
    fn store_local(&mut self, doc: &DocId, bundle: &Bundle) {
        self.stored_changes
            .entry(doc.clone())
            .or_default()
            .push(bundle.data.clone());
        self.stored_outbox
            .entry(doc.clone())
            .or_default()
            .push(bundle.clone());
    }
}

#[derive(Default, Clone, Copy)]
struct Faults {
    duplicate: bool,
    reorder: bool,
}

struct Net {
    relay: MemoryRelay,
    peers: Vec<Peer>,
    faults: Faults,
    jitter: Jitter,
}

impl Net {
    fn new(names: &[&'static str]) -> Self {
        let mut net = Self {
            relay: MemoryRelay::new(TOKEN),
            peers: Vec::new(),
            faults: Faults::default(),
            jitter: Jitter::new(99),
        };
        for (n, name) in names.iter().enumerate() {
            let mut replica = Replica::new(*name, ActorId::random(), n as u64 + 1);
            let mut events = Vec::new();
            let effects = replica.ensure_open(&month(), 0).expect("known doc");
            assert!(effects.iter().all(|e| matches!(e, Effect::Status(_))));
            events.push(Event::Start {
                token: TOKEN.into(),
            });
            net.peers.push(Peer {
                name,
                replica,
                link: None,
                network_up: true,
                events,
                reconnect_due: false,
                stored_outbox: BTreeMap::new(),
                stored_cursor: BTreeMap::new(),
                stored_changes: BTreeMap::new(),
            });
        }
        net.settle();
        net
    }

    fn peer(&mut self, name: &str) -> usize {
        self.peers
            .iter()
            .position(|p| p.name == name)
            .expect("peer exists")
    }

    fn book(&mut self, name: &str, patient: &str, start: &str) {
        let i = self.peer(name);
        let start = parse_local_datetime(start).expect("valid start");
        let booking = ValidBooking::new(patient, ProviderId::from("dr-a"), start, 15);
        let peer = &mut self.peers[i];
        let device = peer.replica.device().to_string();
        let (_, bundle, _) = peer
            .replica
            .edit(&month(), 0, |d| {
                schedule::book(
                    d,
                    &booking,
                    &Who {
                        device,
                        staff: None,
                    },
                    now(),
                )
            })
            .expect("books");
        let bundle = bundle.expect("booking changes the document");
        // As the browser does: store first, then hand to the engine.
        peer.store_local(&month(), &bundle);
        let effects = peer.replica.queue(&month(), bundle, 0);
        self.carry_out(i, effects);
    }

    /// One change across several documents on `name`'s device (a stock movement: the
    /// site's inventory and the month's log), stored and queued as the browser does.
    fn edit_many<T>(
        &mut self,
        name: &str,
        docs: &[DocId],
        edit: impl FnOnce(&mut [&mut automerge::AutoCommit]) -> Result<T, DocumentError>,
    ) -> T {
        let i = self.peer(name);
        let peer = &mut self.peers[i];
        let (value, bundles, mut effects) = peer.replica.edit_many(docs, 0, edit).expect("edits");
        for (doc, bundle) in &bundles {
            peer.store_local(doc, bundle);
        }
        for (doc, bundle) in bundles {
            effects.extend(peer.replica.queue(&doc, bundle, 0));
        }
        self.carry_out(i, effects);
        value
    }

    /// `name`'s device is closed (its memory is lost) and opened again from what its
    /// storage holds; it reconnects.
    fn restart(&mut self, name: &str) {
        let i = self.peer(name);
        if let Some((relay_conn, _)) = self.peers[i].link.take() {
            self.relay.disconnect(relay_conn);
        }
        let peer = &mut self.peers[i];
        let mut replica = Replica::new(peer.name, ActorId::random(), 5);
        let mut docs: Vec<DocId> = peer.stored_changes.keys().cloned().collect();
        docs.extend(peer.replica.docs().map(|d| d.id().clone()));
        docs.sort();
        docs.dedup();
        let mut effects = Vec::new();
        for doc in docs {
            let mut document = model::Document::new(&doc, &ActorId::random()).expect("known");
            for change in peer.stored_changes.get(&doc).into_iter().flatten() {
                document.apply(change).expect("stored change applies");
            }
            let cursor = peer.stored_cursor.get(&doc).copied().unwrap_or(0);
            let outbox = peer.stored_outbox.get(&doc).cloned().unwrap_or_default();
            effects.extend(replica.open(document, cursor, outbox, 0));
        }
        peer.replica = replica;
        peer.network_up = true;
        peer.events.clear();
        peer.reconnect_due = false;
        self.carry_out(i, effects);
        self.peers[i].events.push(Event::Start {
            token: TOKEN.into(),
        });
    }

    fn set_network(&mut self, name: &str, up: bool) {
        let i = self.peer(name);
        self.peers[i].network_up = up;
        if !up {
            if let Some((relay_conn, _)) = self.peers[i].link.take() {
                self.relay.disconnect(relay_conn);
            }
        }
        self.peers[i].events.push(if up {
            Event::NetworkUp
        } else {
            Event::NetworkDown
        });
    }

    /// The relay drops every connection, as when it restarts.
    fn drop_all_connections(&mut self) {
        for i in 0..self.peers.len() {
            if let Some((relay_conn, conn)) = self.peers[i].link.take() {
                self.relay.disconnect(relay_conn);
                self.peers[i].events.push(Event::Disconnected { conn });
            }
        }
    }

    fn carry_out(&mut self, i: usize, effects: Vec<Effect>) {
        for effect in effects {
            let peer = &mut self.peers[i];
            match effect {
                Effect::Connect { conn } => {
                    if peer.network_up {
                        peer.link = Some((self.relay.connect(), conn));
                        peer.events.push(Event::Connected { conn });
                    } else {
                        peer.events.push(Event::Disconnected { conn });
                    }
                }
                Effect::Close => {
                    if let Some((relay_conn, conn)) = peer.link.take() {
                        self.relay.disconnect(relay_conn);
                        peer.events.push(Event::Disconnected { conn });
                    }
                }
                Effect::Send(bytes) => {
                    if let Some((relay_conn, _)) = peer.link {
                        self.relay.receive(relay_conn, &bytes);
                        // TCP never duplicates a frame, but devices re-send pushes.
                        let is_push = matches!(
                            ClientMessage::decode(&bytes),
                            Ok(ClientMessage::Push { .. })
                        );
                        if self.faults.duplicate && is_push {
                            self.relay.receive(relay_conn, &bytes);
                        }
                    }
                }
                Effect::ScheduleReconnect { .. } => peer.reconnect_due = true,
                Effect::Apply {
                    doc,
                    cursor,
                    entries,
                } => {
                    let stored = peer.stored_changes.entry(doc.clone()).or_default();
                    stored.extend(entries.into_iter().map(|e| e.data));
                    peer.stored_cursor.insert(doc, cursor);
                }
                Effect::Acked { doc, hash } => {
                    if let Some(outbox) = peer.stored_outbox.get_mut(&doc) {
                        outbox.retain(|b| b.hash != hash);
                    }
                }
                Effect::Status(_)
                | Effect::Refused { .. }
                | Effect::Deferred { .. }
                // This relay has no quota.
                | Effect::StorageFull { .. }
                | Effect::Wipe
                | Effect::Devices { .. }
                | Effect::Keys(_)
                | Effect::KeysStored { .. }
                | Effect::SnapshotWanted { .. }
                | Effect::KeysChanged => {}
            }
        }
    }

    /// One round: every peer handles its events and the frames the relay has for it.
    /// Returns whether anything happened.
    fn step(&mut self) -> bool {
        let mut progressed = false;
        for i in 0..self.peers.len() {
            let mut events = std::mem::take(&mut self.peers[i].events);
            if let Some((relay_conn, conn)) = self.peers[i].link {
                if !self.relay.is_connected(relay_conn) {
                    // The relay hung up on this peer (a refused frame).
                    self.peers[i].link = None;
                    events.push(Event::Disconnected { conn });
                } else {
                    let mut frames = self.relay.take_outbound(relay_conn);
                    if self.faults.reorder && frames.len() > 1 {
                        let k = (self.jitter.unit() * frames.len() as f64) as usize;
                        frames.swap(0, k);
                    }
                    for bytes in frames {
                        // Entries arrive twice when a backlog overlaps live fan-out.
                        let is_entries = matches!(
                            ServerMessage::decode(&bytes),
                            Ok(ServerMessage::Entries { .. })
                        );
                        if self.faults.duplicate && is_entries {
                            events.push(Event::Frame {
                                conn,
                                bytes: bytes.clone(),
                            });
                        }
                        events.push(Event::Frame { conn, bytes });
                    }
                }
            }
            if events.is_empty() && self.peers[i].reconnect_due {
                self.peers[i].reconnect_due = false;
                events.push(Event::ReconnectDue);
            }
            for event in events {
                progressed = true;
                let effects = self.peers[i].replica.handle(event, 0);
                self.carry_out(i, effects);
            }
        }
        progressed
    }

    fn settle(&mut self) {
        for _ in 0..10_000 {
            if !self.step() {
                return;
            }
        }
        panic!("the network did not settle in 10,000 rounds");
    }

    fn schedule(&self, i: usize) -> Schedule {
        let doc = self.peers[i].replica.doc(&month()).expect("open");
        Schedule::read(doc.automerge()).expect("readable")
    }

    fn patients(&self, i: usize) -> Vec<String> {
        let mut names: Vec<String> = self
            .schedule(i)
            .appointments
            .into_iter()
            .map(|a| a.patient_name)
            .collect();
        names.sort();
        names
    }

    /// Every peer shows the same schedule holding exactly `expected`, and waits for nothing.
    fn assert_converged(&self, expected: &[&str]) {
        let mut expected: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
        expected.sort();
        for (i, peer) in self.peers.iter().enumerate() {
            assert_eq!(
                self.patients(i),
                expected,
                "{} shows the wrong bookings",
                peer.name
            );
            assert_eq!(
                self.schedule(i),
                self.schedule(0),
                "{} differs from {}",
                peer.name,
                self.peers[0].name
            );
            let status = peer.replica.engine.status();
            assert_eq!(status.waiting, 0, "{} still has edits waiting", peer.name);
            assert_eq!(
                status.state,
                ConnectionState::Online,
                "{} is not online",
                peer.name
            );
            assert!(
                peer.stored_outbox.values().all(Vec::is_empty),
                "{} kept acked bundles",
                peer.name
            );
        }
    }
}

#[test]
fn three_devices_online_see_each_others_bookings() {
    let mut net = Net::new(&["desk_a", "desk_b", "manager_phone"]);
    net.book("desk_a", "Avery Testcase", "2026-11-23T09:00");
    net.book("desk_b", "Blake Fixture", "2026-11-23T09:15");
    net.book("manager_phone", "Casey Synthetic", "2026-11-23T09:30");
    net.settle();
    net.assert_converged(&["Avery Testcase", "Blake Fixture", "Casey Synthetic"]);
    assert_eq!(net.relay.log_len(&month()), 3);
}

#[test]
fn two_desks_book_offline_and_converge_when_back() {
    let mut net = Net::new(&["desk_a", "desk_b", "manager_phone"]);
    net.set_network("desk_a", false);
    net.set_network("desk_b", false);
    net.settle();
    net.book("desk_a", "Dana Placeholder", "2026-11-23T10:00");
    net.book("desk_a", "Eli Example", "2026-11-23T10:30");
    net.book("desk_b", "Fay Mock", "2026-11-23T10:00");
    net.settle();
    let a = net.peer("desk_a");
    assert_eq!(
        net.peers[a].replica.engine.status().summary(),
        "Offline · 2 edits waiting"
    );
    let phone = net.peer("manager_phone");
    assert_eq!(net.patients(phone), Vec::<String>::new());
    net.set_network("desk_a", true);
    net.set_network("desk_b", true);
    net.settle();
    net.assert_converged(&["Dana Placeholder", "Eli Example", "Fay Mock"]);
}

#[test]
fn two_desks_using_stock_offline_converge_on_the_exact_total_through_the_relay() {
    let mut net = Net::new(&["desk_a", "desk_b", "manager_phone"]);
    let docs = [
        DocId::new("inventory/main").expect("valid"),
        DocId::new("stock/main/2026-11").expect("valid"),
    ];
    let who = |device: &str| Who {
        device: device.into(),
        staff: None,
    };
    let item = ItemForm {
        name: "Exam-table paper".into(),
        category: "medical".into(),
        ..ItemForm::default()
    }
    .validate()
    .expect("valid");
    let id = net.edit_many("desk_a", &docs, |d| {
        let [inventory, log] = d else {
            unreachable!("two documents")
        };
        let id = form::add_item(inventory, &item)?;
        let receipt = NewMovement::new(&id, MovementKind::Receive, 10, now(), &who("desk_a"));
        post(inventory, log, &receipt)?;
        Ok(id)
    });
    for peer in ["desk_b", "manager_phone"] {
        let i = net.peer(peer);
        for doc in &docs {
            let effects = net.peers[i].replica.ensure_open(doc, 0).expect("known doc");
            net.carry_out(i, effects);
        }
    }
    net.settle();
    net.set_network("desk_a", false);
    net.set_network("desk_b", false);
    net.settle();
    for desk in ["desk_a", "desk_b"] {
        net.edit_many(desk, &docs, |d| {
            let [inventory, log] = d else {
                unreachable!("two documents")
            };
            let use_three = NewMovement::new(&id, MovementKind::Use, 3, now(), &who(desk));
            post(inventory, log, &use_three)
        });
    }
    net.set_network("desk_a", true);
    net.set_network("desk_b", true);
    net.settle();
    net.assert_converged(&[]);
    for peer in &net.peers {
        let read = |doc: &DocId| peer.replica.doc(doc).expect("open").automerge();
        let inventory = Inventory::read(read(&docs[0])).expect("reads");
        assert_eq!(inventory.items[0].on_hand, 4, "{}: 10 − 3 − 3", peer.name);
        let (log, _) = model::inventory::movement::read_log(read(&docs[1])).expect("reads");
        assert_eq!(log.len(), 3, "{}: the receipt and both uses", peer.name);
    }
}

#[test]
fn duplicated_delivery_neither_duplicates_nor_loses() {
    let mut net = Net::new(&["desk_a", "desk_b"]);
    net.faults.duplicate = true;
    net.book("desk_a", "Gale Sample", "2026-11-23T11:00");
    net.book("desk_b", "Hana Dummy", "2026-11-23T11:00");
    net.settle();
    net.assert_converged(&["Gale Sample", "Hana Dummy"]);
    assert_eq!(
        net.relay.log_len(&month()),
        2,
        "a pushed twice bundle is one entry"
    );
}

#[test]
fn reordered_delivery_resumes_from_the_cursor() {
    let mut net = Net::new(&["desk_a", "desk_b", "manager_phone"]);
    net.faults.reorder = true;
    for n in 0..6 {
        net.book("desk_a", &format!("Patient A{n}"), "2026-11-23T12:00");
        net.book("desk_b", &format!("Patient B{n}"), "2026-11-23T12:00");
    }
    net.settle();
    net.faults.reorder = false;
    net.settle();
    let expected: Vec<String> = (0..6)
        .flat_map(|n| [format!("Patient A{n}"), format!("Patient B{n}")])
        .collect();
    let expected: Vec<&str> = expected.iter().map(String::as_str).collect();
    net.assert_converged(&expected);
}

#[test]
fn relay_restart_mid_stream_loses_nothing() {
    let mut net = Net::new(&["desk_a", "desk_b"]);
    net.book("desk_a", "Ira Sample", "2026-11-23T13:00");
    // The relay drops everyone before delivering anything.
    net.drop_all_connections();
    net.book("desk_b", "Jo Fixture", "2026-11-23T13:00");
    net.settle();
    net.assert_converged(&["Ira Sample", "Jo Fixture"]);
}

#[test]
fn stored_state_restores_a_device_after_restart() {
    let mut net = Net::new(&["desk_a", "desk_b"]);
    net.set_network("desk_a", false);
    net.book("desk_a", "Kit Offline", "2026-11-23T14:00");
    // Desk A is closed while offline; it comes back from what its storage held.
    net.restart("desk_a");
    net.settle();
    net.assert_converged(&["Kit Offline"]);
}
