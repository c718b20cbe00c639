//! The tasks of an appointment, in its side panel: "Call to rebook" once it is a no-show,
//! "Claims follow-up" for an insurance or payment problem, and the cards already made for
//! it, each one tap from the board.

use leptos::prelude::*;

use crate::platform::local_now;
use crate::ui::tasks::{open_linked, read_board, tasks_place};
use crate::ui::{schedule_doc, Ctx, Tab};
use model::board::link::{claims_follow_up, rebook};
use model::board::BoardScope;
use model::{Appointment, Directory, Status};

#[component]
pub fn AppointmentTasks(appointment: Appointment, directory: Memo<Directory>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let tasks = tasks_place();
    let site = ctx.site.get_untracked();
    let scope = BoardScope::Site(site.clone());
    let doc = schedule_doc(&site, appointment.start.date()).to_string();
    let linked = {
        let (scope, id) = (scope.clone(), appointment.id.to_string());
        Memo::new(move |_| {
            let board = read_board(ctx, &scope)?;
            Some(
                board
                    .linked_to(&id)
                    .map(|c| {
                        let column = board
                            .column_of(c)
                            .map(|k| k.name.clone())
                            .unwrap_or_default();
                        (c.id.clone(), c.title.clone(), column)
                    })
                    .collect::<Vec<_>>(),
            )
        })
    };
    let call = {
        let (a, doc, site) = (appointment.clone(), doc.clone(), site.clone());
        move |_| {
            open_linked(
                ctx,
                tasks,
                &site,
                rebook(&a, &doc, local_now()),
                &directory.get_untracked(),
            )
        }
    };
    let problem = RwSignal::new(String::new());
    let asking = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let claims = {
        let a = appointment.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let note = problem.get_untracked();
            if note.trim().is_empty() {
                error.set(Some("Say what the insurance or payment problem is.".into()));
                return;
            }
            error.set(None);
            let request = claims_follow_up(&a, &doc, &note, local_now());
            open_linked(ctx, tasks, &site, request, &directory.get_untracked());
        }
    };
    let no_show = appointment.status == Status::NoShow;
    view! {
        <div class="appointment-tasks" data-testid="appointment-tasks">
            <h3>"Tasks"</h3>
            <ul class="task-rows">
                {move || linked.get().unwrap_or_default().into_iter().map(|(id, title, column)| {
                    let scope = scope.clone();
                    view! {
                        <li class="task-row">
                            <button type="button" class="task-open" data-testid="linked-task"
                                on:click=move |_| { tasks.card.set(Some((scope.clone(), id.clone()))); ctx.tab.set(Tab::Tasks) }>
                                <span class="task-title">{title}</span>
                                <span class="task-meta">{column}</span>
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <div class="actions">
                {no_show.then(|| view! {
                    <button type="button" data-testid="task-rebook" on:click=call.clone()>"Call to rebook"</button>
                })}
                <button type="button" data-testid="task-claims" on:click=move |_| asking.update(|a| *a = !*a)>"Claims follow-up…"</button>
            </div>
            <Show when=move || asking.get()>
                <form class="inline-add" on:submit=claims.clone()>
                    <input type="text" data-testid="claims-problem" aria-label="The insurance or payment problem"
                        placeholder="e.g. Claim denied: missing referral"
                        prop:value=move || problem.get() on:input=move |ev| problem.set(event_target_value(&ev)) />
                    <button type="submit" class="primary" data-testid="claims-create">"Make the task"</button>
                    <p class="field-error">{move || error.get()}</p>
                </form>
            </Show>
        </div>
    }
}
