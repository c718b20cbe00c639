//! The Front desk relay: a blind, durable, append-only log of opaque change bundles per
//! organisation and document, fanned out to the devices subscribed to it.
//!
//! [`protocol`] is compiled on every target (the wasm32 client uses it); everything else
//! needs the `server` feature.

pub mod protocol;
