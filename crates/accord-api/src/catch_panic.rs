//! A handler that panics answers `INTERNAL` with an error id that is also
//! logged, instead of dropping the client's connection; the process keeps
//! serving. (Validation means no request should panic; this is the net
//! under it.) Streamed answers are produced by their own tasks: a panic
//! there ends that stream only.

use futures::FutureExt;
use std::any::Any;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};

#[derive(Clone, Copy, Default)]
pub struct CatchPanicLayer;

impl<S> tower::Layer<S> for CatchPanicLayer {
    type Service = CatchPanic<S>;
    fn layer(&self, inner: S) -> Self::Service {
        CatchPanic { inner }
    }
}

#[derive(Clone)]
pub struct CatchPanic<S> {
    inner: S,
}

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

/// The text a panic carried, if it was a string.
fn panic_message(payload: &(dyn Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)")
}

/// An id to quote to operators: the request id when there is one.
fn error_id() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    match crate::telemetry::request_id() {
        Some(request) => format!("panic-{request}"),
        None => format!("panic-{}", NEXT.fetch_add(1, Ordering::Relaxed)),
    }
}

/// The answer to a panic: logged with its id, `INTERNAL` to the client.
fn internal<R: Default>(method: &str, payload: &(dyn Any + Send)) -> http::Response<R> {
    let id = error_id();
    tracing::error!(error_id = %id, %method, panic = panic_message(payload), "a request handler panicked");
    metrics::counter!(crate::telemetry::PANICS).increment(1);
    tonic::Status::internal(format!(
        "internal error {id}: the server failed on this request and logged it; it keeps serving"
    ))
    .into_http()
}

impl<S, B, R> tower::Service<http::Request<B>> for CatchPanic<S>
where
    S: tower::Service<http::Request<B>, Response = http::Response<R>>,
    S::Future: Send + 'static,
    R: Default + Send + 'static,
{
    type Response = http::Response<R>;
    type Error = S::Error;
    type Future = BoxFuture<Result<http::Response<R>, S::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        let method = request.uri().path().to_owned();
        match std::panic::catch_unwind(AssertUnwindSafe(|| self.inner.call(request))) {
            Ok(future) => Box::pin(async move {
                match AssertUnwindSafe(future).catch_unwind().await {
                    Ok(answer) => answer,
                    Err(payload) => Ok(internal(&method, &*payload)),
                }
            }),
            Err(payload) => {
                let answer = internal(&method, &*payload);
                Box::pin(async move { Ok(answer) })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower::{Layer, Service, ServiceExt};

    type Answer = Result<http::Response<String>, std::convert::Infallible>;

    fn grpc_status(r: &http::Response<String>) -> Option<tonic::Code> {
        r.headers()
            .get("grpc-status")
            .map(|v| tonic::Code::from_bytes(v.as_bytes()))
    }

    async fn answer(path: &'static str) -> http::Response<String> {
        let handler = tower::service_fn(|r: http::Request<()>| async move {
            match r.uri().path() {
                "/panics" => panic!("a bug in a handler"),
                "/panics/formatted" => panic!("a bug with {}", "details"),
                _ => Answer::Ok(http::Response::new("fine".to_owned())),
            }
        });
        let mut service = CatchPanicLayer.layer(handler);
        let request = http::Request::builder().uri(path).body(()).unwrap();
        service.ready().await.unwrap().call(request).await.unwrap()
    }

    #[tokio::test]
    async fn a_panicking_handler_answers_internal_with_an_error_id() {
        for path in ["/panics", "/panics/formatted"] {
            let r = answer(path).await;
            assert_eq!(grpc_status(&r), Some(tonic::Code::Internal), "{path}");
            let message = r.headers()["grpc-message"].to_str().unwrap().to_owned();
            assert!(message.contains("panic-"), "{message}");
        }
        // A handler that does not panic is untouched.
        let fine = answer("/ok").await;
        assert_eq!(grpc_status(&fine), None);
        assert_eq!(fine.body(), "fine");
    }

    #[tokio::test]
    async fn a_panic_before_the_future_is_made_is_caught_too() {
        struct Eager;
        impl Service<http::Request<()>> for Eager {
            type Response = http::Response<String>;
            type Error = std::convert::Infallible;
            type Future = std::future::Ready<Answer>;
            fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
                Poll::Ready(Ok(()))
            }
            fn call(&mut self, _: http::Request<()>) -> Self::Future {
                panic!("eager")
            }
        }
        let r = CatchPanicLayer
            .layer(Eager)
            .call(http::Request::new(()))
            .await
            .unwrap();
        assert_eq!(grpc_status(&r), Some(tonic::Code::Internal));
    }

    #[test]
    fn panic_messages_are_read_from_str_and_string() {
        assert_eq!(panic_message(&"plain"), "plain");
        assert_eq!(panic_message(&String::from("owned")), "owned");
        assert_eq!(panic_message(&42_u8), "(no message)");
    }
}
