//! Commands on a commitment: what an analyst (or the linker) asks, and the
//! decision — the events to append, or why not.

use crate::event::{
    CommitmentConfirmed, CommitmentRejected, CommitmentSuperseded, CommitmentsMerged,
    DeadlineBasis, DeadlineExtended, DeadlineWaived, Event, EventMeta, Evidence, EvidenceAttached,
    FollowUpProposed, ProposalResolved, StatusAssessed,
};
use crate::ids::CommitmentId;
use crate::model::{Kind, Party, ReasonCode, Status};
use time::Date;

use super::fold::apply;
use super::state::{Commitment, Review};

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
    #[error("commitment {id} already holds {limit} {what}, the most one commitment keeps (its record is rewritten on every change); merge duplicates or supersede it")]
    Full {
        id: CommitmentId,
        what: &'static str,
        limit: usize,
    },
}

/// Caps on what one commitment keeps. Its record is read and rewritten on
/// every change, so lists that only grow must stop somewhere; these are far
/// above what a real promise collects, so reaching one means a runaway client.
pub const MAX_EVIDENCE: usize = 200;
pub const MAX_STATUS_CHANGES: usize = 200;
pub const MAX_PENDING_PROPOSALS: usize = 100;

fn invalid(field: &'static str, reason: impl Into<String>) -> CommitmentError {
    CommitmentError::Invalid {
        field,
        reason: reason.into(),
    }
}

/// Decides a command against the current state: the events to append, or
/// why not. An empty list means "already so": nothing to append.
pub fn decide(state: &Commitment, command: &Command) -> Result<Vec<Event>, CommitmentError> {
    let events = decide_events(state, command)?;
    check_room(state, &events)?;
    Ok(events)
}

/// Refuses events that would grow one of the commitment's lists past its cap.
fn check_room(state: &Commitment, events: &[Event]) -> Result<(), CommitmentError> {
    if events.is_empty() {
        return Ok(());
    }
    let mut after = state.clone();
    for e in events {
        after = apply(Some(after), &EventMeta::placeholder(), 0, e).expect("state stays");
    }
    let lists = [
        (
            "pieces of evidence",
            MAX_EVIDENCE,
            state.evidence.len(),
            after.evidence.len(),
        ),
        (
            "status changes",
            MAX_STATUS_CHANGES,
            state.history.len(),
            after.history.len(),
        ),
        (
            "pending proposals",
            MAX_PENDING_PROPOSALS,
            state.proposals.len(),
            after.proposals.len(),
        ),
    ];
    match lists
        .into_iter()
        .find(|&(_, limit, before, now)| now > before && now > limit)
    {
        Some((what, limit, _, _)) => Err(CommitmentError::Full {
            id: state.id.clone(),
            what,
            limit,
        }),
        None => Ok(()),
    }
}

fn decide_events(state: &Commitment, command: &Command) -> Result<Vec<Event>, CommitmentError> {
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
