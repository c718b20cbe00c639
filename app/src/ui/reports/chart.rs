//! What every report section is made of: a table of figures, the bar chart drawn from the
//! same figures (SVG, with the table as its text), and the table as a spreadsheet.

use leptos::prelude::*;

use crate::ui::{audit, Ctx};
use model::audit::EventKind;

/// The height of a chart's drawing, and each bar's width, in SVG units.
const CHART_HEIGHT: f64 = 100.0;
const BAR: f64 = 36.0;

/// One bar: what it is for, its value (none: nothing to count), and the words over it.
#[derive(Clone, PartialEq, Debug)]
pub struct Bar {
    pub label: String,
    pub value: Option<i64>,
    pub said: String,
}

/// A table's column headings and rows of text, the first cell of each row naming it.
#[derive(Clone, PartialEq, Debug, Default)]
pub struct Table {
    pub headers: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn csv(&self) -> String {
        model::csv::write(&self.headers, self.rows.iter().cloned())
    }
}

/// One section of a report: a chart and the table it draws, and a file name to download
/// the table as.
#[derive(Clone, PartialEq, Debug)]
pub struct Section {
    pub title: String,
    pub testid: &'static str,
    pub bars: Vec<Bar>,
    /// The value at the top of the chart (100 for percentages); `None` scales to the
    /// largest bar.
    pub top: Option<i64>,
    pub table: Table,
    pub file: String,
}

/// A section's chart, its table and its download.
#[component]
pub fn ReportSection(section: Section) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let Section {
        title,
        testid,
        bars,
        top,
        table,
        file,
    } = section;
    let csv = table.csv();
    let what = title.clone();
    let download = move |_| match crate::platform::download(&file, "text/csv", &csv) {
        Ok(()) => audit::note(ctx, EventKind::Export, format!("{what}: {file}")),
        Err(e) => ctx.report(format!("Could not export: {e}")),
    };
    view! {
        <section class="report-section" data-testid=testid>
            <BarChart title=title.clone() bars=bars top=top />
            <FigureTable title=title.clone() table=table />
            <button type="button" class="export" on:click=download>
                {format!("Download “{title}” as a spreadsheet")}
            </button>
        </section>
    }
}

/// Bars with their label under each; a bar with nothing to count has no height and says
/// so. Values past the top are drawn to the top.
#[component]
pub fn BarChart(title: String, bars: Vec<Bar>, top: Option<i64>) -> impl IntoView {
    let top = top
        .or_else(|| bars.iter().filter_map(|b| b.value).max())
        .filter(|&t| t > 0)
        .unwrap_or(1) as f64;
    let width = (BAR * 1.25 * bars.len() as f64).max(BAR * 1.25);
    let drawn = bars
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let x = BAR * 1.25 * i as f64;
            let height = (b.value.unwrap_or(0).max(0) as f64 * CHART_HEIGHT / top).min(CHART_HEIGHT);
            view! {
                <g>
                    <rect x=x y=CHART_HEIGHT - height width=BAR height=height class="bar"
                        data-label=b.label.clone() data-value=b.value.map(|v| v.to_string()).unwrap_or_default() />
                    <text x=x + BAR / 2.0 y=CHART_HEIGHT - height - 3.0 text-anchor="middle" class="bar-value">{b.said.clone()}</text>
                    <text x=x + BAR / 2.0 y=CHART_HEIGHT + 14.0 text-anchor="middle" class="bar-label">{short(&b.label)}</text>
                </g>
            }
        })
        .collect_view();
    let empty = bars.is_empty();
    view! {
        <figure class="chart">
            <figcaption>{title.clone()}</figcaption>
            {empty.then(|| view! { <p class="empty">"Nothing to show for this period."</p> })}
            <svg viewBox=format!("0 -14 {width} {}", CHART_HEIGHT + 32.0) role="img"
                aria-label=format!("{title}: the table below has the figures")>
                {drawn}
            </svg>
        </figure>
    }
}

/// A label short enough to sit under a bar: the first word of a name of several.
fn short(label: &str) -> String {
    if label.chars().count() <= 8 {
        return label.to_string();
    }
    let first: String = label.chars().take(7).collect();
    format!("{first}…")
}

/// The figures a chart draws, to read or copy.
#[component]
pub fn FigureTable(title: String, table: Table) -> impl IntoView {
    let Table { headers, rows } = table;
    view! {
        <div class="table-scroll" role="region" tabindex="0" aria-label=format!("{title}: the figures")>
            <table class="takings-table" data-testid="report-table">
                <thead><tr>
                    {headers.iter().map(|h| view! { <th scope="col">{*h}</th> }).collect_view()}
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|row| {
                        let mut cells = row.into_iter();
                        let first = cells.next().unwrap_or_default();
                        view! {
                            <tr data-testid="report-row">
                                <th scope="row">{first}</th>
                                {cells.map(|c| view! { <td>{c}</td> }).collect_view()}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
