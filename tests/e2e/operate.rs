//! Issue #12: what operators see of a running `accord up` process:
//! Prometheus metrics (scraped, linted with `promtool check metrics`,
//! parsed), gRPC health per role, `/readyz`, `/commitments/<id>`.

use crate::faults::support::accord_bin;
use crate::harness::{SEED, SEED_DATE};
use accord_proto::v1 as pb;
use accord_testkit::{http, require_tool, Alertmanager, NatsServer, Process};
use std::collections::BTreeMap;
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Series (name with labels, as exposed) → value.
pub fn parse_exposition(text: &str) -> BTreeMap<String, f64> {
    let mut out = BTreeMap::new();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let (series, value) = line.rsplit_once(' ').expect("`series value` lines");
        let value: f64 = value
            .parse()
            .unwrap_or_else(|_| panic!("not a number: {line}"));
        assert!(
            out.insert(series.to_owned(), value).is_none(),
            "repeated series: {line}"
        );
    }
    out
}

/// The sum of every series of `name` whose labels include each of `labels`.
fn sum(m: &BTreeMap<String, f64>, name: &str, labels: &[&str]) -> f64 {
    m.iter()
        .filter(|(k, _)| k.split('{').next() == Some(name) && labels.iter().all(|l| k.contains(l)))
        .map(|(_, v)| v)
        .sum()
}

fn promtool_check_metrics(exposition: &str) {
    let mut child = Command::new(require_tool("promtool"))
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run promtool");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(exposition.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "promtool check metrics: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn scrape(port: u16) -> BTreeMap<String, f64> {
    let (status, body) = http(port, "GET", "/metrics", None).expect("scrape /metrics");
    assert_eq!(status, 200, "{body}");
    promtool_check_metrics(&body);
    parse_exposition(&body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_running_accord_exposes_prometheus_metrics() {
    let nats = NatsServer::start();
    let am = Alertmanager::start(Duration::from_secs(300));
    let data = tempfile::tempdir().unwrap();
    let mut up = Command::new(accord_bin());
    up.args(["up", "--nats", &nats.url(), "--data-dir"])
        .arg(data.path())
        .args(["--listen", "127.0.0.1:0", "--metrics-listen", "127.0.0.1:0"])
        .args(["--http-listen", "127.0.0.1:0"])
        .args(["--alert-tick-secs", "1", "--alertmanager-url", &am.url()])
        .arg("--insecure-log");
    let mut up = Process::spawn("accord up", up, &data.path().join("accord.log"));
    let metrics_port: u16 = up.wait_for_line(Duration::from_secs(30), |l| {
        l.strip_prefix("accord metrics on http://127.0.0.1:")?
            .strip_suffix("/metrics")?
            .parse()
            .ok()
    });
    let grpc: String = crate::harness::grpc_address(&mut up);
    let mut client = pb::accord_client::AccordClient::connect(format!("http://{grpc}"))
        .await
        .unwrap();

    let ingest = |text: &str, date: &str| pb::IngestReadoutRequest {
        text: text.into(),
        date: date.into(),
        ..Default::default()
    };
    let seed = client
        .ingest_readout(ingest(SEED, SEED_DATE))
        .await
        .unwrap()
        .into_inner();
    let again = client
        .ingest_readout(ingest(SEED, SEED_DATE))
        .await
        .unwrap()
        .into_inner();
    assert!(again.already_ingested);
    let refused = client.ingest_readout(ingest("", SEED_DATE)).await;
    assert_eq!(refused.unwrap_err().code(), tonic::Code::InvalidArgument);
    let listed = client
        .list_commitments(pb::ListCommitmentsRequest {
            min_position: Some(seed.position),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    let tracked = listed
        .commitments
        .iter()
        .filter(|c| c.kind != pb::Kind::Stance as i32)
        .count() as f64;

    // The alerter (clock: today) finds the 2017 commitments overdue; the sink
    // delivers them to Alertmanager.
    let deadline = Instant::now() + Duration::from_secs(30);
    let m = loop {
        let m = scrape(metrics_port);
        // Re-sends count as deliveries too: wait until every alert was raised
        // as well, not only until enough posts went out.
        if sum(&m, "accord_alert_sink_deliveries_total", &[]) >= tracked
            && sum(&m, "accord_alerts_raised_total", &[]) >= tracked
        {
            break m;
        }
        assert!(
            Instant::now() < deadline,
            "alerts not delivered in 30 s: {m:#?}\n{}",
            up.log_text()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };

    let one = |name: &str| sum(&m, name, &[]);
    assert_eq!(
        sum(&m, "accord_ingests_total", &["outcome=\"accepted\""]),
        1.0
    );
    assert_eq!(
        sum(
            &m,
            "accord_ingests_total",
            &["outcome=\"already_ingested\""]
        ),
        1.0
    );
    assert_eq!(
        sum(&m, "accord_ingests_total", &["outcome=\"refused\""]),
        1.0
    );
    assert_eq!(one("accord_nats_connected"), 1.0);
    assert!(
        one("accord_stream_last_position") >= seed.position as f64,
        "{m:#?}"
    );
    assert_eq!(
        one("accord_projection_position"),
        one("accord_stream_last_canonical_position")
    );
    assert_eq!(one("accord_projection_lag_entries"), 0.0);
    assert_eq!(one("accord_projection_lag_seconds"), 0.0);
    assert!(one("accord_projector_applied_total") >= seed.commitments.len() as f64);
    assert_eq!(one("accord_projector_parked_total"), 0.0);
    assert_eq!(one("accord_projection_parked_entries"), 0.0);
    assert!(one("accord_sled_size_bytes") > 0.0);
    assert_eq!(one("accord_ready"), 1.0);
    assert!(one("accord_ingest_group_readouts_count") >= 1.0);
    assert!(one("accord_append_duration_seconds_count") >= 1.0);
    assert!(one("accord_alerts_raised_total") >= tracked);
    assert_eq!(one("accord_alerts_resolved_total"), 0.0);
    assert_eq!(one("accord_alert_sink_parked_total"), 0.0);
    let ingest_ok = ["method=\"accord.v1.Accord/IngestReadout\"", "code=\"Ok\""];
    assert_eq!(
        sum(&m, "accord_grpc_request_duration_seconds_count", &ingest_ok),
        2.0
    );
    let ingest_bad = [
        "method=\"accord.v1.Accord/IngestReadout\"",
        "code=\"InvalidArgument\"",
    ];
    assert_eq!(
        sum(
            &m,
            "accord_grpc_request_duration_seconds_count",
            &ingest_bad
        ),
        1.0
    );
    assert!(
        sum(
            &m,
            "accord_grpc_request_duration_seconds_bucket",
            &[ingest_ok[0], ingest_ok[1], "le=\"+Inf\""]
        ) == 2.0,
        "histogram buckets per method and code: {m:#?}"
    );

    // Every metric the alert rules use is exposed.
    let rules = std::fs::read_to_string(
        accord_testkit::workspace_root().join("deploy/prometheus/accord-rules.yml"),
    )
    .unwrap();
    for word in rules.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
        if word.starts_with("accord_") {
            assert!(
                m.keys().any(|k| k.split('{').next() == Some(word)),
                "the rules use {word}, which is not exposed: {m:#?}"
            );
        }
    }

    // generatorURL's target: the commitment as JSON on the same listener.
    let id = &listed.commitments[0].id;
    let (status, body) = http(metrics_port, "GET", &format!("/commitments/{id}"), None).unwrap();
    assert_eq!(status, 200, "{body}");
    assert!(body.contains(id.as_str()), "{body}");
    assert_eq!(http(metrics_port, "GET", "/readyz", None).unwrap().0, 200);
    assert_eq!(http(metrics_port, "GET", "/healthz", None).unwrap().0, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_logs_carry_the_request_id_into_every_line_and_the_events() {
    let nats = NatsServer::start();
    let data = tempfile::tempdir().unwrap();
    let mut up = Command::new(accord_bin());
    up.args([
        "up",
        "--insecure-log",
        "--log-format",
        "json",
        "--nats",
        &nats.url(),
        "--data-dir",
    ])
    .arg(data.path())
    .args(["--listen", "127.0.0.1:0", "--metrics-listen", "off"])
    .args(["--http-listen", "off"])
    .args(["--alert-tick-secs", "0", "--no-linker"]);
    let log = data.path().join("accord.log");
    let mut up = Process::spawn("accord up", up, &log);
    let grpc: String = crate::harness::grpc_address(&mut up);
    let mut client = pb::accord_client::AccordClient::connect(format!("http://{grpc}"))
        .await
        .unwrap();
    let mut request = tonic::Request::new(pb::IngestReadoutRequest {
        text: SEED.into(),
        date: SEED_DATE.into(),
        ..Default::default()
    });
    request
        .metadata_mut()
        .insert("x-request-id", "e2e-req-42".parse().unwrap());
    let answer = client.ingest_readout(request).await.unwrap();
    assert_eq!(
        answer.metadata().get("x-request-id").unwrap(),
        "e2e-req-42",
        "the id is echoed"
    );
    let ingested = answer.into_inner();
    // Without one, the server makes one up and says which.
    let other = client
        .list_commitments(pb::ListCommitmentsRequest::default())
        .await
        .unwrap();
    let made_up = other
        .metadata()
        .get("x-request-id")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(!made_up.is_empty() && made_up != "e2e-req-42");

    // Every event of the ingest names the request in its correlation_id.
    let bus = accord_bus::Bus::connect(accord_bus::BusConfig::new(nats.url()))
        .await
        .unwrap();
    let mut events = Box::pin(bus.replay(1).await.unwrap());
    let mut seen = 0;
    while seen < ingested.position {
        use futures::StreamExt;
        let entry = events.next().await.unwrap().unwrap();
        seen = entry.position;
        let e = accord_domain::Envelope::from_json(&entry.payload).unwrap();
        assert_eq!(
            e.meta.correlation_id,
            format!("ingest:{} req:e2e-req-42", ingested.document_id)
        );
        assert_eq!(e.meta.request_id(), Some("e2e-req-42"));
    }

    // The log: one JSON object per line; the ingest's lines carry the id.
    let text = up.wait_for_line(Duration::from_secs(10), |l| {
        l.contains("readout ingested").then(|| l.to_owned())
    });
    let line: serde_json::Value = serde_json::from_str(&text).expect("a JSON log line");
    assert_eq!(line["spans"][0]["request_id"], "e2e-req-42", "{line}");
    assert_eq!(line["fields"]["message"], "readout ingested", "{line}");
    let spans: Vec<&str> = line["spans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(spans, ["request", "ingest"], "{line}");
    drop(up);
    let all = std::fs::read_to_string(&log).unwrap();
    for l in all.lines().filter(|l| l.starts_with('{')) {
        let v: serde_json::Value = serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"));
        assert!(v["level"].is_string() && v["timestamp"].is_string(), "{l}");
    }
    assert!(all.lines().filter(|l| l.contains("e2e-req-42")).count() >= 1);
}
