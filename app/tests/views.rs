//! Browser tests of the views: the schedule rendered from documents loaded out of
//! IndexedDB, and a touch on it going back through the model into storage.
#![cfg(target_arch = "wasm32")]

use app::platform::idb::Store;
use app::ui::today::Today;
use chrono::{NaiveDate, NaiveDateTime};
use leptos::prelude::*;
use model::directory::{put_provider, time, PALETTE};
use model::schedule::{self, Schedule, Who};
use model::{appointment::ValidBooking, DocKind, Provider, ProviderId, SiteId, Status, WeekHours};
use protocol::DocId;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

mod common;
use common::*;

wasm_bindgen_test_configure!(run_in_browser);

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 4).expect("a valid day")
}

fn at(hour: u32, minute: u32) -> NaiveDateTime {
    day().and_time(time(hour, minute))
}

fn provider(id: &str, name: &str) -> Provider {
    Provider {
        id: ProviderId::from(id),
        name: name.into(),
        specialty: String::new(),
        colour: PALETTE[0].into(),
        sites: vec![SiteId::main()],
        hours: WeekHours::office(),
    }
}

#[wasm_bindgen_test]
async fn today_renders_the_loaded_month_and_a_check_in_goes_back_to_storage() {
    let store = Store::open("test-view-today").await.expect("opens");
    let directory = DocKind::Directory.doc_id();
    let month = DocKind::schedule_for(&SiteId::main(), day()).doc_id();
    stored(&store, &directory, |am| {
        for p in [
            provider("dr-a", "Dr. Ada Example"),
            provider("dr-b", "Dr. Bo Sample"),
        ] {
            put_provider(am, &p).expect("writes");
        }
    })
    .await;
    let who = Who {
        device: "Desk B".into(),
        staff: None,
    };
    stored(&store, &month, |am| {
        for (name, provider, hour) in [
            ("Alex Sample", "dr-a", 9),
            ("Kim Example", "dr-b", 10),
            ("Lee Fixture", "dr-b", 11),
        ] {
            let booking = ValidBooking::new(name, ProviderId::from(provider), at(hour, 0), 30);
            let id = schedule::book(am, &booking, &who, at(8, 0)).expect("books");
            if name == "Lee Fixture" {
                schedule::cancel(am, &id, "Unwell", &who, at(8, 0)).expect("cancels");
            }
        }
    })
    .await;

    let (driver, ctx) = started(store, &[directory, month.clone()], day()).await;
    let handle = mount(ctx, || view! { <Today /> });
    settle().await;

    let columns: Vec<_> = all("[data-testid=provider-column]")
        .iter()
        .map(|c| c.get_attribute("data-provider").unwrap_or_default())
        .collect();
    assert_eq!(columns, ["Dr. Ada Example", "Dr. Bo Sample"]);
    let on_grid: Vec<_> = all("[data-testid=day-grid] [data-testid=appointment]")
        .iter()
        .map(|b| b.get_attribute("data-patient").unwrap_or_default())
        .collect();
    assert_eq!(
        on_grid,
        ["Alex Sample", "Kim Example"],
        "the cancelled one is off the grid"
    );
    assert_eq!(all("[data-testid=cancelled]").len(), 1);
    let booked = all("[data-testid=count-booked]");
    assert_eq!(booked[0].text_content().as_deref(), Some("2"));

    // One touch checks Alex in: on screen, in the document, and waiting in storage. The
    // day in view is not today, so the desk is asked first.
    let check_in = all("[data-patient='Alex Sample'] [data-testid=check-in]");
    check_in[0]
        .dyn_ref::<web_sys::HtmlElement>()
        .expect("a button")
        .click();
    settle().await;
    assert!(text("[data-testid=ask-first]")
        .contains("Alex Sample is booked for Wednesday 4 March, not today"));
    click("[data-testid=ask-yes]");
    settle().await;
    let block = &all("[data-patient='Alex Sample']")[0];
    assert_eq!(
        block.get_attribute("data-status").as_deref(),
        Some("arrived")
    );
    let schedule = driver
        .read(&month, Schedule::read)
        .expect("open")
        .expect("reads");
    let alex = &schedule.appointments[0];
    assert_eq!(alex.status, Status::Arrived);
    assert_eq!(
        alex.history.last().map(|c| c.device.as_str()),
        Some("Desk A")
    );
    let reopened = Store::open("test-view-today").await.expect("opens");
    assert_eq!(
        reopened.docs_with_outbox().await.expect("reads"),
        [month],
        "the check-in is stored, waiting to be sent"
    );
    drop(handle);
}

#[wasm_bindgen_test]
async fn moving_a_series_from_one_visit_on_carries_the_rest_into_the_next_month() {
    use app::ui::series::{self, Scope};
    use model::appointment::{Frequency, Recurrence, RecurrenceEnd};

    let store = Store::open("test-view-series").await.expect("opens");
    let directory = DocKind::Directory.doc_id();
    stored(&store, &directory, |am| {
        put_provider(am, &provider("dr-a", "Dr. Ada Example")).expect("writes");
    })
    .await;
    let (driver, ctx) = started(store, &[directory], day()).await;
    let march = DocKind::schedule_for(&SiteId::main(), day()).doc_id();
    let april = DocKind::schedule_for(&SiteId::main(), day() + chrono::Days::new(31)).doc_id();
    let who = Who {
        device: "Desk A".into(),
        staff: None,
    };

    // Weekly from Monday 23 March, four visits: 23 and 30 March, 6 and 13 April.
    let first = NaiveDate::from_ymd_opt(2026, 3, 23)
        .expect("valid")
        .and_time(time(9, 0));
    let mut booking = ValidBooking::new("Robin Series", ProviderId::from("dr-a"), first, 30);
    booking.recurrence = Some(Recurrence {
        frequency: Frequency::Weekly,
        end: RecurrenceEnd::Count(4),
    });
    let visits = schedule::plan(&booking, &who, at(8, 0));
    for visit in &visits {
        let doc = DocKind::schedule_for(&SiteId::main(), visit.start.date()).doc_id();
        driver
            .edit_loaded(&doc, |am| schedule::put(am, visit))
            .await
            .expect("books");
    }

    // The second visit and those after it move two days later: 30 March goes to 1 April.
    let mut moved = booking.clone();
    moved.start = visits[1].start + chrono::TimeDelta::days(2);
    moved.recurrence = None;
    let directory_now = driver
        .read(&DocKind::Directory.doc_id(), model::Directory::read)
        .expect("open")
        .expect("reads");
    let owner = leptos::prelude::Owner::new();
    owner.with(|| {
        series::change(
            ctx,
            &visits[1],
            &moved,
            Scope::ThisAndFollowing,
            &directory_now,
            &who,
        )
    });
    let starts = |doc: &DocId| -> Vec<String> {
        driver
            .read(doc, Schedule::read)
            .ok()
            .and_then(Result::ok)
            .map(|s| {
                s.appointments
                    .iter()
                    .map(|a| a.start.format("%d %b").to_string())
                    .collect()
            })
            .unwrap_or_default()
    };
    until(|| starts(&april).len() == 3).await;
    assert_eq!(starts(&march), ["23 Mar"], "the first visit stays");
    assert_eq!(starts(&april), ["01 Apr", "08 Apr", "15 Apr"]);
    let april_visits = driver
        .read(&april, Schedule::read)
        .expect("open")
        .expect("reads");
    let moved_one = april_visits.find(&visits[1].id).expect("moved with its id");
    assert!(
        moved_one.history.iter().any(|c| c
            .note
            .as_deref()
            .is_some_and(|n| n.starts_with("Moved from Mon 30 Mar"))),
        "the old slot is in the history"
    );

    // Cancelling from the third visit on leaves the first two.
    owner.with(|| {
        series::cancel(
            ctx,
            &april_visits.appointments[1],
            "Moved away",
            Scope::ThisAndFollowing,
            &who,
        )
    });
    let statuses = |doc: &DocId| -> Vec<Status> {
        driver
            .read(doc, Schedule::read)
            .ok()
            .and_then(Result::ok)
            .map(|s| s.appointments.iter().map(|a| a.status).collect())
            .unwrap_or_default()
    };
    until(|| {
        statuses(&april)
            .iter()
            .filter(|s| **s == Status::Cancelled)
            .count()
            == 2
    })
    .await;
    assert_eq!(
        statuses(&april),
        [Status::Booked, Status::Cancelled, Status::Cancelled]
    );
    assert_eq!(statuses(&march), [Status::Booked]);
}

#[wasm_bindgen_test]
async fn a_provider_booked_at_two_sites_at_once_is_a_conflict_at_both() {
    use app::ui::conflicts::Conflicts;
    use model::directory::put_site;
    use model::Site;

    let store = Store::open("test-view-two-sites").await.expect("opens");
    let north = SiteId::new("north").expect("valid");
    let directory = DocKind::Directory.doc_id();
    stored(&store, &directory, |am| {
        put_site(
            am,
            &Site {
                id: north.clone(),
                name: "North Clinic".into(),
                hours: WeekHours::office(),
            },
        )
        .expect("writes");
        let mut shared = provider("dr-a", "Dr. Ada Example");
        shared.sites.push(north.clone());
        put_provider(am, &shared).expect("writes");
    })
    .await;
    // A weekday well ahead, so that the clash is one still to come.
    let ahead = NaiveDate::from_ymd_opt(2030, 1, 8).expect("valid");
    let who = Who {
        device: "Desk B".into(),
        staff: None,
    };
    for (site, patient) in [
        (SiteId::main(), "Alex Sample"),
        (north.clone(), "Kim Example"),
    ] {
        let month = DocKind::schedule_for(&site, ahead).doc_id();
        stored(&store, &month, |am| {
            let start = ahead.and_time(time(10, 0));
            let booking = ValidBooking::new(patient, ProviderId::from("dr-a"), start, 30);
            schedule::book(am, &booking, &who, at(8, 0)).expect("books");
        })
        .await;
    }

    let (_, ctx) = started(store, &[directory], day()).await;
    ctx.day.set(ahead);
    let handle = mount(ctx, || view! { <Conflicts /> });
    until(|| !all("[data-testid=conflict]").is_empty()).await;
    let lines: Vec<_> = all("[data-testid=conflict]")
        .iter()
        .filter_map(|c| c.text_content())
        .collect();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].contains("Dr. Ada Example is booked twice"),
        "{lines:?}"
    );
    assert!(
        lines[0].contains("Kim Example"),
        "the other site's booking is named"
    );
    drop(handle);
}

fn titles_in(column: &str) -> Vec<String> {
    all(&format!(
        "[data-column={column}] [data-testid=task-card] [data-testid=card-title]"
    ))
    .iter()
    .filter_map(|t| t.text_content())
    .collect()
}

#[wasm_bindgen_test]
async fn a_board_shows_its_cards_in_order_and_adds_and_moves_them_through_storage() {
    use app::ui::tasks::Tasks;
    use model::board::edit::{add_card, Place, ValidCard};
    use model::board::{Board, BoardScope, ColumnId};

    let store = Store::open("test-view-board").await.expect("opens");
    let board_doc = DocKind::Board {
        scope: BoardScope::Site(SiteId::main()),
    }
    .doc_id();
    let who = Who {
        device: "Desk B".into(),
        staff: None,
    };
    stored(&store, &board_doc, |am| {
        for title in ["Call insurer about claim", "Restock gloves"] {
            let board = Board::read(am).expect("reads");
            let card = ValidCard {
                title: title.into(),
                description: String::new(),
                column: ColumnId::from("todo"),
                assignees: vec![],
                labels: vec![],
                due: None,
            };
            add_card(am, &board, &card, &Place::Bottom, &who, at(8, 0)).expect("adds");
        }
    })
    .await;
    let (driver, ctx) = started(
        store,
        &[DocKind::Directory.doc_id(), board_doc.clone()],
        day(),
    )
    .await;
    let handle = mount(ctx, || view! { <Tasks /> });
    until(|| all("[data-testid=task-card]").len() == 2).await;
    let columns: Vec<_> = all("[data-testid=column] h3")
        .iter()
        .filter_map(|h| h.text_content())
        .collect();
    assert_eq!(columns, ["To do", "Doing", "Done"]);
    assert_eq!(
        titles_in("todo"),
        ["Call insurer about claim", "Restock gloves"]
    );

    // A card typed into "To do" goes to its bottom, on screen and in the document.
    let input: web_sys::HtmlInputElement = all("[data-column=todo] [data-testid=quick-add]")[0]
        .clone()
        .dyn_into()
        .expect("an input");
    input.set_value("Mop the waiting room");
    let event = web_sys::Event::new("input").expect("an event");
    input.dispatch_event(&event).expect("dispatches");
    click("[data-column=todo] [data-testid=quick-add-button]");
    until(|| titles_in("todo").len() == 3).await;
    assert_eq!(titles_in("todo")[2], "Mop the waiting room");

    // Opened, "Top" moves it first; the document says so, and the move waits to be sent.
    click("[data-column=todo] [data-testid=task-card]:last-child .task-open");
    until(|| !all("[data-testid=move-top]").is_empty()).await;
    click("[data-testid=move-top]");
    until(|| titles_in("todo").first().map(String::as_str) == Some("Mop the waiting room")).await;
    let board = driver
        .read(&board_doc, Board::read)
        .expect("open")
        .expect("reads");
    let order: Vec<_> = board
        .cards_in(&ColumnId::from("todo"))
        .iter()
        .map(|c| c.title.clone())
        .collect();
    assert_eq!(
        order,
        [
            "Mop the waiting room",
            "Call insurer about claim",
            "Restock gloves"
        ]
    );
    let reopened = Store::open("test-view-board").await.expect("opens");
    assert!(reopened
        .docs_with_outbox()
        .await
        .expect("reads")
        .contains(&board_doc));
    drop(handle);
}

/// The week view counts the week, not the day chosen before it, and a day the site's hours
/// shut says closed.
#[wasm_bindgen_test]
async fn the_week_shows_the_weeks_figures_and_its_closed_days() {
    let store = Store::open("test-view-week").await.expect("opens");
    let directory = DocKind::Directory.doc_id();
    let month = DocKind::schedule_for(&SiteId::main(), day()).doc_id();
    stored(&store, &directory, |am| {
        let site = model::Site {
            id: SiteId::main(),
            name: "Main Street".into(),
            hours: WeekHours::office(),
        };
        model::directory::put_site(am, &site).expect("writes");
        put_provider(am, &provider("dr-a", "Dr. Ada Example")).expect("writes");
    })
    .await;
    let who = Who {
        device: "Desk B".into(),
        staff: None,
    };
    // Wednesday 4 March: two; Friday 6 March: one, no-show.
    let friday = day() + chrono::Duration::days(2);
    stored(&store, &month, |am| {
        for (name, start) in [
            ("Alex Sample", at(9, 0)),
            ("Kim Example", at(10, 0)),
            ("Lee Fixture", friday.and_time(time(9, 0))),
        ] {
            let booking = ValidBooking::new(name, ProviderId::from("dr-a"), start, 30);
            let id = schedule::book(am, &booking, &who, at(8, 0)).expect("books");
            if name == "Lee Fixture" {
                schedule::set_status(
                    am,
                    &id,
                    Status::NoShow,
                    None,
                    &who,
                    friday.and_time(time(12, 0)),
                )
                .expect("marks");
            }
        }
    })
    .await;

    let (_driver, ctx) = started(store, &[directory, month], day()).await;
    let handle = mount(ctx, || view! { <Today /> });
    settle().await;
    assert_eq!(text("[data-testid=count-booked]"), "2", "the day");
    assert_eq!(text("[data-testid=count-no-show]"), "0", "the day");

    click("[data-testid=mode-week]");
    settle().await;
    assert_eq!(text("[data-testid=count-booked]"), "2", "the week");
    assert_eq!(text("[data-testid=count-no-show]"), "1", "the week");
    assert!(text("[data-testid=counts]").contains("Checked in this week"));
    let heads: Vec<_> = all("[data-testid=week-day]")
        .iter()
        .map(|h| h.get_attribute("aria-label").unwrap_or_default())
        .collect();
    assert_eq!(
        heads,
        [
            "Mon 2: 0 appointments",
            "Tue 3: 0 appointments",
            "Wed 4: 2 appointments",
            "Thu 5: 0 appointments",
            "Fri 6: 1 appointment",
            "Sat 7: closed",
            "Sun 8: closed",
        ]
    );
    drop(handle);
}
