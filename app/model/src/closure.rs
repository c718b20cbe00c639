//! The practice's calendar of days it does not see patients: public holidays and closures
//! (a site shut for a move, staff training, bad weather), each for one site or every site,
//! kept by a manager in the directory, which every device keeps open. A booking on such a
//! day is a clash ([`crate::clash::ClashKind::Closed`]), and the next free slot skips it.
//!
//! Fields are written one at a time ([`crate::fields`]), so two managers editing one entry's
//! name and its days both keep their change.

use automerge::AutoCommit;
use chrono::NaiveDate;

use crate::directory::validate_name;
use crate::document::maps;
use crate::fields::{new_record, put_changed, record, text, write_error};
use crate::staff::credential::day_span;
use crate::{random_id, Document, DocumentError, SiteId};

random_id!(
    /// One entry of the calendar: a holiday or a closure.
    ClosureId
);

/// The longest single entry, in days; a longer closure is entered in parts.
pub const MAX_DAYS: i64 = 366;

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Closure {
    pub id: ClosureId,
    /// What it is, as the desk reads it: "Thanksgiving", "Closed for the move".
    pub name: String,
    /// The site that is closed; `None` for every site (a public holiday).
    pub site: Option<SiteId>,
    /// The first and last day closed, both included.
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Closure {
    /// Whether `site` is closed on `day` by this entry.
    pub fn closes(&self, site: &SiteId, day: NaiveDate) -> bool {
        self.site.as_ref().is_none_or(|s| s == site) && self.from <= day && day <= self.to
    }
}

/// What a manager typed for a new entry.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClosureForm {
    pub name: String,
    /// A site's id, or empty for every site.
    pub site: String,
    pub from: String,
    /// Empty for one day.
    pub to: String,
}

impl ClosureForm {
    /// The entry this form makes, checked against the sites there are and `today` (an
    /// entry that is over already changes nothing and is refused); or the problems, as
    /// (field, sentence).
    pub fn validate(
        &self,
        sites: &[SiteId],
        today: NaiveDate,
    ) -> Result<Closure, Vec<(&'static str, String)>> {
        let mut errors = Vec::new();
        let name = validate_name(&self.name, "holiday's or closure's name")
            .map_err(|e| errors.push(("name", e)))
            .ok();
        let site = match self.site.trim() {
            "" => Some(None),
            id => match SiteId::new(id).filter(|s| sites.contains(s)) {
                Some(site) => Some(Some(site)),
                None => {
                    errors.push(("site", "Choose one of the sites, or every site.".into()));
                    None
                }
            },
        };
        let span = day_span(&self.from, &self.to, &mut errors);
        if let Some((from, to)) = span {
            if (to - from).num_days() + 1 > MAX_DAYS {
                errors.push((
                    "to",
                    format!(
                        "Enter at most {MAX_DAYS} days at once; enter a longer closure in parts."
                    ),
                ));
            } else if to < today {
                errors.push((
                    "to",
                    format!("{} has passed already.", to.format("%-d %b %Y")),
                ));
            }
        }
        match (name, site, span) {
            (Some(name), Some(site), Some((from, to))) if errors.is_empty() => Ok(Closure {
                id: ClosureId::random(),
                name,
                site,
                from,
                to,
            }),
            _ => Err(errors),
        }
    }
}

pub(crate) fn read_closure(doc: &AutoCommit, map: &automerge::ObjId, id: &str) -> Option<Closure> {
    let obj = record(doc, map, id)?;
    let day = |key| NaiveDate::parse_from_str(&text(doc, &obj, key)?, "%Y-%m-%d").ok();
    let name = text(doc, &obj, "name")?;
    let site = match text(doc, &obj, "site")?.as_str() {
        "" => None,
        id => Some(SiteId::new(id)?),
    };
    let (from, to) = (day("from")?, day("to")?);
    (from <= to).then(|| Closure {
        id: ClosureId::from(id),
        name,
        site,
        from,
        to,
    })
}

/// Records an entry (or writes one back as it is), field by field.
pub fn put_closure(doc: &mut AutoCommit, c: &Closure) -> Result<(), DocumentError> {
    let map = Document::root_map(doc, maps::CLOSURES)?;
    let obj = match record(doc, &map, c.id.as_str()) {
        Some(obj) => obj,
        None => new_record(doc, &map, c.id.as_str())?,
    };
    put_changed(doc, &obj, "name", c.name.as_str())?;
    put_changed(
        doc,
        &obj,
        "site",
        c.site.as_ref().map_or("", SiteId::as_str),
    )?;
    put_changed(doc, &obj, "from", c.from.to_string().as_str())?;
    put_changed(doc, &obj, "to", c.to.to_string().as_str())
}

/// Takes an entry out of the calendar; one already gone is no error.
pub fn remove_closure(doc: &mut AutoCommit, id: &ClosureId) -> Result<(), DocumentError> {
    let map = Document::root_map(doc, maps::CLOSURES)?;
    if record(doc, &map, id.as_str()).is_none() {
        return Ok(());
    }
    automerge::transaction::Transactable::delete(doc, &map, id.as_str()).map_err(write_error)
}

#[cfg(test)]
mod tests;
