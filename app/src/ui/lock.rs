//! The locked device: the app starts locked, locks itself when nobody has touched it for the
//! idle time, and locks at once when a shared tablet's page is hidden (another app, the
//! task switcher). While it is locked the shell is not in the page at all, only the sign-in
//! screen ([`screen`]); syncing goes on underneath.

mod screen;

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use crate::ui::{Ctx, Shell, Tab};
use model::access::lockout::{DEFAULT_OFFLINE_DAYS, MAX_OFFLINE_DAYS};
use model::access::{Action, Role};
use model::StaffId;

/// Minutes of no touch after which a device locks, unless set in Settings.
pub const DEFAULT_IDLE_MINUTES: u32 = 2;
/// The longest idle time of a shared tablet.
pub const MAX_SHARED_IDLE_MINUTES: u32 = 15;
/// The longest idle time of a personal device (one person's phone).
pub const MAX_PERSONAL_IDLE_MINUTES: u32 = 60;

/// How a device locks itself; kept on the device.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Locking {
    pub idle_minutes: u32,
    /// One person's own device: a longer idle time is allowed, and hiding the page does
    /// not lock it (its content is hidden instead).
    pub personal: bool,
    /// Days without reaching the relay after which nobody may sign in until it does.
    pub offline_days: u32,
}

impl Default for Locking {
    fn default() -> Self {
        Self {
            idle_minutes: DEFAULT_IDLE_MINUTES,
            personal: false,
            offline_days: DEFAULT_OFFLINE_DAYS,
        }
    }
}

impl Locking {
    /// The longest idle time this device may have.
    pub fn max_minutes(personal: bool) -> u32 {
        if personal {
            MAX_PERSONAL_IDLE_MINUTES
        } else {
            MAX_SHARED_IDLE_MINUTES
        }
    }

    /// Reads what the device stored, keeping within the limits.
    pub fn from_stored(
        minutes: Option<&str>,
        personal: Option<&str>,
        offline_days: Option<&str>,
    ) -> Self {
        let personal = personal == Some("yes");
        let idle_minutes = minutes
            .and_then(|m| m.parse().ok())
            .unwrap_or(DEFAULT_IDLE_MINUTES)
            .clamp(1, Self::max_minutes(personal));
        let offline_days = offline_days
            .and_then(|d| d.parse().ok())
            .unwrap_or(DEFAULT_OFFLINE_DAYS)
            .clamp(1, MAX_OFFLINE_DAYS);
        Self {
            idle_minutes,
            personal,
            offline_days,
        }
    }
}

/// What emergency access opens to someone whose role does not.
const EMERGENCY: [Action; 5] = [
    Action::RunRoster,
    Action::ChangeSettings,
    Action::Export,
    Action::Oversee,
    Action::ManageStock,
];

/// Who is signed in at the desk, and what they may do.
impl Ctx {
    /// Whether the signed-in person may do `action`; follows sign-ins, role changes
    /// ([`follow_sign_in`]) and emergency access.
    pub fn may(&self, action: Action) -> bool {
        let role = self.role.get();
        // Emergency access opens the manager's pages, never people's sign-ins, the audit of
        // what they do, or appraisals.
        let emergency = self.emergency.get() && EMERGENCY.contains(&action);
        role.is_some_and(|role| role.may(action) || emergency)
    }

    /// Signs `staff` in with `role`: from now on every change made here is theirs.
    pub fn sign_in(&self, staff: StaffId, role: Role) {
        self.driver.with_value(|d| d.sign_in(Some(staff.clone())));
        self.role.set(Some(role));
        self.staff.set(Some(staff));
    }

    /// Locks the device: the shell and every page are taken out of the page, so nothing
    /// of a patient stays in the DOM, and changes are nobody's until the next sign-in.
    /// Syncing goes on.
    pub fn lock(&self) {
        if self.staff.get_untracked().is_none() {
            return;
        }
        self.driver.with_value(|d| d.sign_in(None));
        self.deselect();
        self.tab.set(Tab::Today);
        // A problem, a done bar or a question may name a patient, and the next person
        // must not answer or undo the last one's step.
        self.problems.set(Vec::new());
        self.done.set(None);
        self.asking.set(None);
        self.staff.set(None);
        self.role.set(None);
        self.emergency.set(false);
        self.last_viewed.set_value(None);
        let home = self.device_site.get_value();
        if self.site.get_untracked() != home {
            self.site.set(home);
        }
    }
}

/// The device: the shell for whoever is signed in, the sign-in screen otherwise.
#[component]
pub fn Desk(ctx: Ctx) -> impl IntoView {
    provide_context(ctx);
    watch_idle(ctx);
    let hidden = RwSignal::new(false);
    watch_visibility(ctx, hidden);
    view! {
        {move || match ctx.staff.get() {
            Some(_) => view! { <Shell ctx=ctx /> }.into_any(),
            None => view! { <screen::LockScreen /> }.into_any(),
        }}
        // A personal device hides what is on screen while the page is hidden.
        <div class="privacy-cover" class:shown=move || hidden.get() aria-hidden="true"></div>
    }
}

/// Who is signed in, and the one-touch lock, for the top bar.
#[component]
pub fn SignedIn(directory: Memo<model::Directory>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let name = move || {
        ctx.staff
            .get()
            .map(|id| directory.with(|d| d.staff_name(&id)))
            .unwrap_or_default()
    };
    let role = move || ctx.role.get().map(|r| r.label()).unwrap_or_default();
    view! {
        <span class="signed-in" data-testid="signed-in">
            <span class="who">{name}</span>
            <span class="role">{role}</span>
        </span>
        <button class="lock" data-testid="lock" on:click=move |_| ctx.lock()>"Lock"</button>
    }
}

/// Keeps the signed-in person's role as the directory has it: a role changed on another
/// device applies at once, and a sign-in taken away locks the device.
pub fn follow_sign_in(ctx: Ctx, directory: Memo<model::Directory>) {
    Effect::new(move |_| {
        let Some(staff) = ctx.staff.get() else {
            return;
        };
        // A directory that has not loaded, or does not read, names nobody: that is no
        // reason to lock.
        let (known, role) = directory.with(|d| (!d.access.is_empty(), d.access.role(&staff)));
        match role {
            Some(role) if Some(role) != ctx.role.get_untracked() => ctx.role.set(Some(role)),
            Some(_) => {}
            None if known => ctx.lock(),
            None => {}
        }
    });
}

/// Locks the device once nobody has touched it for its idle time. Activity is any
/// pointer, key or wheel event on the page; the check runs every five seconds.
fn watch_idle(ctx: Ctx) {
    let last = StoredValue::new(js_sys::Date::now());
    let touched = Closure::<dyn Fn()>::new(move || last.set_value(js_sys::Date::now()));
    let document = gloo::utils::document();
    for event in ["pointerdown", "keydown", "wheel", "touchstart"] {
        let _ = document.add_event_listener_with_callback(event, touched.as_ref().unchecked_ref());
    }
    touched.forget();
    // Signing in counts as activity.
    Effect::new(move |_| {
        if ctx.staff.get().is_some() {
            last.set_value(js_sys::Date::now());
        }
    });
    gloo::timers::callback::Interval::new(5_000, move || {
        let limit = f64::from(ctx.locking.get_untracked().idle_minutes) * 60_000.0;
        if js_sys::Date::now() - last.get_value() >= limit {
            ctx.lock();
        }
    })
    .forget();
}

/// A shared tablet locks as soon as its page is hidden, so that the task switcher's
/// preview and the next person see the sign-in screen; a personal device covers its page
/// instead.
fn watch_visibility(ctx: Ctx, hidden: RwSignal<bool>) {
    let document = gloo::utils::document();
    let reader = document.clone();
    let changed = Closure::<dyn Fn()>::new(move || {
        let now_hidden = reader.hidden();
        if now_hidden && !ctx.locking.get_untracked().personal {
            ctx.lock();
        }
        hidden.set(now_hidden);
    });
    let _ = document
        .add_event_listener_with_callback("visibilitychange", changed.as_ref().unchecked_ref());
    changed.forget();
}
