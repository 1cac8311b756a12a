//! Issue #12: gRPC health that means something — NOT_SERVING until the
//! projection caught up after start, while NATS is unreachable, and while
//! the disk is (nearly) full; one service name per role.

use crate::harness::{wait_health, Harness, NOT_SERVING, SEED, SEED_DATE, SERVING};
use accord_api::{App, Roles};
use std::sync::{mpsc, Arc, Mutex};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn not_serving_until_caught_up_and_while_nats_is_unreachable() {
    let mut h = Harness::start().await;
    h.ingest(SEED, SEED_DATE).await;
    h.stop_app().await;
    std::fs::remove_dir_all(h.projection_dir()).unwrap();

    // The projector's first commit waits for the test: it cannot catch up.
    let (release, gate) = mpsc::channel::<()>();
    let gate = Arc::new(Mutex::new(gate));
    h.start_app(Some(Arc::new(move |_| {
        let _ = gate.lock().unwrap().recv();
        false
    })))
    .await;
    let addr = h.app().addr;
    wait_health(addr, "accord.ingest", SERVING).await;
    for service in ["", "accord.v1.Accord", "accord.query"] {
        assert_eq!(
            crate::harness::health(addr, service).await,
            NOT_SERVING,
            "{service:?}"
        );
    }
    let why = h.app().readiness.why_not().unwrap();
    assert!(why.contains("catching up with the log"), "{why}");

    drop(release);
    wait_health(addr, "", SERVING).await;
    wait_health(addr, "accord.query", SERVING).await;

    h.nats.kill();
    wait_health(addr, "", NOT_SERVING).await;
    wait_health(addr, "accord.ingest", NOT_SERVING).await;
    wait_health(addr, "accord.query", NOT_SERVING).await;
    let why = h.app().readiness.why_not().unwrap();
    assert!(why.contains("NATS unreachable"), "{why}");
    h.nats.restart();
    wait_health(addr, "", SERVING).await;
    // Caught up once is enough: a restart of NATS does not wait for it again.
    wait_health(addr, "accord.query", SERVING).await;
}

#[tokio::test]
async fn each_role_has_its_own_service_name_and_a_full_disk_is_not_ready() {
    let mut h = Harness::start().await;
    let mut config = h.config();
    config.roles = Roles {
        ingest: true,
        query: false,
    };
    let ingest_only = App::start(config).await.unwrap();
    wait_health(ingest_only.addr, "accord.ingest", SERVING).await;
    wait_health(ingest_only.addr, "", SERVING).await;
    assert_eq!(
        crate::harness::health(ingest_only.addr, "accord.query").await,
        None
    );

    let query_only = h.replica().await;
    wait_health(query_only.addr, "accord.query", SERVING).await;
    assert_eq!(
        crate::harness::health(query_only.addr, "accord.ingest").await,
        None
    );

    // A replica whose data folder's disk has less free space than it needs.
    let dir = tempfile::tempdir().unwrap();
    let mut config = h.config();
    config.data_dir = dir.path().to_owned();
    config.roles = Roles {
        ingest: false,
        query: true,
    };
    config.health.min_free_bytes = u64::MAX;
    let full = App::start(config).await.unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !full
        .readiness
        .why_not()
        .is_some_and(|why| why.contains("disk nearly full"))
    {
        assert!(
            std::time::Instant::now() < deadline,
            "{:?}",
            full.readiness.why_not()
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    wait_health(full.addr, "accord.query", NOT_SERVING).await;
    wait_health(full.addr, "", NOT_SERVING).await;
    for app in [ingest_only, query_only, full] {
        app.shutdown().await.unwrap();
    }
}
