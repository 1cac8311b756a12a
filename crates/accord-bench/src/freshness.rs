//! freshness: how soon a readout IngestReadout acknowledged can be read back
//! (GetCommitment with `min_position`), in one process and across an ingest
//! and a query replica, at a steady offered rate.

use crate::report::{rate, Latencies, Row};
use crate::serve::{caught_up, client, config};
use crate::synth;
use accord_api::{App, Roles};
use accord_proto::v1 as pb;
use anyhow::Context;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

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
