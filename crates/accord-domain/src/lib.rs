//! Accord's domain: what a commitment is, which events change it, and the rules
//! that decide them. Everything here is pure: no IO, no clock, no randomness.
//! Time and ids are passed in by the edges (bus, store, api, cli).

pub mod alerts;
pub mod commitment;
pub mod document;
pub mod event;
pub mod ids;
pub mod model;
pub mod report;
pub mod schema;

pub use commitment::Commitment;
pub use document::Document;
pub use event::{DecodeError, Envelope, Event, EventMeta, Evidence, SCHEMA_VERSION};
pub use ids::{CommitmentId, DocumentId, EventId, IdError};
pub use model::{EvidenceKind, Kind, Party, PartyError, ReasonCode, Span, Status};

/// Why the domain refused a command.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    #[error("document {0} was already ingested")]
    AlreadyIngested(DocumentId),
    #[error("invalid {field}: {reason}")]
    Invalid { field: &'static str, reason: String },
}
