//! Hearing other relays: every append notifies `relay_entries` with the document and its new
//! sequence number, delivered to every listening relay when the append commits. One
//! connection per relay listens; when it is lost, the relay reconnects and says that notices
//! may have been missed, so the hub reads every watched log again ([`Change::Missed`]). The
//! notice carries no entry: the entries are read from the log by sequence number.

use std::time::Duration;

use futures_util::StreamExt;
use tokio::sync::mpsc;
use tokio_postgres::{AsyncMessage, Config};
use tokio_postgres_rustls::MakeRustlsConnect;

use crate::org::OrgName;
use crate::storage::Change;
use protocol::DocId;

/// The channel appends notify.
pub(super) const CHANNEL: &str = "relay_entries";

/// How long the relay waits before listening again after the connection was lost.
const RETRY: Duration = Duration::from_secs(1);

/// Changes queued for the hub before the listener waits for it.
const QUEUE: usize = 1024;

/// How often a quiet listening connection is checked, and how long the check may take: a
/// connection lost without a word (a failover) is found and replaced within a minute.
const PING_EVERY: Duration = Duration::from_secs(30);
const PING_WITHIN: Duration = Duration::from_secs(10);

/// The notice of `doc` of `org` reaching `seq`: three lines (names and ids hold no line
/// breaks).
pub(super) fn notice(org: &str, doc: &str, seq: i64) -> String {
    format!("{org}\n{doc}\n{seq}")
}

fn read_notice(payload: &str) -> Option<Change> {
    let mut lines = payload.split('\n');
    let org = OrgName::new(lines.next()?).ok()?;
    let doc = DocId::new(lines.next()?).ok()?;
    let seq = lines.next()?.parse().ok()?;
    lines
        .next()
        .is_none()
        .then_some(Change::Appended { org, doc, seq })
}

/// Starts listening on a connection of its own; the changes arrive on the receiver, which
/// stops the listener when dropped.
pub(super) fn watch(config: Config, tls: MakeRustlsConnect) -> mpsc::Receiver<Change> {
    let (tx, rx) = mpsc::channel(QUEUE);
    tokio::spawn(async move {
        while !tx.is_closed() {
            if let Err(e) = listen(&config, &tls, &tx).await {
                tracing::warn!(error = %super::why(&e),
                    "listening for other relays' entries failed; retrying");
            }
            tokio::time::sleep(RETRY).await;
        }
    });
    rx
}

/// Listens until the connection is lost or nobody reads the changes.
async fn listen(
    config: &Config,
    tls: &MakeRustlsConnect,
    tx: &mpsc::Sender<Change>,
) -> Result<(), tokio_postgres::Error> {
    let (client, mut connection) = config.connect(tls.clone()).await?;
    // The connection's messages, notices among them, pass through this stream; polling it
    // also carries the client's own requests.
    let (heard, mut notices) = mpsc::unbounded_channel();
    let driver = tokio::spawn(async move {
        let mut messages = futures_util::stream::poll_fn(move |cx| connection.poll_message(cx));
        while let Some(message) = messages.next().await {
            match message {
                Ok(AsyncMessage::Notification(n)) => {
                    if heard.send(n.payload().to_owned()).is_err() {
                        return Ok(());
                    }
                }
                Ok(_) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    });
    let mut listening = client.batch_execute(&format!("LISTEN {CHANNEL}")).await;
    // Whatever was appended while nobody listened is read from the logs.
    if listening.is_ok() && tx.send(Change::Missed).await.is_ok() {
        let mut ping = tokio::time::interval(PING_EVERY);
        ping.tick().await;
        loop {
            tokio::select! {
                heard = notices.recv() => {
                    let Some(payload) = heard else { break };
                    match read_notice(&payload) {
                        Some(change) => {
                            if tx.send(change).await.is_err() {
                                break;
                            }
                        }
                        None => tracing::warn!("a notice on {CHANNEL} does not read; ignored"),
                    }
                }
                _ = ping.tick() => {
                    match tokio::time::timeout(PING_WITHIN, client.simple_query("SELECT 1")).await {
                        Ok(Ok(_)) => {}
                        Ok(Err(e)) => {
                            listening = Err(e);
                            break;
                        }
                        Err(_) => {
                            tracing::warn!("the listening connection did not answer; replacing it");
                            break;
                        }
                    }
                }
                // The relay is stopping: nobody reads the changes any more.
                () = tx.closed() => break,
            }
        }
    }
    drop(client);
    driver.abort();
    let ended = match driver.await {
        Ok(result) => result,
        Err(_) => Ok(()),
    };
    listening.and(ended)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notice_reads_back_and_anything_else_does_not() {
        let (org, doc) = (
            OrgName::new("clinic").expect("org"),
            DocId::new("schedule/main/2026-11").expect("doc"),
        );
        assert_eq!(
            read_notice(&notice(org.as_str(), doc.as_str(), 42)),
            Some(Change::Appended { org, doc, seq: 42 })
        );
        for bad in [
            "",
            "clinic",
            "clinic\nschedule/main/2026-11",
            "clinic\nd\nx",
            "clinic\nd\n1\n2",
            "Bad Org\nd\n1",
        ] {
            assert_eq!(read_notice(bad), None, "{bad:?}");
        }
    }
}
