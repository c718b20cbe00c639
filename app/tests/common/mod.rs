//! What the browser test files share: documents stored as if from the relay, a started
//! desk with its context, mounting a view, and waiting for the page.
#![allow(dead_code)]

use std::rc::Rc;
use std::time::Duration;

use app::platform::driver::Driver;
use app::platform::idb::Store;
use app::ui::{Ctx, Signals};
use automerge::ActorId;
use automerge::AutoCommit;
use chrono::NaiveDate;
use leptos::prelude::*;
use model::{Document, SiteId};
use protocol::{Bundle, DocId, Entry};
use wasm_bindgen::{JsCast, JsValue};

/// Stores `edit`, made on another device from genesis, as if it came from the relay.
pub async fn stored(store: &Store, doc: &DocId, edit: impl FnOnce(&mut automerge::AutoCommit)) {
    let mut document = Document::new(doc, &ActorId::random()).expect("known kind");
    let (_, bytes) = document
        .change(|am| {
            edit(am);
            Ok::<_, String>(())
        })
        .expect("edits");
    let bundle = Bundle::new(bytes.expect("changed"));
    let entry = Entry {
        seq: 1,
        hash: bundle.hash,
        data: bundle.data,
    };
    store.save_remote(doc, &[entry], 1).await.expect("saves");
}

/// Desk A started on `store` with `wanted` open, and the context its views share, showing
/// the main site on `day`. There is no relay in these tests: syncing just waits.
pub async fn started(store: Store, wanted: &[DocId], day: NaiveDate) -> (Driver, Ctx) {
    let signals = Signals::new();
    let driver = Driver::start(
        Rc::new(store),
        "Desk A".into(),
        ActorId::random(),
        "no-relay-in-tests".into(),
        wanted,
        signals.notify(),
    )
    .await
    .expect("starts");
    let ctx = Ctx::new(driver.clone(), signals, SiteId::main(), day);
    // The views are tested as a manager sees them: every page and action offered.
    ctx.role.set(Some(model::access::Role::Manager));
    (driver, ctx)
}

/// Mounts `view` in a new element of the page, with `ctx` in its context. The handle
/// keeps it mounted.
pub fn mount<V: IntoView + 'static>(
    ctx: Ctx,
    view: impl FnOnce() -> V + 'static,
) -> leptos::mount::UnmountHandle<leptos::tachys::view::any_view::AnyViewState> {
    let host = gloo::utils::document()
        .create_element("div")
        .expect("an element");
    gloo::utils::body().append_child(&host).expect("appends");
    let host: web_sys::HtmlElement = host.dyn_into().expect("an html element");
    // As in the app's frame: the page, what was just done, with "Undo", and questions asked
    // first.
    leptos::mount::mount_to(host, move || {
        provide_context(ctx);
        view! {
            <main class="page" tabindex="-1">{view()}</main>
            <app::ui::undo::DoneBar />
            <app::ui::undo::AskFirst />
        }
        .into_any()
    })
}

pub async fn settle() {
    gloo::timers::future::sleep(Duration::from_millis(50)).await;
}

pub fn all(selector: &str) -> Vec<web_sys::Element> {
    let list = gloo::utils::document()
        .query_selector_all(selector)
        .expect("a valid selector");
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<web_sys::Element>().ok())
        .collect()
}

/// Waits until `done` holds, for at most two seconds.
pub async fn until(done: impl Fn() -> bool) {
    for _ in 0..40 {
        if done() {
            return;
        }
        settle().await;
    }
}

pub fn click(selector: &str) {
    let found = all(selector);
    let element = found
        .first()
        .unwrap_or_else(|| panic!("{selector} is on the page"));
    element
        .dyn_ref::<web_sys::HtmlElement>()
        .expect("an html element")
        .click();
}

/// Sets the value of the first input or select `selector` finds, as a person would, and
/// says so with an `event` ("input" or "change").
pub fn set(selector: &str, value: &str, event: &str) {
    let element = all(selector)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("{selector} is on the page"));
    js_sys::Reflect::set(
        &element,
        &JsValue::from_str("value"),
        &JsValue::from_str(value),
    )
    .expect("sets the value");
    element
        .dispatch_event(&web_sys::Event::new(event).expect("an event"))
        .expect("dispatches");
}

/// Types `value` into the first field `selector` finds: an input event, then a change.
pub fn type_into(selector: &str, value: &str) {
    set(selector, value, "input");
    set(selector, value, "change");
}

/// Stores one edit across several documents, made on another device from genesis, as if
/// each part came from the relay.
pub async fn stored_together(
    store: &Store,
    docs: &[DocId],
    edit: impl FnOnce(&mut [&mut AutoCommit]),
) {
    let mut documents: Vec<Document> = docs
        .iter()
        .map(|d| Document::new(d, &ActorId::random()).expect("known kind"))
        .collect();
    let mut all: Vec<&mut Document> = documents.iter_mut().collect();
    let (_, bundles) = Document::change_many(&mut all, |docs| {
        edit(docs);
        Ok(())
    })
    .expect("edits");
    for (doc, bytes) in docs.iter().zip(bundles) {
        let bundle = Bundle::new(bytes.expect("each document changed"));
        let entry = Entry {
            seq: 1,
            hash: bundle.hash,
            data: bundle.data,
        };
        store.save_remote(doc, &[entry], 1).await.expect("saves");
    }
}

pub fn texts(selector: &str) -> Vec<String> {
    all(selector)
        .iter()
        .map(|e| e.text_content().unwrap_or_default().trim().to_string())
        .collect()
}

pub fn text(selector: &str) -> String {
    texts(selector).into_iter().next().unwrap_or_default()
}

pub fn type_in(selector: &str, value: &str) {
    set(selector, value, "input");
}

/// Submits the form `selector` names, as Enter in its field does.
pub fn submit(selector: &str) {
    let form = all(selector)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("{selector} is on the page"));
    let request: js_sys::Function = js_sys::Reflect::get(&form, &"requestSubmit".into())
        .expect("a form")
        .dyn_into()
        .expect("a function");
    request.call0(&form).expect("submits");
}

pub fn value_of(selector: &str) -> String {
    all(selector)
        .into_iter()
        .next()
        .and_then(|e| js_sys::Reflect::get(&e, &"value".into()).ok())
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

/// Books `patient` on 2 March 2026 at 09:00 as a desk would.
pub fn book(
    am: &mut automerge::AutoCommit,
    patient: &str,
) -> Result<model::AppointmentId, model::DocumentError> {
    let start = NaiveDate::from_ymd_opt(2026, 3, 2)
        .and_then(|d| d.and_hms_opt(9, 0, 0))
        .expect("a valid time");
    let valid = model::appointment::ValidBooking::new(
        patient,
        model::ProviderId::from("dr-who"),
        start,
        30,
    );
    let who = model::schedule::Who {
        device: "desk_b".into(),
        staff: None,
    };
    model::schedule::book(am, &valid, &who, start)
}
