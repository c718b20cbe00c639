//! One Automerge document of the organisation, and how local edits become bundles.
//!
//! Every document starts from the same *genesis* change on every device: the skeleton of
//! its maps, written by a fixed actor at time zero, so that it has the same hash
//! everywhere. Two desks that create the same month while offline therefore share one
//! `appointments` map instead of racing to create two, which would hide one desk's
//! bookings behind the other's.
//!
//! A skeleton grows by *steps*: a later version adds maps in a second genesis change (its
//! own fixed actor, on top of the first), and every copy, old or new, gets the steps it
//! lacks when it is loaded.

use automerge::transaction::{CommitOptions, Transactable};
use automerge::{ActorId, AutoCommit, LoadOptions, ObjType, OnPartialLoad, ReadDoc, ROOT};
use chrono::{Datelike, NaiveDate};
use protocol::DocId;

use crate::access::stamp::Stamp;
use crate::board::BoardScope;
use crate::SiteId;

/// The actors of the genesis steps, one a step. No device ever writes with them.
const GENESIS_ACTORS: [&[u8; 16]; 7] = [
    b"front-desk-gen-1",
    b"front-desk-gen-2",
    b"front-desk-gen-3",
    b"front-desk-gen-4",
    b"front-desk-gen-5",
    b"front-desk-gen-6",
    b"front-desk-gen-7",
];

/// Whether `actor` is one of the genesis steps': nobody's change.
pub(crate) fn is_genesis(actor: &ActorId) -> bool {
    GENESIS_ACTORS
        .iter()
        .any(|a| actor.to_bytes() == a.as_slice())
}

/// Which document an id names, and so which skeleton it starts from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DocKind {
    /// The organisation's sites and providers.
    Directory,
    /// The appointments of one site in one calendar month.
    Schedule { site: SiteId, year: i32, month: u32 },
    /// The patients of one site who want an earlier appointment.
    Waitlist { site: SiteId },
    /// A task board: one site's, or the organisation's.
    Board { scope: BoardScope },
    /// One site's supplies: items with their on-hand counters and lots, purchase orders
    /// and cycle counts.
    Inventory { site: SiteId },
    /// One site's stock movements of one calendar month: the append-only log.
    Stock { site: SiteId, year: i32, month: u32 },
    /// One site's shifts and swap requests of one calendar month.
    Roster { site: SiteId, year: i32, month: u32 },
    /// One site's exports, prints and emergency openings of one calendar month: the
    /// append-only audit of what changes no other document.
    Audit { site: SiteId, year: i32, month: u32 },
    /// One site's log of complaints and incidents, which its managers keep.
    Incidents { site: SiteId },
    /// One of the organisation's [`crate::patient::SHARDS`] documents of the patient
    /// register: `patients-{x}`, one hex digit, and no site.
    Patients { shard: u8 },
    /// The staff file of the organisation, which managers keep: terms, onboarding,
    /// training and appraisals.
    StaffFile,
}

impl DocKind {
    pub fn schedule_for(site: &SiteId, day: NaiveDate) -> Self {
        Self::Schedule {
            site: site.clone(),
            year: day.year(),
            month: day.month(),
        }
    }

    /// The stock movements of `site` in the month of `day`.
    pub fn stock_for(site: &SiteId, day: NaiveDate) -> Self {
        Self::Stock {
            site: site.clone(),
            year: day.year(),
            month: day.month(),
        }
    }

    /// The audit document of `site` for the month of `day`.
    pub fn audit_for(site: &SiteId, day: NaiveDate) -> Self {
        Self::Audit {
            site: site.clone(),
            year: day.year(),
            month: day.month(),
        }
    }

    pub fn doc_id(&self) -> DocId {
        let id = match self {
            Self::Directory => "directory".to_string(),
            Self::Schedule { site, year, month } => {
                format!("schedule/{}/{year:04}-{month:02}", site.as_str())
            }
            Self::Waitlist { site } => format!("waitlist/{}", site.as_str()),
            Self::Board { scope } => format!("board/{}", scope.key()),
            Self::Inventory { site } => format!("inventory/{}", site.as_str()),
            Self::Stock { site, year, month } => {
                format!("stock/{}/{year:04}-{month:02}", site.as_str())
            }
            Self::Roster { site, year, month } => {
                format!("roster/{}/{year:04}-{month:02}", site.as_str())
            }
            Self::Audit { site, year, month } => {
                format!("audit/{}/{year:04}-{month:02}", site.as_str())
            }
            Self::Incidents { site } => format!("incidents/{}", site.as_str()),
            Self::Patients { shard } => format!("patients-{shard:x}"),
            Self::StaffFile => "staff-file".to_string(),
        };
        DocId::new(id).expect("site ids are validated to be doc-id safe")
    }

    pub fn parse(id: &DocId) -> Option<Self> {
        let text = id.as_str();
        if text == "directory" {
            return Some(Self::Directory);
        }
        if text == "staff-file" {
            return Some(Self::StaffFile);
        }
        if let Some(shard) = text.strip_prefix("patients-") {
            let shard = match shard.as_bytes() {
                // Lower case only, as written: one document, one name.
                [digit @ (b'0'..=b'9' | b'a'..=b'f')] => (*digit as char).to_digit(16)?,
                _ => return None,
            };
            return (shard < u32::from(crate::patient::SHARDS))
                .then_some(Self::Patients { shard: shard as u8 });
        }
        if let Some(site) = text.strip_prefix("waitlist/") {
            return Some(Self::Waitlist {
                site: SiteId::new(site)?,
            });
        }
        if let Some(scope) = text.strip_prefix("board/") {
            return Some(Self::Board {
                scope: BoardScope::parse(scope)?,
            });
        }
        if let Some(site) = text.strip_prefix("incidents/") {
            return Some(Self::Incidents {
                site: SiteId::new(site)?,
            });
        }
        if let Some(site) = text.strip_prefix("inventory/") {
            return Some(Self::Inventory {
                site: SiteId::new(site)?,
            });
        }
        if let Some(rest) = text.strip_prefix("stock/") {
            let (site, year, month) = site_month(rest)?;
            return Some(Self::Stock { site, year, month });
        }
        if let Some(rest) = text.strip_prefix("roster/") {
            let (site, year, month) = site_month(rest)?;
            return Some(Self::Roster { site, year, month });
        }
        if let Some(rest) = text.strip_prefix("audit/") {
            let (site, year, month) = site_month(rest)?;
            return Some(Self::Audit { site, year, month });
        }
        let (site, year, month) = site_month(text.strip_prefix("schedule/")?)?;
        Some(Self::Schedule { site, year, month })
    }

    /// The maps every copy of this document has from the start, step by step. Steps are
    /// only ever appended.
    fn skeleton(&self) -> &'static [&'static [&'static str]] {
        match self {
            Self::Directory => &[
                &[maps::PROVIDERS],
                &[maps::SITES, maps::ROOMS, maps::TYPES, maps::STAFF],
                &[
                    maps::CREDENTIALS,
                    maps::TIME_OFF,
                    maps::POSITIONS,
                    maps::SHIFT_TEMPLATES,
                    maps::ROSTER_RULES,
                ],
                &[maps::ACCESS, maps::SIGN_IN_FAILURES],
                &[maps::CLOSURES, maps::CALLING],
                &[maps::VENDORS],
                &[maps::PRACTICE],
            ],
            Self::Schedule { .. } => &[&[maps::APPOINTMENTS], &[maps::DRAWERS, maps::PAYMENTS]],
            Self::Waitlist { .. } => &[&[maps::ENTRIES]],
            Self::Board { .. } => &[&[maps::COLUMNS, maps::LABELS, maps::CARDS, maps::TEMPLATES]],
            Self::Inventory { .. } => &[
                &[maps::ITEMS, maps::ORDERS, maps::COUNTS],
                &[maps::BUDGET, maps::EQUIPMENT],
            ],
            Self::Stock { .. } => &[&[maps::MOVEMENTS]],
            Self::Roster { .. } => &[&[maps::SHIFTS, maps::SWAPS]],
            Self::Audit { .. } => &[&[maps::EVENTS]],
            Self::Incidents { .. } => &[&[maps::INCIDENTS]],
            Self::Patients { .. } => &[&[maps::PATIENTS]],
            Self::StaffFile => &[&[
                maps::TERMS,
                maps::ONBOARDING,
                maps::ONBOARDED,
                maps::TRAINING,
                maps::APPRAISALS,
            ]],
        }
    }

    /// Writes what a step holds beyond its empty maps: the same on every device, forever.
    fn seed(&self, step: usize, doc: &mut AutoCommit) -> Result<(), DocumentError> {
        match (self, step) {
            (Self::Board { .. }, 0) => crate::board::seed(doc),
            _ => Ok(()),
        }
    }
}

/// The names of the top-level maps: created by the genesis steps ([`DocKind`]'s skeleton)
/// and read through [`Document::root_map`], spelled here once.
pub mod maps {
    pub const PROVIDERS: &str = "providers";
    pub const SITES: &str = "sites";
    pub const ROOMS: &str = "rooms";
    pub const TYPES: &str = "types";
    pub const STAFF: &str = "staff";
    pub const CREDENTIALS: &str = "credentials";
    pub const TIME_OFF: &str = "time_off";
    pub const CLOSURES: &str = "closures";
    pub const CALLING: &str = "calling";
    pub const VENDORS: &str = "vendors";
    pub const PRACTICE: &str = "practice";
    pub const EQUIPMENT: &str = "equipment";
    pub const POSITIONS: &str = "positions";
    pub const SHIFT_TEMPLATES: &str = "shift_templates";
    pub const ROSTER_RULES: &str = "roster_rules";
    pub const ACCESS: &str = "access";
    pub const SIGN_IN_FAILURES: &str = "sign_in_failures";
    pub const APPOINTMENTS: &str = "appointments";
    pub const DRAWERS: &str = "drawers";
    pub const PAYMENTS: &str = "payments";
    pub const ENTRIES: &str = "entries";
    pub const COLUMNS: &str = "columns";
    pub const LABELS: &str = "labels";
    pub const CARDS: &str = "cards";
    pub const TEMPLATES: &str = "templates";
    pub const ITEMS: &str = "items";
    pub const ORDERS: &str = "orders";
    pub const COUNTS: &str = "counts";
    pub const BUDGET: &str = "budget";
    pub const MOVEMENTS: &str = "movements";
    pub const SHIFTS: &str = "shifts";
    pub const SWAPS: &str = "swaps";
    pub const EVENTS: &str = "events";
    pub const INCIDENTS: &str = "incidents";
    pub const PATIENTS: &str = "patients";
    pub const TERMS: &str = "terms";
    pub const ONBOARDING: &str = "onboarding";
    pub const ONBOARDED: &str = "onboarded";
    pub const TRAINING: &str = "training";
    pub const APPRAISALS: &str = "appraisals";
}

/// `{site}/{yyyy-mm}`, the tail of a monthly document's id.
fn site_month(text: &str) -> Option<(SiteId, i32, u32)> {
    let (site, month) = text.rsplit_once('/')?;
    let (year, month) = month.split_once('-')?;
    let (year, month) = (year.parse().ok()?, month.parse().ok()?);
    NaiveDate::from_ymd_opt(year, month, 1)?;
    Some((SiteId::new(site)?, year, month))
}

/// The first day of `day`'s month: the month a schedule document holds.
pub fn first_of_month(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

/// Why a document could not be loaded or changed.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    #[error("document id {0} is not one this version knows")]
    UnknownKind(String),
    #[error("stored document is damaged: {0}")]
    Corrupt(automerge::AutomergeError),
    #[error("could not write the change: {0}")]
    Write(String),
    /// What the change is about is not there.
    #[error("not found: {0:?}")]
    NotFound(crate::refusal::Missing),
    /// The change is not allowed; the refusal says why, and the view says it to the person.
    #[error("refused: {0:?}")]
    Refused(crate::refusal::Refusal),
    /// The document is being read from the device's storage; try again when it has loaded.
    #[error("still loading from this device's storage")]
    Loading,
}

/// Equal when the same thing went wrong; a damaged document's errors compare by what they
/// say, since Automerge's errors do not compare.
impl PartialEq for DocumentError {
    fn eq(&self, other: &Self) -> bool {
        use DocumentError::*;
        match (self, other) {
            (UnknownKind(a), UnknownKind(b)) | (Write(a), Write(b)) => a == b,
            (Corrupt(a), Corrupt(b)) => a.to_string() == b.to_string(),
            (NotFound(a), NotFound(b)) => a == b,
            (Refused(a), Refused(b)) => a == b,
            (Loading, Loading) => true,
            _ => false,
        }
    }
}

/// A change's bytes, as a bundle carries them.
pub type Bytes = Vec<u8>;

/// An open document: the Automerge state and the id it syncs under.
pub struct Document {
    id: DocId,
    kind: DocKind,
    doc: AutoCommit,
}

impl Document {
    /// A fresh copy: just the genesis change, then this device's actor.
    pub fn new(id: &DocId, actor: &ActorId) -> Result<Self, DocumentError> {
        let kind = DocKind::parse(id).ok_or_else(|| DocumentError::UnknownKind(id.to_string()))?;
        let mut doc = AutoCommit::new();
        for (step, keys) in kind.skeleton().iter().enumerate() {
            doc.set_actor(ActorId::from(GENESIS_ACTORS[step]));
            for key in *keys {
                doc.put_object(ROOT, *key, ObjType::Map)
                    .map_err(|e| DocumentError::Write(e.to_string()))?;
            }
            kind.seed(step, &mut doc)?;
            doc.commit_with(CommitOptions::default().with_time(0));
        }
        doc.set_actor(actor.clone());
        Ok(Self {
            id: id.clone(),
            kind,
            doc,
        })
    }

    /// Rebuilds a document from its stored snapshot (if any) and the bundles saved since.
    pub fn load<'a>(
        id: &DocId,
        actor: &ActorId,
        snapshot: Option<&[u8]>,
        increments: impl IntoIterator<Item = &'a [u8]>,
    ) -> Result<Self, DocumentError> {
        let mut document = Self::new(id, actor)?;
        if let Some(snapshot) = snapshot {
            // A snapshot holds the whole document, genesis included, so it replaces the
            // fresh copy; loading it strictly turns a damaged record into an error.
            let mut doc = AutoCommit::load_with_options(snapshot, strict())
                .map_err(DocumentError::Corrupt)?;
            // A copy saved by an earlier version lacks the later genesis steps.
            let genesis = document.doc.save();
            doc.load_incremental(&genesis)
                .map_err(DocumentError::Corrupt)?;
            document.doc = doc.with_actor(actor.clone());
        }
        for bytes in increments {
            document.apply(bytes)?;
        }
        Ok(document)
    }

    pub fn id(&self) -> &DocId {
        &self.id
    }

    pub fn kind(&self) -> &DocKind {
        &self.kind
    }

    pub fn automerge(&self) -> &AutoCommit {
        &self.doc
    }

    /// The document as Automerge keeps it inside, for reading the changes' metadata, which
    /// only it gives without copying them out (a change of the demo clinic's size takes
    /// milliseconds to copy, its metadata a microsecond).
    pub fn inner(&mut self) -> &automerge::Automerge {
        self.doc.document()
    }

    /// Merges changes from a bundle or snapshot. Changes whose predecessors have not arrived
    /// yet wait inside Automerge until they do, so bundles may come in any order.
    pub fn apply(&mut self, bytes: &[u8]) -> Result<(), DocumentError> {
        // Automerge's incremental load keeps whatever parses and drops the rest silently;
        // a strict parse first makes a damaged bundle an error that a person is told of.
        // Missing predecessors are expected of a bundle and mean it parsed in full.
        match automerge::Automerge::load_with_options(bytes, strict()) {
            Ok(_) | Err(automerge::AutomergeError::MissingDeps) => {}
            Err(e) => return Err(DocumentError::Corrupt(e)),
        }
        self.doc
            .load_incremental(bytes)
            .map(|_| ())
            .map_err(DocumentError::Corrupt)
    }

    /// Runs one local edit and returns the bundle that carries it to other devices, or
    /// `None` when the edit changed nothing. A failed edit leaves the document unchanged.
    /// The change names nobody: devices sign theirs ([`Document::change_signed`]).
    pub fn change<T, E>(
        &mut self,
        edit: impl FnOnce(&mut AutoCommit) -> Result<T, E>,
    ) -> Result<(T, Option<Vec<u8>>), E> {
        self.commit_edit(None, edit)
    }

    /// [`Document::change`], with who made it, where and when in the change's metadata.
    pub fn change_signed<T, E>(
        &mut self,
        stamp: &Stamp,
        edit: impl FnOnce(&mut AutoCommit) -> Result<T, E>,
    ) -> Result<(T, Option<Vec<u8>>), E> {
        self.commit_edit(Some(stamp), edit)
    }

    fn commit_edit<T, E>(
        &mut self,
        stamp: Option<&Stamp>,
        edit: impl FnOnce(&mut AutoCommit) -> Result<T, E>,
    ) -> Result<(T, Option<Vec<u8>>), E> {
        let before = self.doc.get_heads();
        match edit(&mut self.doc) {
            Ok(value) => {
                self.doc.commit_with(options(stamp));
                let bundle = self.doc.save_after(&before);
                let changed = self.doc.get_heads() != before;
                Ok((value, changed.then_some(bundle)))
            }
            Err(e) => {
                self.doc.rollback();
                Err(e)
            }
        }
    }

    /// Runs one local edit across several documents (a stock movement changes the site's
    /// counters and its month's log; a transfer, two sites'): either every document takes
    /// its part or none does. Returns each document's bundle, in the order given.
    pub fn change_many<T>(
        documents: &mut [&mut Document],
        edit: impl FnOnce(&mut [&mut AutoCommit]) -> Result<T, DocumentError>,
    ) -> Result<(T, Vec<Option<Bytes>>), DocumentError> {
        Self::commit_many(documents, None, edit)
    }

    /// [`Document::change_many`], every document's change signed with `stamp`.
    pub fn change_many_signed<T>(
        documents: &mut [&mut Document],
        stamp: &Stamp,
        edit: impl FnOnce(&mut [&mut AutoCommit]) -> Result<T, DocumentError>,
    ) -> Result<(T, Vec<Option<Bytes>>), DocumentError> {
        Self::commit_many(documents, Some(stamp), edit)
    }

    fn commit_many<T>(
        documents: &mut [&mut Document],
        stamp: Option<&Stamp>,
        edit: impl FnOnce(&mut [&mut AutoCommit]) -> Result<T, DocumentError>,
    ) -> Result<(T, Vec<Option<Bytes>>), DocumentError> {
        let before: Vec<_> = documents.iter_mut().map(|d| d.doc.get_heads()).collect();
        let result = {
            let mut docs: Vec<&mut AutoCommit> = documents.iter_mut().map(|d| &mut d.doc).collect();
            edit(&mut docs)
        };
        match result {
            Ok(value) => {
                let bundles = documents
                    .iter_mut()
                    .zip(&before)
                    .map(|(d, before)| {
                        d.doc.commit_with(options(stamp));
                        let changed = d.doc.get_heads() != *before;
                        changed.then(|| d.doc.save_after(before))
                    })
                    .collect();
                Ok((value, bundles))
            }
            Err(e) => {
                for d in documents.iter_mut() {
                    d.doc.rollback();
                }
                Err(e)
            }
        }
    }

    /// The heads of the document: where a view that follows it has read up to.
    pub fn heads(&mut self) -> Vec<automerge::ChangeHash> {
        self.doc.get_heads()
    }

    /// The changes made since `heads`, in order.
    pub fn changes_since(&mut self, heads: &[automerge::ChangeHash]) -> Vec<automerge::Change> {
        self.doc.get_changes(heads)
    }

    /// The whole document in Automerge's compact form, for the local snapshot.
    pub fn save(&mut self) -> Vec<u8> {
        self.doc.save()
    }

    /// The map at the root under `key`, which the genesis change guarantees.
    pub fn root_map(doc: &impl ReadDoc, key: &str) -> Result<automerge::ObjId, DocumentError> {
        match doc.get(ROOT, key) {
            Ok(Some((automerge::Value::Object(ObjType::Map), id))) => Ok(id),
            _ => Err(DocumentError::NotFound(crate::refusal::Missing::Map(
                key.to_string(),
            ))),
        }
    }
}

/// A signed change's options, or an unsigned one's (time zero, no message).
fn options(stamp: Option<&Stamp>) -> CommitOptions {
    stamp.map(Stamp::options).unwrap_or_default()
}

fn strict() -> LoadOptions<'static> {
    LoadOptions::new().on_partial_load(OnPartialLoad::Error)
}

#[cfg(test)]
mod tests;
