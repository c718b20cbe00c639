//! The supply inventory's refusals, in words.

use model::inventory::form::MAX_QUANTITY;
use model::inventory::movement::MAX_REASON_CHARS;
use model::refusal::Stock;

/// A day as the stock views write it: "3 Feb 2027".
fn day(date: &chrono::NaiveDate) -> String {
    date.format("%-d %b %Y").to_string()
}

pub(super) fn refused(refusal: &Stock) -> String {
    match refusal {
        Stock::NoLocation => "Choose the storage location to count.".into(),
        Stock::CountClosed => "This count is closed.".into(),
        Stock::CountBelowZero => "A count cannot be below 0.".into(),
        Stock::CountTooLarge => "That count is too large: check the number.".into(),
        Stock::CountFinished => "This count was posted or cancelled already.".into(),
        Stock::NothingCounted => "Nothing was counted yet.".into(),
        Stock::NothingToOrder => "Nothing needs ordering.".into(),
        Stock::OrderSent => "Only a draft order can be changed; this one was sent.".into(),
        Stock::AlreadySent => "This order was sent already.".into(),
        Stock::EmptyOrder => "Add at least one item before sending.".into(),
        Stock::OrderReceived => {
            "Stock was received against this order; it cannot be cancelled.".into()
        }
        Stock::OrderNotSent => "Send the order before receiving against it.".into(),
        Stock::NotPositive => "The quantity must be more than 0.".into(),
        Stock::QuantityTooLarge => "That quantity is too large: check the number.".into(),
        Stock::OverMax(quantity) => {
            format!("{quantity} is more than {MAX_QUANTITY}: check the number.")
        }
        Stock::ZeroAdjustment => {
            "An adjustment of 0 changes nothing: give how many more (3) or fewer (-3).".into()
        }
        Stock::SameSite => "Choose another site to send to.".into(),
        Stock::LotExpired { number, expiry } => format!(
            "Lot {number} expired on {}: throw it away rather than send it.",
            day(expiry)
        ),
        Stock::ForeignLot => "That lot is not one of this item's.".into(),
        Stock::NoLotNumber => "Give the lot number printed on the box.".into(),
        Stock::ExpiryBeforeReceipt { expiry, received } => format!(
            "The expiry date {} is before the day it was received ({}): check the label.",
            day(expiry),
            day(received)
        ),
        Stock::NewLotOnlyOnReceipt => "A new lot comes only with stock received.".into(),
        Stock::LotNeeded { item } => {
            format!("{item} is tracked by lot: give the lot number and expiry date.")
        }
        Stock::WhichLot => "Say which lot the stock goes to.".into(),
        Stock::ReasonTooLong => format!("Keep the reason under {MAX_REASON_CHARS} characters."),
        Stock::CodeTaken { holder, code } => format!("{holder} already has the code {code}."),
        Stock::CannotCopy { item, problems } => format!(
            "{item} cannot be added at the other site: {}",
            problems.join(" ")
        ),
        Stock::NotEmpty => {
            "This site has supplies already: the demo only fills an empty organisation.".into()
        }
    }
}

/// A quantity to order in the supplier's packs: "2 packs of 12", or what is over whole
/// packs; nothing for an item sold singly.
pub fn packs(quantity: i64, pack_size: i64) -> Option<String> {
    if pack_size <= 1 || quantity <= 0 {
        return None;
    }
    let (whole, over) = (quantity / pack_size, quantity % pack_size);
    let packs = match whole {
        1 => format!("1 pack of {pack_size}"),
        n => format!("{n} packs of {pack_size}"),
    };
    Some(match (whole, over) {
        (_, 0) => packs,
        (0, over) => format!("{over} of a pack of {pack_size}: not a whole pack"),
        (_, over) => format!("{packs} and {over} more: not whole packs"),
    })
}

/// After "Use 1".
pub fn used_one(unit: &str, item: &str) -> String {
    format!("Used 1 {unit} of {item}.")
}

/// After that use's "Undo".
pub const USE_UNDONE: &str = "Undone: the stock is back.";

/// The question before a use that would take from an expired lot.
pub fn expired_use(item: &str, lot: &str, expiry: chrono::NaiveDate) -> String {
    format!(
        "This would use {item} from lot {lot}, which expired on {}. Use it anyway?",
        day(&expiry)
    )
}
