//! One period's breakdown, each a [`Section`]: each provider's utilisation, the
//! appointments of each type, rostered hours against contract, and supply spend by
//! category against the budget.

use model::budget::{standing_between, Budget, Spend, SpendKind, Standing};
use model::money::Currency;
use model::report::{Figures, Hours, Period, Utilisation};
use model::roster::rules::duration_text;
use model::{Directory, SiteId};

use super::chart::{Bar, Section, Table};

/// Whole percent, or a dash without anything to count.
pub fn percent_text(value: Option<u32>) -> String {
    value.map_or_else(|| "–".to_string(), |v| format!("{v}%"))
}

/// The file a section downloads as: what it is, where, and the period's first day.
fn file(what: &str, place: &str, period: &Period) -> String {
    format!("{what}-{place}-{}.csv", period.first)
}

pub fn utilisation(list: &[Utilisation], period: &Period, place: &str) -> Section {
    Section {
        title: format!("Utilisation, {}", period.label()),
        testid: "section-utilisation",
        bars: list
            .iter()
            .map(|u| Bar {
                label: u.name.clone(),
                value: u.percent().map(i64::from),
                said: percent_text(u.percent()),
            })
            .collect(),
        top: Some(100),
        table: Table {
            headers: vec!["Provider", "Booked", "Hours kept", "Utilisation"],
            rows: list
                .iter()
                .map(|u| {
                    vec![
                        u.name.clone(),
                        duration_text(u.booked),
                        duration_text(u.available),
                        percent_text(u.percent()),
                    ]
                })
                .collect(),
        },
        file: file("utilisation", place, period),
    }
}

pub fn types(figures: &Figures, directory: &Directory, place: &str) -> Section {
    let mut counts: Vec<(String, usize)> = figures
        .by_type
        .iter()
        .map(|(id, &n)| {
            let name = match id {
                Some(id) => directory
                    .types
                    .iter()
                    .find(|t| &t.id == id)
                    .map_or_else(|| "A removed type".to_string(), |t| t.name.clone()),
                None => "No type".to_string(),
            };
            (name, n)
        })
        .collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Section {
        title: format!("Appointments by type, {}", figures.period.label()),
        testid: "section-types",
        bars: counts
            .iter()
            .map(|(name, n)| Bar {
                label: name.clone(),
                value: Some(*n as i64),
                said: n.to_string(),
            })
            .collect(),
        top: None,
        table: Table {
            headers: vec!["Type", "Booked"],
            rows: counts
                .iter()
                .map(|(name, n)| vec![name.clone(), n.to_string()])
                .collect(),
        },
        file: file("appointment-types", place, &figures.period),
    }
}

pub fn hours(list: &[Hours], period: &Period, place: &str) -> Section {
    let hours_of = |m: i64| m / 60;
    Section {
        title: format!("Hours rostered, {}", period.label()),
        testid: "section-hours",
        bars: list
            .iter()
            .map(|h| Bar {
                label: h.name.clone(),
                value: Some(hours_of(h.rostered)),
                said: format!("{} h", hours_of(h.rostered)),
            })
            .collect(),
        top: None,
        table: Table {
            headers: vec![
                "Person",
                "Rostered",
                "Contracted",
                "Past contract",
                "Overtime",
            ],
            rows: list
                .iter()
                .map(|h| {
                    vec![
                        h.name.clone(),
                        duration_text(h.rostered),
                        h.contracted
                            .map_or_else(|| "No contract".to_string(), duration_text),
                        duration_text(h.over_contract()),
                        duration_text(h.overtime),
                    ]
                })
                .collect(),
        },
        file: file("hours", place, period),
    }
}

/// Each category's spend in the period, against the budget of the month of its first day.
pub fn spend(
    spent: &[Spend],
    budgets: &[(SiteId, Budget)],
    period: &Period,
    place: &str,
    currency: Currency,
) -> Section {
    let month: Vec<Standing> = standing_between(
        budgets.iter().map(|(s, b)| (s, b)),
        spent,
        period.first,
        period.first..=period.last,
    );
    let of_kind = |category, kind| -> i64 {
        spent
            .iter()
            .filter(|s| period.contains(s.day) && s.category == category && s.kind == kind)
            .map(|s| s.cents)
            .sum()
    };
    Section {
        title: format!("Supply spend, {}", period.label()),
        testid: "section-spend",
        bars: month
            .iter()
            .map(|s| Bar {
                label: s.category.label().to_string(),
                value: Some(s.total()),
                said: currency.amount(s.total()),
            })
            .collect(),
        top: None,
        table: Table {
            headers: vec![
                "Category",
                "Received",
                "Thrown away",
                "Spent",
                "Monthly budget",
            ],
            rows: month
                .iter()
                .map(|s| {
                    vec![
                        s.category.label().to_string(),
                        currency.amount(of_kind(s.category, SpendKind::Bought)),
                        currency.amount(of_kind(s.category, SpendKind::ThrownAway)),
                        currency.amount(s.total()),
                        s.budget
                            .map_or_else(|| "None set".to_string(), |c| currency.amount(c)),
                    ]
                })
                .collect(),
        },
        file: file("supply-spend", place, period),
    }
}
