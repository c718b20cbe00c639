//! Complaints and incidents, for the site's managers: the log with what is overdue first,
//! a form for a new report, and on each report its response and outcome and one touch to
//! a follow-up card on the site's task board ([`model::incident`]). Confidential: only
//! a manager's navigation offers it. Printable.

mod injury;

use leptos::prelude::*;

use crate::platform::{local_now, print};
use crate::ui::settings::controls::SelectField;
use crate::ui::settings::fields::{Field, TextField};
use crate::ui::tasks::{open_linked, tasks_place};
use crate::ui::{audit, directory_memo, Ctx};
use model::audit::EventKind;
use model::incident::{
    check_response, follow_up, put_incident, read_all, respond, Incident, IncidentForm, Kind,
    Severity, Stage, RESPOND_WITHIN_DAYS,
};
use model::{Directory, DocKind};

#[component]
pub fn Incidents() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let directory = directory_memo(ctx);
    let doc = Memo::new(move |_| {
        DocKind::Incidents {
            site: ctx.site.get(),
        }
        .doc_id()
    });
    let log = Memo::new(move |_| -> Option<Vec<Incident>> {
        match ctx.read(&doc.get(), read_all)? {
            Ok((list, unreadable)) => {
                if unreadable > 0 {
                    ctx.report(format!(
                        "{unreadable} reports of the log could not be read."
                    ));
                }
                Some(list)
            }
            Err(e) => {
                ctx.unreadable("The log of complaints and incidents", &e);
                Some(Vec::new())
            }
        }
    });
    let site_name = move || {
        let site = ctx.site.get();
        directory.with(|d| d.site(&site).map(|s| s.name.clone()).unwrap_or_default())
    };
    let overdue = move || {
        let today = ctx.now.get().date();
        log.with(|l| {
            l.as_ref()
                .map_or(0, |l| l.iter().filter(|i| i.overdue(today)).count())
        })
    };
    view! {
        <section class="incidents card" data-testid="incidents">
            <div class="calls-nav">
                <h2>{move || format!("Complaints and incidents at {}", site_name())}</h2>
                <button type="button" class="no-print" on:click=move |_| {
                    audit::note(ctx, EventKind::Print, "Complaints and incidents".to_string());
                    print()
                }>"Print"</button>
            </div>
            <p class="calls-rate" role="status" data-testid="incidents-overdue">{move || match overdue() {
                0 => "No response is overdue.".to_string(),
                1 => "1 response is overdue.".to_string(),
                n => format!("{n} responses are overdue."),
            }}</p>
            <NewReport directory=directory doc=doc />
            <Show when=move || log.with(Option::is_none)>
                <p class="empty">"Loading the log…"</p>
            </Show>
            <Show when=move || log.with(|l| l.as_ref().is_some_and(Vec::is_empty))>
                <p class="empty">"Nothing reported."</p>
            </Show>
            <ul class="call-list">
                <For each=move || log.get().unwrap_or_default()
                    key=|i| (i.id.clone(), i.stage, i.outcome.clone(), i.severity, i.respond_by, i.summary.clone())
                    let(incident)>
                    <Report incident=incident directory=directory doc=doc />
                </For>
            </ul>
            <injury::InjuryLog log_of=log />
        </section>
    }
}

/// One report: what happened, its facts, its response, and what can be done next.
#[component]
fn Report(
    incident: Incident,
    directory: Memo<Directory>,
    doc: Memo<protocol::DocId>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let tasks = tasks_place();
    let today = ctx.now.get_untracked().date();
    let outcome = Field::new(incident.outcome.clone());
    let answer = {
        let id = incident.id.clone();
        move |stage: Stage| {
            let Some(text) = outcome.check(check_response(&outcome.text(), stage)) else {
                return;
            };
            let id = id.clone();
            ctx.edit(&doc.get_untracked(), "record the response", |am| {
                respond(am, &id, &text, stage)
            });
        }
    };
    let card = {
        let incident = incident.clone();
        move |_| {
            let request = follow_up(&incident, doc.get_untracked().as_str(), local_now());
            let site = ctx.site.get_untracked();
            open_linked(ctx, tasks, &site, request, &directory.get_untracked());
        }
    };
    let respond_by = incident.respond_by.map(|by| {
        let late = incident.overdue(today);
        view! {
            <span class:call-flag=late data-testid="incident-due">
                {format!(" · respond by {}{}", by.format("%a %-d %b"), if late { " · overdue" } else { "" })}
            </span>
        }
    });
    let facts = format!(
        "{} · {} · happened {} · taken by {}{}",
        incident.kind.label(),
        incident.severity.label(),
        incident.happened.format("%a %-d %b %Y"),
        incident.taken_by,
        if incident.category.is_empty() {
            String::new()
        } else {
            format!(" · {}", incident.category)
        },
    );
    let stage = incident.stage;
    let (done_label, close_label) = ("Responded", "Closed");
    let injury = (incident.kind == Kind::Injury)
        .then(|| view! { <injury::InjuryDetails incident=incident.clone() doc=doc /> });
    view! {
        <li class="call incident" data-testid="incident">
            <p class="incident-summary">{incident.summary.clone()}</p>
            <p class="call-number">{facts}{respond_by}" · "<span data-testid="incident-stage">{stage.label()}</span></p>
            <form class="details no-print" on:submit=move |ev| ev.prevent_default()>
                <TextField label="Response and outcome" name="incident-outcome" field=outcome
                    placeholder="What was done, said or promised" />
                <div class="call-outcomes" role="group" aria-label="Where the report stands">
                    <button type="button" data-testid="incident-responded" on:click={
                        let answer = answer.clone();
                        move |_| answer(Stage::Responded)
                    }>{done_label}</button>
                    <button type="button" data-testid="incident-closed" on:click={
                        let answer = answer.clone();
                        move |_| answer(Stage::Closed)
                    }>{close_label}</button>
                    <button type="button" data-testid="incident-card" on:click=card>"Follow-up card"</button>
                </div>
            </form>
            {injury}
        </li>
    }
}

/// A new report: each mistake is named at its field, and nothing is saved until all is right.
#[component]
fn NewReport(directory: Memo<Directory>, doc: Memo<protocol::DocId>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let kind = Field::new("");
    let happened = Field::new(ctx.now.get_untracked().date().to_string());
    let summary = Field::new("");
    let category = Field::new("");
    let severity = Field::new(Severity::Moderate.code());
    let respond_by = Field::new("");
    let kinds = Signal::derive(|| {
        Kind::ALL
            .iter()
            .map(|k| (k.code().to_string(), k.label().to_string()))
            .collect::<Vec<_>>()
    });
    let severities = Signal::derive(|| {
        Severity::ALL
            .iter()
            .map(|s| (s.code().to_string(), s.label().to_string()))
            .collect::<Vec<_>>()
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let fields = [kind, happened, summary, category, severity, respond_by];
        for f in fields {
            f.error.set(None);
        }
        let form = IncidentForm {
            kind: kind.text(),
            happened: happened.text(),
            summary: summary.text(),
            category: category.text(),
            severity: severity.text(),
            respond_by: respond_by.text(),
        };
        let by = ctx.who(&directory.get_untracked()).name().to_string();
        let report = match form.validate(&by, local_now()) {
            Ok(report) => report,
            Err(errors) => {
                for (name, message) in errors {
                    let field = match name {
                        "kind" => kind,
                        "happened" => happened,
                        "summary" => summary,
                        "category" => category,
                        "severity" => severity,
                        _ => respond_by,
                    };
                    if field.error.with_untracked(Option::is_none) {
                        field.error.set(Some(message));
                    }
                }
                return;
            }
        };
        if ctx
            .edit(&doc.get_untracked(), "log the report", |am| {
                put_incident(am, &report)
            })
            .is_some()
        {
            ctx.said(format!("Logged: {}.", report.kind.label().to_lowercase()));
            for f in [summary, category, respond_by] {
                f.value.set(String::new());
            }
        }
    };
    view! {
        <details class="new-report no-print">
            <summary>"Log a complaint or incident"</summary>
            <form class="details" on:submit=submit>
                <SelectField label="What it is" name="incident-kind" field=kind options=kinds none="Choose…" />
                <TextField label="Day it happened" name="incident-happened" field=happened kind="date" />
                <label class="field">
                    <span class="label">"What happened"</span>
                    <textarea name="incident-summary" data-testid="incident-summary" rows="4"
                        aria-invalid=move || summary.error.with(Option::is_some).to_string()
                        aria-describedby="error-incident-summary"
                        prop:value=move || summary.value.get()
                        on:input=move |ev| summary.value.set(event_target_value(&ev))></textarea>
                </label>
                <p class="field-error" id="error-incident-summary" data-testid="error-incident-summary">{move || summary.error.get()}</p>
                <div class="field-row">
                    <TextField label="Category (optional)" name="incident-category" field=category placeholder="Billing" />
                    <SelectField label="Severity" name="incident-severity" field=severity options=severities />
                </div>
                <TextField label="Respond by (optional)" name="incident-respond-by" field=respond_by kind="date" />
                <p class="hint">{format!("A complaint left without a date is owed a response in {RESPOND_WITHIN_DAYS} days.")}</p>
                <button class="primary" type="submit" data-testid="log-incident">"Log it"</button>
            </form>
        </details>
    }
}
