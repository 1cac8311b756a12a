//! Issue #6, faults: Accord's promise — the tracker is exactly what the log
//! says, whatever fails — checked against real process deaths.
//!
//! - [`projector_crash`]: the projector process SIGKILLed ≥ 10 times at
//!   seeded-random moments while 20,000 commitments are appended;
//! - [`broker_restart`]: `nats-server` SIGKILLed and restarted (same storage)
//!   during ingest;
//! - [`cluster`]: the stream leader of a three-node R3 cluster killed during
//!   ingest, two query replicas compared.
//!
//! Each ends with the same audit ([`support::audit`]): read the whole log,
//! count every event per id, and rebuild a projection from scratch; the
//! survivor's digest and applied-event count must equal the rebuild's.
//! Seeds are printed; `ACCORD_FAULT_SEED=<n>` replays a schedule.

mod broker_restart;
mod cluster;
mod projector_crash;
pub(crate) mod support;
