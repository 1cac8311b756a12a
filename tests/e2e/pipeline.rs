//! Issue #2: readout → JetStream → sled tracker → gRPC, end to end.

use crate::harness::{Harness, SEED, SEED_DATE};
use accord_proto::v1 as pb;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// The events one ingest appends: each commitment, each deadline, the document.
fn canonical_events(r: &pb::IngestReadoutResponse) -> usize {
    r.commitments.len()
        + r.commitments
            .iter()
            .filter(|c| !c.deadline.is_empty())
            .count()
        + 2 // ReadoutText, DocumentIngested
}

fn is_ipcp_action(c: &pb::Commitment) -> bool {
    c.text.contains("IPCP") && c.kind == pb::Kind::Action as i32 && c.committers == ["JPN", "NATO"]
}

#[tokio::test]
async fn seed_flows_to_the_tracker_once_and_survives_restart_and_rebuild() {
    let mut h = Harness::start().await;
    let ingested = h.ingest(SEED, SEED_DATE).await;
    assert!(!ingested.already_ingested);
    assert!(
        ingested.commitments.iter().any(is_ipcp_action),
        "ingest answer lacks the IPCP action: {:#?}",
        ingested.commitments
    );
    assert!(ingested
        .commitments
        .iter()
        .all(|c| c.position > 0 && c.position < ingested.position));

    // Read-your-writes: the listing at the ingest's position has the IPCP action.
    let mut client = h.client().await;
    let listed = client
        .list_commitments(pb::ListCommitmentsRequest {
            min_position: Some(ingested.position),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert!(listed.position >= ingested.position);
    let ipcp: Vec<_> = listed
        .commitments
        .iter()
        .filter(|c| is_ipcp_action(c))
        .collect();
    assert_eq!(ipcp.len(), 1, "{:#?}", listed.commitments);
    assert_eq!(listed.commitments.len(), ingested.commitments.len());

    // The same text again appends nothing, and says so.
    let bus = h.bus().await;
    let before = bus.message_count().await.unwrap();
    let again = h.ingest(&SEED.replace('\n', "\r\n"), SEED_DATE).await;
    assert!(again.already_ingested, "{again:?}");
    assert_eq!(again.document_id, ingested.document_id);
    assert_eq!(again.position, ingested.position);
    assert!(
        again.message.contains("nothing appended"),
        "{}",
        again.message
    );
    assert_eq!(
        bus.message_count().await.unwrap(),
        before,
        "a re-ingest must not add events"
    );

    let snapshot = h.snapshot(ingested.position).await;
    assert_eq!(snapshot.list.len(), ingested.commitments.len());
    let digest = h.app().store.as_ref().unwrap().digest().unwrap();

    // Restart over the same sled: identical answers.
    h.restart_app().await;
    assert_eq!(h.snapshot(ingested.position).await, snapshot);

    // Delete the projection and restart: rebuilt from the log, identical.
    h.stop_app().await;
    std::fs::remove_dir_all(h.projection_dir()).unwrap();
    h.start_app(None).await;
    assert_eq!(h.snapshot(ingested.position).await, snapshot);
    let store = h.app().store.as_ref().unwrap();
    assert_eq!(store.digest().unwrap(), digest);
    assert_eq!(
        store.applied_count().unwrap(),
        canonical_events(&ingested) as u64
    );
}

/// A "crash" right after the sled commit, before the projector tells anyone
/// (the hook stops it there): after restart every event is applied exactly once.
#[tokio::test]
async fn crash_between_commit_and_ack_applies_each_event_once() {
    let mut h = Harness::start().await;
    h.stop_app().await;
    let crashed = Arc::new(AtomicBool::new(false));
    let flag = crashed.clone();
    h.start_app(Some(Arc::new(move |_position| {
        !flag.swap(true, Ordering::SeqCst)
    })))
    .await;

    let ingested = h.ingest(SEED, SEED_DATE).await;
    let exit = h
        .app
        .as_mut()
        .unwrap()
        .projector_exit()
        .await
        .expect("the projector was running");
    assert!(exit.is_err(), "the hook stops the projector: {exit:?}");
    assert!(crashed.load(Ordering::SeqCst));
    let committed = h.app().store.as_ref().unwrap().position().unwrap();
    assert!(committed > 0, "the batch was committed before the crash");
    assert_eq!(
        *h.app().position.as_ref().unwrap().borrow(),
        0,
        "but never announced"
    );

    // A second readout lands while the projector is down.
    let later = h.ingest_later().await;
    h.restart_app().await;
    // The restarted linker then reports the 2018 readout's follow-ups.
    let end = h.links_done(&later).await;
    let snapshot = h.snapshot(end).await;
    let events = h.canonical_count(end).await;
    assert!(events > canonical_events(&ingested) + canonical_events(&later));
    let store = h.app().store.as_ref().unwrap();
    assert_eq!(
        store.applied_count().unwrap(),
        events as u64,
        "each event applied exactly once"
    );
    assert_eq!(
        snapshot.list.len(),
        ingested.commitments.len() + later.commitments.len()
    );

    // And the result equals a projection rebuilt from scratch.
    let digest = store.digest().unwrap();
    h.stop_app().await;
    std::fs::remove_dir_all(h.projection_dir()).unwrap();
    h.start_app(None).await;
    assert_eq!(h.snapshot(end).await, snapshot);
    assert_eq!(h.app().store.as_ref().unwrap().digest().unwrap(), digest);
}

/// Concurrent ingests are group-committed; a readout already in the log
/// inside a group still gets its own "already ingested", and nothing lands twice.
#[tokio::test]
async fn concurrent_ingests_group_commit_and_stay_idempotent() {
    let h = Harness::start().await;
    let first = h.ingest(SEED, SEED_DATE).await;
    let texts: Vec<String> = (0..24)
        .map(|i| format!("On 3 March 2019 Japan and Australia held talks.\n\nThe two leaders agreed that Japan and Australia would hold joint exercise number {i} next year.\n"))
        .chain(std::iter::once(SEED.to_owned()))
        .collect();
    let answers = futures::future::join_all(texts.iter().map(|t| async {
        let mut c = h.client().await;
        let request = pb::IngestReadoutRequest {
            text: t.clone(),
            date: "2019-03-03".into(),
            ..Default::default()
        };
        c.ingest_readout(request).await.map(|r| r.into_inner())
    }))
    .await;
    let answers: Vec<_> = answers
        .into_iter()
        .map(|a| a.expect("every ingest answers"))
        .collect();
    let (known, new): (Vec<_>, Vec<_>) = answers.iter().partition(|a| a.already_ingested);
    assert_eq!(known.len(), 1);
    assert_eq!(known[0].document_id, first.document_id);
    assert_eq!(new.len(), 24);
    assert!(
        new.iter()
            .all(|a| a.commitments.len() == 1 && a.commitments[0].position > first.position),
        "{new:#?}"
    );

    // Each readout once in the log: 24 documents + the seed, read back through the tracker.
    let end = new.iter().map(|a| a.position).max().unwrap();
    let listed = h
        .client()
        .await
        .list_commitments(pb::ListCommitmentsRequest {
            min_position: Some(end),
            page_size: 1000,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(listed.commitments.len(), first.commitments.len() + 24);
    let mut positions: Vec<u64> = new.iter().map(|a| a.position).collect();
    positions.sort();
    positions.dedup();
    assert_eq!(positions.len(), 24, "every ingest ends at its own position");
}

/// The stream's last sequence is often a party-feed copy, which the
/// projector does not read: as `min_position` it still completes at once.
#[tokio::test]
async fn the_streams_last_sequence_is_a_valid_min_position() {
    let h = Harness::start().await;
    let seed = h.ingest(SEED, SEED_DATE).await;
    // A command's batch ends with the copies for each committer's feed.
    let ipcp = crate::harness::ipcp(&seed.commitments);
    let mut client = h.client().await;
    client
        .review_commitment(pb::ReviewCommitmentRequest {
            commitment_id: ipcp.id.clone(),
            expected_version: ipcp.version,
            command_id: "confirm-1".into(),
            review: Some(pb::review_commitment_request::Review::Confirm(
                pb::Confirm {
                    by: "analyst".into(),
                    ..Default::default()
                },
            )),
        })
        .await
        .expect("confirm");
    let bus = h.bus().await;
    let last = bus.last_position().await.unwrap();
    let canonical = bus.last_canonical_position().await.unwrap();
    assert!(
        last > canonical,
        "the log ends with party-feed copies ({last} > {canonical})"
    );
    let answer = client
        .list_commitments(pb::ListCommitmentsRequest {
            min_position: Some(last),
            ..Default::default()
        })
        .await
        .expect("min_position = the stream's last sequence completes")
        .into_inner();
    assert!(answer.position >= canonical);
    assert_eq!(answer.commitments.len(), seed.commitments.len());
}

/// The log's bounds come from reads by sequence, not from wildcard
/// last-by-subject lookups (which walk nats-server's whole subject tree):
/// every position maps to the last canonical event at or before it, never
/// below what the caller has already applied, and a position past the end
/// to none.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_position_maps_to_the_last_canonical_event_at_or_before_it() {
    use crate::faults::support::{connect, synthetic_docs};
    use futures::StreamExt;
    let nats = accord_testkit::NatsServer::start();
    let bus = connect(
        accord_bus::BusConfig::new(nats.url()),
        std::time::Duration::from_secs(20),
    )
    .await;
    let mut end = 0;
    for doc in synthetic_docs("bounds", 3, 4) {
        let appended = bus
            .append(&doc.events, accord_bus::Expect::NewDocument)
            .await
            .expect("append");
        end = appended.end;
    }
    // What the log holds, entry by entry.
    let all = vec![accord_bus::subjects::ALL.to_owned()];
    let log: Vec<_> = Box::pin(bus.replay_subjects(1, all).await.unwrap())
        .take(end as usize)
        .map(|e| e.unwrap())
        .collect()
        .await;
    let canonical: Vec<u64> = log
        .iter()
        .filter(|e| accord_bus::subjects::aggregate_of(&e.subject).is_some())
        .map(|e| e.position)
        .collect();
    assert!(
        canonical.len() < log.len(),
        "party-feed copies sit between the events"
    );
    for p in 1..=end {
        let expected = canonical.iter().copied().filter(|&c| c <= p).max();
        assert_eq!(
            bus.canonical_at_or_before(p, 0).await.unwrap(),
            Some(expected.unwrap_or(0)),
            "position {p}"
        );
        assert_eq!(
            bus.canonical_at_or_before(p, p - 1).await.unwrap(),
            Some(expected.unwrap_or(0).max(p - 1)),
            "position {p}, {} already applied",
            p - 1
        );
    }
    assert_eq!(bus.canonical_at_or_before(end + 1, 0).await.unwrap(), None);
    assert_eq!(
        bus.last_canonical_position().await.unwrap(),
        *canonical.last().unwrap()
    );
}

/// `Bus::replay` takes every entry and drops the party-feed copies itself
/// (a server-side filter on the canonical wildcards walked nats-server's
/// subject tree per message): it yields exactly what the filtered consumer
/// did, positions, subjects and payloads, from the start and from the
/// middle of the log.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replay_yields_exactly_the_canonical_entries_a_server_filter_yields() {
    use crate::faults::support::{connect, synthetic_docs};
    let nats = accord_testkit::NatsServer::start();
    let bus = connect(
        accord_bus::BusConfig::new(nats.url()),
        std::time::Duration::from_secs(20),
    )
    .await;
    for doc in synthetic_docs("replay", 4, 3) {
        bus.append(&doc.events, accord_bus::Expect::NewDocument)
            .await
            .expect("append");
    }
    let last = bus.last_canonical_position().await.unwrap();
    let all = vec![accord_bus::subjects::ALL.to_owned()];
    let everything = entries_through(bus.replay_subjects(1, all).await.unwrap(), last).await;
    for from in [1, last / 2] {
        let ours = entries_through(bus.replay(from).await.unwrap(), last).await;
        let filtered =
            entries_through(bus.replay_filtered_by_server(from).await.unwrap(), last).await;
        assert!(ours.len() > 4, "from {from}: {} entries", ours.len());
        if from == 1 {
            assert!(
                everything.len() > ours.len(),
                "party-feed copies between them"
            );
        }
        if from == 1 {
            assert!(
                everything.len() > ours.len(),
                "party-feed copies between them"
            );
        }
        assert_eq!(ours, filtered, "from {from}");
        assert!(
            ours.iter()
                .all(|(p, s, _)| *p >= from && accord_bus::subjects::aggregate_of(s).is_some()),
            "from {from}: only canonical entries at or after it"
        );
    }
}

/// A replay's entries up to `last`, as (position, subject, payload).
async fn entries_through(
    log: impl futures::Stream<Item = Result<accord_bus::LogEntry, accord_bus::BusError>>,
    last: u64,
) -> Vec<(u64, String, Vec<u8>)> {
    use futures::StreamExt;
    let mut log = Box::pin(log);
    let mut out = Vec::new();
    while let Some(entry) = log.next().await {
        let e = entry.unwrap();
        let at = e.position;
        out.push((e.position, e.subject, e.payload.to_vec()));
        if at >= last {
            break;
        }
    }
    out
}
