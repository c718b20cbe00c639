//! The only module that touches the browser: IndexedDB, the WebSocket, timers, the
//! network state, the service worker and the storage-persistence request.

pub mod driver;
pub mod files;
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

/// Marks a moment on the page's performance timeline (User Timing), for the browser
/// benchmark (`make bench-client`) and DevTools. Names hold document ids at most, never
/// contents. Without a timeline there is simply no mark.
pub fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(name);
    }
}

/// Measures the time from the mark `since` to now as `name`, like [`mark`].
pub fn measure(name: &str, since: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.measure_with_start_mark(name, since);
    }
}

/// Bytes from the browser's cryptographic random source (`crypto.getRandomValues`), for
/// salts and set-up codes.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0; N];
    getrandom::fill(&mut bytes).expect("the browser has a random source");
    bytes
}

/// A random seed for the reconnect jitter.
pub fn random_seed() -> u64 {
    (js_sys::Math::random() * u64::MAX as f64) as u64
}

/// The device's offset from UTC in minutes (east positive) at a wall-clock time, for
/// exports that need one: summer time makes it differ from one date to another.
pub fn utc_offset_minutes(at: chrono::NaiveDateTime) -> i32 {
    use chrono::{Datelike, Timelike};
    let date = js_sys::Date::new_with_year_month_day_hr_min_sec(
        at.year() as u32,
        at.month0() as i32,
        at.day() as i32,
        at.hour() as i32,
        at.minute() as i32,
        0,
    );
    -(date.get_timezone_offset() as i32)
}

/// Hands `text` to the browser as a file download named `name`.
pub fn download(name: &str, mime: &str, text: &str) -> Result<(), String> {
    use wasm_bindgen::JsCast;
    let fail = |e: wasm_bindgen::JsValue| format!("the browser refused the download ({e:?})");
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(fail)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(fail)?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document to download from")?;
    let link = document
        .create_element("a")
        .map_err(fail)?
        .dyn_into::<web_sys::HtmlAnchorElement>()
        .map_err(|_| "no link element".to_string())?;
    link.set_href(&url);
    link.set_download(name);
    link.click();
    // Freed a little later: revoking at once can cancel the download in some browsers.
    gloo::timers::callback::Timeout::new(10_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
    Ok(())
}

/// Opens the browser's print dialog (the print stylesheet shows only the day sheet).
pub fn print() {
    // A sheet's class left behind by a browser that never said printing was over.
    let body = gloo::utils::body();
    let list = body.class_list();
    let stale: Vec<String> = (0..list.length())
        .filter_map(|i| list.item(i))
        .filter(|c| c.starts_with("printing-"))
        .collect();
    for class in stale {
        let _ = list.remove_1(&class);
    }
    print_dialog();
}

fn print_dialog() {
    if let Some(window) = web_sys::window() {
        let _ = window.print();
    }
}

/// Prints with `class` on the page's body, so that the print style shows one sheet alone
/// (a purchase order); the class goes once printing is over (`afterprint`: on phones the
/// print dialog returns before the page is printed).
pub fn print_with(class: &str) {
    let body = gloo::utils::body();
    let _ = body.class_list().add_1(class);
    let class = class.to_string();
    let done = wasm_bindgen::closure::Closure::once_into_js(move || {
        let _ = gloo::utils::body().class_list().remove_1(&class);
        gloo::utils::window().set_onafterprint(None);
    });
    use wasm_bindgen::JsCast;
    gloo::utils::window().set_onafterprint(Some(done.unchecked_ref()));
    print_dialog();
}
