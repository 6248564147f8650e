//! Figures for the `mktows` binary: 100,000 leads through `sync-leads` against a local
//! sandbox with the rate limit off, and how much of Marketo's 100 calls per 20 s the
//! client's limiter uses over a run of more than a minute.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use mktows_sandbox::{RateLimit, Sandbox, SandboxConfig};

pub fn run(mktows: &Path, report: impl Fn(&str, f64, &str)) {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a tokio runtime");
    let dir = std::env::temp_dir().join(format!("mktows-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");

    // Throughput and memory: 100,000 leads, no rate limit, Marketo's concurrency limit.
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
    report("sync_leads_peak_rss_mb", peak_child_rss_mb(), "MB");
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
    let mut text = String::with_capacity(count * 120);
    for i in 0..count {
        text.push_str(&format!(
            "{{\"Email\":\"lead{i}@example.com\",\"FirstName\":\"Ada\",\"LastName\":\"Lovelace {i}\",\"Company\":\"Analytical Engines\",\"Phone\":\"650-555-{:04}\"}}\n",
            i % 10_000
        ));
    }
    std::fs::write(&path, text).expect("the input file");
    path
}

fn sync_leads(mktows: &Path, sandbox: &Sandbox, input: &Path, output: &Path, extra: &[&str]) -> bool {
    let _ = std::fs::remove_file(output);
    Command::new(mktows)
        .args(["sync-leads", input.to_str().unwrap(), "--output", output.to_str().unwrap()])
        .args(extra)
        .env("MKTOWS_ENDPOINT", sandbox.endpoint())
        .env("MKTOWS_USER_ID", mktows_sandbox::DEFAULT_USER_ID)
        .env("MKTOWS_SECRET_KEY", mktows_sandbox::DEFAULT_SECRET_KEY)
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// The largest resident set of any child process waited for so far.
fn peak_child_rss_mb() -> f64 {
    // SAFETY: getrusage only writes into the struct we pass, which is zero-initialised and
    // lives for the call.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage);
        usage
    };
    // Linux reports ru_maxrss in kilobytes.
    usage.ru_maxrss as f64 / 1024.0
}
