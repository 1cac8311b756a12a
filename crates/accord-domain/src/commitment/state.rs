//! A commitment's state as the tracker sees it, and its derived status.

use crate::event::{
    iso_date, Alert, CommitmentMade, DeadlineBasis, EventMeta, Evidence, FollowUpProposed,
};
use crate::ids::{CommitmentId, DocumentId};
use crate::model::{Kind, Party, ReasonCode, Span, Status};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use time::{Date, OffsetDateTime};
/// Where a commitment stands in review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "state", content = "into")]
pub enum Review {
    Unreviewed,
    Confirmed,
    /// An extraction false alarm: out of the tracker, still in the log.
    Rejected,
    /// The same pledge as another commitment, which carries on.
    Merged(CommitmentId),
}

/// One party's status and what produced it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartyStatus {
    pub party: Party,
    pub status: Status,
    pub reason: Option<ReasonCode>,
    #[serde(with = "iso_date::option")]
    pub effective: Option<Date>,
    /// Log positions of the events that produced this status.
    pub positions: Vec<u64>,
}

/// One status change, kept forever (statuses are revisable; history is not).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusChange {
    pub party: Party,
    pub from: Status,
    pub to: Status,
    pub reason: Option<ReasonCode>,
    #[serde(with = "iso_date")]
    pub effective: Date,
    pub assessor: String,
    pub position: u64,
}

/// The date a commitment is to be assessed by, and why that date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Deadline {
    #[serde(with = "iso_date")]
    pub due: Date,
    pub basis: DeadlineBasis,
    pub reason: String,
    pub position: u64,
}

/// An alert raised on a commitment, and whether it was resolved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RaisedAlert {
    pub alert: Alert,
    pub position: u64,
    pub resolved_at_position: Option<u64>,
    pub resolution: Option<String>,
}

/// A parked log entry an operator skipped (`EntrySkipped`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkippedEntry {
    /// The log position of the entry skipped.
    pub position: u64,
    pub reason: String,
    pub by: String,
    /// The log position of the `EntrySkipped`.
    pub skipped_at_position: u64,
}

/// Evidence as attached, with where it sits in the log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttachedEvidence {
    pub evidence: Evidence,
    pub position: u64,
}

/// A commitment as the tracker sees it after applying its events in log order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Commitment {
    pub id: CommitmentId,
    pub document_id: DocumentId,
    pub kind: Kind,
    pub committers: Vec<Party>,
    pub counterparts: Vec<Party>,
    pub text: String,
    pub span: Span,
    pub cue: String,
    #[serde(with = "iso_date::option")]
    pub due: Option<Date>,
    pub confidence: f32,
    #[serde(with = "iso_date::option")]
    pub meeting_date: Option<Date>,
    pub topics: Vec<String>,
    /// The PDF page the text starts on (absent for text and HTML readouts,
    /// and in records written before pages were kept).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// Derived from `party_status`.
    pub status: Status,
    pub party_status: Vec<PartyStatus>,
    pub review: Review,
    pub evidence: Vec<AttachedEvidence>,
    pub history: Vec<StatusChange>,
    pub superseded_by: Option<CommitmentId>,
    /// Follow-ups waiting for a reviewer.
    pub proposals: Vec<FollowUpProposed>,
    /// Command ids applied by the events folded in, with the log positions
    /// they produced. The store moves them to rows of their own (they only
    /// grow); a stored commitment has this empty.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub commands: BTreeMap<String, Vec<u64>>,
    /// The assessment window; `None` for stances, before it is set, or once waived.
    pub deadline: Option<Deadline>,
    /// Every alert raised, resolved or not.
    pub alerts: Vec<RaisedAlert>,
    /// Parked entries skipped, in log order (absent from records written
    /// before skips existed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<SkippedEntry>,
    #[serde(with = "time::serde::rfc3339")]
    pub recorded_at: OffsetDateTime,
    /// Log position of the commitment's latest event: the version that
    /// optimistic concurrency compares against.
    pub version: u64,
    /// Log position of the event that created it.
    pub created_at_position: u64,
}

impl Commitment {
    pub(super) fn made(e: &CommitmentMade, meta: &EventMeta, position: u64) -> Self {
        Commitment {
            id: e.commitment_id.clone(),
            document_id: e.document_id.clone(),
            kind: e.kind,
            committers: e.committers.clone(),
            counterparts: e.counterparts.clone(),
            text: e.text.clone(),
            span: e.span,
            cue: e.cue.clone(),
            due: e.due,
            confidence: e.confidence,
            meeting_date: e.meeting_date,
            topics: e.topics.clone(),
            page: e.page,
            status: Status::NotYetAssessed,
            party_status: e
                .committers
                .iter()
                .map(|p| PartyStatus {
                    party: p.clone(),
                    status: Status::NotYetAssessed,
                    reason: None,
                    effective: None,
                    positions: vec![position],
                })
                .collect(),
            review: Review::Unreviewed,
            evidence: Vec::new(),
            history: Vec::new(),
            superseded_by: None,
            proposals: Vec::new(),
            commands: BTreeMap::new(),
            deadline: None,
            alerts: Vec::new(),
            skipped: Vec::new(),
            recorded_at: meta.recorded_at,
            version: position,
            created_at_position: position,
        }
    }

    pub fn is_committed_by(&self, party: &Party) -> bool {
        self.committers.contains(party)
    }

    /// Whether the commitment is still followed (not rejected, not merged away).
    pub fn is_tracked(&self) -> bool {
        matches!(self.review, Review::Unreviewed | Review::Confirmed)
    }

    pub fn status_of(&self, party: &Party) -> Option<&PartyStatus> {
        self.party_status.iter().find(|s| &s.party == party)
    }

    /// Log positions that produced the overall status.
    pub fn status_positions(&self) -> Vec<u64> {
        let mut p: Vec<u64> = self
            .party_status
            .iter()
            .flat_map(|s| s.positions.iter().copied())
            .collect();
        p.sort_unstable();
        p.dedup();
        p
    }
}

/// The commitment's own status from its parties' statuses: all equal, that
/// one; otherwise for stances `contradicted` if any party contradicted it,
/// else `maintained`; for the rest `partially_fulfilled` if any party
/// fulfilled it, `in_progress` if any is under way, else `inconclusive`.
pub fn overall(kind: Kind, parties: &[PartyStatus]) -> Status {
    let Some(first) = parties.first() else {
        return Status::NotYetAssessed;
    };
    if parties.iter().all(|p| p.status == first.status) {
        return first.status;
    }
    let any = |s: Status| parties.iter().any(|p| p.status == s);
    if kind == Kind::Stance {
        return if any(Status::Contradicted) {
            Status::Contradicted
        } else {
            Status::Maintained
        };
    }
    if any(Status::Fulfilled) || any(Status::PartiallyFulfilled) {
        Status::PartiallyFulfilled
    } else if any(Status::InProgress) {
        Status::InProgress
    } else {
        Status::Inconclusive
    }
}
