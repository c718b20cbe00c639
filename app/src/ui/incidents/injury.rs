//! A workplace injury's facts for the injury and illness log, entered on its report once
//! they are known ([`model::incident::injury`]), and the year's log: each case numbered in
//! the order it happened, a privacy case naming no one, printable and as a spreadsheet.

use leptos::prelude::*;

use crate::ui::settings::controls::SelectField;
use crate::ui::settings::fields::{Field, TextField};
use crate::ui::{audit, Ctx};
use chrono::Datelike;
use model::audit::EventKind;
use model::incident::injury::{csv, log, save_injury, CaseType, InjuryForm, Outcome};
use model::incident::{Incident, IncidentId};

/// The facts of `incident`'s injury: a form that names each mistake at its field and saves
/// nothing until all is right.
#[component]
pub fn InjuryDetails(incident: Incident, doc: Memo<protocol::DocId>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let form = incident
        .injury
        .as_ref()
        .map(InjuryForm::from_injury)
        .unwrap_or_default();
    let missing = RwSignal::new(incident.injury.is_none());
    // What the form shows: its save lays only what was changed onto the facts as they are.
    let before = StoredValue::new(incident.injury.clone());
    let employee = Field::new(form.employee);
    let job_title = Field::new(form.job_title);
    let location = Field::new(form.location);
    let description = Field::new(form.description);
    let outcome = Field::new(form.outcome);
    let days_away = Field::new(form.days_away);
    let days_restricted = Field::new(form.days_restricted);
    let case_type = Field::new(form.case_type);
    let privacy = RwSignal::new(form.privacy);
    let outcomes = Signal::derive(|| {
        Outcome::ALL
            .iter()
            .map(|o| (o.code().to_string(), o.label().to_string()))
            .collect::<Vec<_>>()
    });
    let case_types = Signal::derive(|| {
        CaseType::ALL
            .iter()
            .map(|c| (c.code().to_string(), c.label().to_string()))
            .collect::<Vec<_>>()
    });
    let id: IncidentId = incident.id.clone();
    let fields = [
        employee,
        job_title,
        location,
        description,
        outcome,
        days_away,
        days_restricted,
        case_type,
    ];
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        for f in fields {
            f.error.set(None);
        }
        let typed = InjuryForm {
            employee: employee.text(),
            job_title: job_title.text(),
            location: location.text(),
            description: description.text(),
            outcome: outcome.text(),
            days_away: days_away.text(),
            days_restricted: days_restricted.text(),
            case_type: case_type.text(),
            privacy: privacy.get_untracked(),
        };
        match typed.validate() {
            Ok(injury) => {
                let id = id.clone();
                let was = before.get_value();
                if ctx
                    .edit(&doc.get_untracked(), "save the injury log details", |am| {
                        save_injury(am, &id, injury.clone(), was.as_ref())
                    })
                    .is_some()
                {
                    before.set_value(Some(injury));
                    missing.set(false);
                    ctx.said("Injury log details saved.".to_string());
                }
            }
            Err(problems) => {
                for (name, sentence) in problems {
                    let field = match name {
                        "employee" => employee,
                        "job_title" => job_title,
                        "location" => location,
                        "description" => description,
                        "outcome" => outcome,
                        "days_away" => days_away,
                        "days_restricted" => days_restricted,
                        _ => case_type,
                    };
                    if field.error.with_untracked(Option::is_none) {
                        field.error.set(Some(sentence));
                    }
                }
            }
        }
    };
    view! {
        <details class="injury-details no-print" data-testid="injury-details">
            <summary>{move || if missing.get() { "Injury log details · not yet entered" } else { "Injury log details" }}</summary>
            <form class="details" on:submit=submit>
                <div class="field-row">
                    <TextField label="Who was hurt" name="injury-employee" field=employee />
                    <TextField label="Job title" name="injury-job-title" field=job_title />
                </div>
                <TextField label="Where it happened" name="injury-location" field=location />
                <TextField label="Injury or illness, and part of the body" name="injury-description" field=description
                    placeholder="Needlestick, left index finger" />
                <div class="field-row">
                    <SelectField label="Most serious outcome" name="injury-outcome" field=outcome options=outcomes none="Choose…" />
                    <SelectField label="Kind of case" name="injury-case-type" field=case_type options=case_types none="Choose…" />
                </div>
                <div class="field-row">
                    <TextField label="Days away from work" name="injury-days-away" field=days_away kind="number" />
                    <TextField label="Days on restricted duty" name="injury-days-restricted" field=days_restricted kind="number" />
                </div>
                <label class="check">
                    <input type="checkbox" data-testid="injury-privacy" prop:checked=move || privacy.get()
                        on:change=move |ev| privacy.set(event_target_checked(&ev)) />
                    "Privacy case: the log names no one"
                </label>
                <button class="primary" type="submit" data-testid="save-injury">"Save the log details"</button>
            </form>
        </details>
    }
}

/// The year's injury and illness log.
#[component]
pub fn InjuryLog(log_of: Memo<Option<Vec<Incident>>>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let year = RwSignal::new(ctx.now.get_untracked().date().year());
    let years = Memo::new(move |_| {
        let mut all: Vec<i32> = log_of.with(|l| {
            l.iter()
                .flatten()
                .filter(|i| i.kind == model::incident::Kind::Injury)
                .map(|i| i.happened.year())
                .collect()
        });
        all.push(ctx.now.get().date().year());
        all.sort_unstable();
        all.dedup();
        all.reverse();
        all
    });
    let download = move |_| {
        let list = log_of.get_untracked().unwrap_or_default();
        let year = year.get_untracked();
        let file = format!(
            "injury-log-{}-{year}.csv",
            ctx.site.get_untracked().as_str()
        );
        match crate::platform::download(&file, "text/csv", &csv(&log(&list, year))) {
            Ok(()) => audit::note(
                ctx,
                EventKind::Export,
                format!("Injury and illness log: {file}"),
            ),
            Err(e) => ctx.report(format!("Could not export: {e}")),
        }
    };
    let rows = move || {
        let list = log_of.get().unwrap_or_default();
        log(&list, year.get())
            .into_iter()
            .map(|line| {
                let i = line.incident;
                let cells: Vec<String> = match &i.injury {
                    Some(o) => vec![
                        if o.privacy {
                            "Privacy case".into()
                        } else {
                            o.employee.clone()
                        },
                        o.job_title.clone(),
                        i.happened.format("%-d %b").to_string(),
                        o.location.clone(),
                        o.description.clone(),
                        o.outcome.label().into(),
                        o.days_away.to_string(),
                        o.days_restricted.to_string(),
                        o.case_type.label().into(),
                    ],
                    None => vec![
                        "–".into(),
                        "–".into(),
                        i.happened.format("%-d %b").to_string(),
                        "–".into(),
                        "Details not yet entered".into(),
                        "–".into(),
                        "–".into(),
                        "–".into(),
                        "–".into(),
                    ],
                };
                view! {
                    <tr data-testid="injury-case">
                        <th scope="row">{line.case.clone()}</th>
                        {cells.into_iter().map(|c| view! { <td>{c}</td> }).collect_view()}
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <section class="injury-log" data-testid="injury-log">
            <div class="calls-nav">
                <h3>{move || format!("Injury and illness log, {}", year.get())}</h3>
                <label class="no-print">
                    "Year"
                    <select on:change=move |ev| {
                        if let Ok(y) = event_target_value(&ev).parse() {
                            year.set(y);
                        }
                    }>
                        {move || years.get().into_iter().map(|y| view! {
                            <option value=y.to_string() selected=move || year.get() == y>{y.to_string()}</option>
                        }).collect_view()}
                    </select>
                </label>
            </div>
            <div class="table-scroll" role="region" tabindex="0" aria-label="The injury and illness log">
                <table class="takings-table">
                    <thead><tr>
                        <th scope="col">"Case"</th>
                        <th scope="col">"Employee"</th>
                        <th scope="col">"Job title"</th>
                        <th scope="col">"Date"</th>
                        <th scope="col">"Where"</th>
                        <th scope="col">"Injury or illness"</th>
                        <th scope="col">"Outcome"</th>
                        <th scope="col">"Days away"</th>
                        <th scope="col">"Days restricted"</th>
                        <th scope="col">"Kind"</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <button type="button" class="no-print" on:click=download>"Download the log as a spreadsheet"</button>
        </section>
    }
}
