//! The follow-up tracker: a sled projection of the event log.
//!
//! Invariant: the checkpoint (the log position of the last applied event) is
//! written in the same atomic `sled::Batch` as the projection rows that event
//! produced. After a crash the store holds some prefix of the log, never a
//! torn batch, and replay resumes right after the checkpoint.
//!
//! This file holds the public types; the code is split by concern:
//!
//! - `layout`: every key and prefix (`c:`, `d:`, `h:`, the `i*:` indexes,
//!   `pk:`, `sk:`, `m:`) and [`SCHEMA_VERSION`];
//! - `write`: log items into one atomic batch, index diffs, parked entries
//!   and skips;
//! - `cache`: decoded commitments for reads, invalidated by the writers;
//! - `known`: the records a generation that started empty holds, so that
//!   a fold onto one it never held skips the read;
//! - `read`: point reads, listings, history and `as_of`, the digest;
//! - `bulk`: rebuilds as an external sort by aggregate, every row written once;
//! - `generation`: opening the current generation, rebuilds and the swap;
//! - `readouts`: the follow-up linker's readout texts and checkpoint.
//!
//! The store knows nothing of the log's subject scheme: whoever hands it
//! [`Item`]s says which aggregate and subject each belongs to.

use accord_domain::{Commitment, CommitmentId, Document, Envelope, Kind, Party, Status};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::{Mutex, RwLock};
use time::OffsetDateTime;

/// Forwards read methods to the current generation.
macro_rules! delegate {
    ($($(#[$m:meta])* fn $name:ident(&self $(, $arg:ident: $ty:ty)*) -> $ret:ty;)*) => {
        $($(#[$m])* pub fn $name(&self $(, $arg: $ty)*) -> $ret { self.view().$name($($arg),*) })*
    };
}

mod bulk;
mod cache;
mod generation;
mod known;
mod layout;
mod read;
mod readouts;
mod spill;
mod stream;
mod write;

pub use bulk::{BulkLoad, BulkStats};
pub use cache::COMMITMENT_CACHE_ENTRIES;
pub use layout::SCHEMA_VERSION;
pub use readouts::Readouts;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("projection store: {0}")]
    Sled(#[from] sled::Error),
    #[error("projection store holds an unreadable record at {key}: {reason}")]
    Corrupt { key: String, reason: String },
    #[error("cannot move the damaged projection store {} aside: {source}", path.display())]
    SetAside {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    /// A bulk load's temporary sort files (see `spill`) failed.
    #[error("projection store: rebuild's temporary sort file: {0}")]
    Spill(std::io::Error),
}

impl StoreError {
    /// The store's files are damaged (not a disk that is full, missing or
    /// not ours to write): rebuilding it from the log is the cure.
    pub fn is_damage(&self) -> bool {
        matches!(
            self,
            StoreError::Corrupt { .. }
                | StoreError::Sled(sled::Error::Corruption { .. })
                // sled's files are not sled's (any more): its own words.
                | StoreError::Sled(sled::Error::Unsupported(_))
        )
    }

    /// The record at `key` could not be read.
    pub(crate) fn corrupt(key: &[u8], reason: impl std::fmt::Display) -> StoreError {
        StoreError::Corrupt {
            key: String::from_utf8_lossy(key).into_owned(),
            reason: reason.to_string(),
        }
    }
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

/// A [`Page`] whose commitments are shared with the read cache (the gRPC
/// handlers only encode them).
#[derive(Debug, Clone)]
pub struct SharedPage {
    pub commitments: Vec<std::sync::Arc<Commitment>>,
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
    /// The directory sled's files live in.
    dir: std::path::PathBuf,
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
    /// Decoded commitments of this generation, for reads.
    cache: std::sync::Arc<cache::Cache>,
    /// The records this generation holds, when known (writers only).
    known: std::sync::Arc<known::Known>,
}

/// One message of the log, as the projector hands it over.
// Events are the common case: boxing them would cost an allocation each.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum Item {
    Event {
        position: u64,
        envelope: Envelope,
        /// The subject it was logged on, recorded should the event have to
        /// be parked behind an unreadable one; `None` when not known.
        subject: Option<String>,
    },
    /// Bytes on a canonical subject that are not an event this build reads.
    Unreadable {
        position: u64,
        subject: String,
        /// The commitment or document the subject names, if it names one:
        /// reading the subject scheme is the caller's business.
        aggregate: Option<String>,
        payload: Vec<u8>,
        reason: String,
        /// Set aside without holding back its aggregate: an entry that is
        /// not part of the log as far as Accord is concerned (unauthenticated).
        detached: bool,
    },
}

impl Item {
    pub fn position(&self) -> u64 {
        match self {
            Item::Event { position, .. } | Item::Unreadable { position, .. } => *position,
        }
    }

    /// The commitment or document the item belongs to (as the caller read it
    /// from the subject when the payload cannot be read); entries whose
    /// subject names none are queued per subject.
    pub fn aggregate(&self) -> String {
        match self {
            Item::Event { envelope, .. } => envelope.event.aggregate_id().to_owned(),
            Item::Unreadable {
                aggregate: Some(aggregate),
                ..
            } => aggregate.clone(),
            Item::Unreadable {
                aggregate: None,
                subject,
                ..
            } => layout::unattributed(subject),
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
    /// Kept for the operators only: it holds nothing back and is never
    /// replayed (see [`Item::Unreadable`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub detached: bool,
}

impl Parked {
    /// A readable event parked only because it waits behind another entry
    /// of its aggregate: released when that one is, never skipped itself.
    pub fn is_held(&self) -> bool {
        self.reason.starts_with(write::HELD)
    }
}

/// A parked entry an `EntrySkipped` removed (`sk:` rows).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skipped {
    /// The aggregate (commitment) it held back.
    pub aggregate: String,
    /// The log position of the `EntrySkipped` that removed it.
    pub by_position: u64,
}

/// What a replay of parked entries did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Replayed {
    pub applied: u64,
    pub still_parked: u64,
}

#[cfg(test)]
mod tests;
