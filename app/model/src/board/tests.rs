//! Boards on several devices: merges of concurrent edits, moves and recurring cards.

use automerge::{ActorId, AutoCommit};
use chrono::{NaiveDate, NaiveDateTime};
use proptest::prelude::*;

use super::columns;
use super::edit::{self, CardForm, Place, ValidCard};
use super::link;
use super::rule::{Recurrence, Rule};
use super::template::{self, Template, TemplateId};
use super::*;
use crate::document::maps;
use crate::schedule::Who;
use crate::{DocKind, StaffMember};

fn at(text: &str) -> NaiveDateTime {
    parse_local_datetime(text).expect("valid time")
}

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("valid day")
}

fn who(name: &str) -> Who {
    Who {
        device: format!("{name}'s tablet"),
        staff: Some(name.to_string()),
    }
}

/// One device's copy of the main site's board.
struct Device(Document);

impl Device {
    fn new() -> Self {
        let id = DocKind::Board {
            scope: BoardScope::Site(SiteId::main()),
        }
        .doc_id();
        Self(Document::new(&id, &ActorId::random()).expect("board kind"))
    }

    fn board(&self) -> Board {
        Board::read(self.0.automerge()).expect("reads")
    }

    fn edit<T>(
        &mut self,
        f: impl FnOnce(&mut AutoCommit, &Board) -> Result<T, DocumentError>,
    ) -> T {
        let board = self.board();
        let (value, _) = self.0.change(|doc| f(doc, &board)).expect("edit works");
        value
    }

    fn heads(&mut self) -> Vec<automerge::ChangeHash> {
        self.0.heads()
    }

    /// Takes every change of `other`.
    fn merge(&mut self, other: &mut Device) {
        let bytes = other.0.save();
        self.0.apply(&bytes).expect("merges");
    }

    fn fork(&mut self) -> Device {
        let mut copy = Device::new();
        copy.merge(self);
        copy
    }

    /// The visible order: (column, card titles).
    fn order(&self) -> Vec<(String, Vec<String>)> {
        let board = self.board();
        board
            .columns
            .iter()
            .map(|c| {
                let cards = board
                    .cards_in(&c.id)
                    .iter()
                    .map(|k| k.id.to_string())
                    .collect();
                (c.id.to_string(), cards)
            })
            .collect()
    }
}

fn card(title: &str, column: &str) -> ValidCard {
    ValidCard {
        title: title.into(),
        description: String::new(),
        column: ColumnId::from(column),
        assignees: vec![],
        labels: vec![],
        due: None,
    }
}

fn add(device: &mut Device, title: &str, column: &str, place: Place) -> CardId {
    device.edit(|doc, board| {
        edit::add_card(
            doc,
            board,
            &card(title, column),
            &place,
            &who("Kai"),
            at("2026-11-23T09:00"),
        )
    })
}

fn titles(device: &Device, column: &str) -> Vec<String> {
    let board = device.board();
    board
        .cards_in(&ColumnId::from(column))
        .iter()
        .map(|c| c.title.clone())
        .collect()
}

#[test]
fn a_new_board_has_the_same_default_columns_and_labels_on_every_device() {
    let (mut a, mut b) = (Device::new(), Device::new());
    assert_eq!(a.heads(), b.heads(), "one genesis everywhere");
    let board = a.board();
    let names: Vec<_> = board.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["To do", "Doing", "Done"]);
    assert!(board.columns[2].done && !board.columns[0].done);
    assert_eq!(board.labels.len(), DEFAULT_LABELS.len());
    // Both rename "Doing" offline: one name wins, still one column.
    a.edit(|doc, _| columns::rename_column(doc, &ColumnId::from("doing"), "In progress"));
    b.edit(|doc, _| columns::rename_column(doc, &ColumnId::from("doing"), "Working"));
    a.merge(&mut b);
    b.merge(&mut a);
    assert_eq!(a.board().columns.len(), 3);
    assert_eq!(a.board(), b.board());
}

#[test]
fn cards_go_where_they_are_put() {
    let mut a = Device::new();
    let first = add(&mut a, "Call insurer", "todo", Place::Bottom);
    add(&mut a, "Restock gloves", "todo", Place::Bottom);
    add(&mut a, "Mop waiting room", "todo", Place::Top);
    add(
        &mut a,
        "Check fridge log",
        "todo",
        Place::After(first.clone()),
    );
    add(&mut a, "Order toner", "todo", Place::Before(first.clone()));
    assert_eq!(
        titles(&a, "todo"),
        [
            "Mop waiting room",
            "Order toner",
            "Call insurer",
            "Check fridge log",
            "Restock gloves"
        ]
    );
    a.edit(|doc, board| edit::move_card(doc, board, &first, &ColumnId::from("done"), &Place::Top));
    assert_eq!(titles(&a, "done"), ["Call insurer"]);
    assert_eq!(titles(&a, "todo").len(), 4);
}

#[test]
fn two_people_editing_one_title_both_keep_their_words() {
    let mut a = Device::new();
    let id = add(&mut a, "Fridge check", "todo", Place::Bottom);
    let mut b = a.fork();
    let (base_a, heads_a) = (a.board().card(&id).cloned().expect("card"), a.heads());
    let (base_b, heads_b) = (b.board().card(&id).cloned().expect("card"), b.heads());
    // Each device opened the card at the same version; b saves first and a hears of it
    // before saving: a's edit is still made as from what a's person saw.
    let mut from_b = card("Fridge check weekly", "todo");
    from_b.column = base_b.column.clone();
    b.edit(|doc, board| edit::change_card(doc, board, &base_b, &heads_b, &from_b));
    a.merge(&mut b);
    let from_a = card("Fridge temperature check", "todo");
    a.edit(|doc, board| edit::change_card(doc, board, &base_a, &heads_a, &from_a));
    b.merge(&mut a);
    let title = a.board().card(&id).expect("card").title.clone();
    assert_eq!(title, "Fridge temperature check weekly");
    assert_eq!(b.board().card(&id).expect("card").title, title);
    // Saved and loaded again, the isolated edit reads the same.
    let id_doc = a.0.id().clone();
    let saved = a.0.save();
    let loaded = Document::load(&id_doc, &ActorId::random(), Some(&saved), []).expect("loads");
    assert_eq!(
        Board::read(loaded.automerge())
            .expect("reads")
            .card(&id)
            .expect("card")
            .title,
        title
    );
}

#[test]
fn a_card_moved_on_one_device_and_edited_on_another_gets_both() {
    let mut a = Device::new();
    let id = add(&mut a, "Replace exam-room bulb", "todo", Place::Bottom);
    let mut b = a.fork();
    a.edit(|doc, board| edit::move_card(doc, board, &id, &ColumnId::from("doing"), &Place::Top));
    let base = b.board().card(&id).cloned().expect("card");
    let heads = b.heads();
    let mut changed = card("Replace exam-room 2 bulb", "todo");
    changed.labels = vec![LabelId::from("maintenance")];
    b.edit(|doc, board| edit::change_card(doc, board, &base, &heads, &changed));
    b.edit(|doc, _| {
        edit::add_comment(
            doc,
            &id,
            "Bulbs are in the store room",
            &who("Ana"),
            at("2026-11-23T10:00"),
        )
    });
    a.edit(|doc, _| {
        edit::add_comment(
            doc,
            &id,
            "Ladder borrowed",
            &who("Kai"),
            at("2026-11-23T10:01"),
        )
    });
    a.merge(&mut b);
    b.merge(&mut a);
    for device in [&a, &b] {
        let board = device.board();
        let merged = board.card(&id).expect("card");
        assert_eq!(merged.column.as_str(), "doing");
        assert_eq!(merged.title, "Replace exam-room 2 bulb");
        assert_eq!(merged.labels, [LabelId::from("maintenance")]);
        assert_eq!(merged.comments.len(), 2);
    }
}

#[test]
fn the_form_refuses_bad_input_with_a_sentence() {
    let a = Device::new();
    let board = a.board();
    let staff = [StaffMember {
        id: StaffId::from("s1"),
        ..StaffMember::new("Kai Rivera", "Front desk")
    }];
    let today = day("2026-11-23");
    let form = |f: fn(&mut CardForm)| {
        let mut form = CardForm {
            title: "Call insurer".into(),
            column: "todo".into(),
            ..CardForm::default()
        };
        f(&mut form);
        form.validate(&board, &staff, today, None)
    };
    assert!(form(|_| {}).is_ok());
    type Change = fn(&mut CardForm);
    let cases: [(Change, &str); 7] = [
        (|f| f.title = "   ".into(), "Enter a title for the card."),
        (
            |f| f.due_date = "2026-02-30".into(),
            "Enter a real due date, like 2026-12-31.",
        ),
        (
            |f| f.due_date = "2026-11-20".into(),
            "The due date has passed: choose today or a later day.",
        ),
        (
            |f| {
                f.due_date = "2026-11-24".into();
                f.due_time = "25:00".into()
            },
            "Enter the due time like 14:30.",
        ),
        (
            |f| f.due_time = "09:00".into(),
            "Enter the due date for the time.",
        ),
        (
            |f| f.assignees = vec!["nobody".into()],
            "Assign people from the staff list only.",
        ),
        (
            |f| f.column = "gone".into(),
            "Choose a column of this board.",
        ),
    ];
    for (change, message) in cases {
        assert_eq!(form(change), Err(message.to_string()));
    }
    // An overdue card keeps its due date when edited.
    let mut overdue = CardForm {
        title: "Old".into(),
        column: "todo".into(),
        due_date: "2026-11-20".into(),
        ..CardForm::default()
    };
    let previous = edit::parse_due("2026-11-20", "").expect("valid");
    assert!(overdue.validate(&board, &staff, today, previous).is_ok());
    overdue.due_date = "2026-11-21".into();
    assert!(overdue.validate(&board, &staff, today, previous).is_err());
}

fn daily_template(column: &str) -> Template {
    Template {
        id: TemplateId::from("opening"),
        title: "Opening checklist".into(),
        description: String::new(),
        column: ColumnId::from(column),
        labels: vec![],
        assignees: vec![],
        checklist: vec!["Lights on".into(), "Check fridge temperature".into()],
        recurrence: Recurrence {
            rule: Rule::Daily,
            start: day("2026-11-01"),
            until: None,
        },
        due_time: chrono::NaiveTime::from_hms_opt(8, 0, 0),
        paused: false,
    }
}

#[test]
fn two_offline_tablets_make_each_recurring_card_once() {
    let mut a = Device::new();
    a.edit(|doc, _| template::put_template(doc, &daily_template("todo")));
    let mut b = a.fork();
    let today = day("2026-11-23");
    let made_a = a.edit(|doc, board| template::generate(doc, board, today, at("2026-11-23T07:00")));
    let made_b = b.edit(|doc, board| template::generate(doc, board, today, at("2026-11-23T07:05")));
    assert_eq!((made_a, made_b), (8, 8), "the last 7 days and today");
    // Both tick an item and comment on today's card before they sync.
    let today_card = template::occurrence_id(&TemplateId::from("opening"), today);
    a.edit(|doc, _| {
        edit::add_comment(
            doc,
            &today_card,
            "Fridge at 4 °C",
            &who("Kai"),
            at("2026-11-23T07:10"),
        )
    });
    b.edit(|doc, _| {
        edit::add_comment(
            doc,
            &today_card,
            "Lights done",
            &who("Ana"),
            at("2026-11-23T07:11"),
        )
    });
    a.merge(&mut b);
    b.merge(&mut a);
    for device in [&mut a, &mut b] {
        let board = device.board();
        let made: Vec<_> = board
            .cards
            .iter()
            .filter(|c| c.occurrence.is_some())
            .collect();
        assert_eq!(made.len(), 8, "one card per occurrence");
        let card = board.card(&today_card).expect("today's card");
        assert_eq!(card.comments.len(), 2, "both comments kept");
        assert_eq!(card.checklist.len(), 2, "no doubled checklist");
        assert_eq!(
            card.due.map(|d| d.describe()),
            Some("Mon 23 Nov 2026, 08:00".into())
        );
        assert_eq!(
            device.edit(|doc, board| template::generate(doc, board, today, at("2026-11-23T08:00"))),
            0
        );
    }
    // An edit folds the two copies into one, keeping both comments.
    a.edit(|doc, _| edit::set_archived(doc, &today_card, false));
    let board = a.board();
    assert_eq!(board.card(&today_card).expect("card").comments.len(), 2);
    let cards = Document::root_map(a.0.automerge(), maps::CARDS).expect("map");
    assert_eq!(
        a.0.automerge()
            .get_all(&cards, today_card.as_str())
            .expect("reads")
            .len(),
        1
    );
}

#[test]
fn linked_cards_are_made_once_and_found_from_their_record() {
    let mut a = Device::new();
    let request = link::reorder("inventory/main", "item-7", "Nitrile gloves (M)", Some(20));
    assert_eq!(request.title, "Order Nitrile gloves (M) (20)");
    let mut b = a.fork();
    let id_a = a.edit(|doc, board| {
        link::open_linked_card(doc, board, &request, &who("Kai"), at("2026-11-23T09:00"))
    });
    let again = a.edit(|doc, board| {
        link::open_linked_card(doc, board, &request, &who("Kai"), at("2026-11-23T09:01"))
    });
    let id_b = b.edit(|doc, board| {
        link::open_linked_card(doc, board, &request, &who("Ana"), at("2026-11-23T09:02"))
    });
    assert_eq!((&id_a, &id_a), (&again, &id_b));
    a.merge(&mut b);
    let board = a.board();
    let linked: Vec<_> = board.linked_to("item-7").collect();
    assert_eq!(linked.len(), 1);
    assert_eq!(linked[0].labels, [LabelId::from("supplies")]);
    assert_eq!(
        linked[0].link.as_ref().map(|l| l.purpose),
        Some(LinkPurpose::Reorder)
    );
}

#[test]
fn a_column_is_removed_only_when_empty_and_no_card_ever_hides() {
    let mut a = Device::new();
    let id = add(&mut a, "File incident report", "doing", Place::Bottom);
    let refused = a.board();
    let mut doc = a.0.automerge().clone();
    assert!(matches!(
        columns::remove_column(&mut doc, &refused, &ColumnId::from("doing")),
        Err(DocumentError::Refused(_))
    ));
    // Device b removes the empty "To do" while a moves the card into it.
    let mut b = a.fork();
    a.edit(|doc, board| edit::move_card(doc, board, &id, &ColumnId::from("todo"), &Place::Top));
    b.edit(|doc, board| columns::remove_column(doc, board, &ColumnId::from("todo")));
    a.merge(&mut b);
    let board = a.board();
    assert_eq!(board.columns.len(), 2);
    let first = board.columns[0].id.clone();
    assert_eq!(board.cards_in(&first).len(), 1, "shown in the first column");
}

#[test]
fn due_lists_span_boards() {
    let mut site = Device::new();
    let mut org = Device::new();
    let mut overdue = card("Send claim batch", "todo");
    overdue.due = edit::parse_due("2026-11-23", "08:00").expect("valid");
    overdue.assignees = vec![StaffId::from("s1")];
    let mut later = card("Fire drill", "todo");
    later.due = edit::parse_due("2026-11-23", "").expect("valid");
    let mut finished = card("Old task", "done");
    finished.due = edit::parse_due("2026-11-20", "").expect("valid");
    finished.assignees = vec![StaffId::from("s1")];
    for (device, c) in [(0, &overdue), (1, &later), (0, &finished)] {
        let device = if device == 0 { &mut site } else { &mut org };
        device.edit(|doc, board| {
            edit::add_card(
                doc,
                board,
                c,
                &Place::Bottom,
                &who("Kai"),
                at("2026-11-22T09:00"),
            )
        });
    }
    let boards = vec![
        (BoardScope::Site(SiteId::main()), site.board()),
        (BoardScope::Org, org.board()),
    ];
    let lists = due::due_now(&boards, at("2026-11-23T09:00"));
    let names = |l: &[due::OnBoard<'_>]| l.iter().map(|t| t.card.title.clone()).collect::<Vec<_>>();
    assert_eq!(names(&lists.overdue), ["Send claim batch"]);
    assert_eq!(names(&lists.today), ["Fire drill"]);
    assert_eq!(
        names(&due::assigned_to(&boards, &StaffId::from("s1"))),
        ["Send claim batch"]
    );
}

#[test]
fn an_unreadable_card_is_counted_and_the_rest_show() {
    let mut a = Device::new();
    add(&mut a, "Readable", "todo", Place::Bottom);
    a.edit(|doc, _| {
        let cards = Document::root_map(doc, maps::CARDS)?;
        automerge::transaction::Transactable::put(doc, &cards, "broken", 7).map_err(write_error)
    });
    let board = a.board();
    assert_eq!((board.cards.len(), board.unreadable), (1, 1));
}

#[derive(Clone, Debug)]
enum Op {
    Add {
        device: usize,
        column: usize,
        at: usize,
    },
    Move {
        device: usize,
        card: usize,
        column: usize,
        at: usize,
    },
    Sync {
        from: usize,
        to: usize,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..3usize, 0..3usize, 0..8usize).prop_map(|(device, column, at)| Op::Add {
            device,
            column,
            at
        }),
        (0..3usize, 0..40usize, 0..3usize, 0..8usize).prop_map(|(device, card, column, at)| {
            Op::Move {
                device,
                card,
                column,
                at,
            }
        }),
        (0..3usize, 0..3usize).prop_map(|(from, to)| Op::Sync { from, to }),
    ]
}

/// Where `at` lands among a column's cards.
fn place(board: &Board, column: &ColumnId, at: usize) -> Place {
    match board.cards_in(column).get(at) {
        Some(card) => Place::Before(card.id.clone()),
        None => Place::Bottom,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Random inserts and moves on three devices with random partial syncs, then everyone
    /// syncs: the same order everywhere, and every card made is on the board exactly once.
    #[test]
    fn concurrent_moves_converge_with_no_card_lost_or_doubled(ops in prop::collection::vec(op(), 1..60)) {
        let mut devices = [Device::new(), Device::new(), Device::new()];
        let columns = ["todo", "doing", "done"].map(ColumnId::from);
        let mut made: Vec<CardId> = Vec::new();
        for op in ops {
            match op {
                Op::Add { device, column, at } => {
                    let d = &mut devices[device];
                    let target = place(&d.board(), &columns[column], at);
                    made.push(add(d, &format!("task {}", made.len()), columns[column].as_str(), target));
                }
                Op::Move { device, card, column, at } => {
                    let d = &mut devices[device];
                    let board = d.board();
                    let Some(id) = made.get(card % made.len().max(1)).filter(|id| board.card(id).is_some()) else { continue };
                    let target = place(&board, &columns[column], at);
                    d.edit(|doc, board| edit::move_card(doc, board, id, &columns[column], &target));
                }
                Op::Sync { from, to } if from != to => {
                    let (mut source, mut target) = (std::mem::replace(&mut devices[from], Device::new()), std::mem::replace(&mut devices[to], Device::new()));
                    target.merge(&mut source);
                    devices[from] = source;
                    devices[to] = target;
                }
                Op::Sync { .. } => {}
            }
        }
        for i in 0..3 {
            for j in 0..3 {
                if i != j {
                    let mut source = std::mem::replace(&mut devices[i], Device::new());
                    devices[j].merge(&mut source);
                    devices[i] = source;
                }
            }
        }
        let order = devices[0].order();
        for d in &devices[1..] {
            prop_assert_eq!(&d.order(), &order);
        }
        let mut shown: Vec<String> = order.into_iter().flat_map(|(_, cards)| cards).collect();
        shown.sort();
        let mut expected: Vec<String> = made.iter().map(ToString::to_string).collect();
        expected.sort();
        prop_assert_eq!(shown, expected);
    }
}
