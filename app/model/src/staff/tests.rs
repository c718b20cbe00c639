use automerge::transaction::Transactable;
use automerge::ActorId;
use chrono::NaiveDate;

use super::credential::{
    due, expired_licence, put_credential, Credential, CredentialForm, CredentialId, CredentialKind,
    Expiry,
};
use super::time_off::{decide, put_time_off, Decision, TimeOffForm};
use super::*;
use crate::document::maps;
use crate::{Directory, DocKind, Document};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a day")
}

fn directory() -> Document {
    Document::new(&DocKind::Directory.doc_id(), &ActorId::random()).expect("known kind")
}

fn synced(from: &mut Document) -> Document {
    let mut other = directory();
    other.apply(&from.save()).expect("merges");
    other
}

fn merge(a: &mut Document, b: &mut Document) {
    a.apply(&b.save()).expect("merges");
    b.apply(&a.save()).expect("merges");
}

fn read(doc: &Document) -> Directory {
    Directory::read(doc.automerge()).expect("reads")
}

#[test]
fn a_member_written_before_rosters_reads_with_defaults() {
    let mut doc = directory();
    doc.change(|am| {
        let map = Document::root_map(am, maps::STAFF)?;
        let obj = am
            .put_object(&map, "old", automerge::ObjType::Map)
            .map_err(crate::fields::write_error)?;
        am.put(&obj, "name", "Robin Mockwell").unwrap();
        am.put(&obj, "role", "Receptionist").unwrap();
        Ok::<_, crate::DocumentError>(())
    })
    .unwrap();
    let member = read(&doc).staff.pop().expect("read");
    assert_eq!(member.home, SiteId::main());
    assert_eq!(member.sites, [SiteId::main()]);
    assert_eq!(member.employment, Employment::FullTime);
    assert_eq!(member.weekly_minutes, None);
}

#[test]
fn two_managers_changing_different_fields_of_a_person_keep_both() {
    let mut a = directory();
    let member = StaffMember::new("Quinn Testcase", "Front desk");
    a.change(|am| put_staff(am, &member)).unwrap();
    let mut b = synced(&mut a);
    let hillside = SiteId::new("hillside").unwrap();
    let moved = StaffMember {
        sites: vec![SiteId::main(), hillside.clone()],
        ..member.clone()
    };
    a.change(|am| put_staff(am, &moved)).unwrap();
    let hours = StaffMember {
        weekly_minutes: Some(2250),
        ..member.clone()
    };
    b.change(|am| put_staff(am, &hours)).unwrap();
    merge(&mut a, &mut b);
    let read = read(&a).staff.pop().expect("read");
    assert!(read.may_work_at(&hillside));
    assert_eq!(read.weekly_minutes, Some(2250));
}

#[test]
fn hours_and_employment_read_as_people_write_them() {
    assert_eq!(parse_weekly_hours("37.5"), Ok(Some(2250)));
    assert_eq!(parse_weekly_hours("40h"), Ok(Some(2400)));
    assert_eq!(parse_weekly_hours(""), Ok(None));
    assert!(parse_weekly_hours("forty").is_err());
    assert!(parse_weekly_hours("90").is_err());
    assert!(parse_weekly_hours("37.4").is_err());
    assert_eq!(hours_text(2250), "37.5");
    assert_eq!(hours_text(2400), "40");
    assert_eq!(Employment::parse("Part time"), Some(Employment::PartTime));
    assert_eq!(Employment::parse("PRN"), Some(Employment::Casual));
    assert_eq!(Employment::parse("intern"), None);
    assert_eq!(
        CredentialKind::parse("License"),
        Some(CredentialKind::Licence)
    );
    assert_eq!(
        CredentialKind::parse("BLS/CPR"),
        Some(CredentialKind::BlsCpr)
    );
}

fn credential(kind: CredentialKind, expires: Option<NaiveDate>) -> Credential {
    Credential {
        id: CredentialId::random(),
        staff: StaffId::from("sam"),
        kind,
        title: String::new(),
        number: "RN-1".into(),
        issuer: "State board".into(),
        issued: Some(day(2024, 1, 1)),
        expires,
    }
}

#[test]
fn credentials_fall_in_expiry_bands() {
    let today = day(2026, 11, 22);
    let cases = [
        (Some(day(2026, 11, 21)), Expiry::Expired),
        (Some(day(2026, 11, 22)), Expiry::Within30),
        (Some(day(2026, 12, 22)), Expiry::Within30),
        (Some(day(2026, 12, 23)), Expiry::Within60),
        (Some(day(2027, 2, 20)), Expiry::Within90),
        (Some(day(2027, 2, 21)), Expiry::Later),
        (None, Expiry::Never),
    ];
    for (expires, band) in cases {
        assert_eq!(
            credential(CredentialKind::Hipaa, expires).expiry(today),
            band,
            "{expires:?}"
        );
    }
    let all: Vec<_> = cases
        .iter()
        .map(|(e, _)| credential(CredentialKind::Osha, *e))
        .collect();
    let bands: Vec<Expiry> = due(&all, today).into_iter().map(|(e, _)| e).collect();
    assert_eq!(
        bands,
        [
            Expiry::Expired,
            Expiry::Within30,
            Expiry::Within30,
            Expiry::Within60,
            Expiry::Within90
        ]
    );
}

#[test]
fn an_expired_licence_counts_only_without_a_valid_one() {
    let sam = StaffId::from("sam");
    let old = credential(CredentialKind::Licence, Some(day(2026, 10, 31)));
    let on = day(2026, 11, 23);
    assert_eq!(
        expired_licence(std::slice::from_ref(&old), &sam, on).map(|c| c.expires),
        Some(old.expires)
    );
    let renewed = credential(CredentialKind::Licence, Some(day(2028, 10, 31)));
    assert!(expired_licence(&[old, renewed], &sam, on).is_none());
}

#[test]
fn the_credential_form_refuses_bad_dates() {
    let form = |issued: &str, expires: &str| CredentialForm {
        kind: "licence".into(),
        issued: issued.into(),
        expires: expires.into(),
        ..CredentialForm::default()
    };
    let cases = [
        (form("2026-02-30", ""), "issued", "not a day that exists"),
        (
            form("2026-01-01", "2025-12-31"),
            "expires",
            "before the issue date",
        ),
        (form("", "soon"), "expires", "not a date"),
    ];
    for (form, field, words) in cases {
        let errors = form
            .validate(CredentialId::random(), StaffId::from("sam"))
            .expect_err("refused");
        assert!(
            errors.iter().any(|(f, e)| *f == field && e.contains(words)),
            "{errors:?}"
        );
    }
    let mut unknown = form("", "");
    unknown.kind = "diploma".into();
    assert!(unknown
        .validate(CredentialId::random(), StaffId::from("sam"))
        .is_err());
}

#[test]
fn credentials_are_stored_and_read_back() {
    let mut doc = directory();
    let c = credential(CredentialKind::BlsCpr, Some(day(2027, 3, 1)));
    doc.change(|am| put_credential(am, &c)).unwrap();
    assert_eq!(read(&doc).credentials, [c]);
}

#[test]
fn the_time_off_form_refuses_what_cannot_be_taken() {
    let today = day(2026, 11, 22);
    let form = |kind: &str, from: &str, to: &str| TimeOffForm {
        kind: kind.into(),
        from: from.into(),
        to: to.into(),
        note: String::new(),
    };
    let sam = StaffId::from("sam");
    let cases = [
        (
            form("vacation", "2026-12-10", "2026-12-01"),
            "to",
            "before the first day",
        ),
        (
            form("vacation", "2026-11-31", ""),
            "from",
            "not a day that exists",
        ),
        (
            form("vacation", "2026-11-20", "2026-11-21"),
            "from",
            "has passed",
        ),
        (
            form("nap", "2026-12-01", ""),
            "kind",
            "vacation, sick or training",
        ),
    ];
    for (form, field, words) in cases {
        let errors = form
            .validate(sam.clone(), "Desk A", today)
            .expect_err("refused");
        assert!(
            errors.iter().any(|(f, e)| *f == field && e.contains(words)),
            "{errors:?}"
        );
    }
    let sick = form("sick", "2026-11-20", "").validate(sam, "Desk A", today);
    assert_eq!(sick.expect("recorded after the fact").days(), 1);
}

/// Two managers decide one request differently offline: both decisions show until one of
/// them decides again.
#[test]
fn managers_deciding_differently_offline_leave_it_disputed() {
    let today = day(2026, 11, 22);
    let request = TimeOffForm {
        kind: "vacation".into(),
        from: "2026-12-07".into(),
        to: "2026-12-11".into(),
        note: String::new(),
    }
    .validate(StaffId::from("sam"), "Desk A", today)
    .unwrap();
    let mut a = directory();
    a.change(|am| put_time_off(am, &request)).unwrap();
    let mut b = synced(&mut a);
    a.change(|am| decide(am, &request.id, Decision::Approved, "Avery Specimen"))
        .unwrap();
    b.change(|am| decide(am, &request.id, Decision::Denied, "Robin Mockwell"))
        .unwrap();
    merge(&mut a, &mut b);
    let read_back = read(&a).time_off.pop().expect("kept");
    assert_eq!(read_back.disputed.len(), 2);
    a.change(|am| decide(am, &request.id, Decision::Approved, "Avery Specimen"))
        .unwrap();
    merge(&mut a, &mut b);
    let settled = read(&b).time_off.pop().expect("kept");
    assert!(settled.disputed.is_empty());
    assert!(settled.is_approved());
}

/// A form opened on `before` and saved as `typed`, while another device made `current`.
fn check_form(
    before: &Credential,
    typed: impl Fn(&mut Credential),
    current: impl Fn(&mut Credential),
    expected: impl Fn(&mut Credential),
) {
    let (mut t, mut c, mut e) = (before.clone(), before.clone(), before.clone());
    typed(&mut t);
    current(&mut c);
    expected(&mut e);
    assert_eq!(t.onto(before, c), e);
}

#[test]
fn a_form_lays_only_what_it_changed_onto_the_record_as_it_stands() {
    let before = credential(CredentialKind::Licence, Some(day(2027, 3, 1)));
    // The form renewed the expiry; a colleague corrected the number meanwhile: both kept.
    check_form(
        &before,
        |t| t.expires = Some(day(2029, 3, 1)),
        |c| c.number = "RN-2".into(),
        |e| {
            e.expires = Some(day(2029, 3, 1));
            e.number = "RN-2".into();
        },
    );
    // A field the form left as it was keeps the colleague's value.
    check_form(
        &before,
        |_| {},
        |c| c.issuer = "Board".into(),
        |e| e.issuer = "Board".into(),
    );
    // The same field changed on both: what this person typed is what they saved.
    check_form(
        &before,
        |t| t.title = "RN licence".into(),
        |c| c.title = "Nursing licence".into(),
        |e| e.title = "RN licence".into(),
    );
}

#[test]
fn a_person_edited_in_a_form_keeps_their_home_among_their_sites() {
    let before = StaffMember::new("Robin Receptionist", "Front desk");
    let hillside = SiteId::new("hillside").expect("a valid site id");
    let mut typed = before.clone();
    typed.home = hillside.clone();
    let mut current = before.clone();
    current.contact = "555-0100".into();
    let edited = typed.edited(&before, current);
    assert_eq!(edited.home, hillside);
    assert_eq!(edited.sites, vec![hillside, SiteId::main()]);
    assert_eq!(edited.contact, "555-0100");
}
