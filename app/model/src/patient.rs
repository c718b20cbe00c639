//! The patient register: who the organisation's patients are, shared by every site.
//!
//! A patient is a record in one of [`SHARDS`] documents `patients-{x}`, chosen by the first
//! hex digit of their random id, so that no document grows with the whole practice: with
//! 20,000 patients each holds about 1,250. The register belongs to the organisation, not
//! to a site (the id has no `/`), so every desk at every site finds the same patient.
//!
//! Fields are written one at a time ([`crate::fields`]) and only where a form changed them,
//! so two desks correcting different fields of one patient offline both keep theirs; the
//! same field set two ways at once reads as disputed, naming both values, until a person
//! writes it again.
//!
//! An appointment refers to its patient by id (`Appointment::patient`). Two records of one
//! person (two desks registering them offline, or a typo) are found by
//! [`register::Register::duplicates`] and merged by [`merge::merge`]: the dropped record
//! stays, marked `merged_into`, so whatever still names it (an appointment booked offline
//! meanwhile) is read as the kept one, and nothing it held is lost.

use automerge::{AutoCommit, ObjId, ReadDoc};
use chrono::{NaiveDate, NaiveDateTime};

use crate::appointment::{check_dob, check_email, check_phone, MAX_NAME_CHARS};
use crate::document::maps;
use crate::fields::{all_values, new_record, put_changed, record, scalar_text};
use crate::{random_id, tidy, DocKind, Document, DocumentError};

pub mod coverage;
pub mod merge;
pub mod register;

random_id!(
    /// A patient of the organisation.
    PatientId
);

/// No patient: the id of a record being filled in.
impl Default for PatientId {
    fn default() -> Self {
        Self::from("")
    }
}

/// How many documents the register is spread over. Fixed for ever: a patient's document
/// follows from their id alone.
pub const SHARDS: u8 = 16;
/// The longest address or emergency contact, in characters.
pub const MAX_TEXT_CHARS: usize = 500;
/// The longest notes for the desk, in characters: room for what a merge joins.
pub const MAX_NOTES_CHARS: usize = 2_000;

/// The register document that holds `id`: the value of its first hex digit (any other
/// first character falls to the shard of its byte).
pub fn shard_of(id: &PatientId) -> u8 {
    let first = id.as_str().bytes().next().unwrap_or(0);
    let value = (first as char).to_digit(16).map_or(first, |d| d as u8);
    value % SHARDS
}

/// The document of the register that holds `id`.
pub fn doc_of(id: &PatientId) -> DocKind {
    DocKind::Patients {
        shard: shard_of(id),
    }
}

/// Every document of the register.
pub fn all_docs() -> impl Iterator<Item = DocKind> {
    (0..SHARDS).map(|shard| DocKind::Patients { shard })
}

/// How a patient likes to be reached.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
pub enum Contact {
    #[default]
    Phone,
    Text,
    Email,
}

impl Contact {
    pub const ALL: [Self; 3] = [Self::Phone, Self::Text, Self::Email];

    pub fn code(self) -> &'static str {
        match self {
            Self::Phone => "phone",
            Self::Text => "text",
            Self::Email => "email",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Phone => "Phone call",
            Self::Text => "Text message",
            Self::Email => "E-mail",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }
}

/// A patient as the register holds them.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Patient {
    pub id: PatientId,
    pub name: String,
    pub dob: Option<NaiveDate>,
    pub phone: String,
    /// A second number (work, a parent's), or empty.
    pub phone_other: String,
    pub email: String,
    pub contact: Contact,
    /// The patient agreed to be sent text messages.
    pub texts_ok: bool,
    pub address: String,
    /// Whom to call in an emergency, and how: one line as the desk wrote it.
    pub emergency: String,
    /// What the desk should know ("prefers mornings", "needs the ramp").
    pub notes: String,
    /// When and by whom the patient was registered.
    pub registered_at: String,
    pub registered_by: String,
    /// Set when a person merged this record into another: that one is the patient now.
    pub merged_into: Option<PatientId>,
    /// Records a person said are another person, not a duplicate of this one.
    pub apart: Vec<PatientId>,
    /// Fields two devices set differently at once, with every value, the winner first.
    pub disputed: Vec<(&'static str, Vec<String>)>,
    /// The patient's insurance; `None` for self-pay.
    pub coverage: Option<coverage::Coverage>,
    /// Every verification of the coverage, oldest first.
    pub checks: Vec<coverage::Check>,
    /// Where this record's appointments are: each appointment's site and month, noted when
    /// it is booked or moved ([`note_visit`]), so that a patient's appointments are found in
    /// every month and at every site without reading them all.
    pub visits: Vec<Visit>,
}

/// Where one appointment of a patient is: the schedule document of its site and month.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Visit {
    pub appointment: crate::AppointmentId,
    pub site: crate::SiteId,
    /// The first day of the month.
    pub month: NaiveDate,
}

impl Visit {
    pub fn doc(&self) -> DocKind {
        DocKind::schedule_for(&self.site, self.month)
    }
}

/// Notes where `visit`'s appointment is on its patient's record: one key per appointment
/// (`visit:{id}`), so two desks booking one patient offline both note theirs, and a move
/// writes the same key again.
pub fn note_visit(
    doc: &mut AutoCommit,
    patient: &PatientId,
    visit: &Visit,
) -> Result<(), DocumentError> {
    let map = Document::root_map(&*doc, maps::PATIENTS)?;
    let obj = record(doc, &map, patient.as_str()).ok_or_else(|| crate::Thing::Patient.gone())?;
    let place = format!("{}/{}", visit.site.as_str(), visit.month.format("%Y-%m"));
    put_changed(
        doc,
        &obj,
        &format!("visit:{}", visit.appointment),
        place.as_str(),
    )
}

/// The text fields of a record, by stored key, as the form names them.
const TEXT_FIELDS: [&str; 8] = [
    "name",
    "dob",
    "phone",
    "phone_other",
    "email",
    "address",
    "emergency",
    "notes",
];

/// What a person typed into the patient form.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PatientForm {
    pub name: String,
    /// `YYYY-MM-DD`, or empty.
    pub dob: String,
    pub phone: String,
    pub phone_other: String,
    pub email: String,
    /// A [`Contact`] code.
    pub contact: String,
    pub texts_ok: bool,
    pub address: String,
    pub emergency: String,
    pub notes: String,
}

impl PatientForm {
    pub fn from_patient(p: &Patient) -> Self {
        Self {
            name: p.name.clone(),
            dob: p.dob.map(|d| d.to_string()).unwrap_or_default(),
            phone: p.phone.clone(),
            phone_other: p.phone_other.clone(),
            email: p.email.clone(),
            contact: p.contact.code().to_string(),
            texts_ok: p.texts_ok,
            address: p.address.clone(),
            emergency: p.emergency.clone(),
            notes: p.notes.clone(),
        }
    }

    /// The form's patient as a record with id `id` (its other fields default); or the
    /// problems, as (field, sentence). `today` is the site's date.
    pub fn validate(
        &self,
        id: PatientId,
        today: NaiveDate,
    ) -> Result<Patient, Vec<(&'static str, String)>> {
        let mut errors = Vec::new();
        let name = tidy(&self.name);
        if !name.chars().any(char::is_alphanumeric) {
            errors.push(("name", "Enter the patient's name.".to_string()));
        } else if name.chars().count() > MAX_NAME_CHARS {
            errors.push(("name", format!("Use at most {MAX_NAME_CHARS} characters.")));
        }
        let dob = check_dob(&self.dob, today).unwrap_or_else(|e| {
            errors.push(("dob", e));
            None
        });
        let phone = self.phone.trim().to_string();
        if let Err(e) = check_phone(&phone) {
            errors.push(("phone", e));
        }
        let phone_other = self.phone_other.trim().to_string();
        if let Err(e) = check_phone(&phone_other) {
            errors.push(("phone_other", e));
        }
        let email = self.email.trim().to_string();
        if let Err(e) = check_email(&email) {
            errors.push(("email", e));
        }
        let contact = match self.contact.trim() {
            "" => Contact::default(),
            code => Contact::parse(code).unwrap_or_else(|| {
                errors.push(("contact", "Choose phone, text or e-mail.".to_string()));
                Contact::default()
            }),
        };
        if contact == Contact::Text && !self.texts_ok {
            errors.push((
                "contact",
                "Texts need the patient's consent: tick it, or choose another way.".to_string(),
            ));
        }
        if contact == Contact::Text && phone.is_empty() {
            errors.push(("phone", "Texts need a phone number.".to_string()));
        }
        if contact == Contact::Email && email.is_empty() {
            errors.push(("email", "E-mail needs an address.".to_string()));
        }
        let long = |text: &str| text.chars().count() > MAX_TEXT_CHARS;
        for (field, value) in [("address", &self.address), ("emergency", &self.emergency)] {
            if long(value.trim()) {
                errors.push((field, format!("Use at most {MAX_TEXT_CHARS} characters.")));
            }
        }
        if self.notes.trim().chars().count() > MAX_NOTES_CHARS {
            errors.push((
                "notes",
                format!("Use at most {MAX_NOTES_CHARS} characters."),
            ));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Patient {
            id,
            name,
            dob,
            phone,
            phone_other,
            email,
            contact,
            texts_ok: self.texts_ok,
            address: self.address.trim().to_string(),
            emergency: tidy(&self.emergency),
            notes: self.notes.trim().to_string(),
            ..Patient::default()
        })
    }
}

/// Registers a new patient in their document (see [`doc_of`]), by `who` at `now`.
pub fn register(
    doc: &mut AutoCommit,
    patient: &Patient,
    who: &str,
    now: NaiveDateTime,
) -> Result<(), DocumentError> {
    let map = Document::root_map(doc, maps::PATIENTS)?;
    if record(doc, &map, patient.id.as_str()).is_some() {
        return update(doc, &Patient::default(), patient);
    }
    let obj = new_record(doc, &map, patient.id.as_str())?;
    put_changed(
        doc,
        &obj,
        "registered_at",
        crate::appointment::format_local_datetime(now).as_str(),
    )?;
    put_changed(doc, &obj, "registered_by", who)?;
    write_fields(doc, &obj, &Patient::default(), patient, false)
}

/// Writes the fields in which `after` differs from `before` (the record as the form opened
/// it) onto the patient's record as it stands now.
pub fn update(
    doc: &mut AutoCommit,
    before: &Patient,
    after: &Patient,
) -> Result<(), DocumentError> {
    let map = Document::root_map(doc, maps::PATIENTS)?;
    let obj = record(doc, &map, after.id.as_str()).ok_or_else(|| crate::Thing::Patient.gone())?;
    write_fields(doc, &obj, before, after, true)
}

/// Writes the fields in which `after` differs from `before`. With `settle`, a field
/// `before` shows as disputed (the person saw both values) is written even unchanged,
/// which settles it; a dispute that arrived since is left for a person to see.
fn write_fields(
    doc: &mut AutoCommit,
    obj: &ObjId,
    before: &Patient,
    after: &Patient,
    settle: bool,
) -> Result<(), DocumentError> {
    let shown = |key: &str| settle && before.disputed.iter().any(|(k, _)| *k == key);
    let dob = |p: &Patient| p.dob.map(|d| d.to_string()).unwrap_or_default();
    let texts: [(&str, String, String); 8] = [
        ("name", before.name.clone(), after.name.clone()),
        ("dob", dob(before), dob(after)),
        ("phone", before.phone.clone(), after.phone.clone()),
        (
            "phone_other",
            before.phone_other.clone(),
            after.phone_other.clone(),
        ),
        ("email", before.email.clone(), after.email.clone()),
        ("address", before.address.clone(), after.address.clone()),
        (
            "emergency",
            before.emergency.clone(),
            after.emergency.clone(),
        ),
        ("notes", before.notes.clone(), after.notes.clone()),
    ];
    for (key, was, now) in texts {
        if was != now || shown(key) {
            put_changed(doc, obj, key, now.as_str())?;
        }
    }
    if before.contact != after.contact || shown("contact") {
        put_changed(doc, obj, "contact", after.contact.code())?;
    }
    if before.texts_ok != after.texts_ok || shown("texts_ok") {
        put_changed(doc, obj, "texts_ok", after.texts_ok)?;
    }
    coverage::write(
        doc,
        obj,
        before.coverage.as_ref(),
        after.coverage.as_ref(),
        &shown,
    )?;
    // Checks are only ever added: those `after` holds that `before` did not.
    for check in after.checks.iter().filter(|c| !before.checks.contains(c)) {
        coverage::write_check(doc, obj, check)?;
    }
    Ok(())
}

/// Records that `a` and `b` are two people, not one: their pair is no longer offered as a
/// duplicate. Kept on both records, each under its own key, so it merges with anything.
/// `docs` are the documents that hold them: one, or `[doc_of(a), doc_of(b)]`.
pub fn keep_apart(
    docs: &mut [&mut AutoCommit],
    a: &PatientId,
    b: &PatientId,
) -> Result<(), DocumentError> {
    if a == b {
        return Err(crate::refusal::Patients::SamePerson.into());
    }
    for (this, other) in [(a, b), (b, a)] {
        let (doc, obj) = holder(docs, this)?;
        put_changed(doc, &obj, &format!("apart:{other}"), true)?;
    }
    Ok(())
}

/// The document among `docs` that holds patient `id`, and their record in it.
pub(crate) fn holder<'a>(
    docs: &'a mut [&mut AutoCommit],
    id: &PatientId,
) -> Result<(&'a mut AutoCommit, ObjId), DocumentError> {
    for doc in docs.iter_mut() {
        let map = Document::root_map(&**doc, maps::PATIENTS)?;
        if let Some(obj) = record(doc, &map, id.as_str()) {
            return Ok((&mut **doc, obj));
        }
    }
    Err(crate::Thing::Patient.gone())
}

/// Every patient in one document of the register, and how many records did not read.
pub fn read_all(doc: &AutoCommit) -> Result<(Vec<Patient>, usize), DocumentError> {
    let map = Document::root_map(doc, maps::PATIENTS)?;
    let mut list = Vec::new();
    let mut unreadable = 0;
    for id in doc.keys(&map) {
        match read_one(doc, &map, &id) {
            Some(p) => list.push(p),
            None => unreadable += 1,
        }
    }
    Ok((list, unreadable))
}

/// One patient of the document, if there and readable.
pub fn read(doc: &AutoCommit, id: &PatientId) -> Result<Option<Patient>, DocumentError> {
    let map = Document::root_map(doc, maps::PATIENTS)?;
    Ok(read_one(doc, &map, id.as_str()))
}

/// Reads the record in one walk over its map: a keyed lookup per field costs several times
/// more on a register of 20,000. Only a field two devices set at once is looked up again,
/// for every value it holds.
fn read_one(doc: &AutoCommit, map: &ObjId, id: &str) -> Option<Patient> {
    use automerge::{ObjType, ScalarValueRef, ValueRef};
    let obj = record(doc, map, id)?;
    let mut p = Patient {
        id: PatientId::from(id),
        ..Patient::default()
    };
    let mut texts: Vec<(String, String)> = Vec::new();
    let mut checks: Vec<(String, ObjId)> = Vec::new();
    let mut disputed: Vec<String> = Vec::new();
    let mut consent = None;
    for item in doc.map_range(&obj, ..) {
        let key = item.key.to_string();
        if item.conflict {
            disputed.push(key.clone());
        }
        let object = item.id();
        match item.value {
            ValueRef::Scalar(ScalarValueRef::Str(value)) => texts.push((key, value.to_string())),
            ValueRef::Scalar(ScalarValueRef::Boolean(yes)) if key == "texts_ok" => {
                consent = Some(yes)
            }
            ValueRef::Scalar(ScalarValueRef::Boolean(true)) => {
                if let Some(other) = key.strip_prefix("apart:") {
                    p.apart.push(PatientId::from(other));
                }
            }
            ValueRef::Object(ObjType::Map) => {
                if let Some(check) = key.strip_prefix("check:") {
                    checks.push((check.to_string(), object));
                }
            }
            _ => {}
        }
    }
    let winner = |key: &str| {
        texts
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    // Every value of a text field two devices set at once (insurance included), for the
    // person to choose from.
    for key in TEXT_FIELDS
        .into_iter()
        .chain(["contact"])
        .chain(coverage::KEYS)
    {
        if disputed.iter().any(|d| d == key) {
            let values: Vec<String> = all_values(doc, &obj, key)
                .iter()
                .filter_map(scalar_text)
                .collect();
            if values.len() > 1 {
                p.disputed.push((key, values));
            }
        }
    }
    for key in TEXT_FIELDS.into_iter().chain(["contact"]) {
        let value = winner(key).unwrap_or_default().to_string();
        match key {
            "name" => p.name = value,
            "dob" if value.is_empty() => {}
            "dob" => p.dob = Some(NaiveDate::parse_from_str(&value, "%Y-%m-%d").ok()?),
            "phone" => p.phone = value,
            "phone_other" => p.phone_other = value,
            "email" => p.email = value,
            "address" => p.address = value,
            "emergency" => p.emergency = value,
            "contact" => p.contact = Contact::parse(&value).unwrap_or_default(),
            _ => p.notes = value,
        }
    }
    if p.name.is_empty() {
        return None;
    }
    // Consent counts only while every device that set it says yes: a withdrawal made at
    // the same moment as a yes is not lost to it.
    p.texts_ok = consent == Some(true);
    if disputed.iter().any(|d| d == "texts_ok") {
        let consents = all_values(doc, &obj, "texts_ok");
        p.texts_ok = consents
            .iter()
            .all(|v| matches!(v, automerge::ScalarValue::Boolean(true)));
        if consents.len() > 1 {
            p.disputed.push((
                "texts_ok",
                vec!["agreed to texts".into(), "no texts".into()],
            ));
        }
    }
    p.registered_at = winner("registered_at").unwrap_or_default().to_string();
    p.registered_by = winner("registered_by").unwrap_or_default().to_string();
    p.merged_into = winner("merged_into").map(PatientId::from);
    for (key, value) in &texts {
        if let Some(appointment) = key.strip_prefix("visit:") {
            // A place that does not read is left out; the appointment still is where it is.
            let visit = value.rsplit_once('/').and_then(|(site, month)| {
                Some(Visit {
                    appointment: crate::AppointmentId::from(appointment),
                    site: crate::SiteId::new(site)?,
                    month: NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").ok()?,
                })
            });
            p.visits.extend(visit);
        }
    }
    (p.coverage, p.checks) = coverage::read(doc, &texts, &checks);
    Some(p)
}

#[cfg(test)]
mod tests;
