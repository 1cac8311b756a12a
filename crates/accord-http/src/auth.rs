//! Who is calling, by the same rules as the gRPC API (`accord-auth`): a
//! bearer token from the shared tokens file (`Authorization: Bearer …`, or
//! for GETs the board's `accord_token` cookie) → an [`Identity`]; each
//! route names the gRPC method whose role it needs (`authorize`), so a
//! reader may read, and follow-ups and reviews need an analyst.
//!
//! Commands take the token from the header only, so a cookie alone can never
//! change anything (no cross-site request forgery): the board's script
//! copies the cookie into the header.
//!
//! Without a tokens file every caller is `local` (admin), as on the gRPC
//! listener; `accord up` allows that on loopback only.

use crate::error::HttpError;
use crate::Http;
use accord_api::ApiError;
use accord_auth::{AuthError, Identity, TokensFile};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, Method};
use std::sync::Arc;

/// The tokens file the gRPC listener uses; `None`: everyone is `local`.
#[derive(Clone, Default)]
pub struct Tokens(pub Option<Arc<TokensFile>>);

impl Tokens {
    pub fn open() -> Tokens {
        Tokens(None)
    }

    pub fn is_open(&self) -> bool {
        self.0.is_none()
    }

    /// The identity an `Authorization` value (`Bearer TOKEN`) names.
    pub fn verify(&self, authorization: Option<&str>) -> Result<Identity, HttpError> {
        let Some(file) = &self.0 else {
            return Ok(Identity::local());
        };
        let header = authorization.ok_or(ApiError::Auth(AuthError::Missing))?;
        Ok(file.verify_bearer(header).map_err(ApiError::Auth)?)
    }
}

/// The caller of a request, verified.
#[derive(Debug, Clone)]
pub struct Caller(pub Identity);

impl Caller {
    /// Refuses callers who may not call gRPC `method` (same table, same message).
    pub fn may(&self, method: &str) -> Result<&Identity, HttpError> {
        accord_auth::authorize(&self.0, method).map_err(ApiError::Auth)?;
        Ok(&self.0)
    }

    /// `request` carrying this caller, as the gRPC auth layer hands it on.
    pub fn request<T>(&self, message: T) -> tonic::Request<T> {
        let mut request = tonic::Request::new(message);
        request.extensions_mut().insert(self.0.clone());
        request
    }
}

/// The `Authorization` value of a request: the header, or for reads the cookie.
pub fn authorization(parts: &Parts) -> Option<String> {
    let header = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    if header.is_some() || !matches!(parts.method, Method::GET | Method::HEAD) {
        return header;
    }
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|kv| kv.trim().strip_prefix("accord_token="))
        .filter(|t| !t.is_empty())
        .map(|t| format!("Bearer {t}"))
}

impl FromRequestParts<Http> for Caller {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, http: &Http) -> Result<Caller, HttpError> {
        let caller = Caller(http.tokens.verify(authorization(parts).as_deref())?);
        // Every route reads; commands check their own method on top.
        caller.may("GetCommitment")?;
        Ok(caller)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use accord_auth::{hash_token, Entry, Role};

    fn tokens() -> Tokens {
        let line = |name: &str, role, token: &str| {
            Entry {
                name: name.into(),
                role,
                credential: hash_token(token),
            }
            .to_string()
        };
        let text = format!(
            "{}\n{}\n",
            line("rita", Role::Reader, "r-token"),
            line("ann", Role::Analyst, "a-token")
        );
        Tokens(Some(Arc::new(TokensFile::parse(&text, "test").unwrap())))
    }

    #[test]
    fn bearer_tokens_name_callers_and_roles_gate_commands() {
        let t = tokens();
        let reader = Caller(t.verify(Some("Bearer r-token")).unwrap());
        assert!(reader.may("ListCommitments").is_ok());
        let refused = reader.may("ReviewCommitment").unwrap_err();
        assert_eq!(
            (refused.status.as_u16(), refused.body.code.as_str()),
            (403, "permission_denied")
        );
        assert!(
            refused.body.message.contains("needs role analyst"),
            "{}",
            refused.body.message
        );
        let analyst = Caller(t.verify(Some("Bearer a-token")).unwrap());
        assert_eq!(analyst.may("ReviewCommitment").unwrap().name, "ann");
    }

    #[test]
    fn missing_or_unknown_tokens_are_unauthenticated() {
        for header in [None, Some("Bearer nope"), Some("Basic x")] {
            let e = tokens().verify(header).unwrap_err();
            assert_eq!(
                (e.status.as_u16(), e.body.code.as_str()),
                (401, "unauthenticated"),
                "{header:?}"
            );
        }
    }

    #[test]
    fn without_a_tokens_file_every_caller_is_local() {
        assert_eq!(Tokens::open().verify(None).unwrap(), Identity::local());
    }
}
