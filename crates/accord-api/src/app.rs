//! Wiring: one process with the roles it was asked for. `accord up` runs
//! both; a deployment runs stateless ingest replicas and query replicas
//! (projector + its own sled + gRPC) separately.

use crate::alerter::Alerter;
use crate::clock::Clock;
use crate::commands::Commands;
use crate::ingest::Ingest;
use crate::linker::Linker;
use crate::query::Query;
use crate::service::AccordService;
use accord_alertmanager::SinkConfig;
use accord_bus::{Bus, BusConfig, BusError};
use accord_domain::alerts::{AlertPolicy, DeadlinePolicy};
use accord_projector::{AfterCommit, Decoder, Projector, ProjectorError};
use accord_proto::v1::accord_server::AccordServer;
use accord_store::{Store, StoreError};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::{oneshot, watch};
use tokio::task::JoinHandle;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Bus(#[from] BusError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("projector failed: {0}")]
    Projector(#[from] ProjectorError),
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("gRPC server failed: {0}")]
    Transport(#[from] tonic::transport::Error),
    #[error(transparent)]
    Api(#[from] crate::error::ApiError),
    #[error(transparent)]
    Sink(#[from] accord_alertmanager::SinkError),
    #[error("{0}")]
    Exposed(String),
    #[error("TLS settings (--tls-cert, --tls-key, --client-ca): {0}")]
    Tls(String),
    #[error("a task of the server panicked: {0}")]
    Join(#[from] tokio::task::JoinError),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Roles {
    pub ingest: bool,
    pub query: bool,
}

pub struct AppConfig {
    pub bus: BusConfig,
    pub listen: SocketAddr,
    /// The sled projection lives here (query role only).
    pub data_dir: PathBuf,
    pub cache_bytes: u64,
    /// The projector stops writing while the data folder's disk has less
    /// free than this (query role): sled refuses all writes after one
    /// failed, until it is opened again.
    pub disk_reserve_bytes: u64,
    pub roles: Roles,
    pub max_wait: Duration,
    pub clock: Clock,
    pub after_commit: Option<AfterCommit>,
    /// Assessment windows for commitments whose readout gives no time.
    pub deadlines: DeadlinePolicy,
    pub alerts: AlertPolicy,
    /// How often the alerter scans (query role); `None`: no background
    /// alerter (tests drive [`App::alerter`] by hand).
    pub alert_tick: Option<Duration>,
    /// Push alerts to an Alertmanager-compatible receiver.
    pub sink: Option<SinkConfig>,
    /// How log bytes become events (default: this build's decoder).
    pub decoder: Decoder,
    /// Extra gazetteer rows for the extractor.
    pub extra: Option<Arc<accord_extract::ExtraData>>,
    /// Serve `/metrics`, `/commitments/<id>`, `/healthz`, `/readyz` here.
    pub metrics_listen: Option<SocketAddr>,
    /// When this process reports itself ready (gRPC health, `/readyz`).
    pub health: crate::health::HealthConfig,
    /// Run the follow-up linker (query role). Any number of replicas may;
    /// command ids keep their links from doubling.
    pub linker: bool,
    /// TLS and who may call what on the gRPC listener.
    pub security: crate::auth::GrpcSecurity,
    /// Caps on concurrent work (README "Limits").
    pub limits: ServerLimits,
}

/// How much concurrent work one process takes on; past each cap a request
/// is refused (`RESOURCE_EXHAUSTED`) or waits, never piles up unbounded.
#[derive(Debug, Clone)]
pub struct ServerLimits {
    /// gRPC requests in flight in this process (refused past it).
    pub max_in_flight: usize,
    /// Requests in flight on one connection (refused past it).
    pub per_connection: usize,
    /// HTTP/2 streams one connection may open at once (the client waits).
    pub max_streams: u32,
    /// Open watches (WatchCommitments, WatchAlerts) in this process.
    pub max_watches: usize,
    /// A handler still running after this is cancelled (`CANCELLED`).
    pub request_timeout: Duration,
}

impl Default for ServerLimits {
    fn default() -> Self {
        ServerLimits {
            max_in_flight: 1024,
            per_connection: 256,
            max_streams: 512,
            max_watches: 1024,
            request_timeout: Duration::from_secs(60),
        }
    }
}

impl AppConfig {
    pub fn new(nats_url: impl Into<String>, data_dir: impl Into<PathBuf>) -> Self {
        AppConfig {
            bus: BusConfig::new(nats_url),
            listen: SocketAddr::from(([127, 0, 0, 1], 50051)),
            data_dir: data_dir.into(),
            cache_bytes: 64 << 20,
            disk_reserve_bytes: 16 << 20,
            roles: Roles {
                ingest: true,
                query: true,
            },
            max_wait: Duration::from_secs(5),
            clock: crate::clock::system_clock(),
            after_commit: None,
            deadlines: DeadlinePolicy::default(),
            alerts: AlertPolicy::default(),
            alert_tick: Some(Duration::from_secs(60)),
            sink: None,
            decoder: accord_projector::default_decoder(),
            extra: None,
            linker: true,
            metrics_listen: None,
            health: crate::health::HealthConfig::default(),
            security: crate::auth::GrpcSecurity::default(),
            limits: ServerLimits::default(),
        }
    }
}

/// A running Accord process.
pub struct App {
    pub addr: SocketAddr,
    /// The projection's applied position (query role only).
    pub position: Option<watch::Receiver<u64>>,
    pub store: Option<Arc<Store>>,
    /// The alerter of this replica (query role only).
    pub alerter: Option<Alerter>,
    /// The follow-up linker of this replica (query role only).
    pub linker: Option<Linker>,
    /// Where `/metrics` is served, if it is.
    pub metrics_addr: Option<SocketAddr>,
    /// Whether this process reports itself ready, and why not.
    pub readiness: crate::health::Readiness,
    /// The handlers this process serves, for other front ends (the HTTP API).
    pub service: AccordService,
    /// Re-sends open alerts to the sink's receiver (query role with a sink).
    pub resender: Option<crate::resend::Resender>,
    /// Background tasks (alerter loop, alert sink) stopped on shutdown.
    tasks: Vec<JoinHandle<()>>,
    stop: oneshot::Sender<()>,
    server: Option<JoinHandle<Result<(), tonic::transport::Error>>>,
    projector: Option<JoinHandle<Result<(), ProjectorError>>>,
}

impl App {
    pub async fn start(config: AppConfig) -> Result<App, AppError> {
        config
            .security
            .check_exposure(config.listen)
            .map_err(AppError::Exposed)?;
        // TLS files are read now, so a bad one stops the start with its reason.
        let mut builder = tonic::transport::Server::builder();
        if let Some(tls) = config.security.server_tls() {
            builder = builder.tls_config(tls).map_err(|e| {
                let mut reason = e.to_string();
                let mut source = std::error::Error::source(&e);
                while let Some(s) = source {
                    reason = format!("{reason}: {s}");
                    source = s.source();
                }
                AppError::Tls(reason)
            })?;
        }
        // The recorder first: what tasks register before it is installed is lost.
        let recorder = config.metrics_listen.map(|_| crate::telemetry::recorder());
        let bus = Bus::connect(config.bus.clone()).await?;
        let mut service = AccordService {
            ingest: None,
            query: None,
            commands: None,
            linker: None,
            guards: crate::service::Guards::new(config.limits.max_watches),
        };
        let (mut position, mut store, mut projector, mut alerter) = (None, None, None, None);
        let (mut linker, mut faults) = (None, None);
        if config.roles.query {
            // A damaged projection is set aside and rebuilt from the log.
            let (opened, _) =
                Store::open_or_set_aside(&config.data_dir.join("projection"), config.cache_bytes)?;
            let opened = Arc::new(opened);
            // Refuse a log that is not the one this projection counts in.
            if let Err(e) = accord_projector::check_stream(&bus, &opened.view()).await {
                tracing::error!(error = %e, "refusing to start");
                return Err(e.into());
            }
            let mut p = Projector::new(bus.clone(), opened.clone())?;
            p = p.with_decoder(config.decoder.clone()).with_disk_reserve(
                accord_projector::DiskReserve {
                    dir: config.data_dir.clone(),
                    bytes: config.disk_reserve_bytes,
                },
            );
            faults = Some(p.faults());
            if let Some(hook) = config.after_commit.clone() {
                p = p.with_after_commit(hook);
            }
            let rx = p.subscribe();
            let query = Query {
                bus: bus.clone(),
                store: opened.clone(),
                position: rx.clone(),
                max_wait: config.max_wait,
                decoder: config.decoder.clone(),
            };
            let commands = Commands {
                query: query.clone(),
                clock: config.clock.clone(),
                appender: crate::command_appender::CommandAppender::start(bus.clone()),
            };
            alerter = Some(Alerter {
                commands: commands.clone(),
                policy: config.alerts.clone(),
            });
            let l = Linker::new(commands.clone(), config.extra.clone())?;
            service.linker = Some(l.clone());
            linker = Some(l);
            service.commands = Some(commands);
            service.query = Some(query);
            projector = Some(tokio::spawn(p.run()));
            position = Some(rx);
            store = Some(opened);
        }

        if config.roles.ingest {
            service.ingest = Some(Ingest {
                clock: config.clock.clone(),
                deadlines: config.deadlines.clone(),
                extra: config.extra.clone(),
                appender: crate::appender::Appender::start(bus.clone()),
            });
        }
        let mut tasks = Vec::new();
        if config.roles.query {
            // Where commands are appended: their party-feed copies.
            let feed = crate::feed::FeedWriter::new(bus.clone(), &config.data_dir);
            tasks.push(tokio::spawn(feed.run()));
        }
        if let (Some(l), true) = (&linker, config.linker) {
            tasks.push(tokio::spawn(l.clone().run()));
        }
        if let (Some(a), Some(tick)) = (&alerter, config.alert_tick) {
            tasks.push(tokio::spawn(a.clone().run(tick)));
        }
        let mut resender = None;
        if let Some(sink) = config.sink.clone() {
            if let (Some(store), Some(position)) = (&store, &position) {
                let r = crate::resend::Resender {
                    bus: bus.clone(),
                    store: store.clone(),
                    position: position.clone(),
                    poster: accord_alertmanager::Poster::new(&sink)?,
                };
                if let Some(every) = sink.resend_every {
                    tasks.push(tokio::spawn(r.clone().run(every)));
                }
                resender = Some(r);
            }
            tasks.push(tokio::spawn(accord_alertmanager::run(bus.clone(), sink)));
        }

        let listener =
            TcpListener::bind(config.listen)
                .await
                .map_err(|source| AppError::Listen {
                    addr: config.listen,
                    source,
                })?;
        let addr = listener.local_addr().map_err(|source| AppError::Listen {
            addr: config.listen,
            source,
        })?;
        let (health, health_service) = tonic_health::server::health_reporter();
        let readiness = crate::health::Monitor::initial();
        let monitor = crate::health::Monitor {
            bus: bus.clone(),
            reporter: health,
            config: config.health.clone(),
            ingest: config.roles.ingest,
            query: position.clone().map(|p| (p, config.data_dir.clone())),
            projector: faults,
            readiness: readiness.clone(),
        };
        monitor.report_starting().await;
        tasks.push(tokio::spawn(monitor.run()));
        let mut metrics_addr = None;
        if let (Some(listen), Some(handle)) = (config.metrics_listen, recorder) {
            let observed = crate::telemetry::Observed {
                bus: bus.clone(),
                store: store.clone(),
                position: position.clone(),
                readiness: readiness.clone(),
                handle,
            };
            let http = TcpListener::bind(listen)
                .await
                .map_err(|source| AppError::Listen {
                    addr: listen,
                    source,
                })?;
            metrics_addr = Some(http.local_addr().map_err(|source| AppError::Listen {
                addr: listen,
                source,
            })?);
            let router = crate::telemetry::router(observed);
            tasks.push(tokio::spawn(async move {
                if let Err(e) = axum::serve(http, router).await {
                    tracing::error!(error = %e, "metrics listener stopped");
                }
            }));
            tracing::info!(addr = ?metrics_addr, "metrics on /metrics");
        }
        // Both reflection versions: many deployed clients (grpcurl 1.8) speak v1alpha.
        let reflection = || {
            tonic_reflection::server::Builder::configure()
                .register_encoded_file_descriptor_set(accord_proto::v1::FILE_DESCRIPTOR_SET)
                .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
        };
        let reflection_v1 = reflection()
            .build_v1()
            .expect("the embedded descriptor sets are valid");
        let reflection_v1alpha = reflection()
            .build_v1alpha()
            .expect("the embedded descriptor sets are valid");
        let (stop, stopped) = oneshot::channel::<()>();
        let limits = &config.limits;
        let server = builder
            .timeout(limits.request_timeout)
            .concurrency_limit_per_connection(limits.per_connection)
            .load_shed(true)
            .max_concurrent_streams(limits.max_streams)
            .layer(crate::telemetry::GrpcMetricsLayer)
            .layer(crate::catch_panic::CatchPanicLayer)
            .layer(crate::shed::LimitLayer::new(limits.max_in_flight))
            .layer(crate::auth::AuthLayer::new(config.security.tokens.clone()))
            .add_service(health_service)
            .add_service(reflection_v1)
            .add_service(reflection_v1alpha)
            .add_service(
                AccordServer::new(service.clone())
                    .max_decoding_message_size(crate::limits::MAX_REQUEST_BYTES),
            )
            .serve_with_incoming_shutdown(
                // Nagle + delayed ACK otherwise add ~40 ms to every answer.
                tonic::transport::server::TcpIncoming::from(listener).with_nodelay(Some(true)),
                async {
                    let _ = stopped.await;
                },
            );
        let server = tokio::spawn(server);
        tracing::info!(%addr, ingest = config.roles.ingest, query = config.roles.query,
            tls = config.security.tls.is_some(),
            mtls = config.security.tls.as_ref().is_some_and(|t| t.client_ca.is_some()),
            tokens = config.security.tokens.is_some(), "accord gRPC serving");
        Ok(App {
            addr,
            position,
            store,
            alerter,
            linker,
            service,
            resender,
            metrics_addr,
            readiness,
            tasks,
            stop,
            server: Some(server),
            projector,
        })
    }

    /// Runs until the server stops or the projector fails.
    pub async fn wait(&mut self) -> Result<(), AppError> {
        let Some(server) = self.server.as_mut() else {
            return Ok(());
        };
        match self.projector.as_mut() {
            Some(projector) => tokio::select! {
                served = server => {
                    self.server = None;
                    served??
                }
                projected = projector => {
                    self.projector = None;
                    projected??
                }
            },
            None => {
                let served = server.await;
                self.server = None;
                served??
            }
        }
        Ok(())
    }

    /// Stops serving and projecting, and releases the store.
    pub async fn shutdown(mut self) -> Result<(), AppError> {
        let _ = self.stop.send(());
        for task in self.tasks.drain(..) {
            task.abort();
            let _ = task.await;
        }
        self.alerter = None;
        if let Some(p) = self.projector.take() {
            p.abort();
            let _ = p.await;
        }
        if let Some(server) = self.server.take() {
            server.await??;
        }
        Ok(())
    }

    /// Waits until the projector task ends (e.g. an injected failure) and
    /// returns its result; the gRPC server keeps running.
    pub async fn projector_exit(&mut self) -> Option<Result<(), ProjectorError>> {
        let p = self.projector.take()?;
        Some(match p.await {
            Ok(r) => r,
            Err(e) => Err(ProjectorError::Bus(BusError::Replay(e.to_string()))),
        })
    }
}
