//! One appointment in the side panel: its details, what the desk can do next, its whole
//! history, and the waitlist patients a freed slot could go to.

use leptos::prelude::*;

use crate::platform::utc_offset_minutes;
use crate::ui::audit;
use crate::ui::grid::{offer_undo, room_select, status_setter};
use crate::ui::series::{self, Scope};
use crate::ui::tasks::links::AppointmentTasks;
use crate::ui::waitlist::book_entry;
use crate::ui::{schedule_doc, Ctx};
use crate::words;
use model::access::Action;
use model::appointment::StatusChange;
use model::export::{fhir_appointment, fhir_file_name};
use model::schedule::undo::Step;
use model::waitlist;
use model::{schedule, Appointment, AppointmentId, Directory, DocKind, Status};

#[component]
pub fn Detail(
    directory: Memo<Directory>,
    appointment: Appointment,
    /// Set to open the booking form on this appointment.
    editing: RwSignal<Option<AppointmentId>>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let mut a = appointment;
    // The patient's details as the register has them now, once it has loaded. An
    // appointment that names nobody, or a patient the register does not hold, can be
    // linked.
    let register = untrack(|| crate::ui::register::register(ctx));
    if let Some(register) = &register {
        register.fill(&mut a);
    }
    let unlinked = match &a.patient {
        None => true,
        Some(p) => register.as_ref().is_some_and(|r| r.resolve(p).is_none()),
    };
    audit::viewed(ctx, &a);
    let close = move |_| ctx.selected.set(None);
    let d = directory.get_untracked();
    let provider = d.provider_name(&a.provider);
    let kind = a
        .type_id
        .as_ref()
        .and_then(|t| d.appointment_type(t))
        .map(|t| t.name.clone());
    let room = a.room.as_ref().map(|r| {
        d.room(r)
            .map_or_else(|| "Removed room".to_string(), |r| r.name.clone())
    });
    // Who made each entry, as the document's changes say; an entry no signed change made
    // (the demo clinic, a history copied by a move) says what the desk wrote.
    let doc = DocKind::schedule_for(&ctx.site.get_untracked(), a.start.date()).doc_id();
    let makers = ctx
        .read_history(&doc, |am| schedule::history_makers(am, &a.id))
        .unwrap_or_default();
    let history: Vec<(StatusChange, String)> = a
        .history
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let signed = makers.get(i).and_then(|m| m.as_ref()?.by(&d));
            let written = || {
                c.staff
                    .as_ref()
                    .map_or(c.device.clone(), |s| format!("{s} at {}", c.device))
            };
            (c.clone(), signed.unwrap_or_else(written))
        })
        .collect();
    let export = {
        let a = a.clone();
        move |_| {
            let d = directory.get_untracked();
            let site = ctx.site.get_untracked();
            let json = fhir_appointment(&a, &d, &site, utc_offset_minutes(a.start));
            let text = serde_json::to_string_pretty(&json).unwrap_or_default();
            let file = fhir_file_name(&a.patient_name, a.start.date());
            let what = format!("Appointment (FHIR) of {}", a.patient_name);
            audit::export(ctx, &file, "application/fhir+json", &text, what);
        }
    };
    view! {
        <section class="detail card" data-testid="detail">
            <div class="detail-head">
                <h2 data-testid="detail-patient">{a.patient_name.clone()}</h2>
                <button class="dismiss" aria-label="Close" on:click=close>"×"</button>
            </div>
            <p class="detail-when">
                {a.start.format("%a %-d %b %Y, %H:%M").to_string()}" · "{a.duration_minutes}" min · "{provider.clone()}
            </p>
            <p>
                <span class=format!("status-pill status-{}", a.status.key()) data-testid="detail-status">{a.status.label()}</span>
                {a.late_cancel.then(|| view! { <span class="flag">"Late cancel"</span> })}
                {a.series.as_ref().map(|s| view! { <span class="flag">{format!("Series, visit {}", s.index + 1)}</span> })}
            </p>
            <dl class="facts">
                {kind.map(|k| view! { <dt>"Type"</dt><dd>{k}</dd> })}
                {room.map(|r| view! { <dt>"Room"</dt><dd>{r}</dd> })}
                {a.dob.map(|dob| view! { <dt>"Born"</dt><dd>{dob.format("%-d %b %Y").to_string()}</dd> })}
                {a.phone.clone().map(|p| view! { <dt>"Phone"</dt><dd>{p}</dd> })}
                {a.email.clone().map(|e| view! { <dt>"Email"</dt><dd>{e}</dd> })}
                {(!a.reason.is_empty()).then(|| view! { <dt>"Reason"</dt><dd>{a.reason.clone()}</dd> })}
                {(!a.notes.is_empty()).then(|| view! { <dt>"Notes"</dt><dd>{a.notes.clone()}</dd> })}
                {a.cancel_reason.clone().map(|r| view! { <dt>"Cancelled"</dt><dd>{r}</dd> })}
                {a.clash_note.clone().map(|n| view! { <dt>"Clash"</dt><dd>{n}</dd> })}
            </dl>
            <Actions appointment=a.clone() directory=directory editing=editing />
            <Show when=move || ctx.may(Action::Export)>
                <button on:click=export.clone() data-testid="export-fhir">"Export (FHIR)"</button>
            </Show>
            {unlinked.then(|| view! { <crate::ui::patients::LinkPatient appointment=a.clone() /> })}
            <crate::ui::coverage::CoverageAtDesk appointment=a.clone() />
            <crate::ui::payments::Payments appointment=a.clone() directory=directory />
            <AppointmentTasks appointment=a.clone() directory=directory />
            <Offers appointment=a.clone() directory=directory />
            <h3>"History"</h3>
            <ol class="history" data-testid="history">
                {history.into_iter().rev().map(|(c, by)| view! {
                    <li>
                        <span class="when">{c.at.replace('T', " ").chars().take(16).collect::<String>()}</span>
                        <strong>{c.status.label()}</strong>
                        {c.room.map(|r| format!(" · {r}"))}
                        <span class="by">{format!(" · {by}")}</span>
                        {c.note.map(|n| view! { <div class="history-note">{n}</div> })}
                    </li>
                }).collect_view()}
            </ol>
        </section>
    }
}

/// The transitions this appointment can take now, as buttons.
#[component]
fn Actions(
    appointment: Appointment,
    directory: Memo<Directory>,
    editing: RwSignal<Option<AppointmentId>>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let a = appointment;
    let reason = RwSignal::new(String::new());
    let scope = RwSignal::new(Scope::ThisOne);
    let set = status_setter(ctx, directory, &a);
    let button = |to: Status, label: &'static str, test: &'static str| {
        let set = set.clone();
        a.status.can_become(to).then(|| {
            view! {
                <button data-testid=test on:click=move |_| set(to, None)>{label}</button>
            }
        })
    };
    let to_room = a.status.can_become(Status::InRoom).then(|| {
        room_select(
            ctx,
            directory,
            "",
            "detail-to-room",
            "Send to room…",
            set.clone(),
        )
    });
    let can_cancel = a.status.can_become(Status::Cancelled);
    let in_series = a.series.is_some();
    let cancel = {
        let a = a.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let who = ctx.who(&directory.get_untracked());
            let scope = scope.get();
            let doc = schedule_doc(&ctx.site.get_untracked(), a.start.date());
            // What undoing puts back: the appointment as the document holds it now, not
            // as this panel read it.
            let now = untrack(|| ctx.read(&doc, |am| schedule::get(am, &a.id)))
                .and_then(Result::ok)
                .unwrap_or_else(|| a.clone());
            if series::cancel(ctx, &a, &reason.get(), scope, &who) && scope == Scope::ThisOne {
                let text = words::steps::done(&a.patient_name, Status::Cancelled, None);
                let step = Step::new(&now, Status::Cancelled);
                offer_undo(ctx, directory, doc, step, text, &a.patient_name);
            }
        }
    };
    let editable = a.status.holds_slot() && a.status != Status::Fulfilled;
    view! {
        <div class="actions">
            {button(Status::Confirmed, "Confirm", "confirm")}
            {button(Status::Arrived, "Check in", "detail-check-in")}
            {to_room}
            {button(Status::Fulfilled, "Check out", "detail-check-out")}
            {button(Status::NoShow, "No-show", "no-show")}
            {button(Status::Booked, "Booked after all", "rebook")}
            {editable.then(|| { let id = a.id.clone(); view! { <button data-testid="edit" on:click=move |_| editing.set(Some(id.clone()))>"Change / reschedule"</button> } })}
        </div>
        {can_cancel.then(|| view! {
            <form class="cancel-form" on:submit=cancel>
                <label class="field">
                    <span class="label">"Cancel: reason"</span>
                    <input name="cancel_reason" prop:value=move || reason.get()
                        on:input=move |ev| reason.set(event_target_value(&ev)) />
                </label>
                {in_series.then(|| view! {
                    <label class="check"><input type="checkbox" data-testid="cancel-following"
                        on:change=move |ev| scope.set(if event_target_checked(&ev) { Scope::ThisAndFollowing } else { Scope::ThisOne }) />
                        " and the rest of the series"</label>
                })}
                <button type="submit" class="danger" data-testid="cancel">"Cancel appointment"</button>
            </form>
        })}
    }
}

/// For a freed slot: the waitlist patients it suits, each one touch from being booked.
#[component]
fn Offers(appointment: Appointment, directory: Memo<Directory>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let freed = appointment;
    if !matches!(freed.status, Status::Cancelled | Status::NoShow) {
        return ().into_any();
    }
    let list_doc = DocKind::Waitlist {
        site: ctx.site.get_untracked(),
    }
    .doc_id();
    let offers = {
        let (freed, list_doc) = (freed.clone(), list_doc.clone());
        Memo::new(move |_| {
            // Once someone has the slot again, there is nothing to offer.
            let taken = ctx
                .day_of(&ctx.site.get(), freed.start.date())
                .unwrap_or_default()
                .iter()
                .any(|a| {
                    a.id != freed.id
                        && a.status.holds_slot()
                        && a.provider == freed.provider
                        && a.overlaps(&freed)
                });
            if taken {
                return Vec::new();
            }
            let entries = ctx
                .read(&list_doc, waitlist::read)
                .and_then(Result::ok)
                .map(|(entries, _)| entries)
                .unwrap_or_default();
            waitlist::offers(&entries, &freed, ctx.now.get())
                .into_iter()
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    let book = Callback::new(move |entry: waitlist::WaitlistEntry| {
        let type_id = freed.type_id.clone();
        book_entry(
            ctx,
            directory,
            &entry,
            freed.provider.clone(),
            freed.start,
            type_id,
        );
    });
    view! {
        <Show when=move || !offers.get().is_empty()>
            <div class="offers" data-testid="offers">
                <h3>"Offer this slot"</h3>
                <ul>
                    <For each=move || offers.get() key=|e| e.id.clone() let(entry)>
                        <li>
                            <span>{entry.patient_name.clone()}{entry.phone.clone().map(|p| format!(" · {p}"))}</span>
                            <button class="primary" data-testid="offer-book" on:click={
                                let entry = entry.clone();
                                move |_| book.run(entry.clone())
                            }>"Book here"</button>
                        </li>
                    </For>
                </ul>
            </div>
        </Show>
    }
    .into_any()
}
