//! Clashes in a schedule: a provider or a room booked twice at once, a booking outside
//! its provider's hours, on a day the site is closed, or while its provider is away.
//!
//! Desks book offline, so a clash cannot be prevented at booking time: two desks may each
//! take the last 10:00 slot without seeing the other. Clashes are therefore found on the
//! merged state, whatever the documents hold after syncing, and shown on every device
//! until someone moves an appointment or keeps the clash on purpose (see
//! [`crate::schedule::accept_clash`]). Finding them is a pure function of the
//! appointments and the directory, so two synced devices always show the same list.

use std::collections::HashMap;

use chrono::NaiveDateTime;

use crate::away::{Away, DaysOff};
use crate::{Appointment, AppointmentId, Directory, Provider, ProviderId, SiteId};

/// What `accepted_clashes` holds for a booking kept outside its provider's hours.
pub const ACCEPT_HOURS: &str = "hours";
/// What `accepted_clashes` holds for a booking kept on a day the site is closed.
pub const ACCEPT_CLOSED: &str = "closed";
/// What `accepted_clashes` holds for a booking kept while its provider is away.
pub const ACCEPT_AWAY: &str = "away";

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum ClashKind {
    /// One provider with two patients at once.
    Provider,
    /// One room given to two appointments at once.
    Room,
    /// The provider does not work then, or not at this site.
    OutsideHours,
    /// The site is closed that day: a holiday or a closure in the calendar.
    Closed,
    /// The provider is away that day: approved time off.
    Away,
}

impl ClashKind {
    /// Whether the clash is one appointment's alone, with no pair.
    pub fn is_solo(self) -> bool {
        matches!(self, Self::OutsideHours | Self::Closed | Self::Away)
    }

    /// What [`crate::schedule::accept_clash`] records to keep a clash of this kind alone.
    fn acceptance(self) -> Option<&'static str> {
        match self {
            Self::OutsideHours => Some(ACCEPT_HOURS),
            Self::Closed => Some(ACCEPT_CLOSED),
            Self::Away => Some(ACCEPT_AWAY),
            Self::Provider | Self::Room => None,
        }
    }
}

/// One clash: a pair of appointments, or one appointment outside hours, on a closed day or
/// with a provider away.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Clash {
    pub kind: ClashKind,
    /// The earlier of the pair (on a tie, the smaller id), or the appointment outside hours.
    pub first: AppointmentId,
    /// The later of the pair; `None` for a clash of one appointment alone
    /// ([`ClashKind::is_solo`]).
    pub second: Option<AppointmentId>,
}

impl Clash {
    pub fn involves(&self, id: &AppointmentId) -> bool {
        &self.first == id || self.second.as_ref() == Some(id)
    }

    /// The other appointment of the pair, seen from `id`; `None` when `id` is not part of
    /// the clash or the clash has no pair.
    pub fn other(&self, id: &AppointmentId) -> Option<&AppointmentId> {
        let second = self.second.as_ref()?;
        if &self.first == id {
            Some(second)
        } else if second == id {
            Some(&self.first)
        } else {
            None
        }
    }

    /// What [`crate::schedule::accept_clash`] records on appointment `id` to keep
    /// this clash: the other appointment's id, or [`ACCEPT_HOURS`], [`ACCEPT_CLOSED`] or
    /// [`ACCEPT_AWAY`]. `None` when `id` is not part of the clash.
    pub fn acceptance_for(&self, id: &AppointmentId) -> Option<&str> {
        match self.kind.acceptance() {
            Some(kept) => (&self.first == id).then_some(kept),
            None => self.other(id).map(AppointmentId::as_str),
        }
    }

    /// One line a person can act on, e.g. "Dr. A is booked twice on Mon 23 Nov: 10:00 Lee Sample and
    /// 10:00 Kim Example". `find` looks an appointment up by id (for one month,
    /// `|id| schedule.find(id)`); one it no longer finds is described as removed, since the
    /// list may be a moment older than the appointments.
    pub fn describe<'a>(
        &self,
        find: impl Fn(&AppointmentId) -> Option<&'a Appointment>,
        directory: &Directory,
        site: &SiteId,
    ) -> String {
        let first = find(&self.first);
        let second = self.second.as_ref().and_then(&find);
        // Every line names its day: once before both slots when they share it, with each
        // slot otherwise (a booking running past midnight).
        let pair = || {
            let apart =
                matches!((first, second), (Some(a), Some(b)) if a.start.date() != b.start.date());
            let same_day = !apart;
            let on = match first.or(second) {
                Some(a) if same_day => format!(" on {}", a.start.format("%a %-d %b")),
                _ => String::new(),
            };
            format!(
                "{on}: {} and {}",
                slot(first, same_day),
                slot(second, same_day)
            )
        };
        match self.kind {
            ClashKind::Provider => {
                let provider = first.or(second).map(|a| &a.provider);
                let name = provider
                    .map_or_else(|| "A provider".to_string(), |p| directory.provider_name(p));
                format!("{name} is booked twice{}", pair())
            }
            ClashKind::Room => {
                let room = first.or(second).and_then(|a| a.room.as_ref());
                let name = room
                    .and_then(|r| directory.room(r))
                    .map_or_else(|| "A removed room".to_string(), |r| r.name.clone());
                format!("{name} is booked twice{}", pair())
            }
            ClashKind::OutsideHours => match first {
                Some(a) => outside_hours_line(a, directory),
                None => format!("{} is outside hours", slot(None, true)),
            },
            ClashKind::Closed | ClashKind::Away => match first {
                Some(a) => away_line(a, self.kind, directory, site),
                None => format!("{} is on a day off", slot(None, true)),
            },
        }
    }
}

/// Why a booking falls on a day off: the calendar's entry, or the provider's time off, as
/// the directory has it now (one since removed reads as a day off no longer known).
fn away_line(a: &Appointment, kind: ClashKind, directory: &Directory, site: &SiteId) -> String {
    let when = slot(Some(a), false);
    let provider = directory.provider_name(&a.provider);
    match (kind, directory.away(&a.provider, site, a.start, a.end())) {
        (ClashKind::Closed, Some(away @ Away::Closed(_))) => {
            let name = directory.site(site).map_or("The site", |s| s.name.as_str());
            format!("{when}: {name} is closed ({})", away.reason())
        }
        (ClashKind::Away, Some(away @ Away::OnLeave(_))) => {
            format!("{when} is with {provider}, who is away ({})", away.reason())
        }
        (ClashKind::Closed, _) => format!("{when} is on a day the site was closed"),
        _ => format!("{when} is with {provider}, who was away"),
    }
}

/// "10:00 Lee Sample", with the day when `same_day` is false.
fn slot(appointment: Option<&Appointment>, same_day: bool) -> String {
    match appointment {
        Some(a) if same_day => format!("{} {}", a.start.format("%H:%M"), a.patient_name),
        Some(a) => format!("{} {}", a.start.format("%a %-d %b %H:%M"), a.patient_name),
        None => "a removed appointment".to_string(),
    }
}

/// Why a booking is outside hours. [`find_clashes`] flags it either for the time or for
/// the site, so hours that cover it mean the provider does not work at the site.
fn outside_hours_line(a: &Appointment, directory: &Directory) -> String {
    let when = slot(Some(a), false);
    let Some(provider) = directory.provider(&a.provider) else {
        return format!("{when} is with a provider who was removed");
    };
    if provider.hours.covers(a.start, a.end()) {
        return format!("{when}: {} does not work at this site", provider.name);
    }
    let weekday = a.start.format("%A");
    match provider.hours.on(a.start.date()) {
        None => format!("{when}: {} does not work on {weekday}s", provider.name),
        Some((open, close)) => format!(
            "{when} is outside {}'s hours on {weekday} ({}–{})",
            provider.name,
            open.format("%H:%M"),
            close.format("%H:%M")
        ),
    }
}

/// Every clash among `appointments` at `site`, in a fixed order: by the start of `first`,
/// then by `first`'s id, `second`'s id and the kind, so that every device lists them alike.
///
/// Only appointments that hold their slot count. A pair is left out when either lists the
/// other in `accepted_clashes`, a booking outside hours when it lists [`ACCEPT_HOURS`], one
/// on a closed day [`ACCEPT_CLOSED`] and one with its provider away [`ACCEPT_AWAY`]. A
/// booking on a day the site is closed is not also flagged for its provider being away. An
/// appointment whose provider is not in the directory is not flagged for hours: the
/// provider may have been removed, and the interface shows it as unknown instead.
///
/// The same id twice (an appointment caught between two months' documents while it moves)
/// is not a clash with itself.
pub fn find_clashes(
    appointments: &[Appointment],
    directory: &Directory,
    site: &SiteId,
) -> Vec<Clash> {
    let holding: Vec<&Appointment> = appointments
        .iter()
        .filter(|a| a.status.holds_slot())
        .collect();
    let mut found: Vec<(NaiveDateTime, Clash)> = Vec::new();

    // A sweep per provider and per room over the bookings sorted by start: a month holds
    // thousands of appointments, and comparing every pair would be far too slow to re-run
    // on each change. The active set holds what is still running; it stays as small as
    // the most bookings that overlap at one moment.
    let mut by_provider: HashMap<&ProviderId, Vec<&Appointment>> = HashMap::new();
    let mut by_room: HashMap<&str, Vec<&Appointment>> = HashMap::new();
    for &a in &holding {
        by_provider.entry(&a.provider).or_default().push(a);
        if let Some(room) = &a.room {
            by_room.entry(room.as_str()).or_default().push(a);
        }
    }
    for group in by_provider.into_values() {
        sweep(group, ClashKind::Provider, &mut found);
    }
    for group in by_room.into_values() {
        sweep(group, ClashKind::Room, &mut found);
    }

    let providers: HashMap<&ProviderId, &Provider> =
        directory.providers.iter().map(|p| (&p.id, p)).collect();
    for &a in &holding {
        let outside = providers
            .get(&a.provider)
            .is_some_and(|p| is_outside_hours(a, p, site));
        if outside && !accepted(a, ACCEPT_HOURS) {
            found.push((a.start, solo(a, ClashKind::OutsideHours)));
        }
    }
    days_off(&holding, directory, site, &mut found);

    found.sort_unstable_by(|(start_a, a), (start_b, b)| {
        (start_a, &a.first, &a.second, a.kind).cmp(&(start_b, &b.first, &b.second, b.kind))
    });
    found.into_iter().map(|(_, clash)| clash).collect()
}

/// Reports every overlapping, unaccepted pair of one provider's or one room's bookings.
fn sweep(mut group: Vec<&Appointment>, kind: ClashKind, found: &mut Vec<(NaiveDateTime, Clash)>) {
    // Sorting by id after start makes the earlier of each pair the one already active,
    // which is the `first` the output promises.
    group.sort_unstable_by(|a, b| (a.start, &a.id).cmp(&(b.start, &b.id)));
    let mut active: Vec<(NaiveDateTime, &Appointment)> = Vec::new();
    for a in group {
        active.retain(|(end, _)| *end > a.start);
        for &(_, earlier) in &active {
            // The explicit check keeps zero-length bookings out, which never overlap.
            if earlier.id != a.id && earlier.overlaps(a) && !either_accepted(earlier, a) {
                found.push((earlier.start, pair(kind, earlier, a)));
            }
        }
        active.push((a.end(), a));
    }
}

fn pair(kind: ClashKind, first: &Appointment, second: &Appointment) -> Clash {
    Clash {
        kind,
        first: first.id.clone(),
        second: Some(second.id.clone()),
    }
}

fn solo(a: &Appointment, kind: ClashKind) -> Clash {
    Clash {
        kind,
        first: a.id.clone(),
        second: None,
    }
}

/// Reports every booking on a day its site is closed or its provider away. Each
/// provider's days off are gathered once, and only a booking that touches one asks the
/// directory which it is.
fn days_off(
    holding: &[&Appointment],
    directory: &Directory,
    site: &SiteId,
    found: &mut Vec<(NaiveDateTime, Clash)>,
) {
    if directory.closures.is_empty() && !directory.time_off.iter().any(|t| t.keeps_away()) {
        return;
    }
    let mut off: HashMap<&ProviderId, DaysOff> = HashMap::new();
    for &a in holding {
        let days = off
            .entry(&a.provider)
            .or_insert_with(|| DaysOff::of(directory, &a.provider, site));
        if !crate::away::days_of(a.start, a.end()).any(|d| days.contains(d)) {
            continue;
        }
        let kind = match directory.away(&a.provider, site, a.start, a.end()) {
            Some(Away::Closed(_)) => ClashKind::Closed,
            Some(Away::OnLeave(_)) => ClashKind::Away,
            None => continue,
        };
        if kind.acceptance().is_some_and(|kept| !accepted(a, kept)) {
            found.push((a.start, solo(a, kind)));
        }
    }
}

fn accepted(a: &Appointment, what: &str) -> bool {
    a.accepted_clashes.iter().any(|kept| kept == what)
}

fn either_accepted(a: &Appointment, b: &Appointment) -> bool {
    accepted(a, b.id.as_str()) || accepted(b, a.id.as_str())
}

/// Whether `a` falls outside `provider`'s hours, or the provider does not work at `site`.
fn is_outside_hours(a: &Appointment, provider: &Provider, site: &SiteId) -> bool {
    !provider.works_at(site) || !provider.hours.covers(a.start, a.end())
}

// Native only: the property test needs proptest, a native dev-dependency.
#[cfg(test)]
mod tests;
