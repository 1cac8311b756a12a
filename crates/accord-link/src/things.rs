//! The things promises are about, named the way readouts name them in
//! lower case: a head noun and the words that say which one. "The
//! readmission agreement", "an agreement on the readmission of persons" and
//! "the agreement on social security" / "a Social Security Agreement (SSA)"
//! each name one thing two ways; shared words alone weigh too little when
//! the promise is long.

use crate::text::{is_nation, is_stop, kin_of, stem};
use regex::Regex;
use std::collections::BTreeSet;
use std::sync::LazyLock;

/// Nouns that name an instrument, a body or a programme.
const HEADS: &[&str] = &[
    "agreement",
    "agreements",
    "treaty",
    "accord",
    "memorandum",
    "mou",
    "arrangement",
    "convention",
    "pact",
    "deal",
    "partnership",
    "dialogue",
    "group",
    "committee",
    "commission",
    "council",
    "forum",
    "fund",
    "facility",
    "programme",
    "program",
    "centre",
    "center",
    "plan",
    "roadmap",
    "initiative",
    "corridor",
    "mechanism",
    "framework",
    "consultations",
    "negotiations",
    "talks",
    "study",
    "project",
    "office",
    "embassy",
    "consulate",
    "school",
    "schools",
    "conference",
    "festival",
    "exhibition",
    "fair",
    "course",
    "seminar",
    "workshop",
    "campus",
    "laboratory",
    "institute",
    "exercise",
    "scholarships",
    "mission",
    "line",
    "plant",
    "platform",
    "declaration",
];

/// Words that say little about which one: most instruments are bilateral,
/// joint, new or about cooperation.
const GENERIC: &[&str] = &[
    "cooperation",
    "collaboration",
    "bilateral",
    "joint",
    "new",
    "strategic",
    "comprehensive",
    "partnership",
    "enhanced",
    "framework",
    "general",
    "first",
    "second",
    "third",
    "next",
    "annual",
    "high-level",
    "level",
    "senior",
    "officials",
    "official",
    "two",
    "countries",
    "country",
    "ministerial",
    "working",
    "broader",
    "wider",
    "economic",
    "future",
    "planned",
    "proposed",
    "relevant",
    "respective",
    "expert",
    "experts",
    "technical",
    "intergovernmental",
    "government",
    "governments",
    "regional",
    "international",
    "national",
    "mutual",
    "possible",
    "related",
];

/// [`GENERIC`] as stems, built once ("officials" and "official" alike).
static GENERIC_STEMS: LazyLock<BTreeSet<String>> =
    LazyLock::new(|| GENERIC.iter().map(|g| stem(g)).collect());

/// Words before the head that end its description.
const DETERMINERS: &[&str] = &[
    "the", "a", "an", "its", "their", "our", "this", "that", "these", "those", "and", "or", "of",
    "on", "in", "for", "to", "with", "by", "his", "her", "new",
];

/// Words after the head that end its description.
const STOPS_AFTER: &[&str] = &[
    "that", "which", "who", "to", "with", "between", "by", "within", "under", "during", "at",
    "from", "before", "after", "as", "was", "were", "is", "are", "had", "has", "have", "will",
    "would", "be", "been", "signed", "held", "set", "launched", "agreed",
];

static WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[\p{L}\p{N}'’-]+|[.,;:()]").expect("valid"));

/// A head noun (as its kin class or its stem) and the specific words that
/// say which one.
pub(crate) type Thing = (String, BTreeSet<String>);

/// Where a mission sits: "in Skopje", "in the North Macedonian capital",
/// "to Armenia".
static SEAT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\s+of\s+(?:the\s+)?\p{Lu}[\p{L}'’-]+(?:\s+\p{Lu}[\p{L}'’-]+){0,3})?\s+(?:in|to)\s+((?:the\s+)?\p{Lu}[\p{L}'’-]+(?:\s+\p{Lu}[\p{L}'’-]+){0,2}(?:\s+capital)?)")
        .expect("valid")
});

/// A diplomatic mission by the country it sits in: "the Hungarian
/// diplomatic mission in Antananarivo" and "an embassy in Antananarivo",
/// "a permanent diplomatic mission in the North Macedonian capital" and "a
/// resident embassy in Skopje" are one thing.
fn mission_seat(text: &str, head_end: usize) -> Option<BTreeSet<String>> {
    let seat = SEAT.captures(&text[head_end..])?.get(1)?.as_str();
    let parties = accord_extract::parties_named(seat, None);
    (!parties.is_empty()).then(|| {
        parties
            .iter()
            .map(|p| format!("@{}", p.as_str().to_lowercase()))
            .collect()
    })
}

/// The things `text` names.
pub(crate) fn things(text: &str) -> Vec<Thing> {
    let found: Vec<regex::Match> = WORD.find_iter(text).collect();
    let toks: Vec<String> = found.iter().map(|m| m.as_str().to_lowercase()).collect();
    let mut out = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        let diplomatic = t == "mission"
            && toks[i.saturating_sub(2)..i]
                .iter()
                .any(|w| w == "diplomatic");
        if diplomatic || t == "embassy" {
            if let Some(seat) = mission_seat(text, found[i].end()) {
                out.push((head_key("embassy"), seat));
                continue;
            }
        }
        if !HEADS.contains(&t.as_str()) {
            continue;
        }
        let mut which = BTreeSet::new();
        // before: "the hydrogen cooperation agreement"
        for w in toks[i.saturating_sub(3)..i].iter().rev() {
            if !word_like(w) || DETERMINERS.contains(&w.as_str()) {
                break;
            }
            add(&mut which, w);
        }
        // after: "agreement on the readmission of persons"
        if matches!(
            toks.get(i + 1).map(String::as_str),
            Some("on" | "for" | "of" | "concerning" | "regarding" | "in")
        ) {
            for w in toks.iter().skip(i + 2).take(7) {
                if !word_like(w) || STOPS_AFTER.contains(&w.as_str()) {
                    break;
                }
                add(&mut which, w);
            }
        }
        if !which.is_empty() {
            out.push((head_key(t), which));
        }
    }
    out
}

/// A head noun as things are compared by: its kin class, or its stem.
fn head_key(head: &str) -> String {
    let s = stem(head);
    kin_of(&s).map_or(s, |k| format!("kin{k}"))
}

fn word_like(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_alphanumeric)
}

/// Adds the specific stems of `w` (and of its hyphenated parts).
fn add(which: &mut BTreeSet<String>, w: &str) {
    for part in std::iter::once(w).chain(w.split('-').filter(|_| w.contains('-'))) {
        if part.len() < 3 || is_stop(part) {
            continue;
        }
        let s = stem(part);
        if !is_nation(&s) && !GENERIC_STEMS.contains(&s) {
            which.insert(s);
        }
    }
}

/// Whether two lists name one thing: the same head and the words that say
/// which, all of them when one side has one ("the readmission agreement"),
/// two when both say more ("an investment protection agreement" is not "an
/// agreement on the protection of classified information").
pub(crate) fn same_thing(a: &[Thing], b: &[Thing]) -> bool {
    a.iter().any(|(ha, wa)| {
        b.iter().any(|(hb, wb)| {
            let needed = wa.len().min(wb.len()).min(2);
            ha == hb && wa.intersection(wb).count() >= needed
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_thing_named_two_ways() {
        for (a, b, same) in [
            (
                "The agreement on social security was signed today.",
                "concluding a Social Security Agreement (SSA)",
                true,
            ),
            (
                "Negotiations on the readmission agreement are continuing.",
                "would sign an agreement on the readmission of persons without the right to stay",
                true,
            ),
            (
                "the information security agreement remained under negotiation",
                "including the signing of a security of information agreement",
                true,
            ),
            (
                "The transport working group met twice.",
                "establish a joint working group on low-carbon transport",
                true,
            ),
            (
                "the hydrogen cooperation agreement",
                "an agreement on cooperation in green hydrogen and renewable energy",
                true,
            ),
            (
                "inaugurated the Embassy of India in Vilnius, which began functioning in March",
                "the decision of the Government of India to open a resident Embassy in Vilnius",
                true,
            ),
            (
                "three Ghanaian diplomats completed a language and culture course in July",
                "will host Ghanaian diplomats in its Spanish language and Mexican culture course",
                true,
            ),
            (
                "the new Hungarian diplomatic mission in Antananarivo, which opened its doors in November 2019",
                "decided to open an embassy in Antananarivo",
                true,
            ),
            (
                "continued to examine the establishment of a permanent diplomatic mission in the North Macedonian capital",
                "it would consider the opening of a resident embassy in Skopje",
                true,
            ),
            // an embassy in another capital
            (
                "opened its Embassy in Riga in May",
                "to open a resident Embassy in Vilnius",
                false,
            ),
            // the same head, nothing specific shared
            (
                "the bilateral cooperation agreement",
                "an agreement on cooperation in green hydrogen",
                false,
            ),
            // the same topic, another kind of thing
            ("the hydrogen fund", "an agreement on green hydrogen", false),
            // one word in common, each saying more
            (
                "signed an agreement on the mutual protection of classified information",
                "an investment protection agreement",
                false,
            ),
        ] {
            assert_eq!(same_thing(&things(a), &things(b)), same, "{a:?} / {b:?}");
        }
    }
}
