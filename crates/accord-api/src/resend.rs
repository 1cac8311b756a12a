//! Re-sends every open alert to the alert sink's receiver, so Alertmanager
//! keeps it active (it resolves alerts nobody re-sent within its
//! `resolve_timeout`). The open alerts come from this replica's projection
//! (`ia:` index); bodies are byte-for-byte the first send's (same labels,
//! same `startsAt`), so several replicas re-sending merge into one alert.

use accord_alertmanager::{Poster, SinkError};
use accord_bus::{subjects, Bus, BusError};
use accord_store::{Store, StoreError};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// Why a re-send round failed (the next round retries).
#[derive(Debug, thiserror::Error)]
pub enum ResendError {
    #[error(transparent)]
    Bus(#[from] BusError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Sink(#[from] SinkError),
}

#[derive(Clone)]
pub struct Resender {
    pub bus: Bus,
    pub store: Arc<Store>,
    /// The projection's applied position.
    pub position: watch::Receiver<u64>,
    pub poster: Poster,
}

impl Resender {
    /// One round: posts every open alert, unless the projection has not yet
    /// applied every alert event in the log (a stale replica must not
    /// re-open an alert another one has just resolved). Returns how many
    /// were sent (`None`: skipped, the projection is behind).
    pub async fn resend_once(&self) -> Result<Option<usize>, ResendError> {
        let mut last_alert = 0;
        for filter in subjects::ALERTS {
            last_alert = last_alert.max(self.bus.last_on_subject(filter).await?.unwrap_or(0));
        }
        let applied = *self.position.borrow();
        if applied < last_alert {
            tracing::debug!(
                applied,
                last_alert,
                "projection behind the alert events; re-send skipped"
            );
            return Ok(None);
        }
        let open = self.store.open_alerts()?;
        if open.is_empty() {
            return Ok(Some(0));
        }
        Ok(Some(self.poster.resend(&open).await?))
    }

    /// Re-sends every `every` until the task is dropped.
    pub async fn run(self, every: Duration) {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match self.resend_once().await {
                Ok(Some(n)) if n > 0 => tracing::debug!(alerts = n, "open alerts re-sent"),
                Ok(_) => {}
                Err(e) => {
                    tracing::warn!(error = %e, "re-sending open alerts failed; next round retries")
                }
            }
        }
    }
}
