//! A record read in one walk: its maps and lists copied out of the document by iterating
//! them, instead of one keyed lookup per field. Month documents hold thousands of records,
//! and a keyed lookup in Automerge costs far more than stepping through what is already
//! in order, so the schedule reads its records this way.

use automerge::{ObjId, ObjType, ReadDoc, ScalarValueRef, ValueRef};

/// A field that holds a value of another type than its record says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WrongType;

/// A copied subtree of a document.
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    Map(Vec<(String, Node)>),
    List(Vec<Node>),
    Text(String),
    Int(i64),
    Uint(u64),
    Bool(bool),
    Null,
    /// Anything else (bytes, counters, text objects …): no field of ours is one.
    Other,
}

/// Copies the object `obj` (a map or a list) of `doc`.
pub fn read(doc: &impl ReadDoc, obj: &ObjId, kind: ObjType) -> Node {
    let value = |value: ValueRef<'_>, id: ObjId| match value {
        ValueRef::Object(kind @ (ObjType::Map | ObjType::List)) => read(doc, &id, kind),
        ValueRef::Object(_) => Node::Other,
        ValueRef::Scalar(ScalarValueRef::Str(s)) => Node::Text(s.into_owned()),
        ValueRef::Scalar(ScalarValueRef::Int(i)) => Node::Int(i),
        ValueRef::Scalar(ScalarValueRef::Uint(u)) => Node::Uint(u),
        ValueRef::Scalar(ScalarValueRef::Boolean(b)) => Node::Bool(b),
        ValueRef::Scalar(ScalarValueRef::Null) => Node::Null,
        ValueRef::Scalar(_) => Node::Other,
    };
    match kind {
        ObjType::List => Node::List(
            doc.list_range(obj, ..)
                .map(|item| {
                    let id = item.id();
                    value(item.value, id)
                })
                .collect(),
        ),
        _ => Node::Map(
            doc.map_range(obj, ..)
                .map(|item| {
                    let id = item.id();
                    (item.key.into_owned(), value(item.value, id))
                })
                .collect(),
        ),
    }
}

impl Node {
    pub fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Self::Map(fields) => fields.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// A text field that must be there.
    pub fn text(&self, key: &str) -> Option<String> {
        match self.get(key)? {
            Self::Text(s) => Some(s.clone()),
            _ => None,
        }
    }

    /// A text field that may be missing or null; `Err` when it holds something else.
    pub fn optional_text(&self, key: &str) -> Result<Option<String>, WrongType> {
        match self.get(key) {
            None | Some(Self::Null) => Ok(None),
            Some(Self::Text(s)) => Ok(Some(s.clone())),
            Some(_) => Err(WrongType),
        }
    }

    /// A whole number that must be there and fit a `u32`.
    pub fn number(&self, key: &str) -> Option<u32> {
        match self.get(key)? {
            Self::Uint(u) => u32::try_from(*u).ok(),
            Self::Int(i) => u32::try_from(*i).ok(),
            _ => None,
        }
    }

    pub fn optional_number(&self, key: &str) -> Result<Option<u32>, WrongType> {
        match self.get(key) {
            None | Some(Self::Null) => Ok(None),
            Some(_) => self.number(key).map(Some).ok_or(WrongType),
        }
    }

    pub fn optional_bool(&self, key: &str) -> Result<Option<bool>, WrongType> {
        match self.get(key) {
            None | Some(Self::Null) => Ok(None),
            Some(Self::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(WrongType),
        }
    }

    /// A list field that must be there.
    pub fn list(&self, key: &str) -> Option<&[Node]> {
        match self.get(key)? {
            Self::List(items) => Some(items),
            _ => None,
        }
    }

    /// A list of texts that may be missing or null.
    pub fn optional_texts(&self, key: &str) -> Result<Option<Vec<String>>, WrongType> {
        match self.get(key) {
            None | Some(Self::Null) => Ok(None),
            Some(Self::List(items)) => items
                .iter()
                .map(|item| match item {
                    Self::Text(s) => Ok(s.clone()),
                    _ => Err(WrongType),
                })
                .collect::<Result<_, _>>()
                .map(Some),
            Some(_) => Err(WrongType),
        }
    }
}
