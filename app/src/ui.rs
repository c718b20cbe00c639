//! The Leptos interface. Pages live in their own modules; [`App`] starts the device and
//! shares its state through context.

mod audit;
mod booking;
pub mod budget;
pub mod calls;
mod changes;
pub mod clock;
pub mod conflicts;
mod context;
pub mod coverage;
mod detail;
mod emergency;
pub mod grid;
pub mod incidents;
pub mod lock;
mod nav;
mod patient_pick;
pub mod patients;
pub mod payments;
mod pickers;
mod print;
pub mod register;
pub mod reports;
pub mod roster;
pub mod series;
pub mod settings;
mod setup;
mod sites;
pub mod staff_file;
mod start;
mod status_bar;
pub mod stock;
pub mod takings;
pub mod tasks;
pub mod today;
pub mod undo;
pub mod vendors;
pub mod waitlist;
mod week;

pub use context::{area_place, Changes, Signals};
pub use nav::Tab;
pub use start::{App, Identity};

use std::collections::HashMap;
use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::DocId;
use wasm_bindgen::JsCast;

use chrono::{NaiveDate, NaiveDateTime};

use crate::platform::driver::Driver;
use crate::platform::local_now;
use crate::words::say;
use model::access::Role;
use model::board::Board;
use model::inventory::Inventory;
use model::month::MonthView;
use model::schedule::{Schedule, Who};
use model::{
    Appointment, AppointmentId, Directory, DocKind, DocumentError, Provider, SiteId, StaffId,
};
use sync_engine::SyncStatus;

/// The IndexedDB database of the app.
pub const DATABASE: &str = "front-desk";

/// Minutes of waiting after check-in before a wait is highlighted, unless set in Settings.
pub const DEFAULT_WAIT_THRESHOLD: i64 = 15;

/// A document as last read, with the heads it was read at.
type Reading<T> = (Vec<automerge::ChangeHash>, T);

/// The last reading of each document of one kind, by document.
type Cache<T> = StoredValue<HashMap<DocId, Reading<T>>, LocalStorage>;

/// A month's stock movements, and how many of them do not read.
pub type StockLog = (Vec<model::inventory::Movement>, usize);

/// What every page shares: the running driver and what it reports, and the desk's choices.
#[derive(Clone, Copy)]
pub struct Ctx {
    pub driver: StoredValue<Driver, LocalStorage>,
    pub status: RwSignal<SyncStatus>,
    /// One change signal per document: every read through `Ctx` tracks the document it
    /// reads, so a view runs again when a document it shows changed, not when any did.
    pub changes: Changes,
    pub problems: RwSignal<Vec<String>>,
    /// The organisation's device tokens, once asked for (Settings, Devices).
    pub devices: RwSignal<Option<crate::platform::driver::Devices>>,
    pub site: RwSignal<SiteId>,
    /// The site this device is set to work at (remembered on it): where it returns when it
    /// locks after a colleague from another site was signed in.
    pub device_site: StoredValue<SiteId, LocalStorage>,
    /// The day the schedule shows; kept here so that it survives a visit to Settings.
    pub day: RwSignal<NaiveDate>,
    pub persisted: RwSignal<Option<bool>>,
    pub tab: RwSignal<Tab>,
    /// The member of staff signed in at this desk (a staff id), named in every history
    /// entry and in every change's metadata; `None` while the device is locked.
    pub staff: RwSignal<Option<StaffId>>,
    /// The signed-in person's role: what the views offer them.
    pub role: RwSignal<Option<Role>>,
    /// Emergency access is open: the signed-in person sees what a manager sees until the
    /// device locks.
    pub emergency: RwSignal<bool>,
    /// The appointment whose opening was last recorded in the audit ([`audit::viewed`]).
    pub(crate) last_viewed: StoredValue<Option<AppointmentId>, LocalStorage>,
    /// How this device locks itself when nobody touches it.
    pub locking: RwSignal<lock::Locking>,
    /// Minutes a checked-in patient may wait before the wait is highlighted.
    pub wait_threshold: RwSignal<i64>,
    /// How tall the day grid draws the day, chosen on this device.
    pub density: RwSignal<grid::Density>,
    /// The appointment open in the side panel.
    pub selected: RwSignal<Option<AppointmentId>>,
    /// The wall-clock minute, ticking, for the current-time line and waiting times.
    pub now: RwSignal<NaiveDateTime>,
    /// What was just done, with its "Undo" ([`undo::DoneBar`]).
    pub done: RwSignal<Option<undo::Done>>,
    /// A question asked before a step ([`undo::AskFirst`]).
    pub asking: RwSignal<Option<undo::Question>>,
    /// The months read so far, each followed change by change.
    views: StoredValue<HashMap<DocId, MonthView>, LocalStorage>,
    /// The last reading of each board and the heads it was read at: every view of a board
    /// (the page, the card panel, an appointment's tasks, the recurring cards) shares it,
    /// and a board is read again only when it has changed.
    boards: Cache<Board>,
    /// The same for each site's inventory, shared rather than copied: it may hold
    /// thousands of items.
    inventories: Cache<Arc<Inventory>>,
    /// The same for each month's stock log.
    logs: Cache<Arc<StockLog>>,
    /// The patient register's readings ([`register::register`]).
    patients: StoredValue<register::Readings, LocalStorage>,
}

impl Ctx {
    /// Shows a problem in the frame's list, once however often it is reported.
    pub fn report(&self, message: impl Into<String>) {
        let message = message.into();
        self.problems.update(|p| {
            if !p.contains(&message) {
                p.push(message);
            }
        });
    }

    /// Reports that `what` ("book the appointment") could not be done, and why.
    pub fn could_not(&self, what: &str, error: &DocumentError) {
        self.report(format!("Could not {what}: {}", say(error)));
    }

    /// Reports that `what` ("The schedule") could not be read, and why.
    pub fn unreadable(&self, what: &str, error: &DocumentError) {
        self.report(format!("{what} could not be read: {}", say(error)));
    }

    /// Closes the chosen appointment. Only when one is open: setting the signal always
    /// notifies, and the side panel would rebuild the booking form and lose what is typed.
    pub fn deselect(&self) {
        if self.selected.get_untracked().is_some() {
            self.selected.set(None);
        }
    }

    /// Makes `site` the one this device works at, remembered across restarts (the caller
    /// shows it).
    pub fn work_at(&self, site: &SiteId) {
        self.device_site.set_value(site.clone());
        self.remember("site", site.as_str().to_string());
    }

    /// Keeps a choice of this device's (site, thresholds, locking) across restarts.
    pub fn remember(&self, key: &'static str, value: String) {
        self.driver.with_value(|d| d.remember(key, value));
    }

    /// Who makes a change from this desk.
    pub fn who(&self, directory: &Directory) -> Who {
        Who {
            device: self.driver.with_value(|d| d.device()),
            staff: self
                .staff
                .get_untracked()
                .and_then(|id| directory.staff_member(&id).map(|s| s.name.clone())),
        }
    }

    /// Runs an edit on a loaded document; a refusal or failure is reported. Returns whether
    /// it worked.
    pub fn edit<T>(
        &self,
        doc: &DocId,
        what: &str,
        edit: impl FnOnce(&mut automerge::AutoCommit) -> Result<T, DocumentError>,
    ) -> Option<T> {
        match self.driver.with_value(|d| d.edit(doc, edit)) {
            Ok(value) => Some(value),
            Err(e) => {
                self.could_not(what, &e);
                None
            }
        }
    }

    /// Like [`Ctx::edit`], for a document that may still have to be loaded from storage.
    pub fn edit_later(
        &self,
        doc: DocId,
        what: &'static str,
        edit: impl FnOnce(&mut automerge::AutoCommit) -> Result<(), DocumentError> + 'static,
    ) {
        let ctx = *self;
        let driver = self.driver.get_value();
        spawn_local(async move {
            if let Err(e) = driver.edit_loaded(&doc, edit).await {
                ctx.could_not(what, &e);
            }
        });
    }

    /// Whether the relay refused `doc` to this device (a site it is not enrolled for);
    /// follows changes.
    pub fn not_enrolled(&self, doc: &DocId) -> bool {
        self.changes.track(doc);
        self.driver.with_value(|d| d.is_refused(doc))
    }

    /// Where a document stands now: what an edit made "as from here" starts from.
    pub fn heads(&self, doc: &DocId) -> Vec<automerge::ChangeHash> {
        self.changes.track(doc);
        self.driver
            .with_value(|d| d.follow(doc, |document| document.heads()))
            .unwrap_or_default()
    }

    /// The board in `doc`, read again only when the document has changed since the last
    /// reading; `None` while it loads.
    pub fn board(&self, doc: &DocId) -> Option<Result<Board, DocumentError>> {
        self.cached(doc, self.boards, Board::read)
    }

    /// A site's inventory in `doc`, read again only when the document has changed since the
    /// last reading; `None` while it loads.
    pub fn inventory(&self, doc: &DocId) -> Option<Result<Arc<Inventory>, DocumentError>> {
        self.cached(doc, self.inventories, |am| {
            Inventory::read(am).map(Arc::new)
        })
    }

    /// A month's stock log in `doc` and how many of its movements do not read, read again
    /// only when the log has changed: a movement today leaves the other months' readings.
    pub fn stock_log(&self, doc: &DocId) -> Option<Result<Arc<StockLog>, DocumentError>> {
        self.cached(doc, self.logs, |am| {
            model::inventory::movement::read_log(am).map(Arc::new)
        })
    }

    /// `read` of `doc`, kept in `cache` with the heads it was read at and read again only
    /// when the document has changed since; `None` while it loads.
    fn cached<T: Clone + 'static>(
        &self,
        doc: &DocId,
        cache: Cache<T>,
        read: impl FnOnce(&automerge::AutoCommit) -> Result<T, DocumentError>,
    ) -> Option<Result<T, DocumentError>> {
        self.changes.track(doc);
        let found = self.driver.with_value(|d| {
            d.follow(doc, |document| {
                let heads = document.heads();
                let kept = cache.with_value(|all| {
                    all.get(doc)
                        .filter(|(at, _)| *at == heads)
                        .map(|(_, value)| value.clone())
                });
                if let Some(value) = kept {
                    return Ok(value);
                }
                let value = read(document.automerge())?;
                cache.update_value(|all| {
                    all.insert(doc.clone(), (heads, value.clone()));
                });
                Ok(value)
            })
        });
        match found {
            Ok(result) => Some(result),
            Err(DocumentError::Loading) => None,
            Err(e) => Some(Err(e)),
        }
    }

    /// Reads a document, showing a problem when it cannot be read; `None` while loading.
    pub fn read<T>(
        &self,
        doc: &DocId,
        read: impl FnOnce(&automerge::AutoCommit) -> T,
    ) -> Option<T> {
        self.changes.track(doc);
        match self.driver.with_value(|d| d.read(doc, read)) {
            Ok(value) => Some(value),
            Err(DocumentError::Loading) => None,
            Err(e) => {
                self.unreadable(&doc.to_string(), &e);
                None
            }
        }
    }

    /// The schedules of `site` for every month from `from` to `to`; `None` while any of
    /// them loads. Shared readings, not copies: iterate their appointments.
    pub fn months(
        &self,
        site: &SiteId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Option<Vec<Arc<Schedule>>> {
        use chrono::Months;
        let mut month = model::document::first_of_month(from);
        let mut all = Vec::new();
        let mut waiting = false;
        while month <= to {
            // Every month is asked for, so that all of them load at once.
            match self.month(site, month) {
                Some(schedule) => all.push(schedule),
                None => waiting = true,
            }
            month = month.checked_add_months(Months::new(1))?;
        }
        (!waiting).then_some(all)
    }

    /// The appointments of `site` on `day`; `None` while the month loads. Until a view has
    /// read the whole month, only the day is read: on a busy month that is what lets the
    /// schedule show quickly when the app opens.
    pub fn day_of(&self, site: &SiteId, day: NaiveDate) -> Option<Vec<Appointment>> {
        let doc = schedule_doc(site, day);
        if self.views.with_value(|all| all.contains_key(&doc)) {
            return Some(self.month(site, day)?.on_day(day).cloned().collect());
        }
        match self.read(&doc, |am| Schedule::read_day(am, day))? {
            Ok(list) => Some(list),
            Err(e) => {
                self.unreadable("The schedule", &e);
                Some(Vec::new())
            }
        }
    }

    /// The schedule of `site` in the month of `day`; `None` while it loads. Every view
    /// shares one reading per month, brought up to date change by change (a booking reads
    /// one record again, not the month).
    pub fn month(&self, site: &SiteId, day: NaiveDate) -> Option<Arc<Schedule>> {
        let doc = schedule_doc(site, day);
        self.changes.track(&doc);
        let views = self.views;
        let followed = self.driver.with_value(|d| {
            d.follow(&doc, |document| {
                let mut result = Ok(());
                views.update_value(|all| match all.get_mut(&doc) {
                    Some(view) => result = view.refresh(document).map(|_| ()),
                    None => match MonthView::new(document) {
                        Ok(view) => {
                            all.insert(doc.clone(), view);
                        }
                        Err(e) => result = Err(e),
                    },
                });
                result
            })
        });
        let schedule = match followed {
            Ok(Ok(())) => views.with_value(|all| all.get(&doc).map(MonthView::schedule))?,
            Err(DocumentError::Loading) => return None,
            Ok(Err(e)) | Err(e) => {
                self.unreadable("The schedule", &e);
                return Some(Arc::default());
            }
        };
        if schedule.unreadable > 0 {
            self.report(format!(
                "{} appointments in {doc} could not be read.",
                schedule.unreadable
            ));
        }
        Some(schedule)
    }
}

impl Ctx {
    /// The context of a started device, showing `site` on `day`.
    pub fn new(driver: Driver, signals: Signals, site: SiteId, day: NaiveDate) -> Self {
        Self {
            driver: StoredValue::new_local(driver),
            status: signals.status,
            changes: signals.changes,
            problems: signals.problems,
            devices: signals.devices,
            device_site: StoredValue::new_local(site.clone()),
            site: RwSignal::new(site),
            day: RwSignal::new(day),
            persisted: RwSignal::new(None),
            tab: RwSignal::new(Tab::Today),
            staff: RwSignal::new(None),
            role: RwSignal::new(None),
            emergency: RwSignal::new(false),
            last_viewed: StoredValue::new_local(None),
            locking: RwSignal::new(lock::Locking::default()),
            wait_threshold: RwSignal::new(DEFAULT_WAIT_THRESHOLD),
            density: RwSignal::new(grid::Density::default()),
            selected: RwSignal::new(None),
            now: RwSignal::new(this_minute()),
            done: RwSignal::new(None),
            asking: RwSignal::new(None),
            views: StoredValue::new_local(HashMap::new()),
            boards: StoredValue::new_local(HashMap::new()),
            inventories: StoredValue::new_local(HashMap::new()),
            logs: StoredValue::new_local(HashMap::new()),
            patients: StoredValue::new_local(register::Readings::default()),
        }
    }
}

/// The frame around every page: top bar with the site, the person at the desk and the sync
/// status, problems, the page.
#[component]
pub(crate) fn Shell(ctx: Ctx) -> impl IntoView {
    provide_context(ctx);
    let tab = ctx.tab;
    let directory = read_directory(ctx);
    provide_context(SharedDirectory(directory));
    pickers::keep_to_own_sites(ctx, directory);
    lock::follow_sign_in(ctx, directory);
    provide_context(roster::RosterPlace::new(ctx.day.get_untracked()));
    provide_context(tasks::TasksPlace::new());
    provide_context(stock::StockPlace::new());
    // The clashes wait for the first paint: finding a busy month's clashes should not hold
    // up the schedule a person opened the app to see. The badge and the Conflicts page
    // share them.
    let painted = RwSignal::new(false);
    after_next_paint(move || {
        // From touching one's name on the lock screen to the page on screen, PIN check
        // included (no measure when the shell opened otherwise).
        crate::platform::measure("front-desk:name-to-page", "front-desk:name-touched");
        painted.set(true)
    });
    let clashes = conflicts::open_clashes(ctx, directory, painted);
    // Recurring tasks fall due whether or not anyone opens Tasks today.
    tasks::make_recurring_cards(ctx, painted);
    provide_context(conflicts::OpenClashes(clashes));
    let conflicts = Memo::new(move |_| clashes.with(Vec::len));
    view! {
        <header class="top-bar">
            <span class="brand">"Front desk"</span>
            <pickers::SitePicker directory=directory />
            <nav::Tabs conflicts=conflicts />
            <lock::SignedIn directory=directory />
            <emergency::EmergencyAccess />
            <status_bar::SyncBadge />
        </header>
        <emergency::EmergencyBanner />
        <ul class="problems">
            <For each=move || ctx.problems.get() key=|p| p.clone() let(problem)>
                <li class="problem" data-testid="problem">
                    <span>{problem.clone()}</span>
                    <button class="dismiss" aria-label="Dismiss"
                        on:click=move |_| ctx.problems.update(|list| list.retain(|p| *p != problem))>"×"</button>
                </li>
            </For>
        </ul>
        <main class="page" tabindex="-1">
            {move || match tab.get() {
                which if !which.allowed(ctx) => view! { <today::Today /> }.into_any(),
                Tab::Today => view! { <today::Today /> }.into_any(),
                Tab::Patients => view! { <patients::Patients /> }.into_any(),
                Tab::Calls => view! { <calls::Calls /> }.into_any(),
                Tab::Takings => view! { <takings::Takings /> }.into_any(),
                Tab::Conflicts => view! { <conflicts::Conflicts /> }.into_any(),
                Tab::Waitlist => view! { <waitlist::Waitlist /> }.into_any(),
                Tab::Tasks => view! { <tasks::Tasks /> }.into_any(),
                Tab::Stock => view! { <stock::Stock /> }.into_any(),
                Tab::Roster => view! { <roster::Roster /> }.into_any(),
                Tab::Sites => view! { <sites::Sites /> }.into_any(),
                Tab::Reports => view! { <reports::Reports /> }.into_any(),
                Tab::Incidents => view! { <incidents::Incidents /> }.into_any(),
                Tab::Budget => view! { <budget::BudgetPage /> }.into_any(),
                Tab::Vendors => view! { <vendors::Vendors /> }.into_any(),
                Tab::StaffFile => view! { <staff_file::StaffFilePage /> }.into_any(),
                Tab::Audit => view! { <audit::Audit /> }.into_any(),
                Tab::Settings => view! { <settings::Settings /> }.into_any(),
            }}
        </main>
        <undo::DoneBar />
        <undo::AskFirst />
    }
}

/// The wall-clock time to the minute.
pub(crate) fn this_minute() -> NaiveDateTime {
    use chrono::Timelike;
    let now = local_now();
    now.with_second(0)
        .and_then(|t| t.with_nanosecond(0))
        .unwrap_or(now)
}

/// Runs `then` once the browser has painted the next frame: a callback of the frame after
/// it runs only once that frame is on screen, and a timeout from there leaves the frame's
/// own work to finish first.
fn after_next_paint(then: impl FnOnce() + 'static) {
    let Some(window) = web_sys::window() else {
        return then();
    };
    let next = window.clone();
    let first = wasm_bindgen::closure::Closure::once_into_js(move || {
        let second = wasm_bindgen::closure::Closure::once_into_js(move || {
            gloo::timers::callback::Timeout::new(0, then).forget();
        });
        let _ = next.request_animation_frame(second.unchecked_ref());
    });
    let _ = window.request_animation_frame(first.unchecked_ref());
}

/// The directory the shell reads for every page.
#[derive(Clone, Copy)]
struct SharedDirectory(Memo<Directory>);

/// The day of the ticking clock: what views that change by the day follow, rather than
/// the minute.
pub fn today_memo(ctx: Ctx) -> Memo<chrono::NaiveDate> {
    Memo::new(move |_| ctx.now.get().date())
}

/// The organisation's directory, re-read whenever it changes: the shell's, or a reading of
/// its own for a view mounted alone (the view tests).
pub fn directory_memo(ctx: Ctx) -> Memo<Directory> {
    use_context::<SharedDirectory>()
        .map(|d| d.0)
        .unwrap_or_else(|| read_directory(ctx))
}

/// The currency the practice keeps its amounts in, as the directory holds it now.
pub fn currency_memo(ctx: Ctx) -> Memo<model::money::Currency> {
    let directory = directory_memo(ctx);
    Memo::new(move |_| directory.with(|d| d.currency))
}

/// Reads the directory on each of its changes, and tells the person when it, or any of its
/// records, cannot be read.
pub(crate) fn read_directory(ctx: Ctx) -> Memo<Directory> {
    Memo::new(
        move |_| match ctx.read(&DocKind::Directory.doc_id(), Directory::read) {
            Some(Ok(directory)) => {
                if directory.unreadable > 0 {
                    ctx.report(format!(
                        "{} entries of the directory could not be read.",
                        directory.unreadable
                    ));
                }
                directory
            }
            Some(Err(e)) => {
                ctx.unreadable("The directory", &e);
                Directory::default()
            }
            None => Directory::default(),
        },
    )
}

/// The providers of the site in view, by name.
pub fn site_providers(ctx: Ctx, directory: Memo<Directory>) -> Memo<Vec<Provider>> {
    Memo::new(move |_| {
        let site = ctx.site.get();
        directory.with(|d| d.providers_at(&site).cloned().collect())
    })
}

/// The document a view of `site` on `day` reads.
pub fn schedule_doc(site: &SiteId, day: chrono::NaiveDate) -> DocId {
    DocKind::schedule_for(site, day).doc_id()
}
