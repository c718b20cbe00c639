//! A document read from storage, made ready to open: its stored records, opened with the
//! organisation's keys where they are sealed (see `sync_engine::seal`).

use automerge::ActorId;
use protocol::{Bundle, DocId};
use sync_engine::seal::{is_sealed, open_any, Keyring, OpenError};

use super::{Damaged, Notice};
use crate::platform::idb::StoredDoc;
use model::{Document, DocumentError};

/// A document ready to be opened, with what storage knows about its syncing.
pub(super) struct Opened {
    pub(super) document: Document,
    pub(super) cursor: u64,
    pub(super) outbox: Vec<Bundle>,
    /// Increments stored since the snapshot, counted towards the next compaction.
    pub(super) increments: usize,
    /// Stored records sealed with a key this device has not been given.
    pub(super) waiting: usize,
    /// Whether a stored record is plain, from before the organisation's keys.
    pub(super) plain: bool,
}

impl Opened {
    /// A fresh copy with the edits still waiting to be sent, to be filled from the relay.
    pub(super) fn fresh(
        doc: &DocId,
        actor: &ActorId,
        keyring: Option<&Keyring>,
        waiting: Vec<Bundle>,
        notify: &dyn Fn(Notice),
    ) -> Result<Self, DocumentError> {
        let mut document = Document::new(doc, actor)?;
        // An unreadable waiting edit is reported and not sent: other devices would only
        // fail on it too.
        let mut outbox = Vec::with_capacity(waiting.len());
        for bundle in waiting {
            let merged = open_any(keyring, doc, &bundle.data)
                .map_err(|e| e.to_string())
                .and_then(|plain| document.apply(&plain).map_err(|e| crate::words::say(&e)));
            match merged {
                Ok(()) => outbox.push(bundle),
                Err(why) => notify(Notice::Problem(format!(
                    "An edit waiting to be sent for {doc} could not be read ({why}) and was set aside."
                ))),
            }
        }
        Ok(Self {
            document,
            cursor: 0,
            outbox,
            increments: 0,
            waiting: 0,
            plain: false,
        })
    }
}

/// Opens a stored copy, and says how many of its records wait for a key and whether any
/// is plain (from before the organisation's keys). A record sealed
/// with a key this device has not been given is left out of the copy (and left in storage,
/// to open once the key is here); any other record that does not open or merge makes the
/// copy damaged.
pub(super) fn open_stored(
    doc: &DocId,
    actor: &ActorId,
    keyring: Option<&Keyring>,
    saved: &StoredDoc,
    notify: &dyn Fn(Notice),
) -> Result<(Document, usize, bool), Damaged> {
    match saved.damaged {
        0 => {}
        1 => return Err(Damaged::Record),
        n => return Err(Damaged::Records(n)),
    }
    let mut waiting = 0;
    // The device's own snapshot is always plain (see ARCHITECTURE.md): only the records as
    // they came from the relay tell.
    let plain = saved.increments.iter().any(|b| !is_sealed(b));
    let mut open = |bytes: &[u8]| match open_any(keyring, doc, bytes) {
        Ok(plain) => Ok(Some(plain)),
        Err(OpenError::NoKey { .. }) => {
            waiting += 1;
            Ok(None)
        }
        Err(OpenError::Damaged) => Err(Damaged::Record),
    };
    let snapshot = saved
        .snapshot
        .as_deref()
        .map(&mut open)
        .transpose()?
        .flatten();
    let mut increments = Vec::with_capacity(saved.increments.len());
    for bytes in &saved.increments {
        increments.extend(open(bytes)?);
    }
    // Local edits not yet acknowledged are increments too; applying again is harmless.
    let mut outbox = Vec::with_capacity(saved.outbox.len());
    for bundle in &saved.outbox {
        outbox.extend(open(&bundle.data)?);
    }
    let mut document = Document::load(
        doc,
        actor,
        snapshot.as_deref(),
        increments.iter().map(Vec::as_slice),
    )?;
    for plain in &outbox {
        document.apply(plain)?;
    }
    if waiting > 0 {
        notify(Notice::Problem(format!(
            "{waiting} saved changes of {doc} are sealed with a key this device has not been given; they are kept until it is."
        )));
    }
    Ok((document, waiting, plain))
}
