//! Progress: a bar on a terminal, plain lines otherwise (at most every few seconds), or
//! nothing with `-q`. It keeps ticking while the run waits, and says what for: "rate
//! limit: next call in 14 s", "retry 3/6: Connection refused".

use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::rate::RateLimit;

pub struct Progress {
    view: View,
    state: Mutex<State>,
}

enum View {
    Bar(ProgressBar),
    Lines,
    Hidden,
}

/// How fast the run can go at best: with a rate limit, this many records per window.
#[derive(Debug, Clone, Copy)]
pub struct Pace {
    pub batch_size: usize,
    pub rate: Option<RateLimit>,
}

struct State {
    total: u64,
    done: u64,
    done_before: u64,
    started: Instant,
    last_print: Option<Instant>,
    pace: Option<Pace>,
    /// What the run waits for, and until when if that is known.
    waiting: Option<(String, Option<Instant>)>,
    /// The last wait a line was printed for: a new one is printed at once.
    printed_wait: Option<String>,
}

const LINE_INTERVAL: Duration = Duration::from_secs(2);

impl Progress {
    /// A bar when stderr is a terminal, plain lines otherwise, nothing when `quiet`.
    pub fn for_stderr(quiet: bool) -> Self {
        use std::io::IsTerminal;
        let view = if quiet {
            View::Hidden
        } else if std::io::stderr().is_terminal() {
            let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template("{bar:40} {msg}").unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            View::Bar(bar)
        } else {
            View::Lines
        };
        let state = State {
            total: 0,
            done: 0,
            done_before: 0,
            started: Instant::now(),
            last_print: None,
            pace: None,
            waiting: None,
            printed_wait: None,
        };
        Self { view, state: Mutex::new(state) }
    }

    pub fn start(&self, total: u64, done: u64, pace: Pace) {
        let mut state = self.lock();
        (state.total, state.done, state.done_before, state.pace) = (total, done, done, Some(pace));
        state.started = Instant::now();
        if let View::Bar(bar) = &self.view {
            bar.set_length(total);
            bar.set_position(done);
        }
        drop(state);
        if done > 0 {
            self.say(&format!("mktows: resuming: {done} of {total} records already have results"));
        }
        self.show(true);
    }

    pub fn advance(&self, records: u64) {
        let mut state = self.lock();
        state.done += records;
        // Another batch may be waiting on the rate limit while this one's answer came in:
        // its countdown stays until it is over (clearing it here hid the wait on a busy
        // machine). A wait of unknown length ends with any progress, as before.
        if !outlasts(&state.waiting, Instant::now()) {
            state.waiting = None;
        }
        if let View::Bar(bar) = &self.view {
            bar.set_position(state.done);
        }
        drop(state);
        self.show(false);
    }

    /// The run waits for `what`, until `until` when that is known.
    pub fn waiting(&self, what: String, until: Option<Instant>) {
        self.lock().waiting = Some((what, until));
        self.show(false);
    }

    /// Redraws the bar (or prints a line when one is due), so that a wait is seen to last.
    pub fn tick(&self) {
        self.show(false);
    }

    /// A message of its own, above the bar.
    pub fn say(&self, text: &str) {
        match &self.view {
            View::Bar(bar) => bar.suspend(|| eprintln!("{text}")),
            View::Lines => eprintln!("{text}"),
            View::Hidden => {}
        }
    }

    pub fn finish(&self) {
        match &self.view {
            View::Bar(bar) => bar.finish_and_clear(),
            View::Lines => {
                let state = self.lock();
                eprintln!("mktows: {}/{} records", state.done, state.total);
            }
            View::Hidden => {}
        }
    }

    fn show(&self, now: bool) {
        let mut state = self.lock();
        match &self.view {
            View::Bar(bar) => bar.set_message(render(&state, Instant::now())),
            View::Lines => {
                let wait = state.waiting.as_ref().map(|(what, _)| what.clone());
                let new_wait = wait.is_some() && wait != state.printed_wait;
                if now || new_wait || state.last_print.is_none_or(|t| t.elapsed() >= LINE_INTERVAL) {
                    state.last_print = Some(Instant::now());
                    state.printed_wait = wait.or(state.printed_wait.take());
                    eprintln!("mktows: {}", render(&state, Instant::now()));
                }
            }
            View::Hidden => {}
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Whether `waiting` is a wait with an end still ahead of `now`.
fn outlasts(waiting: &Option<(String, Option<Instant>)>, now: Instant) -> bool {
    matches!(waiting, Some((_, Some(until))) if *until > now)
}

fn render(state: &State, now: Instant) -> String {
    let elapsed = now.duration_since(state.started);
    let mut text = format!("{}/{} records, {} elapsed", state.done, state.total, seconds(elapsed));
    if let Some(left) = estimate(state, elapsed).filter(|left| *left >= Duration::from_secs(1)) {
        text.push_str(&format!(", about {} left", seconds(left)));
    }
    // A wait whose end has passed is over, whoever has not cleared it yet.
    if let Some((what, until)) = state.waiting.as_ref().filter(|(_, until)| until.is_none_or(|u| u > now)) {
        text.push_str("; ");
        text.push_str(what);
        if let Some(until) = until {
            text.push_str(&format!(" in {}", seconds(until.saturating_duration_since(now))));
        }
    }
    text
}

/// Time left: the pace so far, but never faster than the rate limit allows. With `calls`
/// per window, call number k (from 0) of this run cannot start before `k / calls` windows
/// have passed, so the last one ends no earlier than that many windows after the start.
fn estimate(state: &State, elapsed: Duration) -> Option<Duration> {
    let remaining = state.total.saturating_sub(state.done);
    let done_now = state.done - state.done_before;
    let observed = (done_now > 0).then(|| elapsed.mul_f64(remaining as f64 / done_now as f64));
    let limited = state.pace.and_then(|pace| {
        let rate = pace.rate?;
        let batch = pace.batch_size.max(1) as u64;
        let calls = done_now.div_ceil(batch) + remaining.div_ceil(batch);
        let windows = calls.saturating_sub(1) / rate.calls as u64;
        Some(rate.window.saturating_mul(windows as u32).saturating_sub(elapsed))
    });
    match (observed, limited) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

fn seconds(duration: Duration) -> String {
    let secs = duration.as_secs_f64().round() as u64;
    match secs {
        0..60 => format!("{secs} s"),
        _ => format!("{}m {:02}s", secs / 60, secs % 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(total: u64, done: u64, done_before: u64, rate: Option<RateLimit>) -> State {
        State {
            total,
            done,
            done_before,
            started: Instant::now(),
            last_print: None,
            pace: Some(Pace { batch_size: 300, rate }),
            waiting: None,
            printed_wait: None,
        }
    }

    #[test]
    fn the_estimate_respects_the_rate_limit() {
        let marketo = Some(RateLimit::MARKETO);
        // 29,100 of 50,000 in 1 s: 97 calls made and 70 left, and the 101st call cannot
        // start before the first window of 20 s has passed.
        let fast = state(50_000, 29_100, 0, marketo);
        assert_eq!(estimate(&fast, Duration::from_secs(1)), Some(Duration::from_secs(19)));
        // 1,000 calls take at least 9 windows.
        assert_eq!(estimate(&state(300_000, 0, 0, marketo), Duration::ZERO), Some(Duration::from_secs(180)));
        // Without a limit, the pace so far.
        let free = state(50_000, 29_100, 0, None);
        assert!(estimate(&free, Duration::from_secs(1)).unwrap() < Duration::from_secs(1));
        // Nothing done yet: the rate limit alone, or nothing.
        assert_eq!(estimate(&state(10, 0, 0, None), Duration::from_secs(5)), None);
        // Records done by an earlier run say nothing about this run's pace.
        let resumed = state(1000, 600, 600, None);
        assert_eq!(estimate(&resumed, Duration::from_secs(5)), None);
    }

    #[test]
    fn a_wait_is_shown_with_its_countdown() {
        let mut waiting = state(50_000, 29_100, 0, Some(RateLimit::MARKETO));
        let now = waiting.started + Duration::from_secs(3);
        waiting.waiting = Some(("rate limit: next call".into(), Some(now + Duration::from_secs(14))));
        assert_eq!(
            render(&waiting, now),
            "29100/50000 records, 3 s elapsed, about 17 s left; rate limit: next call in 14 s"
        );
        waiting.waiting = Some(("retry 3/6: Connection refused".into(), None));
        assert!(render(&waiting, now).ends_with("; retry 3/6: Connection refused"));
        // A wait whose end has passed is not shown; one still ahead outlasts progress.
        waiting.waiting = Some(("rate limit: next call".into(), Some(now - Duration::from_millis(1))));
        assert!(!render(&waiting, now).contains("rate limit"));
        assert!(!outlasts(&waiting.waiting, now));
        waiting.waiting = Some(("rate limit: next call".into(), Some(now + Duration::from_secs(2))));
        assert!(outlasts(&waiting.waiting, now));
        assert!(!outlasts(&Some(("retry".into(), None)), now));
        assert_eq!(seconds(Duration::from_secs(125)), "2m 05s");
    }
}
