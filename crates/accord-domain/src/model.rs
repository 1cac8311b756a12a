//! Value types shared by events and state.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The four kinds of commitment of the annotation guideline.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
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
            .ok_or_else(|| {
                format!("unknown kind {s:?} (expected action, cooperation, stance or meeting)")
            })
    }
}

/// Follow-up status of a commitment. A new commitment is `NotYetAssessed`:
/// absence of an assessment is never read as "no action".
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
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
    /// Stances only: the position is still being upheld.
    Maintained,
    /// Stances only: a party acted against the position.
    Contradicted,
}

impl Status {
    pub const ALL: [Status; 13] = [
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
        Status::Maintained,
        Status::Contradicted,
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
            Status::Maintained => "maintained",
            Status::Contradicted => "contradicted",
        }
    }

    /// Statuses that only an explicit reassessment may leave.
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            Status::Fulfilled
                | Status::NotFulfilled
                | Status::Reversed
                | Status::Superseded
                | Status::Withdrawn
        )
    }

    /// Whether a commitment of `kind` can carry this status: stances are not
    /// scored for compliance, only tracked as maintained or contradicted.
    pub fn fits(self, kind: Kind) -> bool {
        let stance_only = matches!(self, Status::Maintained | Status::Contradicted);
        let compliance_only = matches!(
            self,
            Status::NoEvidence
                | Status::InProgress
                | Status::Stalled
                | Status::Fulfilled
                | Status::PartiallyFulfilled
                | Status::NotFulfilled
                | Status::Reversed
        );
        match kind {
            Kind::Stance => !compliance_only,
            _ => !stance_only,
        }
    }

    /// The summit-compliance score: +1 kept, 0 under way, -1 broken; `None`
    /// when the status is not a compliance judgement.
    pub fn compliance_score(self) -> Option<i32> {
        match self {
            Status::Fulfilled => Some(1),
            Status::InProgress | Status::PartiallyFulfilled => Some(0),
            Status::NotFulfilled | Status::Reversed | Status::Withdrawn => Some(-1),
            _ => None,
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

/// What a piece of follow-up evidence shows.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceKind {
    /// The parties said it again. Never enough to call a commitment kept.
    Reaffirmation,
    /// A ministry, agency or working group took a step toward it.
    BureaucraticStep,
    /// Money was allocated or spent.
    Budget,
    /// A treaty, plan or agreement was signed, adopted or completed.
    InstrumentSigned,
    /// The parties reported it done.
    Completion,
    /// Work is reported under way.
    Progress,
    /// More was delivered than promised.
    OverImplementation,
    /// A new instrument replaces the promised one.
    Replacement,
    /// It was reported not done: missed, stalled, not possible to conclude.
    Shortfall,
    /// It was suspended, withdrawn, cancelled or reversed.
    Reversal,
}

impl EvidenceKind {
    pub const ALL: [EvidenceKind; 10] = [
        EvidenceKind::Reaffirmation,
        EvidenceKind::BureaucraticStep,
        EvidenceKind::Budget,
        EvidenceKind::InstrumentSigned,
        EvidenceKind::Completion,
        EvidenceKind::Progress,
        EvidenceKind::OverImplementation,
        EvidenceKind::Replacement,
        EvidenceKind::Shortfall,
        EvidenceKind::Reversal,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EvidenceKind::Reaffirmation => "reaffirmation",
            EvidenceKind::BureaucraticStep => "bureaucratic_step",
            EvidenceKind::Budget => "budget",
            EvidenceKind::InstrumentSigned => "instrument_signed",
            EvidenceKind::Completion => "completion",
            EvidenceKind::Progress => "progress",
            EvidenceKind::OverImplementation => "over_implementation",
            EvidenceKind::Replacement => "replacement",
            EvidenceKind::Shortfall => "shortfall",
            EvidenceKind::Reversal => "reversal",
        }
    }

    /// Whether this evidence can support a `fulfilled` assessment.
    pub fn shows_delivery(self) -> bool {
        matches!(
            self,
            EvidenceKind::InstrumentSigned
                | EvidenceKind::Completion
                | EvidenceKind::OverImplementation
                | EvidenceKind::Budget
        )
    }
}

impl FromStr for EvidenceKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        EvidenceKind::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| format!("unknown evidence kind {s:?}"))
    }
}

/// Why a status is what it is, in the codes compliance researchers use.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ReasonCode {
    BlockedExternal,
    LackOfResources,
    PolicyChange,
    OvertakenByEvents,
    DeadlinePassed,
    EvidenceFound,
    Other,
}

impl ReasonCode {
    pub const ALL: [ReasonCode; 7] = [
        ReasonCode::BlockedExternal,
        ReasonCode::LackOfResources,
        ReasonCode::PolicyChange,
        ReasonCode::OvertakenByEvents,
        ReasonCode::DeadlinePassed,
        ReasonCode::EvidenceFound,
        ReasonCode::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReasonCode::BlockedExternal => "blocked_external",
            ReasonCode::LackOfResources => "lack_of_resources",
            ReasonCode::PolicyChange => "policy_change",
            ReasonCode::OvertakenByEvents => "overtaken_by_events",
            ReasonCode::DeadlinePassed => "deadline_passed",
            ReasonCode::EvidenceFound => "evidence_found",
            ReasonCode::Other => "other",
        }
    }
}

impl FromStr for ReasonCode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ReasonCode::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| format!("unknown reason code {s:?}"))
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
            && code
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
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

impl JsonSchema for Party {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Party".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A party code: ISO 3166-1 alpha-3 for states (JPN), a short upper-case code for organisations (NATO).",
            "type": "string",
            "pattern": "^[A-Z][A-Z0-9]{1,11}$",
        })
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
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
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
