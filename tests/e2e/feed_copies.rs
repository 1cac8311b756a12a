//! Issue #13, ninth round: a one-event command is one guarded publish and
//! its party-feed copies come afterwards from the feed writer, once per
//! committer, however often the writer is stopped and started again.

use crate::harness::{eventually, test_keys, Harness};
use accord_api::command_appender::CommandAppender;
use accord_api::feed::FeedWriter;
use accord_bus::{Bus, BusConfig, BusError, Outgoing};
use accord_domain::event::CommitmentConfirmed;
use accord_domain::{CommitmentId, DocumentId, Envelope, Event, EventId, EventMeta, Party, Span};
use accord_testkit::NatsServer;
use futures::TryStreamExt;
use std::collections::BTreeMap;
use std::time::Duration;
use time::macros::datetime;

fn commitment(i: usize) -> CommitmentId {
    let document = DocumentId::for_text("feed copies");
    CommitmentId::for_span(
        &document,
        Span {
            start: i,
            end: i + 1,
        },
    )
}

/// A one-event command confirming commitment `id`, copies owed to JPN and NATO.
fn confirm(id: &CommitmentId, name: &str) -> Outgoing {
    let meta = EventMeta {
        id: EventId::derive(id.as_str(), &format!("cmd:{name}:0")),
        occurred_at: datetime!(2018-01-10 09:00 UTC),
        recorded_at: datetime!(2018-01-10 09:00 UTC),
        correlation_id: EventMeta::correlation(&format!("cmd:{name}"), None),
    };
    let event = Event::CommitmentConfirmed(CommitmentConfirmed {
        commitment_id: id.clone(),
        by: "analyst".into(),
        note: None,
    });
    Outgoing {
        envelope: Envelope::new(meta, event),
        parties: vec![Party::new("JPN").unwrap(), Party::new("NATO").unwrap()],
    }
}

/// How many entries the log holds on each party-feed subject.
async fn copies(nats: &NatsServer) -> BTreeMap<String, usize> {
    let client = async_nats::connect(nats.url()).await.unwrap();
    let js = async_nats::jetstream::new(client);
    let stream = js.get_stream("ACCORD").await.unwrap();
    stream
        .info_with_subjects("accord.v1.party.>")
        .await
        .unwrap()
        .try_collect()
        .await
        .unwrap()
}

fn writer(bus: &Bus, dir: &std::path::Path) -> FeedWriter {
    FeedWriter::new(bus.clone(), dir)
}

/// Runs `w` until its checkpoint reaches `end`.
async fn run_to(w: FeedWriter, end: u64) {
    let task = tokio::spawn(w.clone().run());
    eventually(
        Duration::from_secs(30),
        "the feed writer's checkpoint",
        || (w.checkpoint() >= end).then_some(()),
    )
    .await;
    task.abort();
}

/// Polls `check` every few milliseconds (a copy can land any moment) for
/// at most 30 s.
async fn until<T, F: std::future::Future<Output = Option<T>>>(mut check: impl FnMut() -> F) -> T {
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(v) = check().await {
            return v;
        }
        assert!(std::time::Instant::now() < deadline, "timed out");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

fn every_copy_once(got: &BTreeMap<String, usize>, n: usize) {
    for i in 0..n {
        for party in ["JPN", "NATO"] {
            let subject = format!("accord.v1.party.{party}.confirmed.{}", commitment(i));
            assert_eq!(got.get(&subject), Some(&1), "{subject}");
        }
    }
    assert_eq!(got.len(), 2 * n, "no other copies");
}

#[tokio::test]
async fn each_copy_lands_once_when_the_feed_writer_is_stopped_midway_and_started_again() {
    let nats = NatsServer::start();
    let bus = Bus::connect(BusConfig::new(nats.url()).with_keys(test_keys()))
        .await
        .unwrap();
    const N: usize = 3000;
    let sent = (0..N).map(|i| {
        let bus = &bus;
        async move { bus.append_event(&confirm(&commitment(i), "c"), 0).await }
    });
    let landed = futures::future::try_join_all(sent).await.unwrap();
    let end = landed.iter().map(|a| a.end).max().unwrap();
    assert_eq!(bus.message_count().await.unwrap(), N as u64, "no copy yet");

    // Stopped (the task dropped, as by kill -9: nothing saved on the way
    // out) as soon as its first copies are in the log.
    let dir = tempfile::tempdir().unwrap();
    let first = tokio::spawn(writer(&bus, dir.path()).run());
    let partial = until(|| async {
        let m = bus.message_count().await.unwrap();
        (m > N as u64).then_some(m)
    })
    .await;
    first.abort();
    assert!(
        partial < 3 * N as u64,
        "stopped midway ({partial} messages)"
    );

    // Started again from its checkpoint: the rest, each copy once.
    run_to(writer(&bus, dir.path()), end).await;
    every_copy_once(&copies(&nats).await, N);

    // From the very beginning, inside the server's duplicate window: the
    // server drops every copy sent again.
    let again = tempfile::tempdir().unwrap();
    run_to(writer(&bus, again.path()), end).await;
    every_copy_once(&copies(&nats).await, N);

    // From the beginning as if the window had passed: the writer asks the
    // log first and sends nothing.
    let late = tempfile::tempdir().unwrap();
    let mut w = writer(&bus, late.path());
    w.dedup_safe = Duration::ZERO;
    run_to(w, end).await;
    every_copy_once(&copies(&nats).await, N);
    assert_eq!(bus.message_count().await.unwrap(), 3 * N as u64);
}

#[tokio::test]
async fn a_stale_command_is_refused_while_fifteen_others_land_and_get_their_copies() {
    let h = Harness::start().await;
    let bus = h.bus().await;
    // Sixteen commitments with one event each (copies written by the
    // app's feed writer).
    let made = futures::future::try_join_all((0..16).map(|i| {
        let bus = &bus;
        async move { bus.append_event(&confirm(&commitment(i), "first"), 0).await }
    }))
    .await
    .unwrap();
    let appender = CommandAppender::start(bus.clone());
    let answers = futures::future::join_all((0..16).map(|i| {
        let expected = if i == 7 { made[i].end - 1 } else { made[i].end };
        appender.append(vec![confirm(&commitment(i), "second")], expected)
    }))
    .await;
    for (i, answer) in answers.iter().enumerate() {
        match (i, answer) {
            (7, Err(BusError::VersionConflict { current, .. })) => {
                assert_eq!(*current, made[7].end)
            }
            (7, other) => panic!("the stale command is a conflict: {other:?}"),
            (_, Ok(a)) => assert!(a.end > made[i].end),
            (_, Err(e)) => panic!("command {i}: {e}"),
        }
    }
    // 16 + 15 events, each with two copies, eventually; nothing more.
    until(|| async {
        let got = copies(&h.nats).await;
        (got.values().sum::<usize>() >= 2 * 31).then_some(())
    })
    .await;
    let got = copies(&h.nats).await;
    for i in 0..16 {
        for party in ["JPN", "NATO"] {
            let subject = format!("accord.v1.party.{party}.confirmed.{}", commitment(i));
            let want = if i == 7 { 1 } else { 2 };
            assert_eq!(got.get(&subject), Some(&want), "{subject}");
        }
    }
    assert_eq!(bus.message_count().await.unwrap(), 3 * 31);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn copies_keep_coming_once_each_across_a_broker_restart() {
    let mut h = Harness::start().await;
    let bus = h.bus().await;
    let append = |range: std::ops::Range<usize>| {
        let bus = bus.clone();
        async move {
            for i in range {
                loop {
                    // A restart may swallow an answer: ask again, the
                    // guard (expected 0) tells whether it landed.
                    match bus.append_event(&confirm(&commitment(i), "c"), 0).await {
                        Ok(_) | Err(BusError::VersionConflict { .. }) => break,
                        Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
                    }
                }
            }
        }
    };
    append(0..50).await;
    until(|| async { (copies(&h.nats).await.len() == 100).then_some(()) }).await;

    tokio::task::block_in_place(|| h.nats.restart());
    append(50..100).await;
    until(|| async {
        let got = copies(&h.nats).await;
        (got.values().sum::<usize>() >= 200).then_some(())
    })
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    every_copy_once(&copies(&h.nats).await, 100);
}
