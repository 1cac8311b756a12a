//! OpenTelemetry trace export: `accord up --otlp-endpoint` sends its spans
//! over OTLP/HTTP (protobuf) to a collector, here a minimal OTLP/HTTP
//! receiver run by the test itself (POST /v1/traces, decoded with the
//! `opentelemetry-proto` message types); without the flag nothing is sent.

use crate::faults::support::accord_bin;
use crate::harness::SEED_DATE;
use accord_testkit::{free_port, NatsServer, Process};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::IntoResponse;
use opentelemetry_proto::tonic::collector::trace::v1::{
    ExportTraceServiceRequest, ExportTraceServiceResponse,
};
use opentelemetry_proto::tonic::common::v1::{any_value, KeyValue};
use opentelemetry_proto::tonic::trace::v1::Span;
use prost::Message;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the receiver was sent: every request's path, and the decoded
/// trace exports.
#[derive(Default)]
struct Received {
    requests: Vec<String>,
    exports: Vec<ExportTraceServiceRequest>,
}

type Shared = Arc<Mutex<Received>>;

async fn traces(State(r): State<Shared>, headers: HeaderMap, body: Bytes) -> impl IntoResponse {
    let mut r = r.lock().unwrap();
    r.requests.push("/v1/traces".into());
    let protobuf = headers
        .get("content-type")
        .is_some_and(|v| v.as_bytes().starts_with(b"application/x-protobuf"));
    if !protobuf {
        return (StatusCode::UNSUPPORTED_MEDIA_TYPE, Vec::new());
    }
    match ExportTraceServiceRequest::decode(body) {
        Ok(export) => {
            r.exports.push(export);
            (
                StatusCode::OK,
                ExportTraceServiceResponse::default().encode_to_vec(),
            )
        }
        Err(_) => (StatusCode::BAD_REQUEST, Vec::new()),
    }
}

async fn anything_else(State(r): State<Shared>, uri: Uri) -> StatusCode {
    r.lock().unwrap().requests.push(uri.path().to_owned());
    StatusCode::NOT_FOUND
}

/// Starts the receiver on a free loopback port: (its base URL, what it got).
async fn receiver() -> (String, Shared) {
    let received = Shared::default();
    let app = axum::Router::new()
        .route("/v1/traces", axum::routing::post(traces))
        .fallback(anything_else)
        .with_state(received.clone());
    (crate::harness::serve(app).await, received)
}

/// Runs `accord up` (with `extra` flags), ingests the seed readout with
/// `accord ingest` (which waits until the tracker shows it, so the
/// projector has applied it), then stops it with SIGTERM and waits for it
/// to exit.
async fn up_ingest_stop(extra: &[&str], env: &[(&str, &str)]) -> String {
    let nats = NatsServer::start();
    let data = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut up = Command::new(accord_bin());
    up.env_remove("OTEL_EXPORTER_OTLP_ENDPOINT")
        .args(["up", "--nats", &nats.url(), "--data-dir"])
        .arg(data.path())
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .args(["--metrics-listen", "off", "--http-listen", "off"])
        .args(["--alert-tick-secs", "0"])
        .arg("--insecure-log")
        .args(extra)
        .envs(env.iter().copied());
    let log = data.path().join("accord.log");
    let mut up = Process::spawn("accord up", up, &log);
    up.wait_for_line(Duration::from_secs(30), |l| {
        l.contains("accord serving gRPC on").then_some(())
    });

    let seed = accord_testkit::workspace_root().join("examples/readouts/japan-nato-2017-10-31.txt");
    let server = format!("http://127.0.0.1:{port}");
    let out = tokio::task::spawn_blocking(move || {
        Command::new(accord_bin())
            .env_remove("OTEL_EXPORTER_OTLP_ENDPOINT")
            .arg("ingest")
            .arg(&seed)
            .args(["--date", SEED_DATE, "--server", &server])
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("1 ingested"), "{stdout}");
    assert!(stdout.contains("visible in the tracker"), "{stdout}");

    let exit = tokio::task::block_in_place(|| up.terminate(Duration::from_secs(30)));
    let Some(status) = exit else {
        panic!("accord up did not exit after SIGTERM:\n{}", up.log_text());
    };
    assert!(status.success(), "{status}:\n{}", up.log_text());
    up.log_text()
}

fn string_attribute<'a>(attributes: &'a [KeyValue], key: &str) -> Option<&'a str> {
    attributes.iter().find(|a| a.key == key).and_then(|a| {
        match a.value.as_ref()?.value.as_ref()? {
            any_value::Value::StringValue(s) => Some(s.as_str()),
            _ => None,
        }
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spans_from_ingest_append_and_projection_are_exported_over_otlp() {
    let (base, received) = receiver().await;
    // The periodic export is pushed past the test's end: what arrives is
    // what the exporter flushes when `accord up` shuts down.
    let log = up_ingest_stop(
        &["--otlp-endpoint", &base],
        &[("OTEL_BSP_SCHEDULE_DELAY", "600000")],
    )
    .await;

    let received = received.lock().unwrap();
    assert!(
        received.requests.iter().all(|p| p == "/v1/traces"),
        "{:?}",
        received.requests
    );
    assert_eq!(
        received.exports.len(),
        received.requests.len(),
        "every export decodes as an OTLP ExportTraceServiceRequest\n{log}"
    );
    let mut spans: Vec<&Span> = Vec::new();
    for export in &received.exports {
        for resource_spans in &export.resource_spans {
            let resource = resource_spans.resource.as_ref().unwrap();
            assert_eq!(
                string_attribute(&resource.attributes, "service.name"),
                Some("accord")
            );
            assert_eq!(
                string_attribute(&resource.attributes, "accord.role"),
                Some("all")
            );
            for scope in &resource_spans.scope_spans {
                spans.extend(&scope.spans);
            }
        }
    }
    let named =
        |name: &str| -> Vec<&Span> { spans.iter().copied().filter(|s| s.name == name).collect() };
    let names: std::collections::BTreeSet<&str> = spans.iter().map(|s| s.name.as_str()).collect();
    for name in ["request", "ingest", "append", "project"] {
        assert!(
            !named(name).is_empty(),
            "no {name} span in {names:?}\n{log}"
        );
    }

    // The ingest runs inside its gRPC request's span…
    let ingest = named("ingest");
    assert_eq!(ingest.len(), 1, "one readout ingested: {ingest:#?}");
    let ingest = ingest[0];
    let request = named("request")
        .into_iter()
        .find(|r| r.span_id == ingest.parent_span_id)
        .expect("the ingest span's parent is a request span");
    assert_eq!(request.trace_id, ingest.trace_id);
    assert_eq!(
        string_attribute(&request.attributes, "method"),
        Some("accord.v1.Accord/IngestReadout")
    );
    // …and the group commit that appended it links back to it.
    assert!(
        named("append").iter().any(|a| a
            .links
            .iter()
            .any(|l| l.trace_id == ingest.trace_id && l.span_id == ingest.span_id)),
        "an append span links to the ingest span"
    );
    // The projector applied the readout's log entries in a project span.
    assert!(named("project")
        .iter()
        .any(|p| p.attributes.iter().any(|a| a.key == "to")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_the_flag_no_spans_are_sent() {
    let (base, received) = receiver().await;
    // Other OpenTelemetry variables do not switch export on: only
    // `--otlp-endpoint` / `OTEL_EXPORTER_OTLP_ENDPOINT` do.
    let traces = format!("{base}/v1/traces");
    up_ingest_stop(
        &[],
        &[
            ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", &traces),
            ("OTEL_BSP_SCHEDULE_DELAY", "100"),
        ],
    )
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let received = received.lock().unwrap();
    assert!(
        received.requests.is_empty(),
        "sent without the flag: {:?}",
        received.requests
    );
}
