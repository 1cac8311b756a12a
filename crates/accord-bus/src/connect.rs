//! How every Accord process connects to NATS: servers, credentials, TLS.
//!
//! This is the one place that builds [`async_nats::ConnectOptions`]. Files
//! are checked before the first attempt, so a missing or malformed creds
//! file, seed, CA or key is an error naming the file, not a hang; a refused
//! password or an unknown CA stops at once instead of retrying. Secrets
//! (passwords, tokens, seeds) never appear in `Debug` output or errors.

use crate::BusError;
use async_nats::{ConnectErrorKind, ConnectOptions, ServerAddr};
use rustls_pki_types::{pem::PemObject, CertificateDer, PrivateKeyDer};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Credentials and TLS settings for the NATS connection. At most one of
/// `creds`, `nkey`, `user`/`password` and `token` is meant to be set (the
/// CLI enforces it); TLS combines with any of them.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct NatsAuth {
    /// A `.creds` file: the user's JWT and its nkey seed (decentralized auth).
    pub creds: Option<PathBuf>,
    /// A file holding an nkey seed (`SU…`), for servers listing nkey users.
    pub nkey: Option<PathBuf>,
    pub user: Option<String>,
    pub password: Option<String>,
    pub token: Option<String>,
    /// PEM file of the CA(s) that signed the server's certificate; implies TLS.
    pub tls_ca: Option<PathBuf>,
    /// PEM client certificate and key, for servers that verify clients.
    pub tls_cert: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
}

impl std::fmt::Debug for NatsAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let hidden = |s: &Option<String>| s.as_ref().map(|_| "<redacted>");
        f.debug_struct("NatsAuth")
            .field("creds", &self.creds)
            .field("nkey", &self.nkey)
            .field("user", &self.user)
            .field("password", &hidden(&self.password))
            .field("token", &hidden(&self.token))
            .field("tls_ca", &self.tls_ca)
            .field("tls_cert", &self.tls_cert)
            .field("tls_key", &self.tls_key)
            .finish()
    }
}

/// A credentials or TLS setting that cannot be used, naming what is wrong.
#[derive(Debug, thiserror::Error)]
pub enum NatsAuthError {
    #[error("{what} {path}: {reason}")]
    File {
        what: &'static str,
        path: PathBuf,
        reason: String,
    },
    #[error("NATS {0}")]
    Settings(String),
}

fn file_error(what: &'static str, path: &Path, reason: impl ToString) -> NatsAuthError {
    NatsAuthError::File {
        what,
        path: path.to_owned(),
        reason: reason.to_string(),
    }
}

fn read(what: &'static str, path: &Path) -> Result<String, NatsAuthError> {
    std::fs::read_to_string(path).map_err(|e| file_error(what, path, e))
}

impl NatsAuth {
    /// How this connection authenticates, for logs (never a secret).
    pub fn describe(&self) -> String {
        let who = match (&self.creds, &self.nkey, &self.user, &self.token) {
            (Some(path), ..) => format!("creds file {}", path.display()),
            (_, Some(path), ..) => format!("nkey seed {}", path.display()),
            (_, _, Some(user), _) => format!("user {user}"),
            (.., Some(_)) => "token".to_owned(),
            _ => "no credentials".to_owned(),
        };
        match &self.tls_ca {
            Some(ca) => format!("{who}, TLS (CA {})", ca.display()),
            None if self.tls_cert.is_some() => format!("{who}, TLS"),
            None => who,
        }
    }

    /// The connect options these settings ask for, after checking every
    /// file they name.
    pub fn options(&self) -> Result<ConnectOptions, NatsAuthError> {
        let mut options = ConnectOptions::new();
        if let Some(path) = &self.creds {
            let text = read("NATS credentials file", path)?;
            options = options
                .credentials(&text)
                .map_err(|e| file_error("NATS credentials file", path, e))?;
        }
        if let Some(path) = &self.nkey {
            let seed = read("NATS nkey seed file", path)?.trim().to_owned();
            nkeys::KeyPair::from_seed(&seed).map_err(|e| {
                file_error(
                    "NATS nkey seed file",
                    path,
                    format!("not an nkey seed ({e})"),
                )
            })?;
            options = options.nkey(seed);
        }
        match (&self.user, &self.password) {
            (Some(user), Some(password)) => {
                options = options.user_and_password(user.clone(), password.clone())
            }
            (Some(_), None) => {
                return Err(NatsAuthError::Settings(
                    "user given without a password (--nats-password / NATS_PASSWORD)".into(),
                ))
            }
            (None, Some(_)) => {
                return Err(NatsAuthError::Settings(
                    "password given without a user (--nats-user / NATS_USER)".into(),
                ))
            }
            (None, None) => {}
        }
        if let Some(token) = &self.token {
            options = options.token(token.clone());
        }
        self.tls(options)
    }

    fn tls(&self, mut options: ConnectOptions) -> Result<ConnectOptions, NatsAuthError> {
        if let Some(path) = &self.tls_ca {
            let what = "NATS TLS CA file";
            let certs = CertificateDer::pem_file_iter(path)
                .map_err(|e| file_error(what, path, e))?
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| file_error(what, path, e))?;
            if certs.is_empty() {
                return Err(file_error(what, path, "no PEM certificate in it"));
            }
            options = options
                .add_root_certificates(path.clone())
                .require_tls(true);
        }
        match (&self.tls_cert, &self.tls_key) {
            (Some(cert), Some(key)) => {
                let certs = CertificateDer::pem_file_iter(cert)
                    .map_err(|e| file_error("NATS TLS client certificate", cert, e))?
                    .count();
                if certs == 0 {
                    return Err(file_error(
                        "NATS TLS client certificate",
                        cert,
                        "no PEM certificate in it",
                    ));
                }
                PrivateKeyDer::from_pem_file(key)
                    .map_err(|e| file_error("NATS TLS client key", key, e))?;
                options = options
                    .add_client_certificate(cert.clone(), key.clone())
                    .require_tls(true);
            }
            (Some(_), None) | (None, Some(_)) => return Err(NatsAuthError::Settings(
                "TLS client certificate and key go together (--nats-tls-cert and --nats-tls-key)"
                    .into(),
            )),
            (None, None) => {}
        }
        Ok(options)
    }
}

/// `url` with any `user:password@` replaced, for logs and errors.
pub fn redacted(url: &str) -> String {
    url.split(',')
        .map(|one| match (one.find("://"), one.rfind('@')) {
            (Some(scheme), Some(at)) if at > scheme => {
                format!("{}://<redacted>@{}", &one[..scheme], &one[at + 1..])
            }
            (None, Some(at)) => format!("<redacted>@{}", &one[at + 1..]),
            _ => one.to_owned(),
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// Connects to one of the comma-separated servers in `url`. Servers that do
/// not answer yet are retried until `within` has passed; refused
/// credentials and TLS failures end it at once. Once connected, the client
/// reconnects on its own for as long as it lives.
pub async fn connect_client(
    url: &str,
    auth: &NatsAuth,
    name: &str,
    within: Duration,
) -> Result<async_nats::Client, BusError> {
    let shown = redacted(url);
    let fail = |reason: String| BusError::Connect {
        url: shown.clone(),
        reason,
    };
    let servers: Vec<ServerAddr> = url
        .split(',')
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .map(|u| u.parse())
        .collect::<Result<_, std::io::Error>>()
        .map_err(|e| fail(e.to_string()))?;
    let deadline = Instant::now() + within;
    loop {
        let options = auth
            .options()?
            .name(name)
            .connection_timeout(Duration::from_secs(5));
        let error = match options.connect(servers.clone()).await {
            Ok(client) => {
                tracing::info!(url = %shown, auth = %auth.describe(), "connected to NATS");
                return Ok(client);
            }
            Err(e) => e,
        };
        match error.kind() {
            ConnectErrorKind::AuthorizationViolation | ConnectErrorKind::Authentication => {
                return Err(fail(format!(
                    "the server refused the credentials ({}; {error})",
                    auth.describe()
                )))
            }
            // rustls' verdicts arrive as IO errors; they will not heal.
            kind if kind == ConnectErrorKind::Tls || is_tls_failure(&error) => {
                return Err(fail(format!(
                    "TLS failed ({}): {error} — is the server's certificate signed by the CA given, \
                     and does it name the host in the URL?",
                    auth.describe()
                )))
            }
            ConnectErrorKind::ServerParse | ConnectErrorKind::Dns => {
                return Err(fail(error.to_string()))
            }
            _ if Instant::now() >= deadline => {
                return Err(fail(format!("no answer within {within:?}: {error}")))
            }
            _ => tokio::time::sleep(Duration::from_millis(250)).await,
        }
    }
}

/// Whether a connect error is a TLS verdict (bad certificate, unknown CA,
/// handshake alert) rather than a server that is not up yet.
fn is_tls_failure(error: &async_nats::ConnectError) -> bool {
    let text = error.to_string().to_ascii_lowercase();
    ["certificate", "handshake", "tls", "alert"]
        .iter()
        .any(|w| text.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_lose_their_user_info() {
        for (url, shown) in [
            ("nats://127.0.0.1:4222", "nats://127.0.0.1:4222"),
            ("nats://accord:s3cret@h:4222", "nats://<redacted>@h:4222"),
            (
                "tok@h:4222,nats://h2:4222",
                "<redacted>@h:4222,nats://h2:4222",
            ),
        ] {
            assert_eq!(redacted(url), shown, "{url}");
        }
    }

    #[test]
    fn debug_hides_secrets() {
        let auth = NatsAuth {
            user: Some("accord".into()),
            password: Some("s3cret".into()),
            token: Some("t0ken".into()),
            ..NatsAuth::default()
        };
        let shown = format!("{auth:?} {}", auth.describe());
        assert!(shown.contains("accord"), "{shown}");
        assert!(
            !shown.contains("s3cret") && !shown.contains("t0ken"),
            "{shown}"
        );
    }

    #[test]
    fn unusable_settings_name_the_file_or_the_setting() {
        let dir = tempfile::tempdir().unwrap();
        let junk = dir.path().join("junk.txt");
        std::fs::write(&junk, "not a key\n").unwrap();
        let missing = dir.path().join("missing.pem");
        let check = |auth: NatsAuth, expected: &[&str]| {
            let Err(e) = auth.options() else {
                panic!("{auth:?} was accepted")
            };
            let text = e.to_string();
            for part in expected {
                assert!(text.contains(part), "{text:?} lacks {part:?}");
            }
        };
        check(
            NatsAuth {
                creds: Some(junk.clone()),
                ..NatsAuth::default()
            },
            &["NATS credentials file", "junk.txt", "cannot parse user JWT"],
        );
        check(
            NatsAuth {
                creds: Some(missing.clone()),
                ..NatsAuth::default()
            },
            &["NATS credentials file", "missing.pem"],
        );
        check(
            NatsAuth {
                nkey: Some(junk.clone()),
                ..NatsAuth::default()
            },
            &["NATS nkey seed file", "junk.txt", "not an nkey seed"],
        );
        check(
            NatsAuth {
                tls_ca: Some(junk.clone()),
                ..NatsAuth::default()
            },
            &["NATS TLS CA file", "junk.txt", "no PEM certificate"],
        );
        check(
            NatsAuth {
                tls_ca: Some(missing.clone()),
                ..NatsAuth::default()
            },
            &["NATS TLS CA file", "missing.pem"],
        );
        check(
            NatsAuth {
                tls_cert: Some(junk.clone()),
                ..NatsAuth::default()
            },
            &["--nats-tls-key"],
        );
        check(
            NatsAuth {
                user: Some("accord".into()),
                ..NatsAuth::default()
            },
            &["without a password"],
        );
    }
}
