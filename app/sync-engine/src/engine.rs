//! The sync engine: a pure state machine from events to effects.
//!
//! It knows cursors, outboxes and the connection's life; it knows nothing of Automerge,
//! IndexedDB or sockets. Each socket the driver opens carries a connection number, so that
//! a late event from an old socket can never be mistaken for news about the current one.

use std::collections::{BTreeMap, BTreeSet};

use protocol::{Bundle, BundleHash, ClientMessage, DocId, Entry, ErrorCode, ServerMessage, Wire};

use crate::backoff::{delay_ms, Jitter};

mod refused;
mod status;
pub use status::{ConnectionState, SyncStatus};

/// Pushes sent and not yet acknowledged, at most. A desk that comes back after a long
/// outage with hundreds of edits sends them as acknowledgements return, so that it never
/// floods the relay (which refuses a device that sends too fast).
pub const PUSH_WINDOW: usize = 32;

/// Something that happened, told to the engine by its driver.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// Start syncing with this token (also after a person enters a new one).
    Start {
        token: String,
    },
    /// The device's network came back or went away (`online`/`offline` in a browser).
    NetworkUp,
    NetworkDown,
    /// The socket opened by [`Effect::Connect`] number `conn` is open.
    Connected {
        conn: u64,
    },
    /// Socket `conn` closed or failed.
    Disconnected {
        conn: u64,
    },
    /// Socket `conn` received a binary frame.
    Frame {
        conn: u64,
        bytes: Vec<u8>,
    },
    /// The delay of [`Effect::ScheduleReconnect`] has passed.
    ReconnectDue,
    /// The delay of [`Effect::StorageFull`] has passed: try pushing again.
    RetryPushes,
    /// Sync this document, starting after `cursor`, with these bundles not yet acknowledged
    /// (as loaded from storage).
    Open {
        doc: DocId,
        cursor: u64,
        outbox: Vec<Bundle>,
    },
    /// A local edit produced this bundle; the driver has already stored it in the outbox.
    LocalBundle {
        doc: DocId,
        bundle: Bundle,
    },
    /// Ask the relay for the organisation's device tokens (a manager's device), or to revoke
    /// one: sent only while connected, answered with [`Effect::Devices`].
    ListDevices,
    RevokeDevice {
        id: String,
    },
    /// Send this message about keys (`Enrol`, `FetchKeys`, `PostKeys`): only while
    /// connected, answered with [`Effect::Keys`] or [`Effect::KeysStored`]. The engine's
    /// own messages (`Hello`, `Subscribe`, `Push`) are not sent this way.
    Ask(ClientMessage),
}

/// Something the driver must do.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    /// Open a socket to the relay and tag its events with `conn`.
    Connect { conn: u64 },
    /// Close the current socket.
    Close,
    /// Send this frame on the current socket.
    Send(Vec<u8>),
    /// Call back with [`Event::ReconnectDue`] after this many milliseconds.
    ScheduleReconnect { after_ms: u64 },
    /// Merge these entries into `doc` and store them with the new cursor, together.
    Apply {
        doc: DocId,
        entries: Vec<Entry>,
        cursor: u64,
    },
    /// The relay holds this bundle durably: remove it from the stored outbox.
    Acked { doc: DocId, hash: BundleHash },
    /// What a person should see about syncing has changed.
    Status(SyncStatus),
    /// The relay refused this document to this device's token (a site the device is not
    /// enrolled for). Its edits stay in the outbox, unsent, and nothing more is asked for
    /// it until the device gets another token.
    Refused { doc: DocId },
    /// The relay follows as many documents on this connection as it allows: this one waits,
    /// its edits kept, for the next connection.
    Deferred { doc: DocId },
    /// The relay has no room left for the organisation's edits (its storage quota): they
    /// stay in the outbox, and nothing is pushed until [`Event::RetryPushes`], due after
    /// this many milliseconds, or the next connection. Once per time it fills.
    StorageFull { retry_after_ms: u64 },
    /// The organisation's device tokens, as the relay listed them; `allowed` is false when
    /// this device's token may not manage them.
    Devices {
        allowed: bool,
        devices: Vec<protocol::DeviceToken>,
        /// A token was revoked since the newest content keys were stored.
        rotate: bool,
    },
    /// The content keys the relay holds wrapped for this device.
    Keys(Vec<protocol::WrappedKey>),
    /// Whether the relay stored the keys of `epoch` this device posted.
    KeysStored { epoch: u32, stored: bool },
    /// The relay asks for a snapshot of `doc` (its log has grown long): the driver sends
    /// one ([`crate::Replica::snapshot_for_relay`]) when the device can.
    SnapshotWanted { doc: DocId },
    /// A manager's device made a new key epoch: ask for this device's keys.
    KeysChanged,
    /// The relay says this device's access was revoked: delete everything it holds of the
    /// organisation (documents, edits not yet sent, keys, settings) and say why. Nothing is
    /// sent or retried after it.
    Wipe,
}

#[derive(Debug, Default)]
struct DocSync {
    cursor: u64,
    /// The relay said, on this connection, that nothing newer is in its log.
    caught_up: bool,
    /// Bundles in the order they were made; re-sent on every new connection until acked.
    outbox: Vec<Bundle>,
}

/// The engine. One per device.
#[derive(Debug)]
pub struct Engine {
    device: String,
    token: Option<String>,
    state: ConnectionState,
    conn: u64,
    network_up: bool,
    docs: BTreeMap<DocId, DocSync>,
    jitter: Jitter,
    last_sync_ms: Option<i64>,
    reported: Option<SyncStatus>,
    /// Bundles pushed on the current connection and not yet acknowledged.
    in_flight: BTreeSet<BundleHash>,
    /// Refusals from the relay since it last took or sent anything: a relay that keeps
    /// refusing (a full disk, a rate limit) is retried with growing pauses, not twice a
    /// second because each refusal came on a fresh connection.
    refusals: u32,
    /// Documents the relay refused to this token: neither subscribed to nor pushed.
    refused: BTreeSet<DocId>,
    /// Documents the relay would not follow on this connection (a bound it keeps): asked
    /// for again on the next one.
    deferred: BTreeSet<DocId>,
    /// The relay said the organisation's storage is full: nothing is pushed until a retry
    /// or the next connection.
    storage_full: bool,
}

/// How long a device waits before pushing again into an organisation's full storage.
pub const STORAGE_FULL_RETRY_MS: u64 = 5 * 60 * 1000;

impl Engine {
    /// `device` is the name shown to the relay's logs; `seed` feeds the reconnect jitter.
    pub fn new(device: impl Into<String>, seed: u64) -> Self {
        Self {
            device: device.into(),
            token: None,
            state: ConnectionState::NoToken,
            conn: 0,
            network_up: true,
            docs: BTreeMap::new(),
            jitter: Jitter::new(seed),
            last_sync_ms: None,
            reported: None,
            in_flight: BTreeSet::new(),
            refusals: 0,
            refused: BTreeSet::new(),
            deferred: BTreeSet::new(),
            storage_full: false,
        }
    }

    /// The last successful sync from before a restart, as the device kept it: shown until
    /// the next one. An earlier time than the one known is ignored.
    pub fn recall_last_sync(&mut self, at_ms: i64) {
        self.last_sync_ms = self.last_sync_ms.max(Some(at_ms));
    }

    /// Whether the relay has welcomed this connection.
    pub fn is_online(&self) -> bool {
        self.state == ConnectionState::Online
    }

    pub fn status(&self) -> SyncStatus {
        SyncStatus {
            state: self.state.clone(),
            waiting: self.docs.values().map(|d| d.outbox.len()).sum(),
            last_sync_ms: self.last_sync_ms,
        }
    }

    /// Whether `doc` has everything the relay had when this connection subscribed to it:
    /// what a device needs before it trusts that a month without a visit has none.
    pub fn caught_up(&self, doc: &DocId) -> bool {
        self.state == ConnectionState::Online && self.docs.get(doc).is_some_and(|d| d.caught_up)
    }

    /// Whether nothing more of `doc` is on its way: caught up, no connection to bring it,
    /// or a document the relay refused to this device.
    pub fn caught_up_or_offline(&self, doc: &DocId) -> bool {
        self.state != ConnectionState::Online || self.caught_up(doc) || self.held_back(doc)
    }

    /// Whether `doc` is not followed on this connection: refused to the token (nor pushed),
    /// or deferred by a bound of the relay (its edits still pushed).
    fn held_back(&self, doc: &DocId) -> bool {
        self.refused.contains(doc) || self.deferred.contains(doc)
    }

    /// Whether the relay refused `doc` to this device's token.
    pub fn is_refused(&self, doc: &DocId) -> bool {
        self.refused.contains(doc)
    }

    /// Whether `doc` has local edits the relay has not acknowledged.
    pub fn has_outbox(&self, doc: &DocId) -> bool {
        self.docs.get(doc).is_some_and(|d| !d.outbox.is_empty())
    }

    pub fn cursor(&self, doc: &DocId) -> Option<u64> {
        self.docs.get(doc).map(|d| d.cursor)
    }

    /// Feeds one event; returns what the driver must do, in order.
    pub fn handle(&mut self, event: Event, now_ms: i64) -> Vec<Effect> {
        let mut out = Vec::new();
        match event {
            Event::Start { token } => {
                self.token = Some(token);
                // Another token may cover other sites.
                self.refused.clear();
                if matches!(
                    self.state,
                    ConnectionState::Connecting { .. } | ConnectionState::Online
                ) {
                    out.push(Effect::Close);
                    self.conn += 1;
                }
                self.state = ConnectionState::Waiting { attempt: 0 };
                self.connect_if_possible(&mut out);
            }
            Event::NetworkUp => {
                self.network_up = true;
                if matches!(
                    self.state,
                    ConnectionState::Offline | ConnectionState::Waiting { .. }
                ) {
                    self.state = ConnectionState::Waiting { attempt: 0 };
                    self.connect_if_possible(&mut out);
                }
            }
            Event::NetworkDown => {
                self.network_up = false;
                if matches!(
                    self.state,
                    ConnectionState::Connecting { .. } | ConnectionState::Online
                ) {
                    out.push(Effect::Close);
                    self.conn += 1;
                }
                if self.token.is_some() && !matches!(self.state, ConnectionState::Refused { .. }) {
                    self.state = ConnectionState::Offline;
                }
            }
            Event::ReconnectDue => self.connect_if_possible(&mut out),
            Event::RetryPushes => {
                self.storage_full = false;
                self.fill_window(&mut out);
            }
            Event::Connected { conn } if conn == self.conn => {
                if let (ConnectionState::Connecting { .. }, Some(token)) =
                    (&self.state, &self.token)
                {
                    out.push(Effect::Send(
                        ClientMessage::Hello {
                            token: token.clone(),
                            device: self.device.clone(),
                        }
                        .encode(),
                    ));
                }
            }
            Event::Disconnected { conn } if conn == self.conn => self.lost_connection(&mut out),
            Event::Frame { conn, bytes } if conn == self.conn => {
                match ServerMessage::decode(&bytes) {
                    Ok(message) => self.receive(message, now_ms, &mut out),
                    // A relay that speaks nonsense (or a newer relay's message this version
                    // cannot read) is treated like a dropped line, retried with pauses that
                    // grow while it goes on.
                    Err(_) => {
                        self.refusals = self.refusals.saturating_add(1);
                        out.push(Effect::Close);
                        self.lost_connection(&mut out);
                    }
                }
            }
            Event::Connected { .. } | Event::Disconnected { .. } | Event::Frame { .. } => {}
            Event::Open {
                doc,
                cursor,
                outbox,
            } => {
                if self.state == ConnectionState::Online && !self.held_back(&doc) {
                    out.push(subscribe(&doc, cursor));
                }
                self.docs.insert(
                    doc,
                    DocSync {
                        cursor,
                        outbox,
                        caught_up: false,
                    },
                );
                self.fill_window(&mut out);
            }
            Event::LocalBundle { doc, bundle } => {
                let state = self.docs.entry(doc.clone()).or_default();
                if !state.outbox.iter().any(|b| b.hash == bundle.hash) {
                    state.outbox.push(bundle);
                    self.fill_window(&mut out);
                }
            }
            Event::ListDevices | Event::RevokeDevice { .. }
                if self.state == ConnectionState::Online =>
            {
                let message = match event {
                    Event::RevokeDevice { id } => ClientMessage::RevokeDevice { id },
                    _ => ClientMessage::ListDevices,
                };
                out.push(Effect::Send(message.encode()));
            }
            // Not connected: nothing to ask; the view says so and asks again.
            Event::ListDevices | Event::RevokeDevice { .. } => {}
            Event::Ask(
                message @ (ClientMessage::Enrol { .. }
                | ClientMessage::FetchKeys { .. }
                | ClientMessage::PostKeys { .. }
                | ClientMessage::PushSnapshot { .. }),
            ) if self.state == ConnectionState::Online => {
                out.push(Effect::Send(message.encode()));
            }
            Event::Ask(_) => {}
        }
        self.report(&mut out);
        out
    }

    fn connect_if_possible(&mut self, out: &mut Vec<Effect>) {
        let attempt = match self.state {
            ConnectionState::Waiting { attempt } => attempt,
            _ => return,
        };
        if self.token.is_none() {
            self.state = ConnectionState::NoToken;
        } else if !self.network_up {
            self.state = ConnectionState::Offline;
        } else {
            self.conn += 1;
            self.state = ConnectionState::Connecting { attempt };
            out.push(Effect::Connect { conn: self.conn });
        }
    }

    fn lost_connection(&mut self, out: &mut Vec<Effect>) {
        // Whatever the old socket still says from now on is stale.
        self.conn += 1;
        let attempt = match self.state {
            ConnectionState::Connecting { attempt } => attempt + 1,
            ConnectionState::Online => self.refusals,
            _ => return,
        };
        if !self.network_up {
            self.state = ConnectionState::Offline;
            return;
        }
        self.state = ConnectionState::Waiting { attempt };
        out.push(Effect::ScheduleReconnect {
            after_ms: delay_ms(attempt, &mut self.jitter),
        });
    }

    fn receive(&mut self, message: ServerMessage, now_ms: i64, out: &mut Vec<Effect>) {
        match message {
            ServerMessage::Welcome { .. } => {
                self.state = ConnectionState::Online;
                self.in_flight.clear();
                self.deferred.clear();
                self.storage_full = false;
                for (doc, state) in &mut self.docs {
                    state.caught_up = false;
                    if !self.refused.contains(doc) {
                        out.push(subscribe(doc, state.cursor));
                    }
                }
                self.fill_window(out);
            }
            ServerMessage::Ack { doc, hash, .. } => {
                self.refusals = 0;
                if self.acknowledge(&doc, hash, out) {
                    self.last_sync_ms = Some(now_ms);
                }
            }
            ServerMessage::Entries {
                doc,
                entries,
                caught_up,
            } => {
                if self.receive_entries(doc.clone(), entries, out) && caught_up {
                    self.last_sync_ms = Some(now_ms);
                    if let Some(state) = self.docs.get_mut(&doc) {
                        state.caught_up = true;
                    }
                }
            }
            ServerMessage::Error { code, message } if code.is_fatal() => {
                self.state = ConnectionState::Refused { message };
                out.push(Effect::Close);
                if code == ErrorCode::Revoked {
                    out.push(Effect::Wipe);
                }
                self.conn += 1;
            }
            // Other errors come with a close from the relay; the reconnect follows it, after
            // a pause that grows while the relay keeps refusing.
            ServerMessage::Error { .. } => self.refusals = self.refusals.saturating_add(1),
            // One document refused, the connection open for the others: its pushes in
            // flight will not be acknowledged, so they make room for the others'.
            ServerMessage::Devices {
                allowed,
                devices,
                rotate,
            } => {
                out.push(Effect::Devices {
                    allowed,
                    devices,
                    rotate,
                });
            }
            ServerMessage::Keys { keys } => out.push(Effect::Keys(keys)),
            // A snapshot is applied like one entry that brings the cursor to its end; the
            // entries after it follow.
            ServerMessage::Snapshot { doc, snapshot } => {
                if let Some(state) = self.docs.get_mut(&doc) {
                    if snapshot.seq > state.cursor {
                        let cursor = snapshot.seq;
                        state.cursor = cursor;
                        out.push(Effect::Apply {
                            doc,
                            entries: vec![snapshot],
                            cursor,
                        });
                    }
                }
            }
            ServerMessage::SnapshotWanted { doc } => out.push(Effect::SnapshotWanted { doc }),
            ServerMessage::KeysChanged => out.push(Effect::KeysChanged),
            ServerMessage::KeysStored { epoch, stored } => {
                out.push(Effect::KeysStored { epoch, stored });
            }
            ServerMessage::Refused { doc, code } => self.refused_by_relay(doc, code, out),
        }
    }

    /// Returns whether the bundle was waiting.
    fn acknowledge(&mut self, doc: &DocId, hash: BundleHash, out: &mut Vec<Effect>) -> bool {
        let Some(state) = self.docs.get_mut(doc) else {
            return false;
        };
        let before = state.outbox.len();
        state.outbox.retain(|b| b.hash != hash);
        let removed = state.outbox.len() < before;
        self.in_flight.remove(&hash);
        if removed {
            out.push(Effect::Acked {
                doc: doc.clone(),
                hash,
            });
        }
        self.fill_window(out);
        removed
    }

    /// Pushes waiting bundles, oldest first per document, up to [`PUSH_WINDOW`] in flight.
    fn fill_window(&mut self, out: &mut Vec<Effect>) {
        if self.state != ConnectionState::Online || self.storage_full {
            return;
        }
        for (doc, state) in &self.docs {
            if self.refused.contains(doc) {
                continue;
            }
            for bundle in &state.outbox {
                if self.in_flight.len() >= PUSH_WINDOW {
                    return;
                }
                if self.in_flight.insert(bundle.hash) {
                    out.push(push(doc, bundle));
                }
            }
        }
    }

    /// Takes the entries that extend the cursor without a gap. Returns false when the
    /// stream had a gap, after asking for a fresh connection that resumes from the cursor.
    fn receive_entries(&mut self, doc: DocId, entries: Vec<Entry>, out: &mut Vec<Effect>) -> bool {
        let Some(state) = self.docs.get_mut(&doc) else {
            return false;
        };
        let mut cursor = state.cursor;
        let mut fresh = Vec::new();
        let mut gap = false;
        for entry in entries {
            if entry.seq <= cursor {
                continue; // Already have it: a duplicate delivery.
            }
            if entry.seq != cursor + 1 {
                gap = true;
                break;
            }
            cursor = entry.seq;
            fresh.push(entry);
        }
        let echoes: Vec<BundleHash> = fresh
            .iter()
            .map(|e| e.hash)
            .filter(|h| state.outbox.iter().any(|b| b.hash == *h))
            .collect();
        if !fresh.is_empty() {
            state.cursor = cursor;
            out.push(Effect::Apply {
                doc: doc.clone(),
                entries: fresh,
                cursor,
            });
        }
        // Our own bundle in the log is as good as an acknowledgement.
        for hash in echoes {
            self.acknowledge(&doc, hash, out);
        }
        if gap {
            out.push(Effect::Close);
            self.lost_connection(out);
        }
        !gap
    }

    fn report(&mut self, out: &mut Vec<Effect>) {
        let status = self.status();
        if self.reported.as_ref() != Some(&status) {
            self.reported = Some(status.clone());
            out.push(Effect::Status(status));
        }
    }
}

fn push(doc: &DocId, bundle: &Bundle) -> Effect {
    Effect::Send(
        ClientMessage::Push {
            doc: doc.clone(),
            bundle: bundle.clone(),
        }
        .encode(),
    )
}

fn subscribe(doc: &DocId, after: u64) -> Effect {
    Effect::Send(
        ClientMessage::Subscribe {
            doc: doc.clone(),
            after,
        }
        .encode(),
    )
}

#[cfg(test)]
mod tests;
