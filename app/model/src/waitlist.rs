//! A site's waitlist: patients who want an earlier appointment. When a slot frees up, the
//! entries it suits are offered to the desk.

use automerge::{AutoCommit, ReadDoc};
use autosurgeon::{hydrate_prop, reconcile_prop, Hydrate, Reconcile};
use chrono::{NaiveDate, NaiveDateTime};

use crate::appointment::format_local_datetime;
use crate::document::maps;
use crate::{random_id, tidy, Appointment, Directory, Document, DocumentError, ProviderId, SiteId};

random_id!(
    /// A waitlist entry.
    WaitlistId
);

#[derive(Clone, Copy, PartialEq, Eq, Debug, Reconcile, Hydrate)]
pub enum EntryState {
    Waiting,
    /// Given a slot.
    Booked,
    /// Taken off the list.
    Removed,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct WaitlistEntry {
    pub id: WaitlistId,
    pub patient_name: String,
    pub phone: Option<String>,
    /// Only this provider will do; `None` for any.
    pub provider: Option<ProviderId>,
    /// The length of slot the patient needs.
    pub duration_minutes: u32,
    /// A slot on or after this day is too late (the patient's current booking, say).
    pub before: Option<NaiveDate>,
    pub notes: String,
    pub added: String,
    pub state: EntryState,
}

#[derive(Reconcile, Hydrate)]
struct Record {
    patient_name: String,
    phone: Option<String>,
    provider: Option<String>,
    duration_minutes: u32,
    before: Option<String>,
    notes: String,
    added: String,
    state: EntryState,
}

/// What a person typed to add a waitlist entry.
#[derive(Clone, Default, Debug, PartialEq, Eq)]
pub struct WaitlistForm {
    pub patient_name: String,
    pub phone: String,
    pub provider: String,
    pub duration_minutes: String,
    pub before: String,
    pub notes: String,
}

impl WaitlistForm {
    /// Checks the form; on error, the message names the first field that is wrong.
    pub fn validate(
        &self,
        directory: &Directory,
        site: &SiteId,
        now: NaiveDateTime,
    ) -> Result<WaitlistEntry, String> {
        let patient_name = tidy(&self.patient_name);
        if patient_name.is_empty() {
            return Err("Enter the patient's name.".into());
        }
        let provider = match self.provider.as_str() {
            "" => None,
            id => {
                let id = ProviderId::from(id);
                if !directory.provider(&id).is_some_and(|p| p.works_at(site)) {
                    return Err("Choose a provider at this site, or any.".into());
                }
                Some(id)
            }
        };
        let duration_minutes = self
            .duration_minutes
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|d| (5..=480).contains(d))
            .ok_or("Enter the minutes needed, from 5 to 480.")?;
        let before = match self.before.trim() {
            "" => None,
            text => {
                let day = NaiveDate::parse_from_str(text, "%Y-%m-%d")
                    .map_err(|_| "Enter a real date, like 2026-12-31.".to_string())?;
                if day <= now.date() {
                    return Err("\"Earlier than\" must be a day after today.".into());
                }
                Some(day)
            }
        };
        let phone = tidy(&self.phone);
        Ok(WaitlistEntry {
            id: WaitlistId::random(),
            patient_name,
            phone: (!phone.is_empty()).then_some(phone),
            provider,
            duration_minutes,
            before,
            notes: self.notes.trim().to_string(),
            added: format_local_datetime(now),
            state: EntryState::Waiting,
        })
    }
}

impl WaitlistEntry {
    /// Whether a freed slot suits this entry: still waiting, the provider it wants, long
    /// enough, and earlier than the day it must beat. Slots already begun are no offer.
    pub fn suits(&self, freed: &Appointment, now: NaiveDateTime) -> bool {
        self.state == EntryState::Waiting
            && freed.start > now
            && self.provider.as_ref().is_none_or(|p| p == &freed.provider)
            && self.duration_minutes <= freed.duration_minutes
            && self.before.is_none_or(|day| freed.start.date() < day)
    }
}

/// Every entry of a waitlist document, oldest first; plus how many did not read.
pub fn read(doc: &AutoCommit) -> Result<(Vec<WaitlistEntry>, usize), DocumentError> {
    let map = Document::root_map(doc, maps::ENTRIES)?;
    let mut entries = Vec::new();
    let mut unreadable = 0;
    for key in doc.keys(&map) {
        let record = hydrate_prop::<_, Record, _, _>(doc, &map, key.as_str()).ok();
        let entry = record.and_then(|r| {
            let before = match r.before {
                Some(text) => Some(NaiveDate::parse_from_str(&text, "%Y-%m-%d").ok()?),
                None => None,
            };
            Some(WaitlistEntry {
                id: WaitlistId::from(key),
                patient_name: r.patient_name,
                phone: r.phone,
                provider: r.provider.map(ProviderId::from),
                duration_minutes: r.duration_minutes,
                before,
                notes: r.notes,
                added: r.added,
                state: r.state,
            })
        });
        match entry {
            Some(e) => entries.push(e),
            None => unreadable += 1,
        }
    }
    entries.sort_by(|a, b| (&a.added, &a.id).cmp(&(&b.added, &b.id)));
    Ok((entries, unreadable))
}

/// Adds or updates an entry.
pub fn put(doc: &mut AutoCommit, entry: &WaitlistEntry) -> Result<(), DocumentError> {
    let map = Document::root_map(doc, maps::ENTRIES)?;
    let record = Record {
        patient_name: entry.patient_name.clone(),
        phone: entry.phone.clone(),
        provider: entry.provider.as_ref().map(ToString::to_string),
        duration_minutes: entry.duration_minutes,
        before: entry.before.map(|d| d.to_string()),
        notes: entry.notes.clone(),
        added: entry.added.clone(),
        state: entry.state,
    };
    reconcile_prop(doc, &map, entry.id.as_str(), &record)
        .map_err(|e| DocumentError::Write(e.to_string()))
}

/// The entries a freed slot suits, oldest first.
pub fn offers<'a>(
    entries: &'a [WaitlistEntry],
    freed: &Appointment,
    now: NaiveDateTime,
) -> Vec<&'a WaitlistEntry> {
    entries.iter().filter(|e| e.suits(freed, now)).collect()
}

#[cfg(test)]
mod tests {
    use automerge::ActorId;
    use protocol::DocId;

    use super::*;
    use crate::appointment::ValidBooking;
    use crate::day::fixture::{at, directory, PROVIDER};
    use crate::schedule::{new_appointment, Who};

    fn form(provider: &str, minutes: &str, before: &str) -> WaitlistForm {
        WaitlistForm {
            patient_name: "Lee Sample".into(),
            provider: provider.into(),
            duration_minutes: minutes.into(),
            before: before.into(),
            ..WaitlistForm::default()
        }
    }

    #[test]
    fn validation() {
        let now = at("2026-11-22T08:00");
        let site = SiteId::main();
        assert!(form(PROVIDER, "20", "2026-12-10")
            .validate(&directory(), &site, now)
            .is_ok());
        assert!(form("", "20", "")
            .validate(&directory(), &site, now)
            .is_ok());
        for bad in [
            form("dr-x", "20", ""),
            form("", "0", ""),
            form("", "20", "2026-11-22"),
            form("", "20", "2026-13-01"),
            WaitlistForm::default(),
        ] {
            assert!(bad.validate(&directory(), &site, now).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_freed_slot_is_offered_to_the_entries_it_suits() {
        let now = at("2026-11-22T08:00");
        let site = SiteId::main();
        let entries: Vec<_> = [
            form(PROVIDER, "20", "2026-12-10"),
            form("", "45", ""),
            form("", "15", "2026-11-24"),
            form("", "15", ""),
        ]
        .iter()
        .map(|f| f.validate(&directory(), &site, now).expect("valid"))
        .collect();
        let who = Who {
            device: "Desk".into(),
            staff: None,
        };
        let booking =
            ValidBooking::new("X", ProviderId::from(PROVIDER), at("2026-11-25T10:00"), 30);
        let freed = new_appointment(&booking, booking.start, None, &who, now);
        let offered: Vec<_> = offers(&entries, &freed, now)
            .into_iter()
            .map(|e| e.id.clone())
            .collect();
        assert_eq!(offered, [entries[0].id.clone(), entries[3].id.clone()]);
        assert!(offers(&entries, &freed, at("2026-11-25T10:01")).is_empty());
    }

    #[test]
    fn entries_round_trip() {
        let id = DocId::new("waitlist/main").expect("valid");
        let mut doc = Document::new(&id, &ActorId::random()).expect("known");
        let mut entry = form("", "20", "")
            .validate(&directory(), &SiteId::main(), at("2026-11-22T08:00"))
            .expect("valid");
        doc.change(|d| put(d, &entry)).expect("puts");
        entry.state = EntryState::Booked;
        doc.change(|d| put(d, &entry)).expect("puts");
        let (entries, unreadable) = read(doc.automerge()).expect("reads");
        assert_eq!(entries, [entry]);
        assert_eq!(unreadable, 0);
    }
}
