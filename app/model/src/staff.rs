//! The people of the practice: staff in the directory with their role, contact, sites,
//! employment and contracted hours ([`StaffMember`]); their credentials and training
//! ([`credential`]) and their time off ([`time_off`]). All of it lives in the directory
//! document, which every device keeps open: a person works across sites, and every site's
//! roster rules need their credentials and absences.
//!
//! Fields are written one at a time and only when changed ([`crate::fields`]), so
//! two managers editing different fields of one person both keep their change.

pub mod credential;
pub mod exchange;
pub mod time_off;

use automerge::{AutoCommit, ObjId, ReadDoc};

use crate::document::maps;
use crate::fields::{form_edit, int, new_record, put_changed, record, text, write_error, FormEdit};
use crate::{Document, DocumentError, ProviderId, SiteId, StaffId};

/// Roles offered when adding someone; any other role may be typed.
pub const ROLES: [&str; 9] = [
    "Front desk",
    "Medical assistant",
    "Nurse",
    "Provider",
    "Billing",
    "Office manager",
    "Cleaning",
    "Maintenance",
    "Receptionist",
];

/// The most hours anyone is contracted for in a week: a typo guard.
pub const MAX_WEEKLY_HOURS: u32 = 80;

#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Hash, PartialOrd, Ord)]
pub enum Employment {
    #[default]
    FullTime,
    PartTime,
    /// Per diem or bank staff: no contracted hours.
    Casual,
    Contractor,
}

impl Employment {
    pub const ALL: [Self; 4] = [
        Self::FullTime,
        Self::PartTime,
        Self::Casual,
        Self::Contractor,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::FullTime => "full-time",
            Self::PartTime => "part-time",
            Self::Casual => "casual",
            Self::Contractor => "contractor",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::FullTime => "Full time",
            Self::PartTime => "Part time",
            Self::Casual => "Casual / per diem",
            Self::Contractor => "Contractor",
        }
    }

    /// Reads a code or a label, as stored or as a spreadsheet spells it.
    pub fn parse(text: &str) -> Option<Self> {
        let wanted = letters(text);
        let wanted = match wanted.as_str() {
            "fulltime" | "ft" => "fulltime",
            "parttime" | "pt" => "parttime",
            "casual" | "perdiem" | "casualperdiem" | "bank" | "prn" => "casual",
            "contractor" | "contract" | "agency" => "contractor",
            _ => return None,
        };
        Self::ALL
            .into_iter()
            .find(|e| e.code().replace('-', "") == wanted)
    }
}

/// A choice as a spreadsheet may spell it, reduced to lower-case letters and digits:
/// "Part time", "part-time" and "PART_TIME" all read `parttime`.
pub(crate) fn letters(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect()
}

/// A member of staff: who can be signed in at a desk and who is put on the roster.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct StaffMember {
    pub id: StaffId,
    pub name: String,
    pub role: String,
    /// A phone number or e-mail address, as typed.
    pub contact: String,
    /// The site they mostly work at.
    pub home: SiteId,
    /// Every site they may be rostered at; always holds `home`.
    pub sites: Vec<SiteId>,
    pub employment: Employment,
    /// Contracted minutes a week; `None` when not contracted (casual staff).
    pub weekly_minutes: Option<u32>,
    /// The schedule's provider this person is, for a provider: their expired licence is
    /// flagged on the schedule too.
    pub provider: Option<ProviderId>,
}

form_edit!(StaffMember {
    id,
    name,
    role,
    contact,
    home,
    sites,
    employment,
    weekly_minutes,
    provider
});

impl StaffMember {
    /// What a form changed from `before`, laid onto the person as they stand now
    /// ([`FormEdit`]); the sites they may work at keep their home site.
    pub fn edited(self, before: &Self, current: Self) -> Self {
        let mut merged = self.onto(before, current);
        if !merged.sites.contains(&merged.home) {
            merged.sites.insert(0, merged.home.clone());
        }
        merged
    }

    /// Someone with a name and a role at the main site, full time, nothing else known yet.
    pub fn new(name: &str, role: &str) -> Self {
        Self {
            id: StaffId::random(),
            name: name.to_string(),
            role: role.to_string(),
            contact: String::new(),
            home: SiteId::main(),
            sites: vec![SiteId::main()],
            employment: Employment::FullTime,
            weekly_minutes: None,
            provider: None,
        }
    }

    pub fn may_work_at(&self, site: &SiteId) -> bool {
        &self.home == site || self.sites.contains(site)
    }
}

/// Reads one staff record; `None` when it is not one. Records written before rosters
/// existed have only a name and a role.
pub(crate) fn read_member(doc: &AutoCommit, map: &ObjId, id: &str) -> Option<StaffMember> {
    let obj = record(doc, map, id)?;
    let home = match text(doc, &obj, "home") {
        Some(site) => SiteId::new(&site)?,
        None => SiteId::main(),
    };
    let mut sites: Vec<SiteId> = text(doc, &obj, "sites")
        .unwrap_or_default()
        .split(',')
        .filter(|s| !s.is_empty())
        .map(SiteId::new)
        .collect::<Option<_>>()?;
    if !sites.contains(&home) {
        sites.insert(0, home.clone());
    }
    Some(StaffMember {
        id: StaffId::from(id),
        name: text(doc, &obj, "name")?,
        role: text(doc, &obj, "role")?,
        contact: text(doc, &obj, "contact").unwrap_or_default(),
        home,
        sites,
        employment: text(doc, &obj, "employment")
            .and_then(|e| Employment::parse(&e))
            .unwrap_or_default(),
        weekly_minutes: int(doc, &obj, "weekly_minutes")
            .filter(|m| *m >= 0)
            .and_then(|m| u32::try_from(m).ok()),
        provider: text(doc, &obj, "provider")
            .filter(|p| !p.is_empty())
            .map(ProviderId::from),
    })
}

/// Adds a member of staff or changes one, writing only the fields that differ.
pub fn put_staff(doc: &mut AutoCommit, member: &StaffMember) -> Result<(), DocumentError> {
    let map = Document::root_map(doc, maps::STAFF)?;
    let obj = match record(doc, &map, member.id.as_str()) {
        Some(obj) => obj,
        None => new_record(doc, &map, member.id.as_str())?,
    };
    let sites = member
        .sites
        .iter()
        .map(SiteId::as_str)
        .collect::<Vec<_>>()
        .join(",");
    put_changed(doc, &obj, "name", member.name.as_str())?;
    put_changed(doc, &obj, "role", member.role.as_str())?;
    put_changed(doc, &obj, "contact", member.contact.as_str())?;
    put_changed(doc, &obj, "home", member.home.as_str())?;
    put_changed(doc, &obj, "sites", sites.as_str())?;
    put_changed(doc, &obj, "employment", member.employment.code())?;
    match member.weekly_minutes {
        Some(minutes) => put_changed(doc, &obj, "weekly_minutes", i64::from(minutes))?,
        None => {
            if doc
                .get(&obj, "weekly_minutes")
                .map_err(write_error)?
                .is_some()
            {
                automerge::transaction::Transactable::delete(doc, &obj, "weekly_minutes")
                    .map_err(write_error)?;
            }
        }
    }
    let provider = member.provider.as_ref().map_or("", ProviderId::as_str);
    put_changed(doc, &obj, "provider", provider)
}

/// Reads contracted hours as typed: "37.5", "40", "" for none.
pub fn parse_weekly_hours(text: &str) -> Result<Option<u32>, String> {
    let text = text.trim().trim_end_matches('h').trim();
    if text.is_empty() {
        return Ok(None);
    }
    let hours: f64 = text
        .replace(',', ".")
        .parse()
        .map_err(|_| format!("\"{text}\" is not a number of hours, like 37.5."))?;
    if !(0.0..=f64::from(MAX_WEEKLY_HOURS)).contains(&hours) || !hours.is_finite() {
        return Err(format!(
            "Contracted hours must lie between 0 and {MAX_WEEKLY_HOURS}."
        ));
    }
    let minutes = (hours * 60.0).round();
    if (minutes % 15.0) != 0.0 {
        return Err("Contracted hours go in quarter hours, like 37.25 or 37.5.".into());
    }
    Ok(Some(minutes as u32))
}

/// Minutes as hours for people: 2250 → "37.5", 2400 → "40".
pub fn hours_text(minutes: u32) -> String {
    if minutes.is_multiple_of(60) {
        format!("{}", minutes / 60)
    } else {
        let text = format!("{:.2}", f64::from(minutes) / 60.0);
        text.trim_end_matches('0').to_string()
    }
}

#[cfg(test)]
mod tests;
