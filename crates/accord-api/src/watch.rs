//! Server streaming: changes and alerts read from the log itself, so a
//! client resuming from its last position + 1 sees every change once, in
//! log order, whether or not this replica was up when it happened.

use crate::convert;
use crate::error::ApiError;
use crate::query::Query;
use crate::validate;
use accord_domain::{commitment, Envelope, Event};
use accord_proto::v1 as pb;
use futures::{Stream, StreamExt};
use std::pin::Pin;
use time::format_description::well_known::Rfc3339;
use tokio::sync::{mpsc, OwnedSemaphorePermit};
use tonic::Status;

pub type Changes = Pin<Box<dyn Stream<Item = Result<pb::CommitmentChange, Status>> + Send>>;
pub type Notices = Pin<Box<dyn Stream<Item = Result<pb::AlertNotice, Status>> + Send>>;

/// Streams of at most this many unsent items before the reader waits.
const BUFFER: usize = 256;

fn first_position(raw: u64) -> u64 {
    raw.max(1)
}

/// Runs a watch's pump until it ends or its client goes away (the stream
/// dropped), whichever comes first, holding the watch's slot meanwhile: a
/// quiet log never keeps a departed client's task and consumer alive.
async fn until_gone<T>(
    tx: &mpsc::Sender<T>,
    slot: OwnedSemaphorePermit,
    pump: impl std::future::Future<Output = ()>,
) {
    tokio::select! {
        () = pump => {}
        () = tx.closed() => {}
    }
    drop(slot);
}

pub async fn commitments(
    q: Query,
    req: pb::WatchCommitmentsRequest,
    slot: OwnedSemaphorePermit,
) -> Result<Changes, ApiError> {
    let filter = validate::watch_commitments(&req)?;
    let mut log = Box::pin(q.bus.replay(first_position(req.from_position)).await?);
    let (tx, rx) = mpsc::channel(BUFFER);
    tokio::spawn(async move {
        let pump = async {
            while let Some(entry) = log.next().await {
                let change = async {
                    let entry = entry?;
                    if entry.unauthenticated.is_some() {
                        return Ok(None); // not Accord's: the projector parked it
                    }
                    let Ok(envelope) = Envelope::from_json(&entry.payload) else {
                        return Ok(None);
                    };
                    let Some(id) = envelope.event.commitment_id().cloned() else {
                        return Ok(None);
                    };
                    // The state as of this change, from the projection's history.
                    let mut rx = q.position.clone();
                    let _ = rx.wait_for(|&p| p >= entry.position).await;
                    let history = q.store.history(&id)?;
                    let state = commitment::replay(
                        None,
                        history
                            .iter()
                            .take_while(|(p, _)| *p <= entry.position)
                            .map(|(p, e)| (*p, e)),
                    );
                    Ok::<_, ApiError>(state.filter(|c| filter.matches(c)).map(|c| {
                        pb::CommitmentChange {
                            position: entry.position,
                            event_type: envelope.event.type_name().to_owned(),
                            commitment: Some(convert::commitment(&c)),
                        }
                    }))
                };
                let sent = match change.await {
                    Ok(None) => continue,
                    Ok(Some(change)) => tx.send(Ok(change)).await,
                    Err(e) => tx.send(Err(Status::from(e))).await,
                };
                if sent.is_err() {
                    break; // the client went away
                }
            }
        };
        until_gone(&tx, slot, pump).await;
    });
    Ok(Box::pin(tokio_stream::wrappers::ReceiverStream::new(rx)))
}

pub async fn alerts(
    q: Query,
    req: pb::WatchAlertsRequest,
    slot: OwnedSemaphorePermit,
) -> Result<Notices, ApiError> {
    let (party, types) = validate::watch_alerts(&req)?;
    let mut log = Box::pin(q.bus.replay(first_position(req.from_position)).await?);
    let (tx, rx) = mpsc::channel(BUFFER);
    tokio::spawn(async move {
        let pump = async {
            while let Some(entry) = log.next().await {
                let entry = match entry {
                    Ok(e) => e,
                    Err(e) => {
                        let _ = tx.send(Err(Status::from(ApiError::from(e)))).await;
                        break;
                    }
                };
                if entry.unauthenticated.is_some() {
                    continue; // not Accord's: the projector parked it
                }
                let Ok(envelope) = Envelope::from_json(&entry.payload) else {
                    continue;
                };
                let Some((change, alert)) = envelope.event.alert() else {
                    continue;
                };
                if !types.is_empty() && !types.contains(&change) {
                    continue;
                }
                let reason = match &envelope.event {
                    Event::AlertResolved(e) => e.reason.clone(),
                    _ => String::new(),
                };
                if party
                    .as_ref()
                    .is_some_and(|p| !alert.committers.contains(p))
                {
                    continue;
                }
                let notice = pb::AlertNotice {
                    position: entry.position,
                    r#type: change.as_str().to_owned(),
                    alert_id: alert.alert_id.clone(),
                    alert_kind: alert.kind.as_str().to_owned(),
                    change: pb::AlertChange::from(change) as i32,
                    kind: pb::AlertKind::from(alert.kind) as i32,
                    commitment_id: alert.commitment_id.to_string(),
                    parties: alert.committers.iter().map(ToString::to_string).collect(),
                    deadline: alert.deadline.to_string(),
                    lead_days: alert.lead_days.unwrap_or_default(),
                    text: alert.text.clone(),
                    reason,
                    recorded_at: envelope
                        .meta
                        .recorded_at
                        .format(&Rfc3339)
                        .unwrap_or_default(),
                };
                if tx.send(Ok(notice)).await.is_err() {
                    break;
                }
            }
        };
        until_gone(&tx, slot, pump).await;
    });
    Ok(Box::pin(tokio_stream::wrappers::ReceiverStream::new(rx)))
}
