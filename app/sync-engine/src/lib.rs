//! The sans-IO sync engine and the pieces drivers share.
//!
//! Architecture invariant: no IO here. The browser driver (`app::platform::driver`) and
//! the native test drivers feed the same [`Engine`] with events and carry out the effects
//! it returns.

pub mod backoff;
pub mod custody;
pub mod engine;
pub mod memory_relay;
pub mod replica;
#[cfg(test)]
mod scenarios;
pub mod seal;

pub use engine::{ConnectionState, Effect, Engine, Event, SyncStatus};
pub use replica::{DocProblem, Replica};
