//! The HTTP front: one SOAP endpoint on HTTP/1.1. Every answer is a SOAP envelope, faults
//! included; checks run in Marketo's order (concurrency, envelope, authentication, rate)
//! before the operation sees the request.

use std::convert::Infallible;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::{Method, Request, Response};
use hyper_util::rt::TokioIo;
use mktows::runtime::server;
use mktows::{Credentials, Fault, Timestamp};
use mktows_marketo::auth::parse_w3c_seconds;
use mktows_marketo::codes;
use mktows_marketo::fault::fault;
use tokio::net::TcpListener;
use tokio::sync::{oneshot, Semaphore};

use crate::limits::{CallLog, RateWindow};
use crate::service::SandboxService;
use crate::store::Store;
use crate::{SandboxConfig, Stats, PATH};

/// Requests larger than this are refused without being read to the end.
const MAX_REQUEST_BYTES: usize = 32 * 1024 * 1024;

pub(crate) struct State {
    pub(crate) service: SandboxService,
    pub(crate) store: Arc<Mutex<Store>>,
    credentials: Credentials,
    config: Arc<SandboxConfig>,
    rate: Option<RateWindow>,
    in_flight: Option<Semaphore>,
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
            accepted_calls: CallLog::new(config.call_log_capacity),
            config,
            accepted: AtomicU64::new(0),
            rejected: AtomicU64::new(0),
        }
    }

    pub(crate) fn stats(&self) -> Stats {
        Stats { accepted: self.accepted.load(Ordering::Relaxed), rejected: self.rejected.load(Ordering::Relaxed) }
    }

    /// `handle`, logged at debug level (`mktows sandbox -vv`).
    async fn handle_logged(&self, request: Request<Incoming>) -> Response<Full<Bytes>> {
        let action = request.headers().get("SOAPAction").and_then(|a| a.to_str().ok()).unwrap_or("").to_owned();
        let (method, path, started) = (request.method().clone(), request.uri().path().to_owned(), Instant::now());
        let response = self.handle(request).await;
        let (status, ms) = (response.status().as_u16(), started.elapsed().as_millis() as u64);
        tracing::debug!(status, ms, "{method} {path} {action}");
        response
    }

    async fn handle(&self, request: Request<Incoming>) -> Response<Full<Bytes>> {
        if request.uri().path() != PATH {
            let message = format!("Unsupported Operation: nothing is served at {}; use {PATH}", request.uri().path());
            return self.reject(404, fault(true, codes::UNSUPPORTED_OPERATION, &message));
        }
        if request.method() != Method::POST {
            let message = format!("Request Not Understood: SOAP requests are POSTs, not {}", request.method());
            return self.reject(405, fault(true, codes::REQUEST_NOT_UNDERSTOOD, &message));
        }
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
        let body = match Limited::new(request.into_body(), MAX_REQUEST_BYTES).collect().await {
            Ok(body) => body.to_bytes(),
            Err(e) => {
                let message = format!("Request Not Understood: the request body could not be read ({e})");
                return self.reject(413, fault(true, codes::REQUEST_NOT_UNDERSTOOD, &message));
            }
        };
        let context = match server::read_request(&body) {
            Ok(context) => context,
            Err(error) => return self.reject(500, mktows_marketo::server::request_fault(&error)),
        };
        if let Err(fault) = self.authenticate(&context) {
            return self.reject(500, fault);
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

pub(crate) async fn serve(listener: TcpListener, state: Arc<State>, mut stop: oneshot::Receiver<()>) {
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = &mut stop => return,
        };
        let Ok((stream, _)) = accepted else {
            // Out of file descriptors and the like: wait a moment rather than spin.
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
            continue;
        };
        let state = state.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request| {
                let state = state.clone();
                async move { Ok::<_, Infallible>(state.handle_logged(request).await) }
            });
            // A client that disconnects mid-request is its own business.
            let _ = hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
        });
    }
}
