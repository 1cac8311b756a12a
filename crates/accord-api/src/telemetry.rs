//! What operators see: Prometheus metrics on an HTTP listener of its own
//! (`/metrics`), next to `/commitments/<id>` (the commitment as JSON, what
//! alerts' `generatorURL` points at) and `/healthz` / `/readyz`.
//!
//! Counters and histograms are recorded where things happen (projector,
//! ingest, appender, alerter, sink, the gRPC layer below); gauges that
//! describe the log and the store are read when scraped.

use crate::health::Readiness;
use accord_bus::Bus;
use accord_store::Store;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::sync::watch;

pub const STREAM_LAST: &str = "accord_stream_last_position";
pub const STREAM_LAST_CANONICAL: &str = "accord_stream_last_canonical_position";
pub const LAG_ENTRIES: &str = "accord_projection_lag_entries";
pub const LAG_SECONDS: &str = "accord_projection_lag_seconds";
pub const PARKED_ENTRIES: &str = "accord_projection_parked_entries";
pub const SLED_BYTES: &str = "accord_sled_size_bytes";
pub const NATS_CONNECTED: &str = "accord_nats_connected";
pub const READY: &str = "accord_ready";
pub const INGESTS: &str = "accord_ingests_total";
pub const GROUP_READOUTS: &str = "accord_ingest_group_readouts";
pub const APPEND_SECONDS: &str = "accord_append_duration_seconds";
pub const GRPC_SECONDS: &str = "accord_grpc_request_duration_seconds";
pub const ALERTS_RAISED: &str = "accord_alerts_raised_total";
pub const ALERTS_RESOLVED: &str = "accord_alerts_resolved_total";
pub const PANICS: &str = "accord_grpc_panics_total";
pub const FEED_POSITION: &str = "accord_feed_position";

const SECONDS_BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// The process's Prometheus recorder, installed on first use (the metrics
/// facade has one recorder per process; several `App`s in one test
/// process share it).
pub fn recorder() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let handle = PrometheusBuilder::new()
                .set_buckets(SECONDS_BUCKETS)
                .and_then(|b| {
                    b.set_buckets_for_metric(
                        Matcher::Full(GROUP_READOUTS.into()),
                        &[1.0, 2.0, 4.0, 8.0, 16.0],
                    )
                })
                .expect("bucket lists are not empty")
                .install_recorder()
                .unwrap_or_else(|_| {
                    // Someone else installed a recorder: ours renders empty.
                    PrometheusBuilder::new().build_recorder().handle()
                });
            describe();
            // Zero from the start, so rate() and increase() see the first event.
            for outcome in ["accepted", "already_ingested", "refused"] {
                metrics::counter!(INGESTS, "outcome" => outcome).increment(0);
            }
            for counter in [
                ALERTS_RAISED,
                ALERTS_RESOLVED,
                PANICS,
                accord_projector::metric::APPLIED,
                accord_projector::metric::PARKED,
                accord_projector::metric::DEAD_LETTERED,
            ] {
                metrics::counter!(counter).increment(0);
            }
            handle
        })
        .clone()
}

fn describe() {
    use metrics::{describe_counter, describe_gauge, describe_histogram, Unit};
    accord_projector::metric::describe();
    accord_alertmanager::metric::describe();
    describe_gauge!(
        STREAM_LAST,
        "Last sequence of the event log stream (every subject)."
    );
    describe_gauge!(
        STREAM_LAST_CANONICAL,
        "Log position of the last canonical event: what a caught-up projection has applied."
    );
    describe_gauge!(
        LAG_ENTRIES,
        "Log positions between the last canonical event and the projection's checkpoint."
    );
    describe_gauge!(
        LAG_SECONDS,
        Unit::Seconds,
        "Age of the oldest log entry the projection has not applied (0 when caught up)."
    );
    describe_gauge!(
        PARKED_ENTRIES,
        "Log entries parked in this replica's projection (dead letters not replayed yet)."
    );
    describe_gauge!(
        FEED_POSITION,
        "Log position up to which this replica's feed writer has written every party-feed copy commands left to it."
    );
    describe_gauge!(
        SLED_BYTES,
        Unit::Bytes,
        "Size of the sled projection on disk."
    );
    describe_gauge!(
        NATS_CONNECTED,
        "1 while the NATS client is connected and the stream answers, else 0."
    );
    describe_gauge!(
        READY,
        "1 while this process reports SERVING on gRPC health, else 0."
    );
    describe_counter!(
        INGESTS,
        "IngestReadout requests by outcome: accepted, already_ingested, refused."
    );
    describe_histogram!(
        GROUP_READOUTS,
        "Readouts per group commit (one atomic JetStream batch)."
    );
    describe_histogram!(
        APPEND_SECONDS,
        Unit::Seconds,
        "Time from handing a readout to the appender to its batch being acknowledged by JetStream."
    );
    describe_histogram!(
        GRPC_SECONDS,
        Unit::Seconds,
        "gRPC request latency until response headers, by method and status code."
    );
    describe_counter!(
        ALERTS_RAISED,
        "Due-soon and overdue alerts this process's alerter appended."
    );
    describe_counter!(
        ALERTS_RESOLVED,
        "Alert resolutions this process's alerter appended."
    );
    describe_counter!(
        PANICS,
        "gRPC handlers that panicked (answered INTERNAL with an error id, logged)."
    );
}

/// What the HTTP listener reads.
#[derive(Clone)]
pub struct Observed {
    pub bus: Bus,
    pub store: Option<Arc<Store>>,
    pub position: Option<watch::Receiver<u64>>,
    pub readiness: Readiness,
    pub handle: PrometheusHandle,
}

impl Observed {
    /// Sets the gauges read at scrape time.
    async fn collect(&self) {
        let probe = async {
            let last = self.bus.last_position().await?;
            let canonical = self.bus.last_canonical_position().await?;
            Ok::<_, accord_bus::BusError>((last, canonical))
        };
        let answered = tokio::time::timeout(Duration::from_secs(2), probe).await;
        let (last, canonical) = match answered {
            Ok(Ok(v)) => v,
            _ => {
                metrics::gauge!(NATS_CONNECTED).set(0.0);
                return;
            }
        };
        metrics::gauge!(NATS_CONNECTED).set(if self.bus.connected() { 1.0 } else { 0.0 });
        metrics::gauge!(STREAM_LAST).set(last as f64);
        metrics::gauge!(STREAM_LAST_CANONICAL).set(canonical as f64);
        let (Some(store), Some(position)) = (&self.store, &self.position) else {
            return;
        };
        let applied = *position.borrow();
        metrics::gauge!(accord_projector::metric::POSITION).set(applied as f64);
        let lag = canonical.saturating_sub(applied);
        metrics::gauge!(LAG_ENTRIES).set(lag as f64);
        let mut lag_seconds = 0.0;
        if lag > 0 {
            if let Ok(Ok(Some(at))) =
                tokio::time::timeout(Duration::from_secs(2), self.bus.stored_at(applied + 1)).await
            {
                lag_seconds = (time::OffsetDateTime::now_utc() - at)
                    .as_seconds_f64()
                    .max(0.0);
            }
        }
        metrics::gauge!(LAG_SECONDS).set(lag_seconds);
        if let Ok(parked) = store.parked() {
            metrics::gauge!(PARKED_ENTRIES).set(parked.len() as f64);
        }
        if let Ok(bytes) = store.size_on_disk() {
            metrics::gauge!(SLED_BYTES).set(bytes as f64);
        }
    }
}

async fn scrape(State(o): State<Observed>) -> Response {
    o.collect().await;
    metrics::gauge!(READY).set(if o.readiness.is_ready() { 1.0 } else { 0.0 });
    (
        [("content-type", "text/plain; version=0.0.4")],
        o.handle.render(),
    )
        .into_response()
}

async fn commitment(State(o): State<Observed>, Path(id): Path<String>) -> Response {
    let Some(store) = &o.store else {
        return (
            StatusCode::NOT_FOUND,
            "this replica keeps no projection (ingest role)\n",
        )
            .into_response();
    };
    let Ok(id) = accord_domain::CommitmentId::parse(&id) else {
        return (StatusCode::BAD_REQUEST, "not a commitment id\n").into_response();
    };
    match store.commitment(&id) {
        Ok(Some(c)) => (
            [("content-type", "application/json")],
            serde_json::to_string_pretty(&c).unwrap_or_default(),
        )
            .into_response(),
        Ok(None) => (StatusCode::NOT_FOUND, format!("no commitment {id}\n")).into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, format!("{e}\n")).into_response(),
    }
}

async fn healthz() -> &'static str {
    "alive\n"
}

async fn readyz(State(o): State<Observed>) -> Response {
    match o.readiness.why_not() {
        None => (StatusCode::OK, "ready\n".to_owned()).into_response(),
        Some(why) => (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("not ready: {why}\n"),
        )
            .into_response(),
    }
}

/// Serves the operators' HTTP listener until `stop` resolves.
pub fn router(observed: Observed) -> Router {
    Router::new()
        .route("/metrics", get(scrape))
        .route("/commitments/{id}", get(commitment))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .with_state(observed)
}

tokio::task_local! {
    /// The id of the gRPC request this task is serving.
    static REQUEST_ID: String;
}

/// The id of the request being served by this task, if any.
pub fn request_id() -> Option<String> {
    REQUEST_ID.try_with(|r| r.clone()).ok()
}

/// The client's `x-request-id` if it is a sane token, else a fresh one
/// (`<process start, base 36>-<counter>`, unique per process).
fn request_id_for(given: Option<&http::HeaderValue>) -> String {
    if let Some(given) = given.and_then(|v| v.to_str().ok()) {
        let sane = !given.is_empty()
            && given.len() <= 64
            && given
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"._:-".contains(&b));
        if sane {
            return given.to_owned();
        }
    }
    static START: OnceLock<String> = OnceLock::new();
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    let start = START.get_or_init(|| {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        let mut n = nanos ^ u128::from(std::process::id()) << 64;
        let mut out = String::new();
        while n > 0 {
            out.push(char::from_digit((n % 36) as u32, 36).unwrap_or('0'));
            n /= 36;
        }
        out.chars().rev().take(12).collect()
    });
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("{start}-{n}")
}

/// A tower layer around every gRPC request: gives it a request id (the
/// client's `x-request-id`, else a fresh one; echoed in the answer's
/// `x-request-id`), runs it in a `request` span carrying that id (so every
/// log line of the request has it) and a task-local the ingest and command
/// paths put into the events' `correlation_id`, and times it:
/// `accord_grpc_request_duration_seconds{method, code}`.
#[derive(Clone, Copy, Default)]
pub struct GrpcMetricsLayer;

impl<S> tower::Layer<S> for GrpcMetricsLayer {
    type Service = GrpcMetrics<S>;
    fn layer(&self, inner: S) -> Self::Service {
        GrpcMetrics { inner }
    }
}

#[derive(Clone)]
pub struct GrpcMetrics<S> {
    inner: S,
}

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

impl<S, B, R> tower::Service<http::Request<B>> for GrpcMetrics<S>
where
    S: tower::Service<http::Request<B>, Response = http::Response<R>>,
    S::Future: Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = BoxFuture<Result<S::Response, S::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        use tracing::Instrument;
        let id = request_id_for(request.headers().get("x-request-id"));
        let path = request.uri().path();
        // Bounded label values: Accord's, health's and reflection's methods.
        let method = if path.starts_with("/accord.") || path.starts_with("/grpc.") {
            path.trim_start_matches('/').to_owned()
        } else {
            "other".to_owned()
        };
        let started = Instant::now();
        let span = tracing::info_span!("request", request_id = %id, method = %method);
        let future = span.in_scope(|| self.inner.call(request));
        let header = http::HeaderValue::from_str(&id).ok();
        let served = REQUEST_ID.scope(id, future).instrument(span);
        Box::pin(async move {
            let mut result = served.await;
            if let (Ok(r), Some(header)) = (&mut result, header) {
                r.headers_mut().insert("x-request-id", header);
            }
            let code = match &result {
                // Errors are in the headers (trailers-only answers); a
                // success's status comes in trailers, after the body.
                Ok(r) => r
                    .headers()
                    .get("grpc-status")
                    .map(|v| format!("{:?}", tonic::Code::from_bytes(v.as_bytes())))
                    .unwrap_or_else(|| "Ok".to_owned()),
                Err(_) => "TransportError".to_owned(),
            };
            metrics::histogram!(GRPC_SECONDS, "method" => method, "code" => code)
                .record(started.elapsed().as_secs_f64());
            result
        })
    }
}
