//! The write path: log items become one atomic `sled::Batch` per call, holding
//! the changed commitment and document rows, their history rows, the index
//! rows that changed over the whole batch, parked entries and the new
//! checkpoint. Everything a crash must not tear lives in this one place.
//!
//! Parking: an item this build cannot read is set aside under its aggregate,
//! and so is every later item of that aggregate, so that a commitment never
//! skips a step; other aggregates flow on. Which aggregate and subject an item
//! has is the caller's to say (see [`Item`]): the store does not read subjects.

use crate::layout::{self, K_APPLIED, K_POSITION};
use crate::{Applied, DocumentRecord, Item, Parked, Replayed, Store, StoreError, View};
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
        let checkpoint = self.position()?;
        let mut out = Applied {
            position: checkpoint,
            ..Default::default()
        };
        let mut pending = Pending::default();
        for item in items {
            let position = item.position();
            if position <= out.position {
                out.skipped += 1;
                continue;
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
        let applied_total = self.applied_count()? + out.applied;
        pending
            .batch
            .insert(K_APPLIED, &applied_total.to_be_bytes());
        pending
            .batch
            .insert(K_POSITION, &out.position.to_be_bytes());
        let newly_parked = std::mem::take(&mut pending.parked);
        pending.commit(self)?;
        let mut parked = self.parked.write().expect("parked lock");
        for (aggregate, position) in newly_parked {
            parked.entry(aggregate).or_insert(position);
        }
        Ok(out)
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
        self.reload_parked()?;
        Ok(out)
    }
}

impl Parked {
    fn key(&self) -> Vec<u8> {
        layout::parked(&self.aggregate, self.position)
    }
}

/// Rows one atomic write will set, with the states they were computed from.
#[derive(Default)]
struct Pending {
    commitments: HashMap<CommitmentId, Commitment>,
    /// Each changed commitment as it was before this batch, for index diffs.
    originals: HashMap<CommitmentId, Option<Commitment>>,
    documents: HashMap<DocumentId, DocumentRecord>,
    /// Each changed commitment's events of this batch: one `h:` row, keyed
    /// by the first position.
    history: HashMap<CommitmentId, (u64, Vec<u8>)>,
    /// Aggregates parked in this batch, with the position they wait behind.
    parked: HashMap<String, u64>,
    batch: sled::Batch,
}

impl Pending {
    fn apply(&mut self, view: &View, position: u64, envelope: &Envelope) -> Result<(), StoreError> {
        match &envelope.event {
            Event::DocumentIngested(e) => {
                let id = &e.document_id;
                if self.documents.contains_key(id) || view.document(id)?.is_some() {
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
                let row = self
                    .history
                    .entry(id.clone())
                    .or_insert_with(|| (position, Vec::new()));
                layout::push_history(&mut row.1, position, &envelope.to_json());
                self.originals.entry(id.clone()).or_insert(before);
                self.commitments.insert(id.clone(), after);
            }
        }
        Ok(())
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
            Some(p) if reason.is_empty() => format!("waits behind parked position {p}"),
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

    fn commit(mut self, view: &View) -> Result<(), StoreError> {
        for (id, c) in &self.commitments {
            // Only index rows that changed over the whole batch are written.
            let before = layout::index_keys(self.originals.get(id).and_then(Option::as_ref));
            let after = layout::index_keys(Some(c));
            for gone in before.difference(&after) {
                self.batch.remove(gone.as_bytes());
            }
            for new in after.difference(&before) {
                self.batch.insert(new.as_bytes(), &[]);
            }
            self.batch.insert(
                layout::commitment(id),
                layout::pack(&serde_json::to_vec(c).expect("records serialize")),
            );
        }
        for (id, (first, row)) in self.history {
            self.batch
                .insert(layout::history(&id, first), layout::pack(&row));
        }
        for (id, record) in &self.documents {
            self.batch.insert(
                layout::document(id),
                layout::pack(&serde_json::to_vec(record).expect("records serialize")),
            );
        }
        view.tree.apply_batch(self.batch)?;
        view.tree.flush()?;
        Ok(())
    }
}
