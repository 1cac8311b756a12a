//! The ingest role: a readout becomes one atomic batch of events. Planning
//! (extraction → domain decision → envelopes) is pure; [`Ingest::ingest`]
//! only appends the plan. Linking it to earlier commitments is the
//! [`crate::linker`]'s job, from the log, so ingest never waits for it.

use crate::clock::Clock;
use crate::convert;
use crate::error::{invalid, ApiError};
use crate::validate::Readout;
use accord_bus::{BusError, Outgoing};
use accord_domain::alerts::DeadlinePolicy;
use accord_domain::document::{decide, IngestReadout};
use accord_domain::event::SentenceText;
use accord_domain::{commitment, Commitment, DocumentId, Envelope, EventMeta, Party};
use accord_proto::v1 as pb;
use std::sync::Arc;
use time::{Date, OffsetDateTime};

/// Stateless, scales freely.
#[derive(Clone)]
pub struct Ingest {
    pub clock: Clock,
    pub deadlines: DeadlinePolicy,
    /// Gazetteer rows added to the extractor's own (`--gazetteer-dir`).
    pub extra: Option<Arc<accord_extract::ExtraData>>,
    /// Group commit of concurrent ingests.
    pub appender: crate::appender::Appender,
}

/// What one readout becomes.
#[derive(Debug)]
pub struct Plan {
    pub document_id: DocumentId,
    /// The meeting date (given, or found in the text).
    pub date: Date,
    /// The parties of the meeting, for linking.
    pub parties: Vec<Party>,
    /// The atomic batch, `DocumentIngested` last.
    pub envelopes: Vec<Envelope>,
}

/// Extracts and decides, without IO: the same readout, options and clock
/// always give the same envelopes.
pub fn plan(
    readout: &Readout,
    extraction: &accord_extract::Extraction,
    deadlines: &DeadlinePolicy,
    recorded_at: OffsetDateTime,
) -> Result<Plan, ApiError> {
    let Some(date) = extraction.document.date else {
        return Err(invalid(
            "date",
            "no meeting date given and none found in the text; pass date as YYYY-MM-DD",
        ));
    };
    let document_id = DocumentId::for_text(&readout.text);
    let parties = meeting_parties(readout, extraction);
    let cmd = IngestReadout {
        document_id: document_id.clone(),
        title: readout.title.clone().or(extraction.document.title.clone()),
        source: readout.source.clone(),
        date: Some(date),
        publisher: readout
            .publisher
            .clone()
            .or(extraction.document.publisher.clone()),
        bytes: readout.text.len() as u64,
        extractor: accord_extract::VERSION.to_owned(),
        deadlines: deadlines.clone(),
        parties: parties.clone(),
        meeting: extraction
            .document
            .parties
            .iter()
            .chain(readout.publisher.iter())
            .chain(extraction.document.publisher.iter())
            .cloned()
            .collect(),
        sentences: extraction
            .sentences
            .iter()
            .map(|s| SentenceText {
                span: s.span,
                text: s.text.clone(),
            })
            .collect(),
        commitments: extraction
            .commitments
            .iter()
            .map(|c| accord_domain::document::NewCommitment {
                page: (!readout.page_starts.is_empty())
                    .then(|| accord_pdf::page_of(&readout.page_starts, c.span.start)),
                ..c.to_new_commitment()
            })
            .collect(),
    };
    let occurred_at = date.midnight().assume_utc();
    let correlation_id = format!("ingest:{document_id}");
    let envelopes = decide(None, cmd)?
        .into_iter()
        .map(|event| {
            let meta = EventMeta {
                id: event.natural_id(),
                occurred_at,
                recorded_at,
                correlation_id: correlation_id.clone(),
            };
            Envelope::new(meta, event)
        })
        .collect();
    Ok(Plan {
        document_id,
        date,
        parties,
        envelopes,
    })
}

/// Who met: the parties the extractor found the meeting to be between, those
/// of every commitment, and the publisher.
fn meeting_parties(readout: &Readout, extraction: &accord_extract::Extraction) -> Vec<Party> {
    let mut parties: Vec<Party> = extraction
        .commitments
        .iter()
        .flat_map(|c| c.committers.iter().chain(&c.counterparts))
        .chain(&extraction.document.parties)
        .chain(readout.publisher.iter())
        .chain(extraction.document.publisher.iter())
        .cloned()
        .collect();
    parties.sort();
    parties.dedup();
    parties
}

/// The commitments of a plan as the tracker will show them once projected
/// at `positions` (one per envelope; 0 when not known).
pub fn preview(envelopes: &[Envelope], positions: Option<&[u64]>) -> Vec<Commitment> {
    let mut ids = Vec::new();
    for e in envelopes {
        if let Some(id) = e.event.commitment_id() {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    let positioned = || {
        envelopes
            .iter()
            .enumerate()
            .map(|(i, e)| (positions.map_or(0, |p| p[i]), e))
    };
    ids.into_iter()
        .filter_map(|id| {
            commitment::replay(
                None,
                positioned().filter(|(_, e)| e.event.commitment_id() == Some(id)),
            )
        })
        .collect()
}

impl Ingest {
    #[tracing::instrument(name = "ingest", skip_all, fields(bytes = readout.text.len()))]
    pub async fn ingest(&self, readout: Readout) -> Result<pb::IngestReadoutResponse, ApiError> {
        let options = accord_extract::Options {
            date: readout.date,
            publisher: readout.publisher.clone(),
            title: readout.title.clone(),
            extra: self.extra.clone(),
        };
        let extraction = accord_extract::extract(readout.text.as_bytes(), &options)
            .map_err(|e| invalid("text", e.to_string()))?;
        let mut plan = plan(&readout, &extraction, &self.deadlines, (self.clock)())?;
        if let Some(request) = crate::telemetry::request_id() {
            for e in &mut plan.envelopes {
                e.meta.correlation_id =
                    EventMeta::correlation(&e.meta.correlation_id, Some(&request));
            }
        }
        let document_id = &plan.document_id;
        let made = |positions| -> Vec<pb::Commitment> {
            preview(&plan.envelopes, positions)
                .iter()
                .map(convert::commitment)
                .collect()
        };
        let outgoing: Vec<Outgoing> = plan.envelopes.iter().cloned().map(Outgoing::new).collect();
        let response = match self.appender.append(outgoing).await {
            Ok(appended) => {
                let commitments = made(Some(&appended.positions));
                tracing::info!(document = %document_id, commitments = commitments.len(), position = appended.end, "readout ingested");
                pb::IngestReadoutResponse {
                    message: format!(
                        "{} commitment(s) appended to the log, ending at position {}",
                        commitments.len(),
                        appended.end
                    ),
                    document_id: document_id.to_string(),
                    already_ingested: false,
                    commitments,
                    position: appended.end,
                    follow_ups: vec![],
                }
            }
            Err(BusError::AlreadyIngested { position, .. }) => {
                tracing::info!(document = %document_id, position, "readout already ingested; nothing appended");
                pb::IngestReadoutResponse {
                    message: format!("already ingested at position {position}; nothing appended"),
                    document_id: document_id.to_string(),
                    already_ingested: true,
                    commitments: made(None),
                    position,
                    follow_ups: vec![],
                }
            }
            Err(e) => return Err(e.into()),
        };
        Ok(response)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use accord_domain::Event;
    use time::macros::datetime;

    const SEED: &str = include_str!("../../../examples/readouts/japan-nato-2017-10-31.txt");

    fn readout(text: &str, date: Option<Date>) -> Readout {
        Readout {
            text: text.into(),
            date,
            publisher: None,
            title: None,
            source: None,
            page_starts: Vec::new(),
        }
    }

    fn plan_of(r: &Readout) -> Result<Plan, ApiError> {
        let options = accord_extract::Options {
            date: r.date,
            ..Default::default()
        };
        let extraction = accord_extract::extract(r.text.as_bytes(), &options).unwrap();
        plan(
            r,
            &extraction,
            &DeadlinePolicy::default(),
            datetime!(2026-01-01 0:00 UTC),
        )
    }

    #[test]
    fn a_readout_plans_one_batch_ending_with_document_ingested() {
        let date = Some(time::macros::date!(2017 - 10 - 31));
        let plan = plan_of(&readout(SEED, date)).unwrap();
        assert_eq!(plan.date.to_string(), "2017-10-31");
        assert!(matches!(
            plan.envelopes.last().map(|e| &e.event),
            Some(Event::DocumentIngested(_))
        ));
        let parties: Vec<&str> = plan.parties.iter().map(Party::as_str).collect();
        assert!(
            parties.contains(&"JPN") && parties.contains(&"NATO"),
            "{parties:?}"
        );
        let made = preview(&plan.envelopes, None);
        assert!(made.len() >= 5, "{} commitments", made.len());
        assert!(made.iter().any(|c| c.text.contains("IPCP")));
        // Same input, same plan: ingest is a function of the readout.
        let again = plan_of(&readout(SEED, date)).unwrap();
        assert_eq!(plan.envelopes, again.envelopes);
    }

    #[test]
    fn a_readout_without_any_date_is_refused_naming_the_field() {
        let err = plan_of(&readout("Japan would hold talks with NATO.", None)).unwrap_err();
        assert!(err.to_string().starts_with("date: "), "{err}");
    }
}
