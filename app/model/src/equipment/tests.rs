use automerge::ActorId;
use chrono::{Datelike, Months, NaiveDateTime};
use proptest::prelude::*;

use super::*;
use crate::board::link::open_linked_card;
use crate::board::BoardScope;
use crate::schedule::Who;
use crate::{DocKind, SiteId};

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a day")
}

fn now() -> NaiveDateTime {
    day("2026-12-07").and_hms_opt(10, 0, 0).expect("a time")
}

fn autoclave() -> EquipmentForm {
    EquipmentForm {
        name: "Autoclave".into(),
        serial: "AC-3321".into(),
        location: "Treatment room".into(),
        vendor: String::new(),
        every: "6".into(),
        unit: "m".into(),
        last_service: "2026-06-10".into(),
    }
}

#[test]
fn equipment_is_checked_and_a_zero_interval_is_refused() {
    let directory = Directory::default();
    let valid = autoclave()
        .validate(EquipmentId::random(), now().date(), &directory)
        .expect("valid");
    assert_eq!(valid.next_due(), Some(day("2026-12-10")));
    assert!(!valid.is_due(now().date()));
    assert!(valid.is_due(day("2026-12-10")));

    type Change = fn(&mut EquipmentForm);
    let cases: [(Change, &[&str]); 7] = [
        (|f| f.every = "0".into(), &["every"]),
        (|f| f.every = "-3".into(), &["every"]),
        (|f| f.every = "121".into(), &["every"]),
        (|f| f.unit = "y".into(), &["unit"]),
        (|f| f.last_service = "2026-12-08".into(), &["last_service"]),
        (|f| f.vendor = "nobody".into(), &["vendor"]),
        (
            |f| {
                f.name = " ".into();
                f.last_service = "yesterday".into();
            },
            &["name", "last_service"],
        ),
    ];
    for (change, expected) in cases {
        let mut form = autoclave();
        change(&mut form);
        let refused = form
            .validate(EquipmentId::random(), now().date(), &directory)
            .expect_err("refused");
        let fields: Vec<&str> = refused.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, expected, "{form:?}");
        assert!(refused.iter().all(|(_, s)| s.ends_with('.')));
    }
}

/// The first day on or after `last` by which `interval` has passed, found by walking day
/// by day and counting as a person would.
fn scanned(last: NaiveDate, interval: Interval) -> NaiveDate {
    let months = |d: NaiveDate| d.year() * 12 + d.month() as i32;
    let mut d = last;
    loop {
        d = d.succ_opt().expect("a later day");
        let passed = match interval.unit {
            Unit::Days => (d - last).num_days() >= i64::from(interval.every),
            Unit::Weeks => (d - last).num_days() >= 7 * i64::from(interval.every),
            Unit::Months => {
                let apart = months(d) - months(last);
                let days_in_month = (d.with_day(1).expect("a day") + Months::new(1))
                    .pred_opt()
                    .expect("a day")
                    .day();
                apart > interval.every as i32
                    || (apart == interval.every as i32 && d.day() >= last.day().min(days_in_month))
            }
        };
        if passed {
            return d;
        }
    }
}

proptest! {
    #[test]
    fn the_next_service_is_the_day_a_day_by_day_scan_finds(
        start in 0u64..12_000,
        every in 1u32..40,
        unit in 0usize..3,
        ahead in 0u64..1_500,
    ) {
        let last = day("2000-01-01") + Days::new(start);
        let interval = Interval { every, unit: Unit::ALL[unit] };
        let due = interval.after(last).expect("a day");
        prop_assert_eq!(due, scanned(last, interval));
        let piece = Equipment {
            id: EquipmentId::from("e"),
            name: "Scale".into(),
            serial: String::new(),
            location: String::new(),
            vendor: None,
            interval,
            last_service: last,
            archived: false,
        };
        let today = last + Days::new(ahead);
        prop_assert_eq!(piece.is_due(today), scanned(last, interval) <= today);
        prop_assert_eq!(Interval::parse_stored(&interval.to_stored()), Some(interval));
    }
}

fn inventory_doc() -> Document {
    let id = DocKind::Inventory {
        site: SiteId::main(),
    }
    .doc_id();
    Document::new(&id, &ActorId::random()).expect("known kind")
}

fn board_doc() -> Document {
    let id = DocKind::Board {
        scope: BoardScope::Site(SiteId::main()),
    }
    .doc_id();
    Document::new(&id, &ActorId::random()).expect("known kind")
}

fn who(device: &str) -> Who {
    Who {
        device: device.into(),
        staff: None,
    }
}

/// Makes every service card due on `board`, as a device does when the board opens.
fn make_cards(board: &mut Document, equipment: &[Equipment], today: NaiveDate) -> Vec<u8> {
    let read = Board::read(board.automerge()).expect("reads");
    let requests = service_cards(
        &read,
        equipment,
        "inventory/main",
        &Directory::default(),
        today,
    );
    board
        .change(|d| {
            requests
                .iter()
                .try_for_each(|r| open_linked_card(d, &read, r, &who("desk"), now()).map(|_| ()))
        })
        .expect("makes")
        .1
        .unwrap_or_default()
}

#[test]
fn a_service_due_makes_one_card_on_two_devices_and_the_next_after_it_is_recorded() {
    let mut site = inventory_doc();
    let piece = autoclave()
        .validate(EquipmentId::random(), now().date(), &Directory::default())
        .expect("valid");
    site.change(|d| put_equipment(d, &piece)).expect("writes");
    let (equipment, unreadable) = read_all(site.automerge()).expect("reads");
    assert_eq!((equipment.len(), unreadable), (1, 0));

    // Due on 10 December, within the fortnight: the desk and the phone both make its card.
    let mut desk = board_doc();
    let mut phone = board_doc();
    let from_desk = make_cards(&mut desk, &equipment, now().date());
    let from_phone = make_cards(&mut phone, &equipment, now().date());
    desk.apply(&from_phone).expect("applies");
    phone.apply(&from_desk).expect("applies");
    for board in [&desk, &phone] {
        let read = Board::read(board.automerge()).expect("reads");
        let cards: Vec<_> = read
            .cards
            .iter()
            .filter(|c| {
                c.link
                    .as_ref()
                    .is_some_and(|l| l.purpose == LinkPurpose::Service)
            })
            .collect();
        assert_eq!(cards.len(), 1, "one card on every device");
        assert_eq!(cards[0].title, "Service: Autoclave");
        assert_eq!(cards[0].due.map(|d| d.date), Some(day("2026-12-10")));
    }
    assert!(
        make_cards(&mut desk, &equipment, now().date()).is_empty(),
        "none twice"
    );

    // Serviced on the 9th: the next falls due on 9 June, outside the fortnight; in late
    // May its card comes.
    site.change(|d| record_service(d, &piece.id, day("2026-12-09"), day("2026-12-09")))
        .expect("records");
    site.change(|d| record_service(d, &piece.id, day("2026-11-01"), day("2026-12-09")))
        .expect("an earlier day changes nothing");
    let (equipment, _) = read_all(site.automerge()).expect("reads");
    assert_eq!(equipment[0].next_due(), Some(day("2027-06-09")));
    // The service answered the December card: it moves to the done column.
    let read = Board::read(desk.automerge()).expect("reads");
    let (closed, _) = desk
        .change(|d| close_service_cards(d, &read, &equipment[0]))
        .expect("closes");
    assert_eq!(closed.len(), 1);
    let read = Board::read(desk.automerge()).expect("reads");
    assert!(read
        .cards
        .iter()
        .filter(|c| c
            .link
            .as_ref()
            .is_some_and(|l| l.purpose == LinkPurpose::Service))
        .all(|c| read.is_done(c)));
    assert!(make_cards(&mut desk, &equipment, day("2026-12-09")).is_empty());
    make_cards(&mut desk, &equipment, day("2027-05-28"));
    let read = Board::read(desk.automerge()).expect("reads");
    let dues: Vec<_> = read
        .cards
        .iter()
        .filter(|c| {
            c.link
                .as_ref()
                .is_some_and(|l| l.purpose == LinkPurpose::Service)
        })
        .filter_map(|c| c.due.map(|d| d.date))
        .collect();
    assert_eq!(dues.len(), 2);
    assert!(dues.contains(&day("2027-06-09")));
    let refused =
        site.change(|d| record_service(d, &piece.id, day("2026-12-10"), day("2026-12-09")));
    assert!(matches!(refused, Err(DocumentError::Refused(_))));
}

#[test]
fn two_devices_recording_services_offline_keep_the_later_and_a_damaged_interval_does_not_read() {
    let mut desk = inventory_doc();
    let piece = autoclave()
        .validate(EquipmentId::random(), now().date(), &Directory::default())
        .expect("valid");
    let (_, made) = desk.change(|d| put_equipment(d, &piece)).expect("writes");
    let mut phone = inventory_doc();
    phone.apply(&made.expect("a change")).expect("applies");
    let (_, a) = desk
        .change(|d| record_service(d, &piece.id, day("2026-12-05"), day("2026-12-07")))
        .expect("records");
    let (_, b) = phone
        .change(|d| record_service(d, &piece.id, day("2026-12-03"), day("2026-12-07")))
        .expect("records");
    desk.apply(&b.expect("a change")).expect("applies");
    phone.apply(&a.expect("a change")).expect("applies");
    for doc in [&desk, &phone] {
        let (list, _) = read_all(doc.automerge()).expect("reads");
        assert_eq!(list[0].last_service, day("2026-12-05"), "the later service");
    }
    for damaged in ["12é", "", "m", "0m", "99999d", "12y"] {
        assert_eq!(Interval::parse_stored(damaged), None, "{damaged:?}");
    }
}

#[test]
fn a_form_opened_before_a_service_was_recorded_keeps_the_service_when_saved() {
    let mut site = inventory_doc();
    let piece = autoclave()
        .validate(EquipmentId::random(), now().date(), &Directory::default())
        .expect("valid");
    site.change(|d| save_equipment(d, piece.clone(), None))
        .expect("writes");
    // The form opens; meanwhile a colleague records a service.
    let before = piece.clone();
    site.change(|d| record_service(d, &piece.id, day("2026-12-06"), day("2026-12-07")))
        .expect("records");
    let moved = EquipmentForm {
        location: "Sterilising room".into(),
        ..EquipmentForm::from_equipment(&before)
    }
    .validate(piece.id.clone(), now().date(), &Directory::default())
    .expect("valid");
    site.change(|d| save_equipment(d, moved, Some(&before)))
        .expect("saves");
    let (list, _) = read_all(site.automerge()).expect("reads");
    assert_eq!(
        (list[0].location.as_str(), list[0].last_service),
        ("Sterilising room", day("2026-12-06"))
    );
}

/// A site with the autoclave, due on 10 December, and a board with its service card.
fn autoclave_with_its_card() -> (Document, Equipment, Document) {
    let mut site = inventory_doc();
    let piece = autoclave()
        .validate(EquipmentId::random(), now().date(), &Directory::default())
        .expect("valid");
    site.change(|d| put_equipment(d, &piece)).expect("writes");
    let mut board = board_doc();
    let (equipment, _) = read_all(site.automerge()).expect("reads");
    make_cards(&mut board, &equipment, now().date());
    (site, piece, board)
}

#[test]
fn a_retired_piece_closes_its_open_card_asks_for_no_more_and_can_come_back() {
    let (mut site, piece, mut board) = autoclave_with_its_card();

    site.change(|d| set_retired(d, &piece.id, true))
        .expect("retires");
    let (equipment, _) = read_all(site.automerge()).expect("reads");
    assert!(equipment[0].archived);
    let read = Board::read(board.automerge()).expect("reads");
    let (closed, _) = board
        .change(|d| close_service_cards(d, &read, &equipment[0]))
        .expect("closes");
    assert_eq!(closed.len(), 1, "the open card closes with the piece");
    // No card is asked for, on any day, even of a board that never had one.
    let fresh = Board::read(board_doc().automerge()).expect("reads");
    let asked = |list: &[Equipment], today: &str| {
        service_cards(
            &fresh,
            list,
            "inventory/main",
            &Directory::default(),
            day(today),
        )
        .len()
    };
    let in_service = [Equipment {
        archived: false,
        ..equipment[0].clone()
    }];
    for today in ["2026-12-09", "2027-05-28", "2028-01-01"] {
        assert_eq!(asked(&equipment, today), 0, "{today}");
        assert_eq!(
            asked(&in_service, today),
            1,
            "{today}: in service, it would"
        );
    }

    site.change(|d| set_retired(d, &piece.id, false))
        .expect("back in service");
    let (equipment, _) = read_all(site.automerge()).expect("reads");
    assert!(!equipment[0].archived);
    // Back in service: its December service is still owed, its card open again, and once
    // recorded the next comes as a card again.
    assert_eq!(equipment[0].next_due(), Some(day("2026-12-10")));
    let read = Board::read(board.automerge()).expect("reads");
    let (reopened, _) = board
        .change(|d| reopen_due_card(d, &read, &equipment[0]))
        .expect("reopens");
    assert_eq!(reopened.len(), 1);
    let read = Board::read(board.automerge()).expect("reads");
    assert!(
        read.cards.iter().all(|c| !read.is_done(c)),
        "the card is open"
    );
    site.change(|d| record_service(d, &piece.id, day("2027-05-03"), day("2027-05-03")))
        .expect("records");
    let (equipment, _) = read_all(site.automerge()).expect("reads");
    assert!(!make_cards(&mut board, &equipment, day("2027-10-25")).is_empty());
    let gone = site.change(|d| set_retired(d, &EquipmentId::random(), true));
    assert_eq!(gone.err(), Some(crate::Thing::Equipment.gone()));
}

#[test]
fn a_service_recorded_by_a_slip_is_undone_with_its_card_unless_a_later_one_came() {
    let (mut site, piece, mut board) = autoclave_with_its_card();
    let open_column = |board: &Document| {
        let read = Board::read(board.automerge()).expect("reads");
        let card = read.cards.first().cloned().expect("the service card");
        (read.is_done(&card), card.column)
    };
    let (done, column) = open_column(&board);
    assert!(!done);

    // "Serviced today" on the 8th, by a slip.
    let (today, previous) = (day("2026-12-08"), piece.last_service);
    site.change(|d| record_service(d, &piece.id, today, today))
        .expect("records");
    let (equipment, _) = read_all(site.automerge()).expect("reads");
    let read = Board::read(board.automerge()).expect("reads");
    let (closed, _) = board
        .change(|d| close_service_cards(d, &read, &equipment[0]))
        .expect("closes");
    assert!(open_column(&board).0, "the card is done");

    // Undone: the last service and the card are as they were.
    site.change(|d| undo_service(d, &piece.id, previous, today))
        .expect("undoes");
    let (equipment, _) = read_all(site.automerge()).expect("reads");
    assert_eq!(equipment[0].last_service, previous);
    assert_eq!(equipment[0].next_due(), Some(day("2026-12-10")));
    let read = Board::read(board.automerge()).expect("reads");
    board
        .change(|d| reopen_service_cards(d, &read, &closed))
        .expect("reopens");
    assert_eq!(open_column(&board), (false, column));
    assert!(
        make_cards(&mut board, &equipment, now().date()).is_empty(),
        "the same card, not a second"
    );

    // A later service recorded on another device meanwhile stays: the undo is refused.
    let mut office = inventory_doc();
    office.apply(&site.save()).expect("applies");
    site.change(|d| record_service(d, &piece.id, today, today))
        .expect("records again");
    let (_, later) = office
        .change(|d| record_service(d, &piece.id, day("2026-12-09"), day("2026-12-09")))
        .expect("records on the office's day");
    site.apply(&later.expect("a change")).expect("applies");
    let refused = site.change(|d| undo_service(d, &piece.id, previous, today));
    assert!(
        matches!(refused, Err(DocumentError::Refused(_))),
        "{refused:?}"
    );
    let (equipment, _) = read_all(site.automerge()).expect("reads");
    assert_eq!(equipment[0].last_service, day("2026-12-09"));
}

#[test]
fn undoing_a_slip_keeps_an_earlier_service_another_device_recorded_meanwhile() {
    let (mut site, piece, _) = autoclave_with_its_card();
    let mut office = inventory_doc();
    office.apply(&site.save()).expect("applies");
    let (_, from_office) = office
        .change(|d| record_service(d, &piece.id, day("2026-12-05"), day("2026-12-05")))
        .expect("records on the 5th");
    let today = day("2026-12-08");
    site.change(|d| record_service(d, &piece.id, today, today))
        .expect("records today");
    site.apply(&from_office.expect("a change"))
        .expect("applies");
    site.change(|d| undo_service(d, &piece.id, piece.last_service, today))
        .expect("undoes");
    let (equipment, _) = read_all(site.automerge()).expect("reads");
    assert_eq!(equipment[0].last_service, day("2026-12-05"));
}
