//! What a person sees about syncing: where the connection stands, and the sync status the
//! interface always shows.

/// Where the connection to the relay stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConnectionState {
    /// No token yet: the device has not been given access.
    NoToken,
    /// The device has no network.
    Offline,
    /// Waiting before reconnect attempt number `attempt`.
    Waiting { attempt: u32 },
    /// A socket is opening, or open and waiting for the relay's welcome.
    Connecting { attempt: u32 },
    /// Welcomed by the relay: edits flow both ways.
    Online,
    /// The relay refused the token; retrying will not help until a person acts.
    Refused { message: String },
}

/// The sync status a person sees: always visible in the interface.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyncStatus {
    pub state: ConnectionState,
    /// Local edits not yet acknowledged by the relay.
    pub waiting: usize,
    /// When the relay last confirmed this device was up to date, in ms since the epoch.
    pub last_sync_ms: Option<i64>,
}

impl SyncStatus {
    /// A short line such as "Offline · 3 edits waiting".
    pub fn summary(&self) -> String {
        let state = match &self.state {
            ConnectionState::NoToken => "Not connected",
            ConnectionState::Offline => "Offline",
            ConnectionState::Waiting { .. } | ConnectionState::Connecting { .. } => "Connecting",
            ConnectionState::Online => "Online",
            ConnectionState::Refused { .. } => "Access refused",
        };
        match self.waiting {
            0 if self.state == ConnectionState::Online => format!("{state} · all saved"),
            0 => state.to_string(),
            1 => format!("{state} · 1 edit waiting"),
            n => format!("{state} · {n} edits waiting"),
        }
    }
}
