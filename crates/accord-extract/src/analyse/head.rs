//! A pledge head: where a commitment's verb phrase starts, who makes it,
//! and the cue and limits it carries from its clause.

use crate::lexicon::VClass;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum HeadForm {
    /// "agreed to VP", "would VP": a bare verb phrase.
    Bare,
    /// "concurred on VBG", "the importance of": a gerund or noun phrase.
    Gerund,
    /// "reaffirmed their opposition to": a position noun phrase.
    Position,
}

pub(super) struct Head {
    /// first token of the verb phrase
    pub(super) t: usize,
    /// first token of the span
    pub(super) span_t: usize,
    pub(super) form: HeadForm,
    pub(super) committers: Vec<usize>,
    pub(super) counter: Vec<usize>,
    pub(super) cue: String,
    pub(super) rule: &'static str,
    pub(super) vclass: Option<VClass>,
    /// the clause this head belongs to ends at or before this token
    pub(super) limit: usize,
    pub(super) confidence: f32,
    pub(super) negated: bool,
    pub(super) passive_meeting_ok: bool,
}
