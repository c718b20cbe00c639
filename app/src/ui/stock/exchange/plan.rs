//! What a checked file would do: its summary, the rows in error first, then the rows to
//! import, and the buttons that import it.

use leptos::prelude::*;

use super::Plan;
use model::import::rows;
use model::inventory::exchange::{ItemAction, LevelAction, LevelRow, LevelScope};

/// Rows listed at most of each kind; a longer file says how many more there are.
const SHOWN: usize = 200;

/// One sentence per row in error ("line 4: …") and one per row to import.
fn lines(plan: &Plan) -> (Vec<String>, Vec<String>) {
    let mut errors = Vec::new();
    let mut valid = Vec::new();
    let mut error = |line: usize, sentences: &[String]| {
        errors.push(format!("line {line}: {}", sentences.join(" ")));
    };
    match plan {
        Plan::Items(import) => {
            for row in &import.rows {
                match &row.outcome {
                    Err(sentences) => error(row.line, sentences),
                    Ok(ItemAction::Add(_)) => valid.push(format!("add {}", row.name)),
                    Ok(ItemAction::Update(..)) if row.changes().is_empty() => {
                        valid.push(format!("update {}: no change", row.name));
                    }
                    Ok(ItemAction::Update(..)) => {
                        valid.push(format!("update {}: {}", row.name, row.changes().join(", ")));
                    }
                }
            }
        }
        Plan::Levels(import) => {
            for row in &import.rows {
                match &row.outcome {
                    Err(sentences) => error(row.line, sentences),
                    Ok(action) => valid.push(level(row, action)),
                }
            }
        }
    }
    (errors, valid)
}

/// "adjust Gloves, lot L-7: 12 → 10 (−2)" or "no change: Gloves (12)".
fn level(row: &LevelRow, action: &LevelAction) -> String {
    let what = match &action.scope {
        LevelScope::Total => row.name.clone(),
        LevelScope::Lot(number) => format!("{}, lot {number}", row.name),
        LevelScope::NotInLot => format!("{}, not in a lot", row.name),
    };
    match action.difference() {
        0 => format!("no change: {what} ({})", action.counted),
        d => format!(
            "adjust {what}: {} → {} ({}{})",
            action.current,
            action.counted,
            if d > 0 { "+" } else { "−" },
            d.abs()
        ),
    }
}

/// A list of at most [`SHOWN`] rows, then how many more.
fn listed(
    all: Vec<String>,
    class: &'static str,
    row_class: &'static str,
    testid: &'static str,
) -> impl IntoView {
    let more = all.len().saturating_sub(SHOWN);
    let shown: Vec<String> = all.into_iter().take(SHOWN).collect();
    view! {
        <ul class=format!("ops-rows {class}")>
            {shown.into_iter().map(|text| view! { <li class=row_class data-testid=testid>{text}</li> }).collect_view()}
            {(more > 0).then(|| view! { <li class="ops-row ops-meta">{format!("and {} more", rows(more))}</li> })}
        </ul>
    }
}

/// The plan of a checked file and its import buttons.
#[component]
pub(super) fn PlanView(
    /// The checked file, as it would import now.
    plan: Plan,
    /// Whether an import is under way.
    busy: RwSignal<bool>,
    /// Whether the person asked to import only the valid rows and must now confirm.
    confirming: RwSignal<bool>,
    /// Imports: `true` for the valid rows only.
    on_apply: Callback<bool>,
) -> impl IntoView {
    let (valid, errors) = (plan.valid(), plan.errors());
    let summary = match &plan {
        Plan::Items(import) => import.summary(),
        Plan::Levels(import) => import.summary(),
    };
    let (error_lines, valid_lines) = lines(&plan);
    view! {
        <div class="import-plan" data-testid="import-plan">
            <p class="import-summary" role="status" data-testid="import-summary">{summary}"."</p>
            {(!error_lines.is_empty()).then(|| view! {
                <h3 class="ops-subhead">"Rows with errors"</h3>
                {listed(error_lines, "import-errors", "ops-row discrepancy", "import-error-row")}
            })}
            {(!valid_lines.is_empty()).then(|| view! {
                <h3 class="ops-subhead">"Rows to import"</h3>
                {listed(valid_lines, "import-valid", "ops-row", "import-row")}
            })}
            <div class="ops-actions">
                <button type="button" class="primary" data-testid="import-apply"
                    prop:disabled=move || { errors > 0 || valid == 0 || busy.get() }
                    on:click=move |_| on_apply.run(false)>
                    {format!("Import {}", rows(valid))}
                </button>
                {(errors > 0 && valid > 0).then(|| view! {
                    <Show when=move || !confirming.get()>
                        <button type="button" data-testid="import-valid-only"
                            prop:disabled=move || busy.get()
                            on:click=move |_| confirming.set(true)>
                            {format!("Import only the {valid} valid {}", if valid == 1 { "row" } else { "rows" })}
                        </button>
                    </Show>
                })}
            </div>
            <Show when=move || confirming.get()>
                <div class="ops-confirm" role="alert">
                    <span>{format!("The {} with errors will be left out.", rows(errors))}</span>
                    <button type="button" class="primary" data-testid="import-confirm"
                        prop:disabled=move || busy.get()
                        on:click=move |_| on_apply.run(true)>
                        {format!("Yes, import {}", rows(valid))}
                    </button>
                    <button type="button" data-testid="import-confirm-cancel"
                        on:click=move |_| confirming.set(false)>"Cancel"</button>
                </div>
            </Show>
        </div>
    }
}
