//! The projector: follows the log from the store's checkpoint and applies it
//! in batches. Each batch is one atomic store write carrying its checkpoint,
//! so a crash at any instant resumes exactly after the last applied event.

use accord_bus::{Bus, BusError, LogEntry};
use accord_domain::Envelope;
use accord_store::{Store, StoreError};
use futures::StreamExt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

#[derive(Debug, thiserror::Error)]
pub enum ProjectorError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Bus(#[from] BusError),
    #[error("projector stopped by the failure hook after committing position {0}")]
    Injected(u64),
}

/// A test hook called after each batch commit with the new checkpoint;
/// returning `true` makes the projector stop as if it had crashed before
/// telling anyone (no position published).
pub type AfterCommit = Arc<dyn Fn(u64) -> bool + Send + Sync>;

/// Counters a process can export.
#[derive(Debug, Default)]
pub struct Stats {
    pub applied: AtomicU64,
    /// Messages on canonical subjects that are not readable events.
    pub rejected: AtomicU64,
}

pub struct Projector {
    bus: Bus,
    store: Arc<Store>,
    position: watch::Sender<u64>,
    max_batch: usize,
    after_commit: Option<AfterCommit>,
    stats: Arc<Stats>,
}

impl Projector {
    pub fn new(bus: Bus, store: Arc<Store>) -> Result<Self, ProjectorError> {
        let (position, _) = watch::channel(store.position()?);
        Ok(Projector {
            bus,
            store,
            position,
            max_batch: 1000,
            after_commit: None,
            stats: Arc::default(),
        })
    }

    pub fn with_after_commit(mut self, hook: AfterCommit) -> Self {
        self.after_commit = Some(hook);
        self
    }

    pub fn with_max_batch(mut self, max_batch: usize) -> Self {
        self.max_batch = max_batch.max(1);
        self
    }

    /// The applied log position, for read-your-writes waits.
    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.position.subscribe()
    }

    pub fn stats(&self) -> Arc<Stats> {
        self.stats.clone()
    }

    /// Runs until the hook fires or the store fails; log outages are waited
    /// out with backoff (the consumer restarts from the checkpoint).
    pub async fn run(self) -> Result<(), ProjectorError> {
        let mut backoff = Duration::from_millis(100);
        loop {
            match self.follow().await {
                Ok(()) => return Ok(()),
                Err(ProjectorError::Bus(e)) => {
                    tracing::warn!(error = %e, retry_in = ?backoff, "event log unavailable; resuming from checkpoint");
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(Duration::from_secs(5));
                }
                Err(e) => return Err(e),
            }
        }
    }

    async fn follow(&self) -> Result<(), ProjectorError> {
        let from = self.store.position()? + 1;
        tracing::info!(from, "projector following the event log");
        let mut log = Box::pin(self.bus.replay(from).await?.ready_chunks(self.max_batch));
        while let Some(chunk) = log.next().await {
            let mut entries = Vec::with_capacity(chunk.len());
            let mut last = 0;
            for item in chunk {
                let entry = item?;
                last = entry.position;
                if let Some(envelope) = self.decode(&entry) {
                    entries.push((entry.position, envelope));
                }
            }
            let applied = self.store.apply(&entries, last)?;
            self.stats
                .applied
                .fetch_add(applied.applied, Ordering::Relaxed);
            if let Some(hook) = &self.after_commit {
                if hook(applied.position) {
                    return Err(ProjectorError::Injected(applied.position));
                }
            }
            self.position.send_replace(applied.position);
        }
        Ok(())
    }

    fn decode(&self, entry: &LogEntry) -> Option<Envelope> {
        match Envelope::from_json(&entry.payload) {
            Ok(envelope) => Some(envelope),
            Err(e) => {
                self.stats.rejected.fetch_add(1, Ordering::Relaxed);
                tracing::error!(position = entry.position, subject = %entry.subject, error = %e, "skipping unreadable event");
                None
            }
        }
    }
}
