//! The follow-up linker. A later readout often reports on an earlier
//! commitment: "welcomed the completion of the updated IPCP", "reaffirmed
//! their commitment to…", "the new ITPP replaces the IPCP". This crate finds
//! such sentences and scores how likely each is about each earlier
//! commitment of the same parties. It decides nothing about state: the edge
//! turns confident links into evidence and status events, and less confident
//! ones into proposals for the review queue.
//!
//! A link's confidence adds up independent signals: the cue (how clearly the
//! sentence reports an outcome), a shared named instrument (acronyms such as
//! IPCP, or capitalised multi-word names), shared content words, and the
//! parties. Without a shared instrument or substantial shared wording there
//! is no link at all.

use accord_domain::{Commitment, EvidenceKind, Kind, Party, Span, Status};
use regex::Regex;
use std::collections::BTreeSet;
use std::sync::LazyLock;

/// Links at or above this confidence are applied; below it they are proposed.
pub const APPLY_AT: f32 = 0.7;
/// Links below this confidence are dropped.
pub const PROPOSE_AT: f32 = 0.4;

/// A sentence of the new readout that reports on an earlier commitment.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub commitment_id: accord_domain::CommitmentId,
    pub span: Span,
    pub snippet: String,
    pub cue: String,
    pub evidence: EvidenceKind,
    /// The status the evidence supports, if any (reaffirmations support none
    /// for deliverables).
    pub status: Option<Status>,
    pub confidence: f32,
}

struct Cue {
    pattern: Regex,
    evidence: EvidenceKind,
    strength: f32,
}

static CUES: LazyLock<Vec<Cue>> = LazyLock::new(|| {
    let cue = |p: &str, evidence, strength| Cue {
        pattern: Regex::new(&format!("(?i){p}")).expect("valid cue"),
        evidence,
        strength,
    };
    vec![
        cue(
            r"\b(welcomed|noted|celebrated|hailed) the (successful )?(completion|conclusion|finali[sz]ation|signing|adoption|entry into force|launch)\b",
            EvidenceKind::Completion,
            0.45,
        ),
        cue(
            r"\b(completed|concluded|finali[sz]ed|signed|adopted|launched|delivered|established|opened)\b",
            EvidenceKind::InstrumentSigned,
            0.3,
        ),
        cue(
            r"\b(replaces?|replaced|supersedes?|superseded|succeeds?|in place of)\b",
            EvidenceKind::Replacement,
            0.4,
        ),
        cue(
            r"\b(welcomed|noted|reviewed) (the )?(progress|steady progress|ongoing work|steps taken)\b",
            EvidenceKind::Progress,
            0.35,
        ),
        cue(
            r"\b(allocated|budgeted|funded|disbursed)\b",
            EvidenceKind::Budget,
            0.3,
        ),
        cue(
            r"\b(reaffirmed|reiterated|renewed|recommitted)\b",
            EvidenceKind::Reaffirmation,
            0.25,
        ),
    ]
});

static ACRONYM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b[A-Z][A-Z0-9&-]{2,}\b").expect("valid"));
static NAMED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:[A-Z][a-z]+(?:-[A-Z][a-z]+)*\s+){1,}(?:Plan|Programme|Program|Agreement|Partnership|Treaty|Strategy|Framework|Dialogue|Initiative|Mechanism|Roadmap|Action Plan)\b").expect("valid")
});
static WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[A-Za-z][A-Za-z-]{3,}").expect("valid"));

const STOP: &[&str] = &[
    "that",
    "this",
    "with",
    "would",
    "will",
    "their",
    "they",
    "them",
    "from",
    "into",
    "such",
    "also",
    "both",
    "sides",
    "leaders",
    "two",
    "further",
    "between",
    "which",
    "shared",
    "view",
    "agreed",
    "concurred",
    "welcomed",
    "reaffirmed",
    "commitment",
    "cooperation",
    "including",
    "well",
    "among",
    "other",
    "have",
    "been",
    "were",
    "start",
    "update",
    "japan",
    "nato",
    "minister",
    "prime",
    "secretary",
    "general",
    "president",
    "year",
    "next",
    "last",
    "this",
    "these",
    "those",
    "continue",
    "close",
    "relations",
    "partners",
    "partner",
];

/// Sentences of `text` with their byte spans (a light splitter: the linker
/// only needs the sentence around a cue).
fn sentences(text: &str) -> Vec<(Span, &str)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let end_here = match bytes[i] {
            b'\n' => i + 1 < bytes.len() && bytes[i + 1] == b'\n' || i + 1 == bytes.len(),
            b'.' | b'!' | b'?' => {
                let next = bytes.get(i + 1).copied();
                let after = bytes.get(i + 2).copied();
                matches!(next, None | Some(b'\n'))
                    || next == Some(b' ')
                        && after.is_some_and(|c| c.is_ascii_uppercase() || c == b'"')
            }
            _ => false,
        };
        if end_here {
            push(text, start, i + 1, &mut out);
            start = i + 1;
        }
        i += 1;
    }
    push(text, start, text.len(), &mut out);
    out
}

fn push<'a>(text: &'a str, start: usize, end: usize, out: &mut Vec<(Span, &'a str)>) {
    let raw = &text[start..end];
    let trimmed = raw.trim();
    if trimmed.len() < 12 {
        return;
    }
    let lead = raw.len() - raw.trim_start().len();
    let s = start + lead;
    out.push((
        Span {
            start: s,
            end: s + trimmed.len(),
        },
        trimmed,
    ));
}

/// Named instruments in a text: acronyms and capitalised names of plans,
/// programmes, agreements…
pub fn instruments(text: &str) -> BTreeSet<String> {
    let mut out: BTreeSet<String> = ACRONYM
        .find_iter(text)
        .map(|m| m.as_str().to_owned())
        .collect();
    out.extend(
        NAMED
            .find_iter(text)
            .map(|m| m.as_str().split_whitespace().collect::<Vec<_>>().join(" ")),
    );
    // Party names and generic acronyms are not instruments.
    for generic in [
        "NATO", "ASEAN", "UN", "EU", "USA", "G7", "G20", "UNSC", "IAEA", "WTO", "ASEM",
    ] {
        out.remove(generic);
    }
    out
}

fn content_words(text: &str) -> BTreeSet<String> {
    WORD.find_iter(text)
        .map(|m| m.as_str().to_lowercase())
        .filter(|w| !STOP.contains(&w.as_str()))
        .collect()
}

/// The status a piece of evidence supports for a commitment of `kind`.
fn supported_status(evidence: EvidenceKind, kind: Kind) -> Option<Status> {
    match (evidence, kind) {
        (EvidenceKind::Reaffirmation, Kind::Stance) => Some(Status::Maintained),
        (EvidenceKind::Reaffirmation, _) => None,
        (_, Kind::Stance) => None,
        (
            EvidenceKind::Completion
            | EvidenceKind::InstrumentSigned
            | EvidenceKind::OverImplementation,
            _,
        ) => Some(Status::Fulfilled),
        (EvidenceKind::Progress | EvidenceKind::Budget | EvidenceKind::BureaucraticStep, _) => {
            Some(Status::InProgress)
        }
        (EvidenceKind::Replacement, _) => Some(Status::Superseded),
    }
}

/// Whether `text` has any sentence that could report on an earlier
/// commitment; when not, there is nothing to link and no candidate to load.
pub fn has_follow_up_cues(text: &str) -> bool {
    CUES.iter().any(|c| c.pattern.is_match(text))
}

/// Finds follow-ups of `earlier` commitments in a new readout `text` whose
/// meeting parties are `parties`. At most one link per commitment: the
/// most confident. Sorted by commitment id.
pub fn link(text: &str, parties: &[Party], earlier: &[Commitment]) -> Vec<Link> {
    let mut best: std::collections::BTreeMap<String, Link> = Default::default();
    for (span, sentence) in sentences(text) {
        let Some((cue, m)) = CUES
            .iter()
            .find_map(|c| c.pattern.find(sentence).map(|m| (c, m)))
        else {
            continue;
        };
        let named = instruments(sentence);
        let words = content_words(sentence);
        for c in earlier.iter().filter(|c| c.is_tracked()) {
            if !c.committers.iter().all(|p| parties.contains(p)) {
                continue;
            }
            let shared_named: Vec<_> = instruments(&c.text).intersection(&named).cloned().collect();
            let shared_words = content_words(&c.text).intersection(&words).count();
            let wording = (shared_words as f32 / 4.0).min(1.0);
            if shared_named.is_empty() && shared_words < 3 {
                continue;
            }
            let mut confidence = cue.strength
                + if shared_named.is_empty() { 0.0 } else { 0.35 }
                + 0.15 * wording
                + 0.05;
            if cue.evidence == EvidenceKind::Replacement && shared_named.is_empty() {
                confidence -= 0.2;
            }
            let confidence = confidence.clamp(0.0, 0.99);
            if confidence < PROPOSE_AT {
                continue;
            }
            let link = Link {
                commitment_id: c.id.clone(),
                span,
                snippet: sentence.to_owned(),
                cue: m.as_str().to_owned(),
                evidence: cue.evidence,
                status: supported_status(cue.evidence, c.kind),
                confidence,
            };
            let entry = best.entry(c.id.to_string()).or_insert_with(|| link.clone());
            if link.confidence > entry.confidence {
                *entry = link;
            }
        }
    }
    best.into_values().collect()
}

#[cfg(test)]
mod tests;
