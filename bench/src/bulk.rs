//! Figures for the `mktows` binary: 100,000 leads through `sync-leads` against a local
//! sandbox with the rate limit off, the peak memory of `sync-leads` alone for 100,000 and
//! 1,000,000 leads against a sandbox in another process, and how much of Marketo's 100
//! calls per 20 s the client's limiter uses over a run of more than a minute.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use mktows_sandbox::{RateLimit, Sandbox, SandboxConfig};

pub fn run(mktows: &Path, report: impl Fn(&str, f64, &str)) {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a tokio runtime");
    let dir = std::env::temp_dir().join(format!("mktows-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");

    // Throughput: 100,000 leads, no rate limit, Marketo's concurrency limit.
    let input = write_leads(&dir, 100_000);
    let config = SandboxConfig { rate_limit: None, ..SandboxConfig::default() };
    let sandbox = runtime.block_on(Sandbox::start(config, "127.0.0.1:0".parse().unwrap())).expect("a sandbox");
    let started = Instant::now();
    let output = dir.join("bulk.results.ndjson");
    let status = sync_leads(mktows, &sandbox, &input, &output, &["--no-rate-limit", "--concurrency", "8"]);
    let elapsed = started.elapsed();
    assert!(status, "sync-leads failed");
    assert_eq!(sandbox.lead_count(), 100_000, "every lead landed once");
    report("sync_leads_records_s", 100_000.0 / elapsed.as_secs_f64(), "records/s");
    drop(sandbox);

    // Memory: what `sync-leads` alone takes, which should not grow with the input.
    let sandbox = SandboxProcess::start(mktows);
    for (count, name) in [(100_000, "sync_leads_peak_rss_mb_100k"), (1_000_000, "sync_leads_peak_rss_mb_1m")] {
        let input = write_leads(&dir, count);
        let output = dir.join(format!("memory-{count}.results.ndjson"));
        let peak = sync_leads_peak_rss_mb(mktows, &sandbox.endpoint, &input, &output);
        report(name, peak, "MB");
        let _ = std::fs::remove_file(&input);
    }
    drop(sandbox);

    // Rate-limit utilisation: one lead per call, so the limiter and not the data sets the
    // pace; 400 calls at 100 per 20 s take a little over 60 s.
    let input = write_leads(&dir, 400);
    let config = SandboxConfig {
        rate_limit: Some(RateLimit { calls: 100, window: Duration::from_secs(20) }),
        ..SandboxConfig::default()
    };
    let sandbox = runtime.block_on(Sandbox::start(config, "127.0.0.1:0".parse().unwrap())).expect("a sandbox");
    let output = dir.join("rate.results.ndjson");
    assert!(sync_leads(mktows, &sandbox, &input, &output, &["--batch-size", "1"]), "sync-leads failed");
    let calls = sandbox.accepted_call_times();
    assert_eq!(sandbox.stats().rejected, 0, "the server never refused a call");
    let span = calls.last().unwrap().duration_since(calls[0]);
    let window = Duration::from_secs(20);
    let busiest = calls
        .iter()
        .map(|start| calls.iter().filter(|t| **t >= *start && t.duration_since(*start) < window).count())
        .max()
        .unwrap_or(0);
    // The most calls any schedule within the limit could start in `span`: 100 at once,
    // then 100 more for every further 20 s.
    let allowed = 100.0 * (span.as_secs_f64() / 20.0 + 1.0);
    report("rate_limit_run_s", span.as_secs_f64(), "s");
    report("rate_limit_utilisation", calls.len() as f64 / allowed, "ratio");
    report("rate_limit_busiest_window", busiest as f64 / 100.0, "ratio");
    let _ = std::fs::remove_dir_all(&dir);
}

fn write_leads(dir: &Path, count: usize) -> PathBuf {
    let path = dir.join(format!("leads-{count}.ndjson"));
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).expect("the input file"));
    for i in 0..count {
        writeln!(
            file,
            "{{\"Email\":\"lead{i}@example.com\",\"FirstName\":\"Ada\",\"LastName\":\"Lovelace {i}\",\"Company\":\"Analytical Engines\",\"Phone\":\"650-555-{:04}\"}}",
            i % 10_000
        )
        .expect("the input file");
    }
    file.flush().expect("the input file");
    path
}

fn sync_leads(mktows: &Path, sandbox: &Sandbox, input: &Path, output: &Path, extra: &[&str]) -> bool {
    let _ = std::fs::remove_file(output);
    sync_leads_command(mktows, &sandbox.endpoint(), input, output)
        .args(extra)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn sync_leads_command(mktows: &Path, endpoint: &str, input: &Path, output: &Path) -> Command {
    let mut command = Command::new(mktows);
    command
        .args(["sync-leads", input.to_str().unwrap(), "--output", output.to_str().unwrap()])
        .env("MKTOWS_ENDPOINT", endpoint)
        .env("MKTOWS_USER_ID", mktows_sandbox::DEFAULT_USER_ID)
        .env("MKTOWS_SECRET_KEY", mktows_sandbox::DEFAULT_SECRET_KEY);
    command
}

/// `mktows sandbox` in a process of its own, so that its memory (it keeps every lead) is
/// not counted as the client's.
struct SandboxProcess {
    child: std::process::Child,
    endpoint: String,
    // Kept open: the sandbox's stdout is a pipe it may still write to.
    _stdout: BufReader<std::process::ChildStdout>,
}

impl SandboxProcess {
    fn start(mktows: &Path) -> Self {
        let mut child = Command::new(mktows)
            .args(["sandbox", "--listen", "127.0.0.1:0", "--no-rate-limit", "--no-concurrency-limit"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("mktows sandbox starts");
        let mut stdout = BufReader::new(child.stdout.take().expect("a piped stdout"));
        let mut endpoint = String::new();
        stdout.read_line(&mut endpoint).expect("the sandbox prints its endpoint");
        Self { child, endpoint: endpoint.trim().to_owned(), _stdout: stdout }
    }
}

impl Drop for SandboxProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs `sync-leads` and returns the largest resident set of that process alone: its
/// `VmHWM` (the kernel's high-water mark of the process since it began the program), read
/// until it exits. `wait4`'s `ru_maxrss` would not do: a child forked from this process
/// counts this process's memory too until it runs the program, and that is larger.
fn sync_leads_peak_rss_mb(mktows: &Path, endpoint: &str, input: &Path, output: &Path) -> f64 {
    let _ = std::fs::remove_file(output);
    let mut child = sync_leads_command(mktows, endpoint, input, output)
        .args(["--no-rate-limit", "--concurrency", "8"])
        .stderr(Stdio::null())
        .spawn()
        .expect("mktows sync-leads starts");
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_kb = 0u64;
    let status = loop {
        peak_kb = peak_kb.max(high_water_mark_kb(&status_file).unwrap_or(0));
        if let Some(status) = child.try_wait().expect("sync-leads can be waited for") {
            break status;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    assert!(status.success(), "sync-leads failed");
    peak_kb as f64 / 1024.0
}

/// The `VmHWM` line of a `/proc/PID/status` file, in kilobytes; `None` once the process
/// has exited (a zombie has no memory to report).
fn high_water_mark_kb(status_file: &str) -> Option<u64> {
    let status = std::fs::read_to_string(status_file).ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
