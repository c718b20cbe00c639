//! The only module that touches the browser: IndexedDB, the WebSocket, timers, the
//! network state, the service worker and the storage-persistence request.

pub mod driver;
pub mod idb;
pub mod pwa;

/// Milliseconds since the epoch, from the browser's clock.
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// The wall-clock time at the device, which is the site's time for a desk at the site.
pub fn local_now() -> chrono::NaiveDateTime {
    chrono::Local::now().naive_local()
}

/// A random seed for the reconnect jitter.
pub fn random_seed() -> u64 {
    (js_sys::Math::random() * u64::MAX as f64) as u64
}
