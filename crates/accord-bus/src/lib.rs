//! Accord's event log on NATS JetStream.
//!
//! One stream (file storage) holds every event; see [`subjects`] for the
//! subject scheme. Appends are atomic batches guarded by per-subject
//! expectations, so a command either lands whole or not at all, and a
//! document can be ingested once only — however long after.

pub mod connect;

pub use connect::{redacted, NatsAuth, NatsAuthError};
pub mod auth;
mod stream_check;
pub mod subjects;

pub use auth::{KeyError, LogKeys, Unauthenticated, MAC_HEADER};
pub use stream_check::StreamIdentity;

use accord_domain::{Envelope, Event, Party};
use async_nats::jetstream::{self, consumer, message::PublishMessage, stream};
use bytes::Bytes;
use futures::{Stream, StreamExt};
use jetstream_extra::batch_publish::BatchPublishExt;
use std::time::Duration;

/// The server refuses atomic batches above this many messages.
pub const MAX_BATCH_MESSAGES: usize = 1000;

#[derive(Debug, thiserror::Error)]
pub enum BusError {
    #[error("cannot reach NATS at {url}: {reason}")]
    Connect { url: String, reason: String },
    #[error("JetStream stream {stream}: {reason}")]
    Stream { stream: String, reason: String },
    #[error("append to the event log failed: {0}")]
    Publish(String),
    /// The whole batch went out but its acknowledgement did not come back:
    /// it may have landed. Distinct from [`BusError::Publish`] (nothing did).
    #[error("the append was sent but not acknowledged ({0}); it may have landed")]
    Unconfirmed(String),
    #[error("document {document_id} is already in the log (position {position})")]
    AlreadyIngested { document_id: String, position: u64 },
    #[error("commitment {commitment_id} is at version {current}, not the expected {expected}")]
    VersionConflict {
        commitment_id: String,
        expected: u64,
        current: u64,
    },
    #[error("a {event} event of {bytes} bytes exceeds the {max}-byte limit of one message (the server's max_payload)")]
    EventTooLarge {
        event: &'static str,
        bytes: usize,
        max: usize,
    },
    #[error("{messages} messages exceed the {max}-message limit of one atomic append")]
    BatchTooLarge { messages: usize, max: usize },
    #[error("reading the event log failed: {0}")]
    Replay(String),
    #[error(transparent)]
    Auth(#[from] NatsAuthError),
    /// The stream reached its size cap (or the server its storage limit):
    /// nothing was appended, and nothing old was dropped.
    #[error("the event log is full ({0}); nothing was appended")]
    LogFull(String),
}

#[derive(Debug, Clone)]
pub struct BusConfig {
    pub url: String,
    pub stream: String,
    /// Stream replicas: 1 on one server, 3 on a three-node cluster.
    pub replicas: usize,
    /// Credentials and TLS for the connection (none by default).
    pub auth: NatsAuth,
    /// The event log's size cap in bytes (`None`: as much as the server
    /// allows). When it is reached new appends are refused
    /// ([`BusError::LogFull`]); old events are never dropped.
    pub max_bytes: Option<i64>,
    /// The keys that sign appends and verify entries read back
    /// ([`auth`]); `None` runs an insecure log: nothing signed, everything
    /// believed (`accord up --insecure-log`, for development only).
    pub keys: Option<std::sync::Arc<LogKeys>>,
}

impl BusConfig {
    pub fn new(url: impl Into<String>) -> Self {
        BusConfig {
            url: url.into(),
            stream: "ACCORD".into(),
            replicas: 1,
            auth: NatsAuth::default(),
            max_bytes: None,
            keys: None,
        }
    }

    pub fn with_keys(mut self, keys: LogKeys) -> Self {
        self.keys = Some(std::sync::Arc::new(keys));
        self
    }
}

/// One message read back from the log.
#[derive(Debug, Clone)]
pub struct LogEntry {
    /// The stream sequence: Accord's "log position".
    pub position: u64,
    pub subject: String,
    pub payload: Bytes,
    /// Why the entry is not accepted as Accord's own (no or a wrong MAC),
    /// if it is not; readers apply only entries where this is `None`.
    pub unauthenticated: Option<Unauthenticated>,
}

/// One event to append, with the parties whose feed gets a copy.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub envelope: Envelope,
    pub parties: Vec<Party>,
}

impl Outgoing {
    /// An event whose feed parties are the ones it names itself.
    pub fn new(envelope: Envelope) -> Self {
        let parties = envelope.event.parties().to_vec();
        Outgoing { envelope, parties }
    }
}

/// An alert delivery a receiver refused for good, kept for a replay.
#[derive(Debug, Clone)]
pub struct ParkedDelivery {
    /// Its sequence in the parked-deliveries stream (what removes it).
    pub id: u64,
    /// The alert event's log position and subject.
    pub position: u64,
    pub subject: String,
    /// What the receiver answered.
    pub reason: String,
    /// The event's bytes, as in the log.
    pub payload: Bytes,
}

/// What must hold for an append to land; checked by the server, atomically.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expect {
    /// The batch ends with a `DocumentIngested` for a document the log has
    /// never seen.
    NewDocument,
    /// The first event's commitment is at this version (the log position of
    /// its latest event).
    CommitmentVersion(u64),
}

/// Where an append landed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Appended {
    /// The log position of each envelope, in the order given.
    pub positions: Vec<u64>,
    /// The position of the batch's last message.
    pub end: u64,
}

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
fn is_full(reason: &str) -> bool {
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

/// The server refuses more than 50 atomic batches in flight per stream;
/// past this many, appends from one process wait their turn instead.
const MAX_BATCHES_IN_FLIGHT: usize = 32;

#[derive(Clone)]
pub struct Bus {
    client: async_nats::Client,
    js: jetstream::Context,
    config: BusConfig,
    in_flight: std::sync::Arc<tokio::sync::Semaphore>,
}

impl Bus {
    /// Connects and makes sure the stream exists with Accord's settings.
    /// `config.url` may list several servers of one cluster, comma-separated;
    /// the client tries them all and follows the cluster's own server list.
    pub async fn connect(config: BusConfig) -> Result<Bus, BusError> {
        let client =
            connect::connect_client(&config.url, &config.auth, "accord", Duration::from_secs(15))
                .await?;
        let js = jetstream::new(client.clone());
        let in_flight = std::sync::Arc::new(tokio::sync::Semaphore::new(MAX_BATCHES_IN_FLIGHT));
        let bus = Bus {
            client,
            js,
            config,
            in_flight,
        };
        bus.ensure_stream().await?;
        Ok(bus)
    }

    pub fn client(&self) -> &async_nats::Client {
        &self.client
    }

    pub fn stream_name(&self) -> &str {
        &self.config.stream
    }

    fn stream_error(&self, e: impl std::fmt::Display) -> BusError {
        BusError::Stream {
            stream: self.config.stream.clone(),
            reason: e.to_string(),
        }
    }

    /// Creates the streams if missing. An existing stream is left as its
    /// operators configured it (e.g. R3), except that atomic batches must
    /// be allowed; a process started with fewer `--replicas` never shrinks it.
    async fn ensure_stream(&self) -> Result<(), BusError> {
        let config = stream::Config {
            name: self.config.stream.clone(),
            description: Some("Accord event log: the source of truth".into()),
            subjects: vec![subjects::ALL.into()],
            storage: stream::StorageType::File,
            num_replicas: self.config.replicas,
            allow_atomic_publish: true,
            // Events are never removed: the projection is rebuilt from them.
            // At a size cap the stream refuses new events (discard New)
            // instead of dropping the oldest.
            retention: stream::RetentionPolicy::Limits,
            discard: stream::DiscardPolicy::New,
            max_bytes: self.config.max_bytes.unwrap_or(-1),
            deny_delete: true,
            deny_purge: true,
            ..Default::default()
        };
        self.create_or_keep(config).await?;
        let dead_letters = stream::Config {
            name: format!("{}_DLQ", self.config.stream),
            description: Some(
                "Accord dead letters: log entries the projector could not apply".into(),
            ),
            subjects: vec![format!("{}.>", subjects::DEAD_LETTERS)],
            storage: stream::StorageType::File,
            num_replicas: self.config.replicas,
            ..Default::default()
        };
        self.create_or_keep(dead_letters).await?;
        let sink_parked = stream::Config {
            name: self.sink_parked_stream(),
            description: Some(
                "Accord alert deliveries a receiver refused for good (4xx), replayable".into(),
            ),
            subjects: vec![format!("{}.>", subjects::SINK_PARKED)],
            storage: stream::StorageType::File,
            num_replicas: self.config.replicas,
            duplicate_window: Duration::from_secs(120),
            ..Default::default()
        };
        self.create_or_keep(sink_parked).await
    }

    fn sink_parked_stream(&self) -> String {
        format!("{}_SINK_PARKED", self.config.stream)
    }

    async fn create_or_keep(&self, wanted: stream::Config) -> Result<(), BusError> {
        match self.js.get_stream(&wanted.name).await {
            Ok(mut existing) => {
                let info = existing.info().await.map_err(|e| self.stream_error(e))?;
                if wanted.name == self.config.stream {
                    self.check_log_config(&info.config)?;
                }
                let discard_old = wanted.discard == stream::DiscardPolicy::New
                    && info.config.discard != stream::DiscardPolicy::New;
                if (wanted.allow_atomic_publish && !info.config.allow_atomic_publish) || discard_old
                {
                    let mut config = info.config.clone();
                    config.allow_atomic_publish |= wanted.allow_atomic_publish;
                    config.discard = wanted.discard;
                    self.js
                        .update_stream(config)
                        .await
                        .map_err(|e| self.stream_error(e))?;
                }
                if info.config.num_replicas != wanted.num_replicas {
                    tracing::info!(stream = %wanted.name, replicas = info.config.num_replicas, asked = wanted.num_replicas, "stream exists; keeping its replica count");
                }
                Ok(())
            }
            Err(e)
                if matches!(
                    e.kind(),
                    jetstream::context::GetStreamErrorKind::JetStream(ref j)
                        if j.error_code() == jetstream::ErrorCode::STREAM_NOT_FOUND
                ) =>
            {
                self.js
                    .create_stream(wanted)
                    .await
                    .map_err(|e| self.stream_error(e))?;
                Ok(())
            }
            Err(e) => Err(self.stream_error(e)),
        }
    }

    async fn stream(&self) -> Result<stream::Stream, BusError> {
        self.js
            .get_stream(&self.config.stream)
            .await
            .map_err(|e| self.stream_error(e))
    }

    /// The stream's last sequence (0 when empty).
    pub async fn last_position(&self) -> Result<u64, BusError> {
        let mut s = self.stream().await?;
        Ok(s.info()
            .await
            .map_err(|e| self.stream_error(e))?
            .state
            .last_sequence)
    }

    /// When the entry at `position` was stored (`None`: no such entry).
    pub async fn stored_at(&self, position: u64) -> Result<Option<time::OffsetDateTime>, BusError> {
        let s = self.stream().await?;
        match s.get_raw_message(position).await {
            Ok(m) => Ok(Some(m.time)),
            Err(e) if e.kind() == stream::RawMessageErrorKind::NoMessageFound => Ok(None),
            Err(e) => Err(self.stream_error(e)),
        }
    }

    /// Whether the client is connected to a NATS server right now.
    pub fn connected(&self) -> bool {
        self.client.connection_state() == async_nats::connection::State::Connected
    }

    /// How many messages the stream holds.
    pub async fn message_count(&self) -> Result<u64, BusError> {
        let mut s = self.stream().await?;
        Ok(s.info()
            .await
            .map_err(|e| self.stream_error(e))?
            .state
            .messages)
    }

    /// The position of the last canonical event (what a caught-up projector
    /// has applied); party-feed copies may follow it in the stream.
    pub async fn last_canonical_position(&self) -> Result<u64, BusError> {
        let mut last = 0;
        for filter in subjects::CANONICAL {
            last = last.max(self.last_on_subject(filter).await?.unwrap_or(0));
        }
        Ok(last)
    }

    /// The position of the last message on `subject` (wildcards allowed), if any.
    pub async fn last_on_subject(&self, subject: &str) -> Result<Option<u64>, BusError> {
        let s = self.stream().await?;
        match s.get_last_raw_message_by_subject(subject).await {
            Ok(m) => Ok(Some(m.sequence)),
            Err(e) if e.kind() == stream::LastRawMessageErrorKind::NoMessageFound => Ok(None),
            Err(e) => Err(self.stream_error(e)),
        }
    }

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
                let current = self.last_on_subject(&guard_subject).await?.unwrap_or(0);
                if current > expected
                    && self
                        .only_unauthenticated(&guard_subject, expected, current)
                        .await?
                {
                    tracing::warn!(subject = %guard_subject, expected, current, "unauthenticated entries on the subject; appending after them");
                    expected = current;
                    continue;
                }
            }
            return Err(self
                .conflict_or(&expect, &guard_subject, first, reason)
                .await);
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
            Ok(first) => Ok(indexes
                .into_iter()
                .map(|index| {
                    let positions: Vec<u64> = index.iter().map(|&i| first + i as u64).collect();
                    let end = positions.iter().copied().max().unwrap_or(first);
                    Appended { positions, end }
                })
                .collect()),
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
                let current = self
                    .last_on_subject(&ingest.guard_subject)
                    .await?
                    .unwrap_or(0);
                if current > expected
                    && self
                        .only_unauthenticated(&ingest.guard_subject, expected, current)
                        .await?
                {
                    tracing::warn!(subject = %ingest.guard_subject, expected, current, "unauthenticated entries on the subject; appending after them");
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
        if !self.connected() {
            return Err(BusError::Publish(format!(
                "not connected to NATS at {}; nothing was appended",
                self.config.url
            )));
        }
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

    /// Records a dead letter: the original bytes, with where they came from
    /// and why they were set aside in headers. Deduplicated by position, so
    /// a projector that crashes and re-parks does not record it twice.
    pub async fn dead_letter(
        &self,
        position: u64,
        subject: &str,
        reason: &str,
        payload: Vec<u8>,
    ) -> Result<(), BusError> {
        let mut headers = async_nats::HeaderMap::new();
        headers.insert(
            "Nats-Msg-Id",
            format!("{}-dlq-{position}", self.config.stream).as_str(),
        );
        headers.insert("Accord-Position", position.to_string().as_str());
        headers.insert("Accord-Subject", subject);
        headers.insert("Accord-Reason", reason.replace(['\r', '\n'], " ").as_str());
        self.js
            .publish_with_headers(
                format!("{}.{position}", subjects::DEAD_LETTERS),
                headers,
                payload.into(),
            )
            .await
            .map_err(|e| BusError::Publish(e.to_string()))?
            .await
            .map_err(|e| BusError::Publish(e.to_string()))?;
        Ok(())
    }

    /// Parks one alert delivery its receiver refused for good: the event's
    /// bytes, its log position and subject, and the reason, under the sink's
    /// name. Deduplicated by (sink, position), so a crash and retry parks once.
    pub async fn park_delivery(
        &self,
        sink: &str,
        position: u64,
        subject: &str,
        reason: &str,
        payload: Bytes,
    ) -> Result<(), BusError> {
        let mut headers = async_nats::HeaderMap::new();
        headers.insert(
            "Nats-Msg-Id",
            format!("{}-sinkparked-{sink}-{position}", self.config.stream).as_str(),
        );
        headers.insert("Accord-Position", position.to_string().as_str());
        headers.insert("Accord-Subject", subject);
        headers.insert("Accord-Reason", reason.replace(['\r', '\n'], " ").as_str());
        self.js
            .publish_with_headers(subjects::sink_parked(sink, position), headers, payload)
            .await
            .map_err(|e| BusError::Publish(e.to_string()))?
            .await
            .map_err(|e| BusError::Publish(e.to_string()))?;
        Ok(())
    }

    /// Every delivery `sink` parked and nobody replayed yet, oldest first.
    pub async fn parked_deliveries(&self, sink: &str) -> Result<Vec<ParkedDelivery>, BusError> {
        let stream = self
            .js
            .get_stream(self.sink_parked_stream())
            .await
            .map_err(|e| self.stream_error(e))?;
        let consumer = stream
            .create_consumer(consumer::pull::OrderedConfig {
                filter_subjects: vec![subjects::sink_parked_all(sink)],
                ..Default::default()
            })
            .await
            .map_err(|e| BusError::Replay(e.to_string()))?;
        let pending = consumer.cached_info().num_pending as usize;
        let mut messages = consumer
            .messages()
            .await
            .map_err(|e| BusError::Replay(e.to_string()))?
            .take(pending);
        let mut out = Vec::with_capacity(pending);
        while let Some(m) = messages.next().await {
            let m = m.map_err(|e| BusError::Replay(e.to_string()))?;
            let header = |name: &str| {
                m.headers
                    .as_ref()
                    .and_then(|h| h.get(name))
                    .map(|v| v.as_str().to_owned())
                    .unwrap_or_default()
            };
            out.push(ParkedDelivery {
                id: m
                    .info()
                    .map_err(|e| BusError::Replay(e.to_string()))?
                    .stream_sequence,
                position: header("Accord-Position").parse().unwrap_or(0),
                subject: header("Accord-Subject"),
                reason: header("Accord-Reason"),
                payload: m.payload.clone(),
            });
        }
        Ok(out)
    }

    /// Forgets a parked delivery (after a replay delivered it).
    pub async fn remove_parked_delivery(&self, id: u64) -> Result<(), BusError> {
        let stream = self
            .js
            .get_stream(self.sink_parked_stream())
            .await
            .map_err(|e| self.stream_error(e))?;
        stream
            .delete_message(id)
            .await
            .map_err(|e| self.stream_error(e))?;
        Ok(())
    }

    /// A durable pull consumer on the stream (created or updated): several
    /// processes using the same `name` share its deliveries, each message
    /// going to one of them, and it survives restarts.
    pub async fn durable(
        &self,
        name: &str,
        filters: &[String],
        ack_wait: Duration,
    ) -> Result<consumer::PullConsumer, BusError> {
        let stream = self.stream().await?;
        let config = consumer::pull::Config {
            durable_name: Some(name.to_owned()),
            filter_subjects: filters.to_vec(),
            ack_policy: consumer::AckPolicy::Explicit,
            ack_wait,
            max_ack_pending: 1,
            deliver_policy: consumer::DeliverPolicy::All,
            ..Default::default()
        };
        stream
            .get_or_create_consumer(name, config)
            .await
            .map_err(|e| BusError::Replay(format!("durable consumer {name}: {e}")))
    }

    /// Every canonical event from `from` (a log position, 1-based) on, in log
    /// order, following the log as it grows. Backed by an ordered consumer,
    /// which recreates itself over reconnects and gaps.
    pub async fn replay(
        &self,
        from: u64,
    ) -> Result<impl Stream<Item = Result<LogEntry, BusError>>, BusError> {
        let canonical: Vec<String> = subjects::CANONICAL.iter().map(|s| s.to_string()).collect();
        self.replay_subjects(from, canonical).await
    }

    /// Like [`Bus::replay`], for the entries on `filters` only (e.g.
    /// [`subjects::READOUT_TEXTS`] for the linker).
    pub async fn replay_subjects(
        &self,
        from: u64,
        filters: Vec<String>,
    ) -> Result<impl Stream<Item = Result<LogEntry, BusError>>, BusError> {
        let stream = self.stream().await?;
        let consumer = stream
            .create_consumer(consumer::pull::OrderedConfig {
                filter_subjects: filters,
                deliver_policy: consumer::DeliverPolicy::ByStartSequence {
                    start_sequence: from.max(1),
                },
                ..Default::default()
            })
            .await
            .map_err(|e| BusError::Replay(e.to_string()))?;
        let messages = consumer
            .messages()
            .await
            .map_err(|e| BusError::Replay(e.to_string()))?;
        let keys = self.config.keys.clone();
        Ok(messages.map(move |m| {
            let m = m.map_err(|e| BusError::Replay(e.to_string()))?;
            let position = m
                .info()
                .map_err(|e| BusError::Replay(e.to_string()))?
                .stream_sequence;
            let unauthenticated =
                auth::authenticate(keys.as_deref(), &m.subject, &m.payload, m.headers.as_ref())
                    .err();
            Ok(LogEntry {
                position,
                subject: m.subject.to_string(),
                payload: m.payload.clone(),
                unauthenticated,
            })
        }))
    }
}
