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

/// When the most recent accepted calls arrived, oldest first: at most `capacity` of them,
/// so a sandbox that serves for days does not grow without bound.
pub(crate) struct CallLog {
    capacity: usize,
    times: Mutex<VecDeque<Instant>>,
}

impl CallLog {
    pub(crate) fn new(capacity: usize) -> Self {
        Self { capacity, times: Mutex::new(VecDeque::with_capacity(capacity.min(1024))) }
    }

    pub(crate) fn push(&self, at: Instant) {
        let mut times = crate::lock(&self.times);
        if times.len() == self.capacity {
            times.pop_front();
        }
        if self.capacity > 0 {
            times.push_back(at);
        }
    }

    pub(crate) fn times(&self) -> Vec<Instant> {
        crate::lock(&self.times).iter().copied().collect()
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

    #[test]
    fn the_call_log_keeps_only_the_most_recent_calls() {
        let log = CallLog::new(3);
        let t0 = Instant::now();
        for i in 0..10 {
            log.push(t0 + Duration::from_secs(i));
        }
        assert_eq!(log.times(), [7, 8, 9].map(|i| t0 + Duration::from_secs(i)));
    }
}
