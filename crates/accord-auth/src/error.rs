//! Errors: why a caller is refused, why a tokens file is unusable.

use crate::role::Role;

/// Whether a refusal means "we don't know who you are" or "you may not".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthErrorKind {
    /// gRPC `UNAUTHENTICATED`, HTTP 401.
    Unauthenticated,
    /// gRPC `PERMISSION_DENIED`, HTTP 403.
    PermissionDenied,
}

/// Why a call is refused. Messages never contain a token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    #[error("no credentials: send `authorization: Bearer <token>` or a client certificate")]
    Missing,
    #[error("malformed authorization header: {0}")]
    Malformed(String),
    #[error("unknown bearer token (not in the tokens file)")]
    UnknownToken,
    #[error("client certificate ({names}) is not in the tokens file")]
    UnknownCertificate { names: String },
    #[error("unreadable client certificate: {0}")]
    BadCertificate(String),
    #[error("method {0} is not in the role table; denied")]
    UnknownMethod(String),
    #[error("{method} needs role {needed}; caller {caller} has {has}")]
    Denied {
        method: String,
        needed: Role,
        caller: String,
        has: Role,
    },
    #[error(
        "a request cannot claim someone else: {field} is {claimed:?} but the caller is {caller}"
    )]
    ClaimsSomeoneElse {
        field: String,
        claimed: String,
        caller: String,
    },
}

impl AuthError {
    pub fn kind(&self) -> AuthErrorKind {
        match self {
            AuthError::Missing
            | AuthError::Malformed(_)
            | AuthError::UnknownToken
            | AuthError::UnknownCertificate { .. }
            | AuthError::BadCertificate(_) => AuthErrorKind::Unauthenticated,
            AuthError::UnknownMethod(_)
            | AuthError::Denied { .. }
            | AuthError::ClaimsSomeoneElse { .. } => AuthErrorKind::PermissionDenied,
        }
    }
}

/// A tokens file that cannot be used, naming the file and the line.
#[derive(Debug, thiserror::Error)]
pub enum TokensFileError {
    #[error("{origin}:{line}: {message}")]
    Line {
        origin: String,
        line: usize,
        message: String,
    },
    #[error("{origin}: {source}")]
    Io {
        origin: String,
        #[source]
        source: std::io::Error,
    },
}
