//! Importing credentials and training records: each row adds one to a person on the staff
//! list, unless that person already holds the very same one.

use automerge::{AutoCommit, ReadDoc};

use super::sheet::{cell, name_key, repeats, People};
use crate::csv::{self, Row, Table};
use crate::document::maps;
use crate::import::{self, add_error, at_line, shape_error, summary, Columns, Fields};
use crate::import::{Sheet, SheetError};
use crate::refusal::Import;
use crate::staff::credential::{
    put_credential, read_credential, Credential, CredentialForm, CredentialId,
};
use crate::staff::read_member;
use crate::{tidy, Directory, Document, DocumentError};

/// The columns of the credentials file, in order; [`plan_credentials`] reads them back.
pub const CREDENTIAL_HEADERS: [&str; 7] = [
    "person", "kind", "title", "number", "issuer", "issued", "expires",
];

/// Everyone's credentials, by person, then kind, then expiry; dates as `YYYY-MM-DD`, empty
/// when not known or when it does not expire. A record of someone no longer on the staff
/// list is left out: a file names people, and that one could not be read back.
pub fn credentials_csv(directory: &Directory) -> String {
    let mut listed: Vec<(String, &Credential)> = directory
        .credentials
        .iter()
        .filter_map(|c| Some((directory.staff_member(&c.staff)?.name.clone(), c)))
        .collect();
    listed.sort_by_key(|(name, c)| (name.to_lowercase(), c.kind, c.expires));
    let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let rows = listed.into_iter().map(|(name, c)| {
        vec![
            name,
            c.kind.label().to_string(),
            c.title.clone(),
            c.number.clone(),
            c.issuer.clone(),
            day(c.issued),
            day(c.expires),
        ]
    });
    csv::write(&CREDENTIAL_HEADERS, rows)
}

/// What a valid row of a credentials file does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CredentialAction {
    /// A new record, with a fresh id.
    Add(Credential),
    /// The person already holds this credential: the same kind, number and expiry.
    Same,
}

/// One data row of a credentials file, checked; `name` is the person's.
pub type CredentialRow = import::Row<CredentialAction>;

/// A checked credentials file: every row, in the order of the file.
pub type CredentialImport = import::Plan<CredentialAction>;

impl CredentialImport {
    /// "2 rows can be imported: 1 new, 1 already on file; 1 row has errors".
    pub fn summary(&self) -> String {
        let added = self.count(|a| matches!(a, CredentialAction::Add(_)));
        let what = format!("{added} new, {} already on file", self.valid() - added);
        summary(self.valid(), &what, self.broken())
    }
}

/// The columns a credentials file may have, with the other headers a spreadsheet may give
/// them.
const FIELDS: Fields<7> = [
    (
        "person",
        &["person", "name", "staff member", "staff", "employee"],
    ),
    ("kind", &["kind", "type", "credential type", "credential"]),
    ("title", &["title", "description", "credential name"]),
    (
        "number",
        &[
            "number",
            "licence number",
            "license number",
            "certificate number",
            "no",
        ],
    ),
    ("issuer", &["issuer", "issued by", "authority", "board"]),
    (
        "issued",
        &["issued", "issue date", "date issued", "issued on"],
    ),
    (
        "expires",
        &[
            "expires",
            "expiry",
            "expiry date",
            "expiration",
            "expiration date",
            "valid until",
        ],
    ),
];

/// Checks every row of a credentials file against `directory`; nothing is written. A text
/// that is not a table with person and kind columns is one sentence instead.
pub fn plan_credentials(text: &str, directory: &Directory) -> Result<CredentialImport, SheetError> {
    let table = import::read(text)?;
    let columns = Columns::find(&table, &FIELDS);
    columns.require(Sheet::Credentials, &["person", "kind"])?;
    let people = People::new(&directory.staff);
    let mut rows = Vec::new();
    let mut keys = Vec::new();
    for row in &table.rows {
        let (planned, key) = plan_row(&table, &columns, row, directory, &people);
        keys.push((row.line, key));
        rows.push(planned);
    }
    for (row, others) in rows.iter_mut().zip(repeats(&keys)) {
        if let Some(lines) = others {
            let sentence = format!(
                "Line {lines} holds the same credential of {}: keep one of the rows.",
                row.name
            );
            add_error(&mut row.outcome, sentence);
        }
    }
    Ok(CredentialImport { rows })
}

/// What makes two records one credential: the person, the kind, the number (case and
/// spaces aside) and the expiry.
fn same_credential(a: &Credential, b: &Credential) -> bool {
    let number = |c: &Credential| name_key(&c.number);
    (&a.staff, a.kind, number(a), a.expires) == (&b.staff, b.kind, number(b), b.expires)
}

/// The row checked, and the key that a repeat of it in the file shares, when it was read.
fn plan_row(
    table: &Table,
    columns: &Columns<7>,
    row: &Row,
    directory: &Directory,
    people: &People,
) -> (CredentialRow, Option<String>) {
    let get = |field: &str| cell(row, columns.of(field)).to_string();
    let person = tidy(&get("person"));
    let mut errors: Vec<String> = shape_error(table, row).into_iter().collect();
    let member = match people.find(&person) {
        _ if person.is_empty() => {
            errors.push("The person is empty: give their name as it is on the staff list.".into());
            None
        }
        Ok(Some(member)) => Some(member),
        Ok(None) => {
            errors.push(format!(
                "No one called \"{person}\" is on the staff list; add them first or check the spelling."
            ));
            None
        }
        Err(why) => {
            errors.push(why);
            None
        }
    };
    let form = CredentialForm {
        kind: get("kind"),
        title: get("title"),
        number: get("number"),
        issuer: get("issuer"),
        issued: get("issued"),
        expires: get("expires"),
    };
    let staff = member.map_or_else(|| "".into(), |m| m.id.clone());
    let checked = form.validate(CredentialId::random(), staff);
    let credential = match checked {
        Ok(credential) => Some(credential),
        Err(wrong) => {
            for (field, sentence) in wrong {
                if field == "kind" && form.kind.is_empty() {
                    errors.push(
                        "The kind is empty: give licence, certification, BLS/CPR, HIPAA or OSHA."
                            .into(),
                    );
                } else {
                    errors.push(sentence);
                }
            }
            None
        }
    };
    let key = credential.as_ref().filter(|_| member.is_some()).map(|c| {
        let expires = c.expires.map(|d| d.to_string()).unwrap_or_default();
        format!(
            "{}|{}|{}|{expires}",
            c.staff,
            c.kind.code(),
            name_key(&c.number)
        )
    });
    let outcome = match credential {
        Some(credential) if errors.is_empty() => {
            let held = directory
                .credentials
                .iter()
                .any(|c| same_credential(c, &credential));
            Ok(if held {
                CredentialAction::Same
            } else {
                CredentialAction::Add(credential)
            })
        }
        _ => Err(errors),
    };
    let person = member.map_or(person, |m| m.name.clone());
    let line = row.line;
    (
        CredentialRow {
            line,
            name: person,
            outcome,
        },
        key,
    )
}

/// Adds every new credential of `import` in the caller's one change; one that the person
/// has come to hold meanwhile (the same file imported on another device) is not added
/// twice. Refuses a plan with errors unless `valid_only`, and fails whole when the person
/// of a row was removed since the plan, so the caller's change rolls back and nothing of
/// the file is written. Returns how many credentials were added.
pub fn apply_credentials(
    doc: &mut AutoCommit,
    import: &CredentialImport,
    valid_only: bool,
) -> Result<usize, DocumentError> {
    import.check_apply(valid_only)?;
    let staff = Document::root_map(doc, maps::STAFF)?;
    let map = Document::root_map(doc, maps::CREDENTIALS)?;
    let mut held: Vec<Credential> = doc
        .keys(&map)
        .filter_map(|id| read_credential(doc, &map, &id))
        .collect();
    let mut added = 0;
    for row in &import.rows {
        let Ok(CredentialAction::Add(credential)) = &row.outcome else {
            continue;
        };
        if read_member(doc, &staff, credential.staff.as_str()).is_none() {
            let why = Import::RemovedMeanwhile {
                name: row.name.clone(),
            };
            return Err(at_line(row.line, why.into()));
        }
        if held.iter().any(|c| same_credential(c, credential)) {
            continue;
        }
        put_credential(doc, credential).map_err(|e| at_line(row.line, e))?;
        held.push(credential.clone());
        added += 1;
    }
    Ok(added)
}
