//! What an appointment's record keeps under keys of its own, one map each: confirmation
//! calls (`call:{id}`) and money taken or refunded (`pay:{id}`). Keys of their own, so that
//! two desks adding one at once, even the appointment's first, both keep theirs; neither
//! is changed once made, and `Record`'s reconcile leaves them be. One that does not read
//! (a later version's, or damaged) is left out, and the appointment still shows.

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjId, ObjType, ReadDoc, ScalarValue, ValueRef};

use super::record::optional_text;
use crate::confirm::{Call, Outcome};
use crate::fields::write_error;
use crate::payment::{Kind, Method, Payment};
use crate::DocumentError;

const CALL: &str = "call:";
const PAY: &str = "pay:";

/// An appointment's calls and payments, each in the order made.
#[derive(Default)]
pub(super) struct Entries {
    pub calls: Vec<Call>,
    pub payments: Vec<Payment>,
}

impl Entries {
    /// Takes the record's field `key` if it is an entry; whether it was one.
    pub fn take(&mut self, doc: &AutoCommit, key: &str, obj: &ObjId, value: &ValueRef<'_>) -> bool {
        if let Some(id) = key.strip_prefix(CALL) {
            self.calls
                .extend(fields(doc, obj, value).and_then(|f| call(id, &f)));
            true
        } else if let Some(id) = key.strip_prefix(PAY) {
            self.payments
                .extend(fields(doc, obj, value).and_then(|f| payment(id, &f)));
            true
        } else {
            false
        }
    }

    pub fn sort(&mut self) {
        self.calls
            .sort_by(|a, b| (&a.at, &a.id).cmp(&(&b.at, &b.id)));
        self.payments
            .sort_by(|a, b| (&a.at, &a.id).cmp(&(&b.at, &b.id)));
    }
}

/// An entry's fields as (name, text or number), or `None` when it is not a map.
struct Fields(Vec<(String, Option<String>, Option<i64>)>);

impl Fields {
    fn text(&self, key: &str) -> Option<String> {
        self.0.iter().find(|(k, ..)| k == key)?.1.clone()
    }

    fn number(&self, key: &str) -> Option<i64> {
        self.0.iter().find(|(k, ..)| k == key)?.2
    }
}

fn fields(doc: &AutoCommit, obj: &ObjId, value: &ValueRef<'_>) -> Option<Fields> {
    if *value != ValueRef::Object(ObjType::Map) {
        return None;
    }
    let read = doc
        .map_range(obj, ..)
        .map(|field| {
            let number = match &field.value {
                ValueRef::Scalar(automerge::ScalarValueRef::Int(i)) => Some(*i),
                ValueRef::Scalar(automerge::ScalarValueRef::Uint(u)) => i64::try_from(*u).ok(),
                _ => None,
            };
            let key = field.key.to_string();
            (key, optional_text(field.value).flatten(), number)
        })
        .collect();
    Some(Fields(read))
}

fn call(id: &str, f: &Fields) -> Option<Call> {
    Some(Call {
        id: id.to_string(),
        outcome: Outcome::stored(&f.text("outcome")?)?,
        at: f.text("at")?,
        start: f.text("start")?,
        device: f.text("device")?,
        staff: f.text("staff"),
    })
}

fn payment(id: &str, f: &Fields) -> Option<Payment> {
    Some(Payment {
        id: id.to_string(),
        kind: Kind::parse(&f.text("kind")?)?,
        cents: f.number("cents").filter(|c| *c > 0)?,
        method: Method::parse(&f.text("method")?)?,
        receipt: f.text("receipt")?,
        at: f.text("at")?,
        device: f.text("device")?,
        staff: f.text("staff"),
    })
}

/// Writes the entries the record at `obj` does not hold yet: a new call or payment, or
/// every one of an appointment moved here from another month.
pub(super) fn put(
    doc: &mut AutoCommit,
    obj: &ObjId,
    calls: &[Call],
    payments: &[Payment],
) -> Result<(), DocumentError> {
    for c in calls {
        let fields: [(&str, ScalarValue); 4] = [
            ("outcome", format!("{:?}", c.outcome).into()),
            ("at", c.at.as_str().into()),
            ("start", c.start.as_str().into()),
            ("device", c.device.as_str().into()),
        ];
        put_one(
            doc,
            obj,
            &format!("{CALL}{}", c.id),
            &fields,
            c.staff.as_deref(),
        )?;
    }
    for p in payments {
        let fields: [(&str, ScalarValue); 6] = [
            ("kind", p.kind.code().into()),
            ("cents", p.cents.into()),
            ("method", p.method.code().into()),
            ("receipt", p.receipt.as_str().into()),
            ("at", p.at.as_str().into()),
            ("device", p.device.as_str().into()),
        ];
        put_one(
            doc,
            obj,
            &format!("{PAY}{}", p.id),
            &fields,
            p.staff.as_deref(),
        )?;
    }
    Ok(())
}

fn put_one(
    doc: &mut AutoCommit,
    obj: &ObjId,
    key: &str,
    fields: &[(&str, ScalarValue)],
    staff: Option<&str>,
) -> Result<(), DocumentError> {
    if doc.get(obj, key).map_err(write_error)?.is_some() {
        return Ok(());
    }
    let entry = doc
        .put_object(obj, key, ObjType::Map)
        .map_err(write_error)?;
    for (name, value) in fields {
        doc.put(&entry, *name, value.clone()).map_err(write_error)?;
    }
    if let Some(staff) = staff {
        doc.put(&entry, "staff", staff).map_err(write_error)?;
    }
    Ok(())
}
