//! Candidacies and elections: support promised for a candidacy ("would
//! support Albania's candidature for a non-permanent seat") is borne out
//! by the election, which a later readout tells in words of its own
//! ("thanked Guatemala for its vote in the election held in June 2021").

use crate::cues::CANDIDACIES;
use accord_domain::{Commitment, Kind, Party};
use accord_extract::ExtraData;
use regex::Regex;
use std::sync::LazyLock;

static CANDIDACY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"(?i)\b({CANDIDACIES}|candidate)\b")).expect("valid"));

static SUPPORT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(support|back|backing|vote)\b").expect("valid"));

static ELECTION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(elected|election|votes?|voted|voting)\b").expect("valid"));

/// Whose candidacy, bid or election: "Luxembourg's candidacy", "Latvia's
/// UNSC candidacy", "the candidacy of Slovakia", "congratulated the
/// Slovak Republic on the election".
static CANDIDATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?P<owner>(?:\p{{Lu}}[\p{{L}}-]*\s){{0,3}}\p{{Lu}}[\p{{L}}-]*)['’]s\s+(?:[\p{{L}}-]+\s+){{0,2}}?(?:{CANDIDACIES}|election)\b|\b(?:{CANDIDACIES}|election)\s+of\s+(?:the\s+)?(?P<of>(?:\p{{Lu}}[\p{{L}}-]*\s?){{1,4}})|\bcongratulated\s+(?:the\s+)?(?P<congratulated>(?:\p{{Lu}}[\p{{L}}-]*\s?){{1,4}})\s*on\b"))
        .expect("valid")
});

/// The parties whose candidacy or election a text speaks of.
pub(crate) fn candidates(text: &str, extra: Option<&ExtraData>) -> Vec<Party> {
    CANDIDATE
        .captures_iter(text)
        .filter_map(|c| c.name("owner").or(c.name("of")).or(c.name("congratulated")))
        .flat_map(|name| accord_extract::parties_named(name.as_str(), extra))
        .collect()
}

/// Whether the commitment is support for a candidacy or a bid: a stance
/// that, unlike others, can be fulfilled (or an action that pledges the
/// support: "pledged its support for Ghana's candidature").
pub(crate) fn backs_a_candidacy(c: &Commitment) -> bool {
    CANDIDACY.is_match(&c.text)
        && (c.kind == Kind::Stance || c.kind == Kind::Action && SUPPORT.is_match(&c.text))
}

/// Whether the sentence tells of an election or a vote in one, naming a
/// party the promise names (the candidate or its backer): "thanked the
/// Kingdom for its vote …, which contributed to Norway's election".
pub(crate) fn tells_the_election(text: &str, named: &[Party], named_in_promise: &[Party]) -> bool {
    ELECTION.is_match(text) && named.iter().any(|p| named_in_promise.contains(p))
}
