//! Tasks: the board of the site in view or of the whole organisation, the tasks of the
//! person at this desk, what is overdue or due today at every site (the manager's phone),
//! and the recurring tasks with the board's columns and labels.

mod board;
mod card;
pub mod links;
mod lists;
mod recurring;

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::DocId;

use crate::platform::local_now;
use crate::ui::{directory_memo, Ctx, Tab};
use model::board::link::{open_linked_card, LinkRequest};
use model::board::{template, Board, BoardScope, CardId};
use model::{Directory, DocKind, DocumentError, SiteId};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum View {
    Board,
    Mine,
    Due,
    Recurring,
}

/// The document of a board.
pub fn board_doc(scope: &BoardScope) -> DocId {
    DocKind::Board {
        scope: scope.clone(),
    }
    .doc_id()
}

/// A board's name for people: the site's name, or "Whole organisation".
pub fn scope_name(directory: &Directory, scope: &BoardScope) -> String {
    match scope {
        BoardScope::Org => "Whole organisation".into(),
        BoardScope::Site(site) => directory
            .sites
            .iter()
            .find(|s| &s.id == site)
            .map_or_else(|| site.as_str().to_string(), |s| s.name.clone()),
    }
}

/// A board, as last read ([`Ctx::board`]); `None` while it loads. A board or records that cannot be read are
/// reported.
pub fn read_board(ctx: Ctx, scope: &BoardScope) -> Option<Board> {
    match ctx.board(&board_doc(scope))? {
        Ok(board) => {
            if board.unreadable > 0 {
                ctx.report(format!(
                    "{} records of a task board could not be read.",
                    board.unreadable
                ));
            }
            Some(board)
        }
        Err(e) => {
            ctx.unreadable("A task board", &e);
            Some(Board::default())
        }
    }
}

/// Runs an edit on a board that needs the board as it is, read afresh inside the edit;
/// a refusal or failure is reported.
pub fn edit_board<T>(
    ctx: Ctx,
    scope: &BoardScope,
    what: &str,
    edit: impl FnOnce(&mut automerge::AutoCommit, &Board) -> Result<T, DocumentError>,
) -> Option<T> {
    ctx.edit(&board_doc(scope), what, |am| {
        let board = Board::read(am)?;
        edit(am, &board)
    })
}

/// Every board: the organisation's, then each site's; `None` while any loads.
fn all_boards(ctx: Ctx, directory: Memo<Directory>) -> Memo<Option<Vec<(BoardScope, Board)>>> {
    Memo::new(move |_| {
        let scopes = std::iter::once(BoardScope::Org).chain(
            directory
                .get()
                .sites
                .into_iter()
                .map(|s| BoardScope::Site(s.id)),
        );
        let mut boards = Vec::new();
        let mut loading = false;
        for scope in scopes {
            // Every board is asked for, so that all of them load at once.
            match read_board(ctx, &scope) {
                Some(board) => boards.push((scope, board)),
                None => loading = true,
            }
        }
        (!loading).then_some(boards)
    })
}

/// Makes the cards of recurring tasks that have fallen due, on the site's board and the
/// organisation's, once the first frame is painted and again when the boards or the day
/// change. Every device may do it: the cards' ids make a second copy the same card. The
/// equipment's service cards are made alongside ([`make_service_cards`]).
pub fn make_recurring_cards(ctx: Ctx, painted: RwSignal<bool>) {
    // The day, not the minute: nothing here changes within a day.
    let today = crate::ui::today_memo(ctx);
    Effect::new(move |_| {
        if !painted.get() {
            return;
        }
        let today = today.get();
        for scope in [BoardScope::Org, BoardScope::Site(ctx.site.get())] {
            let Some(board) = read_board(ctx, &scope) else {
                continue;
            };
            if template::missing(&board, today).is_empty() {
                continue;
            }
            edit_board(ctx, &scope, "make today's recurring tasks", |am, fresh| {
                template::generate(am, fresh, today, local_now())
            });
        }
    });
    let directory = directory_memo(ctx);
    Effect::new(move |_| {
        if painted.get() {
            make_service_cards(ctx, today.get(), directory);
        }
    });
}

/// Makes the maintenance cards of the site's equipment whose service falls due within a
/// fortnight ([`model::equipment::service_cards`]); a second device makes the same cards.
/// Only once the site's inventory is open on this device (Stock, Vendors, the manager's
/// pages open it): starting the app does not load a document for this alone.
fn make_service_cards(ctx: Ctx, today: chrono::NaiveDate, directory: Memo<Directory>) {
    use model::equipment::{read_all, service_cards};
    let site = ctx.site.get();
    let scope = BoardScope::Site(site.clone());
    let inventory = crate::ui::stock::inventory_doc(&site);
    ctx.changes.track(&inventory);
    if !ctx.driver.with_value(|d| d.is_open(&inventory)) {
        return;
    }
    let Some(Ok((equipment, _))) = ctx.read(&inventory, read_all) else {
        return;
    };
    let directory = directory.get_untracked();
    let Some(board) = read_board(ctx, &scope) else {
        return;
    };
    if service_cards(&board, &equipment, inventory.as_str(), &directory, today).is_empty() {
        return;
    }
    let who = ctx.who(&directory);
    edit_board(
        ctx,
        &scope,
        "make the equipment's service cards",
        move |am, fresh| {
            for request in service_cards(fresh, &equipment, inventory.as_str(), &directory, today) {
                open_linked_card(am, fresh, &request, &who, local_now())?;
            }
            Ok(())
        },
    );
}

/// Where Tasks stands: which board is shown and which card is open. The shell makes it once,
/// so it survives a visit to another page and other areas can open a card in it.
#[derive(Clone, Copy)]
pub struct TasksPlace {
    /// Whether Tasks shows the organisation's board rather than the site's.
    pub org_board: RwSignal<bool>,
    /// The card open in the side panel, with its board.
    pub card: RwSignal<Option<(BoardScope, CardId)>>,
    /// The view the next opening of Tasks starts on, when another page asked for one (the
    /// manager's "Tasks due" on Sites); else Tasks opens on the board.
    pub open_on: RwSignal<Option<View>>,
}

impl TasksPlace {
    pub fn new() -> Self {
        Self {
            org_board: RwSignal::new(false),
            card: RwSignal::new(None),
            open_on: RwSignal::new(None),
        }
    }
}

impl Default for TasksPlace {
    fn default() -> Self {
        Self::new()
    }
}

/// The shell's place of Tasks, or one made here for a view mounted alone (the view tests).
/// Call it while a view is made, not in an event handler.
pub fn tasks_place() -> TasksPlace {
    crate::ui::area_place(TasksPlace::new)
}

/// Opens the card another area asks for on `site`'s board (making it the first time) and
/// shows it in Tasks. The link point of the schedule and the inventory.
pub fn open_linked(
    ctx: Ctx,
    place: TasksPlace,
    site: &SiteId,
    request: LinkRequest,
    directory: &Directory,
) {
    let scope = BoardScope::Site(site.clone());
    let who = ctx.who(directory);
    let doc = board_doc(&scope);
    let driver = ctx.driver.get_value();
    // The board may still be loading (the desk just changed site): wait for it.
    spawn_local(async move {
        let opened = driver
            .edit_loaded(&doc, move |am| {
                let board = Board::read(am)?;
                open_linked_card(am, &board, &request, &who, local_now())
            })
            .await;
        match opened {
            Ok(id) => {
                place.org_board.set(false);
                place.card.set(Some((scope, id)));
                ctx.tab.set(Tab::Tasks);
            }
            Err(e) => ctx.could_not("open the task", &e),
        }
    });
}

#[component]
pub fn Tasks() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let directory = directory_memo(ctx);
    let place = tasks_place();
    let view_mode = RwSignal::new(place.open_on.get_untracked().unwrap_or(View::Board));
    place.open_on.set(None);
    let scope = Memo::new(move |_| {
        if place.org_board.get() {
            BoardScope::Org
        } else {
            BoardScope::Site(ctx.site.get())
        }
    });
    let boards = all_boards(ctx, directory);
    let mode = move |which: View, label: &'static str, id: &'static str| {
        view! {
            <button type="button" class:active=move || view_mode.get() == which data-testid=id
                on:click=move |_| view_mode.set(which)>{label}</button>
        }
    };
    view! {
        <div class="tasks">
            <div class="tasks-nav">
                <div class="mode">
                    {mode(View::Board, "Board", "tasks-board")}
                    {mode(View::Mine, "My tasks", "tasks-mine")}
                    {mode(View::Due, "Due", "tasks-due")}
                    {mode(View::Recurring, "Recurring & columns", "tasks-recurring")}
                </div>
                <Show when=move || matches!(view_mode.get(), View::Board | View::Recurring)>
                    <select class="board-picker" data-testid="board-picker" aria-label="Board"
                        prop:value=move || if place.org_board.get() { "org" } else { "site" }
                        on:change=move |ev| place.org_board.set(event_target_value(&ev) == "org")>
                        <option value="site">{move || format!("Board: {}", scope_name(&directory.get(), &BoardScope::Site(ctx.site.get())))}</option>
                        <option value="org">"Board: Whole organisation"</option>
                    </select>
                </Show>
            </div>
            <div class="tasks-body">
                <div class="tasks-main">
                    {move || match view_mode.get() {
                        View::Board => view! { <board::BoardView scope=scope /> }.into_any(),
                        View::Mine => view! { <lists::MyTasks boards=boards directory=directory /> }.into_any(),
                        View::Due => view! { <lists::DueEverywhere boards=boards directory=directory /> }.into_any(),
                        View::Recurring => view! { <recurring::Recurring scope=scope /> }.into_any(),
                    }}
                </div>
                <Show when=move || place.card.with(Option::is_some)>
                    <aside class="side">
                        <card::CardPanel />
                    </aside>
                </Show>
            </div>
        </div>
    }
}
