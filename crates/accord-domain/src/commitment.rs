//! The commitment aggregate: its state and how events change it.

use crate::event::{iso_date, CommitmentMade, Event, EventMeta};
use serde::{Deserialize, Serialize};
use crate::ids::{CommitmentId, DocumentId};
use crate::model::{Kind, Party, Span, Status};
use time::{Date, OffsetDateTime};

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
    pub status: Status,
    #[serde(with = "time::serde::rfc3339")]
    pub recorded_at: OffsetDateTime,
    /// How many of this commitment's events have been applied.
    pub version: u64,
}

impl Commitment {
    fn made(e: &CommitmentMade, meta: &EventMeta) -> Self {
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
            status: Status::NotYetAssessed,
            recorded_at: meta.recorded_at,
            version: 1,
        }
    }

    pub fn is_committed_by(&self, party: &Party) -> bool {
        self.committers.contains(party)
    }
}

/// Folds one event into a commitment's state. A repeated `CommitmentMade`
/// (the same fact seen twice) leaves the state as it is.
pub fn apply(state: Option<Commitment>, meta: &EventMeta, event: &Event) -> Option<Commitment> {
    match (state, event) {
        (None, Event::CommitmentMade(e)) => Some(Commitment::made(e, meta)),
        (state, _) => state,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::tests::sample_made;
    use time::macros::datetime;

    #[test]
    fn made_starts_not_yet_assessed_and_repeats_are_no_ops() {
        let event = Event::CommitmentMade(sample_made());
        let meta = EventMeta {
            id: event.natural_id(),
            occurred_at: datetime!(2017-10-31 0:00 UTC),
            recorded_at: datetime!(2026-11-27 0:00 UTC),
            correlation_id: "t".into(),
        };
        let once = apply(None, &meta, &event).unwrap();
        assert_eq!(once.status, Status::NotYetAssessed);
        assert_eq!(once.version, 1);
        let twice = apply(Some(once.clone()), &meta, &event).unwrap();
        assert_eq!(once, twice);
    }
}
