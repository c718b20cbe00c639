//! A patient's insurance at the desk: in an appointment's side panel, where their coverage
//! stands on the appointment's day (current, due, stale, not eligible, never verified) with
//! one touch to record a verification; and on the Calls page, the call day's patients whose
//! coverage is to verify ([`model::patient::coverage`]).

use chrono::NaiveDate;
use leptos::prelude::*;

use crate::platform::local_now;
use crate::ui::register::{doc_of, register_memo};
use crate::ui::{directory_memo, Ctx};
use model::patient::coverage::{
    record_check, standing, worklist, Check, CheckId, Eligibility, Standing,
};
use model::patient::{Patient, PatientId};
use model::Appointment;

/// The standing's class on the page, for its colour.
fn class(s: &Standing) -> &'static str {
    match s {
        Standing::SelfPay | Standing::Current(_) => "coverage-ok",
        Standing::Due(_) => "coverage-due",
        Standing::Stale(_) | Standing::NotVerified | Standing::NotEligible(_) => "coverage-stale",
    }
}

/// The line that names a patient's insurance.
fn insurance(p: &Patient) -> Option<String> {
    let c = p.coverage.as_ref()?;
    let mut parts = vec![c.payer.clone()];
    if !c.plan.is_empty() {
        parts.push(c.plan.clone());
    }
    parts.push(format!("member {}", c.member_id));
    if !c.subscriber.is_empty() {
        parts.push(format!("subscriber {}", c.subscriber));
    }
    Some(parts.join(" · "))
}

/// Records a verification of `patient`'s coverage by the person at the desk.
fn verify(ctx: Ctx, patient: &Patient, result: Eligibility, notes: String) {
    let directory = directory_memo(ctx);
    let Some(member_id) = patient.coverage.as_ref().map(|c| c.member_id.clone()) else {
        return;
    };
    let check = Check {
        id: CheckId::random(),
        at: local_now(),
        by: ctx.who(&directory.get_untracked()).name().to_string(),
        result,
        member_id,
        notes,
    };
    let id = patient.id.clone();
    ctx.edit_later(doc_of(&id), "record the check of the coverage", move |am| {
        record_check(am, &id, &check)
    });
    ctx.said(match result {
        Eligibility::Eligible => format!("Coverage verified for {}.", patient.name),
        Eligibility::NotEligible => format!("{} is not covered: recorded.", patient.name),
    });
}

/// The buttons that record a verification, with a note.
#[component]
fn VerifyButtons(patient: Patient) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let notes = RwSignal::new(String::new());
    let (yes, no) = (patient.clone(), patient);
    view! {
        <div class="verify no-print">
            <label class="field">
                <span class="label">"Note on the check (optional)"</span>
                <input type="text" name="coverage-notes" prop:value=move || notes.get()
                    on:input=move |ev| notes.set(event_target_value(&ev)) />
            </label>
            <button type="button" on:click=move |_| verify(ctx, &yes, Eligibility::Eligible, notes.get_untracked())>
                "Verified: covered"
            </button>
            <button type="button" on:click=move |_| verify(ctx, &no, Eligibility::NotEligible, notes.get_untracked())>
                "Verified: not covered"
            </button>
        </div>
    }
}

/// The coverage of the appointment's patient, as it stands on the appointment's day.
#[component]
pub fn CoverageAtDesk(appointment: Appointment) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let directory = directory_memo(ctx);
    let register = register_memo(ctx);
    let Some(id) = appointment.patient.clone() else {
        return ().into_any();
    };
    let day = appointment.start.date();
    // What the section shows of the patient, so that a visit noted meanwhile does not
    // redraw it (and empty the note being typed).
    let patient = Memo::new(move |_| -> Option<Patient> {
        register.with(|r| {
            let p = r.as_ref()?.resolve(&id)?;
            Some(Patient {
                visits: Vec::new(),
                ..p.clone()
            })
        })
    });
    let stale_days = Memo::new(move |_| {
        let site = ctx.site.get();
        directory.with(|d| d.calling(&site).stale_days)
    });
    view! {
        {move || patient.get().map(|p| {
            let s = standing(&p, day, stale_days.get());
            let verify = p.coverage.is_some().then(|| view! { <VerifyButtons patient=p.clone() /> });
            view! {
                <section class="coverage-desk" aria-label="Insurance">
                    <h3>"Insurance"</h3>
                    {insurance(&p).map(|line| view! { <p>{line}</p> })}
                    <p class=class(&s) data-testid="coverage-standing">{s.words()}</p>
                    {verify}
                </section>
            }
        })}
    }
    .into_any()
}

/// The call day's patients whose coverage the desk should verify before they come.
#[component]
pub fn ToVerify(
    /// The call day, and its appointments (filled from the register).
    day: Memo<Option<NaiveDate>>,
    appointments: Memo<Option<Vec<Appointment>>>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let directory = directory_memo(ctx);
    let register = register_memo(ctx);
    let list = Memo::new(move |_| -> Vec<(PatientId, Patient, String, String)> {
        let (Some(day), Some(appointments)) = (day.get(), appointments.get()) else {
            return Vec::new();
        };
        let stale_days = directory.with(|d| d.calling(&ctx.site.get()).stale_days);
        register.with(|r| {
            let Some(r) = r.as_ref() else {
                return Vec::new();
            };
            worklist(&appointments, r, day, stale_days)
                .into_iter()
                .map(|(a, p, s)| {
                    let when = format!("{} {}", a.start.format("%H:%M"), p.name);
                    (p.id.clone(), p.clone(), when, s.words())
                })
                .collect()
        })
    });
    view! {
        <section class="call-section" data-testid="coverage-to-verify" aria-label="Coverage to verify">
            <h3>{move || format!("Coverage to verify ({})", list.with(Vec::len))}</h3>
            <Show when=move || list.with(Vec::is_empty)>
                <p class="empty">"Every insured patient of the day is verified."</p>
            </Show>
            <ul class="call-list">
                <For each=move || list.get() key=|(id, _, when, words)| (id.clone(), when.clone(), words.clone()) let((_, patient, when, words))>
                    {
                        let (label, about) = (patient.name.clone(), insurance(&patient).unwrap_or_default());
                        view! {
                            <li class="call" role="group" aria-label=label>
                                <p><strong>{when}</strong>" · "{about}</p>
                                <p class="call-flag">{words}</p>
                                <VerifyButtons patient=patient />
                            </li>
                        }
                    }
                </For>
            </ul>
        </section>
    }
}
