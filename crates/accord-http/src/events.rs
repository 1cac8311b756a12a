//! `GET /api/v1/events`: Server-Sent Events, one `change` per commitment
//! event in log order (from accord-api's watch, read from the log itself).
//! Each carries the log position as its SSE id, so a client reconnecting
//! with `Last-Event-ID` (or `from_position`) misses nothing.

use crate::auth::Caller;
use crate::error::HttpError;
use crate::view;
use crate::Http;
use accord_proto::domain::short_name;
use accord_proto::v1 as pb;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures::{Stream, StreamExt};
use serde::{Deserialize, Serialize};

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventParams {
    /// First log position to send; default: only changes from now on.
    pub from_position: Option<u64>,
    pub party: Option<String>,
}

/// The data of one `change` event.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Change {
    pub position: u64,
    /// e.g. StatusAssessed, EvidenceAttached, ProposalResolved.
    pub event_type: String,
    pub commitment_id: String,
    /// The commitment's overall status after the change.
    pub status: String,
    pub version: u64,
}

#[utoipa::path(get, path = "/api/v1/events", params(EventParams),
    responses((status = 200, description = "text/event-stream of `change` events", body = Change)))]
pub async fn changes(
    State(http): State<Http>,
    _caller: Caller,
    headers: HeaderMap,
    Query(p): Query<EventParams>,
) -> Result<Sse<impl Stream<Item = Result<Event, std::convert::Infallible>>>, HttpError> {
    let q = view::query(&http)?.clone();
    let resume = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .map(|last| last + 1);
    let from = p
        .from_position
        .or(resume)
        .unwrap_or_else(|| *q.position.borrow() + 1);
    let request = pb::WatchCommitmentsRequest {
        from_position: from,
        party: p.party.unwrap_or_default(),
        ..Default::default()
    };
    // SSE clients share the gRPC watches' cap (--max-watches).
    let slot = http.service.guards.watch()?;
    let stream = accord_api::watch::commitments(q, request, slot).await?;
    let events = stream.map(|change| {
        Ok(match change {
            Ok(c) => {
                let commitment = c.commitment.unwrap_or_default();
                let data = Change {
                    position: c.position,
                    event_type: c.event_type,
                    commitment_id: commitment.id,
                    status: pb::Status::try_from(commitment.status)
                        .map(|s| short_name(s.as_str_name(), "STATUS_"))
                        .unwrap_or_default(),
                    version: commitment.version,
                };
                Event::default()
                    .event("change")
                    .id(c.position.to_string())
                    .json_data(data)
                    .unwrap_or_else(|_| Event::default().event("error"))
            }
            Err(status) => Event::default()
                .event("error")
                .data(HttpError::from(status).to_string()),
        })
    });
    Ok(Sse::new(events).keep_alive(KeepAlive::default()))
}
