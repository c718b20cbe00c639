//! What views share besides `Ctx` itself: the signals the driver feeds ([`Signals`]), a
//! change signal per document, which every read through `Ctx` tracks, and the places of
//! the areas (what each shows and has open).

use std::collections::HashMap;

use std::rc::Rc;

use leptos::prelude::*;
use protocol::DocId;
use sync_engine::{ConnectionState, SyncStatus};

use crate::platform::driver::{Devices, Notice};

/// The signals the driver feeds: made before it starts, so that its first notices land.
#[derive(Clone, Copy)]
pub struct Signals {
    pub status: RwSignal<SyncStatus>,
    pub changes: Changes,
    pub problems: RwSignal<Vec<String>>,
    /// The organisation's device tokens, once a manager's device asked the relay.
    pub devices: RwSignal<Option<Devices>>,
}

impl Signals {
    pub fn new() -> Self {
        Self {
            status: RwSignal::new(SyncStatus {
                state: ConnectionState::Connecting { attempt: 0 },
                waiting: 0,
                last_sync_ms: None,
            }),
            changes: Changes::new(),
            problems: RwSignal::new(Vec::new()),
            devices: RwSignal::new(None),
        }
    }

    /// What the driver calls with each notice.
    pub fn notify(self) -> Rc<dyn Fn(Notice)> {
        Rc::new(move |notice| match notice {
            Notice::Status(s) => self.status.set(s),
            Notice::Changed(doc) => self.changes.notify(&doc),
            Notice::Problem(p) => self.problems.update(|list| {
                if !list.contains(&p) {
                    list.push(p)
                }
            }),
            Notice::Devices(d) => self.devices.set(Some(d)),
        })
    }
}

impl Default for Signals {
    fn default() -> Self {
        Self::new()
    }
}

/// A change signal per document, made when a view first reads the document.
#[derive(Clone, Copy)]
pub struct Changes(StoredValue<HashMap<DocId, ArcTrigger>, LocalStorage>);

impl Changes {
    pub(crate) fn new() -> Self {
        Self(StoredValue::new_local(HashMap::new()))
    }

    /// Makes the reactive scope that reads `doc` run again when `doc` changes. Outside one
    /// (an event handler, an edit) there is nothing to track.
    pub fn track(&self, doc: &DocId) {
        if leptos::reactive::graph::Observer::get().is_none() {
            return;
        }
        let trigger = self.0.try_update_value(|all| {
            all.entry(doc.clone())
                .or_insert_with(ArcTrigger::new)
                .clone()
        });
        if let Some(trigger) = trigger {
            trigger.track();
        }
    }

    /// `doc` has changed (or finished loading): its readers run again.
    pub fn notify(&self, doc: &DocId) {
        if let Some(trigger) = self.0.with_value(|all| all.get(doc).cloned()) {
            trigger.notify();
        }
    }
}

/// An area's place (what it shows, what is open in it): the one the shell provides, or, for
/// a view mounted alone (the view tests), one made and provided here. Call it while a view
/// is made, not in an event handler, where there is no context to find.
pub fn area_place<T: Copy + Send + Sync + 'static>(make: impl FnOnce() -> T) -> T {
    use_context::<T>().unwrap_or_else(|| {
        let place = make();
        provide_context(place);
        place
    })
}
