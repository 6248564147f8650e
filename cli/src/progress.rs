//! Progress: a bar on a terminal, plain lines otherwise (at most every few seconds).

use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

pub enum Progress {
    Bar(ProgressBar),
    Lines(Mutex<Lines>),
}

pub struct Lines {
    total: u64,
    done: u64,
    last_print: Instant,
}

const LINE_INTERVAL: Duration = Duration::from_secs(2);

impl Progress {
    /// A bar when stderr is a terminal, plain lines otherwise.
    pub fn for_stderr() -> Self {
        use std::io::IsTerminal;
        if std::io::stderr().is_terminal() {
            let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
            let style = ProgressStyle::with_template("{bar:40} {pos}/{len} records ({elapsed} elapsed, {eta} left)")
                .unwrap_or_else(|_| ProgressStyle::default_bar());
            bar.set_style(style);
            Self::Bar(bar)
        } else {
            Self::Lines(Mutex::new(Lines { total: 0, done: 0, last_print: Instant::now() }))
        }
    }

    pub fn start(&self, total: u64, done: u64) {
        match self {
            Self::Bar(bar) => {
                bar.set_length(total);
                bar.set_position(done);
            }
            Self::Lines(lines) => {
                let mut lines = lines.lock().expect("progress lock");
                lines.total = total;
                lines.done = done;
                if done > 0 {
                    eprintln!("mktows: resuming: {done} of {total} records already have results");
                }
            }
        }
    }

    pub fn advance(&self, records: u64) {
        match self {
            Self::Bar(bar) => bar.inc(records),
            Self::Lines(lines) => {
                let mut lines = lines.lock().expect("progress lock");
                lines.done += records;
                if lines.last_print.elapsed() >= LINE_INTERVAL {
                    lines.last_print = Instant::now();
                    eprintln!("mktows: {}/{} records", lines.done, lines.total);
                }
            }
        }
    }

    pub fn finish(&self) {
        match self {
            Self::Bar(bar) => bar.finish_and_clear(),
            Self::Lines(lines) => {
                let lines = lines.lock().expect("progress lock");
                eprintln!("mktows: {}/{} records", lines.done, lines.total);
            }
        }
    }
}
