//! End-to-end tests: the real service against real `nats-server` processes
//! (one per test, on a free port, storage removed afterwards).

mod alertmanager;
mod alerts;
mod cli;
mod contract;
mod deploy;
mod drift;
mod faults;
mod followup;
mod harness;
mod health;
mod linking;
mod log_security;
mod operate;
mod otlp;
mod pipeline;
mod requests;
mod subscribers;
