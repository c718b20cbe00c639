//! Lists across every board: the open tasks of the person at this desk, and what is
//! overdue or due today at every site, for the manager on the phone.

use leptos::prelude::*;

use crate::ui::tasks::{scope_name, tasks_place};
use crate::ui::Ctx;
use model::board::due::{assigned_to, due_now, OnBoard};
use model::board::{Board, BoardScope};
use model::Directory;

type Boards = Memo<Option<Vec<(BoardScope, Board)>>>;

/// One task in a list: title, board, column and when it is due; a tap opens it.
fn row(directory: &Directory, task: &OnBoard<'_>, class: &'static str) -> impl IntoView {
    let tasks = tasks_place();
    let scope = task.scope.clone();
    let id = task.card.id.clone();
    let column = task
        .board
        .column_of(task.card)
        .map(|c| c.name.clone())
        .unwrap_or_default();
    let place = format!("{} · {column}", scope_name(directory, task.scope));
    let due = task.card.due.map(|d| d.describe());
    view! {
        <li class=format!("task-row {class}") data-testid="task-row">
            <button type="button" class="task-open" on:click=move |_| tasks.card.set(Some((scope.clone(), id.clone())))>
                <span class="task-title">{task.card.title.clone()}</span>
                <span class="task-meta">{place}{due.map(|d| format!(" · due {d}"))}</span>
            </button>
        </li>
    }
}

#[component]
pub fn MyTasks(boards: Boards, directory: Memo<Directory>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    view! {
        <section class="card task-list" data-testid="my-tasks">
            <h2>"My tasks"</h2>
            {move || {
                let Some(staff) = ctx.staff.get() else {
                    return view! { <p class="empty">"Choose who is at this desk in the top bar to see their tasks."</p> }.into_any();
                };
                let Some(all) = boards.get() else {
                    return view! { <p class="empty">"Loading the boards…"</p> }.into_any();
                };
                let d = directory.get();
                let mine = assigned_to(&all, &staff);
                if mine.is_empty() {
                    return view! { <p class="empty">"Nothing assigned to you that is still open."</p> }.into_any();
                }
                let now = ctx.now.get();
                view! {
                    <ul class="task-rows">
                        {mine.iter().map(|t| {
                            let class = if t.card.is_overdue(now) { "overdue" } else { "" };
                            row(&d, t, class)
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

#[component]
pub fn DueEverywhere(boards: Boards, directory: Memo<Directory>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    view! {
        <section class="card task-list" data-testid="due-everywhere">
            {move || {
                let Some(all) = boards.get() else {
                    return view! { <p class="empty">"Loading the boards…"</p> }.into_any();
                };
                let d = directory.get();
                let lists = due_now(&all, ctx.now.get());
                view! {
                    <h2>{format!("Overdue ({})", lists.overdue.len())}</h2>
                    {if lists.overdue.is_empty() {
                        view! { <p class="empty">"Nothing overdue at any site."</p> }.into_any()
                    } else {
                        view! { <ul class="task-rows" data-testid="overdue">{lists.overdue.iter().map(|t| row(&d, t, "overdue")).collect_view()}</ul> }.into_any()
                    }}
                    <h2>{format!("Due today ({})", lists.today.len())}</h2>
                    {if lists.today.is_empty() {
                        view! { <p class="empty">"Nothing else is due today."</p> }.into_any()
                    } else {
                        view! { <ul class="task-rows" data-testid="due-today">{lists.today.iter().map(|t| row(&d, t, "today")).collect_view()}</ul> }.into_any()
                    }}
                }.into_any()
            }}
        </section>
    }
}
