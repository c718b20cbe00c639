//! CSV reading and writing for the spreadsheets people import (staff lists, supply items,
//! stock levels) and export. Reading follows RFC 4180 and forgives what spreadsheets write:
//! a byte order mark, LF, CRLF or CR line ends, blank lines, `;` or tab separators, and rows
//! longer or shorter than the header, which callers report per row by [`Row::line`].
//! Writing uses commas and CRLF and guards against formula injection (see [`write`]).
//! Text in, text out: no IO, and no input makes it panic.

use std::{borrow::Cow, iter::Peekable, str::Chars};

/// Most data rows a file may hold, so that a wrong file cannot stall the page.
pub const MAX_ROWS: usize = 20_000;

/// A parsed file: the header row and the data rows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    /// The header cells, as written (not trimmed).
    pub headers: Vec<String>,
    /// The data rows, blank lines left out.
    pub rows: Vec<Row>,
}

/// One data row of a [`Table`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// The 1-based line of the file where the row starts (the header is line 1 when there
    /// are no blank lines before it), for per-row error messages.
    pub line: usize,
    /// The cells, as written (not trimmed); there may be fewer or more than headers.
    pub cells: Vec<String>,
}

/// Why a text could not be read as CSV.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CsvError {
    /// Nothing but white space, so not even a header row.
    #[error("the file is empty")]
    Empty,
    /// A quoted field, opened on `line`, runs to the end of the file.
    #[error("line {line}: a quoted field is never closed")]
    Unclosed { line: usize },
    /// Something other than a separator, white space or a line end follows a closing quote.
    #[error("line {line}: text after a closing quote")]
    AfterQuote { line: usize },
    /// More than [`MAX_ROWS`] data rows.
    #[error("the file has more than {0} rows")]
    TooLarge(usize),
}

/// Reads a CSV text: the first non-blank row is the header, the rest are data rows.
pub fn parse(text: &str) -> Result<Table, CsvError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let separator = separator(text);
    let mut reader = Reader {
        chars: text.chars().peekable(),
        line: 1,
        separator,
    };
    let Some((_, headers)) = reader.record()? else {
        return Err(CsvError::Empty);
    };
    let mut rows = Vec::new();
    while let Some((line, cells)) = reader.record()? {
        if rows.len() == MAX_ROWS {
            return Err(CsvError::TooLarge(MAX_ROWS));
        }
        rows.push(Row { line, cells });
    }
    Ok(Table { headers, rows })
}

/// The header line's separator: `;` when it has more semicolons than commas outside quotes,
/// a tab when it has tabs and neither, otherwise `,`.
fn separator(text: &str) -> char {
    let (mut commas, mut semicolons, mut tabs) = (0, 0, 0);
    let (mut quoted, mut field_start, mut started) = (false, true, false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted => quoted = chars.next_if_eq(&'"').is_some(),
            _ if quoted => {}
            '"' if field_start => quoted = true,
            // Blank lines before the header are skipped.
            '\r' | '\n' if !started => (commas, semicolons, tabs) = (0, 0, 0),
            '\r' | '\n' => break,
            ',' => commas += 1,
            ';' => semicolons += 1,
            '\t' => tabs += 1,
            _ => {}
        }
        field_start = matches!(c, ',' | ';' | '\t' | '\r' | '\n');
        started |= !c.is_whitespace();
    }
    match (commas, semicolons, tabs) {
        (commas, semicolons, _) if semicolons > commas => ';',
        (0, 0, tabs) if tabs > 0 => '\t',
        _ => ',',
    }
}

/// Reads records one at a time, counting lines.
struct Reader<'a> {
    chars: Peekable<Chars<'a>>,
    line: usize,
    separator: char,
}

impl Reader<'_> {
    /// The next non-blank record and the line it starts on, or None at the end.
    fn record(&mut self) -> Result<Option<(usize, Vec<String>)>, CsvError> {
        while self.chars.peek().is_some() {
            let (start, mut cells, mut blank, mut more) = (self.line, Vec::new(), true, true);
            while more {
                let mut cell = String::new();
                let quoted = self.quoted(&mut cell)?;
                more = self.field_end(&mut cell, quoted)?;
                // A separator other than a tab is text, so its line is not blank.
                blank &= !quoted && cell.trim().is_empty() && (!more || self.separator == '\t');
                cells.push(cell);
            }
            if !blank {
                return Ok(Some((start, cells)));
            }
        }
        Ok(None)
    }

    /// When the field starts with a quote, its text through the closing quote.
    fn quoted(&mut self, cell: &mut String) -> Result<bool, CsvError> {
        if self.chars.next_if_eq(&'"').is_none() {
            return Ok(false);
        }
        let opened = self.line;
        loop {
            match self.chars.next() {
                None => return Err(CsvError::Unclosed { line: opened }),
                Some('"') if self.chars.next_if_eq(&'"').is_none() => return Ok(true),
                Some(c) => {
                    cell.push(c);
                    if c == '\r' && self.chars.next_if_eq(&'\n').is_some() {
                        cell.push('\n');
                    }
                    self.line += usize::from(c == '\r' || c == '\n');
                }
            }
        }
    }

    /// The rest of a field, through its separator (true) or line end (false). An unquoted
    /// field's text goes into `cell`; after a closing quote only white space may come, and
    /// is dropped.
    fn field_end(&mut self, cell: &mut String, quoted: bool) -> Result<bool, CsvError> {
        while let Some(c) = self.chars.next() {
            if c == self.separator {
                return Ok(true);
            }
            if c == '\r' || c == '\n' {
                self.chars.next_if(|&next| c == '\r' && next == '\n');
                self.line += 1;
                return Ok(false);
            }
            if !quoted {
                cell.push(c);
            } else if !c.is_whitespace() {
                return Err(CsvError::AfterQuote { line: self.line });
            }
        }
        Ok(false)
    }
}

impl Table {
    /// The index of the first header matching any of `names`, compared case-insensitively,
    /// ignoring spaces, underscores, hyphens and a trailing "(…)" unit note, so that
    /// "Unit cost (cents)" matches "unit_cost" and "unit cost".
    pub fn column(&self, names: &[&str]) -> Option<usize> {
        let names: Vec<String> = names.iter().map(|name| header_key(name)).collect();
        let mut keys = self.headers.iter().map(|header| header_key(header));
        keys.position(|key| names.contains(&key))
    }
}

/// A header reduced to what [`Table::column`] compares.
fn header_key(header: &str) -> String {
    let header = header.trim_end();
    let note = header.rfind('(').filter(|_| header.ends_with(')'));
    let name = match note.and_then(|at| header.get(..at)) {
        Some(name) if !name.trim().is_empty() => name,
        _ => header,
    };
    let ignored = |c: &char| c.is_whitespace() || *c == '_' || *c == '-';
    let kept = name.chars().filter(|c| !ignored(c));
    kept.flat_map(char::to_lowercase).collect()
}

impl Row {
    /// The trimmed cell at `index`, or None when the row is too short.
    pub fn get(&self, index: usize) -> Option<&str> {
        self.cells.get(index).map(|cell| cell.trim())
    }
}

/// One CSV text: the header row then each row, CRLF line ends (RFC 4180).
///
/// A cell is quoted, inner quotes doubled, when it holds a comma, quote, CR, LF, semicolon
/// or tab (so that readers guessing the separator still find commas), or leading or trailing
/// white space; an empty row is written as `""` so that it is not read back as blank.
///
/// Formula injection guard: spreadsheets run a cell starting with `=`, `+`, `-`, `@`, tab or
/// CR as a formula, so such a cell gets a leading `'` unless it is a plain number: "-3" and
/// "-2.50" stay as they are, "=HYPERLINK(…)" is written "'=HYPERLINK(…)".
pub fn write(headers: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> String {
    let mut out = String::new();
    write_row(&mut out, headers.iter().copied());
    for row in rows {
        write_row(&mut out, row.iter().map(String::as_str));
    }
    out
}

fn write_row<'a>(out: &mut String, cells: impl Iterator<Item = &'a str>) {
    let line: Vec<String> = cells.map(|cell| escaped(&guarded(cell))).collect();
    let line = line.join(",");
    out.push_str(if line.is_empty() { "\"\"" } else { &line });
    out.push_str("\r\n");
}

/// The cell, quoted with inner quotes doubled when it needs quoting.
fn escaped(cell: &str) -> String {
    let special = |c: char| matches!(c, ',' | '"' | '\r' | '\n' | ';' | '\t');
    let padded = cell.starts_with(char::is_whitespace) || cell.ends_with(char::is_whitespace);
    if padded || cell.contains(special) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell.to_string()
    }
}

/// The cell as written, before quoting: with a leading `'` when a spreadsheet would run it.
fn guarded(cell: &str) -> Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && !is_plain_number(cell) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// An optional sign, then digits with at most one decimal point.
fn is_plain_number(cell: &str) -> bool {
    let unsigned = cell.strip_prefix(['+', '-']).unwrap_or(cell);
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    !(whole.is_empty() && fraction.is_empty()) && digits(whole) && digits(fraction)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The headers, then each row as ` line:cells`, cells joined by `|`; or the error.
    fn shown(text: &str) -> String {
        match parse(text) {
            Err(e) => e.to_string(),
            Ok(t) => t.rows.iter().fold(t.headers.join("|"), |out, r| {
                format!("{out} {}:{}", r.line, r.cells.join("|"))
            }),
        }
    }

    fn check(cases: &[(&str, &str)]) {
        for (text, expected) in cases {
            assert_eq!(shown(text), *expected, "{text:?}");
        }
    }

    #[test]
    fn quoted_separators_newlines_and_quotes() {
        check(&[
            ("n\n\"A, B\",\"1\r\n2\"\nBob", "n 2:A, B|1\r\n2 4:Bob"),
            ("n\n\"1\n2\n3\",x\ny", "n 2:1\n2\n3|x 5:y"),
            ("n,m\n\"1\r2\",x\r\"y\",z", "n|m 2:1\r2|x 4:y|z"),
            ("a,b\n\"say \"\"hi\"\"\",\"\"\"\"\n", "a|b 2:say \"hi\"|\""),
            ("a,b\n\"x\"  ,2\n", "a|b 2:x|2"),
            ("a,b\nx\"y\",2\n", "a|b 2:x\"y\"|2"),
            ("a\n\"x\ny\"z,2", "line 3: text after a closing quote"),
            ("a\n1\n\"x\ny", "line 3: a quoted field is never closed"),
        ]);
        assert_eq!(parse("a\n\"x\"y"), Err(CsvError::AfterQuote { line: 2 }));
        assert_eq!(parse("a\n\"x\n"), Err(CsvError::Unclosed { line: 2 }));
    }

    #[test]
    fn separator_is_detected_from_the_header() {
        check(&[
            ("name;cost\nGloves;1,50\n", "name|cost 2:Gloves|1,50"),
            ("\"a,b\";c\n1;2\n", "a,b|c 2:1|2"),
            ("a;\"b,c\"\n1;2\n", "a|b,c 2:1|2"),
            ("name\tcost\nGloves\t3\n", "name|cost 2:Gloves|3"),
            ("\n\tname\n\t3\n", "|name 3:|3"),
            ("a,b;c\tx\n1,2;3\n", "a|b;c\tx 2:1|2;3"),
            ("a;b,c;d\n1;2\n", "a|b,c|d 2:1|2"),
        ]);
    }

    #[test]
    fn byte_order_mark_line_ends_and_blank_lines() {
        check(&[
            ("\u{feff}name\nAnn", "name 2:Ann"),
            ("a,b\r\n1,2\r\n3,4", "a|b 2:1|2 3:3|4"),
            ("a,b\r1,2\r3,4\r", "a|b 2:1|2 3:3|4"),
            ("\n  \r\n a,b\n\n1,2\n \t \n3,4\n\n", " a|b 5:1|2 7:3|4"),
            ("a\tb\n\t \t\n1\t2\n", "a|b 3:1|2"),
            ("a,b\n,\n\"\"\n", "a|b 2:| 3:"),
            ("", "the file is empty"),
            ("\u{feff}", "the file is empty"),
            (" \n\t\r\n", "the file is empty"),
        ]);
    }

    #[test]
    fn columns_are_found_loosely() {
        let t = parse("Name,Unit cost (cents),Stock-Level,cost,(mg)\n").unwrap();
        assert_eq!(t.column(&["unit_cost"]), Some(1));
        assert_eq!(t.column(&["unit cost"]), Some(1));
        assert_eq!(t.column(&["UNIT-COST"]), Some(1));
        assert_eq!(t.column(&["stock level"]), Some(2));
        assert_eq!(t.column(&["(mg)"]), Some(4));
        assert_eq!(t.column(&["price"]), None);
        assert_eq!(t.column(&["price", "NAME"]), Some(0));
    }

    #[test]
    fn rows_may_be_short_or_long() {
        let t = parse("a,b,c\n x \n1,2,3,4\n").unwrap();
        assert_eq!(t.rows[0].cells, [" x "]);
        assert_eq!((t.rows[0].get(0), t.rows[0].get(1)), (Some("x"), None));
        assert_eq!(t.rows[1].get(3), Some("4"));
    }

    #[test]
    fn writing_quotes_what_needs_it() {
        let rows = ["Ann, Bo|say \"hi\"", " pad|two\nlines", "a;b|", ""];
        let rows = rows.map(|r| r.split('|').map(String::from).collect());
        let text = write(&["n"], rows);
        let expected = "n\r\n\"Ann, Bo\",\"say \"\"hi\"\"\"\r\n\" pad\",\"two\nlines\"\r\n";
        assert_eq!(text, format!("{expected}\"a;b\",\r\n\"\"\r\n"));
    }

    #[test]
    fn writing_guards_against_formulas() {
        let cells = [
            "=SUM(A1)", "+1 5", "@x", "-", "-2+3", "\t=1", "-3", "-2.50", "+4", "a=b",
        ];
        let expected = "'=SUM(A1),'+1 5,'@x,'-,'-2+3,\"'\t=1\",-3,-2.50,+4,a=b\r\n";
        assert_eq!(write(&cells, []), expected);
    }

    #[test]
    fn too_many_rows_are_refused() {
        let rows = |rows| parse(&format!("n\n{}", "1\n".repeat(rows))).map(|t| t.rows.len());
        assert_eq!(rows(MAX_ROWS), Ok(MAX_ROWS));
        assert_eq!(rows(MAX_ROWS + 1), Err(CsvError::TooLarge(MAX_ROWS)));
    }

    fn cell() -> impl Strategy<Value = String> {
        "[a-zé ,;\"\r\n\t=+@'1.-]{0,8}"
    }

    proptest! {
        #[test]
        fn any_text_parses_without_panicking(
            text in "\\PC*",
            csvish in "[a\" ,;\t\r\n\u{feff}]{0,40}",
        ) {
            for text in [text, csvish] {
                if let Ok(t) = parse(&text) {
                    let _ = (t.column(&["a"]), t.rows.iter().filter_map(|r| r.get(1)).count());
                }
            }
        }

        #[test]
        fn written_text_reads_back(
            headers in prop::collection::vec(cell(), 1..5),
            rows in prop::collection::vec(prop::collection::vec(cell(), 1..5), 0..6),
        ) {
            let refs: Vec<&str> = headers.iter().map(String::as_str).collect();
            let guard = |r: &Vec<String>| r.iter().map(|c| guarded(c).into_owned()).collect();
            let table = parse(&write(&refs, rows.clone())).map(|t| (t.headers, t.rows));
            let read = table.map(|(h, rows)| (h, rows.into_iter().map(|r| r.cells).collect()));
            let written: Vec<_> = rows.iter().map(guard).collect();
            prop_assert_eq!(read, Ok((guard(&headers), written)));
        }
    }
}
