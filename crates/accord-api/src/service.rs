//! The `accord.v1.Accord` service. A replica serves ingest, queries, or both.

use crate::commands::Commands;
use crate::convert;
use crate::error::invalid;
use crate::error::ApiError;
use accord_bus::{Bus, BusError, Outgoing};
use accord_domain::alerts::DeadlinePolicy;
use accord_domain::commitment::Command;
use accord_domain::document::{decide, IngestReadout, NewCommitment};
use accord_domain::{CommitmentId, DocumentId, Envelope, EventMeta, Evidence, Party};
use accord_proto::v1 as pb;
use accord_proto::v1::accord_server::Accord;
use accord_store::AsOf;
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

/// The ingest role: stateless, scales freely. With a projection at hand
/// (`linker`), it also links the readout to earlier commitments.
#[derive(Clone)]
pub struct Ingest {
    pub bus: Bus,
    pub clock: Clock,
    pub linker: Option<Commands>,
    pub deadlines: DeadlinePolicy,
    /// Gazetteer rows added to the extractor's own (`--gazetteer-dir`).
    pub extra: Option<Arc<accord_extract::ExtraData>>,
    /// Group commit of concurrent ingests.
    pub appender: crate::appender::Appender,
}

/// The query role: a projection this process keeps up to date.
#[derive(Clone)]
pub struct Query {
    pub bus: Bus,
    pub store: Arc<Store>,
    pub position: watch::Receiver<u64>,
    /// How long a query waits for `min_position`.
    pub max_wait: Duration,
    /// How this replica reads log bytes (for dead-letter replays and rebuilds).
    pub decoder: accord_projector::Decoder,
}

#[derive(Clone)]
pub struct AccordService {
    pub ingest: Option<Ingest>,
    pub query: Option<Query>,
    pub commands: Option<Commands>,
}

impl AccordService {
    fn commands(&self) -> Result<&Commands, ApiError> {
        self.commands
            .as_ref()
            .ok_or(ApiError::RoleMissing("follow-up and review commands"))
    }

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
    pub async fn at(&self, min_position: Option<u64>) -> Result<u64, ApiError> {
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
        let publisher_party = publisher.clone();
        let title = Some(req.title.trim().to_owned()).filter(|t| !t.is_empty());
        let source = Some(req.source.trim().to_owned()).filter(|t| !t.is_empty());
        let source_for_links = source.clone();
        let options = accord_extract::Options {
            date,
            publisher: publisher.clone(),
            title: title.clone(),
            extra: self.extra.clone(),
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
            deadlines: self.deadlines.clone(),
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
            let mut states: Vec<accord_domain::Commitment> = Vec::new();
            for (i, env) in envelopes.iter().enumerate() {
                let position = positions.map_or(0, |p| p[i]);
                let Some(id) = env.event.commitment_id() else {
                    continue;
                };
                match states.iter_mut().find(|c| &c.id == id) {
                    Some(c) => {
                        *c = accord_domain::commitment::apply(
                            Some(c.clone()),
                            &env.meta,
                            position,
                            &env.event,
                        )
                        .expect("state stays")
                    }
                    None => states.extend(accord_domain::commitment::apply(
                        None, &env.meta, position, &env.event,
                    )),
                }
            }
            states.iter().map(convert::commitment).collect()
        };
        let outgoing: Vec<Outgoing> = envelopes.iter().cloned().map(Outgoing::new).collect();
        let mut response = match self.appender.append(outgoing).await {
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
        if let Some(linker) = &self.linker {
            let mut parties: Vec<Party> = extraction
                .commitments
                .iter()
                .flat_map(|c| c.committers.iter().chain(&c.counterparts).cloned())
                .collect();
            parties.extend(publisher_party);
            parties.sort();
            parties.dedup();
            // Linking is idempotent (deterministic command ids), so ingesting a
            // readout again also completes a link step that a crash cut short.
            let context = LinkContext {
                text: &req.text,
                document_id: &document_id,
                date,
                source: source_for_links.as_deref(),
                parties: &parties,
                position: response.position,
            };
            match link_follow_ups(linker, context).await {
                Ok(links) => {
                    let applied = links.iter().filter(|l| l.applied).count();
                    if !links.is_empty() {
                        response.message.push_str(&format!(
                            "; {applied} follow-up(s) recorded, {} sent to review",
                            links.len() - applied
                        ));
                    }
                    response.follow_ups = links;
                }
                Err(e) => {
                    tracing::warn!(document = %document_id, error = %e, "follow-up linking skipped")
                }
            }
        }
        Ok(response)
    }
}

struct LinkContext<'a> {
    text: &'a str,
    document_id: &'a DocumentId,
    date: time::Date,
    source: Option<&'a str>,
    parties: &'a [Party],
    position: u64,
}

/// Links a new readout to earlier commitments of its parties: confident
/// links become evidence + status events, the rest wait in the review queue.
async fn link_follow_ups(
    commands: &Commands,
    cx: LinkContext<'_>,
) -> Result<Vec<pb::FollowUpLink>, ApiError> {
    if !accord_link::has_follow_up_cues(cx.text) {
        return Ok(Vec::new());
    }
    let store = &commands.query.store;
    commands.query.at(Some(cx.position)).await?;
    let mut candidates = std::collections::BTreeMap::new();
    let mut successors = Vec::new();
    for party in cx.parties {
        let filter = Filter {
            party: Some(party.clone()),
            ..Default::default()
        };
        for c in store.list(&filter, None, 100_000)?.commitments {
            if &c.document_id == cx.document_id {
                successors.push(c);
            } else if c.meeting_date.is_some_and(|d| d < cx.date) {
                candidates.insert(c.id.clone(), c);
            }
        }
    }
    let candidates: Vec<_> = candidates.into_values().collect();
    let mut out = Vec::new();
    for link in accord_link::link(cx.text, cx.parties, &candidates) {
        let evidence = Evidence {
            evidence_id: format!("{}@{}", cx.document_id, link.span.start),
            kind: link.evidence,
            source_url: cx.source.map(str::to_owned),
            date: cx.date,
            source_type: "official_readout".into(),
            snippet: link.snippet.clone(),
            document_id: Some(cx.document_id.clone()),
            span: Some(link.span),
            link_confidence: Some(link.confidence),
        };
        let command_id = format!("link:{}:{}", cx.document_id, link.commitment_id);
        let replacement = link.status == Some(accord_domain::Status::Superseded);
        let successor = replacement
            .then(|| {
                let named = accord_link::instruments(&link.snippet);
                successors
                    .iter()
                    .find(|s| !accord_link::instruments(&s.text).is_disjoint(&named))
                    .map(|s| s.id.clone())
            })
            .flatten();
        let propose = accord_domain::commitment::Command::Propose {
            proposal_id: command_id.clone(),
            evidence: evidence.clone(),
            status: link.status,
            successor: successor.clone(),
        };
        let apply = link.confidence >= accord_link::APPLY_AT && !replacement;
        let command = if apply {
            Command::RecordFollowUp {
                evidence: evidence.clone(),
                status: link.status,
                successor: None,
                by: "accord-linker".into(),
            }
        } else {
            propose.clone()
        };
        let result = match commands
            .execute(&link.commitment_id, 0, &command_id, command)
            .await
        {
            // A link the state machine refuses (e.g. a terminal status) goes to a human.
            Err(ApiError::Refused(why)) if apply => {
                tracing::info!(commitment = %link.commitment_id, %why, "follow-up not applicable as is; proposed for review");
                commands
                    .execute(
                        &link.commitment_id,
                        0,
                        &format!("{command_id}:review"),
                        propose,
                    )
                    .await
                    .map(|o| (o, false))
            }
            other => other.map(|o| (o, apply)),
        };
        match result {
            Ok((outcome, applied)) => out.push(pb::FollowUpLink {
                commitment_id: link.commitment_id.to_string(),
                evidence: Some(convert::evidence(&evidence, 0)),
                status: link.status.map_or(0, |s| convert::status_to_pb(s) as i32),
                confidence: link.confidence,
                applied,
                positions: outcome.positions,
            }),
            Err(e) => {
                tracing::warn!(commitment = %link.commitment_id, error = %e, "follow-up link not recorded")
            }
        }
    }
    Ok(out)
}

fn command_response(o: crate::commands::Outcome) -> pb::CommandResponse {
    pb::CommandResponse {
        version: o.commitment.version,
        commitment: Some(convert::commitment(&o.commitment)),
        positions: o.positions,
        replayed: o.replayed,
    }
}

fn required_commitment_id(raw: &str) -> Result<CommitmentId, ApiError> {
    parse_commitment_id("commitment_id", raw)
}

fn optional_text(raw: &str) -> Option<String> {
    Some(raw.trim().to_owned()).filter(|t| !t.is_empty())
}

/// `YYYY-MM-DD` (the end of that day, UTC) or an RFC 3339 time.
fn parse_as_of(raw: &str) -> Result<Option<OffsetDateTime>, ApiError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    if let Ok(t) = OffsetDateTime::parse(raw, &time::format_description::well_known::Rfc3339) {
        return Ok(Some(t));
    }
    match convert::optional_date("as_of", raw) {
        Ok(Some(d)) => Ok(Some(
            d.next_day().unwrap_or(d).midnight().assume_utc() - time::Duration::nanoseconds(1),
        )),
        _ => Err(invalid(
            "as_of",
            format!("{raw:?} is neither YYYY-MM-DD nor an RFC 3339 time"),
        )),
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
        let as_of = parse_as_of(&req.as_of)?;
        let axis = pb::TimeAxis::try_from(req.as_of_axis).map_err(|_| {
            invalid(
                "as_of_axis",
                format!("{} is not a TimeAxis", req.as_of_axis),
            )
        })?;
        let position = q.at(req.min_position).await?;
        let record = match as_of {
            None => q.store.commitment(&id),
            Some(t) if axis == pb::TimeAxis::Recorded => {
                q.store.commitment_as_of(&id, AsOf::Recorded(t))
            }
            Some(t) => q.store.commitment_as_of(&id, AsOf::Occurred(t)),
        }
        .map_err(ApiError::from)?
        .ok_or_else(|| ApiError::NotFound {
            what: "commitment",
            id: match &as_of {
                None => id.to_string(),
                Some(_) => format!("{id} as of {}", req.as_of.trim()),
            },
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
        let status = convert::status_filter(req.status)?;
        let status_party = convert::optional_party("status_party", &req.status_party)?;
        if status_party.is_some() && status.is_none() {
            return Err(invalid(
                "status_party",
                "needs a status to match that party's status against",
            )
            .into());
        }
        let topic = req.topic.trim().to_lowercase();
        if topic.contains(|c: char| c.is_whitespace() || c == ':') {
            return Err(invalid(
                "topic",
                format!("{topic:?} is not a topic tag (e.g. maritime-security)"),
            )
            .into());
        }
        let filter = Filter {
            party: convert::optional_party("party", &req.party)?,
            kind: convert::kind_filter(req.kind)?,
            status: if status_party.is_some() { None } else { status },
            party_status: status_party.zip(status),
            topic: Some(topic).filter(|t| !t.is_empty()),
            text_contains: Some(contains).filter(|t| !t.is_empty()),
            review_queue: req.review_queue,
            include_untracked: req.include_untracked,
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

    async fn record_follow_up(
        &self,
        request: Request<pb::RecordFollowUpRequest>,
    ) -> Result<Response<pb::CommandResponse>, Status> {
        let commands = self.commands()?;
        let req = request.into_inner();
        let id = required_commitment_id(&req.commitment_id)?;
        let command = match req.follow_up {
            None => {
                return Err(invalid(
                    "follow_up",
                    "is required: one of evidence, assess, supersede",
                )
                .into())
            }
            Some(pb::record_follow_up_request::FollowUp::Evidence(e)) => Command::AttachEvidence {
                evidence: convert::evidence_from_pb(e.evidence.as_ref())?,
                by: e.by,
            },
            Some(pb::record_follow_up_request::FollowUp::Assess(a)) => Command::AssessStatus {
                party: convert::optional_party("assess.party", &a.party)?,
                status: convert::status_required("assess.status", a.status)?,
                reason: convert::optional_reason("assess.reason", &a.reason)?,
                effective: convert::optional_date("assess.effective", &a.effective)?
                    .ok_or_else(|| invalid("assess.effective", "is required (YYYY-MM-DD)"))?,
                assessor: a.assessor,
                note: optional_text(&a.note),
                reassessment: a.reassessment,
                evidence_ids: a.evidence_ids,
            },
            Some(pb::record_follow_up_request::FollowUp::Supersede(x)) => Command::Supersede {
                successor: parse_commitment_id("supersede.successor", &x.successor)?,
                effective: convert::optional_date("supersede.effective", &x.effective)?
                    .ok_or_else(|| invalid("supersede.effective", "is required (YYYY-MM-DD)"))?,
                by: x.by,
                evidence_ids: x.evidence_ids,
            },
            Some(pb::record_follow_up_request::FollowUp::ExtendDeadline(x)) => {
                Command::ExtendDeadline {
                    to: convert::optional_date("extend_deadline.to", &x.to)?
                        .ok_or_else(|| invalid("extend_deadline.to", "is required (YYYY-MM-DD)"))?,
                    reason: x.reason,
                    by: x.by,
                }
            }
            Some(pb::record_follow_up_request::FollowUp::WaiveDeadline(x)) => {
                Command::WaiveDeadline {
                    reason: x.reason,
                    by: x.by,
                }
            }
        };
        let outcome = commands
            .execute(&id, req.expected_version, &req.command_id, command)
            .await?;
        Ok(Response::new(command_response(outcome)))
    }

    async fn review_commitment(
        &self,
        request: Request<pb::ReviewCommitmentRequest>,
    ) -> Result<Response<pb::CommandResponse>, Status> {
        let commands = self.commands()?;
        let req = request.into_inner();
        let id = required_commitment_id(&req.commitment_id)?;
        let command = match req.review {
            None => {
                return Err(invalid(
                    "review",
                    "is required: one of confirm, reject, merge, resolve",
                )
                .into())
            }
            Some(pb::review_commitment_request::Review::Confirm(c)) => Command::Confirm {
                by: c.by,
                note: optional_text(&c.note),
            },
            Some(pb::review_commitment_request::Review::Reject(r)) => Command::Reject {
                by: r.by,
                reason: r.reason,
            },
            Some(pb::review_commitment_request::Review::Merge(m)) => {
                let into = parse_commitment_id("merge.into", &m.into)?;
                commands
                    .query
                    .store
                    .commitment(&into)
                    .map_err(ApiError::from)?
                    .ok_or(ApiError::NotFound {
                        what: "commitment",
                        id: into.to_string(),
                    })?;
                Command::MergeInto { into, by: m.by }
            }
            Some(pb::review_commitment_request::Review::Resolve(r)) => Command::ResolveProposal {
                proposal_id: r.proposal_id,
                accept: r.accept,
                by: r.by,
            },
        };
        let outcome = commands
            .execute(&id, req.expected_version, &req.command_id, command)
            .await?;
        Ok(Response::new(command_response(outcome)))
    }

    async fn get_compliance_report(
        &self,
        request: Request<pb::GetComplianceReportRequest>,
    ) -> Result<Response<pb::ComplianceReport>, Status> {
        let q = self.query()?;
        let req = request.into_inner();
        let party = convert::optional_party("party", &req.party)?
            .ok_or_else(|| invalid("party", "is required (e.g. JPN)"))?;
        let since = convert::optional_date("since", &req.since)?;
        let until = convert::optional_date("until", &req.until)?;
        if let (Some(s), Some(u)) = (since, until) {
            if s > u {
                return Err(invalid("since", format!("{s} is after until {u}")).into());
            }
        }
        let position = q.at(req.min_position).await?;
        let commitments = q
            .store
            .list(
                &Filter {
                    party: Some(party.clone()),
                    ..Default::default()
                },
                None,
                usize::MAX,
            )
            .map_err(ApiError::from)?
            .commitments;
        let report = accord_domain::report::compliance(&party, &commitments, since, until);
        Ok(Response::new(pb::ComplianceReport {
            party: party.to_string(),
            counts: report
                .counts
                .iter()
                .map(|(s, n)| pb::StatusCount {
                    status: convert::status_to_pb(*s) as i32,
                    count: *n,
                })
                .collect(),
            score: report.score,
            assessed: report.assessed,
            commitments: report
                .lines
                .iter()
                .map(|l| pb::ReportLine {
                    commitment_id: l.commitment_id.to_string(),
                    status: convert::status_to_pb(l.status) as i32,
                    score: l.score,
                    text: l.text.clone(),
                    meeting_date: l.meeting_date.map(|d| d.to_string()).unwrap_or_default(),
                })
                .collect(),
            position,
        }))
    }

    type WatchCommitmentsStream = crate::watch::Changes;

    async fn watch_commitments(
        &self,
        request: Request<pb::WatchCommitmentsRequest>,
    ) -> Result<Response<Self::WatchCommitmentsStream>, Status> {
        let q = self.query()?.clone();
        Ok(Response::new(
            crate::watch::commitments(q, request.into_inner()).await?,
        ))
    }

    type WatchAlertsStream = crate::watch::Notices;

    async fn watch_alerts(
        &self,
        request: Request<pb::WatchAlertsRequest>,
    ) -> Result<Response<Self::WatchAlertsStream>, Status> {
        let q = self.query()?.clone();
        Ok(Response::new(
            crate::watch::alerts(q, request.into_inner()).await?,
        ))
    }

    async fn list_dead_letters(
        &self,
        request: Request<pb::ListDeadLettersRequest>,
    ) -> Result<Response<pb::ListDeadLettersResponse>, Status> {
        let q = self.query()?;
        let _ = request.into_inner();
        let dead_letters = q
            .store
            .parked()
            .map_err(ApiError::from)?
            .into_iter()
            .map(|p| pb::DeadLetter {
                position: p.position,
                subject: p.subject,
                aggregate: p.aggregate,
                reason: p.reason,
                payload: p.payload,
            })
            .collect();
        Ok(Response::new(pb::ListDeadLettersResponse {
            dead_letters,
            position: *q.position.borrow(),
        }))
    }

    async fn replay_dead_letters(
        &self,
        request: Request<pb::ReplayDeadLettersRequest>,
    ) -> Result<Response<pb::ReplayDeadLettersResponse>, Status> {
        let q = self.query()?;
        let _ = request.into_inner();
        let decoder = q.decoder.clone();
        let replayed = q.store.replay_parked(&*decoder).map_err(ApiError::from)?;
        tracing::info!(
            applied = replayed.applied,
            still_parked = replayed.still_parked,
            "dead letters replayed"
        );
        Ok(Response::new(pb::ReplayDeadLettersResponse {
            applied: replayed.applied,
            still_parked: replayed.still_parked,
        }))
    }

    type RebuildStream =
        std::pin::Pin<Box<dyn futures::Stream<Item = Result<pb::RebuildProgress, Status>> + Send>>;

    async fn rebuild(
        &self,
        request: Request<pb::RebuildRequest>,
    ) -> Result<Response<Self::RebuildStream>, Status> {
        let q = self.query()?.clone();
        let _ = request.into_inner();
        let (tx, rx) = tokio::sync::mpsc::channel(64);
        tokio::spawn(async move {
            let report = |p: accord_projector::RebuildProgress| {
                let _ = tx.try_send(Ok(pb::RebuildProgress {
                    position: p.position,
                    target: p.target,
                    swapped: p.swapped,
                    digest: String::new(),
                }));
            };
            let done = accord_projector::rebuild(&q.bus, &q.store, &q.decoder, report).await;
            let last = match done {
                Ok(p) => Ok(pb::RebuildProgress {
                    position: p.position,
                    target: p.target,
                    swapped: p.swapped,
                    digest: q.store.digest().unwrap_or_default(),
                }),
                Err(e) => Err(Status::internal(format!("rebuild failed: {e}"))),
            };
            let _ = tx.send(last).await;
        });
        Ok(Response::new(Box::pin(
            tokio_stream::wrappers::ReceiverStream::new(rx),
        )))
    }
}
