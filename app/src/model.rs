//! The domain model: appointments, providers and the Automerge documents that hold them.
//!
//! Architecture invariant: nothing here touches a browser API, a socket or a clock; the
//! current time comes in as an argument.

pub mod appointment;
pub mod directory;
pub mod document;
pub mod schedule;

pub use appointment::{Appointment, AppointmentId, BookingForm, FieldErrors, Status};
pub use directory::{Directory, Provider, ProviderId, SiteId};
pub use document::{DocKind, Document, DocumentError};
