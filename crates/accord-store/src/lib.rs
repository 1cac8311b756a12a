//! The follow-up tracker: a sled projection of the event log.
//!
//! Invariant: the checkpoint (the log position of the last applied event) is
//! written in the same atomic `sled::Batch` as the projection rows that event
//! produced. After a crash the store holds some prefix of the log, never a
//! torn batch, and replay resumes right after the checkpoint.
//!
//! Layout: one sled tree per projection *generation* (the current one is
//! named in the `accord_meta` tree), holding key-prefixed ranges:
//!
//! ```text
//! c:<commitment_id>                -> Commitment (JSON)
//! d:<document_id>                  -> DocumentRecord (JSON)
//! h:<commitment_id>:<position BE>  -> envelope (JSON): the commitment's history, for as_of
//! ip:<PARTY>:<id>                  index: committer party
//! ips:<PARTY>:<status>:<id>        index: one party's status
//! ik:<kind>:<id> | is:<status>:<id> | it:<topic>:<id> | id:<YYYY-MM-DD>:<id>
//! iq:<id>                          index: review queue (pending proposals)
//! ia:<id>                          index: commitments with unresolved alerts
//! m:position | m:applied | m:schema  -> checkpoint, events applied, schema version
//! ```

use accord_domain::{
    commitment, document, Commitment, CommitmentId, Document, DocumentId, Envelope, Event, Kind,
    Party, Status,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::Path;
use time::OffsetDateTime;

/// Bumped whenever the layout or record shapes change; a store written with
/// another version is rebuilt from the log.
pub const SCHEMA_VERSION: u32 = 3;

const META_TREE: &str = "accord_meta";
const CURRENT: &[u8] = b"current";
const K_POSITION: &[u8] = b"m:position";
const K_APPLIED: &[u8] = b"m:applied";
const K_SCHEMA: &[u8] = b"m:schema";

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("projection store: {0}")]
    Sled(#[from] sled::Error),
    #[error("projection store holds an unreadable record at {key}: {reason}")]
    Corrupt { key: String, reason: String },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentRecord {
    pub document: Document,
    pub position: u64,
}

/// Query filters; all given ones must hold.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub party: Option<Party>,
    pub kind: Option<Kind>,
    pub status: Option<Status>,
    /// This party's own status.
    pub party_status: Option<(Party, Status)>,
    pub topic: Option<String>,
    /// Lower-case substring of the commitment text.
    pub text_contains: Option<String>,
    /// Only commitments with follow-ups waiting for review.
    pub review_queue: bool,
    /// Also rejected and merged-away commitments (normally out of the tracker).
    pub include_untracked: bool,
}

impl Filter {
    pub fn matches(&self, c: &Commitment) -> bool {
        (self.include_untracked || c.is_tracked())
            && self.party.as_ref().is_none_or(|p| c.is_committed_by(p))
            && self.kind.is_none_or(|k| c.kind == k)
            && self.status.is_none_or(|s| c.status == s)
            && self
                .party_status
                .as_ref()
                .is_none_or(|(p, s)| c.status_of(p).is_some_and(|ps| ps.status == *s))
            && self.topic.as_ref().is_none_or(|t| c.topics.contains(t))
            && (!self.review_queue || !c.proposals.is_empty())
            && self
                .text_contains
                .as_ref()
                .is_none_or(|t| c.text.to_lowercase().contains(t.as_str()))
    }

    /// The narrowest index range to scan.
    fn prefix(&self) -> Vec<u8> {
        if let Some((p, s)) = &self.party_status {
            return format!("ips:{p}:{s}:").into_bytes();
        }
        if self.review_queue {
            return b"iq:".to_vec();
        }
        match (&self.party, &self.topic, self.kind, self.status) {
            (Some(p), _, _, _) => format!("ip:{p}:").into_bytes(),
            (None, Some(t), _, _) => format!("it:{t}:").into_bytes(),
            (None, None, Some(k), _) => format!("ik:{k}:").into_bytes(),
            (None, None, None, Some(s)) => format!("is:{s}:").into_bytes(),
            (None, None, None, None) => b"c:".to_vec(),
        }
    }
}

/// A point in time on either axis, for `as_of` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AsOf {
    /// What had happened in the world by then (meeting dates, effective dates).
    Occurred(OffsetDateTime),
    /// What Accord had recorded by then.
    Recorded(OffsetDateTime),
}

/// One page of a listing, in commitment-id order.
#[derive(Debug, Clone)]
pub struct Page {
    pub commitments: Vec<Commitment>,
    /// The last id of this page when more may follow.
    pub next_after: Option<CommitmentId>,
}

/// What one `apply` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Applied {
    /// Events applied now.
    pub applied: u64,
    /// Events at or below the checkpoint, skipped as already applied.
    pub skipped: u64,
    pub position: u64,
}

pub struct Store {
    db: sled::Db,
    meta: sled::Tree,
    tree: sled::Tree,
}

fn u64_of(v: Option<sled::IVec>) -> u64 {
    v.and_then(|v| v.as_ref().try_into().ok())
        .map(u64::from_be_bytes)
        .unwrap_or(0)
}

impl Store {
    /// Opens (or creates) the store at `path`. `cache_bytes` bounds sled's
    /// page cache, which otherwise defaults to 1 GiB and costs several GiB of RSS.
    pub fn open(path: &Path, cache_bytes: u64) -> Result<Store, StoreError> {
        let db = sled::Config::new()
            .path(path)
            .cache_capacity(cache_bytes)
            .open()?;
        let meta = db.open_tree(META_TREE)?;
        let current = match meta.get(CURRENT)? {
            Some(name) => name,
            None => {
                meta.insert(CURRENT, "projection-1")?;
                "projection-1".into()
            }
        };
        let tree = db.open_tree(&current)?;
        let mut store = Store { db, meta, tree };
        let schema = store.tree.get(K_SCHEMA)?.map(|v| u64_of(Some(v)) as u32);
        match schema {
            Some(SCHEMA_VERSION) => {}
            None if store.tree.is_empty() => {
                store
                    .tree
                    .insert(K_SCHEMA, &(SCHEMA_VERSION as u64).to_be_bytes())?;
            }
            other => {
                tracing::warn!(found = ?other, expected = SCHEMA_VERSION, "projection schema changed: rebuilding from the log");
                let fresh = store.fresh_generation()?;
                store.swap_to(fresh)?;
            }
        }
        Ok(store)
    }

    /// An empty tree for a new projection generation.
    fn fresh_generation(&self) -> Result<sled::Tree, StoreError> {
        let n = self.db.generate_id()?;
        let tree = self.db.open_tree(format!("projection-{}", n + 2))?;
        tree.clear()?;
        tree.insert(K_SCHEMA, &(SCHEMA_VERSION as u64).to_be_bytes())?;
        Ok(tree)
    }

    fn swap_to(&mut self, tree: sled::Tree) -> Result<(), StoreError> {
        let old = std::mem::replace(&mut self.tree, tree);
        self.meta.insert(CURRENT, &*self.tree.name())?;
        self.db.flush()?;
        self.db.drop_tree(old.name())?;
        Ok(())
    }

    /// The checkpoint: log position of the last applied event (0: none).
    pub fn position(&self) -> Result<u64, StoreError> {
        Ok(u64_of(self.tree.get(K_POSITION)?))
    }

    /// How many events have been applied in total; a double-apply shows here.
    pub fn applied_count(&self) -> Result<u64, StoreError> {
        Ok(u64_of(self.tree.get(K_APPLIED)?))
    }

    fn read<T: for<'de> Deserialize<'de>>(&self, key: &[u8]) -> Result<Option<T>, StoreError> {
        match self.tree.get(key)? {
            None => Ok(None),
            Some(v) => serde_json::from_slice(&v)
                .map(Some)
                .map_err(|e| StoreError::Corrupt {
                    key: String::from_utf8_lossy(key).into_owned(),
                    reason: e.to_string(),
                }),
        }
    }

    pub fn commitment(&self, id: &CommitmentId) -> Result<Option<Commitment>, StoreError> {
        self.read(format!("c:{id}").as_bytes())
    }

    /// The commitment as the log had it at `at`: its events folded up to then.
    pub fn commitment_as_of(
        &self,
        id: &CommitmentId,
        at: AsOf,
    ) -> Result<Option<Commitment>, StoreError> {
        let mut state = None;
        for (position, envelope) in self.history(id)? {
            let include = match at {
                AsOf::Occurred(t) => envelope.meta.occurred_at <= t,
                AsOf::Recorded(t) => envelope.meta.recorded_at <= t,
            };
            if include {
                state = commitment::apply(state, &envelope.meta, position, &envelope.event);
            }
        }
        Ok(state)
    }

    /// Every event of one commitment, in log order.
    pub fn history(&self, id: &CommitmentId) -> Result<Vec<(u64, Envelope)>, StoreError> {
        let prefix = format!("h:{id}:");
        let mut out = Vec::new();
        for kv in self.tree.scan_prefix(prefix.as_bytes()) {
            let (k, v) = kv?;
            let corrupt = |reason: String| StoreError::Corrupt {
                key: String::from_utf8_lossy(&k).into_owned(),
                reason,
            };
            let position = k[prefix.len()..]
                .try_into()
                .map(u64::from_be_bytes)
                .map_err(|_| corrupt("bad position".into()))?;
            let envelope = Envelope::from_json(&v).map_err(|e| corrupt(e.to_string()))?;
            out.push((position, envelope));
        }
        Ok(out)
    }

    pub fn document(&self, id: &DocumentId) -> Result<Option<DocumentRecord>, StoreError> {
        self.read(format!("d:{id}").as_bytes())
    }

    /// Applies log entries `(position, envelope)` in order, as one atomic
    /// batch together with the new checkpoint, then flushes. Entries at or
    /// below the checkpoint are skipped: applying twice is a no-op.
    /// `through` is the last log position consumed (it may lie past the last
    /// entry when unreadable messages were set aside); the checkpoint moves to it.
    pub fn apply(&self, entries: &[(u64, Envelope)], through: u64) -> Result<Applied, StoreError> {
        let checkpoint = self.position()?;
        let mut out = Applied {
            position: checkpoint,
            ..Default::default()
        };
        let mut commitments: HashMap<CommitmentId, Commitment> = HashMap::new();
        let mut documents: HashMap<DocumentId, DocumentRecord> = HashMap::new();
        let mut batch = sled::Batch::default();
        for (position, envelope) in entries {
            if *position <= out.position {
                out.skipped += 1;
                continue;
            }
            out.position = *position;
            out.applied += 1;
            match &envelope.event {
                Event::DocumentIngested(e) => {
                    let id = &e.document_id;
                    if documents.contains_key(id) || self.document(id)?.is_some() {
                        continue;
                    }
                    if let Some(document) = document::apply(None, &envelope.event) {
                        documents.insert(
                            id.clone(),
                            DocumentRecord {
                                document,
                                position: *position,
                            },
                        );
                    }
                }
                event => {
                    let Some(id) = event.commitment_id() else {
                        continue;
                    };
                    let before = match commitments.get(id) {
                        Some(c) => Some(c.clone()),
                        None => self.commitment(id)?,
                    };
                    let Some(after) =
                        commitment::apply(before.clone(), &envelope.meta, *position, event)
                    else {
                        tracing::warn!(position, commitment = %id, event = event.type_name(), "event for an unknown commitment; ignored");
                        continue;
                    };
                    if before.as_ref() == Some(&after) {
                        continue;
                    }
                    let mut key = format!("h:{id}:").into_bytes();
                    key.extend_from_slice(&position.to_be_bytes());
                    batch.insert(key, envelope.to_json());
                    index(&mut batch, before.as_ref(), false);
                    index(&mut batch, Some(&after), true);
                    commitments.insert(id.clone(), after);
                }
            }
        }
        for (id, c) in &commitments {
            batch.insert(
                format!("c:{id}").as_bytes(),
                serde_json::to_vec(c).expect("records serialize"),
            );
        }
        for (id, record) in &documents {
            batch.insert(
                format!("d:{id}").as_bytes(),
                serde_json::to_vec(record).expect("records serialize"),
            );
        }
        if through <= out.position && out.applied == 0 {
            return Ok(out);
        }
        out.position = out.position.max(through);
        let applied_total = self.applied_count()? + out.applied;
        batch.insert(K_APPLIED, &applied_total.to_be_bytes());
        batch.insert(K_POSITION, &out.position.to_be_bytes());
        self.tree.apply_batch(batch)?;
        self.tree.flush()?;
        Ok(out)
    }

    /// Commitments matching `filter`, in id order, after `after`, at most `limit`.
    pub fn list(
        &self,
        filter: &Filter,
        after: Option<&CommitmentId>,
        limit: usize,
    ) -> Result<Page, StoreError> {
        let prefix = filter.prefix();
        let is_index = !prefix.starts_with(b"c:");
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
        for kv in self.tree.range(start..) {
            let (key, value) = kv?;
            if !key.starts_with(&prefix) {
                break;
            }
            let record: Commitment = if is_index {
                let id = String::from_utf8_lossy(&key[prefix.len()..]).into_owned();
                let id = CommitmentId::parse(&id).map_err(|e| StoreError::Corrupt {
                    key: String::from_utf8_lossy(&key).into_owned(),
                    reason: e.to_string(),
                })?;
                match self.commitment(&id)? {
                    Some(r) => r,
                    None => continue,
                }
            } else {
                serde_json::from_slice(&value).map_err(|e| StoreError::Corrupt {
                    key: String::from_utf8_lossy(&key).into_owned(),
                    reason: e.to_string(),
                })?
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
        } else {
            None
        };
        Ok(Page {
            commitments,
            next_after,
        })
    }

    /// Commitments whose assessment window ends on or before `date`, plus
    /// those with unresolved alerts: everything the alerter must look at.
    pub fn alert_candidates(&self, date: time::Date) -> Result<Vec<CommitmentId>, StoreError> {
        let mut ids = std::collections::BTreeSet::new();
        let end = format!("id:{date};");
        for kv in self.tree.range(b"id:".to_vec()..end.into_bytes()) {
            let (k, _) = kv?;
            ids.insert(self.id_at_end(&k)?);
        }
        for kv in self.tree.scan_prefix(b"ia:") {
            let (k, _) = kv?;
            ids.insert(self.id_at_end(&k)?);
        }
        Ok(ids.into_iter().collect())
    }

    fn id_at_end(&self, key: &[u8]) -> Result<CommitmentId, StoreError> {
        let text = String::from_utf8_lossy(key);
        let id = text.rsplit(':').next().unwrap_or_default();
        CommitmentId::parse(id).map_err(|e| StoreError::Corrupt {
            key: text.clone().into_owned(),
            reason: e.to_string(),
        })
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
        for prefix in [&b"c:"[..], &b"d:"[..]] {
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

/// Adds (or removes) the index rows of one commitment.
fn index(batch: &mut sled::Batch, commitment: Option<&Commitment>, insert: bool) {
    let Some(c) = commitment else { return };
    let id = &c.id;
    let mut keys = vec![
        format!("ik:{}:{id}", c.kind),
        format!("is:{}:{id}", c.status),
    ];
    keys.extend(c.committers.iter().map(|p| format!("ip:{p}:{id}")));
    keys.extend(
        c.party_status
            .iter()
            .map(|s| format!("ips:{}:{}:{id}", s.party, s.status)),
    );
    keys.extend(c.topics.iter().map(|t| format!("it:{t}:{id}")));
    if let Some(deadline) = &c.deadline {
        keys.push(format!("id:{}:{id}", deadline.due));
    }
    if c.alerts.iter().any(|a| a.resolved_at_position.is_none()) {
        keys.push(format!("ia:{id}"));
    }
    if !c.proposals.is_empty() {
        keys.push(format!("iq:{id}"));
    }
    for k in keys {
        if insert {
            batch.insert(k.as_bytes(), &[]);
        } else {
            batch.remove(k.as_bytes());
        }
    }
}

#[cfg(test)]
mod tests;
