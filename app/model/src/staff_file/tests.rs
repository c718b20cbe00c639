use automerge::ActorId;

use super::due::{due, DueKind};
use super::*;
use crate::{Directory, DocKind, StaffMember};

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a day")
}

fn file() -> Document {
    Document::new(&DocKind::StaffFile.doc_id(), &ActorId::random()).expect("known kind")
}

fn read(doc: &Document) -> StaffFiles {
    StaffFiles::read(doc.automerge()).expect("reads")
}

fn fields<T: std::fmt::Debug>(result: Result<T, Problems>) -> Vec<&'static str> {
    result
        .expect_err("refused")
        .into_iter()
        .map(|(field, _)| field)
        .collect()
}

#[test]
fn the_files_forms_refuse_what_cannot_be_and_save_nothing() {
    let terms = |hired: &str, end: &str, months: &str| TermsForm {
        hired: hired.into(),
        probation_end: end.into(),
        appraisal_months: months.into(),
    };
    assert_eq!(
        terms("2026-11-02", "2027-02-01", "6").validate(),
        Ok(Terms {
            hired: Some(day("2026-11-02")),
            probation_end: Some(day("2027-02-01")),
            appraisal_months: Some(6),
        })
    );
    assert_eq!(
        fields(terms("2026-11-02", "2026-10-01", "12").validate()),
        ["probation_end"]
    );
    assert_eq!(
        fields(terms("2026-13-02", "", "0").validate()),
        ["hired", "appraisal_months"]
    );
    assert_eq!(fields(terms("", "", "37").validate()), ["appraisal_months"]);

    let staff = StaffId::from("ana");
    let today = day("2026-12-07");
    let appraisal = |held: &str, rating: &str, summary: &str| AppraisalForm {
        held: held.into(),
        rating: rating.into(),
        summary: summary.into(),
    };
    assert!(appraisal("2026-12-07", "meets", "Steady year.")
        .validate(&staff, "Avery", today)
        .is_ok());
    assert_eq!(
        fields(appraisal("2026-12-08", "", " ").validate(&staff, "Avery", today)),
        ["held", "rating", "summary"]
    );
    let course = |course: &str, due: &str| TrainingForm {
        course: course.into(),
        due: due.into(),
    };
    assert_eq!(
        fields(course(" ", "2027-02-30").validate(&staff)),
        ["course", "due"]
    );
}

#[test]
fn two_managers_filling_one_newcomers_file_offline_keep_everything() {
    let ana = StaffId::from("ana");
    let mut phone = file();
    let (badge, made) = phone
        .change(|d| {
            let now = day("2026-11-01").and_hms_opt(9, 0, 0).expect("a time");
            let badge = add_onboarding_item(d, "Badge", now)?;
            add_onboarding_item(d, "HIPAA training", now)?;
            Ok::<_, DocumentError>(badge)
        })
        .expect("adds");
    let mut office = file();
    office.apply(&made.expect("a change")).expect("applies");

    let hired = Terms {
        hired: Some(day("2026-11-02")),
        ..Terms::default()
    };
    let probation = Terms {
        probation_end: Some(day("2027-02-01")),
        ..Terms::default()
    };
    // Offline, the phone writes the hire date and ticks the badge; the office writes the
    // end of probation and plans a course. Each form changed one fact of the same terms.
    let (_, a) = phone
        .change(|d| {
            put_terms(d, &ana, &Terms::default(), &hired)?;
            tick(d, &ana, &badge, Some((day("2026-11-02"), "Avery Example")))
        })
        .expect("writes");
    let course = TrainingForm {
        course: "BLS refresher".into(),
        due: "2026-12-20".into(),
    };
    let (_, b) = office
        .change(|d| {
            put_terms(d, &ana, &Terms::default(), &probation)?;
            put_training(d, &course.validate(&ana).expect("valid"))
        })
        .expect("writes");
    phone.apply(&b.expect("a change")).expect("applies");
    office.apply(&a.expect("a change")).expect("applies");
    for doc in [&phone, &office] {
        let files = read(doc);
        assert_eq!(
            files.terms_of(&ana),
            Terms {
                hired: Some(day("2026-11-02")),
                probation_end: Some(day("2027-02-01")),
                appraisal_months: None,
            }
        );
        assert_eq!(files.onboarded(&ana), (1, 2));
        assert_eq!(files.training.len(), 1);
        assert_eq!(
            files.next_appraisal(&ana),
            Some(day("2027-02-01")),
            "at the end of probation"
        );
    }
}

#[test]
fn what_falls_due_across_sites_comes_soonest_first() {
    let mut ana = StaffMember::new("Ana Sample", "Receptionist");
    ana.id = StaffId::from("ana");
    let mut bo = StaffMember::new("Bo Example", "Medical assistant");
    bo.id = StaffId::from("bo");
    bo.home = crate::SiteId::new("hillside").expect("an id");
    let directory = Directory {
        staff: vec![ana.clone(), bo.clone()],
        ..Directory::default()
    };
    let mut doc = file();
    doc.change(|d| {
        let now = day("2026-11-01").and_hms_opt(9, 0, 0).expect("a time");
        let badge = add_onboarding_item(d, "Badge", now)?;
        add_onboarding_item(d, "Accounts", now)?;
        // Ana: hired a month ago, one step of two done, probation ending in three weeks.
        put_terms(
            d,
            &ana.id,
            &Terms::default(),
            &Terms {
                hired: Some(day("2026-11-09")),
                probation_end: Some(day("2026-12-28")),
                appraisal_months: None,
            },
        )?;
        tick(d, &ana.id, &badge, Some((day("2026-11-09"), "Avery")))?;
        // Bo: hired years ago, appraised 11 months ago; a course overdue, one done.
        put_terms(
            d,
            &bo.id,
            &Terms::default(),
            &Terms {
                hired: Some(day("2020-03-02")),
                probation_end: Some(day("2020-06-01")),
                appraisal_months: None,
            },
        )?;
        put_appraisal(
            d,
            &AppraisalForm {
                held: "2026-01-02".into(),
                rating: "exceeds".into(),
                summary: "Led the move to the new clinic.".into(),
            }
            .validate(&bo.id, "Avery", day("2026-12-07"))
            .expect("valid"),
        )?;
        let mut late = TrainingForm {
            course: "Fire safety".into(),
            due: "2026-12-01".into(),
        }
        .validate(&bo.id)
        .expect("valid");
        put_training(d, &late)?;
        late.id = TrainingId::random();
        late.course = "Manual handling".into();
        late.done = Some(day("2026-11-20"));
        put_training(d, &late)
    })
    .expect("writes");
    let today = day("2026-12-07");
    let found: Vec<(String, String, NaiveDate, bool)> = due(&read(&doc), &directory, today)
        .into_iter()
        .map(|d| (d.name.clone(), d.describe(), d.day, d.overdue(today)))
        .collect();
    assert_eq!(
        found,
        [
            (
                "Ana Sample".into(),
                "Onboarding: 1 of 2 done".into(),
                day("2026-11-09"),
                true
            ),
            (
                "Bo Example".into(),
                "Training: Fire safety".into(),
                day("2026-12-01"),
                true
            ),
            (
                "Ana Sample".into(),
                "Appraisal due".into(),
                day("2026-12-28"),
                false
            ),
            (
                "Ana Sample".into(),
                "Probation ends".into(),
                day("2026-12-28"),
                false
            ),
            (
                "Bo Example".into(),
                "Appraisal due".into(),
                day("2027-01-02"),
                false
            ),
        ]
    );
    assert!(matches!(
        due(&read(&doc), &directory, today)[0].kind,
        DueKind::Onboarding { .. }
    ));
}
