//! Projection generations: opening the store on its current generation,
//! starting a fresh one beside it for a rebuild, and swapping the fresh one
//! in whole. Kept apart from reads and writes because it is the only code
//! that changes *which* tree they go to.

use crate::known::Known;
use crate::layout::{
    self, u64_of, CURRENT, K_APPLIED, K_POSITION, K_SCHEMA, META_TREE, SCHEMA_VERSION,
};
use crate::{Store, StoreError, View};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, RwLock};

fn generation_name(n: u64) -> String {
    format!("projection-{n}")
}

/// A rebuild that crashed (or was killed) leaves its half-filled generation
/// behind; every generation but the current one is such a leftover.
fn drop_stale_generations(db: &sled::Db, current: &[u8]) -> Result<(), StoreError> {
    for name in db.tree_names() {
        if name.starts_with(b"projection-") && &*name != current {
            tracing::info!(tree = %String::from_utf8_lossy(&name), "removing a generation a crashed rebuild left");
            db.drop_tree(&name)?;
        }
    }
    Ok(())
}

/// The counters every generation keeps are big-endian u64s: one of another
/// length means the store is damaged, and counting from it (as 0) would
/// apply events twice.
fn check_counters(tree: &sled::Tree) -> Result<(), StoreError> {
    for key in [K_POSITION, K_APPLIED, K_SCHEMA] {
        if let Some(v) = tree.get(key)? {
            if v.len() != 8 {
                let why = format!("{} bytes where a u64 is kept", v.len());
                return Err(StoreError::corrupt(key, why));
            }
        }
    }
    Ok(())
}

/// Where a damaged store at `path` is moved: `<path>.corrupt-<unix seconds>`
/// (a suffix when that exists already).
fn aside(path: &Path) -> PathBuf {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let name = path
        .file_name()
        .map_or_else(|| "projection".into(), |n| n.to_string_lossy().into_owned());
    let base = path.with_file_name(format!("{name}.corrupt-{secs}"));
    let mut candidate = base.clone();
    let mut n = 1;
    while candidate.exists() {
        n += 1;
        candidate = PathBuf::from(format!("{}-{n}", base.display()));
    }
    candidate
}

impl View {
    pub(crate) fn new(tree: sled::Tree) -> Result<View, StoreError> {
        let known = match layout::holds_no_rows(&tree)? {
            true => Known::empty(),
            false => Known::unknown(),
        };
        let view = View {
            tree,
            parked: Default::default(),
            cache: Default::default(),
            known: std::sync::Arc::new(known),
        };
        view.reload_parked()?;
        Ok(view)
    }

    /// Rebuilds the in-memory map of parked aggregates from the `pk:` rows.
    pub(crate) fn reload_parked(&self) -> Result<(), StoreError> {
        let mut parked = HashMap::new();
        for p in self.parked()?.into_iter().filter(|p| !p.detached) {
            parked.entry(p.aggregate).or_insert(p.position);
        }
        *self.parked.write().expect("parked lock") = parked;
        Ok(())
    }
}

impl Store {
    /// What the database takes on disk, in bytes.
    pub fn size_on_disk(&self) -> Result<u64, StoreError> {
        Ok(self.db.size_on_disk()?)
    }

    /// The follow-up linker's state, in the same database.
    pub fn readouts(&self) -> Result<crate::Readouts, StoreError> {
        crate::Readouts::open(&self.db)
    }

    /// Opens the store at `path` like [`Store::open`]; one that is damaged
    /// (see [`StoreError::is_damage`]) is moved aside, kept for a look, and
    /// a fresh store is opened in its place, to be rebuilt from the log.
    /// Returns where the damaged one went, if it was moved.
    pub fn open_or_set_aside(
        path: &Path,
        cache_bytes: u64,
    ) -> Result<(Store, Option<PathBuf>), StoreError> {
        match Store::open(path, cache_bytes) {
            Err(e) if e.is_damage() => {
                let to = aside(path);
                tracing::error!(error = %e, path = %path.display(), moved_to = %to.display(),
                    "PROJECTION STORE DAMAGED: moved aside; rebuilding the projection from the event log");
                std::fs::rename(path, &to).map_err(|source| StoreError::SetAside {
                    path: path.to_owned(),
                    source,
                })?;
                Ok((Store::open(path, cache_bytes)?, Some(to)))
            }
            opened => Ok((opened?, None)),
        }
    }

    /// Opens (or creates) the store at `path`. `cache_bytes` bounds sled's
    /// page cache, which otherwise defaults to 1 GiB and costs several GiB of RSS.
    pub fn open(path: &Path, cache_bytes: u64) -> Result<Store, StoreError> {
        let db = open_sled(path, cache_bytes)?;
        let meta = db.open_tree(META_TREE)?;
        let current = match meta.get(CURRENT)? {
            Some(name) => name,
            None => {
                let first = generation_name(1);
                meta.insert(CURRENT, first.as_str())?;
                first.as_str().into()
            }
        };
        if !current.starts_with(b"projection-") {
            return Err(StoreError::corrupt(CURRENT, "not a generation name"));
        }
        drop_stale_generations(&db, &current)?;
        let tree = db.open_tree(&current)?;
        check_counters(&tree)?;
        let store = Store {
            db,
            dir: path.to_owned(),
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

    /// Sizes the current generation's cache of decoded commitments (0: no
    /// cache), starting it empty; [`crate::COMMITMENT_CACHE_ENTRIES`] by
    /// default. For measuring what the cache brings.
    pub fn set_commitment_cache(&self, entries: usize) {
        let _writer = self.write.lock().expect("writer lock");
        let mut current = self.current.write().expect("view lock");
        current.cache = std::sync::Arc::new(crate::cache::Cache::new(entries));
    }

    /// The current generation.
    pub fn view(&self) -> View {
        self.current.read().expect("view lock").clone()
    }

    /// The directory the store lives in (a rebuild's sort spills there).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// An empty generation beside the live one, for a rebuild.
    pub fn fresh_view(&self) -> Result<View, StoreError> {
        let n = self.db.generate_id()?;
        let tree = self.db.open_tree(generation_name(n + 2))?;
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
}

/// How long [`open_sled`] waits for a just-dropped handle's file lock.
const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// Opens sled, waiting briefly while its file lock is held: sled's background
/// threads let go of the lock a moment after the last handle in this process
/// is dropped, so reopening right away can find it still taken. A lock held
/// for longer (another process) is still an error.
fn open_sled(path: &Path, cache_bytes: u64) -> Result<sled::Db, sled::Error> {
    let started = std::time::Instant::now();
    loop {
        match sled::Config::new()
            .path(path)
            .cache_capacity(cache_bytes)
            .open()
        {
            Err(sled::Error::Io(e)) if is_lock_held(&e) && started.elapsed() < LOCK_WAIT => {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            opened => return opened,
        }
    }
}

fn is_lock_held(e: &std::io::Error) -> bool {
    e.to_string().contains("could not acquire lock")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_store_reopens_right_after_its_last_handle_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        for round in 0..100u64 {
            let store =
                Store::open(dir.path(), 1 << 20).unwrap_or_else(|e| panic!("round {round}: {e}"));
            store.bind_stream("created 1").unwrap();
        }
    }

    #[test]
    fn a_store_held_open_is_an_error_after_the_wait() {
        let dir = tempfile::tempdir().unwrap();
        let _held = Store::open(dir.path(), 1 << 20).unwrap();
        let err = Store::open(dir.path(), 1 << 20).err().expect("second open");
        assert!(err.to_string().contains("lock"), "{err}");
    }

    /// Damages one row of a store holding a checkpoint, then opens it.
    fn check(tree: &str, key: &[u8], value: &[u8]) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("projection");
        {
            let store = Store::open(&path, 1 << 20).unwrap();
            store
                .view()
                .tree
                .insert(K_POSITION, &12u64.to_be_bytes())
                .unwrap();
            let tree = match tree {
                "meta" => store.meta.clone(),
                _ => store.view().tree,
            };
            tree.insert(key, value).unwrap();
            store.db.flush().unwrap();
        }
        let what = String::from_utf8_lossy(key).into_owned();
        match Store::open(&path, 1 << 20) {
            Err(e) => assert!(e.is_damage(), "{what}: {e}"),
            Ok(_) => panic!("{what}: a damaged store opened"),
        }
        let (fresh, moved) = Store::open_or_set_aside(&path, 1 << 20).unwrap();
        assert_eq!(fresh.position().unwrap(), 0, "{what}: not a fresh store");
        let moved = moved.unwrap_or_else(|| panic!("{what}: nothing set aside"));
        let name = moved.file_name().unwrap().to_string_lossy().into_owned();
        assert!(name.starts_with("projection.corrupt-"), "{what}: {name}");
        // The damaged store is kept as it was, for a look.
        assert!(
            Store::open(&moved, 1 << 20).is_err_and(|e| e.is_damage()),
            "{what}"
        );
    }

    #[test]
    fn a_damaged_counter_or_generation_name_is_set_aside_for_a_fresh_store() {
        check("generation", K_POSITION, b"abc");
        check("generation", K_APPLIED, &[0; 9]);
        check("generation", K_SCHEMA, b"");
        check("meta", CURRENT, b"garbage");
    }

    #[test]
    fn garbage_in_sled_files_is_damage() {
        for garbage in [
            &b"not a sled config\n"[..],
            &[0xff, 0xfe, 0x00, 1, 2, 3, 4, 5, 6, 7][..],
        ] {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("projection");
            drop(Store::open(&path, 1 << 20).unwrap());
            std::fs::write(path.join("conf"), garbage).unwrap();
            match Store::open(&path, 1 << 20) {
                Err(e) => assert!(e.is_damage(), "{garbage:?}: {e}"),
                Ok(_) => panic!("{garbage:?}: opened"),
            }
            let (fresh, moved) = Store::open_or_set_aside(&path, 1 << 20).unwrap();
            assert_eq!(fresh.position().unwrap(), 0);
            assert!(moved.is_some());
        }
    }

    #[test]
    fn a_sound_store_is_opened_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("projection");
        drop(Store::open(&path, 1 << 20).unwrap());
        let (_store, moved) = Store::open_or_set_aside(&path, 1 << 20).unwrap();
        assert_eq!(moved, None);
    }
}
