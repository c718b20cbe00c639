//! The demo clinic: a synthetic practice that Settings writes into an empty organisation
//! in one tap, so that a newcomer sees the schedule, the desk's patient flow, the conflicts
//! list and the waitlist at work before typing anything.
//!
//! Everything is made up: patients are combined from small lists of invented names, phones
//! lie in the 555-01xx range kept for fiction, addresses end in `example.org`. Like the
//! rest of the model it is pure: today, now, the device's name and a seed come in, and the
//! same inputs give the same practice and week, apart from the entities' random ids.
//!
//! The week (Monday to Sunday around today) is shaped to show each feature once: every
//! status but "entered in error", one recurring series, one double-booking and one booking
//! outside a provider's hours on a day still to come, a patient kept waiting too long.
//! Each site and the organisation get a task board ([`boards`]) with work in every column,
//! some of it overdue, and the recurring tasks a desk keeps. Each site keeps supplies
//! ([`supplies`]) with three weeks of history: some low, some lots expiring, an order on
//! its way. The staff have a roster ([`roster`]): positions, credentials with some coming
//! due, time off, and a month of shifts with a few gaps and exactly two kinds of problem
//! for the rules to flag.

mod boards;
mod flow;
mod names;
mod office;
mod practice;
mod roster;
mod supplies;
mod week;
pub mod year;

use automerge::AutoCommit;
use chrono::{NaiveDate, NaiveDateTime};

pub use boards::{write_board, DemoBoard, DemoCard, DemoComment};
pub use office::{write_site_office, write_staff_file, write_vendors};
pub use roster::{write_roster, DemoRoster, DemoShift, DemoSwap};
pub use supplies::{
    has_no_supplies, write_supplies, DemoDelivery, DemoMovement, DemoOrder, DemoSupplies,
};

use model::board::BoardScope;
use model::directory::{put_copay, put_provider, put_room, put_site, put_staff, put_type};
use model::roster::setup::{put_position, put_template};
use model::roster::{Position, ShiftTemplate};
use model::staff::credential::{put_credential, Credential};
use model::staff::time_off::{self, put_time_off, TimeOff};
use model::waitlist::WaitlistEntry;
use model::{
    Appointment, AppointmentType, Directory, DocumentError, Provider, Room, Site, SiteId,
    StaffMember, WeekHours,
};

/// The whole demo practice, ready to be written: the directory's records, then the
/// appointments and waitlist entries with the site whose documents they belong in.
#[derive(Clone, Debug)]
pub struct DemoClinic {
    pub sites: Vec<Site>,
    pub rooms: Vec<Room>,
    pub types: Vec<AppointmentType>,
    pub providers: Vec<Provider>,
    pub staff: Vec<StaffMember>,
    /// In order of start; a schedule document holds one site's month, so the caller groups
    /// them by site and by the month of their start.
    pub appointments: Vec<(SiteId, Appointment)>,
    pub waitlist: Vec<(SiteId, WaitlistEntry)>,
    /// One task board per site, in the order of the sites, then the organisation's; each
    /// goes into the document of `DocKind::Board` with its scope ([`write_board`]).
    pub boards: Vec<(BoardScope, DemoBoard)>,
    /// The supplies of each site, in the order of the sites; each goes into the site's
    /// `DocKind::Inventory` and the stock logs of its months ([`write_supplies`]).
    pub supplies: Vec<(SiteId, DemoSupplies)>,
    /// Every person's credentials and training.
    pub credentials: Vec<Credential>,
    /// Each site's positions, the main site's first.
    pub positions: Vec<Position>,
    pub templates: Vec<ShiftTemplate>,
    pub time_off: Vec<TimeOff>,
    /// The month of shifts; each goes into the roster document of its site and month
    /// ([`DemoRoster::by_document`], [`write_roster`]).
    pub roster: DemoRoster,
    /// The vendor register ([`write_vendors`]); the supply items name theirs.
    pub vendors: Vec<model::vendor::Vendor>,
    /// Each site's equipment, written with its budget ([`write_site_office`]).
    pub equipment: Vec<(SiteId, model::equipment::Equipment)>,
}

impl DemoClinic {
    /// The directory as [`Directory::read`] would give it once written.
    pub fn directory(&self) -> Directory {
        Directory {
            sites: self.sites.clone(),
            rooms: self.rooms.clone(),
            types: self.types.clone(),
            providers: self.providers.clone(),
            staff: self.staff.clone(),
            credentials: self.credentials.clone(),
            time_off: self.time_off.clone(),
            positions: self.positions.clone(),
            templates: self.templates.clone(),
            ..Directory::default()
        }
    }
}

/// The demo practice and its week around `today`, with `now` the site's wall-clock time;
/// `device` signs the histories; `seed` picks the patients and the spread of the week.
/// The task boards, then the supplies, then the roster come last, so that each leaves what
/// the same seed gave before it.
pub fn demo_clinic(today: NaiveDate, now: NaiveDateTime, device: &str, seed: u64) -> DemoClinic {
    let mut rng = names::Rng::new(seed);
    let mut clinic = practice::clinic();
    let slots = week::plan(&clinic, today, now, &mut rng);
    let mut appointments = flow::appointments(&clinic, &slots, today, now, device, &mut rng);
    appointments.sort_by_key(|(_, a)| a.start);
    clinic.waitlist = flow::waitlist(&clinic, today, now, &mut rng);
    clinic.appointments = appointments;
    clinic.boards = boards::boards(&clinic, today, now, &mut rng);
    clinic.supplies = supplies::supplies(&clinic, today, now, &mut rng);
    roster::staffing(&mut clinic, today, &mut rng);
    clinic.vendors = office::vendors(&clinic, today, &mut rng);
    office::link_items(&mut clinic);
    clinic.equipment = office::equipment(&clinic, today);
    clinic
}

/// Writes the demo's directory: its sites (the main one renamed), rooms, types, providers,
/// staff, their credentials and time off, and the roster's positions and templates.
/// Appointments, waitlist entries and shifts belong in their own documents.
pub fn write_directory(doc: &mut AutoCommit, clinic: &DemoClinic) -> Result<(), DocumentError> {
    for site in &clinic.sites {
        put_site(doc, site)?;
    }
    for room in &clinic.rooms {
        put_room(doc, room)?;
    }
    for kind in &clinic.types {
        put_type(doc, kind)?;
        put_copay(doc, &kind.id, kind.copay_cents)?;
    }
    for provider in &clinic.providers {
        put_provider(doc, provider)?;
    }
    for member in &clinic.staff {
        put_staff(doc, member)?;
    }
    for credential in &clinic.credentials {
        put_credential(doc, credential)?;
    }
    for position in &clinic.positions {
        put_position(doc, position)?;
    }
    for template in &clinic.templates {
        put_template(doc, template)?;
    }
    for absence in &clinic.time_off {
        put_time_off(doc, absence)?;
        // Who decided is written by the decision itself, as when a manager taps it.
        if !absence.decided_by.is_empty() {
            time_off::decide(doc, &absence.id, absence.status, &absence.decided_by)?;
        }
    }
    Ok(())
}

/// Whether the organisation is as new: no providers, rooms, types, staff, credentials,
/// time off, positions or templates, and only the implicit main site, unnamed and with office hours. The demo renames the main site and
/// adds a practice around it, so it may only fill an organisation that has nothing a
/// person made; a record this version cannot read counts as something.
pub fn is_empty(directory: &Directory) -> bool {
    // `Directory::read` stands in the main site under this name when none was written.
    let implicit_main = |s: &Site| {
        s.id == SiteId::main() && s.name == "Main site" && s.hours == WeekHours::office()
    };
    directory.providers.is_empty()
        && directory.rooms.is_empty()
        && directory.types.is_empty()
        // Only the people set up to sign in (the first owner): nobody else was entered.
        && directory
            .staff
            .iter()
            .all(|s| directory.access.of(&s.id).is_some())
        && directory.credentials.is_empty()
        && directory.time_off.is_empty()
        && directory.closures.is_empty()
        && directory.vendors.is_empty()
        && directory.positions.is_empty()
        && directory.templates.is_empty()
        && directory.unreadable == 0
        && matches!(directory.sites.as_slice(), [main] if implicit_main(main))
}

/// Whether the organisation is the demo clinic: its main site carries the demo's name and
/// it has providers. Only then may the demo's past year be added ([`year::year`]).
pub fn is_demo(directory: &Directory) -> bool {
    directory
        .site(&SiteId::main())
        .is_some_and(|s| s.name == practice::MAIN_SITE_NAME)
        && !directory.providers.is_empty()
}

#[cfg(test)]
mod tests;
