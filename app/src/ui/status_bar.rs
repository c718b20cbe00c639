//! The sync status, always visible: online or not, edits waiting, last successful sync.

use leptos::prelude::*;

use crate::ui::Ctx;
use sync_engine::ConnectionState;

#[component]
pub fn SyncBadge() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let class = move || {
        let state = match ctx.status.get().state {
            ConnectionState::Online => "state-online",
            ConnectionState::Offline | ConnectionState::NoToken => "state-offline",
            ConnectionState::Refused { .. } => "state-refused",
            ConnectionState::Waiting { .. } | ConnectionState::Connecting { .. } => {
                "state-connecting"
            }
        };
        format!("sync-status {state}")
    };
    // In the device's time zone, as the rest of the app shows times.
    let last = move || {
        let at = ctx.status.get().last_sync_ms.and_then(|ms| {
            chrono::DateTime::from_timestamp_millis(ms)
                .map(|t| t.with_timezone(&chrono::Local).naive_local())
        });
        crate::words::status::last_synced(at, ctx.now.get())
    };
    let refused = move || match ctx.status.get().state {
        ConnectionState::Refused { message } => Some(view! {
            <p class="field-error">
                "The relay refused this device's access (" {message} "). Ask the office manager for a new link, then enter it in Settings."
            </p>
        }),
        _ => None,
    };
    view! {
        <div class="sync">
            <span class=class data-testid="sync-status" role="status" aria-live="polite">
                {move || ctx.status.get().summary()}
            </span>
            <span class="last-sync" data-testid="last-sync">{last}</span>
            {refused}
        </div>
    }
}
