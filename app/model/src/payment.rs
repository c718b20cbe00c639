//! Co-pays and payments at the desk: what a patient is expected to pay (the appointment
//! type's co-pay), what the desk took (an amount in whole cents, a method, a receipt
//! number), and refunds. A payment is never changed once taken; a refund is a payment of
//! its own. Each is a record of its own in the `payments` map of the schedule document of
//! the month it was taken in (not inside the appointment: moving an appointment to another
//! month while another desk takes money for it would otherwise take the payment away with
//! the old record), naming its appointment. So two desks taking money for one patient
//! while offline both keep theirs, and a day's takings are one document's. The day's
//! takings per desk and site are [`drawer`].

pub mod drawer;

use automerge::{AutoCommit, ScalarValue};
use chrono::{NaiveDate, NaiveDateTime};

use crate::appointment::format_local_datetime;
use crate::document::maps;
use crate::fields::{int, new_record, put_changed, record, text};
use crate::money::plain;
use crate::refusal::Schedule as Refusal;
use crate::schedule::Who;
use crate::{Appointment, AppointmentId, Directory, Document, DocumentError};

/// The most the desk takes at once, in cents: a typo guard (10,000.00).
pub const MAX_CENTS: i64 = 1_000_000;

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub enum Method {
    Cash,
    Card,
    Cheque,
}

impl Method {
    pub const ALL: [Self; 3] = [Self::Cash, Self::Card, Self::Cheque];

    pub fn code(self) -> &'static str {
        match self {
            Self::Cash => "cash",
            Self::Card => "card",
            Self::Cheque => "cheque",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Cash => "Cash",
            Self::Card => "Card",
            Self::Cheque => "Cheque",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.code() == code)
    }

    /// Its place in per-method arrays.
    pub fn index(self) -> usize {
        self as usize
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Kind {
    Payment,
    Refund,
}

impl Kind {
    pub fn code(self) -> &'static str {
        match self {
            Self::Payment => "payment",
            Self::Refund => "refund",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [Self::Payment, Self::Refund]
            .into_iter()
            .find(|k| k.code() == code)
    }
}

/// Money changing hands at the desk, as the form says it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Money {
    pub kind: Kind,
    pub cents: i64,
    pub method: Method,
}

/// Money taken or given back at the desk.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Payment {
    /// Random: two desks' payments never share one.
    pub id: String,
    /// The appointment it is for, and its patient's name as it was then.
    pub appointment: AppointmentId,
    pub patient: String,
    pub kind: Kind,
    /// Always above zero; a refund's kind says it goes out.
    pub cents: i64,
    pub method: Method,
    /// What the desk writes on the receipt.
    pub receipt: String,
    /// Wall-clock time at the site, `YYYY-MM-DDTHH:MM:SS`.
    pub at: String,
    /// The desk (device) that took it: its drawer.
    pub device: String,
    pub staff: Option<String>,
}

impl Payment {
    /// In for a payment, out (negative) for a refund.
    pub fn signed(&self) -> i64 {
        match self.kind {
            Kind::Payment => self.cents,
            Kind::Refund => -self.cents,
        }
    }
}

/// Reads an amount as a desk types it: "25", "25.5", "25.50", "$1,025.00". Negative, more
/// than two decimals, a comma anywhere but between thousands ("25,50" is refused rather
/// than read as 2,550.00), zero or over [`MAX_CENTS`] is refused with a sentence.
pub fn parse_amount(text: &str) -> Result<i64, String> {
    match parse_cents(text, MAX_CENTS)? {
        0 => Err("Enter an amount above zero.".into()),
        cents => Ok(cents),
    }
}

/// An amount as [`parse_amount`] reads it, zero allowed (a drawer may hold none), up to
/// `max` cents.
pub fn parse_cents(text: &str, max: i64) -> Result<i64, String> {
    let typed = text.trim();
    let bare = crate::money::without_symbol(typed);
    if bare.starts_with('-') {
        return Err("Enter the amount without a minus: a refund has its own button.".into());
    }
    let not_an_amount = || format!("\"{typed}\" is not an amount like 25.00.");
    let (whole, fraction) = bare.split_once('.').unwrap_or((bare, ""));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    // Commas only between groups of three digits: 1,025 or 12,500,000.
    let groups: Vec<&str> = whole.split(',').collect();
    let grouped = groups.len() == 1
        || (!groups[0].is_empty()
            && groups[0].len() <= 3
            && groups[1..].iter().all(|g| g.len() == 3));
    if !grouped {
        return Err(format!(
            "\"{typed}\" is not an amount like 25.00: use a point for the cents."
        ));
    }
    let whole: String = groups.concat();
    if (whole.is_empty() && fraction.is_empty()) || !digits(&whole) || !digits(fraction) {
        return Err(not_an_amount());
    }
    if fraction.len() > 2 {
        return Err("Use at most two decimals, like 25.50.".into());
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| too_much(max))?
    };
    let fraction: i64 = format!("{fraction:0<2}").parse().unwrap_or(0);
    let cents = whole
        .checked_mul(100)
        .and_then(|c| c.checked_add(fraction))
        .ok_or_else(|| too_much(max))?;
    if cents > max {
        return Err(too_much(max));
    }
    Ok(cents)
}

fn too_much(max: i64) -> String {
    format!("At most {} at once.", plain(max))
}

/// What `payments` add up to, refunds taken off.
pub fn paid(payments: &[Payment]) -> i64 {
    payments.iter().map(Payment::signed).sum()
}

/// The co-pay expected for the appointment: what the patient's plan sets (`plan`, from
/// [`crate::patient::coverage::plan_copay`]), else its type's, if the type has one.
pub fn expected(a: &Appointment, directory: &Directory, plan: Option<i64>) -> Option<i64> {
    if let Some(plan) = plan {
        return (plan > 0).then_some(plan);
    }
    let kind = directory.appointment_type(a.type_id.as_ref()?)?;
    kind.copay_cents.filter(|c| *c > 0)
}

/// What is still to pay of the expected co-pay, given what was `paid`; zero once paid.
pub fn due(a: &Appointment, directory: &Directory, plan: Option<i64>, paid: i64) -> Option<i64> {
    expected(a, directory, plan).map(|e| (e - paid).max(0))
}

/// Takes a payment or gives a refund for `appointment`, into `doc` (the schedule
/// document of the month of `now`), and returns it with its receipt number. `paid` is
/// what the desk sees paid for it so far, everywhere: a refund larger is refused.
pub fn take(
    doc: &mut AutoCommit,
    appointment: &Appointment,
    paid: i64,
    money: Money,
    who: &Who,
    now: NaiveDateTime,
) -> Result<Payment, DocumentError> {
    let Money {
        kind,
        cents,
        method,
    } = money;
    if !(1..=MAX_CENTS).contains(&cents) {
        return Err(Refusal::AmountOutOfRange.into());
    }
    if kind == Kind::Refund && cents > paid {
        return Err(Refusal::RefundOverPaid { paid_cents: paid }.into());
    }
    let id = uuid::Uuid::new_v4().to_string();
    let payment = Payment {
        receipt: format!("R{}-{}", now.format("%y%m%d"), id[..6].to_uppercase()),
        id,
        appointment: appointment.id.clone(),
        patient: appointment.patient_name.clone(),
        kind,
        cents,
        method,
        at: format_local_datetime(now),
        device: who.device.clone(),
        staff: who.staff.clone(),
    };
    let map = Document::root_map(doc, maps::PAYMENTS)?;
    let obj = new_record(doc, &map, &payment.id)?;
    let fields: [(&str, ScalarValue); 9] = [
        ("appointment", payment.appointment.as_str().into()),
        ("patient", payment.patient.as_str().into()),
        ("kind", payment.kind.code().into()),
        ("cents", payment.cents.into()),
        ("method", payment.method.code().into()),
        ("receipt", payment.receipt.as_str().into()),
        ("at", payment.at.as_str().into()),
        ("device", payment.device.as_str().into()),
        ("staff", payment.staff.as_deref().unwrap_or_default().into()),
    ];
    for (key, value) in fields {
        put_changed(doc, &obj, key, value)?;
    }
    Ok(payment)
}

/// Every payment a month's document holds, in the order taken; one that does not read is
/// left out.
pub fn read_all(doc: &AutoCommit) -> Vec<Payment> {
    let Ok(map) = Document::root_map(doc, maps::PAYMENTS) else {
        return Vec::new();
    };
    let mut list: Vec<Payment> = automerge::ReadDoc::keys(doc, &map)
        .filter_map(|id| {
            let obj = record(doc, &map, &id)?;
            let get = |key| text(doc, &obj, key);
            Some(Payment {
                appointment: AppointmentId::from(get("appointment")?),
                patient: get("patient").unwrap_or_default(),
                kind: Kind::parse(&get("kind")?)?,
                cents: int(doc, &obj, "cents").filter(|c| *c > 0)?,
                method: Method::parse(&get("method")?)?,
                receipt: get("receipt")?,
                at: get("at")?,
                device: get("device")?,
                staff: get("staff").filter(|s| !s.is_empty()),
                id,
            })
        })
        .collect();
    list.sort_by(|a, b| (&a.at, &a.id).cmp(&(&b.at, &b.id)));
    list
}

/// The payments of a month's document for one appointment.
pub fn of_appointment(doc: &AutoCommit, id: &AppointmentId) -> Vec<Payment> {
    read_all(doc)
        .into_iter()
        .filter(|p| &p.appointment == id)
        .collect()
}

/// The payments of a month's document taken or refunded on `day`.
pub fn on_day(doc: &AutoCommit, day: NaiveDate) -> Vec<Payment> {
    let prefix = day.format("%Y-%m-%d").to_string();
    read_all(doc)
        .into_iter()
        .filter(|p| p.at.starts_with(&prefix))
        .collect()
}

#[cfg(test)]
mod tests;
