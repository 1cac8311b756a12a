//! Accord's event log on NATS JetStream.
//!
//! One stream (file storage) holds every event; see [`subjects`] for the
//! subject scheme. Appends are atomic batches guarded by per-subject
//! expectations, so a command either lands whole or not at all, and a
//! document can be ingested once only — however long after.

pub mod connect;

pub use connect::{redacted, NatsAuth, NatsAuthError};
mod append;
pub mod auth;
mod dead_letters;
pub mod feed;
mod guarded;
mod stream_check;
pub mod subjects;

pub use append::EncodedIngest;
pub use auth::{KeyError, LogKeys, Unauthenticated, MAC_HEADER};
pub use dead_letters::ParkedDelivery;
pub use stream_check::StreamIdentity;

use accord_domain::{Envelope, Party};
use async_nats::jetstream::{self, consumer, stream};
use bytes::Bytes;
use futures::{Stream, StreamExt};
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

/// The server refuses more than 50 atomic batches in flight per stream;
/// past this many, appends from one process wait their turn instead.
const MAX_BATCHES_IN_FLIGHT: usize = 32;

/// How many non-canonical entries in a row [`Bus::canonical_at_or_before`]
/// reads before it asks by subject instead (an event has one party-feed
/// copy per committer).
pub const CANONICAL_WALK: u64 = 64;

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

    /// A handle on the log stream without asking the server for its info
    /// (`stream()` costs a STREAM.INFO round trip of its own).
    async fn handle(&self) -> Result<stream::Stream<()>, BusError> {
        self.js
            .get_stream_no_info(&self.config.stream)
            .await
            .map_err(|e| self.stream_error(e))
    }

    /// The stream's last sequence (0 when empty).
    pub async fn last_position(&self) -> Result<u64, BusError> {
        Ok(self
            .handle()
            .await?
            .get_info()
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

    /// Refuses a publish while the connection is down, rather than letting
    /// the client buffer it: `Publish("not connected to NATS at …")`.
    pub(crate) fn require_connection(&self) -> Result<(), BusError> {
        if self.connected() {
            return Ok(());
        }
        Err(BusError::Publish(format!(
            "not connected to NATS at {}; nothing was appended",
            self.config.url
        )))
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
    ///
    /// The stream's end, then back over the party-feed copies that follow
    /// their event: a few reads by sequence. A last-by-subject lookup with a
    /// wildcard instead walks nats-server's whole subject tree (one subject
    /// per commitment event), which on a big log cost more than the appends.
    pub async fn last_canonical_position(&self) -> Result<u64, BusError> {
        let last = self.last_position().await?;
        Ok(self.canonical_at_or_before(last, 0).await?.unwrap_or(0))
    }

    /// The last canonical event at or before `position`, looking no
    /// further back than `above` (returned when none is found after it);
    /// `None` when `position` is past the log's end. Every event is
    /// followed by its party-feed copies only (the stream never loses
    /// entries), so this reads a few entries by sequence; past
    /// [`CANONICAL_WALK`] non-canonical entries in a row (not a log Accord
    /// writes) it falls back to last-by-subject lookups.
    pub async fn canonical_at_or_before(
        &self,
        position: u64,
        above: u64,
    ) -> Result<Option<u64>, BusError> {
        let s = self.handle().await?;
        let mut at = position;
        while at > above {
            if position - at >= CANONICAL_WALK {
                return self.canonical_by_subject(position, above).await.map(Some);
            }
            match s.get_raw_message(at).await {
                Ok(m) if subjects::is_canonical(&m.subject) => return Ok(Some(at)),
                Ok(_) => at -= 1,
                Err(e) if e.kind() == stream::RawMessageErrorKind::NoMessageFound => {
                    if at == position && at > self.last_position().await? {
                        return Ok(None);
                    }
                    at -= 1;
                }
                Err(e) => return Err(self.stream_error(e)),
            }
        }
        Ok(Some(above))
    }

    /// [`Bus::canonical_at_or_before`] the slow way, for logs it cannot walk.
    async fn canonical_by_subject(&self, position: u64, above: u64) -> Result<u64, BusError> {
        let mut last = 0;
        for filter in subjects::CANONICAL {
            last = last.max(self.last_on_subject(filter).await?.unwrap_or(0));
        }
        // Later events than `position` exist: `position` itself bounds the wait.
        Ok(if last > position {
            position
        } else {
            last.max(above)
        })
    }

    /// The position of the last message on `subject` (wildcards allowed), if any.
    pub async fn last_on_subject(&self, subject: &str) -> Result<Option<u64>, BusError> {
        let s = self.handle().await?;
        match s.get_last_raw_message_by_subject(subject).await {
            Ok(m) => Ok(Some(m.sequence)),
            Err(e) if e.kind() == stream::LastRawMessageErrorKind::NoMessageFound => Ok(None),
            Err(e) => Err(self.stream_error(e)),
        }
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
    ///
    /// The consumer takes every entry and the party-feed copies are dropped
    /// here. A consumer filtering on the canonical wildcards costs
    /// nats-server a walk of its subject tree (one subject per commitment
    /// event) to find each next match, and, each time it reaches the log's
    /// end (after every append), an intersection of its filters with every
    /// subject in the stream under the store's lock: more CPU than sending
    /// the copies, and it held every command's append up (docs/performance-history.md,
    /// issue #13, fourth and fifth rounds).
    pub async fn replay(
        &self,
        from: u64,
    ) -> Result<impl Stream<Item = Result<LogEntry, BusError>>, BusError> {
        let messages = self.ordered(from, Vec::new()).await?;
        let keys = self.config.keys.clone();
        Ok(messages.filter_map(move |m| {
            let entry = match m {
                Ok(m) if !subjects::is_canonical(&m.subject) => None,
                m => Some(log_entry(keys.as_deref(), m)),
            };
            futures::future::ready(entry)
        }))
    }

    /// [`Bus::replay`] with the filter on the server (`filter_subjects` =
    /// the canonical wildcards): how it read the log before, kept as the
    /// bench's baseline.
    pub async fn replay_filtered_by_server(
        &self,
        from: u64,
    ) -> Result<impl Stream<Item = Result<LogEntry, BusError>>, BusError> {
        let canonical: Vec<String> = subjects::CANONICAL.iter().map(|s| s.to_string()).collect();
        self.replay_subjects(from, canonical).await
    }

    /// Like [`Bus::replay`], for the entries on `filters` only (e.g.
    /// [`subjects::READOUT_TEXTS`] for the linker). Give one filter: see
    /// [`Bus::replay`] for what several cost the server.
    pub async fn replay_subjects(
        &self,
        from: u64,
        filters: Vec<String>,
    ) -> Result<impl Stream<Item = Result<LogEntry, BusError>>, BusError> {
        let messages = self.ordered(from, filters).await?;
        let keys = self.config.keys.clone();
        Ok(messages.map(move |m| log_entry(keys.as_deref(), m)))
    }

    /// An ordered consumer's messages from `from` on (`filters` empty: every
    /// entry of the stream).
    async fn ordered(
        &self,
        from: u64,
        filters: Vec<String>,
    ) -> Result<consumer::pull::Ordered, BusError> {
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
        consumer
            .messages()
            .await
            .map_err(|e| BusError::Replay(e.to_string()))
    }
}

/// One delivered message as a [`LogEntry`], its authenticity checked.
fn log_entry(
    keys: Option<&auth::LogKeys>,
    m: Result<jetstream::Message, consumer::pull::OrderedError>,
) -> Result<LogEntry, BusError> {
    let m = m.map_err(|e| BusError::Replay(e.to_string()))?;
    let position = m
        .info()
        .map_err(|e| BusError::Replay(e.to_string()))?
        .stream_sequence;
    let unauthenticated =
        auth::authenticate(keys, &m.subject, &m.payload, m.headers.as_ref()).err();
    Ok(LogEntry {
        position,
        subject: m.subject.to_string(),
        payload: m.payload.clone(),
        unauthenticated,
    })
}
