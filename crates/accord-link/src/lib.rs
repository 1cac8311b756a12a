//! The follow-up linker. A later readout often reports on an earlier
//! commitment: "welcomed the completion of the updated IPCP", "it had not
//! been possible to conclude the EPA", "the ITPP replaces the IPCP". This
//! crate finds such sentences and scores how likely each is about each
//! earlier commitment of related parties. It decides nothing about state:
//! the edge turns confident links into evidence and status events, and the
//! rest into proposals for the review queue.
//!
//! A link needs a report cue ([`cues`]) and a reference (`score`): a
//! shared named instrument (an acronym, a capitalised name, or an acronym
//! one text defines and the other spells out), shared content words and
//! word pairs weighted by how rare they are among the candidates, or a
//! back-reference ("the plan agreed last year") whose head noun and time
//! fit the commitment; kindred words ("talks" for "negotiations") count
//! for part of a shared word, and names spelled two ways ("KF-21", "KF21")
//! meet. A sentence with no cue of the lexicon may still report: with a
//! strong reference, its tense, aspect and polarity (`aspect`) give a
//! default outcome, for review unless the reference is very strong.
//! Parties gate the pairs: most of a commitment's committers must be at the
//! later meeting, unless a distinctive name outweighs one missing. Kind-aware rules refine the
//! outcome: a meeting promise is kept by the readout of that meeting, a
//! cooperation goes on (a new instrument is a step), a stance is never
//! fulfilled. Cues dated to the meeting that made the promise describe the
//! promise, not its outcome. Each sentence reports on the
//! commitments it matches best; each commitment keeps its best sentence.

mod amounts;
mod antecedent;
mod aspect;
mod back;
mod clauses;
pub mod cues;
pub mod dates;
mod dealings;
mod elections;
mod features;
mod lexicon;
mod outcome;
mod pairs;
mod places;
mod pool;
pub mod rerank;
mod score;
mod sentence;
mod text;
mod things;

pub use cues::Outcome;
pub use pairs::{Candidate, Detail, Later, Link, APPLY_AT, PROPOSE_AT};
pub use score::Rejection;
pub use text::{content_words, instruments};

use accord_domain::event::LinkSignals;
use accord_domain::{Commitment, CommitmentId, EvidenceKind, Kind, Status};
use std::collections::BTreeMap;

/// Finds follow-ups of `earlier` commitments in a `later` readout. At most
/// one link per commitment: its most confident. Sorted by commitment id.
///
/// The rules choose; the reranking model ([`rerank`]) then keeps the rules'
/// confident links, keeps a link for review only where it gives the pair
/// a fair chance, and may propose a pair the rules passed over.
pub fn link(later: &Later<'_>, earlier: &[Commitment]) -> Vec<Link> {
    let scored = Scored::new(later, earlier);
    if rerank::MODEL.is_empty() {
        return scored.rules;
    }
    reranked(&rerank::MODEL, later, earlier, scored)
}

/// Every scored pair, what the rules link of them, and the figures the
/// reranking model reads of each pair: what linking, training and
/// `explain` all start from.
struct Scored {
    candidates: Vec<Candidate>,
    rules: Vec<Link>,
    rows: Vec<rerank::Row>,
}

impl Scored {
    fn new(later: &Later<'_>, earlier: &[Commitment]) -> Scored {
        let candidates = score(later, earlier);
        let rules = by_rules(later, earlier, &candidates);
        let rows = rerank::rows(later, earlier, &candidates, &rules);
        Scored {
            candidates,
            rules,
            rows,
        }
    }
}

/// What the rules alone link: each sentence's best commitments, each
/// commitment's most confident sentence, above [`PROPOSE_AT`].
fn by_rules(later: &Later<'_>, earlier: &[Commitment], candidates: &[Candidate]) -> Vec<Link> {
    let mut best: BTreeMap<&CommitmentId, &Candidate> = BTreeMap::new();
    for c in chosen(candidates) {
        let id = &earlier[c.commitment].id;
        if best.get(id).is_none_or(|b| c.confidence > b.confidence) {
            best.insert(id, c);
        }
    }
    best.into_values()
        .filter(|c| c.confidence >= PROPOSE_AT)
        .filter(|c| !already_so(&earlier[c.commitment], c.outcome))
        .map(|c| to_link(later, &earlier[c.commitment], c))
        .collect()
}

/// The rules' links as the model sees them: confident ones stay applied;
/// the rules' proposals stay while the model gives them at least
/// [`rerank::KEEP_AT`]; a commitment the rules passed over is proposed,
/// from its likeliest sentence, when the model gives it at least
/// [`rerank::ADD_AT`] and the rules scored it at least [`PROPOSE_AT`] —
/// and nothing is applied on the model's word alone. That includes a
/// commitment the rules leave alone because the tracker already says so
/// ([`already_so`]): a readout that reports on it again ("reaffirmed the
/// Action Plan") is worth an analyst's look when the model is that sure.
fn reranked(
    model: &rerank::Model,
    later: &Later<'_>,
    earlier: &[Commitment],
    scored: Scored,
) -> Vec<Link> {
    let mut likeliest: BTreeMap<CommitmentId, (f32, &Candidate)> = BTreeMap::new();
    let mut rules_pair: BTreeMap<CommitmentId, f32> = BTreeMap::new();
    for (c, row) in scored.candidates.iter().zip(&scored.rows) {
        let chance = model.chance(row);
        let id = earlier[c.commitment].id.clone();
        if rerank::chosen_by_rules(row) {
            let best = rules_pair.entry(id.clone()).or_insert(0.0);
            *best = best.max(chance);
        }
        if likeliest.get(&id).is_none_or(|(best, _)| chance > *best) {
            likeliest.insert(id, (chance, c));
        }
    }
    let mut out: BTreeMap<CommitmentId, Link> = BTreeMap::new();
    for mut l in scored.rules {
        let chance = rules_pair.get(&l.commitment_id).copied().unwrap_or(0.0);
        if l.confidence < APPLY_AT {
            if chance < rerank::KEEP_AT {
                continue;
            }
            l.signals.decision = format!("{}; the model gives {chance:.2}", l.signals.decision);
        }
        out.insert(l.commitment_id.clone(), l);
    }
    for (id, (chance, c)) in likeliest {
        let commitment = &earlier[c.commitment];
        // The rules' penalties stand (another meeting of a series, a
        // reference too thin): only a pair they scored as plausible is added.
        let plausible = c.confidence >= PROPOSE_AT;
        if chance < rerank::ADD_AT || !plausible || out.contains_key(&id) {
            continue;
        }
        let capped = Candidate {
            confidence: c.confidence.min(APPLY_AT - 0.01),
            ..c.clone()
        };
        let mut link = to_link(later, commitment, &capped);
        link.signals.decision = format!(
            "review: the model gives {chance:.2} to a pair the rules passed over (confidence {:.2}, reference {:.2}, cue {:.2})",
            capped.confidence, capped.reference, capped.cue_strength
        );
        out.insert(id, link);
    }
    out.into_values().collect()
}

/// Whether the tracker already says what the link would: a commitment
/// fulfilled (or replaced) is not reported fulfilled, under way or
/// reaffirmed again — a later readout mentioning it in passing ("the
/// Digital Partnership Council, held in Osaka") would only fill the review
/// queue. A shortfall or a reversal of it is news and still links.
fn already_so(c: &Commitment, outcome: Outcome) -> bool {
    let settled = matches!(c.status, Status::Fulfilled | Status::Superseded);
    settled
        && matches!(
            outcome,
            Outcome::Fulfilled | Outcome::InProgress | Outcome::Reaffirmed | Outcome::Superseded
        )
}

/// Every candidate pair with the reranking model's figures: (the
/// commitment it reports on; the sentence; the figures). What `make
/// train-linker` learns from.
pub fn training_rows(
    later: &Later<'_>,
    earlier: &[Commitment],
) -> Vec<(CommitmentId, usize, rerank::Row)> {
    let scored = Scored::new(later, earlier);
    scored
        .candidates
        .iter()
        .zip(scored.rows)
        .map(|(c, row)| (earlier[c.commitment].id.clone(), c.sentence, row))
        .collect()
}

/// Every pair the linker considered for `target`, best first, with the
/// reranking model's chance: why a pair linked, or why not.
pub fn explain(later: &Later<'_>, earlier: &[Commitment], target: &CommitmentId) -> Vec<Candidate> {
    let Some(index) = earlier.iter().position(|c| &c.id == target) else {
        return Vec::new();
    };
    let Scored {
        mut candidates,
        rows,
        ..
    } = Scored::new(later, earlier);
    if !rerank::MODEL.is_empty() {
        for (c, row) in candidates.iter_mut().zip(&rows) {
            c.chance = Some(rerank::MODEL.chance(row));
        }
    }
    let mut all: Vec<Candidate> = candidates
        .into_iter()
        .filter(|c| c.commitment == index)
        .collect();
    all.sort_by(|a, b| b.confidence.total_cmp(&a.confidence));
    all
}

/// Why sentence `sentence` of `later` is or is not a candidate report on
/// `target`: the scored pair, or the rule that turned it away.
pub fn judge(
    later: &Later<'_>,
    earlier: &[Commitment],
    target: &CommitmentId,
    sentence: usize,
) -> Result<Candidate, Rejection> {
    let pool = pool::Pool::new(later, earlier);
    let item = pool
        .items
        .iter()
        .find(|(i, _, _)| &earlier[*i].id == target)
        .ok_or(Rejection::NotTracked)?;
    let mut scored = sentence::nth(later, sentence).ok_or(Rejection::NoCue)?;
    pool.settle_context(&mut scored);
    score::judge(later, &pool, sentence, &scored, item)
}

/// How many equally good candidates, found by a back-reference and no
/// name, make a sentence too ambiguous to link.
const AMBIGUOUS_AT: usize = 4;

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
            let kept: Vec<&Candidate> = cs
                .into_iter()
                .filter(|c| c.reference >= top * 0.8)
                .collect();
            // "The commitment he made in London": three or more promises fit
            // the back-reference alike and none by name: no telling which.
            let ambiguous = kept.len() >= AMBIGUOUS_AT
                && kept
                    .iter()
                    .all(|c| c.shared_names.is_empty() && c.back_reference.is_some());
            if ambiguous {
                Vec::new()
            } else {
                kept
            }
        })
        .collect()
}

/// Scores every (report sentence, related commitment) pair that has a
/// reference at all.
fn score(later: &Later<'_>, earlier: &[Commitment]) -> Vec<Candidate> {
    let pool = pool::Pool::new(later, earlier);
    let mut out = Vec::new();
    for s in 0..later.sentences.len() {
        let Some(mut sentence) = sentence::nth(later, s) else {
            continue;
        };
        pool.settle_context(&mut sentence);
        if sentence.cues.is_empty() && sentence.reschedule.is_none() && sentence.aspect.is_none() {
            continue;
        }
        let found: Vec<Candidate> = pool
            .items
            .iter()
            .filter_map(|item| score::judge(later, &pool, s, &sentence, item).ok())
            .collect();
        out.extend(disambiguate(&pool, &sentence, latest(&pool, found)));
    }
    out
}

/// A shared name may connect several earlier promises ("the KF-21": remain
/// a partner in it, pay a share of its costs). A sentence
/// that names it and says again none of one promise's predicate (its verb
/// and object) but most of another's ("adjust the share of the KF-21
/// development costs") reports on the other; the choice is unsure, so both
/// go to review and the name alone no longer decides.
fn disambiguate(
    pool: &pool::Pool<'_>,
    sentence: &sentence::Sentence,
    mut found: Vec<Candidate>,
) -> Vec<Candidate> {
    let item = |c: &Candidate| pool.items.iter().find(|(j, _, _)| *j == c.commitment);
    let says = |c: &Candidate| {
        item(c).map_or(0, |(_, e, _)| {
            features::predicate_match(&e.text, &sentence.features, &c.shared_names)
        })
    };
    let top = found.iter().map(|c| c.reference).fold(0.0f32, f32::max);
    let named: Vec<usize> = (0..found.len())
        .filter(|&a| !found[a].shared_names.is_empty() && found[a].reference >= 0.8 * top)
        .filter(|&a| says(&found[a]) == 0)
        .collect();
    for a in named {
        let rival = (0..found.len())
            .filter(|&r| r != a)
            .filter(|&r| found[r].reference >= 0.5 * found[a].reference && says(&found[r]) >= 2)
            .max_by_key(|&r| says(&found[r]));
        if let Some(r) = rival {
            let (reference, confidence) = (found[a].reference, found[a].confidence);
            found[r].reference = found[r].reference.max(reference);
            found[r].confidence = found[r].confidence.max(confidence).min(APPLY_AT - 0.05);
            found[a].reference *= 0.7;
            found[a].confidence = found[a].confidence.min(APPLY_AT - 0.05);
        }
    }
    found
}

/// A promise restated at a later meeting ("conclude the CECA by 2022", then
/// "conclude the CECA within 2023") lives on in its latest form: a sentence
/// that matches both reports on the latest.
fn latest(pool: &pool::Pool<'_>, found: Vec<Candidate>) -> Vec<Candidate> {
    let item = |i: usize| pool.items.iter().find(|(j, _, _)| *j == i);
    let restated = |a: &Candidate| {
        let Some((_, ca, fa)) = item(a.commitment) else {
            return false;
        };
        found.iter().any(|b| {
            let Some((_, cb, fb)) = item(b.commitment) else {
                return false;
            };
            // The same kind of promise: "hold the next consultations in
            // 2024" is not restated by "adopt the roadmap at the next
            // consultations in 2024".
            cb.meeting_date > ca.meeting_date
                && cb.kind == ca.kind
                && b.reference >= a.reference - 0.1
                && (!fa.shared_names(fb).is_empty() || pool.similarity(fa, fb) >= 0.4)
        })
    };
    let keep: Vec<bool> = found.iter().map(|a| !restated(a)).collect();
    found
        .into_iter()
        .zip(keep)
        .filter(|(_, k)| *k)
        .map(|(c, _)| c)
        .collect()
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
        // Support for a candidacy borne out by the election: the stance was
        // kept (a stance is maintained or contradicted, never fulfilled).
        (Outcome::Fulfilled, Kind::Stance) => (EvidenceKind::Completion, Some(Status::Maintained)),
        (Outcome::Fulfilled, _) => (EvidenceKind::Completion, Some(Status::Fulfilled)),
        // A stance is not scored for compliance: steps under it are evidence
        // only ("the second phase of remediation is proceeding").
        (Outcome::InProgress, Kind::Stance) => (EvidenceKind::Progress, None),
        (Outcome::InProgress, _) => (EvidenceKind::Progress, Some(Status::InProgress)),
        (Outcome::Superseded, _) => (EvidenceKind::Replacement, Some(Status::Superseded)),
        (Outcome::NotFulfilled, Kind::Stance) => (EvidenceKind::Shortfall, None),
        (Outcome::NotFulfilled, _) => (EvidenceKind::Shortfall, Some(Status::NotFulfilled)),
        (Outcome::Reversed, Kind::Stance) => (EvidenceKind::Reversal, Some(Status::Contradicted)),
        (Outcome::Reversed, _) => (EvidenceKind::Reversal, Some(Status::Reversed)),
    }
}

#[cfg(test)]
mod tests;
