//! Accord's gRPC API (`accord.v1`) and the wiring that runs it.

pub mod alerter;
pub mod app;
pub mod appender;
pub mod auth;
pub mod catch_panic;
pub mod clock;
pub mod command_appender;
pub mod commands;
pub mod convert;
pub mod error;
pub mod feed;
pub mod health;
pub mod ingest;
pub mod limits;
pub mod linker;
pub mod query;
pub mod resend;
pub mod service;
pub mod shed;
pub mod skip;
pub mod telemetry;
pub mod validate;
pub mod watch;

pub use app::{App, AppConfig, AppError, Roles, ServerLimits};
pub use clock::{system_clock, Clock};
pub use error::ApiError;
pub use service::AccordService;
pub use validate::MAX_READOUT_BYTES;
