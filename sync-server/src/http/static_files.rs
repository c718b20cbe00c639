//! Serving the built client from `dist/`, with the headers every response carries.
//!
//! Cache rules follow from Trunk's output: files whose name carries a content hash
//! (`app-1a2b3c4d5e6f7a8b.js`) never change, so browsers may keep them for a year without
//! asking; everything else, above all `index.html` and the service worker, must be
//! revalidated so that a new release reaches the desks on their next load.

use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, REFERRER_POLICY, VARY,
    X_CONTENT_TYPE_OPTIONS,
};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

use super::csp;
use crate::Error;

/// The built client, if there is one, and the policy that goes with it.
#[derive(Clone, Debug)]
pub struct StaticFiles {
    /// The `dist` directory, if it holds an `index.html`.
    dist: Option<PathBuf>,
    csp: Arc<Policy>,
}

/// The Content-Security-Policy, which allows exactly the inline scripts of the current
/// `index.html`. It is worked out again when the file changes, so that a client rebuilt
/// while the relay runs is not blocked by the hashes of the previous build.
#[derive(Debug)]
struct Policy {
    index: Option<PathBuf>,
    /// The modification time of `index.html` the header was made from, and the header.
    current: Mutex<(Option<SystemTime>, HeaderValue)>,
}

impl Policy {
    fn new(index: Option<PathBuf>) -> Result<Self, Error> {
        let (modified, header) = Self::read(index.as_deref())?;
        Ok(Self {
            index,
            current: Mutex::new((modified, header)),
        })
    }

    fn read(index: Option<&Path>) -> Result<(Option<SystemTime>, HeaderValue), Error> {
        let (modified, hashes) = match index {
            Some(path) => match std::fs::read_to_string(path) {
                Ok(html) => (
                    std::fs::metadata(path).and_then(|m| m.modified()).ok(),
                    csp::inline_script_hashes(&html),
                ),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => (None, Vec::new()),
                Err(e) => return Err(e.into()),
            },
            None => (None, Vec::new()),
        };
        let header = HeaderValue::from_str(&csp::policy(&hashes))
            .map_err(|e| Error::Corrupt(format!("Content-Security-Policy: {e}")))?;
        Ok((modified, header))
    }

    /// The header for `index.html` as it is now on disk.
    fn header(&self) -> HeaderValue {
        let Some(index) = &self.index else {
            return self.lock().1.clone();
        };
        let modified = std::fs::metadata(index).and_then(|m| m.modified()).ok();
        if self.lock().0 != modified {
            match Self::read(Some(index)) {
                Ok(fresh) => *self.lock() = fresh,
                // Keep serving the last good policy; the next request tries again.
                Err(error) => tracing::warn!(%error, "could not re-read index.html"),
            }
        }
        self.lock().1.clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, (Option<SystemTime>, HeaderValue)> {
        // The guarded pair is replaced whole, so a panic elsewhere cannot leave it torn.
        self.current
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl StaticFiles {
    /// Finds the built client in `dist`, if it is there, and reads its `index.html` for the
    /// hashes of its inline scripts.
    pub fn load(dist: Option<&Path>) -> Result<Self, Error> {
        let index = dist.map(|d| d.join("index.html"));
        let dist = match index.as_deref().map(Path::exists) {
            Some(true) => dist.map(Path::to_path_buf),
            Some(false) => {
                tracing::warn!(dist = ?dist, "the client is not built; serving only the relay");
                None
            }
            None => None,
        };
        let csp = Arc::new(Policy::new(dist.as_ref().map(|d| d.join("index.html")))?);
        Ok(Self { dist, csp })
    }

    /// Adds the fallback that serves the client to `router`, and the headers to every
    /// route of it.
    pub fn apply<S: Clone + Send + Sync + 'static>(&self, router: Router<S>) -> Router<S> {
        let router = match &self.dist {
            Some(dist) => {
                // Files as they are; for a path that names no file and does not look like
                // one either (`/schedule/today`, a route of the client), `index.html`.
                let index = ServeFile::new(dist.join("index.html"));
                let fallback = tower::service_fn(move |request: Request| {
                    let index = index.clone();
                    async move {
                        if looks_like_a_file(request.uri().path()) {
                            return Ok::<_, Infallible>(StatusCode::NOT_FOUND.into_response());
                        }
                        let response = index.oneshot(request).await?;
                        Ok(response.map(Body::new))
                    }
                });
                // Trunk's post-build hook writes `.br` and `.gz` copies of the wasm, JS and
                // CSS (`.ci/precompress.sh`): a browser that accepts brotli gets the smallest,
                // one that accepts only gzip the next, any other the file as built. Nothing
                // is compressed per request.
                let files = ServeDir::new(dist)
                    .precompressed_br()
                    .precompressed_gzip()
                    .fallback(fallback);
                router.fallback_service(files)
            }
            None => router.fallback(not_built),
        };
        router.layer(axum::middleware::from_fn_with_state(
            self.csp.clone(),
            add_headers,
        ))
    }
}

async fn not_built() -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [(CONTENT_TYPE, "text/plain; charset=utf-8")],
        "The Front desk client is not built yet. The relay is running; build the client \
         (see README.md) and restart the relay to serve it.\n",
    )
        .into_response()
}

fn looks_like_a_file(path: &str) -> bool {
    path.rsplit('/')
        .next()
        .is_some_and(|name| name.contains('.'))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CachePolicy {
    /// Revalidate on every use.
    NoCache,
    /// Keep for a year without asking: the name changes when the content does.
    Immutable,
}

impl CachePolicy {
    fn header(self) -> HeaderValue {
        HeaderValue::from_static(match self {
            Self::NoCache => "no-cache",
            Self::Immutable => "public, max-age=31536000, immutable",
        })
    }
}

/// How long a browser may keep the response to a request for `path`.
pub fn cache_policy(path: &str) -> CachePolicy {
    let name = path.rsplit('/').next().unwrap_or_default();
    match name {
        "" | "index.html" | "sw.js" | "manifest.webmanifest" => CachePolicy::NoCache,
        _ if has_content_hash(name) => CachePolicy::Immutable,
        _ => CachePolicy::NoCache,
    }
}

/// Whether a file name carries a content hash the way Trunk writes it: a `-`, then 8 to 16
/// hex digits (a 64-bit hash without leading zeros), then the extension or a suffix
/// (`app-…_bg.wasm`).
fn has_content_hash(name: &str) -> bool {
    name.match_indices('-').any(|(dash, _)| {
        let rest = &name[dash + 1..];
        let digits = rest.len()
            - rest
                .trim_start_matches(|c: char| c.is_ascii_hexdigit())
                .len();
        let after = &rest[digits..];
        digits >= 8 && (after.starts_with('.') || after.starts_with('_')) && after.contains('.')
    })
}

/// The content type that must not be left to guessing, for `.wasm` (browsers refuse to
/// stream-compile anything else) and the web app manifest.
fn fixed_content_type(path: &str) -> Option<&'static str> {
    if path.ends_with(".wasm") {
        Some("application/wasm")
    } else if path.ends_with(".webmanifest") {
        Some("application/manifest+json")
    } else {
        None
    }
}

async fn add_headers(State(csp): State<Arc<Policy>>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let mut response = next.run(request).await;
    let status = response.status();
    let headers = response.headers_mut();
    headers.insert(CONTENT_SECURITY_POLICY, csp.header());
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    // A 404 for a hashed name must not be kept for a year.
    let found = status.is_success() || status == StatusCode::NOT_MODIFIED;
    let policy = if found {
        cache_policy(&path)
    } else {
        CachePolicy::NoCache
    };
    headers.insert(CACHE_CONTROL, policy.header());
    if status.is_success() {
        if let Some(content_type) = fixed_content_type(&path) {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
        }
        if is_precompressed(&path) {
            // The body depends on the request's Accept-Encoding: a cache in between must
            // not hand brotli to a browser that asked for gzip.
            headers.insert(VARY, HeaderValue::from_static("accept-encoding"));
        }
    }
    response
}

/// Whether the build has compressed copies of `path` (the files `.ci/precompress.sh`
/// compresses).
fn is_precompressed(path: &str) -> bool {
    [".wasm", ".js", ".css"]
        .iter()
        .any(|ext| path.ends_with(ext))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(path: &str, expected: CachePolicy) {
        assert_eq!(cache_policy(path), expected, "{path}");
    }

    #[test]
    fn cache_policies() {
        use CachePolicy::{Immutable, NoCache};
        check("/", NoCache);
        check("/index.html", NoCache);
        check("/sw.js", NoCache);
        check("/manifest.webmanifest", NoCache);
        check("/app-1a2b3c4d5e6f7a8b.js", Immutable);
        check("/app-1a2b3c4d5e6f7a8b_bg.wasm", Immutable);
        check("/style-0123456789ABCDEF.css", Immutable);
        check("/front-desk-app-1a2b3c4d5e6f7a8b9c0d.js", Immutable);
        check("/snippets/app-1a2b3c4d5e6f7a8b/inline0.js", NoCache);
        check("/icons/icon-192.png", NoCache);
        // Trunk writes its 64-bit hash without leading zeros, so it may be shorter than 16.
        check("/app-1a2b3c4d5e6f7a8.js", Immutable);
        check("/app-0a2b3c4d.js", Immutable);
        check("/app-1a2b3c4.js", NoCache);
        check("/app-1a2b3c4d5e6f7a8g.js", NoCache);
        check("/app-1a2b3c4d5e6f7a8b", NoCache);
        check("/app.js", NoCache);
        check("/schedule/today", NoCache);
        check("/healthz", NoCache);
    }

    #[test]
    fn file_like_paths() {
        let check =
            |path: &str, expected: bool| assert_eq!(looks_like_a_file(path), expected, "{path}");
        check("/app-1a2b.js", true);
        check("/icons/icon.png", true);
        check("/", false);
        check("/schedule/today", false);
        check("/v1.2/board", false);
    }

    #[test]
    fn a_missing_client_is_not_an_error() {
        let dir = tempfile::tempdir().expect("temp dir");
        let statics = StaticFiles::load(Some(&dir.path().join("dist"))).expect("load");
        assert!(statics.dist.is_none());
        let header = statics.csp.header();
        let csp = header.to_str().expect("ascii");
        assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval';"));
    }

    #[test]
    fn a_rebuilt_client_gets_the_hash_of_its_new_inline_script() {
        let dir = tempfile::tempdir().expect("temp dir");
        let index = dir.path().join("index.html");
        std::fs::write(&index, "<script>first()</script>").expect("writes");
        let statics = StaticFiles::load(Some(dir.path())).expect("load");
        let before = statics.csp.header();
        // A later build: different inline script, later modification time.
        std::fs::write(&index, "<script>second()</script>").expect("writes");
        let later = SystemTime::now() + std::time::Duration::from_secs(5);
        std::fs::File::options()
            .write(true)
            .open(&index)
            .and_then(|f| f.set_modified(later))
            .expect("sets the time");
        let after = statics.csp.header();
        assert_ne!(before, after);
        let expected = csp::inline_script_hashes("<script>second()</script>");
        assert!(after.to_str().expect("ascii").contains(&expected[0]));
    }
}
