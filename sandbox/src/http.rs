//! The HTTP front: one SOAP endpoint on HTTP/1.1. Every answer is a SOAP envelope, faults
//! included. The body is read first, within its limits and outside the concurrency slots
//! (a slow sender holds no slot); then checks run in Marketo's order (concurrency,
//! envelope, authentication, rate) before the operation sees the request.

use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Instant;

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::{Method, Request, Response};
use mktows::runtime::server;
use mktows::{Credentials, Fault, Timestamp};
use mktows_marketo::auth::parse_w3c_seconds;
use mktows_marketo::codes;
use mktows_marketo::fault::fault;
use tokio::sync::Semaphore;

use crate::body::{self, BodyError, BodyLimits, Budget, RecordLimit};
use crate::limits::{CallLog, RateWindow};
use crate::service::{too_many, SandboxService};
use crate::store::Store;
use crate::{SandboxConfig, ServerLimits, Stats, PATH};

pub(crate) struct State {
    pub(crate) service: SandboxService,
    pub(crate) store: Arc<Mutex<Store>>,
    credentials: Credentials,
    config: Arc<SandboxConfig>,
    rate: Option<RateWindow>,
    in_flight: Option<Semaphore>,
    body_limits: BodyLimits,
    budget: Budget,
    pub(crate) accepted_calls: CallLog,
    accepted: AtomicU64,
    rejected: AtomicU64,
}

impl State {
    pub(crate) fn new(config: SandboxConfig, store: Store) -> Self {
        let config = Arc::new(config);
        let store = Arc::new(Mutex::new(store));
        Self {
            service: SandboxService { store: store.clone(), config: config.clone() },
            store,
            credentials: Credentials::new(config.user_id.clone(), config.secret_key.clone()),
            rate: config.rate_limit.map(RateWindow::new),
            in_flight: config.max_concurrent_calls.map(Semaphore::new),
            body_limits: body_limits(&config),
            budget: Budget::new(config.server.max_buffered_bytes),
            accepted_calls: CallLog::new(config.call_log_capacity),
            config,
            accepted: AtomicU64::new(0),
            rejected: AtomicU64::new(0),
        }
    }

    pub(crate) fn stats(&self) -> Stats {
        Stats { accepted: self.accepted.load(Ordering::Relaxed), rejected: self.rejected.load(Ordering::Relaxed) }
    }

    pub(crate) fn limits(&self) -> &ServerLimits {
        &self.config.server
    }

    /// `handle`, logged at debug level (`mktows sandbox -vv`).
    pub(crate) async fn handle_logged(&self, request: Request<Incoming>) -> Response<Full<Bytes>> {
        let action = request.headers().get("SOAPAction").and_then(|a| a.to_str().ok()).unwrap_or("").to_owned();
        let (method, path, started) = (request.method().clone(), request.uri().path().to_owned(), Instant::now());
        let response = self.handle(request).await;
        let (status, ms) = (response.status().as_u16(), started.elapsed().as_millis() as u64);
        tracing::debug!(status, ms, "{method} {path} {action}");
        response
    }

    /// Answers the request; a panic while doing so is answered with an internal error
    /// fault rather than a connection closed without a word.
    pub(crate) async fn handle(&self, request: Request<Incoming>) -> Response<Full<Bytes>> {
        match CatchUnwind(Box::pin(self.answer(request))).await {
            Ok(response) => response,
            Err(()) => self.reject(500, fault(false, codes::API_INTERNAL_ERROR, "Internal Error: the call failed")),
        }
    }

    async fn answer(&self, request: Request<Incoming>) -> Response<Full<Bytes>> {
        if request.uri().path() != PATH {
            let message = format!("Unsupported Operation: nothing is served at {}; use {PATH}", request.uri().path());
            return self.reject(404, fault(true, codes::UNSUPPORTED_OPERATION, &message));
        }
        if request.method() != Method::POST {
            let message = format!("Request Not Understood: SOAP requests are POSTs, not {}", request.method());
            return self.reject(405, fault(true, codes::REQUEST_NOT_UNDERSTOOD, &message));
        }
        let arrived = match body::read(request.into_body(), &self.body_limits, &self.budget).await {
            Ok(arrived) => arrived,
            Err(error) => return self.reject_body(&error),
        };
        let _permit = match &self.in_flight {
            Some(in_flight) => match in_flight.try_acquire() {
                Ok(permit) => Some(permit),
                Err(_) => {
                    return self
                        .reject(500, fault(false, codes::CONCURRENCY_LIMIT_EXCEEDED, "Concurrency Limit Exceeded"))
                }
            },
            None => None,
        };
        let body = arrived.bytes;
        let context = match server::read_request(&body) {
            Ok(context) => context,
            Err(error) => return self.reject(500, mktows_marketo::server::request_fault(&error)),
        };
        if let Err(fault) = self.authenticate(&context) {
            return self.reject(500, fault);
        }
        if let Some(over) = arrived.over {
            let count = format!("at least {}", over.limit + 1);
            return self.reject(500, too_many(over.list, over.noun, &count, over.limit));
        }
        let now = Instant::now();
        if let Some(rate) = &self.rate {
            if !rate.try_acquire(now) {
                return self.reject(500, fault(false, codes::RATE_LIMIT_EXCEEDED, "Rate Limit Exceeded"));
            }
        }
        self.accepted.fetch_add(1, Ordering::Relaxed);
        self.accepted_calls.push(now);
        if !self.config.latency.is_zero() {
            tokio::time::sleep(self.config.latency).await;
        }
        let response = mktows::server::dispatch_request(&self.service, &context, &body).await;
        reply(response.status, response.body)
    }

    fn reject_body(&self, error: &BodyError) -> Response<Full<Bytes>> {
        let (status, code, message) = match error {
            BodyError::TooLarge { limit } => {
                (413, codes::REQUEST_NOT_UNDERSTOOD, format!("Request Not Understood: the body is over {limit} bytes"))
            }
            BodyError::TimedOut { after } => {
                (408, codes::REQUEST_NOT_UNDERSTOOD, format!("Request Not Understood: the body took over {after:?}"))
            }
            BodyError::Busy => (
                503,
                codes::CONCURRENCY_LIMIT_EXCEEDED,
                "Concurrency Limit Exceeded: too many request bytes at once".to_owned(),
            ),
            BodyError::Broken(e) => (
                400,
                codes::REQUEST_NOT_UNDERSTOOD,
                format!("Request Not Understood: the body could not be read ({e})"),
            ),
        };
        let client = code == codes::REQUEST_NOT_UNDERSTOOD;
        self.reject(status, fault(client, code, &message))
    }

    /// The whole HTTP answer to a connection over the cap, written without hyper.
    pub(crate) fn too_many_connections(&self) -> Vec<u8> {
        self.rejected.fetch_add(1, Ordering::Relaxed);
        let message = format!("Concurrency Limit Exceeded: more than {} connections", self.limits().max_connections);
        let body = fault(false, codes::CONCURRENCY_LIMIT_EXCEEDED, &message).to_envelope();
        let head = format!(
            "HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/xml; charset=utf-8\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
            body.len()
        );
        [head.into_bytes(), body].concat()
    }

    /// Marketo's check: the signature must be the HMAC of this timestamp and user id, and
    /// the timestamp close to the server's clock.
    fn authenticate(&self, context: &server::RequestContext) -> Result<(), Fault> {
        let failed = || fault(true, codes::AUTHENTICATION_FAILED, "Authentication failed");
        let auth = mktows_marketo::server::authenticate(context).ok_or_else(failed)?;
        if auth.user_id != self.credentials.user_id() || !self.credentials.verify(&auth.timestamp, &auth.signature) {
            return Err(failed());
        }
        let sent = parse_w3c_seconds(&auth.timestamp).ok_or_else(failed)?;
        let skew = Timestamp::now().unix_seconds().abs_diff(sent);
        if skew > self.config.max_clock_skew.as_secs() {
            return Err(fault(true, codes::REQUEST_EXPIRED, "Request Expired"));
        }
        Ok(())
    }

    fn reject(&self, status: u16, fault: Fault) -> Response<Full<Bytes>> {
        self.rejected.fetch_add(1, Ordering::Relaxed);
        reply(status, fault.to_envelope())
    }
}

fn reply(status: u16, body: Vec<u8>) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = hyper::StatusCode::from_u16(status).unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    response
        .headers_mut()
        .insert(hyper::header::CONTENT_TYPE, hyper::header::HeaderValue::from_static("text/xml; charset=utf-8"));
    response
}

/// The lists whose length Marketo limits, counted while the body streams in.
fn body_limits(config: &SandboxConfig) -> BodyLimits {
    let objects = config.max_custom_objects_per_call;
    let record = |list, element, noun, limit| RecordLimit { list, element, noun, limit };
    BodyLimits {
        max_bytes: config.server.max_request_bytes,
        timeout: config.server.body_read_timeout,
        records: vec![
            record("leadRecordList", "leadRecord", "leads", config.max_leads_per_call),
            record("customObjList", "customObj", "objects", objects),
            record("customObjKeyLists", "keyList", "objects", objects),
        ],
    }
}

/// A future whose panic is caught: `Err` instead of unwinding through the connection task.
struct CatchUnwind<F>(Pin<Box<F>>);

impl<F: Future> Future for CatchUnwind<F> {
    type Output = Result<F::Output, ()>;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let inner = self.0.as_mut();
        match catch_unwind(AssertUnwindSafe(|| inner.poll(cx))) {
            Ok(Poll::Ready(output)) => Poll::Ready(Ok(output)),
            Ok(Poll::Pending) => Poll::Pending,
            Err(_) => Poll::Ready(Err(())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_panic_is_caught_not_propagated() {
        let caught = CatchUnwind(Box::pin(async { panic!("boom") })).await;
        assert_eq!(caught, Err::<(), ()>(()));
        assert_eq!(CatchUnwind(Box::pin(async { 7 })).await, Ok(7));
    }
}
