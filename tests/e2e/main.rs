//! End-to-end tests: the real service against real `nats-server` processes
//! (one per test, on a free port, storage removed afterwards).

mod alerts;
mod cli;
mod contract;
mod drift;
mod faults;
mod followup;
mod harness;
mod linking;
mod pipeline;
mod requests;
mod subscribers;
