//! The Leptos interface. Pages live in their own modules; [`App`] starts the device and
//! shares its state through context.

mod settings;
mod setup;
mod status_bar;
mod today;

use std::rc::Rc;

use automerge::ActorId;
use leptos::prelude::*;
use leptos::task::spawn_local;
use sync_server::protocol::DocId;

use crate::model::{Directory, DocKind, Provider, SiteId};
use crate::platform::driver::{Driver, Notice};
use crate::platform::idb::Store;
use crate::platform::{local_now, pwa};
use crate::sync::{ConnectionState, SyncStatus};

/// The IndexedDB database of the app.
pub const DATABASE: &str = "front-desk";

/// What every page shares: the running driver and what it reports.
#[derive(Clone, Copy)]
pub struct Ctx {
    pub driver: StoredValue<Driver, LocalStorage>,
    pub status: RwSignal<SyncStatus>,
    /// Bumped whenever any document changes, so views re-read what they show.
    pub revision: RwSignal<u64>,
    pub problems: RwSignal<Vec<String>>,
    pub site: RwSignal<SiteId>,
    /// The day the schedule shows; kept here so that it survives a visit to Settings.
    pub day: RwSignal<chrono::NaiveDate>,
    pub persisted: RwSignal<Option<bool>>,
}

impl Ctx {
    pub fn report(&self, message: impl Into<String>) {
        let message = message.into();
        self.problems.update(|p| {
            if !p.contains(&message) {
                p.push(message);
            }
        });
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tab {
    Today,
    Settings,
}

/// What the device knows about itself before it can sync.
#[derive(Clone, Debug, Default)]
pub struct Identity {
    pub token: Option<String>,
    pub device_name: Option<String>,
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
                        Err(e) => phase.set(Phase::Failed(e)),
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
                Some(c) => view! { <Shell ctx=c /> }.into_any(),
                None => view! { <p class="empty">"Opening Front desk…"</p> }.into_any(),
            },
        }}
    }
}

/// Merges what was entered with what is stored; returns an actor when the device is ready.
async fn identify(store: &Store, entered: Identity) -> Result<(Identity, Option<ActorId>), String> {
    let from_address = pwa::take_token_from_address();
    for (key, value) in [
        ("token", from_address.or(entered.token)),
        ("device_name", entered.device_name),
    ] {
        if let Some(value) = value {
            store
                .set_meta(key, &value)
                .await
                .map_err(|e| e.to_string())?;
        }
    }
    let identity = Identity {
        token: store.meta("token").await.map_err(|e| e.to_string())?,
        device_name: store.meta("device_name").await.map_err(|e| e.to_string())?,
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

async fn start_device(
    store: Rc<Store>,
    device: String,
    actor: ActorId,
    token: String,
) -> Result<Ctx, String> {
    let status = RwSignal::new(SyncStatus {
        state: ConnectionState::Connecting { attempt: 0 },
        waiting: 0,
        last_sync_ms: None,
    });
    let revision = RwSignal::new(0u64);
    let problems = RwSignal::new(Vec::<String>::new());
    let notify: Rc<dyn Fn(Notice)> = Rc::new(move |notice| match notice {
        Notice::Status(s) => status.set(s),
        Notice::Changed(_) => revision.update(|r| *r += 1),
        Notice::Problem(p) => problems.update(|list| {
            if !list.contains(&p) {
                list.push(p)
            }
        }),
    });
    let site = SiteId::main();
    let wanted = [
        DocKind::Directory.doc_id(),
        DocKind::schedule_for(&site, local_now().date()).doc_id(),
    ];
    let driver = Driver::start(store, device, actor, token, &wanted, notify).await?;
    let persisted = RwSignal::new(None);
    spawn_local(async move { persisted.set(Some(pwa::request_persistent_storage().await)) });
    Ok(Ctx {
        driver: StoredValue::new_local(driver),
        status,
        revision,
        problems,
        site: RwSignal::new(site),
        day: RwSignal::new(local_now().date()),
        persisted,
    })
}

/// The frame around every page: top bar with the sync status, problems, the page.
#[component]
fn Shell(ctx: Ctx) -> impl IntoView {
    provide_context(ctx);
    let tab = RwSignal::new(Tab::Today);
    let tab_button = move |which: Tab, label: &'static str, id: &'static str| {
        view! {
            <button class="tab" class:active=move || tab.get() == which data-testid=id
                on:click=move |_| tab.set(which)>{label}</button>
        }
    };
    view! {
        <header class="top-bar">
            <span class="brand">"Front desk"</span>
            <nav class="tabs">
                {tab_button(Tab::Today, "Today", "nav-today")}
                {tab_button(Tab::Settings, "Settings", "nav-settings")}
            </nav>
            <status_bar::SyncBadge />
        </header>
        <ul class="problems">
            <For each=move || ctx.problems.get() key=|p| p.clone() let(problem)>
                <li class="problem" data-testid="problem">
                    <span>{problem.clone()}</span>
                    <button class="dismiss" aria-label="Dismiss"
                        on:click=move |_| ctx.problems.update(|list| list.retain(|p| *p != problem))>"×"</button>
                </li>
            </For>
        </ul>
        <main class="page">
            {move || match tab.get() {
                Tab::Today => view! { <today::Today /> }.into_any(),
                Tab::Settings => view! { <settings::Settings /> }.into_any(),
            }}
        </main>
    }
}

/// The organisation's directory, re-read whenever a document changes.
pub fn directory_memo(ctx: Ctx) -> Memo<Directory> {
    Memo::new(move |_| {
        ctx.revision.track();
        ctx.driver
            .with_value(|d| d.read(&DocKind::Directory.doc_id(), Directory::read))
            .and_then(|r| r)
            .unwrap_or_default()
    })
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
