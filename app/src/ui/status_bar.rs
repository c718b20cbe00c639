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
    let last = move || match ctx.status.get().last_sync_ms {
        Some(ms) => {
            let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
            format!(
                "Last sync {:02}:{:02}:{:02}",
                date.get_hours(),
                date.get_minutes(),
                date.get_seconds()
            )
        }
        None => "Not synced yet".to_string(),
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
