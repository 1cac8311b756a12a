//! The alerter: raises due-soon and overdue alerts and resolves them, as
//! events in the log. Run one in every query replica if you like: each scan
//! appends under the commitment's version, so when replicas race, one wins
//! and the others find the alert already raised. Nothing fires on replay or
//! rebuild, because whether an alert was raised is part of the state.

use crate::commands::Commands;
use crate::error::ApiError;
use accord_domain::alerts::{self, AlertPolicy};
use accord_domain::event::AlertChange;
use std::time::Duration;

#[derive(Clone)]
pub struct Alerter {
    pub commands: Commands,
    pub policy: AlertPolicy,
}

/// What one scan did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Scan {
    pub raised: usize,
    pub resolved: usize,
    /// Appends another replica won (its alerts stand; nothing is lost).
    pub lost_races: usize,
}

impl Alerter {
    /// Looks at every commitment whose window ends within the longest lead
    /// time, or that has open alerts, as of the clock's "today".
    pub async fn scan_once(&self) -> Result<Scan, ApiError> {
        let today = (self.commands.clock)().date();
        let lead = self.policy.lead_days.iter().copied().max().unwrap_or(0);
        let horizon = today + time::Duration::days(i64::from(lead));
        let mut scan = Scan::default();
        for id in self.commands.query.store.alert_candidates(horizon)? {
            let Some(state) = self.commands.query.store.commitment(&id)? else {
                continue;
            };
            // One command id per (day, version): replicas deciding on the same
            // state share it, so a loser of the race gets the winner's result.
            let command_id = format!("alerts:{today}:{}", state.version);
            // Alerts follow every commitment to its end, rejected ones included.
            let decide = |s: &_| Ok(alerts::decide(s, today, &self.policy));
            match self
                .commands
                .execute_with(&id, state.version, &command_id, decide)
                .await
            {
                Ok(outcome) if outcome.replayed => scan.lost_races += 1,
                Ok(outcome) => {
                    let history = self.commands.query.store.history(&id)?;
                    for (_, envelope) in history
                        .iter()
                        .filter(|(p, _)| outcome.positions.contains(p))
                    {
                        match envelope.event.alert() {
                            Some((AlertChange::Resolved, _)) => scan.resolved += 1,
                            Some(_) => scan.raised += 1,
                            None => {}
                        }
                    }
                }
                Err(ApiError::Conflict { .. }) => scan.lost_races += 1,
                Err(e) => {
                    tracing::warn!(commitment = %id, error = %e, "alert scan failed for this commitment; next scan retries")
                }
            }
        }
        metrics::counter!(crate::telemetry::ALERTS_RAISED).increment(scan.raised as u64);
        metrics::counter!(crate::telemetry::ALERTS_RESOLVED).increment(scan.resolved as u64);
        if scan != Scan::default() {
            tracing::info!(raised = scan.raised, resolved = scan.resolved, lost_races = scan.lost_races, %today, "alert scan");
        }
        Ok(scan)
    }

    /// Scans every `tick` until the task is dropped.
    pub async fn run(self, tick: Duration) {
        let mut interval = tokio::time::interval(tick);
        loop {
            interval.tick().await;
            if let Err(e) = self.scan_once().await {
                tracing::warn!(error = %e, "alert scan failed; retrying at the next tick");
            }
        }
    }
}
