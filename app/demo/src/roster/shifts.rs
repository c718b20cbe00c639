//! The month of shifts: five weeks, this one and two on either side. A regular week is
//! laid out first, the same every week but for who opens the main desk, then what happened
//! or is planned differently, each told apart below.
//!
//! A regular week, Monday to Friday:
//! - Main: Desk 1 by Robin and Jesse, one on the morning desk and one on the late desk,
//!   changing over each week; Desk 2 in the morning by Quinn (Monday, Wednesday, Friday)
//!   or Jordan (Tuesday, Thursday), late by Casey; triage by the nurse all day; the
//!   medical assistants with the providers, one of them part time.
//! - Hillside: the desk by Emery Monday to Thursday and Jordan on Friday and Saturday
//!   morning; the MA position by Skyler; the part-time assistant and nurse with the
//!   providers.
//! - Both: the manager at the main site Monday to Wednesday and at Hillside after;
//!   billing three days; cleaning in the evenings after each site closes.
//! - Each provider on the roster for the hours they see patients.
//!
//! Everybody stays within their contracted hours and the overtime threshold, with at least
//! ten hours between working days, but for the one short rest planned next week.

use chrono::{Duration, NaiveDate, NaiveTime};

use super::super::practice::{
    hillside, AVERY, CASEY, DANA, DREW, EMERY, HARPER, JESSE, JORDAN, KIT, LEE, PARKER,
    PROVIDER_STAFF, QUINN, ROBIN, ROWAN, SKYLER, TAYLOR,
};
use super::super::DemoClinic;
use super::{
    Calendar, DemoRoster, DemoShift, DemoSwap, CLINIC_DAY, DESK_1, DESK_2, HILLSIDE_DESK,
    HILLSIDE_MA, LATE_DESK, MORNING_DESK, TRIAGE,
};
use model::directory::time;
use model::roster::{ShiftId, ShiftTemplate, ValidShift};
use model::SiteId;

/// A shift's times on its day: start, end and unpaid break.
#[derive(Clone, Copy)]
struct Times(NaiveTime, NaiveTime, u32);

impl Times {
    fn of(template: &ShiftTemplate) -> Self {
        Self(template.start, template.end, template.break_minutes)
    }
}

/// The shifts as they are laid out, with the people by their index in the staff.
struct Month<'a> {
    clinic: &'a DemoClinic,
    shifts: Vec<DemoShift>,
}

impl Month<'_> {
    fn add(
        &mut self,
        site: &SiteId,
        person: usize,
        position: Option<usize>,
        day: NaiveDate,
        times: Times,
    ) {
        let Times(start, end, break_minutes) = times;
        self.shifts.push(DemoShift {
            site: site.clone(),
            id: ShiftId::random(),
            shift: ValidShift {
                staff: Some(self.clinic.staff[person].id.clone()),
                position: position.map(|p| self.clinic.positions[p].id.clone()),
                start: day.and_time(start),
                end: day.and_time(end),
                break_minutes,
                note: String::new(),
            },
        });
    }

    fn template(&self, n: usize) -> Times {
        Times::of(&self.clinic.templates[n])
    }

    /// The place of `person`'s shift on `day` at `site`, if any.
    fn find(&self, person: usize, day: NaiveDate, site: &SiteId) -> Option<usize> {
        let id = &self.clinic.staff[person].id;
        self.shifts.iter().position(|s| {
            s.shift.staff.as_ref() == Some(id) && s.shift.start.date() == day && &s.site == site
        })
    }

    /// Gives `person`'s shift on `day` at `site` to `other` (nobody: an open shift), with
    /// a note.
    fn hand_over(
        &mut self,
        (person, day, site): (usize, NaiveDate, &SiteId),
        other: Option<usize>,
        note: &str,
    ) {
        if let Some(n) = self.find(person, day, site) {
            let staff = other.map(|o| self.clinic.staff[o].id.clone());
            let shift = &mut self.shifts[n].shift;
            shift.staff = staff;
            shift.note = note.into();
        }
    }

    /// A regular week from `monday`; `week` is its place from this week (−2 to 2).
    fn week(&mut self, monday: NaiveDate, week: i64) {
        let (main, hillside) = (SiteId::main(), hillside());
        let (early, late) = match week.rem_euclid(2) {
            0 => (ROBIN, JESSE),
            _ => (JESSE, ROBIN),
        };
        let (morning, late_desk, clinic_day) = (
            self.template(MORNING_DESK),
            self.template(LATE_DESK),
            self.template(CLINIC_DAY),
        );
        // Triage must be staffed until 17:00, half an hour past the template's end: the
        // nurse works the whole day, with an hour's break.
        let triage = Times(time(8, 0), time(17, 0), 60);
        for d in 0..5 {
            let day = monday + Duration::days(d);
            self.add(&main, early, Some(DESK_1), day, morning);
            self.add(&main, late, Some(DESK_1), day, late_desk);
            let second = if d % 2 == 0 { QUINN } else { JORDAN };
            self.add(&main, second, Some(DESK_2), day, morning);
            self.add(&main, CASEY, Some(DESK_2), day, late_desk);
            self.add(&main, DANA, Some(TRIAGE), day, triage);
            self.add(&main, TAYLOR, None, day, clinic_day);
            if matches!(d, 0 | 1 | 3) {
                self.add(&main, ROWAN, None, day, clinic_day);
            }
            let desk = if d < 4 { EMERY } else { JORDAN };
            self.add(&hillside, desk, Some(HILLSIDE_DESK), day, clinic_day);
            self.add(&hillside, SKYLER, Some(HILLSIDE_MA), day, clinic_day);
            if d % 2 == 0 {
                self.add(&hillside, HARPER, None, day, clinic_day);
            }
            if matches!(d, 1..=3) {
                self.add(&hillside, LEE, None, day, clinic_day);
            }
            let manager_at = if d < 3 { &main } else { &hillside };
            self.add(manager_at, AVERY, None, day, clinic_day);
            match d {
                0 | 1 => self.add(&main, DREW, None, day, clinic_day),
                3 => self.add(&hillside, DREW, None, day, clinic_day),
                _ => {}
            }
            if d % 2 == 0 {
                self.add(&main, KIT, None, day, Times(time(18, 0), time(22, 0), 0));
            } else {
                self.add(
                    &hillside,
                    KIT,
                    None,
                    day,
                    Times(time(17, 30), time(21, 30), 0),
                );
            }
        }
        let saturday = monday + Duration::days(5);
        let morning = Times(time(8, 45), time(12, 15), 0);
        self.add(&hillside, JORDAN, Some(HILLSIDE_DESK), saturday, morning);
        self.providers(monday);
    }

    /// Each provider for the hours they see patients that week, with an hour's break in a
    /// day over six hours.
    fn providers(&mut self, monday: NaiveDate) {
        for p in 0..self.clinic.providers.len() {
            for day in (0..7).map(|d| monday + Duration::days(d)) {
                if let Some((site, from, to)) = self.clinic.window(p, day) {
                    let pause = if (to - from).num_hours() > 6 { 60 } else { 0 };
                    let times = Times(from.time(), to.time(), pause);
                    self.add(&site, PROVIDER_STAFF + p, None, day, times);
                }
            }
        }
    }
}

/// The five weeks of shifts, with what happened and what is planned differently.
pub(super) fn month(clinic: &DemoClinic, calendar: &Calendar) -> DemoRoster {
    let mut month = Month {
        clinic,
        shifts: Vec::new(),
    };
    for week in -2..=2 {
        month.week(calendar.week(week), week);
    }
    // Last week Emery was on vacation: Jordan kept the Hillside desk, and Parker, who
    // stands in where needed, took Jordan's days at the main site.
    let (main, hillside) = (&SiteId::main(), &hillside());
    let (from, to) = calendar.vacation;
    let mut day = from;
    while day <= to {
        let note = "Covering Emery's vacation";
        month.hand_over((EMERY, day, hillside), Some(JORDAN), note);
        day += Duration::days(1);
    }
    for day in (0..5).map(|d| calendar.week(-1) + Duration::days(d)) {
        let note = "Jordan is covering Hillside this week";
        month.hand_over((JORDAN, day, main), Some(PARKER), note);
    }
    // Jesse was off sick on the last working day; Parker came in when free.
    let sick = calendar.sick;
    let parker_free = [main, hillside]
        .iter()
        .all(|s| month.find(PARKER, sick, s).is_none());
    if parker_free {
        let note = "Covering for Jesse, off sick";
        month.hand_over((JESSE, sick, main), Some(PARKER), note);
    } else if let Some(n) = month.find(JESSE, sick, main) {
        month.shifts.remove(n);
    }
    let next = |d: i64| calendar.week(1) + Duration::days(d);
    // Next Tuesday Jordan's morning at Desk 2 is open for anyone to claim.
    let note = "Open: claim it if you can cover";
    month.hand_over((JORDAN, next(1), main), None, note);
    // Next Wednesday nobody covers Desk 2 in the afternoon: Casey is not coming in.
    if let Some(n) = month.find(CASEY, next(2), main) {
        month.shifts.remove(n);
    }
    // Next Thursday the cleaner does a deep clean at Hillside before it opens instead of
    // the evening: too little rest after the evening at the main site the day before.
    if let Some(n) = month.find(KIT, next(3), hillside) {
        let shift = &mut month.shifts[n].shift;
        shift.start = next(3).and_time(time(6, 0));
        shift.end = next(3).and_time(time(10, 0));
        shift.note = "Deep clean before opening".into();
    }
    // Robin asked to swap next Thursday's desk shift with Jesse's.
    let swaps = match (
        month.find(ROBIN, next(3), main),
        month.find(JESSE, next(3), main),
    ) {
        (Some(robin), Some(jesse)) => vec![DemoSwap {
            shift: month.shifts[robin].id.clone(),
            to: clinic.staff[JESSE].id.clone(),
            give_back: Some(month.shifts[jesse].id.clone()),
            by: clinic.staff[ROBIN].name.clone(),
        }],
        _ => Vec::new(),
    };
    let mut shifts = month.shifts;
    shifts.sort_by_key(|s| s.shift.start);
    DemoRoster { shifts, swaps }
}
