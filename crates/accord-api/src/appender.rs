//! Group commit for ingest. JetStream applies atomic batches one at a time
//! per stream, so one batch per readout caps ingest at one round trip per
//! readout. Concurrent ingests are instead queued here and appended as one
//! atomic batch of up to [`MAX_GROUP`] readouts, each still conditional on
//! its own document being new. If the group is refused (one of them was
//! ingested before), its readouts are appended one by one, so each caller
//! gets its own precise answer.
//!
//! Each readout is checked and encoded on its own, in its caller's task,
//! before it joins a group: a readout that cannot be appended (an event
//! too large, too many messages, even a panic while encoding) fails alone
//! and never takes the others of its group down with it.

use accord_bus::{Appended, Bus, BusError, EncodedIngest, Outgoing, MAX_BATCH_MESSAGES};
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot, Semaphore};

/// Readouts in one group commit.
pub const MAX_GROUP: usize = 16;
/// Groups appended at once (they queue at the server anyway; two overlap
/// one group's round trip with the next one's encoding).
const GROUPS_IN_FLIGHT: usize = 2;

struct Job {
    events: EncodedIngest,
    reply: oneshot::Sender<Result<Appended, BusError>>,
    /// The caller's span (`ingest`): the group's `append` span follows
    /// from each of its readouts' (links, in OpenTelemetry).
    span: tracing::Span,
}

#[derive(Clone)]
pub struct Appender {
    jobs: mpsc::Sender<Job>,
    bus: Bus,
}

impl Appender {
    pub fn start(bus: Bus) -> Appender {
        let (jobs, mut queue) = mpsc::channel::<Job>(1024);
        let appender = Appender {
            jobs,
            bus: bus.clone(),
        };
        tokio::spawn(async move {
            let slots = Arc::new(Semaphore::new(GROUPS_IN_FLIGHT));
            while let Some(first) = queue.recv().await {
                let mut size = first.events.messages();
                let mut group = vec![first];
                while group.len() < MAX_GROUP {
                    match queue.try_recv() {
                        Ok(job) if size + job.events.messages() <= MAX_BATCH_MESSAGES => {
                            size += job.events.messages();
                            group.push(job);
                        }
                        Ok(job) => {
                            // Too big to join: it goes alone, right after.
                            let bus = bus.clone();
                            tokio::spawn(async move {
                                let _ =
                                    job.reply.send(bus.append_encoded_ingest(&job.events).await);
                            });
                        }
                        Err(_) => break,
                    }
                }
                let Ok(slot) = slots.clone().acquire_owned().await else {
                    break;
                };
                let bus = bus.clone();
                let span = tracing::debug_span!("append", readouts = group.len());
                for job in &group {
                    span.follows_from(&job.span);
                }
                tokio::spawn(tracing::Instrument::instrument(
                    async move {
                        commit(&bus, group).await;
                        drop(slot);
                    },
                    span,
                ));
            }
        });
        appender
    }

    /// Appends one readout's events (ending with `DocumentIngested`).
    pub async fn append(&self, events: Vec<Outgoing>) -> Result<Appended, BusError> {
        let started = std::time::Instant::now();
        let events = encode(&self.bus, &events)?;
        let (reply, answer) = oneshot::channel();
        self.jobs
            .send(Job {
                events,
                reply,
                span: tracing::Span::current(),
            })
            .await
            .map_err(|_| BusError::Publish("ingest appender stopped".into()))?;
        let appended = answer
            .await
            .map_err(|_| BusError::Publish("ingest appender stopped".into()))?;
        metrics::histogram!(crate::telemetry::APPEND_SECONDS)
            .record(started.elapsed().as_secs_f64());
        appended
    }
}

/// One readout checked and encoded on its own; a panic while encoding is
/// this readout's error only.
fn encode(bus: &Bus, events: &[Outgoing]) -> Result<EncodedIngest, BusError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| bus.encode_ingest(events)))
        .unwrap_or_else(|_| {
            tracing::error!("encoding a readout's events panicked; that readout is refused");
            Err(BusError::Publish(
                "this readout's events could not be encoded; nothing was appended".into(),
            ))
        })
}

/// Answers every job of a group appended as one batch and returns None; a
/// group the log may have taken (unconfirmed) is answered so too, and each
/// caller retries with its idempotency key rather than wait here for
/// another timeout. A refused group comes back, to be appended one by one
/// so each job gets its own answer.
pub(crate) fn answer_group<J>(
    group: Vec<J>,
    reply: impl Fn(J) -> oneshot::Sender<Result<Appended, BusError>>,
    result: Result<Vec<Appended>, BusError>,
) -> Option<Vec<J>> {
    match result {
        Ok(appended) => {
            for (job, appended) in group.into_iter().zip(appended) {
                let _ = reply(job).send(Ok(appended));
            }
            None
        }
        Err(BusError::Unconfirmed(why)) => {
            for job in group {
                let _ = reply(job).send(Err(BusError::Unconfirmed(why.clone())));
            }
            None
        }
        Err(_) => Some(group),
    }
}

async fn commit(bus: &Bus, group: Vec<Job>) {
    metrics::histogram!(crate::telemetry::GROUP_READOUTS).record(group.len() as f64);
    let group = if group.len() > 1 {
        let events: Vec<EncodedIngest> = group.iter().map(|j| j.events.clone()).collect();
        let result = bus.append_encoded_ingests(&events).await;
        let Some(refused) = answer_group(group, |j| j.reply, result) else {
            return;
        };
        refused
    } else {
        group
    };
    for job in group {
        let _ = job.reply.send(bus.append_encoded_ingest(&job.events).await);
    }
}
