//! What the staff and credential imports share: reading the file as a table, its cells,
//! finding people by name, and the sentences for rows in error.

use std::collections::HashMap;

use crate::csv::{self, CsvError, Row, Table};
use crate::{tidy, DocumentError, StaffMember};

/// Reads the text as a table with at least one row, or says why not.
pub(super) fn table(text: &str) -> Result<Table, String> {
    let table = csv::parse(text).map_err(|e| match e {
        CsvError::Empty => "The file is empty.".to_string(),
        CsvError::TooLarge(rows) => {
            format!("The file has more than {rows} rows: split it into smaller files.")
        }
        e => format!("The file could not be read as a spreadsheet (CSV): {e}."),
    })?;
    if table.rows.is_empty() {
        return Err("The file has a header row but no rows to import.".into());
    }
    Ok(table)
}

/// The trimmed cell of `column`, with the guard that [`csv::write`] puts before a cell a
/// spreadsheet would run as a formula taken off again ("'+1 555 0100" is a phone number);
/// empty when there is no such column or the row is too short.
pub(super) fn cell(row: &Row, column: Option<usize>) -> &str {
    let Some(text) = column.and_then(|at| row.get(at)) else {
        return "";
    };
    match text.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => text,
    }
}

/// Why a row cannot be read as the header says: a cell missing, or text beyond the last
/// column (an unquoted comma, most often).
pub(super) fn shape_error(table: &Table, row: &Row) -> Option<String> {
    let (cells, columns) = (row.cells.len(), table.headers.len());
    if cells < columns {
        return Some(format!(
            "The row has {cells} columns and the header {columns}: a cell is missing."
        ));
    }
    let extra = row.cells.iter().skip(columns);
    if extra.clone().any(|c| !c.trim().is_empty()) {
        return Some(format!(
            "The row has {} columns and the header {columns}: a cell with a comma in it needs quotes.",
            columns + extra.count()
        ));
    }
    None
}

/// The key two spellings of one name share: "robin  MOCKWELL " and "Robin Mockwell".
pub(super) fn name_key(name: &str) -> String {
    tidy(name).to_lowercase()
}

/// The staff list by name, so that a long file does not scan it for every row.
pub(super) struct People<'a>(HashMap<String, Vec<&'a StaffMember>>);

impl<'a> People<'a> {
    pub(super) fn new(staff: &'a [StaffMember]) -> Self {
        let mut by_name: HashMap<String, Vec<&StaffMember>> = HashMap::new();
        for member in staff {
            by_name
                .entry(name_key(&member.name))
                .or_default()
                .push(member);
        }
        Self(by_name)
    }

    /// The person of this name, `None` when there is no one, or a sentence when two people
    /// share it and the file cannot say which it means.
    pub(super) fn find(&self, name: &str) -> Result<Option<&'a StaffMember>, String> {
        match self.0.get(&name_key(name)).map(Vec::as_slice) {
            None | Some([]) => Ok(None),
            Some([one]) => Ok(Some(*one)),
            Some(more) => Err(format!(
                "{} people on the staff list are called {}: rename one of them there first.",
                more.len(),
                tidy(name)
            )),
        }
    }
}

/// "2 rows" or "1 row".
pub(super) fn rows(n: usize) -> String {
    if n == 1 {
        "1 row".into()
    } else {
        format!("{n} rows")
    }
}

/// The refusal of a plan with errors, when the person did not choose to skip them.
pub(super) fn refuse_errors(errors: usize) -> DocumentError {
    DocumentError::Refused(format!(
        "{} of the file {} errors: correct the file, or import only the valid rows.",
        rows(errors),
        if errors == 1 { "has" } else { "have" }
    ))
}

/// A refusal on the way through the rows, naming the row; nothing of the file is written.
pub(super) fn at_line(line: usize, e: DocumentError) -> DocumentError {
    match e {
        DocumentError::Refused(why) | DocumentError::NotFound(why) => {
            DocumentError::Refused(format!("Line {line}: {why} Nothing was imported."))
        }
        e => e,
    }
}

/// For each row, the other lines of the file whose key it shares ("4, 7"), when any: a
/// person or credential on two rows, where either may be the mistake. Rows without a key
/// share nothing. `keys` holds (line, key) for every row, in order.
pub(super) fn repeats(keys: &[(usize, Option<String>)]) -> Vec<Option<String>> {
    let mut seen: HashMap<&str, Vec<usize>> = HashMap::new();
    for (line, key) in keys {
        if let Some(key) = key {
            seen.entry(key.as_str()).or_default().push(*line);
        }
    }
    keys.iter()
        .map(|(line, key)| {
            let lines = seen.get(key.as_deref()?)?;
            let others: Vec<String> = lines
                .iter()
                .filter(|other| *other != line)
                .map(usize::to_string)
                .collect();
            (!others.is_empty()).then(|| others.join(", "))
        })
        .collect()
}

/// Adds a sentence to what is wrong with a row, which is then in error whatever it was.
pub(super) fn add_error<T>(outcome: &mut Result<T, Vec<String>>, sentence: String) {
    match outcome {
        Ok(_) => *outcome = Err(vec![sentence]),
        Err(errors) => errors.push(sentence),
    }
}

/// The fields a file may have, each with the column names a spreadsheet may give it.
pub(super) type Fields<const N: usize> = [(&'static str, &'static [&'static str]); N];

/// Where each field is in a file.
pub(super) struct Columns<const N: usize> {
    fields: &'static Fields<N>,
    at: [Option<usize>; N],
}

impl<const N: usize> Columns<N> {
    pub(super) fn find(table: &Table, fields: &'static Fields<N>) -> Self {
        Self {
            fields,
            at: fields.map(|(_, names)| table.column(names)),
        }
    }

    pub(super) fn of(&self, field: &str) -> Option<usize> {
        let index = self.fields.iter().position(|(f, _)| *f == field)?;
        self.at[index]
    }
}

/// One data row of a file, checked: `A` is what a valid row does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SheetRow<A> {
    /// The line of the file where the row starts.
    pub line: usize,
    /// The person's name as the row gives it.
    pub name: String,
    /// What the row does, or every sentence saying what is wrong with it.
    pub outcome: Result<A, Vec<String>>,
}

/// A checked file: every row, in the order of the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SheetImport<A> {
    pub rows: Vec<SheetRow<A>>,
}

impl<A> Default for SheetImport<A> {
    fn default() -> Self {
        Self { rows: Vec::new() }
    }
}

impl<A> SheetImport<A> {
    /// How many rows can be imported.
    pub fn valid(&self) -> usize {
        self.rows.iter().filter(|r| r.outcome.is_ok()).count()
    }

    /// How many rows have errors.
    pub fn broken(&self) -> usize {
        self.rows.len() - self.valid()
    }

    /// How many valid rows do what `f` picks.
    pub(crate) fn count(&self, f: impl Fn(&A) -> bool) -> usize {
        self.rows
            .iter()
            .filter_map(|r| r.outcome.as_ref().ok())
            .filter(|a| f(a))
            .count()
    }
}
