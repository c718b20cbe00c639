//! Spreadsheets in and out: the staff list and everyone's credentials as CSV files, and
//! imports of both that are checked in full before anything is written.
//!
//! An import has two steps, as the supplies' import does. *Planning* reads the whole file
//! against the directory as it is and says, row by row, what would happen or what is
//! wrong, with the line of the file; a file that is not a table at all (not CSV, no header,
//! the name column missing) is one sentence instead. *Applying* writes every valid row in
//! the caller's one change, or nothing: it refuses a plan with errors unless the person
//! chose to import only the valid rows, and a refusal on the way (the person removed
//! meanwhile on another device) fails the whole change, which the caller then rolls back.
//!
//! People are found by name, as a spreadsheet knows them, spaces and case aside. A row for
//! someone on the list changes only what its cells say: an empty cell keeps what is there,
//! and applying writes only the fields the file changed, so an edit made on another device
//! since the plan is kept.

mod credentials;
mod sheet;

use automerge::{AutoCommit, ReadDoc};

use crate::csv::{self, Row, Table};
use crate::directory::MAX_NAME_CHARS;
use crate::document::maps;
use crate::import::{self, add_error, at_line, shape_error, summary, Columns, Fields};
use crate::import::{Sheet, SheetError};
use crate::refusal::Import;
use crate::staff::{hours_text, parse_weekly_hours, put_staff, read_member, Employment};
use crate::{tidy, Directory, Document, DocumentError, SiteId, StaffMember};
use sheet::{cell, name_key, repeats, People};

pub use credentials::{
    apply_credentials, credentials_csv, plan_credentials, CredentialAction, CredentialImport,
    CredentialRow, CREDENTIAL_HEADERS,
};

/// The columns of the staff file, in order; [`plan_staff`] reads them back.
pub const STAFF_HEADERS: [&str; 7] = [
    "name",
    "role",
    "contact",
    "home_site",
    "sites",
    "employment",
    "weekly_hours",
];

/// The staff list, one row per person by name. Sites are written by id, several in one
/// cell separated by `;`; contracted hours as "37.5", empty when there are none.
pub fn staff_csv(directory: &Directory) -> String {
    let rows = directory.staff.iter().map(|member| {
        let sites: Vec<&str> = member.sites.iter().map(SiteId::as_str).collect();
        vec![
            member.name.clone(),
            member.role.clone(),
            member.contact.clone(),
            member.home.as_str().to_string(),
            sites.join(";"),
            member.employment.code().to_string(),
            member.weekly_minutes.map(hours_text).unwrap_or_default(),
        ]
    });
    csv::write(&STAFF_HEADERS, rows)
}

/// What a valid row of a staff file does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StaffAction {
    /// Someone new, with a fresh id.
    Add(StaffMember),
    /// Someone on the list, as they are and as the file would have them.
    Update {
        before: StaffMember,
        after: StaffMember,
    },
    /// Someone on the list whom the file does not change.
    Same,
}

/// One data row of a staff file, checked.
pub type StaffRow = import::Row<StaffAction>;

/// A checked staff file: every row, in the order of the file.
pub type StaffImport = import::Plan<StaffAction>;

impl StaffImport {
    /// "3 rows can be imported: 1 new, 1 change, 1 unchanged; 2 rows have errors".
    pub fn summary(&self) -> String {
        let added = self.count(|a| matches!(a, StaffAction::Add(_)));
        let changed = self.count(|a| matches!(a, StaffAction::Update { .. }));
        let same = self.valid() - added - changed;
        let what = format!(
            "{added} new, {changed} change{}, {same} unchanged",
            if changed == 1 { "" } else { "s" }
        );
        summary(self.valid(), &what, self.broken())
    }
}

/// The columns a staff file may have, with the other headers a spreadsheet may give them.
const FIELDS: Fields<7> = [
    (
        "name",
        &["name", "full name", "staff member", "person", "employee"],
    ),
    ("role", &["role", "job", "job title"]),
    (
        "contact",
        &[
            "contact",
            "email",
            "phone",
            "phone number",
            "mobile",
            "email address",
        ],
    ),
    ("home_site", &["home_site", "home", "main site", "site"]),
    (
        "sites",
        &["sites", "other sites", "works at", "may work at"],
    ),
    ("employment", &["employment", "employment type", "contract"]),
    (
        "weekly_hours",
        &[
            "weekly_hours",
            "hours",
            "contracted hours",
            "hours per week",
        ],
    ),
];

/// Checks every row of a staff file against `directory`; nothing is written. A text that
/// is not a table with a name column is one sentence instead.
pub fn plan_staff(text: &str, directory: &Directory) -> Result<StaffImport, SheetError> {
    let table = import::read(text)?;
    let columns = Columns::find(&table, &FIELDS);
    columns.require(Sheet::Staff, &["name"])?;
    let people = People::new(&directory.staff);
    let mut rows: Vec<StaffRow> = table
        .rows
        .iter()
        .map(|row| plan_row(&table, &columns, row, directory, &people))
        .collect();
    let keys: Vec<(usize, Option<String>)> = rows
        .iter()
        .map(|r| (r.line, Some(name_key(&r.name)).filter(|k| !k.is_empty())))
        .collect();
    for (row, others) in rows.iter_mut().zip(repeats(&keys)) {
        if let Some(lines) = others {
            let sentence = format!(
                "{} is also on line {lines}: keep one row per person.",
                row.name
            );
            add_error(&mut row.outcome, sentence);
        }
    }
    Ok(StaffImport { rows })
}

fn plan_row(
    table: &Table,
    columns: &Columns<7>,
    row: &Row,
    directory: &Directory,
    people: &People,
) -> StaffRow {
    let get = |field: &str| cell(row, columns.of(field));
    let name = tidy(get("name"));
    let mut errors: Vec<String> = shape_error(table, row).into_iter().collect();
    let existing = match people.find(&name) {
        Ok(existing) => existing,
        // Whose details the row would complete is unknown, so nothing more is said.
        Err(why) => {
            errors.push(why);
            let outcome = Err(errors);
            return StaffRow {
                line: row.line,
                name,
                outcome,
            };
        }
    };
    if name.is_empty() {
        errors.push("The name is empty: give each person's name.".into());
    } else if name.chars().count() > MAX_NAME_CHARS {
        errors.push(format!(
            "The name is longer than {MAX_NAME_CHARS} characters: shorten it."
        ));
    }
    // A person found by name keeps the list's spelling of it: the file's can differ only
    // in case and spaces, which is how they were found.
    let mut member = existing
        .cloned()
        .unwrap_or_else(|| StaffMember::new(&name, ""));
    let role = tidy(get("role"));
    if !role.is_empty() {
        member.role = role;
    } else if member.role.is_empty() {
        let whose = if name.is_empty() {
            "the person".to_string()
        } else {
            format!("{name}'s")
        };
        errors.push(format!(
            "The role is empty: give {whose} role, like Front desk or Nurse."
        ));
    }
    let contact = tidy(get("contact"));
    if !contact.is_empty() {
        member.contact = contact;
    }
    let listed = match sites(get("sites"), directory) {
        Ok(listed) => listed,
        Err(why) => {
            errors.push(why);
            Vec::new()
        }
    };
    let home = get("home_site");
    if !home.is_empty() {
        match site(home, directory) {
            Ok(site) => member.home = site,
            Err(why) => errors.push(why),
        }
    } else if existing.is_none() {
        // Someone new without a home site works mostly at the first site listed.
        member.home = listed.first().cloned().unwrap_or_else(SiteId::main);
    }
    if !listed.is_empty() {
        member.sites = listed;
    } else if existing.is_none() {
        member.sites = vec![member.home.clone()];
    }
    if !member.sites.contains(&member.home) {
        member.sites.insert(0, member.home.clone());
    }
    let employment = get("employment");
    if !employment.is_empty() {
        match Employment::parse(employment) {
            Some(kind) => member.employment = kind,
            None => errors.push(format!(
                "\"{employment}\" is not a kind of employment; use full time, part time, casual or contractor."
            )),
        }
    }
    let hours = get("weekly_hours");
    if !hours.is_empty() {
        match parse_weekly_hours(hours) {
            Ok(minutes) => member.weekly_minutes = minutes,
            Err(why) => errors.push(why),
        }
    }
    let outcome = match existing {
        _ if !errors.is_empty() => Err(errors),
        None => Ok(StaffAction::Add(member)),
        Some(before) if *before == member => Ok(StaffAction::Same),
        Some(before) => Ok(StaffAction::Update {
            before: before.clone(),
            after: member,
        }),
    };
    StaffRow {
        line: row.line,
        name: existing.map_or(name, |m| m.name.clone()),
        outcome,
    }
}

/// The site a cell names, by id or by name, case aside.
fn site(text: &str, directory: &Directory) -> Result<SiteId, String> {
    let wanted = name_key(text);
    let found = directory
        .sites
        .iter()
        .find(|s| s.id.as_str() == wanted || name_key(&s.name) == wanted);
    match found {
        Some(site) => Ok(site.id.clone()),
        None => {
            let names: Vec<&str> = directory.sites.iter().map(|s| s.name.as_str()).collect();
            Err(format!(
                "There is no site \"{}\"; the sites are {}.",
                tidy(text),
                names.join(", ")
            ))
        }
    }
}

/// The sites a cell lists, separated by `;`, `,` or `|`, each once, in the file's order;
/// one sentence per site that is not one.
fn sites(text: &str, directory: &Directory) -> Result<Vec<SiteId>, String> {
    let mut found: Vec<SiteId> = Vec::new();
    let mut unknown: Vec<String> = Vec::new();
    for part in text.split([';', ',', '|']).filter(|p| !p.trim().is_empty()) {
        match site(part, directory) {
            Ok(site) if !found.contains(&site) => found.push(site),
            Ok(_) => {}
            Err(why) => unknown.push(why),
        }
    }
    if unknown.is_empty() {
        Ok(found)
    } else {
        Err(unknown.join(" "))
    }
}

/// Writes every valid row of `import` in the caller's one change: adds the new people and
/// changes the fields the file changed of the others, as they are now. Refuses a plan with
/// errors unless `valid_only`, and fails whole when a row is refused (someone removed, or
/// someone of the same name added, on another device since the plan), so the caller's
/// change rolls back and nothing of the file is written. Returns how many people changed.
pub fn apply_staff(
    doc: &mut AutoCommit,
    import: &StaffImport,
    valid_only: bool,
) -> Result<usize, DocumentError> {
    import.check_apply(valid_only)?;
    let map = Document::root_map(doc, maps::STAFF)?;
    let mut names: Vec<String> = doc
        .keys(&map)
        .filter_map(|id| read_member(doc, &map, &id))
        .map(|m| name_key(&m.name))
        .collect();
    let mut changed = 0;
    for row in &import.rows {
        match &row.outcome {
            Ok(StaffAction::Add(member)) => {
                if names.contains(&name_key(&member.name)) {
                    let why = Import::AddedMeanwhile {
                        name: member.name.clone(),
                    };
                    return Err(at_line(row.line, why.into()));
                }
                put_staff(doc, member).map_err(|e| at_line(row.line, e))?;
                names.push(name_key(&member.name));
            }
            Ok(StaffAction::Update { before, after }) => {
                let Some(now) = read_member(doc, &map, before.id.as_str()) else {
                    let why = Import::RemovedMeanwhile {
                        name: before.name.clone(),
                    };
                    return Err(at_line(row.line, why.into()));
                };
                let merged = changes_onto(before, after, &now);
                if merged == now {
                    continue;
                }
                put_staff(doc, &merged).map_err(|e| at_line(row.line, e))?;
            }
            Ok(StaffAction::Same) | Err(_) => continue,
        }
        changed += 1;
    }
    Ok(changed)
}

/// `now` with each field that `before` and `after` differ in taken from `after`: what the
/// file changed, over what another device changed since the plan.
fn changes_onto(before: &StaffMember, after: &StaffMember, now: &StaffMember) -> StaffMember {
    let mut merged = now.clone();
    macro_rules! take {
        ($($field:ident),*) => {
            $(if before.$field != after.$field {
                merged.$field = after.$field.clone();
            })*
        };
    }
    take!(name, role, contact, home, sites, employment, weekly_minutes);
    if !merged.sites.contains(&merged.home) {
        merged.sites.insert(0, merged.home.clone());
    }
    merged
}

#[cfg(test)]
mod tests;
