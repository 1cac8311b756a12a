//! Where a text says something happens: "in Valletta", "in La Paz". A
//! meeting reported held where a promised one was to be held is likely
//! that one (`score`), when few of the earlier promises name the place.

use crate::text::{is_name_head, is_nation, stem};
use regex::Regex;
use std::collections::BTreeSet;
use std::sync::LazyLock;

/// A capitalised place after "in" or "at": "in Valletta", "in La Paz".
static PLACE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:in|at) (\p{Lu}[\p{L}'’-]+(?: \p{Lu}[\p{L}'’-]+){0,2})").expect("valid")
});

/// The towns and regions a text says something happens in: not months,
/// not countries or other parties by name (capitals are towns here), not
/// names of meetings or bodies.
pub(crate) fn places(text: &str) -> BTreeSet<String> {
    /// Capitalised words after "in" that open no place.
    #[rustfmt::skip]
    const NOT_PLACES: &[&str] = &[
        "January", "February", "March", "April", "May", "June", "July", "August", "September",
        "October", "November", "December", "The", "This", "That", "Its", "Their",
    ];
    PLACE
        .captures_iter(text)
        .filter_map(|c| c.get(1))
        .map(|m| m.as_str())
        .filter(|p| !p.split(' ').next().is_some_and(|w| NOT_PLACES.contains(&w)))
        .filter(|p| {
            !p.split([' ', '-'])
                .any(|w| is_nation(&stem(w)) || is_name_head(w))
        })
        .filter(|p| accord_extract::parties_named_by_name(p, None).is_empty())
        .map(str::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn towns_are_places_countries_months_and_bodies_are_not() {
        let got = |t: &str| places(t).into_iter().collect::<Vec<_>>();
        assert_eq!(got("talks held in Valletta in October 2019"), ["valletta"]);
        assert_eq!(
            got("the Third Meeting, held today in La Paz the"),
            ["la paz"]
        );
        assert!(got("consultations in Malta in May, at the Joint Commission").is_empty());
    }
}
