//! The sans-IO sync engine and the pieces drivers share.
//!
//! Architecture invariant: no IO here. The browser driver (`platform::sync_driver`) and
//! the native test drivers feed the same [`Engine`] with events and carry out the effects
//! it returns.

pub mod backoff;
pub mod engine;
pub mod memory_relay;
pub mod replica;
// The scenarios use proptest, which does not build for wasm32.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod scenarios;

pub use engine::{ConnectionState, Effect, Engine, Event, SyncStatus};
pub use replica::{DocProblem, Replica};
