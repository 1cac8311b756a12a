//! The one role check: a tower layer in front of every gRPC service.
//!
//! Each request's path is looked up in `accord_auth`'s method table; the
//! caller is identified (bearer token, else client certificate, else —
//! only without a tokens file — `local`); the role is checked; the
//! [`Identity`] goes into the request extensions for the handlers (who
//! stamp it as `by` / `assessor`). Health and reflection stay open; a
//! method not in the table is denied. A refused call never reaches a
//! handler, so nothing is appended for it.

use crate::error::ApiError;
use accord_auth::{access_for_path, authorize, Access, AuthError, Identity, TokensFile};
use accord_domain::commitment::Command;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use tonic::transport::server::{TcpConnectInfo, TlsConnectInfo};
use tonic::Status;

/// TLS for the gRPC listener, PEM bytes as read from the files.
#[derive(Clone)]
pub struct TlsFiles {
    pub cert: Vec<u8>,
    pub key: Vec<u8>,
    /// Require client certificates signed by this CA (mTLS).
    pub client_ca: Option<Vec<u8>>,
}

/// How the gRPC listener protects itself.
#[derive(Clone, Default)]
pub struct GrpcSecurity {
    pub tls: Option<TlsFiles>,
    /// Callers and their roles; `None`: every caller is `local` (admin),
    /// allowed on loopback only (or with `insecure`).
    pub tokens: Option<Arc<TokensFile>>,
    /// Listen on a non-loopback address without TLS or tokens anyway.
    pub insecure: bool,
}

impl GrpcSecurity {
    /// Refuse an exposed listener without TLS and authentication, unless
    /// `insecure`; log loudly what is given up.
    pub fn check_exposure(&self, listen: SocketAddr) -> Result<(), String> {
        let mut missing = Vec::new();
        if self.tls.is_none() {
            missing.push("TLS (--tls-cert/--tls-key)");
        }
        if self.tokens.is_none() {
            missing.push("authentication (--tokens)");
        }
        if missing.is_empty() {
            return Ok(());
        }
        let missing = missing.join(" and ");
        if !listen.ip().is_loopback() {
            if !self.insecure {
                return Err(format!(
                    "refusing to serve gRPC on {listen} without {missing}: anyone who can reach it could read and write the record; \
                     give them, listen on 127.0.0.1, or pass --insecure to accept that"
                ));
            }
            tracing::warn!(%listen, "INSECURE: serving gRPC on a non-loopback address without {missing} (--insecure); anyone who can reach it can read and write the record");
        }
        if self.tokens.is_none() {
            tracing::warn!(%listen, "no --tokens file: every gRPC caller is treated as `local` with role admin");
        }
        Ok(())
    }

    /// The tonic TLS configuration, if any.
    pub fn server_tls(&self) -> Option<tonic::transport::ServerTlsConfig> {
        use tonic::transport::{Certificate, Identity as TlsIdentity, ServerTlsConfig};
        let tls = self.tls.as_ref()?;
        let mut config = ServerTlsConfig::new()
            .identity(TlsIdentity::from_pem(&tls.cert, &tls.key))
            .timeout(std::time::Duration::from_secs(10));
        if let Some(ca) = &tls.client_ca {
            config = config.client_ca_root(Certificate::from_pem(ca));
        }
        Some(config)
    }
}

/// Wraps the whole gRPC router: see the module docs.
#[derive(Clone)]
pub struct AuthLayer {
    tokens: Option<Arc<TokensFile>>,
}

impl AuthLayer {
    pub fn new(tokens: Option<Arc<TokensFile>>) -> Self {
        AuthLayer { tokens }
    }

    /// `Ok(None)`: an open path; `Ok(Some(identity))`: allowed.
    fn check<B>(&self, request: &http::Request<B>) -> Result<Option<Identity>, AuthError> {
        let (method, caller) = match access_for_path(request.uri().path()) {
            Access::Open => return Ok(None),
            Access::Needs { method, .. } => (method, self.identify(request)?),
            Access::Unknown => {
                self.identify(request)?;
                return Err(AuthError::UnknownMethod(request.uri().path().to_owned()));
            }
        };
        authorize(&caller, &method)?;
        Ok(Some(caller))
    }

    fn identify<B>(&self, request: &http::Request<B>) -> Result<Identity, AuthError> {
        let Some(tokens) = &self.tokens else {
            return Ok(Identity::local());
        };
        if let Some(header) = request.headers().get(http::header::AUTHORIZATION) {
            return tokens.verify_bearer(header.as_bytes());
        }
        let certs = request
            .extensions()
            .get::<TlsConnectInfo<TcpConnectInfo>>()
            .and_then(|info| info.peer_certs());
        match certs.as_deref().and_then(|c| c.first()) {
            Some(leaf) => tokens.identity_for_certificate(leaf),
            None => Err(AuthError::Missing),
        }
    }
}

impl<S> tower::Layer<S> for AuthLayer {
    type Service = Auth<S>;
    fn layer(&self, inner: S) -> Self::Service {
        Auth {
            inner,
            layer: self.clone(),
        }
    }
}

#[derive(Clone)]
pub struct Auth<S> {
    inner: S,
    layer: AuthLayer,
}

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

impl<S, B, R> tower::Service<http::Request<B>> for Auth<S>
where
    S: tower::Service<http::Request<B>, Response = http::Response<R>>,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
    R: Default + Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = BoxFuture<Result<S::Response, S::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: http::Request<B>) -> Self::Future {
        match self.layer.check(&request) {
            Ok(identity) => {
                if let Some(identity) = identity {
                    request.extensions_mut().insert(identity);
                }
                Box::pin(self.inner.call(request))
            }
            Err(e) => {
                // The message names the caller and role, never a token.
                tracing::warn!(path = request.uri().path(), reason = %e, "gRPC call refused");
                let status = Status::from(ApiError::Auth(e));
                Box::pin(std::future::ready(Ok(status.into_http())))
            }
        }
    }
}

/// The caller the layer let through. Missing means the service runs
/// without [`AuthLayer`]: refused, fail closed.
pub fn caller<T>(request: &tonic::Request<T>) -> Result<Identity, ApiError> {
    request
        .extensions()
        .get::<Identity>()
        .cloned()
        .ok_or(ApiError::Auth(AuthError::Missing))
}

/// Record the caller as the command's actor (`by`, `assessor`): an empty
/// field gets the caller's name; another name is refused.
pub fn stamp_actor(command: &mut Command, caller: &Identity) -> Result<(), ApiError> {
    let (field, actor) = match command {
        Command::AssessStatus { assessor, .. } => ("assessor", assessor),
        Command::Confirm { by, .. }
        | Command::Reject { by, .. }
        | Command::MergeInto { by, .. }
        | Command::AttachEvidence { by, .. }
        | Command::Supersede { by, .. }
        | Command::ResolveProposal { by, .. }
        | Command::ExtendDeadline { by, .. }
        | Command::WaiveDeadline { by, .. }
        | Command::RecordFollowUp { by, .. } => ("by", by),
        // The linker's own proposals; no client request builds one.
        Command::Propose { .. } => return Ok(()),
    };
    *actor = caller.claim(field, actor)?;
    Ok(())
}
