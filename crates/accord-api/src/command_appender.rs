//! Group commit for commands. nats-server gives every atomic batch a
//! file-backed staging store of its own (a directory, a metadata file
//! written and fsynced, all removed again), and does that on the stream's
//! one internal goroutine, so one batch per command caps commands at one
//! such store per round (docs/performance-history.md, issue #13, fourth round).
//! Concurrent commands are instead queued here and appended as one atomic
//! batch of up to [`MAX_GROUP`] commands, each still guarded by its own
//! commitment's version. If the group is refused (one of them was stale),
//! its commands are appended one by one, so each caller gets its own
//! precise answer (a conflict for the stale one only).
//!
//! A command of ONE event (every command today) skips all this: it is one
//! guarded publish ([`Bus::append_event`]), not staged by the server and
//! with any number in flight, its party-feed copies left to the feed
//! writer ([`crate::feed`]; docs/performance-history.md, issue #13, ninth round).
//!
//! A group never holds two commands on the same commitment: nats-server
//! would check the second one's expectation against the first one's, not
//! against the log, so both could land. The later one waits for the next
//! group, where the log decides.

use accord_bus::{Appended, Bus, BusError, Expect, Outgoing, MAX_BATCH_MESSAGES};
use std::collections::VecDeque;
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot, Semaphore};

/// Commands in one group commit.
pub const MAX_GROUP: usize = 16;
/// Groups appended at once. One: the server stages and applies atomic
/// batches one at a time anyway, and while a group is out the next one
/// gathers every command that arrives meanwhile (with two, the groups
/// alternated between 1 and 15 commands and each batch took twice as
/// long: 198–209 against 228–247 commands/s, same session).
const GROUPS_IN_FLIGHT: usize = 1;

struct Job {
    commitment: String,
    events: Vec<Outgoing>,
    expected: u64,
    messages: usize,
    reply: oneshot::Sender<Result<Appended, BusError>>,
}

/// Appends commands' events, grouping concurrent ones.
#[derive(Clone)]
pub struct CommandAppender {
    bus: Bus,
    jobs: mpsc::Sender<Job>,
}

impl CommandAppender {
    pub fn start(bus: Bus) -> CommandAppender {
        let (jobs, queue) = mpsc::channel::<Job>(1024);
        tokio::spawn(run(bus.clone(), queue));
        CommandAppender { bus, jobs }
    }

    /// Appends one command's events (the first on its commitment),
    /// conditional on the commitment being at `expected`; the answers are
    /// [`Bus::append`]'s. One event goes out on its own, at once
    /// ([`Bus::append_event`]); several join a group commit.
    pub async fn append(&self, events: Vec<Outgoing>, expected: u64) -> Result<Appended, BusError> {
        let Some(commitment) = events
            .first()
            .and_then(|o| o.envelope.event.commitment_id())
            .map(|id| id.to_string())
        else {
            return Err(BusError::Publish(
                "a versioned append must start with a commitment event".into(),
            ));
        };
        if let [event] = events.as_slice() {
            return self.bus.append_event(event, expected).await;
        }
        let messages = events.iter().map(|o| 1 + o.parties.len()).sum();
        let (reply, answer) = oneshot::channel();
        let stopped = || BusError::Publish("command appender stopped; nothing was appended".into());
        self.jobs
            .send(Job {
                commitment,
                events,
                expected,
                messages,
                reply,
            })
            .await
            .map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }
}

async fn run(bus: Bus, mut queue: mpsc::Receiver<Job>) {
    let slots = Arc::new(Semaphore::new(GROUPS_IN_FLIGHT));
    // Jobs set aside for a later group (their commitment was taken), in
    // arrival order.
    let mut held: VecDeque<Job> = VecDeque::new();
    loop {
        let first = match held.pop_front() {
            Some(job) => job,
            None => match queue.recv().await {
                Some(job) => job,
                None => return,
            },
        };
        let mut size = first.messages;
        let mut group = vec![first];
        let mut later = VecDeque::new();
        while group.len() < MAX_GROUP {
            let Some(job) = held.pop_front().or_else(|| queue.try_recv().ok()) else {
                break;
            };
            let taken = group.iter().any(|j| j.commitment == job.commitment);
            if taken || size + job.messages > MAX_BATCH_MESSAGES {
                later.push_back(job);
            } else {
                size += job.messages;
                group.push(job);
            }
        }
        later.append(&mut held);
        held = later;
        let Ok(slot) = slots.clone().acquire_owned().await else {
            return;
        };
        let bus = bus.clone();
        let span = tracing::debug_span!("append_commands", commands = group.len());
        tokio::spawn(tracing::Instrument::instrument(
            async move {
                commit(&bus, group).await;
                drop(slot);
            },
            span,
        ));
    }
}

async fn commit(bus: &Bus, group: Vec<Job>) {
    if group.len() > 1 {
        let commands: Vec<(Vec<Outgoing>, u64)> = group
            .iter()
            .map(|j| (j.events.clone(), j.expected))
            .collect();
        // unconfirmed: each caller retries with its command id, which
        // returns the first result; refused: one by one
        let result = bus.append_commands(&commands).await;
        let Some(refused) = crate::appender::answer_group(group, |j| j.reply, result) else {
            return;
        };
        return alone(bus, refused).await;
    }
    alone(bus, group).await;
}

/// Appends each command on its own, each answered with its own result.
async fn alone(bus: &Bus, group: Vec<Job>) {
    let alone = group.into_iter().map(|job| async move {
        let appended = bus
            .append(&job.events, Expect::CommitmentVersion(job.expected))
            .await;
        let _ = job.reply.send(appended);
    });
    futures::future::join_all(alone).await;
}
