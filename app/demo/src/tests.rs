use std::collections::HashSet;

use automerge::ActorId;
use chrono::{Datelike, TimeDelta};
use protocol::DocId;

use super::*;
use model::appointment::parse_local_datetime;
use model::board::due::{due_now, OnBoard};
use model::board::edit::MAX_TITLE_CHARS;
use model::board::rule::Rule;
use model::board::{Board, Card, ColumnId, DEFAULT_COLUMNS};
use model::schedule::{self, Schedule};
use model::waitlist::EntryState;
use model::{DocKind, Document, StaffId, Status};

fn at(text: &str) -> NaiveDateTime {
    parse_local_datetime(text).expect("valid test time")
}

/// A demo made at `now`, today being `now`'s day.
fn demo(now: &str, seed: u64) -> DemoClinic {
    let now = at(now);
    demo_clinic(now.date(), now, "Reception tablet", seed)
}

/// Times across the week (2026-11-23 is a Monday), at and outside opening hours, and a
/// week that spans two months.
const MOMENTS: [&str; 8] = [
    "2026-11-23T07:30",
    "2026-11-24T12:10",
    "2026-11-25T10:40",
    "2026-11-26T14:05",
    "2026-11-27T16:50",
    "2026-11-28T11:00",
    "2026-11-29T20:00",
    "2026-12-02T09:37",
];

/// Weekdays while the providers are in, from about 08:45 to 16:30: every status shows.
/// Before and after, and at the weekend, the desk is quiet and the patient flow with it.
const BUSY: [&str; 5] = [
    "2026-11-23T09:30",
    "2026-11-25T10:40",
    "2026-11-26T14:05",
    "2026-11-27T16:25",
    "2026-12-02T09:37",
];

fn every_demo() -> impl Iterator<Item = (&'static str, DemoClinic)> {
    MOMENTS
        .iter()
        .flat_map(|&now| (0..3).map(move |seed| (now, demo(now, seed))))
}

fn provider<'a>(clinic: &'a DemoClinic, a: &Appointment) -> &'a Provider {
    clinic
        .providers
        .iter()
        .find(|p| p.id == a.provider)
        .expect("a demo provider")
}

fn new_directory() -> Document {
    let id = DocId::new("directory").expect("valid");
    Document::new(&id, &ActorId::random()).expect("known")
}

#[test]
fn the_same_seed_gives_the_same_week() {
    let shape = |clinic: &DemoClinic| {
        clinic
            .appointments
            .iter()
            .map(|(site, a)| {
                let who = clinic.providers.iter().position(|p| p.id == a.provider);
                (site.clone(), a.patient_name.clone(), a.start, who, a.status)
            })
            .collect::<Vec<_>>()
    };
    let names = |clinic: &DemoClinic| {
        clinic
            .appointments
            .iter()
            .map(|(_, a)| a.patient_name.clone())
            .collect::<Vec<_>>()
    };
    let (a, b) = (demo("2026-11-25T10:40", 7), demo("2026-11-25T10:40", 7));
    assert_eq!(shape(&a), shape(&b));
    assert_ne!(names(&a), names(&demo("2026-11-25T10:40", 8)));
}

#[test]
fn only_an_empty_organisation_is_empty() {
    let mut doc = new_directory();
    let read = |doc: &Document| Directory::read(doc.automerge()).expect("reads");
    assert!(is_empty(&read(&doc)));
    let clinic = demo("2026-11-25T10:40", 1);
    let mut named = new_directory();
    named
        .change(|d| put_site(d, &clinic.sites[0]))
        .expect("writes");
    assert!(!is_empty(&read(&named)), "a named main site is not empty");
    doc.change(|d| write_directory(d, &clinic)).expect("writes");
    assert!(!is_empty(&read(&doc)));

    // The first owner, who signs in to load the demo, is not something entered.
    let mut started = new_directory();
    let owner = model::StaffMember::new("Avery Owner", "Office manager");
    let hash = model::access::pin::hash("482916", &[7; 16]);
    started
        .change(|d| model::access::start_organisation(d, &owner, &hash))
        .expect("writes");
    assert!(is_empty(&read(&started)));
    let other = model::StaffMember::new("Blake Entered", "Nurse");
    started
        .change(|d| model::staff::put_staff(d, &other))
        .expect("writes");
    assert!(!is_empty(&read(&started)), "someone entered is something");
}

#[test]
fn the_written_directory_reads_back() {
    let clinic = demo("2026-11-25T10:40", 1);
    let mut doc = new_directory();
    doc.change(|d| write_directory(d, &clinic)).expect("writes");
    let directory = Directory::read(doc.automerge()).expect("reads");
    assert_eq!(directory.sites.len(), 2);
    assert_eq!(directory.sites[0].id, SiteId::main());
    assert_eq!(directory.sites[0].name, "Harbour Street Practice");
    assert_eq!(directory.providers.len(), 4);
    assert_eq!(directory.rooms.len(), 5);
    assert_eq!(directory.types.len(), 5);
    assert_eq!(directory.staff.len(), clinic.staff.len());
    assert_eq!(directory.staff.len(), 20);
    assert_eq!(directory.unreadable, 0);
    assert!(
        directory.sites.iter().any(|s| s.hours.0[5].is_some()),
        "one site opens on Saturday"
    );
    assert_ne!(directory.sites[0].hours, directory.sites[1].hours);
    assert_eq!(
        directory
            .providers
            .iter()
            .filter(|p| p.sites.len() == 2)
            .count(),
        1
    );
    for site in &directory.sites {
        let rooms = directory.rooms_at(&site.id).count();
        assert!((2..=3).contains(&rooms), "{} has {rooms} rooms", site.name);
    }
}

#[test]
fn every_history_is_a_valid_walk_up_to_now() {
    for (now, clinic) in every_demo() {
        for (_, a) in &clinic.appointments {
            let h = &a.history;
            assert!(
                matches!(h[0].status, Status::Booked | Status::Waitlist),
                "{now}: {h:?}"
            );
            assert_eq!(h.last().map(|c| c.status), Some(a.status), "{now}: {h:?}");
            for pair in h.windows(2) {
                assert!(pair[0].status.can_become(pair[1].status), "{now}: {h:?}");
            }
            let times: Vec<_> = h
                .iter()
                .map(|c| parse_local_datetime(&c.at).expect("a stored time"))
                .collect();
            assert!(times.is_sorted(), "{now}: {h:?}");
            assert!(times.iter().all(|t| *t <= at(now)), "{now}: {h:?}");
            if a.status == Status::InRoom {
                assert!(a.room.is_some() && h.last().is_some_and(|c| c.room.is_some()));
            }
        }
    }
}

#[test]
fn providers_work_within_their_hours_but_for_one_booking_to_come() {
    for (now, clinic) in every_demo() {
        let outside: Vec<&Appointment> = clinic
            .appointments
            .iter()
            .map(|(_, a)| a)
            .filter(|a| !provider(&clinic, a).hours.covers(a.start, a.end()))
            .collect();
        assert_eq!(outside.len(), 1, "{now}");
        assert!(outside[0].start > at(now), "{now}");
    }
}

#[test]
fn appointments_are_at_sites_their_providers_work_at() {
    for (now, clinic) in every_demo() {
        for (site, a) in &clinic.appointments {
            assert!(provider(&clinic, a).works_at(site), "{now}: {a:?}");
            let room = a.room.as_ref().map(|id| {
                let room = clinic.rooms.iter().find(|r| &r.id == id);
                room.expect("a demo room").site.clone()
            });
            assert!(room.is_none_or(|r| &r == site), "{now}: {a:?}");
        }
    }
}

#[test]
fn the_only_clash_is_one_double_booking_to_come() {
    for (now, clinic) in every_demo() {
        let held: Vec<&Appointment> = clinic
            .appointments
            .iter()
            .map(|(_, a)| a)
            .filter(|a| a.status.holds_slot())
            .collect();
        let mut provider_clashes = Vec::new();
        for (i, a) in held.iter().enumerate() {
            for b in &held[i + 1..] {
                if a.overlaps(b) {
                    assert!(a.room.is_none() || a.room != b.room, "{now}: room clash");
                    if a.provider == b.provider {
                        provider_clashes.push(a.start);
                    }
                }
            }
        }
        assert_eq!(provider_clashes.len(), 1, "{now}");
        assert!(provider_clashes[0] > at(now), "{now}");
    }
}

#[test]
fn a_busy_day_shows_every_status_but_entered_in_error() {
    for now in BUSY {
        for seed in 0..5 {
            let clinic = demo(now, seed);
            let appointments: Vec<&Appointment> =
                clinic.appointments.iter().map(|(_, a)| a).collect();
            let statuses: HashSet<Status> = appointments.iter().map(|a| a.status).collect();
            for status in Status::ALL {
                let in_history = appointments
                    .iter()
                    .any(|a| a.history.iter().any(|c| c.status == status));
                match status {
                    Status::EnteredInError => assert!(!in_history),
                    Status::Waitlist => assert!(in_history, "{now} {seed}"),
                    _ => assert!(statuses.contains(&status), "{now} {seed}: {status:?}"),
                }
            }
            let late = appointments.iter().find(|a| a.late_cancel);
            assert!(late.is_some_and(|a| a.cancel_reason.is_some()), "{now}");
            let waits: Vec<i64> = appointments
                .iter()
                .filter_map(|a| a.waiting_minutes(at(now)))
                .collect();
            assert!(waits.len() >= 2, "{now} {seed}: {waits:?}");
            assert!(waits.iter().any(|&w| w > 15), "{now} {seed}: {waits:?}");
        }
    }
}

#[test]
fn the_week_is_full_but_small() {
    for (now, clinic) in every_demo() {
        assert!(clinic.appointments.len() <= 300, "{now}");
        let today = at(now).date();
        let monday = today - TimeDelta::days(today.weekday().num_days_from_monday().into());
        for p in &clinic.providers {
            for day in (0..7).map(|d| monday + TimeDelta::days(d)) {
                let count = clinic
                    .appointments
                    .iter()
                    .filter(|(_, a)| a.provider == p.id && a.start.date() == day)
                    .count();
                if p.hours.on(day).is_some() {
                    assert!((6..=13).contains(&count), "{now} {}: {count}", p.name);
                } else {
                    assert_eq!(count, 0, "{now} {}", p.name);
                }
            }
        }
    }
}

#[test]
fn one_weekly_series_runs_beyond_the_week() {
    let clinic = demo("2026-11-25T10:40", 3);
    let series: Vec<&Appointment> = clinic
        .appointments
        .iter()
        .map(|(_, a)| a)
        .filter(|a| a.series.is_some())
        .collect();
    assert_eq!(series.len(), 4);
    for (n, pair) in series.windows(2).enumerate() {
        assert_eq!(pair[1].start - pair[0].start, TimeDelta::weeks(1));
        assert_eq!(pair[0].series.as_ref().map(|s| s.index), Some(n as u32));
        assert_eq!(
            pair[0].series.as_ref().map(|s| &s.id),
            pair[1].series.as_ref().map(|s| &s.id)
        );
        assert_eq!(pair[0].patient_name, pair[1].patient_name);
    }
}

#[test]
fn three_patients_wait_for_an_earlier_slot() {
    let clinic = demo("2026-11-25T10:40", 3);
    assert_eq!(clinic.waitlist.len(), 3);
    for (site, entry) in &clinic.waitlist {
        assert_eq!(entry.state, EntryState::Waiting);
        assert!(parse_local_datetime(&entry.added).is_some_and(|t| t <= at("2026-11-25T10:40")));
        let provider = entry
            .provider
            .as_ref()
            .and_then(|id| clinic.providers.iter().find(|p| &p.id == id));
        assert!(provider.is_none_or(|p| p.works_at(site)));
    }
}

#[test]
fn appointments_round_trip_through_their_month_documents() {
    let clinic = demo("2026-11-27T16:50", 2);
    let mut docs: Vec<(DocKind, Document)> = Vec::new();
    for (site, a) in &clinic.appointments {
        let kind = DocKind::schedule_for(site, a.start.date());
        if !docs.iter().any(|(k, _)| k == &kind) {
            let doc = Document::new(&kind.doc_id(), &ActorId::random()).expect("known");
            docs.push((kind.clone(), doc));
        }
        let (_, doc) = docs.iter_mut().find(|(k, _)| k == &kind).expect("made");
        doc.change(|d| schedule::put(d, a)).expect("writes");
    }
    let mut read: Vec<Appointment> = docs
        .iter()
        .flat_map(|(_, doc)| Schedule::read(doc.automerge()).expect("reads").appointments)
        .collect();
    read.sort_by(|a, b| a.id.cmp(&b.id));
    let mut written: Vec<Appointment> =
        clinic.appointments.iter().map(|(_, a)| a.clone()).collect();
    written.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(read, written);
}

/// Every board of `clinic` written into a fresh board document and read back.
fn written_boards(clinic: &DemoClinic) -> Vec<(BoardScope, Board)> {
    let write = |(site, demo): &(BoardScope, DemoBoard)| {
        let scope = site.clone();
        let id = DocKind::Board { scope }.doc_id();
        let mut doc = Document::new(&id, &ActorId::random()).expect("known");
        doc.change(|d| write_board(d, demo, "Reception tablet"))
            .expect("writes");
        let board = Board::read(doc.automerge()).expect("reads");
        assert_eq!((board.unreadable, board.cards.len()), (0, demo.cards.len()));
        (site.clone(), board)
    };
    clinic.boards.iter().map(write).collect()
}

#[test]
fn every_site_board_has_work_in_every_column_some_overdue_some_due_today() {
    for (now, clinic) in every_demo() {
        let boards = written_boards(&clinic);
        let scopes: Vec<BoardScope> = boards.iter().map(|(s, _)| s.clone()).collect();
        let sites = clinic.sites.iter().map(|s| BoardScope::Site(s.id.clone()));
        assert_eq!(scopes, sites.chain([BoardScope::Org]).collect::<Vec<_>>());
        let staff: HashSet<&StaffId> = clinic.staff.iter().map(|m| &m.id).collect();
        let lists = due_now(&boards, at(now));
        for (scope, board) in &boards {
            let columns = DEFAULT_COLUMNS.iter().map(|(id, ..)| ColumnId::from(*id));
            let empty = columns.filter(|c| board.cards_in(c).is_empty()).count();
            assert!(*scope == BoardScope::Org || empty == 0, "{now} {scope:?}");
            let on = |list: &[OnBoard<'_>]| list.iter().any(|t| t.scope == scope);
            assert!(on(&lists.overdue) && on(&lists.today), "{now} {scope:?}");
            for card in &board.cards {
                assert!(!card.title.trim().is_empty(), "{now} {scope:?}");
                assert!(card.title.chars().count() <= MAX_TITLE_CHARS);
                assert!(card.assignees.iter().all(|a| staff.contains(a)));
                assert!(card.labels.iter().all(|l| board.label(l).is_some()));
            }
        }
        let cards = || boards.iter().flat_map(|(_, b)| &b.cards);
        let today = at(now).date();
        assert!(cards().any(|c| c.due.is_some_and(|d| d.date == today && d.time.is_some())));
        assert!(cards().any(|c| c.due.is_none()), "{now}");
    }
}

#[test]
fn cards_have_checklists_comments_and_only_made_up_people() {
    let now = at("2026-11-27T16:50");
    let clinic = demo("2026-11-27T16:50", 2);
    let staff: HashSet<&str> = clinic.staff.iter().map(|m| m.name.as_str()).collect();
    let boards = written_boards(&clinic);
    let cards = || boards.iter().flat_map(|(_, b)| &b.cards);
    let partly = |c: &Card| matches!(c.checklist_done(), (done, all) if 0 < done && done < all);
    assert!(boards.iter().all(|(_, b)| b.cards.iter().any(partly)));
    assert!(cards().any(|c| c.comments.len() == 2));
    for card in cards() {
        assert!(staff.contains(card.created_by.as_str()) && card.created <= now);
        for comment in &card.comments {
            assert!(staff.contains(comment.author.as_str()), "{}", card.title);
            assert!(card.created <= comment.at && comment.at <= now);
        }
    }
    // Every combination of the invented first and last names, drawn many times over.
    let mut rng = names::Rng::new(0);
    let mut draw = || names::patient(&mut rng, now.date(), 0, 90).name;
    let invented: HashSet<String> = (0..5000).map(|_| draw()).collect();
    let claims = cards().filter_map(|c| c.title.strip_prefix("Claims follow-up: "));
    let patients: Vec<&str> = claims.collect();
    assert_eq!(patients.len(), boards.len());
    assert!(patients.iter().all(|p| invented.contains(*p)));
}

#[test]
fn recurring_tasks_read_back_and_come_up_from_today() {
    for (now, clinic) in every_demo() {
        let today = at(now).date();
        let staff: HashSet<&StaffId> = clinic.staff.iter().map(|m| &m.id).collect();
        for (scope, board) in written_boards(&clinic) {
            let mut titles: Vec<&str> = board.templates.iter().map(|t| t.title.as_str()).collect();
            titles.sort();
            let expected: &[&str] = match scope {
                BoardScope::Org => &["Yearly OSHA training"],
                BoardScope::Site(_) => &[
                    "Daily opening checklist",
                    "Monthly fire-extinguisher check",
                    "Weekly fridge-temperature log review",
                ],
            };
            assert_eq!(titles, expected, "{now}");
            for t in &board.templates {
                assert_eq!(t.recurrence.problem(), None, "{now} {}", t.title);
                assert_eq!((t.recurrence.start, t.column.as_str()), (today, "todo"));
                assert!(!t.checklist.is_empty() && t.assignees.iter().all(|a| staff.contains(a)));
                let a_year_on = today + TimeDelta::days(366);
                let year = t.recurrence.occurrences(today, a_year_on);
                assert!(!year.is_empty(), "{now} {}", t.title);
                if t.recurrence.rule == Rule::Daily {
                    assert_eq!(year.first(), Some(&today), "{now}");
                }
            }
        }
    }
}

mod roster;
mod supplies;
mod year;

#[test]
fn the_back_office_has_vendors_for_every_supplier_equipment_coming_due_and_a_staff_file() {
    use model::staff_file::due::due;
    use model::staff_file::StaffFiles;
    let now = at("2026-12-07T10:00");
    let clinic = demo("2026-12-07T10:00", 3);
    let directory_of = |clinic: &DemoClinic| {
        let mut doc =
            Document::new(&DocKind::Directory.doc_id(), &ActorId::random()).expect("a kind");
        doc.change(|d| {
            write_directory(d, clinic)?;
            write_vendors(d, clinic)
        })
        .expect("writes");
        Directory::read(doc.automerge()).expect("reads")
    };
    let directory = directory_of(&clinic);
    assert!(directory.vendors.len() >= 2);
    for (_, supplies) in &clinic.supplies {
        for item in &supplies.items {
            let vendor = item.vendor.as_ref().expect("every item names its vendor");
            assert_eq!(directory.vendor_name(vendor), item.supplier);
        }
    }
    // Each site's autoclave asks for its maintenance card within the fortnight.
    for site in &clinic.sites {
        let mut inventory = Document::new(
            &DocKind::Inventory {
                site: site.id.clone(),
            }
            .doc_id(),
            &ActorId::random(),
        )
        .expect("a kind");
        inventory
            .change(|d| write_site_office(d, &clinic, &site.id, now.date()))
            .expect("writes");
        let (pieces, unreadable) =
            model::equipment::read_all(inventory.automerge()).expect("reads");
        assert_eq!((pieces.len(), unreadable), (3, 0));
        let board = model::board::Board::default();
        let cards =
            model::equipment::service_cards(&board, &pieces, "inventory", &directory, now.date());
        assert_eq!(cards.len(), 1, "{}", site.name);
        let budget = model::budget::Budget::read(inventory.automerge()).expect("reads");
        assert_eq!(budget.amounts.len(), 4);
    }
    let mut file = Document::new(&DocKind::StaffFile.doc_id(), &ActorId::random()).expect("a kind");
    file.change(|d| write_staff_file(d, &clinic, now.date(), now))
        .expect("writes");
    let files = StaffFiles::read(file.automerge()).expect("reads");
    assert_eq!(files.unreadable, 0);
    let soon: Vec<String> = due(&files, &directory, now.date())
        .iter()
        .map(|d| d.describe())
        .collect();
    assert!(
        soon.contains(&"Onboarding: 2 of 5 done".to_string()),
        "{soon:?}"
    );
    assert!(soon.contains(&"Appraisal due".to_string()), "{soon:?}");
}
