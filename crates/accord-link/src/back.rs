//! Back-references: "the plan agreed last year", "the target set in New
//! Delhi", "the pledge made during the visit to Tokyo" — a later sentence
//! naming an earlier promise by its kind of thing, when and where it was
//! made, rather than by its words.

use crate::amounts;
use crate::dates;
use crate::features::{class_of, head_before, Class, Features};
use crate::text::{content_words, is_nation};
use accord_domain::{Commitment, Kind, Party};
use regex::Regex;
use std::sync::LazyLock;
use time::{Date, Month};

/// A back-reference: "the plan agreed last year", "the timetable set in New
/// Delhi", "the arrangement our two countries agreed in 2022".
static BACK_REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
    let month =
        "January|February|March|April|May|June|July|August|September|October|November|December";
    Regex::new(&format!(
        r"\b(?i:agreed|set|set out|fixed|launched|adopted|announced|decided|promised|pledged|committed|undertaken|reached|envisaged|foreseen|planned|unveiled|made|intended|aimed|hoped|meant|called for|struck|discussed|proposed|offered|outlined|initiated|conceived|given|extended)\b[^.;]{{0,60}}?(?:\b(?i:last year|the previous year|last year's)|\b(?i:visit|trip) to [A-Z][\p{{L}}]+(?: [A-Z][\p{{L}}]+)*|\b(?i:in|at the|during the|for) (?:[A-Z][a-z]+ )?(?P<year>(?:19|20)\d\d)\b|\blast (?P<month>{month})\b|\b(?i:(?:at|during) (their|the|our) (last|previous|earlier) (meeting|summit|talks|consultations))\b|\bin [A-Z][\p{{L}}]+(?: [A-Z][\p{{L}}]+)*|\b(?i:last time|earlier|previously|at that time)\b|\bwhen\b)|\b(?i:previously|earlier) (?i:agreed|announced|pledged|set|launched)\b|\b(?i:as (agreed|planned|envisaged|foreseen|promised|pledged))\b"
    ))
    .expect("valid")
});

/// "What they had agreed", "what was decided": a back-reference to all
/// that was agreed, its thing left to the sentence before.
static WHAT_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bwhat (?:they|we|both sides|the two sides|the (?:two )?(?:ministers|leaders|parties|delegations)|had been|has been|was|were)?\s*(?:had |have )?$")
        .expect("valid")
});

static ANOTHER_VERB: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(had|has|have) been\b|\b(was|were|is|are) (now |still )?\w+ed\b").expect("valid")
});

static LAST_MEETING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(?:last|previous|earlier) (?:meeting|summit|talks|consultations)\b|\blast time\b",
    )
    .expect("valid")
});

static AHEAD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(will|would|shall)\b").expect("valid"));

static YEAR_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^,? (?:in|of) (?:(?P<month>[A-Z][a-z]+) )?(?P<year>(?:19|20)\d\d)\b|^ (?P<last>last year|the previous year)\b")
        .expect("valid")
});
static YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b((?:19|20)\d\d)\b").expect("valid"));

/// A back-reference in a sentence and what it tells of the promise.
#[derive(Debug, Clone)]
pub(crate) struct Back {
    pub text: String,
    /// Where it is in the sentence (bytes).
    pub span: (usize, usize),
    /// The head noun it refers to ("plan"), if one precedes it.
    pub head: Option<&'static str>,
    /// The content words just before it, stemmed: "the patrol vessel
    /// promised last year" names its promise by "vessel" and "patrol".
    pub nouns: Vec<String>,
    /// When the promise was made, as far as the phrase says: (year, month).
    pub when: Option<(i32, Option<Month>)>,
    /// "at their last meeting".
    pub last_meeting: bool,
    /// The parties whose places it names ("set in New Delhi": India).
    pub places: Vec<Party>,
}

impl Back {
    /// The back-reference in `text`, if it has one; `later` dates "last year".
    pub fn find(
        text: &str,
        later: Date,
        extra: Option<&accord_extract::ExtraData>,
    ) -> Option<Back> {
        // the first that is one: "trade reached USD 412 million in 2021, …
        // the target they set in Muscat in 2018"
        BACK_REFERENCE.captures_iter(text).find_map(|c| {
            let m = c.get(0)?;
            let lower = m.as_str().to_lowercase();
            // "what they had agreed in Tirana": whatever was agreed there
            let head = if WHAT_BEFORE.is_match(&text[..m.start()]) {
                Some("commitment")
            } else {
                head_before(text, m.start())
            };
            let pledged = head.and_then(class_of) == Some(Class::Pledge);
            // "the understanding they had reached in New York", not "trade
            // reached USD 1 billion in 2021"
            if lower.starts_with("reached") && !pledged {
                return None;
            }
            // "the undertaking it had given in Dhaka", not "given the
            // situation in Ukraine": a promise given or extended
            if (lower.starts_with("given") || lower.starts_with("extended")) && !pledged {
                return None;
            }
            // "the study they had agreed to co-fund had been cancelled in
            // 2023": the time is of another verb's, not of the promise.
            if ANOTHER_VERB.is_match(&lower) {
                return None;
            }
            // "agreed that the second round will take place in Yerevan in
            // 2025": a plan ahead, said beside the report, names no promise
            if AHEAD.is_match(&lower) {
                return None;
            }
            let when = if let Some(y) = c.name("year") {
                y.as_str().parse().ok().map(|y| (y, None))
            } else if let Some(name) = c.name("month") {
                let month = dates::month_of(name.as_str())?;
                let year = if month as u8 >= later.month() as u8 {
                    later.year() - 1
                } else {
                    later.year()
                };
                Some((year, Some(month)))
            } else if lower.contains("last year") || lower.contains("previous year") {
                Some((later.year() - 1, None))
            } else {
                // "the target set in Bangkok in 2019", "the pledge made in
                // Tallinn in November 2019", "given in Kigali last year": the
                // time after the place.
                YEAR_AFTER.captures(&text[m.end()..]).and_then(|y| {
                    if y.name("last").is_some() {
                        return Some((later.year() - 1, None));
                    }
                    let year = y["year"].parse().ok()?;
                    Some((
                        year,
                        y.name("month").and_then(|m| dates::month_of(m.as_str())),
                    ))
                })
            };
            // a year still ahead is a plan's, not when a promise was made
            if when.is_some_and(|(year, _)| year > later.year()) {
                return None;
            }
            Some(Back {
                text: m.as_str().to_owned(),
                span: (m.start(), m.end()),
                head,
                nouns: words_before(text, m.start()),
                when,
                last_meeting: LAST_MEETING.is_match(&lower),
                places: accord_extract::parties_named(m.as_str(), extra),
            })
        })
    }

    /// How much a back-reference adds: its head noun must be the commitment's
    /// kind of thing, and its time, when it gives one, the commitment's.
    pub fn weight(
        &self,
        c: &Commitment,
        cf: &Features,
        last_meeting: Option<Date>,
        parties: &[Party],
        venue: &[Party],
    ) -> Option<f32> {
        // A word of the promise itself just before ("the patrol vessel
        // promised"): a thing the lexicon has no class for.
        let named = self.nouns.iter().any(|w| cf.words.contains(w));
        let fits = match self.head.and_then(|h| Some((h, class_of(h)?))) {
            Some((head, class)) => fit_of(head, class, c, cf),
            None => None,
        };
        // Words alone name less surely than a head noun: a time or place
        // that does not fit then says nothing either way.
        let (fits, by_words) = match fits {
            Some(f) => (f, false),
            None if named => (0.75, true),
            None => return None,
        };
        let made = c.meeting_date?;
        // "the target set for 2030", "hoped to conclude in 2023": the year of
        // the promise's deadline names it as well as the year it was made.
        let deadline = |year: i32| {
            c.due.is_some_and(|d| d.year() == year)
                || YEAR
                    .captures_iter(&c.text)
                    .any(|y| y[1].parse::<i32>().ok() == Some(year))
        };
        // "The goal fixed in New Delhi": a place of one of its parties, or of
        // this meeting's when the promise's parties are all here, or where
        // the promise was made ("agreed upon in Abu Dhabi", at a meeting
        // on the sidelines there).
        let placed = (!self.places.is_empty()).then(|| {
            let theirs = || c.committers.iter().chain(&c.counterparts);
            let all_here = theirs().all(|p| parties.contains(p));
            self.places.iter().any(|p| {
                theirs().any(|q| q == p) || (all_here && parties.contains(p)) || venue.contains(p)
            })
        });
        let timed = match self.when {
            Some((year, None)) if deadline(year) => Some(placed != Some(false)),
            Some((year, month)) => Some(
                made.year() == year
                    && month.is_none_or(|m| m == made.month())
                    && placed != Some(false),
            ),
            None if self.last_meeting => Some(last_meeting == Some(made)),
            None => placed,
        };
        match timed {
            // "the target they set in Muscat in 2018": both its time and its
            // place are the promise's, and its head noun is the promise's kind
            // of thing (a bare "commitment" fits every promise made there)
            Some(true) if self.when.is_some() && placed == Some(true) && fits >= 0.75 => {
                Some(0.45 * fits)
            }
            Some(true) => Some(0.35 * fits),
            Some(false) if by_words => None,
            Some(false) => Some(-0.3),
            None => Some(0.2 * fits),
        }
    }
}

/// How well a back-reference's head noun fits the commitment: the same
/// head noun ("the plan"), a thing of its kind ("the timetable" of a
/// promise with a deadline), or only the same class of thing.
fn fit_of(head: &str, class: Class, c: &Commitment, cf: &Features) -> Option<f32> {
    if cf.heads.contains(head) {
        Some(1.0)
    } else if (class == Class::Target && (cf.has_deadline || !amounts::amounts(&c.text).is_empty()))
        || (class == Class::Meeting && c.kind == Kind::Meeting)
        || (class == Class::Project && c.kind == Kind::Action)
    {
        Some(0.75)
    } else if class == Class::Pledge {
        Some(0.6)
    } else if cf.classes().contains(&class) {
        Some(0.4)
    } else {
        None
    }
}

/// The content words (stems) among the three words before byte `at`.
fn words_before(text: &str, at: usize) -> Vec<String> {
    let before: Vec<&str> = text[..at].split_whitespace().rev().take(3).collect();
    let phrase: Vec<&str> = before.into_iter().rev().collect();
    content_words(&phrase.join(" "))
        .into_iter()
        .filter(|w| !is_nation(w))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn the_first_phrase_that_is_a_back_reference_is_taken() {
        let text = "Noting that two-way trade reached USD 412 million in 2021, both sides reaffirmed the target they set in Muscat in 2018.";
        let back = Back::find(text, date!(2022 - 03 - 15), None).expect("a back-reference");
        assert_eq!(back.when, Some((2018, None)));
        assert_eq!(back.head, Some("target"));
        assert_eq!(back.places, vec![Party::new("OMN").unwrap()]);
        // "trade reached USD 412 million in 2021" alone is none
        assert!(Back::find(
            "Two-way trade reached USD 412 million in 2021.",
            date!(2022 - 03 - 15),
            None
        )
        .is_none());
    }

    #[test]
    fn an_undertaking_given_and_the_time_after_its_place_are_read() {
        let later = date!(2021 - 07 - 08);
        let back = Back::find(
            "The Georgian side reaffirmed the undertaking it had given in Dhaka in March 2019.",
            later,
            None,
        )
        .expect("a back-reference");
        assert_eq!(back.head, Some("undertaking"));
        assert_eq!(back.when, Some((2019, Some(Month::March))));
        assert_eq!(back.places, vec![Party::new("BGD").unwrap()]);
        let back = Back::find(
            "The two delegations renewed the undertaking given in Kigali last year.",
            later,
            None,
        )
        .expect("a back-reference");
        assert_eq!(back.when, Some((2020, None)));
        let back = Back::find(
            "He thanked Egypt for the support it had pledged during the last consultations.",
            later,
            None,
        )
        .expect("a back-reference");
        assert!(back.last_meeting);
        // all that was agreed there, and an understanding reached
        let back = Back::find(
            "Both Ministers stood by what they had agreed in Tirana in February 2020 in this respect.",
            later,
            None,
        )
        .expect("a back-reference");
        assert_eq!(back.head, Some("commitment"));
        assert_eq!(back.when, Some((2020, Some(Month::February))));
        let back = Back::find(
            "Both Ministers confirmed that the understanding they had reached in Geneva in 2018 on this matter still stood.",
            later,
            None,
        )
        .expect("a back-reference");
        assert_eq!(back.head, Some("understanding"));
        // "given" that is no promise given
        assert!(Back::find(
            "Given the situation in Ukraine, the ministers agreed to meet again.",
            later,
            None
        )
        .is_none());
    }
}
