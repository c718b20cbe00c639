//! The audit trail, from the documents' own history: who changed which record of a
//! document, and when ([`changes`]), read from each change's [`Stamp`] and from what the
//! change did, and the record as it was before and after ([`record_at`]). There is no
//! second log of changes that could disagree with the documents.
//!
//! What changes no document (a record opened, an export, a print, emergency access) is
//! recorded in the append-only audit document of the site and month ([`DocKind::Audit`]) as
//! an [`Event`].
//!
//! [`Stamp`]: crate::access::stamp::Stamp

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ChangeHash, ObjId, Prop, ReadDoc, Value, ROOT};

use crate::access::stamp::history;
use crate::document::maps;
use crate::fields::{int, new_record, record, text, write_error};
use crate::{Document, DocumentError, StaffId};

/// A record a change touched: the top-level map it lives in and its id.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Touched {
    pub map: String,
    pub id: String,
}

/// One change of a document, as the audit lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub hash: ChangeHash,
    pub deps: Vec<ChangeHash>,
    pub staff: Option<StaffId>,
    pub device: Option<String>,
    /// Seconds since the epoch, by the clock of the device that made it.
    pub at_secs: i64,
    /// The records it touched, each once, in order.
    pub touched: Vec<Touched>,
}

/// Every change of `doc` made by a person or a device (not the genesis steps), oldest
/// first by time, with the records each touched.
pub fn changes(doc: &mut AutoCommit) -> Vec<Change> {
    let mut all: Vec<Change> = history(doc)
        .into_iter()
        .map(|signed| {
            let patches = doc.diff(&signed.deps, &[signed.hash]);
            let mut touched: Vec<Touched> = patches
                .iter()
                .filter_map(|patch| {
                    let prop = |p: &Prop| match p {
                        Prop::Map(key) => Some(key.clone()),
                        Prop::Seq(_) => None,
                    };
                    let (map, id) = match patch.path.as_slice() {
                        [] => return None,
                        // A record made or removed: the change is to the map that holds it.
                        [(_, map)] => (prop(map)?, patch_key(&patch.action)?),
                        [(_, map), (_, id), ..] => (prop(map)?, prop(id)?),
                    };
                    Some(Touched { map, id })
                })
                .collect();
            let mut seen = Vec::new();
            touched.retain(|t| {
                let new = !seen.contains(t);
                if new {
                    seen.push(t.clone());
                }
                new
            });
            Change {
                hash: signed.hash,
                deps: signed.deps,
                staff: signed.staff,
                device: signed.device,
                at_secs: signed.at_secs,
                touched,
            }
        })
        .collect();
    all.sort_by_key(|c| (c.at_secs, c.hash));
    all
}

/// The changes of `doc` that touched the record `id` of the top-level map `map`, oldest
/// first: the record's own history, as a card or a shift shows it.
pub fn record_changes(doc: &mut AutoCommit, map: &str, id: &str) -> Vec<Change> {
    changes(doc)
        .into_iter()
        .filter(|c| c.touched.iter().any(|t| t.map == map && t.id == id))
        .collect()
}

fn patch_key(action: &automerge::PatchAction) -> Option<String> {
    use automerge::PatchAction::*;
    match action {
        PutMap { key, .. } | DeleteMap { key } => Some(key.clone()),
        _ => None,
    }
}

/// Fields of a sign-in record whose values are secrets' hashes.
const SECRET_FIELDS: [&str; 3] = ["pin", "previous_pin", "setup"];

/// The fields of the record `id` in the map `map`, as text, at `heads` (a PIN's or
/// set-up code's hash reads "(hidden)"); empty when the
/// record did not exist then. Nested lists and maps read as the number of their entries.
pub fn record_at(
    doc: &AutoCommit,
    map: &str,
    id: &str,
    heads: &[ChangeHash],
) -> Vec<(String, String)> {
    let Ok(Some((Value::Object(_), map_obj))) = doc.get_at(ROOT, map, heads) else {
        return Vec::new();
    };
    let Ok(Some((Value::Object(_), obj))) = doc.get_at(&map_obj, id, heads) else {
        return Vec::new();
    };
    doc.keys_at(&obj, heads)
        .map(|key| {
            // A PIN's or set-up code's hash is never shown, not even to the audit.
            if map == maps::ACCESS && SECRET_FIELDS.contains(&key.as_str()) {
                let value = match doc.get_at(&obj, key.as_str(), heads) {
                    Ok(Some((Value::Scalar(s), _))) if scalar(&s).is_empty() => "",
                    _ => "(hidden)",
                };
                return (key, value.to_string());
            }
            let value = match doc.get_at(&obj, key.as_str(), heads) {
                Ok(Some((Value::Scalar(s), _))) => scalar(&s),
                Ok(Some((Value::Object(_), inner))) => {
                    format!("({} entries)", entries(doc, &inner, heads))
                }
                _ => String::new(),
            };
            (key, value)
        })
        .collect()
}

fn entries(doc: &AutoCommit, obj: &ObjId, heads: &[ChangeHash]) -> usize {
    doc.length_at(obj, heads)
        .max(doc.keys_at(obj, heads).count())
}

fn scalar(value: &automerge::ScalarValue) -> String {
    use automerge::ScalarValue::*;
    match value {
        Str(s) => s.to_string(),
        Int(i) => i.to_string(),
        Uint(u) => u.to_string(),
        F64(f) => f.to_string(),
        Counter(c) => i64::from(c).to_string(),
        Timestamp(t) => t.to_string(),
        Boolean(b) => b.to_string(),
        Null => String::new(),
        Bytes(b) => format!("({} bytes)", b.len()),
        Unknown { .. } => "(unknown)".into(),
    }
}

/// What names a record for a person reading the audit: its patient, name or title, as the
/// record holds it at `heads` (or last held it, for a removed record, when `heads` are
/// the change's parents).
pub fn label_at(doc: &AutoCommit, map: &str, id: &str, heads: &[ChangeHash]) -> Option<String> {
    let fields = record_at(doc, map, id, heads);
    ["patient_name", "name", "title", "patient"]
        .iter()
        .find_map(|wanted| fields.iter().find(|(k, _)| k == wanted))
        .map(|(_, v)| v.clone())
        .filter(|v| !v.is_empty())
}

/// Something done with patient data that changes no document: a record opened, exported
/// or printed, or emergency access.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventKind {
    /// A patient's record opened.
    View,
    Export,
    Print,
    /// Emergency access: a page the person's role does not offer, opened with a reason.
    BreakGlass,
}

impl EventKind {
    pub fn code(self) -> &'static str {
        match self {
            Self::View => "view",
            Self::Export => "export",
            Self::Print => "print",
            Self::BreakGlass => "break-glass",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [Self::View, Self::Export, Self::Print, Self::BreakGlass]
            .into_iter()
            .find(|k| k.code() == code)
    }
}

/// One entry of the audit document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    pub id: String,
    pub kind: EventKind,
    pub staff: StaffId,
    pub device: String,
    /// Milliseconds since the epoch.
    pub at_ms: i64,
    /// What was exported, printed or opened, in words ("Day sheet 2026-12-07").
    pub what: String,
    /// Why, for emergency access.
    pub reason: String,
}

/// Appends `event` to the audit document. Entries are never changed or removed.
pub fn append(doc: &mut AutoCommit, event: &Event) -> Result<(), DocumentError> {
    let map = Document::root_map(doc, maps::EVENTS)?;
    let obj = new_record(doc, &map, &event.id)?;
    let put = |doc: &mut AutoCommit, key: &str, value: &str| {
        doc.put(&obj, key, value).map_err(write_error)
    };
    put(doc, "kind", event.kind.code())?;
    put(doc, "staff", event.staff.as_str())?;
    put(doc, "device", &event.device)?;
    put(doc, "what", &event.what)?;
    put(doc, "reason", &event.reason)?;
    doc.put(&obj, "at", event.at_ms).map_err(write_error)
}

/// Every event of the audit document, oldest first, and how many records did not read.
pub fn events(doc: &AutoCommit) -> Result<(Vec<Event>, usize), DocumentError> {
    let map = Document::root_map(doc, maps::EVENTS)?;
    let mut unreadable = 0;
    let mut all = Vec::new();
    for id in doc.keys(&map) {
        let read = record(doc, &map, &id).and_then(|obj| {
            Some(Event {
                kind: EventKind::parse(&text(doc, &obj, "kind")?)?,
                staff: StaffId::from(text(doc, &obj, "staff")?),
                device: text(doc, &obj, "device").unwrap_or_default(),
                at_ms: int(doc, &obj, "at")?,
                what: text(doc, &obj, "what").unwrap_or_default(),
                reason: text(doc, &obj, "reason").unwrap_or_default(),
                id: id.clone(),
            })
        });
        match read {
            Some(event) => all.push(event),
            None => unreadable += 1,
        }
    }
    all.sort_by(|a, b| (a.at_ms, &a.id).cmp(&(b.at_ms, &b.id)));
    Ok((all, unreadable))
}

#[cfg(test)]
mod tests;
