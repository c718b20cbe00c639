//! Snapshots for the relay: when it asks for one (its log of a document has grown long),
//! the device sends the document sealed, if it can vouch that it holds exactly the log up
//! to its cursor (`Replica::snapshot_for_relay`); the relay then serves it to devices that
//! catch up and drops the entries it covers.

use protocol::DocId;
use sync_engine::Event;

use super::Driver;

impl Driver {
    pub(super) fn snapshot_wanted(&self, doc: &DocId) {
        let snapshot = self.0.borrow_mut().replica.snapshot_for_relay(doc);
        if let Some(message) = snapshot {
            self.feed(Event::Ask(message));
        }
    }
}
