//! How both engines read their columns back: times as seconds since the epoch, sequence
//! numbers, organisation names and site scopes; a value that does not read is reported as
//! a corrupt database, never a panic.

use chrono::{DateTime, Utc};

use crate::org::OrgName;
use crate::sites::Sites;
use crate::Error;

/// Now, as the engines store times: whole seconds since the epoch.
pub(super) fn now() -> i64 {
    Utc::now().timestamp()
}

pub(super) fn time(seconds: i64) -> Result<DateTime<Utc>, Error> {
    DateTime::from_timestamp(seconds, 0)
        .ok_or_else(|| Error::Corrupt(format!("timestamp {seconds} is out of range")))
}

pub(super) fn seq_from_sql(seq: i64) -> Result<u64, Error> {
    u64::try_from(seq).map_err(|_| Error::Corrupt(format!("negative sequence number {seq}")))
}

/// A sequence number as a signed 64-bit column holds it; one beyond that is beyond every
/// entry.
pub(super) fn seq_to_sql(seq: u64) -> i64 {
    i64::try_from(seq).unwrap_or(i64::MAX)
}

pub(super) fn org_from_sql(name: String) -> Result<OrgName, Error> {
    OrgName::new(name).map_err(|e| Error::Corrupt(e.to_string()))
}

pub(super) fn sites_from_sql(sites: Option<&str>) -> Result<Sites, Error> {
    Sites::from_stored(sites).map_err(|e| Error::Corrupt(e.to_string()))
}
