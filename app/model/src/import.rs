//! The one path every spreadsheet import takes (supply items, stock levels, staff,
//! credentials): read the text as a table with rows, find the columns by the names a
//! spreadsheet may give them, check each row into a [`Plan`] that says what it would do or
//! what is wrong with it, and apply the plan in one change or refuse it whole.
//!
//! Each import supplies its fields and what a row does; this module holds what they share.

use crate::csv::{self, CsvError, Row as CsvRow, Table};
use crate::refusal::Import;
use crate::DocumentError;

/// The spreadsheets the client imports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sheet {
    Items,
    Levels,
    Staff,
    Credentials,
}

/// Why a text is not a table this import can check: one reason for the whole file, before
/// any row is read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SheetError {
    /// Not CSV, empty, or too long.
    #[error("the file is not a table: {0}")]
    Csv(CsvError),
    /// A header row and nothing under it.
    #[error("the file has a header row but no rows")]
    NoRows,
    /// None of the names that can stand for a column the sheet needs is in the header;
    /// `field` is the name an export gives it.
    #[error("the {sheet:?} file has no {field} column")]
    NoColumn { sheet: Sheet, field: &'static str },
}

/// Reads the text as a table with at least one data row.
pub fn read(text: &str) -> Result<Table, SheetError> {
    let table = csv::parse(text).map_err(SheetError::Csv)?;
    if table.rows.is_empty() {
        return Err(SheetError::NoRows);
    }
    Ok(table)
}

/// The cell of `column`, with the guard that [`csv::write`] puts before a cell a
/// spreadsheet would run as a formula taken off again ("'+1 555 0100" is a phone number);
/// `None` when there is no such column or the row is too short.
pub fn cell(row: &CsvRow, column: Option<usize>) -> Option<&str> {
    let text = row.get(column?)?;
    Some(match text.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => text,
    })
}

/// Why a row cannot be read as the header says: a cell missing, or text beyond the last
/// column (an unquoted comma, most often).
pub fn shape_error(table: &Table, row: &CsvRow) -> Option<String> {
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

/// The fields a sheet may have, each with the column names a spreadsheet may give it.
pub type Fields<const N: usize> = [(&'static str, &'static [&'static str]); N];

/// Where each field is in a file.
pub struct Columns<const N: usize> {
    fields: &'static Fields<N>,
    at: [Option<usize>; N],
}

impl<const N: usize> Columns<N> {
    pub fn find(table: &Table, fields: &'static Fields<N>) -> Self {
        Self {
            fields,
            at: fields.map(|(_, names)| table.column(names)),
        }
    }

    /// The column of `field`, if the file has one.
    pub fn of(&self, field: &str) -> Option<usize> {
        let index = self.fields.iter().position(|(f, _)| *f == field)?;
        self.at[index]
    }

    /// Refuses the file when it lacks any of `needed`, naming the first.
    pub fn require(&self, sheet: Sheet, needed: &[&'static str]) -> Result<(), SheetError> {
        match needed.iter().find(|field| self.of(field).is_none()) {
            Some(field) => Err(SheetError::NoColumn { sheet, field }),
            None => Ok(()),
        }
    }
}

/// One data row of a file, checked: `A` is what a valid row does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row<A> {
    /// The line of the file where the row starts.
    pub line: usize,
    /// What the row is about, as it gives it (a person's or an item's name).
    pub name: String,
    /// What the row does, or every sentence saying what is wrong with it.
    pub outcome: Result<A, Vec<String>>,
}

/// A checked file: every row, in the order of the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan<A> {
    pub rows: Vec<Row<A>>,
}

impl<A> Default for Plan<A> {
    fn default() -> Self {
        Self { rows: Vec::new() }
    }
}

impl<A> Plan<A> {
    /// How many rows can be imported.
    pub fn valid(&self) -> usize {
        self.rows.iter().filter(|r| r.outcome.is_ok()).count()
    }

    /// How many rows have errors.
    pub fn broken(&self) -> usize {
        self.rows.len() - self.valid()
    }

    /// How many valid rows do what `f` picks.
    pub fn count(&self, f: impl Fn(&A) -> bool) -> usize {
        let valid = self.rows.iter().filter_map(|r| r.outcome.as_ref().ok());
        valid.filter(|a| f(a)).count()
    }

    /// Refuses to apply a plan with errors unless the person chose to import only the
    /// valid rows.
    pub fn check_apply(&self, only_valid: bool) -> Result<(), DocumentError> {
        match self.broken() {
            broken if broken > 0 && !only_valid => Err(Import::RowsInError(broken).into()),
            _ => Ok(()),
        }
    }
}

/// Adds a sentence to what is wrong with a row, which is then in error whatever it was.
pub fn add_error<T>(outcome: &mut Result<T, Vec<String>>, sentence: String) {
    match outcome {
        Ok(_) => *outcome = Err(vec![sentence]),
        Err(errors) => errors.push(sentence),
    }
}

/// A refusal met on the way through the rows, with the row's line; the caller's change then
/// fails whole, so nothing of the file is written.
pub fn at_line(line: usize, error: DocumentError) -> DocumentError {
    match error {
        DocumentError::Refused(_) | DocumentError::NotFound(_) => Import::Line {
            line,
            error: Box::new(error),
        }
        .into(),
        error => error,
    }
}

/// The words of every import's summary: how many rows can be imported, `what` they do,
/// and how many have errors: "3 rows can be imported: 1 new, 2 changes; 2 rows have errors".
pub fn summary(valid: usize, what: &str, broken: usize) -> String {
    let text = match valid {
        0 => "No row can be imported".to_string(),
        valid => format!("{} can be imported: {what}", rows(valid)),
    };
    match broken {
        0 => text,
        1 => text + "; 1 row has errors",
        broken => text + &format!("; {broken} rows have errors"),
    }
}

/// "2 rows" or "1 row".
pub fn rows(n: usize) -> String {
    if n == 1 {
        "1 row".into()
    } else {
        format!("{n} rows")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIELDS: Fields<2> = [("name", &["name", "item"]), ("par", &["par", "par level"])];

    #[test]
    fn a_file_without_rows_or_a_needed_column_is_one_reason() {
        assert!(matches!(read(""), Err(SheetError::Csv(CsvError::Empty))));
        assert_eq!(read("name,par\n"), Err(SheetError::NoRows));
        let table = read("Item,Par level\nGloves,4\n").expect("a table");
        let columns = Columns::find(&table, &FIELDS);
        assert_eq!((columns.of("name"), columns.of("par")), (Some(0), Some(1)));
        assert_eq!(columns.require(Sheet::Items, &["name", "par"]), Ok(()));
        let table = read("par\n4\n").expect("a table");
        assert_eq!(
            Columns::find(&table, &FIELDS).require(Sheet::Items, &["name"]),
            Err(SheetError::NoColumn {
                sheet: Sheet::Items,
                field: "name"
            })
        );
    }

    #[test]
    fn cells_lose_the_formula_guard_and_rows_say_their_shape() {
        let table = read("name,phone\nRobin,'+1 555 0100\nSam\nAl,1,x\n").expect("a table");
        assert_eq!(cell(&table.rows[0], Some(1)), Some("+1 555 0100"));
        assert_eq!(cell(&table.rows[1], Some(1)), None);
        assert_eq!(cell(&table.rows[0], None), None);
        assert_eq!(shape_error(&table, &table.rows[0]), None);
        assert!(shape_error(&table, &table.rows[1]).is_some_and(|s| s.contains("missing")));
        assert!(shape_error(&table, &table.rows[2]).is_some_and(|s| s.contains("quotes")));
    }

    #[test]
    fn a_plan_with_errors_is_applied_only_when_the_person_chose_the_valid_rows() {
        let plan = Plan {
            rows: vec![
                Row {
                    line: 2,
                    name: "a".into(),
                    outcome: Ok(1),
                },
                Row {
                    line: 3,
                    name: "b".into(),
                    outcome: Err(vec!["wrong".into()]),
                },
            ],
        };
        assert_eq!(
            (plan.valid(), plan.broken(), plan.count(|n| *n == 1)),
            (1, 1, 1)
        );
        assert!(matches!(
            plan.check_apply(false),
            Err(DocumentError::Refused(crate::Refusal::Import(
                Import::RowsInError(1)
            )))
        ));
        assert!(plan.check_apply(true).is_ok());
        let refused = at_line(4, crate::Thing::Item.gone());
        assert!(matches!(
            refused,
            DocumentError::Refused(crate::Refusal::Import(Import::Line { line: 4, .. }))
        ));
    }
}
