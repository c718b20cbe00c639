//! The browser driver: runs the [`Replica`] with a real WebSocket, timers, network events
//! and IndexedDB, and tells the interface what changed.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use automerge::{ActorId, AutoCommit};
use gloo::timers::callback::Timeout;
use protocol::DocId;

use crate::platform::idb::Store;
use crate::platform::{mark, measure, now_ms, pwa, random_bytes, random_seed};
use model::{DocKind, Document, DocumentError};
use sync_engine::{Effect, Event, Replica, SyncStatus};

mod contact;
mod custody;
mod error;
mod keys;
mod many;
mod opened;
mod snapshots;
mod socket;
mod wipe;

pub use custody::{Devices, LINK_SECRET};
pub use error::{Damaged, LoadError};
pub use keys::KEYRING;
use opened::{open_stored, Opened};
use socket::Socket;

/// After this many increments a document is folded into one snapshot.
const COMPACT_AFTER: usize = 64;

/// What the interface hears from the driver.
#[derive(Clone, Debug)]
pub enum Notice {
    Status(SyncStatus),
    /// A document's contents changed (locally or from another device).
    Changed(DocId),
    /// Something a person should know; syncing goes on.
    Problem(String),
    /// The organisation's device tokens, as the relay listed them for a manager's device.
    Devices(Devices),
}

struct State {
    replica: Replica,
    store: Rc<Store>,
    socket: Option<Socket>,
    notify: Rc<dyn Fn(Notice)>,
    increments: BTreeMap<DocId, usize>,
    /// Documents being read from storage for a read or edit that could not wait.
    loading: BTreeSet<DocId>,
    /// The relay ordered a wipe: nothing more is stored or sent.
    wiped: bool,
    /// Keys are stored but could not be read: no edit is made, as it would go unsealed.
    keys_unusable: bool,
    /// When the relay last welcomed this device (ms since the epoch).
    last_contact: Option<i64>,
    /// The last successful sync as stored, so that a reload still shows it.
    last_sync: Option<i64>,
    custody: custody::Custody,
}

/// A handle to the running driver; cheap to clone.
#[derive(Clone)]
pub struct Driver(Rc<RefCell<State>>);

impl Driver {
    /// Opens the `wanted` documents and every document with edits waiting to be sent, and
    /// starts syncing. Other stored documents stay in storage until someone looks at them
    /// ([`Driver::load`]): a device keeps every month it ever showed.
    pub async fn start(
        store: Rc<Store>,
        device: String,
        actor: ActorId,
        token: String,
        wanted: &[DocId],
        notify: Rc<dyn Fn(Notice)>,
    ) -> Result<Self, LoadError> {
        mark("front-desk:driver-start");
        let waiting = store.docs_with_outbox().await?;
        let last_contact = contact::stored_contact(&store).await;
        let last_sync = contact::stored_last_sync(&store).await;
        let mut replica = Replica::new(device, actor, random_seed());
        if let Some(at) = last_sync {
            replica.engine.recall_last_sync(at);
        }
        let stored_keys = keys::stored_keyring(&store, &*notify).await;
        if let Ok(Some(keyring)) = &stored_keys {
            replica.set_keyring(keyring.clone(), random_bytes());
        }
        let custody = custody::Custody::load(&store, &token, &*notify).await;
        let driver = Self(Rc::new(RefCell::new(State {
            replica,
            store,
            socket: None,
            notify: notify.clone(),
            increments: BTreeMap::new(),
            loading: BTreeSet::new(),
            wiped: false,
            keys_unusable: stored_keys.is_err(),
            last_contact,
            last_sync,
            custody,
        })));
        for doc in wanted {
            driver.load(doc).await?;
        }
        for doc in waiting.iter().filter(|doc| !wanted.contains(doc)) {
            // A waiting edit this version cannot open must not keep the rest from syncing.
            if let Err(e) = driver.load(doc).await {
                notify(Notice::Problem(e.to_string()));
            }
        }
        driver.listen_to_network();
        let first = if pwa::is_online() {
            Event::NetworkUp
        } else {
            Event::NetworkDown
        };
        driver.feed(first);
        driver.feed(Event::Start { token });
        mark("front-desk:docs-loaded");
        Ok(driver)
    }

    /// Opens `doc` from storage (fresh if nothing is stored) unless it is open already, and
    /// then tells the views it changed.
    pub async fn load(&self, doc: &DocId) -> Result<(), LoadError> {
        if self.is_open(doc) {
            return Ok(());
        }
        let (store, notify, actor, keyring) = {
            let state = self.0.borrow();
            let actor = state.replica.actor().clone();
            let keyring = state.replica.keyring().cloned();
            (state.store.clone(), state.notify.clone(), actor, keyring)
        };
        let keyring = keyring.as_ref();
        let reading = format!("front-desk:load {doc}");
        mark(&reading);
        let saved = store.load(doc).await?;
        measure(&format!("front-desk:idb-read {doc}"), &reading);
        // Another load of `doc` may have opened it while this one read storage; opening a
        // second copy over it would throw away whatever was merged or typed since.
        if self.is_open(doc) {
            return Ok(());
        }
        let opening = format!("front-desk:open {doc}");
        mark(&opening);
        let opened = match saved {
            None => Opened::fresh(doc, &actor, keyring, Vec::new(), &*notify)?,
            Some(saved) => match open_stored(doc, &actor, keyring, &saved, &*notify) {
                Ok((document, waiting, plain)) => Opened {
                    waiting,
                    plain,
                    document,
                    cursor: saved.cursor,
                    increments: saved.increments.len(),
                    outbox: saved.outbox,
                },
                Err(e) => {
                    // The damaged copy is dropped and fetched again from the relay; edits
                    // still waiting in the outbox are kept and merged into the fresh copy.
                    notify(Notice::Problem(format!(
                        "The saved copy of {doc} was damaged ({e}); fetching it again from the relay."
                    )));
                    if let Err(e) = store.discard_copy(doc).await {
                        notify(Notice::Problem(e.to_string()));
                    }
                    if self.is_open(doc) {
                        return Ok(());
                    }
                    Opened::fresh(doc, &actor, keyring, saved.outbox, &*notify)?
                }
            },
        };
        measure(&format!("front-desk:automerge-load {doc}"), &opening);
        let effects = {
            let mut state = self.0.borrow_mut();
            state.loading.remove(doc);
            state.increments.insert(doc.clone(), opened.increments);
            if opened.waiting > 0 {
                state.replica.mark_waiting_for_key(doc);
            }
            if opened.plain {
                state.replica.mark_plain(doc);
            }
            let Opened {
                document,
                cursor,
                outbox,
                ..
            } = opened;
            state.replica.open(document, cursor, outbox, now_ms())
        };
        self.carry_out(effects);
        notify(Notice::Changed(doc.clone()));
        Ok(())
    }

    /// Whether `doc` has everything the relay had when this connection subscribed to it.
    pub fn caught_up(&self, doc: &DocId) -> bool {
        self.0.borrow().replica.engine.caught_up(doc)
    }

    /// Whether the relay refused `doc` to this device's token: a site the device is not
    /// enrolled for.
    pub fn is_refused(&self, doc: &DocId) -> bool {
        self.0.borrow().replica.engine.is_refused(doc)
    }

    /// Whether `doc` is in memory, so that reads and edits of it answer at once.
    pub fn is_open(&self, doc: &DocId) -> bool {
        self.0.borrow().replica.doc(doc).is_some()
    }

    /// Loads `doc` and waits, at most `max_ms`, until it has all the relay had when this
    /// connection subscribed to it. Returns whether it has: offline, or with a slow relay,
    /// the caller knows it may be working on an incomplete copy.
    pub async fn until_synced(&self, doc: &DocId, max_ms: u32) -> bool {
        if self.load(doc).await.is_err() {
            return false;
        }
        let step = 50;
        for _ in 0..=max_ms / step {
            let (caught_up, online, refused) = {
                let state = self.0.borrow();
                let engine = &state.replica.engine;
                (
                    engine.caught_up(doc),
                    engine.status().state == sync_engine::ConnectionState::Online,
                    engine.is_refused(doc),
                )
            };
            // A document refused to this device will not come: no point in waiting.
            if caught_up || !online || refused {
                return caught_up;
            }
            gloo::timers::future::sleep(std::time::Duration::from_millis(u64::from(step))).await;
        }
        false
    }

    /// Reads a document with `read`. One that is not open yet answers
    /// [`DocumentError::Loading`] and is read from storage meanwhile; the view reads again
    /// on the [`Notice::Changed`] that follows.
    pub fn read<T>(
        &self,
        doc: &DocId,
        read: impl FnOnce(&AutoCommit) -> T,
    ) -> Result<T, DocumentError> {
        {
            let state = self.0.borrow();
            if let Some(document) = state.replica.doc(doc) {
                return Ok(read(document.automerge()));
            }
        }
        Err(self.load_in_background(doc))
    }

    /// Like [`Driver::read`], for a view that follows a document change by change through
    /// its heads and diffs, which Automerge only gives through `&mut`. Not for edits: they
    /// go through [`Driver::edit`], which stores and sends them.
    pub fn follow<T>(
        &self,
        doc: &DocId,
        follow: impl FnOnce(&mut Document) -> T,
    ) -> Result<T, DocumentError> {
        {
            let mut state = self.0.borrow_mut();
            if let Some(document) = state.replica.doc_mut(doc) {
                return Ok(follow(document));
            }
        }
        Err(self.load_in_background(doc))
    }

    /// Keeps a setting of this device (its site, who is at the desk, a threshold) in the
    /// store the driver already has open. A setting that is not kept is only asked again at
    /// the next start.
    pub fn remember(&self, key: &'static str, value: String) {
        if self.0.borrow().wiped {
            return;
        }
        let store = self.0.borrow().store.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let _ = store.set_meta(key, &value).await;
        });
    }

    pub fn device(&self) -> String {
        self.0.borrow().replica.device().to_string()
    }

    /// Who makes this device's changes from now on: named in each change's metadata.
    pub fn sign_in(&self, staff: Option<model::StaffId>) {
        self.0.borrow_mut().replica.sign_in(staff);
    }

    pub fn status(&self) -> SyncStatus {
        self.0.borrow().replica.engine.status()
    }

    /// Runs a local edit; the change is on screen at once and stored and sent right after.
    /// A document that is not open yet answers [`DocumentError::Loading`] and is read from
    /// storage meanwhile: an edit on a fresh empty copy would hide what is stored.
    pub fn edit<T>(
        &self,
        doc: &DocId,
        edit: impl FnOnce(&mut AutoCommit) -> Result<T, DocumentError>,
    ) -> Result<T, DocumentError> {
        self.refuse_if_blocked()?;
        if !self.is_open(doc) {
            return Err(self.load_in_background(doc));
        }
        let (value, bundle, effects) = self.0.borrow_mut().replica.edit(doc, now_ms(), edit)?;
        self.carry_out(effects);
        if let Some(bundle) = bundle {
            let (store, notify) = {
                let state = self.0.borrow();
                (state.store.clone(), state.notify.clone())
            };
            notify(Notice::Changed(doc.clone()));
            let driver = self.clone();
            let doc = doc.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match store.save_local(&doc, &bundle).await {
                    Ok(()) => mark("front-desk:edit-stored"),
                    Err(e) => notify(Notice::Problem(format!("This edit could not be saved on this device ({e}). It is on screen and is sent while the app stays open: keep it open until the status says all saved."))),
                }
                let effects = driver.0.borrow_mut().replica.queue(&doc, bundle, now_ms());
                driver.carry_out(effects);
                driver.count_increments(&doc, 1);
            });
        }
        Ok(value)
    }

    /// Runs a local edit once `doc` is open, reading it from storage first if needed: for
    /// edits that reach months nobody is looking at, such as a recurring series.
    pub async fn edit_loaded<T>(
        &self,
        doc: &DocId,
        edit: impl FnOnce(&mut AutoCommit) -> Result<T, DocumentError>,
    ) -> Result<T, DocumentError> {
        if DocKind::parse(doc).is_none() {
            return Err(DocumentError::UnknownKind(doc.to_string()));
        }
        self.load(doc).await?;
        self.edit(doc, edit)
    }

    /// Starts reading `doc` from storage unless that is under way already, and says why
    /// the caller cannot have it yet.
    fn load_in_background(&self, doc: &DocId) -> DocumentError {
        if DocKind::parse(doc).is_none() {
            return DocumentError::UnknownKind(doc.to_string());
        }
        if !self.0.borrow_mut().loading.insert(doc.clone()) {
            return DocumentError::Loading;
        }
        let driver = self.clone();
        let doc = doc.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let result = driver.load(&doc).await;
            let notify = {
                let mut state = driver.0.borrow_mut();
                // Also when another load opened it, or this one failed: a later read may
                // then try again.
                state.loading.remove(&doc);
                state.notify.clone()
            };
            if let Err(e) = result {
                notify(Notice::Problem(format!(
                    "{doc} could not be read from this device's storage: {e}"
                )));
            }
        });
        DocumentError::Loading
    }

    fn feed(&self, event: Event) {
        let effects = self.0.borrow_mut().replica.handle(event, now_ms());
        self.carry_out(effects);
        // Every event while connected is a contact, the welcome and each frame after it.
        let online = self.0.borrow().replica.engine.is_online();
        if online {
            self.note_contact();
        }
    }

    fn carry_out(&self, effects: Vec<Effect>) {
        for effect in effects {
            // After a wipe nothing more is stored, sent or shown.
            if self.0.borrow().wiped {
                return;
            }
            match effect {
                Effect::Connect { conn } => self.connect(conn),
                Effect::Close => {
                    let socket = self.0.borrow_mut().socket.take();
                    if let Some(socket) = socket {
                        socket.close();
                    }
                }
                Effect::Send(bytes) => {
                    let state = self.0.borrow();
                    if let Some(socket) = &state.socket {
                        // A failed send shows up as a close event, which reconnects.
                        socket.send(&bytes);
                    }
                }
                Effect::ScheduleReconnect { after_ms } => {
                    let driver = self.clone();
                    let delay = u32::try_from(after_ms).unwrap_or(u32::MAX);
                    Timeout::new(delay, move || driver.feed(Event::ReconnectDue)).forget();
                }
                Effect::Apply {
                    doc,
                    entries,
                    cursor,
                } => {
                    let (store, notify, problems) = {
                        let mut state = self.0.borrow_mut();
                        let problems = state.replica.take_problems();
                        (state.store.clone(), state.notify.clone(), problems)
                    };
                    for problem in problems {
                        notify(Notice::Problem(format!(
                            "{}: {}",
                            problem.doc, problem.message
                        )));
                    }
                    notify(Notice::Changed(doc.clone()));
                    if self.waits_for_key(&doc) {
                        self.ask_for_keys_later();
                    }
                    let driver = self.clone();
                    let count = entries.len();
                    wasm_bindgen_futures::spawn_local(async move {
                        if let Err(e) = store.save_remote(&doc, &entries, cursor).await {
                            notify(Notice::Problem(e.to_string()));
                        }
                        driver.count_increments(&doc, count);
                    });
                }
                Effect::Acked { doc, hash } => {
                    let (store, notify) = {
                        let state = self.0.borrow();
                        (state.store.clone(), state.notify.clone())
                    };
                    wasm_bindgen_futures::spawn_local(async move {
                        if let Err(e) = store.acknowledge(&doc, &hash).await {
                            notify(Notice::Problem(e.to_string()));
                        }
                    });
                }
                Effect::Status(status) => {
                    let notify = self.0.borrow().notify.clone();
                    let online = status.state == sync_engine::ConnectionState::Online;
                    self.keep_last_sync(status.last_sync_ms);
                    notify(Notice::Status(status));
                    self.online_now(online);
                }
                Effect::Refused { doc } => {
                    let notify = self.0.borrow().notify.clone();
                    // One sentence per site, whichever of its documents was refused: the
                    // list of problems shows a sentence once.
                    notify(Notice::Problem(crate::words::not_enrolled(doc.site())));
                    // Views showing it say so instead of showing it empty.
                    notify(Notice::Changed(doc));
                }
                Effect::Deferred { .. } => {
                    let notify = self.0.borrow().notify.clone();
                    notify(Notice::Problem(crate::words::RELAY_BUSY.to_string()));
                }
                Effect::StorageFull { retry_after_ms } => {
                    let notify = self.0.borrow().notify.clone();
                    notify(Notice::Problem(crate::words::RELAY_FULL.to_string()));
                    let driver = self.clone();
                    let delay = u32::try_from(retry_after_ms).unwrap_or(u32::MAX);
                    Timeout::new(delay, move || driver.feed(Event::RetryPushes)).forget();
                }
                Effect::Wipe => self.wipe(),
                Effect::Devices {
                    allowed,
                    devices,
                    rotate,
                } => self.devices_listed(allowed, devices, rotate),
                Effect::Keys(keys) => self.keys_arrived(keys),
                Effect::KeysStored { epoch, stored } => self.keys_stored(epoch, stored),
                Effect::KeysChanged => self.fetch_keys(),
                Effect::SnapshotWanted { doc } => self.snapshot_wanted(&doc),
            }
        }
    }

    /// Folds a document's increments into a snapshot once there are many.
    fn count_increments(&self, doc: &DocId, added: usize) {
        let snapshot = {
            let mut state = self.0.borrow_mut();
            // A plain snapshot written after a wipe would be left behind.
            if state.wiped {
                return;
            }
            let settled = state.replica.engine.caught_up_or_offline(doc);
            // Not while a backlog is still arriving: each fold saves the whole document, and
            // folding every 64 entries of a first download would save a busy month many times.
            // Nor while changes wait for a key: the fold would drop them from storage.
            let waiting = state.replica.waits_for_key(doc);
            let count = state.increments.entry(doc.clone()).or_default();
            *count += added;
            if *count < COMPACT_AFTER || !settled || waiting {
                return;
            }
            *count = 0;
            match state.replica.doc_mut(doc) {
                Some(document) => document.save(),
                None => return,
            }
        };
        let (store, notify) = {
            let state = self.0.borrow();
            (state.store.clone(), state.notify.clone())
        };
        let doc = doc.clone();
        wasm_bindgen_futures::spawn_local(async move {
            if let Err(e) = store.compact(&doc, &snapshot).await {
                notify(Notice::Problem(e.to_string()));
            }
        });
    }
}
