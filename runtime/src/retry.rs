//! An optional retry policy for calls: what is worth sending again, how often, and how long
//! to wait in between. Off by default: whether a resend is safe depends on the operation.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::error::Error;

/// When and how a failed call is sent again ([`ClientConfig::retry`](crate::ClientConfig)).
///
/// A call is sent again when its error [`is_retryable`](Error::is_retryable) (or the
/// service layer's `retryable` says so, for faults it knows to be transient) and, unless
/// `resend_maybe_processed` is set, only when the service surely did not act on it
/// ([`Error::may_have_been_processed`] is `false`): a timeout or a connection lost after
/// sending could otherwise do the work twice. Waits grow exponentially from
/// `initial_backoff` up to `max_backoff`, each a random part of that (full jitter), so that
/// many clients do not retry in step.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// Attempts in all, the first included: 1 never retries.
    pub max_attempts: u32,
    pub initial_backoff: Duration,
    pub max_backoff: Duration,
    /// Send again also what the service may have processed: for operations that are
    /// idempotent (reads, upserts by key).
    pub resend_maybe_processed: bool,
    /// What else is worth a retry, besides what [`Error::is_retryable`] says: a service
    /// layer's transient faults (Marketo's rate limits: `MarketoError::is_marketo_retryable`).
    /// A fault it accepts is taken for a refusal, and sent again even without
    /// `resend_maybe_processed`.
    pub retryable: Option<fn(&Error) -> bool>,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(20),
            resend_maybe_processed: false,
            retryable: None,
        }
    }
}

impl RetryPolicy {
    /// Whether `error`, ending attempt `attempt` (1-based), is sent again.
    pub fn retries(&self, error: &Error, attempt: u32) -> bool {
        let transient = error.is_retryable() || self.retryable.is_some_and(|retryable| retryable(error));
        let safe = self.resend_maybe_processed || !error.may_have_been_processed() || refused_before_processing(error);
        attempt < self.max_attempts && transient && safe
    }

    /// How long to wait after attempt `attempt` failed: a random time up to the backoff
    /// ceiling `initial_backoff * 2^(attempt - 1)` (capped at `max_backoff`).
    pub fn backoff(&self, attempt: u32) -> Duration {
        let ceiling = self.initial_backoff.saturating_mul(1 << attempt.saturating_sub(1).min(20)).min(self.max_backoff);
        ceiling.mul_f64(jitter())
    }
}

/// A fault the service layer calls transient was an answer: the service refused the call
/// rather than half doing it (a rate limit). Only the layer's own `retryable` can say so, and
/// it is asked only for faults.
fn refused_before_processing(error: &Error) -> bool {
    error.fault().is_some()
}

/// A number in [0, 1): xorshift over a shared state, seeded from the clock. Retries only
/// need to be spread, not unpredictable.
fn jitter() -> f64 {
    static STATE: AtomicU64 = AtomicU64::new(0);
    let mut x = STATE.load(Ordering::Relaxed);
    if x == 0 {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(1, |d| d.as_nanos());
        x = (nanos as u64) | 1;
    }
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    STATE.store(x, Ordering::Relaxed);
    (x >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{ErrorKind, TransportError, TransportStage};
    use crate::soap::Fault;

    #[test]
    fn only_what_is_transient_and_safe_is_sent_again_within_the_attempts() {
        let error = |kind| Error::new("op", kind);
        let refused = error(ErrorKind::Transport(TransportError::new(TransportStage::Connect, "x", None)));
        let dropped = error(ErrorKind::Transport(TransportError::new(TransportStage::Exchange, "x", None)));
        let unavailable = error(ErrorKind::HttpStatus { status: 503, body: String::new() });
        let too_many = error(ErrorKind::HttpStatus { status: 429, body: String::new() });
        let fault = error(ErrorKind::Fault(Fault::new("SOAP-ENV:Server", "20023 - Rate limit")));
        let policy = RetryPolicy::default();
        assert!(policy.retries(&refused, 1) && policy.retries(&too_many, 3));
        assert!(!policy.retries(&refused, 4), "the attempts are used up");
        assert!(!policy.retries(&dropped, 1) && !policy.retries(&unavailable, 1), "may have been processed");
        assert!(!policy.retries(&fault, 1), "faults are the service layer's to judge");
        let idempotent = RetryPolicy { resend_maybe_processed: true, ..RetryPolicy::default() };
        assert!(idempotent.retries(&dropped, 1) && idempotent.retries(&unavailable, 1));
        let layered =
            RetryPolicy { retryable: Some(|e| e.fault().is_some_and(|f| f.message.starts_with("20023"))), ..policy };
        assert!(layered.retries(&fault, 1));
    }

    #[test]
    fn waits_grow_to_the_ceiling_and_are_spread_below_it() {
        let policy = RetryPolicy {
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(350),
            ..RetryPolicy::default()
        };
        let waits: Vec<Duration> = (0..200).map(|_| policy.backoff(3)).collect();
        assert!(waits.iter().all(|w| *w <= Duration::from_millis(350)));
        assert!(
            waits.iter().any(|w| *w < Duration::from_millis(100))
                && waits.iter().any(|w| *w > Duration::from_millis(250))
        );
        assert!((0..50).all(|_| policy.backoff(1) <= Duration::from_millis(100)));
    }
}
