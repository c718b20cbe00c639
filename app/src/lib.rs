//! Front desk client.
//!
//! [`model`] and [`sync`] are pure: they use no browser API and are tested natively with
//! `cargo test`. [`platform`] is the only module that touches `web_sys`, IndexedDB, the
//! WebSocket and the service worker; [`ui`] is the Leptos interface on top of it. Both exist
//! only on wasm32.

pub mod model;
pub mod sync;

#[cfg(target_arch = "wasm32")]
pub mod platform;
#[cfg(target_arch = "wasm32")]
pub mod ui;
