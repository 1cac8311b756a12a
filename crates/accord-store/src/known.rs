//! Which records (`c:` / `d:` rows) a generation holds, as a set of key
//! hashes its writers keep, so that folding onto a commitment or document
//! the tree has never held skips the sled read. While the projector catches
//! up, nearly every commitment's first event in a batch creates it, and
//! each of those reads missed (a tenth of the writer's time).
//!
//! Exact where it matters: a key not in the set is not in the tree. The set
//! is only kept for a generation that held no record when it was opened (a
//! fresh store, a rebuild's generation, one a schema change started) and
//! every write of a record notes its key first; a hash collision or a
//! failed write only costs a read. A generation opened with records, or one
//! whose set outgrew [`KNOWN_MAX`], reads as before.

use crate::layout;
use std::collections::HashSet;
use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
use std::sync::Mutex;

/// Records the set follows at most (about 16 bytes each); past that it is
/// dropped and every fold reads.
pub(crate) const KNOWN_MAX: usize = 4_000_000;

pub(crate) struct Known {
    /// `None`: not known (every key may be held).
    hashes: Mutex<Option<HashSet<u64>>>,
    max: usize,
}

/// A `c:` or `d:` row's key.
fn is_record(key: &[u8]) -> bool {
    key.starts_with(layout::COMMITMENTS) || key.starts_with(layout::DOCUMENTS)
}

fn hash(key: &[u8]) -> u64 {
    BuildHasherDefault::<DefaultHasher>::default().hash_one(key)
}

impl Known {
    /// For a generation that holds no record: every key is known absent.
    pub fn empty() -> Known {
        Known::bounded(KNOWN_MAX)
    }

    fn bounded(max: usize) -> Known {
        Known {
            hashes: Mutex::new(Some(HashSet::new())),
            max,
        }
    }

    /// For a generation that holds records: nothing is known absent.
    pub fn unknown() -> Known {
        Known {
            hashes: Mutex::new(None),
            max: 0,
        }
    }

    /// Whether the tree may hold a row at `key` (false: it does not).
    pub fn may_hold(&self, key: &[u8]) -> bool {
        match &*self.hashes.lock().expect("known lock") {
            Some(set) => set.contains(&hash(key)),
            None => true,
        }
    }

    /// Notes the record keys among the keys of rows about to be written
    /// (before the write, so the set never misses a row the tree holds).
    pub fn note_records<'a>(&self, keys: impl IntoIterator<Item = &'a [u8]>) {
        let mut hashes = self.hashes.lock().expect("known lock");
        let Some(set) = hashes.as_mut() else { return };
        set.extend(keys.into_iter().filter(|k| is_record(k)).map(hash));
        if set.len() > self.max {
            *hashes = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_keys_never_noted_are_known_absent() {
        let known = Known::empty();
        assert!(!known.may_hold(b"c:a"));
        known.note_records([&b"c:a"[..], &b"d:b"[..]]);
        assert!(known.may_hold(b"c:a"));
        assert!(known.may_hold(b"d:b"));
        assert!(!known.may_hold(b"c:b"));
        assert!(
            Known::unknown().may_hold(b"c:b"),
            "unknown holds everything"
        );
    }

    #[test]
    fn a_set_past_its_bound_gives_up_rather_than_grow() {
        let known = Known::bounded(3);
        known.note_records([&b"c:a"[..], &b"c:b"[..], &b"c:c"[..]]);
        assert!(!known.may_hold(b"c:never written"), "within its bound");
        known.note_records([&b"c:d"[..]]);
        assert!(known.may_hold(b"c:never written"), "past its bound");
    }
}
