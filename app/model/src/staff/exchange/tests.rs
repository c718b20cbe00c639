use automerge::ActorId;

use super::*;
use crate::csv::CsvError;
use crate::directory::{put_site, remove};
use crate::import::{at_line, Sheet, SheetError};
use crate::refusal::Import;
use crate::staff::Employment;
use crate::{DocKind, Site, WeekHours};

mod credentials;

/// The directory of a practice with two sites, Main and Hillside, and two people: Robin
/// Mockwell at the front desk of Main, and Quinn Testcase, a nurse at both sites.
pub(super) fn office() -> Document {
    let mut doc = Document::new(&DocKind::Directory.doc_id(), &ActorId::random()).expect("known");
    doc.change(|doc| {
        for (id, name) in [("main", "Main"), ("hillside", "Hillside")] {
            let id = SiteId::new(id).expect("an id");
            let hours = WeekHours::office();
            put_site(
                doc,
                &Site {
                    id,
                    name: name.into(),
                    hours,
                },
            )?;
        }
        put_staff(doc, &robin())?;
        put_staff(doc, &quinn())
    })
    .expect("writes");
    doc
}

pub(super) fn robin() -> StaffMember {
    StaffMember {
        contact: "robin@example.test".into(),
        weekly_minutes: Some(40 * 60),
        ..StaffMember::new("Robin Mockwell", "Front desk")
    }
}

pub(super) fn quinn() -> StaffMember {
    StaffMember {
        contact: "+1 555 0100".into(),
        sites: vec![SiteId::main(), hillside()],
        employment: Employment::PartTime,
        weekly_minutes: Some(22 * 60 + 30),
        ..StaffMember::new("Quinn Testcase", "Nurse")
    }
}

pub(super) fn hillside() -> SiteId {
    SiteId::new("hillside").expect("an id")
}

pub(super) fn read(doc: &Document) -> Directory {
    Directory::read(doc.automerge()).expect("reads")
}

/// Every error of a plan as the page shows it: "line N: sentence".
pub(super) fn shown<'a, T: 'a>(
    rows: impl IntoIterator<Item = (usize, &'a Result<T, Vec<String>>)>,
) -> Vec<String> {
    let mut all = Vec::new();
    for (line, outcome) in rows {
        if let Err(errors) = outcome {
            all.extend(errors.iter().map(|e| format!("line {line}: {e}")));
        }
    }
    all
}

fn errors(import: &StaffImport) -> Vec<String> {
    shown(import.rows.iter().map(|r| (r.line, &r.outcome)))
}

/// Runs an import as the page does, in one change; checks that a refusal leaves the
/// document as it was.
fn import(
    doc: &mut Document,
    import: &StaffImport,
    valid_only: bool,
) -> Result<usize, DocumentError> {
    let heads = doc.heads();
    let result = doc
        .change(|d| apply_staff(d, import, valid_only))
        .map(|(n, _)| n);
    if result.is_err() {
        assert_eq!(doc.heads(), heads, "nothing partial is saved");
    }
    result
}

fn names(doc: &Document) -> Vec<String> {
    read(doc).staff.iter().map(|s| s.name.clone()).collect()
}

fn member(doc: &Document, name: &str) -> StaffMember {
    let directory = read(doc);
    let found = directory.staff.iter().find(|s| s.name == name);
    found.expect("on the list").clone()
}

const BROKEN: &str = "name,role,home_site,sites,weekly_hours
Avery Sampleton,Billing,main,,37.5
,Nurse,main,,
Casey Dummy,Nurse,Eastside,,
Drew Placeholder,Cleaning,main,main;Eastside;Westside,
Emery Fixture,Nurse,main,,lots
Finley Stub,Nurse,main,,90
Gray Example,Receptionist,main,,
gray  example,Receptionist,hillside,,
Harper Mock,,main,,
Indigo Trial,Billing,main,,20
";

#[test]
fn broken_rows_are_named_by_line_and_nothing_is_written_unless_asked() {
    let mut doc = office();
    let plan = plan_staff(BROKEN, &read(&doc)).expect("a table");
    assert_eq!(
        errors(&plan),
        [
            "line 3: The name is empty: give each person's name.",
            "line 4: There is no site \"Eastside\"; the sites are Main, Hillside.",
            "line 5: There is no site \"Eastside\"; the sites are Main, Hillside. There is no site \"Westside\"; the sites are Main, Hillside.",
            "line 6: \"lots\" is not a number of hours, like 37.5.",
            "line 7: Contracted hours must lie between 0 and 80.",
            "line 8: Gray Example is also on line 9: keep one row per person.",
            "line 9: gray example is also on line 8: keep one row per person.",
            "line 10: The role is empty: give Harper Mock's role, like Front desk or Nurse.",
        ]
    );
    assert_eq!((plan.valid(), plan.broken()), (2, 8));
    assert_eq!(
        plan.summary(),
        "2 rows can be imported: 2 new, 0 changes, 0 unchanged; 8 rows have errors"
    );

    let before = read(&doc);
    let refused = import(&mut doc, &plan, false);
    assert_eq!(refused, Err(Import::RowsInError(8).into()));
    assert_eq!(read(&doc), before, "nothing was written");

    assert_eq!(import(&mut doc, &plan, true), Ok(2));
    assert_eq!(
        names(&doc),
        [
            "Avery Sampleton",
            "Indigo Trial",
            "Quinn Testcase",
            "Robin Mockwell"
        ]
    );
    let avery = member(&doc, "Avery Sampleton");
    assert_eq!(
        (avery.role.as_str(), &avery.home, avery.weekly_minutes),
        ("Billing", &SiteId::main(), Some(37 * 60 + 30))
    );
}

#[test]
fn rows_add_change_or_leave_people_and_empty_cells_keep_what_is_there() {
    let mut doc = office();
    let text = "name,role,contact,home_site,sites,employment,weekly_hours
robin mockwell,,,,main;hillside,,32
Quinn Testcase,Nurse,+1 555 0100,main,main;hillside,part-time,22.5
Avery Sampleton,Billing,avery@example.test,hillside,,casual,
";
    let plan = plan_staff(text, &read(&doc)).expect("a table");
    assert_eq!(errors(&plan), Vec::<String>::new());
    assert_eq!(
        plan.summary(),
        "3 rows can be imported: 1 new, 1 change, 1 unchanged"
    );
    let Ok(StaffAction::Update { before, after }) = &plan.rows[0].outcome else {
        panic!("an update: {:?}", plan.rows[0]);
    };
    assert_eq!(plan.rows[0].name, "Robin Mockwell", "the list's spelling");
    assert_eq!(*before, member(&doc, "Robin Mockwell"));
    let expected = StaffMember {
        sites: vec![SiteId::main(), hillside()],
        weekly_minutes: Some(32 * 60),
        ..before.clone()
    };
    assert_eq!(*after, expected);
    assert_eq!(plan.rows[1].outcome, Ok(StaffAction::Same));
    let Ok(StaffAction::Add(avery)) = &plan.rows[2].outcome else {
        panic!("an addition: {:?}", plan.rows[2]);
    };
    assert_eq!(
        (
            &avery.home,
            &avery.sites,
            avery.employment,
            avery.weekly_minutes
        ),
        (&hillside(), &vec![hillside()], Employment::Casual, None)
    );

    // Meanwhile another device changes Robin's contact, which the file leaves alone.
    let moved = StaffMember {
        contact: "555 0199".into(),
        ..member(&doc, "Robin Mockwell")
    };
    doc.change(|d| put_staff(d, &moved)).expect("writes");
    assert_eq!(import(&mut doc, &plan, false), Ok(2));
    let robin_now = member(&doc, "Robin Mockwell");
    assert_eq!(
        (robin_now.contact.as_str(), robin_now.weekly_minutes),
        ("555 0199", Some(32 * 60))
    );
    assert_eq!(robin_now.sites, [SiteId::main(), hillside()]);
    assert_eq!(member(&doc, "Quinn Testcase"), quinn_as_stored(&doc));
    assert_eq!(member(&doc, "Avery Sampleton").id, avery.id);
}

/// Quinn as [`office`] wrote them, with their id.
fn quinn_as_stored(doc: &Document) -> StaffMember {
    let id = member(doc, "Quinn Testcase").id;
    StaffMember { id, ..quinn() }
}

#[test]
fn semicolons_a_byte_order_mark_windows_line_ends_and_spreadsheet_headers_are_read() {
    let doc = office();
    let text = "\u{feff}Full name;Job title;E-mail;Home site;Other sites;Employment type;Weekly hours (h)\r\n\
                Avery Sampleton;Billing;avery@example.test;HILLSIDE;Main, hillside;Part time;17,5\r\n\
                \r\n\
                Blake Dummy;Nurse;;;Hillside | main;FT;40\r\n";
    let plan = plan_staff(text, &read(&doc)).expect("a table");
    assert_eq!(errors(&plan), Vec::<String>::new());
    let added: Vec<(usize, &StaffMember)> = plan
        .rows
        .iter()
        .filter_map(|r| match &r.outcome {
            Ok(StaffAction::Add(m)) => Some((r.line, m)),
            _ => None,
        })
        .collect();
    let [(2, avery), (4, blake)] = added.as_slice() else {
        panic!("two additions on lines 2 and 4: {added:?}");
    };
    assert_eq!(
        (
            avery.role.as_str(),
            avery.contact.as_str(),
            &avery.home,
            &avery.sites,
            avery.employment,
            avery.weekly_minutes
        ),
        (
            "Billing",
            "avery@example.test",
            &hillside(),
            &vec![SiteId::main(), hillside()],
            Employment::PartTime,
            Some(17 * 60 + 30)
        )
    );
    // Without a home site, someone new works mostly at the first site listed.
    assert_eq!(
        (&blake.home, &blake.sites, blake.employment),
        (
            &hillside(),
            &vec![hillside(), SiteId::main()],
            Employment::FullTime
        )
    );
}

#[test]
fn header_spellings_find_their_columns() {
    let check = |header: &str, cell: &str, expected: &dyn Fn(&StaffMember) -> bool| {
        let text = format!("Name,Role,{header}\nAvery Sampleton,Billing,{cell}\n");
        let plan = plan_staff(&text, &read(&office())).expect("a table");
        match &plan.rows[0].outcome {
            Ok(StaffAction::Add(m)) => assert!(expected(m), "{header}: {m:?}"),
            other => panic!("{header}: {other:?}"),
        }
    };
    check("Email", "a@example.test", &|m| {
        m.contact == "a@example.test"
    });
    check("Phone", "555 0100", &|m| m.contact == "555 0100");
    check("CONTACT", "555 0101", &|m| m.contact == "555 0101");
    check("Home_Site", "Hillside", &|m| m.home == hillside());
    check("home site", "hillside", &|m| m.home == hillside());
    check("Weekly hours", "12", &|m| m.weekly_minutes == Some(720));
    check("weekly_hours", "12.25", &|m| m.weekly_minutes == Some(735));
    check("Employment", "contractor", &|m| {
        m.employment == Employment::Contractor
    });
    check("Sites", "hillside", &|m| {
        m.sites == [hillside()] && m.home == hillside()
    });
    check("Home", "hillside", &|m| {
        m.sites == [hillside()] && m.home == hillside()
    });
    check("Site", "Main", &|m| {
        m.sites == [SiteId::main()] && m.home == SiteId::main()
    });
}

#[test]
fn unknown_employment_and_two_people_of_one_name_are_row_errors() {
    let mut doc = office();
    doc.change(|d| put_staff(d, &StaffMember::new("Robin  Mockwell", "Nurse")))
        .expect("writes");
    let text = "name,employment\nRobin Mockwell,full-time\nQuinn Testcase,permanent\n";
    let plan = plan_staff(text, &read(&doc)).expect("a table");
    assert_eq!(
        errors(&plan),
        [
            "line 2: 2 people on the staff list are called Robin Mockwell: rename one of them there first.",
            "line 3: \"permanent\" is not a kind of employment; use full time, part time, casual or contractor.",
        ]
    );
}

#[test]
fn whole_file_errors_are_one_reason() {
    let check = |text: &str, expected: SheetError| {
        let plan = plan_staff(text, &read(&office()));
        assert_eq!(plan.map(|_| ()), Err(expected), "{text:?}");
    };
    check("", SheetError::Csv(CsvError::Empty));
    check("\u{feff}\r\n", SheetError::Csv(CsvError::Empty));
    check("name,role\n", SheetError::NoRows);
    check(
        "Robin Mockwell,Front desk\nQuinn Testcase,Nurse\n",
        SheetError::NoColumn {
            sheet: Sheet::Staff,
            field: "name",
        },
    );
    check(
        "name,role\n\"Robin Mockwell,Front desk\n",
        SheetError::Csv(CsvError::Unclosed { line: 2 }),
    );
}

#[test]
fn the_exported_list_reads_back_as_no_change() {
    let mut doc = office();
    let text = staff_csv(&read(&doc));
    assert_eq!(
        text,
        "name,role,contact,home_site,sites,employment,weekly_hours\r\n\
         Quinn Testcase,Nurse,'+1 555 0100,main,\"main;hillside\",part-time,22.5\r\n\
         Robin Mockwell,Front desk,robin@example.test,main,main,full-time,40\r\n"
    );
    let plan = plan_staff(&text, &read(&doc)).expect("a table");
    let outcomes: Vec<_> = plan.rows.iter().map(|r| r.outcome.clone()).collect();
    assert_eq!(outcomes, [Ok(StaffAction::Same), Ok(StaffAction::Same)]);
    let heads = doc.heads();
    assert_eq!(import(&mut doc, &plan, false), Ok(0));
    assert_eq!(doc.heads(), heads, "no change was written");
}

#[test]
fn a_person_removed_or_added_meanwhile_fails_the_whole_import() {
    let mut doc = office();
    let text = "name,role,weekly_hours\nAvery Sampleton,Billing,\nRobin Mockwell,,30\n";
    let plan = plan_staff(text, &read(&doc)).expect("a table");
    let robin_id = member(&doc, "Robin Mockwell").id;
    doc.change(|d| remove(d, "staff", robin_id.as_str()))
        .expect("removes");
    let removed = Import::RemovedMeanwhile {
        name: "Robin Mockwell".into(),
    };
    assert_eq!(
        import(&mut doc, &plan, false),
        Err(at_line(3, removed.into()))
    );
    assert_eq!(names(&doc), ["Quinn Testcase"]);

    doc.change(|d| put_staff(d, &StaffMember::new("avery sampleton", "Billing")))
        .expect("writes");
    let added = Import::AddedMeanwhile {
        name: "Avery Sampleton".into(),
    };
    assert_eq!(
        import(&mut doc, &plan, false),
        Err(at_line(2, added.into()))
    );
}
