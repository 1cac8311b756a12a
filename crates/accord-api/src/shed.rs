//! The process-wide cap on gRPC requests in flight (`--max-in-flight`).
//! Past it a request is refused at once with `RESOURCE_EXHAUSTED` —
//! nothing was done, retry with backoff — instead of queueing without
//! bound. A request holds its slot until its answer's headers are out
//! (a watch's stream is capped separately, see `--max-watches`).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use tokio::sync::Semaphore;

#[derive(Clone)]
pub struct LimitLayer {
    slots: Arc<Semaphore>,
    max: usize,
}

impl LimitLayer {
    pub fn new(max: usize) -> Self {
        LimitLayer {
            slots: Arc::new(Semaphore::new(max)),
            max,
        }
    }
}

impl<S> tower::Layer<S> for LimitLayer {
    type Service = Limit<S>;
    fn layer(&self, inner: S) -> Self::Service {
        Limit {
            inner,
            layer: self.clone(),
        }
    }
}

#[derive(Clone)]
pub struct Limit<S> {
    inner: S,
    layer: LimitLayer,
}

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

impl<S, B, R> tower::Service<http::Request<B>> for Limit<S>
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
        let Ok(slot) = self.layer.slots.clone().try_acquire_owned() else {
            let max = self.layer.max;
            tracing::warn!(max, path = %request.uri().path(), "request refused: too many in flight");
            return Box::pin(async move {
                Ok(tonic::Status::resource_exhausted(format!(
                    "the server has {max} requests in flight (its --max-in-flight); nothing was done, retry with backoff"
                ))
                .into_http())
            });
        };
        let answer = self.inner.call(request);
        Box::pin(async move {
            let answer = answer.await;
            drop(slot);
            answer
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower::{Layer, Service, ServiceExt};

    #[tokio::test]
    async fn past_the_cap_a_request_is_refused_at_once_and_a_slot_frees_on_answer() {
        let (release, released) = tokio::sync::watch::channel(false);
        let handler = tower::service_fn(move |_: http::Request<()>| {
            let mut released = released.clone();
            async move {
                let _ = released.wait_for(|r| *r).await;
                Ok::<_, std::convert::Infallible>(http::Response::new(String::from("done")))
            }
        });
        let mut service = LimitLayer::new(1).layer(handler);
        let first = service.ready().await.unwrap().call(http::Request::new(()));
        let refused = service
            .ready()
            .await
            .unwrap()
            .call(http::Request::new(()))
            .await
            .unwrap();
        assert_eq!(
            refused.headers()["grpc-status"],
            (tonic::Code::ResourceExhausted as i32).to_string().as_str()
        );
        release.send(true).unwrap();
        assert_eq!(first.await.unwrap().body(), "done");
        let again = service
            .ready()
            .await
            .unwrap()
            .call(http::Request::new(()))
            .await
            .unwrap();
        assert_eq!(again.body(), "done");
    }
}
