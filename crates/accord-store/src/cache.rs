//! A bounded cache of decoded commitments, one per generation: a point read
//! (`GetCommitment`, index-driven listings) costs a sled read, an LZ4
//! unpack and a JSON decode; a hit costs a clone.
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
    lru: lru::LruCache<CommitmentId, Arc<Commitment>>,
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
    pub(crate) fn new(entries: usize) -> Cache {
        let cap = NonZeroUsize::new(entries).unwrap_or(NonZeroUsize::MIN);
        Cache {
            inner: Mutex::new(Inner {
                epoch: 0,
                lru: lru::LruCache::new(cap),
            }),
        }
    }

    pub(crate) fn get(&self, id: &CommitmentId) -> Lookup {
        let mut inner = self.inner.lock().expect("cache lock");
        match inner.lru.get(id) {
            Some(c) => Lookup::Hit(c.clone()),
            None => Lookup::Miss(inner.epoch),
        }
    }

    /// Caches what a reader read, unless a write finished since `epoch`.
    pub(crate) fn fill(&self, epoch: u64, commitment: &Commitment) {
        let mut inner = self.inner.lock().expect("cache lock");
        if inner.epoch == epoch {
            inner
                .lru
                .put(commitment.id.clone(), Arc::new(commitment.clone()));
        }
    }

    /// Forgets `ids`: called by the writer after its write is applied.
    pub(crate) fn invalidate<'a>(&self, ids: impl IntoIterator<Item = &'a CommitmentId>) {
        let mut inner = self.inner.lock().expect("cache lock");
        inner.epoch += 1;
        for id in ids {
            inner.lru.pop(id);
        }
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.inner.lock().expect("cache lock").lru.len()
    }
}
