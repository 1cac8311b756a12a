//! Reaching the server: address, TLS (`--ca-cert`, `--cert`, `--key`) and
//! the bearer token (`--token`) every client command shares.

use accord_proto::v1::accord_client::AccordClient;
use anyhow::Context;
use clap::Args;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tonic::metadata::{Ascii, MetadataValue};
use tonic::service::interceptor::{InterceptedService, Interceptor};
use tonic::transport::{Certificate, Channel, ClientTlsConfig, Endpoint, Identity};

#[derive(Args)]
pub struct ServerArgs {
    /// Accord gRPC address (`https://` for a TLS server; `--ca-cert` implies it).
    #[arg(
        long,
        env = "ACCORD_SERVER",
        default_value = "http://127.0.0.1:50051",
        global = true
    )]
    server: String,
    /// Keep trying to connect for this many seconds (the server may be starting).
    #[arg(long, env = "ACCORD_CONNECT_WAIT", default_value_t = 10, global = true)]
    connect_wait: u64,
    /// PEM file of the CA that signed the server's certificate: connect over
    /// TLS and trust only that CA (`accord credentials init` writes `ca.pem`).
    #[arg(long, env = "ACCORD_CA_CERT", value_name = "PEM", global = true)]
    ca_cert: Option<PathBuf>,
    /// Client certificate (PEM) to present when the server asks for one (mTLS).
    #[arg(
        long,
        env = "ACCORD_CERT",
        value_name = "PEM",
        requires = "key",
        global = true
    )]
    cert: Option<PathBuf>,
    /// Private key (PEM) of `--cert`.
    #[arg(
        long,
        env = "ACCORD_KEY",
        value_name = "PEM",
        requires = "cert",
        global = true
    )]
    key: Option<PathBuf>,
    /// Bearer token sent as `authorization: Bearer <token>` (never printed;
    /// prefer the environment variable over the flag, which `ps` shows).
    #[arg(long, env = "ACCORD_TOKEN", hide_env_values = true, global = true)]
    token: Option<String>,
}

/// An Accord client that sends the bearer token with every call.
pub type Client = AccordClient<InterceptedService<Channel, Bearer>>;

/// Adds `authorization: Bearer <token>` to each request, if there is a token.
#[derive(Clone)]
pub struct Bearer(Option<MetadataValue<Ascii>>);

impl Interceptor for Bearer {
    fn call(
        &mut self,
        mut request: tonic::Request<()>,
    ) -> Result<tonic::Request<()>, tonic::Status> {
        if let Some(value) = &self.0 {
            request
                .metadata_mut()
                .insert("authorization", value.clone());
        }
        Ok(request)
    }
}

impl ServerArgs {
    fn endpoint(&self) -> anyhow::Result<Endpoint> {
        let tls = self.ca_cert.is_some() || self.cert.is_some();
        let url = match self.server.strip_prefix("http://") {
            Some(rest) if tls => format!("https://{rest}"),
            _ => self.server.clone(),
        };
        let mut endpoint = Endpoint::from_shared(url.clone())
            .with_context(|| format!("--server {url:?} is not a URL"))?;
        if url.starts_with("https://") {
            let ca = self.ca_cert.as_ref().with_context(|| {
                format!(
                    "{url} is TLS: give --ca-cert (the CA that signed the server's certificate)"
                )
            })?;
            let mut config =
                ClientTlsConfig::new().ca_certificate(Certificate::from_pem(read(ca)?));
            if let (Some(cert), Some(key)) = (&self.cert, &self.key) {
                config = config.identity(Identity::from_pem(read(cert)?, read(key)?));
            }
            endpoint = endpoint
                .tls_config(config)
                .context("TLS settings for the client")?;
        }
        Ok(endpoint)
    }

    fn bearer(&self) -> anyhow::Result<Bearer> {
        let Some(token) = self
            .token
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        else {
            return Ok(Bearer(None));
        };
        // The error must not echo the token.
        let value = MetadataValue::try_from(format!("Bearer {token}")).map_err(|_| {
            anyhow::anyhow!("--token / ACCORD_TOKEN holds characters a header cannot carry")
        })?;
        Ok(Bearer(Some(value)))
    }
}

fn read(path: &Path) -> anyhow::Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("read {}", path.display()))
}

/// How long the first answer on a new connection may take.
const PROBE_WAIT: Duration = Duration::from_secs(5);

/// Asks the server's health service once, so that a connection the server
/// dropped (under TLS 1.3 a refused client certificate shows only then) is
/// retried and then fails with its reason, or — when the drop leaves the
/// request waiting forever — is given up after [`PROBE_WAIT`] rather than
/// hanging the command. `Err(None)`: no answer in time.
async fn probe(channel: &Channel) -> Result<(), Option<tonic::Status>> {
    let mut health = tonic_health::pb::health_client::HealthClient::new(channel.clone());
    let check = health.check(tonic_health::pb::HealthCheckRequest::default());
    match tokio::time::timeout(PROBE_WAIT, check).await {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(status)) => Err(Some(status)),
        Err(_) => Err(None),
    }
}

pub async fn connect(args: &ServerArgs) -> anyhow::Result<Client> {
    let endpoint = args.endpoint()?;
    let bearer = args.bearer()?;
    let deadline = Instant::now() + Duration::from_secs(args.connect_wait);
    loop {
        match endpoint.connect().await {
            Ok(channel) => match probe(&channel).await {
                Ok(()) => {
                    return Ok(AccordClient::with_interceptor(channel, bearer)
                        .max_decoding_message_size(64 << 20))
                }
                // It answered, if not with health: the connection works.
                Err(Some(s)) if s.code() != tonic::Code::Unavailable => {
                    return Ok(AccordClient::with_interceptor(channel, bearer)
                        .max_decoding_message_size(64 << 20))
                }
                Err(Some(dropped)) if Instant::now() >= deadline => {
                    return Err(crate::client::status_error(dropped))
                }
                Err(Some(_)) => tokio::time::sleep(Duration::from_millis(200)).await,
                Err(None) if Instant::now() >= deadline => {
                    anyhow::bail!(
                        "accord at {} accepted the connection but did not answer within {} s \
                         (over TLS: the server may require a client certificate from its CA \
                         (--cert/--key), or refused yours)",
                        args.server,
                        PROBE_WAIT.as_secs()
                    )
                }
                Err(None) => continue,
            },
            Err(e) if Instant::now() >= deadline => {
                return Err(anyhow::Error::from(e)).with_context(|| {
                    format!(
                        "cannot reach accord at {} (is `accord up` running? TLS server: --ca-cert)",
                        args.server
                    )
                })
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
}
