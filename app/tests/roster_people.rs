//! Browser tests of the roster's people side: People with their credential badges, the
//! Credentials list, a person's page with the staff form and the credential form, and
//! Time off with its request form and decisions. Each reads a directory stored in
//! IndexedDB as if from the relay, touches the page as a person would, and reads back what
//! the directory document holds.
#![cfg(target_arch = "wasm32")]

use app::platform::driver::Driver;
use app::platform::idb::Store;
use app::platform::local_now;
use app::ui::roster::{Roster, RosterPlace, RosterView};
use app::ui::Ctx;
use chrono::{Duration, NaiveDate, NaiveTime};
use leptos::prelude::*;
use model::directory::{put_site, put_staff, Site, StaffMember};
use model::roster::{add_shift, roster_kind, ValidShift};
use model::staff::credential::{put_credential, Credential, CredentialId, CredentialKind};
use model::staff::time_off::{put_time_off, AbsenceKind, Decision, TimeOff, TimeOffId};
use model::staff::Employment;
use model::{Directory, DocKind, SiteId, StaffId, WeekHours};
use protocol::DocId;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

mod common;
use common::*;

wasm_bindgen_test_configure!(run_in_browser);

fn directory_doc() -> DocId {
    DocKind::Directory.doc_id()
}

fn today() -> NaiveDate {
    local_now().date()
}

fn north() -> SiteId {
    SiteId::new("north").expect("a valid id")
}

/// A person at the main site only, with an id the test can name.
fn person(id: &str, name: &str, role: &str) -> StaffMember {
    StaffMember {
        id: StaffId::from(id),
        ..StaffMember::new(name, role)
    }
}

fn credential(staff: &str, kind: CredentialKind, title: &str, expires: NaiveDate) -> Credential {
    Credential {
        id: CredentialId::random(),
        staff: StaffId::from(staff),
        kind,
        title: title.into(),
        number: "RN-4471".into(),
        issuer: "State board".into(),
        issued: Some(expires - Duration::days(700)),
        expires: Some(expires),
    }
}

/// The directory of the tests: the main site and North Clinic; Robin Mockwell, a nurse at
/// the main site, and Quinn Testcase at the front desk there; and whatever `more` adds.
async fn directory(store: &Store, more: impl FnOnce(&mut automerge::AutoCommit)) {
    stored(store, &directory_doc(), |am| {
        put_site(
            am,
            &Site {
                id: north(),
                name: "North Clinic".into(),
                hours: WeekHours::office(),
            },
        )
        .expect("writes");
        put_staff(am, &person("robin", "Robin Mockwell", "Nurse")).expect("writes");
        put_staff(am, &person("quinn", "Quinn Testcase", "Front desk")).expect("writes");
        more(am);
    })
    .await;
}

fn read_directory(driver: &Driver) -> Directory {
    driver
        .read(&directory_doc(), Directory::read)
        .expect("open")
        .expect("reads")
}

/// Mounts the Roster tab on `view` (with `person` open under People), first taking away
/// what an earlier test left on the page when it failed before unmounting.
fn mount_roster(
    ctx: Ctx,
    view: RosterView,
    person: Option<&str>,
) -> leptos::mount::UnmountHandle<leptos::tachys::view::any_view::AnyViewState> {
    for old in all("[data-roster-people-test]") {
        old.remove();
    }
    let person = person.map(StaffId::from);
    let handle = mount(ctx, move || {
        let place = RosterPlace::new(today());
        place.view.set(view);
        place.person.set(person);
        provide_context(place);
        view! { <Roster /> }
    });
    if let Some(host) = gloo::utils::body().last_element_child() {
        host.set_attribute("data-roster-people-test", "")
            .expect("marks");
    }
    handle
}

fn attributes(selector: &str, name: &str) -> Vec<String> {
    all(selector)
        .iter()
        .filter_map(|e| e.get_attribute(name))
        .collect()
}

/// Ticks or unticks the box `selector` names, as a tap does.
fn tick(selector: &str, on: bool) {
    let input: web_sys::HtmlInputElement = all(selector)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("{selector} is on the page"))
        .dyn_into()
        .expect("an input");
    input.set_checked(on);
    input
        .dispatch_event(&web_sys::Event::new("change").expect("an event"))
        .expect("dispatches");
}

fn checked(selector: &str) -> bool {
    all(selector)
        .into_iter()
        .next()
        .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
        .is_some_and(|i| i.checked())
}

fn row_of(staff: &str) -> String {
    format!("[data-testid=person-row][data-staff='{staff}']")
}

#[wasm_bindgen_test]
async fn an_expiring_credential_shows_its_badge_on_people_and_on_credentials() {
    let store = Store::open("test-roster-badges").await.expect("opens");
    let today = today();
    directory(&store, |am| {
        let bls = credential(
            "robin",
            CredentialKind::BlsCpr,
            "BLS",
            today + Duration::days(20),
        );
        let licence = credential(
            "robin",
            CredentialKind::Licence,
            "RN licence",
            today - Duration::days(5),
        );
        let later = credential(
            "quinn",
            CredentialKind::Hipaa,
            "",
            today + Duration::days(200),
        );
        for c in [bls, licence, later] {
            put_credential(am, &c).expect("writes");
        }
    })
    .await;
    // A shift of Robin's tomorrow, which their page lists.
    let tomorrow = today + Duration::days(1);
    let start = tomorrow.and_time(NaiveTime::from_hms_opt(7, 30, 0).expect("a time"));
    let roster_doc = roster_kind(&SiteId::main(), start).doc_id();
    stored(&store, &roster_doc, |am| {
        let shift = ValidShift {
            staff: Some(StaffId::from("robin")),
            position: None,
            start,
            end: start + Duration::hours(8),
            break_minutes: 30,
            note: String::new(),
        };
        add_shift(am, &shift).expect("adds");
    })
    .await;
    let (_, ctx) = started(store, &[directory_doc(), roster_doc], today).await;
    let handle = mount_roster(ctx, RosterView::People, None);
    until(|| all("[data-testid=person-row]").len() == 2).await;

    // Robin's worst credential has expired; Quinn's runs for months, so no badge.
    let robin = row_of("robin");
    assert_eq!(
        attributes(
            &format!("{robin} [data-testid=credential-badge]"),
            "data-band"
        ),
        ["expired"]
    );
    assert_eq!(
        texts(&format!("{robin} [data-testid=credential-badge]")),
        ["Expired"]
    );
    assert!(all(&format!(
        "{} [data-testid=credential-badge]",
        row_of("quinn")
    ))
    .is_empty());
    assert!(text(&robin).contains("Nurse · Main site · Full time"));

    // Credentials: expired first, then within 30 days; Quinn's HIPAA is not due.
    click("[data-testid=roster-credentials]");
    until(|| all("[data-testid=credential-row]").len() == 2).await;
    assert_eq!(
        attributes("[data-testid=credential-group]", "data-band"),
        ["expired", "within-30"]
    );
    assert_eq!(
        attributes(
            "[data-testid=credential-row] [data-testid=credential-badge]",
            "data-band"
        ),
        ["expired", "within-30"]
    );
    assert_eq!(
        texts("[data-testid=credential-row] [data-testid=credential-badge]"),
        ["Expired", "30 d"]
    );
    let rows = texts("[data-testid=credential-row]");
    assert!(rows[0].contains("RN licence · No. RN-4471"), "{rows:?}");
    assert!(rows[0].contains("expired 5 days ago"), "{rows:?}");
    assert!(rows[1].contains("20 days left"), "{rows:?}");

    // A tap on the person opens their page, with both credentials and tomorrow's shift.
    click("[data-testid=credential-person]");
    until(|| !all("[data-testid=person-name]").is_empty()).await;
    assert_eq!(text("[data-testid=person-name]"), "Robin Mockwell");
    assert_eq!(all("[data-testid=credential-entry]").len(), 2);
    assert_eq!(
        attributes(
            "[data-testid=credential-entry] [data-testid=credential-badge]",
            "data-band"
        ),
        ["expired", "within-30"],
        "by kind: the licence, then BLS/CPR"
    );
    until(|| all("[data-testid=person-shift]").len() == 1).await;
    assert!(text("[data-testid=person-shift]").contains("07:30–15:30 · Any position at Main site"));
    drop(handle);
}

#[wasm_bindgen_test]
async fn a_credential_that_expires_before_it_was_issued_is_refused_and_nothing_is_saved() {
    let store = Store::open("test-roster-credential-form")
        .await
        .expect("opens");
    directory(&store, |_| {}).await;
    let (driver, ctx) = started(store, &[directory_doc()], today()).await;
    let handle = mount_roster(ctx, RosterView::People, None);
    until(|| all("[data-testid=person-row]").len() == 2).await;
    click(&format!("{} [data-testid=open-person]", row_of("robin")));
    until(|| !all("[data-testid=credential-expires]").is_empty()).await;
    assert_eq!(
        text("[data-testid=no-credentials]"),
        "No credentials recorded yet."
    );

    set("[data-testid=credential-kind]", "licence", "change");
    type_into("[data-testid=credential-title]", "RN licence");
    type_into("[data-testid=credential-issued]", "2026-05-01");
    type_into("[data-testid=credential-expires]", "2026-04-30");
    click("[data-testid=add-credential]");
    until(|| !text("[data-testid=error-credential-expires]").is_empty()).await;
    assert_eq!(
        text("[data-testid=error-credential-expires]"),
        "The expiry date comes before the issue date."
    );
    assert_eq!(text("[data-testid=error-credential-issued]"), "");
    settle().await;
    assert!(
        read_directory(&driver).credentials.is_empty(),
        "nothing saved"
    );
    assert_eq!(
        value_of("[data-testid=credential-title]"),
        "RN licence",
        "kept to fix"
    );

    // Put right, it is saved and listed, and the form is emptied for the next one.
    type_into("[data-testid=credential-expires]", "2028-04-30");
    click("[data-testid=add-credential]");
    until(|| all("[data-testid=credential-entry]").len() == 1).await;
    assert_eq!(text("[data-testid=error-credential-expires]"), "");
    assert_eq!(value_of("[data-testid=credential-title]"), "");
    let saved = read_directory(&driver).credentials;
    assert_eq!(saved.len(), 1);
    assert_eq!(
        (
            &saved[0].staff,
            saved[0].kind,
            saved[0].title.as_str(),
            saved[0].issued,
            saved[0].expires
        ),
        (
            &StaffId::from("robin"),
            CredentialKind::Licence,
            "RN licence",
            NaiveDate::from_ymd_opt(2026, 5, 1),
            NaiveDate::from_ymd_opt(2028, 4, 30)
        )
    );
    drop(handle);
}

#[wasm_bindgen_test]
async fn a_time_off_request_whose_last_day_comes_before_the_first_is_refused() {
    let store = Store::open("test-roster-time-off-form")
        .await
        .expect("opens");
    directory(&store, |_| {}).await;
    let (driver, ctx) = started(store, &[directory_doc()], today()).await;
    // Robin is signed in at the desk: the form asks for them unless told otherwise.
    ctx.staff.set(Some(StaffId::from("robin")));
    let handle = mount_roster(ctx, RosterView::TimeOff, None);
    until(|| value_of("[data-testid=time-off-person]") == "robin").await;
    assert_eq!(value_of("[data-testid=time-off-person]"), "robin");

    let day = |n: i64| (today() + Duration::days(n)).format("%Y-%m-%d").to_string();
    type_into("[data-testid=time-off-from]", &day(10));
    type_into("[data-testid=time-off-to]", &day(5));
    click("[data-testid=request-time-off]");
    until(|| !text("[data-testid=error-time-off-to]").is_empty()).await;
    assert_eq!(
        text("[data-testid=error-time-off-to]"),
        "The last day comes before the first day."
    );
    assert_eq!(text("[data-testid=error-time-off-from]"), "");
    settle().await;
    assert!(read_directory(&driver).time_off.is_empty(), "nothing saved");
    assert_eq!(
        text("[data-testid=time-off-waiting] .empty"),
        "Nothing is waiting for a decision."
    );

    // Put right, it waits for a decision, asked by the person at the desk.
    type_into("[data-testid=time-off-to]", &day(12));
    click("[data-testid=request-time-off]");
    until(|| all("[data-testid=time-off-waiting] [data-testid=time-off-row]").len() == 1).await;
    assert_eq!(text("[data-testid=error-time-off-to]"), "");
    let saved = read_directory(&driver).time_off;
    assert_eq!(saved.len(), 1);
    assert_eq!(
        (
            saved[0].days(),
            saved[0].status,
            saved[0].requested_by.as_str()
        ),
        (3, Decision::Requested, "Robin Mockwell")
    );
    drop(handle);
}

#[wasm_bindgen_test]
async fn approving_a_request_moves_it_to_approved_and_writes_the_status() {
    let store = Store::open("test-roster-time-off-decide")
        .await
        .expect("opens");
    let from = today() + Duration::days(14);
    let request = TimeOff {
        id: TimeOffId::random(),
        staff: StaffId::from("quinn"),
        kind: AbsenceKind::Vacation,
        from,
        to: from + Duration::days(2),
        note: "Family visit".into(),
        status: Decision::Requested,
        disputed: Vec::new(),
        requested_by: "Quinn Testcase".into(),
        decided_by: String::new(),
    };
    let stored_request = request.clone();
    directory(&store, move |am| {
        put_time_off(am, &stored_request).expect("writes")
    })
    .await;
    // Quinn is rostered on the second day away.
    let start =
        (from + Duration::days(1)).and_time(NaiveTime::from_hms_opt(8, 0, 0).expect("a time"));
    let roster_doc = roster_kind(&SiteId::main(), start).doc_id();
    stored(&store, &roster_doc, |am| {
        let shift = ValidShift {
            staff: Some(StaffId::from("quinn")),
            position: None,
            start,
            end: start + Duration::hours(6),
            break_minutes: 0,
            note: String::new(),
        };
        add_shift(am, &shift).expect("adds");
    })
    .await;
    let (driver, ctx) = started(store, &[directory_doc(), roster_doc], today()).await;
    let handle = mount_roster(ctx, RosterView::TimeOff, None);
    let waiting = "[data-testid=time-off-waiting] [data-testid=time-off-row]";
    until(|| all(waiting).len() == 1).await;
    assert!(text(waiting).contains("Quinn Testcase"));
    assert!(text(waiting).contains("3 days"));
    assert!(text(waiting).contains("Asked by Quinn Testcase"));
    assert!(all("[data-testid=time-off-approved] [data-testid=time-off-row]").is_empty());

    click("[data-testid=approve-time-off]");
    let approved = "[data-testid=time-off-approved] [data-testid=time-off-row]";
    until(|| all(approved).len() == 1).await;
    assert!(all(waiting).is_empty());
    assert_eq!(attributes(approved, "data-status"), ["approved"]);
    assert!(
        text(approved).contains("Approved by Desk A"),
        "{}",
        text(approved)
    );
    let saved = read_directory(&driver).time_off;
    assert_eq!(
        (
            saved[0].status,
            saved[0].decided_by.as_str(),
            saved[0].disputed.len()
        ),
        (Decision::Approved, "Desk A", 0)
    );
    until(|| !all("[data-testid=time-off-shifts]").is_empty()).await;
    assert_eq!(
        text("[data-testid=time-off-shifts]"),
        "1 shift in this time off — see Rule checks"
    );
    drop(handle);
}

#[wasm_bindgen_test]
async fn the_staff_form_saves_home_site_sites_and_weekly_hours() {
    let store = Store::open("test-roster-staff-form").await.expect("opens");
    directory(&store, |_| {}).await;
    let (driver, ctx) = started(store, &[directory_doc()], today()).await;
    let handle = mount_roster(ctx, RosterView::People, Some("robin"));
    until(|| value_of("[data-testid=edit-staff-name]") == "Robin Mockwell").await;
    assert_eq!(value_of("[data-testid=edit-staff-home]"), "main");
    assert!(checked("[data-testid=edit-staff-site-main]"));
    assert!(!checked("[data-testid=edit-staff-site-north]"));

    // Hours over the limit are refused at their field; nothing is written.
    type_into("[data-testid=edit-staff-hours]", "100");
    click("[data-testid=save-staff]");
    until(|| !text("[data-testid=error-edit-staff-hours]").is_empty()).await;
    assert_eq!(
        text("[data-testid=error-edit-staff-hours]"),
        "Contracted hours must lie between 0 and 80."
    );
    settle().await;
    let robin = |d: &Directory| {
        d.staff_member(&StaffId::from("robin"))
            .cloned()
            .expect("there")
    };
    assert_eq!(robin(&read_directory(&driver)).weekly_minutes, None);

    // North becomes home (and so ticked); the main site stays ticked.
    set("[data-testid=edit-staff-home]", "north", "change");
    until(|| checked("[data-testid=edit-staff-site-north]")).await;
    assert!(checked("[data-testid=edit-staff-site-main]"));
    set("[data-testid=edit-staff-employment]", "part-time", "change");
    type_into("[data-testid=edit-staff-hours]", "37.5");
    type_into("[data-testid=edit-staff-contact]", "robin@example.org");
    click("[data-testid=save-staff]");
    until(|| !all("[data-testid=staff-saved]").is_empty()).await;
    assert_eq!(text("[data-testid=error-edit-staff-hours]"), "");
    let saved = robin(&read_directory(&driver));
    assert_eq!(
        (
            saved.home.clone(),
            saved.sites.clone(),
            saved.employment,
            saved.weekly_minutes,
            saved.contact.as_str()
        ),
        (
            north(),
            vec![SiteId::main(), north()],
            Employment::PartTime,
            Some(2250),
            "robin@example.org"
        )
    );
    until(|| text("[data-testid=person-page] .hint").contains("North Clinic")).await;
    assert_eq!(
        text("[data-testid=person-page] .hint"),
        "Nurse · North Clinic · Part time, 37.5 h a week"
    );

    // A new person from the list: at the site in view, and North Clinic ticked too.
    click("[data-testid=person-back]");
    until(|| !all("[data-testid=staff-name]").is_empty()).await;
    type_into("[data-testid=staff-name]", "Sam Placeholder");
    type_into("[data-testid=staff-role]", "Medical assistant");
    tick("[data-testid=staff-site-north]", true);
    type_into("[data-testid=staff-hours]", "20");
    click("[data-testid=add-staff]");
    until(|| all("[data-testid=person-row]").len() == 3).await;
    assert_eq!(
        value_of("[data-testid=staff-name]"),
        "",
        "emptied for the next one"
    );
    assert!(!checked("[data-testid=staff-site-north]"));
    let directory = read_directory(&driver);
    let sam = directory
        .staff
        .iter()
        .find(|s| s.name == "Sam Placeholder")
        .expect("added");
    assert_eq!(
        (
            sam.home.clone(),
            sam.sites.clone(),
            sam.weekly_minutes,
            sam.role.as_str()
        ),
        (
            SiteId::main(),
            vec![SiteId::main(), north()],
            Some(1200),
            "Medical assistant"
        )
    );
    drop(handle);
}
