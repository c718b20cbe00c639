//! Roster: who works where and when. The manager's week grid per site (people × days) with
//! templates, copy-last-week and open shifts; who is on now and each day's coverage; the
//! rules list on the merged state with a link to fix each; time off; people and their
//! credentials; spreadsheets and calendar files.
//!
//! Shifts live in one roster document per site and month ([`roster_doc`]); people, their
//! credentials and time off, positions and templates in the directory.

mod cover;
mod credentials;
mod exchange;
mod issues;
mod people;
mod shift;
mod time_off;
mod week;

use chrono::{Duration, Months, NaiveDate};
use leptos::prelude::*;
use protocol::DocId;

use crate::platform::local_now;
use crate::ui::{directory_memo, Ctx};
use model::document::first_of_month;
use model::roster::{monday, Roster, Shift, ShiftId};
use model::{Directory, DocKind, SiteId, StaffId};

pub use crate::ui::stock::change_many;

/// The roster document of `site` for the month of `day`.
pub fn roster_doc(site: &SiteId, day: NaiveDate) -> DocId {
    DocKind::Roster {
        site: site.clone(),
        year: chrono::Datelike::year(&day),
        month: chrono::Datelike::month(&day),
    }
    .doc_id()
}

/// One site's month of shifts; `None` while it loads. Problems are reported.
pub fn read_roster(ctx: Ctx, site: &SiteId, day: NaiveDate) -> Option<Roster> {
    match ctx.read(&roster_doc(site, day), |am| Roster::read(am, site))? {
        Ok(roster) => {
            if roster.unreadable > 0 {
                ctx.report(format!(
                    "{} shifts of {} in {} could not be read.",
                    roster.unreadable,
                    site.as_str(),
                    day.format("%B %Y")
                ));
            }
            Some(roster)
        }
        Err(e) => {
            ctx.unreadable("The roster", &e);
            Some(Roster::default())
        }
    }
}

/// The shifts of `sites` that start between `from` and `to` (both included), by start;
/// `None` while any month loads. Every month is asked for, so that all of them load at once.
pub fn shifts_between(
    ctx: Ctx,
    sites: &[SiteId],
    from: NaiveDate,
    to: NaiveDate,
) -> Option<Vec<Shift>> {
    let mut all = Vec::new();
    let mut loading = false;
    for site in sites {
        let mut month = first_of_month(from);
        while month <= to {
            match read_roster(ctx, site, month) {
                Some(roster) => all.extend(
                    roster
                        .shifts
                        .into_iter()
                        .filter(|s| s.day() >= from && s.day() <= to),
                ),
                None => loading = true,
            }
            let Some(next) = month.checked_add_months(Months::new(1)) else {
                break;
            };
            month = next;
        }
    }
    all.sort_by(|a, b| (a.start, &a.id).cmp(&(b.start, &b.id)));
    (!loading).then_some(all)
}

/// Every site's shifts around the week of `monday`: a day either side, which the rules
/// need for rest and overlaps at the week's edges.
pub fn week_with_margin(ctx: Ctx, directory: &Directory, monday: NaiveDate) -> Option<Vec<Shift>> {
    let sites: Vec<SiteId> = directory.sites.iter().map(|s| s.id.clone()).collect();
    shifts_between(
        ctx,
        &sites,
        monday - Duration::days(1),
        monday + Duration::days(7),
    )
}

/// The pages of the roster.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum RosterView {
    Week,
    Now,
    Cover,
    Issues,
    TimeOff,
    People,
    Credentials,
    Exchange,
}

/// What is open in the shift panel.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum ShiftOpen {
    /// A shift of `site` starting in the month of `day`.
    Existing {
        site: SiteId,
        day: NaiveDate,
        id: ShiftId,
    },
    /// A new shift on `day`, for `staff` (or open).
    New {
        site: SiteId,
        day: NaiveDate,
        staff: Option<StaffId>,
    },
}

/// Where the roster stands: kept in context so that it survives a visit to another tab,
/// and so that the rules list and the credentials can open the week and shift they name.
#[derive(Clone, Copy)]
pub struct RosterPlace {
    pub view: RwSignal<RosterView>,
    /// The Monday of the week shown.
    pub monday: RwSignal<NaiveDate>,
    pub shift: RwSignal<Option<ShiftOpen>>,
    /// The person whose page is open under People.
    pub person: RwSignal<Option<StaffId>>,
}

impl RosterPlace {
    pub fn new(today: NaiveDate) -> Self {
        Self {
            view: RwSignal::new(RosterView::Week),
            monday: RwSignal::new(monday(today)),
            shift: RwSignal::new(None),
            person: RwSignal::new(None),
        }
    }

    /// Opens the week of `day` at `site` with the shift `id` in the panel.
    pub fn open_shift(&self, ctx: Ctx, site: SiteId, day: NaiveDate, id: ShiftId) {
        if ctx.site.get_untracked() != site {
            ctx.work_at(&site);
            ctx.site.set(site.clone());
        }
        self.monday.set(monday(day));
        self.view.set(RosterView::Week);
        self.shift.set(Some(ShiftOpen::Existing { site, day, id }));
    }

    /// Opens a person's page under People.
    pub fn open_person(&self, staff: StaffId) {
        self.person.set(Some(staff));
        self.view.set(RosterView::People);
    }
}

/// The roster's place, made once per app.
pub fn place() -> RosterPlace {
    crate::ui::area_place(|| RosterPlace::new(local_now().date()))
}

#[component]
pub fn Roster() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let directory = directory_memo(ctx);
    let place = place();
    let mode = move |which: RosterView, label: &'static str, id: &'static str| {
        view! {
            <button type="button" class:active=move || place.view.get() == which data-testid=id
                on:click=move |_| place.view.set(which)>{label}</button>
        }
    };
    view! {
        <div class="roster">
            <div class="roster-nav mode">
                {mode(RosterView::Week, "Week", "roster-week")}
                {mode(RosterView::Now, "On now", "roster-now")}
                {mode(RosterView::Cover, "Coverage", "roster-cover")}
                {mode(RosterView::Issues, "Rule checks", "roster-issues")}
                {mode(RosterView::TimeOff, "Time off", "roster-time-off")}
                {mode(RosterView::People, "People", "roster-people")}
                {mode(RosterView::Credentials, "Credentials", "roster-credentials")}
                {mode(RosterView::Exchange, "Import / export", "roster-exchange")}
            </div>
            {move || match place.view.get() {
                RosterView::Week => view! { <week::Week directory=directory /> }.into_any(),
                RosterView::Now => view! { <cover::OnNow directory=directory /> }.into_any(),
                RosterView::Cover => view! { <cover::Coverage directory=directory /> }.into_any(),
                RosterView::Issues => view! { <issues::Issues directory=directory /> }.into_any(),
                RosterView::TimeOff => view! { <time_off::TimeOffPage directory=directory /> }.into_any(),
                RosterView::People => view! { <people::People directory=directory /> }.into_any(),
                RosterView::Credentials => view! { <credentials::Credentials directory=directory /> }.into_any(),
                RosterView::Exchange => view! { <exchange::Exchange directory=directory /> }.into_any(),
            }}
        </div>
    }
}
