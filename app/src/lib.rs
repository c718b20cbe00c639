//! Front desk client: the browser side of the app.
//!
//! The domain model (`model`), the sans-IO sync engine (`sync_engine`), the demo clinic
//! (`demo`) and the wire protocol (`protocol`) are crates of their own that compile and
//! test natively. This crate is what only a browser runs: [`platform`] is the only module
//! that touches `web_sys`, IndexedDB, the WebSocket and the service worker; [`ui`] is the
//! Leptos interface on top of it. [`words`], the sentences a person reads for the model's
//! errors, is pure and the only part that also builds (and tests) on other targets.

#[cfg(target_arch = "wasm32")]
pub mod platform;
#[cfg(target_arch = "wasm32")]
pub mod ui;
pub mod words;
