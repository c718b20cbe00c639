//! Confirmation calls: the site's call day (the next open day, or as far ahead as its
//! manager set), with its patients still to call in call order and one touch per outcome;
//! who was not reached or has a wrong number; who wants another time, one touch from
//! their appointment; the day's confirmation rate; and the texts to send, as a file for an
//! SMS service ([`model::confirm`]). It works offline like every page: each outcome is an
//! edit of the month's schedule, which the other desks see once synced.

use chrono::{Duration, NaiveDate};
use leptos::prelude::*;

use crate::platform::local_now;
use crate::ui::{audit, directory_memo, schedule_doc, Ctx, Tab};
use model::access::Action;
use model::confirm::{
    call_day, record_call, texts_csv, worklist, CallItem, Outcome, Standing, Worklist,
};
use model::{AppointmentId, Directory};

#[component]
pub fn Calls() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let directory = directory_memo(ctx);
    // The call day, worked out from today, until the desk looks at another.
    let picked = RwSignal::new(None::<NaiveDate>);
    let planned = Memo::new(move |_| {
        let (site, today) = (ctx.site.get(), ctx.now.get().date());
        directory.with(|d| call_day(d, &site, today))
    });
    let day = Memo::new(move |_| picked.get().or_else(|| planned.get()));
    let appointments = Memo::new(move |_| -> Option<Vec<model::Appointment>> {
        let day = day.get()?;
        let mut appointments = ctx.day_of(&ctx.site.get(), day)?;
        // The numbers to call as the register has them now, once it has loaded.
        if let Some(register) = crate::ui::register::register(ctx) {
            appointments.iter_mut().for_each(|a| register.fill(a));
        }
        Some(appointments)
    });
    let list = Memo::new(move |_| -> Option<Worklist> {
        let tries = directory.with(|d| d.calling(&ctx.site.get()).tries);
        appointments.with(|a| a.as_ref().map(|a| worklist(a, tries)))
    });
    let step = move |days: i64| {
        if let Some(d) = day.get_untracked() {
            picked.set(Some(d + Duration::days(days)));
        }
    };
    let title = move || match day.get() {
        Some(d) => format!("Confirmation calls for {}", d.format("%A %-d %B")),
        None => "Confirmation calls: the site has no open day in the next 60 days".to_string(),
    };
    let rate = move || {
        list.with(|l| match l {
            None if day.get().is_none() => "No day to call for.".to_string(),
            None => "Loading the day's appointments…".to_string(),
            Some(l) => match l.rate() {
                None => "Nobody is booked that day.".to_string(),
                Some(rate) => format!("Confirmed {} of {} ({rate}%)", l.confirmed.len(), l.total()),
            },
        })
    };
    let export = move |_| {
        let (Some(day), Some(l)) = (day.get_untracked(), list.get_untracked()) else {
            return;
        };
        let site = ctx.site.get_untracked();
        let items: Vec<CallItem> = l.to_call.iter().chain(&l.flagged).cloned().collect();
        let text = directory.with_untracked(|d| texts_csv(&items, d, &site));
        let file = format!("texts-{}-{day}.csv", site.as_str());
        let rows = text.lines().count().saturating_sub(1);
        audit::export(
            ctx,
            &file,
            "text/csv",
            &text,
            format!("Texts to send, {rows} patients: {file}"),
        );
    };
    let section = move |heading: &'static str,
                        testid: &'static str,
                        pick: fn(&Worklist) -> &Vec<CallItem>,
                        empty: &'static str| {
        view! {
            <section class="call-section" data-testid=testid>
                <h3>{move || format!("{heading} ({})", list.with(|l| l.as_ref().map_or(0, |l| pick(l).len())))}</h3>
                <Show when=move || list.with(|l| l.as_ref().is_some_and(|l| pick(l).is_empty()))>
                    <p class="empty">{empty}</p>
                </Show>
                <ul class="call-list">
                    <For each=move || list.with(|l| l.as_ref().map(|l| pick(l).clone()).unwrap_or_default())
                        key=|i| (
                            i.appointment.id.clone(),
                            i.last.as_ref().map(|c| c.id.clone()),
                            i.standing,
                            i.appointment.phone.clone(),
                            i.appointment.patient_name.clone(),
                            i.appointment.provider.clone(),
                        )
                        let(item)>
                        <CallRow item=item directory=directory />
                    </For>
                </ul>
            </section>
        }
    };
    view! {
        <section class="calls card" data-testid="calls">
            <div class="calls-nav">
                <button type="button" aria-label="Previous day" on:click=move |_| step(-1)>"‹"</button>
                <h2 data-testid="calls-title">{title}</h2>
                <button type="button" aria-label="Next day" on:click=move |_| step(1)>"›"</button>
                <Show when=move || picked.get().is_some()>
                    <button type="button" on:click=move |_| picked.set(None)>"Back to the call day"</button>
                </Show>
            </div>
            <p class="calls-rate" role="status" data-testid="calls-rate">{rate}</p>
            {section("To call", "calls-to-call", |l| &l.to_call, "Everyone has been called.")}
            {section("Not reached", "calls-flagged", |l| &l.flagged, "Nobody is flagged.")}
            {section("Wants another time", "calls-another-time", |l| &l.another_time, "Nobody asked to move.")}
            <crate::ui::coverage::ToVerify day=day appointments=appointments />
            <details class="call-section">
                <summary>{move || format!("Confirmed ({})", list.with(|l| l.as_ref().map_or(0, |l| l.confirmed.len())))}</summary>
                <ul class="call-list">
                    <For each=move || list.with(|l| l.as_ref().map(|l| l.confirmed.clone()).unwrap_or_default())
                        key=|i| (i.appointment.id.clone(), i.appointment.start, i.appointment.patient_name.clone()) let(item)>
                        <li>{format!("{} {}", item.appointment.start.format("%H:%M"), item.appointment.patient_name)}</li>
                    </For>
                </ul>
            </details>
            <Show when=move || ctx.may(Action::Export)>
                <button type="button" data-testid="export-texts" on:click=export
                    disabled=move || list.with(Option::is_none)>"Texts to send (file for an SMS service)"</button>
            </Show>
        </section>
    }
}

/// One patient to call: when, who, the number, the calls so far, and the outcomes.
#[component]
fn CallRow(item: CallItem, directory: Memo<Directory>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let a = item.appointment.clone();
    let (id, patient) = (a.id.clone(), a.patient_name.clone());
    let doc = schedule_doc(&ctx.site.get_untracked(), a.start.date());
    let provider = directory.with_untracked(|d| d.provider_name(&a.provider));
    let phone = a.phone.clone().unwrap_or_default();
    let tries = match (item.tries, &item.last) {
        (_, None) => "Not called yet".to_string(),
        (0, Some(last)) => format!("Last call: {}", last.outcome.label().to_lowercase()),
        (1, Some(last)) => format!("1 try, last: {}", last.outcome.label().to_lowercase()),
        (n, Some(last)) => format!("{n} tries, last: {}", last.outcome.label().to_lowercase()),
    };
    let flag = match item.standing {
        Standing::NotReached => Some(format!("Not reached after {} tries", item.tries)),
        Standing::WrongNumber => Some("Wrong number: find the right one".to_string()),
        _ => None,
    };
    // Cancelling takes a second touch on the same button.
    let confirming = RwSignal::new(false);
    let record = {
        let (id, doc) = (id.clone(), doc.clone());
        move |outcome: Outcome| {
            if outcome == Outcome::Cancelled && !confirming.get_untracked() {
                confirming.set(true);
                return;
            }
            confirming.set(false);
            let who = ctx.who(&directory.get_untracked());
            let id: AppointmentId = id.clone();
            ctx.edit(&doc, "record the call", |am| {
                record_call(am, &id, outcome, &who, local_now())
            });
        }
    };
    let open = {
        let (id, day) = (id.clone(), a.start.date());
        move |_| {
            ctx.day.set(day);
            ctx.selected.set(Some(id.clone()));
            ctx.tab.set(Tab::Today);
        }
    };
    let outcomes = if item.standing == Standing::AnotherTime {
        Vec::new()
    } else {
        Outcome::ALL.to_vec()
    };
    view! {
        <li class="call" data-testid="call">
            <p class="call-who">
                <strong>{format!("{} {}", a.start.format("%H:%M"), patient)}</strong>
                {format!(" · {provider}")}
            </p>
            <p class="call-number">
                {if phone.is_empty() {
                    view! { <span class="empty">"No phone number"</span> }.into_any()
                } else {
                    view! { <a href=format!("tel:{phone}") data-testid="call-phone">{phone.clone()}</a> }.into_any()
                }}
                {format!(" · {tries}")}
            </p>
            {flag.map(|f| view! { <p class="call-flag" data-testid="call-flag">{f}</p> })}
            <div class="call-outcomes" role="group" aria-label=format!("How the call to {patient} went")>
                {outcomes.into_iter().map(|outcome| {
                    let record = record.clone();
                    let label = move || if outcome == Outcome::Cancelled && confirming.get() {
                        "Tap again to cancel".to_string()
                    } else {
                        outcome.label().to_string()
                    };
                    view! {
                        <button type="button" class:danger=outcome == Outcome::Cancelled
                            data-testid=format!("call-{}", outcome.key())
                            on:click=move |_| record(outcome)>{label}</button>
                    }
                }).collect_view()}
                {(item.standing == Standing::AnotherTime).then(|| view! {
                    <button type="button" class="primary" data-testid="call-open" on:click=open>
                        {format!("Move {}", a.patient_name)}
                    </button>
                })}
            </div>
        </li>
    }
}
