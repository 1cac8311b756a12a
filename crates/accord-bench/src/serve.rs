//! The gRPC side: query throughput/latency and ingest-to-visible freshness.

use crate::log::{Filled, CACHE_BYTES, LOG_SALT};
use crate::report::{per_s, rate, ratio, Figure, Latencies, Row};
use crate::synth::{self, Rng};
use accord_api::{App, AppConfig, Roles};
use accord_domain::{CommitmentId, Party};
use accord_proto::v1 as pb;
use accord_proto::v1::accord_client::AccordClient;
use accord_store::{Filter, Store};
use anyhow::Context;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tonic::transport::Channel;

/// Concurrent gRPC clients of the query load generator.
const CLIENTS: usize = 32;
/// Page size of the ListCommitments load (one screen of a tracker).
const PAGE: i32 = 20;

pub fn config(url: &str, data_dir: &Path, roles: Roles) -> AppConfig {
    let mut config = AppConfig::new(url, data_dir);
    config.listen = "127.0.0.1:0".parse().expect("valid address");
    config.cache_bytes = CACHE_BYTES;
    config.roles = roles;
    // No background alerter: half the synthetic commitments fell due in
    // 2019, so its first scan would append an overdue alert for each, one
    // atomic batch at a time, through every phase (a write storm beside
    // the load being measured).
    config.alert_tick = None;
    config
}

/// Waits until `app`'s projector has applied the log up to `last` and its
/// feed writer (which starts from position 0 in a fresh data directory and
/// reads every entry, as a new replica does) has passed it too, so a load
/// measures the steady state and not a replica still catching up: on the
/// 1M-event log the feed writer's catch-up took the first GetCommitment run.
pub async fn caught_up(app: &App, url: &str, data_dir: &Path, last: u64) -> anyhow::Result<()> {
    let mut position = app.position.clone().context("query role")?;
    position
        .wait_for(|&p| p >= last)
        .await
        .context("projection caught up")?;
    let bus = crate::log::connect(url).await?;
    let feed = accord_api::feed::FeedWriter::new(bus, data_dir);
    let since = Instant::now();
    while feed.checkpoint() < last {
        anyhow::ensure!(
            since.elapsed() < Duration::from_secs(600),
            "the feed writer did not catch up with position {last} in 10 minutes (at {})",
            feed.checkpoint()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok(())
}

pub async fn client(addr: SocketAddr) -> anyhow::Result<AccordClient<Channel>> {
    Ok(AccordClient::connect(format!("http://{addr}")).await?)
}

/// A random commitment of the pre-filled log.
fn pick(filled: &Filled, rng: &mut Rng) -> CommitmentId {
    let i = rng.below(filled.readouts);
    let j = rng.below(synth::commitments_in(i) as u64) as usize;
    synth::commitment_id(LOG_SALT, i, j)
}

fn pick_party(rng: &mut Rng) -> String {
    synth::PARTIES[rng.below(synth::PARTIES.len() as u64) as usize].to_owned()
}

#[derive(Clone, Copy)]
enum Query {
    Get,
    List,
}

/// Single-threaded direct sled reads for `secs`: the store's own ceiling.
fn raw_rate(store: &Store, filled: &Filled, query: Query, secs: f64) -> anyhow::Result<f64> {
    let mut rng = Rng::new(7);
    let started = Instant::now();
    let mut n = 0u64;
    while started.elapsed().as_secs_f64() < secs {
        for _ in 0..64 {
            match query {
                Query::Get => {
                    let id = pick(filled, &mut rng);
                    store.commitment(&id)?.context("a known commitment")?;
                }
                Query::List => {
                    let filter = Filter {
                        party: Some(Party::new(pick_party(&mut rng))?),
                        ..Default::default()
                    };
                    store.list(&filter, None, PAGE as usize)?;
                }
            }
            n += 1;
        }
    }
    Ok(rate(n, started.elapsed()))
}

/// How the query phase's load generator runs.
pub struct Generator {
    /// HTTP/2 connections the `CLIENTS` share; one row each.
    pub connections: Vec<usize>,
    /// Tokio worker threads (0: current-thread runtime).
    pub threads: usize,
}

/// `CLIENTS` clients over `connections` HTTP/2 connections, each issuing
/// requests back to back for `secs`.
async fn load(
    addr: SocketAddr,
    filled: &Filled,
    query: Query,
    secs: f64,
    connections: usize,
) -> anyhow::Result<(f64, Latencies)> {
    let mut channels = Vec::new();
    for _ in 0..connections.clamp(1, CLIENTS) {
        channels.push(client(addr).await?);
    }
    let clients: Vec<_> = (0..CLIENTS)
        .map(|k| channels[k % channels.len()].clone())
        .collect();
    let filled = Arc::new((filled.readouts, filled.events));
    let deadline = Instant::now() + Duration::from_secs_f64(secs);
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for (k, mut c) in clients.into_iter().enumerate() {
        let filled = filled.clone();
        tasks.spawn(async move {
            let filled = Filled {
                readouts: filled.0,
                events: filled.1,
                messages: 0,
                last_position: 0,
                elapsed: Duration::ZERO,
            };
            let mut rng = Rng::new(1000 + k as u64);
            let mut micros = Vec::new();
            while Instant::now() < deadline {
                let t = Instant::now();
                match query {
                    Query::Get => {
                        let id = pick(&filled, &mut rng).to_string();
                        c.get_commitment(pb::GetCommitmentRequest {
                            id,
                            ..Default::default()
                        })
                        .await?;
                    }
                    Query::List => {
                        c.list_commitments(pb::ListCommitmentsRequest {
                            party: pick_party(&mut rng),
                            page_size: PAGE,
                            ..Default::default()
                        })
                        .await?;
                    }
                }
                micros.push(t.elapsed().as_micros() as u64);
            }
            anyhow::Ok(micros)
        });
    }
    let mut all = Vec::new();
    while let Some(done) = tasks.join_next().await {
        all.extend(done??);
    }
    let elapsed = started.elapsed();
    Ok((rate(all.len() as u64, elapsed), Latencies::new(all)))
}

/// CPU seconds this process has used (user + system), from /proc/self/stat.
pub fn cpu_secs() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which may hold spaces): utime, stime are 14, 15.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}

/// The hidden child: `CLIENTS` gRPC clients against `addr` for `secs`,
/// reporting its rate, latencies and CPU time on stdout.
pub async fn query_load_child(
    addr: SocketAddr,
    list: bool,
    secs: f64,
    readouts: u64,
    connections: usize,
) -> anyhow::Result<()> {
    let filled = Filled {
        readouts,
        events: 0,
        messages: 0,
        last_position: 0,
        elapsed: Duration::ZERO,
    };
    let query = if list { Query::List } else { Query::Get };
    let (rps, lat) = load(addr, &filled, query, secs, connections).await?;
    println!(
        "rps={rps} p50_ms={} p99_ms={} max_ms={} cpu_s={}",
        lat.ms(0.5),
        lat.ms(0.99),
        lat.ms(1.0),
        cpu_secs()
    );
    Ok(())
}

/// What a load generator in its own process measured.
struct ChildLoad {
    rps: f64,
    p50: f64,
    p99: f64,
    /// Cores used over the run by the server process and the generator.
    server_cores: f64,
    generator_cores: f64,
}

async fn load_in_child(
    addr: SocketAddr,
    filled: &Filled,
    query: Query,
    secs: f64,
    (connections, threads): (usize, usize),
) -> anyhow::Result<ChildLoad> {
    let mut cmd = tokio::process::Command::new(std::env::current_exe()?);
    cmd.arg("--generator-threads")
        .arg(threads.to_string())
        .arg("query-load")
        .arg("--connections")
        .arg(connections.to_string())
        .arg("--addr")
        .arg(addr.to_string())
        .arg("--seconds")
        .arg(secs.to_string())
        .arg("--readouts")
        .arg(filled.readouts.to_string())
        .stderr(std::process::Stdio::inherit());
    if let Query::List = query {
        cmd.arg("--list");
    }
    let (cpu0, t0) = (cpu_secs(), Instant::now());
    let out = cmd.output().await.context("run the query load child")?;
    let (server_cpu, wall) = (cpu_secs() - cpu0, t0.elapsed().as_secs_f64());
    let stdout = String::from_utf8_lossy(&out.stdout);
    anyhow::ensure!(out.status.success(), "query load child failed: {stdout}");
    let field = |name: &str| -> anyhow::Result<f64> {
        stdout
            .split_whitespace()
            .find_map(|w| w.strip_prefix(name))
            .and_then(|v| v.parse().ok())
            .with_context(|| format!("no {name} in {stdout:?}"))
    };
    Ok(ChildLoad {
        rps: field("rps=")?,
        p50: field("p50_ms=")?,
        p99: field("p99_ms=")?,
        server_cores: server_cpu / wall,
        generator_cores: field("cpu_s=")? / wall,
    })
}

/// query: GetCommitment / ListCommitments over gRPC next to direct sled reads,
/// on the projection the rebuild phase wrote to `data_dir`; one row per
/// connection count of `generator`, then the first count again with the
/// commitment cache off.
pub async fn query(
    url: &str,
    data_dir: &Path,
    filled: &Filled,
    secs: f64,
    generator: &Generator,
) -> anyhow::Result<Vec<Row>> {
    let roles = Roles {
        ingest: true,
        query: true,
    };
    let app = App::start(config(url, data_dir, roles)).await?;
    caught_up(&app, url, data_dir, filled.last_position).await?;
    let store = app.store.clone().context("query role has a store")?;
    let threads = match generator.threads {
        0 => "1 thread".to_owned(),
        n => format!("{n} worker threads"),
    };

    let mut rows = Vec::new();
    for (query, name) in [
        (Query::Get, "GetCommitment"),
        (Query::List, "ListCommitments"),
    ] {
        let raw = {
            let store = store.clone();
            let filled = Filled {
                readouts: filled.readouts,
                events: filled.events,
                messages: 0,
                last_position: 0,
                elapsed: Duration::ZERO,
            };
            tokio::task::spawn_blocking(move || raw_rate(&store, &filled, query, secs.min(3.0)))
                .await??
        };
        let raw_what = match query {
            Query::Get => "Store::commitment loop, 1 thread",
            Query::List => "Store::list same filter, 1 thread",
        };
        // CPU per request is what a shared machine does not blur: the
        // rate follows the share of the cores the two processes get.
        let value = |l: &ChildLoad| {
            format!(
                "{}, p50 {:.2} ms, p99 {:.2} ms; CPU: server {:.2} cores ({:.1} us/req), generator {:.2} ({:.1} us/req)",
                per_s(l.rps),
                l.p50,
                l.p99,
                l.server_cores,
                l.server_cores / l.rps * 1e6,
                l.generator_cores,
                l.generator_cores / l.rps * 1e6,
            )
        };
        let mut first = None;
        for &connections in &generator.connections {
            eprintln!("query: {name}, {connections} connections, load generator in its own process, {secs:.0} s");
            let load = load_in_child(
                app.addr,
                filled,
                query,
                secs,
                (connections, generator.threads),
            )
            .await?;
            let what = match query {
                Query::Get => format!("{name}, {CLIENTS} clients on {connections} connections in another process ({threads}), random ids"),
                Query::List => format!("{name}(party, page_size {PAGE}), {CLIENTS} clients on {connections} connections"),
            };
            let mut row = Row::new("query", what, value(&load))
                .against(format!("{raw_what}: {}", per_s(raw)), ratio(load.rps, raw));
            if let Query::Get = query {
                row = row.figure(Figure::Lookups, load.rps).target(
                    ">= 20,000 req/s, p99 < 5 ms",
                    load.rps >= 20_000.0 && load.p99 < 5.0,
                );
            }
            rows.push(row);
            first.get_or_insert((connections, load.rps));
        }
        let Some((connections, cached)) = first else {
            continue;
        };
        eprintln!("query: {name}, the same without the commitment cache");
        store.set_commitment_cache(0);
        let uncached = load_in_child(
            app.addr,
            filled,
            query,
            secs,
            (connections, generator.threads),
        )
        .await?;
        store.set_commitment_cache(accord_store::COMMITMENT_CACHE_ENTRIES);
        rows.push(
            Row::new(
                "query",
                format!(
                    "  {connections} connections, commitment cache off ({} entries on)",
                    accord_store::COMMITMENT_CACHE_ENTRIES
                ),
                value(&uncached),
            )
            .against("cache on / off", format!("{:.2}x", cached / uncached.rps)),
        );
    }
    app.shutdown().await?;
    Ok(rows)
}

/// The same `AccordService` over the same store, served like `App` does but
/// with TCP_NODELAY on accepted sockets: `App::start` hands tonic a plain
/// `TcpListenerStream`, and tonic ignores `tcp_nodelay` for custom incoming
/// streams, so responses wait on Nagle + delayed ACK (~40 ms).
async fn nodelay_server(url: &str, app: &App) -> anyhow::Result<SocketAddr> {
    let query = accord_api::query::Query {
        bus: crate::log::connect(url).await?,
        store: app.store.clone().context("query role")?,
        position: app.position.clone().context("query role")?,
        max_wait: Duration::from_secs(5),
        decoder: accord_projector::default_decoder(),
    };
    let service = accord_api::AccordService {
        ingest: None,
        query: Some(query),
        commands: None,
        linker: None,
        guards: accord_api::service::Guards::new(1024),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let incoming = tonic::transport::server::TcpIncoming::from(listener).with_nodelay(Some(true));
    tokio::spawn(
        tonic::transport::Server::builder()
            .add_service(accord_proto::v1::accord_server::AccordServer::new(service))
            .serve_with_incoming(incoming),
    );
    Ok(addr)
}

enum Outcome {
    Visible {
        ingest_us: u64,
        fresh_us: u64,
        /// Reads the server shed (RESOURCE_EXHAUSTED) before this one answered.
        shed: u64,
    },
    NoCommitment,
    Refused(String),
}

/// Readouts of a freshness run that never became a visible commitment.
#[derive(Default)]
pub struct Unseen {
    no_commitment: u64,
    refused: u64,
    /// The last refusal's message.
    why: String,
    /// GetCommitment calls shed by the server and retried (with backoff, as
    /// its message asks); the wait counts in the freshness figure.
    shed_reads: u64,
}

/// freshness: a steady `rate_per_s` of distinct readouts through gRPC
/// IngestReadout; for each, the time from its ack to GetCommitment (with
/// `min_position` = the ack's position) answering with the commitment.
pub async fn freshness(
    ingest_addr: SocketAddr,
    query_addr: SocketAddr,
    rate_per_s: u64,
    secs: f64,
    first: u64,
) -> anyhow::Result<(Latencies, Latencies, f64, Unseen)> {
    let mut ingest_clients = Vec::new();
    let mut query_clients = Vec::new();
    for _ in 0..8 {
        ingest_clients.push(client(ingest_addr).await?);
        query_clients.push(client(query_addr).await?);
    }
    let total = (rate_per_s as f64 * secs) as u64;
    let progress = crate::report::bar(total, "freshness");
    let mut ticker = tokio::time::interval(Duration::from_secs_f64(1.0 / rate_per_s as f64));
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    let mut tasks = tokio::task::JoinSet::new();
    let started = Instant::now();
    for i in 0..total {
        ticker.tick().await;
        let mut ic = ingest_clients[i as usize % 8].clone();
        let mut qc = query_clients[i as usize % 8].clone();
        let progress = progress.clone();
        tasks.spawn(async move {
            let sent = Instant::now();
            let ack = ic
                .ingest_readout(pb::IngestReadoutRequest {
                    text: synth::readout_text(first + i),
                    date: "2017-10-31".into(),
                    ..Default::default()
                })
                .await;
            let acked = Instant::now();
            progress.inc(1);
            let ack = match ack {
                Ok(ack) => ack.into_inner(),
                Err(status) => return anyhow::Ok(Outcome::Refused(status.message().to_owned())),
            };
            let Some(c) = ack.commitments.first() else {
                return Ok(Outcome::NoCommitment);
            };
            let (mut shed, mut backoff) = (0, Duration::from_millis(1));
            loop {
                let read = qc
                    .get_commitment(pb::GetCommitmentRequest {
                        id: c.id.clone(),
                        min_position: Some(ack.position),
                        ..Default::default()
                    })
                    .await;
                match read {
                    Ok(_) => break,
                    Err(s) if s.code() == tonic::Code::ResourceExhausted && shed < 100 => {
                        shed += 1;
                        tokio::time::sleep(backoff).await;
                        backoff = (backoff * 2).min(Duration::from_millis(100));
                    }
                    Err(s) => return Err(s.into()),
                }
            }
            let visible = Instant::now();
            Ok(Outcome::Visible {
                ingest_us: (acked - sent).as_micros() as u64,
                fresh_us: (visible - acked).as_micros() as u64,
                shed,
            })
        });
    }
    let (mut ingest, mut fresh) = (Vec::new(), Vec::new());
    let mut unseen = Unseen::default();
    while let Some(done) = tasks.join_next().await {
        match done?? {
            Outcome::Visible {
                ingest_us,
                fresh_us,
                shed,
            } => {
                ingest.push(ingest_us);
                fresh.push(fresh_us);
                unseen.shed_reads += shed;
            }
            Outcome::NoCommitment => unseen.no_commitment += 1,
            Outcome::Refused(why) => {
                unseen.refused += 1;
                unseen.why = match why.find("10210") {
                    Some(_) => "NATS 10210: more than 50 atomic batches in flight".into(),
                    None => why,
                };
            }
        }
    }
    // Ingests the service accepted per second, not merely answered.
    let achieved = rate(
        ingest.len() as u64 + unseen.no_commitment,
        started.elapsed(),
    );
    progress.finish_and_clear();
    Ok((
        Latencies::new(ingest),
        Latencies::new(fresh),
        achieved,
        unseen,
    ))
}

/// freshness, twice: `accord up` (one process, all roles), and a separate
/// ingest replica + query replica (how Accord scales out).
/// freshness at each of `rates` (readouts/s offered): one process with all
/// roles, then an ingest replica beside a query replica; then, below the
/// first rate, latency without overload.
pub async fn freshness_rows(url: &str, rates: &[u64], secs: f64) -> anyhow::Result<Vec<Row>> {
    let mut rows = Vec::new();
    let dir = tempfile::tempdir()?;
    let all = Roles {
        ingest: true,
        query: true,
    };
    let ingest_app = App::start(config(
        url,
        &dir.path().join("ingest"),
        Roles {
            ingest: true,
            query: false,
        },
    ))
    .await?;
    let mut query_app = None;
    // Readout numbers of each run start apart, so every run ingests new ones.
    let mut first = 0;
    for (k, &rate_per_s) in rates.iter().enumerate() {
        let app = App::start(config(url, &dir.path().join(format!("all-{k}")), all)).await?;
        let last = crate::log::connect(url).await?.last_position().await?;
        caught_up(&app, url, &dir.path().join(format!("all-{k}")), last).await?;
        eprintln!("freshness: accord up (all roles), {rate_per_s} readouts/s for {secs:.0} s");
        let setup = "one process, all roles (`accord up`)";
        rows.push(fresh_run(setup, (app.addr, app.addr), rate_per_s, secs, first).await?);
        first += 1_000_000;
        app.shutdown().await?;

        if query_app.is_none() {
            query_app = Some(
                App::start(config(
                    url,
                    &dir.path().join("query"),
                    Roles {
                        ingest: false,
                        query: true,
                    },
                ))
                .await?,
            );
        }
        let query = query_app.as_ref().context("started above")?;
        // The query replica first catches up with the earlier runs' events.
        let last = crate::log::connect(url).await?.last_position().await?;
        caught_up(query, url, &dir.path().join("query"), last).await?;
        eprintln!(
            "freshness: ingest replica + query replica, {rate_per_s} readouts/s for {secs:.0} s"
        );
        let setup = "ingest replica + query replica";
        let addrs = (ingest_app.addr, query.addr);
        rows.push(fresh_run(setup, addrs, rate_per_s, secs, first).await?);
        first += 1_000_000;
    }
    let query_app = query_app.context("at least one rate")?;
    let rate_per_s = rates[0];
    // Below the ingest ceiling, so the figure is latency, not overload; then
    // the same with the query replica's sockets on TCP_NODELAY.
    let calm = (rate_per_s / 4).max(1);
    let nodelay = nodelay_server(url, &query_app).await?;
    for (setup, query_addr) in [
        (
            "ingest + query replica, below ingest ceiling",
            query_app.addr,
        ),
        ("  same, bench-built query server with TCP_NODELAY", nodelay),
    ] {
        first += 1_000_000;
        eprintln!("freshness: {setup}, {calm} readouts/s for {secs:.0} s");
        let addrs = (ingest_app.addr, query_addr);
        rows.push(fresh_run(setup, addrs, calm, secs, first).await?);
    }
    ingest_app.shutdown().await?;
    query_app.shutdown().await?;
    Ok(rows)
}

/// One freshness run through `(ingest, query)` servers, as a table row.
async fn fresh_run(
    setup: &str,
    (ingest_addr, query_addr): (SocketAddr, SocketAddr),
    rate_per_s: u64,
    secs: f64,
    first: u64,
) -> anyhow::Result<Row> {
    let (ingest, fresh, achieved, unseen) =
        freshness(ingest_addr, query_addr, rate_per_s, secs, first).await?;
    Ok(fresh_row(
        setup, rate_per_s, &ingest, &fresh, achieved, &unseen,
    ))
}

fn fresh_row(
    setup: &str,
    rate_per_s: u64,
    ingest: &Latencies,
    fresh: &Latencies,
    achieved: f64,
    unseen: &Unseen,
) -> Row {
    let mut what =
        format!("ack -> visible via GetCommitment, {setup}, {rate_per_s} readouts/s offered");
    if unseen.no_commitment > 0 {
        what.push_str(&format!(
            "; {} readouts without commitments",
            unseen.no_commitment
        ));
    }
    if unseen.shed_reads > 0 {
        what.push_str(&format!(
            "; {} reads SHED by the server and retried",
            unseen.shed_reads
        ));
    }
    if unseen.refused > 0 {
        what.push_str(&format!(
            "; {} ingests REFUSED ({})",
            unseen.refused, unseen.why
        ));
    }
    // Issue #13: < 10 ms at 500 readouts/s, < 50 ms at the Appender's maximum.
    let (limit_ms, at) = if rate_per_s <= 500 {
        (10.0, "<= 500 readouts/s")
    } else {
        (50.0, "up to the Appender's maximum rate")
    };
    Row::new("freshness", what, fresh.summary())
        .against(
            format!(
                "IngestReadout itself: {}; {} readouts/s accepted, n={}",
                ingest.summary(),
                achieved.round(),
                fresh.len()
            ),
            "",
        )
        .target(
            format!("p99 < {limit_ms} ms at {at}"),
            fresh.ms(0.99) < limit_ms && fresh.len() > 0,
        )
}
