//! Marketo's limits on API use, and the [`RateLimit`] type that clients and servers use to
//! describe a calls-per-window limit.

use std::fmt;
use std::time::Duration;

/// At most this many calls per [`RATE_WINDOW`] per instance (20023 past that).
pub const CALLS_PER_WINDOW: usize = 100;
/// The sliding window the rate limit counts calls in.
pub const RATE_WINDOW: Duration = Duration::from_secs(20);
/// At most this many calls at once (20024 past that).
pub const MAX_CONCURRENT_CALLS: usize = 10;
/// The largest `syncMultipleLeads` batch Marketo supports.
pub const MAX_LEADS_PER_CALL: usize = 300;
/// The most custom objects `syncCustomObjects` (and `deleteCustomObjects`) take per call.
pub const MAX_CUSTOM_OBJECTS_PER_CALL: usize = 100;
/// The most leads one `getMultipleLeads` call returns; a stream position fetches the rest.
pub const MAX_LEADS_PER_PAGE: usize = 1000;
/// How far a request's timestamp may be from the server's clock before the request is
/// expired (20016).
pub const MAX_CLOCK_SKEW: Duration = Duration::from_secs(15 * 60);

/// How many calls a window of time allows: `calls` in any `window`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    pub calls: usize,
    pub window: Duration,
}

impl RateLimit {
    /// Marketo's: 100 calls per 20 s.
    pub const MARKETO: Self = Self { calls: CALLS_PER_WINDOW, window: RATE_WINDOW };
}

impl Default for RateLimit {
    fn default() -> Self {
        Self::MARKETO
    }
}

/// `CALLS/SECONDS`, such as `100/20`.
impl fmt::Display for RateLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.calls, self.window.as_secs_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marketo_allows_100_calls_per_20_seconds() {
        assert_eq!(RateLimit::default(), RateLimit { calls: 100, window: Duration::from_secs(20) });
        assert_eq!(RateLimit::MARKETO.to_string(), "100/20");
        assert_eq!(RateLimit { calls: 5, window: Duration::from_millis(1500) }.to_string(), "5/1.5");
    }
}
