//! Issue #6 (poison, drift, rebuild): bad entries in the log never stop the
//! projector; they are parked in order and replayable after a fix.

use crate::harness::{ipcp, Harness, SEED, SEED_DATE};
use accord_domain::{Envelope, Event, EventId, EventMeta};
use accord_proto::v1 as pb;
use futures::StreamExt;
use std::sync::Arc;
use std::time::Duration;
use time::macros::datetime;

fn meta(tag: &str) -> EventMeta {
    EventMeta {
        id: EventId::derive("drift", tag),
        occurred_at: datetime!(2018-01-01 0:00 UTC),
        recorded_at: datetime!(2018-01-02 0:00 UTC),
        correlation_id: format!("cmd:{tag}"),
    }
}

/// What a newer build would write: the same event with schema version 9.
fn from_the_future(envelope: &Envelope) -> Vec<u8> {
    String::from_utf8(envelope.to_json())
        .unwrap()
        .replace(r#""schema_version":2"#, r#""schema_version":9"#)
        .into_bytes()
}

/// The "upgrade": a decoder that also reads schema version 9.
fn upgraded() -> accord_projector::Decoder {
    Arc::new(|bytes: &[u8]| {
        let text = String::from_utf8_lossy(bytes)
            .replace(r#""schema_version":9"#, r#""schema_version":2"#);
        Envelope::from_json(text.as_bytes()).map_err(|e| e.to_string())
    })
}

#[tokio::test]
async fn poison_is_parked_in_order_counted_and_replayable_after_a_fix() {
    let mut h = Harness::start().await;
    let seed = h.ingest(SEED, SEED_DATE).await;
    let ipcp = ipcp(&seed.commitments);
    let other = seed
        .commitments
        .iter()
        .find(|c| c.id != ipcp.id && c.kind != pb::Kind::Stance as i32)
        .unwrap()
        .clone();
    let third = seed
        .commitments
        .iter()
        .find(|c| c.id != ipcp.id && c.id != other.id)
        .unwrap()
        .clone();

    let js = async_nats::jetstream::new(async_nats::connect(h.nats.url()).await.unwrap());
    // Signed with Accord's key: entries a newer build (or a bug) wrote,
    // not forgeries (those are `log_security`'s).
    let publish = |subject: String, bytes: Vec<u8>| h.publish_signed(subject, bytes);
    let confirm = Envelope::new(
        meta("confirm"),
        Event::CommitmentConfirmed(accord_domain::event::CommitmentConfirmed {
            commitment_id: accord_domain::CommitmentId::parse(&ipcp.id).unwrap(),
            by: "newer-build".into(),
            note: None,
        }),
    );
    let p1 = publish(
        format!("accord.v1.cmt.{}.confirmed", ipcp.id),
        from_the_future(&confirm),
    )
    .await;
    let reject = Envelope::new(
        meta("reject"),
        Event::CommitmentRejected(accord_domain::event::CommitmentRejected {
            commitment_id: accord_domain::CommitmentId::parse(&ipcp.id).unwrap(),
            by: "analyst".into(),
            reason: "duplicate".into(),
        }),
    );
    let p2 = publish(
        format!("accord.v1.cmt.{}.rejected", ipcp.id),
        reject.to_json(),
    )
    .await;
    let p3 = publish(
        format!("accord.v1.cmt.{}.assessed", other.id),
        b"{ this is not json".to_vec(),
    )
    .await;
    let p4 = publish(
        format!("accord.v1.cmt.{}.teleported", other.id),
        br#"{"id":"e0","type":"CommitmentTeleported"}"#.to_vec(),
    )
    .await;

    // Everyone else keeps flowing: an analyst confirms the third commitment.
    let mut c = h.client().await;
    let version = h.commitment_at(&third.id, p4).await.version;
    let review = pb::ReviewCommitmentRequest {
        commitment_id: third.id.clone(),
        expected_version: version,
        command_id: "confirm-third".into(),
        review: Some(pb::review_commitment_request::Review::Confirm(
            pb::Confirm {
                by: "analyst".into(),
                note: String::new(),
            },
        )),
    };
    let done = c.review_commitment(review).await.unwrap().into_inner();
    assert_eq!(done.commitment.unwrap().review, "confirmed");

    // The parked ones, with their reasons, in order; the IPCP did not skip a step.
    let dead = c
        .list_dead_letters(pb::ListDeadLettersRequest::default())
        .await
        .unwrap()
        .into_inner()
        .dead_letters;
    let summary: Vec<_> = dead
        .iter()
        .map(|d| (d.position, d.aggregate.clone()))
        .collect();
    assert_eq!(summary, {
        let mut v = vec![
            (p1, ipcp.id.clone()),
            (p2, ipcp.id.clone()),
            (p3, other.id.clone()),
            (p4, other.id.clone()),
        ];
        v.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
        v
    });
    // One at a time, the pages hold the same entries in the same order.
    let (mut paged, mut token) = (Vec::new(), String::new());
    loop {
        let page = c
            .list_dead_letters(pb::ListDeadLettersRequest {
                page_size: 1,
                page_token: token,
            })
            .await
            .unwrap()
            .into_inner();
        paged.extend(page.dead_letters.iter().map(|d| d.position));
        token = page.next_page_token;
        if token.is_empty() {
            break;
        }
    }
    assert_eq!(paged, summary.iter().map(|s| s.0).collect::<Vec<_>>());
    let reason = |p: u64| {
        dead.iter()
            .find(|d| d.position == p)
            .unwrap()
            .reason
            .clone()
    };
    assert!(
        reason(p1).contains("schema version 9 is not supported"),
        "{}",
        reason(p1)
    );
    assert!(
        reason(p2).contains(&format!("waits behind parked position {p1}")),
        "{}",
        reason(p2)
    );
    assert!(
        reason(p3).contains("malformed event envelope"),
        "{}",
        reason(p3)
    );
    assert!(
        reason(p4).contains("malformed") || reason(p4).contains("unknown event type"),
        "{}",
        reason(p4)
    );
    let now = h.commitment(&ipcp.id).await;
    assert_eq!(
        now.review, "unreviewed",
        "the rejection waits behind the unread confirmation"
    );

    // The dead-letter stream records each once, with the reason in a header.
    let dlq = js.get_stream("ACCORD_DLQ").await.unwrap();
    let mut dlq = dlq;
    assert_eq!(dlq.info().await.unwrap().state.messages, 4);
    let first = dlq.get_raw_message(1).await.unwrap();
    assert!(first.headers.get("Accord-Reason").is_some());

    // Replaying with the same build changes nothing.
    let same = c
        .replay_dead_letters(pb::ReplayDeadLettersRequest {})
        .await
        .unwrap()
        .into_inner();
    assert_eq!((same.applied, same.still_parked), (0, 4));

    // After the upgrade the IPCP's queue applies in order; the garbage stays.
    h.stop_app().await;
    let mut config = h.config();
    config.decoder = upgraded();
    h.app = Some(accord_api::App::start(config).await.unwrap());
    let mut c = h.client().await;
    let fixed = c
        .replay_dead_letters(pb::ReplayDeadLettersRequest {})
        .await
        .unwrap()
        .into_inner();
    assert_eq!((fixed.applied, fixed.still_parked), (2, 2));
    let now = h.commitment(&ipcp.id).await;
    assert_eq!(
        (now.review.as_str(), now.version),
        ("rejected", p2),
        "confirmed, then rejected, in log order"
    );
}

#[tokio::test]
async fn rebuild_swaps_in_an_identical_projection_while_queries_keep_working() {
    let h = Harness::start().await;
    let seed = h.ingest(SEED, SEED_DATE).await;
    let later = h.ingest_later().await;
    let end = h.links_done(&later).await;
    let mut c = h.client().await;
    let before = h.snapshot(end).await;
    let digest = h.app().store.as_ref().unwrap().digest().unwrap();

    let addr = h.app().addr;
    let querying = tokio::spawn(async move {
        let mut client =
            accord_proto::v1::accord_client::AccordClient::connect(format!("http://{addr}"))
                .await
                .unwrap();
        let mut answers = 0;
        let started = std::time::Instant::now();
        while started.elapsed() < Duration::from_millis(500) {
            let page = client
                .list_commitments(pb::ListCommitmentsRequest::default())
                .await
                .expect("queries work during a rebuild")
                .into_inner();
            assert!(!page.commitments.is_empty());
            answers += 1;
        }
        answers
    });
    let mut progress = c.rebuild(pb::RebuildRequest {}).await.unwrap().into_inner();
    let mut seen = Vec::new();
    while let Some(p) = progress.next().await {
        seen.push(p.unwrap());
    }
    let last = seen.last().unwrap();
    assert!(last.swapped && last.position >= later.position, "{seen:?}");
    assert_eq!(last.digest, digest, "the rebuilt projection is identical");
    assert!(querying.await.unwrap() > 0);
    assert_eq!(h.snapshot(end).await, before);
    assert!(seed.position < later.position);
}
