//! The query role's handle on its projection: the store, the position the
//! projector has applied, and the bounded wait for `min_position`.

use crate::error::ApiError;
use accord_bus::Bus;
use accord_store::Store;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::watch;

/// A projection this process keeps up to date.
#[derive(Clone)]
pub struct Query {
    pub bus: Bus,
    pub store: Arc<Store>,
    pub position: watch::Receiver<u64>,
    /// How long a query waits for `min_position`.
    pub max_wait: Duration,
    /// How this replica reads log bytes (for dead-letter replays and rebuilds).
    pub decoder: accord_projector::Decoder,
}

impl Query {
    /// Waits, bounded, until the projection has applied `min_position`;
    /// returns the position it answers at.
    pub async fn at(&self, min_position: Option<u64>) -> Result<u64, ApiError> {
        let now = *self.position.borrow();
        let Some(wanted) = min_position.filter(|&w| w > now) else {
            return Ok(now);
        };
        // Entries the projector does not read (the party-feed copies that end
        // most batches) need no waiting for: the projection holds everything
        // up to `wanted` once it holds the last canonical event before it.
        match self.bus.canonical_at_or_before(wanted, now).await? {
            Some(canonical) => self.wait_for(canonical).await,
            None => Err(ApiError::BeyondLog {
                wanted,
                last: self.bus.last_position().await?,
            }),
        }
    }

    /// Waits, bounded, until the projection has applied `position`: the
    /// last canonical event this process has just appended. It is in the
    /// log and the projector reads it, so the bounds [`Query::at`] asks the
    /// server for (two stream lookups, one a wildcard search costing
    /// nats-server more than the append itself) are known already.
    pub async fn applied(&self, position: u64) -> Result<u64, ApiError> {
        self.wait_for(position).await
    }

    async fn wait_for(&self, wanted: u64) -> Result<u64, ApiError> {
        if wanted <= *self.position.borrow() {
            return Ok(*self.position.borrow());
        }
        let started = Instant::now();
        let mut rx = self.position.clone();
        let reached = tokio::time::timeout(self.max_wait, rx.wait_for(|&p| p >= wanted)).await;
        match reached {
            Ok(Ok(p)) => Ok(*p),
            _ => Err(ApiError::NotCaughtUp {
                wanted,
                at: *self.position.borrow(),
                waited_ms: started.elapsed().as_millis(),
            }),
        }
    }
}
