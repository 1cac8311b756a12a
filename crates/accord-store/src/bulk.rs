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
//! Parked entries and skips take the live path ([`View::apply_items`]): a
//! batch holding an unreadable entry, an `EntrySkipped`, or an event of a
//! commitment with parked entries is applied as the live projector applies
//! it, after what was folded before it is written out. The result is the
//! live path's rows either way, so the digest is the live one.

use crate::layout::{K_APPLIED, K_POSITION};
use crate::write::Pending;
use crate::{Item, StoreError, View};
use accord_domain::{CommitmentId, Event};

/// Rows per `sled::Batch` while writing a run out (bounds the batch's copy).
const ROWS_PER_BATCH: usize = 1_000;

/// A bulk load in progress into one (fresh) generation; see the module doc.
pub struct BulkLoad {
    view: View,
    pending: Pending,
    /// Events folded into `pending` since the last run was written.
    folded: u64,
    /// The last log position consumed (folded or applied).
    position: u64,
    /// Folded event bytes that trigger writing a run.
    budget: usize,
    stats: BulkStats,
}

/// What a bulk load did, for the logs and the bench.
#[derive(Debug, Clone, Copy, Default)]
pub struct BulkStats {
    /// Key-ordered runs written.
    pub runs: u64,
    /// Rows written (or removed) by those runs.
    pub rows: u64,
    /// Batches that took the live path (parked entries, skips).
    pub live_batches: u64,
    /// Time spent folding, and writing runs (sorting included).
    pub folding: std::time::Duration,
    pub writing: std::time::Duration,
}

impl View {
    /// Starts a bulk load into this generation, writing a run whenever the
    /// folded events exceed `budget_bytes` of JSON. Only for a generation
    /// no one reads yet (module doc).
    pub fn bulk_load(&self, budget_bytes: usize) -> Result<BulkLoad, StoreError> {
        Ok(BulkLoad {
            view: self.clone(),
            pending: Pending::default(),
            folded: 0,
            position: self.position()?,
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
            self.stats.live_batches += 1;
            self.position = self.view.apply_items(items, through)?.position;
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
            self.pending.apply(&self.view, position, &envelope)?;
            self.folded += 1;
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

    /// Writes the folded state in key order, then the checkpoint, then flushes.
    fn write_run(&mut self) -> Result<(), StoreError> {
        if self.position == self.view.position()? {
            return Ok(());
        }
        let started = std::time::Instant::now();
        let mut pending = std::mem::take(&mut self.pending);
        let changed: Vec<CommitmentId> = pending.changed().cloned().collect();
        let mut rows = pending.rows(&self.view)?;
        drop(pending);
        rows.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        self.stats.runs += 1;
        self.stats.rows += rows.len() as u64;
        let mut rows = rows.into_iter().peekable();
        while rows.peek().is_some() {
            let mut batch = sled::Batch::default();
            for (key, value) in rows.by_ref().take(ROWS_PER_BATCH) {
                match value {
                    Some(value) => batch.insert(key, value),
                    None => batch.remove(key),
                }
            }
            if let Err(e) = self.view.tree.apply_batch(batch) {
                self.view.cache.invalidate(&changed);
                return Err(e.into());
            }
        }
        self.view.cache.invalidate(&changed);
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
