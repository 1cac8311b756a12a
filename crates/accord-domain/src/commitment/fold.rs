//! Folding events into a commitment's state, in log order.

use crate::event::{
    CommitmentDueSoon, CommitmentOverdue, DeadlineBasis, Envelope, Event, EventMeta,
};
use crate::model::{Party, ReasonCode, Status};
use time::{Date, OffsetDateTime};

use super::state::*;

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
        // What it releases is the projection's business; here it is history.
        Event::EntrySkipped(e) => {
            if !c.skipped.iter().any(|s| s.position == e.position) {
                c.skipped.push(SkippedEntry {
                    position: e.position,
                    reason: e.reason.clone(),
                    by: e.by.clone(),
                    skipped_at_position: position,
                });
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
    pub(super) fn placeholder() -> EventMeta {
        EventMeta {
            id: crate::EventId::derive("placeholder", "placeholder"),
            occurred_at: OffsetDateTime::UNIX_EPOCH,
            recorded_at: OffsetDateTime::UNIX_EPOCH,
            correlation_id: String::new(),
        }
    }
}
