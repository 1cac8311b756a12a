//! Accord over HTTP for analysts and integrators: a JSON API under
//! `/api/v1` (OpenAPI document at `/api/v1/openapi.json`, a Server-Sent
//! Events stream of changes), the follow-up board (server-rendered HTML at
//! `/`) and CSV/JSON Lines exports.
//!
//! Every handler goes through accord-api: queries read the same projection,
//! commands run through the same gRPC handlers (validation, optimistic
//! concurrency, command ids), and errors keep the gRPC codes and messages.

pub mod api;
pub mod auth;
pub mod board;
pub mod error;
pub mod events;
pub mod export;
pub mod view;

use accord_api::{AccordService, Clock};
use axum::Router;
use std::net::SocketAddr;
use tokio::net::TcpListener;

pub use accord_auth::{Identity, Role};
pub use auth::Tokens;
pub use error::HttpError;

/// What every handler shares.
#[derive(Clone)]
pub struct Http {
    pub service: AccordService,
    pub tokens: Tokens,
    /// "Today" for the board's due-soon and overdue lists.
    pub clock: Clock,
}

/// The API, the board and its static files.
pub fn router(http: Http) -> Router {
    api::routes().merge(board::routes()).with_state(http)
}

/// Serves [`router`] on `listener` until the task is dropped.
pub async fn serve(listener: TcpListener, http: Http) -> std::io::Result<()> {
    axum::serve(listener, router(http)).await
}

/// Binds `addr`; the bound address (for port 0) and the listener.
pub async fn bind(addr: SocketAddr) -> std::io::Result<(SocketAddr, TcpListener)> {
    let listener = TcpListener::bind(addr).await?;
    Ok((listener.local_addr()?, listener))
}
