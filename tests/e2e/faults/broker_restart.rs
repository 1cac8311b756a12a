//! Broker restart: `nats-server` is SIGKILLed and started again (same port,
//! same storage) twice while four clients ingest. Whatever was acknowledged
//! is in the log exactly once; the clients retry the rest with the same
//! content (same document id, the idempotency key) until acknowledged or told
//! "already ingested"; the in-process projector resumes by itself and ends
//! equal to a rebuild.

use super::support::{audit, connect, synthetic_docs, wait_position, Load};
use accord_api::{App, AppConfig, Roles};
use accord_bus::BusConfig;
use accord_testkit::NatsServer;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// 240 readouts × 25 commitments: many small batches, so restarts land
/// between and inside them.
const DOCS: usize = 240;
const PER_DOC: usize = 25;
const CLIENTS: usize = 4;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_ingests_survive_broker_restarts_exactly_once() {
    let started = Instant::now();
    let mut nats = NatsServer::start();
    let data = tempfile::tempdir().unwrap();
    let mut config = AppConfig::new(nats.url(), data.path());
    config.listen = "127.0.0.1:0".parse().unwrap();
    config.cache_bytes = 16 << 20;
    config.roles = Roles {
        ingest: false,
        query: true,
    };
    let app = App::start(config).await.expect("accord starts");

    let bus = connect(BusConfig::new(nats.url()), Duration::from_secs(20)).await;
    let docs = Arc::new(synthetic_docs("restart", DOCS, PER_DOC));
    let load = Load::start(&bus, &docs, CLIENTS, Duration::from_secs(120));
    let mut restarts = Vec::new();
    for fraction in [3, 2] {
        let at = DOCS / fraction;
        load.wait_acked(at, Duration::from_secs(120)).await;
        let acked_before = load.acked();
        let t = Instant::now();
        tokio::task::block_in_place(|| nats.restart());
        restarts.push((acked_before, t.elapsed()));
    }
    let acks = load.finish().await;

    let scratch = tempfile::tempdir().unwrap();
    let rebuilt = audit(&bus, scratch.path()).await;
    rebuilt.assert_exactly_once(&docs, &acks);
    let retried = acks.iter().filter(|a| a.attempts > 1).count();
    let lost_answers = acks
        .iter()
        .filter(|a| matches!(a.ack, super::support::Ack::AlreadyIngested { .. }))
        .count();
    assert!(
        acks.iter()
            .all(|a| a.attempts > 1 || matches!(a.ack, super::support::Ack::Appended { .. })),
        "a first attempt can only be told 'already ingested' if a document was sent twice"
    );

    // The projector never stopped: it waited the outage out and resumed.
    let mut position = app.position.clone().expect("query role");
    wait_position(
        &mut position,
        rebuilt.through,
        Duration::from_secs(60),
        "the in-process projector",
    )
    .await;
    let store = app.store.clone().expect("query role");
    assert_eq!(store.position().unwrap(), rebuilt.through);
    assert_eq!(
        store.applied_count().unwrap(),
        rebuilt.canonical,
        "each event applied exactly once across the restarts"
    );
    assert_eq!(
        store.digest().unwrap(),
        rebuilt.digest,
        "equal to a rebuild"
    );
    eprintln!(
        "broker restart: {DOCS} readouts by {CLIENTS} clients, restarts after {:?} acks \
         (each took {:?}); {retried} readouts needed retries, {lost_answers} of them \
         had landed although the answer was lost; total {:.1?}",
        restarts.iter().map(|r| r.0).collect::<Vec<_>>(),
        restarts.iter().map(|r| r.1).collect::<Vec<_>>(),
        started.elapsed()
    );
    // The restarts must have hit ingests in flight, or this proved nothing.
    assert!(retried > 0, "no ingest was interrupted by the restarts");
    app.shutdown().await.expect("accord stops cleanly");
}
