//! Browser tests of the staff file: a newcomer's terms refused until right, then what falls
//! due shown across sites; an onboarding step ticked; an appraisal refused while still to
//! come, then recorded.
#![cfg(target_arch = "wasm32")]

use app::platform::idb::Store;
use app::platform::local_now;
use app::ui::staff_file::StaffFilePage;
use chrono::Days;
use leptos::prelude::*;
use model::directory::put_staff;
use model::staff_file::StaffFiles;
use model::{DocKind, StaffMember};
use wasm_bindgen_test::*;

mod common;
use common::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn a_newcomers_file_is_kept_and_what_falls_due_is_shown() {
    let store = Store::open("test-view-staff-file").await.expect("opens");
    let newcomer = StaffMember::new("Jules Sample", "Receptionist");
    let directory = DocKind::Directory.doc_id();
    stored(&store, &directory, |am| {
        put_staff(am, &newcomer).expect("writes")
    })
    .await;
    let today = local_now().date();
    let file = DocKind::StaffFile.doc_id();
    let (driver, ctx) = started(store, &[directory, file.clone()], today).await;
    let handle = mount(ctx, || view! { <StaffFilePage /> });
    until(|| !all("[data-testid=staff-due-none]").is_empty()).await;

    set(
        "[data-testid=staff-file-person]",
        newcomer.id.as_str(),
        "change",
    );
    until(|| !all("[data-testid=person-file]").is_empty()).await;
    let hired = today - Days::new(7);
    type_into("[data-testid=file-hired]", &hired.to_string());
    type_into(
        "[data-testid=file-probation-end]",
        &(hired - Days::new(1)).to_string(),
    );
    submit("[data-testid=person-file] form");
    until(|| !text("[data-testid=error-file-probation-end]").is_empty()).await;
    assert_eq!(
        text("[data-testid=error-file-probation-end]"),
        "Probation cannot end before the hire date."
    );
    let read = || {
        driver
            .read(&file, StaffFiles::read)
            .expect("open")
            .expect("reads")
    };
    assert!(read().terms.is_empty(), "nothing saved");
    let end = today + Days::new(20);
    type_into("[data-testid=file-probation-end]", &end.to_string());
    submit("[data-testid=person-file] form");
    until(|| read().terms_of(&newcomer.id).probation_end == Some(end)).await;
    until(|| {
        texts("[data-testid=staff-due] button")
            .iter()
            .any(|t| t == "Jules Sample: Probation ends")
    })
    .await;

    // A step without words is refused at its field; a step of the checklist, ticked for the
    // newcomer.
    type_into("[data-testid=onboarding-new]", "   ");
    submit("details.new-report form.ops-inline-form");
    until(|| !text("[data-testid=error-onboarding-new]").is_empty()).await;
    assert_eq!(read().checklist().count(), 0, "nothing added");
    type_into("[data-testid=onboarding-new]", "Badge");
    submit("details.new-report form.ops-inline-form");
    until(|| all("[data-testid=onboarding-tick]").len() == 1).await;
    assert!(texts("[data-testid=staff-due] button")
        .iter()
        .any(|t| t == "Jules Sample: Onboarding: 0 of 1 done"));
    click("[data-testid=onboarding-tick]");
    until(|| read().onboarded(&newcomer.id) == (1, 1)).await;

    // An appraisal dated tomorrow is refused; today's is recorded.
    set("[data-testid=appraisal-rating]", "meets", "change");
    set(
        "[data-testid=appraisal-summary]",
        "Settled in well.",
        "input",
    );
    type_into(
        "[data-testid=appraisal-held]",
        &(today + Days::new(1)).to_string(),
    );
    submit("[data-testid=person-file] details.new-report form");
    until(|| !text("[data-testid=error-appraisal-held]").is_empty()).await;
    assert!(read().appraisals.is_empty());
    type_into("[data-testid=appraisal-held]", &today.to_string());
    submit("[data-testid=person-file] details.new-report form");
    until(|| all("[data-testid=appraisal]").len() == 1).await;
    let files = read();
    assert_eq!(files.unreadable, 0);
    assert_eq!(files.appraisals.len(), 1, "{files:?}");
    assert_eq!(files.appraisals[0].summary, "Settled in well.");

    // Taking the step off the checklist asks once more.
    click("[data-testid=onboarding-remove]");
    until(|| !all("[data-testid=onboarding-remove-confirm]").is_empty()).await;
    assert_eq!(
        read().checklist().count(),
        1,
        "nothing removed at the first touch"
    );
    click("[data-testid=onboarding-remove-confirm]");
    until(|| read().checklist().count() == 0).await;
    drop(handle);
}
