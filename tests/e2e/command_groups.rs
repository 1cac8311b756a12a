//! Issue #13: concurrent multi-event commands share atomic batches (group
//! commit) and keep their guards; one-event commands are one guarded
//! publish each (`feed_copies` for their copies). Each lands only on the version it was decided on, two
//! on one commitment never share a batch, and a stale one fails alone,
//! appending nothing.

use crate::harness::{Harness, SEED, SEED_DATE};
use accord_api::command_appender::CommandAppender;
use accord_bus::{Bus, BusError, Outgoing};
use accord_domain::event::CommitmentConfirmed;
use accord_domain::{Commitment, CommitmentId, Envelope, Event, EventId, EventMeta};
use accord_proto::v1 as pb;
use time::macros::datetime;
use tonic::Code;

/// The seed readout, projected: its first `n` commitments as stored.
async fn seeded(h: &Harness, n: usize) -> Vec<Commitment> {
    let seed = h.ingest(SEED, SEED_DATE).await;
    let mut projected = h.app().position.clone().unwrap();
    projected.wait_for(|&p| p >= seed.position).await.unwrap();
    assert!(seed.commitments.len() >= n, "{:#?}", seed.commitments);
    seed.commitments[..n]
        .iter()
        .map(|c| stored(h, &c.id))
        .collect()
}

fn stored(h: &Harness, id: &str) -> Commitment {
    let id = CommitmentId::parse(id).unwrap();
    h.app()
        .store
        .as_ref()
        .unwrap()
        .commitment(&id)
        .unwrap()
        .unwrap()
}

/// Command `name` confirming commitment `c`: one event, copies owed to its committers.
fn confirm(c: &Commitment, name: &str) -> Vec<Outgoing> {
    let meta = EventMeta {
        id: EventId::derive(c.id.as_str(), &format!("cmd:{name}:0")),
        occurred_at: datetime!(2018-01-10 09:00 UTC),
        recorded_at: datetime!(2018-01-10 09:00 UTC),
        correlation_id: EventMeta::correlation(&format!("cmd:{name}"), None),
    };
    let event = Event::CommitmentConfirmed(CommitmentConfirmed {
        commitment_id: c.id.clone(),
        by: "analyst".into(),
        note: None,
    });
    vec![Outgoing {
        envelope: Envelope::new(meta, event),
        parties: c.committers.clone(),
    }]
}

fn messages(events: &[Outgoing]) -> u64 {
    events.iter().map(|o| 1 + o.parties.len() as u64).sum()
}

async fn count(bus: &Bus) -> u64 {
    bus.message_count().await.unwrap()
}

#[tokio::test]
async fn a_group_lands_whole_or_not_at_all_each_command_on_its_own_guard() {
    let h = Harness::start().await;
    let c = seeded(&h, 3).await;
    let bus = h.bus().await;
    let before = count(&bus).await;

    // One stale guard refuses the whole batch: nothing of the others lands.
    let stale = bus
        .append_commands(&[
            (confirm(&c[0], "a"), c[0].version),
            (confirm(&c[1], "b"), c[1].version - 1),
        ])
        .await;
    assert!(matches!(stale, Err(BusError::Publish(_))), "{stale:?}");
    assert_eq!(count(&bus).await, before, "a refused group appends nothing");

    // Two commands on one commitment never share a batch: the server would
    // check the second guard against the first one's.
    let twice = bus
        .append_commands(&[
            (confirm(&c[0], "a"), c[0].version),
            (confirm(&c[0], "b"), c[0].version),
        ])
        .await
        .unwrap_err();
    assert!(
        twice.to_string().contains("two commands on commitment"),
        "{twice}"
    );
    assert_eq!(count(&bus).await, before);

    // Fresh guards on distinct commitments: one batch, each its own positions.
    let group: Vec<_> = c
        .iter()
        .enumerate()
        .map(|(i, c)| (confirm(c, &format!("ok-{i}")), c.version))
        .collect();
    let appended = bus.append_commands(&group).await.unwrap();
    assert_eq!(appended.len(), 3);
    let total: u64 = group.iter().map(|(e, _)| messages(e)).sum();
    assert_eq!(count(&bus).await, before + total);
    let mut projected = h.app().position.clone().unwrap();
    let end = appended.iter().map(|a| a.end).max().unwrap();
    projected.wait_for(|&p| p >= end).await.unwrap();
    for (c, a) in c.iter().zip(&appended) {
        let now = stored(&h, c.id.as_str());
        assert_eq!(now.version, a.positions[0], "{}", c.id);
    }
}

#[tokio::test]
async fn the_command_appender_answers_each_command_of_a_group_on_its_own() {
    let h = Harness::start().await;
    let c = seeded(&h, 3).await;
    let bus = h.bus().await;
    let before = count(&bus).await;
    let appender = CommandAppender::start(bus.clone());

    // Sent together, so they queue for one group: a stale command and a
    // rival of another on the same commitment at the same version.
    let (ok0, stale1, ok2, rival0) = tokio::join!(
        appender.append(confirm(&c[0], "x"), c[0].version),
        appender.append(confirm(&c[1], "y"), c[1].version - 1),
        appender.append(confirm(&c[2], "z"), c[2].version),
        appender.append(confirm(&c[0], "w"), c[0].version),
    );
    let ok0 = ok0.unwrap();
    ok2.unwrap();
    match stale1 {
        Err(BusError::VersionConflict { current, .. }) => assert_eq!(current, c[1].version),
        other => panic!("the stale command is a conflict: {other:?}"),
    }
    match rival0 {
        Err(BusError::VersionConflict { current, .. }) => assert_eq!(current, ok0.positions[0]),
        other => panic!("the rival is a conflict at the winner's version: {other:?}"),
    }
    // The two fresh ones, then (from the app's feed writer) their copies.
    let landed = messages(&confirm(&c[0], "x")) + messages(&confirm(&c[2], "z"));
    let mut now = count(&bus).await;
    assert!(
        now >= before + 2,
        "both events are in the log when answered"
    );
    while now < before + landed {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        now = count(&bus).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(
        count(&bus).await,
        before + landed,
        "only the two fresh ones and their copies"
    );
}

fn attach(id: &str, version: u64, command_id: &str) -> pb::RecordFollowUpRequest {
    use pb::record_follow_up_request::FollowUp;
    pb::RecordFollowUpRequest {
        commitment_id: id.into(),
        expected_version: version,
        command_id: command_id.into(),
        follow_up: Some(FollowUp::Evidence(pb::AttachEvidence {
            evidence: Some(pb::Evidence {
                evidence_id: command_id.into(),
                evidence_kind: pb::EvidenceKind::Progress as i32,
                date: "2018-01-01".into(),
                source_type: "analyst".into(),
                snippet: "talks went on".into(),
                ..Default::default()
            }),
            by: "analyst".into(),
        })),
    }
}

#[tokio::test]
async fn concurrent_analysts_land_once_per_commitment_and_version() {
    let h = Harness::start().await;
    let c = seeded(&h, 4).await;
    // One analyst per commitment, and three rivals on the first, all at
    // the version they read, all at once.
    let mut requests: Vec<_> = c
        .iter()
        .map(|c| attach(c.id.as_str(), c.version, &format!("own-{}", c.id)))
        .collect();
    for r in 0..3 {
        requests.push(attach(
            c[0].id.as_str(),
            c[0].version,
            &format!("rival-{r}"),
        ));
    }
    let calls = requests.into_iter().map(|r| {
        let h = &h;
        async move { h.client().await.record_follow_up(r).await }
    });
    let answers = futures::future::join_all(calls).await;

    for (i, c) in c.iter().enumerate().skip(1) {
        let answer = answers[i].as_ref().expect("alone on its commitment");
        assert!(answer.get_ref().version > c.version);
    }
    let first: Vec<_> = [0, 4, 5, 6].iter().map(|&i| &answers[i]).collect();
    let won = first.iter().filter(|a| a.is_ok()).count();
    assert_eq!(won, 1, "exactly one of four rivals lands: {first:?}");
    for lost in first.iter().filter_map(|a| a.as_ref().err()) {
        assert_eq!(lost.code(), Code::Aborted, "{lost:?}");
    }
    for c in &c {
        let now = stored(&h, c.id.as_str());
        assert_eq!(now.evidence.len(), 1, "{}: {:#?}", c.id, now.evidence);
    }
}
