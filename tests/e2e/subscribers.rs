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
