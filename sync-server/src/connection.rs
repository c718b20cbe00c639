//! One device's WebSocket connection, from `Hello` to the close frame.
//!
//! The handler is generic over any `Stream + Sink` of WebSocket messages: axum's
//! `WebSocket` in production, channels in the unit tests. A single loop owns the socket, so
//! everything a device receives (backlog pages, live entries, acks, errors) leaves in the
//! order the loop sends it; in particular a subscription's backlog is fully sent before
//! the loop next takes a live entry from the hub's queue.
//!
//! Every refusal affects only this connection: it sends `Error` with a code, then a close
//! frame with the matching close code (see [`protocol::close`]). The one exception is a
//! document outside the token's sites: that `Subscribe` or `Push` alone is answered with
//! `Refused { doc, Forbidden }`, and the connection goes on for the other documents.

mod devices;
mod rate_limit;
mod snapshots;

use std::collections::HashSet;
use std::fmt::Display;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::ws::{CloseFrame, Message, Utf8Bytes};
use futures_util::{Sink, SinkExt, Stream, StreamExt};
use tokio::sync::watch;
use tokio::time::{interval_at, sleep_until, timeout, timeout_at, Instant, MissedTickBehavior};

use self::rate_limit::TokenBucket;
use crate::hub::{Delivery, Hub, Mailbox, Subscriber};
use crate::limits::Limits;
use crate::metrics::Metrics;
use crate::org::OrgName;
use crate::sites::Sites;
use crate::storage::{Access, Storage};
use protocol::{close, ClientMessage, DocId, ErrorCode, ServerMessage, Wire};
use protocol::{Bundle, MAX_MESSAGE_BYTES};

/// The next live entry of a connection that has a queue; for ever, one that has none.
async fn next_delivery(mailbox: &mut Option<Mailbox>) -> Delivery {
    match mailbox {
        Some(mailbox) => mailbox.next().await,
        None => std::future::pending().await,
    }
}

/// What a bounded write to a device came to: done, or the device counts as gone.
fn written<E: Display>(
    outcome: Result<Result<(), E>, tokio::time::error::Elapsed>,
) -> Result<(), Ending> {
    match outcome {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => {
            tracing::debug!(error = %e, "writing to a device failed");
            Err(Ending::Gone)
        }
        Err(_) => {
            tracing::debug!("writing to a device timed out");
            Err(Ending::Gone)
        }
    }
}

/// What a device closed as too slow is told.
const TOO_SLOW: &str = "entries arrived faster than this device read them; resume from your cursor";

/// Live entries written to a device's socket together at most, by number and by bytes
/// (the write timeout covers them all, so a slow line must not be handed too much at once).
const LIVE_FRAMES_PER_WRITE: usize = 64;
const LIVE_BYTES_PER_WRITE: usize = 256 * 1024;

/// How long the relay waits for the device's answer to its close frame.
const CLOSE_GRACE: Duration = Duration::from_secs(5);

/// What a connection needs from the relay.
#[derive(Clone)]
pub struct Context {
    pub hub: Arc<Hub>,
    /// Counts connections against the relay's and each token's bound.
    pub admission: Arc<crate::admission::Admission>,
    pub metrics: Arc<Metrics>,
    pub limits: Limits,
    /// Turns true when the relay shuts down.
    pub shutdown: watch::Receiver<bool>,
}

/// Why a connection ends.
#[derive(Debug, PartialEq, Eq)]
enum Ending {
    /// Send `Error { code, message }`, then close with the code's close code.
    Refuse { code: ErrorCode, message: String },
    /// Close with this code, without an `Error` message.
    Close { code: u16, reason: &'static str },
    /// The device closed or the socket broke: there is no one to tell.
    Gone,
}

fn refuse(code: ErrorCode, message: impl Into<String>) -> Ending {
    Ending::Refuse {
        code,
        message: message.into(),
    }
}

/// Why a token that does not verify is refused: a revoked one is told to wipe the device,
/// an unknown one (a typo, another relay's) only that it is not known.
async fn refused_token(storage: &dyn Storage, token: &str) -> Ending {
    match storage.token_revoked(token).await {
        Ok(true) => refuse(
            ErrorCode::Revoked,
            "this device's access was revoked: delete what it holds of the organisation",
        ),
        Ok(false) => refuse(ErrorCode::Unauthorised, "token unknown"),
        Err(e) => internal(e),
    }
}

/// The tokens of `org`.
fn internal(error: crate::Error) -> Ending {
    tracing::error!(%error, "storage failed during a connection");
    refuse(
        ErrorCode::Internal,
        "the relay could not complete the request; try again later",
    )
}

/// Whether a read error is the WebSocket layer refusing a message over its own size limit
/// ([`crate::limits::WEBSOCKET_MAX_BYTES`]). tungstenite then stops reading in the middle
/// of the frame and sends no close frame itself. The relay still sends `TooBig` and 1009,
/// but the unread rest of the frame makes the kernel reset the connection when the socket
/// closes, so the device may see a reset rather than the close code (it does get the
/// `Error` in practice). The error type is opaque behind axum's `Error`, hence the text; a
/// unit test pins it.
fn is_too_long(error: &impl Display) -> bool {
    error.to_string().contains("Message too long")
}

/// Serves one device until the connection ends.
pub async fn serve<S, E>(socket: S, ctx: Context)
where
    S: Stream<Item = Result<Message, E>> + Sink<Message> + Unpin,
    E: Display,
    <S as Sink<Message>>::Error: Display,
{
    ctx.metrics.connection_opened();
    let now = Instant::now();
    let mut conn = Connection {
        bucket: TokenBucket::new(ctx.limits.rate_per_second, ctx.limits.rate_burst, now),
        last_heard: now,
        socket,
        ctx,
        subscriber: None,
        mailbox: None,
        subscribed: HashSet::new(),
        sites: Sites::All,
        manage: false,
        token_id: String::new(),
        device: String::new(),
    };
    let ending = match conn.hello().await {
        Ok((
            Access {
                token: token_id,
                org,
                sites,
                manage,
            },
            token,
            _ticket,
        )) => {
            conn.sites = sites;
            conn.manage = manage;
            conn.token_id = token_id;
            let ending = conn.run(&org, &token).await;
            if let Some(subscriber) = &conn.subscriber {
                conn.ctx.hub.leave(&org, &conn.subscribed, subscriber).await;
            }
            tracing::info!(org = %org, ending = ?ending, "device disconnected");
            ending
        }
        Err(ending) => {
            tracing::info!(ending = ?ending, "connection refused");
            ending
        }
    };
    conn.finish(ending).await;
    conn.ctx.metrics.connection_closed();
}

struct Connection<S> {
    socket: S,
    ctx: Context,
    bucket: TokenBucket,
    last_heard: Instant,
    /// The hub's handle on this connection's queue of live entries, and the queue: made at
    /// the first subscription, so that a connection that follows nothing holds no queue.
    subscriber: Option<Subscriber>,
    mailbox: Option<Mailbox>,
    subscribed: HashSet<DocId>,
    /// The sites whose documents the token may sync.
    sites: Sites,
    /// The token may list and revoke its organisation's tokens.
    manage: bool,
    /// The public id of the connection's token.
    token_id: String,
    /// The name the device gave in its `Hello`.
    device: String,
}

impl<S, E> Connection<S>
where
    S: Stream<Item = Result<Message, E>> + Sink<Message> + Unpin,
    E: Display,
    <S as Sink<Message>>::Error: Display,
{
    /// Waits for `Hello` and checks its token and the connection bounds; returns what the
    /// token gives, the token (which the connection checks again now and then) and the
    /// connection's place among those let in.
    async fn hello(&mut self) -> Result<(Access, String, crate::admission::Ticket), Ending> {
        let deadline = Instant::now() + self.ctx.limits.hello_timeout;
        let bytes = loop {
            let message = match timeout_at(deadline, self.socket.next()).await {
                Err(_) => {
                    return Err(refuse(
                        ErrorCode::Unauthorised,
                        "no Hello within the time allowed",
                    ))
                }
                Ok(next) => self.received(next)?,
            };
            if let Some(bytes) = message {
                break bytes;
            }
        };
        match ClientMessage::decode(&bytes) {
            Err(e) => Err(refuse(ErrorCode::Malformed, e.to_string())),
            Ok(ClientMessage::Hello { token, device }) => {
                let storage = self.ctx.hub.storage();
                match storage.verify_token(&token).await.map_err(internal)? {
                    Some(access) => {
                        let ticket = self.ctx.admission.admit(&access.token).map_err(|full| {
                            tracing::warn!(org = %access.org, token = %access.token, ?full,
                                "connection refused: a bound is met");
                            refuse(ErrorCode::Busy, full.message())
                        })?;
                        tracing::info!(org = %access.org, sites = %access.sites, device = ?device,
                            "device connected");
                        let welcome = ServerMessage::Welcome {
                            org: access.org.as_str().to_owned(),
                        };
                        self.send(welcome.encode().into()).await?;
                        self.device = device;
                        Ok((access, token, ticket))
                    }
                    None => Err(refused_token(storage.as_ref(), &token).await),
                }
            }
            Ok(_) => Err(refuse(
                ErrorCode::Unauthorised,
                "the first message must be Hello",
            )),
        }
    }

    /// The loop of an authenticated connection.
    async fn run(&mut self, org: &OrgName, token: &str) -> Ending {
        let every = self.ctx.limits.ping_interval;
        let mut ping = interval_at(Instant::now() + every, every);
        ping.set_missed_tick_behavior(MissedTickBehavior::Delay);
        let mut shutdown = self.ctx.shutdown.clone();
        loop {
            let idle_deadline = self.last_heard + self.ctx.limits.idle_timeout;
            // Out of `self` while the step runs (a step may be a first subscription, which
            // makes the queue), and back after.
            let mut live = self.mailbox.take();
            let step = tokio::select! {
                // Shutdown first: once it is on, nothing else matters.
                biased;
                // Only the wait matters; the value would hold a lock across awaits.
                _ = async { shutdown.wait_for(|&stop| stop).await.is_ok() } => Err(Ending::Close {
                    code: close::SHUTTING_DOWN,
                    reason: "relay shutting down",
                }),
                next = self.socket.next() => match self.received(next) {
                    Ok(Some(bytes)) => self.handle(org, &bytes).await,
                    Ok(None) => Ok(()),
                    Err(ending) => Err(ending),
                },
                delivery = next_delivery(&mut live) => match delivery {
                    Delivery::Frame(frame) => self.send_live(frame, &mut live).await,
                    Delivery::TooSlow => Err(refuse(ErrorCode::TooSlow, TOO_SLOW)),
                },
                // A revoked token ends a connection that is already open too, within one
                // ping interval, not only at the device's next connection.
                _ = ping.tick() => match self.ctx.hub.storage().verify_token(token).await {
                    Ok(Some(_)) => self.send(Message::Ping(Bytes::new())).await,
                    Ok(None) => Err(refused_token(self.ctx.hub.storage().as_ref(), token).await),
                    Err(e) => Err(internal(e)),
                },
                _ = sleep_until(idle_deadline) => Err(Ending::Close {
                    code: close::IDLE,
                    reason: "nothing heard for too long",
                }),
            };
            if live.is_some() {
                self.mailbox = live;
            }
            if let Err(ending) = step {
                return ending;
            }
        }
    }

    /// Checks what the socket gave: the bytes of a binary message, `None` for control
    /// frames, or the reason to end.
    fn received(&mut self, next: Option<Result<Message, E>>) -> Result<Option<Bytes>, Ending> {
        let message = match next {
            None => return Err(Ending::Gone),
            Some(Err(e)) if is_too_long(&e) => {
                return Err(refuse(
                    ErrorCode::TooBig,
                    format!("message over the limit of {MAX_MESSAGE_BYTES} bytes"),
                ))
            }
            Some(Err(e)) => {
                tracing::debug!(error = %e, "reading from a device failed");
                return Err(Ending::Gone);
            }
            Some(Ok(message)) => message,
        };
        let now = Instant::now();
        self.last_heard = now;
        if !self.bucket.allow(now) {
            return Err(refuse(
                ErrorCode::RateLimited,
                "too many messages; slow down and reconnect",
            ));
        }
        let size = match &message {
            Message::Binary(b) => b.len(),
            Message::Text(t) => t.len(),
            _ => 0,
        };
        if size > MAX_MESSAGE_BYTES {
            return Err(refuse(
                ErrorCode::TooBig,
                format!("message of {size} bytes is over the limit of {MAX_MESSAGE_BYTES} bytes"),
            ));
        }
        match message {
            Message::Binary(bytes) => {
                self.ctx.metrics.message_received();
                Ok(Some(bytes))
            }
            Message::Text(_) => Err(refuse(
                ErrorCode::Malformed,
                "text frames are not part of the protocol; send binary frames",
            )),
            // tungstenite answers pings and close frames by itself.
            Message::Ping(_) | Message::Pong(_) => Ok(None),
            Message::Close(_) => Err(Ending::Gone),
        }
    }

    async fn handle(&mut self, org: &OrgName, bytes: &[u8]) -> Result<(), Ending> {
        match ClientMessage::decode(bytes) {
            Err(e) => Err(refuse(ErrorCode::Malformed, e.to_string())),
            Ok(ClientMessage::Hello { .. }) => Err(refuse(
                ErrorCode::Malformed,
                "Hello was already sent on this connection",
            )),
            Ok(
                ClientMessage::Subscribe { doc, .. }
                | ClientMessage::Push { doc, .. }
                | ClientMessage::PushSnapshot { doc, .. },
            ) if !self.sites.allows(&doc) => self.forbid(org, doc).await,
            Ok(ClientMessage::Subscribe { doc, after }) => self.subscribe(org, doc, after).await,
            Ok(ClientMessage::Push { doc, bundle }) => self.push(org, doc, bundle).await,
            Ok(ClientMessage::ListDevices) => self.devices(org).await,
            Ok(ClientMessage::RevokeDevice { id }) => self.revoke(org, id).await,
            Ok(ClientMessage::Enrol {
                public,
                epoch,
                proof,
            }) => self.enrol(org, public, epoch, proof).await,
            Ok(ClientMessage::FetchKeys { public }) => self.fetch_keys(public).await,
            Ok(ClientMessage::PostKeys {
                epoch,
                rotation,
                keys,
            }) => self.post_keys(org, epoch, rotation, keys).await,
            Ok(ClientMessage::PushSnapshot { doc, upto, bundle }) => {
                self.push_snapshot(org, doc, upto, bundle).await
            }
        }
    }

    /// Refuses one document outside the token's sites; nothing of it is sent or stored,
    /// and the connection stays open for the others.
    async fn forbid(&mut self, org: &OrgName, doc: DocId) -> Result<(), Ending> {
        tracing::info!(org = %org, doc = %doc, sites = %self.sites,
            "document outside the token's sites refused");
        self.ctx.metrics.error(ErrorCode::Forbidden);
        let refused = ServerMessage::Refused {
            doc,
            code: ErrorCode::Forbidden,
        };
        self.send(refused.encode().into()).await
    }

    /// Registers for live entries, then sends the backlog in pages. A connection that
    /// follows as many documents as it may is refused one more (`Refused` with `Busy`), and
    /// stays open for those it follows.
    async fn subscribe(&mut self, org: &OrgName, doc: DocId, after: u64) -> Result<(), Ending> {
        let most = self.ctx.limits.max_subscriptions;
        if !self.subscribed.contains(&doc) && self.subscribed.len() >= most {
            tracing::warn!(org = %org, most, "subscription refused: the connection's bound is met");
            self.ctx.metrics.error(ErrorCode::Busy);
            let refused = ServerMessage::Refused {
                doc,
                code: ErrorCode::Busy,
            };
            return self.send(refused.encode().into()).await;
        }
        let hub = Arc::clone(&self.ctx.hub);
        let live_from = match hub.subscribe(org, &doc, self.subscriber()).await {
            Ok(live_from) => live_from,
            // The hub gave the document up while it was being joined (more came than could
            // be held): the device resumes from its cursor, as from any slow connection.
            Err(_)
                if self
                    .subscriber
                    .as_ref()
                    .is_some_and(Subscriber::is_too_slow) =>
            {
                return Err(refuse(ErrorCode::TooSlow, TOO_SLOW));
            }
            Err(e) => return Err(internal(e)),
        };
        self.subscribed.insert(doc.clone());
        tracing::debug!(org = %org, doc = %doc, after, live_from, "subscribed");
        let mut cursor = self.snapshot_first(org, &doc, after).await?;
        loop {
            let mut entries = if cursor >= live_from {
                Vec::new()
            } else {
                hub.storage()
                    .read_after(org, &doc, cursor, self.ctx.limits.page_bytes)
                    .await
                    .map_err(internal)?
            };
            // Entries after `live_from` come from the hub, after this backlog.
            entries.truncate(entries.partition_point(|e| e.seq <= live_from));
            let last = entries.last().map(|e| e.seq);
            let caught_up = last.is_none_or(|seq| seq >= live_from);
            let page = ServerMessage::Entries {
                doc: doc.clone(),
                entries,
                caught_up,
            };
            self.send(page.encode().into()).await?;
            match last {
                Some(seq) if !caught_up => cursor = seq,
                _ => return self.ask_for_snapshot(org, &doc, live_from).await,
            }
        }
    }

    /// Appends a bundle and acknowledges it once it is durable.
    async fn push(&mut self, org: &OrgName, doc: DocId, bundle: Bundle) -> Result<(), Ending> {
        let hash = bundle.hash;
        let bytes = bundle.data.len();
        let outcome = match self.ctx.hub.append(org.clone(), doc.clone(), bundle).await {
            Ok(outcome) => outcome,
            Err(crate::Error::OverQuota(over)) => {
                tracing::warn!(org = %org, doc = %doc, bytes, stored = over.stored,
                    quota = over.quota, "push refused: the organisation's quota is full");
                self.ctx.metrics.error(ErrorCode::QuotaExceeded);
                let refused = ServerMessage::Refused {
                    doc,
                    code: ErrorCode::QuotaExceeded,
                };
                return self.send(refused.encode().into()).await;
            }
            Err(e) => return Err(internal(e)),
        };
        tracing::debug!(org = %org, doc = %doc, seq = outcome.seq, bytes, new = outcome.new,
            "bundle stored");
        let ack = ServerMessage::Ack {
            doc: doc.clone(),
            hash,
            seq: outcome.seq,
        };
        self.send(ack.encode().into()).await?;
        if outcome.new && outcome.seq % self.ctx.limits.snapshot_every.max(1) == 0 {
            self.ask_for_snapshot(org, &doc, outcome.seq).await?;
        }
        Ok(())
    }

    /// The hub's handle on this connection's queue, made (with the queue) when first asked.
    fn subscriber(&mut self) -> &Subscriber {
        let (ctx, mailbox) = (&self.ctx, &mut self.mailbox);
        self.subscriber.get_or_insert_with(|| {
            let (subscriber, queue) = ctx.hub.mailbox(ctx.limits.send_queue);
            *mailbox = Some(queue);
            subscriber
        })
    }

    /// Sends a live entry together with those queued behind it (a bounded number), written
    /// to the socket at once: one write for many entries when a document is busy.
    async fn send_live(
        &mut self,
        first: Bytes,
        mailbox: &mut Option<Mailbox>,
    ) -> Result<(), Ending> {
        let socket = &mut self.socket;
        let write = async {
            let mut bytes = first.len();
            socket.feed(first.into()).await?;
            for _ in 1..LIVE_FRAMES_PER_WRITE {
                if bytes >= LIVE_BYTES_PER_WRITE {
                    break;
                }
                match mailbox.as_mut().and_then(Mailbox::queued) {
                    Some(frame) => {
                        bytes += frame.len();
                        socket.feed(frame.into()).await?;
                    }
                    None => break,
                }
            }
            socket.flush().await
        };
        written(timeout(self.ctx.limits.write_timeout, write).await)
    }

    async fn send(&mut self, message: Message) -> Result<(), Ending> {
        // A device that does not read would otherwise hold this loop forever.
        written(timeout(self.ctx.limits.write_timeout, self.socket.send(message)).await)
    }

    /// Tells the device why it is closed, then waits briefly for its close frame so that
    /// the TCP connection ends cleanly and the device surely reads the code.
    async fn finish(&mut self, ending: Ending) {
        let (code, reason) = match ending {
            Ending::Gone => return,
            Ending::Close { code, reason } => (code, reason),
            Ending::Refuse { code, message } => {
                self.ctx.metrics.error(code);
                let error = ServerMessage::Error { code, message };
                if self.send(error.encode().into()).await.is_err() {
                    return;
                }
                (code.close_code(), close_reason(code))
            }
        };
        let frame = CloseFrame {
            code,
            reason: Utf8Bytes::from_static(reason),
        };
        if self.send(Message::Close(Some(frame))).await.is_err() {
            return;
        }
        let _ = timeout(CLOSE_GRACE, async {
            while let Some(Ok(message)) = self.socket.next().await {
                if let Message::Close(_) = message {
                    break;
                }
            }
        })
        .await;
    }
}

/// A short reason for the close frame; the `Error` message before it says more.
fn close_reason(code: ErrorCode) -> &'static str {
    match code {
        ErrorCode::Malformed => "malformed message",
        ErrorCode::TooBig => "message too big",
        ErrorCode::Unauthorised => "unauthorised",
        ErrorCode::Forbidden => "forbidden",
        ErrorCode::RateLimited => "rate limited",
        ErrorCode::TooSlow => "too slow",
        ErrorCode::Internal => "internal error",
        ErrorCode::Revoked => "revoked",
        ErrorCode::Busy => "busy",
        ErrorCode::QuotaExceeded => "storage quota full",
    }
}

#[cfg(test)]
mod tests;
