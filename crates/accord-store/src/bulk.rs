//! Bulk loading a fresh generation (rebuilds): instead of one atomic write
//! per batch, the events of many batches are folded in memory, one state
//! per commitment, and written as one key-ordered run: every row once,
//! index rows after the records (their keys sort after `c:`, `d:`, `h:`),
//! the checkpoint last. sled copies the leaf every insert lands in, so rows
//! that arrive in key order (each landing beside the last) cost a fraction
//! of the live path's random-order writes, and a commitment whose events
//! span many batches is written once instead of once per batch.
//!
//! Memory is bounded by a budget of folded event bytes: past it, what is
//! folded is written out (a sorted run) and folding goes on from the tree.
//!
//! Only for a generation that is not current: between the first row of a
//! run and its checkpoint the tree holds rows the checkpoint does not cover
//! yet. A crash there leaves a half-filled generation, which
//! [`crate::Store::open`] drops; a rebuild starts over.
//!
//! Pipelined: a run is written on a thread of its own while the next one is
//! folded. Folding reads what the run in flight holds from its sorted rows
//! (the tree may not have them yet), and a second run waits for the first.
//!
//! Parked entries and skips take the live path ([`View::apply_items`]): a
//! batch holding an unreadable entry, an `EntrySkipped`, or an event of a
//! commitment with parked entries is applied as the live projector applies
//! it, after what was folded before it is written out. The result is the
//! live path's rows either way, so the digest is the live one.

use crate::layout::{self, K_APPLIED, K_POSITION};
use crate::write::{Pending, Row, Source};
use crate::{Item, StoreError, View};
use accord_domain::{Commitment, CommitmentId, DocumentId, Event};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

/// Rows per `sled::Batch` while writing a run out (bounds the batch's copy).
const ROWS_PER_BATCH: usize = 1_000;

/// A bulk load in progress into one (fresh) generation; see the module doc.
pub struct BulkLoad {
    view: View,
    pending: Pending,
    /// Events applied into the generation, counting those folded and not
    /// written yet: the `m:applied` the next run's checkpoint carries.
    applied: u64,
    /// The last log position consumed (folded or applied).
    position: u64,
    /// The position the last run written (or in flight) checkpoints.
    written: u64,
    /// The run being written: its sorted rows (what folding reads before
    /// the tree) and the thread writing them.
    in_flight: Option<InFlight>,
    /// Folded event bytes that trigger writing a run.
    budget: usize,
    stats: BulkStats,
}

/// A run being written: its sorted rows and the thread writing them.
type InFlight = (Arc<Vec<Row>>, JoinHandle<Result<Duration, StoreError>>);

/// What a bulk load did, for the logs and the bench.
#[derive(Debug, Clone, Copy, Default)]
pub struct BulkStats {
    /// Key-ordered runs written.
    pub runs: u64,
    /// Rows written (or removed) by those runs.
    pub rows: u64,
    /// Batches that took the live path (parked entries, skips).
    pub live_batches: u64,
    /// Time spent folding (turning a run into sorted rows included), and
    /// writing runs (on the run writer's thread).
    pub folding: std::time::Duration,
    pub writing: std::time::Duration,
}

impl View {
    /// Starts a bulk load into this generation, writing a run whenever the
    /// folded events exceed `budget_bytes` of JSON. Only for a generation
    /// no one reads yet (module doc).
    pub fn bulk_load(&self, budget_bytes: usize) -> Result<BulkLoad, StoreError> {
        let position = self.position()?;
        Ok(BulkLoad {
            view: self.clone(),
            pending: Pending::default(),
            applied: self.applied_count()?,
            position,
            written: position,
            in_flight: None,
            budget: budget_bytes.max(1),
            stats: BulkStats::default(),
        })
    }
}

impl BulkLoad {
    /// Folds (or, for parked entries and skips, applies) one batch of log
    /// items; `through` is the last log position consumed. Returns the new
    /// position, which the tree's checkpoint reaches at the next run.
    pub fn push(&mut self, items: Vec<Item>, through: u64) -> Result<u64, StoreError> {
        if items.iter().any(|item| self.needs_live_path(item)) {
            self.write_run()?;
            self.wait()?;
            self.stats.live_batches += 1;
            self.position = self.view.apply_items(items, through)?.position;
            self.written = self.position;
            self.applied = self.view.applied_count()?;
            return Ok(self.position);
        }
        let started = std::time::Instant::now();
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
            let source = Overlay::new(&self.view, &self.in_flight);
            self.pending.apply(&source, position, &envelope)?;
            self.applied += 1;
            self.position = position;
        }
        self.position = self.position.max(through);
        self.stats.folding += started.elapsed();
        if self.pending.folded_bytes >= self.budget {
            self.write_run()?;
        }
        Ok(self.position)
    }

    /// The last log position consumed.
    pub fn position(&self) -> u64 {
        self.position
    }

    /// Writes what is still folded; returns the generation, its checkpoint
    /// at the last position consumed.
    pub fn finish(mut self) -> Result<(View, BulkStats), StoreError> {
        self.write_run()?;
        self.wait()?;
        Ok((self.view, self.stats))
    }

    /// Writes what is folded and waits until it is in the tree.
    #[cfg(test)]
    pub(crate) fn sync(&mut self) -> Result<(), StoreError> {
        self.write_run()?;
        self.wait()
    }

    /// Waits for the run in flight to be written.
    fn wait(&mut self) -> Result<(), StoreError> {
        if let Some((_, writer)) = self.in_flight.take() {
            let took = writer.join().expect("the run writer does not panic")?;
            self.stats.writing += took;
        }
        Ok(())
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

    /// Turns the folded state into sorted rows and hands them to a writer
    /// thread (after the previous run is written): rows, then the
    /// checkpoint, then a flush.
    fn write_run(&mut self) -> Result<(), StoreError> {
        if self.position == self.written {
            return Ok(());
        }
        let started = std::time::Instant::now();
        let mut pending = std::mem::take(&mut self.pending);
        let changed: Vec<CommitmentId> = pending.changed().cloned().collect();
        let mut rows = pending.rows(&Overlay::new(&self.view, &self.in_flight))?;
        drop(pending);
        rows.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        self.stats.runs += 1;
        self.stats.rows += rows.len() as u64;
        self.stats.folding += started.elapsed();
        self.wait()?;
        let rows = Arc::new(rows);
        let (view, applied, position) = (self.view.clone(), self.applied, self.position);
        let run = rows.clone();
        let writer = std::thread::Builder::new()
            .name("accord-rebuild-run".into())
            .spawn(move || write_rows(&view, &run, &changed, applied, position))
            .expect("spawn a rebuild run writer");
        self.in_flight = Some((rows, writer));
        self.written = self.position;
        Ok(())
    }
}

/// Writes one run's sorted rows in batches, then its checkpoint, then
/// flushes; the time it took.
fn write_rows(
    view: &View,
    rows: &[Row],
    changed: &[CommitmentId],
    applied: u64,
    position: u64,
) -> Result<Duration, StoreError> {
    let started = std::time::Instant::now();
    for chunk in rows.chunks(ROWS_PER_BATCH) {
        let mut batch = sled::Batch::default();
        for (key, value) in chunk {
            match value {
                Some(value) => batch.insert(key.as_slice(), value.as_slice()),
                None => batch.remove(key.as_slice()),
            }
        }
        if let Err(e) = view.tree.apply_batch(batch) {
            view.cache.invalidate(changed);
            return Err(e.into());
        }
    }
    view.cache.invalidate(changed);
    let mut checkpoint = sled::Batch::default();
    checkpoint.insert(K_APPLIED, &applied.to_be_bytes());
    checkpoint.insert(K_POSITION, &position.to_be_bytes());
    view.tree.apply_batch(checkpoint)?;
    view.tree.flush()?;
    Ok(started.elapsed())
}

/// The tree as it will be once the run in flight is written: its sorted
/// rows first, then the tree.
struct Overlay<'a> {
    view: &'a View,
    run: Option<&'a [Row]>,
}

impl<'a> Overlay<'a> {
    fn new(view: &'a View, in_flight: &'a Option<InFlight>) -> Self {
        Overlay {
            view,
            run: in_flight.as_ref().map(|(rows, _)| rows.as_slice()),
        }
    }

    /// `Some(value)` when the run sets or removes `key` (`Some(None)`).
    fn in_run(&self, key: &[u8]) -> Option<Option<&'a [u8]>> {
        let run = self.run?;
        let i = run.binary_search_by(|(k, _)| k.as_slice().cmp(key)).ok()?;
        Some(run[i].1.as_deref())
    }
}

impl Source for Overlay<'_> {
    fn commitment(&self, id: &CommitmentId) -> Result<Option<Commitment>, StoreError> {
        let key = layout::commitment(id);
        match self.in_run(&key) {
            Some(Some(stored)) => crate::read::unpacked(&key, stored).map(Some),
            Some(None) => Ok(None),
            None => self.view.commitment(id),
        }
    }

    fn has_document(&self, id: &DocumentId) -> Result<bool, StoreError> {
        match self.in_run(&layout::document(id)) {
            Some(row) => Ok(row.is_some()),
            None => Ok(self.view.document(id)?.is_some()),
        }
    }

    fn row(&self, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        match self.in_run(key) {
            Some(row) => Ok(row.map(<[u8]>::to_vec)),
            None => Ok(self.view.tree.get(key)?.map(|v| v.to_vec())),
        }
    }
}
