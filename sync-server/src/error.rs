//! The relay's one error type.
//!
//! Storage, start-up and HTTP handlers all return [`Error`]. Its [`IntoResponse`] logs the
//! details and answers with a generic text, because an internal error message may name
//! files, SQL or organisations that a browser has no business seeing.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// Everything that can go wrong inside the relay.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("database: {0}")]
    Database(#[from] rusqlite::Error),
    #[error("PostgreSQL: {}", crate::storage::postgres::why(.0))]
    Postgres(#[from] tokio_postgres::Error),
    /// The database could not be reached or set up (never with the connection string,
    /// which may hold a password).
    #[error("{0}")]
    Setup(String),
    #[error("the database was written by a newer relay (schema version {found}, this relay knows {known})")]
    SchemaTooNew { found: i64, known: i64 },
    #[error("the database holds a value this relay cannot read: {0}")]
    Corrupt(String),
    #[error("input/output: {0}")]
    Io(#[from] std::io::Error),
    #[error("a storage task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
    #[error("the operating system's random number generator failed: {0}")]
    Random(String),
    #[error("{0}")]
    InvalidOrgName(#[from] crate::org::InvalidOrgName),
    #[error("{0}")]
    InvalidSites(#[from] crate::sites::InvalidSites),
    /// A push not stored: its organisation's storage quota is full. The device is told with
    /// `Refused { QuotaExceeded }` and its connection goes on.
    #[error("{0}")]
    OverQuota(crate::storage::OverQuota),
    /// An error another task met (a commit shared with other pushes, the first read of a
    /// document's log), passed on as its text.
    #[error("{0}")]
    Passed(String),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: std::net::SocketAddr,
        source: std::io::Error,
    },
}

impl Error {
    /// Whether the database refused what it was given (a constraint, a value it cannot
    /// hold) rather than failed to work (unreachable, out of room, timed out): the one kind
    /// of failure another try with other data may not meet.
    pub fn is_about_the_data(&self) -> bool {
        match self {
            Self::Database(rusqlite::Error::SqliteFailure(e, _)) => matches!(
                e.code,
                rusqlite::ErrorCode::ConstraintViolation
                    | rusqlite::ErrorCode::TooBig
                    | rusqlite::ErrorCode::TypeMismatch
            ),
            // SQLSTATE classes 22 (data exception) and 23 (integrity constraint violation).
            Self::Postgres(e) => e
                .code()
                .is_some_and(|c| c.code().starts_with("22") || c.code().starts_with("23")),
            _ => false,
        }
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        match self {
            Self::InvalidOrgName(e) => (StatusCode::BAD_REQUEST, e.to_string()).into_response(),
            internal => {
                tracing::error!(error = %internal, "request failed");
                (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_refusal_of_the_data_is_about_the_data() {
        let constraint = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CONSTRAINT),
            None,
        );
        assert!(Error::Database(constraint).is_about_the_data());
        let busy = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
            None,
        );
        assert!(!Error::Database(busy).is_about_the_data());
        let full = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_FULL),
            None,
        );
        assert!(!Error::Database(full).is_about_the_data());
        assert!(!Error::Setup("no PostgreSQL connection".into()).is_about_the_data());
    }
}
