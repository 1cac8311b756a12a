//! The pool of earlier commitments a later readout is scored against:
//! their features, the word weights among them, and what is read once per
//! readout rather than once per sentence (who is present, what each names,
//! where each was made).

use crate::elections;
use crate::features::{Features, Idf};
use crate::pairs::Later;
use crate::sentence::{visits, Sentence};
use crate::text::is_nation;
use accord_domain::{Commitment, DocumentId, Kind, Party};
use std::collections::{BTreeMap, BTreeSet};
use time::Date;

/// The pool of earlier commitments, with their features and the word
/// weights among them.
pub(crate) struct Pool<'a> {
    pub items: Vec<(usize, &'a Commitment, Features)>,
    pub words: Idf,
    pub pairs: Idf,
    pub names: Idf,
    pub places: Idf,
    /// The date of the parties' last meeting before this one.
    pub last_meeting: Option<Date>,
    /// Per commitment (by its index among the earlier ones): the parties
    /// its text names, and the countries of the visits it promises. Read
    /// once here rather than once per sentence.
    pub named: BTreeMap<usize, Vec<Party>>,
    pub visits: BTreeMap<usize, Vec<Party>>,
    /// The commitments that back a candidacy, with whose it is.
    pub candidacies: BTreeMap<usize, Vec<Party>>,
    /// Per commitment: made at a meeting with others, none of them here.
    pub elsewhere: BTreeMap<usize, Vec<Party>>,
    /// Per commitment: the share of its parties at the later meeting.
    pub share: BTreeMap<usize, f32>,
    /// Per earlier readout: the parties whose places its opening names,
    /// where the meeting was ("Abu Dhabi, 2 March 2019"), so that "the
    /// event agreed upon in Abu Dhabi" can be a promise made there.
    pub venues: BTreeMap<&'a DocumentId, Vec<Party>>,
}

impl<'a> Pool<'a> {
    pub fn new(later: &Later<'_>, earlier: &'a [Commitment]) -> Pool<'a> {
        let items: Vec<(usize, &Commitment, Features)> = earlier
            .iter()
            .enumerate()
            .filter(|(_, c)| c.is_tracked() && c.meeting_date.is_none_or(|d| d < later.date))
            .map(|(i, c)| {
                (
                    i,
                    c,
                    crate::antecedent::features_in_context(later, earlier, c),
                )
            })
            .collect();
        // the later meeting's own parties and their members, once
        let table: Option<Vec<Party>> = later.own.map(|direct| {
            direct
                .iter()
                .flat_map(|d| {
                    std::iter::once(d.clone()).chain(accord_extract::members(d, later.extra))
                })
                .collect()
        });
        let share: BTreeMap<usize, f32> = items
            .iter()
            .map(|(i, c, _)| (*i, present(later, table.as_deref(), c)))
            .collect();
        let last_meeting = items
            .iter()
            .filter(|(i, _, _)| share[i] >= 0.99)
            .filter_map(|(_, c, _)| c.meeting_date)
            .max();
        let named = items
            .iter()
            .map(|(i, c, _)| (*i, accord_extract::parties_named(&c.text, later.extra)))
            .collect();
        let visits = items
            .iter()
            .map(|(i, c, _)| (*i, visits(&c.text, later.extra)))
            .collect();
        let candidacies = items
            .iter()
            .filter(|(_, c, _)| elections::backs_a_candidacy(c))
            .map(|(i, c, _)| (*i, elections::candidates(&c.text, later.extra)))
            .collect();
        let elsewhere = items
            .iter()
            .map(|(i, c, _)| (*i, made_with_others(later, c)))
            .filter(|(_, others)| !others.is_empty())
            .collect();
        let venues = items
            .iter()
            .map(|(_, c, _)| &c.document_id)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .map(|d| (d, venue(later, d)))
            .collect();
        Pool {
            named,
            visits,
            venues,
            candidacies,
            elsewhere,
            share,
            words: Idf::new(items.iter().map(|(_, _, f)| &f.words)),
            pairs: Idf::new(items.iter().map(|(_, _, f)| &f.pairs)),
            names: Idf::new(items.iter().map(|(_, _, f)| &f.names)),
            places: Idf::new(items.iter().map(|(_, _, f)| &f.places)),
            items,
            last_meeting,
        }
    }
}

/// The parties whose places the opening of an earlier readout names: its
/// title, dateline and first sentence.
fn venue(later: &Later<'_>, document: &DocumentId) -> Vec<Party> {
    let Some(sentences) = later.earlier_text.and_then(|t| t.get(document)) else {
        return Vec::new();
    };
    let opening: Vec<&str> = sentences.iter().take(3).map(|s| s.text.as_str()).collect();
    accord_extract::parties_named(&opening.join(" "), later.extra)
}

impl Pool<'_> {
    /// Drops a sentence's context when the sentence names something of
    /// its own that an earlier promise shares ("reaffirmed the
    /// understanding reached in Doha on visa-free travel"): the sentence
    /// before then speaks of something else.
    pub fn settle_context(&self, sentence: &mut Sentence) {
        let Some(back) = &sentence.back else { return };
        // Not its own: the back-reference, the report's words, and names
        // of people and places ("Minister Popescu", "Romania").
        let mut said = format!("{} {}", back.head.unwrap_or_default(), back.text);
        for cue in &sentence.cues {
            said.push(' ');
            said.push_str(&cue.text);
        }
        for word in sentence.text.split_whitespace() {
            if word.starts_with(char::is_uppercase) {
                said.push(' ');
                said.push_str(word);
            }
        }
        let said = crate::text::content_words(&said);
        let own: Vec<&String> = sentence
            .features
            .words
            .iter()
            .filter(|w| !is_nation(w) && !said.contains(*w))
            .collect();
        if self
            .items
            .iter()
            .any(|(_, _, cf)| own.iter().any(|w| cf.words.contains(*w)))
        {
            sentence.context = None;
        }
    }

    /// Weighted overlap of two commitments' words, 0..1.
    pub fn similarity(&self, a: &Features, b: &Features) -> f32 {
        let shared = self.words.weight(a.words.intersection(&b.words));
        let all = self.words.weight(a.words.union(&b.words));
        shared / all.max(1e-3)
    }
}

/// The share of a commitment's committers at the later meeting; for a
/// meeting promise, of everyone who was to meet (consultations with India
/// are not held at a meeting without India).
/// `table`: the later meeting's own parties with their members, where the
/// caller knows who met.
fn present(later: &Later<'_>, table: Option<&[Party]>, c: &Commitment) -> f32 {
    let everyone: Vec<Party> = c
        .committers
        .iter()
        .chain(&c.counterparts)
        .cloned()
        .collect();
    let own = if c.kind == Kind::Meeting {
        &everyone
    } else if c.committers.is_empty() {
        &c.counterparts
    } else {
        &c.committers
    };
    if own.is_empty() {
        return 0.0;
    }
    // A state there only as a member of a union its institutions speak
    // for (the EU at an EU-Viet Nam summit) counts half; at a G7 or ASEAN
    // summit every member is at the table.
    let union_speaks = |direct: &[Party]| direct.iter().any(|d| matches!(d.as_str(), "EU" | "AU"));
    // A party the later readout only names (a counterpart of one of its
    // own promises: "the EU's trade agreement with the Andean countries"),
    // neither at the table nor a member of anyone who is, counts half too.
    let merely_named = |p: &Party| table.is_some_and(|t| !t.contains(p));
    let here = |p: &Party| match later.own {
        Some(direct)
            if (union_speaks(direct) || merely_named(p))
                && !direct.contains(p)
                && later.parties.contains(p) =>
        {
            0.5
        }
        _ if later.parties.contains(p) => 1.0,
        _ => 0.0,
    };
    own.iter().map(here).sum::<f32>() / own.len() as f32
}

/// The others the promise was made with, when none of them is at the later
/// meeting: "Japan would provide maritime equipment" said to Fiji, read at
/// a meeting with Malaysia. Empty when the promise's table is this one.
fn made_with_others(later: &Later<'_>, c: &Commitment) -> Vec<Party> {
    let Some(met) = later.made_at.and_then(|m| m.get(&c.document_id)) else {
        return Vec::new();
    };
    // the committers and, for an organisation, its members
    let own: Vec<Party> = c
        .committers
        .iter()
        .flat_map(|q| std::iter::once(q.clone()).chain(accord_extract::members(q, later.extra)))
        .collect();
    let others: Vec<Party> = met.iter().filter(|p| !own.contains(p)).cloned().collect();
    if others.iter().any(|p| later.parties.contains(p)) {
        return Vec::new();
    }
    others
}
