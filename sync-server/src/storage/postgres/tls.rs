//! TLS to PostgreSQL: rustls (ring), verifying the server's certificate and name against
//! the certificate authorities in a PEM file the operator names (`--database-ca`, for a
//! database with a private CA), or else the system's.

use std::path::Path;
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;
use rustls::{ClientConfig, RootCertStore};
use tokio_postgres_rustls::MakeRustlsConnect;

use crate::Error;

/// The connector every connection to the database uses; it speaks TLS only when the
/// settings' `sslmode` asks for it ([`super::connect::config`] decides).
pub(super) fn connector(ca: Option<&Path>) -> Result<MakeRustlsConnect, Error> {
    let mut roots = RootCertStore::empty();
    match ca {
        Some(path) => {
            let unreadable = |e: &dyn std::fmt::Display| {
                Error::Setup(format!(
                    "the database's certificate authorities in {} do not read: {e}",
                    path.display()
                ))
            };
            let certs = CertificateDer::pem_file_iter(path).map_err(|e| unreadable(&e))?;
            for cert in certs {
                let cert = cert.map_err(|e| unreadable(&e))?;
                roots.add(cert).map_err(|e| unreadable(&e))?;
            }
            if roots.is_empty() {
                return Err(unreadable(&"the file holds no certificate"));
            }
        }
        None => {
            // Whatever of the system's store reads; a database whose certificate none of
            // them signed is refused when the relay connects, with the reason.
            let found = rustls_native_certs::load_native_certs();
            roots.add_parsable_certificates(found.certs);
        }
    }
    // ring rather than aws-lc-rs: no C library to build on a fresh machine. rustls 0.23.48
    // marks it deprecated because only aws-lc-rs offers post-quantum key exchange, which a
    // relay's connection to its own database does without (TLS 1.3 with X25519).
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Setup(format!("TLS to the database: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(MakeRustlsConnect::new(config))
}
