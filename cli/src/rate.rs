//! The client-side rate limit: never more than `calls` calls started in any window of
//! `window`, Marketo's 100 per 20 s by default.

use std::collections::VecDeque;
use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    pub calls: usize,
    pub window: Duration,
}

/// A sliding window of call start times. `acquire` waits until one more call fits.
pub struct RateLimiter {
    limit: RateLimit,
    starts: Mutex<VecDeque<Instant>>,
}

impl RateLimiter {
    pub fn new(limit: RateLimit) -> Self {
        Self { limit, starts: Mutex::new(VecDeque::with_capacity(limit.calls)) }
    }

    /// Waits until a call may start, and records it as started.
    pub async fn acquire(&self) {
        loop {
            let mut starts = self.starts.lock().await;
            let now = Instant::now();
            while starts.front().is_some_and(|t| now.duration_since(*t) >= self.limit.window) {
                starts.pop_front();
            }
            if starts.len() < self.limit.calls {
                starts.push_back(now);
                return;
            }
            // The oldest call leaves the window at `oldest + window`; a small margin keeps
            // clock rounding from ever putting one call too many in a server's window.
            let wait = (starts[0] + self.limit.window + Duration::from_millis(5)).saturating_duration_since(now);
            drop(starts);
            tokio::time::sleep(wait).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn never_starts_more_than_the_limit_in_any_window() {
        let limiter = RateLimiter::new(RateLimit { calls: 3, window: Duration::from_secs(2) });
        let start = Instant::now();
        let mut times = Vec::new();
        for _ in 0..10 {
            limiter.acquire().await;
            times.push(start.elapsed());
        }
        for (i, t) in times.iter().enumerate() {
            let in_window = times.iter().filter(|u| **u >= *t && **u < *t + Duration::from_secs(2)).count();
            assert!(in_window <= 3, "call {i} at {t:?}: {in_window} calls in its window; {times:?}");
        }
        // And it is not needlessly slow: 10 calls at 3 per 2 s take a little over 6 s.
        assert!(times[9] < Duration::from_millis(6100), "{times:?}");
    }
}
