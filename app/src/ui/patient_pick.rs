//! The booking form's patient: typing a name, a date of birth or a phone number offers the
//! patients of the register who match; picking one links the booking to them and fills in
//! their details. A booking of nobody picked registers a new patient ([`register_new`]).

use chrono::NaiveDateTime;
use leptos::prelude::*;

use crate::ui::patients::describe;
use crate::ui::register::{doc_of, register, register_memo};
use crate::ui::Ctx;
use model::appointment::ValidBooking;
use model::patient::register::MATCHES;
use model::patient::{self, Patient, PatientId, Visit};
use model::{BookingForm, FieldErrors};

/// The fewest characters typed before matches are offered.
const TYPED_BEFORE_MATCHES: usize = 2;

#[component]
pub fn PatientPick(
    form: RwSignal<BookingForm>,
    errors: RwSignal<FieldErrors>,
    /// The patient picked, as the form was filled from them: what the desk then changes
    /// of their details is what [`to_register`] writes.
    picked: RwSignal<Option<Patient>>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let register = register_memo(ctx);
    // Which match the arrow keys are on (none until an arrow is pressed, so that Enter
    // books what is typed rather than someone never chosen), and whether the list is open.
    let active = RwSignal::new(None::<usize>);
    let open = RwSignal::new(false);
    let matches = Memo::new(move |_| -> Vec<Patient> {
        let (typed, linked) = form.with(|f| (f.patient_name.clone(), !f.patient_id.is_empty()));
        if linked || typed.trim().chars().count() < TYPED_BEFORE_MATCHES {
            return Vec::new();
        }
        register.with(|r| {
            r.as_ref().map_or_else(Vec::new, |r| {
                r.search(&typed, MATCHES).into_iter().cloned().collect()
            })
        })
    });
    let showing = move || open.get() && matches.with(|m| !m.is_empty());
    let pick = move |p: Patient| {
        form.update(|f| {
            f.patient_id = p.id.to_string();
            f.patient_name.clone_from(&p.name);
            f.dob = p.dob.map(|d| d.to_string()).unwrap_or_default();
            f.phone.clone_from(&p.phone);
            f.email.clone_from(&p.email);
        });
        picked.set(Some(p));
        open.set(false);
    };
    let linked = Memo::new(move |_| {
        let id = form.with(|f| f.patient_id.clone());
        if id.is_empty() {
            return None;
        }
        let found = register.with(|r| {
            r.as_ref()
                .and_then(|r| r.resolve(&PatientId::from(id.as_str())).map(describe))
        });
        Some(found.unwrap_or_default())
    });
    let keys = move |ev: leptos::ev::KeyboardEvent| {
        let count = matches.with(Vec::len);
        if count == 0 {
            return;
        }
        match ev.key().as_str() {
            "ArrowDown" => {
                ev.prevent_default();
                open.set(true);
                active.update(|a| *a = Some(a.map_or(0, |a| (a + 1) % count)));
            }
            "ArrowUp" => {
                ev.prevent_default();
                open.set(true);
                active.update(|a| *a = Some(a.map_or(count - 1, |a| (a + count - 1) % count)));
            }
            "Enter" if showing() => {
                let chosen = active
                    .get_untracked()
                    .and_then(|n| matches.with(|m| m.get(n).cloned()));
                if let Some(p) = chosen {
                    ev.prevent_default();
                    pick(p);
                }
            }
            "Escape" => open.set(false),
            _ => {}
        }
    };
    let option_id = |n: usize| format!("patient-match-{n}");
    view! {
        <div class="patient-pick">
            <label class="field">
                <span class="label">"Patient name"</span>
                <input name="patient_name" type="text" autocomplete="off"
                    role="combobox" aria-autocomplete="list" aria-controls="patient-matches"
                    aria-expanded=move || showing().to_string()
                    aria-activedescendant=move || active.get().filter(|_| showing()).map(option_id)
                    aria-invalid=move || errors.with(|e| e.patient_name.is_some()).to_string()
                    prop:value=move || form.with(|f| f.patient_name.clone())
                    on:keydown=keys
                    on:blur=move |_| open.set(false)
                    on:input=move |ev| {
                        let typed = event_target_value(&ev);
                        // A name typed over a picked patient is someone else.
                        form.update(|f| {
                            f.patient_name = typed;
                            f.patient_id.clear();
                        });
                        active.set(None);
                        open.set(true);
                    } />
                <span class="field-error" data-testid="error-patient_name">{move || errors.with(|e| e.patient_name.clone())}</span>
            </label>
            <ul id="patient-matches" class="patient-matches" role="listbox"
                aria-label="Patients in the register" hidden=move || !showing()>
                {move || matches.get().into_iter().enumerate().map(|(n, p)| {
                    let about = describe(&p);
                    let name = p.name.clone();
                    view! {
                        <li id=option_id(n) role="option" aria-selected=move || (active.get() == Some(n)).to_string()
                            // Picked on the press, before the input's blur closes the list.
                            on:mousedown=move |ev| { ev.prevent_default(); pick(p.clone()) }>
                            <strong>{name}</strong>" "<span class="meta">{about}</span>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <p class="note" role="status" data-testid="patient-linked">{move || linked.get().map(|about| {
                if about.is_empty() {
                    "A patient of the register.".to_string()
                } else {
                    format!("A patient of the register: {about}.")
                }
            })}</p>
            <Show when=move || linked.with(Option::is_some)>
                <button type="button" on:click=move |_| form.update(|f| f.patient_id.clear())>"Not this patient"</button>
            </Show>
        </div>
    }
}

/// What a booking writes to the register once it is booked.
pub enum ToRegister {
    Nothing,
    /// A patient nobody registered yet.
    New(Box<Patient>),
    /// The patient picked, with what the desk corrected in the booking form (date of
    /// birth, phone, e-mail): the register is where those live.
    Correct {
        before: Box<Patient>,
        after: Box<Patient>,
    },
}

/// Links a new booking that names nobody of the register to a new patient made from what
/// the form holds; for the patient `picked`, finds what the desk changed of the details
/// the form was filled with (a colleague's change to them meanwhile stays). Nothing is
/// written yet: see [`write_register`], once the booking is.
pub fn to_register(ctx: Ctx, valid: &mut ValidBooking, picked: Option<Patient>) -> ToRegister {
    let Some(id) = valid.patient.clone() else {
        let id = PatientId::random();
        valid.patient = Some(id.clone());
        return ToRegister::New(Box::new(Patient {
            id,
            name: valid.patient_name.clone(),
            dob: valid.dob,
            phone: valid.phone.clone().unwrap_or_default(),
            email: valid.email.clone().unwrap_or_default(),
            ..Patient::default()
        }));
    };
    // The record the one picked is now (after a merge): the booking names it.
    if let Some(now) = untrack(|| register(ctx)).and_then(|r| r.resolve(&id).map(|p| p.id.clone()))
    {
        valid.patient = Some(now);
    }
    let Some(mut before) = picked.filter(|p| p.id == id) else {
        return ToRegister::Nothing;
    };
    // Only what the desk changed is written: no disagreement is settled from here.
    before.disputed.clear();
    before.id = valid.patient.clone().unwrap_or(id);
    let digits = |n: &str| n.chars().filter(char::is_ascii_digit).collect::<String>();
    let mut after = before.clone();
    if valid.dob.is_some() {
        after.dob = valid.dob;
    }
    if let Some(phone) = valid
        .phone
        .as_ref()
        .filter(|p| digits(p) != digits(&before.phone))
    {
        after.phone.clone_from(phone);
    }
    if let Some(email) = valid.email.as_ref() {
        after.email.clone_from(email);
    }
    if after == before {
        ToRegister::Nothing
    } else {
        ToRegister::Correct {
            before: Box::new(before),
            after: Box::new(after),
        }
    }
}

/// Writes what [`to_register`] found, by `who` at `now`, with where the booking's
/// appointments are (`visits`), onto the record of `patient` (the booking's), in one
/// change of its document once that has loaded.
pub fn write_register(
    ctx: Ctx,
    what: ToRegister,
    patient: Option<&PatientId>,
    visits: Vec<Visit>,
    who: &str,
    now: NaiveDateTime,
) {
    let Some(id) = patient.cloned() else {
        return;
    };
    let who = who.to_string();
    ctx.edit_later(doc_of(&id), "keep the patient's record", move |am| {
        match &what {
            ToRegister::Nothing => {}
            ToRegister::New(p) => patient::register(am, p, &who, now)?,
            ToRegister::Correct { before, after } => patient::update(am, before, after)?,
        }
        visits
            .iter()
            .try_for_each(|v| patient::note_visit(am, &id, v))
    });
}
