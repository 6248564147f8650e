//! A local stand-in for Marketo's mktows SOAP service, so that the client and the tools
//! built on it run with no Marketo account, and end-to-end tests exercise real HTTP.
//!
//! It serves SOAP 1.1 POSTs at [`PATH`] and behaves like Marketo for what integrations
//! depend on: signed authentication (Authentication failed, Request Expired), the rate and
//! concurrency limits, batch limits, `syncLead`/`syncMultipleLeads` with Marketo's key
//! precedence and dedup rules, `syncCustomObjects` with INSERT/UPDATE/UPSERT, and read-back
//! through `getLead`, `getMultipleLeads`, `getCustomObjects` and `deleteCustomObjects`. Every
//! other operation answers with an Unsupported Operation fault. State lives in memory, or in a state file ([`SandboxConfig::state_file`]).
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! let sandbox = mktows_sandbox::Sandbox::start(Default::default(), "127.0.0.1:0".parse().unwrap()).await?;
//! println!("serving at {}", sandbox.endpoint());
//! # Ok(()) }
//! ```

mod body;
mod conn;
mod http;
mod limits;
pub mod service;
pub mod store;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How many calls a window of time allows (the type the client side uses too).
pub use mktows_marketo::RateLimit;
pub use store::CustomObjectType;

/// Where the sandbox serves, as Marketo does for API version 2_2.
pub const PATH: &str = "/soap/mktows/2_2";
/// The user id accepted when none is configured: the one in Marketo's seed examples.
pub const DEFAULT_USER_ID: &str = "demo17_1_809934544BFABAE58E5D27";
/// The secret key accepted when none is configured: the one in Marketo's seed examples.
pub const DEFAULT_SECRET_KEY: &str = "27272727aa";

/// Everything that makes this sandbox behave like one Marketo subscription.
#[derive(Clone)]
pub struct SandboxConfig {
    pub user_id: String,
    pub secret_key: String,
    /// A request whose timestamp is further than this from the server's clock gets Request
    /// Expired ([`mktows_marketo::codes::REQUEST_EXPIRED`]).
    pub max_clock_skew: Duration,
    /// Marketo allows 100 calls per 20 s ([`mktows_marketo::codes::RATE_LIMIT_EXCEEDED`]
    /// past that); `None` turns the limit off.
    pub rate_limit: Option<RateLimit>,
    /// Marketo allows 10 calls at once
    /// ([`mktows_marketo::codes::CONCURRENCY_LIMIT_EXCEEDED`] past that); `None` turns the
    /// limit off.
    pub max_concurrent_calls: Option<usize>,
    pub max_leads_per_call: usize,
    pub max_custom_objects_per_call: usize,
    pub custom_object_types: Vec<CustomObjectType>,
    /// Extra time every accepted call takes, to imitate a remote service (and to hold calls
    /// open in concurrency tests).
    pub latency: Duration,
    /// What one request may cost, and how long a connection may hold the server: see
    /// [`ServerLimits`].
    pub server: ServerLimits,
    /// Where the leads and custom objects are kept between runs (`mktows sandbox --state`):
    /// loaded at start, saved after every call that changes them, before it is answered.
    /// `None` keeps them in memory only.
    pub state_file: Option<PathBuf>,
    /// How many accepted calls [`Sandbox::accepted_call_times`] remembers, the most recent.
    pub call_log_capacity: usize,
}

/// What the sandbox allows a client as an HTTP server, so that no client (a slow one, or
/// many at once) can hold it or its memory: request bodies held at once never exceed
/// `max_buffered_bytes`, whatever the number of connections.
#[derive(Debug, Clone)]
pub struct ServerLimits {
    /// A larger request body is refused (HTTP 413) as soon as it is known to be larger.
    pub max_request_bytes: usize,
    /// Request bodies held at once, over all connections; a request that would go past it
    /// is refused with Concurrency Limit Exceeded (20024), which clients retry.
    pub max_buffered_bytes: usize,
    /// Connections open at once; one more is answered with HTTP 503 and closed.
    pub max_connections: usize,
    /// From the moment the server waits for a request (on a new connection, or on a kept-alive
    /// one after an answer) to the end of its headers.
    pub header_read_timeout: Duration,
    /// From the end of a request's headers to the end of its body (HTTP 408 past it).
    pub body_read_timeout: Duration,
    /// No byte either way for this long, while no call is being handled, closes the
    /// connection (a client that stops reading its answer, say).
    pub idle_timeout: Duration,
}

impl Default for ServerLimits {
    fn default() -> Self {
        Self {
            max_request_bytes: 8 * 1024 * 1024,
            max_buffered_bytes: 64 * 1024 * 1024,
            max_connections: 256,
            header_read_timeout: Duration::from_secs(20),
            body_read_timeout: Duration::from_secs(30),
            idle_timeout: Duration::from_secs(30),
        }
    }
}

impl Default for SandboxConfig {
    fn default() -> Self {
        Self {
            user_id: DEFAULT_USER_ID.to_owned(),
            secret_key: DEFAULT_SECRET_KEY.to_owned(),
            max_clock_skew: mktows_marketo::limits::MAX_CLOCK_SKEW,
            rate_limit: Some(RateLimit::MARKETO),
            max_concurrent_calls: Some(mktows_marketo::limits::MAX_CONCURRENT_CALLS),
            max_leads_per_call: mktows_marketo::limits::MAX_LEADS_PER_CALL,
            max_custom_objects_per_call: mktows_marketo::limits::MAX_CUSTOM_OBJECTS_PER_CALL,
            custom_object_types: vec![CustomObjectType::road_show()],
            latency: Duration::ZERO,
            server: ServerLimits::default(),
            state_file: None,
            call_log_capacity: 10_000,
        }
    }
}

impl std::fmt::Debug for SandboxConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SandboxConfig")
            .field("user_id", &self.user_id)
            .field("secret_key", &"<redacted>")
            .field("max_clock_skew", &self.max_clock_skew)
            .field("rate_limit", &self.rate_limit)
            .field("max_concurrent_calls", &self.max_concurrent_calls)
            .field("max_leads_per_call", &self.max_leads_per_call)
            .field("max_custom_objects_per_call", &self.max_custom_objects_per_call)
            .field("custom_object_types", &self.custom_object_types)
            .field("latency", &self.latency)
            .field("server", &self.server)
            .field("state_file", &self.state_file)
            .field("call_log_capacity", &self.call_log_capacity)
            .finish()
    }
}

/// A running sandbox. Dropping it (or calling [`Sandbox::shutdown`]) stops accepting
/// connections.
pub struct Sandbox {
    address: SocketAddr,
    state: Arc<http::State>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Sandbox {
    /// Binds `address` (port 0 picks a free port) and serves in the background on the
    /// current tokio runtime, starting from the state file when there is one.
    pub async fn start(config: SandboxConfig, address: SocketAddr) -> std::io::Result<Self> {
        let store = match &config.state_file {
            Some(path) => store::Store::load(path)?,
            None => store::Store::new(),
        };
        let listener = tokio::net::TcpListener::bind(address).await?;
        let address = listener.local_addr()?;
        let state = Arc::new(http::State::new(config, store));
        let (stop, stopped) = tokio::sync::oneshot::channel();
        let task = tokio::spawn(conn::serve(listener, state.clone(), stopped));
        Ok(Self { address, state, stop: Some(stop), task: Some(task) })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.address
    }

    /// The SOAP endpoint, such as `http://127.0.0.1:41234/soap/mktows/2_2`.
    pub fn endpoint(&self) -> String {
        format!("http://{}{PATH}", self.address)
    }

    /// Counters kept since the sandbox started.
    pub fn stats(&self) -> Stats {
        self.state.stats()
    }

    /// When each call that passed authentication and the limits arrived, oldest first: the
    /// sandbox's own record, against which a client's rate limiting can be checked. It holds
    /// the most recent [`SandboxConfig::call_log_capacity`] calls.
    pub fn accepted_call_times(&self) -> Vec<Instant> {
        self.state.accepted_calls.times()
    }

    pub fn lead_count(&self) -> usize {
        lock(&self.state.store).lead_count()
    }

    /// Stops accepting connections and waits for the accept loop to end.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// What the sandbox has seen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Calls that passed authentication and the limits and reached an operation.
    pub accepted: u64,
    /// Calls answered with a fault before reaching an operation.
    pub rejected: u64,
}

/// Locks `mutex`, taking over a lock poisoned by a panic: keeping the sandbox serving
/// matters more than the state a panicking call may have left half-updated.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}
