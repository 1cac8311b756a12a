//! What the linker knows of a text before comparing it with another:
//! its words, word pairs, named instruments and the acronyms it defines,
//! the head nouns it uses ("plan", "summit", "target") and the ordinal of a
//! meeting it names ("the second Annual Summit"). Computed once per
//! commitment and once per sentence.

use crate::lexicon::ACRONYMS;
use crate::text::{
    content_sequence, content_words, definitions, instruments, is_name_head, is_nation, is_stop,
    kin_of, name_head, pairs,
};
use regex::Regex;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

/// What a head noun names: back-references ("the plan agreed last year")
/// and meetings are matched by class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Class {
    Meeting,
    Plan,
    Agreement,
    Target,
    Body,
    Study,
    Position,
    Support,
    /// "The pledge", "the commitment": any promise.
    Pledge,
    /// "The project": something to be done.
    Project,
}

/// Head nouns of the diplomatic vocabulary, by class.
pub(crate) const HEADS: &[(&str, Class)] = &[
    ("summit", Class::Meeting),
    ("meeting", Class::Meeting),
    ("dialogue", Class::Meeting),
    ("consultations", Class::Meeting),
    ("talks", Class::Meeting),
    ("round", Class::Meeting),
    ("session", Class::Meeting),
    ("visit", Class::Meeting),
    ("visits", Class::Meeting),
    ("2+2", Class::Meeting),
    ("conference", Class::Meeting),
    ("forum", Class::Meeting),
    ("event", Class::Meeting),
    ("shuttle diplomacy", Class::Meeting),
    ("plan", Class::Plan),
    ("roadmap", Class::Plan),
    ("road map", Class::Plan),
    ("agenda", Class::Plan),
    ("programme", Class::Plan),
    ("program", Class::Plan),
    ("strategy", Class::Plan),
    ("vision", Class::Plan),
    ("agreement", Class::Agreement),
    ("arrangement", Class::Agreement),
    ("treaty", Class::Agreement),
    ("memorandum", Class::Agreement),
    ("accord", Class::Agreement),
    ("pact", Class::Agreement),
    ("negotiations", Class::Agreement),
    ("target", Class::Target),
    ("goal", Class::Target),
    ("timetable", Class::Target),
    ("timeline", Class::Target),
    ("deadline", Class::Target),
    ("centre", Class::Body),
    ("center", Class::Body),
    ("office", Class::Body),
    ("fund", Class::Body),
    ("facility", Class::Body),
    ("task force", Class::Body),
    ("working group", Class::Body),
    ("council", Class::Body),
    ("commission", Class::Body),
    ("committee", Class::Body),
    ("mechanism", Class::Body),
    ("framework", Class::Body),
    ("initiative", Class::Body),
    ("partnership", Class::Body),
    ("corridor", Class::Body),
    ("study", Class::Study),
    ("survey", Class::Study),
    ("review", Class::Study),
    ("assessment", Class::Study),
    ("position", Class::Position),
    ("positions", Class::Position),
    ("stance", Class::Position),
    ("principles", Class::Position),
    ("support", Class::Support),
    ("assistance", Class::Support),
    ("funding", Class::Support),
    ("package", Class::Support),
    ("loan", Class::Support),
    ("grant", Class::Support),
    ("contribution", Class::Support),
    ("investment", Class::Support),
    ("relief", Class::Support),
    ("aid", Class::Support),
    ("format", Class::Meeting),
    ("group", Class::Body),
    ("mission", Class::Study),
    ("team", Class::Study),
    ("project", Class::Project),
    ("projects", Class::Project),
    ("pledge", Class::Pledge),
    ("promise", Class::Pledge),
    ("commitment", Class::Pledge),
    ("commitments", Class::Pledge),
    ("understanding", Class::Pledge),
    ("undertaking", Class::Pledge),
    ("assurance", Class::Pledge),
];

static WORD: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[\p{L}][\p{L}'’]*").expect("valid"));

/// Whether `words` spell `acronym` out: consecutive words (joined by "of",
/// "and", "the", "for", "on") whose initials are its letters, all
/// capitalised, or all content words when none is.
fn spells_out(words: &[(String, bool)], acronym: &str) -> bool {
    let letters: Vec<char> = acronym.chars().collect();
    if letters.len() < 2 || letters.len() > 6 || !letters.iter().all(|c| c.is_ascii_alphabetic()) {
        return false;
    }
    // Two letters spell only a capitalised name ending in its head noun:
    // "the AA" for "the Association Agreement".
    let short = letters.len() == 2;
    let connector = |w: &str| matches!(w, "of" | "and" | "the" | "for" | "on");
    (0..words.len()).any(|start| {
        let (mut i, mut j, mut capitals, mut plain) = (start, 0, true, true);
        while j < letters.len() && i < words.len() {
            let (w, cap) = (&words[i].0, words[i].1);
            if j > 0 && connector(w) {
                i += 1;
                continue;
            }
            if !w.starts_with(letters[j]) {
                return false;
            }
            capitals &= cap;
            plain &= !is_stop(w) && !is_nation(w);
            // "Intergovernmental" gives "IG" of "IGC", "IGAD".
            let inter = w.len() > 5
                && w.starts_with("inter")
                && letters.get(j + 1).is_some_and(|&l| w[5..].starts_with(l));
            i += 1;
            j += if inter { 2 } else { 1 };
        }
        let named = !short || words.get(i - 1).is_some_and(|(w, _)| is_name_head(w));
        j == letters.len() && (capitals || plain && !short) && named
    })
}

/// Whether `words` say what a known acronym stands for: its words in a
/// row, "of", "on" and "for" between them allowed.
fn stands_for(acronym: &str, words: &[(String, bool)]) -> bool {
    let connector = |w: &str| matches!(w, "of" | "on" | "for");
    let said: Vec<&str> = words
        .iter()
        .map(|(w, _)| w.as_str())
        .filter(|w| !connector(w))
        .collect();
    ACRONYMS
        .iter()
        .filter(|(a, _)| *a == acronym)
        .any(|(_, meaning)| said.windows(meaning.len()).any(|run| run == *meaning))
}

static ORDINAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(first|inaugural|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d{1,2}(?:st|nd|rd|th))\b((?:\s+[\w'+-]+){0,5}?)\s+(summit|consultations|dialogue|meeting|round|session|2\+2|conference|talks)\b")
        .expect("valid")
});

/// Words that tell a deadline: "by 2024", "within one year".
static DEADLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(by|within|before|in) (the end of |end-)?((19|20)\d\d|the coming|one|two|three|a year|next year|this year|[A-Z][a-z]+ (19|20)\d\d)|\bat an early date\b|\bby [A-Z][a-z]+\b|\b(?:in|over|within) the (?:next|coming) (?:\w+ )?(?:years?|months?)\b")
        .expect("valid")
});

/// How many content words make a text's core.
const CORE_WORDS: usize = 4;

#[derive(Debug, Clone, Default)]
pub(crate) struct Features {
    pub words: BTreeSet<String>,
    /// The classes of kindred words ([`crate::lexicon::KIN`]) its words are of.
    pub kin: BTreeSet<usize>,
    pub pairs: BTreeSet<String>,
    pub names: BTreeSet<String>,
    /// Those of `names` taken from the promise's context, not its words.
    pub context_names: BTreeSet<String>,
    /// Acronyms the text defines, with what they stand for.
    pub defs: Vec<(String, String)>,
    /// Content words joined by spaces, padded: " reciprocal acces agr ".
    pub joined: String,
    /// Head nouns present, lower case.
    pub heads: BTreeSet<&'static str>,
    /// Meeting ordinals: (1 for first…, meeting noun).
    pub ordinals: Vec<(u32, String)>,
    pub has_deadline: bool,
    /// The first content words: what a promise is about ("youth mobility
    /// agreement"), before the clauses that elaborate it.
    pub core: BTreeSet<String>,
    /// Every word in order, lower case, and whether it was capitalised: to
    /// see an acronym spelled out ("the BIT", "a Bilateral Investment
    /// Treaty").
    pub spelled: Vec<(String, bool)>,
    /// Things named by a head noun and the words that say which one.
    pub things: Vec<crate::things::Thing>,
    /// Where something is or was to be held: "in Valletta", "in La Paz"
    /// (towns and regions, not countries), lower case.
    pub places: BTreeSet<String>,
}

impl Features {
    pub fn of(text: &str) -> Features {
        let sequence = content_sequence(text);
        let lower = text.to_lowercase();
        let words = content_words(text);
        Features {
            kin: words.iter().filter_map(|w| kin_of(w)).collect(),
            words,
            pairs: pairs(&sequence),
            names: instruments(text),
            context_names: BTreeSet::new(),
            defs: definitions(text),
            joined: format!(" {} ", sequence.join(" ")),
            heads: HEADS
                .iter()
                .filter(|(h, _)| contains_word(&lower, h))
                .map(|(h, _)| *h)
                .collect(),
            ordinals: ORDINAL
                .captures_iter(&lower)
                .filter_map(|c| Some((ordinal(c.get(1)?.as_str())?, c.get(3)?.as_str().to_owned())))
                .collect(),
            has_deadline: DEADLINE.is_match(text),
            core: sequence.iter().take(CORE_WORDS).cloned().collect(),
            spelled: WORD
                .find_iter(text)
                .map(|m| {
                    let w = m.as_str();
                    (w.to_lowercase(), w.starts_with(|c: char| c.is_uppercase()))
                })
                .collect(),
            things: crate::things::things(text),
            places: crate::places::places(text),
        }
    }

    pub fn classes(&self) -> BTreeSet<Class> {
        self.heads.iter().filter_map(|h| class_of(h)).collect()
    }

    /// Names both texts use: shared acronyms and names, and an acronym one
    /// defines whose words the other spells out.
    pub fn shared_names(&self, other: &Features) -> Vec<String> {
        let mut out: BTreeSet<String> = self.names.intersection(&other.names).cloned().collect();
        // "Critical Minerals Investment Partnership" in "the Australia-India
        // Critical Minerals Investment Partnership".
        for a in self.names.iter().filter(|n| n.contains(' ')) {
            for b in other.names.iter().filter(|n| n.contains(' ')) {
                let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
                let words: BTreeSet<&str> = long.split(' ').collect();
                if short.split(' ').all(|w| words.contains(w)) {
                    out.insert(short.clone());
                }
            }
        }
        // "Presidential Trade and Investment Mission" in "President Biden
        // for the Presidential Trade and Investment Mission" and in
        // "Presidential Trade and Investment Mission to the Philippines":
        // capitalised runs that share a name of three words or more.
        for a in self.names.iter().filter(|n| n.contains(' ')) {
            for b in other.names.iter().filter(|n| n.contains(' ')) {
                if let Some(core) = common_run(a, b).filter(|r| name_head(r).is_some()) {
                    out.insert(core);
                }
            }
        }
        // "KF21" and "KF-21", "Trans-Pacific Partnership" and "Transpacific
        // Partnership": one name spelled two ways.
        for a in &self.names {
            if let Some(b) = other.names.iter().find(|b| same_name(a, b)) {
                out.insert(a.min(b).clone());
            }
        }
        // "the BIT" for "a Bilateral Investment Treaty", "MDA" for
        // "maritime domain awareness": an acronym the other spells out; "the
        // DTA" for "an agreement on the avoidance of double taxation": one
        // the diplomatic vocabulary knows.
        for (a, b) in [(self, other), (other, self)] {
            for n in a.names.iter().filter(|n| !b.names.contains(*n)) {
                // two letters name a thing only after "the" ("the AA"), not
                // a person's title ("CS Mudavadi")
                let thing = n.len() > 2
                    || a.spelled
                        .windows(2)
                        .any(|w| w[0].0 == "the" && w[1].0 == *n);
                if thing && spells_out(&b.spelled, n) || stands_for(n, &b.spelled) {
                    out.insert(n.clone());
                }
            }
        }
        for (a, b) in [(self, other), (other, self)] {
            for (acronym, phrase) in &a.defs {
                if b.names.contains(acronym) || b.joined.contains(&format!(" {phrase} ")) {
                    out.insert(acronym.clone());
                }
            }
        }
        out.into_iter().collect()
    }

    /// Words of this text the other does not use but says in kindred words
    /// ("negotiations" when the other says "talks").
    pub fn kindred(&self, other: &Features) -> Vec<String> {
        self.words
            .iter()
            .filter(|w| !other.words.contains(*w))
            .filter(|w| {
                kin_of(w).is_some_and(|k| other.kin.contains(&k))
                    || other.words.iter().any(|o| derived(w, o))
            })
            .cloned()
            .collect()
    }

    /// Whether the two give a meeting the same number, whatever they call
    /// it: "the Third Meeting of the Mechanism" and "the 3rd Policy
    /// Consultations", "the inaugural consultations" and "the first
    /// meeting".
    pub fn same_ordinal(&self, other: &Features) -> bool {
        self.ordinals
            .iter()
            .any(|(n, _)| other.ordinals.iter().any(|(m, _)| m == n))
    }

    /// Whether the two name different meetings of one series ("the second
    /// round" for "the first round"); a text naming both ("the first round
    /// in May, the third in January") does not clash.
    pub fn ordinal_clash(&self, other: &Features) -> bool {
        let of = |f: &Features, noun: &str| -> Vec<u32> {
            f.ordinals
                .iter()
                .filter(|(_, m)| m == noun)
                .map(|(n, _)| *n)
                .collect()
        };
        self.ordinals.iter().any(|(_, noun)| {
            let (ours, theirs) = (of(self, noun), of(other, noun));
            !theirs.is_empty() && !ours.iter().any(|n| theirs.contains(n))
        })
    }
}

/// The promise's predicate: the verb after its modal ("would", "will",
/// "to") and the first words of its object.
static PREDICATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:would|will|shall|to)\s+((?:\S+\s+){1,6})").expect("valid")
});

/// How many of the content words of a promise's predicate (its verb and
/// the head of its object) a sentence says again.
pub(crate) fn predicate_match(commitment: &str, sf: &Features, names: &[String]) -> usize {
    let named: BTreeSet<&str> = names.iter().flat_map(|n| n.split(' ')).collect();
    let Some(m) = PREDICATE.captures(commitment).and_then(|c| c.get(1)) else {
        return 0;
    };
    crate::text::content_sequence(m.as_str())
        .into_iter()
        .take(3)
        .filter(|w| {
            !crate::text::is_nation(w) && !named.contains(w.as_str()) && sf.words.contains(w)
        })
        .count()
}

/// Whether two stems are forms of one word the stemmer keeps apart
/// ("expand" and "expansion", "elevat" and "elevation"): a common prefix of
/// five letters or more that is most of the shorter.
fn derived(a: &str, b: &str) -> bool {
    let common = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    let shorter = a.chars().count().min(b.chars().count());
    a != b && common >= 5 && common * 5 >= shorter * 4
}

/// The longest run of three or more words two names share, if any.
fn common_run(a: &str, b: &str) -> Option<String> {
    let (a, b): (Vec<&str>, Vec<&str>) = (a.split(' ').collect(), b.split(' ').collect());
    let mut best: &[&str] = &[];
    for i in 0..a.len() {
        for j in 0..b.len() {
            let n = a[i..]
                .iter()
                .zip(&b[j..])
                .take_while(|(x, y)| x == y)
                .count();
            if n > best.len() {
                best = &a[i..i + n];
            }
        }
    }
    (best.len() >= 3).then(|| best.join(" "))
}

/// Whether two names differ only in spelling: the same letters and digits
/// for an acronym; for a longer name, the same head and nearly the same
/// letter trigrams.
fn same_name(a: &str, b: &str) -> bool {
    let letters = |n: &str| -> String { n.chars().filter(|c| c.is_alphanumeric()).collect() };
    let (la, lb) = (letters(a), letters(b));
    if la == lb {
        return true;
    }
    if !a.contains(' ')
        || !b.contains(' ')
        || name_head(a) != name_head(b)
        || name_head(a).is_none()
    {
        return false;
    }
    let grams = |s: &str| -> BTreeSet<String> {
        let cs: Vec<char> = s.chars().collect();
        cs.windows(3).map(|w| w.iter().collect()).collect()
    };
    let (ga, gb) = (grams(&la), grams(&lb));
    let common = ga.intersection(&gb).count() as f32;
    common / (ga.len() + gb.len()) as f32 * 2.0 >= 0.85
}

pub(crate) fn class_of(head: &str) -> Option<Class> {
    HEADS.iter().find(|(h, _)| *h == head).map(|(_, c)| *c)
}

/// The last head noun of `text` before byte `at`, and its class.
pub(crate) fn head_before(text: &str, at: usize) -> Option<&'static str> {
    let lower = text[..at].to_lowercase();
    let mut from = lower.len().saturating_sub(70);
    while !lower.is_char_boundary(from) {
        from += 1;
    }
    let window = &lower[from..];
    HEADS
        .iter()
        .filter_map(|(h, _)| {
            window
                .match_indices(h)
                .filter(|(i, _)| word_at(window, *i, h.len()))
                .map(|(i, _)| i)
                .last()
                .map(|i| (i, *h))
        })
        .max_by_key(|(i, h)| (*i, h.len()))
        .map(|(_, h)| h)
}

fn ordinal(raw: &str) -> Option<u32> {
    let words = [
        "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
        "tenth",
    ];
    if raw == "inaugural" {
        return Some(1);
    }
    if let Some(i) = words.iter().position(|w| *w == raw) {
        return Some(i as u32 + 1);
    }
    raw.trim_end_matches(|c: char| c.is_alphabetic())
        .parse()
        .ok()
}

pub(crate) fn contains_word(haystack: &str, word: &str) -> bool {
    haystack
        .match_indices(word)
        .any(|(at, _)| word_at(haystack, at, word.len()))
}

fn word_at(haystack: &str, at: usize, len: usize) -> bool {
    let before = haystack[..at].chars().next_back();
    let after = haystack[at + len..].chars().next();
    !before.is_some_and(char::is_alphanumeric)
        && !after.is_some_and(|c| c.is_alphanumeric() && c != 's')
}

/// Inverse document frequency over the candidates' words: a word every
/// candidate has ("cooperation") tells them apart less than a rare one.
pub(crate) struct Idf {
    df: BTreeMap<String, usize>,
    n: usize,
}

impl Idf {
    pub fn new<'a>(docs: impl Iterator<Item = &'a BTreeSet<String>>) -> Idf {
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

    pub fn df(&self, word: &str) -> usize {
        self.df.get(word).copied().unwrap_or(0)
    }

    /// Only what words are rarer than one in ten candidates (and one in
    /// three) add: the evidence of shared rare words.
    pub fn rare_weight<'a>(&self, words: impl Iterator<Item = &'a String>) -> f32 {
        let base = self.idf((self.n / 10).max(2));
        words.map(|w| (self.idf(self.df(w)) - base).max(0.0)).sum()
    }

    fn idf(&self, df: usize) -> f32 {
        ((self.n as f32 + 1.0) / (df as f32 + 1.0)).ln() + 1.0
    }

    pub fn weight<'a>(&self, words: impl Iterator<Item = &'a String>) -> f32 {
        words
            .map(|w| ((self.n as f32 + 1.0) / (self.df(w) as f32 + 1.0)).ln() + 1.0)
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_acronym_meets_the_words_it_abbreviates() {
        let names = |a: &str, b: &str| Features::of(a).shared_names(&Features::of(b));
        assert!(names(
            "two rounds of BIT negotiations",
            "begin negotiations on a Bilateral Investment Treaty"
        )
        .contains(&"bit".to_owned()));
        assert!(names(
            "the MDA assistance",
            "provide $10 million for maritime domain awareness"
        )
        .contains(&"mda".to_owned()));
        assert!(names(
            "the JDCC met in Nairobi",
            "convene the Joint Defence Cooperation Committee"
        )
        .contains(&"jdcc".to_owned()));
        // initials of function words or countries spell nothing
        assert!(names("the BIT", "trade between India and Turkey").is_empty());
        assert!(names("the FTA", "the free flow of data").is_empty());
    }

    #[test]
    fn known_acronyms_prefixes_and_dashed_party_names_meet_the_name() {
        let names = |a: &str, b: &str| Features::of(a).shared_names(&Features::of(b));
        for (later, earlier, name) in [
            // initials in another order: a known acronym
            (
                "welcomed the resumption of the negotiations on the DTA",
                "negotiations on a convention for the avoidance of double taxation",
                "dta",
            ),
            // the JCC of a joint commission whose full name gives no C
            (
                "The 2nd Korea-Malawi JCC was held in Seoul on 26 April",
                "agreed to hold the second session of the Joint Commission in Seoul in 2021",
                "jcc",
            ),
            // "Intergovernmental" gives two letters
            (
                "the second IGC session could not be convened",
                "The second meeting of the Intergovernmental Commission will be held in 2021",
                "igc",
            ),
            // the parties' names before the name, joined by a dash
            (
                "co-chaired the Sixth Meeting of the Mexico–Turkey Binational Commission",
                "hold the Sixth Meeting of the Binational Commission in Mexico",
                "sixth binational commission",
            ),
        ] {
            assert!(
                names(later, earlier).contains(&name.to_owned()),
                "{later:?} / {earlier:?}: {:?}",
                names(later, earlier)
            );
        }
        // two letters: a capitalised name that ends in its head noun
        assert!(names(
            "the AA modernisation",
            "the modernisation of the EU–Chile Association Agreement"
        )
        .contains(&"aa".to_owned()));
        assert!(names("the AA", "an association agreement").is_empty());
        assert!(names("the AA", "the Air Asia flights").is_empty());
        assert!(names("CS Mudavadi", "the Climate Summit").is_empty());
        // a known acronym needs all its words
        assert!(names("the DTA", "double the taxation of imports").is_empty());
        assert!(names("the IGC", "an international commission").is_empty());
    }
}
