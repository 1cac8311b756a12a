//! The one place where errors become gRPC status codes.

use accord_auth::AuthErrorKind;
use accord_bus::BusError;
use accord_domain::commitment::CommitmentError;
use accord_domain::DomainError;
use accord_store::StoreError;
use tonic::Status;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{field}: {reason}")]
    InvalidArgument { field: &'static str, reason: String },
    #[error("{what} {id} not found")]
    NotFound { what: &'static str, id: String },
    #[error("min_position {wanted} is beyond the end of the event log (last position {last})")]
    BeyondLog { wanted: u64, last: u64 },
    #[error("the projection is at position {at} and did not reach min_position {wanted} within {waited_ms} ms; retry later")]
    NotCaughtUp {
        wanted: u64,
        at: u64,
        waited_ms: u128,
    },
    #[error("commitment {commitment_id} is at version {current}, not the expected {expected}; re-read it and retry")]
    Conflict {
        commitment_id: String,
        expected: u64,
        current: u64,
    },
    #[error(transparent)]
    Refused(#[from] CommitmentError),
    #[error("this replica does not serve {0}; send it to a replica with that role")]
    RoleMissing(&'static str),
    #[error(transparent)]
    Bus(#[from] BusError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("linking readout {document} left {failed} link(s) unrecorded; it is read again")]
    LinkerRetry { document: String, failed: u64 },
    #[error("rebuild failed: {0}")]
    Rebuild(#[from] accord_projector::ProjectorError),
    #[error(transparent)]
    Auth(#[from] accord_auth::AuthError),
}

impl From<DomainError> for ApiError {
    fn from(e: DomainError) -> Self {
        match e {
            DomainError::Invalid { field, reason } => ApiError::InvalidArgument { field, reason },
            DomainError::AlreadyIngested(id) => ApiError::InvalidArgument {
                field: "text",
                reason: format!("document {id} was already ingested"),
            },
        }
    }
}

impl From<ApiError> for Status {
    fn from(e: ApiError) -> Status {
        let message = e.to_string();
        match e {
            ApiError::InvalidArgument { .. } => Status::invalid_argument(message),
            ApiError::NotFound { .. } => Status::not_found(message),
            ApiError::BeyondLog { .. } => Status::out_of_range(message),
            ApiError::NotCaughtUp { .. } => Status::deadline_exceeded(message),
            ApiError::RoleMissing(_) => Status::unimplemented(message),
            ApiError::Conflict { .. } | ApiError::Bus(BusError::VersionConflict { .. }) => {
                Status::aborted(message)
            }
            ApiError::Refused(
                CommitmentError::Invalid { .. }
                | CommitmentError::NotACommitter { .. }
                | CommitmentError::StatusDoesNotFit { .. },
            ) => Status::invalid_argument(message),
            ApiError::Refused(_) => Status::failed_precondition(message),
            ApiError::Bus(BusError::BatchTooLarge { .. } | BusError::EventTooLarge { .. }) => {
                Status::invalid_argument(format!("text: {message}"))
            }
            // Sent, answer lost: a retry is safe (command ids and document
            // ids make appends idempotent) and tells what happened.
            ApiError::Bus(BusError::Unconfirmed(_)) => Status::deadline_exceeded(format!(
                "{message}; retry with the same command_id (or the same readout): it is idempotent"
            )),
            ApiError::Bus(BusError::LogFull(_)) => Status::resource_exhausted(message),
            ApiError::Bus(_) | ApiError::LinkerRetry { .. } => Status::unavailable(message),
            ApiError::Store(_) | ApiError::Rebuild(_) => Status::internal(message),
            ApiError::Auth(e) => match e.kind() {
                AuthErrorKind::Unauthenticated => Status::unauthenticated(message),
                AuthErrorKind::PermissionDenied => Status::permission_denied(message),
            },
        }
    }
}

pub fn invalid(field: &'static str, reason: impl Into<String>) -> ApiError {
    ApiError::InvalidArgument {
        field,
        reason: reason.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lost_acknowledgement_is_not_nats_being_down() {
        let lost = Status::from(ApiError::Bus(BusError::Unconfirmed("timed out".into())));
        assert_eq!(lost.code(), tonic::Code::DeadlineExceeded);
        assert!(lost.message().contains("may have landed"), "{lost:?}");
        assert!(lost.message().contains("same command_id"), "{lost:?}");
        let down = Status::from(ApiError::Bus(BusError::Publish(
            "not connected to NATS; nothing was appended".into(),
        )));
        assert_eq!(down.code(), tonic::Code::Unavailable);
        let too_big = Status::from(ApiError::Bus(BusError::EventTooLarge {
            event: "ReadoutText",
            bytes: 2 << 20,
            max: 1 << 20,
        }));
        assert_eq!(too_big.code(), tonic::Code::InvalidArgument);
        assert!(too_big.message().starts_with("text: "), "{too_big:?}");
    }
}
