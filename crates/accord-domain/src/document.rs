//! Documents: the readouts Accord ingested. Ingest is a command on a document
//! that either produces the document's events or says it is already known.

use crate::alerts::{window, DeadlinePolicy};
use crate::event::{
    iso_date, CommitmentMade, DeadlineSet, DocumentIngested, Event, ReadoutText, SentenceText,
};
use crate::ids::{CommitmentId, DocumentId};
use crate::model::{Kind, Party, Span};
use crate::DomainError;
use serde::{Deserialize, Serialize};
use time::Date;

/// What the projection knows of an ingested readout.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub id: DocumentId,
    pub title: Option<String>,
    pub source: Option<String>,
    #[serde(with = "iso_date::option")]
    pub date: Option<Date>,
    pub publisher: Option<Party>,
    pub bytes: u64,
    pub extractor: String,
    pub commitments: Vec<CommitmentId>,
}

/// A commitment as the extractor proposes it.
#[derive(Debug, Clone, PartialEq)]
pub struct NewCommitment {
    pub kind: Kind,
    pub committers: Vec<Party>,
    pub counterparts: Vec<Party>,
    pub text: String,
    pub span: Span,
    pub cue: String,
    pub due: Option<Date>,
    pub confidence: f32,
    pub topics: Vec<String>,
    /// The PDF page the text starts on, for a PDF readout.
    pub page: Option<u32>,
}

/// Record a readout and what was extracted from it.
#[derive(Debug, Clone, PartialEq)]
pub struct IngestReadout {
    pub document_id: DocumentId,
    pub title: Option<String>,
    pub source: Option<String>,
    pub date: Option<Date>,
    pub publisher: Option<Party>,
    pub bytes: u64,
    pub extractor: String,
    pub commitments: Vec<NewCommitment>,
    /// How assessment windows are chosen when the text gives no time.
    pub deadlines: DeadlinePolicy,
    /// The meeting's parties and the readout's sentences, for the linker
    /// (no `ReadoutText` event when empty).
    pub parties: Vec<Party>,
    pub sentences: Vec<SentenceText>,
    /// Who met, as the readout names them (see `ReadoutText::meeting`).
    pub meeting: Vec<Party>,
}

/// Decides an ingest: one `CommitmentMade` per commitment, then
/// `DocumentIngested` last (its log position marks the end of the ingest).
pub fn decide(state: Option<&Document>, cmd: IngestReadout) -> Result<Vec<Event>, DomainError> {
    if let Some(doc) = state {
        return Err(DomainError::AlreadyIngested(doc.id.clone()));
    }
    let meetings: Vec<(Vec<Party>, Date)> = cmd
        .commitments
        .iter()
        .filter(|c| c.kind == Kind::Meeting)
        .filter_map(|c| Some((sorted_unique(c.committers.clone()), c.due?)))
        .collect();
    let meetings: Vec<(&[Party], Date)> =
        meetings.iter().map(|(p, d)| (p.as_slice(), *d)).collect();
    let mut seen = std::collections::HashSet::new();
    let mut events = Vec::with_capacity(cmd.commitments.len() + 1);
    let mut ids = Vec::with_capacity(cmd.commitments.len());
    for (i, c) in cmd.commitments.into_iter().enumerate() {
        if c.committers.is_empty() {
            return Err(DomainError::Invalid {
                field: "commitments.committers",
                reason: format!("commitment #{i} ({:?}) names no committer", c.text),
            });
        }
        if c.span.start >= c.span.end || c.span.end as u64 > cmd.bytes {
            return Err(DomainError::Invalid {
                field: "commitments.span",
                reason: format!(
                    "commitment #{i} span {}..{} is outside the {}-byte document",
                    c.span.start, c.span.end, cmd.bytes
                ),
            });
        }
        let id = CommitmentId::for_span(&cmd.document_id, c.span);
        if !seen.insert(id.clone()) {
            continue; // the same span twice is one commitment
        }
        ids.push(id.clone());
        events.push(Event::CommitmentMade(CommitmentMade {
            commitment_id: id.clone(),
            document_id: cmd.document_id.clone(),
            kind: c.kind,
            committers: sorted_unique(c.committers),
            counterparts: sorted_unique(c.counterparts),
            text: c.text,
            span: c.span,
            cue: c.cue,
            due: c.due,
            confidence: c.confidence,
            meeting_date: cmd.date,
            topics: c.topics,
            page: c.page,
        }));
        let committers = match events.last() {
            Some(Event::CommitmentMade(m)) => m.committers.clone(),
            _ => unreachable!("just pushed"),
        };
        if let Some(meeting_date) = cmd.date {
            if let Some((due, basis, reason)) = window(
                c.kind,
                &committers,
                c.due,
                meeting_date,
                &meetings,
                &cmd.deadlines,
            ) {
                events.push(Event::DeadlineSet(DeadlineSet {
                    commitment_id: id.clone(),
                    due,
                    basis,
                    reason,
                }));
            }
        }
    }
    if let (Some(date), false) = (cmd.date, cmd.sentences.is_empty()) {
        events.push(Event::ReadoutText(ReadoutText {
            document_id: cmd.document_id.clone(),
            date,
            parties: cmd.parties,
            sentences: cmd.sentences,
            meeting: (!cmd.meeting.is_empty()).then(|| sorted_unique(cmd.meeting)),
        }));
    }
    events.push(Event::DocumentIngested(DocumentIngested {
        document_id: cmd.document_id,
        title: cmd.title,
        source: cmd.source,
        date: cmd.date,
        publisher: cmd.publisher,
        bytes: cmd.bytes,
        extractor: cmd.extractor,
        commitments: ids,
    }));
    Ok(events)
}

fn sorted_unique(mut parties: Vec<Party>) -> Vec<Party> {
    parties.sort();
    parties.dedup();
    parties
}

/// Folds a document event into the document's state. Events of other
/// aggregates and repeats leave it unchanged.
pub fn apply(state: Option<Document>, event: &Event) -> Option<Document> {
    match (state, event) {
        (None, Event::DocumentIngested(e)) => Some(Document {
            id: e.document_id.clone(),
            title: e.title.clone(),
            source: e.source.clone(),
            date: e.date,
            publisher: e.publisher.clone(),
            bytes: e.bytes,
            extractor: e.extractor.clone(),
            commitments: e.commitments.clone(),
        }),
        (state, _) => state,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn cmd(text: &str) -> IngestReadout {
        IngestReadout {
            document_id: DocumentId::for_text(text),
            title: Some("Japan-NATO".into()),
            source: None,
            date: Some(date!(2017 - 10 - 31)),
            publisher: None,
            bytes: text.len() as u64,
            extractor: "test".into(),
            deadlines: DeadlinePolicy::default(),
            parties: vec![],
            meeting: vec![],
            sentences: vec![],
            commitments: vec![NewCommitment {
                kind: Kind::Action,
                committers: vec![
                    Party::new("NATO").unwrap(),
                    Party::new("JPN").unwrap(),
                    Party::new("JPN").unwrap(),
                ],
                counterparts: vec![],
                text: "start an update".into(),
                span: Span { start: 0, end: 15 },
                cue: "would start".into(),
                due: None,
                confidence: 0.9,
                topics: vec![],
                page: None,
            }],
        }
    }

    #[test]
    fn the_readout_text_keeps_who_met_apart_from_everyone_named() {
        let p = |c: &str| Party::new(c).unwrap();
        let mut with_text = cmd("start an update on the IPCP");
        with_text.sentences = vec![SentenceText {
            span: Span { start: 0, end: 27 },
            text: "start an update on the IPCP".into(),
        }];
        with_text.parties = vec![p("NATO"), p("JPN"), p("UKR")];
        with_text.meeting = vec![p("NATO"), p("JPN"), p("JPN")];
        let events = decide(None, with_text.clone()).unwrap();
        let Some(Event::ReadoutText(text)) =
            events.iter().find(|e| matches!(e, Event::ReadoutText(_)))
        else {
            panic!("{events:?}")
        };
        assert_eq!(text.meeting, Some(vec![p("JPN"), p("NATO")]));
        // nothing known of the meeting: the field stays out of the event
        with_text.meeting = vec![];
        let events = decide(None, with_text).unwrap();
        let Some(Event::ReadoutText(text)) =
            events.iter().find(|e| matches!(e, Event::ReadoutText(_)))
        else {
            panic!("{events:?}")
        };
        assert_eq!(text.meeting, None);
    }

    #[test]
    fn ingest_makes_commitments_then_the_document() {
        let events = decide(None, cmd("start an update on the IPCP")).unwrap();
        let types: Vec<_> = events.iter().map(Event::type_name).collect();
        assert_eq!(types, ["CommitmentMade", "DeadlineSet", "DocumentIngested"]);
        let Event::CommitmentMade(made) = &events[0] else {
            panic!("{events:?}")
        };
        assert_eq!(
            made.committers
                .iter()
                .map(Party::as_str)
                .collect::<Vec<_>>(),
            ["JPN", "NATO"]
        );
        let Event::DeadlineSet(window) = &events[1] else {
            panic!("{events:?}")
        };
        assert_eq!(window.due, date!(2018 - 10 - 31), "the 12-month horizon");
        let Event::DocumentIngested(doc) = &events[2] else {
            panic!("{events:?}")
        };
        assert_eq!(doc.commitments, vec![made.commitment_id.clone()]);
    }

    /// A PDF readout's page goes into `CommitmentMade` and the tracker's
    /// commitment; a text readout's events are written as before (no
    /// `page` key at all), so consumers of schema version 2 see nothing new.
    #[test]
    fn the_page_is_kept_and_absent_when_there_is_none() {
        for page in [Some(3), None] {
            let mut c = cmd("start an update on the IPCP");
            c.commitments[0].page = page;
            let events = decide(None, c).unwrap();
            let Event::CommitmentMade(made) = &events[0] else {
                panic!("{events:?}")
            };
            assert_eq!(made.page, page);
            let json = serde_json::to_value(made).unwrap();
            assert_eq!(
                json.get("page").and_then(|p| p.as_u64()),
                page.map(u64::from)
            );
            assert_eq!(json.get("page").is_some(), page.is_some(), "{json}");
            let meta = crate::EventMeta {
                id: events[0].natural_id(),
                occurred_at: time::OffsetDateTime::UNIX_EPOCH,
                recorded_at: time::OffsetDateTime::UNIX_EPOCH,
                correlation_id: "test".into(),
            };
            let tracked = crate::commitment::apply(None, &meta, 1, &events[0]).unwrap();
            assert_eq!(tracked.page, page);
        }
    }

    #[test]
    fn ingest_of_a_known_document_is_refused() {
        let events = decide(None, cmd("start an update on the IPCP")).unwrap();
        let state = events.iter().fold(None, apply);
        assert!(state.is_some());
        let err = decide(state.as_ref(), cmd("start an update on the IPCP")).unwrap_err();
        assert!(matches!(err, DomainError::AlreadyIngested(_)));
    }

    #[test]
    fn spans_outside_the_document_are_invalid() {
        let mut c = cmd("short");
        c.commitments[0].span = Span { start: 2, end: 99 };
        let err = decide(None, c).unwrap_err().to_string();
        assert!(err.contains("commitments.span"), "{err}");
        let mut c = cmd("start an update on the IPCP");
        c.commitments[0].committers.clear();
        assert!(decide(None, c)
            .unwrap_err()
            .to_string()
            .contains("names no committer"));
    }
}
