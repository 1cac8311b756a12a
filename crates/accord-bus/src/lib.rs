//! Accord's event log on NATS JetStream.
//!
//! One stream (file storage) holds every event; see [`subjects`] for the
//! subject scheme. Appends are atomic batches guarded by per-subject
//! expectations, so a command either lands whole or not at all, and a
//! document can be ingested once only — however long after.

pub mod subjects;

use accord_domain::{Envelope, Event};
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
    #[error("document {document_id} is already in the log (position {position})")]
    AlreadyIngested { document_id: String, position: u64 },
    #[error("{messages} messages exceed the {max}-message limit of one atomic append")]
    BatchTooLarge { messages: usize, max: usize },
    #[error("reading the event log failed: {0}")]
    Replay(String),
}

#[derive(Debug, Clone)]
pub struct BusConfig {
    pub url: String,
    pub stream: String,
    /// Stream replicas: 1 on one server, 3 on a three-node cluster.
    pub replicas: usize,
}

impl BusConfig {
    pub fn new(url: impl Into<String>) -> Self {
        BusConfig { url: url.into(), stream: "ACCORD".into(), replicas: 1 }
    }
}

/// One message read back from the log.
#[derive(Debug, Clone)]
pub struct LogEntry {
    /// The stream sequence: Accord's "log position".
    pub position: u64,
    pub subject: String,
    pub payload: Bytes,
}

/// Where an append landed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Appended {
    /// The log position of each envelope, in the order given.
    pub positions: Vec<u64>,
    /// The position of the batch's last message.
    pub end: u64,
}

#[derive(Clone)]
pub struct Bus {
    client: async_nats::Client,
    js: jetstream::Context,
    config: BusConfig,
}

impl Bus {
    /// Connects and makes sure the stream exists with Accord's settings.
    pub async fn connect(config: BusConfig) -> Result<Bus, BusError> {
        let client = async_nats::ConnectOptions::new()
            .name("accord")
            .retry_on_initial_connect()
            .connection_timeout(Duration::from_secs(5))
            .connect(&config.url);
        let client = tokio::time::timeout(Duration::from_secs(15), client)
            .await
            .map_err(|_| BusError::Connect { url: config.url.clone(), reason: "timed out after 15 s".into() })?
            .map_err(|e| BusError::Connect { url: config.url.clone(), reason: e.to_string() })?;
        let js = jetstream::new(client.clone());
        let bus = Bus { client, js, config };
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
        BusError::Stream { stream: self.config.stream.clone(), reason: e.to_string() }
    }

    async fn ensure_stream(&self) -> Result<(), BusError> {
        let config = stream::Config {
            name: self.config.stream.clone(),
            description: Some("Accord event log: the source of truth".into()),
            subjects: vec![subjects::ALL.into()],
            storage: stream::StorageType::File,
            num_replicas: self.config.replicas,
            allow_atomic_publish: true,
            // Events are never removed: the projection is rebuilt from them.
            retention: stream::RetentionPolicy::Limits,
            deny_delete: true,
            deny_purge: true,
            ..Default::default()
        };
        self.js.create_or_update_stream(config).await.map_err(|e| self.stream_error(e))?;
        Ok(())
    }

    async fn stream(&self) -> Result<stream::Stream, BusError> {
        self.js.get_stream(&self.config.stream).await.map_err(|e| self.stream_error(e))
    }

    /// The stream's last sequence (0 when empty).
    pub async fn last_position(&self) -> Result<u64, BusError> {
        let mut s = self.stream().await?;
        Ok(s.info().await.map_err(|e| self.stream_error(e))?.state.last_sequence)
    }

    /// How many messages the stream holds.
    pub async fn message_count(&self) -> Result<u64, BusError> {
        let mut s = self.stream().await?;
        Ok(s.info().await.map_err(|e| self.stream_error(e))?.state.messages)
    }

    /// The position of the last message on `subject`, if any.
    pub async fn last_on_subject(&self, subject: &str) -> Result<Option<u64>, BusError> {
        let s = self.stream().await?;
        match s.get_last_raw_message_by_subject(subject).await {
            Ok(m) => Ok(Some(m.sequence)),
            Err(e) if e.kind() == stream::LastRawMessageErrorKind::NoMessageFound => Ok(None),
            Err(e) => Err(self.stream_error(e)),
        }
    }

    /// Appends the events of one ingest as one atomic batch: each event on
    /// its canonical subject preceded by its party-feed copies, the
    /// `DocumentIngested` event last and only if that document has no event
    /// yet. A document already in the log yields [`BusError::AlreadyIngested`].
    pub async fn append_ingest(&self, envelopes: &[Envelope]) -> Result<Appended, BusError> {
        let Some(last) = envelopes.last() else {
            return Err(BusError::Publish("nothing to append".into()));
        };
        let Event::DocumentIngested(doc) = &last.event else {
            return Err(BusError::Publish("an ingest must end with DocumentIngested".into()));
        };
        let doc_subject = subjects::canonical(last);

        let mut messages: Vec<(String, Bytes, bool)> = Vec::new();
        let mut canonical_index = Vec::with_capacity(envelopes.len());
        for envelope in envelopes {
            let payload = Bytes::from(envelope.to_json());
            for feed in subjects::party_feed(envelope) {
                messages.push((feed, payload.clone(), false));
            }
            canonical_index.push(messages.len());
            messages.push((subjects::canonical(envelope), payload, true));
        }
        if messages.len() > MAX_BATCH_MESSAGES {
            return Err(BusError::BatchTooLarge { messages: messages.len(), max: MAX_BATCH_MESSAGES });
        }

        let mut batch = self.js.batch_publish().timeout(Duration::from_secs(10)).build();
        let (last_subject, last_payload, _) = messages.pop().expect("a batch has at least one message");
        for (subject, payload, _) in messages {
            let msg = PublishMessage::build().payload(payload).outbound_message(subject);
            batch.add_message(msg).await.map_err(|e| BusError::Publish(e.to_string()))?;
        }
        // The expectation on the last message makes the whole batch conditional.
        let commit = PublishMessage::build()
            .payload(last_payload)
            .expected_last_subject_sequence(0)
            .outbound_message(last_subject);
        let ack = batch.commit_message(commit).await;
        match ack {
            Ok(ack) => {
                let first = ack.sequence + 1 - ack.batch_size;
                Ok(Appended { positions: canonical_index.iter().map(|&i| first + i as u64).collect(), end: ack.sequence })
            }
            Err(e) if e.to_string().contains("wrong last sequence") => {
                let position = self.last_on_subject(&doc_subject).await?.unwrap_or(0);
                Err(BusError::AlreadyIngested { document_id: doc.document_id.to_string(), position })
            }
            Err(e) => Err(BusError::Publish(e.to_string())),
        }
    }

    /// Every canonical event from `from` (a log position, 1-based) on, in log
    /// order, following the log as it grows. Backed by an ordered consumer,
    /// which recreates itself over reconnects and gaps.
    pub async fn replay(&self, from: u64) -> Result<impl Stream<Item = Result<LogEntry, BusError>>, BusError> {
        let stream = self.stream().await?;
        let consumer = stream
            .create_consumer(consumer::pull::OrderedConfig {
                filter_subjects: subjects::CANONICAL.iter().map(|s| s.to_string()).collect(),
                deliver_policy: consumer::DeliverPolicy::ByStartSequence { start_sequence: from.max(1) },
                ..Default::default()
            })
            .await
            .map_err(|e| BusError::Replay(e.to_string()))?;
        let messages = consumer.messages().await.map_err(|e| BusError::Replay(e.to_string()))?;
        Ok(messages.map(|m| {
            let m = m.map_err(|e| BusError::Replay(e.to_string()))?;
            let position = m.info().map_err(|e| BusError::Replay(e.to_string()))?.stream_sequence;
            Ok(LogEntry { position, subject: m.subject.to_string(), payload: m.payload.clone() })
        }))
    }
}
