//! Browser tests of the Roster tab's week, shift panel, rules and coverage: documents read
//! out of IndexedDB drawn as the week, and a shift typed into the panel going back through
//! the model into the roster document.
#![cfg(target_arch = "wasm32")]

use app::platform::idb::Store;
use app::ui::roster::{roster_doc, Roster as RosterTab, RosterPlace};
use automerge::ActorId;
use chrono::{NaiveDate, NaiveDateTime};
use leptos::prelude::*;
use model::directory::{put_site, time, WeekHours};
use model::roster::setup::put_position;
use model::roster::{add_shift, change_shift, Position, PositionId, Roster, ValidShift};
use model::staff::put_staff;
use model::{DocKind, Document, Site, SiteId, StaffId, StaffMember};
use protocol::{Bundle, Entry};
use wasm_bindgen_test::*;

mod common;
use common::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A week wholly inside one month, so that each site's week is one roster document.
fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2030, 1, d).expect("a day")
}

fn at(d: u32, hour: u32, minute: u32) -> NaiveDateTime {
    day(d).and_hms_opt(hour, minute, 0).expect("a time")
}

fn hillside() -> SiteId {
    SiteId::new("hillside").expect("valid")
}

/// Robin works at both sites; Main has "Desk 1", staffed 07:30–18:00 on weekdays.
async fn directory(store: &Store) -> (StaffId, PositionId) {
    let robin = StaffMember {
        sites: vec![SiteId::main(), hillside()],
        weekly_minutes: Some(2250),
        ..StaffMember::new("Robin Mockwell", "Front desk")
    };
    let desk = Position {
        id: PositionId::random(),
        site: SiteId::main(),
        name: "Desk 1".into(),
        required: WeekHours::weekdays(time(7, 30), time(18, 0)),
        requires: Vec::new(),
    };
    let (id, position) = (robin.id.clone(), desk.id.clone());
    stored(store, &DocKind::Directory.doc_id(), |am| {
        put_site(
            am,
            &Site {
                id: hillside(),
                name: "Hillside".into(),
                hours: WeekHours::office(),
            },
        )
        .expect("writes");
        put_staff(am, &robin).expect("writes");
        put_position(am, &desk).expect("writes");
    })
    .await;
    (id, position)
}

fn shift(
    staff: &StaffId,
    position: Option<&PositionId>,
    d: u32,
    from: (u32, u32),
    to: (u32, u32),
) -> ValidShift {
    ValidShift {
        staff: Some(staff.clone()),
        position: position.cloned(),
        start: at(d, from.0, from.1),
        end: at(d, to.0, to.1),
        break_minutes: 30,
        note: String::new(),
    }
}

/// Mounts the Roster tab on the week of `day(8)`, first taking away what an earlier test
/// left on the page when it failed before unmounting.
fn mount_roster(
    ctx: app::ui::Ctx,
) -> leptos::mount::UnmountHandle<leptos::tachys::view::any_view::AnyViewState> {
    for old in all(".roster") {
        if let Some(host) = old.parent_element() {
            host.remove();
        }
    }
    mount(ctx, || {
        provide_context(RosterPlace::new(day(8)));
        view! { <RosterTab /> }
    })
}

#[wasm_bindgen_test]
async fn the_week_shows_stored_shifts_and_a_shift_typed_in_the_panel_is_stored() {
    let store = Store::open("test-roster-week").await.expect("opens");
    let (robin, desk) = directory(&store).await;
    let doc = roster_doc(&SiteId::main(), day(7));
    stored(&store, &doc, |am| {
        add_shift(am, &shift(&robin, Some(&desk), 7, (7, 30), (15, 30))).expect("adds");
    })
    .await;
    let (driver, ctx) = started(store, &[DocKind::Directory.doc_id(), doc.clone()], day(8)).await;
    let handle = mount_roster(ctx);
    until(|| all("[data-testid=shift-chip]").len() == 1).await;

    assert_eq!(text("[data-testid=week-title]"), "Week of 7 Jan 2030");
    assert_eq!(
        texts("[data-testid=week-person]"),
        ["Open shifts", "Robin Mockwell"]
    );
    let chip = text("[data-testid=shift-chip]");
    assert!(
        chip.contains("07:30–15:30") && chip.contains("Desk 1"),
        "{chip}"
    );
    assert_eq!(texts("[data-testid=week-hours]")[1], "7.5 h / 37.5");

    // Robin's row, Tuesday: the panel opens for a new shift of theirs that day.
    let robin_row = &all("[data-testid=week-row]")[1];
    let plus = robin_row
        .query_selector_all("[data-testid=add-shift]")
        .expect("valid")
        .item(1)
        .expect("a cell a day");
    wasm_bindgen::JsCast::dyn_ref::<web_sys::HtmlElement>(&plus)
        .expect("a button")
        .click();
    until(|| !all("[data-testid=shift-panel]").is_empty()).await;
    assert_eq!(value_of("[data-testid=shift-day]"), "2030-01-08");

    // An end before the start is refused with a sentence, and nothing is written.
    type_into("[data-testid=shift-start]", "15:00");
    type_into("[data-testid=shift-end]", "07:00");
    submit("[data-testid=shift-panel]");
    until(|| !all("[data-testid=shift-error]").is_empty()).await;
    assert!(text("[data-testid=shift-error]").contains("before it starts"));
    let count = || {
        ctx.read(&doc, |am| Roster::read(am, &SiteId::main()))
            .expect("open")
            .expect("reads")
            .shifts
            .len()
    };
    assert_eq!(count(), 1);

    // A night shift is taken with "Ends next day".
    click("[data-testid=shift-next-day]");
    type_into("[data-testid=shift-break]", "02:00-02:30");
    submit("[data-testid=shift-panel]");
    until(|| all("[data-testid=shift-chip]").len() == 2).await;
    assert_eq!(count(), 2);
    let roster = ctx
        .read(&doc, |am| Roster::read(am, &SiteId::main()))
        .expect("open")
        .expect("reads");
    let night = &roster.shifts[1];
    assert_eq!((night.start, night.end), (at(8, 15, 0), at(9, 7, 0)));
    assert_eq!(night.staff.as_ref(), Some(&robin));
    assert_eq!(night.break_minutes, 30);
    // The shift waits in the outbox for the relay, once this device's storage has it.
    until(|| driver.status().waiting >= 1).await;
    assert!(driver.status().waiting >= 1);
    drop(handle);
}

#[wasm_bindgen_test]
async fn the_rules_list_an_overlap_across_sites_and_open_the_shift_and_coverage_shows_the_gap() {
    let store = Store::open("test-roster-rules").await.expect("opens");
    let (robin, desk) = directory(&store).await;
    let main = roster_doc(&SiteId::main(), day(7));
    let hill = roster_doc(&hillside(), day(7));
    stored(&store, &main, |am| {
        add_shift(am, &shift(&robin, Some(&desk), 7, (7, 30), (15, 30))).expect("adds");
    })
    .await;
    stored(&store, &hill, |am| {
        add_shift(am, &shift(&robin, None, 7, (14, 0), (18, 0))).expect("adds");
    })
    .await;
    let wanted = [DocKind::Directory.doc_id(), main.clone(), hill.clone()];
    let (_, ctx) = started(store, &wanted, day(8)).await;
    let handle = mount_roster(ctx);
    click("[data-testid=roster-issues]");
    until(|| !all("[data-testid=roster-issue]").is_empty()).await;
    let issues = texts("[data-testid=roster-issue]");
    assert!(
        issues
            .iter()
            .any(|i| i.contains("Overlap") && i.contains("Robin Mockwell")),
        "{issues:?}"
    );
    let overlap = all("[data-testid=roster-issue]")
        .into_iter()
        .position(|e| e.text_content().unwrap_or_default().contains("Overlap"))
        .expect("listed");
    let fix = all("[data-testid=fix-issue]")[overlap].clone();
    wasm_bindgen::JsCast::dyn_ref::<web_sys::HtmlElement>(&fix)
        .expect("a button")
        .click();
    until(|| !all("[data-testid=shift-panel]").is_empty()).await;
    assert!(
        !all("[data-testid=week-grid]").is_empty(),
        "the week opened"
    );
    assert!(!all("[data-testid=shift-problem]").is_empty());

    // The overlap is reported on the later shift, at Hillside: the desk went there.
    assert_eq!(ctx.site.get_untracked(), hillside());
    click("[data-testid=roster-cover]");
    until(|| !all("[data-testid=no-positions]").is_empty()).await;
    // Main's Desk 1 must be staffed 07:30–18:00; Robin left at 15:30.
    ctx.site.set(SiteId::main());
    until(|| !all("[data-testid=cover-gap]").is_empty()).await;
    assert_eq!(text("[data-testid=cover-gap]"), "Gap 15:30–18:00");
    assert_eq!(text("[data-testid=cover-gaps]"), "1 gap(s)");
    drop(handle);
}

#[wasm_bindgen_test]
async fn a_shift_two_managers_changed_differently_shows_both_values_until_one_is_picked() {
    let store = Store::open("test-roster-dispute").await.expect("opens");
    let (robin, desk) = directory(&store).await;
    let doc = roster_doc(&SiteId::main(), day(7));
    // Two managers' copies: the shift, then each moves its end while offline.
    let mut a = Document::new(&doc, &ActorId::random()).expect("known kind");
    let before = shift(&robin, Some(&desk), 9, (8, 0), (16, 0));
    let (id, _) = a.change(|am| add_shift(am, &before)).expect("adds");
    let mut b = Document::new(&doc, &ActorId::random()).expect("known kind");
    b.apply(&a.save()).expect("merges");
    let end = |hour| ValidShift {
        end: at(9, hour, 0),
        ..before.clone()
    };
    a.change(|am| change_shift(am, &id, &before, &end(17)))
        .expect("changes");
    b.change(|am| change_shift(am, &id, &before, &end(18)))
        .expect("changes");
    a.apply(&b.save()).expect("merges");
    let bundle = Bundle::new(a.save());
    let entry = Entry {
        seq: 1,
        hash: bundle.hash,
        data: bundle.data,
    };
    store.save_remote(&doc, &[entry], 1).await.expect("saves");

    let (_, ctx) = started(store, &[DocKind::Directory.doc_id(), doc.clone()], day(8)).await;
    let handle = mount_roster(ctx);
    until(|| all("[data-testid=shift-chip].disputed").len() == 1).await;
    click("[data-testid=shift-chip]");
    until(|| all("[data-testid=settle]").len() == 2).await;
    let mut choices = texts("[data-testid=settle]");
    choices.sort();
    assert_eq!(choices, ["Wed 9 Jan 17:00", "Wed 9 Jan 18:00"]);
    let seventeen = all("[data-testid=settle]")
        .into_iter()
        .find(|e| e.text_content().unwrap_or_default().contains("17:00"))
        .expect("offered");
    wasm_bindgen::JsCast::dyn_ref::<web_sys::HtmlElement>(&seventeen)
        .expect("a button")
        .click();
    until(|| all("[data-testid=settle]").is_empty()).await;
    let roster = ctx
        .read(&doc, |am| Roster::read(am, &SiteId::main()))
        .expect("open")
        .expect("reads");
    let settled = roster.shift(&id).expect("kept");
    assert!(settled.disputes.is_empty());
    assert_eq!(settled.end, at(9, 17, 0));
    assert!(all("[data-testid=shift-chip].disputed").is_empty());
    drop(handle);
}
