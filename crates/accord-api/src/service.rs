//! The `accord.v1.Accord` service: thin handlers. Each reads its request in
//! [`crate::validate`], runs one role (ingest, query, commands) and maps the
//! answer with [`crate::convert`]; errors become statuses in [`crate::error`].

use crate::commands::{Commands, Outcome};
use crate::convert;
use crate::error::ApiError;
use crate::ingest::Ingest;
use crate::linker::Linker;
use crate::query::Query;
use crate::validate::{self, CommandRequest};
use accord_domain::commitment::Command;
use accord_proto::v1 as pb;
use accord_proto::v1::accord_server::Accord;
use accord_store::Filter;
use std::sync::{Arc, Mutex};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tonic::{Request, Response, Status};

/// A replica serves ingest, queries, or both.
#[derive(Clone)]
pub struct AccordService {
    pub ingest: Option<Ingest>,
    pub query: Option<Query>,
    pub commands: Option<Commands>,
    pub linker: Option<Linker>,
    pub guards: Guards,
}

/// What one process allows at once: open watches (a slot each) and one
/// rebuild (its progress, for whoever asks for a second).
#[derive(Clone)]
pub struct Guards {
    pub watches: Arc<Semaphore>,
    max_watches: usize,
    rebuild: Arc<Mutex<Option<(u64, u64)>>>,
}

impl Guards {
    pub fn new(max_watches: usize) -> Self {
        Guards {
            watches: Arc::new(Semaphore::new(max_watches)),
            max_watches,
            rebuild: Arc::default(),
        }
    }

    /// A slot for one watch, held by its task until the stream ends.
    pub fn watch(&self) -> Result<OwnedSemaphorePermit, Status> {
        self.watches.clone().try_acquire_owned().map_err(|_| {
            Status::resource_exhausted(format!(
                "{} watches are open (the server's --max-watches); close one or retry later",
                self.max_watches
            ))
        })
    }

    /// Marks a rebuild as running, or says how far the running one is.
    fn start_rebuild(&self) -> Result<RebuildSlot, Status> {
        let mut running = self.rebuild.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((position, target)) = *running {
            return Err(Status::aborted(format!(
                "a rebuild is already running (at position {position} of {target}); wait for it to finish, then retry"
            )));
        }
        *running = Some((0, 0));
        Ok(RebuildSlot(self.rebuild.clone()))
    }
}

/// The running rebuild's progress; cleared when it ends, however it ends.
struct RebuildSlot(Arc<Mutex<Option<(u64, u64)>>>);

impl RebuildSlot {
    fn progress(&self, position: u64, target: u64) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = Some((position, target));
    }
}

impl Drop for RebuildSlot {
    fn drop(&mut self) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }
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

    async fn execute(&self, req: CommandRequest) -> Result<pb::CommandResponse, ApiError> {
        let commands = self.commands()?;
        if let Command::MergeInto { into, .. } = &req.command {
            commands
                .query
                .store
                .commitment(into)?
                .ok_or(ApiError::NotFound {
                    what: "commitment",
                    id: into.to_string(),
                })?;
        }
        let outcome = commands
            .execute(&req.id, req.expected_version, &req.command_id, req.command)
            .await?;
        Ok(command_response(outcome))
    }
}

fn command_response(o: Outcome) -> pb::CommandResponse {
    pb::CommandResponse {
        version: o.commitment.version,
        commitment: Some(convert::commitment(&o.commitment)),
        positions: o.positions,
        replayed: o.replayed,
    }
}

/// How long reading a PDF readout may take before the request is refused.
const PDF_READ_LIMIT: std::time::Duration = std::time::Duration::from_secs(10);

/// Validates an ingest request; a PDF is read on a blocking thread with a
/// time limit, so a hostile file can neither stall a runtime worker nor hold
/// its caller forever.
async fn validated_readout(req: pb::IngestReadoutRequest) -> Result<validate::Readout, ApiError> {
    if req.pdf.is_empty() {
        return validate::ingest_readout(req);
    }
    let read = tokio::task::spawn_blocking(move || validate::ingest_readout(req));
    match tokio::time::timeout(PDF_READ_LIMIT, read).await {
        Ok(Ok(readout)) => readout,
        Ok(Err(join)) => Err(crate::error::invalid(
            "pdf",
            format!("could not be read ({join})"),
        )),
        Err(_) => Err(crate::error::invalid(
            "pdf",
            format!(
                "was not read within {} s; the file is too complex or malformed",
                PDF_READ_LIMIT.as_secs()
            ),
        )),
    }
}

#[tonic::async_trait]
impl Accord for AccordService {
    async fn ingest_readout(
        &self,
        request: Request<pb::IngestReadoutRequest>,
    ) -> Result<Response<pb::IngestReadoutResponse>, Status> {
        let answer = async {
            let ingest = self.ingest()?;
            let readout = validated_readout(request.into_inner()).await?;
            Ok::<_, Status>(ingest.ingest(readout).await?)
        }
        .await;
        let outcome = match &answer {
            Ok(r) if r.already_ingested => "already_ingested",
            Ok(_) => "accepted",
            Err(_) => "refused",
        };
        metrics::counter!(crate::telemetry::INGESTS, "outcome" => outcome).increment(1);
        Ok(Response::new(answer?))
    }

    async fn get_commitment(
        &self,
        request: Request<pb::GetCommitmentRequest>,
    ) -> Result<Response<pb::GetCommitmentResponse>, Status> {
        let q = self.query()?;
        let req = request.into_inner();
        let (id, as_of) = validate::get_commitment(&req)?;
        let position = q.at(req.min_position).await?;
        let record = match as_of {
            None => q.store.commitment_shared(&id),
            Some(at) => q.store.commitment_as_of(&id, at).map(|c| c.map(Arc::new)),
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
        let list = validate::list_commitments(&req)?;
        let position = q.at(req.min_position).await?;
        let page = q
            .store
            .list_shared(
                &list.filter,
                list.after.as_ref(),
                list.limit,
                crate::limits::SCAN_BUDGET,
            )
            .map_err(ApiError::from)?;
        Ok(Response::new(pb::ListCommitmentsResponse {
            commitments: page
                .commitments
                .iter()
                .map(|c| convert::commitment(c))
                .collect(),
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
        let id = validate::document_id(&req.id)?;
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
        self.commands()?;
        let caller = crate::auth::caller(&request)?;
        let mut req = validate::record_follow_up(request.into_inner())?;
        crate::auth::stamp_actor(&mut req.command, &caller)?;
        Ok(Response::new(self.execute(req).await?))
    }

    async fn review_commitment(
        &self,
        request: Request<pb::ReviewCommitmentRequest>,
    ) -> Result<Response<pb::CommandResponse>, Status> {
        self.commands()?;
        let caller = crate::auth::caller(&request)?;
        let mut req = validate::review_commitment(request.into_inner())?;
        crate::auth::stamp_actor(&mut req.command, &caller)?;
        Ok(Response::new(self.execute(req).await?))
    }

    async fn get_compliance_report(
        &self,
        request: Request<pb::GetComplianceReportRequest>,
    ) -> Result<Response<pb::ComplianceReport>, Status> {
        let q = self.query()?;
        let req = request.into_inner();
        let r = validate::compliance_report(&req)?;
        let position = q.at(req.min_position).await?;
        let commitments = q
            .store
            .list(
                &Filter {
                    party: Some(r.party.clone()),
                    ..Default::default()
                },
                None,
                usize::MAX,
            )
            .map_err(ApiError::from)?
            .commitments;
        let mut report =
            accord_domain::report::compliance(&r.party, &commitments, r.since, r.until);
        // Totals over every line; the lines themselves one page at a time.
        report
            .lines
            .sort_by(|a, b| a.commitment_id.cmp(&b.commitment_id));
        report.lines.retain(|l| {
            r.after
                .as_ref()
                .is_none_or(|after| &l.commitment_id > after)
        });
        let more = report.lines.len() > r.limit;
        report.lines.truncate(r.limit);
        let mut answer = convert::report(&r.party, &report, position);
        if more {
            answer.next_page_token = report
                .lines
                .last()
                .map(|l| l.commitment_id.to_string())
                .unwrap_or_default();
        }
        Ok(Response::new(answer))
    }

    type WatchCommitmentsStream = crate::watch::Changes;

    async fn watch_commitments(
        &self,
        request: Request<pb::WatchCommitmentsRequest>,
    ) -> Result<Response<Self::WatchCommitmentsStream>, Status> {
        let q = self.query()?.clone();
        let slot = self.guards.watch()?;
        Ok(Response::new(
            crate::watch::commitments(q, request.into_inner(), slot).await?,
        ))
    }

    type WatchAlertsStream = crate::watch::Notices;

    async fn watch_alerts(
        &self,
        request: Request<pb::WatchAlertsRequest>,
    ) -> Result<Response<Self::WatchAlertsStream>, Status> {
        let q = self.query()?.clone();
        let slot = self.guards.watch()?;
        Ok(Response::new(
            crate::watch::alerts(q, request.into_inner(), slot).await?,
        ))
    }

    async fn list_dead_letters(
        &self,
        request: Request<pb::ListDeadLettersRequest>,
    ) -> Result<Response<pb::ListDeadLettersResponse>, Status> {
        let q = self.query()?;
        let (limit, after) = validate::dead_letters(&request.into_inner())?;
        let mut parked = q.store.parked().map_err(ApiError::from)?;
        parked.sort_by(|a, b| (&a.aggregate, a.position).cmp(&(&b.aggregate, b.position)));
        if let Some((aggregate, position)) = &after {
            parked.retain(|p| (&p.aggregate, p.position) > (aggregate, *position));
        }
        let next_page_token = match parked.get(limit.saturating_sub(1)) {
            Some(last) if parked.len() > limit => format!("{}/{}", last.aggregate, last.position),
            _ => String::new(),
        };
        parked.truncate(limit);
        let dead_letters = parked
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
            next_page_token,
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

    async fn skip_dead_letter(
        &self,
        request: Request<pb::SkipDeadLetterRequest>,
    ) -> Result<Response<pb::SkipDeadLetterResponse>, Status> {
        let commands = self.commands()?;
        let by = crate::auth::caller(&request)?.name;
        let answer = crate::skip::skip(commands, request.into_inner(), by).await?;
        Ok(Response::new(answer))
    }

    type RebuildStream =
        std::pin::Pin<Box<dyn futures::Stream<Item = Result<pb::RebuildProgress, Status>> + Send>>;

    async fn rebuild(
        &self,
        request: Request<pb::RebuildRequest>,
    ) -> Result<Response<Self::RebuildStream>, Status> {
        let q = self.query()?.clone();
        let _ = request.into_inner();
        // One at a time. It keeps going if its caller leaves: a rebuild
        // stopped halfway would only be started again from scratch.
        let slot = self.guards.start_rebuild()?;
        let (tx, rx) = tokio::sync::mpsc::channel(64);
        tokio::spawn(async move {
            let report = |p: accord_projector::RebuildProgress| {
                slot.progress(p.position, p.target);
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
                Err(e) => Err(ApiError::Rebuild(e).into()),
            };
            let _ = tx.send(last).await;
        });
        Ok(Response::new(Box::pin(
            tokio_stream::wrappers::ReceiverStream::new(rx),
        )))
    }

    async fn relink(
        &self,
        request: Request<pb::RelinkRequest>,
    ) -> Result<Response<pb::RelinkResponse>, Status> {
        let linker = self
            .linker
            .as_ref()
            .ok_or(ApiError::RoleMissing("Relink"))?;
        let _ = request.into_inner();
        let t = linker.relink(|_, _| {}).await?;
        Ok(Response::new(pb::RelinkResponse {
            readouts: t.readouts,
            applied: t.applied,
            proposed: t.proposed,
            already: t.already,
            failed: t.failed,
            settled: t.settled,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_rebuild_is_aborted_with_the_running_ones_progress() {
        let guards = Guards::new(1);
        let running = guards.start_rebuild().expect("the first one starts");
        running.progress(40, 100);
        let refused = guards.start_rebuild().err().expect("one at a time");
        assert_eq!(refused.code(), tonic::Code::Aborted);
        assert!(
            refused.message().contains("position 40 of 100"),
            "{}",
            refused.message()
        );
        drop(running); // finished, failed or panicked: the slot is free
        assert!(guards.start_rebuild().is_ok());
    }

    #[test]
    fn watches_past_the_cap_are_resource_exhausted_until_one_ends() {
        let guards = Guards::new(1);
        let first = guards.watch().expect("a slot");
        let refused = guards.watch().expect_err("capped");
        assert_eq!(refused.code(), tonic::Code::ResourceExhausted);
        drop(first);
        assert!(guards.watch().is_ok());
    }
}
