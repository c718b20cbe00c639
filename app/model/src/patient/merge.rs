//! Merging two records of one person: the kept record takes what only the other had, and
//! the other is marked as merged into it. Nothing is deleted: the dropped record stays
//! readable, and whatever names it (appointments, including ones booked offline after the
//! merge) is read as the kept patient through [`super::register::Register::resolve`].

use automerge::AutoCommit;
use chrono::NaiveDateTime;

use super::{holder, read, write_fields, Patient, PatientId};
use crate::fields::put_changed;
use crate::refusal::Patients;
use crate::DocumentError;

/// The kept record as the merge leaves it: every field it lacks taken from `dropped`; a
/// second phone number that differs kept as the other number when there is room; desk
/// notes that differ joined; the insurance if the kept record has none, and every
/// verification of either. The date of birth, the name and the consent to texts stay the
/// kept record's own: those a person chose when choosing which to keep.
pub fn merged_fields(kept: &Patient, dropped: &Patient) -> Patient {
    let mut merged = kept.clone();
    let fill = |mine: &mut String, theirs: &String| {
        if mine.is_empty() {
            mine.clone_from(theirs);
        }
    };
    if merged.dob.is_none() {
        merged.dob = dropped.dob;
    }
    fill(&mut merged.email, &dropped.email);
    fill(&mut merged.address, &dropped.address);
    fill(&mut merged.emergency, &dropped.emergency);
    let digits = |n: &str| n.chars().filter(char::is_ascii_digit).collect::<String>();
    for number in [&dropped.phone, &dropped.phone_other] {
        let known = [&merged.phone, &merged.phone_other]
            .iter()
            .any(|n| digits(n) == digits(number));
        if number.is_empty() || known {
            continue;
        }
        if merged.phone.is_empty() {
            merged.phone.clone_from(number);
        } else if merged.phone_other.is_empty() {
            merged.phone_other.clone_from(number);
        } else {
            // No room for a third number: kept in the notes, where the desk reads it.
            let line = format!("Other number: {number}");
            merged.notes = if merged.notes.is_empty() {
                line
            } else {
                format!("{}\n{line}", merged.notes)
            };
        }
    }
    // Insurance the kept record lacks, and every check either record holds.
    if merged.coverage.is_none() {
        merged.coverage.clone_from(&dropped.coverage);
    }
    for check in &dropped.checks {
        if !merged.checks.iter().any(|c| c.id == check.id) {
            merged.checks.push(check.clone());
        }
    }
    if !dropped.notes.is_empty() && !merged.notes.contains(dropped.notes.as_str()) {
        merged.notes = if merged.notes.is_empty() {
            dropped.notes.clone()
        } else {
            format!("{}\n{}", merged.notes, dropped.notes)
        };
    }
    merged
}

/// Merges the record `dropped` into `kept`, by `who` at `now`, as both stand in `docs` at
/// that moment (not as a screen showed them earlier: what a colleague added meanwhile is
/// kept). `docs` are the documents holding them: one, or `[doc_of(kept), doc_of(dropped)]`,
/// all written in one go. Returns the kept record as written. Refused for a record and
/// itself, or one already merged into the other.
pub fn merge(
    docs: &mut [&mut AutoCommit],
    kept: &PatientId,
    dropped: &PatientId,
    who: &str,
    now: NaiveDateTime,
) -> Result<Patient, DocumentError> {
    let kept = current(docs, kept)?;
    let dropped = current(docs, dropped)?;
    if kept.id == dropped.id || dropped.merged_into.as_ref() == Some(&kept.id) {
        return Err(Patients::SamePerson.into());
    }
    let merged = merged_fields(&kept, &dropped);
    {
        let (doc, obj) = holder(docs, &kept.id)?;
        write_fields(doc, &obj, &kept, &merged, false)?;
        // Pairs a person kept apart from the dropped record stay apart from this one.
        for other in dropped.apart.iter().filter(|o| **o != kept.id) {
            put_changed(doc, &obj, &format!("apart:{other}"), true)?;
        }
        // Two desks merged this pair both ways while offline: the kept record stands on its
        // own again. A merge into a record this device has not received stays.
        if kept.merged_into.as_ref() == Some(&dropped.id) {
            put_changed(doc, &obj, "merged_into", automerge::ScalarValue::Null)?;
        }
    }
    let (doc, obj) = holder(docs, &dropped.id)?;
    put_changed(doc, &obj, "merged_into", kept.id.as_str())?;
    put_changed(doc, &obj, "merged_by", who)?;
    put_changed(
        doc,
        &obj,
        "merged_at",
        crate::appointment::format_local_datetime(now).as_str(),
    )?;
    Ok(merged)
}

/// Patient `id` as the document among `docs` that holds them has them now.
fn current(docs: &mut [&mut AutoCommit], id: &PatientId) -> Result<Patient, DocumentError> {
    for doc in docs.iter() {
        if let Some(p) = read(doc, id)? {
            return Ok(p);
        }
    }
    Err(crate::Thing::Patient.gone())
}

#[cfg(test)]
mod tests;
