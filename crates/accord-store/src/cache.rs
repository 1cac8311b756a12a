//! A bounded cache of decoded commitments, one per generation: a point read
//! (`GetCommitment`, index-driven listings) costs a sled read, an LZ4
//! unpack and a JSON decode; a hit costs an `Arc` clone (the gRPC handlers
//! read shared commitments; other callers get their own copy).
//!
//! The writer invalidates after each write, and readers only fill the cache
//! when no write finished since they started reading (an epoch counter
//! bumped by every invalidation): a reader that read the old row before a
//! write cannot put it back after the write's invalidation. So a read that
//! starts after a write returned never sees the row the write replaced.

use accord_domain::{Commitment, CommitmentId};
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};

/// Commitments kept decoded per generation (about 1–2 KB each).
pub const COMMITMENT_CACHE_ENTRIES: usize = 65_536;

pub(crate) struct Cache {
    inner: Mutex<Inner>,
}

struct Inner {
    /// Bumped by every invalidation.
    epoch: u64,
    /// `None`: caching is off.
    lru: Option<lru::LruCache<CommitmentId, Arc<Commitment>>>,
}

/// What a lookup found: the commitment, or the epoch to fill the cache at.
pub(crate) enum Lookup {
    Hit(Arc<Commitment>),
    Miss(u64),
}

impl Default for Cache {
    fn default() -> Self {
        Cache::new(COMMITMENT_CACHE_ENTRIES)
    }
}

impl Cache {
    /// A cache of `entries` commitments; none (every read decodes) for 0.
    pub(crate) fn new(entries: usize) -> Cache {
        Cache {
            inner: Mutex::new(Inner {
                epoch: 0,
                lru: NonZeroUsize::new(entries).map(lru::LruCache::new),
            }),
        }
    }

    pub(crate) fn get(&self, id: &CommitmentId) -> Lookup {
        let mut guard = self.inner.lock().expect("cache lock");
        let inner = &mut *guard;
        let Some(lru) = inner.lru.as_mut() else {
            return Lookup::Miss(inner.epoch);
        };
        match lru.get(id) {
            Some(c) => Lookup::Hit(c.clone()),
            None => Lookup::Miss(inner.epoch),
        }
    }

    /// Caches what a reader read, unless a write finished since `epoch`.
    pub(crate) fn fill(&self, epoch: u64, commitment: &Arc<Commitment>) {
        let mut inner = self.inner.lock().expect("cache lock");
        let inner = &mut *inner;
        if let (true, Some(lru)) = (inner.epoch == epoch, inner.lru.as_mut()) {
            lru.put(commitment.id.clone(), commitment.clone());
        }
    }

    /// Forgets `ids`: called by the writer after its write is applied.
    pub(crate) fn invalidate<'a>(&self, ids: impl IntoIterator<Item = &'a CommitmentId>) {
        let mut inner = self.inner.lock().expect("cache lock");
        inner.epoch += 1;
        if let Some(lru) = inner.lru.as_mut() {
            for id in ids {
                lru.pop(id);
            }
        }
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        let inner = self.inner.lock().expect("cache lock");
        inner.lru.as_ref().map_or(0, lru::LruCache::len)
    }
}
