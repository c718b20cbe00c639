//! How a relay reaches PostgreSQL: bounded waits everywhere (a half-open connection after a
//! failover must not freeze the relay's commits), and TLS to a database on another machine,
//! its certificate verified ([`super::tls`]), unless told otherwise. On this machine (a Unix
//! socket or loopback) the connection is plain unless the settings say `sslmode=require`.

use std::net::IpAddr;
use std::time::Duration;

use tokio_postgres::config::{Host, SslMode};

use crate::Error;

/// How long a relay waits for a connection from its pool, or to make one.
pub(super) const WAIT: Duration = Duration::from_secs(10);

/// Server-side bounds for every session: a statement, a wait for a row lock, a transaction
/// left open by a relay that stopped answering.
const SESSION: &str = "-c statement_timeout=30000 -c lock_timeout=10000 \
                       -c idle_in_transaction_session_timeout=60000";

/// How the relay may reach a database on another machine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reach {
    /// Over TLS, the server's certificate verified: token hashes, wrapped keys and the logs
    /// never cross the network in the clear.
    Verified,
    /// In plain text (`--insecure-database`), on a network the operator trusts, unless its
    /// `sslmode=require` asks for TLS.
    PlainNetwork,
}

/// The settings read, with TLS as `reach` and the place of the database require, and the
/// relay's timeouts added (after the operator's own session options, which they do not
/// replace).
pub(super) fn config(settings: &str, reach: Reach) -> Result<tokio_postgres::Config, Error> {
    let mut config: tokio_postgres::Config = settings
        .parse()
        .map_err(|_| Error::Setup("the PostgreSQL settings do not read".into()))?;
    let asked = config.get_ssl_mode() == SslMode::Require;
    let far = remote(&config).is_some();
    let tls = asked || (far && reach == Reach::Verified);
    config.ssl_mode(if tls {
        SslMode::Require
    } else {
        SslMode::Disable
    });
    let options = match config.get_options() {
        Some(theirs) if !theirs.trim().is_empty() => format!("{SESSION} {theirs}"),
        _ => SESSION.to_owned(),
    };
    config
        .options(options)
        .application_name("front-desk-relay")
        .connect_timeout(WAIT)
        .keepalives_idle(Duration::from_secs(30))
        .tcp_user_timeout(Duration::from_secs(30));
    Ok(config)
}

/// The first host or address of `config` on another machine, if any.
fn remote(config: &tokio_postgres::Config) -> Option<String> {
    let loopback = |name: &str| {
        name.eq_ignore_ascii_case("localhost")
            || name.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
    };
    let hosts = config.get_hosts().iter().find_map(|host| match host {
        Host::Tcp(name) if !loopback(name) => Some(name.clone()),
        _ => None,
    });
    hosts.or_else(|| {
        config
            .get_hostaddrs()
            .iter()
            .find(|ip| !ip.is_loopback())
            .map(IpAddr::to_string)
    })
}

/// An error with its causes: tokio-postgres says only "db error" at the top and keeps the
/// reason (the server's message and SQLSTATE, or the network's) in its sources.
pub(crate) fn why(error: &(dyn std::error::Error + 'static)) -> String {
    if let Some(db) = error
        .downcast_ref::<tokio_postgres::Error>()
        .and_then(tokio_postgres::Error::as_db_error)
    {
        return format!("{} (SQLSTATE {})", db.message(), db.code().code());
    }
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(next) = cause {
        if let Some(db) = next.downcast_ref::<tokio_postgres::error::DbError>() {
            text.push_str(&format!(
                ": {} (SQLSTATE {})",
                db.message(),
                db.code().code()
            ));
            break;
        }
        text.push_str(&format!(": {next}"));
        cause = next.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mode(settings: &str, reach: Reach) -> SslMode {
        config(settings, reach).expect("reads").get_ssl_mode()
    }

    #[test]
    fn another_machine_is_reached_over_tls_unless_the_operator_trusts_the_network() {
        for local in [
            "host=/run/postgresql dbname=relay",
            "host=localhost dbname=relay",
            "host=127.0.0.1 port=5433 user=relay",
            "postgres://relay:secret@[::1]/relay",
        ] {
            assert_eq!(mode(local, Reach::Verified), SslMode::Disable, "{local}");
        }
        for far in [
            "host=db.internal dbname=relay password=secret",
            "hostaddr=10.0.0.5 dbname=relay",
            "host=db.internal sslmode=disable",
        ] {
            assert_eq!(mode(far, Reach::Verified), SslMode::Require, "{far}");
        }
        // On a network the operator trusts, plain unless the settings ask for TLS; and
        // asked for, TLS on this machine too.
        assert_eq!(
            mode("host=db.internal", Reach::PlainNetwork),
            SslMode::Disable
        );
        assert_eq!(
            mode("host=db.internal sslmode=require", Reach::PlainNetwork),
            SslMode::Require
        );
        assert_eq!(
            mode("host=localhost sslmode=require", Reach::Verified),
            SslMode::Require
        );
        let unread = config("host=db.internal password=secret nonsense", Reach::Verified)
            .expect_err("does not read");
        assert!(
            !unread.to_string().contains("secret"),
            "the password is never repeated"
        );
    }

    #[test]
    fn the_relays_bounds_come_before_the_operators_options() {
        let config =
            config("host=/tmp options='-c search_path=relay'", Reach::Verified).expect("reads");
        let options = config.get_options().expect("options");
        assert!(
            options.starts_with("-c statement_timeout=30000"),
            "{options}"
        );
        assert!(options.ends_with("-c search_path=relay"), "{options}");
        assert_eq!(config.get_connect_timeout(), Some(&WAIT));
    }
}
