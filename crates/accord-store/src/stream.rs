//! Which stream the checkpoint counts in. A log position means nothing in
//! another stream: a stream deleted and created again starts over at 1, and
//! a projection that kept its checkpoint would silently skip whatever the
//! new stream holds below it. The projection therefore remembers the
//! stream's identity (its creation time), written together with the
//! checkpoint, and the projector compares it before it follows the log.

use crate::layout::{K_POSITION, K_STREAM};
use crate::{Store, StoreError, View};

impl View {
    /// The identity of the stream this projection follows, if it was bound.
    pub fn stream_identity(&self) -> Result<Option<String>, StoreError> {
        Ok(self
            .tree
            .get(K_STREAM)?
            .map(|v| String::from_utf8_lossy(&v).into_owned()))
    }

    /// Binds the projection to a stream: `Ok(None)` when it already was (or
    /// now is) bound to `identity`, `Ok(Some(old))` when it is bound to
    /// another one. A projection bound to nothing (new, or written before
    /// streams were remembered) is bound now, in one batch with its
    /// checkpoint.
    pub fn bind_stream(&self, identity: &str) -> Result<Option<String>, StoreError> {
        match self.stream_identity()? {
            Some(old) if old == identity => Ok(None),
            Some(old) => Ok(Some(old)),
            None => {
                let mut batch = sled::Batch::default();
                batch.insert(K_STREAM, identity.as_bytes());
                batch.insert(K_POSITION, &self.position()?.to_be_bytes());
                self.tree.apply_batch(batch)?;
                self.tree.flush()?;
                Ok(None)
            }
        }
    }
}

impl Store {
    /// See [`View::bind_stream`]; under the writer lock.
    pub fn bind_stream(&self, identity: &str) -> Result<Option<String>, StoreError> {
        let _writer = self.write.lock().expect("writer lock");
        self.view().bind_stream(identity)
    }

    pub fn stream_identity(&self) -> Result<Option<String>, StoreError> {
        self.view().stream_identity()
    }
}

#[cfg(test)]
mod tests {
    use crate::Store;

    #[test]
    fn a_projection_binds_once_and_reports_another_stream() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), 1 << 20).unwrap();
        assert_eq!(store.stream_identity().unwrap(), None);
        assert_eq!(store.bind_stream("created 1").unwrap(), None);
        assert_eq!(store.bind_stream("created 1").unwrap(), None);
        assert_eq!(
            store.bind_stream("created 2").unwrap(),
            Some("created 1".into())
        );
        drop(store);
        let reopened = Store::open(dir.path(), 1 << 20).unwrap();
        assert_eq!(
            reopened.stream_identity().unwrap(),
            Some("created 1".into())
        );
    }
}
