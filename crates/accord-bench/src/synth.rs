//! Synthetic but realistic load: readouts decided by the real domain code,
//! so event sizes, subjects and party-feed fan-out match production.

use accord_bus::{subjects, Outgoing};
use accord_domain::document::{decide, IngestReadout, NewCommitment};
use accord_domain::{CommitmentId, DocumentId, Envelope, EventMeta, Kind, Party, Span};
use time::macros::{date, datetime};

/// Party codes the synthetic commitments are spread over (two committers each).
pub const PARTIES: [&str; 20] = [
    "JPN", "AUS", "USA", "IND", "FRA", "DEU", "GBR", "CAN", "BRA", "IDN", "VNM", "KOR", "PHL",
    "NZL", "ITA", "ESP", "NATO", "EU", "ASEAN", "MEX",
];

/// Room each commitment takes in the (virtual) readout, in bytes.
const SPAN_STRIDE: usize = 200;

/// How many commitments readout `i` carries: 5..=10, cycling.
pub fn commitments_in(i: u64) -> usize {
    5 + (i % 6) as usize
}

fn document_id(salt: &str, i: u64) -> DocumentId {
    DocumentId::for_text(&format!("accord bench readout {salt} #{i}"))
}

/// The id of commitment `j` of readout `i` (what `decide` will name it).
pub fn commitment_id(salt: &str, i: u64, j: usize) -> CommitmentId {
    CommitmentId::for_span(&document_id(salt, i), span(j))
}

fn span(j: usize) -> Span {
    Span {
        start: j * SPAN_STRIDE + 10,
        end: j * SPAN_STRIDE + 160,
    }
}

fn party(k: usize) -> Party {
    Party::new(PARTIES[k % PARTIES.len()]).expect("valid party code")
}

/// The events of ingesting synthetic readout `i`, ready for `Bus::append`.
pub fn readout(salt: &str, i: u64) -> Vec<Outgoing> {
    let document_id = document_id(salt, i);
    let n = commitments_in(i);
    let commitments = (0..n)
        .map(|j| {
            let a = (i as usize).wrapping_mul(7).wrapping_add(j * 3);
            NewCommitment {
                kind: Kind::ALL[(i as usize + j) % 4],
                committers: vec![party(a), party(a + 1 + j % 5)],
                counterparts: if j % 3 == 0 {
                    vec![party(a + 9)]
                } else {
                    vec![]
                },
                text: format!(
                    "agreed that {} and {} would hold joint exercise {i}-{j} on maritime security \
                     and disaster relief before the end of 2019",
                    PARTIES[a % PARTIES.len()],
                    PARTIES[(a + 1 + j % 5) % PARTIES.len()]
                ),
                span: span(j),
                cue: "agreed … would".into(),
                due: (j % 2 == 0).then_some(date!(2019 - 12 - 31)),
                confidence: 0.85,
                topics: vec!["defence".into()],
                page: None,
            }
        })
        .collect();
    let cmd = IngestReadout {
        document_id: document_id.clone(),
        title: Some(format!("Bench summit readout #{i}")),
        source: Some(format!("https://example.org/readouts/{i}")),
        date: Some(date!(2017 - 10 - 31)),
        publisher: None,
        bytes: (n * SPAN_STRIDE + 100) as u64,
        extractor: "accord-extract/0.2".into(),
        commitments,
        deadlines: Default::default(),
        parties: vec![],
        sentences: vec![],
        meeting: vec![],
    };
    let correlation_id = format!("ingest:{document_id}");
    decide(None, cmd)
        .expect("synthetic readouts are valid")
        .into_iter()
        .map(|event| {
            let meta = EventMeta {
                id: event.natural_id(),
                occurred_at: datetime!(2017-10-31 0:00 UTC),
                recorded_at: datetime!(2026-11-27 12:00 UTC),
                correlation_id: correlation_id.clone(),
            };
            Outgoing::new(Envelope::new(meta, event))
        })
        .collect()
}

/// The messages `Bus::append` writes for these events (canonical subject, then
/// one party-feed copy per committer), as `(subject, payload)`.
pub fn messages(events: &[Outgoing]) -> Vec<(String, bytes::Bytes)> {
    let mut out = Vec::new();
    for e in events {
        let payload = bytes::Bytes::from(e.envelope.to_json());
        out.push((subjects::canonical(&e.envelope), payload.clone()));
        for feed in subjects::party_feed(&e.envelope, &e.parties) {
            out.push((feed, payload.clone()));
        }
    }
    out
}

/// A readout text the real extractor finds exactly one commitment in, distinct per `i`.
pub fn readout_text(i: u64) -> String {
    const NAMES: [&str; 12] = [
        "Japan",
        "Australia",
        "India",
        "France",
        "Germany",
        "Canada",
        "Brazil",
        "Indonesia",
        "Italy",
        "Spain",
        "Mexico",
        "New Zealand",
    ];
    const ACTS: [&str; 6] = [
        "hold a joint exercise",
        "open a new consulate",
        "sign a customs agreement",
        "launch a science dialogue",
        "expand student exchanges",
        "start talks on a fisheries accord",
    ];
    let a = (i % 12) as usize;
    let b = (a + 1 + (i / 12 % 11) as usize) % 12;
    let act = ACTS[(i / 132 % 6) as usize];
    format!(
        "The two leaders agreed that {} and {} would {act} in 2019 (#{i}).\n",
        NAMES[a], NAMES[b]
    )
}

/// Small deterministic PRNG (xorshift64*) so runs pick the same keys.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}
