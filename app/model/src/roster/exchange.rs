//! The roster out of the app: a site's week as a spreadsheet, for payroll and the notice
//! board, and a person's shifts as a calendar file, for their own phone.
//!
//! Both are built from the model alone; the interface offers them as downloads. Times are
//! the site's wall clock, as the roster holds them: the calendar writes them as floating
//! local times, so a calendar shows a 07:30 start as 07:30.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate, NaiveDateTime};

use super::Shift;
use crate::csv;
use crate::export::IcsLines;
use crate::{Directory, SiteId, StaffId};

/// The columns of the week's file, in order.
pub const WEEK_HEADERS: [&str; 11] = [
    "date",
    "weekday",
    "person",
    "role",
    "position",
    "start",
    "end",
    "end_date",
    "break_minutes",
    "paid_hours",
    "note",
];

/// What the person column says of a shift nobody holds yet.
const OPEN_SHIFT: &str = "Open shift";
/// What the first column of a person's total row says.
const TOTAL: &str = "Total";
const PRODID: &str = "-//Front desk//Roster//EN";
/// Longest name part of a file name, in characters, so that every system can store it.
const MAX_FILE_STEM_CHARS: usize = 60;

/// The shifts of `site` that start in the week from `monday` to Sunday, one row each by
/// start; then a blank line and each person's paid hours that week, by name ("Total",
/// name, hours). Open shifts are listed but count towards no one's total.
pub fn week_csv(
    directory: &Directory,
    site: &SiteId,
    monday: NaiveDate,
    shifts: &[Shift],
) -> String {
    let sunday = monday + Duration::days(6);
    let mut week: Vec<&Shift> = shifts
        .iter()
        .filter(|s| &s.site == site && (monday..=sunday).contains(&s.day()))
        .collect();
    week.sort_by(|a, b| (a.start, &a.id).cmp(&(b.start, &b.id)));
    let mut totals: BTreeMap<(String, StaffId), i64> = BTreeMap::new();
    let rows: Vec<Vec<String>> = week
        .iter()
        .map(|shift| {
            let member = shift
                .staff
                .as_ref()
                .and_then(|id| directory.staff_member(id));
            let person = match &shift.staff {
                None => OPEN_SHIFT.to_string(),
                Some(id) => directory.staff_name(id),
            };
            if let Some(id) = &shift.staff {
                let key = (person.to_lowercase(), id.clone());
                *totals.entry(key).or_default() += shift.minutes();
            }
            let position = match &shift.position {
                None => String::new(),
                Some(id) => directory.position_name(Some(id)),
            };
            vec![
                shift.day().to_string(),
                shift.start.format("%A").to_string(),
                person,
                member.map(|m| m.role.clone()).unwrap_or_default(),
                position,
                shift.start.format("%H:%M").to_string(),
                shift.end.format("%H:%M").to_string(),
                shift.end.date().to_string(),
                shift.break_minutes.to_string(),
                hours(shift.minutes()),
                shift.note.clone(),
            ]
        })
        .collect();
    let mut out = csv::write(&WEEK_HEADERS, rows);
    let totals: Vec<Vec<String>> = totals
        .into_iter()
        .map(|((_, id), minutes)| vec![TOTAL.into(), directory.staff_name(&id), hours(minutes)])
        .collect();
    if let Some((first, rest)) = totals.split_first() {
        // The writer's first row is its header: the first total stands in for one.
        let first: Vec<&str> = first.iter().map(String::as_str).collect();
        out.push_str("\r\n");
        out.push_str(&csv::write(&first, rest.to_vec()));
    }
    out
}

/// Minutes as decimal hours for a spreadsheet, at most two places: 450 → "7.5", 480 → "8",
/// 470 → "7.83".
fn hours(minutes: i64) -> String {
    let text = format!("{:.2}", minutes as f64 / 60.0);
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".into()
    } else {
        text.into()
    }
}

/// The shifts `staff` holds, at every site, as an iCalendar file: one event each, named by
/// position and site ("Desk 1 at Main"), with the break and the note in its description.
/// An event's UID is the shift's id, so a calendar that imports a newer file moves the
/// shifts that moved instead of doubling them. `stamp_utc` is when the file is made, in
/// UTC; calendars use it to tell a newer copy of an event.
pub fn shifts_ics(
    directory: &Directory,
    staff: &StaffId,
    shifts: &[Shift],
    stamp_utc: NaiveDateTime,
) -> String {
    let mut theirs: Vec<&Shift> = shifts
        .iter()
        .filter(|s| s.staff.as_ref() == Some(staff))
        .collect();
    theirs.sort_by(|a, b| (a.start, &a.id).cmp(&(b.start, &b.id)));
    let mut out = IcsLines::calendar(PRODID);
    out.text(
        "X-WR-CALNAME",
        &format!("Shifts of {}", directory.staff_name(staff)),
    );
    for shift in theirs {
        let site = directory
            .site(&shift.site)
            .map_or_else(|| shift.site.as_str().to_string(), |s| s.name.clone());
        let what = match &shift.position {
            None => "Shift".to_string(),
            Some(id) => directory.position_name(Some(id)),
        };
        out.raw("BEGIN", "VEVENT");
        out.raw("UID", &format!("{}@front-desk", shift.id));
        out.utc_time("DTSTAMP", stamp_utc);
        out.local_time("DTSTART", shift.start);
        out.local_time("DTEND", shift.end);
        out.text("SUMMARY", &format!("{what} at {site}"));
        out.text("LOCATION", &site);
        let mut description = match shift.break_minutes {
            0 => "No break.".to_string(),
            minutes => format!("Break: {minutes} minutes."),
        };
        if !shift.note.is_empty() {
            description.push('\n');
            description.push_str(&shift.note);
        }
        out.text("DESCRIPTION", &description);
        out.raw("END", "VEVENT");
    }
    out.end_calendar()
}

/// `shifts-robin-mockwell.ics` for a person's calendar.
pub fn ics_file_name(name: &str) -> String {
    format!("shifts-{}.ics", stem(name, "staff"))
}

/// `roster-main-2026-11-23.csv` for a site's week from that Monday.
pub fn week_file_name(site: &SiteId, monday: NaiveDate) -> String {
    format!(
        "roster-{}-{}.csv",
        stem(site.as_str(), "site"),
        monday.format("%Y-%m-%d")
    )
}

/// Lower-case words joined by `-`: no separator, dot or space that a file system or a
/// download could take for something else; `fallback` when nothing is left.
fn stem(name: &str, fallback: &str) -> String {
    let words: Vec<String> = name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let stem: String = words.join("-").chars().take(MAX_FILE_STEM_CHARS).collect();
    match stem.trim_end_matches('-') {
        "" => fallback.to_string(),
        stem => stem.to_string(),
    }
}

#[cfg(test)]
mod tests;
