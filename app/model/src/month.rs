//! A month's schedule kept up to date change by change. Reading a month of 10,000
//! appointments whole takes a large part of a second in a browser; after a booking or a
//! check-in only the records the change touched are read again.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use automerge::legacy::Key;
use automerge::{ChangeHash, Prop, ReadDoc};

use crate::document::maps;
use crate::schedule::{get, Schedule};
use crate::{AppointmentId, Document, DocumentError};

/// Beyond this many touched records one whole read is cheaper than reading them one by one.
const REREAD_ALL_ABOVE: usize = 2_000;

/// A schedule document as read, and the heads it was read at.
pub struct MonthView {
    heads: Vec<ChangeHash>,
    schedule: Arc<Schedule>,
    /// Ids of records that did not read, so that the count stays right as they change.
    unreadable: BTreeSet<String>,
}

impl MonthView {
    pub fn new(document: &mut Document) -> Result<Self, DocumentError> {
        let heads = document.heads();
        let (schedule, unreadable) = Schedule::read_with_unreadable(document.automerge())?;
        Ok(Self {
            heads,
            schedule: Arc::new(schedule),
            unreadable,
        })
    }

    /// The schedule as last read. Cheap to clone.
    pub fn schedule(&self) -> Arc<Schedule> {
        self.schedule.clone()
    }

    /// Brings the view up to `document`'s heads, reading again only the appointments the
    /// changes since touched. Returns whether anything changed.
    pub fn refresh(&mut self, document: &mut Document) -> Result<bool, DocumentError> {
        let heads = document.heads();
        if heads == self.heads {
            return Ok(false);
        }
        let touched = touched(document, &self.heads)?;
        if touched.len() > REREAD_ALL_ABOVE {
            *self = Self::new(document)?;
            return Ok(true);
        }
        let am = document.automerge();
        // Only this view holds the schedule between refreshes, so this does not copy.
        let schedule = Arc::make_mut(&mut self.schedule);
        for key in touched {
            let id = AppointmentId::from(key.clone());
            schedule.appointments.retain(|a| a.id != id);
            self.unreadable.remove(&key);
            match get(am, &id) {
                Ok(appointment) => {
                    let at = schedule.appointments.partition_point(|a| {
                        (a.start, &a.patient_name, &a.id)
                            < (
                                appointment.start,
                                &appointment.patient_name,
                                &appointment.id,
                            )
                    });
                    schedule.appointments.insert(at, appointment);
                }
                Err(DocumentError::NotFound(_)) if !exists(document, &key)? => {}
                Err(_) => {
                    self.unreadable.insert(key);
                }
            }
        }
        Arc::make_mut(&mut self.schedule).unreadable = self.unreadable.len();
        self.heads = heads;
        Ok(true)
    }
}

/// The appointment ids the changes since `before` touched: added, removed, or changed
/// anywhere inside. Found from the changes' operations, each traced up to its record:
/// Automerge's diff between heads walks the whole document, which at 10,000 appointments
/// costs what reading it again would.
fn touched(
    document: &mut Document,
    before: &[ChangeHash],
) -> Result<BTreeSet<String>, DocumentError> {
    let map = Document::root_map(document.automerge(), maps::APPOINTMENTS)?;
    let map_text = map.to_string();
    let changes = document.changes_since(before);
    let am = document.automerge();
    let mut ids = BTreeSet::new();
    let mut owners: HashMap<String, Option<String>> = HashMap::new();
    for change in changes {
        for op in change.decode().operations {
            let obj = op.obj.to_string();
            if obj == map_text {
                if let Key::Map(key) = op.key {
                    ids.insert(key.to_string());
                }
                continue;
            }
            let owner = owners
                .entry(obj)
                .or_insert_with_key(|obj| owner_of(am, obj, &map));
            if let Some(key) = owner {
                ids.insert(key.clone());
            }
        }
    }
    Ok(ids)
}

/// The appointment whose record holds the object `obj` (written `counter@actor`).
fn owner_of(am: &automerge::AutoCommit, obj: &str, map: &automerge::ObjId) -> Option<String> {
    let id = am.import_obj(obj).ok()?;
    am.parents(&id).ok()?.find_map(|parent| match parent.prop {
        Prop::Map(key) if parent.obj == *map => Some(key),
        _ => None,
    })
}

/// Whether the appointments map has a record under `key` at all.
fn exists(document: &Document, key: &str) -> Result<bool, DocumentError> {
    let am = document.automerge();
    let map = Document::root_map(am, maps::APPOINTMENTS)?;
    Ok(am
        .get(&map, key)
        .map_err(|e| DocumentError::Write(e.to_string()))?
        .is_some())
}

#[cfg(test)]
mod tests {
    use automerge::ActorId;
    use protocol::DocId;

    use super::*;
    use crate::appointment::{parse_local_datetime, ValidBooking};
    use crate::schedule::{book, cancel, take, Who};
    use crate::{ProviderId, Status};

    fn who() -> Who {
        Who {
            device: "Desk".into(),
            staff: None,
        }
    }

    fn booking(name: &str, start: &str) -> ValidBooking {
        let start = parse_local_datetime(start).expect("valid");
        ValidBooking::new(name, ProviderId::from("dr-a"), start, 20)
    }

    fn now() -> chrono::NaiveDateTime {
        parse_local_datetime("2026-11-22T08:00").expect("valid")
    }

    #[test]
    fn a_followed_month_matches_a_whole_read_after_every_kind_of_change() {
        let id = DocId::new("schedule/main/2026-11").expect("valid");
        let mut desk = Document::new(&id, &ActorId::random()).expect("known");
        let mut other = Document::new(&id, &ActorId::random()).expect("known");
        let mut view = MonthView::new(&mut desk).expect("reads");
        let check = |view: &MonthView, desk: &Document| {
            assert_eq!(
                *view.schedule(),
                Schedule::read(desk.automerge()).expect("reads")
            );
        };

        let (a, _) = desk
            .change(|d| {
                book(
                    d,
                    &booking("Alex Sample", "2026-11-23T10:00"),
                    &who(),
                    now(),
                )
            })
            .expect("books");
        let (_, _) = desk
            .change(|d| {
                book(
                    d,
                    &booking("Kim Example", "2026-11-23T09:00"),
                    &who(),
                    now(),
                )
            })
            .expect("books");
        assert!(view.refresh(&mut desk).expect("refreshes"));
        check(&view, &desk);
        assert!(!view.refresh(&mut desk).expect("refreshes"), "nothing new");

        // A change inside a record, one from another device, a removal, a damaged record.
        desk.change(|d| cancel(d, &a, "", &who(), now()))
            .expect("cancels");
        let (_, bundle) = other
            .change(|d| {
                book(
                    d,
                    &booking("Lee Fixture", "2026-11-24T11:00"),
                    &who(),
                    now(),
                )
            })
            .expect("books");
        desk.apply(&bundle.expect("bundle")).expect("merges");
        view.refresh(&mut desk).expect("refreshes");
        check(&view, &desk);
        assert_eq!(
            view.schedule().find(&a).map(|x| x.status),
            Some(Status::Cancelled)
        );

        desk.change(|d| take(d, &a).map(|_| ())).expect("takes");
        desk.change(|d| {
            let map = Document::root_map(d, maps::APPOINTMENTS)?;
            automerge::transaction::Transactable::put(d, &map, "broken", "not a record")
                .map_err(|e| DocumentError::Write(e.to_string()))
        })
        .expect("writes");
        view.refresh(&mut desk).expect("refreshes");
        check(&view, &desk);
        assert_eq!(view.schedule().unreadable, 1);
    }
}
