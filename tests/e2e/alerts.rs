//! Issue #5: deadlines and alerts that alerting systems can consume, exactly once.

use crate::harness::{eventually, ipcp, Harness, SEED, SEED_DATE};
use accord_domain::{Envelope, Event};
use accord_proto::v1 as pb;
use axum::{extract::State, http::StatusCode, routing::post, Json, Router};
use futures::StreamExt;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use time::macros::datetime;

/// A real HTTP receiver shaped like Alertmanager's `POST /api/v2/alerts`.
#[derive(Clone, Default)]
struct Receiver {
    accepted: Arc<Mutex<Vec<Value>>>,
    refused: Arc<AtomicUsize>,
    down: Arc<AtomicBool>,
}

impl Receiver {
    async fn start(self) -> String {
        async fn alerts(State(r): State<Receiver>, Json(body): Json<Value>) -> StatusCode {
            if r.down.load(Ordering::SeqCst) {
                r.refused.fetch_add(1, Ordering::SeqCst);
                return StatusCode::SERVICE_UNAVAILABLE;
            }
            r.accepted.lock().unwrap().push(body);
            StatusCode::OK
        }
        let app = Router::new()
            .route("/api/v2/alerts", post(alerts))
            .with_state(self);
        crate::harness::serve(app).await
    }

    /// (alert_id, firing or resolved) → how many times received.
    fn received(&self) -> BTreeMap<(String, &'static str), usize> {
        let mut out = BTreeMap::new();
        for body in self.accepted.lock().unwrap().iter() {
            for alert in body.as_array().expect("an array of alerts") {
                let id = alert["labels"]["alert_id"].as_str().unwrap().to_owned();
                assert!(alert["labels"]["alertname"]
                    .as_str()
                    .unwrap()
                    .starts_with("AccordCommitment"));
                assert!(alert["generatorURL"]
                    .as_str()
                    .unwrap()
                    .contains("/commitments/c"));
                let state = if alert.get("endsAt").is_some() {
                    "resolved"
                } else {
                    "firing"
                };
                *out.entry((id, state)).or_default() += 1;
            }
        }
        out
    }
}

/// Every alert event of the log, by alert id and event type.
async fn alert_events(h: &Harness) -> BTreeMap<(String, &'static str), usize> {
    let nats = async_nats::connect(h.nats.url()).await.unwrap();
    let js = async_nats::jetstream::new(nats);
    let stream = js.get_stream("ACCORD").await.unwrap();
    let consumer = stream
        .create_consumer(async_nats::jetstream::consumer::pull::OrderedConfig {
            filter_subjects: accord_bus::subjects::ALERTS
                .iter()
                .map(|s| s.to_string())
                .collect(),
            ..Default::default()
        })
        .await
        .unwrap();
    let pending = consumer.cached_info().num_pending as usize;
    let mut messages = consumer.messages().await.unwrap().take(pending);
    let mut out = BTreeMap::new();
    while let Some(m) = messages.next().await {
        let e = Envelope::from_json(&m.unwrap().payload).unwrap();
        let key = match e.event {
            Event::CommitmentDueSoon(a) => (a.alert.alert_id, "due_soon"),
            Event::CommitmentOverdue(a) => (a.alert.alert_id, "overdue"),
            Event::AlertResolved(a) => (a.alert.alert_id, "resolved"),
            _ => unreachable!(),
        };
        *out.entry(key).or_default() += 1;
    }
    out
}

#[tokio::test]
async fn overdue_alerts_fire_once_across_replicas_restarts_and_rebuilds() {
    let mut h = Harness::start().await;
    let receiver = Receiver::default();
    receiver.down.store(true, Ordering::SeqCst);
    let mut sink = accord_alertmanager::SinkConfig::new(receiver.clone().start().await);
    sink.name = "e2e".into();
    sink.max_backoff = Duration::from_millis(200);
    // Transitions only: this test counts each one delivered exactly once
    // (re-sends are `alertmanager::open_alerts_stay_active…`).
    sink.resend_every = None;
    h.sink = Some(sink);
    h.restart_app().await;

    h.set_now(datetime!(2017-11-01 09:00 UTC));
    let seed = h.ingest(SEED, SEED_DATE).await;
    let ipcp = ipcp(&seed.commitments);
    let mut c = h.client().await;
    let got = c
        .get_commitment(pb::GetCommitmentRequest {
            id: ipcp.id.clone(),
            min_position: Some(seed.position),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .commitment
        .unwrap();
    assert_eq!(
        (got.deadline.as_str(), got.deadline_basis.as_str()),
        ("2018-10-31", "horizon"),
        "12 months after the meeting"
    );

    // Three alerter instances, the clock past the deadline, scanning at once.
    let (b, cc) = (h.replica().await, h.replica().await);
    for app in [h.app(), &b, &cc] {
        let mut p = app.position.clone().unwrap();
        p.wait_for(|&p| p >= seed.position).await.unwrap();
    }
    h.set_now(datetime!(2019-01-15 09:00 UTC));
    let (a1, a2, a3) = (
        h.app().alerter.clone().unwrap(),
        b.alerter.clone().unwrap(),
        cc.alerter.clone().unwrap(),
    );
    let (s1, s2, s3) = tokio::join!(a1.scan_once(), a2.scan_once(), a3.scan_once());
    let raised = s1.unwrap().raised + s2.unwrap().raised + s3.unwrap().raised;
    let tracked = seed
        .commitments
        .iter()
        .filter(|c| c.kind != pb::Kind::Stance as i32)
        .count();
    assert_eq!(
        raised, tracked,
        "each overdue commitment raised exactly once by one of the three"
    );
    for alerter in [&a1, &a2, &a3] {
        assert_eq!(
            alerter.scan_once().await.unwrap().raised,
            0,
            "scanning again raises nothing"
        );
    }
    let events = alert_events(&h).await;
    let overdue_id = format!("{}:overdue:2018-10-31", ipcp.id);
    assert_eq!(
        events.get(&(overdue_id.clone(), "overdue")),
        Some(&1),
        "{events:#?}"
    );
    assert_eq!(events.len(), tracked);

    // The receiver was down: nothing accepted yet; up again → each alert once.
    eventually(Duration::from_secs(20), "the sink to retry", || {
        (receiver.refused.load(Ordering::SeqCst) >= 2).then_some(())
    })
    .await;
    assert!(receiver.received().is_empty());
    receiver.down.store(false, Ordering::SeqCst);
    eventually(Duration::from_secs(20), "every alert delivered", || {
        (receiver.received().len() == tracked).then_some(())
    })
    .await;
    assert_eq!(
        receiver.received().get(&(overdue_id.clone(), "firing")),
        Some(&1)
    );

    // Fulfilling the commitment resolves its alert, once.
    let later = h.ingest_later().await;
    let linked_at = h.links_done(&later).await;
    let fulfilled = h.linked(&ipcp.id, &later.document_id).await;
    assert_eq!(fulfilled.status, pb::Status::Fulfilled as i32);
    for app in [h.app(), &b, &cc] {
        let mut p = app.position.clone().unwrap();
        p.wait_for(|&p| p >= linked_at).await.unwrap();
    }
    let (s1, s2, s3) = tokio::join!(a1.scan_once(), a2.scan_once(), a3.scan_once());
    assert!(s1.unwrap().resolved + s2.unwrap().resolved + s3.unwrap().resolved >= 1);
    let events = alert_events(&h).await;
    assert_eq!(
        events.get(&(overdue_id.clone(), "resolved")),
        Some(&1),
        "{events:#?}"
    );
    eventually(Duration::from_secs(20), "the resolution delivered", || {
        receiver
            .received()
            .get(&(overdue_id.clone(), "resolved"))
            .copied()
    })
    .await;

    // Rebuilding a replica's projection fires nothing again.
    let count = h.bus().await.message_count().await.unwrap();
    b.shutdown().await.unwrap();
    cc.shutdown().await.unwrap();
    h.stop_app().await;
    std::fs::remove_dir_all(h.projection_dir()).unwrap();
    h.start_app(None).await;
    let mut p = h.app().position.clone().unwrap();
    let end = h.bus().await.last_canonical_position().await.unwrap();
    tokio::time::timeout(Duration::from_secs(20), p.wait_for(|&p| p >= end))
        .await
        .unwrap()
        .unwrap();
    let rescan = h.app().alerter.clone().unwrap().scan_once().await.unwrap();
    assert_eq!((rescan.raised, rescan.resolved), (0, 0));
    assert_eq!(
        h.bus().await.message_count().await.unwrap(),
        count,
        "a rebuild appends nothing"
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        receiver.received().values().all(|&n| n == 1),
        "{:#?}",
        receiver.received()
    );
}

#[tokio::test]
async fn a_resumed_watch_sees_every_change_once_in_order() {
    let h = Harness::start().await;
    let seed = h.ingest(SEED, SEED_DATE).await;
    let later = h.ingest_later().await;
    let mut c = h.client().await;
    let end = c
        .list_commitments(pb::ListCommitmentsRequest {
            min_position: Some(later.position),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .position;

    // Everything, in one go, as the reference.
    let mut all = Vec::new();
    let mut stream = c
        .watch_commitments(pb::WatchCommitmentsRequest {
            from_position: 1,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    while let Some(change) = stream.message().await.unwrap() {
        all.push((
            change.position,
            change.event_type,
            change.commitment.unwrap().id,
        ));
        if all.last().unwrap().0 >= end {
            break;
        }
    }
    drop(stream);
    assert!(
        all.windows(2).all(|w| w[0].0 < w[1].0),
        "strictly in log order"
    );
    assert!(all.len() > seed.commitments.len() + later.commitments.len());

    // Disconnect mid-stream, resume from the last position + 1.
    let mut resumed = Vec::new();
    let mut from = 1;
    for chunk in [5usize, 7, usize::MAX] {
        let mut stream = c
            .watch_commitments(pb::WatchCommitmentsRequest {
                from_position: from,
                ..Default::default()
            })
            .await
            .unwrap()
            .into_inner();
        let mut n = 0;
        while n < chunk {
            let Some(change) = stream.message().await.unwrap() else {
                break;
            };
            from = change.position + 1;
            resumed.push((
                change.position,
                change.event_type,
                change.commitment.unwrap().id,
            ));
            n += 1;
            if from > end {
                break;
            }
        }
        if from > end {
            break;
        }
    }
    assert_eq!(resumed, all);

    // A party filter sees only that party's commitments.
    let mut nato = c
        .watch_commitments(pb::WatchCommitmentsRequest {
            from_position: 1,
            party: "NATO".into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    let first = nato.message().await.unwrap().unwrap();
    assert!(first
        .commitment
        .unwrap()
        .committers
        .contains(&"NATO".to_string()));
}
