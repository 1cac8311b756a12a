//! Errors as JSON: `{"code": "...", "message": "..."}` with the gRPC code's
//! name and the very message the gRPC API gives (accord-api's one mapping,
//! `ApiError` → `Status`, is reused; this file only picks the HTTP status).

use accord_api::ApiError;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use tonic::Code;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// The gRPC code in snake case: invalid_argument, not_found, aborted,
    /// unauthenticated, permission_denied, ...
    pub code: String,
    /// A human message naming the field or the record at fault.
    pub message: String,
}

#[derive(Debug, Clone)]
pub struct HttpError {
    pub status: StatusCode,
    pub body: ErrorBody,
}

impl HttpError {
    pub fn new(code: Code, message: impl Into<String>) -> HttpError {
        HttpError {
            status: http_status(code),
            body: ErrorBody {
                code: code_name(code),
                message: message.into(),
            },
        }
    }

    pub fn invalid(field: &'static str, reason: impl Into<String>) -> HttpError {
        ApiError::InvalidArgument {
            field,
            reason: reason.into(),
        }
        .into()
    }
}

impl std::fmt::Display for HttpError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.body.code, self.body.message)
    }
}

impl From<tonic::Status> for HttpError {
    fn from(s: tonic::Status) -> HttpError {
        HttpError::new(s.code(), s.message())
    }
}

impl From<ApiError> for HttpError {
    fn from(e: ApiError) -> HttpError {
        tonic::Status::from(e).into()
    }
}

impl From<accord_store::StoreError> for HttpError {
    fn from(e: accord_store::StoreError) -> HttpError {
        ApiError::from(e).into()
    }
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body)).into_response()
    }
}

/// The usual HTTP status for each gRPC code (as grpc-gateway maps them).
pub fn http_status(code: Code) -> StatusCode {
    match code {
        Code::Ok => StatusCode::OK,
        Code::InvalidArgument | Code::OutOfRange => StatusCode::BAD_REQUEST,
        Code::FailedPrecondition => StatusCode::UNPROCESSABLE_ENTITY,
        Code::NotFound => StatusCode::NOT_FOUND,
        Code::AlreadyExists | Code::Aborted => StatusCode::CONFLICT,
        Code::Unauthenticated => StatusCode::UNAUTHORIZED,
        Code::PermissionDenied => StatusCode::FORBIDDEN,
        Code::ResourceExhausted => StatusCode::TOO_MANY_REQUESTS,
        Code::Unimplemented => StatusCode::NOT_IMPLEMENTED,
        Code::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        Code::DeadlineExceeded => StatusCode::GATEWAY_TIMEOUT,
        Code::Cancelled => StatusCode::REQUEST_TIMEOUT,
        Code::Unknown | Code::Internal | Code::DataLoss => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// `InvalidArgument` → `invalid_argument`.
fn code_name(code: Code) -> String {
    let name = format!("{code:?}");
    let mut out = String::new();
    for (i, ch) in name.chars().enumerate() {
        if ch.is_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(ch.to_ascii_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_keep_their_grpc_meaning() {
        let check = |code: Code, status: u16, name: &str| {
            let e = HttpError::new(code, "m");
            assert_eq!((e.status.as_u16(), e.body.code.as_str()), (status, name));
        };
        check(Code::InvalidArgument, 400, "invalid_argument");
        check(Code::NotFound, 404, "not_found");
        check(Code::Aborted, 409, "aborted");
        check(Code::FailedPrecondition, 422, "failed_precondition");
        check(Code::Unauthenticated, 401, "unauthenticated");
        check(Code::PermissionDenied, 403, "permission_denied");
        check(Code::DeadlineExceeded, 504, "deadline_exceeded");
    }

    #[test]
    fn api_errors_keep_the_grpc_message() {
        let e = HttpError::from(ApiError::NotFound {
            what: "commitment",
            id: "c-1".into(),
        });
        assert_eq!(e.status, StatusCode::NOT_FOUND);
        assert_eq!(e.body.message, "commitment c-1 not found");
    }
}
