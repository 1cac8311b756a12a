//! Value types shared by events and state.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The four kinds of commitment of the annotation guideline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Action,
    Cooperation,
    Stance,
    Meeting,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Action, Kind::Cooperation, Kind::Stance, Kind::Meeting];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Action => "action",
            Kind::Cooperation => "cooperation",
            Kind::Stance => "stance",
            Kind::Meeting => "meeting",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Kind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Kind::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| format!("unknown kind {s:?} (expected action, cooperation, stance or meeting)"))
    }
}

/// Follow-up status of a commitment. A new commitment is `NotYetAssessed`:
/// absence of an assessment is never read as "no action".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    NotYetAssessed,
    NoEvidence,
    InProgress,
    Stalled,
    Fulfilled,
    PartiallyFulfilled,
    NotFulfilled,
    Reversed,
    Superseded,
    Inconclusive,
    Withdrawn,
}

impl Status {
    pub const ALL: [Status; 11] = [
        Status::NotYetAssessed,
        Status::NoEvidence,
        Status::InProgress,
        Status::Stalled,
        Status::Fulfilled,
        Status::PartiallyFulfilled,
        Status::NotFulfilled,
        Status::Reversed,
        Status::Superseded,
        Status::Inconclusive,
        Status::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::NotYetAssessed => "not_yet_assessed",
            Status::NoEvidence => "no_evidence",
            Status::InProgress => "in_progress",
            Status::Stalled => "stalled",
            Status::Fulfilled => "fulfilled",
            Status::PartiallyFulfilled => "partially_fulfilled",
            Status::NotFulfilled => "not_fulfilled",
            Status::Reversed => "reversed",
            Status::Superseded => "superseded",
            Status::Inconclusive => "inconclusive",
            Status::Withdrawn => "withdrawn",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Status {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Status::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| format!("unknown status {s:?}"))
    }
}

/// A party code: ISO 3166-1 alpha-3 for states (`JPN`), a short upper-case
/// code for organisations (`NATO`). Codes double as NATS subject tokens, so
/// the alphabet is deliberately narrow.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Party(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid party code {0:?}: expected 2-12 characters A-Z, 0-9 (e.g. JPN, NATO)")]
pub struct PartyError(pub String);

impl Party {
    pub fn new(code: impl Into<String>) -> Result<Self, PartyError> {
        let code = code.into();
        let ok = (2..=12).contains(&code.len())
            && code.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
            && code.as_bytes()[0].is_ascii_uppercase();
        if ok {
            Ok(Party(code))
        } else {
            Err(PartyError(code))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Party {
    type Error = PartyError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Party::new(s)
    }
}

impl From<Party> for String {
    fn from(p: Party) -> String {
        p.0
    }
}

impl FromStr for Party {
    type Err = PartyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Party::new(s.to_ascii_uppercase())
    }
}

impl fmt::Display for Party {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// UTF-8 byte offsets into the readout as the user supplied it; end exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn party_codes() {
        for ok in ["JPN", "NATO", "EU", "G7", "ASEAN"] {
            assert!(Party::new(ok).is_ok(), "{ok}");
        }
        for bad in ["", "J", "jpn", "JP.N", "A>", "TOOLONGPARTYCODE", "7G"] {
            assert!(Party::new(bad).is_err(), "{bad}");
        }
        assert_eq!("nato".parse::<Party>().unwrap().as_str(), "NATO");
    }

    #[test]
    fn kinds_and_statuses_round_trip() {
        for k in Kind::ALL {
            assert_eq!(k.as_str().parse::<Kind>().unwrap(), k);
            assert_eq!(serde_json::to_string(&k).unwrap(), format!("\"{k}\""));
        }
        for s in Status::ALL {
            assert_eq!(s.as_str().parse::<Status>().unwrap(), s);
            assert_eq!(serde_json::to_string(&s).unwrap(), format!("\"{s}\""));
        }
        assert!("promise".parse::<Kind>().is_err());
    }
}
