//! `sync-server`: runs the relay and administers organisations and device tokens.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{bail, Context as _};
use clap::{Parser, Subcommand};
use tracing_subscriber::EnvFilter;

use sync_server::server::{open_any, DATABASE_FILE};
use sync_server::storage::postgres::Reach;
use sync_server::storage::sqlite::SqliteStorage;
use sync_server::{start, Config, OrgName, Sites, Storage};

#[derive(Parser)]
#[command(name = "sync-server", version, about = "The Front desk relay")]
struct Cli {
    #[command(flatten)]
    place: Place,
    #[command(subcommand)]
    command: Command,
}

/// Where the relay's data is, for every command.
#[derive(clap::Args)]
struct Place {
    /// The directory that holds the relay's database.
    #[arg(
        long,
        global = true,
        value_name = "DIR",
        default_value = "./data",
        env = "SYNC_SERVER_DATA"
    )]
    data: PathBuf,
    /// A PostgreSQL database instead of the SQLite file in --data, for several relays on
    /// one dataset: libpq settings ("host=db.internal dbname=relay user=relay") or a
    /// postgres:// URL. Best given in the environment, as it may hold a password.
    #[arg(
        long,
        global = true,
        value_name = "SETTINGS",
        env = "SYNC_SERVER_DATABASE",
        hide_env_values = true
    )]
    database: Option<String>,
    /// Reach a PostgreSQL database on another machine in plain text (unless its settings
    /// say sslmode=require), only on a network you trust. Without it, such a database is
    /// reached over TLS and its certificate verified.
    #[arg(long, global = true)]
    insecure_database: bool,
    /// The certificate authorities (a PEM file) that sign the PostgreSQL server's
    /// certificate, for a database with a private CA; without it, the system's.
    #[arg(
        long,
        global = true,
        value_name = "FILE",
        env = "SYNC_SERVER_DATABASE_CA"
    )]
    database_ca: Option<PathBuf>,
}

impl Place {
    /// The storage these options name: PostgreSQL, or the SQLite file in the directory.
    async fn open(&self) -> anyhow::Result<Arc<dyn Storage>> {
        Ok(open_any(
            self.data.clone(),
            self.database.as_deref(),
            reach(self.insecure_database),
            self.database_ca.as_deref(),
        )
        .await?)
    }
}

#[derive(Subcommand)]
enum Command {
    /// Run the relay and serve the built client.
    Serve {
        /// Where to listen.
        #[arg(long, default_value = "127.0.0.1:8080", env = "SYNC_SERVER_ADDR")]
        addr: SocketAddr,
        /// The built client (Trunk's output directory).
        #[arg(
            long,
            value_name = "DIR",
            default_value = "./dist",
            env = "SYNC_SERVER_DIST"
        )]
        dist: PathBuf,
        /// On a fresh database, create this organisation and print a link that signs in
        /// the first device.
        #[arg(long, value_name = "NAME")]
        first_run_org: Option<OrgName>,
        /// Entries a document's log grows by before a device is asked for a snapshot.
        #[arg(long, value_name = "N", default_value_t = 500)]
        snapshot_every: u64,
        /// The storage each organisation may fill, in MiB (its logs and snapshots); a push
        /// past it is refused and the device keeps it.
        #[arg(long, value_name = "MIB", default_value_t = 8192)]
        quota_mib: u64,
        /// Where to serve `/metrics` (keep it off the devices' network); without it, no
        /// metrics are served.
        #[arg(long, value_name = "ADDR", env = "SYNC_SERVER_METRICS_ADDR")]
        metrics_addr: Option<SocketAddr>,
        /// Serve plain HTTP on an address other devices can reach. Their tokens and the
        /// app would cross the network unencrypted, and browsers install the app only over
        /// HTTPS: put a TLS proxy in front and listen on 127.0.0.1 instead where you can.
        #[arg(long)]
        insecure_http: bool,
    },
    /// Write a consistent copy of the relay's database to a new file, while it runs.
    Backup {
        /// The file to write; it must not exist.
        #[arg(long, value_name = "FILE")]
        to: PathBuf,
    },
    /// Administer organisations.
    Org {
        #[command(subcommand)]
        command: OrgCommand,
    },
    /// Administer device tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
}

#[derive(Subcommand)]
enum OrgCommand {
    /// Create an organisation (1-64 characters of a-z, 0-9 and -).
    Create { name: OrgName },
    /// Show what an organisation stores, and give it a quota of its own or the relay's.
    Quota {
        name: OrgName,
        /// Its own quota, in MiB, in place of `serve --quota-mib`.
        #[arg(long, value_name = "MIB", conflicts_with = "relay_default")]
        mib: Option<u64>,
        /// Back to the relay's quota (`serve --quota-mib`).
        #[arg(long)]
        relay_default: bool,
    },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Create a device token; prints the secret once on stdout, the id on stderr.
    Create {
        #[arg(long)]
        org: OrgName,
        /// A note for people, such as the device it is for.
        #[arg(long, default_value = "")]
        label: String,
        /// The sites whose documents the device may sync, by id, separated by commas
        /// ("main,hillside"); without it, every site. Documents of the whole organisation
        /// (the directory, the organisation's board) are open to every token.
        #[arg(long, value_name = "SITES")]
        sites: Option<Sites>,
        /// The device may list and revoke the organisation's tokens from its Settings (a
        /// manager's device).
        #[arg(long)]
        manage: bool,
    },
    /// List tokens (never their secrets).
    List {
        #[arg(long)]
        org: Option<OrgName>,
    },
    /// Revoke a token by its id; devices using it are told at their next connection to
    /// delete what they hold of the organisation.
    Revoke { id: String },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    match cli.command {
        Command::Serve {
            addr,
            dist,
            first_run_org,
            snapshot_every,
            quota_mib,
            metrics_addr,
            insecure_http,
        } => {
            plain_http_allowed(addr, insecure_http)?;
            let mut config = Config::new(addr, cli.place.data.clone());
            config.database = cli.place.database.clone();
            config.database_reach = reach(cli.place.insecure_database);
            config.database_ca = cli.place.database_ca.clone();
            config.dist_dir = Some(dist);
            config.limits.snapshot_every = snapshot_every;
            config.limits.org_quota_bytes = quota_mib.saturating_mul(MIB);
            config.metrics_addr = metrics_addr;
            serve(config, first_run_org).await
        }
        Command::Backup { to } => {
            if cli.place.database.is_some() {
                bail!(
                    "the relay's data is in PostgreSQL: back it up with PostgreSQL's own tools \
                     (pg_dump for a copy, or continuous archiving with pg_basebackup)"
                );
            }
            SqliteStorage::backup(&cli.place.data.join(DATABASE_FILE), &to)
                .await
                .with_context(|| format!("writing the backup to {}", to.display()))?;
            println!("backup written to {}", to.display());
            Ok(())
        }
        Command::Org {
            command:
                OrgCommand::Quota {
                    name,
                    mib,
                    relay_default,
                },
        } => {
            let storage = cli.place.open().await?;
            let change = match (mib, relay_default) {
                (Some(mib), _) => Some(Some(mib.saturating_mul(MIB))),
                (None, true) => Some(None),
                (None, false) => None,
            };
            if let Some(quota) = change {
                if !storage.set_org_quota(&name, quota).await? {
                    bail!("there is no organisation {name}");
                }
            }
            let stored = storage.stored_bytes(&name).await?;
            let quota = match storage.org_quota(&name).await? {
                Some(own) => format!("its own quota of {} MiB", own / MIB),
                None => "the relay's quota (serve --quota-mib)".to_owned(),
            };
            println!(
                "{name} stores {:.1} MiB, under {quota}",
                stored as f64 / MIB as f64
            );
            Ok(())
        }
        Command::Org {
            command: OrgCommand::Create { name },
        } => {
            let storage = cli.place.open().await?;
            if storage.create_org(&name).await? {
                println!("created organisation {name}");
            } else {
                println!("organisation {name} already exists");
            }
            Ok(())
        }
        Command::Token { command } => token(cli.place.open().await?, command).await,
    }
}

/// Bytes in a mebibyte, the unit quotas are given in.
const MIB: u64 = 1024 * 1024;

/// How far the relay may reach its database without TLS.
fn reach(insecure_database: bool) -> Reach {
    if insecure_database {
        tracing::warn!(
            "PostgreSQL on another machine is reached in plain text (--insecure-database)"
        );
        Reach::PlainNetwork
    } else {
        Reach::Verified
    }
}

/// The relay serves plain HTTP; on a loopback address only a proxy on the same machine
/// (which ends TLS) reaches it. Anywhere else needs `--insecure-http`, and is warned about.
fn plain_http_allowed(addr: SocketAddr, insecure_http: bool) -> anyhow::Result<()> {
    if addr.ip().is_loopback() {
        return Ok(());
    }
    if !insecure_http {
        bail!(
            "refusing to serve plain HTTP on {addr}: device tokens and patient data would cross \
             the network unencrypted. Listen on 127.0.0.1 behind a proxy that serves HTTPS, or \
             pass --insecure-http on a network you trust."
        );
    }
    tracing::warn!(%addr, "serving plain HTTP on a non-loopback address (--insecure-http)");
    Ok(())
}

async fn serve(config: Config, first_run_org: Option<OrgName>) -> anyhow::Result<()> {
    let data = config.data_dir.clone();
    let running = start(config).await.context("starting the relay")?;
    let addr = running.addr;
    let mut out = std::io::stdout().lock();
    writeln!(out, "listening on {addr}")?;
    if let Some(metrics) = running.metrics_addr {
        writeln!(out, "metrics on http://{metrics}/metrics")?;
    }
    let url = format!("http://{addr}/");
    // The first device is the first owner's: it may manage the organisation's tokens.
    let first_token = match &first_run_org {
        Some(org) if !running.storage.has_tokens().await? => {
            let token = running
                .storage
                .create_token(org, "first device", &Sites::All)
                .await?;
            running.storage.allow_managing(&token.id).await?;
            Some(token)
        }
        _ => None,
    };
    match first_token {
        // A fragment, not a query: browsers do not send it to the server, so the secret
        // never lands in an access log.
        Some(token) => writeln!(out, "Open this link: {url}#token={}", token.secret.expose())?,
        None => {
            writeln!(out, "Front desk is running at {url}")?;
            writeln!(
                out,
                "To sign in a device, make a link with: sync-server token create --org NAME --data {}",
                data.display()
            )?;
        }
    }
    if addr.ip().is_unspecified() {
        writeln!(
            out,
            "(Other devices use this machine's network address instead of {})",
            addr.ip()
        )?;
    }
    out.flush()?;
    drop(out);

    shutdown_signal().await?;
    tracing::info!("shutting down");
    running.shutdown().await?;
    Ok(())
}

async fn shutdown_signal() -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut terminate = signal(SignalKind::terminate())?;
        tokio::select! {
            result = tokio::signal::ctrl_c() => result?,
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    tokio::signal::ctrl_c().await?;
    Ok(())
}

async fn token(storage: Arc<dyn Storage>, command: TokenCommand) -> anyhow::Result<()> {
    match command {
        TokenCommand::Create {
            org,
            label,
            sites,
            manage,
        } => {
            let sites = sites.unwrap_or_default();
            let token = storage.create_token(&org, &label, &sites).await?;
            if manage {
                storage.allow_managing(&token.id).await?;
            }
            // The secret alone on stdout, so that a script can capture it; the rest on
            // stderr for the person.
            println!("{}", token.secret.expose());
            eprintln!(
                "token id {} for organisation {org}, {sites} (the secret is shown only once)",
                token.id
            );
        }
        TokenCommand::List { org } => {
            let tokens = storage.list_tokens(org.as_ref()).await?;
            println!("ID\tORG\tLABEL\tSITES\tMANAGES\tCREATED\tREVOKED");
            for t in tokens {
                let revoked = t
                    .revoked_at
                    .map_or_else(|| "-".to_owned(), |r| r.to_rfc3339());
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{}\t{revoked}",
                    t.id,
                    t.org,
                    t.label.escape_debug(),
                    t.sites,
                    if t.manage { "yes" } else { "no" },
                    t.created_at.to_rfc3339()
                );
            }
        }
        TokenCommand::Revoke { id } => {
            if !storage.revoke_token(&id).await? {
                bail!("no token with id {id}");
            }
            println!("revoked token {id}");
        }
    }
    Ok(())
}
