//! End-to-end tests: the real service against real `nats-server` processes
//! (one per test, on a free port, storage removed afterwards).

mod alertmanager;
mod alerts;
mod board;
mod cli;
mod command_groups;
mod contract;
mod deploy;
mod dlq_skip;
mod drift;
mod faults;
mod feed_copies;
mod feeds;
mod followup;
mod generated;
mod hardening;
mod harness;
mod health;
mod http;
mod linking;
mod log_security;
mod nats_auth;
mod nats_security;
mod operate;
mod otlp;
mod pdf;
mod pipeline;
mod python_client;
mod requests;
mod security;
mod storage;
mod subscribers;
