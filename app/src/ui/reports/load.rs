//! What the reports read: the sites they cover, and for those sites the months of
//! appointments, stock logs, rosters and budgets the periods touch. Each is `None` while
//! any of its documents loads; every document is asked for at once, so that all of them
//! load together.

use chrono::Months;
use leptos::prelude::*;

use crate::ui::roster::shifts_between;
use crate::ui::stock::{inventory_doc, read_inventory, read_movements};
use crate::ui::Ctx;
use model::budget::{spend as spend_of, Budget, Spend};
use model::document::first_of_month;
use model::report::{figures as figures_of, Figures, Period};
use model::roster::{monday, Shift};
use model::{Directory, SiteId};

/// This device's site, or every site it is enrolled for.
pub fn sites(ctx: Ctx, directory: Memo<Directory>, every: RwSignal<bool>) -> Memo<Vec<SiteId>> {
    Memo::new(move |_| {
        if !every.get() {
            return vec![ctx.site.get()];
        }
        directory.with(|d| {
            d.sites
                .iter()
                .map(|s| s.id.clone())
                .filter(|s| !ctx.not_enrolled(&inventory_doc(s)))
                .collect()
        })
    })
}

/// The words a file name gives the sites read: the site's id, or "all-sites".
pub fn place(ctx: Ctx, every: RwSignal<bool>) -> String {
    if every.get() {
        "all-sites".to_string()
    } else {
        ctx.site.get().as_str().to_string()
    }
}

/// The choice of this device's site or every site, for a report's `testid`.
#[component]
pub fn SitesChoice(every: RwSignal<bool>, testid: &'static str) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let directory = crate::ui::directory_memo(ctx);
    view! {
        <label>
            "Sites"
            <select data-testid=testid on:change=move |ev| every.set(event_target_value(&ev) == "all")>
                <option value="here" selected=move || !every.get()>
                    {move || directory.with(|d| d.site(&ctx.site.get()).map(|s| s.name.clone()).unwrap_or_default())}
                </option>
                <option value="all" selected=move || every.get()>"All sites"</option>
            </select>
        </label>
    }
}

/// The first day of each month from the one of `first` to the one of `last`.
fn months(first: chrono::NaiveDate, last: chrono::NaiveDate) -> Vec<chrono::NaiveDate> {
    let mut all = Vec::new();
    let mut month = first_of_month(first);
    while month <= last {
        all.push(month);
        match month.checked_add_months(Months::new(1)) {
            Some(next) => month = next,
            None => break,
        }
    }
    all
}

/// The figures of each period over the sites.
pub fn figures(
    ctx: Ctx,
    sites: Memo<Vec<SiteId>>,
    periods: Memo<Vec<Period>>,
) -> Memo<Option<Vec<Figures>>> {
    Memo::new(move |_| {
        let periods = periods.get();
        let (first, last) = (periods.first()?.first, periods.last()?.last);
        let now = ctx.now.get();
        let mut all = Vec::new();
        let mut loading = false;
        for site in sites.get() {
            match ctx.months(&site, first, last) {
                Some(months) => all.extend(months),
                None => loading = true,
            }
        }
        (!loading).then(|| {
            figures_of(
                all.iter().flat_map(|m| m.appointments.iter()),
                &periods,
                now,
            )
        })
    })
}

/// What the sites spent over the periods.
pub fn spend(
    ctx: Ctx,
    sites: Memo<Vec<SiteId>>,
    periods: Memo<Vec<Period>>,
) -> Memo<Option<Vec<Spend>>> {
    Memo::new(move |_| {
        let periods = periods.get();
        let (first, last) = (periods.first()?.first, periods.last()?.last);
        let mut all = Vec::new();
        let mut loading = false;
        for site in sites.get() {
            let inventory = read_inventory(ctx, &site);
            let mut logs = Vec::new();
            for month in months(first, last) {
                match read_movements(ctx, &site, month) {
                    Some(log) => logs.push(log),
                    None => loading = true,
                }
            }
            match inventory {
                Some(inventory) => {
                    let movements = logs.iter().flat_map(|log| log.0.iter());
                    all.extend(spend_of(&site, &inventory, movements));
                }
                None => loading = true,
            }
        }
        (!loading).then_some(all)
    })
}

/// Each site's budget.
pub fn budgets(ctx: Ctx, sites: Memo<Vec<SiteId>>) -> Memo<Option<Vec<(SiteId, Budget)>>> {
    Memo::new(move |_| {
        let mut all = Vec::new();
        let mut loading = false;
        for site in sites.get() {
            match ctx.read(&inventory_doc(&site), Budget::read) {
                Some(Ok(budget)) => all.push((site, budget)),
                Some(Err(e)) => ctx.unreadable("The budget", &e),
                None => loading = true,
            }
        }
        (!loading).then_some(all)
    })
}

/// The shifts of the weeks `period` touches, from the Monday of its first day.
pub fn shifts(ctx: Ctx, sites: &[SiteId], period: &Period) -> Option<Vec<Shift>> {
    shifts_between(ctx, sites, monday(period.first), period.last)
}
