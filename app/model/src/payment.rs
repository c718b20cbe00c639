//! Co-pays and payments at the desk: what a patient is expected to pay (the appointment
//! type's co-pay), what the desk took (an amount in whole cents, a method, a receipt
//! number), and refunds. A payment is never changed once taken; a refund is a payment of
//! its own. Each is kept at its own key of the appointment's record (`pay:{id}`), so two
//! desks taking money for one patient while offline both keep theirs, and a move to
//! another month takes them along. The day's takings per desk and site are [`drawer`].

pub mod drawer;

use automerge::AutoCommit;
use chrono::NaiveDateTime;

use crate::appointment::format_local_datetime;
use crate::refusal::Schedule as Refusal;
use crate::schedule::{self, Who};
use crate::{Appointment, AppointmentId, Directory, DocumentError};

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

/// Money taken or given back at the desk.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Payment {
    /// Random: two desks' payments never share one.
    pub id: String,
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
/// than two decimals, zero or over [`MAX_CENTS`] is refused with a sentence.
pub fn parse_amount(text: &str) -> Result<i64, String> {
    let cleaned: String = text
        .trim()
        .trim_start_matches(['$', '£', '€'])
        .chars()
        .filter(|c| *c != ',' && !c.is_whitespace())
        .collect();
    if cleaned.starts_with('-') {
        return Err("Enter the amount without a minus: a refund has its own button.".into());
    }
    let (whole, fraction) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if cleaned.is_empty()
        || !digits(whole)
        || !digits(fraction)
        || (whole.is_empty() && fraction.is_empty())
    {
        return Err(format!("\"{}\" is not an amount like 25.00.", text.trim()));
    }
    if fraction.len() > 2 {
        return Err("Use at most two decimals, like 25.50.".into());
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| too_much())?
    };
    let fraction: i64 = format!("{fraction:0<2}").parse().unwrap_or(0);
    let cents = whole
        .checked_mul(100)
        .and_then(|c| c.checked_add(fraction))
        .ok_or_else(too_much)?;
    if cents == 0 {
        return Err("Enter an amount above zero.".into());
    }
    if cents > MAX_CENTS {
        return Err(too_much());
    }
    Ok(cents)
}

fn too_much() -> String {
    format!("At most {} at once.", format_cents(MAX_CENTS))
}

/// "25.00", "1,025.50", "-3.00".
pub fn format_cents(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    let whole = (cents / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}.{:02}", cents % 100)
}

/// What the patient has paid for the appointment, refunds taken off.
pub fn paid(a: &Appointment) -> i64 {
    a.payments.iter().map(Payment::signed).sum()
}

/// The co-pay expected for the appointment: its type's, if the type has one.
pub fn expected(a: &Appointment, directory: &Directory) -> Option<i64> {
    let kind = directory.appointment_type(a.type_id.as_ref()?)?;
    kind.copay_cents.filter(|c| *c > 0)
}

/// What is still to pay of the expected co-pay; zero once paid.
pub fn due(a: &Appointment, directory: &Directory) -> Option<i64> {
    expected(a, directory).map(|e| (e - paid(a)).max(0))
}

/// Takes a payment or gives a refund on an appointment, with a line in its history, and
/// returns it (its receipt number for the desk). A refund larger than what was paid is
/// refused.
pub fn take(
    doc: &mut AutoCommit,
    id: &AppointmentId,
    kind: Kind,
    cents: i64,
    method: Method,
    who: &Who,
    now: NaiveDateTime,
) -> Result<Payment, DocumentError> {
    let mut a = schedule::get(doc, id)?;
    if !(1..=MAX_CENTS).contains(&cents) {
        return Err(Refusal::AmountOutOfRange.into());
    }
    if kind == Kind::Refund && cents > paid(&a) {
        return Err(Refusal::RefundOverPaid {
            paid_cents: paid(&a),
        }
        .into());
    }
    let id = uuid::Uuid::new_v4().to_string();
    let payment = Payment {
        receipt: format!("R{}-{}", now.format("%y%m%d"), id[..6].to_uppercase()),
        id,
        kind,
        cents,
        method,
        at: format_local_datetime(now),
        device: who.device.clone(),
        staff: who.staff.clone(),
    };
    let what = match kind {
        Kind::Payment => "Paid",
        Kind::Refund => "Refunded",
    };
    let note = format!(
        "{what} {} by {}, receipt {}",
        format_cents(cents),
        method.label().to_lowercase(),
        payment.receipt
    );
    a.history
        .push(schedule::entry(a.status, who, now, Some(note)));
    a.payments.push(payment.clone());
    schedule::put(doc, &a)?;
    Ok(payment)
}

#[cfg(test)]
mod tests;
