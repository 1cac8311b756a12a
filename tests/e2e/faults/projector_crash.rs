//! Projector crash: the projector runs as its own process (`accord up --role
//! query`) and is SIGKILLed at seeded-random moments while a load generator
//! appends 20,000 commitments; after the last restart it catches up, and its
//! projection must equal one rebuilt from scratch: the same digest, and each
//! canonical event applied exactly once (zero lost, zero applied twice).

use super::support::{accord_bin, audit, connect, last_canonical, synthetic_docs, Load};
use accord_bus::BusConfig;
use accord_proto::v1 as pb;
use accord_proto::v1::accord_client::AccordClient;
use accord_store::Store;
use accord_testkit::{seed_from_env, NatsServer, Process, SeededRng};
use std::net::SocketAddr;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// 100 readouts × 200 commitments = 20,000 commitments (plus the deadlines
/// `decide` sets and 100 documents: ~35,000 canonical events).
const DOCS: usize = 100;
const PER_DOC: usize = 200;

/// Kills: `ACCORD_FAULT_KILLS` (default 12, at least 10).
fn kills() -> usize {
    std::env::var("ACCORD_FAULT_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(12)
        .max(10)
}

/// Starts `accord up --role query` over `data` and waits until it serves
/// gRPC (its projector task is running by then).
fn start_projector(data: &Path, nats: &str, n: usize) -> (Process, SocketAddr) {
    let mut cmd = Command::new(accord_bin());
    cmd.args([
        "up",
        "--insecure-log",
        "--role",
        "query",
        "--listen",
        "127.0.0.1:0",
        "--metrics-listen",
        "127.0.0.1:0",
        "--http-listen",
        "off",
    ])
    .args(["--cache-mb", "16", "--nats", nats, "--data-dir"])
    .arg(data)
    .env("RUST_LOG", "info,async_nats=warn,sled=warn");
    let mut p = Process::spawn(
        format!("projector process #{n}"),
        cmd,
        &data.join("accord.log"),
    );
    let addr = p.wait_for_line(Duration::from_secs(60), |line| {
        line.strip_prefix("accord serving gRPC on ")?
            .split_whitespace()
            .next()?
            .parse()
            .ok()
    });
    (p, addr)
}

/// Checkpoint and applied count of the (closed) projection in `data`.
fn read_store(data: &Path) -> (u64, u64) {
    let store = Store::open(&data.join("projection"), 8 << 20).expect("open the projection");
    (store.position().unwrap(), store.applied_count().unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn projector_killed_at_random_moments_equals_a_rebuild() {
    let started = Instant::now();
    let seed = seed_from_env("ACCORD_FAULT_SEED");
    let mut rng = SeededRng::new(seed);
    let nats = NatsServer::start();
    let bus = connect(BusConfig::new(nats.url()), Duration::from_secs(20)).await;
    let data = tempfile::tempdir().unwrap();
    let docs = Arc::new(synthetic_docs("crash", DOCS, PER_DOC));
    let load = Load::start(&bus, &docs, 2, Duration::from_secs(120));

    // (delay before the kill, checkpoint after it, log end at the kill)
    let mut schedule = Vec::new();
    let mut previous = 0;
    for n in 0..kills() {
        let (mut projector, _) =
            tokio::task::block_in_place(|| start_projector(data.path(), &nats.url(), n));
        let delay = rng.millis_between(Duration::ZERO, Duration::from_millis(800));
        tokio::time::sleep(delay).await;
        assert!(
            projector.try_exit().is_none(),
            "the projector died by itself:\n{}",
            projector.log_text()
        );
        // What existed before the kill: a checkpoint below it was cut short.
        let log_end = last_canonical(&bus).await;
        projector.kill();
        let (checkpoint, applied) = read_store(data.path());
        assert!(
            checkpoint >= previous,
            "kill #{n}: the checkpoint went back from {previous} to {checkpoint}"
        );
        assert!(
            applied <= checkpoint,
            "kill #{n}: {applied} events applied but the checkpoint is {checkpoint}"
        );
        previous = checkpoint;
        schedule.push((delay, checkpoint, log_end));
    }
    let acks = load.finish().await;
    let loaded = started.elapsed();

    // The log has stopped growing; let the projector catch up once more.
    let through = last_canonical(&bus).await;
    let (mut projector, addr) =
        tokio::task::block_in_place(|| start_projector(data.path(), &nats.url(), kills()));
    let mut client = AccordClient::connect(format!("http://{addr}"))
        .await
        .expect("connect to the projector's gRPC");
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        // The server itself waits (up to 5 s) for `min_position`.
        let answer = client
            .list_commitments(pb::ListCommitmentsRequest {
                page_size: 1,
                min_position: Some(through),
                ..Default::default()
            })
            .await;
        match answer {
            Ok(page) => {
                assert_eq!(page.into_inner().position, through);
                break;
            }
            Err(status) if status.code() == tonic::Code::DeadlineExceeded => {}
            Err(status) => panic!("{status}\n{}", projector.log_text()),
        }
        assert!(
            Instant::now() < deadline,
            "the projector did not catch up to {through} within 120 s:\n{}",
            projector.log_text()
        );
    }
    // Stopped as an operator stops it: the projector announces a batch
    // before its fsync (docs/performance-design.md, "Fresh reads do not wait for the disk"), so a
    // kill here could lose the last batch until a restart re-applies it —
    // the kills above are the faults; this is the end of the run.
    let exit = tokio::task::block_in_place(|| projector.terminate(Duration::from_secs(30)));
    assert!(
        exit.is_some_and(|s| s.success()),
        "the projector did not stop cleanly on SIGTERM ({exit:?}):\n{}",
        projector.log_text()
    );

    let store = Store::open(&data.path().join("projection"), 16 << 20).unwrap();
    let scratch = tempfile::tempdir().unwrap();
    let rebuilt = audit(&bus, scratch.path()).await;
    rebuilt.assert_exactly_once(&docs, &acks);

    let interrupted = schedule
        .iter()
        .filter(|(_, checkpoint, log_end)| checkpoint < log_end)
        .count();
    eprintln!(
        "projector crash (seed {seed}): {} commitments in {loaded:.1?}, {} kills \
         (delay ms, checkpoint, log end): {:?}; {interrupted} left work undone; \
         total {:.1?}",
        docs.iter().map(|d| d.commitments()).sum::<usize>(),
        schedule.len(),
        schedule
            .iter()
            .map(|(d, c, e)| (d.as_millis(), *c, *e))
            .collect::<Vec<_>>(),
        started.elapsed()
    );
    assert_eq!(store.position().unwrap(), through, "caught up");
    assert_eq!(
        store.applied_count().unwrap(),
        rebuilt.canonical,
        "each canonical event applied exactly once across {} kills (seed {seed})",
        schedule.len()
    );
    assert_eq!(
        store.digest().unwrap(),
        rebuilt.digest,
        "the crashed-and-restarted projection equals a rebuild (seed {seed})"
    );
    // The kills must have hit a projector with work to do, or this proved nothing.
    assert!(
        interrupted >= schedule.len() / 2,
        "only {interrupted} of {} kills interrupted a projector that was behind the log",
        schedule.len()
    );
}
