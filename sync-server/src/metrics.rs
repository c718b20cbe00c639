//! Counters for `/metrics`, in the Prometheus text format.
//!
//! Plain atomics formatted by hand: a handful of counters does not justify a metrics
//! framework, and relaxed atomics cost nothing on the hot path.

use std::fmt::Write;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering::Relaxed};

use protocol::ErrorCode;

/// Every error code, in the order of [`Metrics::errors`].
const ERROR_CODES: [ErrorCode; 10] = [
    ErrorCode::Malformed,
    ErrorCode::TooBig,
    ErrorCode::Unauthorised,
    ErrorCode::Forbidden,
    ErrorCode::RateLimited,
    ErrorCode::TooSlow,
    ErrorCode::Internal,
    ErrorCode::Revoked,
    ErrorCode::Busy,
    ErrorCode::QuotaExceeded,
];

#[derive(Default)]
pub struct Metrics {
    connections_open: AtomicI64,
    messages_received: AtomicU64,
    bundles_appended: AtomicU64,
    bytes_appended: AtomicU64,
    commits: AtomicU64,
    errors: [AtomicU64; ERROR_CODES.len()],
}

fn index(code: ErrorCode) -> usize {
    match code {
        ErrorCode::Malformed => 0,
        ErrorCode::TooBig => 1,
        ErrorCode::Unauthorised => 2,
        ErrorCode::Forbidden => 3,
        ErrorCode::RateLimited => 4,
        ErrorCode::TooSlow => 5,
        ErrorCode::Internal => 6,
        ErrorCode::Revoked => 7,
        ErrorCode::Busy => 8,
        ErrorCode::QuotaExceeded => 9,
    }
}

fn label(code: ErrorCode) -> &'static str {
    match code {
        ErrorCode::Malformed => "malformed",
        ErrorCode::TooBig => "too_big",
        ErrorCode::Unauthorised => "unauthorised",
        ErrorCode::Forbidden => "forbidden",
        ErrorCode::RateLimited => "rate_limited",
        ErrorCode::TooSlow => "too_slow",
        ErrorCode::Internal => "internal",
        ErrorCode::Revoked => "revoked",
        ErrorCode::Busy => "busy",
        ErrorCode::QuotaExceeded => "quota_exceeded",
    }
}

impl Metrics {
    pub fn connection_opened(&self) {
        self.connections_open.fetch_add(1, Relaxed);
    }

    pub fn connection_closed(&self) {
        self.connections_open.fetch_sub(1, Relaxed);
    }

    pub fn connections_open(&self) -> i64 {
        self.connections_open.load(Relaxed)
    }

    pub fn message_received(&self) {
        self.messages_received.fetch_add(1, Relaxed);
    }

    pub fn bundle_appended(&self, bytes: usize) {
        self.bundles_appended.fetch_add(1, Relaxed);
        self.bytes_appended.fetch_add(bytes as u64, Relaxed);
    }

    /// One group commit returned (holding one or more bundles).
    pub fn commit_made(&self) {
        self.commits.fetch_add(1, Relaxed);
    }

    pub fn commits(&self) -> u64 {
        self.commits.load(Relaxed)
    }

    pub fn error(&self, code: ErrorCode) {
        self.errors[index(code)].fetch_add(1, Relaxed);
    }

    /// The counters in the Prometheus text exposition format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let mut metric = |name: &str, kind: &str, help: &str, value: String| {
            // Writing into a String cannot fail.
            let _ = write!(
                out,
                "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {value}\n"
            );
        };
        metric(
            "relay_connections_open",
            "gauge",
            "WebSocket connections open now.",
            self.connections_open.load(Relaxed).to_string(),
        );
        metric(
            "relay_messages_received_total",
            "counter",
            "Data messages received from devices.",
            self.messages_received.load(Relaxed).to_string(),
        );
        metric(
            "relay_bundles_appended_total",
            "counter",
            "Bundles newly appended to a document log.",
            self.bundles_appended.load(Relaxed).to_string(),
        );
        metric(
            "relay_bytes_appended_total",
            "counter",
            "Bundle bytes newly appended to document logs.",
            self.bytes_appended.load(Relaxed).to_string(),
        );
        metric(
            "relay_commits_total",
            "counter",
            "Commits of pushed bundles; bundles appended over commits is the group size.",
            self.commits.load(Relaxed).to_string(),
        );
        out.push_str("# HELP relay_errors_total Errors sent to devices, by code.\n");
        out.push_str("# TYPE relay_errors_total counter\n");
        for code in ERROR_CODES {
            let value = self.errors[index(code)].load(Relaxed);
            let _ = writeln!(
                out,
                "relay_errors_total{{code=\"{}\"}} {value}",
                label(code)
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_counts() {
        let m = Metrics::default();
        m.connection_opened();
        m.connection_opened();
        m.connection_closed();
        m.bundle_appended(10);
        m.bundle_appended(5);
        m.commit_made();
        m.error(ErrorCode::TooBig);
        let text = m.render();
        let check = |line: &str| assert!(text.lines().any(|l| l == line), "{line}\n{text}");
        check("relay_connections_open 1");
        check("relay_bundles_appended_total 2");
        check("relay_bytes_appended_total 15");
        check("relay_commits_total 1");
        check("relay_messages_received_total 0");
        check("relay_errors_total{code=\"too_big\"} 1");
        check("relay_errors_total{code=\"internal\"} 0");
    }
}
