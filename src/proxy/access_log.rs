//! The access log as a tower layer: one line per request with the method,
//! the path (redacted: it can hold an e-mail address or a token), the
//! status, the finding counts and the time taken. Never a body or a value.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Instant;

use http::{Request, Response};
use tower::{Layer, Service};

use super::Outcome;
use crate::redact::Redactor;

#[derive(Clone)]
pub struct AccessLogLayer {
    redactor: Arc<Redactor>,
}

impl AccessLogLayer {
    pub fn new(redactor: Arc<Redactor>) -> AccessLogLayer {
        AccessLogLayer { redactor }
    }
}

impl<S> Layer<S> for AccessLogLayer {
    type Service = AccessLog<S>;

    fn layer(&self, inner: S) -> AccessLog<S> {
        AccessLog {
            inner,
            redactor: Arc::clone(&self.redactor),
        }
    }
}

#[derive(Clone)]
pub struct AccessLog<S> {
    inner: S,
    redactor: Arc<Redactor>,
}

impl<S, B, R> Service<Request<B>> for AccessLog<S>
where
    S: Service<Request<B>, Response = Response<R>, Error = Infallible>,
    S::Future: Send + 'static,
{
    type Response = Response<R>;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response<R>, Infallible>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        let started = Instant::now();
        let method = request.method().clone();
        // Redacting the path costs a detection pass: only when it is logged.
        let path = tracing::enabled!(tracing::Level::INFO)
            .then(|| self.redactor.redact_text(request.uri().path()).output);
        let future = self.inner.call(request);
        Box::pin(async move {
            let response = future.await?;
            if let (Some(path), Some(outcome)) = (path, response.extensions().get::<Outcome>()) {
                log(&method, &path, outcome, started);
            }
            Ok(response)
        })
    }
}

fn log(method: &http::Method, path: &str, outcome: &Outcome, started: Instant) {
    let elapsed_ms = format!("{:.1}", started.elapsed().as_secs_f64() * 1e3);
    let status = outcome.status.as_u16();
    match outcome.counts {
        Some(c) => tracing::info!(
            %method, path, status, secret = c.secret, pii = c.pii, account = c.account,
            elapsed_ms, "request"
        ),
        None => tracing::info!(
            %method, path, status, streamed = outcome.streamed, elapsed_ms, "request"
        ),
    }
}
