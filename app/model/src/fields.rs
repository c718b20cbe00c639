//! Reading and writing single fields of a record map by hand, for records whose fields are
//! edited one at a time (shifts, staff, credentials, time off): an edit writes only the
//! fields that changed, so two people changing different fields both keep their change, and
//! two people changing the same field leave both values for the reader to show.

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjId, ObjType, ReadDoc, ScalarValue, Value};

use crate::DocumentError;

/// A record edited in a form while other devices may change it too: what the form changed
/// from the record as it was opened (`before`) is laid onto the record as it stands now
/// (`current`), so that a colleague's change to another field, made while the form was open,
/// is kept. Implemented with [`form_edit!`].
pub trait FormEdit: Sized {
    /// `current`, with every field in which `self` (what the form holds) differs from
    /// `before` set as in `self`.
    fn onto(self, before: &Self, current: Self) -> Self;
}

/// Implements [`FormEdit`] for a struct by naming every one of its fields. The names are
/// checked against the struct (a destructuring without `..`), so a field added later cannot
/// be left out and its edits lost.
macro_rules! form_edit {
    ($ty:ident { $($field:ident),+ $(,)? }) => {
        impl $crate::fields::FormEdit for $ty {
            fn onto(self, before: &Self, current: Self) -> Self {
                let $ty { $($field),+ } = self;
                $ty {
                    $($field: if $field != before.$field { $field } else { current.$field }),+
                }
            }
        }
    };
}
pub(crate) use form_edit;

pub fn write_error(e: impl std::fmt::Display) -> DocumentError {
    DocumentError::Write(e.to_string())
}

/// The record map `id` inside `map`, if it is one.
pub fn record(doc: &AutoCommit, map: &ObjId, id: &str) -> Option<ObjId> {
    match doc.get(map, id) {
        Ok(Some((Value::Object(ObjType::Map), obj))) => Some(obj),
        _ => None,
    }
}

/// Every value `key` holds, one per device that wrote it concurrently, without repeats
/// (two devices writing the same value is no disagreement), the winning value first.
pub fn all_values(doc: &AutoCommit, obj: &ObjId, key: &str) -> Vec<ScalarValue> {
    let mut values: Vec<ScalarValue> = Vec::new();
    let Ok(all) = doc.get_all(obj, key) else {
        return values;
    };
    // Automerge lists the winner last.
    for (value, _) in all.into_iter().rev() {
        if let Value::Scalar(s) = value {
            let s = s.into_owned();
            if !values.contains(&s) {
                values.push(s);
            }
        }
    }
    values
}

/// The winning value of `key` as text.
pub fn text(doc: &AutoCommit, obj: &ObjId, key: &str) -> Option<String> {
    match doc.get(obj, key) {
        Ok(Some((Value::Scalar(s), _))) => match s.as_ref() {
            ScalarValue::Str(t) => Some(t.to_string()),
            _ => None,
        },
        _ => None,
    }
}

/// The winning value of `key` as a whole number.
pub fn int(doc: &AutoCommit, obj: &ObjId, key: &str) -> Option<i64> {
    match doc.get(obj, key) {
        Ok(Some((Value::Scalar(s), _))) => scalar_int(s.as_ref()),
        _ => None,
    }
}

/// Whether the winning value of `key` is `true`; anything else (missing, false, another
/// type) is not.
pub fn flag(doc: &AutoCommit, obj: &ObjId, key: &str) -> bool {
    matches!(doc.get(obj, key), Ok(Some((Value::Scalar(s), _))) if s.as_ref() == &ScalarValue::Boolean(true))
}

pub fn scalar_int(value: &ScalarValue) -> Option<i64> {
    match value {
        ScalarValue::Int(i) => Some(*i),
        ScalarValue::Uint(u) => i64::try_from(*u).ok(),
        _ => None,
    }
}

pub fn scalar_text(value: &ScalarValue) -> Option<String> {
    match value {
        ScalarValue::Str(t) => Some(t.to_string()),
        _ => None,
    }
}

/// Writes `value` at `key` unless the field already holds exactly that, alone.
pub fn put_changed(
    doc: &mut AutoCommit,
    obj: &ObjId,
    key: &str,
    value: impl Into<ScalarValue>,
) -> Result<(), DocumentError> {
    let value = value.into();
    if all_values(doc, obj, key) == [value.clone()] && conflicts(doc, obj, key) == 1 {
        return Ok(());
    }
    doc.put(obj, key, value).map_err(write_error)
}

/// How many devices' values `key` holds (counting equal values apart).
fn conflicts(doc: &AutoCommit, obj: &ObjId, key: &str) -> usize {
    doc.get_all(obj, key).map(|all| all.len()).unwrap_or(0)
}

/// Makes the record map `id` inside `map` (a new record).
pub fn new_record(doc: &mut AutoCommit, map: &ObjId, id: &str) -> Result<ObjId, DocumentError> {
    doc.put_object(map, id, ObjType::Map).map_err(write_error)
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::ROOT;

    #[test]
    fn concurrent_values_are_all_kept_and_a_write_settles_them() {
        let mut a = AutoCommit::new();
        let obj = a.put_object(ROOT, "r", ObjType::Map).unwrap();
        a.put(&obj, "start", "08:00").unwrap();
        let mut b = a.fork().with_actor(automerge::ActorId::random());
        put_changed(&mut a, &obj, "start", "09:00").unwrap();
        put_changed(&mut b, &obj, "start", "10:00").unwrap();
        a.merge(&mut b).unwrap();
        let values = all_values(&a, &obj, "start");
        assert_eq!(values.len(), 2);
        assert_eq!(
            text(&a, &obj, "start").map(ScalarValue::from),
            Some(values[0].clone())
        );
        // Writing the value that already wins still settles the disagreement.
        let winner = text(&a, &obj, "start").unwrap();
        put_changed(&mut a, &obj, "start", winner.as_str()).unwrap();
        assert_eq!(all_values(&a, &obj, "start").len(), 1);
    }

    #[test]
    fn an_unchanged_value_writes_nothing() {
        let mut a = AutoCommit::new();
        let obj = a.put_object(ROOT, "r", ObjType::Map).unwrap();
        a.put(&obj, "n", 3_i64).unwrap();
        a.commit();
        let heads = a.get_heads();
        put_changed(&mut a, &obj, "n", 3_i64).unwrap();
        a.commit();
        assert_eq!(a.get_heads(), heads);
    }
}
