//! Projection generations: opening the store on its current generation,
//! starting a fresh one beside it for a rebuild, and swapping the fresh one
//! in whole. Kept apart from reads and writes because it is the only code
//! that changes *which* tree they go to.

use crate::layout::{u64_of, CURRENT, K_SCHEMA, META_TREE, SCHEMA_VERSION};
use crate::{Store, StoreError, View};
use std::collections::HashMap;
use std::path::Path;
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

impl View {
    pub(crate) fn new(tree: sled::Tree) -> Result<View, StoreError> {
        let view = View {
            tree,
            parked: Default::default(),
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
                let first = generation_name(1);
                meta.insert(CURRENT, first.as_str())?;
                first.as_str().into()
            }
        };
        drop_stale_generations(&db, &current)?;
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
