//! The outcome a sentence implies when it carries no report cue of the
//! lexicon ([`crate::cues`]): its tense, aspect and polarity. A later
//! readout of the same parties that names an earlier promise and says, in
//! the past or perfect, what was done ("the coast guards conducted their
//! first joint patrol") reports it done; in the progressive or with
//! "further" ("are expanding", "further expanded"), under way; restated
//! for the future with a verb of continuing ("will keep standing by"),
//! reaffirmed; negated in the past ("had not", "never"), not done. A new
//! promise ("agreed to hold") and talk ("discussed", "stressed") imply
//! nothing. Weak evidence: the linker uses it only with a strong reference.

use crate::cues::{Cue, Outcome, RESTATED as RESTATED_STRENGTH};
use regex::Regex;
use std::sync::LazyLock;

/// Marks the cue text of an outcome read from the sentence's grammar, so
/// that signals say no report verb was found.
pub(crate) const MARK: &str = "(no report verb: ";

/// Irregular past forms common in readouts.
const IRREGULAR: &str = "held|met|built|sent|began|begun|made|took|taken|gave|given|led|brought|won|undertaken|done|drawn|grown|paid|laid|sold|bought|spent|struck|sought|shown|run|become|came|went|found|kept|rebuilt|broke|broken|hit|set up|put in place|carried out|rolled out|handed over";

/// Past forms that report talk or a new promise, not an outcome.
const TALK: &[&str] = &[
    "agreed",
    "decided",
    "pledged",
    "committed",
    "resolved",
    "promised",
    "vowed",
    "discussed",
    "exchanged",
    "expressed",
    "noted",
    "stressed",
    "underlined",
    "emphasised",
    "emphasized",
    "highlighted",
    "called",
    "urged",
    "condemned",
    "reiterated",
    "reaffirmed",
    "recognised",
    "recognized",
    "acknowledged",
    "shared",
    "welcomed",
    "looked",
    "invited",
    "thanked",
    "congratulated",
    "encouraged",
    "hoped",
    "expected",
    "planned",
    "intended",
    "aimed",
    "proposed",
    "suggested",
    "recalled",
    "outlined",
    "briefed",
    "explained",
    "announced",
    "affirmed",
    "confirmed",
    "concurred",
    "appreciated",
    "praised",
    "commended",
    "underscored",
    "raised",
    "considered",
    "explored",
    "examined",
    "reviewed",
    "assessed",
    "believed",
    "wanted",
    "asked",
    "requested",
    "offered",
    "proposed",
    "accepted",
    "tasked",
    "instructed",
    "directed",
    "mandated",
    "needed",
    "required",
    "voiced",
    "conveyed",
    "informed",
    "updated",
    "deplored",
    "regretted",
    "opposed",
    "supported",
    "reflected",
    "focused",
    "focussed",
    "centred",
    "centered",
    "based",
    "related",
    "aimed",
    "designed",
    "intended",
    "dedicated",
    "interested",
    "concerned",
    "determined",
    "pleased",
    "delighted",
    "honoured",
    "honored",
    "united",
    "called",
    "limited",
    "detailed",
    "stated",
    "told",
    "added",
    "assured",
    "reported",
    "affected",
    "caused",
    "faced",
    "included",
    "involved",
    "concerned",
    "listed",
    "mentioned",
    "described",
    "remarked",
    "observed",
    "insisted",
    "argued",
    "warned",
    "cautioned",
];

/// Past forms of growth: something under way made more of, not finished.
const GROWTH: &[&str] = &[
    "advanced",
    "expanded",
    "deepened",
    "enhanced",
    "strengthened",
    "increased",
    "improved",
    "broadened",
    "intensified",
    "boosted",
    "widened",
    "extended",
    "accelerated",
];

/// Denied in the past: "had not", "was never", "has yet to".
static NEGATED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:(?:had|has|have|was|were|did|could)(?:n't|\s+not|\s+never|\s+(?:still|yet)\s+not)\b|(?:has|have|had|is|are|was|were)\s+yet\s+to\b|\bno\s+longer\b)")
        .expect("valid")
});

/// Under way: the progressive, "continue(d) to", "further" with a verb.
static CONTINUING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:(?:is|are|was|were|has been|have been|had been)\s+(?:now\s+|still\s+|currently\s+|steadily\s+|actively\s+)?(?:being\s+\w+ed|\w{3,}ing)|(?:continues|continued|continuing)\s+to\s+\w+|further\s+\w+ed|(?:has|have|had)\s+(?:further|since)\s+\w+ed)\b")
        .expect("valid")
});

/// Said again for the future with a verb of continuing or keeping.
static RESTATED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:will|would|shall|should)\s+(?:\w+ly\s+)?(?:continue|keep|remain|maintain|further|push|pursue|uphold|stand|sustain|persist|redouble|step up|intensify|stay)\b|\b(?:we|they|both)\s+(?:\w+ly\s+)?(?:continue|remain)\s+(?:to\s+)?\w+")
        .expect("valid")
});

/// Done: the perfect, the past passive, or a past verb after its subject.
static DONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?i)\b(?:(?P<perfect>(?:has|have|had)\s+(?:\w+ly\s+|now\s+|already\s+|since\s+)?(?:been\s+(?:\w+ly\s+)?)?)|(?P<passive>(?:was|were|is now|are now)\s+(?:\w+ly\s+)?)|(?P<before>[\w'’-]+),?\s+)(?P<verb>[a-z]{{3,}}ed|{IRREGULAR})\b")).expect("valid")
});

/// Words after which a past form is no verb: "the agreed plan", "to be
/// held", "a jointly developed".
const NOT_A_SUBJECT: &[&str] = &[
    "the",
    "a",
    "an",
    "its",
    "their",
    "our",
    "his",
    "her",
    "this",
    "these",
    "that",
    "those",
    "of",
    "for",
    "to",
    "in",
    "on",
    "at",
    "by",
    "with",
    "from",
    "be",
    "been",
    "being",
    "and",
    "or",
    "would",
    "will",
    "shall",
    "should",
    "could",
    "may",
    "might",
    "must",
    "not",
    "newly",
    "jointly",
    "recently",
    "previously",
    "already",
    "as",
    "than",
    "under",
    "well",
    "well-",
    "so",
    "such",
    "any",
    "all",
    "each",
    "every",
    "some",
    "into",
    "also",
    "is",
    "are",
    "was",
    "were",
    "through",
    "about",
    "across",
    "after",
    "before",
    "without",
    "against",
    "among",
    "including",
    "via",
    "over",
    "more",
    "less",
    "most",
    "very",
    "fully",
    "partly",
    "not",
    "it",
    "which",
];

/// An event named after a verb of welcome or record: "welcomed the signing
/// of", "noted the opening in March of", "hailed the arrival of".
static EVENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:welcomed|welcoming|noted|noting|hailed|celebrated|celebrating|marked|marking|recalled|recalling|commended|appreciated|acknowledged|applauded|lauded|praised|took note of)\s+(?:with \w+\s+)?(?:the|its|their)\s+(?:[\w-]+\s+){0,2}?(?P<noun>\w+(?:ion|ing|ment|al|ure|ance|ence))\s+(?:of|on|in|by|at|between|to)\b")
        .expect("valid")
});

/// Nouns of the [`EVENT`] shape that name no event: "the importance of".
const NOT_EVENTS: &[&str] = &[
    "importance",
    "significance",
    "relevance",
    "intention",
    "proposal",
    "potential",
    "commitment",
    "agreement",
    "decision",
    "willingness",
    "readiness",
    "position",
    "situation",
    "cooperation",
    "collaboration",
    "relation",
    "contribution",
    "role",
    "ambition",
    "vision",
    "presence",
    "interest",
    "offer",
    "leadership",
    "participation",
    "engagement",
    "statement",
    "announcement",
    "dialogue",
    "principal",
    "development",
    "attendance",
    "assessment",
    "discussion",
    "recommendation",
    "conclusion",
    "evaluation",
    "meeting",
];

/// The outcome the sentence's grammar implies, when no cue says one.
pub(crate) fn of(sentence: &str) -> Option<Cue> {
    let cue = |outcome, strength, m: regex::Match<'_>, why: &str| Cue {
        outcome,
        strength,
        text: format!("{MARK}{why}) {}", m.as_str()),
        at: m.start(),
    };
    if let Some(m) = NEGATED.find(sentence) {
        return Some(cue(Outcome::NotFulfilled, 0.5, m, "negated past"));
    }
    if let Some(m) = CONTINUING
        .find_iter(sentence)
        .find(|m| !talking(m.as_str()))
    {
        return Some(cue(Outcome::InProgress, 0.5, m, "progressive"));
    }
    if let Some(c) = DONE.captures_iter(sentence).find(|c| done(sentence, c)) {
        let m = c.get(0)?;
        let verb = c
            .name("verb")
            .map_or(String::new(), |v| v.as_str().to_lowercase());
        return Some(if matches!(verb.as_str(), "remained" | "stayed" | "kept") {
            cue(Outcome::Reaffirmed, 0.5, m, "kept to")
        } else if GROWTH.contains(&verb.as_str()) {
            cue(Outcome::InProgress, 0.5, m, "more of it")
        } else {
            cue(Outcome::Fulfilled, 0.5, m, "past tense")
        });
    }
    if let Some(c) = EVENT.captures_iter(sentence).find(|c| {
        c.name("noun")
            .is_some_and(|n| !NOT_EVENTS.contains(&n.as_str().to_lowercase().as_str()))
    }) {
        let m = c.get(0)?;
        let noun = c
            .name("noun")
            .map_or(String::new(), |n| n.as_str().to_lowercase());
        return Some(
            if noun.starts_with("continu") || noun.starts_with("progress") {
                cue(Outcome::InProgress, 0.5, m, "event under way")
            } else {
                cue(Outcome::Fulfilled, 0.5, m, "event named")
            },
        );
    }
    if let Some(m) = RESTATED.find(sentence) {
        return Some(cue(Outcome::Reaffirmed, 0.5, m, "restated"));
    }
    // Talk about it, for a stance, says it again.
    DONE.captures_iter(sentence)
        .filter(|c| {
            c.name("before")
                .is_some_and(|b| !NOT_A_SUBJECT.contains(&b.as_str().to_lowercase().as_str()))
        })
        .filter_map(|c| c.name("verb"))
        .find(|v| SAID.contains(&v.as_str().to_lowercase().as_str()))
        .map(|m| cue(Outcome::Reaffirmed, RESTATED_STRENGTH, m, "said again"))
}

/// Verbs by which a position is said again.
const SAID: &[&str] = &[
    "reaffirmed",
    "reiterated",
    "stressed",
    "underlined",
    "emphasised",
    "emphasized",
    "underscored",
    "highlighted",
    "expressed",
    "affirmed",
    "confirmed",
    "recalled",
    "noted",
    "called",
    "urged",
    "condemned",
    "opposed",
    "supported",
    "recognised",
    "recognized",
    "shared",
    "voiced",
];

/// Whether a progressive is of talk: "was examining how", "are exploring".
fn talking(progressive: &str) -> bool {
    let last = progressive.rsplit(' ').next().unwrap_or("").to_lowercase();
    let Some(base) = last.strip_suffix("ing") else {
        return false;
    };
    [
        format!("{base}ed"),
        format!("{base}d"),
        format!("{base}eed"),
    ]
    .iter()
    .any(|past| TALK.contains(&past.as_str()))
        || matches!(
            base,
            "look" | "seek" | "think" | "consider" | "study" | "hop" | "plann"
        )
}

/// Whether a past form found by [`DONE`] reports something done.
fn done(sentence: &str, c: &regex::Captures<'_>) -> bool {
    let Some(verb) = c.name("verb") else {
        return false;
    };
    let verb = verb.as_str().to_lowercase();
    // "indeed", "proceed": no past forms.
    if TALK.contains(&verb.as_str()) || verb.ends_with("eed") && verb != "agreed" {
        return false;
    }
    // "used to", "set to": no report of something done.
    if sentence[c.get(0).map_or(0, |m| m.end())..].starts_with(" to ")
        && c.name("passive").is_some()
    {
        return false;
    }
    if c.name("perfect").is_some() || c.name("passive").is_some() {
        return true;
    }
    let before = c.name("before").map_or("", |b| b.as_str()).to_lowercase();
    // A past verb after its subject, not an adjective or an infinitive.
    !NOT_A_SUBJECT.contains(&before.as_str()) && !before.ends_with("ly")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(sentence: &str, expected: Option<Outcome>) {
        assert_eq!(of(sentence).map(|c| c.outcome), expected, "{sentence}");
    }

    #[test]
    fn tense_aspect_and_polarity() {
        use Outcome::*;
        check(
            "The coast guards conducted their first joint patrol in May.",
            Some(Fulfilled),
        );
        check("The survey has now been finished.", Some(Fulfilled));
        check(
            "Work on the corridor is progressing well.",
            Some(InProgress),
        );
        check(
            "The two navies further expanded their exchanges.",
            Some(InProgress),
        );
        check(
            "Rome and Tokyo will keep standing by Kyiv.",
            Some(Reaffirmed),
        );
        check(
            "The dialogue had not convened since 2019.",
            Some(NotFulfilled),
        );
        check(
            "The two leaders agreed to hold a joint exercise next year.",
            None,
        );
        check("They discussed the regional situation.", None);
        check("They welcomed the agreed roadmap.", None);
        check(
            "The minister thanked them for the Trade Mission led by the secretary in March.",
            Some(Fulfilled),
        );
    }
}
