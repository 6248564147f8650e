//! The bulk-sync engine: prepared records -> batches -> calls with bounded concurrency
//! under a rate limit -> exactly one result line per input record (see `results` for the
//! checkpoint and journal, and `retry` for what a failed call means).
//!
//! Stopping: a fault that every call would get, an endpoint that cannot be reached, or
//! Ctrl-C halts the run. Calls in flight finish and write their results; a batch that has
//! not been sent is not sent (its records get no result, so `--resume` sends them), and a
//! second Ctrl-C exits at once, keeping every result line written so far.

mod prepare;
mod retry;

use std::collections::{BTreeMap, HashSet};
use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use mktows::{Client, ErrorKind};
use tokio::sync::{watch, Semaphore};

pub use prepare::{prepare, Batcher, Item, Params, Target};

use crate::errors::{describe, redact, root_cause};
use crate::progress::{Pace, Progress};
use crate::rate::{RateLimit, RateLimiter};
use crate::results::{ResultLine, Writer};
use retry::{Retry, OUTCOME_UNKNOWN};

#[derive(Debug, Clone)]
pub struct Options {
    pub batch_size: usize,
    pub concurrency: usize,
    pub rate_limit: Option<RateLimit>,
    /// Attempts per batch, the first included.
    pub max_attempts: u32,
    pub backoff: Duration,
}

/// Attempts per batch while no call has reached the endpoint: an endpoint that cannot be
/// reached at all stops the run soon, rather than after every batch's full retries.
const ATTEMPTS_BEFORE_REACHED: u32 = 3;

/// Why a run stopped early.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stopped {
    Interrupted,
    /// A fault every call would get, an unreachable endpoint, or results that cannot be written.
    Fatal(String),
}

/// What this run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    pub by_status: BTreeMap<String, u64>,
    pub stopped: Option<Stopped>,
}

/// The records still to do, and what an earlier run may have sent of them.
pub struct Work {
    pub batches: Batches,
    pub in_doubt: HashSet<usize>,
    pub total: u64,
    pub done: u64,
}

/// The batches to send, made as the run asks for them: a reader thread reads the input,
/// prepares its records and batches them, at most `ahead` batches ahead of the calls, so
/// memory is bounded by concurrency and batch size, not the input's size.
pub struct Batches {
    receiver: tokio::sync::mpsc::Receiver<Result<Vec<Item>, String>>,
}

impl Batches {
    /// Batches of `items`, in order; an error ends them (and halts the run that reads it).
    pub fn spawn<I>(items: I, batch_size: usize, ahead: usize) -> Result<Self, String>
    where
        I: Iterator<Item = Result<Item, String>> + Send + 'static,
    {
        let (sender, receiver) = tokio::sync::mpsc::channel(ahead.max(1));
        std::thread::Builder::new()
            .name("mktows-input".into())
            .spawn(move || {
                let mut batcher = Batcher::new(batch_size);
                for item in items {
                    let batch = match item {
                        Ok(item) => batcher.push(item).map(Ok),
                        Err(e) => Some(Err(e)),
                    };
                    let failed = matches!(batch, Some(Err(_)));
                    // A send fails once the run stops reading: then so does this.
                    if batch.is_some_and(|batch| sender.blocking_send(batch).is_err()) || failed {
                        return;
                    }
                }
                if let Some(batch) = batcher.finish() {
                    let _ = sender.blocking_send(Ok(batch));
                }
            })
            .map_err(|e| format!("cannot start reading the input: {e}"))?;
        Ok(Self { receiver })
    }

    async fn next(&mut self) -> Option<Result<Vec<Item>, String>> {
        self.receiver.recv().await
    }
}

struct Run {
    client: Client,
    target: Target,
    options: Options,
    rate: Option<RateLimiter>,
    writer: Mutex<Writer>,
    counts: Mutex<BTreeMap<String, u64>>,
    halt: watch::Sender<Option<Stopped>>,
    progress: Progress,
    seed: AtomicU64,
    in_flight: AtomicUsize,
    /// Whether any call got an answer (or at least a connection).
    reached: AtomicBool,
}

/// Syncs `work.pending` to `target`, writing one result line per record through `writer`.
pub async fn run(
    client: Client,
    target: Target,
    work: Work,
    writer: Writer,
    options: Options,
    progress: Progress,
) -> Result<Outcome, String> {
    progress.start(work.total, work.done, Pace { batch_size: options.batch_size, rate: options.rate_limit });
    tracing::info!(
        records = work.total - work.done,
        in_doubt = work.in_doubt.len(),
        batch_size = options.batch_size,
        concurrency = options.concurrency,
        "syncing to {}",
        redact(client.soap().endpoint())
    );
    let run = Arc::new(Run {
        client,
        target,
        rate: options.rate_limit.map(RateLimiter::new),
        writer: Mutex::new(writer),
        counts: Mutex::new(BTreeMap::new()),
        halt: watch::channel(None).0,
        progress,
        seed: AtomicU64::new(0x9e37_79b9_7f4a_7c15),
        in_flight: AtomicUsize::new(0),
        reached: AtomicBool::new(false),
        options,
    });
    let background = [tokio::spawn(run.clone().interrupts()), tokio::spawn(run.clone().ticks())];
    let first_error = run.clone().send_all(work).await;
    background.iter().for_each(tokio::task::JoinHandle::abort);
    run.progress.finish();
    if let Some(e) = first_error {
        return Err(e);
    }
    let by_status = lock(&run.counts).clone();
    let stopped = run.halt.borrow().clone();
    Ok(Outcome { by_status, stopped })
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}

impl Run {
    /// Starts a task per batch, at most `concurrency` at once, until done or halted; returns
    /// the first error a batch ended with.
    async fn send_all(self: Arc<Self>, work: Work) -> Option<String> {
        let Work { mut batches, in_doubt, .. } = work;
        let in_doubt = Arc::new(in_doubt);
        let permits = Arc::new(Semaphore::new(self.options.concurrency));
        let mut tasks = tokio::task::JoinSet::new();
        let mut first_error = None;
        loop {
            let permit = tokio::select! {
                biased;
                () = self.halted() => break,
                permit = permits.clone().acquire_owned() => permit.expect("the semaphore is never closed"),
            };
            let batch = tokio::select! {
                biased;
                () = self.halted() => break,
                batch = batches.next() => batch,
            };
            let batch = match batch {
                None => break,
                Some(Ok(batch)) => batch,
                Some(Err(e)) => {
                    self.halt(Stopped::Fatal(e));
                    break;
                }
            };
            let (run, in_doubt) = (self.clone(), in_doubt.clone());
            tasks.spawn(async move {
                let _permit = permit;
                run.batch(batch, &in_doubt).await
            });
            while let Some(joined) = tasks.try_join_next() {
                if let Ok(Err(e)) = joined {
                    first_error.get_or_insert(e);
                }
            }
        }
        // The reader stops once nothing reads its batches.
        drop(batches);
        while let Some(joined) = tasks.join_next().await {
            if let Ok(Err(e)) = joined {
                first_error.get_or_insert(e);
            }
        }
        first_error
    }

    fn halt(&self, reason: Stopped) {
        self.halt.send_if_modified(|stopped| stopped.is_none() && stopped.replace(reason).is_none());
    }

    fn is_halted(&self) -> bool {
        self.halt.borrow().is_some()
    }

    async fn halted(&self) {
        let _ = self.halt.subscribe().wait_for(Option::is_some).await;
    }

    /// Ctrl-C: say what is finishing and start nothing new; a second one exits at once.
    async fn interrupts(self: Arc<Self>) {
        if tokio::signal::ctrl_c().await.is_err() {
            return;
        }
        self.halt(Stopped::Interrupted);
        let finishing = match self.in_flight.load(Ordering::SeqCst) {
            0 => "no call is in flight".to_owned(),
            calls => format!("{calls} call(s) in flight will finish and their results be written"),
        };
        self.progress
            .say(&format!("mktows: interrupted: {finishing}; no other batch is sent. Ctrl-C again stops at once."));
        if tokio::signal::ctrl_c().await.is_ok() {
            // Holding the writer, no result line is half-written when the process ends.
            let _writer = lock(&self.writer);
            self.progress.say(
                "mktows: stopped at once; the records of calls that were in flight have no result, and --resume checks them",
            );
            std::process::exit(i32::from(crate::EXIT_INTERRUPTED));
        }
    }

    async fn ticks(self: Arc<Self>) {
        loop {
            tokio::time::sleep(Duration::from_millis(500)).await;
            self.progress.tick();
        }
    }

    async fn batch(&self, items: Vec<Item>, in_doubt: &HashSet<usize>) -> Result<(), String> {
        let mut results = Vec::with_capacity(items.len());
        let mut to_send = Vec::with_capacity(items.len());
        for item in items {
            match item {
                Item::Rejected { line, key, reason } => results.push(result(line, key, "REJECTED", None, Some(reason))),
                item if in_doubt.contains(&item.line()) && !item.idempotent() => {
                    let reason = "outcome unknown: an interrupted run may already have created this lead, and with dedup off a resend could create a duplicate; check it in Marketo".to_owned();
                    results.push(result(item.line(), item.key().to_owned(), "FAILED", None, Some(reason)));
                }
                item => to_send.push(item),
            }
        }
        if !to_send.is_empty() {
            let sent = self.send_with_retries(&to_send).await.inspect_err(|e| self.halt(Stopped::Fatal(e.clone())))?;
            results.extend(sent.unwrap_or_default());
        }
        self.write(&results)
    }

    fn write(&self, results: &[ResultLine]) -> Result<(), String> {
        if results.is_empty() {
            return Ok(());
        }
        lock(&self.writer).results(results).inspect_err(|e| self.halt(Stopped::Fatal(e.clone())))?;
        let mut counts = lock(&self.counts);
        for line in results {
            *counts.entry(line.status.clone()).or_default() += 1;
        }
        drop(counts);
        self.progress.advance(results.len() as u64);
        Ok(())
    }

    /// The records' results, or `None` when the run halted before they were first sent.
    async fn send_with_retries(&self, items: &[Item]) -> Result<Option<Vec<ResultLine>>, String> {
        let idempotent = items.iter().all(Item::idempotent);
        let interrupted = |last: &str| fail_all(items, &format!("interrupted before a retry: {last}"), true);
        let mut last_error: Option<String> = None;
        for attempt in 1.. {
            let Some(permit) = self.slot().await else { return Ok(last_error.as_deref().map(interrupted)) };
            if attempt == 1 {
                lock(&self.writer).journal(items.iter().map(Item::line).collect())?;
            }
            self.in_flight.fetch_add(1, Ordering::SeqCst);
            let sent = self.send(items).await;
            self.in_flight.fetch_sub(1, Ordering::SeqCst);
            drop(permit);
            let connected = !matches!(&sent, Err(e) if matches!(e.kind(), ErrorKind::Transport(t) if t.is_connect()));
            self.reached.fetch_or(connected, Ordering::SeqCst);
            let error = match sent {
                Ok(results) => return Ok(Some(results)),
                Err(error) => error,
            };
            let text = describe(&error);
            match self.after_failure(items, &error, &text, attempt, idempotent) {
                Ok(results) => return Ok(Some(results)),
                Err(pause) if pause.is_zero() => {}
                Err(pause) => tokio::select! {
                    () = tokio::time::sleep(pause) => {}
                    () = self.halted() => return Ok(Some(interrupted(&text))),
                },
            }
            last_error = Some(text);
        }
        unreachable!("the attempts loop returns")
    }

    /// Waits for the rate limit to allow a call; the permit is held until the answer is in
    /// (see `RateLimiter`). `None` when the run halts first.
    async fn slot(&self) -> Option<Option<crate::rate::Permit>> {
        let permit = match &self.rate {
            None => None,
            Some(rate) => tokio::select! {
                biased;
                () = self.halted() => return None,
                permit = rate.acquire_with(|wait| {
                    let until = wait.map(|w| std::time::Instant::now() + w);
                    self.progress.waiting("rate limit: next call".into(), until);
                }) => Some(permit),
            },
        };
        (!self.is_halted()).then_some(permit)
    }

    /// What a failed attempt leaves: the records' results, or the pause before the next
    /// attempt (zero to retry at once).
    fn after_failure(
        &self,
        items: &[Item],
        error: &mktows::Error,
        text: &str,
        attempt: u32,
        idempotent: bool,
    ) -> Result<Vec<ResultLine>, Duration> {
        let decision = retry::decision(error, idempotent);
        tracing::info!(attempt, ?decision, "a batch of {} records failed: {text}", items.len());
        let reached = self.reached.load(Ordering::SeqCst);
        let max_attempts = if reached { self.options.max_attempts } else { ATTEMPTS_BEFORE_REACHED };
        match decision {
            Retry::Fatal => {
                self.halt(Stopped::Fatal(text.to_owned()));
                Ok(fail_all(items, text, true))
            }
            Retry::No => Ok(fail_all(items, text, false)),
            Retry::Unknown => Ok(fail_all(items, &format!("{OUTCOME_UNKNOWN} ({text})"), false)),
            _ if attempt >= max_attempts.min(self.options.max_attempts) => {
                if !reached {
                    let endpoint = redact(self.client.soap().endpoint());
                    self.halt(Stopped::Fatal(format!("cannot reach {endpoint}: {text}")));
                }
                Ok(fail_all(items, &format!("{text} (gave up after {attempt} attempts)"), true))
            }
            Retry::Now => Err(Duration::ZERO),
            Retry::Backoff => {
                let pause = self.backoff(attempt);
                let what = format!("retry {}/{max_attempts} ({})", attempt + 1, root_cause(error));
                self.progress.waiting(what, Some(std::time::Instant::now() + pause));
                Err(pause)
            }
        }
    }

    /// Exponential backoff with full jitter, capped at 30 s.
    fn backoff(&self, attempt: u32) -> Duration {
        let ceiling = self.options.backoff.saturating_mul(1 << attempt.min(16)).min(Duration::from_secs(30));
        // xorshift: jitter only has to spread retries, not be unpredictable.
        let mut x = self.seed.load(Ordering::Relaxed);
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.seed.store(x, Ordering::Relaxed);
        ceiling.mul_f64(0.5 + (x % 1000) as f64 / 2000.0)
    }

    async fn send(&self, items: &[Item]) -> Result<Vec<ResultLine>, mktows::Error> {
        match Params::of(&self.target, items) {
            Params::Leads(params) => {
                let statuses = self.client.sync_multiple_leads(&params).await?.result.sync_status_list.sync_status;
                Ok(match_statuses(items, statuses.len(), |i| {
                    let status = &statuses[i];
                    let lead_id = (status.lead_id > 0).then_some(i64::from(status.lead_id));
                    (status.status.to_string(), lead_id, status.error.value().cloned())
                }))
            }
            Params::Objects(params) => {
                let answer = self.client.sync_custom_objects(&params).await?;
                let statuses = answer.result.sync_custom_obj_status_list.sync_custom_obj_status;
                Ok(match_statuses(items, statuses.len(), |i| {
                    (statuses[i].status.to_string(), None, statuses[i].error.value().cloned())
                }))
            }
        }
    }
}

/// Pairs the i-th status with the i-th record; a response with the wrong count fails them all.
fn match_statuses(
    items: &[Item],
    count: usize,
    status: impl Fn(usize) -> (String, Option<i64>, Option<String>),
) -> Vec<ResultLine> {
    if count != items.len() {
        let message = format!("Marketo answered {count} statuses for {} records", items.len());
        return fail_all(items, &message, false);
    }
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let (status, lead_id, error) = status(i);
            result(item.line(), item.key().to_owned(), &status, lead_id, error)
        })
        .collect()
}

/// A FAILED line with `message` for every record of a batch; `resend` when `--resume`
/// should send them again.
fn fail_all(items: &[Item], message: &str, resend: bool) -> Vec<ResultLine> {
    items
        .iter()
        .map(|item| ResultLine {
            resend,
            ..result(item.line(), item.key().to_owned(), "FAILED", None, Some(message.to_owned()))
        })
        .collect()
}

fn result(line: usize, key: String, status: &str, lead_id: Option<i64>, error: Option<String>) -> ResultLine {
    ResultLine { line, key, status: status.to_owned(), lead_id, error, resend: false }
}

/// `--dry-run`: prints each call's params as `mktows call` takes them, and each rejected
/// record, as NDJSON on stdout, a batch at a time as the input is read; sends nothing.
/// Returns how many records were rejected.
pub fn dry_run(
    target: &Target,
    items: impl Iterator<Item = Result<Item, String>>,
    batch_size: usize,
) -> Result<u64, String> {
    let mut stdout = std::io::stdout().lock();
    let mut batcher = Batcher::new(batch_size);
    let (mut index, mut rejected) = (0, 0);
    for item in items {
        if let Some(batch) = batcher.push(item?) {
            index += 1;
            rejected += print_batch(&mut stdout, target, &batch, index)?;
        }
    }
    if let Some(batch) = batcher.finish() {
        rejected += print_batch(&mut stdout, target, &batch, index + 1)?;
    }
    Ok(rejected)
}

/// One batch of a dry run: its rejected records, then its call; how many were rejected.
fn print_batch(out: &mut impl Write, target: &Target, batch: &[Item], index: usize) -> Result<u64, String> {
    let mut rejected = 0;
    let mut lines = Vec::new();
    for item in batch {
        if let Item::Rejected { line, key, reason } = item {
            rejected += 1;
            let rejection = result(*line, key.clone(), "REJECTED", None, Some(reason.clone()));
            writeln!(out, "{}", serde_json::to_string(&rejection).expect("serializable"))
                .map_err(|e| format!("cannot write to stdout: {e}"))?;
        } else {
            lines.push(item.line());
        }
    }
    if lines.is_empty() {
        return Ok(rejected);
    }
    let mut call = Params::of(target, batch).to_json();
    call["batch"] = index.into();
    call["lines"] = lines.into();
    writeln!(out, "{call}").map_err(|e| format!("cannot write to stdout: {e}"))?;
    Ok(rejected)
}
