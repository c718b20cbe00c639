//! The roster's rules, checked on the merged state of every site's roster.
//!
//! Two managers may roster one person offline at two sites at once, or put someone on a
//! shift in time off another manager approved meanwhile; neither could have seen it. So,
//! as with appointment clashes, nothing is prevented when a shift is written: [`check`]
//! finds what the merge produced, across all sites, and lists it until a person fixes it.
//! It is a pure function of the shifts and the directory, so two synced devices show the
//! same list.
//!
//! **Rest** is the time off between working days: it is measured before the first shift a
//! person starts on a day, from the end of the latest shift they started on an earlier
//! day. Two shifts that start on the same day are one working day — back to back in two
//! positions (07:00–12:00, 12:00–16:00) or a split shift with a break between
//! (07:00–11:00, 16:00–20:00) — and need no rest between them. A night shift belongs to
//! the day it starts on, so the rest after it runs from its end the next morning.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate, NaiveDateTime};

use crate::roster::{monday, PositionId, Shift, ShiftField, ShiftId};
use crate::staff::credential::{expired_licence, holds, CredentialKind};
use crate::staff::time_off::{AbsenceKind, TimeOff, TimeOffId};
use crate::{Directory, SiteId, StaffId, StaffMember};

/// What is wrong.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum IssueKind {
    /// The person's shift overlaps `other` (at any site). Reported once per pair, on the
    /// shift that starts later: the overlap begins when it starts.
    Overlap { other: ShiftId },
    /// A shift on a day of the person's approved time off.
    InTimeOff { time_off: TimeOffId },
    /// Paid minutes in the week of Monday `week` over the person's contracted minutes.
    OverContract {
        week: NaiveDate,
        minutes: i64,
        contracted: u32,
    },
    /// Paid minutes in the week of Monday `week` over the overtime threshold.
    Overtime {
        week: NaiveDate,
        minutes: i64,
        threshold: u32,
    },
    /// Less rest than the minimum since `other` ended (see the module's note on rest).
    ShortRest { other: ShiftId, rest_minutes: i64 },
    /// The position requires `kind` and the person holds none valid on the day; `expired`
    /// is the expiry of their latest one that lapsed.
    MissingCredential {
        kind: CredentialKind,
        expired: Option<NaiveDate>,
    },
    /// The person's licence had expired by the day: flagged wherever they are rostered.
    ExpiredLicence { expired: NaiveDate },
    /// The person is not set up to work at the shift's site.
    NotAtSite,
    /// The shift names someone no longer in the staff list.
    UnknownPerson,
    /// Two managers set `field` differently at once.
    Disputed { field: ShiftField },
}

/// One finding, with a sentence for people.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Issue {
    pub kind: IssueKind,
    pub site: SiteId,
    /// The shift's start day; the Monday for a week's hours.
    pub day: NaiveDate,
    /// The shift at fault; for a week's hours, the shift that took the week over.
    pub shift: Option<ShiftId>,
    pub staff: Option<StaffId>,
    pub message: String,
}

/// Every issue on the days `from..=to` (weekly hours: every week overlapping them), by
/// day, site and message. `shifts` are every site's shifts the caller loaded: with the
/// day before `from` and after `to`, and whole weeks, so that rest, overlaps and weekly
/// hours at the edges are seen.
pub fn check(
    shifts: &[Shift],
    directory: &Directory,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<Issue> {
    let mut checker = Checker {
        directory,
        from,
        to,
        issues: Vec::new(),
    };
    for shift in shifts {
        checker.disputes(shift);
    }
    let mut by_person: BTreeMap<&StaffId, Vec<&Shift>> = BTreeMap::new();
    for shift in shifts {
        if let Some(staff) = &shift.staff {
            by_person.entry(staff).or_default().push(shift);
        }
    }
    for (staff, mut list) in by_person {
        list.sort_by(|a, b| (a.start, &a.id).cmp(&(b.start, &b.id)));
        let Some(member) = directory.staff_member(staff) else {
            // Who it was is unknown, so nothing else about them can be judged.
            for shift in list {
                let message = format!(
                    "The shift {} at {} on {} names someone who is no longer in the staff list. Give it to someone else or make it open.",
                    shift.times(),
                    checker.site_name(&shift.site),
                    day_text(shift.day()),
                );
                checker.push(shift, IssueKind::UnknownPerson, message);
            }
            continue;
        };
        for shift in &list {
            checker.at_site(member, shift);
            checker.time_off(member, shift);
            checker.credentials(member, shift);
        }
        checker.overlaps(member, &list);
        checker.rest(member, &list);
        checker.weeks(member, &list);
    }
    let mut issues = checker.issues;
    issues.sort_by(|a, b| (a.day, &a.site, &a.message).cmp(&(b.day, &b.site, &b.message)));
    issues
}

/// Paid minutes of `staff`'s shifts that start in the week of `monday`, at every site.
pub fn weekly_minutes(shifts: &[Shift], staff: &StaffId, monday: NaiveDate) -> i64 {
    shifts
        .iter()
        .filter(|s| s.staff.as_ref() == Some(staff) && in_week(s, monday))
        .map(paid)
        .sum()
}

/// Minutes for people: 570 → "9 h 30 min", 600 → "10 h", 45 → "45 min".
pub fn duration_text(minutes: i64) -> String {
    let sign = if minutes < 0 { "-" } else { "" };
    let (hours, rest) = (minutes.abs() / 60, minutes.abs() % 60);
    match (hours, rest) {
        (0, m) => format!("{sign}{m} min"),
        (h, 0) => format!("{sign}{h} h"),
        (h, m) => format!("{sign}{h} h {m} min"),
    }
}

/// A shift whose break is longer than itself pays nothing rather than taking minutes off
/// the rest of the week.
fn paid(shift: &Shift) -> i64 {
    shift.minutes().max(0)
}

fn in_week(shift: &Shift, monday: NaiveDate) -> bool {
    monday <= shift.day() && shift.day() < monday + Duration::days(7)
}

/// "Tue 24 Nov".
fn day_text(day: NaiveDate) -> String {
    day.format("%a %-d %b").to_string()
}

/// "1 Nov 2026".
fn date_text(day: NaiveDate) -> String {
    day.format("%-d %b %Y").to_string()
}

/// The last day a shift works on: one ending at midnight does not reach the next day.
fn last_day(shift: &Shift) -> NaiveDate {
    if shift.end > shift.start {
        (shift.end - Duration::minutes(1)).date()
    } else {
        shift.day()
    }
}

fn absence_text(kind: AbsenceKind) -> &'static str {
    match kind {
        AbsenceKind::Vacation => "vacation",
        AbsenceKind::Sick => "sick leave",
        AbsenceKind::Training => "training",
    }
}

struct Checker<'a> {
    directory: &'a Directory,
    from: NaiveDate,
    to: NaiveDate,
    issues: Vec<Issue>,
}

impl Checker<'_> {
    fn in_range(&self, day: NaiveDate) -> bool {
        self.from <= day && day <= self.to
    }

    /// Records an issue of `shift`, on its start day, when that day is in the range.
    fn push(&mut self, shift: &Shift, kind: IssueKind, message: String) {
        if self.in_range(shift.day()) {
            self.issues.push(Issue {
                kind,
                site: shift.site.clone(),
                day: shift.day(),
                shift: Some(shift.id.clone()),
                staff: shift.staff.clone(),
                message,
            });
        }
    }

    fn site_name(&self, site: &SiteId) -> String {
        self.directory
            .site(site)
            .map_or_else(|| site.as_str().to_string(), |s| s.name.clone())
    }

    /// "07:30–15:30 at Main on Tue 24 Nov".
    fn shift_text(&self, shift: &Shift) -> String {
        format!(
            "{} at {} on {}",
            shift.times(),
            self.site_name(&shift.site),
            day_text(shift.day())
        )
    }

    fn disputes(&mut self, shift: &Shift) {
        for dispute in &shift.disputes {
            let values: Vec<String> = dispute
                .values
                .iter()
                .map(|v| dispute_value(self.directory, dispute.field, v))
                .collect();
            let message = format!(
                "Two managers set the {} of the shift {} differently: {}. Pick the one that stands.",
                dispute.field.label(),
                self.shift_text(shift),
                values.join(" or "),
            );
            let kind = IssueKind::Disputed {
                field: dispute.field,
            };
            self.push(shift, kind, message);
        }
    }

    fn at_site(&mut self, member: &StaffMember, shift: &Shift) {
        if !member.may_work_at(&shift.site) {
            let site = self.site_name(&shift.site);
            let message = format!(
                "{} is not set up to work at {site} but has {} there on {}. Add the site to their record or roster someone else.",
                member.name,
                shift.times(),
                day_text(shift.day()),
            );
            self.push(shift, IssueKind::NotAtSite, message);
        }
    }

    fn time_off(&mut self, member: &StaffMember, shift: &Shift) {
        let (first, last) = (shift.day(), last_day(shift));
        let absences: Vec<&TimeOff> = self
            .directory
            .time_off
            .iter()
            .filter(|t| t.staff == member.id && t.is_approved())
            .filter(|t| t.from <= last && first <= t.to)
            .collect();
        for absence in absences {
            let days = if absence.from == absence.to {
                day_text(absence.from)
            } else {
                format!("{} to {}", day_text(absence.from), day_text(absence.to))
            };
            let message = format!(
                "{} works {} during their approved {} ({days}). Give the shift to someone else.",
                member.name,
                self.shift_text(shift),
                absence_text(absence.kind),
            );
            let kind = IssueKind::InTimeOff {
                time_off: absence.id.clone(),
            };
            self.push(shift, kind, message);
        }
    }

    fn credentials(&mut self, member: &StaffMember, shift: &Shift) {
        let day = shift.day();
        let credentials = &self.directory.credentials;
        let lapsed_licence = expired_licence(credentials, &member.id, day).and_then(|c| c.expires);
        if let Some(expired) = lapsed_licence {
            let message = format!(
                "{}'s licence expired on {}; they are on shift {}. Record the renewed licence or give the shift to someone else.",
                member.name,
                date_text(expired),
                day_text(day),
            );
            self.push(shift, IssueKind::ExpiredLicence { expired }, message);
        }
        let Some(position) = shift
            .position
            .as_ref()
            .and_then(|p| self.directory.position(p))
        else {
            return;
        };
        for (i, &kind) in position.requires.iter().enumerate() {
            let repeated = position.requires[..i].contains(&kind);
            let reported = kind == CredentialKind::Licence && lapsed_licence.is_some();
            if repeated || reported || holds(credentials, &member.id, kind, day) {
                continue;
            }
            let expired = credentials
                .iter()
                .filter(|c| c.staff == member.id && c.kind == kind)
                .filter_map(|c| c.expires)
                .filter(|e| *e < day)
                .max();
            let lapsed = expired.map_or_else(String::new, |e| {
                format!(" (theirs expired on {})", date_text(e))
            });
            let message = format!(
                "{} has no valid {} for {} on {}{lapsed}. Record a current one or roster someone who holds it.",
                member.name,
                kind.label(),
                position.name,
                day_text(day),
            );
            self.push(
                shift,
                IssueKind::MissingCredential { kind, expired },
                message,
            );
        }
    }

    /// `list` is the person's shifts by start.
    fn overlaps(&mut self, member: &StaffMember, list: &[&Shift]) {
        for (i, first) in list.iter().enumerate() {
            for second in &list[i + 1..] {
                if second.start >= first.end {
                    break;
                }
                if second.id == first.id || second.end <= first.start {
                    continue;
                }
                let both = if first.day() == second.day() {
                    format!(
                        "{} at {} and {} at {} on {}",
                        first.times(),
                        self.site_name(&first.site),
                        second.times(),
                        self.site_name(&second.site),
                        day_text(first.day()),
                    )
                } else {
                    format!("{} and {}", self.shift_text(first), self.shift_text(second))
                };
                let message = format!(
                    "{} works {both}. Move one of the shifts or give it to someone else.",
                    member.name
                );
                let other = first.id.clone();
                self.push(second, IssueKind::Overlap { other }, message);
            }
        }
    }

    /// `list` is the person's shifts by start. See the module's note on rest.
    fn rest(&mut self, member: &StaffMember, list: &[&Shift]) {
        let minimum = i64::from(self.directory.roster_rules.rest_minutes);
        for (i, shift) in list.iter().enumerate() {
            let first_of_day = i == 0 || list[i - 1].day() < shift.day();
            if !first_of_day {
                continue;
            }
            let Some(before) = list[..i].iter().max_by_key(|s| (s.end, s.start, &s.id)) else {
                continue;
            };
            if before.end > shift.start {
                // No rest at all: an overlap, reported as such.
                continue;
            }
            let rest = (shift.start - before.end).num_minutes();
            if rest < minimum {
                let message = format!(
                    "{} has {} rest before {} {}; the minimum is {}. Move one of the shifts or give it to someone else.",
                    member.name,
                    duration_text(rest),
                    day_text(shift.day()),
                    shift.start.format("%H:%M"),
                    duration_text(minimum),
                );
                let kind = IssueKind::ShortRest {
                    other: before.id.clone(),
                    rest_minutes: rest,
                };
                self.push(shift, kind, message);
            }
        }
    }

    /// Contracted hours and overtime in every week that overlaps the range. `list` is the
    /// person's shifts by start.
    fn weeks(&mut self, member: &StaffMember, list: &[&Shift]) {
        let overtime = self.directory.roster_rules.overtime_minutes;
        let mut week = monday(self.from);
        while week <= self.to {
            let shifts: Vec<&Shift> = list.iter().copied().filter(|s| in_week(s, week)).collect();
            let minutes: i64 = shifts.iter().copied().map(paid).sum();
            if let Some(contracted) = member.weekly_minutes {
                if let Some(shift) = over(&shifts, contracted) {
                    let message = format!(
                        "{} is rostered {} in the week of {}, more than their contracted {}. Take a shift off them or agree the extra hours.",
                        member.name,
                        duration_text(minutes),
                        day_text(week),
                        duration_text(i64::from(contracted)),
                    );
                    let kind = IssueKind::OverContract {
                        week,
                        minutes,
                        contracted,
                    };
                    self.push_week(member, shift, week, kind, message);
                }
            }
            if let Some(shift) = over(&shifts, overtime) {
                let message = format!(
                    "{} is rostered {} in the week of {}, over the overtime threshold of {}. Take a shift off them or agree the overtime.",
                    member.name,
                    duration_text(minutes),
                    day_text(week),
                    duration_text(i64::from(overtime)),
                );
                let kind = IssueKind::Overtime {
                    week,
                    minutes,
                    threshold: overtime,
                };
                self.push_week(member, shift, week, kind, message);
            }
            week += Duration::days(7);
        }
    }

    /// A week's issue, on its Monday, at the site of the shift that took it over.
    fn push_week(
        &mut self,
        member: &StaffMember,
        shift: &Shift,
        week: NaiveDate,
        kind: IssueKind,
        message: String,
    ) {
        self.issues.push(Issue {
            kind,
            site: shift.site.clone(),
            day: week,
            shift: Some(shift.id.clone()),
            staff: Some(member.id.clone()),
            message,
        });
    }
}

/// The shift (of a week's, by start) with which the paid minutes pass `limit`, if any.
fn over<'a>(shifts: &[&'a Shift], limit: u32) -> Option<&'a Shift> {
    let mut total = 0;
    shifts.iter().copied().find(|s| {
        total += paid(s);
        total > i64::from(limit)
    })
}

/// A disputed value as people read it: names rather than ids, days and times rather than
/// stamps. The rules list and the shift panel both show it.
pub fn dispute_value(directory: &Directory, field: ShiftField, value: &str) -> String {
    match field {
        ShiftField::Staff if value.is_empty() => "nobody".into(),
        ShiftField::Staff => directory.staff_name(&StaffId::from(value)),
        ShiftField::Position if value.is_empty() => "no position".into(),
        ShiftField::Position => directory.position_name(Some(&PositionId::from(value))),
        ShiftField::Start | ShiftField::End => {
            NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M").map_or_else(
                |_| value.to_string(),
                |t| t.format("%a %-d %b %H:%M").to_string(),
            )
        }
        ShiftField::Break => value
            .parse()
            .map_or_else(|_| value.to_string(), duration_text),
        ShiftField::Note if value.is_empty() => "no note".into(),
        ShiftField::Note => format!("\u{201c}{value}\u{201d}"),
        ShiftField::Removed if value == "true" => "removed".into(),
        ShiftField::Removed => "kept".into(),
    }
}

#[cfg(test)]
mod tests;
