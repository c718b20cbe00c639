//! The organisation's vendors: the suppliers and the contractors who service equipment,
//! with their contact, the practice's account number with them, what they supply or
//! service, and when their contract comes up for renewal. Stock items, purchase orders and
//! equipment refer to a vendor by id, so a vendor renamed here reads renamed everywhere.
//!
//! Vendors are records of the directory's `vendors` map (its sixth genesis step), written
//! field by field, so two managers editing one vendor offline each keep the field they
//! changed. A vendor no longer used is archived ([`set_archived`]), never removed: what
//! names it keeps reading its name.

use automerge::AutoCommit;
use chrono::{Days, NaiveDate};

use crate::directory::MAX_NAME_CHARS;
use crate::document::maps;
use crate::fields::FormEdit;
use crate::fields::{new_record, put_changed, record, text};
use crate::staff::credential::parse_date;
use crate::{random_id, tidy, Directory, Document, DocumentError, Refusal, Thing};

random_id!(
    /// A vendor of the organisation.
    VendorId
);

/// A contract this close to renewal is flagged.
pub const RENEWAL_WARNING_DAYS: u64 = 60;
/// The longest note of what a vendor supplies or services.
pub const MAX_SUPPLIES_CHARS: usize = 200;

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Vendor {
    pub id: VendorId,
    pub name: String,
    /// A person, a phone number or an e-mail address, as typed.
    pub contact: String,
    /// The practice's account number with them.
    pub account: String,
    /// What they supply or service: "Gloves, gauze", "Autoclave service".
    pub supplies: String,
    /// When the contract comes up for renewal, if it has a date.
    pub renewal: Option<NaiveDate>,
    pub archived: bool,
}

crate::fields::form_edit!(Vendor {
    id,
    name,
    contact,
    account,
    supplies,
    renewal,
    archived
});

impl Vendor {
    /// Whether the contract renews within [`RENEWAL_WARNING_DAYS`] of `today`, or should
    /// have already.
    pub fn renewal_due(&self, today: NaiveDate) -> bool {
        self.renewal
            .is_some_and(|day| day <= today + Days::new(RENEWAL_WARNING_DAYS))
    }
}

/// A vendor as a manager typed it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VendorForm {
    pub name: String,
    pub contact: String,
    pub account: String,
    pub supplies: String,
    /// A day, or empty for no renewal date.
    pub renewal: String,
}

impl VendorForm {
    pub fn from_vendor(v: &Vendor) -> Self {
        Self {
            name: v.name.clone(),
            contact: v.contact.clone(),
            account: v.account.clone(),
            supplies: v.supplies.clone(),
            renewal: v.renewal.map(|d| d.to_string()).unwrap_or_default(),
        }
    }

    /// The vendor `id` this form describes, or each field's problem as (field, sentence).
    /// A name another vendor in use has is refused: two would be one supplier in two.
    pub fn validate(
        &self,
        id: VendorId,
        directory: &Directory,
    ) -> Result<Vendor, Vec<(&'static str, String)>> {
        let mut errors = Vec::new();
        let name = tidy(&self.name);
        if name.is_empty() {
            errors.push(("name", "Enter the vendor's name.".to_string()));
        } else if name.chars().count() > MAX_NAME_CHARS {
            errors.push(("name", format!("Use at most {MAX_NAME_CHARS} characters.")));
        } else if directory
            .vendors
            .iter()
            .any(|v| v.id != id && !v.archived && v.name.eq_ignore_ascii_case(&name))
        {
            errors.push(("name", format!("{name} is in the register already.")));
        }
        let short = |field: &'static str, value: &str, max: usize, errors: &mut Vec<_>| {
            let value = tidy(value);
            if value.chars().count() > max {
                errors.push((field, format!("Use at most {max} characters.")));
            }
            value
        };
        let contact = short("contact", &self.contact, MAX_NAME_CHARS, &mut errors);
        let account = short("account", &self.account, MAX_NAME_CHARS, &mut errors);
        let supplies = short("supplies", &self.supplies, MAX_SUPPLIES_CHARS, &mut errors);
        let renewal = match self.renewal.trim() {
            "" => None,
            typed => match parse_date(typed, "renewal date") {
                Ok(day) => Some(day),
                Err(e) => {
                    errors.push(("renewal", e));
                    None
                }
            },
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        let archived = directory
            .vendors
            .iter()
            .find(|v| v.id == id)
            .is_some_and(|v| v.archived);
        Ok(Vendor {
            id,
            name,
            contact,
            account,
            supplies,
            renewal,
            archived,
        })
    }
}

/// Writes a vendor (new, or as changed), each field only when it differs.
pub fn put_vendor(doc: &mut AutoCommit, v: &Vendor) -> Result<(), DocumentError> {
    let map = Document::root_map(doc, maps::VENDORS)?;
    let obj = match record(doc, &map, v.id.as_str()) {
        Some(obj) => obj,
        None => new_record(doc, &map, v.id.as_str())?,
    };
    let renewal = v.renewal.map(|d| d.to_string()).unwrap_or_default();
    put_changed(doc, &obj, "name", v.name.as_str())?;
    put_changed(doc, &obj, "contact", v.contact.as_str())?;
    put_changed(doc, &obj, "account", v.account.as_str())?;
    put_changed(doc, &obj, "supplies", v.supplies.as_str())?;
    put_changed(doc, &obj, "renewal", renewal.as_str())?;
    put_changed(doc, &obj, "archived", v.archived)
}

/// Saves a vendor from a form: a new one as typed; a changed one with only what the form
/// changed from `before` (the vendor as the form showed it) laid onto the vendor as it
/// stands now, so a colleague's change made meanwhile is kept.
pub fn save_vendor(
    doc: &mut AutoCommit,
    typed: Vendor,
    before: Option<&Vendor>,
) -> Result<(), DocumentError> {
    let vendor = match before {
        None => typed,
        Some(before) => {
            let map = Document::root_map(doc, maps::VENDORS)?;
            let current =
                read_vendor(doc, &map, before.id.as_str()).unwrap_or_else(|| before.clone());
            typed.onto(before, current)
        }
    };
    put_vendor(doc, &vendor)
}

/// Takes a vendor out of use (`archived`), or brings one back. Items, orders and equipment
/// that name it keep its id and read its name as before. A vendor comes back only while no
/// vendor in use has its name: two would be one supplier in two.
pub fn set_archived(
    doc: &mut AutoCommit,
    id: &VendorId,
    archived: bool,
) -> Result<(), DocumentError> {
    let map = Document::root_map(doc, maps::VENDORS)?;
    let Some(vendor) = read_vendor(doc, &map, id.as_str()) else {
        return Err(Thing::Vendor.gone());
    };
    if !archived {
        let taken = automerge::ReadDoc::keys(doc, &map)
            .filter(|key| key != id.as_str())
            .filter_map(|key| read_vendor(doc, &map, &key))
            .any(|v| !v.archived && v.name.eq_ignore_ascii_case(&vendor.name));
        if taken {
            return Err(DocumentError::Refused(Refusal::Field(format!(
                "{} is in the register already: rename one of the two first.",
                vendor.name
            ))));
        }
    }
    let obj = record(doc, &map, id.as_str()).ok_or_else(|| Thing::Vendor.gone())?;
    put_changed(doc, &obj, "archived", archived)
}

pub(crate) fn read_vendor(doc: &AutoCommit, map: &automerge::ObjId, id: &str) -> Option<Vendor> {
    let obj = record(doc, map, id)?;
    let get = |key| text(doc, &obj, key);
    let archived = crate::fields::flag(doc, &obj, "archived");
    Some(Vendor {
        id: VendorId::from(id),
        name: get("name")?,
        contact: get("contact").unwrap_or_default(),
        account: get("account").unwrap_or_default(),
        supplies: get("supplies").unwrap_or_default(),
        renewal: get("renewal").and_then(|t| NaiveDate::parse_from_str(&t, "%Y-%m-%d").ok()),
        archived,
    })
}

impl Directory {
    pub fn vendor(&self, id: &VendorId) -> Option<&Vendor> {
        self.vendors.iter().find(|v| &v.id == id)
    }

    /// A vendor's name, or a stand-in for one no longer in the register.
    pub fn vendor_name(&self, id: &VendorId) -> String {
        self.vendor(id)
            .map_or_else(|| "A removed vendor".into(), |v| v.name.clone())
    }

    /// Vendors in use, by name.
    pub fn active_vendors(&self) -> impl Iterator<Item = &Vendor> {
        self.vendors.iter().filter(|v| !v.archived)
    }

    /// What a list of vendors offers a record: the vendors in use, and the record's `own`
    /// even if it was archived since, so the list still shows what the record names.
    pub fn vendors_offered<'a>(
        &'a self,
        own: Option<&'a VendorId>,
    ) -> impl Iterator<Item = &'a Vendor> {
        self.vendors
            .iter()
            .filter(move |v| !v.archived || own == Some(&v.id))
    }
}

#[cfg(test)]
mod tests;
