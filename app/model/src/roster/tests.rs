use automerge::ActorId;
use chrono::{NaiveDate, NaiveDateTime};

use super::*;
use crate::document::maps;
use crate::staff::time_off::Decision;
use crate::{DocKind, Document, DocumentError, SiteId, StaffId};

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).expect("a day")
}

fn at(d: u32, hour: u32, minute: u32) -> NaiveDateTime {
    day(d).and_hms_opt(hour, minute, 0).expect("a time")
}

/// One device's copy of the main site's November roster.
fn device() -> Document {
    let id = DocKind::Roster {
        site: SiteId::main(),
        year: 2026,
        month: 11,
    }
    .doc_id();
    Document::new(&id, &ActorId::random()).expect("known kind")
}

fn synced(from: &mut Document) -> Document {
    let mut other = device();
    other.apply(&from.save()).expect("merges");
    other
}

fn merge(a: &mut Document, b: &mut Document) {
    a.apply(&b.save()).expect("merges");
    b.apply(&a.save()).expect("merges");
}

fn edit<T>(
    doc: &mut Document,
    f: impl FnOnce(&mut automerge::AutoCommit) -> Result<T, DocumentError>,
) -> Result<T, DocumentError> {
    doc.change(f).map(|(value, _)| value)
}

fn read(doc: &Document) -> Roster {
    Roster::read(doc.automerge(), &SiteId::main()).expect("reads")
}

fn shift(staff: Option<&StaffId>, d: u32, from: u32, to: u32) -> ValidShift {
    ValidShift {
        staff: staff.cloned(),
        position: None,
        start: at(d, from, 0),
        end: at(d, to, 0),
        break_minutes: 30,
        note: String::new(),
    }
}

fn form(day: &str, start: &str, end: &str, break_text: &str) -> ShiftForm {
    ShiftForm {
        day: day.into(),
        start: start.into(),
        end: end.into(),
        break_text: break_text.into(),
        ..ShiftForm::default()
    }
}

#[test]
fn a_shift_reads_back_with_its_paid_minutes() {
    let robin = StaffId::random();
    let mut doc = device();
    let id = edit(&mut doc, |am| {
        add_shift(am, &shift(Some(&robin), 23, 7, 15))
    })
    .unwrap();
    let roster = read(&doc);
    let s = roster.shift(&id).expect("there");
    assert_eq!(s.staff.as_ref(), Some(&robin));
    assert_eq!(s.minutes(), 8 * 60 - 30);
    assert_eq!(s.times(), "07:00–15:00");
    assert!(s.disputes.is_empty());
}

#[test]
fn the_form_refuses_what_cannot_be_a_shift() {
    let cases: [(ShiftForm, &str, &str); 7] = [
        (
            form("2026-11-23", "15:00", "07:00", ""),
            "end",
            "before it starts",
        ),
        (
            form("2026-11-23", "09:00", "09:00", ""),
            "end",
            "ends when it starts",
        ),
        (
            form("2026-02-30", "09:00", "17:00", ""),
            "day",
            "not a day that exists",
        ),
        (
            form("2026-11-23", "9 o'clock", "17:00", ""),
            "start",
            "not a time",
        ),
        (
            form("2026-11-23", "09:00", "17:00", "12:00-18:00"),
            "break",
            "outside the shift",
        ),
        (
            form("2026-11-23", "09:00", "10:00", "60"),
            "break",
            "as long as the shift",
        ),
        (
            form("2026-11-23", "06:00", "23:00", ""),
            "end",
            "at most 16 hours",
        ),
    ];
    for (form, field, words) in cases {
        let errors = form.validate().expect_err("refused");
        assert!(
            errors.iter().any(|(f, e)| *f == field && e.contains(words)),
            "{form:?} gave {errors:?}"
        );
    }
}

#[test]
fn the_form_takes_night_shifts_and_breaks_as_spans() {
    let mut night = form("2026-11-23", "22:00", "06:00", "02:00-02:30");
    night.next_day = true;
    let valid = night.validate().expect("a night shift");
    assert_eq!(valid.end, at(24, 6, 0));
    assert_eq!(valid.break_minutes, 30);
    let day_shift = form("2026-11-23", "07:30", "15:30", "12:00-12:45").validate();
    assert_eq!(day_shift.expect("valid").break_minutes, 45);
}

/// Two managers edit the same shift offline: one moves the start, the other gives it to
/// someone else. Both edits stand after the merge.
#[test]
fn different_fields_edited_offline_both_stand() {
    let (robin, quinn) = (StaffId::random(), StaffId::random());
    let mut a = device();
    let before = shift(Some(&robin), 23, 7, 15);
    let id = edit(&mut a, |am| add_shift(am, &before)).unwrap();
    let mut b = synced(&mut a);
    let moved = ValidShift {
        start: at(23, 8, 0),
        ..before.clone()
    };
    edit(&mut a, |am| change_shift(am, &id, &before, &moved)).unwrap();
    let given = ValidShift {
        staff: Some(quinn.clone()),
        ..before.clone()
    };
    edit(&mut b, |am| change_shift(am, &id, &before, &given)).unwrap();
    merge(&mut a, &mut b);
    for doc in [&a, &b] {
        let s = read(doc).shift(&id).cloned().expect("kept");
        assert_eq!(s.start, at(23, 8, 0));
        assert_eq!(s.staff.as_ref(), Some(&quinn));
        assert!(s.disputes.is_empty());
    }
}

/// Both managers change the same field: neither value vanishes; the shift is disputed,
/// naming both, until someone picks one.
#[test]
fn the_same_field_edited_offline_is_a_dispute_until_settled() {
    let robin = StaffId::random();
    let mut a = device();
    let before = shift(Some(&robin), 23, 7, 15);
    let id = edit(&mut a, |am| add_shift(am, &before)).unwrap();
    let mut b = synced(&mut a);
    let to = |hour| ValidShift {
        end: at(23, hour, 0),
        ..before.clone()
    };
    edit(&mut a, |am| change_shift(am, &id, &before, &to(16))).unwrap();
    edit(&mut b, |am| change_shift(am, &id, &before, &to(17))).unwrap();
    merge(&mut a, &mut b);
    let disputed = read(&a).shift(&id).cloned().expect("kept");
    assert_eq!(disputed.disputes.len(), 1);
    let dispute = &disputed.disputes[0];
    assert_eq!(dispute.field, ShiftField::End);
    let mut values = dispute.values.clone();
    values.sort();
    assert_eq!(values, ["2026-11-23T16:00", "2026-11-23T17:00"]);
    // Both devices see the same winner for now.
    assert_eq!(read(&b).shift(&id).map(|s| s.end), Some(disputed.end));
    edit(&mut b, |am| {
        settle(am, &id, ShiftField::End, "2026-11-23T16:00")
    })
    .unwrap();
    merge(&mut a, &mut b);
    let settled = read(&a).shift(&id).cloned().expect("kept");
    assert!(settled.disputes.is_empty());
    assert_eq!(settled.end, at(23, 16, 0));
}

#[test]
fn two_people_claiming_one_open_shift_leave_a_dispute() {
    let (robin, quinn) = (StaffId::random(), StaffId::random());
    let mut a = device();
    let id = edit(&mut a, |am| add_shift(am, &shift(None, 24, 8, 16))).unwrap();
    let mut b = synced(&mut a);
    edit(&mut a, |am| claim(am, &id, &robin)).unwrap();
    edit(&mut b, |am| claim(am, &id, &quinn)).unwrap();
    // Claiming a shift that is no longer open is refused on the device that knows it.
    let refused = edit(&mut a, |am| claim(am, &id, &quinn));
    assert!(matches!(refused, Err(DocumentError::Refused(_))));
    merge(&mut a, &mut b);
    let s = read(&a).shift(&id).cloned().expect("kept");
    assert_eq!(s.disputes.len(), 1);
    assert_eq!(s.disputes[0].field, ShiftField::Staff);
    assert_eq!(s.disputes[0].values.len(), 2);
}

#[test]
fn two_devices_starting_the_same_month_offline_share_its_shifts() {
    let (mut a, mut b) = (device(), device());
    let one = edit(&mut a, |am| add_shift(am, &shift(None, 2, 8, 12))).unwrap();
    let two = edit(&mut b, |am| add_shift(am, &shift(None, 3, 8, 12))).unwrap();
    merge(&mut a, &mut b);
    let roster = read(&a);
    assert!(roster.shift(&one).is_some() && roster.shift(&two).is_some());
}

#[test]
fn copying_last_week_twice_adds_the_shifts_once() {
    let robin = StaffId::random();
    let mut doc = device();
    let monday = day(16);
    assert_eq!(super::monday(day(19)), monday);
    edit(&mut doc, |am| {
        add_shift(am, &shift(Some(&robin), 16, 7, 15))?;
        add_shift(am, &shift(None, 18, 9, 17))?;
        // Outside the week copied from.
        add_shift(am, &shift(Some(&robin), 9, 7, 15))
    })
    .unwrap();
    let to = day(23);
    let copies = copy_week(&read(&doc).shifts, &read(&doc).shifts, to);
    assert_eq!(copies.len(), 2);
    assert_eq!(copies[0].start, at(23, 7, 0));
    assert!(copies[1].staff.is_none());
    edit(&mut doc, |am| {
        copies.iter().try_for_each(|c| add_shift(am, c).map(|_| ()))
    })
    .unwrap();
    let again = copy_week(&read(&doc).shifts, &read(&doc).shifts, to);
    assert!(again.is_empty(), "{again:?}");
}

#[test]
fn a_swap_approved_changes_both_shifts_hands_in_one_change() {
    let (robin, quinn) = (StaffId::random(), StaffId::random());
    let mut doc = device();
    let (mine, theirs) = edit(&mut doc, |am| {
        Ok((
            add_shift(am, &shift(Some(&robin), 24, 7, 15))?,
            add_shift(am, &shift(Some(&quinn), 26, 7, 15))?,
        ))
    })
    .unwrap();
    let refused = edit(&mut doc, |am| {
        swap::request(am, &mine, &quinn, Some(&mine), "Desk A")
    });
    assert!(matches!(refused, Err(DocumentError::Refused(_))));
    let id = edit(&mut doc, |am| {
        swap::request(am, &mine, &quinn, Some(&theirs), "Desk A")
    })
    .unwrap();
    assert_eq!(read(&doc).swaps[0].status, Decision::Requested);
    edit(&mut doc, |am| swap::decide(am, &id, true, "Avery Specimen")).unwrap();
    let roster = read(&doc);
    assert_eq!(
        roster.shift(&mine).and_then(|s| s.staff.clone()),
        Some(quinn)
    );
    assert_eq!(
        roster.shift(&theirs).and_then(|s| s.staff.clone()),
        Some(robin)
    );
    assert_eq!(roster.swaps[0].status, Decision::Approved);
    assert_eq!(roster.swaps[0].decided_by, "Avery Specimen");
    let twice = edit(&mut doc, |am| swap::decide(am, &id, true, "Avery Specimen"));
    assert!(matches!(twice, Err(DocumentError::Refused(_))));
}

#[test]
fn a_swap_is_not_approved_once_the_shift_changed_hands() {
    let (robin, quinn, sam) = (StaffId::random(), StaffId::random(), StaffId::random());
    let mut doc = device();
    let before = shift(Some(&robin), 24, 7, 15);
    let mine = edit(&mut doc, |am| add_shift(am, &before)).unwrap();
    let id = edit(&mut doc, |am| {
        swap::request(am, &mine, &quinn, None, "Desk A")
    })
    .unwrap();
    let given = ValidShift {
        staff: Some(sam.clone()),
        ..before.clone()
    };
    edit(&mut doc, |am| change_shift(am, &mine, &before, &given)).unwrap();
    let refused = edit(&mut doc, |am| swap::decide(am, &id, true, "Avery Specimen"));
    assert!(matches!(refused, Err(DocumentError::Refused(_))));
    // Nothing of the refused approval was written.
    let roster = read(&doc);
    assert_eq!(roster.shift(&mine).and_then(|s| s.staff.clone()), Some(sam));
    assert_eq!(roster.swaps[0].status, Decision::Requested);
    edit(&mut doc, |am| {
        swap::decide(am, &id, false, "Avery Specimen")
    })
    .unwrap();
    assert_eq!(read(&doc).swaps[0].status, Decision::Denied);
}

#[test]
fn a_damaged_shift_is_counted_and_the_rest_still_read() {
    let mut doc = device();
    edit(&mut doc, |am| {
        add_shift(am, &shift(None, 2, 8, 12))?;
        let map = Document::root_map(am, maps::SHIFTS)?;
        let obj = crate::fields::new_record(am, &map, "broken")?;
        am.put(&obj, "start", "not a time")
            .map_err(crate::fields::write_error)
    })
    .unwrap();
    let roster = read(&doc);
    assert_eq!((roster.shifts.len(), roster.unreadable), (1, 1));
}

/// One manager removes a shift while another, offline, changes it: the change does not
/// vanish with the shift; both show as a dispute until someone settles it.
#[test]
fn a_shift_removed_while_changed_elsewhere_is_disputed_not_lost() {
    let robin = StaffId::random();
    let mut a = device();
    let before = shift(Some(&robin), 23, 7, 15);
    let id = edit(&mut a, |am| add_shift(am, &before)).unwrap();
    let mut b = synced(&mut a);
    edit(&mut a, |am| remove_shift(am, &id)).unwrap();
    assert!(read(&a).shift(&id).is_none());
    // Changing a shift this device knows was removed is refused.
    let later = ValidShift {
        end: at(23, 16, 0),
        ..before.clone()
    };
    let refused = edit(&mut a, |am| change_shift(am, &id, &before, &later));
    assert!(matches!(refused, Err(DocumentError::NotFound(_))));
    edit(&mut b, |am| change_shift(am, &id, &before, &later)).unwrap();
    merge(&mut a, &mut b);
    let disputed = read(&a).shift(&id).cloned().expect("still shown");
    assert_eq!(disputed.end, at(23, 16, 0));
    let removal = disputed
        .disputes
        .iter()
        .find(|d| d.field == ShiftField::Removed)
        .expect("the removal is disputed");
    let mut values = removal.values.clone();
    values.sort();
    assert_eq!(values, ["false", "true"]);
    edit(&mut b, |am| settle(am, &id, ShiftField::Removed, "true")).unwrap();
    merge(&mut a, &mut b);
    assert!(read(&a).shift(&id).is_none() && read(&b).shift(&id).is_none());
}

#[test]
fn a_shift_removed_on_one_device_only_is_gone_everywhere() {
    let mut a = device();
    let id = edit(&mut a, |am| add_shift(am, &shift(None, 24, 8, 16))).unwrap();
    let mut b = synced(&mut a);
    edit(&mut a, |am| remove_shift(am, &id)).unwrap();
    merge(&mut a, &mut b);
    assert!(read(&b).shift(&id).is_none());
    assert!(read(&b).shifts.is_empty());
}
