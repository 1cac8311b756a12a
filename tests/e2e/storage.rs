//! Issue #11, storage faults: a full disk under the projection (sled). The
//! projector pauses before sled's writes fail, the query role reports
//! NOT_SERVING with the reason, nothing is lost, and once space returns the
//! projector resumes by itself and catches up.

use crate::harness::{eventually, wait_health, Harness, NOT_SERVING, SEED, SEED_DATE, SERVING};
use accord_api::{App, Roles};
use accord_testkit::Tmpfs;
use std::time::Duration;

/// What the projector keeps free in this test (the default is 16 MiB).
const RESERVE: u64 = 1 << 20;

/// A readout that is new to the log each time (documents are keyed by text).
fn readout(i: u32) -> String {
    format!("{SEED}\nCopy {i} of the readout, filed again.\n")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_pauses_the_projector_and_it_catches_up_when_space_returns() {
    let h = Harness::start().await;
    h.ingest(SEED, SEED_DATE).await;

    // A query replica whose data folder is a small disk of its own.
    let disk = Tmpfs::mount(8);
    let mut config = h.config();
    config.data_dir = disk.path_buf();
    config.roles = Roles {
        ingest: false,
        query: true,
    };
    config.disk_reserve_bytes = RESERVE;
    // Readiness on free space alone would trip first: this test is about
    // the projector's own report.
    config.health.min_free_bytes = 0;
    let replica = App::start(config).await.expect("the replica starts");
    let bus = h.bus().await;
    let store = replica.store.clone().expect("a query replica has a store");
    let end = bus.last_canonical_position().await.unwrap();
    eventually(Duration::from_secs(30), "the replica to catch up", || {
        (store.position().unwrap() >= end).then_some(())
    })
    .await;
    wait_health(replica.addr, "accord.query", SERVING).await;

    // Leave a little more than the reserve, then ingest until it is gone.
    disk.fill_leaving(RESERVE + (512 << 10));
    let mut ingested = 0;
    let mut documents = Vec::new();
    let why = loop {
        if let Some(why) = replica
            .readiness
            .why_not()
            .filter(|w| w.contains("no space"))
        {
            break why;
        }
        assert!(
            ingested < 200,
            "the disk never filled: {} bytes free",
            disk.free_bytes()
        );
        documents.push(h.ingest(&readout(ingested), SEED_DATE).await.document_id);
        ingested += 1;
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert!(why.contains(&disk.path().display().to_string()), "{why}");
    eprintln!("paused after {ingested} readouts: {why}");
    wait_health(replica.addr, "accord.query", NOT_SERVING).await;
    wait_health(replica.addr, "", NOT_SERVING).await;

    // Clients keep writing (the log is elsewhere); the replica does not
    // move its checkpoint past what it wrote while the disk is full.
    for i in ingested..ingested + 3 {
        documents.push(h.ingest(&readout(i), SEED_DATE).await.document_id);
    }
    let end = bus.last_canonical_position().await.unwrap();
    let paused_at = store.position().unwrap();
    assert!(paused_at < end, "paused at {paused_at}, log at {end}");
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        store.position().unwrap(),
        paused_at,
        "a paused projector wrote on"
    );
    assert!(replica
        .readiness
        .why_not()
        .is_some_and(|w| w.contains("no space")));

    // Space returns: the replica resumes by itself and answers what the
    // primary answers.
    disk.resize(64);
    wait_health(replica.addr, "accord.query", SERVING).await;
    let primary = h.app().store.clone().expect("the primary has a store");
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    loop {
        let end = bus.last_canonical_position().await.unwrap();
        let (at, primary_at) = (store.position().unwrap(), primary.position().unwrap());
        if at == end && primary_at == end && store.digest().unwrap() == primary.digest().unwrap() {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the replica did not catch up: at {at}, the primary at {primary_at}, the log at {end}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Every readout ingested, before, during and after the full disk, with
    // every commitment it made.
    for doc in &documents {
        let id = accord_domain::DocumentId::parse(doc).unwrap();
        let record = store
            .document(&id)
            .unwrap()
            .unwrap_or_else(|| panic!("{doc} missing"));
        let made = store.document_commitments(&record.document).unwrap();
        assert!(!made.is_empty(), "{doc} has no commitments");
    }
    assert!(
        replica.readiness.is_ready(),
        "{:?}",
        replica.readiness.why_not()
    );
    replica.shutdown().await.unwrap();
}

/// Issue #11, storage faults: a projection whose files are damaged is moved
/// aside on start and rebuilt from the log into a fresh store, which answers
/// what the old one did.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_damaged_projection_is_set_aside_and_rebuilt_from_the_log() {
    let mut h = Harness::start().await;
    h.ingest(SEED, SEED_DATE).await;
    let later = h.ingest_later().await;
    let end = h.links_done(&later).await;
    let before = h.snapshot(end).await;
    assert!(!before.list.is_empty());
    h.stop_app().await;

    let garbage = "this is not a sled configuration\n";
    std::fs::write(h.projection_dir().join("conf"), garbage).unwrap();
    h.start_app(None).await;
    let end = h.links_done(&later).await;
    assert_eq!(h.snapshot(end).await, before);

    let aside: Vec<_> = std::fs::read_dir(h.data.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("projection.corrupt-"))
        })
        .collect();
    assert_eq!(aside.len(), 1, "{aside:?}");
    // Kept as it was, for a post-mortem.
    assert_eq!(
        std::fs::read_to_string(aside[0].join("conf")).unwrap(),
        garbage
    );
}
