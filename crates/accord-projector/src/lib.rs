//! The projector: follows the log from the store's checkpoint and applies it
//! in batches. Each batch is one atomic store write carrying its checkpoint,
//! so a crash at any instant resumes exactly after the last applied event.
//!
//! Entries it cannot read (malformed, unknown type, newer schema) are parked
//! with the reason, together with every later entry of the same commitment,
//! and recorded in the dead-letter stream; everything else keeps flowing.

use accord_bus::{subjects, Bus, BusError};
use accord_domain::Envelope;
use accord_store::{Item, Store, StoreError, View};
use futures::StreamExt;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

mod pipeline;

#[derive(Debug, thiserror::Error)]
pub enum ProjectorError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Bus(#[from] BusError),
    #[error("no space for the projection under {}: {free} bytes free, below the {reserve} bytes the projector keeps in reserve; writes paused until space returns (the event log keeps every event)", dir.display())]
    NoSpace {
        dir: PathBuf,
        free: u64,
        reserve: u64,
    },
    #[error("projector stopped by the failure hook after committing position {0}")]
    Injected(u64),
    #[error("stream {stream} is not the one this projection follows: it was created at {new}, the projection's stream at {old} (deleted and created again?). Refusing to advance; rebuild the projection from the new stream (remove the projection folder) once you know what happened")]
    StreamChanged {
        stream: String,
        old: String,
        new: String,
    },
    #[error("stream {stream} starts at position {first}, but the projection has applied only up to {position}: events {from}..{first} are missing (purged or dropped by a limit). Refusing to advance")]
    EventsMissing {
        stream: String,
        first: u64,
        position: u64,
        from: u64,
    },
}

/// Binds `view` to the log stream, or refuses a stream that is not the
/// one its checkpoint counts in, or that lost events it has not applied.
pub async fn check_stream(bus: &Bus, view: &View) -> Result<(), ProjectorError> {
    let identity = bus.stream_identity().await?;
    let stream = bus.stream_name().to_owned();
    if let Some(old) = view.bind_stream(&identity.key())? {
        return Err(ProjectorError::StreamChanged {
            stream,
            old,
            new: identity.key(),
        });
    }
    let position = view.position()?;
    if identity.first_sequence > position + 1 {
        return Err(ProjectorError::EventsMissing {
            stream,
            first: identity.first_sequence,
            position,
            from: position + 1,
        });
    }
    Ok(())
}

/// How long the projector waits for log entries before checking that it
/// is not stuck behind the log.
const STALL_CHECK: Duration = Duration::from_secs(5);

/// A test hook called after each batch commit with the new checkpoint;
/// returning `true` makes the projector stop as if it had crashed before
/// telling anyone (no position published).
pub type AfterCommit = Arc<dyn Fn(u64) -> bool + Send + Sync>;

/// How log bytes become events. The default is [`Envelope::from_json`];
/// a different one stands for a build that reads more (tests use it to
/// play "the upgrade that fixes a dead letter").
pub type Decoder = Arc<dyn Fn(&[u8]) -> Result<Envelope, String> + Send + Sync>;

pub fn default_decoder() -> Decoder {
    Arc::new(|bytes| Envelope::from_json(bytes).map_err(|e| e.to_string()))
}

/// Metric names (README "Operating Accord").
pub mod metric {
    pub const APPLIED: &str = "accord_projector_applied_total";
    pub const PARKED: &str = "accord_projector_parked_total";
    pub const DEAD_LETTERED: &str = "accord_projector_dead_lettered_total";
    pub const POSITION: &str = "accord_projection_position";

    pub fn describe() {
        metrics::describe_counter!(
            APPLIED,
            "Log entries the projector applied to the projection."
        );
        metrics::describe_counter!(PARKED, "Log entries the projector parked (unreadable, or behind an unreadable one of the same commitment).");
        metrics::describe_counter!(
            DEAD_LETTERED,
            "Parked entries recorded in the dead-letter stream ACCORD_DLQ."
        );
        metrics::describe_gauge!(
            POSITION,
            "Log position the projection has applied (its checkpoint)."
        );
    }
}

/// Counters a process can export.
#[derive(Debug, Default)]
pub struct Stats {
    pub applied: AtomicU64,
    /// Entries set aside (unreadable, or behind an unreadable one).
    pub parked: AtomicU64,
}

/// Where the projection lives and how much free space the projector leaves
/// on that disk: it stops writing before sled does, because sled refuses
/// every write after one has failed until the store is opened again.
#[derive(Debug, Clone)]
pub struct DiskReserve {
    pub dir: PathBuf,
    pub bytes: u64,
}

impl DiskReserve {
    /// Refuses a write while the disk has less than the reserve free. A
    /// disk whose free space cannot be read is not held against the write.
    pub fn check(&self) -> Result<(), ProjectorError> {
        let Ok(s) = rustix::fs::statvfs(&self.dir) else {
            return Ok(());
        };
        let free = s.f_bavail.saturating_mul(s.f_frsize);
        if free < self.bytes {
            return Err(ProjectorError::NoSpace {
                dir: self.dir.clone(),
                free,
                reserve: self.bytes,
            });
        }
        Ok(())
    }
}

pub struct Projector {
    bus: Bus,
    store: Arc<Store>,
    position: watch::Sender<u64>,
    /// Why the projector is not applying the log right now (`None`: it is).
    fault: watch::Sender<Option<String>>,
    reserve: Option<DiskReserve>,
    max_batch: usize,
    after_commit: Option<AfterCommit>,
    decoder: Decoder,
    stats: Arc<Stats>,
}

/// Turns log entries into store items. The subject scheme is read here (the
/// store does not know it): an event carries its canonical subject, to be
/// recorded should it be parked; an unreadable entry carries the aggregate
/// its subject names.
fn items(decoder: &Decoder, chunk: Vec<accord_bus::LogEntry>) -> (Vec<Item>, u64) {
    let mut last = 0;
    let items = chunk
        .into_iter()
        .map(|entry| {
            last = entry.position;
            // Not Accord's: recorded for the operators, never applied, and
            // holding nothing back (whoever forged it cannot block a commitment).
            if let Some(why) = &entry.unauthenticated {
                return Item::Unreadable {
                    position: entry.position,
                    aggregate: subjects::aggregate_of(&entry.subject).map(str::to_owned),
                    reason: why.to_string(),
                    subject: entry.subject,
                    payload: entry.payload.to_vec(),
                    detached: true,
                };
            }
            match decoder(&entry.payload) {
                Ok(envelope) => Item::Event {
                    position: entry.position,
                    subject: Some(subjects::canonical(&envelope)),
                    envelope,
                },
                Err(reason) => Item::Unreadable {
                    position: entry.position,
                    aggregate: subjects::aggregate_of(&entry.subject).map(str::to_owned),
                    subject: entry.subject,
                    payload: entry.payload.to_vec(),
                    reason,
                    detached: false,
                },
            }
        })
        .collect();
    (items, last)
}

impl Projector {
    pub fn new(bus: Bus, store: Arc<Store>) -> Result<Self, ProjectorError> {
        let (position, _) = watch::channel(store.position()?);
        Ok(Projector {
            bus,
            store,
            position,
            fault: watch::channel(None).0,
            reserve: None,
            max_batch: 1000,
            after_commit: None,
            decoder: default_decoder(),
            stats: Arc::default(),
        })
    }

    pub fn with_after_commit(mut self, hook: AfterCommit) -> Self {
        self.after_commit = Some(hook);
        self
    }

    /// Pauses writing (and reports a fault) while the projection's disk
    /// has less than `reserve.bytes` free.
    pub fn with_disk_reserve(mut self, reserve: DiskReserve) -> Self {
        self.reserve = Some(reserve);
        self
    }

    /// Why the projector is not applying the log (`None`: it is), for
    /// readiness.
    pub fn faults(&self) -> watch::Receiver<Option<String>> {
        self.fault.subscribe()
    }

    pub fn with_max_batch(mut self, max_batch: usize) -> Self {
        self.max_batch = max_batch.max(1);
        self
    }

    pub fn with_decoder(mut self, decoder: Decoder) -> Self {
        self.decoder = decoder;
        self
    }

    /// The applied log position, for read-your-writes waits.
    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.position.subscribe()
    }

    pub fn stats(&self) -> Arc<Stats> {
        self.stats.clone()
    }

    /// Runs until the hook fires or the store fails; log outages and a disk
    /// short of space are waited out with backoff (the consumer restarts
    /// from the checkpoint), reported as a fault meanwhile.
    pub async fn run(self) -> Result<(), ProjectorError> {
        const FIRST: Duration = Duration::from_millis(100);
        let mut backoff = FIRST;
        loop {
            let before = self.store.position()?;
            let outcome = self.follow().await;
            if self.store.position()? > before {
                backoff = FIRST;
            }
            match outcome {
                Ok(()) => return Ok(()),
                Err(ProjectorError::Bus(e)) => {
                    tracing::warn!(error = %e, retry_in = ?backoff, "event log unavailable; resuming from checkpoint");
                }
                Err(e @ ProjectorError::NoSpace { .. }) => {
                    tracing::error!(error = %e, retry_in = ?backoff, "projector paused: no space left for the projection");
                    self.fault.send_replace(Some(e.to_string()));
                }
                Err(e) => {
                    self.fault.send_replace(Some(e.to_string()));
                    return Err(e);
                }
            }
            tokio::time::sleep(backoff).await;
            backoff = (backoff * 2).min(Duration::from_secs(5));
        }
    }

    async fn follow(&self) -> Result<(), ProjectorError> {
        if let Err(e) = check_stream(&self.bus, &self.store.view()).await {
            tracing::error!(error = %e, "the event log is not the one the projection follows");
            return Err(e);
        }
        let from = self.store.position()? + 1;
        tracing::info!(from, "projector following the event log");
        let mut log = Box::pin(self.bus.replay(from).await?.ready_chunks(self.max_batch));
        let (batches, mut written, writer) = pipeline::spawn(
            self.store.clone(),
            self.after_commit.clone(),
            self.reserve.clone(),
        );
        let mut outcome = self.pump(&mut log, batches, &mut written).await;
        // The writer ends once its queue is closed (dropped by `pump`); wait
        // for it so that a restarted follow never runs beside an old writer.
        let _ = tokio::task::spawn_blocking(move || writer.join()).await;
        while let Ok(done) = written.try_recv() {
            match done {
                Ok(applied) => self.published(applied).await,
                // A store failure or the hook outranks a log outage.
                Err(e) => outcome = Err(e),
            }
        }
        outcome
    }

    /// Reads and decodes the log into the writer's queue, and publishes what
    /// the writer reports, until the log ends or something fails.
    async fn pump(
        &self,
        log: &mut (impl futures::Stream<Item = Vec<Result<accord_bus::LogEntry, BusError>>> + Unpin),
        batches: tokio::sync::mpsc::Sender<pipeline::Batch>,
        written: &mut tokio::sync::mpsc::UnboundedReceiver<pipeline::Written>,
    ) -> Result<(), ProjectorError> {
        // The last position handed to the writer: what "caught up" means
        // while the writer is still busy with it.
        let mut sent = self.store.position()?;
        loop {
            let chunk = tokio::select! {
                done = written.recv() => match done {
                    Some(done) => {
                        self.published(done?).await;
                        continue;
                    }
                    None => return Ok(()),
                },
                chunk = tokio::time::timeout(STALL_CHECK, log.next()) => chunk,
            };
            let chunk = match chunk {
                Ok(Some(chunk)) => chunk,
                Ok(None) => return Ok(()),
                // Quiet: fine if the log is quiet too. A consumer whose server
                // died can go silent without an error; then follow again.
                Err(_) => {
                    let end = self.bus.last_canonical_position().await?;
                    if end > sent {
                        return Err(ProjectorError::Bus(BusError::Replay(format!(
                            "no log entries for {STALL_CHECK:?} while the log is at {end} and the projection at {sent}"
                        ))));
                    }
                    continue;
                }
            };
            let chunk: Result<Vec<_>, _> = chunk.into_iter().collect();
            let chunk = chunk?;
            let (items, through) = items(&self.decoder, chunk);
            sent = sent.max(through);
            if batches
                .send(pipeline::Batch { items, through })
                .await
                .is_err()
            {
                // The writer stopped; its report says why.
                return match written.recv().await {
                    Some(done) => done.map(|_| ()),
                    None => Ok(()),
                };
            }
        }
    }

    /// Tells the world about one store write: counters, dead letters, the
    /// new position.
    async fn published(&self, applied: accord_store::Applied) {
        self.stats
            .applied
            .fetch_add(applied.applied, Ordering::Relaxed);
        self.stats
            .parked
            .fetch_add(applied.parked, Ordering::Relaxed);
        metrics::counter!(metric::APPLIED).increment(applied.applied);
        metrics::counter!(metric::PARKED).increment(applied.parked);
        for parked in &applied.newly_parked {
            tracing::error!(position = parked.position, subject = %parked.subject, reason = %parked.reason, "log entry parked");
            if let Err(e) = self
                .bus
                .dead_letter(
                    parked.position,
                    &parked.subject,
                    &parked.reason,
                    parked.payload.clone(),
                )
                .await
            {
                // The store holds the parked entry; the stream is the operators' copy.
                tracing::warn!(error = %e, position = parked.position, "dead letter not recorded in the stream");
            } else {
                metrics::counter!(metric::DEAD_LETTERED).increment(1);
            }
        }
        self.position.send_replace(applied.position);
        if self.fault.send_if_modified(|fault| fault.take().is_some()) {
            tracing::info!(
                position = applied.position,
                "projector applying the log again"
            );
        }
        metrics::gauge!(metric::POSITION).set(applied.position as f64);
    }
}

/// Progress of a rebuild: how far the fresh projection is, and the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RebuildProgress {
    pub position: u64,
    pub target: u64,
    pub swapped: bool,
}

/// Bytes each of a rebuild's external sorts (events by aggregate, then the
/// rows written after the records) buffers before spilling a sorted run to
/// a temporary file (see `accord_store::BulkLoad`). The rows land in key
/// order whatever the budget; a larger one only means fewer runs to merge.
pub const REBUILD_BUDGET: usize = 32 << 20;

/// Decoded batches queued for the bulk load: reading and decoding go on
/// while a sorted run is spilled (up to 8,000 events each).
const REBUILD_QUEUE: usize = 2;

/// Replays the whole log into a fresh generation beside the live one and
/// swaps it in atomically once it has caught up with the live projection.
/// Queries keep reading the live generation until the swap.
///
/// Up to the log's end as it was at the start, the log is bulk-loaded
/// (`accord_store::BulkLoad`: sorted by aggregate through temporary files,
/// folded one aggregate at a time, every row written once in key order) on
/// a thread of its own while this task reads and decodes; what the log grew
/// meanwhile is applied batch by batch like the live projector does.
pub async fn rebuild(
    bus: &Bus,
    store: &Store,
    decoder: &Decoder,
    mut progress: impl FnMut(RebuildProgress),
) -> Result<RebuildProgress, ProjectorError> {
    let fresh: View = store.fresh_view()?;
    check_stream(bus, &fresh).await?;
    let target = bus.last_canonical_position().await?;
    // Batches as large as the live writer merges at most: a rebuild is all backlog.
    let mut log = Box::pin(bus.replay(1).await?.ready_chunks(pipeline::MAX_MERGED));
    let mut at = RebuildProgress {
        position: 0,
        target,
        swapped: false,
    };
    progress(at);
    if target == 0 && store.swap_if_caught_up(&fresh)? {
        at.swapped = true;
        progress(at);
        return Ok(at);
    }
    let bulk = fresh.bulk_load(REBUILD_BUDGET)?.spill_in(store.dir());
    let fresh = bulk_load(&mut log, bulk, decoder, &mut at, &mut progress).await?;
    loop {
        if at.position >= at.target && store.swap_if_caught_up(&fresh)? {
            at.swapped = true;
            progress(at);
            return Ok(at);
        }
        at.target = at.target.max(store.position()?);
        progress(at);
        let Some(chunk) = log.next().await else {
            break;
        };
        let chunk: Result<Vec<_>, _> = chunk.into_iter().collect();
        let (items, last) = items(decoder, chunk?);
        at.position = fresh.apply_items(items, last)?.position;
    }
    Err(ProjectorError::Bus(BusError::Replay(
        "the log ended before the rebuild caught up".into(),
    )))
}

/// The bulk part of [`rebuild`]: reads and decodes the log up to
/// `at.target` into a `BulkLoad` sorting on its own thread, and returns the
/// generation once every run is written.
async fn bulk_load(
    log: &mut (impl futures::Stream<Item = Vec<Result<accord_bus::LogEntry, BusError>>> + Unpin),
    mut bulk: accord_store::BulkLoad,
    decoder: &Decoder,
    at: &mut RebuildProgress,
    progress: &mut impl FnMut(RebuildProgress),
) -> Result<View, ProjectorError> {
    let (batches, mut incoming) = tokio::sync::mpsc::channel::<(Vec<Item>, u64)>(REBUILD_QUEUE);
    let folder = std::thread::Builder::new()
        .name("accord-rebuild-bulk".into())
        .spawn(move || {
            while let Some((items, through)) = incoming.blocking_recv() {
                bulk.push(items, through)?;
            }
            bulk.finish()
        })
        .expect("spawn the rebuild's bulk-load thread");
    let mut outcome = Ok(());
    while at.position < at.target {
        let Some(chunk) = log.next().await else {
            break;
        };
        let chunk = match chunk.into_iter().collect::<Result<Vec<_>, _>>() {
            Ok(chunk) => chunk,
            Err(e) => {
                outcome = Err(ProjectorError::Bus(e));
                break;
            }
        };
        let (items, last) = items(decoder, chunk);
        if batches.send((items, last)).await.is_err() {
            break; // the folder failed: its result says why
        }
        at.position = last;
        progress(*at);
    }
    drop(batches);
    let folded = tokio::task::spawn_blocking(move || folder.join())
        .await
        .expect("join the bulk-load thread")
        .expect("the bulk-load thread does not panic");
    let (view, stats) = folded?;
    outcome?;
    at.position = view.position()?;
    tracing::info!(
        position = at.position,
        runs = stats.runs,
        rows = stats.rows,
        live_batches = stats.live_batches,
        sorting_secs = stats.sorting.as_secs_f64(),
        folding_secs = stats.folding.as_secs_f64(),
        writing_secs = stats.writing.as_secs_f64(),
        "rebuild: bulk load written"
    );
    Ok(view)
}

#[cfg(test)]
mod tests;
