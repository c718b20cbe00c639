//! Linking an appointment booked before the register (it carries its patient's details
//! itself) to a patient of the register: found by what is typed, or registered from the
//! appointment's own details. The appointment is then found with the patient's others.

use leptos::prelude::*;

use crate::platform::local_now;
use crate::ui::register::{doc_of, register_memo};
use crate::ui::{directory_memo, schedule_doc, Ctx};
use model::document::first_of_month;
use model::patient::register::MATCHES;
use model::patient::{self, Patient, PatientId, Visit};
use model::schedule::link_patient;
use model::Appointment;

/// Links `a` to `patient` (registering them first when `new`), and notes where it is on
/// their record.
fn link(ctx: Ctx, a: &Appointment, patient: Patient, new: bool) {
    let site = ctx.site.get_untracked();
    let (id, doc) = (a.id.clone(), schedule_doc(&site, a.start.date()));
    let who = ctx
        .who(&directory_memo(ctx).get_untracked())
        .name()
        .to_string();
    let visit = Visit {
        appointment: a.id.clone(),
        site,
        month: first_of_month(a.start.date()),
    };
    let pid = patient.id.clone();
    if ctx
        .edit(&doc, "link the appointment", |am| {
            link_patient(am, &id, &pid)
        })
        .is_none()
    {
        return;
    }
    let now = local_now();
    ctx.edit_later(
        doc_of(&pid),
        "note the appointment on the patient",
        move |am| {
            if new {
                patient::register(am, &patient, &who, now)?;
            }
            patient::note_visit(am, &pid, &visit)
        },
    );
    ctx.said("Linked to the patient's record.");
}

#[component]
pub fn LinkPatient(appointment: Appointment) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let register = register_memo(ctx);
    let typed = RwSignal::new(appointment.patient_name.clone());
    let matches = Memo::new(move |_| -> Vec<Patient> {
        let typed = typed.get();
        register.with(|r| {
            r.as_ref().map_or_else(Vec::new, |r| {
                r.search(&typed, MATCHES).into_iter().cloned().collect()
            })
        })
    });
    let a = StoredValue::new(appointment);
    let as_new = move |_| {
        let a = a.get_value();
        let p = Patient {
            id: PatientId::random(),
            name: a.patient_name.clone(),
            dob: a.dob,
            phone: a.phone.clone().unwrap_or_default(),
            email: a.email.clone().unwrap_or_default(),
            ..Patient::default()
        };
        link(ctx, &a, p, true);
    };
    view! {
        <details class="link-patient no-print">
            <summary>"Not linked to a patient of the register: link it"</summary>
            <label class="field">
                <span class="label">"Find the patient"</span>
                <input type="search" name="link-patient" autocomplete="off"
                    prop:value=move || typed.get()
                    on:input=move |ev| typed.set(event_target_value(&ev)) />
            </label>
            <ul class="patient-list" aria-label="Patients to link">
                <For each=move || matches.get() key=|p| p.id.clone() let(p)>
                    {
                        let about = super::describe(&p);
                        let name = p.name.clone();
                        view! {
                            <li>
                                <button type="button" class="patient-row"
                                    on:click=move |_| link(ctx, &a.get_value(), p.clone(), false)>
                                    <strong>{name}</strong>" "<span class="meta">{about}</span>
                                </button>
                            </li>
                        }
                    }
                </For>
            </ul>
            <button type="button" on:click=as_new>"Register as a new patient"</button>
        </details>
    }
}
