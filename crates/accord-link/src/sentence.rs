//! A later readout's sentence as every comparison sees it: its words,
//! cues, clauses, back-references and the parties it names, read once.

use crate::aspect;
use crate::back::Back;
use crate::clauses::{self, Clause};
use crate::cues::{self, Cue};
use crate::dates;
use crate::dealings;
use crate::features::Features;
use accord_domain::Party;
use regex::Regex;
use std::sync::LazyLock;
use time::Date;

/// What a sentence brings to every comparison, computed once.
pub(crate) struct Sentence {
    pub text: String,
    pub features: Features,
    pub cues: Vec<Cue>,
    pub back: Option<Back>,
    /// The sentence before, for a back-reference that names no thing of
    /// its own ("stands by the commitment it made in Bucharest in 2019"
    /// after "briefed on Malta's campaign for a Security Council seat").
    pub context: Option<Features>,
    /// The sentence reports this very meeting ("today", the readout's date).
    pub this_meeting: bool,
    /// A meeting promised for a year: (year, where, the words).
    pub reschedule: Option<(i32, usize, String)>,
    pub clauses: Vec<Clause>,
    /// The outcome its tense and polarity imply, when no cue says one.
    pub aspect: Option<Cue>,
    /// The parties it names.
    pub named: Vec<Party>,
    /// The parties it names as partners ("with the Philippines", "the
    /// Japan-Australia agreement").
    pub partners: Vec<Party>,
    /// The countries of the visits it speaks of ("his trip to Amman": Jordan).
    pub visits: Vec<Party>,
    /// Whose candidacy or election it speaks of ("Luxembourg's candidacy").
    pub candidates: Vec<Party>,
    /// It speaks of what one party did with others ("similar agreements
    /// with other African partners"), not of a promise between these.
    pub about_others: bool,
    /// Per clause: the partners it names and whether it speaks of others'
    /// dealings ("…, and Korea is strengthening similar cooperation with
    /// Kazakhstan" says nothing of the clause before).
    pub clause_partners: Vec<Vec<Party>>,
    pub clause_about_others: Vec<bool>,
    /// Per clause: the parties it deals "with" ("a grant agreement with
    /// Côte d'Ivoire").
    pub clause_dealt_with: Vec<Vec<Party>>,
}

static TODAY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(today|this (meeting|summit|visit))\b").expect("valid"));
static PROMISED_MEETING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:will|would|shall|to)\b(?:\s+\w+){0,2}?\s+(?:be\s+)?(?:host|hold|convene|held|hosted|convened|meet|adopt|adopted|conclude|concluded|complete|completed|sign|signed|finali[sz]e|finali[sz]ed|launch|launched|revive|revived|resume|resumed)\b[^.;]{0,80}?\b(?:in|by|of|before|until)\s+(?:the\s+(?:first|second|third|fourth|last)\s+(?:half|quarter)\s+of\s+|the\s+end\s+of\s+|early\s+|mid-|late\s+)?((?:19|20)\d\d)\b")
        .expect("valid")
});

impl Sentence {
    pub fn of(text: &str, later: Date, extra: Option<&accord_extract::ExtraData>) -> Sentence {
        let back = Back::find(text, later, extra);
        let clauses = clauses::clauses(text);
        let clause_partners = clauses
            .iter()
            .map(|c| accord_extract::partners_named(&text[c.start..c.end], extra))
            .collect();
        let clause_dealt_with = clauses
            .iter()
            .map(|c| dealings::dealt_with(&text[c.start..c.end], extra))
            .collect();
        let clause_about_others = clauses
            .iter()
            .map(|c| ABOUT_OTHERS.is_match(&text[c.start..c.end]))
            .collect();
        let dated = dates::effective(text, later, None)
            .is_some_and(|(d, p)| d == later && p.chars().any(|c| c.is_ascii_digit()));
        let reschedule = PROMISED_MEETING.captures(text).and_then(|c| {
            let year = c.get(1)?.as_str().parse().ok()?;
            let m = c.get(0)?;
            Some((year, m.start(), m.as_str().to_owned()))
        });
        Sentence {
            this_meeting: dated || TODAY.is_match(text),
            reschedule,
            text: text.to_owned(),
            features: Features::of(text),
            cues: cues::all_of(text),
            aspect: aspect::of(text),
            back,
            context: None,
            clauses,
            named: accord_extract::parties_named(text, extra),
            partners: accord_extract::partners_named(text, extra),
            visits: visits(text, extra),
            candidates: crate::elections::candidates(text, extra),
            about_others: ABOUT_OTHERS.is_match(text),
            clause_partners,
            clause_about_others,
            clause_dealt_with,
        }
    }

    /// Whether it speaks of someone going or coming: a visit, a trip, a
    /// guest received.
    pub fn speaks_of_a_visit(&self) -> bool {
        !self.visits.is_empty() || A_VISIT.is_match(&self.text)
    }
}

static A_VISIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(visit(s|ed|ing)?|trip|travel(led|ed)?|received|hosted|welcomed \w+ to|met)\b",
    )
    .expect("valid")
});

/// Sentence `s` of the later readout, with the one before it as the
/// context of a back-reference.
pub(crate) fn nth(later: &crate::pairs::Later<'_>, s: usize) -> Option<Sentence> {
    let mut sentence = Sentence::of(&later.sentences.get(s)?.text, later.date, later.extra);
    // Only a back-reference by a word for any promise ("the commitment",
    // "the understanding") leaves the thing to the sentence before; "the
    // target set in 2023" names its own.
    let generic = sentence
        .back
        .as_ref()
        .and_then(|b| b.head)
        .and_then(crate::features::class_of)
        == Some(crate::features::Class::Pledge);
    if generic && s > 0 {
        sentence.context = Some(Features::of(&later.sentences[s - 1].text));
    }
    Some(sentence)
}

/// A visit and where to: "visit Jordan", "his trip to Amman", "the state
/// visit of the President of Brazil to France".
static VISIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i:\b(?:visit(?:s|ed|ing)?|trip|travel(?:led|ed|s)?)\b)(?:[^.;]{0,60}?\b(?i:to)\b)?\s+(?:the\s+)?(?P<place>\p{Lu}[\p{L}-]+(?:\s+\p{Lu}[\p{L}-]+)*)")
        .expect("valid")
});

static ABOUT_OTHERS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bsimilar (\w+ ){0,3}?(with|to)\b|\bwith (several |many |various |a number of )?other (partners|countries|states)\b").expect("valid")
});

/// The countries `text` speaks of visiting.
pub(crate) fn visits(text: &str, extra: Option<&accord_extract::ExtraData>) -> Vec<Party> {
    VISIT
        .captures_iter(text)
        .filter_map(|c| c.name("place"))
        .flat_map(|place| accord_extract::parties_named(place.as_str(), extra))
        .collect()
}
