//! Accord's gRPC API (`accord.v1`) and the wiring that runs it.

pub mod alerter;
pub mod app;
pub mod appender;
pub mod commands;
pub mod convert;
pub mod error;
pub mod service;
pub mod watch;

pub use app::{App, AppConfig, AppError, Roles};
pub use error::ApiError;
pub use service::{AccordService, Clock, MAX_READOUT_BYTES};
