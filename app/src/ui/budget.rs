//! The budget page (managers): one month of one site, or of every site this device may
//! read, each category's spend against its monthly budget with a warning at 80 % and at
//! 100 %, what went to each supplier, and a form to set a site's budget. Spend is read
//! from the documents on this device ([`model::budget::spend`]).

use chrono::NaiveDate;
use leptos::prelude::*;

use crate::ui::reports::chart::{Bar, ReportSection, Section, Table};
use crate::ui::reports::load;
use crate::ui::settings::controls::SelectField;
use crate::ui::settings::fields::{Field, TextField};
use crate::ui::stock::inventory_doc;
use crate::ui::{currency_memo, directory_memo, Ctx};
use model::budget::{self, by_supplier, standing, BudgetForm, Standing, Warning, NEAR_PERCENT};
use model::inventory::Category;
use model::money::{plain, Currency};
use model::report::{Period, Span};

/// What a category's standing says in words.
fn said(s: &Standing, currency: Currency) -> String {
    let words = match (s.warning(), s.percent()) {
        (Some(Warning::Over), Some(p)) if p < 1_000 => format!(
            "Over budget: {p}% spent ({} of {})",
            currency.amount(s.spent),
            budget_text(s, currency)
        ),
        (Some(Warning::Over), _) => format!(
            "Over budget: {} spent of {}",
            currency.amount(s.spent),
            budget_text(s, currency)
        ),
        (Some(Warning::Near), Some(p)) => format!("Near the budget: {p}% spent"),
        (None, Some(p)) => format!("{p}% spent"),
        _ => "No budget set".to_string(),
    };
    match (s.unbudgeted, s.budget) {
        (0, _) | (_, None) => words,
        (apart, Some(_)) => format!(
            "{words} · {} more at sites without a budget for it",
            currency.amount(apart)
        ),
    }
}

fn budget_text(s: &Standing, currency: Currency) -> String {
    s.budget
        .map_or_else(|| "none set".to_string(), |c| currency.amount(c))
}

#[component]
pub fn BudgetPage() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let directory = directory_memo(ctx);
    let currency = currency_memo(ctx);
    let every_site = RwSignal::new(false);
    let month = RwSignal::new(ctx.now.get_untracked().date());
    let sites = load::sites(ctx, directory, every_site);
    let periods = Memo::new(move |_| vec![Period::of(Span::Month, month.get())]);
    let spend = load::spend(ctx, sites, periods);
    let budgets = load::budgets(ctx, sites);
    let standings = Memo::new(move |_| {
        let (spent, budgets) = (spend.get()?, budgets.get()?);
        Some(standing(
            budgets.iter().map(|(s, b)| (s, b)),
            &spent,
            month.get(),
        ))
    });
    let place = move || load::place(ctx, every_site);
    let warnings = move || {
        standings
            .get()
            .unwrap_or_default()
            .into_iter()
            .filter(|s| s.warning().is_some())
            .map(|s| {
                let over = s.warning() == Some(Warning::Over);
                view! {
                    <li class="budget-warning" class:over=over data-testid="budget-warning">
                        {format!("{}: {}", s.category.label(), said(&s, currency.get()))}
                    </li>
                }
            })
            .collect_view()
    };
    let section = move || {
        let list = standings.get()?;
        let label = Period::of(Span::Month, month.get()).label();
        Some(Section {
            title: format!("Spend against budget, {label}"),
            testid: "section-budget",
            bars: list
                .iter()
                .map(|s| Bar {
                    label: s.category.label().to_string(),
                    value: s.percent().map(|p| p.min(999)),
                    said: s
                        .percent()
                        .map_or_else(|| "–".to_string(), |p| format!("{}%", p.min(999))),
                })
                .collect(),
            top: Some(100),
            table: Table {
                headers: vec!["Category", "Budget", "Spent", "Standing"],
                rows: list
                    .iter()
                    .map(|s| {
                        vec![
                            s.category.label().to_string(),
                            budget_text(s, currency.get()),
                            currency.get().amount(s.total()),
                            said(s, currency.get()),
                        ]
                    })
                    .collect(),
            },
            file: format!("budget-{}-{}.csv", place(), month.get().format("%Y-%m")),
        })
    };
    let suppliers = move || {
        let spent = spend.get()?;
        let list = directory.with(|d| by_supplier(&spent, month.get(), d));
        Some(Section {
            title: format!(
                "Received from each supplier, {}",
                Period::of(Span::Month, month.get()).label()
            ),
            testid: "section-suppliers",
            bars: list
                .iter()
                .map(|(name, cents)| Bar {
                    label: name.clone(),
                    value: Some(*cents),
                    said: currency.get().amount(*cents),
                })
                .collect(),
            top: None,
            table: Table {
                headers: vec!["Supplier", "Received"],
                rows: list
                    .iter()
                    .map(|(name, cents)| vec![name.clone(), currency.get().amount(*cents)])
                    .collect(),
            },
            file: format!("suppliers-{}-{}.csv", place(), month.get().format("%Y-%m")),
        })
    };
    view! {
        <section class="reports card" data-testid="budget">
            <h2>"Budget and spend"</h2>
            <div class="report-controls">
                <label>
                    "Month"
                    <input type="month" data-testid="budget-month"
                        prop:value=move || month.get().format("%Y-%m").to_string()
                        on:change=move |ev| {
                            let typed = event_target_value(&ev);
                            if let Ok(day) = NaiveDate::parse_from_str(&format!("{typed}-01"), "%Y-%m-%d") {
                                month.set(day);
                            }
                        } />
                </label>
                <load::SitesChoice every=every_site testid="budget-sites" />
            </div>
            <p class="hint">{format!("Spend is what was received against purchase orders at the order's price, and what was thrown away at the cost it was received at. A category warns at {NEAR_PERCENT}% of its budget and again when it reaches it.")}</p>
            <div role="status" aria-label="Budget warnings">
                <ul class="budget-warnings">{warnings}</ul>
            </div>
            {move || match section() {
                Some(section) => view! { <ReportSection section=section /> }.into_any(),
                None => view! { <p class="empty">"Loading the month's supplies…"</p> }.into_any(),
            }}
            {move || suppliers().map(|section| view! { <ReportSection section=section /> })}
            <Show when=move || !every_site.get() fallback=|| view! {
                <p class="hint">"Budgets are set for one site at a time: choose a site to set one."</p>
            }>
                <SetBudget month=month budgets=budgets />
            </Show>
        </section>
    }
}

/// Sets one category's budget for the month at this device's site; every mistake is named
/// at its field and nothing is saved until all is right.
#[component]
fn SetBudget(
    month: RwSignal<NaiveDate>,
    budgets: Memo<Option<Vec<(model::SiteId, model::budget::Budget)>>>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let currency = currency_memo(ctx);
    let category = Field::new(Category::Medical.code());
    let amount = Field::new("");
    // The amount shows the budget set for the category and month, so that a manager
    // changes what is there rather than typing it blind, from the first drawing on. It
    // follows the choice and its budget only: another document's change leaves what is
    // typed alone.
    Effect::new(
        move |shown: Option<(Option<Category>, NaiveDate, Option<i64>)>| {
            let (which, day) = (Category::parse(&category.value.get()), month.get());
            let site = ctx.site.get();
            let set = budgets.with(|all| {
                let (_, budget) = all.as_ref()?.iter().find(|(s, _)| *s == site)?;
                budget.of(day, which?)
            });
            let now = (which, day, set);
            if shown.map_or(amount.text().is_empty(), |shown| shown != now) {
                amount.value.set(set.map(plain).unwrap_or_default());
                amount.error.set(None);
            }
            now
        },
    );
    let categories = Signal::derive(|| {
        Category::ALL
            .iter()
            .map(|c| (c.code().to_string(), c.label().to_string()))
            .collect::<Vec<_>>()
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        for f in [category, amount] {
            f.error.set(None);
        }
        let form = BudgetForm {
            month: month.get_untracked().format("%Y-%m").to_string(),
            category: category.text(),
            amount: amount.text(),
        };
        let (day, which, cents) = match form.validate() {
            Ok(valid) => valid,
            Err(problems) => {
                for (field, sentence) in problems {
                    match field {
                        "category" => category.error.set(Some(sentence)),
                        "amount" => amount.error.set(Some(sentence)),
                        _ => ctx.report(sentence),
                    }
                }
                return;
            }
        };
        let doc = inventory_doc(&ctx.site.get_untracked());
        if ctx
            .edit(&doc, "set the budget", |am| {
                budget::set(am, day, which, cents)
            })
            .is_some()
        {
            ctx.said(match cents {
                Some(cents) => format!(
                    "{} budget set to {}.",
                    which.label(),
                    currency.get_untracked().amount(cents)
                ),
                None => format!("{} budget cleared.", which.label()),
            });
        }
    };
    view! {
        <form class="details set-budget" on:submit=submit>
            <h3>{move || format!("Set a budget for {}", Period::of(Span::Month, month.get()).label())}</h3>
            <div class="field-row">
                <SelectField label="Category" name="budget-category" field=category options=categories />
                <TextField label="Monthly budget" name="budget-amount" field=amount placeholder="1,500.00" />
            </div>
            <p class="hint">"Leave the amount empty to clear the category's budget."</p>
            <button class="primary" type="submit" data-testid="save-budget">"Save the budget"</button>
        </form>
    }
}
