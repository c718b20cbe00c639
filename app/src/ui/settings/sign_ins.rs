//! Who may sign in, as a manager runs it: each person's role and sign-in state, a new
//! set-up code (for a new person, a forgotten PIN or a lock-out alike; shown once, kept
//! only as a hash), unlocking after wrong PINs, and taking a sign-in away. Only an owner
//! makes managers and owners.

use leptos::prelude::*;

use crate::platform::now_ms;
use crate::platform::random_bytes;
use crate::ui::Ctx;
use model::access::lockout::Gate;
use model::access::{self, pin, Action, Role, SETUP_VALID_MS};
use model::{Directory, StaffId};

use super::fields::edit_directory;

#[component]
pub fn SignInsCard(directory: Memo<Directory>) -> impl IntoView {
    let ids = move || directory.with(|d| d.staff.iter().map(|s| s.id.clone()).collect::<Vec<_>>());
    view! {
        <section class="card" data-testid="sign-ins-card">
            <h2>"Sign-ins"</h2>
            <p class="hint">"Each person signs in with their own PIN. Give someone a set-up code to let them choose one: when they are new, have forgotten it, or are locked out."</p>
            <ul class="entries">
                <For each=ids key=|id| id.clone() let(id)>
                    <SignInRow directory=directory id=id />
                </For>
            </ul>
        </section>
    }
}

/// What a row says of someone's sign-in.
fn state(directory: &Directory, id: &StaffId, now: i64) -> String {
    if directory.access.unreadable.contains(id) {
        return "Sign-in record damaged: issue a new code".into();
    }
    let Some(signin) = directory.access.of(id) else {
        return "No sign-in".into();
    };
    let what = match (signin.gate(now), &signin.pin) {
        (Gate::Locked, _) => "Locked out after five wrong PINs".to_string(),
        (_, Some(_)) if !signin.failures.is_empty() => {
            format!("PIN set · {} wrong PINs in a row", signin.failures.len())
        }
        (_, Some(_)) => "PIN set".into(),
        (_, None) if signin.setup_open(now) => "Set-up code issued, not used yet".into(),
        (_, None) if signin.setup.is_some() => "Set-up code expired".into(),
        (_, None) => "No PIN".into(),
    };
    format!("{} · {what}", signin.role.label())
}

#[component]
fn SignInRow(directory: Memo<Directory>, id: StaffId) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let id = StoredValue::new(id);
    let name = move || directory.with(|d| d.staff_name(&id.get_value()));
    let current = Memo::new(move |_| directory.with(|d| d.access.role(&id.get_value())));
    // An owner may give any role; a manager issues codes only to front-desk people.
    let grants = move || {
        if ctx.may(Action::GrantRoles) {
            Role::ALL.to_vec()
        } else {
            vec![Role::FrontDesk]
        }
    };
    let may_manage = move || current.get().is_none_or(|role| grants().contains(&role));
    let role = RwSignal::new(
        current
            .get_untracked()
            .unwrap_or(Role::FrontDesk)
            .code()
            .to_string(),
    );
    let code = RwSignal::new(None::<String>);
    let confirming = RwSignal::new(false);
    let issue = move |_| {
        let Some(chosen) = Role::parse(&role.get_untracked()) else {
            return;
        };
        if !grants().contains(&chosen) {
            return;
        }
        let new_code = pin::setup_code(&random_bytes());
        let hash = pin::hash(&pin::normalise_code(&new_code), &random_bytes());
        let expires = now_ms() + SETUP_VALID_MS;
        let id = id.get_value();
        if edit_directory(&ctx, "issue the set-up code", move |am| {
            access::issue_setup(am, &id, chosen, &hash, expires)
        }) {
            code.set(Some(new_code));
        }
    };
    let unlock = move |_| {
        let id = id.get_value();
        edit_directory(&ctx, "unlock", move |am| access::clear_failures(am, &id));
    };
    let revoke = move |_| {
        let id = id.get_value();
        code.set(None);
        confirming.set(false);
        edit_directory(&ctx, "take the sign-in away", move |am| {
            access::revoke(am, &id)
        });
    };
    let state_text = move || directory.with(|d| state(d, &id.get_value(), now_ms()));
    let has_failures = move || {
        directory.with(|d| {
            d.access
                .of(&id.get_value())
                .is_some_and(|s| !s.failures.is_empty())
        })
    };
    view! {
        <li class="entry" data-testid="sign-in-row">
            <span class="entry-name">{name}</span>
            <span class="entry-meta" data-testid="sign-in-state">{state_text}</span>
            <Show when=may_manage fallback=|| view! { <span class="hint">"Only an owner changes a manager's or owner's sign-in."</span> }>
                <label class="field inline">
                    <span class="label">"Role"</span>
                    <select name="sign_in_role" on:change=move |ev| role.set(event_target_value(&ev))>
                        {move || grants().into_iter().map(|r| view! {
                            <option value=r.code() selected=move || role.get() == r.code()>{r.label()}</option>
                        }).collect_view()}
                    </select>
                </label>
                <button type="button" data-testid="issue-setup-code" on:click=issue
                    aria-label=move || format!("Issue set-up code to {}", name())>"Issue set-up code"</button>
                <Show when=move || current.get().is_some()>
                    {move || if confirming.get() {
                        view! {
                            <button type="button" class="danger" on:click=revoke
                                aria-label=move || format!("Confirm: take {}'s sign-in away", name())>"Confirm: take sign-in away"</button>
                            <button type="button" on:click=move |_| confirming.set(false)>"Keep it"</button>
                        }.into_any()
                    } else {
                        view! {
                            <button type="button" class="danger" on:click=move |_| confirming.set(true)
                                aria-label=move || format!("Take {}'s sign-in away", name())>"Take sign-in away"</button>
                        }.into_any()
                    }}
                </Show>
            </Show>
            // Unlocking forgives wrong PINs and grants nothing, so a manager may unlock anyone,
            // an owner included.
            <Show when=has_failures>
                <button type="button" data-testid="unlock" on:click=unlock
                    aria-label=move || format!("Unlock {}", name())>"Unlock"</button>
            </Show>
            {move || code.get().map(|c| view! {
                <p class="setup-code" role="status">
                    "Set-up code, valid for 3 days and shown only now: "
                    <strong data-testid="setup-code">{c}</strong>
                </p>
            })}
        </li>
    }
}
