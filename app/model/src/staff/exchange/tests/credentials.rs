use chrono::NaiveDate;

use super::{office, read, shown};
use crate::csv::CsvError;
use crate::import::{at_line, Sheet, SheetError};
use crate::refusal::Import;
use crate::staff::credential::{put_credential, Credential, CredentialId, CredentialKind};
use crate::staff::exchange::*;
use crate::{Document, DocumentError, StaffId};

fn day(text: &str) -> NaiveDate {
    text.parse().expect("a day")
}

fn staff_id(doc: &Document, name: &str) -> StaffId {
    let directory = read(doc);
    let found = directory.staff.iter().find(|s| s.name == name);
    found.expect("on the list").id.clone()
}

/// Robin's nursing licence, as the practice has it on file.
fn licence(doc: &Document) -> Credential {
    Credential {
        id: CredentialId::from("licence-1"),
        staff: staff_id(doc, "Robin Mockwell"),
        kind: CredentialKind::Licence,
        title: "RN licence".into(),
        number: "RN-1234".into(),
        issuer: "State board of nursing".into(),
        issued: Some(day("2024-01-15")),
        expires: Some(day("2026-12-31")),
    }
}

fn with_licence() -> Document {
    let mut doc = office();
    let held = licence(&doc);
    doc.change(|d| put_credential(d, &held)).expect("writes");
    doc
}

fn errors(import: &CredentialImport) -> Vec<String> {
    shown(import.rows.iter().map(|r| (r.line, &r.outcome)))
}

fn import(
    doc: &mut Document,
    import: &CredentialImport,
    valid_only: bool,
) -> Result<usize, DocumentError> {
    let heads = doc.heads();
    let result = doc
        .change(|d| apply_credentials(d, import, valid_only))
        .map(|(n, _)| n);
    if result.is_err() {
        assert_eq!(doc.heads(), heads, "nothing partial is saved");
    }
    result
}

const BROKEN: &str = "person,kind,title,number,issuer,issued,expires
Pat Nobody,licence,RN licence,RN-9,,,2027-01-01
Quinn Testcase,BLS,BLS provider,B-77,Heart association,2026-02-30,
Quinn Testcase,HIPAA,,,,2026-06-01,2025-06-01
Quinn Testcase,first aid,,,,,
robin mockwell,License,RN licence,rn-1234,,2024-01-15,12/31/2026
Quinn Testcase,osha,,,,2026-01-10,2027-01-10
Robin Mockwell,,,,,,
Quinn Testcase,certification,ACLS,AC-1,,,2027-03-01
Quinn Testcase,Certification,ACLS,ac-1,,,2027-03-01
";

#[test]
fn broken_rows_are_named_by_line_and_nothing_is_written_unless_asked() {
    let mut doc = with_licence();
    let plan = plan_credentials(BROKEN, &read(&doc)).expect("a table");
    assert_eq!(
        errors(&plan),
        [
            "line 2: No one called \"Pat Nobody\" is on the staff list; add them first or check the spelling.",
            "line 3: The issue date \"2026-02-30\" is not a day that exists.",
            "line 4: The expiry date comes before the issue date.",
            "line 5: \"first aid\" is not a kind of credential; use licence, certification, BLS/CPR, HIPAA or OSHA.",
            "line 8: The kind is empty: give licence, certification, BLS/CPR, HIPAA or OSHA.",
            "line 9: Line 10 holds the same credential of Quinn Testcase: keep one of the rows.",
            "line 10: Line 9 holds the same credential of Quinn Testcase: keep one of the rows.",
        ]
    );
    // Robin's licence is on file already, whatever the spelling of name, kind and date.
    assert_eq!(plan.rows[4].name, "Robin Mockwell");
    assert_eq!(plan.rows[4].outcome, Ok(CredentialAction::Same));
    let Ok(CredentialAction::Add(osha)) = &plan.rows[5].outcome else {
        panic!("an addition: {:?}", plan.rows[5]);
    };
    assert_eq!(
        (osha.staff.clone(), osha.kind, osha.expires),
        (
            staff_id(&doc, "Quinn Testcase"),
            CredentialKind::Osha,
            Some(day("2027-01-10"))
        )
    );
    assert_eq!((plan.valid(), plan.broken()), (2, 7));
    assert_eq!(
        plan.summary(),
        "2 rows can be imported: 1 new, 1 already on file; 7 rows have errors"
    );

    let before = read(&doc);
    assert_eq!(
        import(&mut doc, &plan, false),
        Err(Import::RowsInError(7).into())
    );
    assert_eq!(read(&doc), before, "nothing was written");

    assert_eq!(import(&mut doc, &plan, true), Ok(1));
    let held: Vec<(String, CredentialKind)> = read(&doc)
        .credentials
        .iter()
        .map(|c| (read(&doc).staff_name(&c.staff), c.kind))
        .collect();
    assert_eq!(held.len(), 2);
    assert!(held.contains(&("Quinn Testcase".into(), CredentialKind::Osha)));
    assert!(held.contains(&("Robin Mockwell".into(), CredentialKind::Licence)));
    // Imported twice (on another device, say), it is not added twice.
    assert_eq!(import(&mut doc, &plan, true), Ok(0));
    assert_eq!(read(&doc).credentials.len(), 2);
}

#[test]
fn the_exported_credentials_read_back_as_no_change() {
    let mut doc = with_licence();
    let quinn = staff_id(&doc, "Quinn Testcase");
    let bls = Credential {
        id: CredentialId::from("bls-1"),
        staff: quinn,
        kind: CredentialKind::BlsCpr,
        title: "BLS, adult; child".into(),
        number: "=B-77".into(),
        issuer: String::new(),
        issued: None,
        expires: None,
    };
    doc.change(|d| put_credential(d, &bls)).expect("writes");
    let text = credentials_csv(&read(&doc));
    assert_eq!(
        text,
        "person,kind,title,number,issuer,issued,expires\r\n\
         Quinn Testcase,BLS/CPR,\"BLS, adult; child\",'=B-77,,,\r\n\
         Robin Mockwell,Licence,RN licence,RN-1234,State board of nursing,2024-01-15,2026-12-31\r\n"
    );
    let plan = plan_credentials(&text, &read(&doc)).expect("a table");
    let outcomes: Vec<_> = plan.rows.iter().map(|r| r.outcome.clone()).collect();
    assert_eq!(
        outcomes,
        [Ok(CredentialAction::Same), Ok(CredentialAction::Same)]
    );
    let heads = doc.heads();
    assert_eq!(import(&mut doc, &plan, false), Ok(0));
    assert_eq!(doc.heads(), heads, "no change was written");
}

#[test]
fn whole_file_errors_are_one_reason() {
    let check = |text: &str, expected: SheetError| {
        let plan = plan_credentials(text, &read(&office()));
        assert_eq!(plan.map(|_| ()), Err(expected), "{text:?}");
    };
    let no_column = |field| SheetError::NoColumn {
        sheet: Sheet::Credentials,
        field,
    };
    check("", SheetError::Csv(CsvError::Empty));
    check("kind,number\nlicence,RN-1\n", no_column("person"));
    check("Name;Number\nRobin Mockwell;RN-1\n", no_column("kind"));
}

#[test]
fn a_person_removed_meanwhile_fails_the_whole_import() {
    let mut doc = office();
    let text = "Name,Type,Expiry date\nQuinn Testcase,HIPAA,2027-05-01\nRobin Mockwell,OSHA,\n";
    let plan = plan_credentials(text, &read(&doc)).expect("a table");
    assert_eq!(errors(&plan), Vec::<String>::new());
    let robin = staff_id(&doc, "Robin Mockwell");
    doc.change(|d| crate::directory::remove(d, "staff", robin.as_str()))
        .expect("removes");
    let removed = Import::RemovedMeanwhile {
        name: "Robin Mockwell".into(),
    };
    assert_eq!(
        import(&mut doc, &plan, false),
        Err(at_line(3, removed.into()))
    );
    assert!(read(&doc).credentials.is_empty());
}
