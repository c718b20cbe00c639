//! The demo practice's directory: two sites with different opening hours, their rooms, the
//! appointment types, four providers and the staff. The variety is the point: each
//! difference (a Saturday morning, a provider off on Wednesdays, one working at both
//! sites, a part-timer) shows a feature of the schedule a newcomer would otherwise not see.

use chrono::{Datelike, NaiveDate, NaiveDateTime};

use super::{DemoClinic, DemoRoster};
use model::directory::{time, PALETTE};
use model::staff::Employment;
use model::{
    AppointmentType, Provider, ProviderId, Room, RoomId, Site, SiteId, StaffMember, TypeId,
    WeekHours,
};

/// The name the demo gives the main site.
pub(super) const MAIN_SITE_NAME: &str = "Harbour Street Practice";

/// Indices into [`DemoClinic::types`], in the order of [`TYPES`].
pub(super) const NEW_PATIENT: usize = 0;
pub(super) const FOLLOW_UP: usize = 1;
pub(super) const ANNUAL_CHECK: usize = 2;
pub(super) const VACCINATION: usize = 3;
pub(super) const PROCEDURE: usize = 4;

/// Each type's name, length in minutes and co-pay in cents (none for a vaccination).
const TYPES: [(&str, u32, Option<i64>); 5] = [
    ("New patient", 40, Some(4_000)),
    ("Follow-up", 15, Some(2_500)),
    ("Annual check", 30, Some(2_500)),
    ("Vaccination", 10, None),
    ("Procedure", 60, Some(7_500)),
];

// Indices into `DemoClinic::providers`, named for the part each plays in the week.

/// The general practitioner, who has a weekly series and is off on Wednesdays.
pub(super) const SERIES_PROVIDER: usize = 0;
/// Works at both sites; one of their future days is double-booked on purpose.
pub(super) const DOUBLE_BOOKED_PROVIDER: usize = 1;
/// The dermatologist, at Hillside only; a patient waits for a sooner procedure.
pub(super) const HILLSIDE_PROVIDER: usize = 2;
/// Part-time mornings; has the one appointment booked after their hours.
pub(super) const OUTSIDE_HOURS_PROVIDER: usize = 3;

/// What each provider sees, as type indices drawn with repetition (so repeated entries are
/// more frequent), and the ages of their patients: the paediatrician sees children.
pub(super) struct Caseload {
    pub types: &'static [usize],
    pub ages: (u32, u32),
}

/// By provider index.
pub(super) const CASELOADS: [Caseload; 4] = [
    Caseload {
        types: &[
            NEW_PATIENT,
            FOLLOW_UP,
            FOLLOW_UP,
            ANNUAL_CHECK,
            ANNUAL_CHECK,
        ],
        ages: (18, 90),
    },
    Caseload {
        types: &[
            NEW_PATIENT,
            FOLLOW_UP,
            VACCINATION,
            VACCINATION,
            ANNUAL_CHECK,
        ],
        ages: (0, 16),
    },
    Caseload {
        types: &[NEW_PATIENT, FOLLOW_UP, FOLLOW_UP, PROCEDURE],
        ages: (16, 85),
    },
    Caseload {
        types: &[VACCINATION, VACCINATION, FOLLOW_UP, ANNUAL_CHECK],
        ages: (2, 80),
    },
];

/// Why patients come, per type, in the order of [`TYPES`].
pub(super) const REASONS: [&[&str]; 5] = [
    &["Registering with the practice", "Transfer of care"],
    &["Blood pressure review", "Test results", "Knee pain", "Rash"],
    &["Yearly check-up", "Health review"],
    &["Flu vaccine", "Travel vaccines", "Routine immunisation"],
    &["Mole removal", "Skin biopsy", "Joint injection"],
];

pub(super) fn hillside() -> SiteId {
    SiteId::new("hillside").expect("a valid site id")
}

/// A day's span as (hour, minute) pairs, or `None` for a day off.
type Span = Option<((u32, u32), (u32, u32))>;

fn hours(days: [Span; 7]) -> WeekHours {
    WeekHours(days.map(|d| d.map(|((h1, m1), (h2, m2))| (time(h1, m1), time(h2, m2)))))
}

/// The directory part of the demo, with no appointments yet.
pub(super) fn clinic() -> DemoClinic {
    let main = SiteId::main();
    let weekday = |from, to| Some((from, to));
    let sites = vec![
        Site {
            id: main.clone(),
            name: MAIN_SITE_NAME.into(),
            hours: WeekHours::office(),
        },
        Site {
            id: hillside(),
            name: "Hillside Clinic".into(),
            hours: {
                let mut h = WeekHours::weekdays(time(8, 30), time(17, 30));
                h.0[5] = Some((time(9, 0), time(12, 0)));
                h
            },
        },
    ];
    let room = |name: &str, site: &SiteId| Room {
        id: RoomId::random(),
        name: name.into(),
        site: site.clone(),
    };
    let rooms = vec![
        room("Room 1", &main),
        room("Room 2", &main),
        room("Treatment room", &main),
        room("Blue room", &hillside()),
        room("Green room", &hillside()),
    ];
    let types = TYPES
        .iter()
        .zip(PALETTE)
        .map(|(&(name, minutes, copay_cents), colour)| AppointmentType {
            id: TypeId::random(),
            name: name.into(),
            duration_minutes: minutes,
            colour: colour.into(),
            copay_cents,
        })
        .collect();
    let gp = weekday((8, 0), (17, 0));
    let paeds = weekday((9, 0), (17, 0));
    let derm = weekday((9, 0), (17, 0));
    let mornings = weekday((8, 0), (12, 30));
    let provider = |name: &str, specialty: &str, colour: usize, sites, hours| Provider {
        id: ProviderId::random(),
        name: name.into(),
        specialty: specialty.into(),
        colour: PALETTE[colour].into(),
        sites,
        hours,
    };
    let providers = vec![
        provider(
            "Dr. Morgan Example",
            "General practice",
            5,
            vec![main.clone()],
            hours([gp, gp, None, gp, gp, None, None]),
        ),
        provider(
            "Dr. Riley Sample",
            "Paediatrics",
            6,
            vec![main.clone(), hillside()],
            hours([
                paeds,
                paeds,
                paeds,
                paeds,
                paeds,
                weekday((9, 0), (12, 0)),
                None,
            ]),
        ),
        provider(
            "Dr. Jamie Placeholder",
            "Dermatology",
            7,
            vec![hillside()],
            hours([derm, derm, derm, derm, weekday((9, 0), (13, 0)), None, None]),
        ),
        provider(
            "Sam Fixture, NP",
            "Practice nursing",
            3,
            vec![main.clone()],
            hours([mornings, mornings, mornings, mornings, mornings, None, None]),
        ),
    ];
    let staff = staff(&providers);
    DemoClinic {
        sites,
        rooms,
        types,
        providers,
        staff,
        appointments: Vec::new(),
        waitlist: Vec::new(),
        boards: Vec::new(),
        supplies: Vec::new(),
        credentials: Vec::new(),
        positions: Vec::new(),
        templates: Vec::new(),
        time_off: Vec::new(),
        roster: DemoRoster::default(),
        vendors: Vec::new(),
        equipment: Vec::new(),
    }
}

// Indices into `DemoClinic::staff`, by name: the roster gives each person a part. The
// first four are the desk and the manager that the week's histories, the boards and the
// supplies name by their roles ("Receptionist…", "…manager"), so they keep those roles and
// come first, and nobody after them has such a role.

pub(super) const ROBIN: usize = 0;
pub(super) const QUINN: usize = 1;
pub(super) const EMERY: usize = 2;
pub(super) const AVERY: usize = 3;
pub(super) const JESSE: usize = 4;
pub(super) const CASEY: usize = 5;
pub(super) const JORDAN: usize = 6;
pub(super) const PARKER: usize = 7;
pub(super) const TAYLOR: usize = 8;
pub(super) const ROWAN: usize = 9;
pub(super) const SKYLER: usize = 10;
pub(super) const HARPER: usize = 11;
pub(super) const DANA: usize = 12;
pub(super) const LEE: usize = 13;
pub(super) const KIT: usize = 14;
pub(super) const DREW: usize = 15;
/// The staff record of provider `p` is at `PROVIDER_STAFF + p`.
pub(super) const PROVIDER_STAFF: usize = 16;

/// Where a person is based and whether they also work at the other site.
#[derive(Clone, Copy)]
enum Base {
    Main,
    Hillside,
    MainAndHillside,
    HillsideAndMain,
}

/// Name, role, base, employment, contracted minutes a week and contact.
type Person = (
    &'static str,
    &'static str,
    Base,
    Employment,
    Option<u32>,
    &'static str,
);

/// In the order of the indices above. Each site has three at the front desk, two medical
/// assistants and a nurse; cleaning, billing and the manager go between both.
#[rustfmt::skip]
const STAFF: [Person; 16] = {
    use Base::*;
    use Employment::*;
    [
        ("Robin Mockwell", "Receptionist", Main, FullTime, Some(37 * 60 + 30), "555-0131"),
        ("Quinn Testcase", "Receptionist", Main, PartTime, Some(24 * 60), "quinn.testcase@example.org"),
        ("Emery Stubbs", "Receptionist, Hillside", Hillside, PartTime, Some(32 * 60), "555-0133"),
        ("Avery Specimen", "Office manager", MainAndHillside, FullTime, Some(40 * 60), "avery.specimen@example.org"),
        ("Jesse Standin", "Front desk", Main, FullTime, Some(40 * 60), "555-0135"),
        ("Casey Scaffold", "Front desk", MainAndHillside, Casual, None, "555-0136"),
        ("Jordan Mockup", "Front desk", HillsideAndMain, PartTime, Some(30 * 60), "jordan.mockup@example.org"),
        ("Parker Standby", "Front desk", HillsideAndMain, Casual, None, "555-0138"),
        ("Taylor Proxy", "Medical assistant", Main, FullTime, Some(40 * 60), "555-0139"),
        ("Rowan Dryrun", "Medical assistant", Main, PartTime, Some(24 * 60), "rowan.dryrun@example.org"),
        ("Skyler Facsimile", "Medical assistant", Hillside, FullTime, Some(40 * 60), "555-0141"),
        ("Harper Trialrun", "Medical assistant", Hillside, PartTime, Some(24 * 60), "555-0142"),
        ("Dana Mockery", "Nurse", Main, FullTime, Some(40 * 60), "dana.mockery@example.org"),
        ("Lee Simulant", "Nurse", Hillside, PartTime, Some(24 * 60), "555-0144"),
        ("Kit Placebo", "Cleaning", MainAndHillside, PartTime, Some(20 * 60), "555-0145"),
        ("Drew Sandbox", "Billing", MainAndHillside, PartTime, Some(24 * 60), "drew.sandbox@example.org"),
    ]
};

/// The providers' employment and contracted minutes a week, by provider index: enough for
/// the hours they see patients, which the roster repeats as their shifts.
const PROVIDER_TERMS: [(Employment, u32); 4] = [
    (Employment::PartTime, 32 * 60),
    (Employment::FullTime, 40 * 60),
    (Employment::Contractor, 32 * 60),
    (Employment::PartTime, 24 * 60),
];

/// The staff: the desk, the clinical team, cleaning, billing and the manager, then each
/// provider as a member of staff with the role "Provider", linked to their schedule so
/// that a lapsed licence shows there too.
fn staff(providers: &[Provider]) -> Vec<StaffMember> {
    let (main, hillside) = (SiteId::main(), hillside());
    let mut staff: Vec<StaffMember> = STAFF
        .iter()
        .map(|&(name, role, base, employment, weekly_minutes, contact)| {
            let sites = match base {
                Base::Main => vec![main.clone()],
                Base::Hillside => vec![hillside.clone()],
                Base::MainAndHillside => vec![main.clone(), hillside.clone()],
                Base::HillsideAndMain => vec![hillside.clone(), main.clone()],
            };
            StaffMember {
                contact: contact.into(),
                home: sites[0].clone(),
                sites,
                employment,
                weekly_minutes,
                ..StaffMember::new(name, role)
            }
        })
        .collect();
    for (provider, (employment, minutes)) in providers.iter().zip(PROVIDER_TERMS) {
        let handle: String = (provider.name.split([',', ' ']))
            .filter(|w| !w.is_empty() && !w.ends_with('.') && *w != "NP")
            .collect::<Vec<_>>()
            .join(".")
            .to_lowercase();
        staff.push(StaffMember {
            contact: format!("{handle}@example.org"),
            home: provider.sites[0].clone(),
            sites: provider.sites.clone(),
            employment,
            weekly_minutes: Some(minutes),
            provider: Some(provider.id.clone()),
            ..StaffMember::new(&provider.name, "Provider")
        });
    }
    staff
}

impl DemoClinic {
    /// The site `provider` works at on `day`, if any. A provider at two sites spends the
    /// first half of the week (Monday to Wednesday) at the first and the rest at the last,
    /// as part-time arrangements between practices usually go.
    pub(super) fn site_on(&self, provider: usize, day: NaiveDate) -> Option<&Site> {
        let open: Vec<&Site> = self.providers[provider]
            .sites
            .iter()
            .filter_map(|id| self.sites.iter().find(|s| &s.id == id))
            .filter(|s| s.hours.on(day).is_some())
            .collect();
        let early_week = day.weekday().num_days_from_monday() < 3;
        let pick = if early_week {
            open.first()
        } else {
            open.last()
        };
        pick.copied()
    }

    /// Where and when `provider` sees patients on `day`: their hours within the site's.
    pub(super) fn window(
        &self,
        provider: usize,
        day: NaiveDate,
    ) -> Option<(SiteId, NaiveDateTime, NaiveDateTime)> {
        let site = self.site_on(provider, day)?;
        let (open, close) = site.hours.on(day)?;
        let (start, end) = self.providers[provider].hours.on(day)?;
        let (from, to) = (start.max(open), end.min(close));
        (from < to).then(|| (site.id.clone(), day.and_time(from), day.and_time(to)))
    }

    /// The room `provider` uses on `day`: the providers at a site that day take its rooms
    /// in order, so that no two providers ever share a room and the only clash in the demo
    /// is the deliberate one.
    pub(super) fn room_on(&self, provider: usize, day: NaiveDate) -> Option<&Room> {
        let (site, ..) = self.window(provider, day)?;
        let place = (0..provider)
            .filter(|&p| self.window(p, day).is_some_and(|(s, ..)| s == site))
            .count();
        self.rooms.iter().filter(|r| r.site == site).nth(place)
    }

    pub(super) fn duration(&self, kind: usize) -> u32 {
        self.types[kind].duration_minutes
    }
}
