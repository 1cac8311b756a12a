//! `accord-bench`: Accord's speed, each figure next to the limit it is
//! measured against in the same run (issue #6). Not part of `make test`:
//! run it with `make bench`.
//!
//! Phases: publish (ingest appends vs raw JetStream publish), mac (the
//! same with and without log MACs), project
//! (projector vs a bare consumer), rebuild (1M events in a child process, for
//! its peak RSS), query (gRPC vs direct sled reads), freshness (ingest ack to
//! visible), followup (RecordFollowUp, 16 analysts). Each phase gets its own real nats-server from `accord-testkit`.

mod followup;
mod freshness;
mod log;
mod mac;
mod peer;
mod rebuild;
mod report;
mod serve;
mod synth;

use clap::{Parser, Subcommand};
use report::Row;
use std::path::PathBuf;
use std::time::Instant;

/// mimalloc: gRPC answers are built from many small allocations, which
/// glibc's malloc served at about a third of a listing's CPU (docs/performance-history.md,
/// issue #13 third round).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    version,
    about = "Accord benchmarks: one table, each figure against its limit"
)]
struct Cli {
    /// Phases to run, comma-separated.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "publish,mac,project,rebuild,query,freshness,followup"
    )]
    only: Vec<Phase>,
    /// Events in the pre-filled log (project, rebuild, query).
    #[arg(long, default_value_t = 1_000_000)]
    events: u64,
    /// Events the project phase times (a prefix of the log; rebuild does all).
    #[arg(long, default_value_t = 200_000)]
    project_events: u64,
    /// Readouts appended in the publish phase.
    #[arg(long, default_value_t = 5_000)]
    readouts: u64,
    /// How the rebuild phase rebuilds, comma-separated: `bulk` (`accord
    /// rebuild`) and `live` (the projector on an empty store, the baseline).
    #[arg(long, value_delimiter = ',', default_value = "bulk,live")]
    rebuild_modes: Vec<rebuild::RebuildMode>,
    /// sled page cache of the rebuild phase's stores, in MiB (a rebuild
    /// runs in `accord up`, whose `--cache-mb` / ACCORD_CACHE_MB defaults to 64).
    #[arg(long, default_value_t = 64)]
    rebuild_cache_mb: u64,
    /// Seconds per query load and per freshness run.
    #[arg(long, default_value_t = 10.0)]
    seconds: f64,
    /// Readouts per second offered in the freshness phase; it runs again at
    /// the `Appender`'s maximum rate when the publish phase measured it.
    #[arg(long, default_value_t = 500)]
    rate: u64,
    /// The peer's results (cqrs-es + postgres-es, `../shared/peers/cqrs-es-bench/run.sh`,
    /// run in the same session): a `c16-r*.txt` file, a run's directory or
    /// the results directory (its newest run). Adds Accord ÷ peer rows.
    #[arg(long, value_name = "PATH")]
    peer: Option<PathBuf>,
    /// HTTP/2 connections the query phase's 32 clients share, comma-
    /// separated for a sweep (32: one connection per client).
    #[arg(long, value_delimiter = ',', default_value = "32,4")]
    connections: Vec<usize>,
    /// Tokio worker threads of the query load generator (0: one thread,
    /// tokio's current-thread runtime).
    #[arg(long, default_value_t = 0)]
    generator_threads: usize,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Phase {
    Publish,
    /// Publish and read back with and without log MACs.
    Mac,
    Project,
    Rebuild,
    Query,
    Freshness,
    /// RecordFollowUp, 16 analysts on distinct commitments.
    Followup,
}

#[derive(Subcommand)]
enum Command {
    /// Internal: the rebuild phase re-executes the binary with this, so the
    /// peak RSS it reads is the rebuild's alone.
    #[command(hide = true)]
    RebuildChild {
        #[arg(long)]
        nats: String,
        #[arg(long)]
        dir: PathBuf,
        #[arg(long)]
        last: u64,
        #[arg(long, value_enum)]
        mode: rebuild::RebuildMode,
        #[arg(long)]
        cache_mb: u64,
    },
    /// Internal: the query phase's load generator, in a process of its own
    /// so the server's and the generator's CPU can be told apart.
    #[command(hide = true)]
    QueryLoad {
        #[arg(long)]
        addr: std::net::SocketAddr,
        /// ListCommitments instead of GetCommitment.
        #[arg(long)]
        list: bool,
        #[arg(long)]
        seconds: f64,
        /// Readouts in the pre-filled log (where ids are picked from).
        #[arg(long)]
        readouts: u64,
        /// HTTP/2 connections the clients share.
        #[arg(long)]
        connections: usize,
    },
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let mut runtime = match (&cli.command, cli.generator_threads) {
        // The load generator: one thread does, and leaves the cores to the server.
        (Some(Command::QueryLoad { .. }), 0) => tokio::runtime::Builder::new_current_thread(),
        (Some(Command::QueryLoad { .. }), n) => {
            let mut b = tokio::runtime::Builder::new_multi_thread();
            b.worker_threads(n);
            b
        }
        _ => tokio::runtime::Builder::new_multi_thread(),
    };
    runtime.enable_all().build()?.block_on(run(cli))
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    if let Some(Command::RebuildChild {
        nats,
        dir,
        last,
        mode,
        cache_mb,
    }) = &cli.command
    {
        return rebuild::rebuild_child(nats, dir, *last, *mode, cache_mb << 20).await;
    }
    if let Some(Command::QueryLoad {
        addr,
        list,
        seconds,
        readouts,
        connections,
    }) = &cli.command
    {
        return serve::query_load_child(*addr, *list, *seconds, *readouts, *connections).await;
    }
    // Read first: a wrong path should not cost a whole run.
    let peer = cli.peer.as_deref().map(peer::Peer::read).transpose()?;
    let started = Instant::now();
    let machine = report::machine();
    println!("accord-bench on {machine}");
    let on = |p: Phase| cli.only.contains(&p);
    let mut rows: Vec<Row> = Vec::new();

    if on(Phase::Publish) {
        let nats = accord_testkit::NatsServer::start();
        rows.extend(log::publish(&nats.url(), cli.readouts).await?);
    }

    if on(Phase::Mac) {
        let nats = accord_testkit::NatsServer::start();
        rows.extend(mac::rows(&nats.url(), cli.readouts.min(2_000)).await?);
    }

    if on(Phase::Project) || on(Phase::Rebuild) || on(Phase::Query) {
        let nats = accord_testkit::NatsServer::start();
        let bus = log::connect(&nats.url()).await?;
        let filled = log::fill(&bus, cli.events).await?;
        eprintln!(
            "filled the log: {} readouts, {} events, {} messages in {:.1} s",
            filled.readouts,
            filled.events,
            filled.messages,
            filled.elapsed.as_secs_f64()
        );
        if on(Phase::Project) {
            rows.extend(log::project(&bus, &filled, cli.project_events).await?);
        }
        let data = tempfile::Builder::new().prefix("accord-bench-").tempdir()?;
        if on(Phase::Rebuild) {
            rows.extend(rebuild::rebuild(
                &nats.url(),
                data.path(),
                &filled,
                &cli.rebuild_modes,
                cli.rebuild_cache_mb,
            )?);
        } else if on(Phase::Query) {
            log::project_into(
                &bus,
                data.path(),
                filled.last_position,
                log::CACHE_BYTES,
                "build the store",
            )
            .await?;
        }
        if on(Phase::Query) {
            let generator = serve::Generator {
                connections: cli.connections.clone(),
                threads: cli.generator_threads,
            };
            rows.extend(
                serve::query(&nats.url(), data.path(), &filled, cli.seconds, &generator).await?,
            );
        }
    }

    if on(Phase::Freshness) {
        let nats = accord_testkit::NatsServer::start();
        let mut rates = vec![cli.rate];
        // The Appender's maximum, measured above (the second freshness target).
        if let Some(max) = report::best(&rows, report::Figure::AppenderReadouts) {
            if max > cli.rate as f64 {
                rates.push(max.round() as u64);
            }
        }
        rows.extend(freshness::freshness_rows(&nats.url(), &rates, cli.seconds).await?);
    }

    if on(Phase::Followup) {
        let nats = accord_testkit::NatsServer::start();
        rows.extend(followup::rows(&nats.url(), 30_000, cli.seconds).await?);
    }

    if let Some(row) = report::projector_against_appender(&rows) {
        rows.push(row);
    }
    match &peer {
        Some(peer) => {
            let compared = peer.rows(&rows);
            rows.extend(compared);
        }
        None => rows.push(Row::new(
            "peer",
            "cqrs-es + postgres-es not compared: run `make bench-peer` (or pass --peer)",
            "",
        )),
    }
    println!();
    report::print_table(&rows);
    println!(
        "\n(accord-bench {}, total {:.0} s)",
        std::env::args().skip(1).collect::<Vec<_>>().join(" "),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
