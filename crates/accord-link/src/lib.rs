//! The follow-up linker. A later readout often reports on an earlier
//! commitment: "welcomed the completion of the updated IPCP", "it had not
//! been possible to conclude the EPA", "the ITPP replaces the IPCP". This
//! crate finds such sentences and scores how likely each is about each
//! earlier commitment of related parties. It decides nothing about state:
//! the edge turns confident links into evidence and status events, and the
//! rest into proposals for the review queue.
//!
//! A link needs a report cue ([`cues`]) and a reference: a shared named
//! instrument, enough shared content words (weighted by how rare they are
//! among the candidates), or a back-reference ("the plan agreed last year")
//! whose head noun the commitment has. Each sentence reports on the
//! commitments it matches best; each commitment keeps its best sentence.

pub mod cues;
pub mod dates;
mod text;

pub use cues::Outcome;
pub use text::{content_words, instruments};

use accord_domain::event::{LinkSignals, SentenceText};
use accord_domain::{Commitment, CommitmentId, EvidenceKind, Kind, Party, Span, Status};
use regex::Regex;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;
use time::Date;

/// Links at or above this confidence are applied; below it they are proposed.
pub const APPLY_AT: f32 = 0.7;
/// Links below this confidence are dropped.
pub const PROPOSE_AT: f32 = 0.5;

/// The later readout, as the log holds it (`ReadoutText`).
#[derive(Debug, Clone, Copy)]
pub struct Later<'a> {
    pub date: Date,
    /// The meeting's parties, organisations expanded to their members by
    /// the caller where it knows them.
    pub parties: &'a [Party],
    pub sentences: &'a [SentenceText],
}

/// A sentence of the later readout that reports on an earlier commitment.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub commitment_id: CommitmentId,
    pub span: Span,
    pub snippet: String,
    pub outcome: Outcome,
    pub evidence: EvidenceKind,
    /// The status the evidence supports, if any (reaffirmations support none
    /// for deliverables).
    pub status: Option<Status>,
    pub confidence: f32,
    /// When it happened: the date the sentence gives, else the readout's.
    pub effective: Date,
    pub signals: LinkSignals,
}

/// One scored (sentence, commitment) pair, kept or not.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub sentence: usize,
    pub commitment: usize,
    pub outcome: Outcome,
    pub cue: String,
    pub cue_strength: f32,
    /// How surely the sentence is about the commitment, 0..1.
    pub reference: f32,
    pub confidence: f32,
    pub shared_names: Vec<String>,
    pub shared_words: Vec<String>,
    pub back_reference: Option<String>,
    pub parties: Vec<Party>,
}

/// Head nouns a back-reference ("the plan agreed last year") may use.
const HEADS: &[&str] = &[
    "plan",
    "action plan",
    "roadmap",
    "road map",
    "target",
    "agreement",
    "arrangement",
    "framework",
    "exercise",
    "dialogue",
    "mechanism",
    "strategy",
    "initiative",
    "programme",
    "program",
    "partnership",
    "fund",
    "centre",
    "center",
    "task force",
    "working group",
    "consultations",
    "summit",
    "visit",
    "study",
    "survey",
    "package",
    "facility",
    "corridor",
    "office",
    "council",
    "forum",
    "negotiations",
    "talks",
    "treaty",
    "memorandum",
    "project",
    "scheme",
    "pact",
    "declaration",
    "commission",
    "committee",
    "review",
    "loan",
    "grant",
];

static BACK_REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(agreed|set|launched|adopted|announced|decided|promised|pledged|committed|undertaken|envisaged|foreseen|planned|signed|concluded)\b[^.;]{0,40}\b(last year|previous year|in (19|20)\d\d|at (their|the|our) (last|previous|earlier|first) (meeting|summit|talks)|in [A-Z][a-z]+|last (time|meeting)|earlier|previously|at that time)\b|\b(previously|earlier) (agreed|announced|pledged|set|launched)\b|\bas (agreed|planned|envisaged|foreseen|promised|pledged)\b")
        .expect("valid")
});

/// Finds follow-ups of `earlier` commitments in a `later` readout. At most
/// one link per commitment: its most confident. Sorted by commitment id.
pub fn link(later: &Later<'_>, earlier: &[Commitment]) -> Vec<Link> {
    let candidates = score(later, earlier);
    let mut best: BTreeMap<&CommitmentId, &Candidate> = BTreeMap::new();
    for c in chosen(&candidates) {
        let id = &earlier[c.commitment].id;
        if best.get(id).is_none_or(|b| c.confidence > b.confidence) {
            best.insert(id, c);
        }
    }
    best.into_values()
        .filter(|c| c.confidence >= PROPOSE_AT)
        .map(|c| to_link(later, &earlier[c.commitment], c))
        .collect()
}

/// Every pair the linker considered for `target`, best first: why a pair
/// linked, or why not.
pub fn explain(later: &Later<'_>, earlier: &[Commitment], target: &CommitmentId) -> Vec<Candidate> {
    let Some(index) = earlier.iter().position(|c| &c.id == target) else {
        return Vec::new();
    };
    let mut all: Vec<Candidate> = score(later, earlier)
        .into_iter()
        .filter(|c| c.commitment == index)
        .collect();
    all.sort_by(|a, b| b.confidence.total_cmp(&a.confidence));
    all
}

/// The pairs a sentence keeps: its best commitment, and any other almost as
/// good (a sentence may report on two things at once).
fn chosen(candidates: &[Candidate]) -> Vec<&Candidate> {
    let mut by_sentence: BTreeMap<usize, Vec<&Candidate>> = BTreeMap::new();
    for c in candidates {
        by_sentence.entry(c.sentence).or_default().push(c);
    }
    by_sentence
        .into_values()
        .flat_map(|cs| {
            let top = cs.iter().map(|c| c.reference).fold(0.0f32, f32::max);
            cs.into_iter().filter(move |c| c.reference >= top * 0.8)
        })
        .collect()
}

/// Scores every (report sentence, related commitment) pair that has a
/// reference at all.
fn score(later: &Later<'_>, earlier: &[Commitment]) -> Vec<Candidate> {
    let pool: Vec<(usize, &Commitment)> = earlier
        .iter()
        .enumerate()
        .filter(|(_, c)| c.is_tracked() && c.meeting_date.is_none_or(|d| d < later.date))
        .collect();
    let words: Vec<BTreeSet<String>> = earlier.iter().map(|c| content_words(&c.text)).collect();
    let names: Vec<BTreeSet<String>> = earlier.iter().map(|c| instruments(&c.text)).collect();
    let idf = Idf::new(pool.iter().map(|(i, _)| &words[*i]));
    let mut out = Vec::new();
    for (s, sentence) in later.sentences.iter().enumerate() {
        let Some(cue) = cues::outcome_of(&sentence.text) else {
            continue;
        };
        let s_words = content_words(&sentence.text);
        let s_names = instruments(&sentence.text);
        let back = BACK_REFERENCE
            .find(&sentence.text)
            .map(|m| m.as_str().to_owned());
        let lower = sentence.text.to_lowercase();
        for &(i, c) in &pool {
            let parties: Vec<Party> = c
                .committers
                .iter()
                .chain(&c.counterparts)
                .filter(|p| later.parties.contains(p))
                .cloned()
                .collect();
            let shared_names: Vec<String> = names[i].intersection(&s_names).cloned().collect();
            if parties.is_empty() {
                continue;
            }
            let shared_words: Vec<String> = words[i].intersection(&s_words).cloned().collect();
            let coverage = idf.weight(shared_words.iter()) / idf.weight(words[i].iter()).max(1e-3);
            let back_reference = back.as_ref().filter(|_| {
                HEADS
                    .iter()
                    .any(|h| contains_word(&lower, h) && contains_word(&c.text.to_lowercase(), h))
            });
            let mut reference = coverage.min(1.0) * 0.8;
            if !shared_names.is_empty() {
                reference += 0.5;
            }
            if back_reference.is_some() {
                reference += 0.3;
            }
            if shared_words.len() >= 3 {
                reference += 0.1;
            }
            let reference = reference.min(1.0);
            if reference < 0.25 {
                continue;
            }
            let outcome = fit(cue.outcome, c.kind);
            // Every committer at the later meeting: the parties report on their
            // own promise. Otherwise it may be about someone else's: review.
            let all_there = c.committers.iter().all(|p| later.parties.contains(p));
            let mut confidence = (0.55 * reference + 0.4 * cue.strength + 0.05).clamp(0.0, 0.99);
            if !all_there {
                confidence = confidence.min(APPLY_AT - 0.05);
            }
            out.push(Candidate {
                sentence: s,
                commitment: i,
                outcome,
                cue: cue.text.clone(),
                cue_strength: cue.strength,
                reference,
                confidence,
                shared_names,
                shared_words,
                back_reference: back_reference.cloned(),
                parties,
            });
        }
    }
    out
}

/// Outcomes a commitment of this kind can have: a stance is kept (a
/// reaffirmation) or reversed; it is never "fulfilled".
fn fit(outcome: Outcome, kind: Kind) -> Outcome {
    match (outcome, kind) {
        (Outcome::Fulfilled | Outcome::InProgress, Kind::Stance) => Outcome::Reaffirmed,
        (o, _) => o,
    }
}

fn contains_word(haystack: &str, word: &str) -> bool {
    haystack.match_indices(word).any(|(at, _)| {
        let before = haystack[..at].chars().next_back();
        let after = haystack[at + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric)
            && !after.is_some_and(|c| c.is_alphanumeric() && c != 's')
    })
}

fn to_link(later: &Later<'_>, commitment: &Commitment, c: &Candidate) -> Link {
    let sentence = &later.sentences[c.sentence];
    let dated = dates::effective(&sentence.text, later.date, commitment.meeting_date);
    let (evidence, status) = evidence_of(c.outcome, commitment.kind);
    let decision = if c.confidence >= APPLY_AT {
        "applied: confident".to_owned()
    } else {
        format!(
            "review: confidence {:.2} below {APPLY_AT} (reference {:.2}, cue {:.2})",
            c.confidence, c.reference, c.cue_strength
        )
    };
    Link {
        commitment_id: commitment.id.clone(),
        span: sentence.span,
        snippet: sentence.text.clone(),
        outcome: c.outcome,
        evidence,
        status,
        confidence: c.confidence,
        effective: dated.as_ref().map_or(later.date, |(d, _)| *d),
        signals: LinkSignals {
            cue: c.cue.clone(),
            shared_names: c.shared_names.clone(),
            shared_words: c.shared_words.clone(),
            parties: c.parties.clone(),
            dated_by: dated.map(|(_, phrase)| phrase),
            decision,
        },
    }
}

/// The evidence kind and the status an outcome supports for a commitment.
pub fn evidence_of(outcome: Outcome, kind: Kind) -> (EvidenceKind, Option<Status>) {
    match (outcome, kind) {
        (Outcome::Reaffirmed, Kind::Stance) => {
            (EvidenceKind::Reaffirmation, Some(Status::Maintained))
        }
        (Outcome::Reaffirmed, _) => (EvidenceKind::Reaffirmation, None),
        (Outcome::Fulfilled, _) => (EvidenceKind::Completion, Some(Status::Fulfilled)),
        (Outcome::InProgress, _) => (EvidenceKind::Progress, Some(Status::InProgress)),
        (Outcome::Superseded, _) => (EvidenceKind::Replacement, Some(Status::Superseded)),
        (Outcome::NotFulfilled, Kind::Stance) => (EvidenceKind::Shortfall, None),
        (Outcome::NotFulfilled, _) => (EvidenceKind::Shortfall, Some(Status::NotFulfilled)),
        (Outcome::Reversed, Kind::Stance) => (EvidenceKind::Reversal, Some(Status::Contradicted)),
        (Outcome::Reversed, _) => (EvidenceKind::Reversal, Some(Status::Reversed)),
    }
}

/// Whether `text` has any sentence that could report on an earlier
/// commitment; when not, there is nothing to link and no candidate to load.
pub fn has_follow_up_cues(text: &str) -> bool {
    cues::has_cue(text)
}

/// Inverse document frequency over the candidates' words: a word every
/// candidate has ("cooperation") tells them apart less than a rare one.
struct Idf {
    df: BTreeMap<String, usize>,
    n: usize,
}

impl Idf {
    fn new<'a>(docs: impl Iterator<Item = &'a BTreeSet<String>>) -> Idf {
        let mut df: BTreeMap<String, usize> = BTreeMap::new();
        let mut n = 0;
        for d in docs {
            n += 1;
            for w in d {
                *df.entry(w.clone()).or_default() += 1;
            }
        }
        Idf { df, n }
    }

    fn weight<'a>(&self, words: impl Iterator<Item = &'a String>) -> f32 {
        words
            .map(|w| {
                let df = self.df.get(w).copied().unwrap_or(0);
                ((self.n as f32 + 1.0) / (df as f32 + 1.0)).ln() + 1.0
            })
            .sum()
    }
}

#[cfg(test)]
mod tests;
