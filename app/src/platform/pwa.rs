//! Installable-app glue: the service worker, persistent storage and the access link.

use wasm_bindgen_futures::JsFuture;

/// Registers `/sw.js`, which keeps the app and the last known state openable offline.
pub fn register_service_worker() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let container = window.navigator().service_worker();
    let promise = container.register("/sw.js");
    wasm_bindgen_futures::spawn_local(async move {
        if JsFuture::from(promise).await.is_err() {
            gloo::console::warn!("The offline copy of the app could not be installed.");
        }
    });
}

/// Asks the browser not to evict this origin's storage under pressure. Returns whether it
/// was granted (browsers may decide without asking the person).
pub async fn request_persistent_storage() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let storage = window.navigator().storage();
    let Ok(promise) = storage.persist() else {
        return false;
    };
    JsFuture::from(promise)
        .await
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}

/// What a link to set a device up carries in its fragment: `#token=…&enrol=…` (or, from
/// an older version, `#token=…&key=…`).
#[derive(Default)]
pub struct Link {
    pub token: Option<String>,
    /// The organisation's keys, as `sync_engine::seal::Keyring::to_text` wrote them: links
    /// made before device keys carried them.
    pub key: Option<String>,
    /// The link's one-time enrolment secret, as hex: this device proves its public key with
    /// it, and the manager's device that made the link approves it.
    pub enrol: Option<String>,
}

/// Takes the access token and the organisation's keys from the address's fragment (which
/// the browser never sends to a server) and removes them from the address bar and history,
/// so that they are not left on screen or in a bookmark.
pub fn take_link_from_address() -> Link {
    let Some(window) = web_sys::window() else {
        return Link::default();
    };
    let location = window.location();
    let hash = location.hash().unwrap_or_default();
    let Some(fragment) = hash.strip_prefix('#') else {
        return Link::default();
    };
    let find = |name: &str| {
        fragment
            .split('&')
            .find_map(|pair| pair.strip_prefix(name))
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    };
    let link = Link {
        token: find("token="),
        key: find("key="),
        enrol: find("enrol="),
    };
    if link.token.is_some() || link.key.is_some() || link.enrol.is_some() {
        let path = location.pathname().unwrap_or_else(|_| "/".into());
        if let Ok(history) = window.history() {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path));
        }
    }
    link
}

/// The relay's WebSocket address, on the host that served the app.
pub fn sync_url() -> Option<String> {
    let location = web_sys::window()?.location();
    let scheme = if location.protocol().ok()? == "https:" {
        "wss"
    } else {
        "ws"
    };
    Some(format!("{scheme}://{}/sync", location.host().ok()?))
}

/// Whether the browser believes it has a network.
pub fn is_online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}
