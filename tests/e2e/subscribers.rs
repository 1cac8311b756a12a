//! Other systems follow Accord on plain NATS subjects (README "Subjects").

use crate::harness::{Harness, SEED, SEED_DATE};
use accord_domain::{Envelope, Event};
use futures::StreamExt;
use std::collections::BTreeSet;
use std::time::Duration;

#[tokio::test]
async fn party_wildcard_receives_exactly_that_partys_commitments() {
    let h = Harness::start().await;
    let nats = async_nats::connect(h.nats.url()).await.unwrap();
    let mut nato = nats.subscribe("accord.v1.party.NATO.made.*").await.unwrap();
    let mut all_made = nats.subscribe("accord.v1.cmt.*.made").await.unwrap();
    nats.flush().await.unwrap();

    let ingested = h.ingest(SEED, SEED_DATE).await;
    let expected: BTreeSet<String> = ingested
        .commitments
        .iter()
        .filter(|c| c.committers.iter().any(|p| p == "NATO"))
        .map(|c| c.id.clone())
        .collect();
    assert!(!expected.is_empty());

    let mut received = BTreeSet::new();
    while let Ok(Some(msg)) = tokio::time::timeout(Duration::from_millis(1500), nato.next()).await {
        let envelope =
            Envelope::from_json(&msg.payload).expect("subscribers get a readable envelope");
        let Event::CommitmentMade(made) = envelope.event else {
            panic!("not a CommitmentMade: {:?}", msg.subject)
        };
        assert!(made.committers.iter().any(|p| p.as_str() == "NATO"));
        assert!(
            msg.subject.ends_with(made.commitment_id.as_str()),
            "{}",
            msg.subject
        );
        assert!(
            received.insert(made.commitment_id.to_string()),
            "delivered twice: {}",
            made.commitment_id
        );
    }
    assert_eq!(received, expected);

    let mut every = 0;
    while let Ok(Some(_)) = tokio::time::timeout(Duration::from_millis(300), all_made.next()).await
    {
        every += 1;
    }
    assert_eq!(
        every,
        ingested.commitments.len(),
        "the type wildcard sees each commitment once"
    );
}

/// A one-event command's copies come from the feed writer after the
/// answer: a durable consumer on each committer's feed gets exactly one,
/// with the canonical message's envelope.
#[tokio::test]
async fn a_follow_ups_copy_reaches_each_committers_durable_feed_once() {
    use accord_proto::v1 as pb;
    use async_nats::jetstream::consumer::{pull, AckPolicy};
    let h = Harness::start().await;
    let ingested = h.ingest(SEED, SEED_DATE).await;
    let c = &ingested.commitments[0];
    assert!(!c.committers.is_empty());
    let version = h.commitment(&c.id).await.version;
    let done = h
        .client()
        .await
        .record_follow_up(pb::RecordFollowUpRequest {
            commitment_id: c.id.clone(),
            expected_version: version,
            command_id: "subscriber-sees-this".into(),
            follow_up: Some(pb::record_follow_up_request::FollowUp::Assess(
                pb::AssessStatus {
                    status: pb::Status::InProgress as i32,
                    effective: "2018-01-01".into(),
                    assessor: "analyst".into(),
                    ..Default::default()
                },
            )),
        })
        .await
        .expect("the follow-up lands")
        .into_inner();

    let nats = async_nats::connect(h.nats.url()).await.unwrap();
    let js = async_nats::jetstream::new(nats);
    let stream = js.get_stream("ACCORD").await.unwrap();
    let canonical = stream
        .get_raw_message(done.version)
        .await
        .expect("the command's event is in the log");
    assert_eq!(
        canonical.subject.as_str(),
        format!("accord.v1.cmt.{}.assessed", c.id)
    );
    let event = Envelope::from_json(&canonical.payload).unwrap();
    for party in &c.committers {
        let consumer = stream
            .create_consumer(pull::Config {
                durable_name: Some(format!("sub-{party}")),
                filter_subject: format!("accord.v1.party.{party}.assessed.*"),
                ack_policy: AckPolicy::Explicit,
                ..Default::default()
            })
            .await
            .unwrap();
        let mut messages = consumer.messages().await.unwrap();
        let copy = tokio::time::timeout(Duration::from_secs(20), messages.next())
            .await
            .expect("the copy arrives")
            .unwrap()
            .unwrap();
        assert_eq!(
            copy.subject.as_str(),
            format!("accord.v1.party.{party}.assessed.{}", c.id)
        );
        let envelope = Envelope::from_json(&copy.payload).unwrap();
        assert_eq!(envelope.meta.id, event.meta.id, "the same event");
        assert!(copy.info().unwrap().stream_sequence > done.version);
        copy.ack().await.unwrap();
        let again = tokio::time::timeout(Duration::from_millis(1500), messages.next()).await;
        assert!(again.is_err(), "one copy only: {again:?}");
    }
}
