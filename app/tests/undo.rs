//! Browser tests of "Done · Undo" and of asking first: a check-in taken back writes a
//! change of its own (the history shows both), a step on another day's patient waits for
//! the desk's answer, and a use that would take from an expired lot is asked about.
#![cfg(target_arch = "wasm32")]

use app::platform::idb::Store;
use app::platform::local_now;
use app::ui::today::Today;
use chrono::{Duration, NaiveDateTime, NaiveTime};
use leptos::prelude::*;
use model::directory::{put_provider, PALETTE};
use model::inventory::form;
use model::inventory::movement::{self, LotChoice, NewMovement};
use model::inventory::{Inventory, MovementKind};
use model::schedule::{self, Schedule, Who};
use model::{appointment::ValidBooking, DocKind, Provider, ProviderId, SiteId, Status, WeekHours};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

mod common;
use common::*;
#[path = "stock_views/support.rs"]
mod support;
use support::*;

wasm_bindgen_test_configure!(run_in_browser);

fn who() -> Who {
    Who {
        device: "Desk B".into(),
        staff: None,
    }
}

/// A provider working all day every day, so that any test day has a grid.
fn provider() -> Provider {
    let all_day = (
        NaiveTime::from_hms_opt(0, 0, 0).expect("a time"),
        NaiveTime::from_hms_opt(23, 59, 0).expect("a time"),
    );
    Provider {
        id: ProviderId::from("dr-u"),
        name: "Dr. Una Example".into(),
        specialty: String::new(),
        colour: PALETTE[0].into(),
        sites: vec![SiteId::main()],
        hours: WeekHours([Some(all_day); 7]),
    }
}

/// Desk A showing the schedule of the day of `start`, with one patient booked then.
async fn one_booked(
    name: &str,
    store_name: &str,
    start: NaiveDateTime,
) -> (app::platform::driver::Driver, protocol::DocId, Mounted) {
    let store = Store::open(store_name).await.expect("opens");
    let directory = DocKind::Directory.doc_id();
    let month = DocKind::schedule_for(&SiteId::main(), start.date()).doc_id();
    stored(&store, &directory, |am| {
        put_provider(am, &provider()).expect("writes")
    })
    .await;
    stored(&store, &month, |am| {
        let booking = ValidBooking::new(name, ProviderId::from("dr-u"), start, 20);
        schedule::book(am, &booking, &who(), start - Duration::days(3)).expect("books");
    })
    .await;
    let (driver, ctx) = started(store, &[directory, month.clone()], start.date()).await;
    // Only this test's page is on screen: selectors find its bar and its buttons.
    for old in all("[data-undo-test]") {
        old.remove();
    }
    let handle = mount(ctx, || view! { <Today /> });
    if let Some(host) = gloo::utils::body().last_element_child() {
        host.set_attribute("data-undo-test", "").expect("marks");
    }
    (driver, month, handle)
}

type Mounted = leptos::mount::UnmountHandle<leptos::tachys::view::any_view::AnyViewState>;

fn status_of(
    driver: &app::platform::driver::Driver,
    month: &protocol::DocId,
) -> (Status, Vec<Status>, Option<String>) {
    let schedule = driver
        .read(month, Schedule::read)
        .expect("open")
        .expect("reads");
    let a = &schedule.appointments[0];
    (
        a.status,
        a.history.iter().map(|c| c.status).collect(),
        a.history.last().and_then(|c| c.note.clone()),
    )
}

#[wasm_bindgen_test]
async fn a_check_in_taken_back_is_booked_again_and_the_history_shows_both() {
    let now = local_now();
    let (driver, month, handle) = one_booked("Test Patient Undo", "test-undo-check-in", now).await;
    let block = "[data-patient='Test Patient Undo']";
    until(|| !all(&format!("{block} [data-testid=check-in]")).is_empty()).await;
    click(&format!("{block} [data-testid=check-in]"));
    until(|| text("[data-testid=done-text]") == "Checked in Test Patient Undo.").await;
    assert_eq!(
        text("[data-testid=done-text]"),
        "Checked in Test Patient Undo."
    );
    assert!(
        all("[data-testid=ask-first]").is_empty(),
        "today's patient: no question"
    );
    assert_eq!(status_of(&driver, &month).0, Status::Arrived);

    // Undo touched with the focus on it: the bar goes, and the focus goes to the page.
    focus_and_click("[data-testid=undo]");
    until(|| text("[data-testid=done-text]") == "Undone: Test Patient Undo is booked again.").await;
    settle().await;
    assert_eq!(
        focused_class(),
        "page",
        "the bar left with the focus on it: the focus is on the page, not lost"
    );
    assert_eq!(
        text("[data-testid=done-text]"),
        "Undone: Test Patient Undo is booked again."
    );
    let (status, history, note) = status_of(&driver, &month);
    assert_eq!(status, Status::Booked);
    assert_eq!(history, [Status::Booked, Status::Arrived, Status::Booked]);
    assert_eq!(note.as_deref(), Some("Undone: checked in"));
    until(|| !all(&format!("{block} [data-testid=check-in]")).is_empty()).await;
    assert!(
        all("[data-testid=undo]").is_empty(),
        "an undo is not undone again"
    );
    drop(handle);
}

#[wasm_bindgen_test]
async fn a_check_in_of_tomorrows_patient_waits_for_the_desks_answer() {
    let tomorrow = local_now() + Duration::days(1);
    let (driver, month, handle) =
        one_booked("Test Patient Tomorrow", "test-undo-tomorrow", tomorrow).await;
    let block = "[data-patient='Test Patient Tomorrow']";
    until(|| !all(&format!("{block} [data-testid=check-in]")).is_empty()).await;
    focus_and_click(&format!("{block} [data-testid=check-in]"));
    until(|| !all("[data-testid=ask-first]").is_empty()).await;
    settle().await;
    assert_eq!(focused_testid(), "ask-no", "the safer answer has the focus");
    // Tab goes from one answer to the other and never leaves the question.
    press_tab();
    assert_eq!(focused_testid(), "ask-yes");
    press_tab();
    assert_eq!(focused_testid(), "ask-no");
    assert!(
        !all("[data-testid=ask-first]").is_empty(),
        "the desk is asked first"
    );
    let question = text("[data-testid=ask-first]");
    assert!(question.contains("is booked for"), "{question}");
    assert!(question.contains("not today"), "{question}");
    assert_eq!(text("[data-testid=ask-yes]"), "Check in anyway");

    click("[data-testid=ask-no]");
    settle().await;
    assert!(all("[data-testid=ask-first]").is_empty());
    assert_eq!(
        focused_testid(),
        "check-in",
        "answered, the focus is back on the control that asked"
    );
    assert_eq!(
        status_of(&driver, &month).0,
        Status::Booked,
        "not now: nothing changed"
    );

    focus_and_click(&format!("{block} [data-testid=check-in]"));
    until(|| !all("[data-testid=ask-yes]").is_empty()).await;
    settle().await;
    focus_and_click("[data-testid=ask-yes]");
    until(|| text("[data-testid=done-text]") == "Checked in Test Patient Tomorrow.").await;
    settle().await;
    // The step replaced the control that asked (In became the room picker): the focus is
    // on the page, never lost to the top of the document.
    assert_eq!(focused_class(), "page");
    assert_eq!(
        text("[data-testid=done-text]"),
        "Checked in Test Patient Tomorrow."
    );
    assert_eq!(status_of(&driver, &month).0, Status::Arrived);
    drop(handle);
}

#[wasm_bindgen_test]
async fn a_use_from_an_expired_lot_is_asked_about_first() {
    let store = Store::open("test-undo-expired").await.expect("opens");
    let mut made = None;
    stored_together(&store, &[inventory_doc(), this_month()], |docs| {
        let [inventory, log] = docs else {
            panic!("two documents")
        };
        let valid = item("Test vaccine", "TV-1", "10", "2", true)
            .validate()
            .expect("valid");
        let id = form::add_item(inventory, &valid).expect("adds");
        // Received two years ago, expired last year: the only stock there is.
        let received = local_now() - Duration::days(730);
        let mut receipt = NewMovement::new(&id, MovementKind::Receive, 3, received, &desk_b());
        receipt.lot = LotChoice::New {
            number: "LOT-OLD".into(),
            expiry: (received + Duration::days(200)).date(),
        };
        movement::post(inventory, log, &receipt).expect("receives");
        made = Some(id);
    })
    .await;
    let id = made.expect("made");
    let (driver, ctx) = started(
        store,
        &[DocKind::Directory.doc_id(), inventory_doc()],
        local_now().date(),
    )
    .await;
    let handle = mount_stock(ctx);
    until(|| all("[data-testid=stock-row]").len() == 1).await;
    click(&format!("{} [data-testid=stock-use-one]", row(&id)));
    until(|| !all("[data-testid=ask-first]").is_empty()).await;
    assert!(text("[data-testid=ask-first]").contains("lot LOT-OLD, which expired on"));
    click("[data-testid=ask-no]");
    settle().await;
    let on_hand = || {
        driver
            .read(&inventory_doc(), Inventory::read)
            .expect("open")
            .expect("reads")
            .item(&id)
            .expect("there")
            .on_hand
    };
    assert_eq!(on_hand(), 3, "not now: nothing used");

    click(&format!("{} [data-testid=stock-use-one]", row(&id)));
    until(|| !all("[data-testid=ask-yes]").is_empty()).await;
    click("[data-testid=ask-yes]");
    until(|| text(&format!("{} [data-testid=stock-on-hand]", row(&id))) == "2").await;
    assert_eq!(on_hand(), 2);
    drop(handle);
}

/// The test id of the element with the focus.
fn focused_testid() -> String {
    gloo::utils::document()
        .active_element()
        .and_then(|e| e.get_attribute("data-testid"))
        .unwrap_or_default()
}

/// The class of the element with the focus.
fn focused_class() -> String {
    gloo::utils::document()
        .active_element()
        .map(|e| e.class_name())
        .unwrap_or_default()
}

/// Presses Tab on the element with the focus, as a keyboard does (the key event only: the
/// browser's own move of the focus is what the question prevents).
fn press_tab() {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key("Tab");
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init)
        .expect("an event");
    let target = gloo::utils::document().active_element().expect("a focus");
    target.dispatch_event(&event).expect("dispatches");
}

/// Focuses the first element matching `selector` and clicks it, as a touch or a keyboard
/// does (a script's click alone leaves the focus where it was).
fn focus_and_click(selector: &str) {
    let element = &all(selector)[0];
    let element: &web_sys::HtmlElement = element.dyn_ref().expect("an HTML element");
    element.focus().expect("focuses");
    element.click();
}
