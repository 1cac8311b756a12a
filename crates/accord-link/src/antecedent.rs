//! A promise read with what comes before it in its readout. What its "it"
//! stands for: "the draft agreement on visa exemption had been negotiated
//! ad referendum, and agreed to sign it at the earliest opportunity"
//! promises to sign the visa agreement, though the promise's own words name
//! nothing but signing; "the memorandum" and "the first round", said of
//! nothing, likewise. And the names said just before a promise that names
//! nothing itself.

use crate::features::{class_of, Class, Features, HEADS};
use crate::pairs::Later;
use crate::text::instruments;
use accord_domain::Commitment;
use regex::Regex;
use std::sync::LazyLock;

/// A promise that acts on something named before it: "sign it", "hold
/// them", "its first meeting", "the first round in Kuwait City", "it will
/// be signed before the end of the year".
static REFERS_BACK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:sign|conclude|hold|convene|finali[sz]e|ratify|adopt|implement|complete|launch|host|resume|organi[sz]e|examine|consider|review|operationali[sz]e|reschedule|submit|present)\s+(?:it|them)\b|\bits\s+(?:first|inaugural|next|second|third|fourth|fifth|\d{1,2}(?:st|nd|rd|th))\s+(?:meeting|session|round)\b|\bthe\s+(?:first|inaugural)\s+(?:meeting|session|round)(?:\s+(?:in|at|on|by|before|during|within|to be|would|will|should)\b|\s*[,.;]|\s*$)|\b(?:it|they)\s+(?:will|would|shall|is to|are to)\s+(?:(?:now|instead|then|also)\s+)?be\s+(?:signed|concluded|held|convened|finali[sz]ed|ratified|adopted|launched|completed|organi[sz]ed|hosted)\b")
        .expect("valid")
});

/// A promise about "the memorandum" or "the agreement" with nothing said
/// of which: "agreed to finalise and sign the memorandum before the end
/// of 2021".
static BARE_INSTRUMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:sign|conclude|finali[sz]e|ratify|implement|adopt|complete|initial)\s+(?:and\s+sign\s+)?the\s+(?:draft\s+)?(?:memorandum|agreement|convention|treaty|arrangement|mou|protocol)\b(?:\s+(\w+))?")
        .expect("valid")
});

fn names_bare_instrument(text: &str) -> bool {
    BARE_INSTRUMENT.captures_iter(text).any(|c| {
        !c.get(1).is_some_and(|w| {
            matches!(
                w.as_str().to_lowercase().as_str(),
                "on" | "of" | "for" | "between" | "concerning" | "regarding" | "with" | "in"
            )
        })
    })
}

/// Where a noun phrase ends: its verb, a relative clause, a clause break.
static PHRASE_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[,;:(]|\b(?:had|has|have|was|were|is|are|would|will|could|should|can|may|which|that|who|whose|to|and agreed|but)\b")
        .expect("valid")
});

static DETERMINER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(?:the|a|an|this|that|its|their)\s").expect("valid"));

/// A commitment's features read in its readout: what its "it" stands for
/// ("… had been negotiated, and agreed to sign it"), and where its text
/// names nothing ("committed to concluding them by the end of 2023"), the
/// names its readout gave just before it, in its own sentence or the one
/// before.
pub(crate) fn features_in_context(
    later: &Later<'_>,
    earlier: &[Commitment],
    c: &Commitment,
) -> Features {
    let f = Features::of(&c.text);
    let Some(sentences) = later.earlier_text.and_then(|t| t.get(&c.document_id)) else {
        return f;
    };
    let Some(at) = sentences
        .iter()
        .position(|s| s.span.start <= c.span.start && c.span.start < s.span.end)
    else {
        return f;
    };
    let own = &sentences[at];
    let before_promise = own.text.get(..c.span.start - own.span.start).unwrap_or("");
    let previous = at.checked_sub(1).map(|p| &sentences[p]);
    // "… had been negotiated, and agreed to sign it": the promise is
    // about what "it" is — unless that is another promise's ("agreed to
    // establish a Joint Commission and to hold its first meeting"),
    // which says it in its own words.
    let resolved = of(&c.text, before_promise, previous.map(|p| p.text.as_str())).filter(|a| {
        let sentence = if a.in_previous {
            previous.unwrap_or(own)
        } else {
            own
        };
        let offset = sentence.span.start + a.at;
        !earlier.iter().any(|o| {
            o.id != c.id
                && o.document_id == c.document_id
                && o.span.start <= offset
                && offset < o.span.end
        })
    });
    let mut f = resolved.map_or(f, |a| Features::of(&format!("{} {}", a.phrase, c.text)));
    if !f.names.is_empty() {
        return f;
    }
    let mut context = String::new();
    if let Some(p) = previous {
        context.push_str(&p.text);
        context.push(' ');
    }
    context.push_str(before_promise);
    f.context_names = instruments(&context);
    f.names.extend(f.context_names.iter().cloned());
    f
}

/// What a promise's "it" stands for, when it has one: the last thing
/// named in `before` (its own sentence up to the promise) or else in
/// `previous` (the sentence before).
pub(crate) fn of<'t>(
    text: &str,
    before: &'t str,
    previous: Option<&'t str>,
) -> Option<Antecedent<'t>> {
    if !REFERS_BACK.is_match(text) && !names_bare_instrument(text) {
        return None;
    }
    if let Some((at, phrase)) = last_thing(before) {
        return Some(Antecedent {
            phrase,
            at,
            in_previous: false,
        });
    }
    let (at, phrase) = previous.and_then(last_thing)?;
    Some(Antecedent {
        phrase,
        at,
        in_previous: true,
    })
}

/// The phrase a promise's "it" stands for.
#[derive(Debug, PartialEq)]
pub(crate) struct Antecedent<'t> {
    pub phrase: &'t str,
    /// Where it starts in the text it was found in (bytes).
    pub at: usize,
    /// Found in the sentence before the promise's own.
    pub in_previous: bool,
}

/// The last noun phrase in `text` whose head is a thing a promise acts on
/// ("the inaugural meeting of the Joint Commission"), from its determiner
/// to its verb.
fn last_thing(text: &str) -> Option<(usize, &str)> {
    let lower = text.to_lowercase();
    let head_at = HEADS
        .iter()
        .filter(|(_, class)| *class != Class::Pledge)
        .filter_map(|(head, _)| {
            lower
                .match_indices(head)
                .filter(|(at, _)| whole_word(&lower, *at, head.len()))
                .map(|(at, _)| at)
                .last()
        })
        .max()?;
    let start = determiner_before(text, head_at)?;
    // "the first meeting of the Joint Commission": the phrase it belongs
    // to, when that is a thing too ("the text of the draft agreement" is
    // the agreement)
    let start = match text[..start].strip_suffix("of ") {
        Some(owner) if ends_in_head(owner) => {
            determiner_before(owner, owner.len()).unwrap_or(start)
        }
        _ => start,
    };
    let rest = &text[head_at..];
    let end = PHRASE_END
        .find(rest)
        .map_or(text.len(), |m| head_at + m.start());
    let phrase = text[start..end].trim().trim_end_matches(['.', '!', '?']);
    (class_of(phrase.split_whitespace().last()?).is_some() || phrase.split(' ').count() > 2)
        .then_some((start, phrase))
}

/// Where the determiner of a phrase whose head is at `at` begins: at most
/// six words before it.
fn determiner_before(text: &str, at: usize) -> Option<usize> {
    let window_start = text[..at]
        .char_indices()
        .rev()
        .filter(|(_, c)| c.is_whitespace())
        .nth(6)
        .map_or(0, |(i, _)| i);
    DETERMINER
        .find_iter(&text[window_start..at])
        .last()
        .map(|m| window_start + m.start())
}

/// Whether `len` bytes at `at` are a whole word: no plural either, since
/// "agreements" after a promise is seldom the one thing "it" stands for
/// (allowing it cost two wrong links, `dev123`).
fn whole_word(haystack: &str, at: usize, len: usize) -> bool {
    let before = haystack[..at].chars().next_back();
    let after = haystack[at + len..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

/// Whether the last word of `text` is a thing ("the first meeting").
fn ends_in_head(text: &str) -> bool {
    let last = text.split_whitespace().last().unwrap_or_default();
    class_of(&last.to_lowercase()).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, before: &str, previous: Option<&str>, expected: Option<&str>) {
        let found = of(text, before, previous).map(|a| a.phrase);
        assert_eq!(found, expected, "{text:?} after {before:?}");
    }

    #[test]
    fn a_promise_to_act_on_it_names_what_it_is() {
        check(
            "agreed to sign it at the earliest opportunity",
            "On consular matters, the two sides noted that the draft agreement on visa exemption for holders of diplomatic and service passports had been negotiated ad referendum, and ",
            None,
            Some("the draft agreement on visa exemption for holders of diplomatic and service passports"),
        );
        check(
            "They agreed to hold it in Kuala Lumpur in 2020",
            "",
            Some("The two delegations regretted that the inaugural meeting of the Joint Commission, initially planned for 2018 in Antananarivo, could not be convened."),
            Some("the inaugural meeting of the Joint Commission"),
        );
        check(
            "to hold its first meeting in 2018",
            "it was decided to establish a Turkmen-Qatari Intergovernmental Commission on Trade, Economic and Technical Cooperation and ",
            None,
            Some("a Turkmen-Qatari Intergovernmental Commission on Trade"),
        );
        check(
            "expressed their intention to sign it in the near future",
            "It was noted that the text of the draft Agreement between the Government of Turkmenistan and the Government of the State of Qatar on Air Services has been agreed, and the sides ",
            None,
            Some("the draft Agreement between the Government of Turkmenistan and the Government of the State of Qatar on Air Services"),
        );
        check(
            "agreed to finalise and sign the memorandum before the end of 2021",
            "",
            Some("The delegations reviewed the draft memorandum of understanding on cooperation in renewable energy."),
            Some("the draft memorandum of understanding on cooperation in renewable energy"),
        );
        check(
            "agreeing to hold the first round in Kuwait City in 2019",
            "The two ministers launched the Kuwait–Chile political consultations, ",
            None,
            Some("the Kuwait–Chile political consultations"),
        );
        check(
            "it will be signed before the end of this year",
            "The text of the Memorandum of Understanding on Bilateral Consultations has been agreed by both Ministries and is going through final internal approvals; ",
            None,
            Some("the Memorandum of Understanding on Bilateral Consultations"),
        );
        // "the memorandum on …" says which itself
        check(
            "agreed to sign the memorandum on tourism in 2020",
            "the draft agreement on visa exemption had been agreed, and ",
            None,
            None,
        );
        // a promise that names its own thing is left as it is
        check(
            "agreed to sign the Air Services Agreement in 2020",
            "the draft agreement on visa exemption had been agreed, and ",
            None,
            None,
        );
        // nothing named before: nothing to add
        check(
            "agreed to consider it",
            "The Minister ",
            Some("He thanked the hosts."),
            None,
        );
    }
}
