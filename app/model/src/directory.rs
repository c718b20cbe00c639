//! The organisation's directory: sites and their opening hours, rooms, providers with their
//! working hours, appointment types and the staff who sign in at a desk.

mod hours;

use automerge::AutoCommit;
use autosurgeon::{hydrate_prop, reconcile_prop, Hydrate, Reconcile};
use serde::{Deserialize, Serialize};

pub use crate::staff::{put_staff, StaffMember};
pub use hours::{parse_span, span_text, time, WeekHours, WEEKDAYS};

use crate::closure::{read_closure, Closure};
use crate::document::maps;
use crate::roster::setup::{read_position, read_rules, read_template};
use crate::roster::{Position, PositionId, RosterRules, ShiftTemplate};
use crate::staff::credential::{read_credential, Credential};
use crate::staff::read_member;
use crate::staff::time_off::{read_time_off, TimeOff};

use crate::{random_id, tidy, Document, DocumentError};

/// Longest name of anything in the directory, in characters.
pub const MAX_NAME_CHARS: usize = 80;

/// Colours offered for providers and appointment types; readable with dark text.
pub const PALETTE: [&str; 8] = [
    "#8ecae6", "#ffb703", "#90be6d", "#f4a3a8", "#cdb4db", "#f9c74f", "#a8dadc", "#ffd6a5",
];

/// A site of the practice. Lower-case letters, digits and `-`, so that it can be part of a
/// document id.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Serialize, Deserialize)]
pub struct SiteId(String);

impl SiteId {
    pub fn new(id: &str) -> Option<Self> {
        let valid = !id.is_empty()
            && id.len() <= 40
            && id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        valid.then(|| Self(id.to_string()))
    }

    /// The site every organisation starts with.
    pub fn main() -> Self {
        Self("main".into())
    }

    /// An id made from a site's name: `North Clinic` → `north-clinic`.
    pub fn from_name(name: &str) -> Option<Self> {
        let slug: String = name
            .to_lowercase()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        let slug = slug
            .split('-')
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>();
        Self::new(&slug.join("-").chars().take(40).collect::<String>())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

random_id!(
    /// A provider who sees patients.
    ProviderId
);
random_id!(
    /// A room at a site.
    RoomId
);
random_id!(
    /// A kind of appointment (new patient, follow-up …).
    TypeId
);
random_id!(
    /// A member of staff who can be signed in at a desk.
    StaffId
);

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Site {
    pub id: SiteId,
    pub name: String,
    pub hours: WeekHours,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Room {
    pub id: RoomId,
    pub name: String,
    pub site: SiteId,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct AppointmentType {
    pub id: TypeId,
    pub name: String,
    pub duration_minutes: u32,
    pub colour: String,
    /// What a patient pays at the desk for it, in cents; `None` when nothing is expected.
    pub copay_cents: Option<i64>,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Provider {
    pub id: ProviderId,
    pub name: String,
    pub specialty: String,
    pub colour: String,
    /// The sites the provider works at; never empty.
    pub sites: Vec<SiteId>,
    pub hours: WeekHours,
}

impl Provider {
    pub fn works_at(&self, site: &SiteId) -> bool {
        self.sites.contains(site)
    }
}

#[derive(Reconcile, Hydrate)]
struct SiteRecord {
    name: String,
    hours: Vec<String>,
}

#[derive(Reconcile, Hydrate)]
struct RoomRecord {
    name: String,
    site: String,
}

#[derive(Reconcile, Hydrate)]
struct TypeRecord {
    name: String,
    duration_minutes: u32,
    colour: String,
}

/// Providers written before sites and hours existed have only `name` and `site`, so the
/// later fields are optional and default when read.
#[derive(Reconcile, Hydrate)]
struct ProviderRecord {
    name: String,
    site: String,
    #[autosurgeon(missing = "Default::default")]
    specialty: Option<String>,
    #[autosurgeon(missing = "Default::default")]
    colour: Option<String>,
    #[autosurgeon(missing = "Default::default")]
    sites: Option<Vec<String>>,
    #[autosurgeon(missing = "Default::default")]
    hours: Option<Vec<String>>,
}

/// The directory as the interface reads it. Every list is sorted by name.
#[derive(Clone, Default, PartialEq, Eq, Debug)]
pub struct Directory {
    pub sites: Vec<Site>,
    pub rooms: Vec<Room>,
    pub types: Vec<AppointmentType>,
    pub providers: Vec<Provider>,
    pub staff: Vec<StaffMember>,
    /// Every person's credentials and training, by person, then kind, then expiry.
    pub credentials: Vec<Credential>,
    /// Requests for time off, newest first.
    pub time_off: Vec<TimeOff>,
    /// Holidays and closures, by first day.
    pub closures: Vec<Closure>,
    /// The vendor register, by name.
    pub vendors: Vec<crate::vendor::Vendor>,
    /// How each site that set them runs its confirmation calls ([`Directory::calling`]).
    pub calling: Vec<crate::confirm::CallSettings>,
    /// Each site's positions, by site then name.
    pub positions: Vec<Position>,
    /// Shift templates, by start time.
    pub templates: Vec<ShiftTemplate>,
    pub roster_rules: RosterRules,
    /// The currency the practice keeps its amounts in.
    pub currency: crate::money::Currency,
    /// Who may sign in, with which role.
    pub access: crate::access::SignIns,
    /// Records that could not be read (written by a newer or damaged client); shown, not
    /// hidden, so that a person can act.
    pub unreadable: usize,
}

/// Hydrates every record of the map `key`; counts those that do not read.
fn read_map<R: Hydrate, T>(
    doc: &AutoCommit,
    key: &str,
    unreadable: &mut usize,
    convert: impl Fn(String, R) -> Option<T>,
) -> Result<Vec<T>, DocumentError> {
    let map = Document::root_map(doc, key)?;
    let mut items = Vec::new();
    for id in automerge::ReadDoc::keys(doc, &map) {
        match hydrate_prop::<_, R, _, _>(doc, &map, id.as_str())
            .ok()
            .and_then(|record| convert(id, record))
        {
            Some(item) => items.push(item),
            None => *unreadable += 1,
        }
    }
    Ok(items)
}

impl Directory {
    pub fn read(doc: &AutoCommit) -> Result<Self, DocumentError> {
        let mut unreadable = 0;
        let mut sites = read_map(doc, maps::SITES, &mut unreadable, |id, r: SiteRecord| {
            Some(Site {
                id: SiteId::new(&id)?,
                name: r.name,
                hours: WeekHours::from_texts(&r.hours)?,
            })
        })?;
        if !sites.iter().any(|s| s.id == SiteId::main()) {
            // Every organisation has its main site, named or not.
            sites.push(Site {
                id: SiteId::main(),
                name: "Main site".into(),
                hours: WeekHours::office(),
            });
        }
        let rooms = read_map(doc, maps::ROOMS, &mut unreadable, |id, r: RoomRecord| {
            Some(Room {
                id: RoomId(id),
                name: r.name,
                site: SiteId::new(&r.site)?,
            })
        })?;
        let types = read_map(doc, maps::TYPES, &mut unreadable, |id, r: TypeRecord| {
            Some(AppointmentType {
                id: TypeId(id),
                name: r.name,
                duration_minutes: r.duration_minutes,
                colour: r.colour,
                copay_cents: None,
            })
        })?;
        let mut types = types;
        read_copays(doc, &mut types)?;
        let providers = read_map(
            doc,
            maps::PROVIDERS,
            &mut unreadable,
            |id, r: ProviderRecord| {
                let primary = SiteId::new(&r.site)?;
                let mut sites = match r.sites {
                    Some(list) => list.iter().map(|s| SiteId::new(s)).collect::<Option<_>>()?,
                    None => Vec::new(),
                };
                if sites.is_empty() {
                    sites.push(primary);
                }
                Some(Provider {
                    id: ProviderId(id),
                    name: r.name,
                    specialty: r.specialty.unwrap_or_default(),
                    colour: r.colour.unwrap_or_else(|| PALETTE[0].to_string()),
                    sites,
                    hours: match r.hours {
                        Some(texts) => WeekHours::from_texts(&texts)?,
                        None => WeekHours::office(),
                    },
                })
            },
        )?;
        let staff = read_records(doc, "staff", &mut unreadable, read_member)?;
        let credentials = read_records(doc, "credentials", &mut unreadable, read_credential)?;
        let time_off = read_records(doc, "time_off", &mut unreadable, read_time_off)?;
        let closures = read_records(doc, maps::CLOSURES, &mut unreadable, read_closure)?;
        let mut vendors = read_records(
            doc,
            maps::VENDORS,
            &mut unreadable,
            crate::vendor::read_vendor,
        )?;
        vendors.sort_by(|a, b| (a.name.to_lowercase(), &a.id).cmp(&(b.name.to_lowercase(), &b.id)));
        let calling = crate::confirm::read_call_settings(doc);
        let currency = crate::money::read_currency(doc).unwrap_or_else(|default| {
            unreadable += 1;
            default
        });
        let positions = read_records(doc, "positions", &mut unreadable, read_position)?;
        let templates = read_records(doc, "shift_templates", &mut unreadable, read_template)?;
        let mut directory = Self {
            sites,
            rooms,
            types,
            providers,
            staff,
            credentials,
            time_off,
            closures,
            vendors,
            calling,
            positions,
            templates,
            roster_rules: read_rules(doc),
            currency,
            access: crate::access::SignIns::read(doc)?,
            unreadable,
        };
        directory
            .sites
            .sort_by_key(|s| (s.id != SiteId::main(), s.name.to_lowercase()));
        directory.rooms.sort_by_key(|r| r.name.to_lowercase());
        directory.types.sort_by_key(|t| t.name.to_lowercase());
        directory.providers.sort_by_key(|p| p.name.to_lowercase());
        directory.staff.sort_by_key(|s| s.name.to_lowercase());
        directory
            .credentials
            .sort_by(|a, b| (&a.staff, a.kind, a.expires).cmp(&(&b.staff, b.kind, b.expires)));
        directory
            .time_off
            .sort_by(|a, b| (b.from, &b.id).cmp(&(a.from, &a.id)));
        directory
            .closures
            .sort_by(|a, b| (a.from, a.to, &a.id).cmp(&(b.from, b.to, &b.id)));
        directory
            .positions
            .sort_by_key(|p| (p.site.clone(), p.name.to_lowercase()));
        directory
            .templates
            .sort_by_key(|t| (t.start, t.name.to_lowercase()));
        Ok(directory)
    }

    pub fn providers_at<'a>(&'a self, site: &'a SiteId) -> impl Iterator<Item = &'a Provider> {
        self.providers.iter().filter(move |p| p.works_at(site))
    }

    pub fn rooms_at<'a>(&'a self, site: &'a SiteId) -> impl Iterator<Item = &'a Room> {
        self.rooms.iter().filter(move |r| &r.site == site)
    }

    pub fn provider(&self, id: &ProviderId) -> Option<&Provider> {
        self.providers.iter().find(|p| &p.id == id)
    }

    pub fn site(&self, id: &SiteId) -> Option<&Site> {
        self.sites.iter().find(|s| &s.id == id)
    }

    pub fn room(&self, id: &RoomId) -> Option<&Room> {
        self.rooms.iter().find(|r| &r.id == id)
    }

    pub fn appointment_type(&self, id: &TypeId) -> Option<&AppointmentType> {
        self.types.iter().find(|t| &t.id == id)
    }

    pub fn staff_member(&self, id: &StaffId) -> Option<&StaffMember> {
        self.staff.iter().find(|s| &s.id == id)
    }

    /// The name of what `id` refers to, or a stand-in when it was removed.
    pub fn provider_name(&self, id: &ProviderId) -> String {
        self.provider(id)
            .map_or_else(|| "Unknown provider".into(), |p| p.name.clone())
    }
}

/// Reads every record of the map `key` by hand (records whose fields are written one at a
/// time); counts those that do not read. A document without the map (its genesis step
/// still to be applied) has none.
fn read_records<T>(
    doc: &AutoCommit,
    key: &str,
    unreadable: &mut usize,
    read: impl Fn(&AutoCommit, &automerge::ObjId, &str) -> Option<T>,
) -> Result<Vec<T>, DocumentError> {
    let Ok(map) = Document::root_map(doc, key) else {
        return Ok(Vec::new());
    };
    let mut items = Vec::new();
    for id in automerge::ReadDoc::keys(doc, &map) {
        match read(doc, &map, &id) {
            Some(item) => items.push(item),
            None => *unreadable += 1,
        }
    }
    Ok(items)
}

impl Directory {
    /// The positions of `site`.
    pub fn positions_at<'a>(&'a self, site: &'a SiteId) -> impl Iterator<Item = &'a Position> {
        self.positions.iter().filter(move |p| &p.site == site)
    }

    pub fn position(&self, id: &PositionId) -> Option<&Position> {
        self.positions.iter().find(|p| &p.id == id)
    }

    /// The staff who may be rostered at `site`.
    pub fn staff_at<'a>(&'a self, site: &'a SiteId) -> impl Iterator<Item = &'a StaffMember> {
        self.staff.iter().filter(move |s| s.may_work_at(site))
    }

    /// A person's name, or a stand-in when they were removed.
    pub fn staff_name(&self, id: &StaffId) -> String {
        self.staff_member(id)
            .map_or_else(|| "Unknown person".into(), |s| s.name.clone())
    }

    /// A position's name, or a stand-in when it was removed; "Any" for none.
    pub fn position_name(&self, id: Option<&PositionId>) -> String {
        match id {
            None => "Any position".into(),
            Some(id) => self
                .position(id)
                .map_or_else(|| "Removed position".into(), |p| p.name.clone()),
        }
    }

    /// The member of staff who is `provider` on the schedule, if any.
    pub fn staff_for_provider(&self, provider: &ProviderId) -> Option<&StaffMember> {
        self.staff
            .iter()
            .find(|s| s.provider.as_ref() == Some(provider))
    }
}

/// Checks a name as typed: tidied, not empty, not too long. `what` names the field.
pub fn validate_name(name: &str, what: &str) -> Result<String, String> {
    let name = tidy(name);
    if name.is_empty() {
        Err(format!("Enter the {what}."))
    } else if name.chars().count() > MAX_NAME_CHARS {
        Err(format!("Use at most {MAX_NAME_CHARS} characters."))
    } else {
        Ok(name)
    }
}

/// Checks a provider name as typed.
pub fn validate_provider_name(name: &str) -> Result<String, String> {
    validate_name(name, "provider's name")
}

/// Checks a colour as `#rrggbb`.
pub fn validate_colour(colour: &str) -> Result<String, String> {
    let c = colour.trim().to_lowercase();
    let ok = c.len() == 7 && c.starts_with('#') && c[1..].chars().all(|x| x.is_ascii_hexdigit());
    ok.then_some(c)
        .ok_or_else(|| "Use a colour like #8ecae6.".to_string())
}

fn write<R: Reconcile>(
    doc: &mut AutoCommit,
    key: &str,
    id: &str,
    record: &R,
) -> Result<(), DocumentError> {
    let map = Document::root_map(doc, key)?;
    reconcile_prop(doc, &map, id, record).map_err(|e| DocumentError::Write(e.to_string()))
}

/// Adds or updates a site.
pub fn put_site(doc: &mut AutoCommit, site: &Site) -> Result<(), DocumentError> {
    let record = SiteRecord {
        name: site.name.clone(),
        hours: site.hours.to_texts(),
    };
    write(doc, "sites", site.id.as_str(), &record)
}

pub fn put_room(doc: &mut AutoCommit, room: &Room) -> Result<(), DocumentError> {
    let record = RoomRecord {
        name: room.name.clone(),
        site: room.site.as_str().to_string(),
    };
    write(doc, "rooms", room.id.as_str(), &record)
}

pub fn put_type(doc: &mut AutoCommit, kind: &AppointmentType) -> Result<(), DocumentError> {
    let record = TypeRecord {
        name: kind.name.clone(),
        duration_minutes: kind.duration_minutes,
        colour: kind.colour.clone(),
    };
    write(doc, "types", kind.id.as_str(), &record)
}

/// Sets or clears a type's co-pay. Written on its own, and only when a form changed it:
/// the rest of the type is written whole, which would put back an old co-pay over a
/// colleague's new one.
pub fn put_copay(
    doc: &mut AutoCommit,
    id: &TypeId,
    cents: Option<i64>,
) -> Result<(), DocumentError> {
    let map = Document::root_map(doc, maps::TYPES)?;
    let obj = crate::fields::record(doc, &map, id.as_str())
        .ok_or_else(|| DocumentError::Write("the appointment type is gone".into()))?;
    let value = match cents.filter(|c| *c > 0) {
        Some(c) => automerge::ScalarValue::Int(c),
        None => automerge::ScalarValue::Null,
    };
    crate::fields::put_changed(doc, &obj, "copay_cents", value)
}

/// Each type's co-pay, kept beside the record autosurgeon writes ([`put_copay`]).
fn read_copays(doc: &AutoCommit, types: &mut [AppointmentType]) -> Result<(), DocumentError> {
    let map = Document::root_map(doc, maps::TYPES)?;
    for kind in types.iter_mut() {
        if let Some(obj) = crate::fields::record(doc, &map, kind.id.as_str()) {
            kind.copay_cents = crate::fields::int(doc, &obj, "copay_cents").filter(|c| *c > 0);
        }
    }
    Ok(())
}

pub fn put_provider(doc: &mut AutoCommit, provider: &Provider) -> Result<(), DocumentError> {
    let primary = provider.sites.first().cloned().unwrap_or_else(SiteId::main);
    let record = ProviderRecord {
        name: provider.name.clone(),
        site: primary.as_str().to_string(),
        specialty: Some(provider.specialty.clone()),
        colour: Some(provider.colour.clone()),
        sites: Some(
            provider
                .sites
                .iter()
                .map(|s| s.as_str().to_string())
                .collect(),
        ),
        hours: Some(provider.hours.to_texts()),
    };
    write(doc, "providers", provider.id.as_str(), &record)
}

/// Removes a room or appointment type (`collection` is `rooms` or `types`). Appointments
/// that name it keep the id and show it as removed.
pub fn remove(doc: &mut AutoCommit, collection: &str, id: &str) -> Result<(), DocumentError> {
    let map = Document::root_map(doc, collection)?;
    automerge::transaction::Transactable::delete(doc, &map, id)
        .map_err(|e| DocumentError::Write(e.to_string()))
}

/// Adds a provider at `site` with office hours and the next palette colour. The name must
/// have passed [`validate_provider_name`].
pub fn add_provider(
    doc: &mut AutoCommit,
    site: &SiteId,
    name: &str,
) -> Result<ProviderId, DocumentError> {
    let count = automerge::ReadDoc::length(doc, &Document::root_map(doc, maps::PROVIDERS)?);
    let provider = Provider {
        id: ProviderId::random(),
        name: name.to_string(),
        specialty: String::new(),
        colour: PALETTE[count % PALETTE.len()].to_string(),
        sites: vec![site.clone()],
        hours: WeekHours::office(),
    };
    put_provider(doc, &provider)?;
    Ok(provider.id)
}

#[cfg(test)]
mod tests;
