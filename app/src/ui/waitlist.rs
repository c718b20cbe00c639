//! The site's waitlist: patients who want an earlier slot. Each waiting entry with a
//! provider shows the next free slot that suits it, one touch from being booked; freed
//! slots are also offered from the cancelled appointment itself.

use chrono::{Duration, NaiveDateTime};
use leptos::prelude::*;

use crate::platform::local_now;
use crate::ui::{directory_memo, schedule_doc, Ctx};
use model::appointment::ValidBooking;
use model::away::DaysOff;
use model::schedule::{self, undo, undo::Step};
use model::slots::next_free_slot;
use model::waitlist::{self, EntryState, WaitlistEntry, WaitlistForm};
use model::{Directory, DocKind, ProviderId, TypeId};

/// How far ahead a slot is looked for.
const LOOK_AHEAD_DAYS: u32 = 45;

#[component]
pub fn Waitlist() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let directory = directory_memo(ctx);
    let doc = move || {
        DocKind::Waitlist {
            site: ctx.site.get(),
        }
        .doc_id()
    };
    let entries = Memo::new(move |_| match ctx.read(&doc(), waitlist::read) {
        Some(Ok((entries, unreadable))) => {
            if unreadable > 0 {
                ctx.report(format!("{unreadable} waitlist entries could not be read."));
            }
            Some(entries)
        }
        Some(Err(e)) => {
            ctx.unreadable("The waitlist", &e);
            Some(Vec::new())
        }
        None => None,
    });
    let form = RwSignal::new(WaitlistForm {
        duration_minutes: "20".into(),
        ..WaitlistForm::default()
    });
    let error = RwSignal::new(None::<String>);
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match form
            .get()
            .validate(&directory.get(), &ctx.site.get(), local_now())
        {
            Ok(entry) => {
                error.set(None);
                if ctx
                    .edit(&doc(), "add to the waitlist", |am| {
                        waitlist::put(am, &entry)
                    })
                    .is_some()
                {
                    form.set(WaitlistForm {
                        duration_minutes: "20".into(),
                        ..WaitlistForm::default()
                    });
                }
            }
            Err(message) => error.set(Some(message)),
        }
    };
    let text = move |name: &'static str,
                     label: &'static str,
                     kind: &'static str,
                     get: fn(&WaitlistForm) -> String,
                     set: fn(&mut WaitlistForm, String)| {
        view! {
            <label class="field">
                <span class="label">{label}</span>
                <input name=name type=kind prop:value=move || form.with(get)
                    on:input=move |ev| { let v = event_target_value(&ev); form.update(|f| set(f, v)) } />
            </label>
        }
    };
    view! {
        <div class="waitlist">
            <section class="card">
                <h2>"Waitlist"</h2>
                {move || match entries.get() {
                    None => view! { <p class="empty">"Loading…"</p> }.into_any(),
                    Some(list) if list.iter().all(|e| e.state != EntryState::Waiting) => view! {
                        <p class="empty">"Nobody is waiting for an earlier slot."</p>
                    }.into_any(),
                    Some(list) => view! {
                        <ul class="waitlist-entries">
                            {list.into_iter().filter(|e| e.state == EntryState::Waiting).map(|e| view! {
                                <Entry entry=e directory=directory />
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }}
            </section>
            <section class="card">
                <h3>"Add a patient"</h3>
                <form on:submit=add novalidate data-testid="waitlist-form">
                    {text("patient_name", "Patient name", "text", |f| f.patient_name.clone(), |f, v| f.patient_name = v)}
                    {text("phone", "Phone", "tel", |f| f.phone.clone(), |f, v| f.phone = v)}
                    <label class="field">
                        <span class="label">"Provider"</span>
                        <select name="provider" prop:value=move || form.with(|f| f.provider.clone())
                            on:change=move |ev| { let v = event_target_value(&ev); form.update(|f| f.provider = v) }>
                            <option value="">"Any provider"</option>
                            {move || { let site = ctx.site.get(); directory.with(|d| d.providers_at(&site).map(|p| view! {
                                <option value=p.id.to_string()>{p.name.clone()}</option>
                            }).collect_view()) }}
                        </select>
                    </label>
                    {text("duration_minutes", "Minutes needed", "number", |f| f.duration_minutes.clone(), |f, v| f.duration_minutes = v)}
                    {text("before", "Earlier than (their current booking)", "date", |f| f.before.clone(), |f, v| f.before = v)}
                    {text("notes", "Notes", "text", |f| f.notes.clone(), |f, v| f.notes = v)}
                    <span class="field-error" data-testid="error-waitlist">{move || error.get()}</span>
                    <button class="primary" type="submit" data-testid="add-waitlist">"Add to waitlist"</button>
                </form>
            </section>
        </div>
    }
}

#[component]
fn Entry(entry: WaitlistEntry, directory: Memo<Directory>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let provider = entry
        .provider
        .as_ref()
        .map(|p| directory.with_untracked(|d| d.provider_name(p)));
    let slot = {
        let entry = entry.clone();
        Memo::new(move |_| -> Option<NaiveDateTime> {
            let site_id = ctx.site.get();
            let d = directory.get();
            let provider = d.provider(entry.provider.as_ref()?)?;
            let site = d.site(&site_id)?;
            let now = ctx.now.get();
            let until = now.date() + Duration::days(i64::from(LOOK_AHEAD_DAYS));
            let months = ctx.months(&site_id, now.date(), until)?;
            let loaded = months.iter().flat_map(|m| &m.appointments);
            let start = next_free_slot(
                loaded,
                provider,
                site,
                &DaysOff::of(&d, &provider.id, &site_id),
                entry.duration_minutes,
                now,
                LOOK_AHEAD_DAYS,
            )?;
            entry
                .before
                .is_none_or(|day| start.date() < day)
                .then_some(start)
        })
    };
    let list_doc = DocKind::Waitlist {
        site: ctx.site.get_untracked(),
    }
    .doc_id();
    let remove = {
        let (entry, list_doc) = (entry.clone(), list_doc.clone());
        move |_| {
            let mut gone = entry.clone();
            gone.state = EntryState::Removed;
            ctx.edit(&list_doc, "update the waitlist", |am| {
                waitlist::put(am, &gone)
            });
        }
    };
    let book = {
        let entry = entry.clone();
        move |_| {
            let (Some(start), Some(provider)) = (slot.get_untracked(), entry.provider.clone())
            else {
                return;
            };
            book_entry(ctx, directory, &entry, provider, start, None);
        }
    };
    view! {
        <li class="waitlist-entry" data-testid="waitlist-entry">
            <div>
                <strong>{entry.patient_name.clone()}</strong>
                {entry.phone.clone().map(|p| format!(" · {p}"))}
                <div class="meta">
                    {format!("{} min · {}", entry.duration_minutes, provider.unwrap_or_else(|| "any provider".into()))}
                    {entry.before.map(|d| format!(" · before {}", d.format("%-d %b")))}
                </div>
            </div>
            <div class="actions">
                {move || slot.get().map(|start| view! {
                    <button class="primary" data-testid="waitlist-book" on:click=book.clone()>
                        {format!("Book {}", start.format("%a %-d %b %H:%M"))}
                    </button>
                })}
                <button data-testid="waitlist-remove" on:click=remove>"Remove"</button>
            </div>
        </li>
    }
}

/// Books a waitlist patient into a slot (`type_id`: that of the freed appointment, if
/// any) and marks the entry booked.
pub fn book_entry(
    ctx: Ctx,
    directory: Memo<Directory>,
    entry: &WaitlistEntry,
    provider: ProviderId,
    start: NaiveDateTime,
    type_id: Option<TypeId>,
) {
    let mut booking =
        ValidBooking::new(&entry.patient_name, provider, start, entry.duration_minutes);
    booking.phone = entry.phone.clone();
    booking.notes = entry.notes.clone();
    booking.type_id = type_id;
    let who = ctx.who(&directory.get_untracked());
    let doc = schedule_doc(&ctx.site.get_untracked(), start.date());
    let booked = ctx.edit(&doc, "book from the waitlist", |am| {
        schedule::book(am, &booking, &who, local_now())
    });
    let Some(id) = booked else {
        return;
    };
    let mut taken = entry.clone();
    taken.state = EntryState::Booked;
    let list = DocKind::Waitlist {
        site: ctx.site.get_untracked(),
    }
    .doc_id();
    if ctx
        .edit(&list, "update the waitlist", |am| waitlist::put(am, &taken))
        .is_none()
    {
        return;
    }
    // Undoing withdraws the booking and puts the patient back on the waitlist as they were.
    let (before, patient) = (entry.clone(), entry.patient_name.clone());
    let text = crate::words::steps::booked_from_waitlist(&patient, start);
    ctx.done(text, move || {
        let who = ctx.who(&directory.get_untracked());
        let step = Step::booking(&id);
        let withdrawn = ctx.edit(&doc, "undo the booking", |am| {
            undo::take_back(am, &step, &who, local_now())
        });
        if withdrawn.is_some()
            && ctx
                .edit(&list, "put the patient back on the waitlist", |am| {
                    waitlist::put(am, &before)
                })
                .is_some()
        {
            ctx.said(crate::words::steps::back_on_waitlist(&patient));
        }
    });
}
