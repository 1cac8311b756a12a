//! The feed writer: writes the party-feed copies that one-event commands
//! leave to it (`accord_bus::feed`), so a command is one guarded publish
//! and not an atomic batch (docs/performance-history.md, issue #13, ninth round).
//!
//! It follows the log from its checkpoint (a file in the data directory,
//! the position up to which every owed copy is acknowledged), sends the
//! copies with many in flight, and advances the checkpoint over the
//! acknowledged prefix only. Exactly once: each copy carries `Nats-Msg-Id`
//! = event id + party, so the server drops one sent again within its
//! duplicate window (2 minutes); for an entry stored longer ago than
//! [`DEDUP_SAFE`] (a restart after a long stop, a replica catching up)
//! it first asks the log whether the copy is there. Every query replica
//! runs one; they write the same copies, and the server keeps one.

use accord_bus::feed::{Copy, FeedEntry};
use accord_bus::{Bus, BusError};
use futures::stream::FuturesOrdered;
use futures::StreamExt;
use std::future::IntoFuture;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Copies in flight at once (and 8× as many entries awaiting their turn).
const IN_FLIGHT: usize = 512;
/// How often the checkpoint is written (when it moved).
const CHECKPOINT_EVERY: Duration = Duration::from_millis(250);
/// Entries stored longer ago than this (or half the stream's duplicate
/// window, if less) are checked against the log before their copies are
/// sent: well inside the server's default 2-minute duplicate window.
const DEDUP_SAFE: Duration = Duration::from_secs(60);

/// Writes deferred party-feed copies.
#[derive(Clone)]
pub struct FeedWriter {
    pub bus: Bus,
    /// The checkpoint file.
    pub checkpoint: PathBuf,
    /// Entries stored longer ago than this are checked against the log
    /// before their copies are sent ([`DEDUP_SAFE`]; tests set zero).
    pub dedup_safe: Duration,
}

impl FeedWriter {
    pub fn new(bus: Bus, data_dir: &Path) -> FeedWriter {
        FeedWriter {
            bus,
            checkpoint: data_dir.join("feed-checkpoint"),
            dedup_safe: DEDUP_SAFE,
        }
    }

    /// Runs until the task is dropped; starts over from the checkpoint
    /// after any failure (a lost connection, a refused copy).
    pub async fn run(self) {
        loop {
            if let Err(e) = self.pass().await {
                tracing::warn!(error = %e, "feed writer: starting over from its checkpoint");
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    }

    /// The position up to which every owed copy is in the log (0: none).
    pub fn checkpoint(&self) -> u64 {
        read_checkpoint(&self.checkpoint)
    }

    async fn pass(&self) -> Result<(), BusError> {
        // Inside half the server's duplicate window, whatever the stream's
        // operators set it to.
        let window = self.bus.duplicate_window().await?;
        let dedup_safe = self.dedup_safe.min(window / 2);
        let mut done = self.checkpoint();
        let mut saved = done;
        let mut entries = Box::pin(self.bus.feed_entries(done + 1).await?);
        let mut pending = FuturesOrdered::new();
        let mut copies_in_flight = 0usize;
        let mut tick = tokio::time::interval(CHECKPOINT_EVERY);
        loop {
            tokio::select! {
                entry = entries.next(), if copies_in_flight < IN_FLIGHT && pending.len() < 8 * IN_FLIGHT => {
                    let Some(entry) = entry else {
                        return Err(BusError::Replay("the log's feed ended".into()));
                    };
                    let entry = entry?;
                    let copies = self.owed_now(&entry, dedup_safe).await?;
                    copies_in_flight += copies.len();
                    let mut acks = Vec::with_capacity(copies.len());
                    for copy in &copies {
                        acks.push(self.bus.send_copy(copy).await?.into_future());
                    }
                    let (position, n) = (entry.position, copies.len());
                    pending.push_back(async move {
                        futures::future::try_join_all(acks)
                            .await
                            .map(|_| (position, n))
                            .map_err(|e| BusError::Publish(format!("feed copy of {position}: {e}")))
                    });
                }
                Some(acked) = pending.next() => {
                    let (position, n) = acked?;
                    copies_in_flight -= n;
                    done = position;
                }
                _ = tick.tick() => {
                    if done > saved {
                        write_checkpoint(&self.checkpoint, done);
                        saved = done;
                        metrics::gauge!(crate::telemetry::FEED_POSITION).set(done as f64);
                    }
                }
            }
        }
    }

    /// The copies `entry` still needs: all of them while the server's
    /// duplicate window covers it, else those the log does not hold.
    async fn owed_now(
        &self,
        entry: &FeedEntry,
        dedup_safe: Duration,
    ) -> Result<Vec<Copy>, BusError> {
        let age = time::OffsetDateTime::now_utc() - entry.stored;
        if entry.copies.is_empty() || age < dedup_safe {
            return Ok(entry.copies.clone());
        }
        let mut missing = Vec::new();
        for copy in &entry.copies {
            if !self.bus.copy_written(copy, entry.position).await? {
                missing.push(copy.clone());
            }
        }
        Ok(missing)
    }
}

fn read_checkpoint(path: &Path) -> u64 {
    std::fs::read_to_string(path)
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(0)
}

/// Replaces the checkpoint file whole (write, then rename). Not fsynced: a
/// checkpoint that goes back only means copies asked for again, which the
/// server or [`FeedWriter::owed_now`] drops.
fn write_checkpoint(path: &Path, position: u64) {
    let tmp = path.with_extension("tmp");
    let written =
        std::fs::write(&tmp, format!("{position}\n")).and_then(|()| std::fs::rename(&tmp, path));
    if let Err(e) = written {
        tracing::warn!(error = %e, path = %path.display(), "feed writer: checkpoint not saved");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_or_damaged_checkpoint_starts_from_the_beginning() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("feed-checkpoint");
        assert_eq!(read_checkpoint(&path), 0);
        write_checkpoint(&path, 42);
        assert_eq!(read_checkpoint(&path), 42);
        std::fs::write(&path, "4x").unwrap();
        assert_eq!(read_checkpoint(&path), 0);
    }
}
