//! What two texts share: named instruments (acronyms, capitalised names) and
//! content words, stemmed so "exercises" meets "exercise" and "maritime
//! security dialogue" meets "dialogue on maritime security". Spelling
//! variants ("programme", "defence", "normalise") and a few synonyms of the
//! diplomatic vocabulary ("talks" for "negotiations") meet on one form.

use regex::Regex;
use std::collections::BTreeSet;
use std::sync::LazyLock;

static TOKEN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[\p{L}\d][\p{L}\d&+'-]*").expect("valid"));
static NAMED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:[A-Z][a-z]+(?:-[A-Z][a-z]+)*\s+(?:(?:and|for|on|of|in)\s+)?){1,6}(?:Plan|Programme|Program|Agreement|Arrangement|Partnership|Treaty|Strategy|Framework|Dialogue|Initiative|Mechanism|Roadmap|Road Map|Compact|Accord|Charter|Declaration|Exercise|Fund|Facility|Centre|Center|Council|Forum|Group|Task Force|Corridor|Consultations|Summit|Memorandum|Vision|Agenda|Alliance|Coalition|Consensus|Mission|Scheme|Package|Pact|Office)\b")
        .expect("valid")
});
/// "the Reciprocal Access Agreement (RAA)": an acronym and the words it
/// stands for.
static DEFINED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\(([A-Z][A-Za-z0-9&+-]*[A-Z][A-Za-z0-9&+-]*)\)").expect("valid"));

/// Acronyms of parties and bodies everyone names: never an instrument.
const GENERIC: &[&str] = &[
    "NATO", "ASEAN", "UN", "EU", "USA", "US", "UK", "G7", "G20", "UNSC", "IAEA", "WTO", "ASEM",
    "AU", "ROK", "DPRK", "PRC", "UAE", "COVID-19", "COVID", "APEC", "OECD", "IMF", "WHO", "H.E",
    "I", "II", "III", "AM", "PM", "THE", "AND", "SDG", "SDGS", "QUAD", "PDR", "GDP", "CEO",
];

/// Function words and the boilerplate of every readout.
const STOP: &[&str] = &[
    "the",
    "and",
    "for",
    "that",
    "this",
    "with",
    "would",
    "will",
    "their",
    "they",
    "them",
    "from",
    "into",
    "such",
    "also",
    "both",
    "side",
    "sides",
    "leader",
    "leaders",
    "two",
    "further",
    "between",
    "which",
    "share",
    "view",
    "agree",
    "agreed",
    "concur",
    "concurred",
    "welcome",
    "welcomed",
    "reaffirm",
    "reaffirmed",
    "commitment",
    "commit",
    "committed",
    "include",
    "including",
    "well",
    "among",
    "other",
    "have",
    "has",
    "had",
    "been",
    "were",
    "was",
    "are",
    "its",
    "his",
    "her",
    "our",
    "we",
    "minister",
    "prime",
    "secretary",
    "general",
    "president",
    "chancellor",
    "foreign",
    "year",
    "next",
    "last",
    "these",
    "those",
    "continue",
    "continued",
    "close",
    "relation",
    "partner",
    "partners",
    "note",
    "noted",
    "express",
    "expressed",
    "said",
    "stated",
    "state",
    "states",
    "country",
    "countries",
    "bilateral",
    "both",
    "new",
    "first",
    "second",
    "third",
    "all",
    "any",
    "each",
    "more",
    "most",
    "very",
    "through",
    "toward",
    "towards",
    "under",
    "over",
    "upon",
    "within",
    "during",
    "before",
    "after",
    "since",
    "until",
    "about",
    "regard",
    "regarding",
    "per",
    "via",
    "who",
    "whom",
    "whose",
    "what",
    "when",
    "where",
    "while",
    "not",
    "yet",
    "now",
    "then",
    "than",
    "there",
    "here",
    "can",
    "could",
    "should",
    "shall",
    "may",
    "might",
    "must",
    "did",
    "does",
    "done",
    "being",
    "make",
    "made",
    "take",
    "taken",
    "took",
    "give",
    "given",
    "importance",
    "important",
    "work",
    "working",
    "efforts",
    "effort",
    "way",
    "ways",
    "area",
    "areas",
    "field",
    "fields",
    "including",
    "held",
    "hold",
    "meeting",
    "meet",
    "met",
    "visit",
    "one",
    "upon",
    "year's",
    "months",
    "month",
    "time",
    "times",
    "ministers",
    "government",
    "governments",
    "his",
    "hers",
    "mr",
    "ms",
    "mrs",
    "h.e",
    "excellency",
    "majesty",
    "said",
    "thanked",
    "thank",
    "pleased",
    "pleasure",
    "look",
    "looked",
    "forward",
    "early",
    "earliest",
    "possible",
    "appropriate",
    "relevant",
    "respective",
    "mutual",
    "together",
    "jointly",
    "joint",
    "other's",
    "was",
    "in",
    "of",
    "on",
    "to",
    "by",
    "at",
    "as",
    "an",
    "a",
    "or",
    "be",
    "is",
    "it",
    "he",
    "she",
    "i",
    "us",
    "so",
    "up",
    "do",
    "no",
    "if",
    "de",
    "la",
    "last",
    "ago",
    "today",
    "again",
    "than",
];

/// Spellings and near-synonyms that name the same thing, to one form
/// (applied to stems).
const SAME: &[(&str, &str)] = &[
    ("programm", "program"),
    ("centr", "center"),
    ("defenc", "defens"),
    ("labour", "labor"),
    ("organis", "organiz"),
    ("normalis", "normaliz"),
    ("finalis", "finaliz"),
    ("operationalis", "operationaliz"),
    ("realis", "realiz"),
    ("talk", "negoti"),
    ("accord", "agr"),
    ("pact", "agr"),
    ("citizen", "national"),
    ("evacuat", "evacu"),
    ("link", "connectivity"),
    ("connect", "connectivity"),
    ("trip", "visit"),
    ("reciprocal-visit", "shuttl"),
];

/// A light stemmer: enough to meet plural and tense variants.
pub fn stem(word: &str) -> String {
    let w = word.to_lowercase().replace(['\'', '\u{2019}'], "");
    let w = w.trim_end_matches("s'");
    for (suffix, min) in [
        ("ations", 4),
        ("ation", 4),
        ("ments", 4),
        ("ment", 4),
        ("ings", 4),
        ("ing", 4),
        ("ies", 3),
        ("ied", 3),
        ("ed", 4),
        ("es", 4),
        ("s", 4),
    ] {
        if let Some(base) = w.strip_suffix(suffix) {
            if base.len() >= min {
                return match suffix {
                    "ies" | "ied" => format!("{base}y"),
                    _ => canon(base.trim_end_matches('e')),
                };
            }
        }
    }
    canon(w.trim_end_matches('e'))
}

fn canon(stem: &str) -> String {
    SAME.iter()
        .find(|(from, _)| *from == stem)
        .map_or_else(|| stem.to_owned(), |(_, to)| (*to).to_owned())
}

fn is_stop(word: &str) -> bool {
    let w = word.to_lowercase();
    STOP.contains(&w.as_str())
}

/// The stemmed content words of a text, in order (repeats kept). Two-word
/// set phrases ("reciprocal visits", "shuttle diplomacy") become one word.
pub(crate) fn content_sequence(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for m in TOKEN.find_iter(text) {
        let raw = m.as_str().trim_end_matches(['-', '\'']);
        if raw.chars().count() < 3 && !raw.contains('+') || is_stop(raw) {
            continue;
        }
        if raw.chars().all(|c| c.is_ascii_digit() || c == ',') {
            continue;
        }
        let s = stem(raw);
        if s.chars().count() < 3 && !s.contains('+') {
            continue;
        }
        match (out.last().map(String::as_str), s.as_str()) {
            (Some("reciprocal" | "mutual"), "visit") | (Some("shuttl"), "diplomacy") => {
                out.pop();
                out.push(canon("reciprocal-visit"));
            }
            _ => out.push(s),
        }
    }
    out
}

/// Stemmed content words of a text, with the parts of compounds
/// ("EU-China" also gives "china").
pub fn content_words(text: &str) -> BTreeSet<String> {
    let sequence = content_sequence(text);
    let parts: Vec<String> = sequence
        .iter()
        .filter(|w| w.contains('-'))
        .flat_map(|w| w.split('-').map(str::to_owned).collect::<Vec<_>>())
        .filter(|p| p.chars().count() >= 3 && !is_stop(p))
        .map(|p| stem(&p))
        .collect();
    sequence.into_iter().chain(parts).collect()
}

/// Adjacent pairs of content words, order-free: "maritime security" in
/// "maritime security dialogue" and "dialogue on maritime security".
pub(crate) fn pairs(sequence: &[String]) -> BTreeSet<String> {
    sequence
        .windows(2)
        .filter(|w| w[0] != w[1])
        .map(|w| {
            let (a, b) = if w[0] < w[1] {
                (&w[0], &w[1])
            } else {
                (&w[1], &w[0])
            };
            format!("{a} {b}")
        })
        .collect()
}

/// An acronym: letters mostly capitals ("IPCP", "ReCAAP", "2+2"), not a
/// capitalised compound ("Self-Defense", "Australia-India").
fn is_acronym(token: &str) -> bool {
    if token.contains("+") {
        return token.chars().any(|c| c.is_ascii_digit());
    }
    let letters = token.chars().filter(|c| c.is_alphabetic()).count();
    let capitals = token.chars().filter(|c| c.is_uppercase()).count();
    capitals >= 2 && capitals * 2 >= letters && !token.contains('-') && !GENERIC.contains(&token)
}

/// Named instruments in a text: acronyms and capitalised names of plans,
/// programmes, agreements…, normalised to lower case.
pub fn instruments(text: &str) -> BTreeSet<String> {
    let mut out: BTreeSet<String> = TOKEN
        .find_iter(text)
        .map(|m| m.as_str().trim_end_matches(['-', '\'']))
        .map(|a| a.strip_suffix("s").filter(|b| is_acronym(b)).unwrap_or(a))
        .filter(|a| is_acronym(a))
        .map(str::to_lowercase)
        .collect();
    out.extend(
        NAMED
            .find_iter(text)
            .map(|m| content_sequence(m.as_str()).join(" ")),
    );
    out.retain(|n| !n.is_empty());
    out
}

/// Acronyms a text defines, with the content words they stand for:
/// "Open General Export Licence (OGEL)" gives ("ogel", "open general export
/// licenc").
pub(crate) fn definitions(text: &str) -> Vec<(String, String)> {
    DEFINED
        .captures_iter(text)
        .filter_map(|c| {
            let acronym = c.get(1)?;
            let letters = acronym
                .as_str()
                .chars()
                .filter(|c| c.is_uppercase())
                .count();
            let before = &text[..c.get(0)?.start()];
            let words: Vec<&str> = before
                .split_whitespace()
                .rev()
                .filter(|w| {
                    !matches!(
                        w.to_lowercase().as_str(),
                        "of" | "for" | "and" | "on" | "in" | "the" | "to"
                    )
                })
                .take(letters.clamp(2, 6))
                .collect();
            let phrase: Vec<String> = words.into_iter().rev().flat_map(content_sequence).collect();
            (phrase.len() >= 2).then(|| (acronym.as_str().to_lowercase(), phrase.join(" ")))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_meet_variants() {
        assert_eq!(stem("exercises"), stem("exercise"));
        assert_eq!(stem("negotiations"), stem("negotiation"));
        assert_eq!(stem("strategies"), stem("strategy"));
        assert_eq!(stem("signed"), stem("sign"));
        assert_eq!(stem("programme"), stem("program"));
        assert_eq!(stem("defence"), stem("defense"));
        assert_eq!(stem("normalised"), stem("normalized"));
    }

    #[test]
    fn instruments_are_names_not_parties() {
        let i = instruments(
            "Japan and NATO updated the IPCP and the Reciprocal Access Agreement (RAA).",
        );
        assert!(i.contains("ipcp") && i.contains("raa"), "{i:?}");
        assert!(!i.contains("nato"), "{i:?}");
        assert!(i.iter().any(|n| n.contains("reciprocal")), "{i:?}");
        let i = instruments("The Self-Defense Forces and the Australia-India partnership.");
        assert!(i.is_empty(), "{i:?}");
    }

    #[test]
    fn acronyms_are_defined_by_the_words_before() {
        let d = definitions("explore a reciprocal access agreement (RAA) to facilitate training");
        assert_eq!(
            d,
            vec![("raa".to_owned(), "reciprocal acces agr".to_owned())]
        );
    }

    #[test]
    fn set_phrases_and_unicode_words() {
        assert!(content_words("resume shuttle diplomacy")
            .is_subset(&content_words("the reciprocal visits resumed")));
        assert!(content_words("a dialogue in Nouméa").contains(&stem("Nouméa")));
    }
}
