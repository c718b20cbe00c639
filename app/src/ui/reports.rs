//! Reports for the manager, computed on this device from the documents ([`model::report`],
//! [`model::budget`]): the last eight weeks or twelve months of one site or of every site
//! this device may read, as bar charts of the rates, the wait and the supply spend with
//! their figures in the table below; then one period in detail ([`breakdown`]). Every
//! chart is SVG drawn here with its figures as a table, and every table downloads as a
//! spreadsheet.

mod breakdown;
pub mod chart;
pub mod load;

use leptos::prelude::*;

use crate::ui::{audit, currency_memo, directory_memo, today_memo, Ctx};
use chart::{Bar, BarChart, ReportSection};
use model::audit::EventKind;
use model::budget::{spent_in, Spend};
use model::money::Currency;
use model::report::{csv, hours, utilisation, Figures, Period, Span};

/// How many periods the charts show.
fn count(span: Span) -> u32 {
    match span {
        Span::Week => 8,
        Span::Month => 12,
    }
}

#[component]
pub fn Reports() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let directory = directory_memo(ctx);
    let currency = currency_memo(ctx);
    let span = RwSignal::new(Span::Week);
    let every_site = RwSignal::new(false);
    // The period shown in detail, by its place among the periods; `None`: the last one
    // wholly past.
    let focus = RwSignal::new(None::<usize>);
    let sites = load::sites(ctx, directory, every_site);
    // A week's overtime counts the hours worked at every site.
    let readable = load::sites(ctx, directory, RwSignal::new(true));
    let today = today_memo(ctx);
    let periods = Memo::new(move |_| Period::last(span.get(), today.get(), count(span.get())));
    let figures = load::figures(ctx, sites, periods);
    let spend = load::spend(ctx, sites, periods);
    let budgets = load::budgets(ctx, sites);
    let focused = Memo::new(move |_| {
        let list = periods.get();
        let at = focus.get().unwrap_or(list.len().saturating_sub(2));
        list.get(at).copied()
    });
    let place = move || load::place(ctx, every_site);
    let download = move |_| {
        let Some(list) = figures.get_untracked() else {
            return;
        };
        let file = format!(
            "{}ly-figures-{}-{}.csv",
            span.get_untracked().code(),
            place(),
            ctx.now.get_untracked().date()
        );
        let sheet =
            spend.with_untracked(|spent| csv(&list, spent.as_deref(), currency.get_untracked()));
        match crate::platform::download(&file, "text/csv", &sheet) {
            Ok(()) => audit::note(ctx, EventKind::Export, format!("Report figures: {file}")),
            Err(e) => ctx.report(format!("Could not export: {e}")),
        }
    };
    // The period in detail's figures alone: a past period's stay the same while the
    // current one's change by the minute, so its sections are not drawn again.
    let focused_figures = Memo::new(move |_| {
        let period = focused.get()?;
        figures.with(|list| list.as_ref()?.iter().find(|f| f.period == period).cloned())
    });
    let detail = move || {
        let f = focused_figures.get()?;
        let period = f.period;
        let d = directory.get();
        let place = place();
        let mut sections = vec![
            breakdown::utilisation(&utilisation(&f, &d, &sites.get()), &period, &place),
            breakdown::types(&f, &d, &place),
        ];
        if let Some(shifts) = load::shifts(ctx, &readable.get(), &period) {
            let list = hours(&shifts, &d, &period, &sites.get());
            sections.push(breakdown::hours(&list, &period, &place));
        }
        if let (Some(spent), Some(budgets)) = (spend.get(), budgets.get()) {
            sections.push(breakdown::spend(
                &spent,
                &budgets,
                &period,
                &place,
                currency.get(),
            ));
        }
        Some(
            sections
                .into_iter()
                .map(|section| view! { <ReportSection section=section /> })
                .collect_view(),
        )
    };
    view! {
        <section class="reports card" data-testid="reports">
            <h2>"Reports"</h2>
            <div class="report-controls">
                <fieldset class="segmented">
                    <legend>"Periods"</legend>
                    {[(Span::Week, "Weeks"), (Span::Month, "Months")].map(|(s, words)| view! {
                        <label>
                            <input type="radio" name="report-span" value=s.code()
                                prop:checked=move || span.get() == s
                                on:change=move |_| { span.set(s); focus.set(None); } />
                            {words}
                        </label>
                    })}
                </fieldset>
                <load::SitesChoice every=every_site testid="report-sites" />
            </div>
            <h3>{move || match span.get() {
                Span::Week => "The last eight weeks",
                Span::Month => "The last twelve months",
            }}</h3>
            {move || match (figures.get(), spend.get()) {
                (Some(list), spent) => view! {
                    <Trends figures=list.clone() spend=spent.clone() currency=currency.get() />
                    <FiguresTable figures=list spend=spent currency=currency.get() />
                }.into_any(),
                (None, _) => view! { <p class="empty">"Loading the appointments…"</p> }.into_any(),
            }}
            <button type="button" data-testid="export-report" on:click=download
                disabled=move || figures.with(Option::is_none) || spend.with(Option::is_none)>"Download the figures as a spreadsheet"</button>
            <h3>"One period in detail"</h3>
            <label>
                "Period"
                <select data-testid="report-focus" on:change=move |ev| {
                    focus.set(event_target_value(&ev).parse().ok());
                }>
                    {move || periods.get().into_iter().enumerate().map(|(i, p)| view! {
                        <option value=i.to_string() selected=move || focused.get() == Some(p)>{p.label()}</option>
                    }).collect_view()}
                </select>
            </label>
            <Show when=move || !every_site.get()>
                <p class="hint">"A provider who works at several sites is set against every hour they keep: choose All sites to see their whole week."</p>
            </Show>
            {detail}
        </section>
    }
}

/// What a period spent on supplies; `None` while the stock logs load.
fn spent(period: &Period, spend: Option<&[Spend]>) -> Option<i64> {
    Some(spent_in(spend?, period))
}

/// The rates, the median wait and the supply spend, a chart each, a bar a period.
#[component]
fn Trends(figures: Vec<Figures>, spend: Option<Vec<Spend>>, currency: Currency) -> impl IntoView {
    let bars = |value: &dyn Fn(&Figures) -> Option<i64>, said: &dyn Fn(i64) -> String| {
        figures
            .iter()
            .map(|f| {
                let v = value(f);
                Bar {
                    label: f.period.label(),
                    value: v,
                    said: v.map_or_else(|| "none".to_string(), said),
                }
            })
            .collect::<Vec<_>>()
    };
    let percent = |v: i64| format!("{v}%");
    let rate = |r: fn(&Figures) -> Option<u32>| move |f: &Figures| r(f).map(i64::from);
    let spending: Vec<Bar> = bars(&|f| spent(&f.period, spend.as_deref()), &|v| {
        currency.round_amount(v)
    });
    view! {
        <div class="charts">
            <div data-testid="chart-no-show">
                <BarChart title="No-shows, % of those due".into() bars=bars(&rate(Figures::no_show_rate), &percent) top=Some(100) />
            </div>
            <div data-testid="chart-late-cancel">
                <BarChart title="Late cancels, % of those booked".into() bars=bars(&rate(Figures::late_cancel_rate), &percent) top=Some(100) />
            </div>
            <div data-testid="chart-confirmed">
                <BarChart title="Confirmed, % of those due".into() bars=bars(&rate(Figures::confirmation_rate), &percent) top=Some(100) />
            </div>
            <div data-testid="chart-wait">
                <BarChart title="Wait to the room, median minutes".into() bars=bars(&Figures::median_wait, &|v| format!("{v} min")) top=None />
            </div>
            {spend.is_some().then(|| view! {
                <div data-testid="chart-spend">
                    <BarChart title="Supply spend".into() bars=spending top=None />
                </div>
            })}
        </div>
    }
}

/// Every figure of every period: what the charts draw, to read or copy.
#[component]
fn FiguresTable(
    figures: Vec<Figures>,
    spend: Option<Vec<Spend>>,
    currency: Currency,
) -> impl IntoView {
    let rate = breakdown::percent_text;
    let minutes = |v: Option<i64>| v.map_or_else(|| "–".to_string(), |v| format!("{v} min"));
    view! {
        <div class="table-scroll" role="region" tabindex="0" aria-label="Each period's figures">
            <table class="takings-table" data-testid="report-table">
                <thead><tr>
                    <th scope="col">"From"</th>
                    <th scope="col">"Booked"</th>
                    <th scope="col">"Due"</th>
                    <th scope="col">"No-shows"</th>
                    <th scope="col">"Late cancels"</th>
                    <th scope="col">"Confirmed"</th>
                    <th scope="col">"Wait to room, median"</th>
                    <th scope="col">"Wait to room, 90th percentile"</th>
                    <th scope="col">"In the room, median"</th>
                    <th scope="col">"In the room, 90th percentile"</th>
                    <th scope="col">"Supply spend"</th>
                </tr></thead>
                <tbody>
                    {figures.iter().map(|f| view! {
                        <tr data-testid="report-period">
                            <th scope="row">{f.period.label()}</th>
                            <td>{f.booked}</td>
                            <td>{f.came_due}</td>
                            <td>{format!("{} ({})", f.no_shows, rate(f.no_show_rate()))}</td>
                            <td>{format!("{} ({})", f.late_cancels, rate(f.late_cancel_rate()))}</td>
                            <td>{rate(f.confirmation_rate())}</td>
                            <td>{minutes(f.median_wait())}</td>
                            <td>{minutes(f.p90_wait())}</td>
                            <td>{minutes(f.median_in_room())}</td>
                            <td>{minutes(f.p90_in_room())}</td>
                            <td>{spent(&f.period, spend.as_deref()).map_or_else(|| "…".to_string(), |c| currency.amount(c))}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
