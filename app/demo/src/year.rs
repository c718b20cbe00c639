//! The demo clinic's past year: every provider's working days of the twelve months before
//! this one, so that the manager's reports have a year to read. It is written on request
//! after the demo clinic ([`year`]), from the directory as the documents hold it.
//!
//! Each working day of each provider follows one pattern, so that every month shows the
//! same known figures whatever its calendar: ten appointments fifteen minutes apart from
//! the start of their day, the two shortest types in turn; the first a no-show, the second
//! cancelled two hours before; the other eight seen, six of them confirmed the evening
//! before, checked in five minutes early, waiting 5, 10, … 40 minutes for the room, and
//! out twelve minutes later. So every month's no-show rate is 1 in 9 ([`NO_SHOW_PERCENT`]),
//! its late-cancel rate 1 in 10, its confirmation rate 6 in 9, and its waits the same.
//! Days a provider is away or their site closed, and the demo's own week, are left empty.
//!
//! Each appointment, its id and its patient are drawn from its provider and start alone
//! ([`slot_seed`]), so two devices adding the year offline write the same appointments
//! under the same ids: once merged, the year is there once, not twice.

use chrono::{Datelike, Days, Months, NaiveDate, NaiveDateTime, TimeDelta};

use super::names::{self, Rng};
use model::appointment::{format_local_datetime, StatusChange, ValidBooking};
use model::schedule::{self, Who};
use model::{Appointment, AppointmentId, Directory, Provider, ProviderId, Site, SiteId, Status};

/// Appointments in each provider's day.
pub const PER_DAY: usize = 10;
/// Minutes between their starts.
const APART: i64 = 15;

/// What every past month of the year shows, by construction (rounded down, as the reports
/// round): no-shows of those due, late cancels of those booked, confirmed of those due.
pub const NO_SHOW_PERCENT: u32 = 11;
pub const LATE_CANCEL_PERCENT: u32 = 10;
pub const CONFIRMED_PERCENT: u32 = 66;
/// Minutes from check-in to the room, median and 90th percentile; minutes in the room.
pub const WAIT_MEDIAN: i64 = 20;
pub const WAIT_P90: i64 = 40;
pub const IN_ROOM: i64 = 12;

/// The year before the month of `today`, for the providers of `directory`, each with the
/// site whose documents it belongs in, in order of start. The week of `today` is left to
/// the demo's own.
pub fn year(directory: &Directory, today: NaiveDate, device: &str) -> Vec<(SiteId, Appointment)> {
    let this_month = today.with_day(1).unwrap_or(today);
    let first = this_month - Months::new(12);
    let week = today - Days::new(u64::from(today.weekday().num_days_from_monday()));
    let who = Who {
        device: device.to_string(),
        staff: directory
            .staff
            .iter()
            .find(|s| s.role.starts_with("Receptionist"))
            .map(|s| s.name.clone()),
    };
    let mut kinds: Vec<_> = directory.types.iter().collect();
    kinds.sort_by_key(|t| (t.duration_minutes, t.name.clone()));
    let mut all = Vec::new();
    for day in first.iter_days().take_while(|d| *d < this_month) {
        if (week..week + Days::new(7)).contains(&day) {
            continue;
        }
        for provider in &directory.providers {
            let Some((site, from, to)) = window(directory, provider, day) else {
                continue;
            };
            if to - from < TimeDelta::minutes(APART * PER_DAY as i64) {
                continue;
            }
            let room = room(directory, provider, &site, day);
            for i in 0..PER_DAY {
                let start = from + TimeDelta::minutes(APART * i as i64);
                let kind = kinds.get(1 - i % 2).or(kinds.first());
                let mut rng = Rng::new(slot_seed(&provider.id, start));
                let patient = names::patient(&mut rng, this_month, 0, 90);
                let booking = ValidBooking {
                    dob: Some(patient.dob),
                    phone: Some(patient.phone.clone()),
                    email: patient.email.clone(),
                    type_id: kind.map(|k| k.id.clone()),
                    room: room.clone(),
                    ..ValidBooking::new(
                        &patient.name,
                        provider.id.clone(),
                        start,
                        kind.map_or(APART as u32, |k| k.duration_minutes),
                    )
                };
                let booked_at = (start.date() - Days::new(10)).and_time(from.time());
                let mut a = schedule::new_appointment(&booking, start, None, &who, booked_at);
                a.id = slot_id(&mut rng);
                walk(&mut a, i, &who, room_name(directory, room.as_ref()));
                all.push((site.clone(), a));
            }
        }
    }
    all.sort_by_key(|(_, a)| a.start);
    all
}

/// The same number for a provider's appointment at a start, on every device.
fn slot_seed(provider: &ProviderId, start: NaiveDateTime) -> u64 {
    let mut seed = start.and_utc().timestamp() as u64;
    for byte in provider.as_str().bytes() {
        seed = Rng::new(seed ^ u64::from(byte)).next_u64();
    }
    seed
}

/// An appointment id drawn from `rng`: shaped like any other (a version 4 UUID), the same
/// for the same draws.
fn slot_id(rng: &mut Rng) -> AppointmentId {
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&rng.next_u64().to_le_bytes());
    bytes[8..].copy_from_slice(&rng.next_u64().to_le_bytes());
    AppointmentId::from(
        uuid::Builder::from_random_bytes(bytes)
            .into_uuid()
            .to_string(),
    )
}

/// The site `provider` sees patients at on `day` and their hours there: of their sites
/// open that day, the first from Monday to Wednesday and the last from Thursday, as the
/// demo's week has it. `None` when they are away or not working.
fn window(
    directory: &Directory,
    provider: &Provider,
    day: NaiveDate,
) -> Option<(SiteId, NaiveDateTime, NaiveDateTime)> {
    let open: Vec<&Site> = provider
        .sites
        .iter()
        .filter_map(|id| directory.sites.iter().find(|s| &s.id == id))
        .filter(|s| s.hours.on(day).is_some())
        .collect();
    let site = if day.weekday().num_days_from_monday() < 3 {
        open.first()
    } else {
        open.last()
    }?;
    if directory.closure_on(&site.id, day).is_some()
        || directory.leave_on(&provider.id, day).is_some()
    {
        return None;
    }
    let (open, close) = site.hours.on(day)?;
    let (start, end) = provider.hours.on(day)?;
    let (from, to) = (start.max(open), end.min(close));
    (from < to).then(|| (site.id.clone(), day.and_time(from), day.and_time(to)))
}

/// The room `provider` uses on `day`: the providers at the site that day take its rooms in
/// the directory's order.
fn room(
    directory: &Directory,
    provider: &Provider,
    site: &SiteId,
    day: NaiveDate,
) -> Option<model::RoomId> {
    let place = directory
        .providers
        .iter()
        .take_while(|p| p.id != provider.id)
        .filter(|p| window(directory, p, day).is_some_and(|(s, ..)| &s == site))
        .count();
    directory
        .rooms
        .iter()
        .filter(|r| &r.site == site)
        .nth(place)
        .map(|r| r.id.clone())
}

fn room_name(directory: &Directory, room: Option<&model::RoomId>) -> Option<String> {
    let room = room?;
    directory
        .rooms
        .iter()
        .find(|r| &r.id == room)
        .map(|r| r.name.clone())
}

/// The `i`th appointment of a day walks the pattern the module describes.
fn walk(a: &mut Appointment, i: usize, who: &Who, room: Option<String>) {
    let start = a.start;
    let to = |a: &mut Appointment,
              status: Status,
              at: NaiveDateTime,
              room: Option<String>,
              note: Option<&str>| {
        a.status = status;
        a.history.push(StatusChange {
            status,
            at: format_local_datetime(at),
            device: who.device.clone(),
            staff: who.staff.clone(),
            room,
            note: note.map(str::to_string),
        });
    };
    match i {
        0 => to(
            a,
            Status::NoShow,
            start + TimeDelta::minutes(20),
            None,
            None,
        ),
        1 => {
            to(
                a,
                Status::Cancelled,
                start - TimeDelta::hours(2),
                None,
                Some("Late cancel: Unwell this morning"),
            );
            a.late_cancel = true;
            a.cancel_reason = Some("Unwell this morning".into());
        }
        _ => {
            if i <= 7 {
                let evening = (start.date() - Days::new(1))
                    .and_time(chrono::NaiveTime::from_hms_opt(17, 0, 0).expect("a time"));
                to(a, Status::Confirmed, evening, None, None);
            }
            let arrived = start - TimeDelta::minutes(5);
            let roomed = arrived + TimeDelta::minutes(5 * (i as i64 - 1));
            to(a, Status::Arrived, arrived, None, None);
            to(a, Status::InRoom, roomed, room, None);
            to(
                a,
                Status::Fulfilled,
                roomed + TimeDelta::minutes(IN_ROOM),
                None,
                None,
            );
        }
    }
}
