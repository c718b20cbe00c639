//! What the staff and credential imports share beyond [`crate::import`]: cells read as
//! text, finding people by name, and rows that repeat one another.

use std::collections::HashMap;

use crate::csv::Row;
use crate::{import, tidy, StaffMember};

/// The trimmed cell of `column` as [`import::cell`] reads it; empty when there is no such
/// column or the row is too short.
pub(super) fn cell(row: &Row, column: Option<usize>) -> &str {
    import::cell(row, column).unwrap_or("")
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
