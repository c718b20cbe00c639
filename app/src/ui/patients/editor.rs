//! A patient's record as a form: a new patient, or corrections to one. Only the fields the
//! form changed are written, onto the record as it stands then.

use leptos::prelude::*;

use crate::platform::local_now;
use crate::ui::register::doc_of;
use crate::ui::settings::controls::SelectField;
use crate::ui::settings::fields::{Field, TextField};
use crate::ui::{directory_memo, Ctx};
use model::patient::coverage::CoverageForm;
use model::patient::{register, update, Contact, Patient, PatientForm, PatientId};

/// What a field is called in the record, for the words of a disagreement.
fn field_words(key: &str) -> &'static str {
    match key {
        "name" => "name",
        "dob" => "date of birth",
        "phone" => "phone",
        "phone_other" => "other phone",
        "email" => "e-mail",
        "address" => "address",
        "emergency" => "emergency contact",
        "contact" => "preferred contact",
        "texts_ok" => "consent to texts",
        "payer" => "payer",
        "plan" => "plan",
        "member_id" => "member id",
        "group" => "group",
        "subscriber" => "subscriber",
        "plan_copay" => "plan's co-pay",
        _ => "notes for the desk",
    }
}

#[component]
pub fn PatientEditor(
    /// The patient to correct; `None` registers a new one.
    patient: Option<Patient>,
    /// Called after a save with the patient's id, or with `None` on "Cancel".
    on_done: Callback<Option<PatientId>>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let directory = directory_memo(ctx);
    let adding = patient.is_none();
    let before = patient.clone().unwrap_or_default();
    let initial = PatientForm::from_patient(&before);
    let initial = PatientForm {
        contact: if adding {
            String::new()
        } else {
            initial.contact
        },
        ..initial
    };
    let name = Field::new(initial.name.clone());
    let dob = Field::new(initial.dob.clone());
    let phone = Field::new(initial.phone.clone());
    let phone_other = Field::new(initial.phone_other.clone());
    let email = Field::new(initial.email.clone());
    let contact = Field::new(initial.contact.clone());
    let address = Field::new(initial.address.clone());
    let emergency = Field::new(initial.emergency.clone());
    let notes = Field::new(initial.notes.clone());
    let texts_ok = RwSignal::new(initial.texts_ok);
    let insurance = CoverageForm::from_coverage(before.coverage.as_ref());
    let payer = Field::new(insurance.payer);
    let plan = Field::new(insurance.plan);
    let member_id = Field::new(insurance.member_id);
    let group = Field::new(insurance.group);
    let subscriber = Field::new(insurance.subscriber);
    let copay = Field::new(insurance.copay);
    let contacts = Signal::derive(|| {
        Contact::ALL
            .iter()
            .map(|c| (c.code().to_string(), c.label().to_string()))
            .collect::<Vec<_>>()
    });
    let disputes: Vec<String> = before
        .disputed
        .iter()
        .map(|(key, values)| {
            // Money is stored in cents and said as people write it.
            let said: Vec<String> = values
                .iter()
                .map(|v| match (&**key, v.parse::<i64>()) {
                    ("plan_copay", Ok(cents)) => model::money::plain(cents),
                    _ => v.clone(),
                })
                .collect();
            format!(
                "Two devices set the {} differently: {}. Saving keeps what the form shows.",
                field_words(key),
                said.join(" / ")
            )
        })
        .collect();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let fields = [
            ("name", name),
            ("dob", dob),
            ("phone", phone),
            ("phone_other", phone_other),
            ("email", email),
            ("contact", contact),
            ("address", address),
            ("emergency", emergency),
            ("notes", notes),
            ("payer", payer),
            ("plan", plan),
            ("member_id", member_id),
            ("group", group),
            ("subscriber", subscriber),
            ("copay", copay),
        ];
        for (_, f) in fields {
            f.error.set(None);
        }
        let coverage = CoverageForm {
            payer: payer.text(),
            plan: plan.text(),
            member_id: member_id.text(),
            group: group.text(),
            subscriber: subscriber.text(),
            copay: copay.text(),
        }
        .validate();
        let form = PatientForm {
            name: name.text(),
            dob: dob.text(),
            phone: phone.text(),
            phone_other: phone_other.text(),
            email: email.text(),
            contact: contact.text(),
            texts_ok: texts_ok.get_untracked(),
            address: address.text(),
            emergency: emergency.text(),
            notes: notes.text(),
        };
        let id = if adding {
            PatientId::random()
        } else {
            before.id.clone()
        };
        let now = local_now();
        let after = match (form.validate(id.clone(), now.date()), coverage) {
            (Ok(p), Ok(coverage)) => Patient {
                coverage,
                // Checks are added on their own, never through the form.
                checks: before.checks.clone(),
                ..p
            },
            (record, coverage) => {
                let errors = record.err().into_iter().chain(coverage.err()).flatten();
                for (key, message) in errors {
                    if let Some((_, f)) = fields.iter().find(|(k, _)| *k == key) {
                        if f.error.with_untracked(Option::is_none) {
                            f.error.set(Some(message));
                        }
                    }
                }
                return;
            }
        };
        let doc = doc_of(&id);
        if adding {
            let who = ctx.who(&directory.get_untracked()).name().to_string();
            let named = after.name.clone();
            ctx.edit_later(doc, "register the patient", move |am| {
                register(am, &after, &who, now)
            });
            ctx.said(format!("Registered {named}."));
        } else {
            let before = before.clone();
            let named = after.name.clone();
            ctx.edit_later(doc, "save the patient", move |am| {
                update(am, &before, &after)
            });
            ctx.said(format!("Saved {named}."));
        }
        on_done.run(Some(id));
    };
    view! {
        <form class="details patient-form" on:submit=submit novalidate
            aria-label=if adding { "New patient" } else { "Patient's record" }>
            <h4>{if adding { "New patient" } else { "Record" }}</h4>
            {disputes.into_iter().map(|d| view! { <p class="warning" role="status">{d}</p> }).collect_view()}
            <TextField label="Name" name="patient-name" field=name />
            <div class="field-row">
                <TextField label="Date of birth" name="patient-dob" field=dob kind="date" />
                <TextField label="Phone" name="patient-phone" field=phone kind="tel" />
            </div>
            <div class="field-row">
                <TextField label="Other phone (optional)" name="patient-phone-other" field=phone_other kind="tel" />
                <TextField label="E-mail (optional)" name="patient-email" field=email kind="email" />
            </div>
            <div class="field-row">
                <SelectField label="Preferred contact" name="patient-contact" field=contact options=contacts />
                <label class="check">
                    <input type="checkbox" name="patient-texts-ok"
                        prop:checked=move || texts_ok.get()
                        on:change=move |ev| texts_ok.set(event_target_checked(&ev)) />
                    " Agreed to be sent text messages"
                </label>
            </div>
            <TextField label="Address (optional)" name="patient-address" field=address />
            <TextField label="Emergency contact (optional)" name="patient-emergency" field=emergency placeholder="Name, relation, phone" />
            <TextField label="Notes for the desk (optional)" name="patient-notes" field=notes />
            <fieldset class="coverage">
                <legend>"Insurance (empty for self-pay)"</legend>
                <div class="field-row">
                    <TextField label="Payer" name="patient-payer" field=payer />
                    <TextField label="Plan (optional)" name="patient-plan" field=plan />
                </div>
                <div class="field-row">
                    <TextField label="Member id" name="patient-member-id" field=member_id />
                    <TextField label="Group (optional)" name="patient-group" field=group />
                </div>
                <div class="field-row">
                    <TextField label="Subscriber, if not the patient" name="patient-subscriber" field=subscriber />
                    <TextField label="Plan's co-pay (optional)" name="patient-copay" field=copay placeholder="25.00" />
                </div>
            </fieldset>
            <div class="actions">
                <button class="primary" type="submit">{if adding { "Register" } else { "Save" }}</button>
                <button type="button" on:click=move |_| on_done.run(None)>"Cancel"</button>
            </div>
        </form>
    }
}
