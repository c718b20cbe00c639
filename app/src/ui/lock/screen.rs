//! The sign-in screen: one touch on one's name, then the PIN. A person with a set-up code
//! chooses their PIN here; a new organisation's first owner starts it here. Nothing of a
//! patient is read or shown.

use leptos::prelude::*;

use crate::platform::{mark, measure, now_ms, random_bytes};
use crate::ui::{read_directory, Ctx};
use crate::words;
use model::access::lockout::{away_too_long, tries_left, Gate};
use model::access::pin::{self, Verdict};
use model::access::{self, Failure, Role, SignIn};
use model::{Directory, DocKind, StaffId, StaffMember};
use sync_engine::seal::Keyring;
use sync_engine::ConnectionState;

#[component]
pub fn LockScreen() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    // A reading of its own: the shell's, shared through context, went with the shell.
    let directory = read_directory(ctx);
    let chosen = RwSignal::new(None::<StaffId>);
    let doc = DocKind::Directory.doc_id();
    let directory_doc = doc.clone();
    let approval_doc = doc.clone();
    // The organisation is new only if the relay, too, has nobody who may sign in: the
    // screen looks again twice a second until the directory is caught up.
    let tick = RwSignal::new(0u32);
    if let Ok(handle) = set_interval_with_handle(
        move || tick.update(|t| *t = t.wrapping_add(1)),
        std::time::Duration::from_millis(500),
    ) {
        on_cleanup(move || handle.clear());
    }
    let known = Memo::new(move |_| {
        tick.track();
        ctx.changes.track(&doc);
        ctx.status.get().state == ConnectionState::Online
            && ctx.driver.with_value(|d| d.caught_up(&doc))
    });
    // Sealed changes of the directory this device cannot open: the organisation is not new,
    // this device only lacks its keys.
    let needs_keys = Memo::new(move |_| {
        tick.track();
        ctx.driver.with_value(|d| d.waits_for_key(&directory_doc))
    });
    // It opened a link and waits for the manager's device that made it to approve it.
    let awaits_approval = Memo::new(move |_| {
        tick.track();
        ctx.changes.track(&approval_doc);
        ctx.driver.with_value(|d| d.awaits_approval())
    });
    // Away from the relay for longer than the device may be: nobody signs in until it is
    // back (and hears whether it was revoked).
    let away = Memo::new(move |_| {
        tick.track();
        ctx.status.track();
        // Connected now is in touch now, whatever the stored time says.
        if ctx.status.get().state == ConnectionState::Online {
            return None;
        }
        let days = ctx.locking.get().offline_days;
        let last = ctx.driver.with_value(|d| d.last_contact_ms());
        away_too_long(last, now_ms(), days).then_some(days)
    });
    // The form stays while the directory changes (a wrong PIN recorded, a colleague's
    // edit): only these decide what is shown.
    let empty = Memo::new(move |_| directory.with(|d| d.access.is_empty()));
    view! {
        <main class="lock-screen" data-testid="lock-screen">
            <h1>"Front desk"</h1>
            {move || {
                if let Some(days) = away.get() {
                    view! { <p class="hint" role="alert" data-testid="away-too-long">{words::away_too_long(days)}</p> }.into_any()
                } else if empty.get() {
                    if awaits_approval.get() {
                        let device = ctx.driver.with_value(|d| d.device());
                        view! { <p class="hint" role="status" data-testid="awaits-approval">{words::awaits_approval(&device)}</p> }.into_any()
                    } else if needs_keys.get() {
                        view! { <p class="hint" data-testid="needs-keys">{words::needs_keys()}</p> }.into_any()
                    } else if known.get() {
                        view! { <FirstOwner /> }.into_any()
                    } else {
                        view! {
                            <p class="hint" data-testid="waiting-for-staff">
                                "Waiting for the list of who may sign in. Connect this device to the network once."
                            </p>
                        }.into_any()
                    }
                } else {
                    match chosen.get() {
                        Some(id) => view! { <PersonForm directory=directory id=id on_back=Callback::new(move |()| chosen.set(None)) /> }.into_any(),
                        None => view! { <People directory=directory chosen=chosen /> }.into_any(),
                    }
                }
            }}
        </main>
    }
}

/// Everyone who may sign in, this site's people first.
#[component]
fn People(directory: Memo<Directory>, chosen: RwSignal<Option<StaffId>>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let groups = Memo::new(move |_| {
        let site = ctx.site.get();
        directory.with(|d| {
            let (here, elsewhere): (Vec<_>, Vec<_>) = d
                .staff
                .iter()
                .filter(|s| d.access.of(&s.id).is_some())
                .map(|s| (s.id.clone(), s.name.clone(), s.may_work_at(&site)))
                .partition(|(_, _, here)| *here);
            (here, elsewhere)
        })
    });
    let button = move |(id, name, _): (StaffId, String, bool)| {
        view! {
            <li>
                <button class="person" data-testid="sign-in-person" on:click=move |_| {
                    mark("front-desk:name-touched");
                    chosen.set(Some(id.clone()))
                }>{name}</button>
            </li>
        }
    };
    view! {
        <h2>"Who is signing in?"</h2>
        <ul class="people">{move || groups.get().0.into_iter().map(button).collect_view()}</ul>
        <Show when=move || groups.with(|g| !g.1.is_empty())>
            <h3>"From other sites"</h3>
            <ul class="people">{move || groups.get().1.into_iter().map(button).collect_view()}</ul>
        </Show>
    }
}

/// What the chosen person does next: the PIN, or choosing one with a set-up code, or what
/// stops them.
#[component]
fn PersonForm(directory: Memo<Directory>, id: StaffId, on_back: Callback<()>) -> impl IntoView {
    let name = {
        let id = id.clone();
        move || directory.with(|d| d.staff_name(&id))
    };
    let signin = {
        let id = id.clone();
        Memo::new(move |_| directory.with(|d| d.access.of(&id).cloned()))
    };
    let damaged = {
        let id = id.clone();
        move || directory.with(|d| d.access.unreadable.contains(&id))
    };
    // What the form asks for changes only when this does: a recorded wrong PIN changes the
    // record, and must not clear the sentence that says so.
    let mode = Memo::new(move |_| match signin.get() {
        _ if damaged() => Mode::Damaged,
        None => Mode::NoSignIn,
        Some(s) if s.gate(now_ms()) == Gate::Locked => Mode::Locked,
        Some(s) if s.pin.is_some() => Mode::Pin,
        Some(s) if s.setup_open(now_ms()) => Mode::Setup,
        Some(s) => Mode::NoPin {
            had_code: s.setup.is_some(),
        },
    });
    view! {
        <section class="sign-in" data-testid="sign-in-form">
            <h2 data-testid="signing-in">{name}</h2>
            {move || match mode.get() {
                Mode::Damaged => view! { <p class="field-error">{words::signin_damaged()}</p> }.into_any(),
                Mode::NoSignIn => view! { <p class="field-error">{words::no_signin()}</p> }.into_any(),
                Mode::Locked => view! {
                    <p class="field-error" data-testid="locked-out">{words::locked_out()}</p>
                }.into_any(),
                Mode::Pin => view! { <PinEntry signin=signin /> }.into_any(),
                Mode::Setup => view! { <ChoosePin signin=signin /> }.into_any(),
                Mode::NoPin { had_code } => view! {
                    <p class="field-error">{words::no_pin_yet(had_code)}</p>
                }.into_any(),
            }}
            <button type="button" class="back" on:click=move |_| on_back.run(())>"Not you? Back"</button>
        </section>
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Damaged,
    NoSignIn,
    Locked,
    Pin,
    Setup,
    NoPin { had_code: bool },
}

/// Runs `work` after the browser has painted "Checking…": a hash holds the thread for a
/// moment.
fn after_paint(busy: RwSignal<bool>, work: impl FnOnce() + 'static) {
    busy.set(true);
    gloo::timers::callback::Timeout::new(30, move || {
        work();
        busy.set(false);
    })
    .forget();
}

/// The person's sign-in as it stands, if they may try now; otherwise says how long to wait.
fn may_try(signin: Memo<Option<SignIn>>, problem: RwSignal<Option<String>>) -> Option<SignIn> {
    let signin = signin.get_untracked()?;
    let now = now_ms();
    if let Gate::WaitUntil(until) = signin.gate(now) {
        problem.set(Some(words::wait_before_trying((until - now + 999) / 1000)));
        return None;
    }
    Some(signin)
}

#[component]
fn PinEntry(signin: Memo<Option<SignIn>>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let typed = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(signin) = may_try(signin, problem) else {
            return;
        };
        let secret = typed.get_untracked();
        typed.set(String::new());
        after_paint(busy, move || {
            mark("front-desk:verify-pin");
            let verdict = signin
                .pin
                .as_deref()
                .map_or(Verdict::Damaged, |hash| pin::verify(&secret, hash));
            measure("front-desk:pin-verified", "front-desk:verify-pin");
            match verdict {
                Verdict::Right => signed_in(ctx, &signin),
                Verdict::Wrong => {
                    let left = tries_left(signin.failures.len() + 1);
                    record_failure(ctx, &signin.staff);
                    problem.set(Some(words::wrong_pin(left)));
                }
                Verdict::Damaged => problem.set(Some(words::signin_damaged().into())),
            }
        });
    };
    view! {
        <form on:submit=submit>
            <label class="field">
                <span class="label">"PIN"</span>
                <input name="pin" type="password" autocomplete="off" autofocus
                    prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev)) />
            </label>
            <p class="field-error" data-testid="pin-error" role="alert">{move || problem.get()}</p>
            <button class="primary" type="submit" disabled=move || busy.get()>
                {move || if busy.get() { "Checking…" } else { "Sign in" }}
            </button>
        </form>
    }
}

/// The right PIN: the person is signed in, and their wrong PINs are forgotten.
fn signed_in(ctx: Ctx, signin: &SignIn) {
    ctx.sign_in(signin.staff.clone(), signin.role);
    measure("front-desk:signed-in", "front-desk:name-touched");
    if !signin.failures.is_empty() {
        let staff = signin.staff.clone();
        ctx.edit(&DocKind::Directory.doc_id(), "clear the wrong PINs", |am| {
            access::clear_failures(am, &staff)
        });
    }
}

/// Runs a directory edit as `staff`'s own change and signs them in when it is made; when
/// it is refused (said to the person), nobody is signed in.
fn sign_in_with(
    ctx: Ctx,
    staff: &StaffId,
    role: Role,
    what: &str,
    edit: impl FnOnce(&mut automerge::AutoCommit) -> Result<(), model::DocumentError>,
) {
    ctx.driver.with_value(|d| d.sign_in(Some(staff.clone())));
    match ctx.edit(&DocKind::Directory.doc_id(), what, edit) {
        Some(()) => ctx.sign_in(staff.clone(), role),
        None => ctx.driver.with_value(|d| d.sign_in(None)),
    }
}

fn record_failure(ctx: Ctx, staff: &StaffId) {
    let failure = Failure {
        id: uuid::Uuid::new_v4().to_string(),
        at_ms: now_ms(),
        device: ctx.driver.with_value(|d| d.device()),
    };
    let staff = staff.clone();
    ctx.edit(&DocKind::Directory.doc_id(), "record the wrong PIN", |am| {
        access::record_failure(am, &staff, &failure)
    });
}

/// A person with a set-up code chooses their PIN.
#[component]
fn ChoosePin(signin: Memo<Option<SignIn>>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let code = RwSignal::new(String::new());
    let first = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(signin) = may_try(signin, problem) else {
            return;
        };
        let (typed_code, chosen, repeated) = (code.get(), first.get(), again.get());
        // A forgotten PIN's successor must differ from it.
        if let Err(why) = pin::check_new(&chosen, &repeated, signin.previous_pin.as_deref()) {
            problem.set(Some(words::pin_problem(why)));
            return;
        }
        after_paint(busy, move || {
            let Some(setup) = signin.setup.as_ref() else {
                return;
            };
            match pin::verify(&pin::normalise_code(&typed_code), &setup.hash) {
                Verdict::Right => {
                    let hash = pin::hash(&chosen, &random_bytes());
                    let staff = signin.staff.clone();
                    let code_hash = setup.hash.clone();
                    sign_in_with(ctx, &signin.staff, signin.role, "set the PIN", |am| {
                        access::choose_pin(am, &staff, &code_hash, &hash, now_ms())
                    });
                }
                Verdict::Wrong => {
                    record_failure(ctx, &signin.staff);
                    problem.set(Some(words::wrong_code(tries_left(
                        signin.failures.len() + 1,
                    ))));
                }
                Verdict::Damaged => problem.set(Some(words::signin_damaged().into())),
            }
        });
    };
    view! {
        <form on:submit=submit>
            <p class="hint">{words::choose_pin_hint()}</p>
            <SecretField label="Set-up code" name="setup_code" value=code />
            <SecretField label="Choose a PIN" name="new_pin" value=first />
            <SecretField label="The same PIN again" name="new_pin_again" value=again />
            <span class="field-error" data-testid="pin-error" role="alert">{move || problem.get()}</span>
            <button class="primary" type="submit" disabled=move || busy.get()>
                {move || if busy.get() { "Checking…" } else { "Set PIN and sign in" }}
            </button>
        </form>
    }
}

#[component]
fn SecretField(label: &'static str, name: &'static str, value: RwSignal<String>) -> impl IntoView {
    // No numeric keypad: a passphrase is allowed as well as digits.
    view! {
        <label class="field">
            <span class="label">{label}</span>
            <input name=name type="password" autocomplete="off"
                prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) />
        </label>
    }
}

/// A new organisation: the first person becomes its owner.
#[component]
fn FirstOwner() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let name = RwSignal::new(String::new());
    let first = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = model::tidy(&name.get());
        if let Err(why) = model::directory::validate_name(&typed, "your name") {
            problem.set(Some(why));
            return;
        }
        let (chosen, repeated) = (first.get(), again.get());
        if let Err(why) = pin::check_new(&chosen, &repeated, None) {
            problem.set(Some(words::pin_problem(why)));
            return;
        }
        after_paint(busy, move || {
            let mut owner = StaffMember::new(&typed, "Office manager");
            owner.home = ctx.site.get_untracked();
            owner.sites = vec![owner.home.clone()];
            let hash = pin::hash(&chosen, &random_bytes());
            // The organisation's first keys are made here, unless a link brought them, and
            // stored before anything is sealed with them.
            leptos::task::spawn_local(async move {
                // Busy until the keys are stored: a second tap must not make a second set
                // (this runs before any other input is handled after `after_paint`).
                busy.set(true);
                let driver = ctx.driver.get_value();
                if driver.keyring().is_none() {
                    let keys = Keyring::generate(random_bytes());
                    if let Err(e) = driver.adopt_keyring(keys).await {
                        problem.set(Some(words::keys_not_stored(&e)));
                        busy.set(false);
                        return;
                    }
                }
                busy.set(false);
                sign_in_with(
                    ctx,
                    &owner.id,
                    Role::Owner,
                    "start the organisation",
                    |am| access::start_organisation(am, &owner, &hash),
                );
            });
        });
    };
    view! {
        <form class="first-owner" on:submit=submit data-testid="first-owner">
            <h2>"Set up your organisation"</h2>
            <p class="hint">{words::first_owner_hint()}</p>
            <label class="field">
                <span class="label">"Your name"</span>
                <input name="owner_name" autocomplete="name"
                    prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
            </label>
            <SecretField label="Choose a PIN" name="new_pin" value=first />
            <SecretField label="The same PIN again" name="new_pin_again" value=again />
            <span class="field-error" data-testid="pin-error" role="alert">{move || problem.get()}</span>
            <button class="primary" type="submit" disabled=move || busy.get()>"Start as owner"</button>
        </form>
    }
}
