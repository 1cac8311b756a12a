//! The write path: log items become one atomic `sled::Batch` per call, holding
//! the changed commitment and document rows, their history rows, the index
//! rows that changed over the whole batch, parked entries and the new
//! checkpoint. Everything a crash must not tear lives in this one place.
//!
//! Parking: an item this build cannot read is set aside under its aggregate,
//! and so is every later item of that aggregate, so that a commitment never
//! skips a step; other aggregates flow on. Which aggregate and subject an item
//! has is the caller's to say (see [`Item`]): the store does not read subjects.
//!
//! Skipping: an `EntrySkipped` (an operator's decision in the log) is read
//! even while its commitment is parked. The entry it names leaves the queue;
//! if that was the head, the events that waited behind it are applied in log
//! order, up to the next entry that is itself unreadable (the new head). The
//! skip is then applied like any event, or waits behind that new head.
//! Skipping an entry no longer parked changes nothing but the history, so a
//! rebuild, which meets the same entries in the same order, gets the same.

use crate::layout::{self, K_APPLIED, K_POSITION};
use crate::{Applied, DocumentRecord, Item, Parked, Replayed, Skipped, Store, StoreError, View};
use accord_domain::event::EntrySkipped;
use accord_domain::{commitment, document, Commitment, CommitmentId, DocumentId, Envelope, Event};
use std::collections::{HashMap, HashSet};

impl Store {
    /// Applies log entries to the current generation; see [`View::apply_items`].
    ///
    /// The entries come without the subjects they were logged on: one that
    /// has to wait behind a parked entry is parked with an empty subject.
    /// The projector, which has the subjects, uses [`Store::apply_items`].
    pub fn apply(&self, entries: &[(u64, Envelope)], through: u64) -> Result<Applied, StoreError> {
        let items: Vec<Item> = entries
            .iter()
            .map(|(p, e)| Item::Event {
                position: *p,
                envelope: e.clone(),
                subject: None,
            })
            .collect();
        self.apply_items(items, through)
    }

    /// Applies readable events and parks unreadable ones; see [`View::apply_items`].
    pub fn apply_items(&self, items: Vec<Item>, through: u64) -> Result<Applied, StoreError> {
        let _writer = self.write.lock().expect("writer lock");
        self.view().apply_items(items, through)
    }

    /// [`Store::apply_items`] without waiting for the disk: the write is
    /// applied (one atomic batch, rows and checkpoint) and readers see it at
    /// once; [`Store::flush`] makes it durable. The projector tells the
    /// world its new position in between, so a fresh read does not wait
    /// for an fsync. A crash before the flush loses the write whole (sled
    /// recovers a prefix of its batches), and the projector applies it
    /// again from the older checkpoint.
    pub fn apply_items_unflushed(
        &self,
        items: Vec<Item>,
        through: u64,
    ) -> Result<Applied, StoreError> {
        let _writer = self.write.lock().expect("writer lock");
        self.view().apply_unflushed(items, through)
    }

    /// Makes every write so far durable (sled flush: write out and fsync).
    pub fn flush(&self) -> Result<(), StoreError> {
        self.view().tree.flush()?;
        Ok(())
    }

    /// Tries parked entries again with `decode` (e.g. after an upgrade that
    /// reads them): each aggregate's queue is released from its head for as
    /// long as entries decode, applying them in log order.
    pub fn replay_parked(
        &self,
        decode: &dyn Fn(&[u8]) -> Result<Envelope, String>,
    ) -> Result<Replayed, StoreError> {
        let _writer = self.write.lock().expect("writer lock");
        self.view().replay_parked(decode)
    }
}

impl View {
    /// Applies log items in order, as one atomic batch together with the
    /// new checkpoint, then flushes. Items at or below the checkpoint are
    /// skipped: applying twice is a no-op. Unreadable items are parked, and
    /// so is every later item of the same aggregate (a commitment never skips
    /// a step); other aggregates flow on. `through` is the last log position
    /// consumed; the checkpoint moves to it.
    pub fn apply_items(&self, items: Vec<Item>, through: u64) -> Result<Applied, StoreError> {
        let out = self.apply_unflushed(items, through)?;
        self.tree.flush()?;
        Ok(out)
    }

    /// [`View::apply_items`] without the flush (see [`Store::apply_items_unflushed`]).
    fn apply_unflushed(&self, items: Vec<Item>, through: u64) -> Result<Applied, StoreError> {
        let checkpoint = self.position()?;
        let mut out = Applied {
            position: checkpoint,
            ..Default::default()
        };
        let mut pending = Pending::default();
        let mut applied_now = 0;
        for item in items {
            let position = item.position();
            if position <= out.position {
                out.skipped += 1;
                continue;
            }
            if let Item::Event { envelope, .. } = &item {
                if let Event::EntrySkipped(skip) = &envelope.event {
                    // What came before is committed first, so that the skip
                    // reads its commitment's parked queue from the tree.
                    let before = std::mem::take(&mut pending);
                    self.commit_segment(before, applied_now, out.position)?;
                    applied_now = 0;
                    let (rows, applied, parked) = self.skip(position, envelope, skip)?;
                    out.applied += applied;
                    out.parked += u64::from(parked.is_some());
                    out.newly_parked.extend(parked);
                    out.position = position;
                    self.commit_segment(rows, applied, position)?;
                    self.reload_parked()?;
                    continue;
                }
            }
            out.position = position;
            let aggregate = item.aggregate();
            if let Item::Unreadable { detached: true, .. } = item {
                out.parked += 1;
                out.newly_parked.push(pending.park(item, aggregate, None));
                continue;
            }
            let blocked_by = match pending.parked.get(&aggregate) {
                Some(p) => Some(*p),
                None => self.first_parked(&aggregate)?,
            };
            match (item, blocked_by) {
                (Item::Event { envelope, .. }, None) => {
                    out.applied += 1;
                    applied_now += 1;
                    pending.apply(self, position, &envelope)?;
                }
                (item, blocked_by) => {
                    out.parked += 1;
                    let parked = pending.park(item, aggregate, blocked_by);
                    out.newly_parked.push(parked);
                }
            }
        }
        if through <= out.position && out.applied == 0 && out.parked == 0 {
            return Ok(out);
        }
        out.position = out.position.max(through);
        self.commit_segment(pending, applied_now, out.position)?;
        Ok(out)
    }

    /// Commits `pending` with `applied` more applied events and the
    /// checkpoint at `position`, in one batch.
    fn commit_segment(
        &self,
        mut pending: Pending,
        applied: u64,
        position: u64,
    ) -> Result<(), StoreError> {
        let applied_total = self.applied_count()? + applied;
        pending
            .batch
            .insert(K_APPLIED, &applied_total.to_be_bytes());
        pending.batch.insert(K_POSITION, &position.to_be_bytes());
        let newly_parked = std::mem::take(&mut pending.parked);
        pending.commit(self)?;
        let mut parked = self.parked.write().expect("parked lock");
        for (aggregate, position) in newly_parked {
            parked.entry(aggregate).or_insert(position);
        }
        Ok(())
    }

    /// Applies an `EntrySkipped` at `position` (module doc, "Skipping"):
    /// the rows to write, how many events it applied and what it parked.
    fn skip(
        &self,
        position: u64,
        envelope: &Envelope,
        skip: &EntrySkipped,
    ) -> Result<(Pending, u64, Option<Parked>), StoreError> {
        let aggregate = skip.commitment_id.as_str();
        let mut queue = self.queue(aggregate)?;
        let mut pending = Pending::default();
        let mut applied = 0;
        if let Some(i) = queue.iter().position(|p| p.position == skip.position) {
            let gone = queue.remove(i);
            pending.batch.remove(gone.key());
            let record = Skipped {
                aggregate: aggregate.to_owned(),
                by_position: position,
            };
            pending.batch.insert(
                layout::skipped(gone.position),
                serde_json::to_vec(&record).expect("skip records serialize"),
            );
            if i == 0 {
                let mut rest = std::mem::take(&mut queue).into_iter();
                while let Some(next) = rest.next() {
                    let held = next.reason.starts_with(HELD);
                    match Envelope::from_json(&next.payload) {
                        Ok(event) if held => {
                            pending.apply(self, next.position, &event)?;
                            pending.batch.remove(next.key());
                            applied += 1;
                        }
                        _ => {
                            queue = std::iter::once(next).chain(rest).collect();
                            break;
                        }
                    }
                }
                // The new head waits for nothing; the rest wait behind it.
                let head = queue.first().map(|p| p.position);
                for (i, entry) in queue.iter_mut().enumerate() {
                    let reason = match (i, head) {
                        (0, _) => entry
                            .reason
                            .strip_suffix(&format!("; {HELD}{}", gone.position))
                            .map(str::to_owned),
                        (_, Some(head)) if entry.reason.starts_with(HELD) => {
                            Some(format!("{HELD}{head}"))
                        }
                        _ => None,
                    };
                    if let Some(reason) = reason {
                        entry.reason = reason;
                        pending.batch.insert(
                            entry.key(),
                            serde_json::to_vec(&*entry).expect("parked entries serialize"),
                        );
                    }
                }
            }
        }
        let parked = match queue.first() {
            None => {
                pending.apply(self, position, envelope)?;
                applied += 1;
                None
            }
            Some(head) => {
                let item = Item::Event {
                    position,
                    envelope: envelope.clone(),
                    subject: None,
                };
                Some(pending.park(item, aggregate.to_owned(), Some(head.position)))
            }
        };
        Ok((pending, applied, parked))
    }

    /// One aggregate's parked queue (detached entries aside), in log order.
    fn queue(&self, aggregate: &str) -> Result<Vec<Parked>, StoreError> {
        let mut queue = Vec::new();
        for kv in self.tree.scan_prefix(layout::parked_queue(aggregate)) {
            let (k, v) = kv?;
            let p: Parked = serde_json::from_slice(&v).map_err(|e| StoreError::corrupt(&k, e))?;
            if !p.detached && p.aggregate == aggregate {
                queue.push(p);
            }
        }
        Ok(queue)
    }

    fn first_parked(&self, aggregate: &str) -> Result<Option<u64>, StoreError> {
        Ok(self
            .parked
            .read()
            .expect("parked lock")
            .get(aggregate)
            .copied())
    }

    /// See [`Store::replay_parked`].
    pub fn replay_parked(
        &self,
        decode: &dyn Fn(&[u8]) -> Result<Envelope, String>,
    ) -> Result<Replayed, StoreError> {
        let mut out = Replayed::default();
        let mut pending = Pending::default();
        let mut stuck: HashSet<String> = Default::default();
        for parked in self.parked()? {
            if parked.detached {
                continue;
            }
            if stuck.contains(&parked.aggregate) {
                out.still_parked += 1;
                continue;
            }
            match decode(&parked.payload) {
                Ok(envelope) => {
                    pending.apply(self, parked.position, &envelope)?;
                    pending.batch.remove(parked.key());
                    out.applied += 1;
                }
                Err(reason) => {
                    stuck.insert(parked.aggregate.clone());
                    out.still_parked += 1;
                    let updated = Parked { reason, ..parked };
                    pending.batch.insert(
                        updated.key(),
                        serde_json::to_vec(&updated).expect("parked entries serialize"),
                    );
                }
            }
        }
        let applied_total = self.applied_count()? + out.applied;
        pending
            .batch
            .insert(K_APPLIED, &applied_total.to_be_bytes());
        pending.commit(self)?;
        self.tree.flush()?;
        self.reload_parked()?;
        Ok(out)
    }
}

impl Parked {
    fn key(&self) -> Vec<u8> {
        layout::parked(&self.aggregate, self.position)
    }
}

/// Rows written per crossbeam-epoch flush after a write: a flush frees up
/// to 8 bags of 64 deferred frees.
const ROWS_PER_EPOCH_FLUSH: usize = 128;

/// Frees the page versions a write of `rows` rows replaced. sled copies a
/// leaf on every insert and frees the old version through crossbeam-epoch,
/// whose collector frees a few bags every 128 pins; sled pins once per
/// batch (and once per read), so a writer of big batches (a bulk load, the
/// projector catching up, whose reads are mostly skipped) made garbage far
/// faster than it was freed, each old leaf holding its rows' bytes, and its
/// RSS grew with the log. Flushing this thread's epoch handle collects it.
pub(crate) fn collect_garbage(rows: usize) {
    for _ in 0..rows.div_ceil(ROWS_PER_EPOCH_FLUSH).max(1) {
        crossbeam_epoch::pin().flush();
    }
}

/// The reason of an event parked only because it waits behind another.
pub(crate) const HELD: &str = "waits behind parked position ";

/// One row to set (`Some`) or remove (`None`).
pub(crate) type Row = (Vec<u8>, Option<Vec<u8>>);

/// Rows one atomic write will set, with the states they were computed from.
#[derive(Default)]
pub(crate) struct Pending {
    commitments: HashMap<CommitmentId, Commitment>,
    /// Each changed commitment as it was before this batch, for index diffs.
    originals: HashMap<CommitmentId, Option<Commitment>>,
    documents: HashMap<DocumentId, DocumentRecord>,
    /// Each changed commitment's events of this batch: one `h:` row, keyed
    /// by the last position (see the layout: the rows chain back).
    history: HashMap<CommitmentId, (u64, Vec<u8>)>,
    /// Aggregates parked in this batch, with the position they wait behind.
    parked: HashMap<String, u64>,
    batch: sled::Batch,
    /// The tree holds no record, command or index row (a bulk load into an
    /// empty generation): nothing to read back, every read would miss.
    pub(crate) nothing_stored: bool,
    /// History rows go under `hb:<id>:` (a bulk load, which writes in
    /// commitment order) instead of `h:` (log order).
    pub(crate) bulk_history: bool,
}

impl Pending {
    pub(crate) fn apply(
        &mut self,
        view: &View,
        position: u64,
        envelope: &Envelope,
    ) -> Result<(), StoreError> {
        self.fold(view, position, envelope, None)
    }

    /// [`Pending::apply`] of an event whose JSON (`envelope.to_json()`) is
    /// at hand, for its history row.
    pub(crate) fn fold(
        &mut self,
        view: &View,
        position: u64,
        envelope: &Envelope,
        json: Option<&[u8]>,
    ) -> Result<(), StoreError> {
        match &envelope.event {
            Event::DocumentIngested(e) => {
                let id = &e.document_id;
                if self.documents.contains_key(id)
                    || (self.may_be_stored(view, &layout::document(id))
                        && view.document(id)?.is_some())
                {
                    return Ok(());
                }
                if let Some(document) = document::apply(None, &envelope.event) {
                    self.documents
                        .insert(id.clone(), DocumentRecord { document, position });
                }
            }
            event => {
                let Some(id) = event.commitment_id() else {
                    return Ok(());
                };
                let before = match self.commitments.get(id) {
                    Some(c) => Some(c.clone()),
                    None if !self.may_be_stored(view, &layout::commitment(id)) => None,
                    None => view.commitment(id)?,
                };
                let Some(after) =
                    commitment::apply(before.clone(), &envelope.meta, position, event)
                else {
                    tracing::warn!(position, commitment = %id, event = event.type_name(), "event for an unknown commitment; ignored");
                    return Ok(());
                };
                if before.as_ref() == Some(&after) {
                    return Ok(());
                }
                // The first change of this batch: `before` is as stored, and
                // its version is where its previous history row ends.
                let row = self.history.entry(id.clone()).or_insert_with(|| {
                    let previous = before.as_ref().map_or(0, |c| c.version);
                    (position, layout::history_row(previous))
                });
                row.0 = position;
                match json {
                    Some(json) => layout::push_history(&mut row.1, position, json),
                    None => layout::push_history(&mut row.1, position, &envelope.to_json()),
                }
                self.originals.entry(id.clone()).or_insert(before);
                self.commitments.insert(id.clone(), after);
            }
        }
        Ok(())
    }

    /// Whether the tree may hold the record at `key` (a read would find it).
    fn may_be_stored(&self, view: &View, key: &[u8]) -> bool {
        !self.nothing_stored && view.known.may_hold(key)
    }

    /// Sets `item` aside under `aggregate`: unreadable, or (`blocked_by`)
    /// waiting behind an earlier parked entry of the same aggregate.
    fn park(&mut self, item: Item, aggregate: String, blocked_by: Option<u64>) -> Parked {
        let position = item.position();
        let (subject, payload, reason, detached) = match item {
            Item::Unreadable {
                subject,
                payload,
                reason,
                detached,
                ..
            } => (subject, payload, reason, detached),
            Item::Event {
                envelope, subject, ..
            } => (
                subject.unwrap_or_default(),
                envelope.to_json(),
                String::new(),
                false,
            ),
        };
        let reason = match blocked_by {
            Some(p) if reason.is_empty() => format!("{HELD}{p}"),
            Some(p) => format!("{reason}; waits behind parked position {p}"),
            None => reason,
        };
        if !detached {
            self.parked
                .entry(aggregate.clone())
                .or_insert(blocked_by.unwrap_or(position));
        }
        let parked = Parked {
            position,
            aggregate,
            subject,
            reason,
            payload,
            detached,
        };
        self.batch.insert(
            parked.key(),
            serde_json::to_vec(&parked).expect("parked entries serialize"),
        );
        parked
    }

    /// The commitments this write changes.
    pub(crate) fn changed(&self) -> impl Iterator<Item = &CommitmentId> {
        self.commitments.keys()
    }

    /// The rows this write sets (`Some`) or removes (`None`), beside the
    /// parked entries and counters already in its batch.
    pub(crate) fn rows(&mut self, view: &View) -> Result<Vec<Row>, StoreError> {
        let mut rows = Vec::new();
        for (id, mut c) in std::mem::take(&mut self.commitments) {
            let c = &mut c;
            let id = &id;
            // A commitment the tree did not hold has no command rows either
            // (they are written with its record).
            let was_stored = !matches!(self.originals.get(id), Some(None));
            // Command ids go to their own rows, merged with earlier batches'.
            for (command_id, positions) in std::mem::take(&mut c.commands) {
                let key = layout::command(id, &command_id);
                let stored = match !self.nothing_stored && was_stored {
                    true => view.tree.get(&key)?,
                    false => None,
                };
                let mut all = match stored {
                    Some(row) => layout::positions(&key, &row)?,
                    None => Vec::new(),
                };
                all.extend(positions);
                all.sort_unstable();
                all.dedup();
                rows.push((key, Some(layout::positions_row(&all))));
            }
            // Only index rows that changed over the whole batch are written.
            let before = layout::index_keys(self.originals.get(id).and_then(Option::as_ref));
            let after = layout::index_keys(Some(c));
            for gone in before.difference(&after) {
                rows.push((gone.as_bytes().to_vec(), None));
            }
            for new in after.difference(&before) {
                rows.push((new.as_bytes().to_vec(), Some(Vec::new())));
            }
            rows.push((
                layout::commitment(id),
                Some(layout::pack(
                    &serde_json::to_vec(c).expect("records serialize"),
                )),
            ));
        }
        for (id, (last, row)) in std::mem::take(&mut self.history) {
            let key = match self.bulk_history {
                true => layout::bulk_history(&id, last),
                false => layout::history(last),
            };
            rows.push((key, Some(layout::pack(&row))));
        }
        for (id, record) in std::mem::take(&mut self.documents) {
            rows.push((
                layout::document(&id),
                Some(layout::pack(
                    &serde_json::to_vec(&record).expect("records serialize"),
                )),
            ));
        }
        self.originals.clear();
        Ok(rows)
    }

    fn commit(mut self, view: &View) -> Result<(), StoreError> {
        let changed: Vec<CommitmentId> = self.changed().cloned().collect();
        let rows = self.rows(view)?;
        view.known
            .note_records(rows.iter().map(|(k, _)| k.as_slice()));
        let written = rows.len();
        for (key, value) in rows {
            match value {
                Some(value) => self.batch.insert(key, value),
                None => self.batch.remove(key),
            }
        }
        let applied = view.tree.apply_batch(self.batch);
        // Forgotten even if the write failed: it may have been applied.
        view.cache.invalidate(&changed);
        applied?;
        collect_garbage(written);
        Ok(())
    }
}
