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
//! c:<commitment_id>         -> CommitmentRecord (JSON)
//! d:<document_id>           -> DocumentRecord (JSON)
//! ip:<PARTY>:<commitment>   -> ()   index: committer party
//! ik:<kind>:<commitment>    -> ()   index: kind
//! is:<status>:<commitment>  -> ()   index: status
//! id:<YYYY-MM-DD>:<commit.> -> ()   index: due date
//! m:position | m:applied | m:schema  -> checkpoint, events applied, schema version
//! ```

use accord_domain::{commitment, document, Commitment, CommitmentId, Document, DocumentId, Envelope, Kind, Party, Status};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::Path;

/// Bumped whenever the layout or record shapes change; a store written with
/// another version is rebuilt from the log.
pub const SCHEMA_VERSION: u32 = 1;

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
pub struct CommitmentRecord {
    pub commitment: Commitment,
    /// Log position of the event that created it.
    pub position: u64,
    /// Log position of the last event applied to it.
    pub last_position: u64,
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
    /// Lower-case substring of the commitment text.
    pub text_contains: Option<String>,
}

impl Filter {
    fn matches(&self, c: &Commitment) -> bool {
        self.party.as_ref().is_none_or(|p| c.is_committed_by(p))
            && self.kind.is_none_or(|k| c.kind == k)
            && self.status.is_none_or(|s| c.status == s)
            && self.text_contains.as_ref().is_none_or(|t| c.text.to_lowercase().contains(t.as_str()))
    }

    /// The narrowest index range to scan.
    fn prefix(&self) -> Vec<u8> {
        match (&self.party, self.kind, self.status) {
            (Some(p), _, _) => format!("ip:{p}:").into_bytes(),
            (None, Some(k), _) => format!("ik:{k}:").into_bytes(),
            (None, None, Some(s)) => format!("is:{s}:").into_bytes(),
            (None, None, None) => b"c:".to_vec(),
        }
    }
}

/// One page of a listing, in commitment-id order.
#[derive(Debug, Clone)]
pub struct Page {
    pub commitments: Vec<CommitmentRecord>,
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
    v.and_then(|v| v.as_ref().try_into().ok()).map(u64::from_be_bytes).unwrap_or(0)
}

impl Store {
    /// Opens (or creates) the store at `path`. `cache_bytes` bounds sled's
    /// page cache, which otherwise defaults to 1 GiB and costs several GiB of RSS.
    pub fn open(path: &Path, cache_bytes: u64) -> Result<Store, StoreError> {
        let db = sled::Config::new().path(path).cache_capacity(cache_bytes).open()?;
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
                store.tree.insert(K_SCHEMA, &(SCHEMA_VERSION as u64).to_be_bytes())?;
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
            Some(v) => serde_json::from_slice(&v).map(Some).map_err(|e| StoreError::Corrupt {
                key: String::from_utf8_lossy(key).into_owned(),
                reason: e.to_string(),
            }),
        }
    }

    pub fn commitment(&self, id: &CommitmentId) -> Result<Option<CommitmentRecord>, StoreError> {
        self.read(format!("c:{id}").as_bytes())
    }

    pub fn document(&self, id: &DocumentId) -> Result<Option<DocumentRecord>, StoreError> {
        self.read(format!("d:{id}").as_bytes())
    }

    /// Applies log entries `(position, envelope)` in order, as one atomic
    /// batch together with the new checkpoint, then flushes. Entries at or
    /// below the checkpoint are skipped: applying twice is a no-op.
    pub fn apply(&self, entries: &[(u64, Envelope)]) -> Result<Applied, StoreError> {
        let checkpoint = self.position()?;
        let mut out = Applied { position: checkpoint, ..Default::default() };
        let mut commitments: HashMap<CommitmentId, Option<CommitmentRecord>> = HashMap::new();
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
                accord_domain::Event::DocumentIngested(e) => {
                    let id = &e.document_id;
                    let before = match documents.get(id) {
                        Some(d) => Some(d.document.clone()),
                        None => self.document(id)?.map(|r| r.document),
                    };
                    if before.is_some() {
                        continue;
                    }
                    if let Some(document) = document::apply(None, &envelope.event) {
                        documents.insert(id.clone(), DocumentRecord { document, position: *position });
                    }
                }
                accord_domain::Event::CommitmentMade(e) => {
                    let id = &e.commitment_id;
                    let before = match commitments.get(id) {
                        Some(c) => c.clone(),
                        None => self.commitment(id)?,
                    };
                    let created = before.as_ref().map_or(*position, |r| r.position);
                    let after = commitment::apply(before.clone().map(|r| r.commitment), &envelope.meta, &envelope.event);
                    let after = after.map(|c| CommitmentRecord { commitment: c, position: created, last_position: *position });
                    if after.as_ref().map(|r| &r.commitment) == before.as_ref().map(|r| &r.commitment) {
                        continue;
                    }
                    index(&mut batch, before.as_ref(), false);
                    index(&mut batch, after.as_ref(), true);
                    commitments.insert(id.clone(), after);
                }
            }
        }
        if out.applied == 0 {
            return Ok(out);
        }
        for (id, record) in &commitments {
            let key = format!("c:{id}");
            match record {
                Some(r) => batch.insert(key.as_bytes(), serde_json::to_vec(r).expect("records serialize")),
                None => batch.remove(key.as_bytes()),
            }
        }
        for (id, record) in &documents {
            batch.insert(format!("d:{id}").as_bytes(), serde_json::to_vec(record).expect("records serialize"));
        }
        let applied_total = self.applied_count()? + out.applied;
        batch.insert(K_APPLIED, &applied_total.to_be_bytes());
        batch.insert(K_POSITION, &out.position.to_be_bytes());
        self.tree.apply_batch(batch)?;
        self.tree.flush()?;
        Ok(out)
    }

    /// Commitments matching `filter`, in id order, after `after`, at most `limit`.
    pub fn list(&self, filter: &Filter, after: Option<&CommitmentId>, limit: usize) -> Result<Page, StoreError> {
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
            let record: CommitmentRecord = if is_index {
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
            if !filter.matches(&record.commitment) {
                continue;
            }
            if commitments.len() == limit {
                more = true;
                break;
            }
            commitments.push(record);
        }
        let next_after = if more { commitments.last().map(|r| r.commitment.id.clone()) } else { None };
        Ok(Page { commitments, next_after })
    }

    /// The commitments of one document, in span order.
    pub fn document_commitments(&self, doc: &Document) -> Result<Vec<CommitmentRecord>, StoreError> {
        let mut out = Vec::new();
        for id in &doc.commitments {
            if let Some(r) = self.commitment(id)? {
                out.push(r);
            }
        }
        out.sort_by_key(|r| r.commitment.span);
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

/// Adds (or removes) the index rows of one commitment record.
fn index(batch: &mut sled::Batch, record: Option<&CommitmentRecord>, insert: bool) {
    let Some(r) = record else { return };
    let c = &r.commitment;
    let mut keys = vec![format!("ik:{}:{}", c.kind, c.id), format!("is:{}:{}", c.status, c.id)];
    keys.extend(c.committers.iter().map(|p| format!("ip:{p}:{}", c.id)));
    if let Some(due) = c.due {
        keys.push(format!("id:{due}:{}", c.id));
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
