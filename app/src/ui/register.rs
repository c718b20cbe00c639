//! The patient register as every page reads it ([`model::patient`]): one reading of its
//! documents, shared by the pages and the booking form, each document read again only when
//! it has changed.

use std::collections::HashMap;
use std::sync::Arc;

use leptos::prelude::*;
use protocol::DocId;

use crate::ui::Ctx;
use model::patient::register::{Register, MATCHES};
use model::patient::{self, Patient, PatientId};
use model::{Appointment, DocKind, DocumentError, SiteId};

/// One document's patients as last read, and the heads they were read at.
struct Shard {
    heads: Vec<automerge::ChangeHash>,
    patients: Arc<Vec<Patient>>,
    unreadable: usize,
}

/// The readings [`register`] keeps between calls.
#[derive(Default)]
pub struct Readings {
    shards: HashMap<DocId, Shard>,
    /// The register made from the shards, with every shard's heads it was made at.
    whole: Option<(Vec<Vec<automerge::ChangeHash>>, Arc<Register>)>,
}

/// The whole register; `None` while any of its documents loads (all are asked for at
/// once). Follows changes to every one of them.
pub fn register(ctx: Ctx) -> Option<Arc<Register>> {
    let mut waiting = false;
    let mut heads = Vec::new();
    for kind in patient::all_docs() {
        let doc = kind.doc_id();
        ctx.changes.track(&doc);
        let readings = ctx.patients;
        let read = ctx.driver.with_value(|d| {
            d.follow(&doc, |document| {
                let now = document.heads();
                let fresh =
                    readings.with_value(|r| r.shards.get(&doc).is_some_and(|s| s.heads == now));
                if !fresh {
                    let (patients, unreadable) = patient::read_all(document.automerge())?;
                    readings.update_value(|r| {
                        r.shards.insert(
                            doc.clone(),
                            Shard {
                                heads: now.clone(),
                                patients: Arc::new(patients),
                                unreadable,
                            },
                        );
                    });
                }
                Ok::<_, DocumentError>(now)
            })
        });
        match read {
            Ok(Ok(now)) => heads.push(now),
            Err(DocumentError::Loading) => waiting = true,
            Ok(Err(e)) | Err(e) => {
                ctx.unreadable("The patient register", &e);
                heads.push(Vec::new());
            }
        }
    }
    if waiting {
        return None;
    }
    let readings = ctx.patients;
    if let Some(whole) = readings.with_value(|r| {
        r.whole
            .as_ref()
            .filter(|(at, _)| *at == heads)
            .map(|(_, register)| register.clone())
    }) {
        return Some(whole);
    }
    let register = readings.with_value(|r| {
        let mut all = Vec::new();
        let mut unreadable = 0;
        for shard in r.shards.values() {
            all.extend(shard.patients.iter().cloned());
            unreadable += shard.unreadable;
        }
        Arc::new(Register::new(all, unreadable))
    });
    if register.unreadable > 0 {
        ctx.report(format!(
            "{} patients of the register could not be read.",
            register.unreadable
        ));
    }
    readings.update_value(|r| r.whole = Some((heads, register.clone())));
    Some(register)
}

/// The register, followed: what pages read.
pub fn register_memo(ctx: Ctx) -> Memo<Option<Arc<Register>>> {
    Memo::new_with_compare(
        move |_| register(ctx),
        |before, now| match (before, now) {
            (Some(Some(a)), Some(Some(b))) => !Arc::ptr_eq(a, b),
            (Some(None), Some(None)) => false,
            _ => true,
        },
    )
}

/// The document of the register that holds `id`.
pub fn doc_of(id: &PatientId) -> DocId {
    patient::doc_of(id).doc_id()
}

/// The documents that hold `a` and `b`: one, or two in that order.
pub fn docs_of(a: &PatientId, b: &PatientId) -> Vec<DocId> {
    let (x, y) = (doc_of(a), doc_of(b));
    if x == y {
        vec![x]
    } else {
        vec![x, y]
    }
}

/// The appointments of the register's patients who match what was typed (at most
/// [`MATCHES`] patients), in every month and at every site their records note: the months
/// are asked for, and what has loaded is searched. With each, its site.
pub fn appointments_of_matches(ctx: Ctx, typed: &str) -> Vec<(SiteId, Appointment)> {
    // Two letters match too many patients to load all their months for.
    if typed.trim().chars().count() < 3 {
        return Vec::new();
    }
    let Some(register) = register(ctx) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for p in register.search(typed, MATCHES) {
        let mut places: Vec<(SiteId, chrono::NaiveDate)> = register
            .visits_of(&p.id)
            .into_iter()
            .map(|v| (v.site.clone(), v.month))
            .collect();
        places.dedup();
        for (site, month) in places {
            if ctx.not_enrolled(&DocKind::schedule_for(&site, month).doc_id()) {
                continue;
            }
            if let Some(schedule) = ctx.month(&site, month) {
                found.extend(
                    schedule
                        .appointments
                        .iter()
                        .filter(|a| register.is_for(a, &p.id))
                        .map(|a| (site.clone(), a.clone())),
                );
            }
        }
    }
    found
}
