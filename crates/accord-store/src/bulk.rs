//! Bulk loading a fresh generation (rebuilds): every row written once, in
//! global key order, into the empty tree, so that sled appends to its
//! rightmost leaves instead of loading and splitting leaves all over the
//! tree (commitment ids are hashes: in log order, writes land anywhere).
//!
//! An external sort of the log by aggregate ([`crate::spill`]): each event
//! is keyed by the row it folds into (`c:<commitment>` or `d:<document>`)
//! and its log position, buffered up to a byte budget and spilled as
//! sorted runs to temporary files ([`BulkLoad::spill_in`]). Writing out
//! merges the runs, folds one aggregate at a time in log order and writes
//! all its rows at once: aggregates come in id order, so each key range
//! (`c:`, `d:`, `hb:`, `k:`, `ia:`, `iq:`, each party's `ip:<party>:`) is
//! appended to in key order, at a few dozen append points. The checkpoint
//! comes last. A writer thread applies the sled batches while the next
//! aggregates fold. Memory is bounded by the budget, one aggregate's events
//! and a few queued batches, whatever the size of the log.
//!
//! Only for a generation that is not current: between the first row and
//! the checkpoint the tree holds rows the checkpoint does not cover yet. A
//! crash there leaves a half-filled generation, which [`crate::Store::open`]
//! drops (and the temporary files are unlinked from the start); a rebuild
//! starts over.
//!
//! Parked entries and skips take the live path ([`View::apply_items`]): a
//! batch holding an unreadable entry, an `EntrySkipped`, or an event of a
//! commitment with parked entries is applied as the live projector applies
//! it, after everything sorted before it is written out. Later events fold
//! onto the states read back from the tree. The result is the live path's
//! rows either way, so the digest is the live one; only history rows are
//! keyed apart (`hb:<id>:`, in commitment order, where the live path keys
//! them by log position), and read back the same (see the layout).

use crate::layout::{self, K_APPLIED, K_POSITION};
use crate::spill::{Record, Sorter};
use crate::write::{collect_garbage, Pending};
use crate::{Item, StoreError, View};
use accord_domain::{CommitmentId, Envelope, Event};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, SyncSender};
use std::time::{Duration, Instant};

/// Rows per `sled::Batch` while writing (bounds the batch's copy).
const ROWS_PER_BATCH: usize = 1_000;

/// A bulk load in progress into one (fresh) generation; see the module doc.
pub struct BulkLoad {
    view: View,
    /// Events consumed since the last write-out, by the row they fold into.
    events: Sorter,
    /// Events consumed since the last write-out (the checkpoint counts them).
    folded: u64,
    /// The last log position consumed (folded or applied).
    position: u64,
    /// Bytes each external sort buffers before spilling a run.
    budget: usize,
    /// Where the sorts spill; `None`: the system's temporary directory.
    spill_dir: Option<PathBuf>,
    stats: BulkStats,
}

/// What a bulk load did, for the logs and the bench.
#[derive(Debug, Clone, Copy, Default)]
pub struct BulkStats {
    /// Sorted runs of events (spilled to disk, or the buffered tail).
    pub runs: u64,
    /// Rows written (or removed).
    pub rows: u64,
    /// Batches that took the live path (parked entries, skips).
    pub live_batches: u64,
    /// Time spent encoding, buffering and spilling events as they come.
    pub sorting: Duration,
    /// Time spent merging the runs and folding (making rows included).
    pub folding: Duration,
    /// Time spent in sled writes.
    pub writing: Duration,
}

impl View {
    /// Starts a bulk load into this generation, each external sort holding
    /// up to `budget_bytes` in memory. Only for a generation no one reads
    /// yet (module doc).
    pub fn bulk_load(&self, budget_bytes: usize) -> Result<BulkLoad, StoreError> {
        Ok(BulkLoad {
            view: self.clone(),
            events: Sorter::new(budget_bytes, None),
            folded: 0,
            position: self.position()?,
            budget: budget_bytes.max(1),
            spill_dir: None,
            stats: BulkStats::default(),
        })
    }
}

impl BulkLoad {
    /// Sorts (or, for parked entries and skips, applies) one batch of log
    /// items; `through` is the last log position consumed. Returns the new
    /// position, which the tree's checkpoint reaches at the next write-out.
    pub fn push(&mut self, items: Vec<Item>, through: u64) -> Result<u64, StoreError> {
        if items.iter().any(|item| self.needs_live_path(item)) {
            self.write_out()?;
            self.stats.live_batches += 1;
            self.position = self.view.apply_items(items, through)?.position;
            return Ok(self.position);
        }
        let started = Instant::now();
        for item in items {
            let Item::Event {
                position, envelope, ..
            } = item
            else {
                unreachable!("unreadable entries take the live path")
            };
            if position <= self.position {
                continue; // applied already
            }
            self.folded += 1;
            self.position = position;
            // Other events change no row (the live path ignores them too).
            let key = match &envelope.event {
                Event::DocumentIngested(e) => layout::document(&e.document_id),
                event => match event.commitment_id() {
                    Some(id) => layout::commitment(id),
                    None => continue,
                },
            };
            let record = Record {
                key,
                seq: position,
                payload: envelope.to_json(),
            };
            self.events.push(record).map_err(spill_failed)?;
        }
        self.position = self.position.max(through);
        self.stats.sorting += started.elapsed();
        Ok(self.position)
    }

    /// Spills the sorted runs into `dir` (e.g. [`crate::Store::dir`], sized
    /// for the projection) instead of the system's temporary directory.
    /// Before the first push.
    pub fn spill_in(mut self, dir: &Path) -> Self {
        self.spill_dir = Some(dir.to_owned());
        self.events = self.sorter();
        self
    }

    /// An empty external sort with this load's budget, spilling where it
    /// spills.
    fn sorter(&self) -> Sorter {
        Sorter::new(self.budget, self.spill_dir.clone())
    }

    /// The last log position consumed.
    pub fn position(&self) -> u64 {
        self.position
    }

    /// Writes out what is sorted; returns the generation, its checkpoint at
    /// the last position consumed.
    pub fn finish(mut self) -> Result<(View, BulkStats), StoreError> {
        self.write_out()?;
        Ok((self.view, self.stats))
    }

    fn needs_live_path(&self, item: &Item) -> bool {
        match item {
            Item::Unreadable { .. } => true,
            Item::Event { envelope, .. } => {
                matches!(envelope.event, Event::EntrySkipped(_))
                    || self
                        .view
                        .parked
                        .read()
                        .expect("parked lock")
                        .contains_key(envelope.event.aggregate_id())
            }
        }
    }

    /// Folds what is sorted, one aggregate at a time, and writes its rows
    /// on a second thread while the next aggregates fold; then the
    /// checkpoint, then flushes.
    fn write_out(&mut self) -> Result<(), StoreError> {
        if self.position == self.view.position()? {
            return Ok(());
        }
        let empty = self.sorter();
        let events = std::mem::replace(&mut self.events, empty);
        self.stats.runs += events.runs() as u64 + u64::from(!events.is_empty());
        let (batches, incoming) = std::sync::mpsc::sync_channel(WRITES_QUEUED);
        let view = &self.view;
        let (folded, written) = std::thread::scope(|scope| {
            let writer = std::thread::Builder::new()
                .name("accord-bulk-writer".into())
                .spawn_scoped(scope, move || write_batches(view, incoming))
                .expect("spawn the bulk load's writer thread");
            let mut out = Batches::new(batches);
            let folded = fold_sorted(view, events, &mut out);
            drop(out); // the writer ends once the queue is drained
            let written = writer.join().expect("the bulk writer does not panic");
            (folded, written)
        });
        // A failed write stops the fold (its queue closes): its error first.
        let (rows, writing) = written?;
        self.stats.folding += folded?;
        self.stats.rows += rows;
        self.stats.writing += writing;

        let started = Instant::now();
        let applied = self.view.applied_count()? + self.folded;
        let mut checkpoint = sled::Batch::default();
        checkpoint.insert(K_APPLIED, &applied.to_be_bytes());
        checkpoint.insert(K_POSITION, &self.position.to_be_bytes());
        self.view.tree.apply_batch(checkpoint)?;
        self.view.tree.flush()?;
        self.folded = 0;
        self.stats.writing += started.elapsed();
        Ok(())
    }
}

/// Merges the sorted events, folds each aggregate's in log order and hands
/// all its rows to `out` at once. Aggregates come in key order, so each key
/// range gets its rows in order too: `c:` then `d:` records, and beside them
/// `hb:<id>`, `k:<id>`, `ia:<id>`, `iq:<id>` and each party's `ip:<party>:<id>`
/// (one append point per range, a few dozen in all), so no second sort is
/// needed. Returns the time spent, waiting for the writer aside.
fn fold_sorted(view: &View, events: Sorter, out: &mut Batches) -> Result<Duration, StoreError> {
    let started = Instant::now();
    let empty = layout::holds_no_rows(&view.tree)?;
    let mut merged = events.into_sorted().map_err(spill_failed)?;
    let mut next = merged.next().transpose().map_err(spill_failed)?;
    while let Some(first) = next.take() {
        let mut pending = Pending::default();
        pending.nothing_stored = empty;
        pending.bulk_history = true;
        fold(view, &mut pending, first.seq, &first.payload)?;
        loop {
            next = merged.next().transpose().map_err(spill_failed)?;
            match &next {
                Some(event) if event.key == first.key => {
                    fold(view, &mut pending, event.seq, &event.payload)?;
                }
                _ => break,
            }
        }
        out.changed.extend(pending.changed().cloned());
        let rows = pending.rows(view)?;
        view.known
            .note_records(rows.iter().map(|(k, _)| k.as_slice()));
        for (key, value) in rows {
            out.put(key, value)?;
        }
    }
    out.send()?;
    Ok(started.elapsed().saturating_sub(out.waiting))
}

/// Folds one sorted event (its JSON, as pushed) into `pending`.
fn fold(view: &View, pending: &mut Pending, position: u64, json: &[u8]) -> Result<(), StoreError> {
    let envelope = Envelope::from_json(json).map_err(|e| {
        StoreError::corrupt(
            format!("bulk-load event at position {position}").as_bytes(),
            e,
        )
    })?;
    pending.fold(view, position, &envelope, Some(json))
}

fn spill_failed(e: std::io::Error) -> StoreError {
    StoreError::Spill(e)
}

/// Sled batches queued for the writer thread (of [`ROWS_PER_BATCH`] rows).
const WRITES_QUEUED: usize = 4;

/// One sled batch, with the commitments whose records it (or an earlier
/// batch) rewrites: the read cache forgets them once it is written.
struct Chunk {
    batch: sled::Batch,
    rows: u64,
    changed: Vec<CommitmentId>,
}

/// Rows on their way to the writer thread, [`ROWS_PER_BATCH`] per batch.
struct Batches {
    queue: SyncSender<Chunk>,
    batch: sled::Batch,
    rows: u64,
    changed: Vec<CommitmentId>,
    /// Time spent waiting for room in the queue.
    waiting: Duration,
}

impl Batches {
    fn new(queue: SyncSender<Chunk>) -> Self {
        Batches {
            queue,
            batch: sled::Batch::default(),
            rows: 0,
            changed: Vec::new(),
            waiting: Duration::ZERO,
        }
    }

    fn put(&mut self, key: Vec<u8>, value: Option<Vec<u8>>) -> Result<(), StoreError> {
        match value {
            Some(value) => self.batch.insert(key, value),
            None => self.batch.remove(key),
        }
        self.rows += 1;
        if self.rows >= ROWS_PER_BATCH as u64 {
            self.send()?;
        }
        Ok(())
    }

    fn send(&mut self) -> Result<(), StoreError> {
        let chunk = Chunk {
            batch: std::mem::take(&mut self.batch),
            rows: std::mem::take(&mut self.rows),
            changed: std::mem::take(&mut self.changed),
        };
        let started = Instant::now();
        let sent = self.queue.send(chunk);
        self.waiting += started.elapsed();
        // The writer stopped: it returns why.
        sent.map_err(|_| StoreError::Spill(std::io::ErrorKind::BrokenPipe.into()))
    }
}

/// The writer thread: applies the queued batches in order. Returns the
/// rows written and the time spent writing.
///
/// It collects sled's epoch garbage after each batch ([`collect_garbage`]).
fn write_batches(view: &View, incoming: Receiver<Chunk>) -> Result<(u64, Duration), StoreError> {
    let (mut rows, mut writing) = (0, Duration::ZERO);
    for chunk in incoming {
        let started = Instant::now();
        let written = view.tree.apply_batch(chunk.batch);
        // Forgotten even if the write failed: it may have been applied.
        view.cache.invalidate(&chunk.changed);
        written?;
        collect_garbage(chunk.rows as usize);
        rows += chunk.rows;
        writing += started.elapsed();
    }
    Ok((rows, writing))
}
