//! Appending: one atomic, guarded batch per command or readout, each event
//! on its canonical subject followed by its party-feed copies, every message
//! signed when the log has keys.

use crate::{
    subjects, Appended, Bus, BusError, Expect, LogKeys, Outgoing, MAC_HEADER, MAX_BATCH_MESSAGES,
};
use accord_domain::Event;
use async_nats::jetstream::message::PublishMessage;
use bytes::Bytes;
use jetstream_extra::batch_publish::BatchPublishExt;
use std::time::Duration;

/// The server-checked condition on one message: the last sequence on a
/// subject (the message's own, or `filter`'s when given).
#[derive(Debug, Clone, Copy)]
struct Guard<'a> {
    expected: u64,
    filter: Option<&'a str>,
}

/// One event's messages: the canonical one (carrying the guard, if any)
/// followed by its party-feed copies, each signed when the log has keys.
fn encode(
    out: &Outgoing,
    guard: Option<Guard<'_>>,
    keys: Option<&LogKeys>,
) -> Vec<async_nats::jetstream::message::OutboundMessage> {
    let payload = Bytes::from(out.envelope.to_json());
    let message = |subject: String| {
        let mut msg = PublishMessage::build().payload(payload.clone());
        if let Some(keys) = keys {
            msg = msg.header(MAC_HEADER, keys.sign(&subject, &payload).as_str());
        }
        (msg, subject)
    };
    let (mut msg, subject) = message(subjects::canonical(&out.envelope));
    if let Some(guard) = guard {
        msg = msg.expected_last_subject_sequence(guard.expected);
        if let Some(filter) = guard.filter {
            msg = msg.header("Nats-Expected-Last-Subject-Sequence-Subject", filter);
        }
    }
    let mut messages = vec![msg.outbound_message(subject)];
    for feed in subjects::party_feed(&out.envelope, &out.parties) {
        let (msg, subject) = message(feed);
        messages.push(msg.outbound_message(subject));
    }
    messages
}

/// Whether the server refused a batch for lack of room.
pub(crate) fn is_full(reason: &str) -> bool {
    [
        "maximum bytes",
        "insufficient resources",
        "resource limits",
        "no space",
    ]
    .iter()
    .any(|m| reason.to_lowercase().contains(m))
}

/// One event's wire form, encoded once: its payload, canonical subject and
/// party-feed subjects.
#[derive(Debug, Clone)]
struct Encoded {
    payload: Bytes,
    canonical: String,
    feeds: Vec<String>,
}

impl Encoded {
    fn new(out: &Outgoing) -> Self {
        Encoded {
            payload: Bytes::from(out.envelope.to_json()),
            canonical: subjects::canonical(&out.envelope),
            feeds: subjects::party_feed(&out.envelope, &out.parties).collect(),
        }
    }
}

/// One readout's events, checked and encoded ([`Bus::encode_ingest`]).
#[derive(Debug, Clone)]
pub struct EncodedIngest {
    events: Vec<Encoded>,
    guard_subject: String,
    messages: usize,
}

impl EncodedIngest {
    /// How many stream messages it becomes (events and feed copies).
    pub fn messages(&self) -> usize {
        self.messages
    }

    /// Appends its messages, the last event carrying "document never seen";
    /// returns each event's index among `into`.
    fn push_messages(
        &self,
        into: &mut Vec<async_nats::jetstream::message::OutboundMessage>,
        expected: u64,
        keys: Option<&LogKeys>,
    ) -> Vec<usize> {
        let signed = |payload: &Bytes, subject: &str| {
            let mut msg = PublishMessage::build().payload(payload.clone());
            if let Some(keys) = keys {
                msg = msg.header(MAC_HEADER, keys.sign(subject, payload).as_str());
            }
            msg
        };
        let mut index = Vec::with_capacity(self.events.len());
        for (i, e) in self.events.iter().enumerate() {
            index.push(into.len());
            let mut msg = signed(&e.payload, &e.canonical);
            if i + 1 == self.events.len() {
                msg = msg.expected_last_subject_sequence(expected);
            }
            into.push(msg.outbound_message(e.canonical.clone()));
            for feed in &e.feeds {
                into.push(signed(&e.payload, feed).outbound_message(feed.clone()));
            }
        }
        index
    }
}

impl Bus {
    /// Appends events as one atomic batch: each on its canonical subject,
    /// followed by its party-feed copies, the whole batch conditional on
    /// `expect`. A document already in the log yields
    /// [`BusError::AlreadyIngested`]; a commitment that moved on yields
    /// [`BusError::VersionConflict`].
    pub async fn append(&self, events: &[Outgoing], expect: Expect) -> Result<Appended, BusError> {
        let Some(first) = events.first() else {
            return Err(BusError::Publish("nothing to append".into()));
        };
        let (guarded, guard_subject) = match &expect {
            Expect::NewDocument => {
                let last = &events[events.len() - 1].envelope;
                if !matches!(last.event, Event::DocumentIngested(_)) {
                    return Err(BusError::Publish(
                        "an ingest must end with DocumentIngested".into(),
                    ));
                }
                (events.len() - 1, subjects::canonical(last))
            }
            Expect::CommitmentVersion(_) => {
                let Some(id) = first.envelope.event.commitment_id() else {
                    return Err(BusError::Publish(
                        "a versioned append must start with a commitment event".into(),
                    ));
                };
                (0, subjects::commitment_events(id.as_str()))
            }
        };

        let filter = match &expect {
            Expect::NewDocument => None,
            Expect::CommitmentVersion(_) => Some(guard_subject.as_str()),
        };
        let mut expected = match expect {
            Expect::NewDocument => 0,
            Expect::CommitmentVersion(v) => v,
        };
        let mut attempts = 0;
        loop {
            let mut messages = Vec::new();
            let mut canonical_index = Vec::with_capacity(events.len());
            for (i, out) in events.iter().enumerate() {
                canonical_index.push(messages.len());
                let guard = (i == guarded).then_some(Guard { expected, filter });
                messages.extend(encode(out, guard, self.config.keys.as_deref()));
            }
            let reason = match self.publish_batch(messages).await? {
                Ok(first) => {
                    let positions: Vec<u64> =
                        canonical_index.iter().map(|&i| first + i as u64).collect();
                    let end = positions.iter().copied().max().unwrap_or(first);
                    return Ok(Appended { positions, end });
                }
                Err(reason) => reason,
            };
            attempts += 1;
            if reason.contains("wrong last sequence") && attempts < 5 {
                // Whatever only outsiders appended since is not part of the
                // log: expect it and go again, so a forged entry on a
                // commitment's or a document's subject cannot block Accord.
                if let (current, true) = self.moved_on(&guard_subject, expected).await? {
                    expected = current;
                    continue;
                }
            }
            return Err(self
                .conflict_or(&expect, &guard_subject, first, reason)
                .await);
        }
    }

    /// Appends several commands' events as ONE atomic batch (group commit):
    /// each command's first event keeps its own guard (its commitment at
    /// the version it was decided on), so if any of them is stale the whole
    /// batch is refused and the caller appends them one by one to learn
    /// which. The commitments must be distinct: nats-server (2.15.1) checks
    /// a second expectation on the same subject filter
    /// (`…-Subject: accord.v1.cmt.<id>.>`) within one batch against the
    /// first one's result, not against the first message, so two commands
    /// on one commitment at one version would both land (they did, with
    /// this check removed). Ingests are not affected: their guard is the
    /// message's own subject, and a second one there is refused.
    pub async fn append_commands(
        &self,
        commands: &[(Vec<Outgoing>, u64)],
    ) -> Result<Vec<Appended>, BusError> {
        let mut filters = Vec::with_capacity(commands.len());
        for (events, _) in commands {
            let id = events
                .first()
                .and_then(|o| o.envelope.event.commitment_id())
                .ok_or_else(|| {
                    BusError::Publish(
                        "a versioned append must start with a commitment event".into(),
                    )
                })?;
            let filter = subjects::commitment_events(id.as_str());
            if filters.contains(&filter) {
                return Err(BusError::Publish(format!(
                    "two commands on commitment {id} in one batch"
                )));
            }
            filters.push(filter);
        }
        let mut messages = Vec::new();
        let mut indexes = Vec::with_capacity(commands.len());
        for ((events, expected), filter) in commands.iter().zip(&filters) {
            let mut index = Vec::with_capacity(events.len());
            for (i, out) in events.iter().enumerate() {
                index.push(messages.len());
                let guard = (i == 0).then_some(Guard {
                    expected: *expected,
                    filter: Some(filter.as_str()),
                });
                messages.extend(encode(out, guard, self.config.keys.as_deref()));
            }
            indexes.push(index);
        }
        match self.publish_batch(messages).await? {
            Ok(first) => Ok(appended_at(first, indexes)),
            Err(reason) => Err(BusError::Publish(reason)),
        }
    }

    /// Appends several ingests as ONE atomic batch (group commit): each
    /// document's `DocumentIngested` keeps its own "never seen" expectation,
    /// so if any of them was ingested before, the whole batch is refused
    /// and the caller appends them one by one to learn which. The server
    /// applies atomic batches one at a time per stream, so grouping is what
    /// raises ingest throughput.
    pub async fn append_ingests(
        &self,
        groups: &[Vec<Outgoing>],
    ) -> Result<Vec<Appended>, BusError> {
        let encoded: Vec<EncodedIngest> = groups
            .iter()
            .map(|g| self.encode_ingest(g))
            .collect::<Result<_, _>>()?;
        self.append_encoded_ingests(&encoded).await
    }

    /// Checks and encodes ONE readout's events on their own, so that a
    /// readout that cannot be appended (no `DocumentIngested` last, an event
    /// above the server's `max_payload`, too many messages) fails alone,
    /// before it joins a group commit.
    pub fn encode_ingest(&self, events: &[Outgoing]) -> Result<EncodedIngest, BusError> {
        let Some(last) = events
            .last()
            .filter(|o| matches!(o.envelope.event, Event::DocumentIngested(_)))
        else {
            return Err(BusError::Publish(
                "every ingest must end with DocumentIngested".into(),
            ));
        };
        // Room for the headers (batch id, sequence, expectations).
        let max = self.client.server_info().max_payload.saturating_sub(1024);
        let mut encoded = Vec::with_capacity(events.len());
        let mut messages = 0;
        for out in events {
            let e = Encoded::new(out);
            if e.payload.len() > max {
                return Err(BusError::EventTooLarge {
                    event: out.envelope.event.type_name(),
                    bytes: e.payload.len(),
                    max,
                });
            }
            messages += 1 + e.feeds.len();
            encoded.push(e);
        }
        if messages > MAX_BATCH_MESSAGES {
            return Err(BusError::BatchTooLarge {
                messages,
                max: MAX_BATCH_MESSAGES,
            });
        }
        Ok(EncodedIngest {
            guard_subject: subjects::canonical(&last.envelope),
            events: encoded,
            messages,
        })
    }

    /// [`Bus::append_ingests`] of readouts already encoded.
    pub async fn append_encoded_ingests(
        &self,
        ingests: &[EncodedIngest],
    ) -> Result<Vec<Appended>, BusError> {
        let mut messages = Vec::new();
        let mut indexes = Vec::with_capacity(ingests.len());
        for ingest in ingests {
            indexes.push(ingest.push_messages(&mut messages, 0, self.config.keys.as_deref()));
        }
        match self.publish_batch(messages).await? {
            Ok(first) => Ok(appended_at(first, indexes)),
            Err(reason) => Err(BusError::Publish(reason)),
        }
    }

    /// One encoded readout as its own atomic batch; a document the log
    /// already holds yields [`BusError::AlreadyIngested`].
    pub async fn append_encoded_ingest(
        &self,
        ingest: &EncodedIngest,
    ) -> Result<Appended, BusError> {
        let mut expected = 0;
        let mut attempts = 0;
        loop {
            let mut messages = Vec::new();
            let index = ingest.push_messages(&mut messages, expected, self.config.keys.as_deref());
            let reason = match self.publish_batch(messages).await? {
                Ok(first) => {
                    let positions: Vec<u64> = index.iter().map(|&i| first + i as u64).collect();
                    let end = positions.iter().copied().max().unwrap_or(first);
                    return Ok(Appended { positions, end });
                }
                Err(reason) => reason,
            };
            attempts += 1;
            if reason.contains("wrong last sequence") && attempts < 5 {
                // Only outsiders' unauthenticated markers on the document's
                // subject: not part of the log, append after them.
                if let (current, true) = self.moved_on(&ingest.guard_subject, expected).await? {
                    expected = current;
                    continue;
                }
            }
            return self.refused_ingest(ingest, reason).await;
        }
    }

    /// What a refused single ingest means: the document is in the log, or
    /// the server said something else.
    async fn refused_ingest(
        &self,
        ingest: &EncodedIngest,
        reason: String,
    ) -> Result<Appended, BusError> {
        match reason {
            reason if reason.contains("wrong last sequence") => {
                let position = self
                    .last_on_subject(&ingest.guard_subject)
                    .await?
                    .unwrap_or(0);
                Err(BusError::AlreadyIngested {
                    document_id: ingest
                        .guard_subject
                        .split('.')
                        .nth(3)
                        .unwrap_or_default()
                        .to_owned(),
                    position,
                })
            }
            reason => Err(BusError::Publish(reason)),
        }
    }

    /// Publishes one atomic batch. `Ok(Ok(first position))`, or `Ok(Err(why
    /// the server refused it))`; `Err` for a batch that could not be sent.
    async fn publish_batch(
        &self,
        mut messages: Vec<async_nats::jetstream::message::OutboundMessage>,
    ) -> Result<Result<u64, String>, BusError> {
        if messages.len() > MAX_BATCH_MESSAGES {
            return Err(BusError::BatchTooLarge {
                messages: messages.len(),
                max: MAX_BATCH_MESSAGES,
            });
        }
        let Some(last) = messages.pop() else {
            return Err(BusError::Publish("nothing to append".into()));
        };
        self.require_connection()?;
        let _slot = self
            .in_flight
            .acquire()
            .await
            .map_err(|e| BusError::Publish(e.to_string()))?;
        let mut batch = self
            .js
            .batch_publish()
            .timeout(Duration::from_secs(10))
            .build();
        for msg in messages {
            // An uncommitted batch is abandoned by the server: nothing lands.
            batch
                .add_message(msg)
                .await
                .map_err(|e| BusError::Publish(format!("{e}; nothing was appended")))?;
        }
        // Before the commit message nothing can land (an uncommitted batch
        // is abandoned by the server); after it, only the answer can tell.
        Ok(match batch.commit_message(last).await {
            Ok(ack) => Ok(ack.sequence + 1 - ack.batch_size),
            Err(e)
                if e.kind() == jetstream_extra::batch_publish::BatchPublishErrorKind::Request =>
            {
                return Err(BusError::Unconfirmed(e.to_string()))
            }
            Err(e) if is_full(&e.to_string()) => return Err(BusError::LogFull(e.to_string())),
            Err(e) => Err(e.to_string()),
        })
    }

    /// Turns a refused batch into the conflict it reports, if it is one.
    async fn conflict_or(
        &self,
        expect: &Expect,
        guard_subject: &str,
        first: &Outgoing,
        reason: String,
    ) -> BusError {
        if !reason.contains("wrong last sequence") {
            return BusError::Publish(reason);
        }
        let current = match self.last_on_subject(guard_subject).await {
            Ok(p) => p.unwrap_or(0),
            Err(e) => return e,
        };
        match expect {
            Expect::NewDocument => BusError::AlreadyIngested {
                document_id: guard_subject
                    .split('.')
                    .nth(3)
                    .unwrap_or_default()
                    .to_owned(),
                position: current,
            },
            Expect::CommitmentVersion(expected) => BusError::VersionConflict {
                commitment_id: first.envelope.event.aggregate_id().to_owned(),
                expected: *expected,
                current,
            },
        }
    }
}

/// Where each part of a batch landed, from the batch's first position and
/// each part's message indexes within it.
fn appended_at(first: u64, indexes: Vec<Vec<usize>>) -> Vec<Appended> {
    indexes
        .into_iter()
        .map(|index| {
            let positions: Vec<u64> = index.iter().map(|&i| first + i as u64).collect();
            let end = positions.iter().copied().max().unwrap_or(first);
            Appended { positions, end }
        })
        .collect()
}
