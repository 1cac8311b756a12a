//! The `accord.v1.Accord` service. A replica serves ingest, queries, or both.

use crate::convert;
use crate::error::invalid;
use crate::error::ApiError;
use accord_bus::{Bus, BusError, Expect, Outgoing};
use accord_domain::document::{decide, IngestReadout, NewCommitment};
use accord_domain::{CommitmentId, DocumentId, Envelope, EventMeta};
use accord_proto::v1 as pb;
use accord_proto::v1::accord_server::Accord;
use accord_store::{Filter, Store};
use std::sync::Arc;
use std::time::{Duration, Instant};
use time::OffsetDateTime;
use tokio::sync::watch;
use tonic::{Request, Response, Status};

/// Readouts above this size are refused (an official readout is a few KiB).
pub const MAX_READOUT_BYTES: usize = 8 << 20;
pub const DEFAULT_PAGE_SIZE: usize = 100;
pub const MAX_PAGE_SIZE: usize = 1000;

/// Where "now" comes from; tests pass a fixed clock.
pub type Clock = Arc<dyn Fn() -> OffsetDateTime + Send + Sync>;

pub fn system_clock() -> Clock {
    Arc::new(OffsetDateTime::now_utc)
}

/// The ingest role: stateless, scales freely.
#[derive(Clone)]
pub struct Ingest {
    pub bus: Bus,
    pub clock: Clock,
}

/// The query role: a projection this process keeps up to date.
#[derive(Clone)]
pub struct Query {
    pub bus: Bus,
    pub store: Arc<Store>,
    pub position: watch::Receiver<u64>,
    /// How long a query waits for `min_position`.
    pub max_wait: Duration,
}

#[derive(Clone)]
pub struct AccordService {
    pub ingest: Option<Ingest>,
    pub query: Option<Query>,
}

impl AccordService {
    fn ingest(&self) -> Result<&Ingest, ApiError> {
        self.ingest
            .as_ref()
            .ok_or(ApiError::RoleMissing("IngestReadout"))
    }

    fn query(&self) -> Result<&Query, ApiError> {
        self.query.as_ref().ok_or(ApiError::RoleMissing("queries"))
    }
}

impl Query {
    /// Waits, bounded, until the projection has applied `min_position`;
    /// returns the position it answers at.
    async fn at(&self, min_position: Option<u64>) -> Result<u64, ApiError> {
        let now = *self.position.borrow();
        let Some(wanted) = min_position.filter(|&w| w > now) else {
            return Ok(now);
        };
        let last = self.bus.last_position().await?;
        if wanted > last {
            return Err(ApiError::BeyondLog { wanted, last });
        }
        let started = Instant::now();
        let mut rx = self.position.clone();
        let reached = tokio::time::timeout(self.max_wait, rx.wait_for(|&p| p >= wanted)).await;
        match reached {
            Ok(Ok(p)) => Ok(*p),
            _ => Err(ApiError::NotCaughtUp {
                wanted,
                at: *self.position.borrow(),
                waited_ms: started.elapsed().as_millis(),
            }),
        }
    }
}

fn parse_commitment_id(field: &'static str, raw: &str) -> Result<CommitmentId, ApiError> {
    if raw.is_empty() {
        return Err(invalid(field, "is required"));
    }
    CommitmentId::parse(raw).map_err(|e| invalid(field, e.to_string()))
}

impl Ingest {
    pub async fn ingest(
        &self,
        req: pb::IngestReadoutRequest,
    ) -> Result<pb::IngestReadoutResponse, ApiError> {
        if req.text.trim().is_empty() {
            return Err(invalid("text", "is empty; send the readout's text"));
        }
        if req.text.len() > MAX_READOUT_BYTES {
            return Err(invalid(
                "text",
                format!(
                    "is {} bytes; the limit is {MAX_READOUT_BYTES}",
                    req.text.len()
                ),
            ));
        }
        let date = convert::optional_date("date", &req.date)?;
        let publisher = convert::optional_party("publisher", &req.publisher)?;
        let title = Some(req.title.trim().to_owned()).filter(|t| !t.is_empty());
        let source = Some(req.source.trim().to_owned()).filter(|t| !t.is_empty());
        let options = accord_extract::Options {
            date,
            publisher: publisher.clone(),
            title: title.clone(),
            ..Default::default()
        };
        let extraction = accord_extract::extract(req.text.as_bytes(), &options)
            .map_err(|e| invalid("text", e.to_string()))?;
        let Some(date) = extraction.document.date else {
            return Err(invalid(
                "date",
                "no meeting date given and none found in the text; pass date as YYYY-MM-DD",
            ));
        };
        let document_id = DocumentId::for_text(&req.text);
        let cmd = IngestReadout {
            document_id: document_id.clone(),
            title: title.or(extraction.document.title.clone()),
            source,
            date: Some(date),
            publisher: publisher.or(extraction.document.publisher.clone()),
            bytes: req.text.len() as u64,
            extractor: accord_extract::VERSION.to_owned(),
            commitments: extraction
                .commitments
                .iter()
                .map(|c| NewCommitment {
                    kind: c.kind,
                    committers: c.committers.clone(),
                    counterparts: c.counterparts.clone(),
                    text: c.text.clone(),
                    span: c.span,
                    cue: c.cue.clone(),
                    due: c.due,
                    confidence: c.confidence,
                    topics: c.topics.clone(),
                })
                .collect(),
        };
        let events = decide(None, cmd)?;
        let recorded_at = (self.clock)();
        let occurred_at = date.midnight().assume_utc();
        let correlation_id = format!("ingest:{document_id}");
        let envelopes: Vec<Envelope> = events
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
        // The commitments as the tracker will show them once projected.
        let made = |positions: Option<&[u64]>| -> Vec<pb::Commitment> {
            envelopes
                .iter()
                .enumerate()
                .filter_map(|(i, env)| {
                    accord_domain::commitment::apply(
                        None,
                        &env.meta,
                        positions.map_or(0, |p| p[i]),
                        &env.event,
                    )
                })
                .map(|c| convert::commitment(&c))
                .collect()
        };
        let outgoing: Vec<Outgoing> = envelopes.iter().cloned().map(Outgoing::new).collect();
        match self.bus.append(&outgoing, Expect::NewDocument).await {
            Ok(appended) => {
                let commitments = made(Some(&appended.positions));
                tracing::info!(document = %document_id, commitments = commitments.len(), position = appended.end, "readout ingested");
                Ok(pb::IngestReadoutResponse {
                    message: format!(
                        "{} commitment(s) appended to the log, ending at position {}",
                        commitments.len(),
                        appended.end
                    ),
                    document_id: document_id.to_string(),
                    already_ingested: false,
                    commitments,
                    position: appended.end,
                })
            }
            Err(BusError::AlreadyIngested { position, .. }) => {
                tracing::info!(document = %document_id, position, "readout already ingested; nothing appended");
                Ok(pb::IngestReadoutResponse {
                    message: format!("already ingested at position {position}; nothing appended"),
                    document_id: document_id.to_string(),
                    already_ingested: true,
                    commitments: made(None),
                    position,
                })
            }
            Err(e) => Err(e.into()),
        }
    }
}

#[tonic::async_trait]
impl Accord for AccordService {
    async fn ingest_readout(
        &self,
        request: Request<pb::IngestReadoutRequest>,
    ) -> Result<Response<pb::IngestReadoutResponse>, Status> {
        let ingest = self.ingest()?;
        Ok(Response::new(ingest.ingest(request.into_inner()).await?))
    }

    async fn get_commitment(
        &self,
        request: Request<pb::GetCommitmentRequest>,
    ) -> Result<Response<pb::GetCommitmentResponse>, Status> {
        let q = self.query()?;
        let req = request.into_inner();
        let id = parse_commitment_id("id", &req.id)?;
        let position = q.at(req.min_position).await?;
        let record =
            q.store
                .commitment(&id)
                .map_err(ApiError::from)?
                .ok_or(ApiError::NotFound {
                    what: "commitment",
                    id: id.to_string(),
                })?;
        Ok(Response::new(pb::GetCommitmentResponse {
            commitment: Some(convert::commitment(&record)),
            position,
        }))
    }

    async fn list_commitments(
        &self,
        request: Request<pb::ListCommitmentsRequest>,
    ) -> Result<Response<pb::ListCommitmentsResponse>, Status> {
        let q = self.query()?;
        let req = request.into_inner();
        let limit = match req.page_size {
            0 => DEFAULT_PAGE_SIZE,
            n if n < 0 => {
                return Err(invalid(
                    "page_size",
                    format!("{n} is negative; use 1..={MAX_PAGE_SIZE} or 0 for the default"),
                )
                .into())
            }
            n if n as usize > MAX_PAGE_SIZE => {
                return Err(invalid(
                    "page_size",
                    format!("{n} is above the maximum of {MAX_PAGE_SIZE}"),
                )
                .into())
            }
            n => n as usize,
        };
        let after = match req.page_token.as_str() {
            "" => None,
            token => Some(CommitmentId::parse(token).map_err(|_| {
                invalid(
                    "page_token",
                    "is not a next_page_token from a previous answer",
                )
            })?),
        };
        let contains = req.text_contains.trim().to_lowercase();
        let filter = Filter {
            party: convert::optional_party("party", &req.party)?,
            kind: convert::kind_filter(req.kind)?,
            status: convert::status_filter(req.status)?,
            text_contains: Some(contains).filter(|t| !t.is_empty()),
            ..Default::default()
        };
        let position = q.at(req.min_position).await?;
        let page = q
            .store
            .list(&filter, after.as_ref(), limit)
            .map_err(ApiError::from)?;
        Ok(Response::new(pb::ListCommitmentsResponse {
            commitments: page.commitments.iter().map(convert::commitment).collect(),
            next_page_token: page.next_after.map(|id| id.to_string()).unwrap_or_default(),
            position,
        }))
    }

    async fn get_document(
        &self,
        request: Request<pb::GetDocumentRequest>,
    ) -> Result<Response<pb::GetDocumentResponse>, Status> {
        let q = self.query()?;
        let req = request.into_inner();
        if req.id.is_empty() {
            return Err(invalid("id", "is required").into());
        }
        let id = DocumentId::parse(&req.id).map_err(|e| invalid("id", e.to_string()))?;
        let position = q.at(req.min_position).await?;
        let record = q
            .store
            .document(&id)
            .map_err(ApiError::from)?
            .ok_or(ApiError::NotFound {
                what: "document",
                id: id.to_string(),
            })?;
        let commitments = q
            .store
            .document_commitments(&record.document)
            .map_err(ApiError::from)?;
        Ok(Response::new(pb::GetDocumentResponse {
            document: Some(convert::document(&record)),
            commitments: commitments.iter().map(convert::commitment).collect(),
            position,
        }))
    }
}
