//! The write stage of the projector, on its own thread: while it writes one
//! batch to sled, the async side reads and decodes the next. When the writer
//! falls behind, the batches waiting for it are merged into one store write
//! (one flush, one row per commitment however many of its events arrived),
//! so the batch size follows the load: small when the log is quiet (fresh
//! reads), large when catching up (throughput). A write's new position is
//! announced before its flush (fsync), so fresh reads do not wait on the
//! disk; the next write waits for it.

use crate::{AfterCommit, DiskReserve, ProjectorError};
use accord_store::{Applied, Item, Store};
use std::sync::Arc;
use tokio::sync::mpsc;

/// Events the writer merges into one store write at most. Bounds the memory a
/// backlog takes and the work a crash can lose (none is lost: the checkpoint
/// is in the same write) to a fraction of a second.
pub const MAX_MERGED: usize = 8_000;

/// Decoded batches in flight between the decoder and the writer. Two let
/// decoding run one batch ahead while a third is being written.
pub const QUEUE: usize = 2;

/// One decoded batch: its items and the last log position it covers.
pub struct Batch {
    pub items: Vec<Item>,
    pub through: u64,
}

/// What the writer reports after each store write.
pub type Written = Result<Applied, ProjectorError>;

/// Starts the writer thread. It ends when the batch sender is dropped, the
/// hook fires (reported as [`ProjectorError::Injected`]), the disk is short
/// of its reserve (before writing) or the store fails.
pub fn spawn(
    store: Arc<Store>,
    after_commit: Option<AfterCommit>,
    reserve: Option<DiskReserve>,
) -> (
    mpsc::Sender<Batch>,
    mpsc::UnboundedReceiver<Written>,
    std::thread::JoinHandle<()>,
) {
    let (batches, mut incoming) = mpsc::channel::<Batch>(QUEUE);
    let (report, written) = mpsc::unbounded_channel();
    let handle = std::thread::Builder::new()
        .name("accord-projector-writer".into())
        .spawn(move || {
            while let Some(mut batch) = incoming.blocking_recv() {
                while batch.items.len() < MAX_MERGED {
                    let Ok(more) = incoming.try_recv() else { break };
                    batch.items.extend(more.items);
                    batch.through = more.through;
                }
                let span = tracing::debug_span!(
                    "project",
                    from = batch.items.first().map(Item::position),
                    to = batch.through
                );
                let result = match reserve.as_ref().map(DiskReserve::check) {
                    Some(Err(short)) => Err(short),
                    _ => span
                        .in_scope(|| store.apply_items_unflushed(batch.items, batch.through))
                        .map_err(ProjectorError::from),
                };
                let failed = result.is_err();
                // The hook plays a crash right after the commit: nothing of
                // this write is told to anyone.
                let result = match result {
                    Ok(applied) if after_commit.as_ref().is_some_and(|h| h(applied.position)) => {
                        Err(ProjectorError::Injected(applied.position))
                    }
                    other => other,
                };
                let stop = failed || result.is_err();
                let _ = report.send(result);
                if stop {
                    return;
                }
                // Durable after it is announced: readers see the write
                // already, and a crash before this flush loses it whole
                // (the projector applies it again from the checkpoint).
                if let Err(e) = store.flush() {
                    let _ = report.send(Err(e.into()));
                    return;
                }
            }
        })
        .expect("spawn the projector's writer thread");
    (batches, written, handle)
}
