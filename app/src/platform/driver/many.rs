//! Edits across several documents: a stock movement changes a site's counters and the
//! month's log, a transfer two sites' documents, and every part lands or none does.

use automerge::AutoCommit;
use protocol::DocId;

use super::{mark, Driver, Notice};
use crate::platform::now_ms;
use model::{DocKind, DocumentError};

impl Driver {
    /// Runs one local edit across several documents (a stock movement: the site's counters
    /// and the month's log). Every document takes its part or none does, on screen and in
    /// storage alike: the bundles are stored in one IndexedDB transaction. Documents not
    /// open yet answer [`DocumentError::Loading`] and are read from storage meanwhile.
    pub fn edit_many<T>(
        &self,
        docs: &[DocId],
        edit: impl FnOnce(&mut [&mut AutoCommit]) -> Result<T, DocumentError>,
    ) -> Result<T, DocumentError> {
        self.refuse_if_blocked()?;
        let mut loading = None;
        for doc in docs {
            if !self.is_open(doc) {
                loading = Some(self.load_in_background(doc));
            }
        }
        if let Some(e) = loading {
            return Err(e);
        }
        let (value, bundles, effects) =
            self.0
                .borrow_mut()
                .replica
                .edit_many(docs, now_ms(), edit)?;
        self.carry_out(effects);
        if bundles.is_empty() {
            return Ok(value);
        }
        let (store, notify) = {
            let state = self.0.borrow();
            (state.store.clone(), state.notify.clone())
        };
        for (doc, _) in &bundles {
            notify(Notice::Changed(doc.clone()));
        }
        let driver = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            match store.save_local_many(&bundles).await {
                Ok(()) => mark("front-desk:edit-stored"),
                Err(e) => notify(Notice::Problem(format!("This edit could not be saved on this device ({e}). It is on screen and is sent while the app stays open: keep it open until the status says all saved."))),
            }
            for (doc, bundle) in bundles {
                let effects = driver.0.borrow_mut().replica.queue(&doc, bundle, now_ms());
                driver.carry_out(effects);
                driver.count_increments(&doc, 1);
            }
        });
        Ok(value)
    }

    /// [`Driver::edit_many`] once every document is open, reading them from storage first.
    pub async fn edit_many_loaded<T>(
        &self,
        docs: &[DocId],
        edit: impl FnOnce(&mut [&mut AutoCommit]) -> Result<T, DocumentError>,
    ) -> Result<T, DocumentError> {
        for doc in docs {
            if DocKind::parse(doc).is_none() {
                return Err(DocumentError::UnknownKind(doc.to_string()));
            }
            self.load(doc).await?;
        }
        self.edit_many(docs, edit)
    }
}
