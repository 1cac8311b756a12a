//! Topics of a commitment from the keyword vocabulary in `data/topics.tsv`
//! (extendable through `ExtraData::topics_tsv`), and its CAMEO code.

use crate::gazetteer::Gazetteer;
use accord_domain::Kind;

/// Topics whose keywords start a word of the clause.
pub(crate) fn topics(g: &Gazetteer, clause: &str) -> Vec<String> {
    let mut hit = vec![false; g.topics.len()];
    for m in g.topic_matcher.find_overlapping_iter(clause) {
        let starts_word = clause[..m.start()].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
        if starts_word {
            hit[g.topic_of[m.pattern().as_usize()]] = true;
        }
    }
    g.topics.iter().zip(hit).filter(|(_, h)| *h).map(|(t, _)| t.0.clone()).collect()
}

/// CAMEO "express intent" codes: 036 to meet or negotiate, 030 to cooperate,
/// 032 diplomatic (policy) support, 031 material cooperation, 033 aid
/// (0331 economic, 0332 military, 0333 humanitarian).
pub(crate) fn cameo(kind: Kind, lower: &str) -> &'static str {
    let has = |ws: &[&str]| ws.iter().any(|w| lower.contains(w));
    match kind {
        Kind::Meeting => "036",
        Kind::Cooperation => "030",
        Kind::Stance => "032",
        Kind::Action => {
            if has(&["negotiat"]) {
                "036"
            } else if has(&[
                "aid",
                "assistance",
                "support",
                "provide",
                "contribut",
                "yen",
                "dollar",
                "billion",
                "million",
                "equipment",
                "supplies",
                "aircraft",
            ]) {
                if has(&["humanitarian", "medical", "oxygen", "relief", "refugee", "food"]) {
                    "0333"
                } else if has(&[
                    "military",
                    "defence",
                    "defense",
                    "weapon",
                    "aircraft",
                    "navy",
                    "armed forces",
                    "ammunition",
                ]) {
                    "0332"
                } else {
                    "0331"
                }
            } else {
                "031"
            }
        }
    }
}
