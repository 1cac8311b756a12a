//! The linker's own state: the text of every readout it has read (so a
//! readout ingested *after* a later one that reports on it can still be
//! linked: backfill) and its checkpoint. A tree of its own, beside the
//! projection generations, because the linker is a consumer of its own with
//! its own position in the log; a rebuild of the projection leaves it alone.

use crate::StoreError;
use accord_domain::event::ReadoutText;
use accord_domain::DocumentId;

const TREE: &str = "linker";
const CHECKPOINT: &[u8] = b"m:checkpoint";
const TEXT: &str = "t:";
/// `td:<YYYY-MM-DD>:<document>`: the texts by meeting date, so backfill
/// reads only the readouts dated after a new one, not every text kept.
const BY_DATE: &str = "td:";

/// Readout texts the linker has seen, and how far it has read.
#[derive(Clone)]
pub struct Readouts {
    tree: sled::Tree,
}

impl Readouts {
    pub(crate) fn open(db: &sled::Db) -> Result<Readouts, StoreError> {
        Ok(Readouts {
            tree: db.open_tree(TREE)?,
        })
    }

    /// The log position of the last readout text fully linked (0: none).
    pub fn checkpoint(&self) -> Result<u64, StoreError> {
        Ok(crate::layout::u64_of(self.tree.get(CHECKPOINT)?))
    }

    /// Keeps `text` and moves the checkpoint to `position`, together: after
    /// a crash the linker resumes at the first readout it had not finished.
    pub fn record(&self, position: u64, text: &ReadoutText) -> Result<(), StoreError> {
        let json = serde_json::to_vec(text).map_err(|e| StoreError::corrupt(TEXT.as_bytes(), e))?;
        let mut batch = sled::Batch::default();
        batch.insert(format!("{TEXT}{}", text.document_id).as_bytes(), json);
        batch.insert(
            format!("{BY_DATE}{}:{}", text.date, text.document_id).as_bytes(),
            &[],
        );
        if position > self.checkpoint()? {
            batch.insert(CHECKPOINT, &position.to_be_bytes());
        }
        self.tree.apply_batch(batch)?;
        self.tree.flush()?;
        Ok(())
    }

    /// Moves the checkpoint past a log entry that holds no readable text.
    pub fn skip(&self, position: u64) -> Result<(), StoreError> {
        if position > self.checkpoint()? {
            self.tree.insert(CHECKPOINT, &position.to_be_bytes())?;
        }
        Ok(())
    }

    pub fn get(&self, id: &DocumentId) -> Result<Option<ReadoutText>, StoreError> {
        let key = format!("{TEXT}{id}");
        self.tree
            .get(key.as_bytes())?
            .map(|v| serde_json::from_slice(&v).map_err(|e| StoreError::corrupt(key.as_bytes(), e)))
            .transpose()
    }

    /// The readout texts kept whose meeting date is after `date`, by date.
    pub fn dated_after(&self, date: time::Date) -> Result<Vec<ReadoutText>, StoreError> {
        let Some(next) = date.next_day() else {
            return Ok(Vec::new());
        };
        let start = format!("{BY_DATE}{next}");
        let mut out = Vec::new();
        for kv in self.tree.range(start.as_bytes()..) {
            let (k, _) = kv?;
            let Some(rest) = k.strip_prefix(BY_DATE.as_bytes()) else {
                break;
            };
            // `<date>:<document>`: the id follows the first colon.
            let id = rest.splitn(2, |b| *b == b':').nth(1).unwrap_or_default();
            let id = std::str::from_utf8(id).map_err(|e| StoreError::corrupt(&k, e))?;
            let id = DocumentId::parse(id).map_err(|e| StoreError::corrupt(&k, e))?;
            out.extend(self.get(&id)?);
        }
        Ok(out)
    }
}
