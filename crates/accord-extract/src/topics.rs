//! Topics of a commitment from the keyword vocabulary in `data/topics.tsv`
//! (extendable through `ExtraData::topics_tsv`), and its CAMEO code.

use crate::gazetteer::Gazetteer;
use accord_domain::Kind;

/// Topics whose keywords start a word of the clause.
pub(crate) fn topics(g: &Gazetteer, clause: &str) -> Vec<String> {
    let lower = clause.to_lowercase();
    let mut out = Vec::new();
    for (name, kws) in &g.topics {
        let hit = kws.iter().any(|k| {
            lower
                .match_indices(k.as_str())
                .any(|(i, _)| lower[..i].chars().next_back().is_none_or(|c| !c.is_alphanumeric()))
        });
        if hit {
            out.push(name.clone());
        }
    }
    out
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
