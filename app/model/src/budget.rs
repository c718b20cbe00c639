//! A site's monthly budget for each category of supplies, and what was spent against it.
//!
//! The budget lives in the site's `inventory/{site}` document, in its `budget` map (genesis
//! step 2), one flat key a month and category, `{yyyy-mm}/{category}`, holding whole cents:
//! two managers setting different categories offline both keep theirs; setting the same one
//! keeps one of the two amounts on every device. What was spent comes from the documents
//! too ([`spend`]): deliveries received against purchase orders at their line's price, and
//! stock thrown away at the cost recorded when it was received.
//!
//! A category's spend warns at [`NEAR_PERCENT`] of its budget and again at 100 %.

pub mod spend;

use std::collections::BTreeMap;

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ReadDoc, ScalarValue, Value};
use chrono::NaiveDate;

use crate::document::{first_of_month, maps};
use crate::inventory::{write_error, Category};
use crate::report::Period;
use crate::{Directory, Document, DocumentError, SiteId};

pub use spend::{spend, Spend, SpendKind};

/// Spend at or past this share of a budget is warned of.
pub const NEAR_PERCENT: i64 = 80;
/// The largest monthly budget of one category, in cents: ten million.
pub const MAX_BUDGET_CENTS: i64 = 1_000_000_000;

/// The monthly budgets of one site: (first of the month, category) → cents.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Budget {
    pub amounts: BTreeMap<(NaiveDate, Category), i64>,
    /// Entries this version could not read: counted, never hidden.
    pub unreadable: usize,
}

impl Budget {
    /// Reads the budget of a site's inventory document. A copy still without the map (its
    /// genesis step not yet applied) has no budget.
    pub fn read(doc: &AutoCommit) -> Result<Self, DocumentError> {
        let mut budget = Self::default();
        let Ok(map) = Document::root_map(doc, maps::BUDGET) else {
            return Ok(budget);
        };
        for entry in doc.map_range(&map, ..) {
            let cents = match entry.value {
                automerge::ValueRef::Scalar(automerge::ScalarValueRef::Int(n)) => Some(n),
                _ => None,
            };
            match (parse_key(entry.key.as_ref()), cents) {
                (Some(key), Some(cents)) if (0..=MAX_BUDGET_CENTS).contains(&cents) => {
                    budget.amounts.insert(key, cents);
                }
                _ => budget.unreadable += 1,
            }
        }
        Ok(budget)
    }

    /// The budget of `category` in the month of `day`, if one was set.
    pub fn of(&self, day: NaiveDate, category: Category) -> Option<i64> {
        self.amounts.get(&(first_of_month(day), category)).copied()
    }
}

fn key(month: NaiveDate, category: Category) -> String {
    format!("{}/{}", month.format("%Y-%m"), category.code())
}

fn parse_key(key: &str) -> Option<(NaiveDate, Category)> {
    let (month, category) = key.split_once('/')?;
    let month = NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").ok()?;
    let category = Category::ALL.into_iter().find(|c| c.code() == category)?;
    Some((month, category))
}

/// Sets (or, with `None`, clears) the budget of `category` in the month of `month`.
pub fn set(
    doc: &mut AutoCommit,
    month: NaiveDate,
    category: Category,
    cents: Option<i64>,
) -> Result<(), DocumentError> {
    let map = Document::root_map(doc, maps::BUDGET)?;
    let key = key(first_of_month(month), category);
    match cents {
        Some(cents) => {
            let same = matches!(
                doc.get(&map, key.as_str()),
                Ok(Some((Value::Scalar(v), _))) if v.as_ref() == &ScalarValue::Int(cents)
            );
            if !same {
                doc.put(&map, key.as_str(), cents).map_err(write_error)?;
            }
            Ok(())
        }
        None => doc.delete(&map, key.as_str()).map_err(write_error),
    }
}

/// A budget as a manager types it: the month (`yyyy-mm`), the category's code or name,
/// and the amount.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BudgetForm {
    pub month: String,
    pub category: String,
    pub amount: String,
}

/// What a form sets: `None` clears the month's budget of the category.
pub type ValidBudget = (NaiveDate, Category, Option<i64>);

impl BudgetForm {
    /// The budget this form sets, or each field's problem, (field, sentence). An empty
    /// amount clears the budget.
    pub fn validate(&self) -> Result<ValidBudget, Vec<(&'static str, String)>> {
        let mut problems = Vec::new();
        let month = NaiveDate::parse_from_str(&format!("{}-01", self.month.trim()), "%Y-%m-%d");
        if month.is_err() {
            problems.push((
                "month",
                format!("\"{}\" is not a month like 2026-12.", self.month.trim()),
            ));
        }
        let category = Category::parse(&self.category);
        if category.is_none() {
            let known: Vec<&str> = Category::ALL.iter().map(|c| c.label()).collect();
            problems.push((
                "category",
                format!(
                    "There is no category \"{}\": choose one of {}.",
                    self.category.trim(),
                    known.join(", ")
                ),
            ));
        }
        let amount = self.amount.trim();
        let cents = if amount.is_empty() {
            Ok(None)
        } else if crate::money::without_symbol(amount).starts_with('-') {
            Err("A budget cannot be below zero.".to_string())
        } else {
            crate::payment::parse_cents(amount, MAX_BUDGET_CENTS).map(Some)
        };
        if let Err(problem) = &cents {
            problems.push(("amount", problem.clone()));
        }
        match (month, category, cents) {
            (Ok(month), Some(category), Ok(cents)) if problems.is_empty() => {
                Ok((month, category, cents))
            }
            _ => Err(problems),
        }
    }
}

/// How a category's spend in a month stands against its budget.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Warning {
    /// At [`NEAR_PERCENT`] or more of the budget.
    Near,
    /// At the budget or past it.
    Over,
}

/// One category's month: what was budgeted and what was spent against it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Standing {
    pub category: Category,
    /// The budgets of the sites that set one for the category, added up.
    pub budget: Option<i64>,
    /// What those sites spent on it: what the budget is set against.
    pub spent: i64,
    /// What sites without a budget for it spent: shown, never set against another site's
    /// budget.
    pub unbudgeted: i64,
}

impl Standing {
    /// Everything spent on the category.
    pub fn total(&self) -> i64 {
        self.spent + self.unbudgeted
    }

    /// Spent over budget in whole percent, rounded down; `None` without a budget (or with
    /// a budget of nothing and nothing spent).
    pub fn percent(&self) -> Option<i64> {
        match self.budget {
            Some(budget) if budget > 0 => Some(self.spent * 100 / budget),
            Some(_) if self.spent > 0 => Some(i64::MAX),
            _ => None,
        }
    }

    pub fn warning(&self) -> Option<Warning> {
        let budget = self.budget?;
        if self.spent >= budget && (budget > 0 || self.spent > 0) {
            Some(Warning::Over)
        } else if self.spent * 100 >= budget * NEAR_PERCENT && budget > 0 {
            Some(Warning::Near)
        } else {
            None
        }
    }
}

/// Each category's standing in the month of `month`, for the sites' budgets and the spend
/// given (one site's, or several sites' added together). A site's spend is set against
/// its own budget only: a site without a budget for a category adds to `unbudgeted`.
pub fn standing<'a>(
    budgets: impl IntoIterator<Item = (&'a SiteId, &'a Budget)>,
    spent: impl IntoIterator<Item = &'a Spend>,
    month: NaiveDate,
) -> Vec<Standing> {
    let first = first_of_month(month);
    let last = first
        .checked_add_months(chrono::Months::new(1))
        .and_then(|next| next.pred_opt())
        .unwrap_or(first);
    standing_between(budgets, spent, first, first..=last)
}

/// [`standing`] for the spend of `days` only (a week, say), set against the budgets of
/// the month of `month`.
pub fn standing_between<'a>(
    budgets: impl IntoIterator<Item = (&'a SiteId, &'a Budget)>,
    spent: impl IntoIterator<Item = &'a Spend>,
    month: NaiveDate,
    days: std::ops::RangeInclusive<NaiveDate>,
) -> Vec<Standing> {
    let month = first_of_month(month);
    let budgets: Vec<(&SiteId, &Budget)> = budgets.into_iter().collect();
    let mut all: Vec<Standing> = Category::ALL
        .iter()
        .map(|&category| Standing {
            category,
            budget: None,
            spent: 0,
            unbudgeted: 0,
        })
        .collect();
    for (_, budget) in &budgets {
        for s in &mut all {
            if let Some(cents) = budget.of(month, s.category) {
                *s.budget.get_or_insert(0) += cents;
            }
        }
    }
    for spend in spent {
        if !days.contains(&spend.day) {
            continue;
        }
        let budgeted = budgets
            .iter()
            .any(|(site, b)| **site == spend.site && b.of(month, spend.category).is_some());
        if let Some(s) = all.iter_mut().find(|s| s.category == spend.category) {
            if budgeted {
                s.spent += spend.cents;
            } else {
                s.unbudgeted += spend.cents;
            }
        }
    }
    all
}

/// What was spent with each supplier in the month of `month`, the most first. A supplier
/// of the vendor register goes by its name there, so its orders add up under one name
/// after a rename; one named only by text goes by that text.
pub fn by_supplier<'a>(
    spent: impl IntoIterator<Item = &'a Spend>,
    month: NaiveDate,
    directory: &Directory,
) -> Vec<(String, i64)> {
    let month = first_of_month(month);
    let mut totals: BTreeMap<String, i64> = BTreeMap::new();
    for spend in spent {
        if first_of_month(spend.day) == month && spend.kind == SpendKind::Bought {
            let name = spend
                .vendor
                .as_ref()
                .and_then(|v| directory.vendor(v))
                .map_or_else(|| spend.supplier.clone(), |v| v.name.clone());
            *totals.entry(name).or_default() += spend.cents;
        }
    }
    let mut all: Vec<_> = totals.into_iter().collect();
    all.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    all
}

/// What was spent in `period`, every site and category of `spent` together.
pub fn spent_in<'a>(spent: impl IntoIterator<Item = &'a Spend>, period: &Period) -> i64 {
    spent
        .into_iter()
        .filter(|s| period.contains(s.day))
        .map(|s| s.cents)
        .sum()
}

#[cfg(test)]
mod tests;
