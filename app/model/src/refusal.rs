//! Why the model refuses a change, or cannot find what a change is about: one enum per
//! area, so that a caller can tell one refusal from another and act on it. These carry
//! facts, not words: the sentence a person reads is made where it is shown, by the
//! client's `words` module.

use chrono::NaiveDate;

use crate::staff::time_off::Decision;
use crate::{DocumentError, Status};

/// A change the model does not allow, by area.
#[derive(Debug, PartialEq)]
pub enum Refusal {
    Schedule(Schedule),
    Tasks(Tasks),
    Roster(Roster),
    Stock(Stock),
    Import(Import),
    Access(Access),
    Patients(Patients),
    /// A typed value that does not pass its field's check (a name, a colour), with the
    /// check's sentence: field checks still speak for themselves.
    Field(String),
}

/// The appointment book's refusals.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Schedule {
    /// Putting a patient in a room needs the room.
    RoomNeeded,
    /// The status cannot follow the one the appointment has.
    Transition { from: Status, to: Status },
    /// A no-show before the appointment has begun.
    NoShowTooEarly,
    /// The appointment is past changing (cancelled, fulfilled, …).
    Unchangeable(Status),
    /// Another device moved it to another month while this one was moving it.
    MovedMeanwhile,
    /// A step cannot be undone: the appointment has moved on since, to `status`.
    MovedOnSince { status: Status },
    /// An amount of money at or below zero, or over the desk's limit.
    AmountOutOfRange,
    /// A refund of more than the patient paid for the appointment.
    RefundOverPaid { paid_cents: i64 },
}

/// The patient register's refusals.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Patients {
    /// A merge (or a "not the same person") of a record with itself, or with a record
    /// already merged into it.
    SamePerson,
}

/// The task boards' refusals.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Tasks {
    /// A card cannot go to a column that was removed.
    ColumnGone,
    EmptyChecklistItem,
    EmptyComment,
    /// The board's last column stays.
    LastColumn,
    /// A column with cards in it stays until they are moved.
    ColumnNotEmpty,
    /// The board has no column at all to put a card in.
    NoColumn,
}

/// The roster's refusals.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Roster {
    /// The open shift was claimed by someone else first.
    Claimed,
    /// A break's length that is not a whole number of minutes.
    BreakNotMinutes,
    /// A removal flag that is neither removed nor kept.
    RemovedOrKept,
    /// An open shift is claimed, not swapped.
    OpenShiftSwap,
    SwapWithSelf,
    /// The shift offered in return belongs to someone else.
    ReturnNotTheirs,
    /// The swap request was decided already.
    SwapDecided(Decision),
    /// The offered shift changed hands after the request.
    OfferedChangedHands,
    /// The shift given in return changed hands after the request.
    ReturnChangedHands,
    /// Filling a month that has shifts already (the demo clinic fills empty ones only).
    NotEmpty,
}

/// The supply inventory's refusals.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stock {
    /// A count needs the storage location it walks.
    NoLocation,
    /// A closed count takes no more lines.
    CountClosed,
    CountBelowZero,
    CountTooLarge,
    /// The count was posted or cancelled already.
    CountFinished,
    NothingCounted,
    NothingToOrder,
    /// Only a draft order changes; this one was sent.
    OrderSent,
    /// Sending twice.
    AlreadySent,
    EmptyOrder,
    /// Stock was received against the order, which therefore stays.
    OrderReceived,
    /// Receiving against an order that was never sent.
    OrderNotSent,
    /// A quantity of 0 or less where stock moves one way.
    NotPositive,
    QuantityTooLarge,
    /// A quantity over the largest the inventory takes, as given.
    OverMax(i64),
    /// An adjustment of 0.
    ZeroAdjustment,
    /// A transfer to the site it comes from.
    SameSite,
    /// Expired stock is thrown away, not sent.
    LotExpired {
        number: String,
        expiry: NaiveDate,
    },
    /// The lot is not one of the item's.
    ForeignLot,
    /// A new lot without its number.
    NoLotNumber,
    ExpiryBeforeReceipt {
        expiry: NaiveDate,
        received: NaiveDate,
    },
    /// A new lot comes only with stock received.
    NewLotOnlyOnReceipt,
    /// The item is tracked by lot, so receiving it needs a lot number and expiry.
    LotNeeded {
        item: String,
    },
    /// Stock coming back needs the lot it goes to.
    WhichLot,
    ReasonTooLong,
    /// Another item has the SKU or barcode.
    CodeTaken {
        holder: String,
        code: String,
    },
    /// A transfer would add the item at the other site, whose rules it breaks.
    CannotCopy {
        item: String,
        problems: Vec<String>,
    },
    /// Filling a site that has supplies already (the demo clinic fills empty ones only).
    NotEmpty,
}

/// The spreadsheet imports' refusals, when a checked file is applied.
#[derive(Debug, PartialEq)]
pub enum Import {
    /// Rows of the file have errors and the person did not choose to skip them.
    RowsInError(usize),
    /// A row adds someone whom another device added since the file was checked.
    AddedMeanwhile { name: String },
    /// A row is about someone another device removed since the file was checked.
    RemovedMeanwhile { name: String },
    /// A row counts a lot the item no longer has.
    NoSuchLot { item: String, lot: String },
    /// A refusal met on the way through the rows, with the line of the file; nothing of the
    /// file is written.
    Line {
        line: usize,
        error: Box<DocumentError>,
    },
}

/// Sign-in's refusals.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Access {
    /// Someone has set the organisation up already: its first owner exists.
    AlreadyStarted,
    /// The change would leave the organisation without an owner who can sign in.
    LastOwner,
    /// The person has no sign-in to change.
    NoSignIn,
    /// The set-up code was replaced or used meanwhile.
    CodeGone,
    /// The set-up code's time ran out.
    CodeExpired,
}

/// What a change looked for and did not find.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Missing {
    /// The document has no top-level map of this name.
    Map(String),
    /// The record is not there: removed on another device, most often.
    Gone(Thing),
    /// The record is there but does not read.
    Unreadable(Thing),
}

/// The records a change may look for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Thing {
    Appointment,
    Card,
    Column,
    Label,
    ChecklistItem,
    /// A recurring task.
    Template,
    Shift,
    SwapRequest,
    TimeOffRequest,
    Item,
    Count,
    /// The lines of a count.
    CountLines,
    Lot,
    Order,
    OrderLine,
    /// A part of an order's record (its lines, its receipts).
    OrderPart(String),
    /// A member of staff.
    Person,
    /// A stock movement of a month's log.
    Movement,
    /// A report in a site's log of complaints and incidents.
    Incident,
    /// A patient of the register.
    Patient,
    /// A piece of equipment of a site's register.
    Equipment,
    /// A vendor of the register.
    Vendor,
}

/// Each area's refusal is a [`DocumentError::Refused`].
macro_rules! refusal_from {
    ($($area:ident),*) => {
        $(
            impl From<$area> for Refusal {
                fn from(r: $area) -> Self {
                    Self::$area(r)
                }
            }

            impl From<$area> for DocumentError {
                fn from(r: $area) -> Self {
                    DocumentError::Refused(Refusal::$area(r))
                }
            }
        )*
    };
}
refusal_from!(Schedule, Tasks, Roster, Stock, Import, Access, Patients);

impl From<Missing> for DocumentError {
    fn from(m: Missing) -> Self {
        DocumentError::NotFound(m)
    }
}

impl Thing {
    /// The record is not there.
    pub fn gone(self) -> DocumentError {
        DocumentError::NotFound(Missing::Gone(self))
    }

    /// The record is there but does not read.
    pub fn unreadable(self) -> DocumentError {
        DocumentError::NotFound(Missing::Unreadable(self))
    }
}
