//! The parties a sentence does something "with": a sign that it speaks of
//! a third country's dealings ("Japan had signed a grant agreement with
//! Côte d'Ivoire", read at a meeting with Ghana).

use accord_domain::Party;
use regex::Regex;
use std::sync::LazyLock;

static WITH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\bwith\s+((?:the\s+)?\p{Lu}[^,.;:]{0,40})").expect("valid"));

/// The parties a text does something "with".
pub(crate) fn dealt_with(text: &str, extra: Option<&accord_extract::ExtraData>) -> Vec<Party> {
    WITH.captures_iter(text)
        .filter_map(|c| c.get(1))
        .flat_map(|m| accord_extract::parties_named(m.as_str(), extra))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn who_a_sentence_deals_with() {
        let names = |t: &str| {
            dealt_with(t, None)
                .iter()
                .map(|p| p.as_str().to_owned())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            names("Japan had signed a grant agreement with Côte d'Ivoire."),
            ["CIV"]
        );
        assert_eq!(
            names("The EU signed agreements with Chile and Colombia this year."),
            ["CHL", "COL"]
        );
        assert!(names("They worked with partners on it.").is_empty());
    }
}
