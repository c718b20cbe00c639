//! The driver's connection to the relay: one WebSocket at a time, whose events go to the
//! engine tagged with the connection they belong to, and the browser's online and offline
//! events.

use gloo::timers::callback::Timeout;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{BinaryType, MessageEvent, WebSocket};

use super::Driver;
use crate::platform::pwa;
use sync_engine::Event;

pub(super) struct Socket {
    ws: WebSocket,
    // Held so the callbacks live as long as the socket.
    _callbacks: Vec<Closure<dyn FnMut(web_sys::Event)>>,
}

impl Socket {
    /// Sends one frame; a socket that is closing drops it, and the engine re-sends.
    pub(super) fn send(&self, bytes: &[u8]) {
        let _ = self.ws.send_with_u8_array(bytes);
    }

    /// Closes the socket. Its callbacks are detached first, so that the browser never calls
    /// a dropped one, and dropped on a later turn of the event loop, because one of them may
    /// be running right now (a frame that made the engine close this very socket).
    pub(super) fn close(self) {
        self.ws.set_onopen(None);
        self.ws.set_onmessage(None);
        self.ws.set_onclose(None);
        let _ = self.ws.close();
        Timeout::new(0, move || drop(self)).forget();
    }
}

impl Driver {
    pub(super) fn connect(&self, conn: u64) {
        let Some(url) = pwa::sync_url() else { return };
        let ws = match WebSocket::new(&url) {
            Ok(ws) => ws,
            Err(_) => {
                let driver = self.clone();
                Timeout::new(0, move || driver.feed(Event::Disconnected { conn })).forget();
                return;
            }
        };
        ws.set_binary_type(BinaryType::Arraybuffer);
        let mut callbacks = Vec::new();
        let on = |driver: Driver, make: fn(u64, web_sys::Event) -> Option<Event>| {
            Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
                if let Some(event) = make(conn, e) {
                    driver.feed(event);
                }
            })
        };
        let open = on(self.clone(), |conn, _| Some(Event::Connected { conn }));
        let close = on(self.clone(), |conn, _| Some(Event::Disconnected { conn }));
        let message = on(self.clone(), |conn, e| {
            let data = e.dyn_into::<MessageEvent>().ok()?.data();
            let buffer = data.dyn_into::<js_sys::ArrayBuffer>().ok()?;
            Some(Event::Frame {
                conn,
                bytes: js_sys::Uint8Array::new(&buffer).to_vec(),
            })
        });
        ws.set_onopen(Some(open.as_ref().unchecked_ref()));
        ws.set_onclose(Some(close.as_ref().unchecked_ref()));
        ws.set_onmessage(Some(message.as_ref().unchecked_ref()));
        callbacks.extend([open, close, message]);
        let old = self.0.borrow_mut().socket.replace(Socket {
            ws,
            _callbacks: callbacks,
        });
        if let Some(old) = old {
            old.close();
        }
    }

    pub(super) fn listen_to_network(&self) {
        let Some(window) = web_sys::window() else {
            return;
        };
        for (name, up) in [("online", true), ("offline", false)] {
            let driver = self.clone();
            let callback = Closure::<dyn FnMut()>::new(move || {
                driver.feed(if up {
                    Event::NetworkUp
                } else {
                    Event::NetworkDown
                })
            });
            let _ =
                window.add_event_listener_with_callback(name, callback.as_ref().unchecked_ref());
            // The listeners live as long as the page.
            callback.forget();
        }
    }
}
