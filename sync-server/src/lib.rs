//! The Front desk relay: a blind, durable, append-only log of opaque change bundles per
//! organisation and document, fanned out to the devices subscribed to it.
//!
//! The wire protocol is the `protocol` crate (`sync-server/protocol`), shared with the
//! client; this crate is the relay alone.
//!
//! Code map of the server: [`server`] starts and stops the relay; [`http`] routes requests;
//! [`connection`] serves one device's WebSocket; [`hub`] fans new entries out; [`storage`]
//! keeps organisations, tokens and logs; [`auth`] makes and hashes tokens; [`sites`] says
//! which sites' documents a token may sync.

pub mod admission;
pub mod auth;
pub mod connection;
mod error;
pub mod http;
pub mod hub;
pub mod limits;
pub mod metrics;
pub mod org;
pub mod server;
pub mod sites;
pub mod storage;

pub use crate::{
    auth::TokenSecret,
    error::Error,
    limits::Limits,
    org::OrgName,
    server::{start, Config, Running},
    sites::Sites,
    storage::{sqlite::SqliteStorage, Access, AppendOutcome, Storage, TokenInfo},
};
