//! The clauses of a sentence, for what a cue speaks of: in "Noting that
//! the talks had not been concluded, the leaders agreed to continue working
//! for a balanced agreement", the shortfall is the talks', not the balanced
//! agreement's. Clauses split at semicolons, at coordination (", and",
//! ", but", ", while") and after an opening participle clause ("Noting
//! that …,"); relative clauses (", which …") stay with what they describe.

use crate::text::content_words;
use regex::Regex;
use std::collections::BTreeSet;
use std::sync::LazyLock;

static BOUNDARY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i);\s*|,\s+(?:and|but|while|whereas|yet|although|though)\s+").expect("valid")
});

static OPENING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:noting|recalling|welcoming|recogni[sz]ing|acknowledging|underlining|stressing|emphasi[sz]ing|having|following|given|despite|after|while|although|as)\b[^,;]{10,}?,\s+")
        .expect("valid")
});

/// A clause: where it starts and ends (bytes) and its content words.
#[derive(Debug, Clone)]
pub(crate) struct Clause {
    pub start: usize,
    pub end: usize,
    pub words: BTreeSet<String>,
}

/// The clauses of `text`, in order.
pub(crate) fn clauses(text: &str) -> Vec<Clause> {
    let mut starts = vec![0];
    if let Some(m) = OPENING.find(text) {
        starts.push(m.end());
    }
    starts.extend(BOUNDARY.find_iter(text).map(|m| m.end()));
    starts.sort_unstable();
    starts.dedup();
    let ends: Vec<usize> = starts.iter().skip(1).copied().chain([text.len()]).collect();
    let mut out: Vec<Clause> = Vec::new();
    for (&start, end) in starts.iter().zip(ends) {
        let mut words = content_words(&text[start..end]);
        // "…, and it is expected to be signed": a clause opening on a
        // pronoun speaks of what the one before spoke of.
        if PRONOUN.is_match(&text[start..end]) {
            if let Some(before) = out.last() {
                words.extend(before.words.iter().cloned());
            }
        }
        out.push(Clause { start, end, words });
    }
    out
}

static PRONOUN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(it|its|they|their|this|these|that|which|the latter|the former)\b")
        .expect("valid")
});

/// The clause holding byte `at`.
pub(crate) fn at(clauses: &[Clause], at: usize) -> usize {
    clauses.iter().rposition(|c| c.start <= at).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clauses_split_at_coordination_and_opening_participles() {
        let c =
            clauses("Noting that the talks had stalled, the leaders agreed to work for a deal.");
        assert_eq!(c.len(), 2);
        let c =
            clauses("The RAA, which was signed in March, entered into force, and the leaders met.");
        assert_eq!(c.len(), 2);
        assert_eq!(at(&c, 5), 0);
    }
}
