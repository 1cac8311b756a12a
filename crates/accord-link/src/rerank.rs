//! A second opinion on every scored pair. The rules of [`crate::score`]
//! weigh one pair at a time; whether a sentence is really a report on a
//! promise also shows in how the pair stands among the others (the
//! sentence's best reference, the promise's best sentence, how many rivals
//! each has) and in what the rules already decided. A small
//! gradient-boosted tree model, trained on the development chains
//! (`tests/chains/`, `make train-linker`), reads these figures and gives
//! the chance the pair is a report the annotators would count.
//!
//! The model is data (`rerank.model`, one tree node per line), walked
//! here; training happens offline with scikit-learn
//! (`crates/accord-link/model/train.py`), never at run time.

use crate::pairs::{Candidate, Detail, Later, Link};
use accord_domain::{Commitment, Kind};
use std::collections::BTreeMap;
use std::sync::LazyLock;

use crate::cues::Outcome;

/// How many figures describe a pair; the model file's columns.
pub const FEATURES: usize = 31 + Detail::LEN;

/// The figures of one pair, in the model's column order (`train.py`
/// names them).
pub type Row = [f32; FEATURES];

/// The rules' proposals the model gives at least this chance are kept.
pub const KEEP_AT: f32 = 0.45;

/// A pair the rules passed over is proposed from this chance on: the model
/// must be surer to add a link than to keep one.
pub const ADD_AT: f32 = 0.6;

/// The column saying the rules chose the pair.
const RULES_LINKED: usize = 24;

/// Whether the rules chose the pair `row` describes.
pub fn chosen_by_rules(row: &Row) -> bool {
    row[RULES_LINKED] > 0.5
}

/// The figures of every candidate pair, given the links the rules chose.
pub fn rows(
    later: &Later<'_>,
    earlier: &[Commitment],
    candidates: &[Candidate],
    chosen: &[Link],
) -> Vec<Row> {
    let mut by_sentence: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    let mut by_commitment: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, c) in candidates.iter().enumerate() {
        by_sentence.entry(c.sentence).or_default().push(i);
        by_commitment.entry(c.commitment).or_default().push(i);
    }
    // (ratio to the best, rivals, rivals better) of `value` within `group`
    let standing = |group: &[usize], i: usize, value: fn(&Candidate) -> f32| {
        let mine = value(&candidates[i]);
        let top = group
            .iter()
            .map(|&j| value(&candidates[j]))
            .fold(0.0f32, f32::max);
        let better = group
            .iter()
            .filter(|&&j| value(&candidates[j]) > mine)
            .count();
        [mine / top.max(1e-6), group.len() as f32, better as f32]
    };
    candidates
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let commitment = &earlier[c.commitment];
            let sentence = &later.sentences[c.sentence];
            let absent = |parties: &[accord_domain::Party]| {
                parties
                    .iter()
                    .filter(|p| !later.parties.contains(p))
                    .count() as f32
            };
            let made_at = later
                .made_at
                .and_then(|m| m.get(&commitment.document_id))
                .map_or(0.0, |ps| absent(ps));
            let months = commitment
                .meeting_date
                .map_or(-1.0, |d| ((later.date - d).whole_days() / 30) as f32);
            let linked = chosen
                .iter()
                .any(|l| l.commitment_id == commitment.id && l.span == sentence.span);
            let flag = |yes: bool| f32::from(u8::from(yes));
            let mut row = vec![c.confidence, c.reference, c.cue_strength];
            row.extend(Outcome::ALL.map(|o| flag(c.outcome == o)));
            row.extend(Kind::ALL.map(|k| flag(commitment.kind == k)));
            row.extend([
                c.shared_names.len() as f32,
                c.shared_words.len() as f32,
                flag(c.back_reference.is_some()),
                c.parties.len() as f32,
                months,
                made_at,
                absent(&commitment.committers),
                commitment.evidence.len() as f32,
                later.sentences.len() as f32,
                commitment.committers.len() as f32,
                sentence.text.split_whitespace().count() as f32,
                flag(linked),
            ]);
            row.extend(standing(&by_sentence[&c.sentence], i, |c| c.reference));
            row.extend(standing(&by_commitment[&c.commitment], i, |c| c.confidence));
            row.extend(c.detail.figures());
            Row::try_from(row).expect("FEATURES figures per pair")
        })
        .collect()
}

/// One node of a tree: a split on a column, or a leaf's value.
#[derive(Debug, Clone, Copy)]
enum Node {
    Split {
        column: usize,
        at: f32,
        left: usize,
        right: usize,
    },
    Leaf(f32),
}

/// Gradient-boosted trees: the chance is the logistic of the base plus
/// every tree's leaf.
#[derive(Debug, Default)]
pub struct Model {
    base: f32,
    trees: Vec<Vec<Node>>,
}

/// The model trained on the development chains.
pub static MODEL: LazyLock<Model> = LazyLock::new(|| {
    Model::parse(include_str!("rerank.model")).expect("the built-in rerank.model parses")
});

impl Model {
    /// Reads the model file: `base <f>`, then per node `<tree> <node>
    /// split <column> <threshold> <left> <right>` or `<tree> <node> leaf
    /// <value>`, nodes of a tree numbered from 0 in order.
    pub fn parse(text: &str) -> Result<Model, String> {
        let mut model = Model::default();
        for (n, line) in text.lines().enumerate() {
            let f: Vec<&str> = line.split_whitespace().collect();
            let bad = || format!("rerank.model line {}: {line:?}", n + 1);
            let num = |s: &str| s.parse::<f32>().map_err(|_| bad());
            let idx = |s: &str| s.parse::<usize>().map_err(|_| bad());
            match f.as_slice() {
                [] => {}
                ["base", v] => model.base = num(v)?,
                [tree, _, rest @ ..] => {
                    let tree = idx(tree)?;
                    let node = match rest {
                        ["split", c, at, l, r] => Node::Split {
                            column: Some(idx(c)?).filter(|&c| c < FEATURES).ok_or_else(bad)?,
                            at: num(at)?,
                            left: idx(l)?,
                            right: idx(r)?,
                        },
                        ["leaf", v] => Node::Leaf(num(v)?),
                        _ => return Err(bad()),
                    };
                    if tree == model.trees.len() {
                        model.trees.push(Vec::new());
                    }
                    model.trees.get_mut(tree).ok_or_else(bad)?.push(node);
                }
                _ => return Err(bad()),
            }
        }
        Ok(model)
    }

    /// Whether there is a model at all (an empty file leaves the rules alone).
    pub fn is_empty(&self) -> bool {
        self.trees.is_empty()
    }

    /// The chance that the pair described by `row` is a report.
    pub fn chance(&self, row: &Row) -> f32 {
        let raw: f32 = self.base
            + self
                .trees
                .iter()
                .map(|tree| {
                    let mut at = 0;
                    loop {
                        match tree.get(at) {
                            Some(Node::Split {
                                column,
                                at: threshold,
                                left,
                                right,
                            }) => {
                                at = if row[*column] <= *threshold {
                                    *left
                                } else {
                                    *right
                                }
                            }
                            Some(Node::Leaf(v)) => break *v,
                            None => break 0.0,
                        }
                    }
                })
                .sum::<f32>();
        1.0 / (1.0 + (-raw).exp())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_model_file_is_read_and_walked() {
        let model =
            Model::parse("base -1\n0 0 split 0 0.5 1 2\n0 1 leaf -2\n0 2 leaf 3\n").unwrap();
        let mut row = [0.0; FEATURES];
        assert!((model.chance(&row) - 1.0 / (1.0 + 3f32.exp())).abs() < 1e-6);
        row[0] = 0.9;
        assert!((model.chance(&row) - 1.0 / (1.0 + (-2f32).exp())).abs() < 1e-6);
    }

    #[test]
    fn a_broken_model_file_says_which_line() {
        let err = Model::parse("base 0\n0 0 split 99 0.5 1 2\n").unwrap_err();
        assert!(err.contains("line 2"), "{err}");
    }

    #[test]
    fn the_built_in_model_parses() {
        let _ = &*MODEL;
    }
}
