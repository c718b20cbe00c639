//! The demo's task boards: one per site and the organisation's, with the everyday work of a
//! medical office (restocking, claims, repairs, cleaning, compliance, the printer) spread
//! over every column, due at different times around `now`, and the recurring tasks a desk
//! keeps (the opening checklist, the fridge log, the fire extinguishers, OSHA training).
//!
//! Like the rest of the demo it is made up: the people are the demo's staff, the one or two
//! patients named are drawn from the demo's invented names. The recurring tasks start
//! today; the app makes their cards when the board is opened, as it would for any board.

use automerge::AutoCommit;
use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Weekday};

use super::names::{self, Rng};
use super::practice::hillside;
use super::DemoClinic;
use model::board::edit::{self, Place, ValidCard};
use model::board::rule::{Recurrence, Rule};
use model::board::template::{put_template, TemplateId};
use model::board::{Board, BoardScope, ColumnId, Due, LabelId, Template};
use model::directory::time;
use model::schedule::Who;
use model::{DocumentError, SiteId, StaffId, StaffMember};

/// What to write into one board document: its cards, then its recurring tasks.
#[derive(Clone, Debug, Default)]
pub struct DemoBoard {
    pub cards: Vec<DemoCard>,
    pub templates: Vec<Template>,
}

/// A card as a person at the desk would have made it, with what happened to it since.
#[derive(Clone, Debug)]
pub struct DemoCard {
    pub title: String,
    pub description: String,
    /// One of the default columns' ids: "todo", "doing" or "done".
    pub column: ColumnId,
    pub labels: Vec<LabelId>,
    pub assignees: Vec<StaffId>,
    pub due: Option<Due>,
    /// In order; (text, ticked).
    pub checklist: Vec<(String, bool)>,
    /// Oldest first.
    pub comments: Vec<DemoComment>,
    /// Who made the card (a staff member's name) and when, before `now`.
    pub created_by: String,
    pub created: NaiveDateTime,
}

#[derive(Clone, Debug)]
pub struct DemoComment {
    /// A staff member's name.
    pub author: String,
    pub at: NaiveDateTime,
    pub text: String,
}

impl DemoCard {
    /// A card in `column` with one label, made by nobody yet: see [`DemoCard::made`].
    fn new(title: impl Into<String>, column: &str, label: &str) -> Self {
        Self {
            title: title.into(),
            description: String::new(),
            column: ColumnId::from(column),
            labels: vec![LabelId::from(label)],
            assignees: Vec::new(),
            due: None,
            checklist: Vec::new(),
            comments: Vec::new(),
            created_by: String::new(),
            created: NaiveDateTime::MIN,
        }
    }

    fn about(self, description: impl Into<String>) -> Self {
        let description = description.into();
        Self {
            description,
            ..self
        }
    }

    fn to(mut self, member: &StaffMember) -> Self {
        self.assignees.push(member.id.clone());
        self
    }

    fn due(self, date: NaiveDate, time: Option<NaiveTime>) -> Self {
        let due = Some(Due { date, time });
        Self { due, ..self }
    }

    fn made(self, by: &StaffMember, created: NaiveDateTime) -> Self {
        let created_by = by.name.clone();
        Self {
            created_by,
            created,
            ..self
        }
    }

    fn check(mut self, items: &[(&str, bool)]) -> Self {
        let items = items.iter().map(|(text, done)| (text.to_string(), *done));
        self.checklist.extend(items);
        self
    }

    fn comment(mut self, author: &StaffMember, at: NaiveDateTime, text: &str) -> Self {
        let author = author.name.clone();
        let text = text.to_string();
        self.comments.push(DemoComment { author, at, text });
        self
    }
}

/// The days and moments the cards are placed around, all before or after `now`.
struct Clock {
    today: NaiveDate,
    now: NaiveDateTime,
}

impl Clock {
    fn day(&self, offset: i64) -> NaiveDate {
        self.today + TimeDelta::days(offset)
    }

    /// `days` days before today at `hour`:`minute`, never later than `now`.
    fn ago(&self, days: i64, hour: u32, minute: u32) -> NaiveDateTime {
        self.day(-days).and_time(time(hour, minute)).min(self.now)
    }

    fn end_of_month(&self) -> NaiveDate {
        let (year, month) = match self.today.month() {
            12 => (self.today.year() + 1, 1),
            m => (self.today.year(), m + 1),
        };
        NaiveDate::from_ymd_opt(year, month, 1).map_or(self.today, |d| d - TimeDelta::days(1))
    }
}

/// The staff a site's board is shared among: its desk, then the office manager.
struct Team<'a> {
    desk: Vec<&'a StaffMember>,
    manager: &'a StaffMember,
}

impl<'a> Team<'a> {
    fn of(staff: &'a [StaffMember], site: Option<&SiteId>) -> Option<Self> {
        let manager = staff
            .iter()
            .find(|m| m.role.contains("manager"))
            .or(staff.last())?;
        let at_hillside = |m: &StaffMember| m.role.contains("Hillside");
        let desk: Vec<&StaffMember> = staff
            .iter()
            .filter(|m| m.role.starts_with("Receptionist"))
            .filter(|m| site.is_none_or(|s| at_hillside(m) == (s == &hillside())))
            .collect();
        Some(Self { desk, manager })
    }

    /// The `n`th desk member, taking turns; the manager when the desk is empty.
    fn desk(&self, n: usize) -> &'a StaffMember {
        match self.desk.len() {
            0 => self.manager,
            len => self.desk[n % len],
        }
    }
}

/// Every board of the demo: each site's, in the order of the sites, then the organisation's.
pub(super) fn boards(
    clinic: &DemoClinic,
    today: NaiveDate,
    now: NaiveDateTime,
    rng: &mut Rng,
) -> Vec<(BoardScope, DemoBoard)> {
    let clock = Clock { today, now };
    let mut boards = Vec::new();
    for (n, site) in clinic.sites.iter().enumerate() {
        let Some(team) = Team::of(&clinic.staff, Some(&site.id)) else {
            continue;
        };
        let rooms: Vec<&str> = clinic
            .rooms
            .iter()
            .filter(|r| r.site == site.id)
            .map(|r| r.name.as_str())
            .collect();
        let opening = site.hours.0.iter().flatten().map(|(open, _)| *open).min();
        let mut board = site_board(&clock, &team, &rooms, n, rng);
        board.templates = site_templates(&clock, &team, opening);
        boards.push((BoardScope::Site(site.id.clone()), board));
    }
    if let Some(team) = Team::of(&clinic.staff, None) {
        boards.push((BoardScope::Org, org_board(&clock, &team, rng)));
    }
    boards
}

// The boards' contents are laid out by hand, one card a paragraph, to read as a table.
#[rustfmt::skip]
fn site_board(clock: &Clock, team: &Team, rooms: &[&str], n: usize, rng: &mut Rng) -> DemoBoard {
    let (first, second, manager) = (team.desk(0), team.desk(1), team.manager);
    let room = |i: usize| rooms.get(i).or(rooms.first()).copied().unwrap_or("exam room 2");
    let denied = names::patient(rng, clock.today, 18, 90).name;
    let follow_up = names::patient(rng, clock.today, 18, 90).name;
    let visit = clock.day(-24).format("%-d %b");
    let desk = if n == 0 { "desk 2" } else { "the front desk" };
    let mut cards = vec![
        DemoCard::new(format!("Restock {} gloves", room(1)), "todo", "supplies")
            .about("Medium and large nitrile gloves are down to one box each.")
            .to(first).due(clock.today, Some(time(16, 0))).made(first, clock.ago(1, 12, 40)),
        DemoCard::new("Call insurer about denied claim", "todo", "claims")
            .about(format!("{denied}, visit of {visit}: denied for a missing referral."))
            .to(second).due(clock.day(-1), None).made(manager, clock.ago(4, 10, 15)),
        DemoCard::new("Replace flickering light in waiting room", "todo", "maintenance")
            .about("Above the second row of chairs. Call the building's maintenance line.")
            .to(manager).due(clock.day(3), None).made(first, clock.ago(2, 9, 5)),
        DemoCard::new("Update HIPAA poster", "todo", "compliance")
            .about("The privacy notice by check-in is last year's. Print the current one.")
            .made(manager, clock.ago(5, 14, 30)),
        DemoCard::new(format!("Printer at {desk} jams"), "doing", "it")
            .about("Labels and receipts both jam. Use the back-office printer meanwhile.")
            .to(first).due(clock.today, None).made(first, clock.ago(1, 8, 50))
            .comment(first, clock.ago(1, 11, 20), "Jams every second page; rollers cleaned.")
            .comment(manager, clock.ago(1, 15, 45), "Service visit booked, model number taped on."),
        DemoCard::new(format!("Claims follow-up: {follow_up}"), "doing", "claims")
            .about("On hold at the insurer until they have the referral letter.")
            .to(second).due(clock.day(2), Some(time(12, 0))).made(second, clock.ago(3, 9, 30))
            .check(&[
                ("Find the visit and the claim number", true),
                ("Call the insurer's provider line", true),
                ("Send the referral letter", false),
                ("Note the outcome in the claim log", false),
            ]),
        DemoCard::new("Wipe down check-in tablets", "done", "cleaning")
            .about("Disinfectant wipes on screens and cases; let them dry before use.")
            .to(first).due(clock.day(-1), None).made(first, clock.ago(2, 7, 55))
            .check(&[("Tablet at the entrance", true), ("Tablet at the desk", true)]),
        DemoCard::new(format!("Replace sharps container in {}", room(2)), "done", "cleaning")
            .to(second).made(manager, clock.ago(3, 13, 10)),
    ];
    if n == 0 {
        cards.push(DemoCard::new("Order printer toner", "todo", "supplies")
            .about("Two cartridges for the desk printer; the last spare is in.")
            .due(clock.day(4), None).made(second, clock.ago(1, 16, 20)));
        cards.push(DemoCard::new("Reset voicemail greeting for holiday hours", "done", "it")
            .to(second).made(manager, clock.ago(4, 11, 0)));
    } else {
        let door = format!("Fix the sticking door of the {}", room(1));
        cards.push(DemoCard::new(door, "doing", "maintenance")
            .about("It catches on the frame and does not close on its own.")
            .to(manager).due(clock.day(-2), None).made(first, clock.ago(5, 9, 40)));
    }
    DemoBoard { cards, templates: Vec::new() }
}

#[rustfmt::skip]
fn org_board(clock: &Clock, team: &Team, rng: &mut Rng) -> DemoBoard {
    let (desk, manager) = (team.desk(0), team.manager);
    let patient = names::patient(rng, clock.today, 18, 90).name;
    let cards = vec![
        DemoCard::new("Month-end billing reconciliation", "todo", "billing")
            .about("Match the month's payments against the insurers' remittances.")
            .to(manager).due(clock.end_of_month(), Some(time(17, 0)))
            .made(manager, clock.ago(6, 9, 0))
            .check(&[
                ("Export the month's payments", true),
                ("Match insurer remittances", false),
                ("List claims unpaid after 60 days", false),
                ("Send the summary to the partners", false),
            ]),
        DemoCard::new("Renew OSHA training records", "todo", "compliance")
            .about("Three certificates in the training file expire this quarter.")
            .to(manager).due(clock.day(-1), None).made(manager, clock.ago(7, 10, 30)),
        DemoCard::new("Review next year's fee schedule", "todo", "billing")
            .made(manager, clock.ago(3, 15, 0)),
        DemoCard::new(format!("Claims follow-up: {patient}"), "doing", "claims")
            .about("Paid at half the expected rate: the insurer applied the wrong contract.")
            .to(manager).due(clock.today, None).made(desk, clock.ago(2, 11, 15))
            .comment(desk, clock.ago(2, 11, 20), "Remittance attached to the claim log.")
            .comment(manager, clock.ago(1, 9, 35), "Appeal sent; they answer within ten days."),
        DemoCard::new("Check the sites' fire-safety certificates", "doing", "compliance")
            .to(manager).due(clock.day(5), None).made(manager, clock.ago(2, 14, 0)),
        DemoCard::new("Send patient statements", "done", "billing")
            .to(desk).made(manager, clock.ago(5, 9, 10)),
    ];
    let yearly = Rule::Monthly { every: 12, day: clock.today.day() };
    let osha = recurring(clock, "Yearly OSHA training", yearly, "compliance", manager, &[
        "Book the session for all staff",
        "Bloodborne pathogens module",
        "Record attendance in the training file",
    ]);
    DemoBoard { cards, templates: vec![osha] }
}

/// A site's recurring tasks; the opening checklist is due when the site first opens.
#[rustfmt::skip]
fn site_templates(clock: &Clock, team: &Team, opening: Option<NaiveTime>) -> Vec<Template> {
    let (desk, manager) = (team.desk(0), team.manager);
    let daily = recurring(clock, "Daily opening checklist", Rule::Daily, "compliance", desk, &[
        "Unlock doors and lights on",
        "Check vaccine fridge temperature",
        "Start check-in tablets",
        "Switch the phones to day mode",
    ]);
    let mondays = Rule::Weekly { days: vec![Weekday::Mon] };
    let title = "Weekly fridge-temperature log review";
    let fridge = recurring(clock, title, mondays, "compliance", manager, &[
        "Check every day's minimum and maximum",
        "Initial the log sheet",
        "Report readings outside 2–8 °C",
    ]);
    let monthly = Rule::Monthly { every: 1, day: 1 };
    let title = "Monthly fire-extinguisher check";
    let extinguishers = recurring(clock, title, monthly, "maintenance", manager, &[
        "Pressure gauge in the green",
        "Pin and seal intact",
        "Sign and date the tag",
    ]);
    vec![Template { due_time: opening, ..daily }, fridge, extinguishers]
}

/// A recurring task starting today, its cards going to "To do", due at the day's end.
fn recurring(
    clock: &Clock,
    title: &str,
    rule: Rule,
    label: &str,
    who: &StaffMember,
    checklist: &[&str],
) -> Template {
    Template {
        id: TemplateId::random(),
        title: title.into(),
        description: String::new(),
        column: ColumnId::from("todo"),
        labels: vec![LabelId::from(label)],
        assignees: vec![who.id.clone()],
        checklist: checklist.iter().map(|s| s.to_string()).collect(),
        recurrence: Recurrence {
            rule,
            start: clock.today,
            until: None,
        },
        due_time: None,
        paused: false,
    }
}

/// Writes one demo board into its board document through the board's own edits: each card
/// at the bottom of its column, signed by its maker on `device`, then its checklist (ticked
/// where the demo says) and comments, then the recurring tasks.
pub fn write_board(
    doc: &mut AutoCommit,
    board: &DemoBoard,
    device: &str,
) -> Result<(), DocumentError> {
    let who = |name: &str| Who {
        device: device.to_string(),
        staff: Some(name.to_string()),
    };
    for card in &board.cards {
        let valid = ValidCard {
            title: card.title.clone(),
            description: card.description.clone(),
            column: card.column.clone(),
            assignees: card.assignees.clone(),
            labels: card.labels.clone(),
            due: card.due,
        };
        // Boards are small: reading the whole one again for each card's place is cheap.
        let read = Board::read(doc)?;
        let id = edit::add_card(
            doc,
            &read,
            &valid,
            &Place::Bottom,
            &who(&card.created_by),
            card.created,
        )?;
        for (text, done) in &card.checklist {
            let read = Board::read(doc)?;
            let written = read
                .card(&id)
                .ok_or_else(|| DocumentError::Write("the demo card was not written".into()))?;
            let item = edit::add_check_item(doc, written, text)?;
            if *done {
                edit::set_check_done(doc, &id, &item, true)?;
            }
        }
        for comment in &card.comments {
            edit::add_comment(doc, &id, &comment.text, &who(&comment.author), comment.at)?;
        }
    }
    board
        .templates
        .iter()
        .try_for_each(|t| put_template(doc, t))
}
