//! The one mapping between the domain's enums and their wire enums, shared by
//! the server and its clients (the CLI), so neither reaches into the other.

use crate::v1 as pb;
use accord_domain::{Kind, Status};

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
        assert_eq!(status(pb::Status::Unspecified), None);
    }
}
