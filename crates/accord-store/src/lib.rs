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
//! ik:<kind>:<id> | is:<status>:<id> | id:<YYYY-MM-DD>:<id>
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
use std::sync::{Mutex, RwLock};
use time::OffsetDateTime;

/// Bumped whenever the layout or record shapes change; a store written with
/// another version is rebuilt from the log.
pub const SCHEMA_VERSION: u32 = 4;

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
        if self.review_queue {
            return b"iq:".to_vec();
        }
        // A party's own status is looked up among that party's commitments.
        let party = self
            .party
            .as_ref()
            .or(self.party_status.as_ref().map(|(p, _)| p));
        match (party, self.kind, self.status) {
            (Some(p), _, _) => format!("ip:{p}:").into_bytes(),
            (None, Some(k), _) => format!("ik:{k}:").into_bytes(),
            (None, None, Some(s)) => format!("is:{s}:").into_bytes(),
            (None, None, None) => b"c:".to_vec(),
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
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Applied {
    /// Events applied now.
    pub applied: u64,
    /// Events at or below the checkpoint, skipped as already applied.
    pub skipped: u64,
    /// Entries parked now (unreadable, or behind an unreadable one).
    pub parked: u64,
    pub position: u64,
    pub newly_parked: Vec<Parked>,
}

pub struct Store {
    db: sled::Db,
    meta: sled::Tree,
    current: RwLock<View>,
    /// Serialises writers (the projector, dead-letter replays, the swap).
    write: Mutex<()>,
}

/// One projection generation (a sled tree). Reads through a `View` see one
/// generation even while a rebuild swaps in the next.
#[derive(Clone)]
pub struct View {
    tree: sled::Tree,
    /// Aggregates with parked entries → their first parked position: asked
    /// for every event applied, so kept in memory rather than scanned.
    parked: std::sync::Arc<RwLock<HashMap<String, u64>>>,
}

impl View {
    fn new(tree: sled::Tree) -> Result<View, StoreError> {
        let view = View {
            tree,
            parked: Default::default(),
        };
        view.reload_parked()?;
        Ok(view)
    }

    fn reload_parked(&self) -> Result<(), StoreError> {
        let mut parked = HashMap::new();
        for p in self.parked()? {
            parked.entry(p.aggregate).or_insert(p.position);
        }
        *self.parked.write().expect("parked lock") = parked;
        Ok(())
    }
}

fn u64_of(v: Option<sled::IVec>) -> u64 {
    v.and_then(|v| v.as_ref().try_into().ok())
        .map(u64::from_be_bytes)
        .unwrap_or(0)
}

/// Forwards read methods to the current generation.
macro_rules! delegate {
    ($($(#[$m:meta])* fn $name:ident(&self $(, $arg:ident: $ty:ty)*) -> $ret:ty;)*) => {
        $($(#[$m])* pub fn $name(&self $(, $arg: $ty)*) -> $ret { self.view().$name($($arg),*) })*
    };
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
        let store = Store {
            db,
            meta,
            current: RwLock::new(View::new(tree)?),
            write: Mutex::new(()),
        };
        let view = store.view();
        let schema = view.tree.get(K_SCHEMA)?.map(|v| u64_of(Some(v)) as u32);
        match schema {
            Some(SCHEMA_VERSION) => {}
            None if view.tree.is_empty() => {
                view.tree
                    .insert(K_SCHEMA, &(SCHEMA_VERSION as u64).to_be_bytes())?;
            }
            other => {
                tracing::warn!(found = ?other, expected = SCHEMA_VERSION, "projection schema changed: rebuilding from the log");
                let fresh = store.fresh_view()?;
                store.swap(fresh)?;
            }
        }
        Ok(store)
    }

    /// The current generation.
    pub fn view(&self) -> View {
        self.current.read().expect("view lock").clone()
    }

    /// An empty generation beside the live one, for a rebuild.
    pub fn fresh_view(&self) -> Result<View, StoreError> {
        let n = self.db.generate_id()?;
        let tree = self.db.open_tree(format!("projection-{}", n + 2))?;
        tree.clear()?;
        tree.insert(K_SCHEMA, &(SCHEMA_VERSION as u64).to_be_bytes())?;
        View::new(tree)
    }

    /// Makes `view` the current generation (and drops the old one) in one
    /// step, if it has applied at least as much of the log as the current
    /// one; otherwise leaves everything as is and returns false.
    pub fn swap_if_caught_up(&self, view: &View) -> Result<bool, StoreError> {
        let _writer = self.write.lock().expect("writer lock");
        if view.position()? < self.view().position()? {
            return Ok(false);
        }
        self.swap(view.clone())?;
        Ok(true)
    }

    fn swap(&self, view: View) -> Result<(), StoreError> {
        view.tree.flush()?;
        let old = std::mem::replace(&mut *self.current.write().expect("view lock"), view);
        let name = self.view().tree.name();
        self.meta.insert(CURRENT, &*name)?;
        self.meta.flush()?;
        self.db.drop_tree(old.tree.name())?;
        Ok(())
    }

    /// Applies log entries to the current generation; see [`View::apply`].
    pub fn apply(&self, entries: &[(u64, Envelope)], through: u64) -> Result<Applied, StoreError> {
        let items: Vec<Item> = entries
            .iter()
            .map(|(p, e)| Item::Event {
                position: *p,
                envelope: e.clone(),
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

    delegate! {
        /// The checkpoint: log position of the last applied event (0: none).
        fn position(&self) -> Result<u64, StoreError>;
        /// How many events have been applied in total; a double-apply shows here.
        fn applied_count(&self) -> Result<u64, StoreError>;
        fn commitment(&self, id: &CommitmentId) -> Result<Option<Commitment>, StoreError>;
        /// The commitment as the log had it at `at`.
        fn commitment_as_of(&self, id: &CommitmentId, at: AsOf) -> Result<Option<Commitment>, StoreError>;
        /// Every applied event of one commitment, in log order.
        fn history(&self, id: &CommitmentId) -> Result<Vec<(u64, Envelope)>, StoreError>;
        fn document(&self, id: &DocumentId) -> Result<Option<DocumentRecord>, StoreError>;
        fn list(&self, filter: &Filter, after: Option<&CommitmentId>, limit: usize) -> Result<Page, StoreError>;
        fn alert_candidates(&self, date: time::Date) -> Result<Vec<CommitmentId>, StoreError>;
        fn document_commitments(&self, doc: &Document) -> Result<Vec<Commitment>, StoreError>;
        /// A stable hash over every row: equal for stores that applied the same log.
        fn digest(&self) -> Result<String, StoreError>;
        /// Entries set aside because they could not be read, or wait behind one that could not.
        fn parked(&self) -> Result<Vec<Parked>, StoreError>;
    }
}

impl View {
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
                    let (subject, payload, reason) = match item {
                        Item::Unreadable {
                            subject,
                            payload,
                            reason,
                            ..
                        } => (subject, payload, reason),
                        Item::Event { envelope, .. } => {
                            let family = if envelope.event.commitment_id().is_some() {
                                "cmt"
                            } else {
                                "doc"
                            };
                            let subject = format!(
                                "accord.v1.{family}.{}.{}",
                                envelope.event.aggregate_id(),
                                envelope.event.token()
                            );
                            (subject, envelope.to_json(), String::new())
                        }
                    };
                    let reason = match blocked_by {
                        Some(p) if reason.is_empty() => format!("waits behind parked position {p}"),
                        Some(p) => format!("{reason}; waits behind parked position {p}"),
                        None => reason,
                    };
                    pending
                        .parked
                        .entry(aggregate.clone())
                        .or_insert(blocked_by.unwrap_or(position));
                    let parked = Parked {
                        position,
                        aggregate,
                        subject,
                        reason,
                        payload,
                    };
                    pending.batch.insert(
                        parked.key(),
                        serde_json::to_vec(&parked).expect("parked entries serialize"),
                    );
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

    /// Every parked entry, by aggregate then log position.
    pub fn parked(&self) -> Result<Vec<Parked>, StoreError> {
        self.tree
            .scan_prefix(b"pk:")
            .map(|kv| {
                let (k, v) = kv?;
                serde_json::from_slice(&v).map_err(|e| StoreError::Corrupt {
                    key: String::from_utf8_lossy(&k).into_owned(),
                    reason: e.to_string(),
                })
            })
            .collect()
    }

    /// See [`Store::replay_parked`].
    pub fn replay_parked(
        &self,
        decode: &dyn Fn(&[u8]) -> Result<Envelope, String>,
    ) -> Result<Replayed, StoreError> {
        let mut out = Replayed::default();
        let mut pending = Pending::default();
        let mut stuck: std::collections::HashSet<String> = Default::default();
        for parked in self.parked()? {
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

/// One message of the log, as the projector hands it over.
// Events are the common case: boxing them would cost an allocation each.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum Item {
    Event {
        position: u64,
        envelope: Envelope,
    },
    /// Bytes on a canonical subject that are not an event this build reads.
    Unreadable {
        position: u64,
        subject: String,
        payload: Vec<u8>,
        reason: String,
    },
}

impl Item {
    pub fn position(&self) -> u64 {
        match self {
            Item::Event { position, .. } | Item::Unreadable { position, .. } => *position,
        }
    }

    /// The commitment or document the item belongs to (from the subject
    /// when the payload cannot be read).
    pub fn aggregate(&self) -> String {
        match self {
            Item::Event { envelope, .. } => envelope.event.aggregate_id().to_owned(),
            Item::Unreadable { subject, .. } => {
                let tokens: Vec<&str> = subject.split('.').collect();
                match tokens.as_slice() {
                    ["accord", "v1", "cmt" | "doc", id, ..] => (*id).to_owned(),
                    _ => format!("?{subject}"),
                }
            }
        }
    }
}

/// An entry set aside: unreadable, or waiting behind one that is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Parked {
    pub position: u64,
    pub aggregate: String,
    pub subject: String,
    pub reason: String,
    pub payload: Vec<u8>,
}

impl Parked {
    fn key(&self) -> Vec<u8> {
        let mut k = format!("pk:{}:", self.aggregate).into_bytes();
        k.extend_from_slice(&self.position.to_be_bytes());
        k
    }
}

/// What a replay of parked entries did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Replayed {
    pub applied: u64,
    pub still_parked: u64,
}

/// Rows one atomic write will set, with the states they were computed from.
#[derive(Default)]
struct Pending {
    commitments: HashMap<CommitmentId, Commitment>,
    /// Each changed commitment as it was before this batch, for index diffs.
    originals: HashMap<CommitmentId, Option<Commitment>>,
    documents: HashMap<DocumentId, DocumentRecord>,
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
                let mut key = format!("h:{id}:").into_bytes();
                key.extend_from_slice(&position.to_be_bytes());
                self.batch.insert(key, envelope.to_json());
                self.originals.entry(id.clone()).or_insert(before);
                self.commitments.insert(id.clone(), after);
            }
        }
        Ok(())
    }

    fn commit(mut self, view: &View) -> Result<(), StoreError> {
        for (id, c) in &self.commitments {
            // Only index rows that changed over the whole batch are written.
            let before = index_keys(self.originals.get(id).and_then(Option::as_ref));
            let after = index_keys(Some(c));
            for gone in before.difference(&after) {
                self.batch.remove(gone.as_bytes());
            }
            for new in after.difference(&before) {
                self.batch.insert(new.as_bytes(), &[]);
            }
            self.batch.insert(
                format!("c:{id}").as_bytes(),
                serde_json::to_vec(c).expect("records serialize"),
            );
        }
        for (id, record) in &self.documents {
            self.batch.insert(
                format!("d:{id}").as_bytes(),
                serde_json::to_vec(record).expect("records serialize"),
            );
        }
        view.tree.apply_batch(self.batch)?;
        view.tree.flush()?;
        Ok(())
    }
}

/// The index rows of one commitment. Sparse indexes (review queue, open
/// alerts) hold only the commitments they are about; topic and per-party
/// status filters scan narrower indexes instead of keeping their own rows,
/// since every row costs a write per change.
fn index_keys(commitment: Option<&Commitment>) -> std::collections::BTreeSet<String> {
    let mut keys = std::collections::BTreeSet::new();
    let Some(c) = commitment else { return keys };
    let id = &c.id;
    keys.insert(format!("ik:{}:{id}", c.kind));
    keys.insert(format!("is:{}:{id}", c.status));
    keys.extend(c.committers.iter().map(|p| format!("ip:{p}:{id}")));
    if let Some(deadline) = &c.deadline {
        keys.insert(format!("id:{}:{id}", deadline.due));
    }
    if !c.proposals.is_empty() {
        keys.insert(format!("iq:{id}"));
    }
    if c.alerts.iter().any(|a| a.resolved_at_position.is_none()) {
        keys.insert(format!("ia:{id}"));
    }
    keys
}

#[cfg(test)]
mod tests;
