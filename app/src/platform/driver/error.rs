//! Why a document could not be opened on this device. The sentence a person reads is made
//! where the error is shown; these say what went wrong, never what the document holds.

use model::DocumentError;

use crate::platform::idb::StoreError;
use crate::words::say;

/// A document could not be opened: storage failed, or the document itself is not one this
/// version can open.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error(transparent)]
    Storage(#[from] StoreError),
    #[error("{}", say(.0))]
    Document(#[from] DocumentError),
}

impl From<LoadError> for DocumentError {
    fn from(e: LoadError) -> Self {
        match e {
            LoadError::Document(e) => e,
            LoadError::Storage(e) => DocumentError::Write(e.to_string()),
        }
    }
}

/// A stored copy that cannot be opened: it is set aside and fetched again from the relay,
/// keeping the edits still waiting to be sent.
#[derive(Debug, thiserror::Error)]
pub enum Damaged {
    #[error("a stored record was not readable")]
    Record,
    #[error("{0} stored records were not readable")]
    Records(usize),
    #[error("{}", say(.0))]
    Document(#[from] DocumentError),
}
