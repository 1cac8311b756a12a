//! Log entries through [`items`] into a store: pins what the projector hands
//! over, and the parked rows that come out of it, byte for byte.

use super::*;
use accord_bus::{subjects, LogEntry};
use accord_domain::commitment::{self, Command};
use accord_domain::document::{self, IngestReadout, NewCommitment};
use accord_domain::{Commitment, DocumentId, EventMeta, Kind, Party, Span};
use accord_store::Parked;
use time::macros::{date, datetime};

fn meta(event: &accord_domain::Event, correlation: &str) -> EventMeta {
    EventMeta {
        id: event.natural_id(),
        occurred_at: datetime!(2018-01-01 0:00 UTC),
        recorded_at: datetime!(2018-01-01 0:00 UTC),
        correlation_id: correlation.into(),
    }
}

/// One readable entry, on the subject the bus publishes it under.
/// A store holding one ingested readout, read through the default decoder.
fn seeded_store() -> (tempfile::TempDir, Store, Decoder, Vec<Envelope>) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("db"), 8 << 20).unwrap();
    let decoder = default_decoder();
    let seed = ingest("seed text");
    let entries = seed
        .iter()
        .enumerate()
        .map(|(i, e)| entry(i as u64 + 1, e))
        .collect();
    let (seeded, last) = items(&decoder, entries);
    assert_eq!(last, seed.len() as u64);
    store.apply_items(seeded, last).unwrap();
    (dir, store, decoder, seed)
}

fn entry(position: u64, envelope: &Envelope) -> LogEntry {
    LogEntry {
        position,
        subject: subjects::canonical(envelope),
        payload: envelope.to_json().into(),
        unauthenticated: None,
    }
}

fn ingest(text: &str) -> Vec<Envelope> {
    let cmd = IngestReadout {
        document_id: DocumentId::for_text(text),
        title: None,
        source: None,
        date: Some(date!(2017 - 10 - 31)),
        publisher: None,
        bytes: text.len() as u64,
        extractor: "test".into(),
        deadlines: Default::default(),
        parties: vec![],
        sentences: vec![],
        meeting: vec![],
        commitments: ["start an update on the IPCP", "hold talks next year"]
            .iter()
            .enumerate()
            .map(|(i, t)| NewCommitment {
                kind: Kind::Action,
                committers: vec![Party::new("JPN").unwrap()],
                counterparts: vec![],
                text: t.to_string(),
                span: Span {
                    start: i,
                    end: i + 1,
                },
                cue: "would".into(),
                due: None,
                confidence: 0.5,
                topics: vec![],
                page: None,
            })
            .collect(),
    };
    document::decide(None, cmd)
        .unwrap()
        .into_iter()
        .map(|event| Envelope::new(meta(&event, "ingest"), event))
        .collect()
}

fn confirm(c: &Commitment, correlation: &str) -> Envelope {
    let cmd = Command::Confirm {
        by: "a".into(),
        note: None,
    };
    let event = commitment::decide(c, &cmd).unwrap().remove(0);
    Envelope::new(meta(&event, correlation), event)
}

#[test]
fn parked_rows_keep_their_subjects_and_queues() {
    let (_dir, store, decoder, seed) = seeded_store();
    let all = store
        .list(&accord_store::Filter::default(), None, 10)
        .unwrap()
        .commitments;
    let (a, b) = (&all[0], &all[1]);
    let doc = seed.last().unwrap().event.aggregate_id().to_owned();

    let poison = br#"{"type":"StatusAssessed","schema_version":9}"#;
    let unreadable = |position, subject: String| LogEntry {
        position,
        subject,
        payload: poison.to_vec().into(),
        unauthenticated: None,
    };
    let a_confirmed = confirm(a, "a");
    let b_confirmed = confirm(b, "b");
    let log = vec![
        unreadable(20, format!("accord.v1.cmt.{}.assessed", a.id)),
        entry(21, &a_confirmed),
        entry(22, &b_confirmed),
        unreadable(23, "accord.v1.weird".into()),
        unreadable(24, format!("accord.v1.doc.{doc}.ingested")),
        unreadable(25, "accord.v1.weird".into()),
    ];
    let (log, last) = items(&decoder, log);
    assert_eq!(last, 25);
    let out = store.apply_items(log, last).unwrap();
    assert_eq!((out.applied, out.parked, out.position), (1, 5, 25));

    let reason = Envelope::from_json(poison).unwrap_err().to_string();
    let parked =
        |position, aggregate: &str, subject: String, reason: &str, payload: &[u8]| Parked {
            position,
            aggregate: aggregate.into(),
            subject,
            reason: reason.into(),
            payload: payload.to_vec(),
            detached: false,
        };
    let want = vec![
        parked(
            23,
            "?accord.v1.weird",
            "accord.v1.weird".into(),
            &reason,
            poison,
        ),
        parked(
            25,
            "?accord.v1.weird",
            "accord.v1.weird".into(),
            &format!("{reason}; waits behind parked position 23"),
            poison,
        ),
        parked(
            20,
            a.id.as_str(),
            format!("accord.v1.cmt.{}.assessed", a.id),
            &reason,
            poison,
        ),
        parked(
            21,
            a.id.as_str(),
            format!("accord.v1.cmt.{}.confirmed", a.id),
            "waits behind parked position 20",
            &a_confirmed.to_json(),
        ),
        parked(
            24,
            &doc,
            format!("accord.v1.doc.{doc}.ingested"),
            &reason,
            poison,
        ),
    ];
    let mut got = store.parked().unwrap();
    let mut want = want;
    let order = |p: &Parked| (p.aggregate.clone(), p.position);
    got.sort_by_key(order);
    want.sort_by_key(order);
    assert_eq!(got, want);
    assert_eq!(out.newly_parked.len(), 5);
}

fn event_items(envelopes: &[Envelope], first: u64) -> Vec<Item> {
    envelopes
        .iter()
        .enumerate()
        .map(|(i, envelope)| Item::Event {
            position: first + i as u64,
            envelope: envelope.clone(),
            subject: None,
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_writer_applies_every_batch_once_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(Store::open(&dir.path().join("db"), 8 << 20).unwrap());
    let (batches, mut written, writer) = pipeline::spawn(store.clone(), None, None);
    let mut next = 1;
    for text in ["one", "two", "three", "four"] {
        let items = event_items(&ingest(text), next);
        next += items.len() as u64;
        let through = next - 1;
        batches
            .send(pipeline::Batch { items, through })
            .await
            .unwrap();
    }
    drop(batches);
    tokio::task::spawn_blocking(move || writer.join().unwrap())
        .await
        .unwrap();
    let mut reports = Vec::new();
    while let Ok(done) = written.try_recv() {
        reports.push(done.unwrap());
    }
    // However the writer merged them, every event is applied once, in order.
    assert_eq!(reports.iter().map(|a| a.applied).sum::<u64>(), next - 1);
    assert!(reports.windows(2).all(|w| w[0].position < w[1].position));
    assert_eq!(reports.last().unwrap().position, next - 1);
    assert_eq!(store.applied_count().unwrap(), next - 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_crash_hook_stops_the_writer_before_its_write_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(Store::open(&dir.path().join("db"), 8 << 20).unwrap());
    let hook: AfterCommit = Arc::new(|_| true);
    let (batches, mut written, writer) = pipeline::spawn(store.clone(), Some(hook), None);
    let items = event_items(&ingest("crash"), 1);
    let through = items.len() as u64;
    batches
        .send(pipeline::Batch { items, through })
        .await
        .unwrap();
    match written.recv().await {
        Some(Err(ProjectorError::Injected(p))) => assert_eq!(p, through),
        other => panic!("expected the injected stop, got {other:?}"),
    }
    tokio::task::spawn_blocking(move || writer.join().unwrap())
        .await
        .unwrap();
    assert!(
        written.recv().await.is_none(),
        "nothing reported after the stop"
    );
    // The write itself is committed: a restart resumes after it.
    assert_eq!(store.position().unwrap(), through);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_writer_writes_nothing_while_the_disk_is_short_of_its_reserve() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(Store::open(&dir.path().join("db"), 8 << 20).unwrap());
    // No disk has this much free: every write is refused before sled sees it.
    let reserve = DiskReserve {
        dir: dir.path().to_owned(),
        bytes: u64::MAX,
    };
    let (batches, mut written, writer) = pipeline::spawn(store.clone(), None, Some(reserve));
    let items = event_items(&ingest("full"), 1);
    let through = items.len() as u64;
    batches
        .send(pipeline::Batch { items, through })
        .await
        .unwrap();
    match written.recv().await {
        Some(Err(e @ ProjectorError::NoSpace { .. })) => {
            let message = e.to_string();
            assert!(message.contains("no space"), "{message}");
            assert!(
                message.contains(&dir.path().display().to_string()),
                "{message}"
            );
        }
        other => panic!("expected no space, got {other:?}"),
    }
    tokio::task::spawn_blocking(move || writer.join().unwrap())
        .await
        .unwrap();
    assert_eq!(store.position().unwrap(), 0, "the checkpoint moved");
}

#[test]
fn a_reserve_refuses_only_below_it() {
    let dir = tempfile::tempdir().unwrap();
    let check = |bytes: u64| {
        DiskReserve {
            dir: dir.path().to_owned(),
            bytes,
        }
        .check()
        .is_ok()
    };
    for (bytes, ok) in [(0, true), (1, true), (u64::MAX, false)] {
        assert_eq!(check(bytes), ok, "reserve {bytes}");
    }
}

#[test]
fn unauthenticated_entries_are_recorded_but_never_applied_nor_blocking() {
    let (_dir, store, decoder, _) = seeded_store();
    let c = store
        .list(&accord_store::Filter::default(), None, 10)
        .unwrap()
        .commitments
        .remove(0);
    // A well-formed event nobody signed, then a genuine one of the same commitment.
    let forged = LogEntry {
        unauthenticated: Some(accord_bus::Unauthenticated::Missing),
        ..entry(20, &confirm(&c, "forged"))
    };
    let genuine = entry(21, &confirm(&c, "genuine"));
    let (log, last) = items(&decoder, vec![forged, genuine]);
    let out = store.apply_items(log, last).unwrap();
    assert_eq!((out.applied, out.parked), (1, 1));
    let parked = store.parked().unwrap();
    assert_eq!(parked.len(), 1);
    assert_eq!(parked[0].position, 20);
    assert!(parked[0].detached);
    assert!(
        parked[0].reason.starts_with("unauthenticated"),
        "{}",
        parked[0].reason
    );
    let history = store.history(&c.id).unwrap();
    let correlations: Vec<&str> = history
        .iter()
        .map(|(_, e)| e.meta.correlation_id.as_str())
        .collect();
    assert!(correlations.contains(&"genuine"), "{correlations:?}");
    assert!(!correlations.contains(&"forged"), "{correlations:?}");
}
