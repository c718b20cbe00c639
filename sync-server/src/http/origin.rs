//! The Origin check on the WebSocket upgrade.
//!
//! Browsers send `Origin` with every WebSocket handshake and do not apply the same-origin
//! policy to WebSockets, so without this check any web page a receptionist opens could
//! talk to the relay from her browser. Only the page the relay itself serves may connect:
//! the Origin's host and port must be the request's `Host`. Native clients (the tests, a
//! future desktop tool) send no Origin and are let through; they must still present a
//! token like everyone else. A reverse proxy in front must keep the `Host` header.

use axum::http::uri::{Authority, Scheme};
use axum::http::{HeaderValue, Uri};

/// Whether a handshake with these `Origin` and `Host` headers may proceed.
pub fn allowed(origin: Option<&HeaderValue>, host: Option<&HeaderValue>) -> bool {
    let Some(origin) = origin else {
        return true;
    };
    let (Ok(origin), Some(Ok(host))) = (origin.to_str(), host.map(HeaderValue::to_str)) else {
        return false;
    };
    // `Origin: null` (sandboxed frames, file pages) fails to parse here and is refused.
    let Ok(origin) = origin.parse::<Uri>() else {
        return false;
    };
    let (Some(scheme), Some(origin_authority)) = (origin.scheme(), origin.authority()) else {
        return false;
    };
    let Ok(host) = host.parse::<Authority>() else {
        return false;
    };
    let default_port = if *scheme == Scheme::HTTPS {
        443
    } else if *scheme == Scheme::HTTP {
        80
    } else {
        return false;
    };
    origin_authority.host().eq_ignore_ascii_case(host.host())
        && origin_authority.port_u16().unwrap_or(default_port)
            == host.port_u16().unwrap_or(default_port)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(origin: Option<&str>, host: Option<&str>, expected: bool) {
        let origin = origin.map(|o| HeaderValue::from_str(o).expect("header"));
        let host = host.map(|h| HeaderValue::from_str(h).expect("header"));
        assert_eq!(
            allowed(origin.as_ref(), host.as_ref()),
            expected,
            "Origin {origin:?}, Host {host:?}"
        );
    }

    #[test]
    fn same_origin_or_no_origin_only() {
        check(None, Some("relay.example:8080"), true);
        check(None, None, true);
        check(
            Some("http://relay.example:8080"),
            Some("relay.example:8080"),
            true,
        );
        check(
            Some("http://RELAY.example:8080"),
            Some("relay.example:8080"),
            true,
        );
        check(Some("https://relay.example"), Some("relay.example"), true);
        check(
            Some("https://relay.example:443"),
            Some("relay.example"),
            true,
        );
        check(Some("http://relay.example"), Some("relay.example:80"), true);
        check(Some("http://[::1]:8080"), Some("[::1]:8080"), true);
        check(Some("http://127.0.0.1:8080"), Some("127.0.0.1:8080"), true);

        check(
            Some("http://evil.example:8080"),
            Some("relay.example:8080"),
            false,
        );
        check(
            Some("http://relay.example:8081"),
            Some("relay.example:8080"),
            false,
        );
        check(
            Some("https://relay.example"),
            Some("relay.example:80"),
            false,
        );
        check(
            Some("http://relay.example.evil:8080"),
            Some("relay.example:8080"),
            false,
        );
        check(Some("http://localhost:8080"), Some("127.0.0.1:8080"), false);
        check(Some("null"), Some("relay.example"), false);
        check(Some(""), Some("relay.example"), false);
        check(Some("ftp://relay.example"), Some("relay.example"), false);
        check(Some("http://relay.example"), None, false);
    }
}
