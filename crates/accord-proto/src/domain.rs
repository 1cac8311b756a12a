//! The one mapping between the domain's enums and their wire enums, shared by
//! the server and its clients (the CLI), so neither reaches into the other.

use crate::v1 as pb;
use accord_domain::commitment::Review;
use accord_domain::event::{AlertChange, AlertKind, DeadlineBasis};
use accord_domain::{EvidenceKind, Kind, Status};

impl From<Kind> for pb::Kind {
    fn from(k: Kind) -> pb::Kind {
        match k {
            Kind::Action => pb::Kind::Action,
            Kind::Cooperation => pb::Kind::Cooperation,
            Kind::Stance => pb::Kind::Stance,
            Kind::Meeting => pb::Kind::Meeting,
        }
    }
}

impl From<Status> for pb::Status {
    fn from(s: Status) -> pb::Status {
        match s {
            Status::NotYetAssessed => pb::Status::NotYetAssessed,
            Status::NoEvidence => pb::Status::NoEvidence,
            Status::InProgress => pb::Status::InProgress,
            Status::Stalled => pb::Status::Stalled,
            Status::Fulfilled => pb::Status::Fulfilled,
            Status::PartiallyFulfilled => pb::Status::PartiallyFulfilled,
            Status::NotFulfilled => pb::Status::NotFulfilled,
            Status::Reversed => pb::Status::Reversed,
            Status::Superseded => pb::Status::Superseded,
            Status::Inconclusive => pb::Status::Inconclusive,
            Status::Withdrawn => pb::Status::Withdrawn,
            Status::Maintained => pb::Status::Maintained,
            Status::Contradicted => pb::Status::Contradicted,
        }
    }
}

impl From<EvidenceKind> for pb::EvidenceKind {
    fn from(k: EvidenceKind) -> pb::EvidenceKind {
        match k {
            EvidenceKind::Reaffirmation => pb::EvidenceKind::Reaffirmation,
            EvidenceKind::BureaucraticStep => pb::EvidenceKind::BureaucraticStep,
            EvidenceKind::Budget => pb::EvidenceKind::Budget,
            EvidenceKind::InstrumentSigned => pb::EvidenceKind::InstrumentSigned,
            EvidenceKind::Completion => pb::EvidenceKind::Completion,
            EvidenceKind::Progress => pb::EvidenceKind::Progress,
            EvidenceKind::OverImplementation => pb::EvidenceKind::OverImplementation,
            EvidenceKind::Replacement => pb::EvidenceKind::Replacement,
            EvidenceKind::Shortfall => pb::EvidenceKind::Shortfall,
            EvidenceKind::Reversal => pb::EvidenceKind::Reversal,
        }
    }
}

impl From<&Review> for pb::ReviewState {
    fn from(r: &Review) -> pb::ReviewState {
        match r {
            Review::Unreviewed => pb::ReviewState::Unreviewed,
            Review::Confirmed => pb::ReviewState::Confirmed,
            Review::Rejected => pb::ReviewState::Rejected,
            Review::Merged(_) => pb::ReviewState::Merged,
        }
    }
}

impl From<DeadlineBasis> for pb::DeadlineBasis {
    fn from(b: DeadlineBasis) -> pb::DeadlineBasis {
        match b {
            DeadlineBasis::Text => pb::DeadlineBasis::Text,
            DeadlineBasis::NextMeeting => pb::DeadlineBasis::NextMeeting,
            DeadlineBasis::Horizon => pb::DeadlineBasis::Horizon,
            DeadlineBasis::Analyst => pb::DeadlineBasis::Analyst,
        }
    }
}

impl From<AlertKind> for pb::AlertKind {
    fn from(k: AlertKind) -> pb::AlertKind {
        match k {
            AlertKind::DueSoon => pb::AlertKind::DueSoon,
            AlertKind::Overdue => pb::AlertKind::Overdue,
        }
    }
}

impl From<AlertChange> for pb::AlertChange {
    fn from(c: AlertChange) -> pb::AlertChange {
        match c {
            AlertChange::DueSoon => pb::AlertChange::DueSoon,
            AlertChange::Overdue => pb::AlertChange::Overdue,
            AlertChange::Resolved => pb::AlertChange::Resolved,
        }
    }
}

/// The domain alert change of a wire one; `None` for `ALERT_CHANGE_UNSPECIFIED`.
pub fn alert_change(c: pb::AlertChange) -> Option<AlertChange> {
    [
        AlertChange::DueSoon,
        AlertChange::Overdue,
        AlertChange::Resolved,
    ]
    .into_iter()
    .find(|d| pb::AlertChange::from(*d) == c)
}

/// The domain evidence kind of a wire one; `None` for `EVIDENCE_KIND_UNSPECIFIED`.
pub fn evidence_kind(k: pb::EvidenceKind) -> Option<EvidenceKind> {
    EvidenceKind::ALL
        .into_iter()
        .find(|d| pb::EvidenceKind::from(*d) == k)
}

/// The wire name of a typed value in the deprecated string fields
/// (`EVIDENCE_KIND_SHORTFALL` → `shortfall`), for clients talking to a server
/// that fills only the strings, and back.
pub fn short_name(full: &str, prefix: &str) -> String {
    full.strip_prefix(prefix)
        .unwrap_or(full)
        .to_ascii_lowercase()
}

/// The domain kind of a wire kind; `None` for `KIND_UNSPECIFIED`.
pub fn kind(k: pb::Kind) -> Option<Kind> {
    Kind::ALL.into_iter().find(|d| pb::Kind::from(*d) == k)
}

/// The domain status of a wire status; `None` for `STATUS_UNSPECIFIED`.
pub fn status(s: pb::Status) -> Option<Status> {
    Status::ALL.into_iter().find(|d| pb::Status::from(*d) == s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_domain_value_round_trips() {
        for k in Kind::ALL {
            assert_eq!(kind(k.into()), Some(k));
        }
        for s in Status::ALL {
            assert_eq!(status(s.into()), Some(s));
        }
        assert_eq!(kind(pb::Kind::Unspecified), None);
        for k in EvidenceKind::ALL {
            assert_eq!(evidence_kind(k.into()), Some(k));
            // The typed value and the deprecated string say the same.
            assert_eq!(
                short_name(pb::EvidenceKind::from(k).as_str_name(), "EVIDENCE_KIND_"),
                k.as_str()
            );
        }
        assert_eq!(evidence_kind(pb::EvidenceKind::Unspecified), None);
        for c in [
            AlertChange::DueSoon,
            AlertChange::Overdue,
            AlertChange::Resolved,
        ] {
            assert_eq!(
                short_name(pb::AlertChange::from(c).as_str_name(), "ALERT_CHANGE_"),
                c.as_str()
            );
        }
        for k in [AlertKind::DueSoon, AlertKind::Overdue] {
            assert_eq!(
                short_name(pb::AlertKind::from(k).as_str_name(), "ALERT_KIND_"),
                k.as_str()
            );
        }
        assert_eq!(status(pb::Status::Unspecified), None);
    }
}
