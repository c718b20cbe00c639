//! Import / export for the roster: the staff list and everyone's credentials as
//! spreadsheet (CSV) files, and imports of both that show what each row would do, and what
//! is wrong with which line, before anything is written. A file with broken rows imports
//! nothing unless the person confirms importing only the valid ones. (The week's roster is
//! exported from the week; a person's shifts as a calendar file from their page.)

use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::HtmlInputElement;

use crate::platform::download;
use crate::platform::files::read_text_file;
use crate::ui::Ctx;
use crate::words::sheet;
use model::staff::exchange::{
    apply_credentials, apply_staff, credentials_csv, plan_credentials, plan_staff, staff_csv,
    CredentialAction, CredentialImport, StaffAction, StaffImport,
};
use model::{Directory, DocKind};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Staff,
    Credentials,
}

/// A checked file: each row's line, who it names, and what it does or what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Plan {
    Staff(StaffImport),
    Credentials(CredentialImport),
}

/// One row as shown: line, name, what happens or the problems.
type Shown = (usize, String, Result<&'static str, Vec<String>>);

impl Plan {
    fn valid(&self) -> usize {
        match self {
            Self::Staff(i) => i.valid(),
            Self::Credentials(i) => i.valid(),
        }
    }

    fn broken(&self) -> usize {
        match self {
            Self::Staff(i) => i.broken(),
            Self::Credentials(i) => i.broken(),
        }
    }

    fn summary(&self) -> String {
        match self {
            Self::Staff(i) => i.summary(),
            Self::Credentials(i) => i.summary(),
        }
    }

    fn rows(&self) -> Vec<Shown> {
        match self {
            Self::Staff(i) => shown(i, |a| match a {
                StaffAction::Add(_) => "New",
                StaffAction::Update { .. } => "Changes",
                StaffAction::Same => "Unchanged",
            }),
            Self::Credentials(i) => shown(i, |a| match a {
                CredentialAction::Add(_) => "New",
                CredentialAction::Same => "Already recorded",
            }),
        }
    }
}

/// Each row of a checked file as shown, `what` naming what a valid row does.
fn shown<A>(import: &model::import::Plan<A>, what: impl Fn(&A) -> &'static str) -> Vec<Shown> {
    import
        .rows
        .iter()
        .map(|r| {
            (
                r.line,
                r.name.clone(),
                r.outcome.as_ref().map(&what).map_err(Clone::clone),
            )
        })
        .collect()
}

#[component]
pub fn Exchange(directory: Memo<Directory>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let export_problem = RwSignal::new(None::<String>);
    let export = move |kind: Kind| {
        let today = ctx.now.get_untracked().date();
        let (what, text) = directory.with_untracked(|d| match kind {
            Kind::Staff => ("staff", staff_csv(d)),
            Kind::Credentials => ("credentials", credentials_csv(d)),
        });
        let name = format!("{what}-{}.csv", today.format("%Y-%m-%d"));
        // The byte order mark tells Excel the file is UTF-8.
        let saved = download(&name, "text/csv", &format!("\u{feff}{text}"));
        export_problem.set(
            saved
                .err()
                .map(|e| format!("The file could not be saved: {e}.")),
        );
    };
    let kind = RwSignal::new(Kind::Staff);
    let text = RwSignal::new(String::new());
    let file_name = RwSignal::new(None::<String>);
    let checked = RwSignal::new(None::<(Kind, String)>);
    let problem = RwSignal::new(None::<String>);
    let confirming = RwSignal::new(false);
    let done = RwSignal::new(None::<String>);
    // The plan follows the directory, so that it says what importing would do now.
    let plan = Memo::new(move |_| {
        checked.with(|c| {
            let (kind, text) = c.as_ref()?;
            Some(directory.with(|d| match kind {
                Kind::Staff => plan_staff(text, d).map(Plan::Staff),
                Kind::Credentials => plan_credentials(text, d).map(Plan::Credentials),
            }))
        })
    });
    let forget = move || {
        checked.set(None);
        confirming.set(false);
        problem.set(None);
    };
    let on_file = move |ev: leptos::ev::Event| {
        let input = event_target::<HtmlInputElement>(&ev);
        forget();
        done.set(None);
        spawn_local(async move {
            match read_text_file(&input).await {
                Ok(Some((name, read))) => {
                    file_name.set(Some(name));
                    text.set(read);
                }
                Ok(None) => file_name.set(None),
                Err(why) => {
                    input.set_value("");
                    problem.set(Some(why));
                }
            }
        });
    };
    let check = move |_| {
        done.set(None);
        confirming.set(false);
        let typed = text.get_untracked();
        if typed.trim().is_empty() {
            problem.set(Some(
                "Choose a file, or paste the rows of the spreadsheet, first.".into(),
            ));
            checked.set(None);
            return;
        }
        problem.set(None);
        checked.set(Some((kind.get_untracked(), typed)));
    };
    let apply = move |only_valid: bool| {
        let Some(Ok(current)) = plan.get_untracked() else {
            return;
        };
        let directory_doc = DocKind::Directory.doc_id();
        let written = match current {
            Plan::Staff(import) => ctx.edit(&directory_doc, "import the staff", |am| {
                apply_staff(am, &import, only_valid)
            }),
            Plan::Credentials(import) => ctx.edit(&directory_doc, "import the credentials", |am| {
                apply_credentials(am, &import, only_valid)
            }),
        };
        if let Some(count) = written {
            checked.set(None);
            confirming.set(false);
            text.set(String::new());
            file_name.set(None);
            done.set(Some(format!("Imported {}.", model::import::rows(count))));
        }
    };
    let kind_choice = move |value: Kind, label: &'static str, testid: &'static str| {
        view! {
            <label class="check">
                <input type="radio" name="roster-import-kind" data-testid=testid
                    prop:checked=move || kind.get() == value
                    on:change=move |_| { kind.set(value); forget(); } />
                <span>{label}</span>
            </label>
        }
    };
    let hint = move || {
        match kind.get() {
        Kind::Staff => "Columns: name (required), role, contact, home_site, sites (separated by ;), employment (full-time, part-time, casual, contractor), weekly_hours. A row with the name of someone on the list changes them; an empty cell keeps what they have. Other rows add people.",
        Kind::Credentials => "Columns: person (a name on the staff list), kind (licence, certification, BLS/CPR, HIPAA, OSHA), title, number, issuer, issued, expires (2026-11-22 or 11/22/2026).",
    }
    };
    let plan_view = move || {
        plan.get().and_then(Result::ok).map(|current| {
            let (valid, broken) = (current.valid(), current.broken());
            let rows = current
                .rows()
                .into_iter()
                .map(|(line, name, outcome)| {
                    let bad = outcome.is_err();
                    let what = match outcome {
                        Ok(what) => what.to_string(),
                        Err(problems) => problems.join(" "),
                    };
                    view! {
                        <tr class={if bad { "bad-row" } else { "" }} data-testid="plan-row">
                            <td>{line}</td><td>{name}</td>
                            <td data-testid="plan-outcome">{what}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <div class="import-plan" data-testid="import-plan">
                    <p data-testid="plan-summary">{current.summary()}</p>
                    <table class="plan-table">
                        <thead><tr><th>"Line"</th><th>"Name"</th><th>"What happens"</th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                    {if broken == 0 && valid > 0 {
                        view! { <button type="button" class="primary" data-testid="import-apply"
                            on:click=move |_| apply(false)>"Import"</button> }.into_any()
                    } else if valid > 0 {
                        view! {
                            <p class="field-error">"Nothing is imported from a file with broken rows. Fix them and check again, or import only the valid rows."</p>
                            <Show when=move || confirming.get()
                                fallback=move || view! {
                                    <button type="button" data-testid="import-valid-only"
                                        on:click=move |_| confirming.set(true)>
                                        {format!("Import only the {valid} valid rows…")}
                                    </button>
                                }>
                                <button type="button" class="primary" data-testid="import-confirm"
                                    on:click=move |_| apply(true)>
                                    {format!("Yes, import {valid} rows and leave the broken ones out")}
                                </button>
                            </Show>
                        }.into_any()
                    } else {
                        view! { <p class="field-error">"No row can be imported."</p> }.into_any()
                    }}
                </div>
            }
        })
    };
    view! {
        <div class="roster-exchange" data-testid="roster-exchange">
            <section class="card">
                <h2>"Export"</h2>
                <div class="actions">
                    <button type="button" data-testid="export-staff" on:click=move |_| export(Kind::Staff)>"Staff list (CSV)"</button>
                    <button type="button" data-testid="export-credentials" on:click=move |_| export(Kind::Credentials)>"Credentials (CSV)"</button>
                </div>
                <p class="hint">"The week's roster is exported from Week; a person's shifts as a calendar file from their page under People."</p>
                <p class="field-error" role="alert">{move || export_problem.get()}</p>
            </section>
            <section class="card">
                <h2>"Import"</h2>
                <fieldset class="import-kind">
                    <legend class="label">"The file holds"</legend>
                    {kind_choice(Kind::Staff, "Staff list", "import-kind-staff")}
                    {kind_choice(Kind::Credentials, "Credentials", "import-kind-credentials")}
                </fieldset>
                <p class="hint">{hint}</p>
                <label class="field">
                    <span class="label">"File"</span>
                    <input type="file" accept=".csv,text/csv" data-testid="roster-import-file" on:change=on_file />
                </label>
                <label class="field">
                    <span class="label">"Or paste the rows, the column names first"</span>
                    <textarea rows="5" spellcheck="false" data-testid="roster-import-text"
                        prop:value=move || text.get()
                        on:input=move |ev| { text.set(event_target_value(&ev)); file_name.set(None); forget(); }></textarea>
                </label>
                <button type="button" class="primary" data-testid="roster-import-check" on:click=check>
                    {move || file_name.get().map_or_else(|| "Check file".to_string(), |n| format!("Check {n}"))}
                </button>
                <p class="field-error" role="alert" data-testid="roster-import-problem">
                    {move || problem.get().or_else(|| plan.get().and_then(Result::err).map(|e| sheet(&e)))}
                </p>
                <p class="saved" role="status" data-testid="roster-import-done">{move || done.get()}</p>
                {plan_view}
            </section>
        </div>
    }
}
