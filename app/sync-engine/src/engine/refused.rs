//! One document or push the relay refused on a connection that stays open: to the token
//! (a site it is not enrolled for), for now (a bound on what one connection follows), or
//! for lack of room (the organisation's storage quota).

use protocol::{DocId, ErrorCode};

use super::{Effect, Engine, STORAGE_FULL_RETRY_MS};

impl Engine {
    pub(super) fn refused_by_relay(&mut self, doc: DocId, code: ErrorCode, out: &mut Vec<Effect>) {
        match code {
            // The organisation's quota, not this document's: nothing more goes out for a
            // while, and what was pushed and refused is pushed again then.
            ErrorCode::QuotaExceeded => {
                self.in_flight.clear();
                if !self.storage_full {
                    self.storage_full = true;
                    out.push(Effect::StorageFull {
                        retry_after_ms: STORAGE_FULL_RETRY_MS,
                    });
                }
            }
            // A bound of the relay on what one connection follows, not of the token:
            // following it is tried again next connection, and its edits still go out (a
            // push follows nothing).
            ErrorCode::Busy => {
                if self.deferred.insert(doc.clone()) {
                    out.push(Effect::Deferred { doc });
                }
            }
            _ => {
                if let Some(state) = self.docs.get(&doc) {
                    for bundle in &state.outbox {
                        self.in_flight.remove(&bundle.hash);
                    }
                }
                if self.refused.insert(doc.clone()) {
                    out.push(Effect::Refused { doc });
                }
                self.fill_window(out);
            }
        }
    }
}
