//! Issue #10, "who may write the record": the log stays authentic even when
//! NATS lets anyone publish (every append carries an HMAC, readers park what
//! they cannot verify, detached: never applied, never blocking), and the
//! stream is the stream (a recreated or event-dropping stream is refused).

use crate::harness::{ipcp, test_keys, Harness, SEED, SEED_DATE};
use accord_api::App;
use accord_bus::{Bus, BusConfig, LogKeys, MAC_HEADER};
use accord_domain::{DocumentId, Envelope, Event, EventMeta};
use accord_proto::v1 as pb;
use std::sync::Arc;
use std::time::Duration;
use time::macros::datetime;

const OTHER_KEY: &str = "test-k2 fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";

/// Publishes raw bytes the way an outsider with NATS access can: no MAC, or
/// one made with a key Accord does not have. Returns the log position.
async fn forge(h: &Harness, subject: &str, payload: Vec<u8>, mac: Option<String>) -> u64 {
    let nats = async_nats::connect(h.nats.url()).await.unwrap();
    let js = async_nats::jetstream::new(nats);
    let mut headers = async_nats::HeaderMap::new();
    if let Some(mac) = mac {
        headers.insert(MAC_HEADER, mac.as_str());
    }
    js.publish_with_headers(subject.to_owned(), headers, payload.into())
        .await
        .unwrap()
        .await
        .unwrap()
        .sequence
}

fn rejection(commitment: &str) -> Envelope {
    let event = Event::CommitmentRejected(accord_domain::event::CommitmentRejected {
        commitment_id: accord_domain::CommitmentId::parse(commitment).unwrap(),
        by: "mallory".into(),
        reason: "forged".into(),
    });
    let at = datetime!(2026-11-27 12:00 UTC);
    let meta = EventMeta {
        id: event.natural_id(),
        occurred_at: at,
        recorded_at: at,
        correlation_id: "forged".into(),
    };
    Envelope::new(meta, event)
}

async fn dead_letters(h: &Harness) -> Vec<pb::DeadLetter> {
    h.client()
        .await
        .list_dead_letters(pb::ListDeadLettersRequest::default())
        .await
        .unwrap()
        .into_inner()
        .dead_letters
}

/// Waits until the projection has applied `position`.
async fn projected(app: &App, position: u64) {
    let mut rx = app.position.clone().expect("a query role");
    tokio::time::timeout(Duration::from_secs(30), rx.wait_for(|&p| p >= position))
        .await
        .expect("the projection catches up")
        .unwrap();
}

#[tokio::test]
async fn a_forged_event_is_parked_unauthenticated_and_never_applied() {
    let h = Harness::start().await;
    let seed = h.ingest(SEED, SEED_DATE).await;
    let target = ipcp(&seed.commitments);
    projected(h.app(), seed.position).await;
    let before = h.commitment(&target.id).await;
    let subject = format!("accord.v1.cmt.{}.rejected", target.id);
    let json = rejection(&target.id).to_json();
    // No MAC; a MAC by a key Accord does not know; a MAC that does not match.
    let unknown = LogKeys::parse(OTHER_KEY).unwrap().sign(&subject, &json);
    let wrong = test_keys().sign(&subject, b"other bytes");
    let p1 = forge(&h, &subject, json.clone(), None).await;
    let p2 = forge(&h, &subject, json.clone(), Some(unknown)).await;
    let p3 = forge(&h, &subject, json.clone(), Some(wrong)).await;
    projected(h.app(), p3).await;

    assert_eq!(
        h.commitment(&target.id).await,
        before,
        "nothing forged applied"
    );
    let parked = dead_letters(&h).await;
    let reasons: Vec<(u64, &str)> = parked
        .iter()
        .map(|d| (d.position, d.reason.as_str()))
        .collect();
    assert_eq!(
        reasons,
        vec![
            (p1, "unauthenticated: no Accord-Mac header"),
            (p2, "unauthenticated: unknown key id \"test-k2\""),
            (p3, "unauthenticated: MAC does not match (key \"test-k1\")"),
        ]
    );

    // The forged entries hold nothing back: a genuine command on the same
    // commitment, decided on the version the projection shows, lands after them.
    let mut c = h.client().await;
    let done = c
        .review_commitment(pb::ReviewCommitmentRequest {
            commitment_id: target.id.clone(),
            expected_version: before.version,
            command_id: "reject-genuine".into(),
            review: Some(pb::review_commitment_request::Review::Reject(pb::Reject {
                by: "reviewer".into(),
                reason: "a courtesy, not a pledge".into(),
            })),
        })
        .await
        .expect("a genuine command is not blocked by forged entries")
        .into_inner();
    assert!(done.version > p3, "{} after {p3}", done.version);
    projected(h.app(), done.version).await;
    let after = h.commitment(&target.id).await;
    assert_eq!(after.version, done.version);
    assert_eq!(
        (before.review.as_str(), after.review.as_str()),
        ("unreviewed", "rejected"),
        "the genuine rejection applied"
    );
}

#[tokio::test]
async fn a_forged_ingested_marker_does_not_block_the_genuine_ingest() {
    let h = Harness::start().await;
    let document = DocumentId::for_text(SEED);
    let subject = accord_bus::subjects::document_ingested(document.as_str());
    let forged = forge(
        &h,
        &subject,
        br#"{"type":"DocumentIngested"}"#.to_vec(),
        None,
    )
    .await;

    let first = h.ingest(SEED, SEED_DATE).await;
    assert!(!first.already_ingested, "{}", first.message);
    assert_eq!(first.document_id, document.as_str());
    assert!(first.position > forged);
    assert!(!first.commitments.is_empty());
    let got = h
        .client()
        .await
        .get_document(pb::GetDocumentRequest {
            id: document.to_string(),
            min_position: Some(first.position),
        })
        .await
        .expect("the genuine document is projected")
        .into_inner();
    assert!(got.document.is_some());
    // Still idempotent: the genuine marker now guards the document.
    let again = h.ingest(SEED, SEED_DATE).await;
    assert!(again.already_ingested, "{}", again.message);
    let parked = dead_letters(&h).await;
    assert_eq!(parked.len(), 1, "{parked:?}");
    assert_eq!(parked[0].position, forged);
}

#[tokio::test]
async fn rotation_keeps_old_events_valid_and_removing_a_key_revokes_them() {
    let mut h = Harness::start().await;
    let seed = h.ingest(SEED, SEED_DATE).await;
    let target = ipcp(&seed.commitments);
    let new_key = LogKeys::generate_line("test-k3").unwrap();
    let replica = |keys: &str, h: &mut Harness| {
        let dir = tempfile::tempdir().unwrap();
        let mut config = h.config();
        config.data_dir = dir.path().to_owned();
        config.bus.keys = Some(Arc::new(LogKeys::parse(keys).unwrap()));
        h.replica_dirs.push(dir);
        App::start(config)
    };

    // A new signing key first, the old one kept: the old events verify, new
    // appends are signed with the new key.
    let rotated = replica(&format!("{new_key}\n{}", crate::harness::TEST_KEYS), &mut h)
        .await
        .unwrap();
    projected(&rotated, seed.position).await;
    let mut c =
        accord_proto::v1::accord_client::AccordClient::connect(format!("http://{}", rotated.addr))
            .await
            .unwrap();
    let got = c
        .get_commitment(pb::GetCommitmentRequest {
            id: target.id.clone(),
            ..Default::default()
        })
        .await
        .expect("old events stay valid after a rotation")
        .into_inner();
    let version = got.commitment.unwrap().version;
    let done = c
        .review_commitment(pb::ReviewCommitmentRequest {
            commitment_id: target.id.clone(),
            expected_version: version,
            command_id: "reject-after-rotation".into(),
            review: Some(pb::review_commitment_request::Review::Reject(pb::Reject {
                by: "reviewer".into(),
                reason: "a courtesy, not a pledge".into(),
            })),
        })
        .await
        .unwrap()
        .into_inner();
    // The new append is signed with the new key: who holds only the old one
    // cannot verify it, who holds the new one can.
    let read_back = |bus: Bus| async move {
        use futures::StreamExt;
        let mut tail = Box::pin(
            bus.replay_subjects(done.version, vec!["accord.v1.>".into()])
                .await
                .unwrap(),
        );
        let entry = tail.next().await.unwrap().unwrap();
        assert_eq!(entry.position, done.version);
        entry.unauthenticated
    };
    let only_new = BusConfig::new(h.nats.url()).with_keys(LogKeys::parse(&new_key).unwrap());
    assert_eq!(read_back(Bus::connect(only_new).await.unwrap()).await, None);
    assert_eq!(
        read_back(h.bus().await).await,
        Some(accord_bus::Unauthenticated::UnknownKey("test-k3".into()))
    );
    rotated.shutdown().await.unwrap();

    // Revocation: a reader without the old key treats its events as unauthenticated.
    let revoked = replica(&new_key, &mut h).await.unwrap();
    projected(&revoked, done.version).await;
    let mut c =
        accord_proto::v1::accord_client::AccordClient::connect(format!("http://{}", revoked.addr))
            .await
            .unwrap();
    let parked = c
        .list_dead_letters(pb::ListDeadLettersRequest::default())
        .await
        .unwrap()
        .into_inner()
        .dead_letters;
    assert_eq!(parked.len(), h.canonical_count(seed.position).await);
    assert!(parked
        .iter()
        .all(|d| d.reason == "unauthenticated: unknown key id \"test-k1\""));
    assert!(c
        .get_commitment(pb::GetCommitmentRequest {
            id: target.id.clone(),
            ..Default::default()
        })
        .await
        .is_err());
    revoked.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_recreated_stream_is_refused_naming_both_creation_times() {
    let mut h = Harness::start().await;
    let seed = h.ingest(SEED, SEED_DATE).await;
    projected(h.app(), seed.position).await;
    let bus = h.bus().await;
    let old = bus.stream_identity().await.unwrap();
    h.stop_app().await;

    // An admin deletes the stream; the next start creates a fresh one.
    let nats = async_nats::connect(h.nats.url()).await.unwrap();
    let js = async_nats::jetstream::new(nats);
    js.delete_stream("ACCORD").await.unwrap();
    tokio::time::sleep(Duration::from_millis(20)).await; // a later creation time
    let refused = App::start(h.config()).await.err().expect("refused");
    let new = bus.stream_identity().await.unwrap();
    assert_ne!(old.key(), new.key());
    let message = refused.to_string();
    for part in [old.key(), new.key(), "Refusing to advance".into()] {
        assert!(message.contains(&part), "{message} should name {part}");
    }
}

#[tokio::test]
async fn a_stream_that_drops_events_is_refused() {
    let nats = accord_testkit::NatsServer::start();
    let client = async_nats::connect(nats.url()).await.unwrap();
    let js = async_nats::jetstream::new(client);
    js.create_stream(async_nats::jetstream::stream::Config {
        name: "ACCORD".into(),
        subjects: vec!["accord.v1.>".into()],
        max_messages: 1000,
        deny_delete: true,
        deny_purge: true,
        ..Default::default()
    })
    .await
    .unwrap();
    let refused = Bus::connect(BusConfig::new(nats.url()).with_keys(test_keys()))
        .await
        .err()
        .expect("refused");
    let message = refused.to_string();
    assert!(
        message.contains("max_msgs is set with discard Old"),
        "{message}"
    );
}
