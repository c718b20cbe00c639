//! The pages and the navigation between them: each page's words and test id, who may
//! open it, and the row of tabs (the Conflicts tab with its count).

use leptos::prelude::*;

use crate::ui::Ctx;
use model::access::Action;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Tab {
    Today,
    Patients,
    Calls,
    Takings,
    Conflicts,
    Waitlist,
    Tasks,
    Stock,
    Roster,
    Sites,
    Reports,
    Budget,
    Vendors,
    StaffFile,
    Incidents,
    Audit,
    Settings,
}

impl Tab {
    /// Every page, in the order the navigation offers them.
    pub const ALL: [Self; 17] = [
        Self::Today,
        Self::Patients,
        Self::Calls,
        Self::Takings,
        Self::Conflicts,
        Self::Waitlist,
        Self::Tasks,
        Self::Stock,
        Self::Roster,
        Self::Sites,
        Self::Reports,
        Self::Budget,
        Self::Vendors,
        Self::StaffFile,
        Self::Incidents,
        Self::Audit,
        Self::Settings,
    ];

    /// The tab's words, and its button's test id.
    fn label(self) -> (&'static str, &'static str) {
        match self {
            Self::Today => ("Today", "nav-today"),
            Self::Patients => ("Patients", "nav-patients"),
            Self::Calls => ("Calls", "nav-calls"),
            Self::Takings => ("Takings", "nav-takings"),
            Self::Conflicts => ("Conflicts", "nav-conflicts"),
            Self::Waitlist => ("Waitlist", "nav-waitlist"),
            Self::Tasks => ("Tasks", "nav-tasks"),
            Self::Stock => ("Stock", "nav-stock"),
            Self::Roster => ("Roster", "nav-roster"),
            Self::Sites => ("Sites", "nav-sites"),
            Self::Reports => ("Reports", "nav-reports"),
            Self::Budget => ("Budget", "nav-budget"),
            Self::Vendors => ("Vendors", "nav-vendors"),
            Self::StaffFile => ("Staff files", "nav-staff-file"),
            Self::Incidents => ("Incidents", "nav-incidents"),
            Self::Audit => ("Audit", "nav-audit"),
            Self::Settings => ("Settings", "nav-settings"),
        }
    }

    /// Whether the person signed in may open it: a page they may not is neither offered
    /// nor shown.
    pub fn allowed(self, ctx: Ctx) -> bool {
        match self {
            Self::Roster => ctx.may(Action::RunRoster),
            Self::Sites
            | Self::Reports
            | Self::Budget
            | Self::Vendors
            | Self::StaffFile
            | Self::Incidents => ctx.may(Action::Oversee),
            Self::Settings => ctx.may(Action::ChangeSettings),
            Self::Audit => ctx.may(Action::Audit),
            _ => true,
        }
    }
}

/// The row of tabs; `conflicts` is the count the Conflicts tab shows.
#[component]
pub fn Tabs(conflicts: Memo<usize>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let tab = ctx.tab;
    view! {
        <nav class="tabs">
            {Tab::ALL.map(|which| {
                let (label, id) = which.label();
                view! {
                    <button class="tab" hidden=move || !which.allowed(ctx) class:active=move || tab.get() == which
                        data-testid=id on:click=move |_| tab.set(which)>
                        {label}
                        {(which == Tab::Conflicts).then(|| view! {
                            <Show when=move || { conflicts.get() > 0 }>
                                <span class="badge" data-testid="conflict-badge">{move || conflicts.get()}</span>
                            </Show>
                        })}
                    </button>
                }
            })}
        </nav>
    }
}
