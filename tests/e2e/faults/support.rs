//! What the fault tests share: synthetic readouts decided by the real domain
//! code, clients that retry an ingest until the log acknowledges it, and the
//! audit that reads the whole log back and rebuilds a projection from it.

use accord_bus::{subjects, Bus, BusConfig, BusError, Expect, Outgoing};
use accord_domain::document::{decide, IngestReadout, NewCommitment};
use accord_domain::{DocumentId, Envelope, Event, EventMeta, Kind, Party, Span};
use accord_store::Store;
use futures::StreamExt;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use time::macros::{date, datetime};
use time::OffsetDateTime;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// Fixed, so that two runs of a test append byte-identical events.
const RECORDED_AT: OffsetDateTime = datetime!(2026-11-27 12:00 UTC);
const PARTIES: [&str; 6] = ["JPN", "NATO", "USA", "EU", "FRA", "ASEAN"];

/// One synthetic readout, decided into exactly the events an ingest appends.
pub struct Doc {
    pub id: DocumentId,
    pub events: Vec<Outgoing>,
}

impl Doc {
    /// The `CommitmentMade` events (the batch also sets deadlines and ends
    /// with `DocumentIngested`).
    pub fn made(&self) -> impl Iterator<Item = &Outgoing> {
        self.events
            .iter()
            .filter(|o| matches!(o.envelope.event, Event::CommitmentMade(_)))
    }

    pub fn commitments(&self) -> usize {
        self.made().count()
    }
}

/// `docs` readouts of `per_doc` commitments each. Many commitments per
/// readout keep the load generator fast (one atomic batch each); a third
/// name two committers, so the party feed interleaves with canonical events
/// and positions are not contiguous.
pub fn synthetic_docs(tag: &str, docs: usize, per_doc: usize) -> Vec<Doc> {
    (0..docs).map(|d| synthetic_doc(tag, d, per_doc)).collect()
}

fn synthetic_doc(tag: &str, d: usize, per_doc: usize) -> Doc {
    // Meetings far in the future: no deadline is near or past, so the query
    // role's alerter (system clock) appends nothing and the log is quiet once
    // the load generator stops — the tests compare against its exact end.
    let day = date!(2090 - 01 - 01) + time::Duration::days((d % 2000) as i64);
    let mut text = format!("Synthetic readout {tag}-{d} of {day}.\n");
    let mut commitments = Vec::with_capacity(per_doc);
    for j in 0..per_doc {
        let a = PARTIES[(d + j) % PARTIES.len()];
        let b = PARTIES[(d + j + 1 + j % 4) % PARTIES.len()];
        let sentence = format!("{a} and {b} would complete step {j} of plan {tag}-{d}.");
        let start = text.len();
        text.push_str(&sentence);
        let span = Span {
            start,
            end: text.len(),
        };
        text.push(' ');
        let committers = if j % 3 == 0 { vec![a, b] } else { vec![a] };
        commitments.push(NewCommitment {
            kind: Kind::ALL[j % Kind::ALL.len()],
            committers: committers.into_iter().map(party).collect(),
            counterparts: if j % 3 == 0 { vec![] } else { vec![party(b)] },
            text: sentence,
            span,
            cue: "would complete".into(),
            due: (j % 5 == 0).then(|| day + time::Duration::days(30 + j as i64)),
            confidence: 0.9,
            topics: if j % 7 == 0 {
                vec!["fault-test".into()]
            } else {
                vec![]
            },
            page: None,
        });
    }
    let id = DocumentId::for_text(&text);
    let cmd = IngestReadout {
        document_id: id.clone(),
        title: Some(format!("Synthetic readout {tag}-{d}")),
        source: None,
        date: Some(day),
        publisher: None,
        bytes: text.len() as u64,
        extractor: "fault-test".into(),
        commitments,
        deadlines: Default::default(),
        parties: vec![],
        sentences: vec![],
        meeting: vec![],
    };
    let occurred_at = day.midnight().assume_utc();
    let correlation_id = format!("ingest:{id}");
    let events = decide(None, cmd)
        .expect("a valid synthetic readout")
        .into_iter()
        .map(|event| {
            let meta = EventMeta {
                id: event.natural_id(),
                occurred_at,
                recorded_at: RECORDED_AT,
                correlation_id: correlation_id.clone(),
            };
            Outgoing::new(Envelope::new(meta, event))
        })
        .collect();
    Doc { id, events }
}

fn party(code: &str) -> Party {
    Party::new(code).expect("a valid party code")
}

/// Connects, retrying while the servers settle (a cluster elects its meta
/// leader, a restarted server recovers its streams).
pub async fn connect(config: BusConfig, within: Duration) -> Bus {
    let deadline = Instant::now() + within;
    loop {
        match Bus::connect(config.clone()).await {
            Ok(bus) => return bus,
            Err(e) if Instant::now() < deadline => {
                eprintln!("connect to {} (retrying): {e}", config.url);
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
            Err(e) => panic!("cannot connect to {} within {within:?}: {e}", config.url),
        }
    }
}

/// How the log acknowledged an ingest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ack {
    /// This attempt appended the batch; `end` is its `DocumentIngested`.
    Appended { end: u64 },
    /// An earlier attempt had landed although its answer was lost.
    AlreadyIngested { position: u64 },
}

impl Ack {
    /// Where the document's `DocumentIngested` is in the log.
    pub fn position(self) -> u64 {
        match self {
            Ack::Appended { end } => end,
            Ack::AlreadyIngested { position } => position,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Acked {
    pub doc: usize,
    pub ack: Ack,
    pub attempts: u32,
    pub at: Instant,
}

/// How long a client waits for one append's answer before it tries again.
/// Shorter than the bus's own 10 s batch-ack timeout: an answer lost to a
/// dying server is never coming, and waiting it out in full would make every
/// fault cost 10 s. Abandoning an attempt that did land is harmless: the
/// retry is told "already ingested".
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(4);

/// What a well-behaved client does: append, and on any failure other than
/// "already ingested" try again with the very same events (the document id
/// is the content hash: the idempotency key), until acknowledged.
pub async fn ingest_until_acked(bus: &Bus, doc: &Doc, give_up: Instant) -> (Ack, u32) {
    let mut attempts = 0;
    let mut backoff = Duration::from_millis(50);
    loop {
        attempts += 1;
        let attempt = bus.append(&doc.events, Expect::NewDocument);
        let failure = match tokio::time::timeout(ATTEMPT_TIMEOUT, attempt).await {
            Ok(Ok(appended)) => return (Ack::Appended { end: appended.end }, attempts),
            Ok(Err(BusError::AlreadyIngested { position, .. })) => {
                return (Ack::AlreadyIngested { position }, attempts)
            }
            Ok(Err(e)) => e.to_string(),
            Err(_) => format!("no answer within {ATTEMPT_TIMEOUT:?}"),
        };
        assert!(
            Instant::now() < give_up,
            "document {} still not acknowledged after {attempts} attempts; last: {failure}",
            doc.id
        );
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(Duration::from_secs(1));
    }
}

/// Concurrent clients ingesting a set of documents, each until acknowledged.
pub struct Load {
    acked: Arc<AtomicUsize>,
    clients: Vec<JoinHandle<Vec<Acked>>>,
}

impl Load {
    /// Client `c` of `clients` ingests documents `c`, `c + clients`, … in order.
    pub fn start(bus: &Bus, docs: &Arc<Vec<Doc>>, clients: usize, within: Duration) -> Load {
        let acked = Arc::new(AtomicUsize::new(0));
        let give_up = Instant::now() + within;
        let clients = (0..clients)
            .map(|c| {
                let (bus, docs, acked) = (bus.clone(), docs.clone(), acked.clone());
                tokio::spawn(async move {
                    let mut out = Vec::new();
                    for i in (c..docs.len()).step_by(clients) {
                        let (ack, attempts) = ingest_until_acked(&bus, &docs[i], give_up).await;
                        acked.fetch_add(1, Ordering::SeqCst);
                        out.push(Acked {
                            doc: i,
                            ack,
                            attempts,
                            at: Instant::now(),
                        });
                    }
                    out
                })
            })
            .collect();
        Load { acked, clients }
    }

    /// Documents acknowledged so far: fault schedules key on this.
    pub fn acked(&self) -> usize {
        self.acked.load(Ordering::SeqCst)
    }

    /// Waits until at least `n` documents are acknowledged (bounded).
    pub async fn wait_acked(&self, n: usize, within: Duration) {
        let deadline = Instant::now() + within;
        while self.acked() < n {
            assert!(
                Instant::now() < deadline,
                "only {} of {n} documents acknowledged within {within:?}",
                self.acked()
            );
            if self.clients.iter().all(|c| c.is_finished()) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Every acknowledgement, in document order (panics if a client did).
    pub async fn finish(self) -> Vec<Acked> {
        let mut all = Vec::new();
        for c in self.clients {
            all.extend(c.await.expect("an ingest client panicked"));
        }
        all.sort_by_key(|a| a.doc);
        all
    }
}

/// The position of the last canonical event (what a caught-up projector's
/// checkpoint equals; party-feed copies after it are not consumed).
pub async fn last_canonical(bus: &Bus) -> u64 {
    let mut last = 0;
    for filter in subjects::CANONICAL {
        let on = bus
            .last_on_subject(filter)
            .await
            .unwrap_or_else(|e| panic!("last message on {filter}: {e}"));
        last = last.max(on.unwrap_or(0));
    }
    last
}

/// The log read back from position 1, and a projection rebuilt from it.
#[derive(Debug)]
pub struct Audit {
    /// The last canonical position.
    pub through: u64,
    /// Canonical events in the log.
    pub canonical: u64,
    /// Positions of each document's `DocumentIngested`.
    pub ingested: HashMap<String, Vec<u64>>,
    /// How often each commitment was made.
    pub made: HashMap<String, u32>,
    /// Of a fresh store that applied the whole log in one pass.
    pub digest: String,
    pub applied: u64,
}

impl Audit {
    /// Checks every acknowledged document is in the log exactly once, at the
    /// acknowledged position, each of its commitments made exactly once, and
    /// nothing else is in the log.
    pub fn assert_exactly_once(&self, docs: &[Doc], acks: &[Acked]) {
        assert_eq!(
            acks.len(),
            docs.len(),
            "every document is acknowledged in the end"
        );
        for a in acks {
            let doc = &docs[a.doc];
            let positions = self
                .ingested
                .get(doc.id.as_str())
                .map(Vec::as_slice)
                .unwrap_or_default();
            assert_eq!(
                positions,
                [a.ack.position()],
                "document #{} ({}) acknowledged as {:?} after {} attempt(s): \
                 its DocumentIngested must be in the log once, at that position",
                a.doc,
                doc.id,
                a.ack,
                a.attempts
            );
            for out in doc.made() {
                let id = out.envelope.event.aggregate_id();
                assert_eq!(
                    self.made.get(id),
                    Some(&1),
                    "commitment {id} of document #{} must be made exactly once",
                    a.doc
                );
            }
        }
        let expected: usize = docs.iter().map(|d| d.events.len()).sum();
        assert_eq!(self.ingested.len(), docs.len(), "no foreign documents");
        assert_eq!(
            self.canonical, expected as u64,
            "canonical events in the log"
        );
    }
}

/// Reads every canonical event from position 1 through the last one, counts
/// them per id, and applies them in one pass to a fresh store in `scratch`.
pub async fn audit(bus: &Bus, scratch: &Path) -> Audit {
    let through = last_canonical(bus).await;
    let store = Store::open(&scratch.join("rebuild"), 32 << 20).expect("open a fresh store");
    let mut audit = Audit {
        through,
        canonical: 0,
        ingested: HashMap::new(),
        made: HashMap::new(),
        digest: String::new(),
        applied: 0,
    };
    // Right after a node loss, creating the consumer can time out while the
    // cluster settles: the auditor retries (bounded) like any client would.
    let mut attempts = 0;
    let replay = loop {
        match bus.replay(1).await {
            Ok(r) => break r,
            Err(e) if attempts < 5 => {
                attempts += 1;
                eprintln!("audit: replay not ready ({e}); retrying");
                tokio::time::sleep(Duration::from_secs(2)).await;
            }
            Err(e) => panic!("replay the log: {e:?}"),
        }
    };
    let mut log = Box::pin(replay.ready_chunks(1000));
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut at = 0;
    while at < through {
        let left = deadline.saturating_duration_since(Instant::now());
        let chunk = tokio::time::timeout(left, log.next())
            .await
            .unwrap_or_else(|_| panic!("reading the log stalled at {at} of {through}"))
            .expect("the replay follows the log; it does not end");
        let mut entries = Vec::with_capacity(chunk.len());
        for item in chunk {
            let entry = item.expect("a readable log entry");
            assert!(entry.position > at, "positions only grow");
            at = entry.position;
            let envelope = Envelope::from_json(&entry.payload)
                .unwrap_or_else(|e| panic!("event at {at} is unreadable: {e}"));
            audit.canonical += 1;
            match &envelope.event {
                Event::DocumentIngested(e) => audit
                    .ingested
                    .entry(e.document_id.to_string())
                    .or_default()
                    .push(at),
                Event::CommitmentMade(e) => {
                    *audit.made.entry(e.commitment_id.to_string()).or_default() += 1
                }
                _ => {}
            }
            entries.push((at, envelope));
        }
        store.apply(&entries, at).expect("apply to the rebuild");
    }
    assert_eq!(
        at, through,
        "the replay ends exactly at the last canonical event"
    );
    audit.digest = store.digest().unwrap();
    audit.applied = store.applied_count().unwrap();
    assert_eq!(
        audit.applied, audit.canonical,
        "the rebuild applies each event once"
    );
    audit
}

/// Waits until a projector's announced position reaches `target`.
pub async fn wait_position(
    rx: &mut watch::Receiver<u64>,
    target: u64,
    within: Duration,
    who: &str,
) {
    let reached = tokio::time::timeout(within, rx.wait_for(|p| *p >= target))
        .await
        .map(|r| r.is_ok());
    match reached {
        Ok(true) => {}
        Ok(false) => panic!("{who}: the projector stopped before position {target}"),
        Err(_) => panic!(
            "{who}: still at position {} after {within:?}, waiting for {target}",
            *rx.borrow()
        ),
    }
}

/// The `accord` binary next to this test binary (`target/<profile>/accord`;
/// `cargo test` builds it for accord-cli's own tests).
pub fn accord_bin() -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary's path");
    let bin = exe
        .parent()
        .and_then(Path::parent)
        .expect("target/<profile>/deps/<test>")
        .join("accord");
    assert!(
        bin.exists(),
        "{} is missing: build it first (`cargo build --bin accord`; `cargo test --workspace` does)",
        bin.display()
    );
    bin
}
