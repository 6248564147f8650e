//! The client-side rate limit: never more than `calls` calls in any window of `window` as
//! the *server* counts them, Marketo's 100 per 20 s by default.
//!
//! A server counts a call when it arrives, somewhere between the moment the client starts
//! it and the moment the answer is back. So a call holds its slot while in flight, and the
//! slot frees only one window after the call *completes*: then any `calls + 1` calls are
//! at least a window apart at the server, whatever the network delay.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use tokio::sync::Notify;
use tokio::time::Instant;

pub use mktows_marketo::RateLimit;

pub struct RateLimiter {
    limit: RateLimit,
    state: Arc<Mutex<Slots>>,
    freed: Arc<Notify>,
}

#[derive(Default)]
struct Slots {
    /// Completion times of recent calls, oldest first.
    completed: VecDeque<Instant>,
    in_flight: usize,
}

/// A call's slot; dropping it marks the call complete.
pub struct Permit {
    state: Arc<Mutex<Slots>>,
    freed: Arc<Notify>,
}

impl Drop for Permit {
    fn drop(&mut self) {
        let mut slots = self.state.lock().unwrap_or_else(|p| p.into_inner());
        slots.in_flight -= 1;
        slots.completed.push_back(Instant::now());
        drop(slots);
        self.freed.notify_waiters();
    }
}

impl RateLimiter {
    pub fn new(limit: RateLimit) -> Self {
        Self { limit, state: Arc::new(Mutex::new(Slots::default())), freed: Arc::new(Notify::new()) }
    }

    /// Waits until a call may start; hold the permit until the call's answer is in.
    #[cfg(test)]
    pub async fn acquire(&self) -> Permit {
        self.acquire_with(|_| {}).await
    }

    /// Waits until a call may start, telling `waiting` how long the wait is (`None` while
    /// it waits for calls in flight to complete) each time it has to wait; hold the permit
    /// until the call's answer is in.
    pub async fn acquire_with(&self, waiting: impl Fn(Option<std::time::Duration>)) -> Permit {
        loop {
            let freed = self.freed.notified();
            let wait = {
                let mut slots = self.state.lock().unwrap_or_else(|p| p.into_inner());
                let now = Instant::now();
                while slots.completed.front().is_some_and(|t| now.duration_since(*t) >= self.limit.window) {
                    slots.completed.pop_front();
                }
                if slots.completed.len() + slots.in_flight < self.limit.calls {
                    slots.in_flight += 1;
                    return Permit { state: self.state.clone(), freed: self.freed.clone() };
                }
                // The earliest a slot frees: a window after the oldest completion, or when a
                // call in flight completes (and starts its own window).
                slots.completed.front().map(|oldest| (*oldest + self.limit.window).saturating_duration_since(now))
            };
            waiting(wait);
            match wait {
                Some(wait) => {
                    tokio::select! {
                        _ = tokio::time::sleep(wait) => {}
                        _ = freed => {}
                    }
                }
                None => freed.await,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[tokio::test(start_paused = true)]
    async fn never_more_than_the_limit_in_any_window_of_completions() {
        let limiter = RateLimiter::new(RateLimit { calls: 3, window: Duration::from_secs(2) });
        let start = Instant::now();
        let mut starts = Vec::new();
        for _ in 0..10 {
            let permit = limiter.acquire().await;
            starts.push(start.elapsed());
            // Each call takes 100 ms.
            tokio::time::sleep(Duration::from_millis(100)).await;
            drop(permit);
        }
        for (i, t) in starts.iter().enumerate() {
            let in_window = starts.iter().filter(|u| **u >= *t && **u < *t + Duration::from_secs(2)).count();
            assert!(in_window <= 3, "call {i} at {t:?}: {in_window} calls in its window; {starts:?}");
        }
        // A slot frees a window after its call completed: 2.1 s, 4.2 s, 6.3 s.
        assert_eq!(starts[3], Duration::from_millis(2100), "{starts:?}");
        assert!(starts[9] < Duration::from_millis(6400), "{starts:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn calls_in_flight_hold_their_slots() {
        let limiter = Arc::new(RateLimiter::new(RateLimit { calls: 2, window: Duration::from_secs(1) }));
        let first = limiter.acquire().await;
        let _second = limiter.acquire().await;
        let waiter = {
            let limiter = limiter.clone();
            tokio::spawn(async move {
                let started = Instant::now();
                let _third = limiter.acquire().await;
                started.elapsed()
            })
        };
        tokio::time::sleep(Duration::from_secs(5)).await;
        assert!(!waiter.is_finished(), "a third call started while two were in flight");
        drop(first);
        // The first call completed at 5 s, so its slot frees at 6 s.
        assert_eq!(waiter.await.unwrap(), Duration::from_secs(6));
    }
}
