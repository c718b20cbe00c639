//! Credentials and training: licences, certifications, BLS/CPR, HIPAA and OSHA training,
//! each with its number, issuer, and the dates it was issued and expires. What expires
//! within 30, 60 or 90 days, and what has expired, is worked out against a day passed in.

use automerge::transaction::Transactable;
use automerge::AutoCommit;
use chrono::NaiveDate;

use crate::document::maps;
use crate::fields::{form_edit, new_record, put_changed, record, text, write_error};
use crate::{random_id, tidy, Document, DocumentError, StaffId};

random_id!(
    /// One credential or training record of one person.
    CredentialId
);

#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash, PartialOrd, Ord)]
pub enum CredentialKind {
    /// A professional licence (medical, nursing, …).
    Licence,
    Certification,
    BlsCpr,
    Hipaa,
    Osha,
}

impl CredentialKind {
    pub const ALL: [Self; 5] = [
        Self::Licence,
        Self::Certification,
        Self::BlsCpr,
        Self::Hipaa,
        Self::Osha,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Licence => "licence",
            Self::Certification => "certification",
            Self::BlsCpr => "bls-cpr",
            Self::Hipaa => "hipaa",
            Self::Osha => "osha",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Licence => "Licence",
            Self::Certification => "Certification",
            Self::BlsCpr => "BLS/CPR",
            Self::Hipaa => "HIPAA training",
            Self::Osha => "OSHA training",
        }
    }

    /// Reads a code or a label, in any case; "license" is read as well as "licence".
    pub fn parse(text: &str) -> Option<Self> {
        let wanted = super::letters(text);
        let wanted = match wanted.as_str() {
            "license" => "licence",
            "bls" | "cpr" | "blscpr" => "blscpr",
            "hipaatraining" => "hipaa",
            "oshatraining" => "osha",
            other => other,
        };
        Self::ALL
            .into_iter()
            .find(|k| k.code().replace('-', "") == wanted)
    }
}

/// How soon a credential runs out, as of a day.
#[derive(Clone, Copy, PartialEq, Eq, Debug, PartialOrd, Ord, Hash)]
pub enum Expiry {
    Expired,
    Within30,
    Within60,
    Within90,
    Later,
    /// No expiry date.
    Never,
}

impl Expiry {
    pub fn label(self) -> &'static str {
        match self {
            Self::Expired => "Expired",
            Self::Within30 => "Expires within 30 days",
            Self::Within60 => "Expires within 60 days",
            Self::Within90 => "Expires within 90 days",
            Self::Later => "Valid",
            Self::Never => "Does not expire",
        }
    }

    /// Whether this is shown on the expiry list.
    pub fn is_due(self) -> bool {
        self <= Self::Within90
    }
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Credential {
    pub id: CredentialId,
    pub staff: StaffId,
    pub kind: CredentialKind,
    /// What it is, in the person's words: "RN licence", "ACLS".
    pub title: String,
    pub number: String,
    pub issuer: String,
    pub issued: Option<NaiveDate>,
    /// The last day it is valid; `None` when it does not expire.
    pub expires: Option<NaiveDate>,
}

form_edit!(Credential {
    id,
    staff,
    kind,
    title,
    number,
    issuer,
    issued,
    expires
});

impl Credential {
    pub fn expiry(&self, today: NaiveDate) -> Expiry {
        let Some(expires) = self.expires else {
            return Expiry::Never;
        };
        match (expires - today).num_days() {
            d if d < 0 => Expiry::Expired,
            d if d <= 30 => Expiry::Within30,
            d if d <= 60 => Expiry::Within60,
            d if d <= 90 => Expiry::Within90,
            _ => Expiry::Later,
        }
    }

    /// Whether it is valid on `day`.
    pub fn valid_on(&self, day: NaiveDate) -> bool {
        self.expires.is_none_or(|e| day <= e) && self.issued.is_none_or(|i| i <= day)
    }

    /// The name shown: the title, or the kind when there is none.
    pub fn name(&self) -> &str {
        if self.title.is_empty() {
            self.kind.label()
        } else {
            &self.title
        }
    }
}

/// What a person typed for a credential.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CredentialForm {
    pub kind: String,
    pub title: String,
    pub number: String,
    pub issuer: String,
    /// `YYYY-MM-DD`, or empty.
    pub issued: String,
    /// `YYYY-MM-DD`, or empty when it does not expire.
    pub expires: String,
}

/// Reads a date as typed or exported: `2026-11-22`, or `11/22/2026`; a day that does not
/// exist ("2026-02-30") is refused with a sentence that says so.
pub fn parse_date(text: &str, what: &str) -> Result<NaiveDate, String> {
    let text = text.trim();
    if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(day);
    }
    if let Ok(day) = NaiveDate::parse_from_str(text, "%m/%d/%Y") {
        return Ok(day);
    }
    let looks_like_a_date = text.split(['-', '/']).count() == 3
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || c == '-' || c == '/');
    if looks_like_a_date {
        Err(format!("The {what} \"{text}\" is not a day that exists."))
    } else {
        Err(format!(
            "The {what} \"{text}\" is not a date like 2026-11-22."
        ))
    }
}

/// The first and last day a form names (an empty last day: the same day), each mistake
/// pushed at its field, `from` or `to`: a day that does not read, or a last day before the
/// first. `None` unless both read in that order.
pub(crate) fn day_span(
    from: &str,
    to: &str,
    errors: &mut Vec<(&'static str, String)>,
) -> Option<(NaiveDate, NaiveDate)> {
    let first = parse_date(from, "first day")
        .map_err(|e| errors.push(("from", e)))
        .ok();
    let last = if to.trim().is_empty() {
        first
    } else {
        parse_date(to, "last day")
            .map_err(|e| errors.push(("to", e)))
            .ok()
    };
    let (first, last) = (first?, last?);
    if last < first {
        errors.push(("to", "The last day comes before the first day.".into()));
        return None;
    }
    Some((first, last))
}

fn optional_date(text: &str, what: &str) -> Result<Option<NaiveDate>, String> {
    if text.trim().is_empty() {
        Ok(None)
    } else {
        parse_date(text, what).map(Some)
    }
}

impl CredentialForm {
    pub fn from_credential(c: &Credential) -> Self {
        let day = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        Self {
            kind: c.kind.code().into(),
            title: c.title.clone(),
            number: c.number.clone(),
            issuer: c.issuer.clone(),
            issued: day(c.issued),
            expires: day(c.expires),
        }
    }

    /// The credential of `staff` this form describes (with `id`), or the first problem per
    /// field: (field, sentence).
    pub fn validate(
        &self,
        id: CredentialId,
        staff: StaffId,
    ) -> Result<Credential, Vec<(&'static str, String)>> {
        let mut errors = Vec::new();
        let kind = CredentialKind::parse(&self.kind);
        if kind.is_none() {
            errors.push((
                "kind",
                format!(
                    "\"{}\" is not a kind of credential; use licence, certification, BLS/CPR, HIPAA or OSHA.",
                    self.kind.trim()
                ),
            ));
        }
        let issued = optional_date(&self.issued, "issue date")
            .map_err(|e| errors.push(("issued", e)))
            .ok()
            .flatten();
        let expires = optional_date(&self.expires, "expiry date")
            .map_err(|e| errors.push(("expires", e)))
            .ok()
            .flatten();
        if let (Some(issued), Some(expires)) = (issued, expires) {
            if expires < issued {
                errors.push((
                    "expires",
                    "The expiry date comes before the issue date.".into(),
                ));
            }
        }
        let title = tidy(&self.title);
        if title.chars().count() > 80 {
            errors.push(("title", "Use at most 80 characters.".into()));
        }
        match kind {
            Some(kind) if errors.is_empty() => Ok(Credential {
                id,
                staff,
                kind,
                title,
                number: tidy(&self.number),
                issuer: tidy(&self.issuer),
                issued,
                expires,
            }),
            _ => Err(errors),
        }
    }
}

pub(crate) fn read_credential(
    doc: &AutoCommit,
    map: &automerge::ObjId,
    id: &str,
) -> Option<Credential> {
    let obj = record(doc, map, id)?;
    let day = |key| match text(doc, &obj, key) {
        None => Some(None),
        Some(t) if t.is_empty() => Some(None),
        Some(t) => NaiveDate::parse_from_str(&t, "%Y-%m-%d").ok().map(Some),
    };
    Some(Credential {
        id: CredentialId::from(id),
        staff: StaffId::from(text(doc, &obj, "staff")?),
        kind: CredentialKind::parse(&text(doc, &obj, "kind")?)?,
        title: text(doc, &obj, "title").unwrap_or_default(),
        number: text(doc, &obj, "number").unwrap_or_default(),
        issuer: text(doc, &obj, "issuer").unwrap_or_default(),
        issued: day("issued")?,
        expires: day("expires")?,
    })
}

/// Adds a credential or changes one, writing only the fields that differ.
pub fn put_credential(doc: &mut AutoCommit, c: &Credential) -> Result<(), DocumentError> {
    let map = Document::root_map(doc, maps::CREDENTIALS)?;
    let obj = match record(doc, &map, c.id.as_str()) {
        Some(obj) => obj,
        None => new_record(doc, &map, c.id.as_str())?,
    };
    let day = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    put_changed(doc, &obj, "staff", c.staff.as_str())?;
    put_changed(doc, &obj, "kind", c.kind.code())?;
    put_changed(doc, &obj, "title", c.title.as_str())?;
    put_changed(doc, &obj, "number", c.number.as_str())?;
    put_changed(doc, &obj, "issuer", c.issuer.as_str())?;
    put_changed(doc, &obj, "issued", day(c.issued).as_str())?;
    put_changed(doc, &obj, "expires", day(c.expires).as_str())
}

pub fn remove_credential(doc: &mut AutoCommit, id: &CredentialId) -> Result<(), DocumentError> {
    let map = Document::root_map(doc, maps::CREDENTIALS)?;
    doc.delete(&map, id.as_str()).map_err(write_error)
}

/// A person's credentials that count on `day` for `kind`: valid that day.
pub fn holds<'a>(
    credentials: &'a [Credential],
    staff: &'a StaffId,
    kind: CredentialKind,
    day: NaiveDate,
) -> bool {
    credentials
        .iter()
        .any(|c| &c.staff == staff && c.kind == kind && c.valid_on(day))
}

/// The person's licence that had expired by `day` with none valid in its place, if any.
pub fn expired_licence<'a>(
    credentials: &'a [Credential],
    staff: &StaffId,
    day: NaiveDate,
) -> Option<&'a Credential> {
    if holds(credentials, staff, CredentialKind::Licence, day) {
        return None;
    }
    credentials
        .iter()
        .filter(|c| &c.staff == staff && c.kind == CredentialKind::Licence)
        .filter(|c| c.expires.is_some_and(|e| e < day))
        .max_by_key(|c| c.expires)
}

/// Every credential expired or expiring within 90 days of `today`, soonest first.
pub fn due(credentials: &[Credential], today: NaiveDate) -> Vec<(Expiry, &Credential)> {
    let mut list: Vec<_> = credentials
        .iter()
        .map(|c| (c.expiry(today), c))
        .filter(|(e, _)| e.is_due())
        .collect();
    list.sort_by_key(|(e, c)| (*e, c.expires, c.id.clone()));
    list
}
