//! What two texts share: named instruments (acronyms, capitalised names) and
//! content words, stemmed so "exercises" meets "exercise" and "maritime
//! security dialogue" meets "dialogue on maritime security". Spelling
//! variants ("programme", "defence", "normalise") and a few synonyms of the
//! diplomatic vocabulary ("talks" for "negotiations") meet on one form.

use crate::lexicon::{CAPITALS, GENERIC, KIN, NAME_HEADS, NATIONS, PHRASES, SAME, SPELLED, STOP};
use regex::Regex;
use std::collections::BTreeMap;
use std::collections::BTreeSet;
use std::sync::LazyLock;

static TOKEN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[\p{L}\d][\p{L}\d&+'-]*").expect("valid"));
/// A run of capitalised words, with the function words names use inside.
static CAPITALISED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b\p{Lu}[\p{L}\d'’-]*(?:\s+(?:(?:of|for|and|on|in|the|to)\s+){0,2}\p{Lu}[\p{L}\d'’-]*)+",
    )
    .expect("valid")
});
/// "the Reciprocal Access Agreement (RAA)": an acronym and the words it
/// stands for.
static DEFINED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\(([A-Z][A-Za-z0-9&+-]*[A-Z][A-Za-z0-9&+-]*)\)").expect("valid"));

/// Whether a stem names a country or its people.
pub(crate) fn is_nation(stem_: &str) -> bool {
    static STEMS: LazyLock<BTreeSet<String>> =
        LazyLock::new(|| NATIONS.iter().map(|n| stem(n)).collect());
    STEMS.contains(stem_)
}

/// The class of kindred words a stem belongs to, if any.
pub(crate) fn kin_of(stem_: &str) -> Option<usize> {
    static CLASSES: LazyLock<BTreeMap<String, usize>> = LazyLock::new(|| {
        KIN.iter()
            .enumerate()
            .flat_map(|(i, words)| words.iter().map(move |w| (stem(w), i)))
            .collect()
    });
    CLASSES.get(stem_).copied()
}

/// A token without its possessive ending: "CSG's" is "CSG".
fn possessive(token: &str) -> &str {
    token
        .strip_suffix("'s")
        .or_else(|| token.strip_suffix("\u{2019}s"))
        .unwrap_or(token)
}

/// A light stemmer: enough to meet plural and tense variants.
pub fn stem(word: &str) -> String {
    let w = word.to_lowercase().replace(['\'', '\u{2019}'], "");
    let w = w.trim_end_matches("s'");
    for (suffix, min) in [
        ("ations", 4),
        ("ation", 4),
        ("ments", 4),
        ("ment", 4),
        ("ness", 6),
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

pub(crate) fn is_stop(word: &str) -> bool {
    let w = word.to_lowercase();
    STOP.contains(&w.as_str())
}

/// The stemmed content words of a text, in order (repeats kept). Two-word
/// set phrases ("reciprocal visits", "shuttle diplomacy") become one word.
pub(crate) fn content_sequence(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut previous = String::new();
    for m in TOKEN.find_iter(text) {
        let raw = possessive(m.as_str()).trim_end_matches(['-', '\'']);
        let first = std::mem::replace(&mut previous, raw.to_lowercase());
        // "EU-Mercosur" meets "the European Union and Mercosur".
        if let Some((_, long)) = SPELLED
            .iter()
            .find(|(short, _)| raw == *short || raw.split('-').any(|p| p == *short))
        {
            out.extend(long.split(' ').map(stem));
        }
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
        match PHRASES.iter().find(|(a, b, _)| *a == first && *b == s) {
            Some((a, _, one)) => {
                if out.last() == Some(&stem(a)) {
                    out.pop();
                }
                out.extend(one.split(' ').map(stem));
            }
            None => out.push(s),
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
    let countries: Vec<String> = sequence
        .iter()
        .filter_map(|w| CAPITALS.iter().find(|(c, _)| c == w))
        .map(|(_, country)| (*country).to_owned())
        .collect();
    sequence.into_iter().chain(parts).chain(countries).collect()
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
    // "IK-CEPA", "KF-21": every part capitals or digits; not a pair of
    // parties ("EU-US").
    if token.contains('-') {
        let parts: Vec<&str> = token.split('-').collect();
        let capitals = token.chars().filter(char::is_ascii_uppercase).count();
        let shaped = parts.iter().all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        });
        let parties = parts
            .iter()
            .filter(|p| p.chars().any(|c| c.is_ascii_uppercase()))
            .all(|p| GENERIC.contains(p));
        return shaped && capitals >= 2 && !parties;
    }
    let letters = token.chars().filter(|c| c.is_alphabetic()).count();
    let capitals = token.chars().filter(|c| c.is_uppercase()).count();
    // "H2Uppp", "CO2": a digit among capitals makes a coined name too
    let coined =
        token.starts_with(|c: char| c.is_uppercase()) && token.chars().any(|c| c.is_ascii_digit());
    capitals >= 2
        && (capitals * 2 >= letters || coined || camel_cased(token))
        && !token.contains('-')
        && !GENERIC.contains(&token)
}

/// "EastMed", "digitalFIJI": a capital after a word's own small letters
/// coins a name; not after a surname's prefix ("McCully", "DeSantis",
/// "MacArthur").
fn camel_cased(token: &str) -> bool {
    let chars: Vec<char> = token.chars().collect();
    chars
        .windows(2)
        .position(|w| w[0].is_lowercase() && w[1].is_uppercase())
        .is_some_and(|at| {
            at >= 2
                && !chars[..=at]
                    .iter()
                    .collect::<String>()
                    .eq_ignore_ascii_case("mac")
        })
}

/// The head noun of a name from [`instruments`]: its last word that is one
/// ("summit" of "g20 summit delhi").
pub(crate) fn name_head(name: &str) -> Option<&str> {
    static HEADS: LazyLock<BTreeSet<String>> = LazyLock::new(|| {
        NAME_HEADS
            .iter()
            .flat_map(|h| content_sequence(h))
            .collect()
    });
    name.split(' ').rev().find(|w| HEADS.contains(*w))
}

pub(crate) fn is_name_head(word: &str) -> bool {
    let w = word.to_lowercase();
    let w = w.trim_end_matches(['\'', '’', ',']).trim_end_matches("'s");
    NAME_HEADS.contains(&w)
}

/// Named instruments in a text: acronyms and capitalised names of plans,
/// programmes, agreements…, normalised to lower case.
pub fn instruments(text: &str) -> BTreeSet<String> {
    // "the Mexico–Turkey Binational Commission", "the Lebanon – Sri Lanka
    // Joint Commission": a dash between two capitalised words joins them
    // into one name.
    static DASHED: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(\p{Lu}[\p{L}]*)\s*[–—]\s*(\p{Lu})").expect("valid"));
    let text = &*DASHED.replace_all(text, "$1-$2");
    let mut out: BTreeSet<String> = TOKEN
        .find_iter(text)
        .map(|m| possessive(m.as_str()).trim_end_matches(['-', '\'']))
        .map(|a| a.strip_suffix("s").filter(|b| is_acronym(b)).unwrap_or(a))
        .filter(|a| is_acronym(a))
        // "IEU-CEPA" also names the "CEPA" it is of: an acronym part of a
        // compound acronym is itself a name.
        .flat_map(|a| {
            let parts = a.split('-').filter(|p| p.len() >= 3 && is_acronym(p));
            std::iter::once(a).chain(parts.filter(move |_| a.contains('-')))
        })
        .map(str::to_lowercase)
        .collect();
    out.extend(
        CAPITALISED
            .find_iter(text)
            .map(|m| m.as_str())
            .map(|m| {
                // "the Intergovernmental Consultations in New Delhi": the
                // name ends at its head; "in …" says where.
                m.split(" in ")
                    .next()
                    .filter(|n| n.split_whitespace().any(is_name_head))
                    .unwrap_or(m)
            })
            .filter(|m| m.split_whitespace().any(is_name_head))
            .map(|m| {
                // The head names the thing even when it is an everyday word
                // ("the Annual Leaders' Meeting").
                let mut words = content_sequence(m);
                if let Some(head) = m.split_whitespace().last().filter(|w| is_name_head(w)) {
                    let head = stem(head.trim_end_matches(['\'', '’', ',']));
                    if words.last() != Some(&head) {
                        words.push(head);
                    }
                }
                // "the Morocco–Ghana Business Forum" is "the Ghana–Morocco
                // Business Forum": a pair of parties in either order
                for word in words.iter_mut().filter(|w| w.matches('-').count() == 1) {
                    let mut parts: Vec<&str> = word.split('-').collect();
                    parts.sort_unstable();
                    *word = parts.join("-");
                }
                words.join(" ")
            })
            .filter(|n| n.contains(' ')),
    );
    out.retain(|n| !n.is_empty());
    out
}

/// Acronyms a text defines, with the content words they stand for:
/// "Open General Export Licence (OGEL)" gives ("ogel", "open general export
/// licenc"). The words before the brackets must spell the acronym.
pub(crate) fn definitions(text: &str) -> Vec<(String, String)> {
    DEFINED
        .captures_iter(text)
        .filter_map(|c| {
            let acronym = c.get(1)?.as_str();
            let before = &text[..c.get(0)?.start()];
            let words: Vec<&str> = before.split_whitespace().rev().take(12).collect();
            let letters: Vec<char> = acronym
                .chars()
                .filter(|c| c.is_alphabetic())
                .rev()
                .collect();
            let (skipped, used) = spell(&words, &letters)?;
            let phrase: Vec<String> = words[skipped..used]
                .iter()
                .rev()
                .flat_map(|w| content_sequence(w))
                .collect();
            (phrase.len() >= 2).then(|| (acronym.to_lowercase(), phrase.join(" ")))
        })
        .collect()
}

/// Which of `words` (read backwards: skipped, then used) spell `letters`
/// (backwards), each
/// word giving its initial (or the initials of its hyphenated parts) and
/// function words giving one or none.
fn spell(words: &[&str], letters: &[char]) -> Option<(usize, usize)> {
    fn go(words: &[&str], letters: &[char], used: usize) -> Option<usize> {
        if letters.is_empty() {
            return Some(used);
        }
        let word = words.first()?.trim_matches(|c: char| !c.is_alphanumeric());
        let initials: Vec<char> = word
            .split('-')
            .filter_map(|p| p.chars().next())
            .map(|c| c.to_ascii_lowercase())
            .collect();
        let want = |cs: &[char]| {
            cs.iter()
                .rev()
                .map(|c| c.to_ascii_lowercase())
                .collect::<Vec<_>>()
        };
        let function = matches!(
            word.to_lowercase().as_str(),
            "of" | "for" | "and" | "on" | "in" | "the" | "to" | "&"
        );
        for n in [initials.len(), 1] {
            if n >= 1
                && n <= letters.len()
                && initials.len() >= n
                && want(&letters[..n]) == initials[initials.len() - n..]
            {
                if let Some(u) = go(&words[1..], &letters[n..], used + 1) {
                    return Some(u);
                }
            }
        }
        if function {
            return go(&words[1..], letters, used + 1);
        }
        None
    }
    let function = |w: &&str| matches!(w.to_lowercase().as_str(), "for" | "of" | "on" | "in");
    // "Indo-Pacific Economic Framework for Prosperity (IPEF)": a trailing
    // "for …" the acronym leaves out.
    go(words, letters, 0)
        .map(|u| (0, u))
        .or_else(|| match words {
            [_, f, rest @ ..] if function(f) => go(rest, letters, 2).map(|u| (2, u)),
            _ => None,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pair_of_parties_names_one_thing_in_either_order() {
        let a = instruments("A Ghana–Morocco Business Forum was held on 13 November.");
        let b = instruments("They agreed to organise a Morocco–Ghana Business Forum in Accra.");
        assert!(
            !a.is_empty() && a.intersection(&b).count() == 1,
            "{a:?} {b:?}"
        );
        let b = instruments("to establish a Turkmen-Qatari Intergovernmental Commission");
        assert!(
            b.contains("qatari-turkmen intergovernmental commission"),
            "{b:?}"
        );
    }

    #[test]
    fn stems_meet_variants() {
        assert_eq!(stem("exercises"), stem("exercise"));
        assert_eq!(stem("negotiations"), stem("negotiation"));
        assert_eq!(stem("strategies"), stem("strategy"));
        assert_eq!(stem("signed"), stem("sign"));
        assert_eq!(stem("programme"), stem("program"));
        assert_eq!(stem("defence"), stem("defense"));
        assert_eq!(stem("normalised"), stem("normalized"));
        // "the tax treaty" for "the convention for the avoidance of double taxation"
        assert_eq!(stem("taxation"), stem("tax"));
    }

    #[test]
    fn set_phrases_for_one_thing_meet() {
        let words = |t: &str| content_words(t);
        for (a, b) in [
            (
                "the youth mobility scheme",
                "an Agreement on a Working Holiday Programme",
            ),
            (
                "the memorandum on digital governance",
                "cooperation in e-governance",
            ),
            ("exports of beef", "a certificate for bovine meat"),
        ] {
            let (a, b) = (words(a), words(b));
            assert!(a.intersection(&b).next().is_some(), "{a:?} / {b:?}");
        }
        // the words of a phrase alone are not it
        assert!(!words("a holiday").contains("mobility"));
    }

    #[test]
    fn a_name_headed_by_an_everyday_word_is_still_a_name() {
        let want = BTreeSet::from(["annual meet".to_owned()]);
        assert_eq!(
            instruments("held the eighth Annual Leaders' Meeting in Sydney"),
            want
        );
        assert_eq!(
            instruments("the next Annual Leaders' Meeting would be held"),
            want
        );
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
        // a digit among capitals: a coined programme name
        let i = instruments("support through the H2Uppp programme and CO2 capture");
        assert!(i.contains("h2uppp") && i.contains("co2"), "{i:?}");
        // a capital inside a word coins one; a surname's prefix does not
        let i = instruments("Minister McCully and MacArthur backed the EastMed pipeline");
        assert_eq!(i, ["eastmed".to_string()].into(), "{i:?}");
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
