//! A promise said again. When a readout reports on an earlier commitment and,
//! in the same sentence, makes a new promise about the same thing ("the
//! dialogue has not met yet; they agreed to hold its first meeting in Rabat
//! next year"), the newer promise is what a still later readout reports on:
//! the meeting "held in Rabat" keeps the promise of the middle readout, and
//! the first one only through it. Readouts' own wording follows the newest
//! promise, so linking to it is both what an analyst expects and what the
//! chain corpus annotates.

use crate::pairs::Later;
use crate::text::content_words;
use accord_domain::{Commitment, DocumentId, EvidenceKind, Span};
use std::collections::{BTreeSet, HashMap};

/// Where the earlier commitments were made: each document's commitments,
/// by index, to find a restatement without scanning them all.
pub(crate) struct Restatements<'a> {
    earlier: &'a [Commitment],
    by_document: HashMap<&'a DocumentId, Vec<usize>>,
}

impl<'a> Restatements<'a> {
    pub(crate) fn new(earlier: &'a [Commitment]) -> Restatements<'a> {
        let mut by_document: HashMap<&DocumentId, Vec<usize>> = HashMap::new();
        for (i, c) in earlier.iter().enumerate() {
            by_document.entry(&c.document_id).or_default().push(i);
        }
        Restatements {
            earlier,
            by_document,
        }
    }

    /// The newest promise that restated `earlier[i]`, if any: the end of
    /// the chain of restatements, by index.
    pub(crate) fn newest(&self, i: usize) -> Option<usize> {
        let mut at = self.restated_by(i)?;
        // follow the chain; a cycle (which the log's order rules out) ends it
        for _ in 0..self.earlier.len() {
            match self.restated_by(at) {
                Some(n) if n != i => at = n,
                _ => break,
            }
        }
        Some(at)
    }

    /// The promise made in a sentence that reported on `earlier[i]` and
    /// that is about the same thing, newest first.
    fn restated_by(&self, i: usize) -> Option<usize> {
        let earlier = self.earlier;
        let old = &earlier[i];
        let reports = old
            .evidence
            .iter()
            .map(|e| &e.evidence)
            .chain(old.proposals.iter().map(|p| &p.evidence))
            // said again, under way, replaced or fallen short: still open,
            // and the sentence may promise it anew (a completion or a
            // reversal closes it; a promise beside it is another thing)
            .filter(|e| {
                matches!(
                    e.kind,
                    EvidenceKind::Reaffirmation
                        | EvidenceKind::Progress
                        | EvidenceKind::Replacement
                        | EvidenceKind::Shortfall
                )
            })
            .filter_map(|e| Some((e.document_id.as_ref()?, e.span?)))
            .filter(|(document, _)| *document != &old.document_id);
        let mut old_words: Option<BTreeSet<String>> = None;
        let mut found: Option<usize> = None;
        for (document, sentence) in reports {
            for &j in self.by_document.get(document).into_iter().flatten() {
                let new = &earlier[j];
                let words = old_words.get_or_insert_with(|| content_words(&old.text));
                let fits = j != i && inside(new.span, sentence) && about_the_same(words, &new.text);
                let newer = |k: usize| new.meeting_date > earlier[k].meeting_date;
                if fits && found.is_none_or(newer) {
                    found = Some(j);
                }
            }
        }
        found
    }
}

fn inside(span: Span, sentence: Span) -> bool {
    span.start >= sentence.start && span.end <= sentence.end
}

/// The newer promise names something of the old one, or points back at it
/// ("hold it", "its first meeting").
fn about_the_same(old_words: &BTreeSet<String>, new_text: &str) -> bool {
    let new_words = content_words(new_text);
    let points_back = new_text.split(|c: char| !c.is_alphanumeric()).any(|w| {
        matches!(
            w.to_lowercase().as_str(),
            "it" | "its" | "them" | "this" | "these"
        )
    });
    points_back || old_words.intersection(&new_words).next().is_some()
}

/// Whether a report in `sentence` on `old` is rather on its restatement
/// `new`: not when the restatement was made at a meeting with someone
/// absent now, nor when the sentence dates the thing to the first promise
/// ("the working group agreed in 2022").
pub(crate) fn follows(
    later: &Later<'_>,
    sentence: &str,
    old: &Commitment,
    new: &Commitment,
) -> bool {
    let here = later
        .made_at
        .and_then(|m| m.get(&new.document_id))
        .is_none_or(|met| met.iter().all(|p| later.parties.contains(p)));
    let year_of = |c: &Commitment| c.meeting_date.map(|d| d.year().to_string());
    let names_first = year_of(old).is_some_and(|y| {
        year_of(new).as_ref() != Some(&y)
            && sentence
                .split(|ch: char| !ch.is_ascii_digit())
                .any(|w| w == y)
    });
    here && !names_first
}
