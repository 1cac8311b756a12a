//! Every outgoing HTTP(S) client in Accord is built here: `accord ingest`'s
//! fetcher, the Alertmanager sink's poster, the OTLP trace exporter, the
//! tests' clients.
//!
//! reqwest's rustls backend needs a rustls `CryptoProvider`. Accord uses
//! ring everywhere (tonic `tls-ring`, rcgen) and never aws-lc, so reqwest
//! is built with `rustls-no-provider`, and because cargo unifies features
//! that applies to every reqwest client in the workspace: one built with
//! `reqwest::Client::builder()` alone panics ("no process-level
//! CryptoProvider"). Rather than installing a process-wide default (which
//! every binary, test and library entry point would have to remember, in
//! the right order), each client gets a rustls `ClientConfig` made here
//! with the ring provider passed explicitly. `clippy.toml` forbids
//! reqwest's own constructors everywhere else, so a client cannot be built
//! without this crate.
//!
//! Certificates are checked against the system's roots (rustls'
//! platform verifier: the OS store) plus the extra CA certificates given
//! (e.g. `accord ingest --fetch-ca-cert FILE` for a private CA).

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::{DigitallySignedStruct, SignatureScheme};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, ServerName, UnixTime};
use std::path::Path;
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("read CA certificates from {path}: {reason}")]
    CaFile { path: String, reason: String },
    #[error("CA certificate file {0} holds no PEM certificate")]
    NoCertificate(String),
    #[error("set up TLS for HTTP clients: {0}")]
    Tls(#[from] rustls::Error),
    #[error("set up the HTTP client: {0}")]
    Build(#[from] reqwest::Error),
}

/// The PEM certificates in `path` (a private CA to trust besides the
/// system's roots).
pub fn load_ca_file(path: &Path) -> Result<Vec<CertificateDer<'static>>, ClientError> {
    let shown = path.display().to_string();
    let certs = CertificateDer::pem_file_iter(path)
        .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
        .map_err(|e| ClientError::CaFile {
            path: shown.clone(),
            reason: e.to_string(),
        })?;
    if certs.is_empty() {
        return Err(ClientError::NoCertificate(shown));
    }
    Ok(certs)
}

/// The crypto every client uses: ring.
pub fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// A TLS client configuration on ring that trusts the system's roots and
/// `extra`. A system without any CA certificate still gets a client (plain
/// HTTP works); HTTPS then fails naming the missing roots.
pub fn tls_config(extra: &[CertificateDer<'static>]) -> Result<rustls::ClientConfig, ClientError> {
    let provider = provider();
    let verifier: Arc<dyn ServerCertVerifier> =
        match rustls_platform_verifier::Verifier::new_with_extra_roots(
            extra.iter().cloned(),
            provider.clone(),
        ) {
            Ok(verifier) => Arc::new(verifier),
            Err(e) if extra.is_empty() => Arc::new(NoRoots {
                reason: e.to_string(),
                provider: provider.clone(),
            }),
            Err(e) => return Err(e.into()),
        };
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth())
}

/// An async client builder with Accord's TLS; add timeouts and the rest.
#[allow(clippy::disallowed_methods)] // the one place reqwest builders are made
pub fn builder(extra: &[CertificateDer<'static>]) -> Result<reqwest::ClientBuilder, ClientError> {
    Ok(reqwest::Client::builder().tls_backend_preconfigured(tls_config(extra)?))
}

/// A blocking client builder with Accord's TLS (the OTLP exporter's).
/// Like any blocking reqwest client, build it outside an async runtime.
#[allow(clippy::disallowed_methods)] // the one place reqwest builders are made
pub fn blocking_builder(
    extra: &[CertificateDer<'static>],
) -> Result<reqwest::blocking::ClientBuilder, ClientError> {
    Ok(reqwest::blocking::Client::builder().tls_backend_preconfigured(tls_config(extra)?))
}

/// An async client with Accord's TLS and nothing else set (tests).
pub fn client() -> Result<reqwest::Client, ClientError> {
    Ok(builder(&[])?.build()?)
}

/// Refuses every certificate: the system has no CA roots and none were
/// given, so no server can be verified.
#[derive(Debug)]
struct NoRoots {
    reason: String,
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for NoRoots {
    fn verify_server_cert(
        &self,
        _: &CertificateDer<'_>,
        _: &[CertificateDer<'_>],
        _: &ServerName<'_>,
        _: &[u8],
        _: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Err(rustls::Error::General(format!(
            "no CA certificate to verify the server with ({}); install the system's CA \
             certificates or pass the CA's certificate file",
            self.reason
        )))
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        let algorithms = &self.provider.signature_verification_algorithms;
        rustls::crypto::verify_tls12_signature(message, cert, dss, algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        let algorithms = &self.provider.signature_verification_algorithms;
        rustls::crypto::verify_tls13_signature(message, cert, dss, algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Without a process-wide provider (nothing here installs one), every
    /// kind of client builds: the configuration carries ring itself.
    #[test]
    fn clients_build_without_a_process_wide_crypto_provider() {
        assert!(CryptoProvider::get_default().is_none());
        client().unwrap();
        std::thread::spawn(|| blocking_builder(&[]).unwrap().build().unwrap())
            .join()
            .unwrap();
        assert!(CryptoProvider::get_default().is_none());
    }

    #[test]
    fn ca_files_are_read_or_refused_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let empty = dir.path().join("empty.pem");
        std::fs::write(&empty, "not a certificate\n").unwrap();
        let err = load_ca_file(&empty).unwrap_err().to_string();
        assert!(err.contains("empty.pem holds no PEM certificate"), "{err}");
        let missing = dir.path().join("missing.pem");
        let err = load_ca_file(&missing).unwrap_err().to_string();
        assert!(err.starts_with("read CA certificates from "), "{err}");
        assert!(err.contains("missing.pem"), "{err}");
    }
}
