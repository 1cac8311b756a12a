//! followup: RecordFollowUp with optimistic concurrency, 16 analysts on
//! distinct commitments (issue #13). Each analyst attaches evidence to its
//! own commitments in turn, passing the version it last saw; a conflict
//! (ABORTED) makes it read the commitment again and retry.

use crate::log::{self, LOG_SALT};
use crate::report::{per_s, rate, Figure, Latencies, Row};
use crate::serve::{caught_up, client, config};
use crate::synth;
use accord_api::{App, Roles};
use accord_proto::v1 as pb;
use anyhow::Context;
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// Concurrent analysts, each on commitments of its own.
pub const ANALYSTS: usize = 16;

/// What one analyst did.
#[derive(Default)]
struct Done {
    micros: Vec<u64>,
    conflicts: u64,
}

async fn analyst(
    addr: std::net::SocketAddr,
    k: usize,
    ids: Vec<String>,
    deadline: Instant,
) -> anyhow::Result<Done> {
    let mut c = client(addr).await?;
    let mut versions: HashMap<String, u64> = HashMap::new();
    let mut done = Done::default();
    let mut n = 0usize;
    while Instant::now() < deadline {
        let id = &ids[n % ids.len()];
        let version = match versions.get(id) {
            Some(v) => *v,
            None => {
                let got = c
                    .get_commitment(pb::GetCommitmentRequest {
                        id: id.clone(),
                        ..Default::default()
                    })
                    .await?
                    .into_inner();
                got.commitment.context("a known commitment")?.version
            }
        };
        let started = Instant::now();
        let evidence = pb::Evidence {
            evidence_id: format!("bench-{k}-{n}"),
            evidence_kind: pb::EvidenceKind::Progress as i32,
            date: "2018-01-01".into(),
            source_type: "analyst".into(),
            snippet: "talks went on".into(),
            ..Default::default()
        };
        let sent = c
            .record_follow_up(pb::RecordFollowUpRequest {
                commitment_id: id.clone(),
                expected_version: version,
                command_id: format!("bench-{k}-{n}"),
                follow_up: Some(pb::record_follow_up_request::FollowUp::Evidence(
                    pb::AttachEvidence {
                        evidence: Some(evidence),
                        by: format!("analyst-{k}"),
                    },
                )),
            })
            .await;
        match sent {
            Ok(done_now) => {
                done.micros.push(started.elapsed().as_micros() as u64);
                versions.insert(id.clone(), done_now.into_inner().version);
                n += 1;
            }
            Err(status) if status.code() == tonic::Code::Aborted => {
                done.conflicts += 1;
                versions.remove(id);
            }
            Err(status) => anyhow::bail!("RecordFollowUp on {id}: {status}"),
        }
    }
    Ok(done)
}

/// Fills a log of `events`, serves it with every role, and runs the analysts for `secs`.
pub async fn rows(url: &str, events: u64, secs: f64) -> anyhow::Result<Vec<Row>> {
    let bus = log::connect(url).await?;
    let filled = log::fill(&bus, events).await?;
    let data = tempfile::Builder::new().prefix("accord-bench-").tempdir()?;
    let roles = Roles {
        ingest: true,
        query: true,
    };
    let app = App::start(config(url, data.path(), roles)).await?;
    caught_up(&app, url, data.path(), filled.last_position).await?;
    eprintln!("followup: {ANALYSTS} analysts, RecordFollowUp for {secs:.0} s");
    let deadline = Instant::now() + Duration::from_secs_f64(secs);
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for k in 0..ANALYSTS {
        let ids: Vec<String> = (0..filled.readouts)
            .filter(|i| *i as usize % ANALYSTS == k)
            .flat_map(|i| {
                (0..synth::commitments_in(i)).map(move |j| synth::commitment_id(LOG_SALT, i, j))
            })
            .map(|id| id.to_string())
            .collect();
        tasks.spawn(analyst(app.addr, k, ids, deadline));
    }
    let (mut micros, mut conflicts) = (Vec::new(), 0);
    while let Some(done) = tasks.join_next().await {
        let done = done??;
        micros.extend(done.micros);
        conflicts += done.conflicts;
    }
    let elapsed = started.elapsed();
    app.shutdown().await?;
    let n = micros.len() as u64;
    let lat = Latencies::new(micros);
    Ok(vec![Row::new(
        "followup",
        format!("RecordFollowUp (attach evidence, expected_version), {ANALYSTS} analysts on distinct commitments"),
        format!("{}, {}", per_s(rate(n, elapsed)), lat.summary()),
    )
    .against(format!("{conflicts} version conflicts retried"), "")
    .figure(Figure::FollowUps, rate(n, elapsed))])
}
