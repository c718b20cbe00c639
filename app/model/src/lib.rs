//! The domain model: appointments, the directory and the Automerge documents that hold them.
//!
//! Architecture invariant: nothing here touches a browser API, a socket or a clock; the
//! current time comes in as an argument.

pub mod access;
pub mod appointment;
pub mod audit;
pub mod away;
pub mod board;
pub mod budget;
pub mod clash;
pub mod clock;
pub mod closure;
pub mod confirm;
pub mod csv;
pub mod day;
pub mod directory;
pub mod document;
pub mod equipment;
pub mod export;
pub mod fields;
pub mod import;
pub mod incident;
pub mod inventory;
pub mod layout;
pub mod money;
pub mod month;
pub mod patient;
pub mod payment;
pub mod random;
pub mod refusal;
pub mod report;
pub mod roster;
pub mod schedule;
pub mod slots;
pub mod staff;
pub mod staff_file;
pub mod vendor;
pub mod waitlist;

pub use appointment::{Appointment, AppointmentId, BookingForm, FieldErrors, Status};
pub use directory::{
    AppointmentType, Directory, Provider, ProviderId, Room, RoomId, Site, SiteId, StaffId,
    StaffMember, TypeId, WeekHours,
};
pub use document::{DocKind, Document, DocumentError};
pub use refusal::{Missing, Refusal, Thing};

/// Declares an id type for entities keyed by a random UUID, so that two devices creating
/// one at the same moment never collide.
macro_rules! random_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, serde::Serialize, serde::Deserialize,
        )]
        pub struct $name(String);

        impl $name {
            pub fn random() -> Self {
                Self(uuid::Uuid::new_v4().to_string())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl From<String> for $name {
            fn from(id: String) -> Self {
                Self(id)
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> Self {
                Self(id.to_string())
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}
pub(crate) use random_id;

/// Collapses runs of white space and trims, as every typed name is stored.
pub fn tidy(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
