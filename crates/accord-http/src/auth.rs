//! Who is calling: a bearer token (`Authorization: Bearer …`, or for GETs
//! the board's `accord_token` cookie) → an [`Identity`] with a [`Role`].
//!
//! Readers may read; follow-ups and reviews need an analyst (or admin).
//! Commands take the token from the header only, so a cookie alone can never
//! change anything (no cross-site request forgery): the board's script
//! copies the cookie into the header.
//!
//! Without a tokens file the API is open: every caller is the analyst
//! `anonymous` (loopback development, like the gRPC API without auth).

use crate::error::HttpError;
use crate::Http;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, Method};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use tonic::Code;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Reader,
    Ingester,
    Analyst,
    Admin,
}

impl Role {
    pub fn parse(raw: &str) -> Option<Role> {
        Some(match raw {
            "reader" => Role::Reader,
            "ingester" => Role::Ingester,
            "analyst" => Role::Analyst,
            "admin" => Role::Admin,
            _ => return None,
        })
    }

    /// May record follow-ups and review commitments.
    pub fn analyses(self) -> bool {
        matches!(self, Role::Analyst | Role::Admin)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Identity {
    pub name: String,
    pub role: Role,
}

/// Bearer tokens and whom they name; empty: the API is open.
#[derive(Clone, Default)]
pub struct Tokens(Option<Arc<HashMap<String, Identity>>>);

#[derive(Debug, thiserror::Error)]
pub enum TokensError {
    #[error("cannot read tokens file {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("tokens file line {line}: {reason}")]
    Line { line: usize, reason: String },
}

impl Tokens {
    /// No tokens: every caller is the analyst `anonymous`.
    pub fn open() -> Tokens {
        Tokens(None)
    }

    /// One token per line: `TOKEN ROLE NAME` (role: reader, ingester,
    /// analyst, admin); `#` starts a comment.
    pub fn parse(text: &str) -> Result<Tokens, TokensError> {
        let mut map = HashMap::new();
        for (i, raw) in text.lines().enumerate() {
            let line = raw.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let bad = |reason: &str| TokensError::Line {
                line: i + 1,
                reason: reason.into(),
            };
            let mut parts = line.split_whitespace();
            let (Some(token), Some(role), Some(name)) = (parts.next(), parts.next(), parts.next())
            else {
                return Err(bad("expected TOKEN ROLE NAME"));
            };
            let role = Role::parse(role)
                .ok_or_else(|| bad("role must be reader, ingester, analyst or admin"))?;
            let identity = Identity {
                name: name.to_owned(),
                role,
            };
            if map.insert(token.to_owned(), identity).is_some() {
                return Err(bad("this token is listed twice"));
            }
        }
        Ok(Tokens(Some(Arc::new(map))))
    }

    pub fn load(path: &Path) -> Result<Tokens, TokensError> {
        let text = std::fs::read_to_string(path).map_err(|source| TokensError::Read {
            path: path.display().to_string(),
            source,
        })?;
        Tokens::parse(&text)
    }

    pub fn is_open(&self) -> bool {
        self.0.is_none()
    }

    /// The identity a bearer token names.
    pub fn verify(&self, bearer: Option<&str>) -> Result<Identity, HttpError> {
        let Some(map) = &self.0 else {
            return Ok(Identity {
                name: "anonymous".into(),
                role: Role::Analyst,
            });
        };
        let token = bearer.ok_or_else(|| {
            HttpError::new(
                Code::Unauthenticated,
                "authorization: a bearer token is required (Authorization: Bearer TOKEN)",
            )
        })?;
        map.get(token).cloned().ok_or_else(|| {
            HttpError::new(Code::Unauthenticated, "authorization: unknown bearer token")
        })
    }
}

/// The caller of a request, verified.
#[derive(Debug, Clone)]
pub struct Caller(pub Identity);

impl Caller {
    /// Refuses callers who may not record follow-ups or reviews.
    pub fn analyst(&self) -> Result<&Identity, HttpError> {
        if self.0.role.analyses() {
            Ok(&self.0)
        } else {
            Err(HttpError::new(
                Code::PermissionDenied,
                format!(
                    "{} is a {:?}; follow-ups and reviews need the analyst role",
                    self.0.name, self.0.role
                )
                .to_lowercase(),
            ))
        }
    }
}

/// The bearer token of a request: the header, or for reads the cookie.
pub fn bearer(parts: &Parts) -> Option<String> {
    let header = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_owned());
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
        .map(str::to_owned)
}

impl FromRequestParts<Http> for Caller {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, http: &Http) -> Result<Caller, HttpError> {
        http.tokens.verify(bearer(parts).as_deref()).map(Caller)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_name_identities_and_roles() {
        let tokens = Tokens::parse("# who\nr1 reader alice\na1 analyst bob # lead\n").unwrap();
        assert_eq!(tokens.verify(Some("r1")).unwrap().role, Role::Reader);
        assert_eq!(tokens.verify(Some("a1")).unwrap().name, "bob");
        assert_eq!(
            tokens.verify(Some("x")).unwrap_err().body.code,
            "unauthenticated"
        );
        assert_eq!(tokens.verify(None).unwrap_err().status.as_u16(), 401);
        let reader = Caller(tokens.verify(Some("r1")).unwrap());
        assert_eq!(reader.analyst().unwrap_err().status.as_u16(), 403);
    }

    #[test]
    fn bad_lines_are_named() {
        let check = |text: &str, want: &str| {
            let e = Tokens::parse(text).err().expect("refused").to_string();
            assert!(e.contains(want), "{e}");
        };
        check("t1 reader\n", "line 1: expected TOKEN ROLE NAME");
        check("\nt1 boss carol\n", "line 2: role must be");
        check("t1 reader a\nt1 analyst b\n", "line 2: this token is listed twice");
    }

    #[test]
    fn an_open_api_makes_everyone_an_analyst() {
        assert!(Tokens::open().verify(None).unwrap().role.analyses());
    }
}
