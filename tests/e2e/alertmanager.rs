//! Issue #12: alerts against a real Prometheus Alertmanager (Debian's
//! `prometheus-alertmanager`, started per test on a free port with its own
//! storage and a short `resolve_timeout`), and the sink's faults.

use crate::harness::eventually;
use crate::harness::{ipcp, Harness, SEED, SEED_DATE};
use accord_proto::v1 as pb;
use accord_testkit::Alertmanager;
use axum::{extract::State, http::StatusCode, routing::post, Json, Router};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use time::macros::datetime;

/// Alertmanager's active Accord alerts: alert_id → (startsAt, endsAt).
fn active(am: &Alertmanager) -> BTreeMap<String, (String, String)> {
    let body: Value = serde_json::from_str(&am.active_alerts()).expect("JSON from Alertmanager");
    let mut out = BTreeMap::new();
    for a in body.as_array().expect("an array of alerts") {
        if a["labels"]["source"] != "accord" || a["status"]["state"] != "active" {
            continue;
        }
        let id = a["labels"]["alert_id"].as_str().unwrap().to_owned();
        let times = (
            a["startsAt"].as_str().unwrap().to_owned(),
            a["endsAt"].as_str().unwrap().to_owned(),
        );
        assert!(out.insert(id, times).is_none(), "one alert per id");
    }
    out
}

/// One value of Alertmanager's own metrics (0 when absent).
fn am_metric(am: &Alertmanager, series: &str) -> f64 {
    am.metrics()
        .lines()
        .find_map(|l| l.strip_prefix(series)?.trim().parse().ok())
        .unwrap_or(0.0)
}

const FIRING_RECEIVED: &str =
    "alertmanager_alerts_received_total{status=\"firing\",version=\"v2\"}";

/// Ingests the seed in 2017, moves the clock past its deadlines and runs
/// one alert scan: returns the IPCP commitment and how many alerts fired.
async fn raise_overdue(h: &Harness) -> (pb::Commitment, usize) {
    h.set_now(datetime!(2017-11-01 09:00 UTC));
    let seed = h.ingest(SEED, SEED_DATE).await;
    let mut p = h.app().position.clone().unwrap();
    p.wait_for(|&p| p >= seed.position).await.unwrap();
    h.set_now(datetime!(2019-01-15 09:00 UTC));
    let scan = h.app().alerter.clone().unwrap().scan_once().await.unwrap();
    let tracked = seed
        .commitments
        .iter()
        .filter(|c| c.kind != pb::Kind::Stance as i32)
        .count();
    assert_eq!(scan.raised, tracked);
    (ipcp(&seed.commitments), tracked)
}

#[tokio::test]
async fn open_alerts_stay_active_in_alertmanager_and_a_fulfilled_one_resolves() {
    let resolve_timeout = Duration::from_secs(2);
    let am = Alertmanager::start(resolve_timeout);
    let mut h = Harness::start().await;
    let mut sink = accord_alertmanager::SinkConfig::new(am.url());
    sink.name = "am".into();
    sink.generator_url = "http://127.0.0.1:9464".into();
    sink.resend_every = Some(Duration::from_millis(500));
    h.sink = Some(sink);
    h.restart_app().await;
    // A second query replica with the same sink: both re-send, one consumer.
    let replica = h.replica().await;

    let (ipcp, tracked) = raise_overdue(&h).await;
    let overdue = format!("{}:overdue:2018-10-31", ipcp.id);
    let first = eventually(
        Duration::from_secs(30),
        "every overdue alert active in Alertmanager",
        || {
            let now = active(&am);
            (now.len() == tracked).then_some(now)
        },
    )
    .await;
    for (id, (starts, _)) in &first {
        assert!(
            starts.starts_with("2019-01-15T09:00:00"),
            "{id}: startsAt is when the alert was raised: {starts}"
        );
    }

    // Alertmanager resolves what nobody re-sent within resolve_timeout;
    // three of them later every alert is still there, once, same start.
    tokio::time::sleep(resolve_timeout * 3 + Duration::from_millis(500)).await;
    let later = active(&am);
    assert_eq!(
        later.keys().collect::<Vec<_>>(),
        first.keys().collect::<Vec<_>>(),
        "still active after 3 × resolve_timeout"
    );
    for (id, (starts, ends)) in &later {
        assert_eq!(starts, &first[id].0, "{id}: startsAt unchanged by re-sends");
        assert!(ends > &first[id].1, "{id}: re-sends moved endsAt on");
    }
    let received = am_metric(&am, FIRING_RECEIVED);
    assert!(
        received >= 2.0 * tracked as f64,
        "re-sent: Alertmanager received {received} firing alerts"
    );

    // Fulfilling the IPCP commitment resolves its alert (endsAt); the rest stay.
    let readout = h.ingest_later().await;
    let linked_at = h.links_done(&readout).await;
    assert_eq!(
        h.linked(&ipcp.id, &readout.document_id).await.status,
        pb::Status::Fulfilled as i32
    );
    let mut p = replica.position.clone().unwrap();
    p.wait_for(|&p| p >= linked_at).await.unwrap();
    let scan = h.app().alerter.clone().unwrap().scan_once().await.unwrap();
    assert!(scan.resolved >= 1, "{scan:?}");
    eventually(
        Duration::from_secs(30),
        "the IPCP alert resolved in Alertmanager",
        || (!active(&am).contains_key(&overdue)).then_some(()),
    )
    .await;
    // Neither replica's re-sends bring it back; the others stay active.
    tokio::time::sleep(resolve_timeout + Duration::from_millis(500)).await;
    let last = active(&am);
    assert!(!last.contains_key(&overdue), "{last:#?}");
    // (The later readout's own commitments may have fallen due too.)
    let expected = tracked + scan.raised - scan.resolved;
    eventually(
        Duration::from_secs(30),
        "the later readout's alerts too",
        || (active(&am).len() == expected).then_some(()),
    )
    .await;
    replica.shutdown().await.unwrap();
}

#[tokio::test]
async fn an_unreachable_alertmanager_delays_delivery_without_double_posts() {
    let mut am = Alertmanager::start(Duration::from_secs(300));
    let mut h = Harness::start().await;
    let mut sink = accord_alertmanager::SinkConfig::new(am.url());
    sink.name = "down".into();
    sink.resend_every = None;
    // Backoff pauses longer than the ack wait: only progress acks keep
    // JetStream from handing the message out again.
    sink.ack_wait = Duration::from_secs(1);
    sink.max_backoff = Duration::from_millis(1500);
    h.sink = Some(sink);
    h.restart_app().await;
    am.kill();

    let (_, tracked) = raise_overdue(&h).await;
    tokio::time::sleep(Duration::from_secs(4)).await;
    am.restart();
    eventually(
        Duration::from_secs(30),
        "every alert delivered once Alertmanager is back",
        || (active(&am).len() == tracked).then_some(()),
    )
    .await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(
        am_metric(&am, FIRING_RECEIVED),
        tracked as f64,
        "each alert posted once, however long it waited"
    );
    let js = async_nats::jetstream::new(async_nats::connect(h.nats.url()).await.unwrap());
    let mut consumer: async_nats::jetstream::consumer::PullConsumer = js
        .get_consumer_from_stream("accord-sink-down", "ACCORD")
        .await
        .unwrap();
    let info = consumer.info().await.unwrap();
    assert_eq!(info.num_redelivered, 0, "{info:#?}");
    assert_eq!(info.num_ack_pending, 0, "{info:#?}");
}

/// A receiver that refuses the alerts of some commitments with a 400 (what
/// Alertmanager answers an alert it cannot take), and takes the others.
#[derive(Clone, Default)]
struct Picky {
    refuse: Arc<Mutex<BTreeSet<String>>>,
    taken: Arc<Mutex<Vec<(String, bool)>>>,
}

impl Picky {
    async fn start(self) -> String {
        async fn alerts(State(r): State<Picky>, Json(body): Json<Value>) -> (StatusCode, String) {
            let alerts = body.as_array().cloned().unwrap_or_default();
            let refuse = r.refuse.lock().unwrap().clone();
            if alerts
                .iter()
                .any(|a| refuse.contains(a["labels"]["commitment_id"].as_str().unwrap_or_default()))
            {
                return (StatusCode::BAD_REQUEST, "label value refused".into());
            }
            for a in alerts {
                let id = a["labels"]["alert_id"].as_str().unwrap().to_owned();
                r.taken
                    .lock()
                    .unwrap()
                    .push((id, a.get("endsAt").is_some()));
            }
            (StatusCode::OK, String::new())
        }
        let app = Router::new()
            .route("/api/v2/alerts", post(alerts))
            .with_state(self);
        crate::harness::serve(app).await
    }

    fn has(&self, alert_id: &str, resolved: bool) -> bool {
        self.taken
            .lock()
            .unwrap()
            .iter()
            .any(|(id, r)| id == alert_id && *r == resolved)
    }
}

#[tokio::test]
async fn a_refused_alert_is_parked_and_replayable_while_later_ones_flow_and_the_sink_restarts() {
    let picky = Picky::default();
    let mut h = Harness::start().await;
    let mut sink = accord_alertmanager::SinkConfig::new(picky.clone().start().await);
    sink.name = "picky".into();
    sink.resend_every = None;
    sink.max_backoff = Duration::from_millis(500);
    h.sink = Some(sink.clone());
    h.restart_app().await;

    // The IPCP commitment's alert is refused; every other one flows past it.
    let seed = h.ingest(SEED, SEED_DATE).await;
    let target = ipcp(&seed.commitments);
    picky.refuse.lock().unwrap().insert(target.id.clone());
    let overdue = format!("{}:overdue:2018-10-31", target.id);
    let mut p = h.app().position.clone().unwrap();
    p.wait_for(|&p| p >= seed.position).await.unwrap();
    h.set_now(datetime!(2019-01-15 09:00 UTC));
    let raised = h
        .app()
        .alerter
        .clone()
        .unwrap()
        .scan_once()
        .await
        .unwrap()
        .raised;
    eventually(
        Duration::from_secs(30),
        "every other alert delivered",
        || (picky.taken.lock().unwrap().len() == raised - 1).then_some(()),
    )
    .await;
    let bus = h.bus().await;
    let parked = eventually_async(|| accord_alertmanager::parked(&bus, "picky")).await;
    assert_eq!(parked.len(), 1, "{parked:#?}");
    assert_eq!(parked[0].alert_id, overdue);
    assert!(parked[0].reason.contains("400"), "{parked:#?}");
    assert!(
        parked[0].reason.contains("label value refused"),
        "{parked:#?}"
    );
    assert!(!picky.has(&overdue, false));

    // Fixed on the receiver's side: a replay delivers it and unparks it.
    picky.refuse.lock().unwrap().clear();
    let (delivered, left) = accord_alertmanager::replay_parked(&bus, &sink)
        .await
        .unwrap();
    assert_eq!((delivered, left), (1, 0));
    assert!(picky.has(&overdue, false));
    assert!(accord_alertmanager::parked(&bus, "picky")
        .await
        .unwrap()
        .is_empty());

    // The sink's consumer is lost (deleted under it): the sink starts again
    // by itself, and the next alert (the IPCP resolution) is delivered.
    let js = async_nats::jetstream::new(async_nats::connect(h.nats.url()).await.unwrap());
    js.get_stream("ACCORD")
        .await
        .unwrap()
        .delete_consumer("accord-sink-picky")
        .await
        .unwrap();
    let readout = h.ingest_later().await;
    h.links_done(&readout).await;
    let scan = h.app().alerter.clone().unwrap().scan_once().await.unwrap();
    assert!(scan.resolved >= 1, "{scan:?}");
    eventually(
        Duration::from_secs(30),
        "the resolution delivered by the restarted sink",
        || picky.has(&overdue, true).then_some(()),
    )
    .await;
}

/// Retries an async read until it has something (bounded: 30 s).
async fn eventually_async<T, E: std::fmt::Debug, F>(mut read: impl FnMut() -> F) -> Vec<T>
where
    F: std::future::Future<Output = Result<Vec<T>, E>>,
{
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let got = read().await.unwrap();
        if !got.is_empty() {
            return got;
        }
        assert!(Instant::now() < deadline, "nothing within 30 s");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
