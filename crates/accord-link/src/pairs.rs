//! What the linker reads and returns: the later readout, the scored
//! (sentence, commitment) pairs, the links, and the confidences that decide
//! what is applied and what is proposed.

use crate::cues::Outcome;
use accord_domain::event::{LinkSignals, SentenceText};
use accord_domain::{CommitmentId, DocumentId, EvidenceKind, Party, Span, Status};
use std::collections::BTreeMap;
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
    /// Parties, people and places beyond the built-in gazetteer, to see
    /// which parties a sentence names.
    pub extra: Option<&'a accord_extract::ExtraData>,
    /// The parties of the meetings the earlier commitments were made at, by
    /// document, where the caller knows them: Japan's promise made at a
    /// meeting with Fiji is not what a meeting with Malaysia reports on.
    pub made_at: Option<&'a BTreeMap<DocumentId, Vec<Party>>>,
    /// The meeting's own parties before organisations were expanded, where
    /// the caller knows them: Spain is at an EU-Viet Nam meeting only as a
    /// member of the EU, which is not enough to report on Spain's promise.
    pub own: Option<&'a [Party]>,
    /// The earlier readouts' sentences, by document, where the caller has
    /// them: "committed to concluding them by the end of 2023" says what
    /// "them" is in the sentence before.
    pub earlier_text: Option<&'a BTreeMap<DocumentId, Vec<SentenceText>>>,
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
    /// What `reference` was made of, for the reranking model.
    pub detail: Detail,
    /// The reranking model's chance that the pair is a report, where
    /// [`crate::explain`] asked it.
    pub chance: Option<f32>,
}

/// The figures a pair's reference was made of. The rules fold them into one
/// number; the reranking model reads them one by one beside it, since how
/// the reference came about says how far to trust it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Detail {
    /// The commitment's words said again, before any bonus or penalty.
    pub overlap: f32,
    /// What a back-reference ("agreed last year in Tokyo") added.
    pub back: f32,
    pub same_visit: bool,
    pub same_money: bool,
    pub same_thing: bool,
    pub rare_name: bool,
    /// How many earlier commitments use the rarest shared name (-1: none shared).
    pub name_df: f32,
    pub counterparts_away: bool,
    pub ordinal_clash: bool,
    pub named_apart: bool,
    /// How a meeting promise fits the sentence's meeting (1 for other kinds).
    pub meeting_fit: f32,
    /// The share of what is shared that lies in the cue's clause.
    pub locality: f32,
    /// No report verb: the cue is the sentence's aspect alone.
    pub cueless: bool,
    pub kindred_words: usize,
    /// How much the commitment says (its words' rarity summed).
    pub information: f32,
    pub clauses: usize,
    /// The share of the commitment's parties at the later meeting.
    pub parties_here: f32,
    /// The extractor's confidence in the commitment.
    pub extraction: f32,
    /// The shared names come only from what the earlier readout said
    /// around the promise, not from its own words.
    pub context_name: bool,
}

impl Detail {
    /// How many figures [`Detail::figures`] gives.
    pub const LEN: usize = 19;

    /// The figures in the model's column order (`train.py` names them).
    pub fn figures(&self) -> [f32; Detail::LEN] {
        let flag = |yes: bool| f32::from(u8::from(yes));
        [
            self.overlap,
            self.back,
            flag(self.same_visit),
            flag(self.same_money),
            flag(self.same_thing),
            flag(self.rare_name),
            self.name_df,
            flag(self.counterparts_away),
            flag(self.ordinal_clash),
            flag(self.named_apart),
            self.meeting_fit,
            self.locality,
            flag(self.cueless),
            self.kindred_words as f32,
            self.information,
            self.clauses as f32,
            self.parties_here,
            self.extraction,
            flag(self.context_name),
        ]
    }
}
