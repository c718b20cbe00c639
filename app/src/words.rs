//! What a person reads when the model refuses a change, cannot find what it is about, or
//! cannot read a spreadsheet: the sentences for the model's typed errors, made here at the
//! edge of the client and nowhere else. Pure functions, so they compile and test natively.

mod access;
pub mod status;
pub mod steps;
pub mod stock;

pub use access::*;

use model::csv::CsvError;
use model::import::{Sheet, SheetError};
use model::refusal::{Import, Missing, Roster, Schedule, Tasks, Thing};
use model::{DocumentError, Refusal};

/// The sentence for an error a change or a read met.
pub fn say(error: &DocumentError) -> String {
    match error {
        DocumentError::Refused(refusal) => refused(refusal),
        DocumentError::NotFound(missing) => not_found(missing),
        // What went wrong with the document itself, not with what the person asked: these
        // read as the error says it, as they always have.
        DocumentError::UnknownKind(_)
        | DocumentError::Corrupt(_)
        | DocumentError::Write(_)
        | DocumentError::Loading => error.to_string(),
    }
}

/// The sentence for a refusal.
pub fn refused(refusal: &Refusal) -> String {
    match refusal {
        Refusal::Schedule(r) => schedule(r),
        Refusal::Tasks(r) => tasks(r).into(),
        Refusal::Roster(r) => roster(r),
        Refusal::Stock(r) => stock::refused(r),
        Refusal::Import(r) => import(r),
        Refusal::Access(r) => access::refused(r).into(),
        Refusal::Patients(model::refusal::Patients::SamePerson) => {
            "That is the same record: choose two different patients.".into()
        }
        Refusal::Field(why) => why.clone(),
    }
}

fn schedule(refusal: &Schedule) -> String {
    match refusal {
        Schedule::RoomNeeded => "Choose a room.".into(),
        Schedule::Transition { from, to } => format!(
            "A {} appointment cannot become {}.",
            from.label().to_lowercase(),
            to.label().to_lowercase()
        ),
        Schedule::NoShowTooEarly => "Mark a no-show only once the appointment has begun.".into(),
        Schedule::Unchangeable(status) => format!(
            "A {} appointment cannot be changed.",
            status.label().to_lowercase()
        ),
        Schedule::MovedMeanwhile => "This appointment was changed on another device meanwhile: open it again and repeat the change.".into(),
        Schedule::AmountOutOfRange => format!(
            "Enter an amount above zero and at most {}.",
            model::money::plain(model::payment::MAX_CENTS)
        ),
        Schedule::RefundOverPaid { paid_cents } => format!(
            "A refund can be at most what was paid: {}.",
            model::money::plain(*paid_cents)
        ),
        Schedule::MovedOnSince { status } => format!(
            "This can no longer be undone: the appointment has since been marked {}.",
            status.label().to_lowercase()
        ),
    }
}

fn tasks(refusal: &Tasks) -> &'static str {
    match refusal {
        Tasks::ColumnGone => "That column is no longer on the board.",
        Tasks::EmptyChecklistItem => "Enter the checklist item.",
        Tasks::EmptyComment => "Write the comment first.",
        Tasks::LastColumn => "A board needs at least one column.",
        Tasks::ColumnNotEmpty => "Move the column's cards elsewhere first.",
        Tasks::NoColumn => "The board has no column to put the card in.",
    }
}

fn roster(refusal: &Roster) -> String {
    match refusal {
        Roster::Claimed => "Someone has claimed that shift already.".into(),
        Roster::BreakNotMinutes => "That is not a number of minutes.".into(),
        Roster::RemovedOrKept => "Choose removed or kept.".into(),
        Roster::OpenShiftSwap => "An open shift is claimed, not swapped.".into(),
        Roster::SwapWithSelf => "Choose someone else to swap with.".into(),
        Roster::ReturnNotTheirs => "The shift given in return is not theirs.".into(),
        Roster::SwapDecided(decision) => format!("That swap was {} already.", decision.code()),
        Roster::OfferedChangedHands => {
            "The offered shift has changed hands since the request; deny it and ask again.".into()
        }
        Roster::ReturnChangedHands => {
            "The shift given in return has changed hands since the request.".into()
        }
        Roster::NotEmpty => {
            "This month's roster has shifts already: the demo only fills an empty organisation."
                .into()
        }
    }
}

fn import(refusal: &Import) -> String {
    match refusal {
        Import::RowsInError(rows) => format!(
            "{} of the file {} errors: correct the file, or import only the valid rows.",
            model::import::rows(*rows),
            if *rows == 1 { "has" } else { "have" }
        ),
        Import::AddedMeanwhile { name } => format!(
            "{name} was added to the staff list meanwhile, on another device: check the file again."
        ),
        Import::RemovedMeanwhile { name } => {
            format!("{name} is no longer on the staff list: they were removed on another device.")
        }
        Import::NoSuchLot { item, lot } => format!("{item} has no lot {lot}."),
        Import::Line { line, error } => {
            format!("Line {line}: {} Nothing was imported.", say(error))
        }
    }
}

/// The sentence for what a change looked for and did not find.
pub fn not_found(missing: &Missing) -> String {
    match missing {
        Missing::Map(name) => format!("the document has no {name} map"),
        Missing::Gone(thing) => gone(thing),
        Missing::Unreadable(thing) => format!("That {} could not be read.", noun(thing)),
    }
}

fn gone(thing: &Thing) -> String {
    match thing {
        Thing::Appointment => "That appointment no longer exists.".into(),
        Thing::Card => "That card is no longer on the board.".into(),
        Thing::Column => "That column is no longer on the board.".into(),
        Thing::Label => "That label was removed.".into(),
        Thing::ChecklistItem => "That checklist item was removed.".into(),
        Thing::Template => "That recurring task was removed.".into(),
        Thing::Shift => "That shift was removed meanwhile.".into(),
        Thing::SwapRequest => "That swap request is gone.".into(),
        Thing::TimeOffRequest => "That request was withdrawn.".into(),
        Thing::Item => "That item is not in this site's list.".into(),
        Thing::Count => "That count is not in this site's list.".into(),
        Thing::CountLines => "The count has no lines.".into(),
        Thing::Lot => "That lot is not one of this item's.".into(),
        Thing::Order => "That order is not in this site's list.".into(),
        Thing::OrderLine => "That line is not on the order.".into(),
        Thing::OrderPart(part) => format!("The order has no {part}."),
        Thing::Person => "That person is no longer on the staff list.".into(),
        Thing::Movement => "That stock movement is no longer in the log.".into(),
        Thing::Incident => "That report is no longer in the log.".into(),
        Thing::Patient => "That patient is not in the register on this device yet.".into(),
        Thing::Equipment => "That equipment is no longer in this site's register.".into(),
        Thing::Vendor => "That vendor is no longer in the register.".into(),
    }
}

fn noun(thing: &Thing) -> &str {
    match thing {
        Thing::Appointment => "appointment",
        Thing::Card => "card",
        Thing::Column => "column",
        Thing::Label => "label",
        Thing::ChecklistItem => "checklist item",
        Thing::Template => "recurring task",
        Thing::Shift => "shift",
        Thing::SwapRequest => "swap request",
        Thing::TimeOffRequest => "request",
        Thing::Item => "item",
        Thing::Count => "count",
        Thing::CountLines => "count's list",
        Thing::Lot => "lot",
        Thing::Order => "order",
        Thing::OrderLine => "order line",
        Thing::OrderPart(part) => part,
        Thing::Person => "staff record",
        Thing::Movement => "stock movement",
        Thing::Incident => "report",
        Thing::Patient => "patient's record",
        Thing::Equipment => "equipment",
        Thing::Vendor => "vendor",
    }
}

/// The sentence for a document the relay refuses to this device: one per site, whichever
/// of the site's documents it was.
pub fn not_enrolled(site: Option<&str>) -> String {
    let site = site.unwrap_or("this organisation");
    format!(
        "This device is not enrolled for the site \"{site}\": its schedule, stock, roster and tasks do not sync here. \
         What was changed in them stays on this device; a manager can give the device access to that site."
    )
}

/// When the relay follows as many of this device's records on one connection as it allows.
pub const RELAY_BUSY: &str = "The relay is at its limit for one connection, so what other \
     devices change in some records reaches this device at its next connection. What is \
     changed here is still sent.";

/// When the relay has no room left for the organisation's changes (its storage quota).
pub const RELAY_FULL: &str = "The relay has no room left for this practice's changes. What is \
     changed here is kept on this device and sent when there is room; ask whoever runs the \
     relay for more.";

/// The sentence for a file an import cannot check.
pub fn sheet(error: &SheetError) -> String {
    match error {
        SheetError::Csv(CsvError::Empty) => "The file is empty.".into(),
        SheetError::Csv(CsvError::TooLarge(rows)) => {
            format!("The file has more than {rows} rows: split it into smaller files.")
        }
        SheetError::Csv(e) => format!("The file could not be read as a spreadsheet (CSV): {e}."),
        SheetError::NoRows => "The file has a header row but no rows to import.".into(),
        SheetError::NoColumn { sheet, field } => no_column(*sheet, field),
    }
}

fn no_column(sheet: Sheet, field: &str) -> String {
    match (sheet, field) {
        (Sheet::Levels, "on_hand") => "The file has no \"on_hand\" column (nor \"count\" or \"quantity\") with what was counted.".into(),
        (Sheet::Levels, _) => "The file has no \"sku\" column (nor \"barcode\" or \"name\") to find each item by.".into(),
        (Sheet::Items, _) => format!("The file has no \"{field}\" column: its first row must name the columns, like name, category, unit, sku, par."),
        (Sheet::Staff, _) => format!("The file has no \"{field}\" column: its first row must name the columns, like name, role, home_site, sites, employment, weekly_hours."),
        (Sheet::Credentials, _) => {
            let why = match field {
                "person" => "whose credential each row is, by their name on the staff list",
                _ => "licence, certification, BLS/CPR, HIPAA or OSHA",
            };
            format!("The file has no \"{field}\" column ({why}): its first row must name the columns, like person, kind, number, expires.")
        }
    }
}

#[cfg(test)]
mod tests;
