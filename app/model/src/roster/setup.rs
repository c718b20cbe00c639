//! What the roster is planned against, kept in the directory document: each site's
//! positions (desk 1, triage …) with the hours they must be staffed and the credentials
//! they require; shift templates ("Morning desk 07:30–15:30"); and the rules' thresholds.

use automerge::transaction::Transactable;
use automerge::AutoCommit;
use chrono::NaiveTime;

use crate::directory::{parse_span, WeekHours};
use crate::document::maps;
use crate::fields::{form_edit, int, new_record, put_changed, record, text, write_error};
use crate::staff::credential::CredentialKind;
use crate::{random_id, Document, DocumentError, SiteId};

random_id!(
    /// A position at a site that a shift fills.
    PositionId
);
random_id!(
    /// A shift template.
    TemplateId
);

/// Hours over which a week's work counts as overtime, unless set otherwise.
pub const DEFAULT_OVERTIME_MINUTES: u32 = 40 * 60;
/// The least rest between two shifts of one person, unless set otherwise.
pub const DEFAULT_REST_MINUTES: u32 = 10 * 60;

/// A position at a site: "Desk 1", staffed Monday to Friday 07:30–18:00.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Position {
    pub id: PositionId,
    pub site: SiteId,
    pub name: String,
    /// When it must be staffed, a span a weekday; a day without one is not required.
    pub required: WeekHours,
    /// Credentials a person needs, valid on the day, to fill it.
    pub requires: Vec<CredentialKind>,
}

/// A shift as a pattern: times of day, break, and the position it usually fills.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ShiftTemplate {
    pub id: TemplateId,
    pub name: String,
    pub start: NaiveTime,
    /// Ends the next day when not after `start`.
    pub end: NaiveTime,
    pub break_minutes: u32,
    pub position: Option<PositionId>,
}

form_edit!(ShiftTemplate {
    id,
    name,
    start,
    end,
    break_minutes,
    position
});

impl ShiftTemplate {
    pub fn overnight(&self) -> bool {
        self.end <= self.start
    }

    /// "Morning desk 07:30–15:30".
    pub fn label(&self) -> String {
        format!(
            "{} {}–{}",
            self.name,
            self.start.format("%H:%M"),
            self.end.format("%H:%M")
        )
    }
}

/// The thresholds the roster rules check against.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct RosterRules {
    /// Minutes of work in a week (Monday to Sunday) above which it is overtime.
    pub overtime_minutes: u32,
    /// The least rest between the end of one shift and the start of the next.
    pub rest_minutes: u32,
}

impl Default for RosterRules {
    fn default() -> Self {
        Self {
            overtime_minutes: DEFAULT_OVERTIME_MINUTES,
            rest_minutes: DEFAULT_REST_MINUTES,
        }
    }
}

fn kinds_text(kinds: &[CredentialKind]) -> String {
    kinds.iter().map(|k| k.code()).collect::<Vec<_>>().join(",")
}

pub(crate) fn read_position(
    doc: &AutoCommit,
    map: &automerge::ObjId,
    id: &str,
) -> Option<Position> {
    let obj = record(doc, map, id)?;
    let hours: Vec<String> = text(doc, &obj, "required")?
        .split(';')
        .map(str::to_string)
        .collect();
    Some(Position {
        id: PositionId::from(id),
        site: SiteId::new(&text(doc, &obj, "site")?)?,
        name: text(doc, &obj, "name")?,
        required: WeekHours::from_texts(&hours)?,
        requires: text(doc, &obj, "requires")
            .unwrap_or_default()
            .split(',')
            .filter(|k| !k.is_empty())
            .map(CredentialKind::parse)
            .collect::<Option<_>>()?,
    })
}

pub fn put_position(doc: &mut AutoCommit, p: &Position) -> Result<(), DocumentError> {
    let map = Document::root_map(doc, maps::POSITIONS)?;
    let obj = match record(doc, &map, p.id.as_str()) {
        Some(obj) => obj,
        None => new_record(doc, &map, p.id.as_str())?,
    };
    put_changed(doc, &obj, "site", p.site.as_str())?;
    put_changed(doc, &obj, "name", p.name.as_str())?;
    put_changed(
        doc,
        &obj,
        "required",
        p.required.to_texts().join(";").as_str(),
    )?;
    put_changed(doc, &obj, "requires", kinds_text(&p.requires).as_str())
}

pub(crate) fn read_template(
    doc: &AutoCommit,
    map: &automerge::ObjId,
    id: &str,
) -> Option<ShiftTemplate> {
    let obj = record(doc, map, id)?;
    let time = |key| NaiveTime::parse_from_str(&text(doc, &obj, key)?, "%H:%M").ok();
    Some(ShiftTemplate {
        id: TemplateId::from(id),
        name: text(doc, &obj, "name")?,
        start: time("start")?,
        end: time("end")?,
        break_minutes: u32::try_from(int(doc, &obj, "break_minutes").unwrap_or(0)).ok()?,
        position: text(doc, &obj, "position")
            .filter(|p| !p.is_empty())
            .map(PositionId::from),
    })
}

pub fn put_template(doc: &mut AutoCommit, t: &ShiftTemplate) -> Result<(), DocumentError> {
    let map = Document::root_map(doc, maps::SHIFT_TEMPLATES)?;
    let obj = match record(doc, &map, t.id.as_str()) {
        Some(obj) => obj,
        None => new_record(doc, &map, t.id.as_str())?,
    };
    put_changed(doc, &obj, "name", t.name.as_str())?;
    put_changed(
        doc,
        &obj,
        "start",
        t.start.format("%H:%M").to_string().as_str(),
    )?;
    put_changed(doc, &obj, "end", t.end.format("%H:%M").to_string().as_str())?;
    put_changed(doc, &obj, "break_minutes", i64::from(t.break_minutes))?;
    let position = t.position.as_ref().map_or("", PositionId::as_str);
    put_changed(doc, &obj, "position", position)
}

/// Removes a position or a template (`collection` is `positions` or `shift_templates`).
/// Shifts that name a removed position keep its id and show it as removed.
pub fn remove(doc: &mut AutoCommit, collection: &str, id: &str) -> Result<(), DocumentError> {
    let map = Document::root_map(doc, collection)?;
    doc.delete(&map, id).map_err(write_error)
}

pub(crate) fn read_rules(doc: &AutoCommit) -> RosterRules {
    let defaults = RosterRules::default();
    let Ok(map) = Document::root_map(doc, maps::ROSTER_RULES) else {
        return defaults;
    };
    let minutes = |key, default| {
        int(doc, &map, key)
            .and_then(|m| u32::try_from(m).ok())
            .filter(|m| *m > 0)
            .unwrap_or(default)
    };
    RosterRules {
        overtime_minutes: minutes("overtime_minutes", defaults.overtime_minutes),
        rest_minutes: minutes("rest_minutes", defaults.rest_minutes),
    }
}

pub fn put_rules(doc: &mut AutoCommit, rules: RosterRules) -> Result<(), DocumentError> {
    let map = Document::root_map(doc, maps::ROSTER_RULES)?;
    put_changed(
        doc,
        &map,
        "overtime_minutes",
        i64::from(rules.overtime_minutes),
    )?;
    put_changed(doc, &map, "rest_minutes", i64::from(rules.rest_minutes))
}

/// Reads the required hours of a position as typed: one span for every weekday it is
/// staffed ("07:30-18:00"), the others closed.
pub fn weekday_span(text: &str, days: [bool; 7]) -> Result<WeekHours, String> {
    let span = parse_span(text)?.ok_or_else(|| "Enter the hours, like 07:30-18:00.".to_string())?;
    let mut week = [None; 7];
    for (day, on) in week.iter_mut().zip(days) {
        if on {
            *day = Some(span);
        }
    }
    Ok(WeekHours(week))
}
