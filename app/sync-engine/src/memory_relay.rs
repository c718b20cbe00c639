//! An in-memory relay with the real relay's semantics (one organisation, a log per document
//! with gap-free sequence numbers, idempotent pushes, acks, fan-out including the sender),
//! so that multi-device scenarios run deterministically without sockets.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use protocol::{ClientMessage, DocId, Entry, ErrorCode, ServerMessage, Wire};

#[derive(Default)]
struct Conn {
    authenticated: bool,
    subscriptions: BTreeSet<DocId>,
    outbound: VecDeque<Vec<u8>>,
}

/// The relay. Connections are numbered by [`MemoryRelay::connect`].
pub struct MemoryRelay {
    token: String,
    logs: BTreeMap<DocId, Vec<Entry>>,
    conns: BTreeMap<u64, Conn>,
    next_conn: u64,
}

impl MemoryRelay {
    pub fn new(token: impl Into<String>) -> Self {
        Self {
            token: token.into(),
            logs: BTreeMap::new(),
            conns: BTreeMap::new(),
            next_conn: 1,
        }
    }

    pub fn connect(&mut self) -> u64 {
        let id = self.next_conn;
        self.next_conn += 1;
        self.conns.insert(id, Conn::default());
        id
    }

    pub fn disconnect(&mut self, conn: u64) {
        self.conns.remove(&conn);
    }

    pub fn is_connected(&self, conn: u64) -> bool {
        self.conns.contains_key(&conn)
    }

    /// Frames waiting for connection `conn`.
    pub fn take_outbound(&mut self, conn: u64) -> Vec<Vec<u8>> {
        self.conns
            .get_mut(&conn)
            .map(|c| c.outbound.drain(..).collect())
            .unwrap_or_default()
    }

    pub fn log_len(&self, doc: &DocId) -> usize {
        self.logs.get(doc).map_or(0, Vec::len)
    }

    /// Handles one frame from `conn`. A bad frame or token closes that connection only.
    pub fn receive(&mut self, conn: u64, bytes: &[u8]) {
        let Some(state) = self.conns.get(&conn) else {
            return;
        };
        let authenticated = state.authenticated;
        match (ClientMessage::decode(bytes), authenticated) {
            (Ok(ClientMessage::Hello { token, .. }), false) if token == self.token => {
                self.send(conn, ServerMessage::Welcome { org: "test".into() });
                if let Some(c) = self.conns.get_mut(&conn) {
                    c.authenticated = true;
                }
            }
            (Ok(ClientMessage::Subscribe { doc, after }), true) => {
                let backlog: Vec<Entry> = self
                    .logs
                    .get(&doc)
                    .map(|log| log.iter().filter(|e| e.seq > after).cloned().collect())
                    .unwrap_or_default();
                self.send(
                    conn,
                    ServerMessage::Entries {
                        doc: doc.clone(),
                        entries: backlog,
                        caught_up: true,
                    },
                );
                if let Some(c) = self.conns.get_mut(&conn) {
                    c.subscriptions.insert(doc);
                }
            }
            (Ok(ClientMessage::Push { doc, bundle }), true) => {
                let log = self.logs.entry(doc.clone()).or_default();
                let (seq, new) = match log.iter().find(|e| e.hash == bundle.hash) {
                    Some(existing) => (existing.seq, false),
                    None => {
                        let seq = log.len() as u64 + 1;
                        log.push(Entry {
                            seq,
                            hash: bundle.hash,
                            data: bundle.data,
                        });
                        (seq, true)
                    }
                };
                self.send(
                    conn,
                    ServerMessage::Ack {
                        doc: doc.clone(),
                        hash: bundle.hash,
                        seq,
                    },
                );
                if new {
                    let entry = self.logs[&doc][seq as usize - 1].clone();
                    let subscribers: Vec<u64> = self
                        .conns
                        .iter()
                        .filter(|(_, c)| c.subscriptions.contains(&doc))
                        .map(|(id, _)| *id)
                        .collect();
                    for id in subscribers {
                        self.send(
                            id,
                            ServerMessage::Entries {
                                doc: doc.clone(),
                                entries: vec![entry.clone()],
                                caught_up: true,
                            },
                        );
                    }
                }
            }
            _ => {
                self.send(
                    conn,
                    ServerMessage::Error {
                        code: ErrorCode::Unauthorised,
                        message: "refused".into(),
                    },
                );
                self.conns.remove(&conn);
            }
        }
    }

    fn send(&mut self, conn: u64, message: ServerMessage) {
        if let Some(c) = self.conns.get_mut(&conn) {
            c.outbound.push_back(message.encode());
        }
    }
}
