//! The JSON API under `/api/v1`: reads for readers, follow-ups and reviews
//! for analysts. Commands go through accord-api's gRPC handlers (the same
//! validation, optimistic concurrency and command ids).

use crate::auth::Caller;
use crate::error::{ErrorBody, HttpError};
use crate::view::{self, ListParams};
use crate::Http;
use accord_api::{validate, ApiError};
use accord_domain::Commitment;
use accord_proto::v1 as pb;
use accord_proto::v1::accord_server::Accord;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, OpenApi, ToSchema};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Accord HTTP API",
        description = "Commitments from meeting readouts and their follow-up. Errors are `{code, message}` with the gRPC code and message."
    ),
    paths(
        list_commitments,
        get_commitment,
        get_document,
        report,
        alerts,
        follow_up,
        review,
        crate::events::changes,
        crate::export::export
    ),
    components(schemas(
        ErrorBody,
        CommitmentPage,
        CommitmentAnswer,
        DocumentAnswer,
        ReportAnswer,
        ReportLine,
        AlertsAnswer,
        OpenAlert,
        FollowUpRequest,
        FollowUp,
        ReviewRequest,
        ReviewAction,
        CommandAnswer
    ))
)]
pub struct ApiDoc;

pub fn routes() -> Router<Http> {
    Router::new()
        .route("/api/v1/openapi.json", get(openapi))
        .route("/api/v1/commitments", get(list_commitments))
        .route("/api/v1/commitments/{id}", get(get_commitment))
        .route("/api/v1/commitments/{id}/follow-ups", post(follow_up))
        .route("/api/v1/commitments/{id}/reviews", post(review))
        .route("/api/v1/documents/{id}", get(get_document))
        .route("/api/v1/reports/{party}", get(report))
        .route("/api/v1/alerts", get(alerts))
        .route("/api/v1/events", get(crate::events::changes))
        .route("/api/v1/export", get(crate::export::export))
}

async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

/// A page of commitments (each as the tracker's record).
#[derive(Serialize, ToSchema)]
pub struct CommitmentPage {
    #[schema(value_type = Vec<Object>)]
    pub commitments: Vec<Commitment>,
    /// Empty on the last page.
    pub next_page_token: String,
    /// The log position the answer reflects.
    pub position: u64,
}

#[derive(Serialize, ToSchema)]
pub struct CommitmentAnswer {
    #[schema(value_type = Object)]
    pub commitment: Commitment,
    pub position: u64,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AtParams {
    /// Answer only once the projection has applied this log position.
    pub min_position: Option<u64>,
}

#[utoipa::path(get, path = "/api/v1/commitments", params(ListParams),
    responses((status = 200, body = CommitmentPage), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn list_commitments(
    State(http): State<Http>,
    _caller: Caller,
    Query(p): Query<ListParams>,
) -> Result<Json<CommitmentPage>, HttpError> {
    let l = view::list(&http, &p).await?;
    Ok(Json(CommitmentPage {
        commitments: l.commitments,
        next_page_token: l.next_page_token,
        position: l.position,
    }))
}

#[utoipa::path(get, path = "/api/v1/commitments/{id}", params(("id" = String, Path), AtParams),
    responses((status = 200, body = CommitmentAnswer), (status = 404, body = ErrorBody)))]
async fn get_commitment(
    State(http): State<Http>,
    _caller: Caller,
    Path(id): Path<String>,
    Query(at): Query<AtParams>,
) -> Result<Json<CommitmentAnswer>, HttpError> {
    let (commitment, position) = view::commitment(&http, &id, at.min_position).await?;
    Ok(Json(CommitmentAnswer {
        commitment,
        position,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct DocumentAnswer {
    #[schema(value_type = Object)]
    pub document: accord_domain::Document,
    #[schema(value_type = Vec<Object>)]
    pub commitments: Vec<Commitment>,
    pub position: u64,
}

#[utoipa::path(get, path = "/api/v1/documents/{id}", params(("id" = String, Path), AtParams),
    responses((status = 200, body = DocumentAnswer), (status = 404, body = ErrorBody)))]
async fn get_document(
    State(http): State<Http>,
    _caller: Caller,
    Path(id): Path<String>,
    Query(at): Query<AtParams>,
) -> Result<Json<DocumentAnswer>, HttpError> {
    let q = view::query(&http)?;
    let id = validate::document_id(&id)?;
    let position = q.at(at.min_position).await?;
    let record = q.store.document(&id)?.ok_or(ApiError::NotFound {
        what: "document",
        id: id.to_string(),
    })?;
    let commitments = q.store.document_commitments(&record.document)?;
    Ok(Json(DocumentAnswer {
        document: record.document,
        commitments,
        position,
    }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportParams {
    /// Meeting dates from, YYYY-MM-DD.
    pub since: Option<String>,
    /// Meeting dates until, YYYY-MM-DD.
    pub until: Option<String>,
    pub min_position: Option<u64>,
}

#[derive(Serialize, ToSchema)]
pub struct ReportLine {
    pub commitment_id: String,
    pub status: String,
    pub score: Option<i32>,
    pub text: String,
    pub meeting_date: Option<String>,
}

/// A party's compliance: +1 fulfilled, 0 in progress or partly, -1 not.
#[derive(Serialize, ToSchema)]
pub struct ReportAnswer {
    pub party: String,
    /// Mean score of the assessed commitments; null when none is.
    pub score: Option<f64>,
    pub assessed: u32,
    pub counts: BTreeMap<String, u32>,
    pub lines: Vec<ReportLine>,
    pub position: u64,
}

pub fn name<T: Serialize>(v: T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        other => other.map(|v| v.to_string()).unwrap_or_default(),
    }
}

/// The compliance report of `party` over `since..=until`.
pub async fn compliance(
    http: &Http,
    party: &str,
    p: &ReportParams,
) -> Result<ReportAnswer, HttpError> {
    let q = view::query(http)?;
    let request = pb::GetComplianceReportRequest {
        party: party.to_owned(),
        since: p.since.clone().unwrap_or_default(),
        until: p.until.clone().unwrap_or_default(),
        min_position: p.min_position,
        ..Default::default()
    };
    let r = validate::compliance_report(&request)?;
    let position = q.at(p.min_position).await?;
    let all = ListParams {
        party: Some(party.to_owned()),
        ..Default::default()
    };
    let commitments = view::list_all(http, &all).await?.commitments;
    let report = accord_domain::report::compliance(&r.party, &commitments, r.since, r.until);
    Ok(ReportAnswer {
        party: r.party.to_string(),
        score: report.score,
        assessed: report.assessed,
        counts: report.counts.iter().map(|(s, n)| (name(s), *n)).collect(),
        lines: report
            .lines
            .iter()
            .map(|l| ReportLine {
                commitment_id: l.commitment_id.to_string(),
                status: name(l.status),
                score: l.score,
                text: l.text.clone(),
                meeting_date: l.meeting_date.map(|d| d.to_string()),
            })
            .collect(),
        position,
    })
}

#[utoipa::path(get, path = "/api/v1/reports/{party}", params(("party" = String, Path), ReportParams),
    responses((status = 200, body = ReportAnswer), (status = 400, body = ErrorBody)))]
async fn report(
    State(http): State<Http>,
    _caller: Caller,
    Path(party): Path<String>,
    Query(p): Query<ReportParams>,
) -> Result<Json<ReportAnswer>, HttpError> {
    Ok(Json(compliance(&http, &party, &p).await?))
}

/// An alert still open on a commitment.
#[derive(Serialize, ToSchema)]
pub struct OpenAlert {
    pub alert_id: String,
    /// due_soon or overdue.
    pub kind: String,
    pub commitment_id: String,
    pub committers: Vec<String>,
    pub text: String,
    pub deadline: String,
    pub lead_days: Option<u32>,
    /// Log position of the event that raised it.
    pub position: u64,
}

#[derive(Serialize, ToSchema)]
pub struct AlertsAnswer {
    pub alerts: Vec<OpenAlert>,
    pub position: u64,
}

/// Open alerts of the given commitments, most urgent deadline first.
pub fn open_alerts(commitments: &[Commitment]) -> Vec<OpenAlert> {
    let mut out: Vec<OpenAlert> = commitments
        .iter()
        .flat_map(|c| c.alerts.iter().filter(|a| a.resolved_at_position.is_none()))
        .map(|a| OpenAlert {
            alert_id: a.alert.alert_id.clone(),
            kind: name(a.alert.kind),
            commitment_id: a.alert.commitment_id.to_string(),
            committers: a.alert.committers.iter().map(|p| p.to_string()).collect(),
            text: a.alert.text.clone(),
            deadline: a.alert.deadline.to_string(),
            lead_days: a.alert.lead_days,
            position: a.position,
        })
        .collect();
    out.sort_by(|a, b| (&a.deadline, &a.commitment_id).cmp(&(&b.deadline, &b.commitment_id)));
    out
}

#[utoipa::path(get, path = "/api/v1/alerts", params(ListParams),
    responses((status = 200, body = AlertsAnswer)))]
async fn alerts(
    State(http): State<Http>,
    _caller: Caller,
    Query(p): Query<ListParams>,
) -> Result<Json<AlertsAnswer>, HttpError> {
    let l = view::list_all(&http, &p).await?;
    Ok(Json(AlertsAnswer {
        alerts: open_alerts(&l.commitments),
        position: l.position,
    }))
}

/// A follow-up an analyst records; the caller is recorded as its author.
#[derive(Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FollowUp {
    /// Assess one party's status (or every committer's when `party` is empty).
    Assess {
        party: Option<String>,
        status: String,
        reason: Option<String>,
        /// YYYY-MM-DD the status holds from.
        effective: String,
        note: Option<String>,
        #[serde(default)]
        reassessment: bool,
    },
    /// Attach evidence found elsewhere.
    Evidence {
        /// e.g. progress, completion, shortfall.
        kind: String,
        date: String,
        snippet: String,
        source_url: Option<String>,
        source_type: Option<String>,
    },
    ExtendDeadline {
        to: String,
        reason: String,
    },
    WaiveDeadline {
        reason: String,
    },
}

#[derive(Deserialize, ToSchema)]
pub struct FollowUpRequest {
    /// Idempotency key: a retry with the same id returns the first result.
    pub command_id: String,
    /// The commitment's `version` the caller last saw (409 if it moved).
    pub expected_version: u64,
    pub follow_up: FollowUp,
}

#[derive(Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ReviewAction {
    Confirm {
        note: Option<String>,
    },
    Reject {
        reason: String,
    },
    Merge {
        into: String,
    },
    /// Accept or dismiss a follow-up the linker proposed.
    Resolve {
        proposal_id: String,
        accept: bool,
    },
}

#[derive(Deserialize, ToSchema)]
pub struct ReviewRequest {
    pub command_id: String,
    pub expected_version: u64,
    pub review: ReviewAction,
}

#[derive(Serialize, ToSchema)]
pub struct CommandAnswer {
    /// The commitment's version after the command.
    pub version: u64,
    /// Log positions of the events appended.
    pub positions: Vec<u64>,
    /// True when `command_id` had been applied before.
    pub replayed: bool,
    #[schema(value_type = Object)]
    pub commitment: Option<Commitment>,
}

fn body<T: serde::de::DeserializeOwned>(raw: &Bytes) -> Result<T, HttpError> {
    serde_json::from_slice(raw).map_err(|e| HttpError::invalid("body", e.to_string()))
}

async fn answer(http: &Http, id: &str, r: pb::CommandResponse) -> CommandAnswer {
    let commitment = view::commitment(http, id, None).await.ok().map(|(c, _)| c);
    CommandAnswer {
        version: r.version,
        positions: r.positions,
        replayed: r.replayed,
        commitment,
    }
}

/// The gRPC request; `by` stays empty: the service records the caller.
fn follow_up_request(
    id: String,
    req: FollowUpRequest,
) -> Result<pb::RecordFollowUpRequest, HttpError> {
    let by = String::new();
    use pb::record_follow_up_request::FollowUp as F;
    let s = |v: Option<String>| v.unwrap_or_default();
    let follow_up = match req.follow_up {
        FollowUp::Assess {
            party,
            status,
            reason,
            effective,
            note,
            reassessment,
        } => F::Assess(pb::AssessStatus {
            party: s(party),
            status: view::status("follow_up.status", &Some(status))?,
            reason: s(reason),
            effective,
            assessor: by,
            note: s(note),
            reassessment,
            evidence_ids: vec![],
        }),
        FollowUp::Evidence {
            kind,
            date,
            snippet,
            source_url,
            source_type,
        } => F::Evidence(pb::AttachEvidence {
            evidence: Some(pb::Evidence {
                kind,
                date,
                snippet,
                source_url: s(source_url),
                source_type: source_type.unwrap_or_else(|| "analyst".into()),
                ..Default::default()
            }),
            by,
        }),
        FollowUp::ExtendDeadline { to, reason } => {
            F::ExtendDeadline(pb::ExtendDeadline { to, reason, by })
        }
        FollowUp::WaiveDeadline { reason } => F::WaiveDeadline(pb::WaiveDeadline { reason, by }),
    };
    Ok(pb::RecordFollowUpRequest {
        commitment_id: id,
        expected_version: req.expected_version,
        command_id: req.command_id,
        follow_up: Some(follow_up),
    })
}

#[utoipa::path(post, path = "/api/v1/commitments/{id}/follow-ups", params(("id" = String, Path)),
    request_body = FollowUpRequest,
    responses((status = 200, body = CommandAnswer), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn follow_up(
    State(http): State<Http>,
    caller: Caller,
    Path(id): Path<String>,
    raw: Bytes,
) -> Result<Json<CommandAnswer>, HttpError> {
    caller.may("RecordFollowUp")?;
    let req = follow_up_request(id.clone(), body(&raw)?)?;
    let r = http.service.record_follow_up(caller.request(req)).await?;
    Ok(Json(answer(&http, &id, r.into_inner()).await))
}

/// Runs one review as `caller` (who is recorded as `by`); the answer.
pub async fn run_review(
    http: &Http,
    id: &str,
    req: ReviewRequest,
    caller: &Caller,
) -> Result<CommandAnswer, HttpError> {
    let by = String::new();
    use pb::review_commitment_request::Review as R;
    let review = match req.review {
        ReviewAction::Confirm { note } => R::Confirm(pb::Confirm {
            by,
            note: note.unwrap_or_default(),
        }),
        ReviewAction::Reject { reason } => R::Reject(pb::Reject { by, reason }),
        ReviewAction::Merge { into } => R::Merge(pb::Merge { into, by }),
        ReviewAction::Resolve {
            proposal_id,
            accept,
        } => R::Resolve(pb::ResolveProposal {
            proposal_id,
            accept,
            by,
        }),
    };
    let request = pb::ReviewCommitmentRequest {
        commitment_id: id.to_owned(),
        expected_version: req.expected_version,
        command_id: req.command_id,
        review: Some(review),
    };
    let r = http
        .service
        .review_commitment(caller.request(request))
        .await?;
    Ok(answer(http, id, r.into_inner()).await)
}

#[utoipa::path(post, path = "/api/v1/commitments/{id}/reviews", params(("id" = String, Path)),
    request_body = ReviewRequest,
    responses((status = 200, body = CommandAnswer), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn review(
    State(http): State<Http>,
    caller: Caller,
    Path(id): Path<String>,
    raw: Bytes,
) -> Result<Json<CommandAnswer>, HttpError> {
    caller.may("ReviewCommitment")?;
    Ok(Json(run_review(&http, &id, body(&raw)?, &caller).await?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_openapi_document_lists_every_route() {
        let doc = serde_json::to_value(ApiDoc::openapi()).unwrap();
        let paths = doc["paths"].as_object().unwrap();
        for path in [
            "/api/v1/commitments",
            "/api/v1/commitments/{id}",
            "/api/v1/commitments/{id}/follow-ups",
            "/api/v1/commitments/{id}/reviews",
            "/api/v1/documents/{id}",
            "/api/v1/reports/{party}",
            "/api/v1/alerts",
            "/api/v1/events",
            "/api/v1/export",
        ] {
            assert!(paths.contains_key(path), "{path} missing from {paths:?}");
        }
        let list = &paths["/api/v1/commitments"]["get"]["parameters"];
        let names: Vec<&str> = list
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|p| p["name"].as_str())
            .collect();
        assert!(
            names.contains(&"deadline_from") && names.contains(&"review_queue"),
            "{names:?}"
        );
    }
}
