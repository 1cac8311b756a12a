//! The read path: point reads, filtered listings over the indexes, a
//! commitment's history and its state as of a point in time, parked entries,
//! and the digest. Everything here reads one generation through a [`View`]
//! and never writes, so queries run beside the projector without locking.

use crate::cache::Lookup;
use crate::layout;
use crate::{
    AsOf, DocumentRecord, Filter, Page, Parked, SharedPage, Skipped, Store, StoreError, View,
};
use accord_domain::{commitment, Commitment, CommitmentId, Document, DocumentId, Envelope};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// Reads a packed JSON row.
fn unpacked<T: for<'de> Deserialize<'de>>(key: &[u8], stored: &[u8]) -> Result<T, StoreError> {
    serde_json::from_slice(&layout::unpack(key, stored)?).map_err(|e| StoreError::corrupt(key, e))
}

/// What [`View::alert_candidates`] reads of a stored commitment.
#[derive(Deserialize)]
struct AlertFields {
    id: CommitmentId,
    deadline: Option<DeadlineDue>,
    alerts: Vec<AlertOpen>,
}

#[derive(Deserialize)]
struct DeadlineDue {
    #[serde(with = "accord_domain::event::iso_date")]
    due: time::Date,
}

#[derive(Deserialize)]
struct AlertOpen {
    resolved_at_position: Option<u64>,
}

impl Filter {
    /// The narrowest index range to scan.
    fn prefix(&self) -> Vec<u8> {
        if self.review_queue {
            return layout::REVIEW_QUEUE.to_vec();
        }
        // A party's own status is looked up among that party's commitments.
        let party = self
            .party
            .as_ref()
            .or(self.party_status.as_ref().map(|(p, _)| p));
        match party {
            Some(p) => layout::by_party(p).into_bytes(),
            // Kind and status filters included: see the layout.
            None => layout::COMMITMENTS.to_vec(),
        }
    }
}

impl AsOf {
    /// Whether an event with this envelope had happened (or been recorded) by then.
    fn covers(&self, envelope: &Envelope) -> bool {
        match *self {
            AsOf::Occurred(t) => envelope.meta.occurred_at <= t,
            AsOf::Recorded(t) => envelope.meta.recorded_at <= t,
        }
    }
}

impl Store {
    delegate! {
        /// The checkpoint: log position of the last applied event (0: none).
        fn position(&self) -> Result<u64, StoreError>;
        /// How many events have been applied in total; a double-apply shows here.
        fn applied_count(&self) -> Result<u64, StoreError>;
        fn commitment(&self, id: &CommitmentId) -> Result<Option<Commitment>, StoreError>;
        /// [`View::commitment_shared`] of the current generation.
        fn commitment_shared(&self, id: &CommitmentId) -> Result<Option<Arc<Commitment>>, StoreError>;
        /// The log positions a command id produced on a commitment, if it was applied.
        fn command(&self, id: &CommitmentId, command_id: &str) -> Result<Option<Vec<u64>>, StoreError>;
        /// The commitment as the log had it at `at`.
        fn commitment_as_of(&self, id: &CommitmentId, at: AsOf) -> Result<Option<Commitment>, StoreError>;
        /// Every applied event of one commitment, in log order.
        fn history(&self, id: &CommitmentId) -> Result<Vec<(u64, Envelope)>, StoreError>;
        fn document(&self, id: &DocumentId) -> Result<Option<DocumentRecord>, StoreError>;
        fn list(&self, filter: &Filter, after: Option<&CommitmentId>, limit: usize) -> Result<Page, StoreError>;
        /// [`View::list_within`] of the current generation.
        fn list_within(&self, filter: &Filter, after: Option<&CommitmentId>, limit: usize, budget: usize) -> Result<Page, StoreError>;
        /// [`View::list_shared`] of the current generation.
        fn list_shared(&self, filter: &Filter, after: Option<&CommitmentId>, limit: usize, budget: usize) -> Result<SharedPage, StoreError>;
        fn alert_candidates(&self, date: time::Date) -> Result<Vec<CommitmentId>, StoreError>;
        /// The event that raised each alert still open (from the `ia:` index).
        fn open_alerts(&self) -> Result<Vec<Envelope>, StoreError>;
        fn document_commitments(&self, doc: &Document) -> Result<Vec<Commitment>, StoreError>;
        /// A stable hash over every row: equal for stores that applied the same log.
        fn digest(&self) -> Result<String, StoreError>;
        /// Entries set aside because they could not be read, or wait behind one that could not.
        fn parked(&self) -> Result<Vec<Parked>, StoreError>;
        /// The skip that removed the parked entry at `position`, if one did.
        fn skipped(&self, position: u64) -> Result<Option<Skipped>, StoreError>;
    }
}

impl View {
    /// The checkpoint: log position of the last applied event (0: none).
    pub fn position(&self) -> Result<u64, StoreError> {
        Ok(layout::u64_of(self.tree.get(layout::K_POSITION)?))
    }

    /// How many events have been applied in total; a double-apply shows here.
    pub fn applied_count(&self) -> Result<u64, StoreError> {
        Ok(layout::u64_of(self.tree.get(layout::K_APPLIED)?))
    }

    /// A packed JSON row (see the layout).
    fn read<T: for<'de> Deserialize<'de>>(&self, key: &[u8]) -> Result<Option<T>, StoreError> {
        match self.tree.get(key)? {
            None => Ok(None),
            Some(v) => unpacked(key, &v).map(Some),
        }
    }

    pub fn commitment(&self, id: &CommitmentId) -> Result<Option<Commitment>, StoreError> {
        Ok(self.commitment_shared(id)?.map(Arc::unwrap_or_clone))
    }

    /// [`View::commitment`] as the cache holds it: no copy on a hit.
    pub fn commitment_shared(
        &self,
        id: &CommitmentId,
    ) -> Result<Option<Arc<Commitment>>, StoreError> {
        let epoch = match self.cache.get(id) {
            Lookup::Hit(c) => return Ok(Some(c)),
            Lookup::Miss(epoch) => epoch,
        };
        let c: Option<Commitment> = self.read(&layout::commitment(id))?;
        Ok(c.map(|c| {
            let c = Arc::new(c);
            self.cache.fill(epoch, &c);
            c
        }))
    }

    /// The log positions a command id produced on a commitment, if it was applied.
    pub fn command(
        &self,
        id: &CommitmentId,
        command_id: &str,
    ) -> Result<Option<Vec<u64>>, StoreError> {
        let key = layout::command(id, command_id);
        match self.tree.get(&key)? {
            Some(row) => layout::positions(&key, &row).map(Some),
            None => Ok(None),
        }
    }

    /// The commitment as the log had it at `at`: its events folded up to then.
    pub fn commitment_as_of(
        &self,
        id: &CommitmentId,
        at: AsOf,
    ) -> Result<Option<Commitment>, StoreError> {
        let history = self.history(id)?;
        let until_then = history
            .iter()
            .filter(|(_, envelope)| at.covers(envelope))
            .map(|(position, envelope)| (*position, envelope));
        Ok(commitment::replay(None, until_then))
    }

    /// Every event of one commitment, in log order: its history rows,
    /// followed back from its record's version (see the layout).
    pub fn history(&self, id: &CommitmentId) -> Result<Vec<(u64, Envelope)>, StoreError> {
        let Some(c) = self.commitment_shared(id)? else {
            return Ok(Vec::new());
        };
        let mut rows = Vec::new();
        self.history_rows(id, c.version, 0, |key, row| {
            let events = row
                .iter()
                .map(|(p, json)| {
                    let envelope =
                        Envelope::from_json(json).map_err(|e| StoreError::corrupt(key, e))?;
                    Ok((*p, envelope))
                })
                .collect::<Result<Vec<_>, StoreError>>()?;
            rows.push(events);
            Ok(false)
        })?;
        Ok(rows.into_iter().rev().flatten().collect())
    }

    /// The event at `position` of one commitment's history, whose record
    /// is at `version` (the caller has read it).
    fn history_event(
        &self,
        id: &CommitmentId,
        version: u64,
        position: u64,
    ) -> Result<Option<Envelope>, StoreError> {
        let mut found = None;
        self.history_rows(id, version, position, |key, row| {
            found = row
                .iter()
                .find(|(p, _)| *p == position)
                .map(|(_, json)| Envelope::from_json(json).map_err(|e| StoreError::corrupt(key, e)))
                .transpose()?;
            Ok(found.is_some())
        })?;
        Ok(found)
    }

    /// Walks one commitment's history rows newest first, from the row
    /// ending at `version` (its record's), back to the row holding
    /// `down_to` (0: the first); `each` gets each row's events and says
    /// whether to stop.
    fn history_rows(
        &self,
        id: &CommitmentId,
        version: u64,
        down_to: u64,
        mut each: impl FnMut(&[u8], &[(u64, &[u8])]) -> Result<bool, StoreError>,
    ) -> Result<(), StoreError> {
        if down_to > version {
            return Ok(());
        }
        let mut last = version;
        while last != 0 {
            let (key, stored) = self.history_row(id, last)?;
            let bytes = layout::unpack(&key, &stored)?;
            let row = layout::history_entries(&key, &bytes, last)?;
            let first = row.entries.first().map_or(last, |(p, _)| *p);
            if each(&key, &row.entries)? || first <= down_to {
                break;
            }
            last = row.previous;
        }
        Ok(())
    }

    /// The history row of `id` whose last event is at `last`: written by
    /// the live path (`h:`) or by a bulk load (`hb:`).
    fn history_row(
        &self,
        id: &CommitmentId,
        last: u64,
    ) -> Result<(Vec<u8>, sled::IVec), StoreError> {
        let live = layout::history(last);
        if let Some(row) = self.tree.get(&live)? {
            return Ok((live, row));
        }
        let bulk = layout::bulk_history(id, last);
        match self.tree.get(&bulk)? {
            Some(row) => Ok((bulk, row)),
            None => Err(StoreError::corrupt(
                &live,
                format!("history row of {id} ending at position {last} is missing"),
            )),
        }
    }

    pub fn document(&self, id: &DocumentId) -> Result<Option<DocumentRecord>, StoreError> {
        self.read(&layout::document(id))
    }

    /// The skip that removed the parked entry at `position`, if one did.
    pub fn skipped(&self, position: u64) -> Result<Option<Skipped>, StoreError> {
        let key = layout::skipped(position);
        match self.tree.get(&key)? {
            None => Ok(None),
            Some(v) => serde_json::from_slice(&v)
                .map(Some)
                .map_err(|e| StoreError::corrupt(&key, e)),
        }
    }

    /// Every parked entry, by aggregate then log position.
    pub fn parked(&self) -> Result<Vec<Parked>, StoreError> {
        self.tree
            .scan_prefix(layout::PARKED)
            .map(|kv| {
                let (k, v) = kv?;
                serde_json::from_slice(&v).map_err(|e| StoreError::corrupt(&k, e))
            })
            .collect()
    }

    /// Commitments matching `filter`, in id order, after `after`, at most `limit`.
    pub fn list(
        &self,
        filter: &Filter,
        after: Option<&CommitmentId>,
        limit: usize,
    ) -> Result<Page, StoreError> {
        self.list_within(filter, after, limit, usize::MAX)
    }

    /// [`View::list`] that examines at most `budget` entries: a filter few
    /// commitments match (`text_contains`, `topic`) cannot make one page
    /// scan the whole projection. A page that hit the budget may hold fewer
    /// than `limit` (even none) and has `next_after` set to where it stopped.
    pub fn list_within(
        &self,
        filter: &Filter,
        after: Option<&CommitmentId>,
        limit: usize,
        budget: usize,
    ) -> Result<Page, StoreError> {
        let page = self.list_shared(filter, after, limit, budget)?;
        Ok(Page {
            commitments: page
                .commitments
                .into_iter()
                .map(Arc::unwrap_or_clone)
                .collect(),
            next_after: page.next_after,
        })
    }

    /// [`View::list_within`] with the commitments as the cache holds them.
    pub fn list_shared(
        &self,
        filter: &Filter,
        after: Option<&CommitmentId>,
        limit: usize,
        budget: usize,
    ) -> Result<SharedPage, StoreError> {
        let prefix = filter.prefix();
        let is_index = !prefix.starts_with(layout::COMMITMENTS);
        let start = match after {
            Some(id) => {
                let mut k = prefix.clone();
                k.extend_from_slice(id.as_str().as_bytes());
                k.push(0); // strictly after
                k
            }
            None => prefix.clone(),
        };
        let mut commitments = Vec::new();
        let mut more = false;
        let (mut examined, mut last_examined, mut out_of_budget) = (0, None, false);
        for kv in self.tree.range(start..) {
            let (key, value) = kv?;
            if !key.starts_with(&prefix) {
                break;
            }
            if examined == budget.max(1) {
                out_of_budget = true; // resume strictly after the last one examined
                break;
            }
            examined += 1;
            last_examined = Some(key[prefix.len()..].to_vec());
            let record: Arc<Commitment> = if is_index {
                let id = String::from_utf8_lossy(&key[prefix.len()..]).into_owned();
                let id = CommitmentId::parse(&id).map_err(|e| StoreError::corrupt(&key, e))?;
                match self.commitment_shared(&id)? {
                    Some(r) => r,
                    None => continue,
                }
            } else {
                Arc::new(unpacked(&key, &value)?)
            };
            if !filter.matches(&record) {
                continue;
            }
            if commitments.len() == limit {
                more = true;
                break;
            }
            commitments.push(record);
        }
        let next_after = if more {
            commitments.last().map(|c| c.id.clone())
        } else if out_of_budget {
            let id = String::from_utf8_lossy(&last_examined.unwrap_or_default()).into_owned();
            Some(CommitmentId::parse(&id).map_err(|e| StoreError::corrupt(id.as_bytes(), e))?)
        } else {
            None
        };
        Ok(SharedPage {
            commitments,
            next_after,
        })
    }

    /// Commitments whose assessment window ends on or before `date`, plus
    /// those with unresolved alerts: everything the alerter must look at.
    /// A scan of the `c:` rows reading only the deadline and the alerts
    /// (there is no deadline index: see the layout).
    pub fn alert_candidates(&self, date: time::Date) -> Result<Vec<CommitmentId>, StoreError> {
        let mut ids = Vec::new();
        for kv in self.tree.scan_prefix(layout::COMMITMENTS) {
            let (k, v) = kv?;
            let c: AlertFields = unpacked(&k, &v)?;
            let due = c.deadline.is_some_and(|d| d.due <= date);
            if due || c.alerts.iter().any(|a| a.resolved_at_position.is_none()) {
                ids.push(c.id);
            }
        }
        Ok(ids)
    }

    /// The event that raised each alert still open, by commitment then log
    /// position: what an alert sink re-sends, with the labels and start
    /// time of the first send.
    pub fn open_alerts(&self) -> Result<Vec<Envelope>, StoreError> {
        let mut out = Vec::new();
        for kv in self.tree.scan_prefix(layout::OPEN_ALERTS) {
            let (k, _) = kv?;
            let id = layout::id_at_end(&k)?;
            let Some(c) = self.commitment(&id)? else {
                continue;
            };
            for raised in c.alerts.iter().filter(|a| a.resolved_at_position.is_none()) {
                out.extend(self.history_event(&id, c.version, raised.position)?);
            }
        }
        Ok(out)
    }

    /// The commitments of one document, in span order.
    pub fn document_commitments(&self, doc: &Document) -> Result<Vec<Commitment>, StoreError> {
        let mut out = Vec::new();
        for id in &doc.commitments {
            if let Some(r) = self.commitment(id)? {
                out.push(r);
            }
        }
        out.sort_by_key(|c| c.span);
        Ok(out)
    }

    /// A stable hash over every commitment and document row: two stores that
    /// applied the same log have the same digest.
    pub fn digest(&self) -> Result<String, StoreError> {
        let mut h = Sha256::new();
        for prefix in [layout::COMMITMENTS, layout::DOCUMENTS, layout::COMMANDS] {
            for kv in self.tree.scan_prefix(prefix) {
                let (k, v) = kv?;
                h.update((k.len() as u64).to_be_bytes());
                h.update(&k);
                h.update((v.len() as u64).to_be_bytes());
                h.update(&v);
            }
        }
        Ok(hex::encode(h.finalize()))
    }
}
