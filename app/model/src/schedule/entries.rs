//! What an appointment's record keeps under keys of its own, one map each: its
//! confirmation calls (`call:{id}`). Keys of their own, so that two desks adding one at
//! once, even the appointment's first, both keep theirs; a call is never changed once
//! made, and `Record`'s reconcile leaves them be. One that does not read (a later
//! version's, or damaged) is left out, and the appointment still shows.

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjId, ObjType, ReadDoc, ValueRef};

use super::record::{optional_text, text};
use crate::confirm::{Call, Outcome};
use crate::fields::write_error;
use crate::DocumentError;

const CALL: &str = "call:";

/// An appointment's calls, in the order made.
#[derive(Default)]
pub(super) struct Entries {
    pub calls: Vec<Call>,
}

impl Entries {
    /// Takes the record's field `key` if it is a call; whether it was one.
    pub fn take(&mut self, doc: &AutoCommit, key: &str, obj: &ObjId, value: &ValueRef<'_>) -> bool {
        let Some(id) = key.strip_prefix(CALL) else {
            return false;
        };
        self.calls.extend(call(doc, id, obj, value));
        true
    }

    pub fn sort(&mut self) {
        self.calls
            .sort_by(|a, b| (&a.at, &a.id).cmp(&(&b.at, &b.id)));
    }
}

fn call(doc: &AutoCommit, id: &str, obj: &ObjId, value: &ValueRef<'_>) -> Option<Call> {
    if *value != ValueRef::Object(ObjType::Map) {
        return None;
    }
    let (mut outcome, mut at, mut start) = (None, None, None);
    let (mut device, mut staff) = (None, None);
    for field in doc.map_range(obj, ..) {
        let value = field.value;
        match field.key.as_ref() {
            "outcome" => outcome = Some(Outcome::stored(&text(value)?)?),
            "at" => at = Some(text(value)?),
            "start" => start = Some(text(value)?),
            "device" => device = Some(text(value)?),
            "staff" => staff = optional_text(value)?,
            _ => {}
        }
    }
    Some(Call {
        id: id.to_string(),
        outcome: outcome?,
        at: at?,
        start: start?,
        device: device?,
        staff,
    })
}

/// Writes the calls the record at `obj` does not hold yet: a new call, or every one of an
/// appointment moved here from another month.
pub(super) fn put(doc: &mut AutoCommit, obj: &ObjId, calls: &[Call]) -> Result<(), DocumentError> {
    for c in calls {
        let key = format!("{CALL}{}", c.id);
        if doc.get(obj, key.as_str()).map_err(write_error)?.is_some() {
            continue;
        }
        let entry = doc
            .put_object(obj, key.as_str(), ObjType::Map)
            .map_err(write_error)?;
        doc.put(&entry, "outcome", format!("{:?}", c.outcome))
            .map_err(write_error)?;
        doc.put(&entry, "at", c.at.as_str()).map_err(write_error)?;
        doc.put(&entry, "start", c.start.as_str())
            .map_err(write_error)?;
        doc.put(&entry, "device", c.device.as_str())
            .map_err(write_error)?;
        if let Some(staff) = &c.staff {
            doc.put(&entry, "staff", staff.as_str())
                .map_err(write_error)?;
        }
    }
    Ok(())
}
