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
