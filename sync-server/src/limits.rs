//! The bounds that keep one device from costing the relay more than its share.

use std::time::Duration;

use protocol::MAX_MESSAGE_BYTES;

/// Per-connection limits. The defaults suit a practice's tablets; tests shorten the times.
#[derive(Clone, Debug)]
pub struct Limits {
    /// How long a new connection has to send `Hello`.
    pub hello_timeout: Duration,
    /// How often the relay pings an otherwise quiet device.
    pub ping_interval: Duration,
    /// How long the relay waits without hearing anything (a pong counts) before it closes.
    pub idle_timeout: Duration,
    /// How long one write to a device may take before the device counts as gone.
    pub write_timeout: Duration,
    /// Messages per second a device may send on average.
    pub rate_per_second: f64,
    /// Messages a device may send in a burst above the average.
    pub rate_burst: u32,
    /// Live entries queued for a device before it counts as too slow.
    pub send_queue: usize,
    /// The byte budget of one page of backlog, well under [`MAX_MESSAGE_BYTES`].
    pub page_bytes: usize,
    /// The WebSocket read buffer per connection. Small, because thousands of idle tablets
    /// each hold one; a large message grows it only while it is read.
    pub read_buffer_bytes: usize,
    /// The WebSocket write buffer per connection.
    pub write_buffer_bytes: usize,
    /// Entries a document's log grows by before the relay asks a device for a snapshot.
    pub snapshot_every: u64,
    /// Connections the relay holds at once, all tokens together.
    pub max_connections: usize,
    /// Connections one token holds at once (a device with the app open in a few tabs).
    pub max_connections_per_token: usize,
    /// Documents one connection follows at once.
    pub max_subscriptions: usize,
    /// Bytes each organisation's logs and snapshots may hold; a push past it is refused
    /// (`Refused` with `QuotaExceeded`) and the device keeps it.
    pub org_quota_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            hello_timeout: Duration::from_secs(10),
            ping_interval: Duration::from_secs(20),
            idle_timeout: Duration::from_secs(60),
            write_timeout: Duration::from_secs(30),
            // Generous on purpose: after an outage a desk flushes its whole outbox at once,
            // hundreds of bundles, and must not be cut off for it. The bucket is there to
            // stop a runaway loop, which sends far more than this for as long as it runs.
            rate_per_second: 1000.0,
            rate_burst: 2000,
            send_queue: 256,
            page_bytes: MAX_MESSAGE_BYTES / 4,
            read_buffer_bytes: 1024,
            write_buffer_bytes: 4 * 1024,
            snapshot_every: 500,
            max_connections: 20_000,
            max_connections_per_token: 16,
            // A busy device follows a few dozen: a year of months of each area, the boards,
            // the directory. Far above that is a runaway loop.
            max_subscriptions: 2_000,
            // Years of a busy practice's bundles, compacted behind snapshots, are well under
            // a gigabyte; the bound is there for a hosted relay shared by many.
            org_quota_bytes: 8 * 1024 * 1024 * 1024,
        }
    }
}

/// The frame and message size the WebSocket layer itself enforces: a little above
/// [`MAX_MESSAGE_BYTES`], so that a message just over the protocol's limit is still read
/// whole and refused with a clear `TooBig` and close code 1009, while a far larger one is
/// cut off by the WebSocket layer before it is buffered.
pub const WEBSOCKET_MAX_BYTES: usize = MAX_MESSAGE_BYTES + 64 * 1024;
