use accord_api::{App, AppConfig, Roles};
use anyhow::Context;
use clap::{Args, ValueEnum};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Clone, Copy, ValueEnum)]
pub enum Role {
    /// Ingest API, projector and queries in one process.
    All,
    /// Stateless ingest API only (scale freely).
    Ingest,
    /// Projector + its own sled + query API (one per replica).
    Query,
}

#[derive(Args)]
pub struct UpArgs {
    /// NATS server URL.
    #[arg(
        long = "nats",
        env = "NATS_URL",
        default_value = "nats://127.0.0.1:4222"
    )]
    nats: String,
    #[command(flatten)]
    nats_auth: crate::nats::NatsArgs,
    /// Folder for the sled projection.
    #[arg(long, env = "ACCORD_DATA_DIR", default_value = ".accord")]
    data_dir: PathBuf,
    /// gRPC listen address.
    #[arg(long, env = "ACCORD_LISTEN", default_value = "127.0.0.1:50051")]
    listen: SocketAddr,
    /// Which role(s) this process plays.
    #[arg(long, env = "ACCORD_ROLE", value_enum, default_value = "all")]
    role: Role,
    /// JetStream stream holding the event log.
    #[arg(long, env = "ACCORD_STREAM", default_value = "ACCORD")]
    stream: String,
    /// Stream replicas (3 on a three-node NATS cluster).
    #[arg(long, env = "ACCORD_REPLICAS", default_value_t = 1)]
    replicas: usize,
    /// sled page cache in MiB (sled's own default of 1 GiB costs GiBs of RSS).
    #[arg(long, env = "ACCORD_CACHE_MB", default_value_t = 64)]
    cache_mb: u64,
    /// Longest a query waits for its `min_position`, in milliseconds.
    #[arg(long, env = "ACCORD_MAX_WAIT_MS", default_value_t = 5000)]
    max_wait_ms: u64,
    /// Days before a deadline at which a due-soon alert is raised.
    #[arg(
        long,
        env = "ACCORD_ALERT_LEAD_DAYS",
        value_delimiter = ',',
        default_value = "30,7"
    )]
    alert_lead_days: Vec<u32>,
    /// Assessment window when a readout gives no time, in months per kind.
    #[arg(long, env = "ACCORD_HORIZON_MONTHS", value_parser = parse_horizons, default_value = "action=12,cooperation=12,meeting=12")]
    horizon_months: Horizons,
    /// Seconds between alert scans (0: no alerter in this process).
    #[arg(long, env = "ACCORD_ALERT_TICK_SECS", default_value_t = 60)]
    alert_tick_secs: u64,
    /// The log's key file: `key-id secret` lines; the first key signs what
    /// this process appends, every key verifies what it reads (README "Log
    /// authenticity"). `accord log-key new FILE` creates or rotates one.
    #[arg(long, env = "ACCORD_LOG_KEYS", conflicts_with = "insecure_log")]
    log_keys: Option<PathBuf>,
    /// Run without log keys: nothing is signed and every log entry is
    /// believed, so anyone who can publish to NATS writes Accord's record.
    /// For development only.
    #[arg(long, env = "ACCORD_INSECURE_LOG")]
    insecure_log: bool,
    /// Do not run the follow-up linker in this query replica (another one
    /// does; any number may, command ids keep links from doubling).
    #[arg(long, env = "ACCORD_NO_LINKER")]
    no_linker: bool,
    /// Push alerts to this Alertmanager-compatible receiver (base URL, http://).
    #[arg(long, env = "ACCORD_ALERTMANAGER_URL")]
    alertmanager_url: Option<String>,
    /// Seconds between re-sends of every open alert to the receiver; keep it
    /// well below Alertmanager's `resolve_timeout` (default 5 min), which
    /// resolves alerts not re-sent in time (0: never re-send).
    #[arg(long, env = "ACCORD_ALERT_RESEND_SECS", default_value_t = 60)]
    alert_resend_secs: u64,
    /// Durable consumer name of the alert sink; replicas sharing it share the work.
    #[arg(long, env = "ACCORD_SINK_NAME", default_value = "alertmanager")]
    sink_name: String,
    /// Folder with extra parties.tsv / leaders.tsv / topics.tsv rows for the
    /// extractor (same columns as crates/accord-extract/data/).
    #[arg(long, env = "ACCORD_GAZETTEER_DIR")]
    gazetteer_dir: Option<PathBuf>,
    /// Base URL for links in alerts (generatorURL), which go to
    /// `<url>/commitments/<id>`: the board's commitment page (default:
    /// `http://` + `--http-listen`), or without the board the operators'
    /// page on `--metrics-listen`.
    #[arg(long, env = "ACCORD_PUBLIC_URL")]
    public_url: Option<String>,
    /// HTTP listener for operators: `/metrics` (Prometheus), `/healthz`,
    /// `/readyz`, `/commitments/<id>`. Loopback by default; `off` turns it off.
    #[arg(long, env = "ACCORD_METRICS_LISTEN", default_value = "127.0.0.1:9464")]
    metrics_listen: String,
    /// Report ready (gRPC health SERVING, /readyz 200) before the projection
    /// has caught up with the log after start (query role).
    #[arg(long, env = "ACCORD_READY_BEFORE_CATCH_UP")]
    ready_before_catch_up: bool,
    /// Not ready while the data folder's disk has less free space than
    /// this, in MiB (query role).
    #[arg(long, env = "ACCORD_MIN_FREE_MB", default_value_t = 64)]
    min_free_mb: u64,
    /// The projector stops writing (and the query role reports NOT_SERVING)
    /// while the data folder's disk has less free space than this, in MiB,
    /// and resumes by itself once there is more; the event log keeps every
    /// event meanwhile. Keep it below --min-free-mb.
    #[arg(long, env = "ACCORD_DISK_RESERVE_MB", default_value_t = 16)]
    disk_reserve_mb: u64,
    /// HTTP/JSON API (`/api/v1`, OpenAPI at `/api/v1/openapi.json`) and the
    /// follow-up board (`/`), query role; same tokens and roles as gRPC
    /// (`--tokens`). Loopback by default; `off` turns it off.
    #[arg(long, env = "ACCORD_HTTP_LISTEN", default_value = "127.0.0.1:8080")]
    http_listen: String,
    /// Size cap of the event log stream when this process creates it, in
    /// MiB; at the cap new events are refused (RESOURCE_EXHAUSTED), old
    /// ones are never dropped. Default: no cap beyond the server's storage.
    #[arg(long, env = "ACCORD_STREAM_MAX_MB")]
    stream_max_mb: Option<u64>,
    /// gRPC requests in flight in this process; past it a request is
    /// refused at once with RESOURCE_EXHAUSTED (retry with backoff).
    #[arg(long, env = "ACCORD_MAX_IN_FLIGHT", default_value_t = 1024)]
    max_in_flight: usize,
    /// gRPC requests in flight on one client connection; past it,
    /// RESOURCE_EXHAUSTED.
    #[arg(long, env = "ACCORD_MAX_PER_CONNECTION", default_value_t = 256)]
    max_per_connection: usize,
    /// HTTP/2 streams one connection may have open at once (further ones
    /// wait in the client).
    #[arg(long, env = "ACCORD_MAX_STREAMS", default_value_t = 512)]
    max_streams: u32,
    /// Open watches (WatchCommitments, WatchAlerts) in this process; past
    /// it a new watch is RESOURCE_EXHAUSTED.
    #[arg(long, env = "ACCORD_MAX_WATCHES", default_value_t = 1024)]
    max_watches: usize,
    /// A request handler still running after this many seconds is
    /// cancelled (CANCELLED); a watch's stream is not cut by it.
    #[arg(long, env = "ACCORD_REQUEST_TIMEOUT_SECS", default_value_t = 60)]
    request_timeout_secs: u64,
    #[command(flatten)]
    security: SecurityArgs,
}

/// Where alert links point by default: the board's commitment page when the
/// board is on, else the operators' page on the metrics listener.
fn generator_url(http_listen: Option<SocketAddr>, metrics_listen: &str) -> String {
    match http_listen {
        Some(addr) => format!("http://{addr}"),
        None => format!("http://{metrics_listen}"),
    }
}

/// `HOST:PORT`, or `None` for `off`.
fn listen_addr(flag: &str, raw: &str) -> anyhow::Result<Option<SocketAddr>> {
    match raw {
        "off" | "" => Ok(None),
        addr => Ok(Some(addr.parse().with_context(|| {
            format!("{flag} {addr:?} is not HOST:PORT or off")
        })?)),
    }
}

/// TLS and who may call what (README "Security").
#[derive(Args)]
pub struct SecurityArgs {
    /// Serve gRPC over TLS with this certificate (PEM, chain first).
    #[arg(
        long,
        env = "ACCORD_TLS_CERT",
        value_name = "PEM",
        requires = "tls_key"
    )]
    tls_cert: Option<PathBuf>,
    /// Private key (PEM) of `--tls-cert`.
    #[arg(
        long,
        env = "ACCORD_TLS_KEY",
        value_name = "PEM",
        requires = "tls_cert"
    )]
    tls_key: Option<PathBuf>,
    /// Require a client certificate signed by this CA (PEM) from every
    /// caller (mTLS); its CN or DNS name maps to a `cert:` line of `--tokens`.
    #[arg(
        long,
        env = "ACCORD_CLIENT_CA",
        value_name = "PEM",
        requires = "tls_cert"
    )]
    client_ca: Option<PathBuf>,
    /// Tokens file: one `NAME ROLE sha256:<hash>|cert:<name>` per line
    /// (`accord token add`). Without it every caller is `local` (admin),
    /// which is only allowed on a loopback address.
    #[arg(long, env = "ACCORD_TOKENS", value_name = "FILE")]
    tokens: Option<PathBuf>,
    /// Serve gRPC on a non-loopback address without TLS and/or a tokens
    /// file anyway: anyone who reaches the port reads and writes the record.
    #[arg(long, env = "ACCORD_INSECURE")]
    insecure: bool,
}

impl SecurityArgs {
    fn load(&self) -> anyhow::Result<accord_api::auth::GrpcSecurity> {
        let read = |p: &PathBuf| std::fs::read(p).with_context(|| format!("read {}", p.display()));
        let tls = match (&self.tls_cert, &self.tls_key) {
            (Some(cert), Some(key)) => Some(accord_api::auth::TlsFiles {
                cert: read(cert)?,
                key: read(key)?,
                client_ca: self.client_ca.as_ref().map(read).transpose()?,
            }),
            _ => None,
        };
        let tokens = match &self.tokens {
            Some(path) => Some(std::sync::Arc::new(accord_auth::TokensFile::load(path)?)),
            None => None,
        };
        Ok(accord_api::auth::GrpcSecurity {
            tls,
            tokens,
            insecure: self.insecure,
        })
    }
}

impl UpArgs {
    /// The role's name as given on the command line (`all`, `ingest`, …).
    pub fn role_name(&self) -> String {
        clap::ValueEnum::to_possible_value(&self.role)
            .map(|v| v.get_name().to_owned())
            .unwrap_or_default()
    }
}

#[derive(Clone, Debug)]
pub struct Horizons([(accord_domain::Kind, u32); 3]);

fn parse_horizons(raw: &str) -> Result<Horizons, String> {
    use accord_domain::Kind;
    let mut out = accord_domain::alerts::DeadlinePolicy::default().horizon_months;
    for part in raw.split(',').filter(|p| !p.trim().is_empty()) {
        let (kind, months) = part
            .split_once('=')
            .ok_or_else(|| format!("{part:?}: expected KIND=MONTHS"))?;
        let kind: Kind = kind.trim().parse()?;
        let months: u32 = months
            .trim()
            .parse()
            .map_err(|_| format!("{months:?} is not a number of months"))?;
        let slot = out
            .iter_mut()
            .find(|(k, _)| *k == kind)
            .ok_or_else(|| format!("{kind} commitments have no deadline"))?;
        slot.1 = months;
    }
    Ok(Horizons(out))
}

pub async fn run(args: UpArgs) -> anyhow::Result<()> {
    let mut config = AppConfig::new(args.nats.clone(), args.data_dir.clone());
    config.security = args.security.load()?;
    config.bus.stream = args.stream;
    config.bus.replicas = args.replicas;
    config.bus.auth = args.nats_auth.auth();
    config.bus.max_bytes = args.stream_max_mb.map(|mb| (mb << 20) as i64);
    match (&args.log_keys, args.insecure_log) {
        (Some(path), _) => {
            let keys = accord_bus::LogKeys::load(path)?;
            tracing::info!(signing = keys.signing_key_id(), keys = ?keys, "log keys loaded");
            config.bus = config.bus.with_keys(keys);
        }
        (None, true) => tracing::warn!(
            "--insecure-log: appends are not signed and log entries are not verified; anyone who can publish to NATS can write Accord's record"
        ),
        (None, false) => anyhow::bail!(
            "no log keys: give --log-keys FILE (or ACCORD_LOG_KEYS); `accord log-key new FILE` creates one. For development only, --insecure-log runs without"
        ),
    }
    config.listen = args.listen;
    config.cache_bytes = args.cache_mb << 20;
    config.max_wait = Duration::from_millis(args.max_wait_ms);
    config.alerts.lead_days = args.alert_lead_days.clone();
    config.extra = crate::extract::load_gazetteer(args.gazetteer_dir.as_deref())?;
    config.linker = !args.no_linker;
    config.deadlines.horizon_months = args.horizon_months.0;
    config.alert_tick =
        (args.alert_tick_secs > 0).then(|| Duration::from_secs(args.alert_tick_secs));
    let http_listen = listen_addr("--http-listen", &args.http_listen)?
        .filter(|_| !matches!(args.role, Role::Ingest));
    if let Some(addr) = http_listen {
        // The same rule as the gRPC listener: exposed means authenticated.
        if !addr.ip().is_loopback() && config.security.tokens.is_none() && !args.security.insecure {
            anyhow::bail!("refusing to serve the HTTP API on {addr} without authentication (--tokens); pass --insecure to do it anyway");
        }
    }
    config.sink = args.alertmanager_url.clone().map(|url| {
        let mut sink = accord_alertmanager::SinkConfig::new(url);
        sink.name = args.sink_name.clone();
        sink.generator_url = args
            .public_url
            .clone()
            .unwrap_or_else(|| generator_url(http_listen, &args.metrics_listen));
        sink.resend_every =
            (args.alert_resend_secs > 0).then(|| Duration::from_secs(args.alert_resend_secs));
        sink
    });
    config.metrics_listen = listen_addr("--metrics-listen", &args.metrics_listen)?;
    config.health.wait_for_catch_up = !args.ready_before_catch_up;
    config.health.min_free_bytes = args.min_free_mb << 20;
    config.disk_reserve_bytes = args.disk_reserve_mb << 20;
    config.limits = accord_api::ServerLimits {
        max_in_flight: args.max_in_flight.max(1),
        per_connection: args.max_per_connection.max(1),
        max_streams: args.max_streams.max(1),
        max_watches: args.max_watches,
        request_timeout: Duration::from_secs(args.request_timeout_secs.max(1)),
    };
    config.roles = match args.role {
        Role::All => Roles {
            ingest: true,
            query: true,
        },
        Role::Ingest => Roles {
            ingest: true,
            query: false,
        },
        Role::Query => Roles {
            ingest: false,
            query: true,
        },
    };
    if config.roles.query {
        std::fs::create_dir_all(&args.data_dir)
            .with_context(|| format!("create data folder {}", args.data_dir.display()))?;
    }
    let tokens = config.security.tokens.clone();
    let mut app = App::start(config).await.with_context(|| {
        format!(
            "start accord (NATS at {})",
            accord_bus::redacted(&args.nats)
        )
    })?;
    if let Some(addr) = app.metrics_addr {
        eprintln!("accord metrics on http://{addr}/metrics");
    }
    let mut board = None;
    if let Some(addr) = http_listen {
        let (bound, listener) = accord_http::bind(addr)
            .await
            .with_context(|| format!("listen on --http-listen {addr}"))?;
        let http = accord_http::Http {
            service: app.service.clone(),
            tokens: accord_http::Tokens(tokens),
            clock: accord_api::system_clock(),
        };
        board = Some(tokio::spawn(accord_http::serve(listener, http)));
        eprintln!("accord HTTP API and board on http://{bound}/");
    }
    eprintln!("accord serving gRPC on {} (Ctrl-C to stop)", app.addr);
    tokio::select! {
        result = app.wait() => result.context("accord stopped")?,
        _ = shutdown_signal() => tracing::info!("shutting down"),
    }
    if let Some(board) = board {
        board.abort();
    }
    app.shutdown().await.context("shut down")?;
    Ok(())
}

/// Ctrl-C or SIGTERM (what `make run` and service managers send).
async fn shutdown_signal() {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .expect("install a SIGTERM handler");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
}

#[derive(Args)]
pub struct LogKeyArgs {
    #[command(subcommand)]
    command: LogKeyCommand,
}

#[derive(clap::Subcommand)]
enum LogKeyCommand {
    /// Add a fresh random key at the top of FILE (created if missing): it
    /// signs from the next start on, and the keys below keep verifying what
    /// they signed (rotation). Remove a key's line to revoke it.
    New {
        /// The key file.
        file: PathBuf,
        /// The new key's id (default: `k` and the current Unix time).
        #[arg(long)]
        id: Option<String>,
    },
}

pub fn log_key(args: LogKeyArgs) -> anyhow::Result<()> {
    let LogKeyCommand::New { file, id } = args.command;
    let id = id.unwrap_or_else(|| format!("k{}", time::OffsetDateTime::now_utc().unix_timestamp()));
    let old = match std::fs::read_to_string(&file) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(e).with_context(|| format!("read {}", file.display())),
    };
    let text = format!("{}\n{old}", accord_bus::LogKeys::generate_line(&id)?);
    accord_bus::LogKeys::parse(&text)?;
    if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("create {}", dir.display()))?;
    }
    write_private(&file, &text).with_context(|| format!("write {}", file.display()))?;
    println!("{}: key {id} now signs", file.display());
    Ok(())
}

/// Writes a file only its owner can read (it holds secrets).
fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    #[cfg(unix)]
    use std::os::unix::fs::OpenOptionsExt;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    options.mode(0o600);
    options.open(path)?.write_all(text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alert_links_go_to_the_board_when_it_is_on() {
        let board = Some("127.0.0.1:8080".parse().unwrap());
        assert_eq!(
            generator_url(board, "127.0.0.1:9464"),
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            generator_url(None, "127.0.0.1:9464"),
            "http://127.0.0.1:9464"
        );
        assert_eq!(listen_addr("--http-listen", "off").unwrap(), None);
        let e = listen_addr("--http-listen", "nowhere")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("--http-listen \"nowhere\" is not HOST:PORT or off"),
            "{e}"
        );
    }
}
