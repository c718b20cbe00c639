//! Task boards: the office's work (claim follow-ups, cleaning, maintenance, compliance) as
//! cards in columns. One board document per site and one for the whole organisation.
//!
//! Cards live in a map keyed by id, never in a list: a card's place is its column and a
//! position key ([`position`]), so that moves and inserts on several offline devices merge
//! without duplicates or losses, and every device sorts the merged cards the same way (by
//! key, then id). Titles and descriptions are Automerge text, so that two people editing
//! one title at the same time both keep their words. Comments and checklist items are maps
//! keyed by id; comments are never changed once written.
//!
//! The default columns and labels are written by the board's genesis change, the same on
//! every device, so two desks that open a new board offline share them.

pub mod columns;
pub mod due;
pub mod edit;
pub mod link;
pub mod position;
pub mod rule;
pub mod template;

use std::collections::BTreeMap;

use automerge::{AutoCommit, ObjType, ReadDoc};
use autosurgeon::{reconcile_prop, Hydrate, Reconcile, Text};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use crate::appointment::{format_local_datetime, parse_local_datetime};
use crate::document::maps;
use crate::{random_id, Document, DocumentError, SiteId, StaffId};

pub use link::{LinkPurpose, TaskLink};
pub use template::Template;

random_id!(
    /// A card on a board.
    CardId
);
random_id!(
    /// A column of a board.
    ColumnId
);
random_id!(
    /// A label cards can carry.
    LabelId
);
random_id!(
    /// An item of a card's checklist.
    CheckId
);
random_id!(
    /// A comment on a card.
    CommentId
);

/// Which board a document holds.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum BoardScope {
    /// The whole organisation's board.
    Org,
    /// One site's board.
    Site(SiteId),
}

impl BoardScope {
    /// The part of the document id after `board/`.
    pub fn key(&self) -> String {
        match self {
            Self::Org => "org".into(),
            Self::Site(site) => format!("site/{}", site.as_str()),
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        match key {
            "org" => Some(Self::Org),
            _ => Some(Self::Site(SiteId::new(key.strip_prefix("site/")?)?)),
        }
    }
}

/// The default columns: (id, name, whether cards there are finished).
pub const DEFAULT_COLUMNS: [(&str, &str, bool); 3] = [
    ("todo", "To do", false),
    ("doing", "Doing", false),
    ("done", "Done", true),
];

/// The default labels: (id, name, colour).
pub const DEFAULT_LABELS: [(&str, &str, &str); 7] = [
    ("claims", "Claims", "#8ecae6"),
    ("billing", "Billing", "#ffb703"),
    ("cleaning", "Cleaning", "#90be6d"),
    ("maintenance", "Maintenance", "#f4a3a8"),
    ("compliance", "Compliance", "#cdb4db"),
    ("it", "IT", "#a8dadc"),
    ("supplies", "Supplies", "#ffd6a5"),
];

/// Writes the default columns and labels into a new board's genesis change. It must write
/// the same operations in the same order forever: every device's genesis has to match.
pub(crate) fn seed(doc: &mut AutoCommit) -> Result<(), DocumentError> {
    let columns = Document::root_map(doc, maps::COLUMNS)?;
    let keys = position::spread(DEFAULT_COLUMNS.len());
    for ((id, name, done), key) in DEFAULT_COLUMNS.iter().zip(keys) {
        let record = ColumnRecord {
            name: (*name).into(),
            position: key,
            done: *done,
            removed: false,
        };
        reconcile_prop(doc, &columns, *id, &record).map_err(write_error)?;
    }
    let labels = Document::root_map(doc, maps::LABELS)?;
    for (id, name, colour) in DEFAULT_LABELS {
        let record = LabelRecord {
            name: name.into(),
            colour: colour.into(),
            removed: false,
        };
        reconcile_prop(doc, &labels, id, &record).map_err(write_error)?;
    }
    Ok(())
}

pub(crate) fn write_error(e: impl std::fmt::Display) -> DocumentError {
    DocumentError::Write(e.to_string())
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    pub id: ColumnId,
    pub name: String,
    pub position: String,
    /// Cards here are finished: never overdue, not in anyone's open tasks.
    pub done: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub id: LabelId,
    pub name: String,
    pub colour: String,
}

/// When a card is due: a day, and optionally a time on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Due {
    pub date: NaiveDate,
    pub time: Option<NaiveTime>,
}

impl Due {
    /// The moment after which the card is overdue: the time, or the end of the day.
    pub fn deadline(&self) -> NaiveDateTime {
        let end_of_day = NaiveTime::from_hms_opt(23, 59, 59).unwrap_or(NaiveTime::MIN);
        self.date.and_time(self.time.unwrap_or(end_of_day))
    }

    pub fn to_stored(self) -> String {
        match self.time {
            Some(t) => format_local_datetime(self.date.and_time(t)),
            None => self.date.format("%Y-%m-%d").to_string(),
        }
    }

    pub fn parse_stored(text: &str) -> Option<Self> {
        if let Some(at) = parse_local_datetime(text) {
            return Some(Self {
                date: at.date(),
                time: Some(at.time()),
            });
        }
        let date = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
        Some(Self { date, time: None })
    }

    /// For people: "Tue 24 Nov 2026, 09:00" or "Tue 24 Nov 2026".
    pub fn describe(&self) -> String {
        let day = self.date.format("%a %-d %b %Y").to_string();
        match self.time {
            Some(t) => format!("{day}, {}", t.format("%H:%M")),
            None => day,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CheckItem {
    pub id: CheckId,
    pub text: String,
    pub done: bool,
    pub position: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Comment {
    pub id: CommentId,
    /// The member of staff at the desk, or the device when nobody was chosen.
    pub author: String,
    pub device: String,
    pub at: NaiveDateTime,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Card {
    pub id: CardId,
    pub title: String,
    pub description: String,
    pub column: ColumnId,
    pub position: String,
    pub assignees: Vec<StaffId>,
    pub labels: Vec<LabelId>,
    pub due: Option<Due>,
    /// In order of position.
    pub checklist: Vec<CheckItem>,
    /// Oldest first.
    pub comments: Vec<Comment>,
    pub created: NaiveDateTime,
    pub created_by: String,
    /// What the card was made from, in another area of the app.
    pub link: Option<TaskLink>,
    /// The recurring template and occurrence day the card was made for.
    pub occurrence: Option<(template::TemplateId, NaiveDate)>,
    pub archived: bool,
    /// Titles another device gave this card in a copy that the merge set aside (two devices
    /// made the same recurring card at once and both edited it). Shown, never dropped.
    pub other_titles: Vec<String>,
}

impl Card {
    pub fn is_overdue(&self, now: NaiveDateTime) -> bool {
        self.due.is_some_and(|d| d.deadline() < now)
    }

    pub fn checklist_done(&self) -> (usize, usize) {
        let done = self.checklist.iter().filter(|c| c.done).count();
        (done, self.checklist.len())
    }
}

/// The stored shape of a column.
#[derive(Reconcile, Hydrate)]
pub(crate) struct ColumnRecord {
    pub(crate) name: String,
    pub(crate) position: String,
    #[autosurgeon(missing = "Default::default")]
    pub(crate) done: bool,
    #[autosurgeon(missing = "Default::default")]
    pub(crate) removed: bool,
}

#[derive(Reconcile, Hydrate)]
pub(crate) struct LabelRecord {
    pub(crate) name: String,
    pub(crate) colour: String,
    #[autosurgeon(missing = "Default::default")]
    pub(crate) removed: bool,
}

#[derive(Clone, Reconcile, Hydrate)]
pub(crate) struct CheckRecord {
    pub(crate) text: String,
    pub(crate) done: bool,
    pub(crate) position: String,
}

#[derive(Clone, Reconcile, Hydrate)]
pub(crate) struct CommentRecord {
    pub(crate) author: String,
    pub(crate) device: String,
    pub(crate) at: String,
    pub(crate) text: String,
}

/// The stored shape of a card. Fields added after the first version must be optional.
#[derive(Reconcile, Hydrate)]
pub(crate) struct CardRecord {
    pub(crate) title: Text,
    pub(crate) description: Text,
    pub(crate) column: String,
    pub(crate) position: String,
    pub(crate) assignees: BTreeMap<String, bool>,
    pub(crate) labels: BTreeMap<String, bool>,
    pub(crate) due: Option<String>,
    pub(crate) checklist: BTreeMap<String, CheckRecord>,
    pub(crate) comments: BTreeMap<String, CommentRecord>,
    pub(crate) created: String,
    pub(crate) created_by: String,
    pub(crate) link: Option<link::LinkRecord>,
    pub(crate) template: Option<String>,
    pub(crate) occurrence: Option<String>,
    pub(crate) archived: bool,
}

impl CardRecord {
    /// A new card's record: nothing assigned, labelled, due, ticked or said yet.
    pub(crate) fn new(
        title: &str,
        description: &str,
        column: &ColumnId,
        position: String,
        created: NaiveDateTime,
        created_by: &str,
    ) -> Self {
        Self {
            title: Text::with_value(title),
            description: Text::with_value(description),
            column: column.to_string(),
            position,
            assignees: BTreeMap::new(),
            labels: BTreeMap::new(),
            due: None,
            checklist: BTreeMap::new(),
            comments: BTreeMap::new(),
            created: format_local_datetime(created),
            created_by: created_by.to_string(),
            link: None,
            template: None,
            occurrence: None,
            archived: false,
        }
    }

    fn into_card(self, id: &str) -> Option<Card> {
        let set =
            |map: BTreeMap<String, bool>| map.into_iter().filter(|(_, on)| *on).map(|(k, _)| k);
        let mut checklist: Vec<CheckItem> = self
            .checklist
            .into_iter()
            .map(|(id, c)| CheckItem {
                id: CheckId::from(id),
                text: c.text,
                done: c.done,
                position: c.position,
            })
            .collect();
        checklist.sort_by(|a, b| (&a.position, &a.id).cmp(&(&b.position, &b.id)));
        let mut comments = Vec::new();
        for (id, c) in self.comments {
            comments.push(Comment {
                id: CommentId::from(id),
                author: c.author,
                device: c.device,
                at: parse_local_datetime(&c.at)?,
                text: c.text,
            });
        }
        comments.sort_by(|a, b| (a.at, &a.id).cmp(&(b.at, &b.id)));
        let occurrence = match (self.template, self.occurrence) {
            (Some(t), Some(day)) => Some((
                template::TemplateId::from(t),
                NaiveDate::parse_from_str(&day, "%Y-%m-%d").ok()?,
            )),
            _ => None,
        };
        Some(Card {
            id: CardId::from(id),
            title: self.title.as_str().to_string(),
            description: self.description.as_str().to_string(),
            column: ColumnId::from(self.column),
            position: self.position,
            assignees: set(self.assignees).map(StaffId::from).collect(),
            labels: set(self.labels).map(LabelId::from).collect(),
            due: match self.due {
                Some(text) => Some(Due::parse_stored(&text)?),
                None => None,
            },
            checklist,
            comments,
            created: parse_local_datetime(&self.created)?,
            created_by: self.created_by,
            link: match self.link {
                Some(l) => Some(l.into_link()?),
                None => None,
            },
            occurrence,
            archived: self.archived,
            other_titles: Vec::new(),
        })
    }
}

/// Everything on one board, as read from its document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Board {
    /// The columns in order, removed ones left out.
    pub columns: Vec<Column>,
    pub labels: Vec<Label>,
    /// Every card, archived ones included, in no particular order.
    pub cards: Vec<Card>,
    pub templates: Vec<Template>,
    /// Records this version could not read: reported, never hidden.
    pub unreadable: usize,
}

impl Board {
    /// Reads a board document. A record that does not read is counted, the rest shows.
    pub fn read(doc: &AutoCommit) -> Result<Self, DocumentError> {
        let mut board = Board::default();
        let columns = Document::root_map(doc, maps::COLUMNS)?;
        for key in doc.keys(&columns) {
            match autosurgeon::hydrate_prop::<_, ColumnRecord, _, _>(doc, &columns, key.as_str()) {
                Ok(r) if r.removed => {}
                Ok(r) => board.columns.push(Column {
                    id: ColumnId::from(key),
                    name: r.name,
                    position: r.position,
                    done: r.done,
                }),
                Err(_) => board.unreadable += 1,
            }
        }
        board
            .columns
            .sort_by(|a, b| (&a.position, &a.id).cmp(&(&b.position, &b.id)));
        let labels = Document::root_map(doc, maps::LABELS)?;
        for key in doc.keys(&labels) {
            match autosurgeon::hydrate_prop::<_, LabelRecord, _, _>(doc, &labels, key.as_str()) {
                Ok(r) if r.removed => {}
                Ok(r) => board.labels.push(Label {
                    id: LabelId::from(key),
                    name: r.name,
                    colour: r.colour,
                }),
                Err(_) => board.unreadable += 1,
            }
        }
        board.labels.sort_by(|a, b| a.name.cmp(&b.name));
        let cards = Document::root_map(doc, maps::CARDS)?;
        for key in doc.keys(&cards) {
            match read_card(doc, &cards, &key) {
                Some(card) => board.cards.push(card),
                None => board.unreadable += 1,
            }
        }
        let (templates, unreadable) = template::read_all(doc)?;
        board.templates = templates;
        board.unreadable += unreadable;
        Ok(board)
    }

    pub fn card(&self, id: &CardId) -> Option<&Card> {
        self.cards.iter().find(|c| &c.id == id)
    }

    pub fn column(&self, id: &ColumnId) -> Option<&Column> {
        self.columns.iter().find(|c| &c.id == id)
    }

    pub fn label(&self, id: &LabelId) -> Option<&Label> {
        self.labels.iter().find(|l| &l.id == id)
    }

    /// The column a card shows in: its own, or the first when its own was removed (a
    /// column removed on one device while another moved a card into it), so no card hides.
    pub fn column_of(&self, card: &Card) -> Option<&Column> {
        self.column(&card.column).or(self.columns.first())
    }

    /// Whether the card sits in a column of finished work.
    pub fn is_done(&self, card: &Card) -> bool {
        self.column_of(card).is_some_and(|c| c.done)
    }

    /// The cards shown in `column`, in order: by position key, then id, on every device.
    pub fn cards_in(&self, column: &ColumnId) -> Vec<&Card> {
        let mut cards: Vec<&Card> = self
            .cards
            .iter()
            .filter(|c| !c.archived && self.column_of(c).is_some_and(|col| &col.id == column))
            .collect();
        cards.sort_by(|a, b| order_key(a).cmp(&order_key(b)));
        cards
    }

    /// Open cards that came from `id` (an appointment, a stock item) in another area.
    pub fn linked_to<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a Card> + 'a {
        self.cards
            .iter()
            .filter(move |c| !c.archived && c.link.as_ref().is_some_and(|l| l.id == id))
    }
}

/// How cards sort: a damaged position key sorts after every good one.
fn order_key(card: &Card) -> (bool, &str, &CardId) {
    let valid = position::is_valid(&card.position);
    (!valid, card.position.as_str(), &card.id)
}

/// Reads the card at `key`. When two devices made the same card at once (a recurring card
/// both generated offline), the map holds two copies: the merge's winner is read, and what
/// the others add (comments, checklist items, a different title) is kept with it.
fn read_card(doc: &AutoCommit, cards: &automerge::ObjId, key: &str) -> Option<Card> {
    let hydrate = |obj: &automerge::ObjId| CardRecord::hydrate_map(doc, obj).ok()?.into_card(key);
    let (_, winner) = doc.get(cards, key).ok()??;
    let mut card = hydrate(&winner)?;
    for (value, obj) in doc.get_all(cards, key).ok()? {
        if obj == winner || !matches!(value, automerge::Value::Object(ObjType::Map)) {
            continue;
        }
        let Some(other) = hydrate(&obj) else { continue };
        for comment in other.comments {
            if !card.comments.iter().any(|c| c.id == comment.id) {
                card.comments.push(comment);
            }
        }
        for item in other.checklist {
            if !card.checklist.iter().any(|c| c.id == item.id) {
                card.checklist.push(item);
            }
        }
        if other.title != card.title && !card.other_titles.contains(&other.title) {
            card.other_titles.push(other.title);
        }
    }
    card.comments
        .sort_by(|a, b| (a.at, &a.id).cmp(&(b.at, &b.id)));
    Some(card)
}

#[cfg(test)]
mod tests;
