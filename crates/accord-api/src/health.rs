//! Readiness: whether this process should get traffic, reported on gRPC
//! health (`grpc.health.v1`) per role and on `/readyz`.
//!
//! A process is *alive* while it answers at all (gRPC reflection, HTTP
//! `/healthz`); it is *ready* (`SERVING`) only while
//!
//! - NATS answers (the stream's state can be read),
//! - for the query role: the projector has caught up with the log once
//!   since start (a fresh replica rebuilding from position 1 is not ready
//!   until it has; [`HealthConfig::wait_for_catch_up`]), the data
//!   folder's disk has at least [`HealthConfig::min_free_bytes`] free, and
//!   the projector is not paused by a fault (no space for the projection).
//!
//! Service names: `""` (the whole process), `accord.v1.Accord`, and one per
//! role this process plays: `accord.ingest`, `accord.query`. A role it does
//! not play is unknown (`NOT_FOUND`).

use accord_bus::Bus;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::watch;
use tonic_health::server::HealthReporter;
use tonic_health::ServingStatus;

pub const INGEST_SERVICE: &str = "accord.ingest";
pub const QUERY_SERVICE: &str = "accord.query";
pub const ACCORD_SERVICE: &str = "accord.v1.Accord";

#[derive(Debug, Clone)]
pub struct HealthConfig {
    /// How often readiness is checked.
    pub every: Duration,
    /// Query role: not ready until the projection has caught up with the
    /// log once after start.
    pub wait_for_catch_up: bool,
    /// Query role: not ready while the data folder's disk has less free.
    pub min_free_bytes: u64,
}

impl Default for HealthConfig {
    fn default() -> Self {
        HealthConfig {
            every: Duration::from_secs(1),
            wait_for_catch_up: true,
            min_free_bytes: 64 << 20,
        }
    }
}

/// The current verdict, shared with the HTTP listener and metrics.
#[derive(Clone, Default)]
pub struct Readiness(Arc<Mutex<Option<String>>>);

impl Readiness {
    fn not_ready(reason: &str) -> Readiness {
        Readiness(Arc::new(Mutex::new(Some(reason.to_owned()))))
    }

    pub fn is_ready(&self) -> bool {
        self.why_not().is_none()
    }

    /// Why this process is not ready (`None`: it is).
    pub fn why_not(&self) -> Option<String> {
        self.0.lock().expect("readiness lock").clone()
    }

    fn set(&self, why_not: Option<String>) {
        *self.0.lock().expect("readiness lock") = why_not;
    }
}

/// Checks readiness every `config.every` and reports it.
pub struct Monitor {
    pub bus: Bus,
    pub reporter: HealthReporter,
    pub config: HealthConfig,
    pub ingest: bool,
    /// Query role: the projection's applied position and its data folder.
    pub query: Option<(watch::Receiver<u64>, PathBuf)>,
    /// Query role: why the projector is not applying the log, if it is not.
    pub projector: Option<watch::Receiver<Option<String>>>,
    pub readiness: Readiness,
}

/// Free bytes for an unprivileged writer on the disk holding `path`.
fn free_bytes(path: &std::path::Path) -> std::io::Result<u64> {
    let s = rustix::fs::statvfs(path)?;
    Ok(s.f_bavail.saturating_mul(s.f_frsize))
}

impl Monitor {
    /// A readiness that starts "not ready" until the first check.
    pub fn initial() -> Readiness {
        Readiness::not_ready("starting")
    }

    /// Reports every service NOT_SERVING ("starting") until the first check.
    pub async fn report_starting(&self) {
        let starting = Some("starting".to_owned());
        self.report(starting.clone(), starting).await;
    }

    pub async fn run(self) {
        let mut caught_up = !self.config.wait_for_catch_up;
        let mut last: Option<(Option<String>, Option<String>)> = None;
        loop {
            let log_end =
                tokio::time::timeout(Duration::from_secs(2), self.bus.last_canonical_position())
                    .await;
            let nats = match log_end {
                Ok(Ok(end)) if self.bus.connected() => Ok(end),
                Ok(Ok(_)) => Err("NATS unreachable: client disconnected".to_owned()),
                Ok(Err(e)) => Err(format!("NATS unreachable: {e}")),
                Err(_) => Err("NATS unreachable: no answer within 2 s".to_owned()),
            };
            let ingest = nats.as_ref().err().cloned();
            let query = match (&self.query, &nats) {
                (None, _) => None,
                (Some(_), Err(e)) => Some(e.clone()),
                (Some((position, dir)), Ok(end)) => {
                    let applied = *position.borrow();
                    if !caught_up && applied >= *end {
                        caught_up = true;
                        tracing::info!(position = applied, "projection caught up with the log");
                    }
                    match free_bytes(dir) {
                        _ if !caught_up => Some(format!(
                            "catching up with the log: applied {applied} of {end}"
                        )),
                        Ok(free) if free < self.config.min_free_bytes => Some(format!(
                            "disk nearly full: {free} bytes free under {} (needs {})",
                            dir.display(),
                            self.config.min_free_bytes
                        )),
                        Err(e) => Some(format!("cannot read free space of {}: {e}", dir.display())),
                        Ok(_) => None,
                    }
                }
            };
            let fault = self.projector.as_ref().and_then(|f| f.borrow().clone());
            // The projector's own reason is the one that says what to do.
            let query = match fault {
                Some(fault) if self.query.is_some() => Some(format!("projector paused: {fault}")),
                _ => query,
            };
            let now = (self.ingest.then(|| ingest.clone()).flatten(), query.clone());
            if last.as_ref() != Some(&now) {
                self.report(ingest, query).await;
                last = Some(now);
            }
            tokio::time::sleep(self.config.every).await;
        }
    }

    async fn report(&self, ingest: Option<String>, query: Option<String>) {
        let status = |why: &Option<String>| match why {
            None => ServingStatus::Serving,
            Some(_) => ServingStatus::NotServing,
        };
        let mut overall = None;
        if self.ingest {
            self.reporter
                .set_service_status(INGEST_SERVICE, status(&ingest))
                .await;
            overall = overall.or(ingest);
        }
        if self.query.is_some() {
            self.reporter
                .set_service_status(QUERY_SERVICE, status(&query))
                .await;
            overall = overall.or(query);
        }
        self.reporter.set_service_status("", status(&overall)).await;
        self.reporter
            .set_service_status(ACCORD_SERVICE, status(&overall))
            .await;
        match &overall {
            None => tracing::info!("ready: SERVING"),
            Some(why) => tracing::warn!(%why, "not ready: NOT_SERVING"),
        }
        self.readiness.set(overall);
    }
}
