//! The demo's staff roster: each site's positions (two desks and triage at the main site, a
//! desk and a medical assistant at Hillside), the shift templates, everyone's credentials
//! and training ([`credentials`]), some time off, and a month of shifts ([`shifts`]) from
//! the Monday two weeks before today to the Sunday two weeks ahead.
//!
//! Like the rest of the demo it is shaped to show each feature once, and otherwise to be
//! in order, so that what the roster flags means something:
//! - credentials expired, and expiring within 30, 60 and 90 days; one provider's licence
//!   has lapsed, which the schedule and the roster's rules both flag;
//! - one short rest next week (the cleaner's early start after a late evening), the one
//!   other rule the roster breaks: nobody works over their contracted hours or the
//!   overtime threshold, in time off, or at a site they are not set up for;
//! - a vacation approved last week, covered; a sick day on the last working day, covered;
//!   a vacation waiting for a decision next month;
//! - next week, an open shift to claim, an afternoon of Desk 2 nobody covers, and a swap
//!   two front-desk people asked for.
//!
//! Randomness is only in credential numbers and in how far off the valid ones expire, and
//! it is drawn after everything else of the demo, so the rest stays as the seed made it.

mod credentials;
mod shifts;

use automerge::{AutoCommit, ReadDoc};
use chrono::{Datelike, Duration, NaiveDate, NaiveTime};

use super::names::Rng;
use super::practice::{hillside, AVERY, EMERY, JESSE, ROBIN};
use super::DemoClinic;
use model::directory::time;
use model::document::maps;
use model::roster::{
    monday, put_shift, roster_kind, swap, Position, PositionId, ShiftId, ShiftTemplate, TemplateId,
    ValidShift,
};
use model::staff::credential::CredentialKind;
use model::staff::time_off::{AbsenceKind, Decision, TimeOff, TimeOffId};
use model::{DocKind, Document, DocumentError, SiteId, StaffId, WeekHours};

/// The demo's shifts and the swaps asked for between them.
#[derive(Clone, Debug, Default)]
pub struct DemoRoster {
    /// By start.
    pub shifts: Vec<DemoShift>,
    pub swaps: Vec<DemoSwap>,
}

/// A shift with the site and the id it is written under: a swap names shifts by id.
#[derive(Clone, Debug)]
pub struct DemoShift {
    pub site: SiteId,
    pub id: ShiftId,
    pub shift: ValidShift,
}

/// A swap request, as [`swap::request`] takes it: `shift`'s holder offers it to `to`.
#[derive(Clone, Debug)]
pub struct DemoSwap {
    pub shift: ShiftId,
    pub to: StaffId,
    pub give_back: Option<ShiftId>,
    /// Who asked, by name.
    pub by: String,
}

impl DemoRoster {
    /// The roster split by the document each part belongs in: one per site and month of
    /// the shifts' starts (`roster_kind`), in order of their first shift; a swap goes with
    /// its shift.
    pub fn by_document(&self) -> Vec<(DocKind, DemoRoster)> {
        let mut parts: Vec<(DocKind, DemoRoster)> = Vec::new();
        for shift in &self.shifts {
            let kind = roster_kind(&shift.site, shift.shift.start);
            match parts.iter_mut().find(|(k, _)| *k == kind) {
                Some((_, part)) => part.shifts.push(shift.clone()),
                None => parts.push((
                    kind,
                    DemoRoster {
                        shifts: vec![shift.clone()],
                        swaps: Vec::new(),
                    },
                )),
            }
        }
        for swap in &self.swaps {
            let holds = |part: &DemoRoster| part.shifts.iter().any(|s| s.id == swap.shift);
            if let Some((_, part)) = parts.iter_mut().find(|(_, part)| holds(part)) {
                part.swaps.push(swap.clone());
            }
        }
        parts
    }
}

/// Writes one roster document's part of the demo ([`DemoRoster::by_document`]): its
/// shifts, then the swaps between them, which need the shifts in place. Refuses a roster
/// that has shifts already: the demo only fills an empty organisation.
pub fn write_roster(doc: &mut AutoCommit, roster: &DemoRoster) -> Result<(), DocumentError> {
    let map = Document::root_map(doc, maps::SHIFTS)?;
    if doc.length(&map) > 0 {
        return Err(model::refusal::Roster::NotEmpty.into());
    }
    for shift in &roster.shifts {
        put_shift(doc, &shift.id, &shift.shift)?;
    }
    for s in &roster.swaps {
        swap::request(doc, &s.shift, &s.to, s.give_back.as_ref(), &s.by)?;
    }
    Ok(())
}

/// Indices into [`DemoClinic::positions`], in the order of [`positions`].
const DESK_1: usize = 0;
const DESK_2: usize = 1;
const TRIAGE: usize = 2;
const HILLSIDE_DESK: usize = 3;
const HILLSIDE_MA: usize = 4;

/// Indices into [`DemoClinic::templates`], in the order of [`templates`]; the shifts do
/// not use the triage template (at 2), see [`shifts`].
const MORNING_DESK: usize = 0;
const LATE_DESK: usize = 1;
const CLINIC_DAY: usize = 3;

/// The days the roster is laid out around, all worked out from today.
struct Calendar {
    /// This week's Monday.
    monday: NaiveDate,
    /// A vacation approved last week, Wednesday to Friday.
    vacation: (NaiveDate, NaiveDate),
    /// The last working day before today, which someone was off sick.
    sick: NaiveDate,
    /// A week's vacation asked for next month, after the month of shifts.
    request: (NaiveDate, NaiveDate),
}

impl Calendar {
    fn around(today: NaiveDate) -> Self {
        let this_monday = monday(today);
        let last_monday = this_monday - Duration::days(7);
        let mut sick = today - Duration::days(1);
        while sick.weekday().num_days_from_monday() >= 5 {
            sick -= Duration::days(1);
        }
        // The first Monday of next month, unless the month of shifts runs past it.
        let next_month = (today.with_day(1).unwrap_or(today) + Duration::days(32))
            .with_day(1)
            .unwrap_or(today);
        let to_monday = (7 - next_month.weekday().num_days_from_monday()) % 7;
        let first_monday = next_month + Duration::days(to_monday.into());
        let from = first_monday.max(this_monday + Duration::days(21));
        Self {
            monday: this_monday,
            vacation: (
                last_monday + Duration::days(2),
                last_monday + Duration::days(4),
            ),
            sick,
            request: (from, from + Duration::days(4)),
        }
    }

    /// The Monday of week `week` from this one (−2 to 2).
    fn week(&self, week: i64) -> NaiveDate {
        self.monday + Duration::weeks(week)
    }
}

/// Adds the roster to the demo: positions, templates, credentials, time off and shifts.
pub(super) fn staffing(clinic: &mut DemoClinic, today: NaiveDate, rng: &mut Rng) {
    let calendar = Calendar::around(today);
    clinic.positions = positions();
    clinic.templates = templates(&clinic.positions);
    clinic.credentials = credentials::credentials(clinic, today, rng);
    clinic.time_off = time_off(clinic, &calendar);
    clinic.roster = shifts::month(clinic, &calendar);
}

fn positions() -> Vec<Position> {
    let position = |site: SiteId, name: &str, from: NaiveTime, to: NaiveTime, requires| Position {
        id: PositionId::random(),
        site,
        name: name.into(),
        required: WeekHours::weekdays(from, to),
        requires,
    };
    let (main, hillside) = (SiteId::main(), hillside());
    let clinical = vec![CredentialKind::BlsCpr, CredentialKind::Licence];
    vec![
        position(main.clone(), "Desk 1", time(7, 30), time(18, 0), Vec::new()),
        position(main.clone(), "Desk 2", time(7, 30), time(18, 0), Vec::new()),
        position(main, "Triage", time(8, 0), time(17, 0), clinical),
        position(
            hillside.clone(),
            "Desk",
            time(8, 0),
            time(17, 0),
            Vec::new(),
        ),
        position(
            hillside,
            "MA",
            time(8, 0),
            time(17, 0),
            vec![CredentialKind::BlsCpr],
        ),
    ]
}

fn templates(positions: &[Position]) -> Vec<ShiftTemplate> {
    let template = |name: &str, start, end, break_minutes, position: Option<usize>| ShiftTemplate {
        id: TemplateId::random(),
        name: name.into(),
        start,
        end,
        break_minutes,
        position: position.map(|p| positions[p].id.clone()),
    };
    vec![
        template("Morning desk", time(7, 30), time(15, 30), 30, None),
        template("Late desk", time(10, 0), time(18, 0), 30, None),
        template("Triage", time(8, 0), time(16, 30), 30, Some(TRIAGE)),
        template("Clinic day", time(8, 0), time(17, 0), 60, None),
    ]
}

fn time_off(clinic: &DemoClinic, calendar: &Calendar) -> Vec<TimeOff> {
    let manager = clinic.staff[AVERY].name.clone();
    let absence = |person: usize, kind, (from, to), note: &str, decided: bool| TimeOff {
        id: TimeOffId::random(),
        staff: clinic.staff[person].id.clone(),
        kind,
        from,
        to,
        note: note.into(),
        status: if decided {
            Decision::Approved
        } else {
            Decision::Requested
        },
        disputed: Vec::new(),
        requested_by: clinic.staff[person].name.clone(),
        decided_by: if decided {
            manager.clone()
        } else {
            String::new()
        },
    };
    let sick = (calendar.sick, calendar.sick);
    vec![
        absence(
            EMERY,
            AbsenceKind::Vacation,
            calendar.vacation,
            "Family visit",
            true,
        ),
        absence(JESSE, AbsenceKind::Sick, sick, "Called in sick", true),
        absence(
            ROBIN,
            AbsenceKind::Vacation,
            calendar.request,
            "Family wedding",
            false,
        ),
    ]
}
