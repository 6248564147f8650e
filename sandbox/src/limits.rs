//! Marketo's limits: calls per sliding window, and calls in flight.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Instant;

use crate::RateLimit;

/// Counts accepted calls in a sliding window.
pub(crate) struct RateWindow {
    limit: RateLimit,
    calls: Mutex<VecDeque<Instant>>,
}

impl RateWindow {
    pub(crate) fn new(limit: RateLimit) -> Self {
        Self { limit, calls: Mutex::new(VecDeque::with_capacity(limit.calls)) }
    }

    /// Records a call at `now` if the window has room; a refused call is not recorded.
    pub(crate) fn try_acquire(&self, now: Instant) -> bool {
        let mut calls = crate::lock(&self.calls);
        while calls.front().is_some_and(|t| now.duration_since(*t) >= self.limit.window) {
            calls.pop_front();
        }
        if calls.len() >= self.limit.calls {
            return false;
        }
        calls.push_back(now);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn allows_the_limit_per_window_then_frees_up_as_calls_age() {
        let window = RateWindow::new(RateLimit { calls: 3, window: Duration::from_secs(20) });
        let t0 = Instant::now();
        assert!(window.try_acquire(t0));
        assert!(window.try_acquire(t0 + Duration::from_secs(1)));
        assert!(window.try_acquire(t0 + Duration::from_secs(2)));
        assert!(!window.try_acquire(t0 + Duration::from_secs(3)));
        // The first call leaves the window at t0 + 20 s.
        assert!(!window.try_acquire(t0 + Duration::from_millis(19_999)));
        assert!(window.try_acquire(t0 + Duration::from_secs(20)));
        assert!(!window.try_acquire(t0 + Duration::from_secs(20)));
    }
}
