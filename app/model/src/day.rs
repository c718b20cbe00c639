//! A day at a glance: finding a patient's appointments at the desk, and the figures the
//! desk and the manager watch through the day.

use chrono::{NaiveDate, NaiveDateTime};

use crate::{Appointment, Site, SiteId, Status};

/// Shorter queries match too much to be useful; a desk types on.
pub const MIN_QUERY_CHARS: usize = 2;
/// Most results a search returns: more would not be read.
pub const MAX_RESULTS: usize = 50;
/// Fewer digits than this match too many numbers to say anything.
const MIN_PHONE_DIGITS: usize = 3;
/// Date-of-birth forms a desk types: ISO, and the day-first forms of most of Europe.
const DOB_FORMATS: [&str; 3] = ["%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y"];

/// The appointments whose patient matches `query`, newest first, at most [`MAX_RESULTS`].
///
/// A query matches by name when every word of it begins a word of the name, in any order
/// and case, so that "sam al" finds "Alex Sample" as a person half-remembers it; by phone
/// when it holds only phone characters with at least three digits that appear in the
/// number's digits, however either was spaced; and by date of birth when it reads as one.
pub fn search<'a>(
    appointments: impl IntoIterator<Item = &'a Appointment>,
    query: &str,
) -> Vec<&'a Appointment> {
    let query = query.trim();
    if query.chars().count() < MIN_QUERY_CHARS {
        return Vec::new();
    }
    let query = Query::new(query);
    let mut found: Vec<&Appointment> = appointments
        .into_iter()
        .filter(|a| query.matches(a))
        .collect();
    // The newest first, as the desk most often looks for the coming or the last visit;
    // name and id only make the order the same on every device.
    found.sort_by(|a, b| (b.start, &a.patient_name, &a.id).cmp(&(a.start, &b.patient_name, &b.id)));
    found.truncate(MAX_RESULTS);
    found
}

/// A query read once, in each of the ways it may match.
struct Query {
    /// Lower-case words; empty when the query has no letter or digit.
    words: Vec<String>,
    phone_digits: Option<String>,
    dob: Option<NaiveDate>,
}

/// The lower-case words of a name or query; punctuation separates, so that "o'test" and
/// "mary-jane" match as a person would expect.
fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

fn digits(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

impl Query {
    fn new(query: &str) -> Self {
        let phone_like = query
            .chars()
            .all(|c| c.is_ascii_digit() || " +-().".contains(c));
        let phone_digits =
            Some(digits(query)).filter(|d| phone_like && d.len() >= MIN_PHONE_DIGITS);
        let dob = DOB_FORMATS
            .iter()
            .find_map(|format| NaiveDate::parse_from_str(query, format).ok());
        Self {
            words: words(query).collect(),
            phone_digits,
            dob,
        }
    }

    fn matches(&self, a: &Appointment) -> bool {
        self.matches_name(&a.patient_name)
            || self.phone_digits.as_ref().is_some_and(|wanted| {
                a.phone
                    .as_deref()
                    .is_some_and(|phone| digits(phone).contains(wanted.as_str()))
            })
            || self.dob.is_some_and(|dob| a.dob == Some(dob))
    }

    fn matches_name(&self, name: &str) -> bool {
        if self.words.is_empty() {
            return false;
        }
        let name: Vec<String> = words(name).collect();
        self.words
            .iter()
            .all(|wanted| name.iter().any(|word| word.starts_with(wanted.as_str())))
    }
}

/// How a day stands, counted by where each appointment is in its flow.
#[derive(Clone, Copy, Default, Debug, PartialEq, Eq)]
pub struct DayCounts {
    /// Still to come: booked or confirmed.
    pub booked: usize,
    /// Checked in so far: waiting, in a room, or gone home after checking in.
    pub arrived: usize,
    /// Checked in and waiting now.
    pub waiting: usize,
    /// Of those waiting, the ones waiting longer than the threshold.
    pub waiting_long: usize,
    pub in_room: usize,
    /// Checked out.
    pub done: usize,
    pub no_show: usize,
    pub cancelled: usize,
}

/// Counts the appointments of one day. `now` is the site's wall-clock time; a patient
/// waiting more than `wait_threshold_minutes` counts as waiting long. Waitlist entries and
/// mistaken bookings were never part of the day and count nowhere.
pub fn day_counts<'a>(
    appointments: impl IntoIterator<Item = &'a Appointment>,
    now: NaiveDateTime,
    wait_threshold_minutes: i64,
) -> DayCounts {
    let mut counts = DayCounts::default();
    for a in appointments {
        match a.status {
            Status::Booked | Status::Confirmed => counts.booked += 1,
            Status::Arrived => {
                counts.waiting += 1;
                if a.waiting_minutes(now)
                    .is_some_and(|m| m > wait_threshold_minutes)
                {
                    counts.waiting_long += 1;
                }
            }
            Status::InRoom => counts.in_room += 1,
            Status::Fulfilled => counts.done += 1,
            Status::NoShow => counts.no_show += 1,
            Status::Cancelled => counts.cancelled += 1,
            Status::Waitlist | Status::EnteredInError => {}
        }
        if checked_in(a) {
            counts.arrived += 1;
        }
    }
    counts
}

/// Whether the patient was checked in at the desk. A checked-out appointment counts only
/// when its history shows the check-in: the figure is of check-ins, and a record without
/// one (written by another tool, or before the flow had the step) is no evidence of it.
fn checked_in(a: &Appointment) -> bool {
    match a.status {
        Status::Arrived | Status::InRoom => true,
        Status::Fulfilled => a.history.iter().any(|c| c.status == Status::Arrived),
        _ => false,
    }
}

/// One site's day, for the manager's overview of every site.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiteSummary {
    pub site: SiteId,
    pub name: String,
    pub counts: DayCounts,
    /// Clashes nobody has accepted yet, as the clash check counted them.
    pub conflicts: usize,
}

impl SiteSummary {
    /// The summary of `site` from its appointments of the day. `conflicts` comes from the
    /// clash check, which needs the directory and is done once for the schedule view too.
    pub fn new<'a>(
        site: &Site,
        appointments: impl IntoIterator<Item = &'a Appointment>,
        conflicts: usize,
        now: NaiveDateTime,
        wait_threshold_minutes: i64,
    ) -> Self {
        Self {
            site: site.id.clone(),
            name: site.name.clone(),
            counts: day_counts(appointments, now, wait_threshold_minutes),
            conflicts,
        }
    }
}

#[cfg(test)]
pub(crate) mod fixture;
#[cfg(test)]
mod tests;
