//! Who made a change, carried in the change itself: Automerge's commit message holds the
//! signed-in person's staff id and the device's name, and its time the moment of the edit.
//! The history of a document is therefore its audit trail, and merges keep it as they keep
//! everything else.
//!
//! The message is `fd1␟{staff id}␟{device}` (␟ is U+001F, the unit separator, which neither
//! a staff id nor a device name may hold); a change made with nobody signed in (the demo
//! clinic, a device's own housekeeping) has `fd1␟␟{device}`.

use automerge::transaction::CommitOptions;
use std::collections::HashMap;

use automerge::{ActorId, AutoCommit, Automerge, ChangeHash, ChangeMetadata, ObjId};

use crate::{Directory, StaffId};

const VERSION: &str = "fd1";
const SEPARATOR: char = '\u{1f}';

/// Who makes the next change, on which device, when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stamp {
    pub staff: Option<StaffId>,
    pub device: String,
    /// Milliseconds since the epoch.
    pub at_ms: i64,
}

impl Stamp {
    /// The commit message and time this stamp puts on a change.
    pub fn options(&self) -> CommitOptions {
        let staff = self.staff.as_ref().map_or("", StaffId::as_str);
        let device: String = self.device.chars().filter(|c| *c != SEPARATOR).collect();
        CommitOptions::default()
            .with_message(format!("{VERSION}{SEPARATOR}{staff}{SEPARATOR}{device}"))
            .with_time(self.at_ms.div_euclid(1000))
    }
}

/// One change of a document's history, as the audit reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signed {
    pub hash: ChangeHash,
    pub actor: ActorId,
    /// Who was signed in; `None` for a change with nobody signed in, or made before changes
    /// were signed.
    pub staff: Option<StaffId>,
    /// The device's name, when the change says it.
    pub device: Option<String>,
    /// Seconds since the epoch, as the device's clock had it (0 when unknown).
    pub at_secs: i64,
    /// The changes it came after.
    pub deps: Vec<ChangeHash>,
}

/// Reads a commit message written by [`Stamp::options`]; anything else reads as unsigned.
pub fn read_message(message: Option<&str>) -> (Option<StaffId>, Option<String>) {
    let Some(rest) = message.and_then(|m| m.strip_prefix(VERSION)) else {
        return (None, None);
    };
    let mut parts = rest.split(SEPARATOR);
    let (Some(""), Some(staff), Some(device), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return (None, None);
    };
    let staff = (!staff.is_empty()).then(|| StaffId::from(staff));
    (staff, Some(device.to_string()))
}

impl Signed {
    fn of(change: &ChangeMetadata<'_>) -> Self {
        let (staff, device) = read_message(change.message.as_deref());
        Signed {
            hash: change.hash,
            actor: change.actor.as_ref().clone(),
            staff,
            device,
            at_secs: change.timestamp,
            deps: change.deps.clone(),
        }
    }

    /// "Ana Ruiz at Front desk 1", from the change alone: the person by their name in
    /// `directory` today; `None` when nobody was signed in.
    pub fn by(&self, directory: &Directory) -> Option<String> {
        Some(named(
            self.staff.as_ref()?,
            self.device.as_deref(),
            directory,
        ))
    }
}

/// "Ana Ruiz at Front desk 1": a person by their name in `directory`, and the device when
/// it is known.
pub fn named(staff: &StaffId, device: Option<&str>, directory: &Directory) -> String {
    let name = directory.staff_name(staff);
    match device {
        Some(device) if !device.is_empty() => format!("{name} at {device}"),
        _ => name,
    }
}

/// The changes that made each of `objects` (a map or list a change put into the
/// document), with who made them: `None` for the root, an object of the genesis, or one
/// the document does not know. Each change is read once however many objects it made.
pub fn makers(doc: &Automerge, objects: &[ObjId]) -> Vec<Option<Signed>> {
    let mut seen: HashMap<ChangeHash, Option<Signed>> = HashMap::new();
    objects
        .iter()
        .map(|obj| {
            let hash = doc.hash_for_opid(obj)?;
            seen.entry(hash)
                .or_insert_with(|| {
                    doc.get_change_meta_by_hash(&hash)
                        .filter(|c| !crate::document::is_genesis(&c.actor))
                        .map(|c| Signed::of(&c))
                })
                .clone()
        })
        .collect()
}

/// Every change of `doc`, in causal order, with who made it. Genesis changes (time zero,
/// fixed actors) are left out: nobody made them.
pub fn history(doc: &mut AutoCommit) -> Vec<Signed> {
    doc.get_changes_meta(&[])
        .into_iter()
        .filter(|c| !crate::document::is_genesis(&c.actor))
        .map(|change| {
            let (staff, device) = read_message(change.message.as_deref());
            Signed {
                hash: change.hash,
                actor: change.actor.into_owned(),
                staff,
                device,
                at_secs: change.timestamp,
                deps: change.deps,
            }
        })
        .collect()
}
