//! Reports for the manager: the site's last eight weeks from its month documents, read on
//! this device ([`model::report`]): bar charts of the no-show, late-cancel and
//! confirmation rates, each drawn as SVG with its figures in the table below, and the
//! table as a spreadsheet.

use leptos::prelude::*;

use crate::ui::{audit, Ctx};
use model::audit::EventKind;
use model::report::{csv, weekly, Figures, Week};

/// How many weeks a report covers.
const WEEKS: u32 = 8;

/// The height of a chart's drawing, and each bar's width, in SVG units.
const CHART_HEIGHT: f64 = 100.0;
const BAR: f64 = 36.0;

#[component]
pub fn Reports() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let figures = Memo::new(move |_| -> Option<Vec<Figures>> {
        let (site, now) = (ctx.site.get(), ctx.now.get());
        let weeks = Week::last(now.date(), WEEKS);
        let (first, last) = (weeks.first()?.monday, weeks.last()?.sunday());
        // Every month the weeks touch, the rest of this week's included, loaded at once.
        let months = ctx.months(&site, first, last)?;
        let all = months.iter().flat_map(|m| m.appointments.iter());
        Some(weekly(all, &weeks, now))
    });
    let download = move |_| {
        let Some(list) = figures.get_untracked() else {
            return;
        };
        let site = ctx.site.get_untracked();
        let file = format!(
            "weekly-figures-{}-{}.csv",
            site.as_str(),
            ctx.now.get_untracked().date()
        );
        match crate::platform::download(&file, "text/csv", &csv(&list)) {
            Ok(()) => audit::note(ctx, EventKind::Export, format!("Weekly figures: {file}")),
            Err(e) => ctx.report(format!("Could not export: {e}")),
        }
    };
    view! {
        <section class="reports card" data-testid="reports">
            <h2>"The last eight weeks"</h2>
            {move || match figures.get() {
                None => view! { <p class="empty">"Loading the weeks' appointments…"</p> }.into_any(),
                Some(list) => view! {
                    <div class="charts">
                        <Chart title="No-shows, % of those due" testid="chart-no-show" figures=list.clone() value=Figures::no_show_rate />
                        <Chart title="Late cancels, % of those booked" testid="chart-late-cancel" figures=list.clone() value=Figures::late_cancel_rate />
                        <Chart title="Confirmed, % of those due" testid="chart-confirmed" figures=list.clone() value=Figures::confirmation_rate />
                    </div>
                    <FiguresTable figures=list />
                }.into_any(),
            }}
            <button type="button" data-testid="export-report" on:click=download
                disabled=move || figures.with(Option::is_none)>"Download as a spreadsheet"</button>
        </section>
    }
}

/// One rate by week as bars, with the week under each; a week with nothing to count has
/// no bar and says so.
#[component]
fn Chart(
    title: &'static str,
    testid: &'static str,
    figures: Vec<Figures>,
    value: fn(&Figures) -> Option<u32>,
) -> impl IntoView {
    let width = BAR * 1.25 * figures.len() as f64;
    let bars = figures
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let x = BAR * 1.25 * i as f64;
            let v = value(f);
            let height = f64::from(v.unwrap_or(0)) * CHART_HEIGHT / 100.0;
            let said = v.map_or_else(|| "none".to_string(), |v| format!("{v}%"));
            view! {
                <g>
                    <rect x=x y=CHART_HEIGHT - height width=BAR height=height class="bar"
                        data-week=f.week.label() data-value=v.map(|v| v.to_string()).unwrap_or_default() />
                    <text x=x + BAR / 2.0 y=CHART_HEIGHT - height - 3.0 text-anchor="middle" class="bar-value">{said}</text>
                    <text x=x + BAR / 2.0 y=CHART_HEIGHT + 14.0 text-anchor="middle" class="bar-label">{f.week.label()}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <figure class="chart" data-testid=testid>
            <figcaption>{title}</figcaption>
            <svg viewBox=format!("0 -14 {width} {}", CHART_HEIGHT + 32.0) role="img"
                aria-label=format!("{title}, by week: the table below has the figures")>
                {bars}
            </svg>
        </figure>
    }
}

/// Every figure of every week: what the charts draw, to read or copy.
#[component]
fn FiguresTable(figures: Vec<Figures>) -> impl IntoView {
    let rate = |v: Option<u32>| v.map_or_else(|| "–".to_string(), |v| format!("{v}%"));
    let minutes = |v: Option<i64>| v.map_or_else(|| "–".to_string(), |v| format!("{v} min"));
    view! {
        <div class="table-scroll" role="region" tabindex="0" aria-label="The weeks' figures">
            <table class="takings-table" data-testid="report-table">
                <thead><tr>
                    <th scope="col">"Week of"</th>
                    <th scope="col">"Booked"</th>
                    <th scope="col">"Due"</th>
                    <th scope="col">"No-shows"</th>
                    <th scope="col">"Late cancels"</th>
                    <th scope="col">"Confirmed"</th>
                    <th scope="col">"Wait to room, median"</th>
                    <th scope="col">"90th percentile"</th>
                </tr></thead>
                <tbody>
                    {figures.iter().map(|f| view! {
                        <tr data-testid="report-week">
                            <th scope="row">{f.week.label()}</th>
                            <td>{f.booked}</td>
                            <td>{f.came_due}</td>
                            <td>{format!("{} ({})", f.no_shows, rate(f.no_show_rate()))}</td>
                            <td>{format!("{} ({})", f.late_cancels, rate(f.late_cancel_rate()))}</td>
                            <td>{rate(f.confirmation_rate())}</td>
                            <td>{minutes(f.median_wait())}</td>
                            <td>{minutes(f.p90_wait())}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
