//! Import / export: the site's items and stock levels as spreadsheet (CSV) files, and
//! imports of both that show what every row would do, and what is wrong with which line,
//! before anything is written.

mod plan;

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::HtmlInputElement;

use crate::platform::files::read_text_file;
use crate::platform::{download, local_now};
use crate::ui::stock::{edit_inventory, post};
use crate::ui::{directory_memo, Ctx};
use crate::words::sheet;
use model::import::rows;
use model::inventory::exchange::{
    apply_items, apply_levels, items_csv, plan_items, plan_levels, stock_csv, ItemImport,
    LevelImport,
};
use model::inventory::Inventory;
use model::DocumentError;

/// Which kind of file an import reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Items,
    Levels,
}

/// A checked file: what importing it would do.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Plan {
    Items(ItemImport),
    Levels(LevelImport),
}

impl Plan {
    fn valid(&self) -> usize {
        match self {
            Self::Items(import) => import.valid(),
            Self::Levels(import) => import.valid(),
        }
    }

    fn errors(&self) -> usize {
        match self {
            Self::Items(import) => import.broken(),
            Self::Levels(import) => import.broken(),
        }
    }
}

/// The export buttons and the import of a file, for the site in view.
#[component]
pub fn Exchange(
    /// The site in view's supplies; follows changes.
    inventory: Memo<Arc<Inventory>>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let directory = directory_memo(ctx);
    let export_problem = RwSignal::new(None::<String>);
    let export = move |kind: Kind| {
        let site = ctx.site.get_untracked();
        let today = ctx.now.get_untracked().date();
        let (what, text) = inventory.with_untracked(|inventory| match kind {
            Kind::Items => ("supplies", items_csv(inventory)),
            Kind::Levels => ("stock", stock_csv(inventory, today)),
        });
        let name = format!("{what}-{}-{}.csv", site.as_str(), today.format("%Y-%m-%d"));
        // The byte order mark tells Excel the file is UTF-8, so that "é" stays "é".
        let saved = download(&name, "text/csv", &format!("\u{feff}{text}"));
        export_problem.set(
            saved
                .err()
                .map(|e| format!("The file could not be saved: {e}.")),
        );
    };

    let kind = RwSignal::new(Kind::Items);
    let pasted = RwSignal::new(String::new());
    // The chosen file's name and text, read when it is chosen.
    let file = RwSignal::new(None::<(String, String)>);
    let file_input = NodeRef::<leptos::html::Input>::new();
    // What was last checked; the plan follows the inventory, so that what it says is
    // what importing would do now.
    let checked = RwSignal::new(None::<(Kind, String)>);
    let problem = RwSignal::new(None::<String>);
    let confirming = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let done = RwSignal::new(None::<String>);
    let plan = Memo::new(move |_| {
        checked.with(|checked| {
            let (kind, text) = checked.as_ref()?;
            Some(inventory.with(|inventory| match kind {
                Kind::Items => plan_items(text, inventory).map(Plan::Items),
                Kind::Levels => plan_levels(text, inventory).map(Plan::Levels),
            }))
        })
    });
    let forget_plan = move || {
        checked.set(None);
        confirming.set(false);
        problem.set(None);
    };

    let choose_kind = move |chosen: Kind| {
        kind.set(chosen);
        forget_plan();
    };
    let on_file = move |ev: leptos::ev::Event| {
        let input = event_target::<HtmlInputElement>(&ev);
        forget_plan();
        done.set(None);
        file.set(None);
        spawn_local(async move {
            match read_text_file(&input).await {
                Ok(chosen) => {
                    if chosen.is_some() {
                        pasted.set(String::new());
                    }
                    file.set(chosen);
                }
                Err(why) => {
                    input.set_value("");
                    problem.set(Some(why));
                }
            }
        });
    };
    let on_paste = move |ev: leptos::ev::Event| {
        pasted.set(event_target_value(&ev));
        // What was typed last is what is checked.
        if file.get_untracked().is_some() {
            file.set(None);
            if let Some(input) = file_input.get_untracked() {
                input.set_value("");
            }
        }
        forget_plan();
    };
    let check = move |_| {
        done.set(None);
        confirming.set(false);
        let text = match file.get_untracked() {
            Some((_, text)) => text,
            None => pasted.get_untracked(),
        };
        if text.trim().is_empty() {
            let why = match file.get_untracked() {
                Some((name, _)) => format!("{name} is empty."),
                None => "Choose a file, or paste the rows of the spreadsheet, first.".into(),
            };
            checked.set(None);
            problem.set(Some(why));
            return;
        }
        problem.set(None);
        checked.set(Some((kind.get_untracked(), text)));
    };
    let finished = move |imported: usize, note: String| {
        busy.set(false);
        checked.set(None);
        confirming.set(false);
        pasted.set(String::new());
        file.set(None);
        if let Some(input) = file_input.get_untracked() {
            input.set_value("");
        }
        done.set(Some(format!("Imported {}.{note}", rows(imported))));
    };
    let apply = move |only_valid: bool| {
        let Some(Ok(current)) = plan.get_untracked() else {
            return;
        };
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        confirming.set(false);
        let site = ctx.site.get_untracked();
        // A refusal is reported by the frame; the buttons come back so that the person can
        // check the file again.
        let failed = move |_: &DocumentError| busy.set(false);
        match current {
            Plan::Items(import) => edit_inventory(
                ctx,
                &site,
                "import the items",
                move |doc| apply_items(doc, &import, only_valid).inspect_err(failed),
                move |written| finished(written, String::new()),
            ),
            Plan::Levels(import) => {
                let who = ctx.who(&directory.get_untracked());
                let taken = import.valid();
                post(
                    ctx,
                    &site,
                    "import the stock levels",
                    move |inventory, log| {
                        apply_levels(inventory, log, &import, only_valid, local_now(), &who)
                            .inspect_err(failed)
                    },
                    move |adjusted| {
                        let note = match adjusted {
                            0 => " Every count matched the stock on record.".to_string(),
                            1 => " 1 stock level was adjusted.".to_string(),
                            n => format!(" {n} stock levels were adjusted."),
                        };
                        finished(taken, note)
                    },
                );
            }
        }
    };

    let kind_choice = move |value: Kind, label: &'static str, testid: &'static str| {
        view! {
            <label class="check">
                <input type="radio" name="import-kind" data-testid=testid
                    prop:checked=move || kind.get() == value
                    on:change=move |_| choose_kind(value) />
                <span>{label}</span>
            </label>
        }
    };
    let hint = move || {
        match kind.get() {
        Kind::Items => "Columns: name (required), category, unit, pack_size, sku, barcode, location, supplier, unit_cost, par, reorder_point, reorder_qty, lot_tracked (yes/no). A row with the SKU of an item here (or, without an SKU, its name) changes that item; a column the file does not have keeps what the item has. Other rows add items.",
        Kind::Levels => "Columns: sku (or barcode or name), on_hand (or count), and lot for stock counted by lot. Each count that differs from the stock on record is posted as an adjustment; what was used meanwhile still counts. A row without a lot is the item's total, or, beside rows of its lots, the stock not in any lot.",
    }
    };

    view! {
        <div class="stock-ops exchange" data-testid="exchange-page">
            <section class="card ops-section exchange-export">
                <h2>"Export"</h2>
                <p class="hint">"A spreadsheet (CSV) of this site's supplies, for Excel, Numbers or LibreOffice."</p>
                <div class="ops-actions">
                    <button type="button" data-testid="export-items"
                        on:click=move |_| export(Kind::Items)>"Items (CSV)"</button>
                    <button type="button" data-testid="export-stock"
                        on:click=move |_| export(Kind::Levels)>"Stock levels (CSV)"</button>
                </div>
                <p class="field-error" role="alert" data-testid="export-problem">{move || export_problem.get()}</p>
            </section>
            <section class="card ops-section exchange-import">
                <h2>"Import"</h2>
                <fieldset class="import-kind">
                    <legend class="label">"The file holds"</legend>
                    {kind_choice(Kind::Items, "Items", "import-kind-items")}
                    {kind_choice(Kind::Levels, "Stock levels (counted)", "import-kind-levels")}
                </fieldset>
                <p class="hint" data-testid="import-hint">{hint}</p>
                <label class="field">
                    <span class="label">"File"</span>
                    <input type="file" accept=".csv,text/csv" data-testid="import-file"
                        node_ref=file_input on:change=on_file />
                </label>
                <label class="field">
                    <span class="label">"Or paste the rows, the column names first"</span>
                    <textarea rows="5" data-testid="import-text" spellcheck="false"
                        prop:value=move || pasted.get() on:input=on_paste></textarea>
                </label>
                <div class="ops-actions">
                    <button type="button" class="primary" data-testid="import-check"
                        prop:disabled=move || busy.get() on:click=check>
                        {move || match file.get() {
                            Some((name, _)) => format!("Check {name}"),
                            None => "Check file".to_string(),
                        }}
                    </button>
                </div>
                <p class="field-error" role="alert" data-testid="import-problem">
                    {move || problem.get().or_else(|| plan.get().and_then(Result::err).map(|e| sheet(&e)))}
                </p>
                <p class="ops-done" role="status" data-testid="import-done">{move || done.get()}</p>
                {move || plan.get().and_then(Result::ok).map(|current| {
                    view! {
                        <plan::PlanView plan=current busy=busy confirming=confirming
                            on_apply=Callback::new(apply) />
                    }
                })}
            </section>
        </div>
    }
}
