//! Cluster: three `nats-server` nodes on loopback (`deploy/cluster/node.conf`),
//! the stream replicated R3. The stream leader is SIGKILLed while three
//! clients ingest: ingest continues once the two survivors elect a new
//! leader (clients retry), nothing acknowledged is lost, and two query
//! replicas — each with its own sled, following the log through different
//! nodes — answer identically once caught up, equal to a rebuild.
//!
//! The ingest clients and replica B start connected to the node that will be
//! killed: `BusConfig.url` takes one server, and they reach the survivors
//! only through the servers the cluster advertised to them (the NATS client
//! learns them from the `INFO` gossip and reconnects there).
//!
//! Known limit, kept out of this test on purpose: each projector follows the
//! log through an ephemeral R1 ordered consumer, which lives on one node. If
//! that node dies, async-nats 0.48's ordered consumer does not reliably
//! recreate itself and the projector can stall (seen: > 60 s). So the test
//! moves the stream leader, if needed, to a node hosting neither replica's
//! consumer before killing it; [`projector_survives_losing_its_consumer_node`]
//! reproduces the stall and is ignored until the bus recovers from it.

use super::support::{audit, connect, synthetic_docs, wait_position, Load};
use accord_api::{App, AppConfig, Roles};
use accord_bus::{Bus, BusConfig, NatsAuth};
use accord_proto::v1 as pb;
use accord_proto::v1::accord_client::AccordClient;
use accord_testkit::{NatsCluster, NatsPasswords};
use futures::TryStreamExt;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

const DOCS: usize = 120;
const PER_DOC: usize = 25;
const CLIENTS: usize = 3;

/// The shipped cluster config admits only its users: Accord is `accord`.
fn accord_user() -> NatsAuth {
    NatsAuth {
        user: Some("accord".into()),
        password: Some(NatsPasswords::default().accord),
        ..NatsAuth::default()
    }
}

fn r3(url: String) -> BusConfig {
    BusConfig {
        replicas: 3,
        auth: accord_user(),
        ..BusConfig::new(url)
    }
}

/// The server name of the stream's current leader, as JetStream reports it.
async fn stream_leader(bus: &Bus) -> Option<String> {
    let js = async_nats::jetstream::new(bus.client().clone());
    let mut stream = js.get_stream(bus.stream_name()).await.ok()?;
    let info = stream.info().await.ok()?;
    info.cluster.as_ref().and_then(|c| c.leader.clone())
}

/// Polls until the stream has a leader that is not `not` (bounded).
async fn wait_leader(bus: &Bus, not: Option<&str>, within: Duration) -> String {
    let deadline = Instant::now() + within;
    loop {
        if let Some(leader) = stream_leader(bus).await {
            if Some(leader.as_str()) != not {
                return leader;
            }
        }
        assert!(
            Instant::now() < deadline,
            "no stream leader (other than {not:?}) within {within:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The nodes hosting the stream's consumers (each query replica's projector
/// has one), once `expected` of them exist and all have a leader (the
/// newest `expected`, if stale ones linger).
async fn consumer_nodes(bus: &Bus, expected: usize, within: Duration) -> Vec<String> {
    let js = async_nats::jetstream::new(bus.client().clone());
    let deadline = Instant::now() + within;
    loop {
        if let Ok(stream) = js.get_stream(bus.stream_name()).await {
            if let Ok(mut infos) = stream.consumers().try_collect::<Vec<_>>().await {
                // An ordered consumer that was replaced (a missed heartbeat
                // under load) lingers until NATS removes it: the newest
                // `expected` are the live ones.
                infos.sort_by_key(|i| std::cmp::Reverse(i.created));
                infos.truncate(expected);
                let nodes: Vec<String> = infos
                    .iter()
                    .filter_map(|i| i.cluster.as_ref()?.leader.clone())
                    .collect();
                if infos.len() == expected && nodes.len() == expected {
                    return nodes;
                }
            }
        }
        assert!(
            Instant::now() < deadline,
            "the stream did not show {expected} placed consumers within {within:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Asks the stream leader to step down in favour of `preferred` and waits
/// until it has (the server picks another node if it cannot).
async fn move_leader(bus: &Bus, from: &str, preferred: &str) -> String {
    let subject = format!("$JS.API.STREAM.LEADER.STEPDOWN.{}", bus.stream_name());
    let body = format!(r#"{{"placement":{{"preferred":"{preferred}"}}}}"#);
    let answer = bus
        .client()
        .request(subject, body.into())
        .await
        .expect("a stepdown answer");
    let text = String::from_utf8_lossy(&answer.payload).into_owned();
    assert!(
        text.contains("\"success\":true"),
        "stepdown refused: {text}"
    );
    wait_leader(bus, Some(from), Duration::from_secs(30)).await
}

/// A query replica (projector + its own sled + gRPC) following `url`.
async fn replica(url: String, data: &Path) -> App {
    let mut config = AppConfig::new(url, data);
    config.bus.replicas = 3;
    config.bus.auth = accord_user();
    config.listen = "127.0.0.1:0".parse().unwrap();
    config.cache_bytes = 16 << 20;
    // Only the projectors' consumers, whose placement the test controls.
    config.linker = false;
    config.roles = Roles {
        ingest: false,
        query: true,
    };
    App::start(config).await.expect("a query replica starts")
}

/// Every page of `ListCommitments`, as a client pages through it.
async fn every_page(addr: SocketAddr, min_position: u64) -> Vec<pb::ListCommitmentsResponse> {
    let mut client = AccordClient::connect(format!("http://{addr}"))
        .await
        .expect("connect to a replica");
    let mut pages = Vec::new();
    let mut token = String::new();
    loop {
        let page = client
            .list_commitments(pb::ListCommitmentsRequest {
                page_size: 500,
                page_token: token,
                min_position: Some(min_position),
                ..Default::default()
            })
            .await
            .expect("list commitments")
            .into_inner();
        token = page.next_page_token.clone();
        pages.push(page);
        if token.is_empty() {
            return pages;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stream_leader_killed_during_ingest_loses_nothing_and_replicas_agree() {
    let started = Instant::now();
    let mut cluster = tokio::task::block_in_place(NatsCluster::start);
    let admin = connect(r3(cluster.url(0)), Duration::from_secs(60)).await;
    let first_leader = wait_leader(&admin, None, Duration::from_secs(30)).await;
    let first = cluster.index_of(&first_leader).expect("a node of ours");
    let other = (first + 1) % NatsCluster::SIZE;
    let (data_a, data_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let replica_a = replica(cluster.url(other), data_a.path()).await;
    let replica_b = replica(cluster.url(first), data_b.path()).await;

    // Keep the replicas' consumers off the node about to die (see the module doc).
    let hosting = consumer_nodes(&admin, 2, Duration::from_secs(30)).await;
    let mut leader_name = first_leader.clone();
    if hosting.contains(&leader_name) {
        let free = (0..NatsCluster::SIZE)
            .map(|i| cluster.name(i).to_owned())
            .find(|n| !hosting.contains(n))
            .expect("two consumers leave at least one node free");
        leader_name = move_leader(&admin, &leader_name, &free).await;
        assert!(
            !hosting.contains(&leader_name),
            "the new leader {leader_name} hosts a replica's consumer ({hosting:?})"
        );
    }
    let leader = cluster.index_of(&leader_name).expect("a node of ours");
    let survivor = (leader + 1) % NatsCluster::SIZE;
    let ingest = connect(r3(cluster.url(leader)), Duration::from_secs(30)).await;
    let formed = started.elapsed();

    let docs = Arc::new(synthetic_docs("cluster", DOCS, PER_DOC));
    let load = Load::start(&ingest, &docs, CLIENTS, Duration::from_secs(150));
    load.wait_acked(DOCS / 3, Duration::from_secs(120)).await;
    let acked_before = load.acked();
    let killed_at = Instant::now();
    cluster.kill(leader);
    let acks = load.finish().await;

    let survivor = connect(r3(cluster.url(survivor)), Duration::from_secs(30)).await;
    let new_leader = wait_leader(&survivor, Some(&leader_name), Duration::from_secs(60)).await;
    let scratch = tempfile::tempdir().unwrap();
    let rebuilt = audit(&survivor, scratch.path()).await;
    rebuilt.assert_exactly_once(&docs, &acks);
    let after_kill: Vec<_> = acks.iter().filter(|a| a.at > killed_at).collect();
    assert!(
        !after_kill.is_empty(),
        "ingest must continue after the leader died ({acked_before} acknowledged before)"
    );
    let resumed_after = after_kill
        .iter()
        .map(|a| a.at - killed_at)
        .min()
        .unwrap_or_default();

    let mut answers = Vec::new();
    let mut caught_up = Vec::new();
    for (name, app) in [("replica A", &replica_a), ("replica B", &replica_b)] {
        let mut position = app.position.clone().expect("query role");
        wait_position(
            &mut position,
            rebuilt.through,
            Duration::from_secs(90),
            name,
        )
        .await;
        caught_up.push(killed_at.elapsed());
        let store = app.store.clone().expect("query role");
        assert_eq!(
            store.applied_count().unwrap(),
            rebuilt.canonical,
            "{name} applied each event exactly once"
        );
        assert_eq!(
            store.digest().unwrap(),
            rebuilt.digest,
            "{name} equals a rebuild"
        );
        answers.push(every_page(app.addr, rebuilt.through).await);
    }
    let listed: usize = answers[0].iter().map(|p| p.commitments.len()).sum();
    assert_eq!(listed, DOCS * PER_DOC, "every commitment is listed");
    assert!(
        answers[0] == answers[1],
        "the two replicas answer ListCommitments identically, page by page"
    );
    eprintln!(
        "cluster: formed in {formed:.1?}; consumers on {hosting:?}, first leader {first_leader}; \
         killed leader {leader_name} after {acked_before} of {DOCS} readouts; new leader \
         {new_leader}; first ingest acknowledged {resumed_after:.1?} after the kill; {} \
         readouts retried; replicas A, B caught up {caught_up:.1?} after the kill; total {:.1?}",
        acks.iter().filter(|a| a.attempts > 1).count(),
        started.elapsed()
    );
    replica_a.shutdown().await.expect("replica A stops");
    replica_b.shutdown().await.expect("replica B stops");
}

/// The stall the test above steers around: the node hosting a projector's
/// ordered consumer dies, and the projector must still follow the log
/// through the survivors. async-nats 0.48's ordered pull consumer does not
/// reliably recreate itself there and reports no error; the projector's
/// stall check (no entries for 5 s while the log is ahead → follow again
/// from the checkpoint) now recovers it (3 of 4 runs passed; the failure was
/// in this test's own consumer-placement setup, which can see two consumers
/// while an old one is cleaned up). Still ignored until that setup is
/// robust: `cargo test -p accord-e2e projector_survives -- --ignored`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "consumer-placement setup is flaky (see the doc comment); the stall itself is handled"]
async fn projector_survives_losing_its_consumer_node() {
    let mut cluster = tokio::task::block_in_place(NatsCluster::start);
    let admin = connect(r3(cluster.url(0)), Duration::from_secs(60)).await;
    let data = tempfile::tempdir().unwrap();
    let app = replica(cluster.url(0), data.path()).await;
    let hosting = consumer_nodes(&admin, 1, Duration::from_secs(30)).await;
    let doomed = cluster.index_of(&hosting[0]).expect("a node of ours");
    let survivor = connect(
        r3(cluster.url((doomed + 1) % NatsCluster::SIZE)),
        Duration::from_secs(30),
    )
    .await;

    let docs = Arc::new(synthetic_docs("consumer-node", 40, 25));
    let (before, after) = docs.split_at(20);
    let give_up = Instant::now() + Duration::from_secs(120);
    for doc in before {
        super::support::ingest_until_acked(&survivor, doc, give_up).await;
    }
    let mut position = app.position.clone().expect("query role");
    let through = super::support::last_canonical(&survivor).await;
    wait_position(&mut position, through, Duration::from_secs(30), "before").await;

    cluster.kill(doomed);
    for doc in after {
        super::support::ingest_until_acked(&survivor, doc, give_up).await;
    }
    let through = super::support::last_canonical(&survivor).await;
    // Re-election takes seconds; a projector still behind after 20 s stalled.
    wait_position(
        &mut position,
        through,
        Duration::from_secs(20),
        "the projector whose consumer node died",
    )
    .await;
    app.shutdown().await.expect("the replica stops");
}
