//! Start-up: the root component, the device's identity, and starting the driver.

use std::rc::Rc;

use automerge::ActorId;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::platform::driver::{Driver, LoadError, KEYRING};
use crate::platform::idb::{Store, WIPED};
use crate::platform::{local_now, pwa};
use crate::ui::lock::{Desk, Locking};
use crate::ui::{setup, this_minute, Ctx, Signals, DATABASE, DEFAULT_WAIT_THRESHOLD};
use crate::words;
use model::board::BoardScope;
use model::{DocKind, SiteId};
use sync_engine::seal::Keyring;

/// What the device knows about itself before it can sync.
#[derive(Clone, Debug, Default)]
pub struct Identity {
    pub token: Option<String>,
    pub device_name: Option<String>,
    /// When the relay ordered this device wiped (ms since the epoch, as text), if it did
    /// and nobody has given it a new token since.
    pub wiped_at: Option<String>,
}

#[derive(Clone)]
enum Phase {
    Loading,
    Setup(Identity),
    Ready,
    Failed(String),
}

#[component]
pub fn App() -> impl IntoView {
    pwa::register_service_worker();
    let phase = RwSignal::new(Phase::Loading);
    let store: StoredValue<Option<Rc<Store>>, LocalStorage> = StoredValue::new_local(None);
    let ctx: StoredValue<Option<Ctx>, LocalStorage> = StoredValue::new_local(None);
    // Runs once at start and again after the setup form is sent.
    let begin = move |entered: Identity| {
        spawn_local(async move {
            let opened = match store.get_value() {
                Some(s) => Ok(s),
                None => Store::open(DATABASE).await.map(Rc::new),
            };
            let store_rc = match opened {
                Ok(s) => s,
                Err(e) => return phase.set(Phase::Failed(e.to_string())),
            };
            store.set_value(Some(store_rc.clone()));
            match identify(&store_rc, entered).await {
                Ok((identity, Some(actor))) => {
                    let token = identity.token.clone().unwrap_or_default();
                    let device = identity.device_name.clone().unwrap_or_default();
                    match start_device(store_rc, device, actor, token).await {
                        Ok(c) => {
                            ctx.set_value(Some(c));
                            phase.set(Phase::Ready);
                        }
                        Err(e) => phase.set(Phase::Failed(e.to_string())),
                    }
                }
                Ok((identity, None)) => phase.set(Phase::Setup(identity)),
                Err(e) => phase.set(Phase::Failed(e)),
            }
        });
    };
    begin(Identity::default());

    view! {
        {move || match phase.get() {
            Phase::Loading => view! { <p class="empty">"Opening Front desk…"</p> }.into_any(),
            Phase::Failed(message) => view! {
                <div class="setup"><h1>"Front desk could not start"</h1><p class="field-error">{message}</p></div>
            }.into_any(),
            Phase::Setup(identity) => view! {
                <setup::Setup identity=identity on_done=Callback::new(move |i| { phase.set(Phase::Loading); begin(i) }) />
            }.into_any(),
            Phase::Ready => match ctx.get_value() {
                Some(c) => view! { <Desk ctx=c /> }.into_any(),
                None => view! { <p class="empty">"Opening Front desk…"</p> }.into_any(),
            },
        }}
    }
}

/// Merges what was entered with what is stored; returns an actor when the device is ready.
async fn identify(store: &Store, entered: Identity) -> Result<(Identity, Option<ActorId>), String> {
    let link = pwa::take_link_from_address();
    if let Some(text) = &link.key {
        take_keys(store, text).await?;
    }
    for (key, value) in [
        ("token", link.token.or(entered.token)),
        ("device_name", entered.device_name),
        (crate::platform::driver::LINK_SECRET, link.enrol),
    ] {
        if let Some(value) = value {
            store
                .set_meta(key, &value)
                .await
                .map_err(|e| e.to_string())?;
        }
    }
    let token = store.meta("token").await.map_err(|e| e.to_string())?;
    let wiped_at = match &token {
        // A new token after a wipe: the device starts again, and the note goes.
        Some(_) => {
            store.delete_meta(WIPED).await.map_err(|e| e.to_string())?;
            None
        }
        None => store.meta(WIPED).await.map_err(|e| e.to_string())?,
    };
    let identity = Identity {
        token,
        device_name: store.meta("device_name").await.map_err(|e| e.to_string())?,
        wiped_at,
    };
    if identity.token.is_none() || identity.device_name.is_none() {
        return Ok((identity, None));
    }
    // Each device writes with its own actor, kept across restarts, so that the document
    // history says which device made each change.
    let actor = match store.meta("actor").await.map_err(|e| e.to_string())? {
        Some(hex) => ActorId::try_from(hex.as_str()).map_err(|e| e.to_string())?,
        None => {
            let actor = ActorId::random();
            store
                .set_meta("actor", &actor.to_hex_string())
                .await
                .map_err(|e| e.to_string())?;
            actor
        }
    };
    Ok((identity, Some(actor)))
}

/// Keeps the organisation's keys a link brought, unless this device already holds them (or
/// newer ones) or holds another organisation's.
async fn take_keys(store: &Store, text: &str) -> Result<(), String> {
    let brought = Keyring::parse(text).map_err(|e| words::link_keys_unreadable(&e))?;
    let held = store
        .meta(KEYRING)
        .await
        .map_err(|e| e.to_string())?
        .and_then(|t| Keyring::parse(&t).ok());
    let keep = match held {
        Some(held) if held.covers(&brought) => return Ok(()),
        // Epochs the device held and the link lacks are kept, to open what they sealed.
        Some(mut held) => match held.absorb(&brought) {
            true => held,
            false => return Err(words::link_keys_foreign().into()),
        },
        None => brought,
    };
    store
        .set_meta(KEYRING, &keep.to_text())
        .await
        .map_err(|e| e.to_string())
}

async fn start_device(
    store: Rc<Store>,
    device: String,
    actor: ActorId,
    token: String,
) -> Result<Ctx, LoadError> {
    let signals = Signals::new();
    let meta = |key: &'static str| {
        let store = store.clone();
        async move { store.meta(key).await.ok().flatten() }
    };
    let site = meta("site")
        .await
        .and_then(|s| SiteId::new(&s))
        .unwrap_or_else(SiteId::main);
    let locking = Locking::from_stored(
        meta("idle_minutes").await.as_deref(),
        meta("personal").await.as_deref(),
        meta("offline_days").await.as_deref(),
    );
    let wait_threshold = meta("wait_threshold")
        .await
        .and_then(|t| t.parse().ok())
        .unwrap_or(DEFAULT_WAIT_THRESHOLD);
    let density = crate::ui::grid::Density::parse(&meta("density").await.unwrap_or_default());
    let wanted = [
        DocKind::Directory.doc_id(),
        DocKind::schedule_for(&site, local_now().date()).doc_id(),
        DocKind::Waitlist { site: site.clone() }.doc_id(),
        DocKind::Board {
            scope: BoardScope::Site(site.clone()),
        }
        .doc_id(),
    ];
    let driver = Driver::start(store, device, actor, token, &wanted, signals.notify()).await?;
    let ctx = Ctx::new(driver, signals, site, local_now().date());
    // Nobody is signed in at start: the device opens locked.
    ctx.locking.set(locking);
    ctx.wait_threshold.set(wait_threshold);
    ctx.density.set(density);
    // The current-time line and waiting times move on by the minute.
    let now = ctx.now;
    // Set only when the minute changes: every view that shows a time or a wait reads it.
    gloo::timers::callback::Interval::new(20_000, move || {
        let minute = this_minute();
        if now.get_untracked() != minute {
            now.set(minute);
        }
    })
    .forget();
    let persisted = ctx.persisted;
    spawn_local(async move { persisted.set(Some(pwa::request_persistent_storage().await)) });
    Ok(ctx)
}
