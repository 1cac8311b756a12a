//! Accord's gRPC API (`accord.v1`) and the wiring that runs it.

pub mod app;
pub mod commands;
pub mod convert;
pub mod error;
pub mod service;

pub use app::{App, AppConfig, AppError, Roles};
pub use error::ApiError;
pub use service::{AccordService, Clock, MAX_READOUT_BYTES};
