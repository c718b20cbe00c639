//! The staff file, for managers, on a phone between sites: what falls due across every
//! site in the next 30 days first (probation ending, onboarding unfinished, training and
//! appraisals due), then one person's file ([`person`]), then the onboarding checklist the
//! manager keeps. The `staff-file` document is opened only by these pages.

mod person;

use leptos::prelude::*;

use crate::platform::local_now;
use crate::ui::settings::controls::RemoveButton;
use crate::ui::settings::fields::{Field, TextField};
use crate::ui::{directory_memo, today_memo, Ctx};
use model::staff_file::due::due;
use model::staff_file::{add_onboarding_item, archive_onboarding_item, step_words, StaffFiles};
use model::{DocKind, StaffId};

/// The staff file as last read; `None` while it loads.
fn read_files(ctx: Ctx) -> Memo<Option<StaffFiles>> {
    Memo::new(
        move |_| match ctx.read(&DocKind::StaffFile.doc_id(), StaffFiles::read)? {
            Ok(files) => {
                if files.unreadable > 0 {
                    ctx.report(format!(
                        "{} records of the staff file could not be read.",
                        files.unreadable
                    ));
                }
                Some(files)
            }
            Err(e) => {
                ctx.unreadable("The staff file", &e);
                Some(StaffFiles::default())
            }
        },
    )
}

#[component]
pub fn StaffFilePage() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let directory = directory_memo(ctx);
    let files = read_files(ctx);
    let chosen = RwSignal::new(None::<StaffId>);
    let today = today_memo(ctx);
    let due_list = move || {
        let today = today.get();
        let Some(files) = files.get() else {
            return view! { <p class="empty">"Loading the staff file…"</p> }.into_any();
        };
        let d = directory.get();
        let list = due(&files, &d, today);
        if list.is_empty() {
            return view! { <p class="empty" data-testid="staff-due-none">"Nothing falls due in the next 30 days."</p> }.into_any();
        }
        view! {
            <ul class="call-list">
                {list.into_iter().map(|item| {
                    let site = d.site(&item.site).map(|s| s.name.clone()).unwrap_or_default();
                    let late = item.overdue(today);
                    let staff = item.staff.clone();
                    let label = format!("{}: {}", item.name, item.describe());
                    view! {
                        <li class="call" data-testid="staff-due">
                            <button type="button" class="link" on:click=move |_| chosen.set(Some(staff.clone()))>{label}</button>
                            <p class="call-number" class:call-flag=late>
                                {format!("{} · {}{}", site, item.day.format("%a %-d %b %Y"), if late { " · overdue" } else { "" })}
                            </p>
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <section class="incidents card" data-testid="staff-file">
            <h2>"Staff files"</h2>
            <h3>"Due in the next 30 days, every site"</h3>
            {due_list}
            <label class="field">
                <span class="label">"Open the file of"</span>
                <select data-testid="staff-file-person" on:change=move |ev| {
                    let id = event_target_value(&ev);
                    chosen.set((!id.is_empty()).then(|| StaffId::from(id.as_str())));
                }>
                    <option value="" selected=move || chosen.with(Option::is_none)>"Choose a person…"</option>
                    {move || directory.get().staff.into_iter().map(|s| {
                        let id = s.id.clone();
                        view! {
                            <option value=s.id.to_string() selected=move || chosen.with(|c| c.as_ref() == Some(&id))>{s.name.clone()}</option>
                        }
                    }).collect_view()}
                </select>
            </label>
            {move || chosen.get().map(|staff| view! { <person::PersonFile staff=staff files=files directory=directory /> })}
            <Checklist files=files />
        </section>
    }
}

/// The onboarding checklist every newcomer goes through, kept by the manager.
#[component]
fn Checklist(files: Memo<Option<StaffFiles>>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let typed = Field::new("");
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(words) = typed.check(step_words(&typed.text())) else {
            return;
        };
        if ctx
            .edit(&DocKind::StaffFile.doc_id(), "add the step", |am| {
                add_onboarding_item(am, &words, local_now())
            })
            .is_some()
        {
            typed.value.set(String::new());
        }
    };
    view! {
        <details class="new-report">
            <summary>"Onboarding checklist"</summary>
            <ul class="call-list">
                {move || files.get().unwrap_or_default().checklist().cloned().collect::<Vec<_>>().into_iter().map(|item| {
                    let id = item.id.clone();
                    view! {
                        <li class="call" data-testid="onboarding-step">
                            <span>{item.text.clone()}</span>
                            <RemoveButton testid="onboarding-remove" what="this step from the checklist"
                                label=format!("Remove {} from the checklist", item.text)
                                on_remove=Callback::new(move |_| {
                                    let id = id.clone();
                                    ctx.edit(&DocKind::StaffFile.doc_id(), "remove the step", |am| archive_onboarding_item(am, &id));
                                }) />
                        </li>
                    }
                }).collect_view()}
            </ul>
            <form class="ops-inline-form" on:submit=add>
                <TextField label="New step" name="onboarding-new" field=typed placeholder="HIPAA training" />
                <button type="submit">"Add the step"</button>
            </form>
        </details>
    }
}
