use automerge::ActorId;
use protocol::DocId;

use super::lockout::{away_too_long, gate, Gate, DEFAULT_OFFLINE_DAYS, MAX_FAILURES};
use super::pin::{self, PinProblem, Verdict};
use super::stamp::{history, read_message, Stamp};
use super::*;
use crate::refusal::Refusal;
use crate::DocKind;

const SALT: [u8; 16] = *b"0123456789abcdef";

fn directory(actor: u8) -> Document {
    Document::new(&DocKind::Directory.doc_id(), &ActorId::from([actor; 16])).unwrap()
}

fn refused(e: DocumentError) -> Refused {
    match e {
        DocumentError::Refused(Refusal::Access(r)) => r,
        other => panic!("expected an access refusal, got {other:?}"),
    }
}

#[test]
fn a_pin_is_kept_as_an_argon2id_hash_with_the_stated_parameters() {
    let hash = pin::hash("482916", &SALT);
    assert!(
        hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{hash}"
    );
    assert!(!hash.contains("482916"));
    assert_eq!(pin::verify("482916", &hash), Verdict::Right);
    assert_eq!(pin::verify("482917", &hash), Verdict::Wrong);
    // Another salt gives another hash of the same PIN.
    assert_ne!(pin::hash("482916", b"fedcba9876543210"), hash);
}

#[test]
fn a_damaged_or_greedy_hash_record_unlocks_nothing() {
    assert_eq!(pin::verify("482916", ""), Verdict::Damaged);
    assert_eq!(
        pin::verify("482916", "$argon2id$v=19$garbage"),
        Verdict::Damaged
    );
    let hash = pin::hash("482916", &SALT);
    let greedy = hash.replace("m=19456", "m=4000000");
    assert_eq!(pin::verify("482916", &greedy), Verdict::Damaged);
    let argon2i = hash.replace("$argon2id$", "$argon2i$");
    assert_eq!(pin::verify("482916", &argon2i), Verdict::Damaged);
}

#[test]
fn a_new_pin_must_be_long_hard_to_guess_typed_twice_and_new() {
    let check = |pin: &str| pin::check_new(pin, pin, None);
    assert_eq!(check("48291"), Err(PinProblem::TooShort { digits: true }));
    assert_eq!(
        check("short one"),
        Err(PinProblem::TooShort { digits: false })
    );
    assert_eq!(check("111111"), Err(PinProblem::TooEasy));
    assert_eq!(check("123456"), Err(PinProblem::TooEasy));
    assert_eq!(check("876543"), Err(PinProblem::TooEasy));
    assert_eq!(check(&"9".repeat(129)), Err(PinProblem::TooLong));
    assert_eq!(check("482916"), Ok(()));
    assert_eq!(check("correct horse battery"), Ok(()));
    assert_eq!(
        pin::check_new("482916", "482961", None),
        Err(PinProblem::Mismatch)
    );
    let old = pin::hash("482916", &SALT);
    assert_eq!(
        pin::check_new("482916", "482916", Some(&old)),
        Err(PinProblem::Reused)
    );
    assert_eq!(pin::check_new("593027", "593027", Some(&old)), Ok(()));
}

#[test]
fn set_up_codes_are_two_groups_of_four_and_read_however_typed() {
    let code = pin::setup_code(&[0, 1, 2, 3, 30, 31, 200, 255]);
    assert_eq!(code, "2345-Z2G9");
    assert_eq!(pin::normalise_code(" 2345 z2bf "), "2345Z2BF");
    assert_eq!(pin::normalise_code("2345-Z2BF"), "2345Z2BF");
}

#[test]
fn wrong_pins_make_growing_waits_then_a_lock_out() {
    let now = 1_000_000;
    assert_eq!(gate(&[], now), Gate::Open);
    assert_eq!(gate(&[now], now), Gate::Open);
    assert_eq!(gate(&[now - 10, now], now), Gate::WaitUntil(now + 5_000));
    assert_eq!(gate(&[now - 7_000, now - 6_000], now), Gate::Open);
    assert_eq!(
        gate(&[1, 2, now - 1_000], now),
        Gate::WaitUntil(now - 1_000 + 30_000)
    );
    assert_eq!(gate(&[1, 2, 3, now], now), Gate::WaitUntil(now + 120_000));
    assert_eq!(gate(&[1, 2, 3, 4, 5], now), Gate::Locked);
    assert_eq!(gate(&[1; MAX_FAILURES + 2], now), Gate::Locked);
    // Another device's clock ahead by an hour makes nobody wait longer than stated.
    assert_eq!(
        gate(&[now - 10, now + 3_600_000], now),
        Gate::WaitUntil(now + 5_000)
    );
}

/// The permission table, written out: every role against every action.
#[test]
fn each_role_may_do_what_the_table_says() {
    use Action::*;
    let table: [(Action, [bool; 3]); 13] = [
        //                  front desk, manager, owner
        (WorkSchedule, [true, true, true]),
        (CheckIn, [true, true, true]),
        (UseStock, [true, true, true]),
        (WorkTasks, [true, true, true]),
        (ManageStock, [false, true, true]),
        (RunRoster, [false, true, true]),
        (ManagePeople, [false, true, true]),
        (ChangeSettings, [false, true, true]),
        (Export, [false, true, true]),
        (Audit, [false, true, true]),
        (Oversee, [false, true, true]),
        (SeeAppraisals, [false, true, true]),
        (GrantRoles, [false, false, true]),
    ];
    assert_eq!(
        table.iter().map(|(a, _)| *a).collect::<Vec<_>>(),
        Action::ALL.to_vec(),
        "the table lists every action once"
    );
    for (action, allowed) in table {
        for (role, expected) in Role::ALL.into_iter().zip(allowed) {
            assert_eq!(role.may(action), expected, "{role:?} × {action:?}");
        }
    }
    for role in Role::ALL {
        assert_eq!(Role::parse(role.code()), Some(role));
    }
}

fn owner() -> StaffMember {
    StaffMember::new("Avery Owner", "Office manager")
}

#[test]
fn the_first_owner_starts_the_organisation_once() {
    let mut doc = directory(1);
    let first = owner();
    let hash = pin::hash("482916", &SALT);
    doc.change(|am| start_organisation(am, &first, &hash))
        .unwrap();
    let directory = crate::Directory::read(doc.automerge()).unwrap();
    assert_eq!(
        directory.staff_member(&first.id).unwrap().name,
        "Avery Owner"
    );
    let signin = directory.access.of(&first.id).unwrap();
    assert_eq!(signin.role, Role::Owner);
    assert_eq!(signin.pin.as_deref(), Some(hash.as_str()));

    let second = StaffMember::new("Blake Late", "Office manager");
    let again = doc
        .change(|am| start_organisation(am, &second, &hash))
        .unwrap_err();
    assert_eq!(refused(again), Refused::AlreadyStarted);
}

#[test]
fn a_set_up_code_becomes_a_pin_once_and_a_new_code_replaces_the_pin() {
    let mut doc = directory(1);
    let first = owner();
    let casey = StaffMember::new("Casey Desk", "Front desk");
    doc.change(|am| {
        start_organisation(am, &first, &pin::hash("482916", &SALT))?;
        crate::staff::put_staff(am, &casey)
    })
    .unwrap();
    let code = pin::hash(&pin::normalise_code("ABCD-EFGH"), &SALT);
    doc.change(|am| issue_setup(am, &casey.id, Role::FrontDesk, &code, 5_000))
        .unwrap();
    let read = |doc: &Document| crate::Directory::read(doc.automerge()).unwrap().access;
    let signin = read(&doc).of(&casey.id).cloned().unwrap();
    assert!(signin.pin.is_none());
    assert!(signin.setup_open(4_999) && !signin.setup_open(5_000));

    let chosen = pin::hash("593027", &SALT);
    let late = doc
        .change(|am| choose_pin(am, &casey.id, &code, &chosen, 5_000))
        .unwrap_err();
    assert_eq!(refused(late), Refused::CodeExpired);
    doc.change(|am| choose_pin(am, &casey.id, &code, &chosen, 4_999))
        .unwrap();
    let signin = read(&doc).of(&casey.id).cloned().unwrap();
    assert_eq!(signin.pin.as_deref(), Some(chosen.as_str()));
    assert!(signin.setup.is_none());
    // The code is used up.
    let reused = doc
        .change(|am| choose_pin(am, &casey.id, &code, &chosen, 4_999))
        .unwrap_err();
    assert_eq!(refused(reused), Refused::CodeGone);

    // A forgotten PIN: a new code, and the old PIN no longer counts; the new one must differ.
    doc.change(|am| issue_setup(am, &casey.id, Role::FrontDesk, &code, 9_000))
        .unwrap();
    let signin = read(&doc).of(&casey.id).cloned().unwrap();
    assert!(signin.pin.is_none());
    assert_eq!(signin.previous_pin.as_deref(), Some(chosen.as_str()));
    assert_eq!(
        pin::check_new("593027", "593027", signin.previous_pin.as_deref()),
        Err(PinProblem::Reused)
    );

    let nobody = StaffId::from("nobody");
    let missing = doc
        .change(|am| issue_setup(am, &nobody, Role::FrontDesk, &code, 9_000))
        .unwrap_err();
    assert_eq!(missing, Missing::Gone(Thing::Person).into());
}

#[test]
fn the_last_owner_stays_an_owner() {
    let mut doc = directory(1);
    let first = owner();
    doc.change(|am| start_organisation(am, &first, &pin::hash("482916", &SALT)))
        .unwrap();
    let demote = doc
        .change(|am| set_role(am, &first.id, Role::Manager))
        .unwrap_err();
    assert_eq!(refused(demote), Refused::LastOwner);
    let gone = doc.change(|am| revoke(am, &first.id)).unwrap_err();
    assert_eq!(refused(gone), Refused::LastOwner);
}

#[test]
fn wrong_pins_on_two_tablets_add_up_once_merged_and_a_right_one_clears_them() {
    let mut a = directory(1);
    let first = owner();
    let (_, genesis) = a
        .change(|am| start_organisation(am, &first, &pin::hash("482916", &SALT)))
        .unwrap();
    let mut b = directory(2);
    b.apply(&genesis.unwrap()).unwrap();
    let fail = |doc: &mut Document, id: &str, at: i64, device: &str| {
        let failure = Failure {
            id: id.into(),
            at_ms: at,
            device: device.into(),
        };
        doc.change(|am| record_failure(am, &first.id, &failure))
            .unwrap()
            .1
            .unwrap()
    };
    let mut from_a = Vec::new();
    let mut from_b = Vec::new();
    for i in 0..3 {
        from_a.push(fail(&mut a, &format!("a{i}"), 100 + i, "Front desk 1"));
    }
    for i in 0..2 {
        from_b.push(fail(&mut b, &format!("b{i}"), 200 + i, "Front desk 2"));
    }
    for bundle in &from_b {
        a.apply(bundle).unwrap();
    }
    for bundle in &from_a {
        b.apply(bundle).unwrap();
    }
    for doc in [&a, &b] {
        let signins = crate::Directory::read(doc.automerge()).unwrap().access;
        let signin = signins.of(&first.id).unwrap();
        assert_eq!(signin.failures.len(), 5);
        assert_eq!(signin.gate(1_000), Gate::Locked);
    }
    a.change(|am| clear_failures(am, &first.id)).unwrap();
    let signins = crate::Directory::read(a.automerge()).unwrap().access;
    assert_eq!(signins.of(&first.id).unwrap().gate(1_000), Gate::Open);
    // Nothing to clear writes nothing.
    let (_, bundle) = a.change(|am| clear_failures(am, &first.id)).unwrap();
    assert!(bundle.is_none());
}

#[test]
fn a_damaged_sign_in_record_is_counted_and_unlocks_nobody() {
    use automerge::transaction::Transactable;
    let mut doc = directory(1);
    doc.change(|am| {
        let map = Document::root_map(am, maps::ACCESS)?;
        let obj = am
            .put_object(&map, "someone", automerge::ObjType::Map)
            .map_err(write_error)?;
        am.put(&obj, "role", "emperor").map_err(write_error)
    })
    .unwrap();
    let signins = SignIns::read(doc.automerge()).unwrap();
    assert!(signins.all.is_empty());
    assert_eq!(signins.unreadable, vec![StaffId::from("someone")]);
    assert!(
        !signins.is_empty(),
        "a damaged record still means the organisation started"
    );
}

#[test]
fn every_change_names_its_person_and_device_after_a_merge_of_two_tablets() {
    let id: DocId = DocKind::Directory.doc_id();
    let mut a = Document::new(&id, &ActorId::from([1; 16])).unwrap();
    let mut b = Document::new(&id, &ActorId::from([2; 16])).unwrap();
    let casey = StaffId::from("casey");
    let drew = StaffId::from("drew");
    let stamp = |staff: &StaffId, device: &str, at_ms| Stamp {
        staff: Some(staff.clone()),
        device: device.into(),
        at_ms,
    };
    let (_, one) = a
        .change_signed(&stamp(&casey, "Front desk 1", 1_700_000_000_123), |am| {
            crate::staff::put_staff(am, &StaffMember::new("Erin", "Nurse"))
        })
        .unwrap();
    let (_, two) = b
        .change_signed(&stamp(&drew, "Front desk 2", 1_700_000_060_000), |am| {
            crate::staff::put_staff(am, &StaffMember::new("Flynn", "Nurse"))
        })
        .unwrap();
    a.apply(&two.unwrap()).unwrap();
    b.apply(&one.unwrap()).unwrap();
    for doc in [&mut a, &mut b] {
        let mut am = doc.automerge().clone();
        let mut signed: Vec<_> = history(&mut am)
            .into_iter()
            .map(|s| (s.staff, s.device, s.at_secs))
            .collect();
        signed.sort_by_key(|s| s.2);
        assert_eq!(
            signed,
            vec![
                (
                    Some(casey.clone()),
                    Some("Front desk 1".into()),
                    1_700_000_000
                ),
                (
                    Some(drew.clone()),
                    Some("Front desk 2".into()),
                    1_700_000_060
                ),
            ]
        );
    }
}

#[test]
fn messages_not_written_by_a_stamp_read_as_unsigned() {
    assert_eq!(read_message(None), (None, None));
    assert_eq!(read_message(Some("hello")), (None, None));
    assert_eq!(read_message(Some("fd1\u{1f}a\u{1f}b\u{1f}c")), (None, None));
    assert_eq!(
        read_message(Some("fd1\u{1f}\u{1f}Front desk 1")),
        (None, Some("Front desk 1".into()))
    );
    let stamp = Stamp {
        staff: Some(StaffId::from("s")),
        device: "Odd\u{1f}name".into(),
        at_ms: 5_999,
    };
    let options = stamp.options();
    let mut doc = automerge::AutoCommit::new();
    doc.put(automerge::ROOT, "x", 1).unwrap();
    doc.commit_with(options);
    let change = doc.get_changes(&[]).pop().unwrap();
    assert_eq!(
        read_message(change.message()),
        (Some(StaffId::from("s")), Some("Oddname".into()))
    );
    assert_eq!(change.timestamp(), 5);
}

/// What attribution costs on the wire: the same edit, signed and not, on two copies of one
/// document with the same actor. A bound, not a timing: the bytes are deterministic.
#[test]
fn a_stamp_adds_about_fifty_bytes_to_a_change() {
    let id = DocKind::Directory.doc_id();
    let edit = |am: &mut automerge::AutoCommit| {
        let mut member = StaffMember::new("Erin", "Nurse");
        member.id = StaffId::from("0f8fad5b-d9cb-469f-a165-70867728950e");
        crate::staff::put_staff(am, &member)
    };
    let mut plain = Document::new(&id, &ActorId::from([3; 16])).unwrap();
    let (_, unsigned) = plain.change(edit).unwrap();
    let mut signed = Document::new(&id, &ActorId::from([3; 16])).unwrap();
    let stamp = Stamp {
        staff: Some(StaffId::from("6ba7b810-9dad-11d1-80b4-00c04fd430c8")),
        device: "Front desk 1".into(),
        at_ms: 1_765_000_000_000,
    };
    let (_, with_stamp) = signed.change_signed(&stamp, edit).unwrap();
    let added = with_stamp.unwrap().len() - unsigned.unwrap().len();
    println!("attribution adds {added} bytes to a change (36-character staff id, 12-character device name)");
    assert!((50..=70).contains(&added), "{added} bytes");
}

#[test]
fn a_device_away_from_the_relay_for_longer_than_its_days_is_locked_until_it_is_back() {
    let day = 24 * 60 * 60 * 1000;
    let last = 1_700_000_000_000;
    let days = DEFAULT_OFFLINE_DAYS;
    let cases = [
        (Some(last), last, false),
        (Some(last), last + 14 * day, false),
        (Some(last), last + 14 * day + 1, true),
        (Some(last), last + 400 * day, true),
        // A clock set back before the last contact is not "away".
        (Some(last), last - 3 * day, false),
        // A device that never reached the relay holds nothing of the organisation's.
        (None, last, false),
    ];
    for (contact, now, locked) in cases {
        assert_eq!(
            away_too_long(contact, now, days),
            locked,
            "{contact:?} at {now}"
        );
    }
    assert!(away_too_long(Some(last), last + 2 * day, 1));
}
