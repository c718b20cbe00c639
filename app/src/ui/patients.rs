//! The patient register's page: find a patient by name, date of birth or phone; their
//! record to correct and their appointments; a new patient; and the records that may be
//! one person, to merge ([`model::patient`]).

mod duplicates;
mod editor;
mod link;

use std::sync::Arc;

use chrono::Duration;
use leptos::prelude::*;

use crate::ui::register::register_memo;
use crate::ui::Ctx;
use model::patient::register::{Register, MATCHES};
use model::patient::{Patient, PatientId};

pub use editor::PatientEditor;
pub use link::LinkPatient;

/// The line that tells one patient from another: born, phone.
pub fn describe(p: &Patient) -> String {
    let mut parts = Vec::new();
    if let Some(dob) = p.dob {
        parts.push(format!("born {}", dob.format("%-d %b %Y")));
    }
    if !p.phone.is_empty() {
        parts.push(p.phone.clone());
    }
    parts.join(" · ")
}

#[component]
pub fn Patients() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let register = register_memo(ctx);
    let typed = RwSignal::new(String::new());
    let open = RwSignal::new(None::<PatientId>);
    let adding = RwSignal::new(false);
    let found = Memo::new(move |_| -> Vec<Patient> {
        let typed = typed.get();
        register.with(|r| {
            r.as_ref().map_or_else(Vec::new, |r| {
                r.search(&typed, MATCHES).into_iter().cloned().collect()
            })
        })
    });
    // The patient open: the record the one chosen is now (after any merge).
    let shown = Memo::new(move |_| {
        let id = open.get()?;
        Some(register.with(|r| {
            r.as_ref()
                .and_then(|r| r.resolve(&id))
                .map(|p| p.id.clone())
        }))
    });
    let count = move || {
        register.with(|r| match r {
            None => "Loading the register…".to_string(),
            Some(r) => {
                let current = r.iter().filter(|p| r.is_current(p)).count();
                match current {
                    1 => "1 patient in the register.".to_string(),
                    n => format!("{n} patients in the register."),
                }
            }
        })
    };
    view! {
        <section class="patients card" data-testid="patients">
            <h2>"Patients"</h2>
            <p class="calls-rate" role="status">{count}</p>
            <duplicates::Duplicates register=register open=open />
            <div class="patient-find">
                <label class="field">
                    <span class="label">"Find a patient"</span>
                    <input type="search" name="patient-search" autocomplete="off"
                        placeholder="Name, date of birth (1984-03-02) or phone"
                        prop:value=move || typed.get()
                        on:input=move |ev| typed.set(event_target_value(&ev)) />
                </label>
                <button type="button" on:click=move |_| { open.set(None); adding.set(true) }>"New patient"</button>
            </div>
            <Show when=move || !typed.with(|t| t.trim().is_empty()) && found.with(Vec::is_empty)>
                <p class="empty">"Nobody in the register matches."</p>
            </Show>
            <ul class="patient-list" aria-label="Patients found">
                <For each=move || found.get() key=|p| (p.id.clone(), p.name.clone(), p.dob, p.phone.clone()) let:p>
                    {
                        let id = p.id.clone();
                        view! {
                            <li>
                                <button type="button" class="patient-row"
                                    on:click=move |_| { adding.set(false); open.set(Some(id.clone())) }>
                                    <strong>{p.name.clone()}</strong>
                                    " "
                                    <span class="meta">{describe(&p)}</span>
                                </button>
                            </li>
                        }
                    }
                </For>
            </ul>
            <Show when=move || adding.get()>
                <PatientEditor patient=None on_done=Callback::new(move |id: Option<PatientId>| {
                    adding.set(false);
                    open.set(id);
                }) />
            </Show>
            {move || {
                // Drawn again when another patient is opened, not when the register changes:
                // what is being typed into the record stays.
                let id = shown.get()?;
                let patient = id.and_then(|id| {
                    register.with_untracked(|r| r.as_ref().and_then(|r| r.record(&id).cloned()))
                });
                Some(match patient {
                    None => view! { <p class="empty">"That patient is not in the register on this device yet."</p> }.into_any(),
                    Some(p) => view! { <PatientPage patient=p register=register on_close=Callback::new(move |_| open.set(None)) /> }.into_any(),
                })
            }}
        </section>
    }
}

/// One patient: their record to correct, and their appointments at this site.
#[component]
fn PatientPage(
    patient: Patient,
    register: Memo<Option<Arc<Register>>>,
    on_close: Callback<()>,
) -> impl IntoView {
    let id = patient.id.clone();
    let (name, about) = (patient.name.clone(), describe(&patient));
    let label = name.clone();
    let merged_in = {
        let id = id.clone();
        move || register.with(|r| r.as_ref().map_or(0, |r| r.merged_into(&id).count()))
    };
    view! {
        <article class="patient-page" aria-label=label>
            <h3>{name}</h3>
            <p class="meta">{about}</p>
            {move || match merged_in() {
                0 => None,
                1 => Some("1 other record was merged into this one.".to_string()),
                n => Some(format!("{n} other records were merged into this one.")),
            }.map(|t| view! { <p class="meta">{t}</p> })}
            <Visits patient=id.clone() register=register />
            <PatientEditor patient=Some(patient) on_done=Callback::new(move |_| on_close.run(())) />
        </article>
    }
}

/// How far either side of the day in view appointments that no record notes (booked
/// before the register, then linked) are looked for.
const VISITS_DAYS: i64 = 92;

/// The patient's appointments in every month and at every site their records note, and
/// at this site around the day in view, whichever record of theirs each was booked under;
/// one opens in the schedule, at its site.
#[component]
fn Visits(patient: PatientId, register: Memo<Option<Arc<Register>>>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let directory = crate::ui::directory_memo(ctx);
    let visits = Memo::new(move |_| {
        let day = ctx.day.get();
        let here = ctx.site.get();
        let nearby = ctx.months(
            &here,
            day - Duration::days(VISITS_DAYS),
            day + Duration::days(VISITS_DAYS),
        )?;
        register.with(|r| {
            let r = r.as_ref()?;
            let mut places: Vec<(model::SiteId, chrono::NaiveDate)> = r
                .visits_of(&patient)
                .into_iter()
                .map(|v| (v.site.clone(), v.month))
                .collect();
            places.dedup();
            let mut waiting = false;
            let mut list: Vec<(model::SiteId, model::Appointment)> = Vec::new();
            let mut take = |site: &model::SiteId, a: &model::Appointment| {
                if r.is_for(a, &patient) && !list.iter().any(|(_, b)| b.id == a.id) {
                    list.push((site.clone(), a.clone()));
                }
            };
            for (site, month) in &places {
                // Every month is asked for at once; a site this device may not open is
                // left out.
                if ctx.not_enrolled(&model::DocKind::schedule_for(site, *month).doc_id()) {
                    continue;
                }
                match ctx.month(site, *month) {
                    Some(m) => m.appointments.iter().for_each(|a| take(site, a)),
                    None => waiting = true,
                }
            }
            nearby
                .iter()
                .flat_map(|m| &m.appointments)
                .for_each(|a| take(&here, a));
            // What has loaded is shown; the rest joins as it loads.
            if waiting && list.is_empty() {
                return None;
            }
            list.sort_by_key(|(_, a)| a.start);
            Some(list)
        })
    });
    view! {
        <h4>"Appointments"</h4>
        {move || match visits.get() {
            None => view! { <p class="empty">"Loading the schedule…"</p> }.into_any(),
            Some(list) if list.is_empty() => view! {
                <p class="empty">"No appointments."</p>
            }.into_any(),
            Some(list) => view! {
                <ul class="visit-list" aria-label="Appointments">
                    {list.into_iter().map(|(site, a)| {
                        let (id, day) = (a.id.clone(), a.start.date());
                        let site_name = directory.with_untracked(|d| d.site(&site).map(|s| s.name.clone()).unwrap_or_default());
                        view! {
                            <li>
                                <button type="button" class="link" on:click=move |_| {
                                    if ctx.site.get_untracked() != site {
                                        ctx.site.set(site.clone());
                                    }
                                    ctx.day.set(day);
                                    ctx.selected.set(Some(id.clone()));
                                    ctx.tab.set(crate::ui::Tab::Today);
                                }>{format!("{} · {} · {}", a.start.format("%a %-d %b %Y %H:%M"), site_name, a.status.label())}</button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any(),
        }}
    }
}
