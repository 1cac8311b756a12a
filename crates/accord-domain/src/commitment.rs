//! The commitment aggregate: its state, the commands on it and the rules
//! that decide them (`decide`), and how events change it (`apply`).
//!
//! Rules, in short:
//! - statuses are per committing party; the commitment's own status is
//!   derived from them (all equal: that status; mixed: see [`overall`]);
//! - a status must fit the kind (stances are `maintained`/`contradicted`,
//!   never scored for compliance);
//! - `fulfilled` needs delivery evidence: a reaffirmation alone never does it;
//! - terminal statuses change only by an explicit reassessment;
//! - a rejected or merged-away commitment takes no further commands.

use crate::event::{
    iso_date, Alert, CommitmentConfirmed, CommitmentDueSoon, CommitmentMade, CommitmentOverdue,
    CommitmentRejected, CommitmentSuperseded, CommitmentsMerged, DeadlineBasis, DeadlineExtended,
    DeadlineWaived, Envelope, Event, EventMeta, Evidence, EvidenceAttached, FollowUpProposed,
    ProposalResolved, StatusAssessed,
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
    /// Derived from `party_status`.
    pub status: Status,
    pub party_status: Vec<PartyStatus>,
    pub review: Review,
    pub evidence: Vec<AttachedEvidence>,
    pub history: Vec<StatusChange>,
    pub superseded_by: Option<CommitmentId>,
    /// Follow-ups waiting for a reviewer.
    pub proposals: Vec<FollowUpProposed>,
    /// Command ids already applied, with the log positions they produced.
    pub commands: BTreeMap<String, Vec<u64>>,
    /// The assessment window; `None` for stances, before it is set, or once waived.
    pub deadline: Option<Deadline>,
    /// Every alert raised, resolved or not.
    pub alerts: Vec<RaisedAlert>,
    #[serde(with = "time::serde::rfc3339")]
    pub recorded_at: OffsetDateTime,
    /// Log position of the commitment's latest event: the version that
    /// optimistic concurrency compares against.
    pub version: u64,
    /// Log position of the event that created it.
    pub created_at_position: u64,
}

impl Commitment {
    fn made(e: &CommitmentMade, meta: &EventMeta, position: u64) -> Self {
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

/// What an analyst (or the follow-up linker) asks of a commitment.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Confirm {
        by: String,
        note: Option<String>,
    },
    Reject {
        by: String,
        reason: String,
    },
    MergeInto {
        into: CommitmentId,
        by: String,
    },
    AttachEvidence {
        evidence: Evidence,
        by: String,
    },
    AssessStatus {
        party: Option<Party>,
        status: Status,
        reason: Option<ReasonCode>,
        effective: Date,
        assessor: String,
        note: Option<String>,
        reassessment: bool,
        evidence_ids: Vec<String>,
    },
    Supersede {
        successor: CommitmentId,
        effective: Date,
        by: String,
        evidence_ids: Vec<String>,
    },
    Propose {
        proposal_id: String,
        evidence: Evidence,
        status: Option<Status>,
        successor: Option<CommitmentId>,
    },
    ResolveProposal {
        proposal_id: String,
        accept: bool,
        by: String,
    },
    /// Move the assessment window.
    ExtendDeadline {
        to: Date,
        reason: String,
        by: String,
    },
    /// Hold the commitment to no date.
    WaiveDeadline {
        reason: String,
        by: String,
    },
    /// Evidence plus the status (or successor) it supports, as one change.
    RecordFollowUp {
        evidence: Evidence,
        status: Option<Status>,
        successor: Option<CommitmentId>,
        by: String,
    },
}

/// Why a command on a commitment was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CommitmentError {
    #[error("commitment {id} was rejected as a false alarm; it takes no further changes")]
    Rejected { id: CommitmentId },
    #[error("commitment {id} was merged into {into}; send changes to {into}")]
    Merged {
        id: CommitmentId,
        into: CommitmentId,
    },
    #[error("cannot move {party} on {id} from {from} to {to}: {why}")]
    IllegalTransition {
        id: CommitmentId,
        party: Party,
        from: Status,
        to: Status,
        why: &'static str,
    },
    #[error("status {status} does not apply to a {kind} commitment{hint}")]
    StatusDoesNotFit {
        status: Status,
        kind: Kind,
        hint: &'static str,
    },
    #[error("cannot mark {id} fulfilled from {from}: no delivery evidence (instrument_signed, completion, budget or over_implementation) is attached; a reaffirmation alone never fulfils a commitment")]
    NeedsDeliveryEvidence { id: CommitmentId, from: Status },
    #[error("{party} is not a committer of {id} (committers: {committers})")]
    NotACommitter {
        id: CommitmentId,
        party: Party,
        committers: String,
    },
    #[error("{field}: {reason}")]
    Invalid { field: &'static str, reason: String },
}

fn invalid(field: &'static str, reason: impl Into<String>) -> CommitmentError {
    CommitmentError::Invalid {
        field,
        reason: reason.into(),
    }
}

/// Decides a command against the current state: the events to append, or
/// why not. An empty list means "already so": nothing to append.
pub fn decide(state: &Commitment, command: &Command) -> Result<Vec<Event>, CommitmentError> {
    let id = state.id.clone();
    match &state.review {
        Review::Rejected => return Err(CommitmentError::Rejected { id }),
        Review::Merged(into) => {
            return Err(CommitmentError::Merged {
                id,
                into: into.clone(),
            })
        }
        _ => {}
    }
    match command {
        Command::Confirm { by, note } => {
            if state.review == Review::Confirmed {
                return Ok(vec![]);
            }
            Ok(vec![Event::CommitmentConfirmed(CommitmentConfirmed {
                commitment_id: id,
                by: non_empty("by", by)?,
                note: note.clone(),
            })])
        }
        Command::Reject { by, reason } => Ok(vec![Event::CommitmentRejected(CommitmentRejected {
            commitment_id: id,
            by: non_empty("by", by)?,
            reason: non_empty("reason", reason)?,
        })]),
        Command::MergeInto { into, by } => {
            if into == &state.id {
                return Err(invalid("into", "a commitment cannot be merged into itself"));
            }
            Ok(vec![Event::CommitmentsMerged(CommitmentsMerged {
                commitment_id: id,
                into: into.clone(),
                by: non_empty("by", by)?,
            })])
        }
        Command::AttachEvidence { evidence, by } => {
            check_evidence(evidence)?;
            if state
                .evidence
                .iter()
                .any(|e| e.evidence.evidence_id == evidence.evidence_id)
            {
                return Ok(vec![]);
            }
            Ok(vec![Event::EvidenceAttached(EvidenceAttached {
                commitment_id: id,
                evidence: evidence.clone(),
                by: non_empty("by", by)?,
            })])
        }
        Command::AssessStatus {
            party,
            status,
            reason,
            effective,
            assessor,
            note,
            reassessment,
            evidence_ids,
        } => {
            check_assessment(state, party.as_ref(), *status, *reassessment)?;
            for e in evidence_ids {
                if !state.evidence.iter().any(|a| &a.evidence.evidence_id == e) {
                    return Err(invalid(
                        "evidence_ids",
                        format!("no evidence {e:?} is attached to {}", state.id),
                    ));
                }
            }
            Ok(vec![Event::StatusAssessed(StatusAssessed {
                commitment_id: id,
                party: party.clone(),
                status: *status,
                reason: *reason,
                effective: *effective,
                assessor: non_empty("assessor", assessor)?,
                note: note.clone(),
                reassessment: *reassessment,
                evidence_ids: evidence_ids.clone(),
            })])
        }
        Command::Supersede {
            successor,
            effective,
            by,
            evidence_ids,
        } => {
            if successor == &state.id {
                return Err(invalid("successor", "a commitment cannot supersede itself"));
            }
            if state.superseded_by.as_ref() == Some(successor) {
                return Ok(vec![]);
            }
            check_assessment(state, None, Status::Superseded, false)?;
            Ok(vec![Event::CommitmentSuperseded(CommitmentSuperseded {
                commitment_id: id,
                successor: successor.clone(),
                effective: *effective,
                by: non_empty("by", by)?,
                evidence_ids: evidence_ids.clone(),
            })])
        }
        Command::Propose {
            proposal_id,
            evidence,
            status,
            successor,
        } => {
            check_evidence(evidence)?;
            if state
                .proposals
                .iter()
                .any(|p| &p.proposal_id == proposal_id)
            {
                return Ok(vec![]);
            }
            Ok(vec![Event::FollowUpProposed(FollowUpProposed {
                commitment_id: id,
                proposal_id: non_empty("proposal_id", proposal_id)?,
                evidence: evidence.clone(),
                status: *status,
                successor: successor.clone(),
            })])
        }
        Command::ExtendDeadline { to, reason, by } => {
            if state.kind == Kind::Stance {
                return Err(invalid("deadline", "stances have no deadline"));
            }
            let reason = non_empty("reason", reason)?;
            let by = non_empty("by", by)?;
            match &state.deadline {
                Some(d) if d.due == *to => Ok(vec![]),
                Some(d) => Ok(vec![Event::DeadlineExtended(DeadlineExtended {
                    commitment_id: id,
                    from: d.due,
                    to: *to,
                    reason,
                    by,
                })]),
                None => Ok(vec![Event::DeadlineSet(crate::event::DeadlineSet {
                    commitment_id: id,
                    due: *to,
                    basis: DeadlineBasis::Analyst,
                    reason: format!("{reason} (set by {by})"),
                })]),
            }
        }
        Command::WaiveDeadline { reason, by } => match &state.deadline {
            None => Ok(vec![]),
            Some(d) => Ok(vec![Event::DeadlineWaived(DeadlineWaived {
                commitment_id: id,
                from: Some(d.due),
                reason: non_empty("reason", reason)?,
                by: non_empty("by", by)?,
            })]),
        },
        Command::RecordFollowUp {
            evidence,
            status,
            successor,
            by,
        } => follow_up_events(state, evidence, *status, successor.as_ref(), by),
        Command::ResolveProposal {
            proposal_id,
            accept,
            by,
        } => {
            let Some(p) = state
                .proposals
                .iter()
                .find(|p| &p.proposal_id == proposal_id)
            else {
                return Err(invalid(
                    "proposal_id",
                    format!("{} has no pending proposal {proposal_id:?}", state.id),
                ));
            };
            let by = non_empty("by", by)?;
            let mut events = vec![Event::ProposalResolved(ProposalResolved {
                commitment_id: id.clone(),
                proposal_id: proposal_id.clone(),
                accepted: *accept,
                by: by.clone(),
            })];
            if *accept {
                let mut followed = state.clone();
                for e in &events {
                    followed = apply(Some(followed), &EventMeta::placeholder(), 0, e)
                        .expect("state stays");
                }
                events.extend(follow_up_events(
                    &followed,
                    &p.evidence,
                    p.status,
                    p.successor.as_ref(),
                    &by,
                )?);
            }
            Ok(events)
        }
    }
}

/// The events that record a follow-up: its evidence, then the status it
/// supports (if that is a legal move), or the supersession.
pub fn follow_up_events(
    state: &Commitment,
    evidence: &Evidence,
    status: Option<Status>,
    successor: Option<&CommitmentId>,
    by: &str,
) -> Result<Vec<Event>, CommitmentError> {
    let mut events = decide(
        state,
        &Command::AttachEvidence {
            evidence: evidence.clone(),
            by: by.to_owned(),
        },
    )?;
    let mut next = state.clone();
    for e in &events {
        next = apply(Some(next), &EventMeta::placeholder(), 0, e).expect("state stays");
    }
    if let Some(successor) = successor {
        events.extend(decide(
            &next,
            &Command::Supersede {
                successor: successor.clone(),
                effective: evidence.date,
                by: by.to_owned(),
                evidence_ids: vec![evidence.evidence_id.clone()],
            },
        )?);
    } else if let Some(status) = status {
        if state.party_status.iter().any(|p| p.status != status) {
            events.extend(decide(
                &next,
                &Command::AssessStatus {
                    party: None,
                    status,
                    reason: Some(ReasonCode::EvidenceFound),
                    effective: evidence.date,
                    assessor: by.to_owned(),
                    note: None,
                    reassessment: false,
                    evidence_ids: vec![evidence.evidence_id.clone()],
                },
            )?);
        }
    }
    Ok(events)
}

fn non_empty(field: &'static str, value: &str) -> Result<String, CommitmentError> {
    let v = value.trim();
    if v.is_empty() {
        return Err(invalid(field, "is required"));
    }
    Ok(v.to_owned())
}

fn check_evidence(e: &Evidence) -> Result<(), CommitmentError> {
    non_empty("evidence.evidence_id", &e.evidence_id)?;
    non_empty("evidence.source_type", &e.source_type)?;
    if let Some(c) = e.link_confidence {
        if !(0.0..=1.0).contains(&c) {
            return Err(invalid(
                "evidence.link_confidence",
                format!("{c} is outside 0..=1"),
            ));
        }
    }
    Ok(())
}

fn check_assessment(
    state: &Commitment,
    party: Option<&Party>,
    to: Status,
    reassessment: bool,
) -> Result<(), CommitmentError> {
    if to == Status::NotYetAssessed {
        return Err(invalid(
            "status",
            "not_yet_assessed is where commitments start; it cannot be assessed",
        ));
    }
    if !to.fits(state.kind) {
        let hint = if state.kind == Kind::Stance {
            " (stances are maintained or contradicted)"
        } else {
            ""
        };
        return Err(CommitmentError::StatusDoesNotFit {
            status: to,
            kind: state.kind,
            hint,
        });
    }
    if let Some(p) = party {
        if !state.is_committed_by(p) {
            let committers = state
                .committers
                .iter()
                .map(Party::as_str)
                .collect::<Vec<_>>()
                .join(", ");
            return Err(CommitmentError::NotACommitter {
                id: state.id.clone(),
                party: p.clone(),
                committers,
            });
        }
    }
    for current in state
        .party_status
        .iter()
        .filter(|s| party.is_none_or(|p| p == &s.party))
    {
        if current.status.is_terminal() && current.status != to && !reassessment {
            return Err(CommitmentError::IllegalTransition {
                id: state.id.clone(),
                party: current.party.clone(),
                from: current.status,
                to,
                why: "a terminal status changes only by an explicit reassessment",
            });
        }
        if to == Status::Fulfilled
            && current.status != Status::Fulfilled
            && !state
                .evidence
                .iter()
                .any(|e| e.evidence.kind.shows_delivery())
        {
            return Err(CommitmentError::NeedsDeliveryEvidence {
                id: state.id.clone(),
                from: current.status,
            });
        }
    }
    Ok(())
}

/// Folds events `(log position, envelope)`, in log order, onto `state`: the
/// one fold every reader of a commitment's history uses (store, commands,
/// watches, ingest's own preview).
pub fn replay<'a>(
    state: Option<Commitment>,
    events: impl IntoIterator<Item = (u64, &'a Envelope)>,
) -> Option<Commitment> {
    events.into_iter().fold(state, |s, (position, e)| {
        apply(s, &e.meta, position, &e.event)
    })
}

/// Folds one event at log `position` into a commitment's state. Events for
/// other aggregates, and a repeated `CommitmentMade`, leave it unchanged.
pub fn apply(
    state: Option<Commitment>,
    meta: &EventMeta,
    position: u64,
    event: &Event,
) -> Option<Commitment> {
    let mut c = match (state, event) {
        (None, Event::CommitmentMade(e)) => return Some(Commitment::made(e, meta, position)),
        (None, _) => return None,
        (
            Some(c),
            Event::CommitmentMade(_) | Event::DocumentIngested(_) | Event::ReadoutText(_),
        ) => return Some(c),
        (Some(c), _) => c,
    };
    match event {
        Event::CommitmentConfirmed(_) => c.review = Review::Confirmed,
        Event::CommitmentRejected(_) => c.review = Review::Rejected,
        Event::CommitmentsMerged(e) => c.review = Review::Merged(e.into.clone()),
        Event::EvidenceAttached(e) => {
            if !c
                .evidence
                .iter()
                .any(|a| a.evidence.evidence_id == e.evidence.evidence_id)
            {
                c.evidence.push(AttachedEvidence {
                    evidence: e.evidence.clone(),
                    position,
                });
            }
        }
        Event::StatusAssessed(e) => {
            let support = evidence_positions(&c, &e.evidence_ids);
            set_status(
                &mut c,
                e.party.as_ref(),
                e.status,
                e.reason,
                e.effective,
                &e.assessor,
                position,
                &support,
            );
        }
        Event::CommitmentSuperseded(e) => {
            c.superseded_by = Some(e.successor.clone());
            let support = evidence_positions(&c, &e.evidence_ids);
            set_status(
                &mut c,
                None,
                Status::Superseded,
                None,
                e.effective,
                &e.by,
                position,
                &support,
            );
        }
        Event::FollowUpProposed(e) => {
            if !c.proposals.iter().any(|p| p.proposal_id == e.proposal_id) {
                c.proposals.push(e.clone());
            }
        }
        Event::ProposalResolved(e) => c.proposals.retain(|p| p.proposal_id != e.proposal_id),
        Event::DeadlineSet(e) => {
            c.deadline = Some(Deadline {
                due: e.due,
                basis: e.basis,
                reason: e.reason.clone(),
                position,
            });
        }
        Event::DeadlineExtended(e) => {
            c.deadline = Some(Deadline {
                due: e.to,
                basis: DeadlineBasis::Analyst,
                reason: e.reason.clone(),
                position,
            });
        }
        Event::DeadlineWaived(_) => c.deadline = None,
        Event::CommitmentDueSoon(CommitmentDueSoon { alert })
        | Event::CommitmentOverdue(CommitmentOverdue { alert }) => {
            if !c.alerts.iter().any(|a| a.alert.alert_id == alert.alert_id) {
                c.alerts.push(RaisedAlert {
                    alert: alert.clone(),
                    position,
                    resolved_at_position: None,
                    resolution: None,
                });
            }
        }
        Event::AlertResolved(e) => {
            for a in c.alerts.iter_mut().filter(|a| {
                a.alert.alert_id == e.alert.alert_id && a.resolved_at_position.is_none()
            }) {
                a.resolved_at_position = Some(position);
                a.resolution = Some(e.reason.clone());
            }
        }
        Event::CommitmentMade(_) | Event::DocumentIngested(_) | Event::ReadoutText(_) => {
            unreachable!("handled above")
        }
    }
    if position > 0 {
        c.version = position;
        if let Some(command) = meta.command_id() {
            c.commands
                .entry(command.to_owned())
                .or_default()
                .push(position);
        }
    }
    Some(c)
}

fn evidence_positions(c: &Commitment, ids: &[String]) -> Vec<u64> {
    c.evidence
        .iter()
        .filter(|a| ids.contains(&a.evidence.evidence_id))
        .map(|a| a.position)
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn set_status(
    c: &mut Commitment,
    party: Option<&Party>,
    to: Status,
    reason: Option<ReasonCode>,
    effective: Date,
    assessor: &str,
    position: u64,
    support: &[u64],
) {
    let mut changes = Vec::new();
    for s in c
        .party_status
        .iter_mut()
        .filter(|s| party.is_none_or(|p| p == &s.party))
    {
        changes.push(StatusChange {
            party: s.party.clone(),
            from: s.status,
            to,
            reason,
            effective,
            assessor: assessor.to_owned(),
            position,
        });
        s.status = to;
        s.reason = reason;
        s.effective = Some(effective);
        s.positions = std::iter::once(position)
            .chain(support.iter().copied())
            .collect();
        s.positions.sort_unstable();
    }
    c.history.extend(changes);
    c.status = overall(c.kind, &c.party_status);
}

impl EventMeta {
    /// Meta for trial applications inside `decide` (never written anywhere).
    fn placeholder() -> EventMeta {
        EventMeta {
            id: crate::EventId::derive("placeholder", "placeholder"),
            occurred_at: OffsetDateTime::UNIX_EPOCH,
            recorded_at: OffsetDateTime::UNIX_EPOCH,
            correlation_id: String::new(),
        }
    }
}

#[cfg(test)]
mod tests;
