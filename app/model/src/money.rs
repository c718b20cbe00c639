//! The practice's currency, and amounts of money as people read and type them.
//!
//! Every amount is kept as whole cents (`i64`): the smallest unit of a currency with two
//! decimals, which every currency offered here has. The currency is one setting of the
//! organisation (the directory's `practice` map, [`read_currency`], [`put_currency`]); it
//! changes how amounts are shown, never what is stored, so a practice that sets it late
//! keeps every figure it has.

use automerge::AutoCommit;

use crate::document::maps;
use crate::fields::{put_changed, text};
use crate::{Document, DocumentError};

/// A currency the practice can keep its amounts in.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Currency {
    /// ISO 4217: "USD".
    pub code: &'static str,
    /// What goes before an amount: "$", "£", "CHF ".
    pub symbol: &'static str,
    /// For the setting's list: "US dollar".
    pub name: &'static str,
}

/// The currencies offered, the default first. Each has two decimals.
pub const CURRENCIES: [Currency; 10] = [
    Currency::new("USD", "$", "US dollar"),
    Currency::new("CAD", "$", "Canadian dollar"),
    Currency::new("AUD", "$", "Australian dollar"),
    Currency::new("NZD", "$", "New Zealand dollar"),
    Currency::new("GBP", "£", "Pound sterling"),
    Currency::new("EUR", "€", "Euro"),
    Currency::new("CHF", "CHF ", "Swiss franc"),
    Currency::new("ZAR", "R", "South African rand"),
    Currency::new("INR", "₹", "Indian rupee"),
    Currency::new("SGD", "$", "Singapore dollar"),
];

impl Currency {
    const fn new(code: &'static str, symbol: &'static str, name: &'static str) -> Self {
        Self { code, symbol, name }
    }

    /// One of [`CURRENCIES`] by its code, in any case.
    pub fn from_code(code: &str) -> Option<Self> {
        let code = code.trim();
        CURRENCIES
            .into_iter()
            .find(|c| c.code.eq_ignore_ascii_case(code))
    }

    /// An amount as people read it: "$1,025.50", "-£3.00", "CHF 12.00".
    pub fn amount(self, cents: i64) -> String {
        let sign = if cents < 0 { "-" } else { "" };
        format!(
            "{sign}{}{}",
            self.symbol,
            plain(cents).trim_start_matches('-')
        )
    }

    /// Like [`Currency::amount`], without the cents when there are none: "$1,025", for
    /// the labels of a chart.
    pub fn round_amount(self, cents: i64) -> String {
        let text = self.amount(cents);
        match text.strip_suffix(".00") {
            Some(whole) => whole.to_string(),
            None => text,
        }
    }

    /// "US dollar (USD)", for the setting's list.
    pub fn label(self) -> String {
        format!("{} ({})", self.name, self.code)
    }
}

impl Default for Currency {
    fn default() -> Self {
        CURRENCIES[0]
    }
}

/// An amount without its currency, as a form shows it to be edited: "25.00", "1,025.50",
/// "-3.00".
pub fn plain(cents: i64) -> String {
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

/// An amount as a spreadsheet reads it, without grouping or currency: "1025.50", "-3.00".
pub fn decimal(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    format!("{sign}{}.{:02}", cents / 100, cents % 100)
}

/// What was typed, without a currency's code or symbol in front: "$25", "£ 25", "USD 25"
/// and "CHF 25" all read as "25". Whichever currency the practice keeps, a person may type
/// the symbol they are used to.
pub fn without_symbol(typed: &str) -> &str {
    let typed = typed.trim();
    let rest = CURRENCIES
        .iter()
        .flat_map(|c| [c.code, c.symbol.trim()])
        .find_map(|mark| {
            let head = typed.get(..mark.len())?;
            head.eq_ignore_ascii_case(mark)
                .then(|| &typed[mark.len()..])
        })
        .unwrap_or(typed);
    rest.trim_start()
}

/// The practice's key in the directory's `practice` map.
const CURRENCY: &str = "currency";

/// The currency the practice set: the default when none is set, and `Err` with the
/// default when the stored code is not one this version knows (written by a newer or
/// damaged client), so that the directory can say a setting did not read.
pub fn read_currency(doc: &AutoCommit) -> Result<Currency, Currency> {
    let Ok(map) = Document::root_map(doc, maps::PRACTICE) else {
        return Ok(Currency::default());
    };
    if !matches!(automerge::ReadDoc::get(doc, &map, CURRENCY), Ok(Some(_))) {
        return Ok(Currency::default());
    }
    text(doc, &map, CURRENCY)
        .and_then(|code| Currency::from_code(&code))
        .ok_or_else(Currency::default)
}

/// Sets the practice's currency.
pub fn put_currency(doc: &mut AutoCommit, currency: Currency) -> Result<(), DocumentError> {
    let map = Document::root_map(doc, maps::PRACTICE)?;
    put_changed(doc, &map, CURRENCY, currency.code)
}

#[cfg(test)]
mod tests;
