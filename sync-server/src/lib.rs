//! The Front desk relay: a blind, durable, append-only log of opaque change bundles per
//! organisation and document, fanned out to the devices subscribed to it.
//!
//! [`protocol`] is compiled on every target (the wasm32 client uses it); everything else
//! needs the `server` feature.
//!
//! Code map of the server: [`server`] starts and stops the relay; [`http`] routes requests;
//! [`connection`] serves one device's WebSocket; [`hub`] fans new entries out; [`storage`]
//! keeps organisations, tokens and logs; [`auth`] makes and hashes tokens.

pub mod protocol;

#[cfg(feature = "server")]
pub mod auth;
#[cfg(feature = "server")]
pub mod connection;
#[cfg(feature = "server")]
mod error;
#[cfg(feature = "server")]
pub mod http;
#[cfg(feature = "server")]
pub mod hub;
#[cfg(feature = "server")]
pub mod limits;
#[cfg(feature = "server")]
pub mod metrics;
#[cfg(feature = "server")]
pub mod org;
#[cfg(feature = "server")]
pub mod server;
#[cfg(feature = "server")]
pub mod storage;

#[cfg(feature = "server")]
pub use crate::{
    auth::TokenSecret,
    error::Error,
    limits::Limits,
    org::OrgName,
    server::{start, Config, Running},
    storage::{sqlite::SqliteStorage, AppendOutcome, Storage, TokenInfo},
};
