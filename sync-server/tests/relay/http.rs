//! The relay's HTTP face: the built client with its cache and security headers, served
//! precompressed as the browser accepts, and a relay that works without a built client.

use std::net::SocketAddr;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::{relay, relay_with, Limits};

pub(crate) async fn get(addr: SocketAddr, path: &str) -> (u16, Vec<(String, String)>, Vec<u8>) {
    get_accepting(addr, path, None).await
}

/// A GET with an `Accept-Encoding` header, as a browser sends it.
async fn get_accepting(
    addr: SocketAddr,
    path: &str,
    encodings: Option<&str>,
) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let accept = encodings.map_or(String::new(), |e| format!("Accept-Encoding: {e}\r\n"));
    get_with(addr, path, &accept).await
}

/// A GET with `extra` header lines (each ending in CRLF).
async fn get_with(
    addr: SocketAddr,
    path: &str,
    extra: &str,
) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let request =
        format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n{extra}Connection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.expect("read");
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("end of headers");
    let head = String::from_utf8(response[..split].to_vec()).expect("ASCII head");
    let mut lines = head.lines();
    let status = lines.next().expect("status line")[9..12]
        .parse()
        .expect("status");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    (status, headers, response[split + 4..].to_vec())
}

pub(crate) fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

#[tokio::test]
async fn the_client_is_served_with_cache_and_security_headers() {
    let dist = tempfile::tempdir().expect("temp dir");
    let inline =
        "import init from '/app-0123456789abcdef.js'; init('/app-0123456789abcdef_bg.wasm');";
    let index = format!(
        "<!doctype html><html><head><script type=\"module\">{inline}</script>\
         <link rel=\"stylesheet\" href=\"/style-fedcba9876543210.css\"></head><body></body></html>"
    );
    let files: [(&str, &[u8]); 5] = [
        ("index.html", index.as_bytes()),
        (
            "app-0123456789abcdef.js",
            b"export default function init() {}",
        ),
        ("app-0123456789abcdef_bg.wasm", b"\0asm\x01\0\0\0"),
        ("manifest.webmanifest", b"{}"),
        ("sw.js", b"self.addEventListener('fetch', () => {});"),
    ];
    for (name, content) in files {
        std::fs::write(dist.path().join(name), content).expect("write dist file");
    }
    let r = relay_with(Some(dist.path()), Limits::default()).await;
    let inline_hash = format!(
        "'sha256-{}'",
        STANDARD.encode(Sha256::digest(inline.as_bytes()))
    );

    let immutable = "public, max-age=31536000, immutable";
    let addr = r.addr();
    let check = |path: &'static str,
                 status: u16,
                 cache: &'static str,
                 content_type: Option<&'static str>| {
        let inline_hash = inline_hash.clone();
        async move {
            let (got, headers, body) = get(addr, path).await;
            assert_eq!(got, status, "{path}");
            assert_eq!(header(&headers, "cache-control"), Some(cache), "{path}");
            let csp = header(&headers, "content-security-policy").expect("CSP on every response");
            assert!(
                csp.contains(&format!(
                    "script-src 'self' 'wasm-unsafe-eval' {inline_hash};"
                )),
                "{path}: {csp}"
            );
            assert!(!csp.contains("unsafe-inline"), "{csp}");
            assert_eq!(header(&headers, "x-content-type-options"), Some("nosniff"));
            assert_eq!(header(&headers, "referrer-policy"), Some("no-referrer"));
            if let Some(content_type) = content_type {
                assert_eq!(
                    header(&headers, "content-type"),
                    Some(content_type),
                    "{path}"
                );
            }
            body
        }
    };
    let root = check("/", 200, "no-cache", None).await;
    assert_eq!(root, index.as_bytes());
    check("/index.html", 200, "no-cache", None).await;
    // A route of the client gets the page, so that a reload on it works.
    let route = check("/today/desk", 200, "no-cache", None).await;
    assert_eq!(route, index.as_bytes());
    check("/app-0123456789abcdef.js", 200, immutable, None).await;
    check(
        "/app-0123456789abcdef_bg.wasm",
        200,
        immutable,
        Some("application/wasm"),
    )
    .await;
    check(
        "/manifest.webmanifest",
        200,
        "no-cache",
        Some("application/manifest+json"),
    )
    .await;
    check("/sw.js", 200, "no-cache", None).await;
    // A missing asset is a 404 that nobody caches, not the page.
    check("/app-ffffffffffffffff.js", 404, "no-cache", None).await;
    let health = check("/healthz", 200, "no-cache", None).await;
    assert_eq!(health, b"ok");
}

#[tokio::test]
async fn the_client_is_served_precompressed_as_the_browser_accepts() {
    let dist = tempfile::tempdir().expect("temp dir");
    let wasm = "app-0123456789abcdef_bg.wasm";
    let files: [(&str, &[u8]); 4] = [
        (
            "index.html",
            b"<!doctype html><html><head></head><body></body></html>",
        ),
        (wasm, b"\0asm plain"),
        ("app-0123456789abcdef_bg.wasm.br", b"brotli bytes"),
        ("app-0123456789abcdef_bg.wasm.gz", b"gzip bytes"),
    ];
    for (name, content) in files {
        std::fs::write(dist.path().join(name), content).expect("write dist file");
    }
    let r = relay_with(Some(dist.path()), Limits::default()).await;
    let path = format!("/{wasm}");
    let check =
        |accept: Option<&'static str>, encoding: Option<&'static str>, body: &'static [u8]| {
            let path = path.clone();
            let addr = r.addr();
            async move {
                let (status, headers, got) = get_accepting(addr, &path, accept).await;
                assert_eq!(status, 200, "{accept:?}");
                assert_eq!(header(&headers, "content-encoding"), encoding, "{accept:?}");
                assert_eq!(got, body, "{accept:?}");
                // Whatever the encoding, the type and the cache policy are the file's own.
                assert_eq!(header(&headers, "content-type"), Some("application/wasm"));
                assert_eq!(
                    header(&headers, "cache-control"),
                    Some("public, max-age=31536000, immutable")
                );
                assert!(header(&headers, "vary").is_some_and(|v| v.contains("accept-encoding")));
            }
        };
    check(Some("gzip, deflate, br, zstd"), Some("br"), b"brotli bytes").await;
    check(Some("gzip"), Some("gzip"), b"gzip bytes").await;
    check(Some("br;q=0, gzip"), Some("gzip"), b"gzip bytes").await;
    check(None, None, b"\0asm plain").await;
}

#[tokio::test]
async fn without_a_built_client_the_relay_still_works() {
    let missing = tempfile::tempdir().expect("temp dir");
    let r = relay_with(Some(&missing.path().join("dist")), Limits::default()).await;
    let (status, headers, body) = get(r.addr(), "/").await;
    assert_eq!(status, 503);
    assert!(String::from_utf8_lossy(&body).contains("not built"));
    assert!(header(&headers, "content-security-policy").is_some());
    let (status, _, body) = get(r.addr(), "/healthz").await;
    assert_eq!((status, body.as_slice()), (200, &b"ok"[..]));
    let token = r.token("clinic").await;
    let mut desk = r.device("desk_a", &token).await;
    desk.push("d", b"x").await;
    assert_eq!(desk.ack().await, 1);
}

#[tokio::test]
async fn behind_a_tls_proxy_every_answer_asks_for_https_only() {
    let r = relay().await;
    let (status, headers, _) = get_with(r.addr(), "/healthz", "X-Forwarded-Proto: https\r\n").await;
    assert_eq!(status, 200);
    assert_eq!(
        header(&headers, "strict-transport-security"),
        Some("max-age=31536000")
    );
    // Over plain HTTP the header would be ignored by browsers, and is not sent.
    let (_, headers, _) = get(r.addr(), "/healthz").await;
    assert_eq!(header(&headers, "strict-transport-security"), None);
}

#[tokio::test]
async fn liveness_and_readiness_answer_apart() {
    let r = relay().await;
    let (status, _, body) = get(r.addr(), "/healthz/live").await;
    assert_eq!((status, body.as_slice()), (200, &b"ok"[..]));
    let (status, _, body) = get(r.addr(), "/healthz").await;
    assert_eq!((status, body.as_slice()), (200, &b"ok"[..]));
}
