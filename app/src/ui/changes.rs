//! A record's own history, from its document's changes: when, who and at which device each
//! change to a card or a shift was made. Read when asked for ("Show changes"), as it walks
//! the document's whole history.

use chrono::TimeZone;
use leptos::prelude::*;
use protocol::DocId;

use crate::ui::{directory_memo, Ctx};
use model::access::stamp::named;
use model::audit::record_changes;

/// One change, as listed: "3 Dec 09:14", "Casey Smith at Front desk 1".
#[derive(Clone, PartialEq)]
struct Line {
    when: String,
    by: String,
}

impl Ctx {
    /// Reads the metadata of `doc`'s changes (who made which object): like [`Ctx::read`],
    /// through the Automerge document inside, which gives it without copying changes out.
    pub fn read_history<T>(
        &self,
        doc: &DocId,
        read: impl FnOnce(&automerge::Automerge) -> T,
    ) -> Option<T> {
        self.changes.track(doc);
        let read = self
            .driver
            .with_value(|d| d.follow(doc, |document| read(document.inner())));
        read.ok()
    }
}

#[component]
pub fn RecordChanges(doc: DocId, map: &'static str, id: String) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let directory = directory_memo(ctx);
    let open = RwSignal::new(false);
    let lines = Memo::new(move |_| {
        if !open.get() {
            return Vec::new();
        }
        let list = ctx
            .read(&doc, |am| record_changes(&mut am.clone(), map, &id))
            .unwrap_or_default();
        directory.with(|d| {
            list.into_iter()
                .rev()
                .map(|c| {
                    let by = match &c.staff {
                        Some(staff) => named(staff, c.device.as_deref(), d),
                        None => "Nobody signed in".to_string(),
                    };
                    let when = chrono::Local
                        .timestamp_opt(c.at_secs, 0)
                        .single()
                        .map(|t| t.format("%-d %b %H:%M").to_string())
                        .unwrap_or_default();
                    Line { when, by }
                })
                .collect()
        })
    });
    view! {
        <section class="record-changes">
            <button type="button" class="link" aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)>
                {move || if open.get() { "Hide changes" } else { "Show changes" }}
            </button>
            <Show when=move || open.get()>
                <ol class="history" data-testid="record-changes" aria-label="Changes">
                    {move || lines.get().into_iter().map(|l| view! {
                        <li><span class="when">{l.when}</span>" · "<span class="by">{l.by}</span></li>
                    }).collect_view()}
                </ol>
            </Show>
        </section>
    }
}
