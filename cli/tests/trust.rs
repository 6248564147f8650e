//! The bulk sync never misleads: resume after a fault, one input per results file, the
//! embedded sandbox's state, no doubles behind a flaky gateway, nothing destroyed by
//! `--overwrite`, Ctrl-C, waits that show, errors that explain themselves.

mod common;

use std::collections::BTreeSet;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use mktows_sandbox::{SandboxConfig, PATH};

fn write_csv(path: &std::path::Path, emails: &[&str]) {
    let mut text = String::from("Email,FirstName\n");
    for email in emails {
        text.push_str(&format!("{email},N\n"));
    }
    std::fs::write(path, text).unwrap();
}

/// A run stopped by 20014 leaves its records FAILED with `resend`; `--resume` with the
/// right secret sends them, and its summary and exit code describe the whole file.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resume_after_a_run_stopping_fault_sends_the_cut_off_records() {
    let sandbox = sandbox(unlimited()).await;
    let dir = temp_dir("fatal");
    let input = dir.join("leads.csv");
    std::fs::write(&input, "Email,FirstName\na@x.com,A\nb@x.com,B\n,NoKey\nc@x.com,C\nd@x.com,D\ne@x.com,E\n").unwrap();
    let args = ["sync-leads", input.to_str().unwrap(), "--batch-size", "2"];
    let wrong = run_beside_env(&args, Some(&sandbox.endpoint()), &[("MKTOWS_SECRET_KEY", "wrong")]).await;
    assert_eq!(wrong.status.code(), Some(1), "{}", stderr(&wrong));
    assert!(stderr(&wrong).contains("20014") && stderr(&wrong).contains("--resume"), "{}", stderr(&wrong));
    assert_eq!(sandbox.lead_count(), 0);

    let resume: Vec<&str> = args.iter().copied().chain(["--resume"]).collect();
    let resumed = run_beside(&resume, &sandbox.endpoint()).await;
    let text = stderr(&resumed);
    // The REJECTED line from the first run still counts: not every record succeeded.
    assert_eq!(resumed.status.code(), Some(3), "{text}");
    assert!(text.contains("6 records: 5 created, 1 rejected (1 of them from an earlier run)"), "{text}");
    let lines = results(&dir.join("leads.csv.results.ndjson"));
    let by_line = by_line(&lines);
    assert_eq!(by_line.len(), 6, "one line per record: {lines:?}");
    assert_eq!(status_counts(&lines)["CREATED"], 5);
    assert_eq!(sandbox.lead_count(), 5);
}

/// `leads.txt` and `leads.csv` get results files of their own, and `--resume` refuses a
/// results file of another input, a changed input or another endpoint.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_results_file_belongs_to_one_input_and_endpoint() {
    let sandbox = sandbox(unlimited()).await;
    let dir = temp_dir("identity");
    let (txt, csv) = (dir.join("leads.txt"), dir.join("leads.csv"));
    write_csv(&txt, &["a@x.com", "b@x.com"]);
    write_csv(&csv, &["c@x.com", "d@x.com"]);
    assert!(run_beside(&["sync-leads", txt.to_str().unwrap()], &sandbox.endpoint()).await.status.success());
    let second = run_beside(&["sync-leads", csv.to_str().unwrap()], &sandbox.endpoint()).await;
    assert!(second.status.success(), "{}", stderr(&second));
    assert_eq!(sandbox.lead_count(), 4);
    assert_eq!(results(&dir.join("leads.txt.results.ndjson")).len(), 2);
    assert_eq!(results(&dir.join("leads.csv.results.ndjson")).len(), 2);

    let txt_results = dir.join("leads.txt.results.ndjson");
    let other = ["sync-leads", csv.to_str().unwrap(), "--resume", "--output", txt_results.to_str().unwrap()];
    let refused = run_beside(&other, &sandbox.endpoint()).await;
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("belongs to input") && stderr(&refused).contains("leads.txt"),
        "{}",
        stderr(&refused)
    );

    let elsewhere = common::sandbox(unlimited()).await;
    let moved = run_beside(&["sync-leads", txt.to_str().unwrap(), "--resume"], &elsewhere.endpoint()).await;
    assert!(stderr(&moved).contains("was written against"), "{}", stderr(&moved));
    assert_eq!(elsewhere.lead_count(), 0);
}

/// Killed (or not) before `--resume`, an input that gained a record at the top is refused:
/// its line numbers no longer name the same records.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_changed_input_is_refused_on_resume_with_or_without_a_kill() {
    let config = SandboxConfig { latency: Duration::from_millis(40), ..unlimited() };
    let sandbox = sandbox(config).await;
    let dir = temp_dir("changed");
    let input = dir.join("leads.ndjson");
    write_ndjson(&input, 600, "changed");
    let results_path = dir.join("leads.ndjson.results.ndjson");
    let args = [
        "sync-leads",
        input.to_str().unwrap(),
        "--output",
        results_path.to_str().unwrap(),
        "--no-dedup",
        "--no-rate-limit",
        "--batch-size",
        "20",
        "--concurrency",
        "2",
    ];
    let mut child = mktows(&args, Some(&sandbox.endpoint())).stderr(Stdio::null()).spawn().unwrap();
    wait_for_results(&results_path, 100).await;
    child.kill().unwrap();
    child.wait().unwrap();
    // Calls in flight when the client died are still processed by the sandbox.
    settled(&sandbox).await;
    let insert = |path: &std::path::Path| {
        let text = std::fs::read_to_string(path).unwrap();
        std::fs::write(path, format!("{{\"Email\":\"new@example.com\"}}\n{text}")).unwrap();
    };
    insert(&input);
    let (before, leads) = (std::fs::read(&results_path).unwrap(), sandbox.lead_count());
    let resume: Vec<&str> = args.iter().copied().chain(["--resume"]).collect();
    let refused = run_beside(&resume, &sandbox.endpoint()).await;
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr(&refused).contains("changed since the run"), "{}", stderr(&refused));
    assert_eq!((std::fs::read(&results_path).unwrap(), sandbox.lead_count()), (before, leads), "nothing touched");

    // A finished run, then a change: the same.
    let done = run_beside(&[&args[..], &["--overwrite"]].concat(), &sandbox.endpoint()).await;
    assert!(done.status.success(), "{}", stderr(&done));
    insert(&input);
    let refused = run_beside(&resume, &sandbox.endpoint()).await;
    assert!(stderr(&refused).contains("changed since the run"), "{}", stderr(&refused));
}

/// The input is read again while the run goes: one that changes meanwhile halts the run
/// with a fatal error that says so, and the records sent before keep their result lines.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_input_that_changes_during_the_run_halts_it() {
    let config = SandboxConfig { latency: Duration::from_millis(5), ..unlimited() };
    let sandbox = sandbox(config).await;
    let dir = temp_dir("changes-during");
    let input = dir.join("leads.ndjson");
    // About 2 MB: several of the reader's chunks, so it is still reading when the file changes.
    write_ndjson(&input, 20_000, "during-the-run-of-a-long-prefix-");
    let results_path = dir.join("leads.ndjson.results.ndjson");
    let args = [
        "sync-leads",
        input.to_str().unwrap(),
        "--output",
        results_path.to_str().unwrap(),
        "--no-rate-limit",
        "--batch-size",
        "100",
        "--concurrency",
        "1",
    ];
    let child = mktows(&args, Some(&sandbox.endpoint())).stderr(Stdio::piped()).spawn().unwrap();
    wait_for_results(&results_path, 100).await;
    // The same size, another record at the end.
    let text = std::fs::read_to_string(&input).unwrap().replace("-19999@", "-99999@");
    std::fs::write(&input, text).unwrap();
    let output = tokio::task::spawn_blocking(move || child.wait_with_output().unwrap()).await.unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stderr(&output).contains("changed while it was being synced"), "{}", stderr(&output));
    let lines = by_line(&results(&results_path));
    assert!(lines.len() >= 100 && lines.len() < 20_000, "{}", lines.len());
    assert!(lines.values().all(|r| r["status"] == "CREATED"));
    assert_eq!(sandbox.lead_count() as usize, lines.len(), "every record sent has its line");
}

/// `--resume` with the embedded sandbox is refused without a state file; with one, the
/// resumed run meets the first run's leads (the lead ids go on, nothing is doubled).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resuming_against_the_embedded_sandbox_needs_its_state_file() {
    let dir = temp_dir("embedded-state");
    let input = dir.join("leads.ndjson");
    write_ndjson(&input, 3000, "state");
    let refused = run(&["sync-leads", input.to_str().unwrap(), "--resume"], None);
    assert_eq!(refused.status.code(), Some(2));
    assert!(stderr(&refused).contains("--sandbox-state"), "{}", stderr(&refused));

    let state = dir.join("sandbox.json");
    let args = [
        "sync-leads",
        input.to_str().unwrap(),
        "--sandbox-state",
        state.to_str().unwrap(),
        "--no-dedup",
        "--no-rate-limit",
        "--batch-size",
        "20",
        "--concurrency",
        "1",
    ];
    let results_path = dir.join("leads.ndjson.results.ndjson");
    let mut child = mktows(&args, None).stderr(Stdio::null()).spawn().unwrap();
    wait_for_results(&results_path, 400).await;
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(results(&results_path).len() < 3000, "killed too late to test anything");
    let resume: Vec<String> = args.iter().map(|a| a.to_string()).chain(["--resume".into()]).collect();
    let resumed = tokio::task::spawn_blocking(move || {
        let resume: Vec<&str> = resume.iter().map(String::as_str).collect();
        run(&resume, None)
    })
    .await
    .unwrap();
    assert!(matches!(resumed.status.code(), Some(0 | 3)), "{}", stderr(&resumed));

    let lines = results(&results_path);
    assert_eq!(by_line(&lines).len(), 3000);
    let ids: Vec<i64> = lines.iter().filter_map(|r| r["leadId"].as_i64()).collect();
    assert_eq!(
        ids.iter().collect::<BTreeSet<_>>().len(),
        ids.len(),
        "a fresh sandbox would hand out the same ids again"
    );
    let saved = sandbox(SandboxConfig { state_file: Some(state.clone()), ..unlimited() }).await;
    let per_email = leads_per_email(&saved).await;
    assert!(per_email.values().all(|n| *n == 1), "a lead was created twice");
    assert!(ids.len() <= per_email.len());
}

/// Behind a gateway that answers 502 after its upstream processed 30% of the calls, email
/// leads with dedup off are never created twice: those records are FAILED "outcome unknown".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_502_after_processing_never_doubles_leads() {
    let sandbox = sandbox(unlimited()).await;
    let endpoint = gateway(sandbox.local_addr(), |call| call % 10 < 3).await;
    let dir = temp_dir("gateway");
    let input = dir.join("leads.ndjson");
    write_ndjson(&input, 2000, "gw");
    let args = ["sync-leads", input.to_str().unwrap(), "--no-dedup", "--no-rate-limit", "--batch-size", "50"];
    let output = run_beside(&args, &endpoint).await;
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    let lines = results(&dir.join("leads.ndjson.results.ndjson"));
    assert_eq!(by_line(&lines).len(), 2000);
    let counts = status_counts(&lines);
    assert_eq!((counts["CREATED"], counts["FAILED"]), (1400, 600), "{counts:?}");
    for line in lines.iter().filter(|l| l["status"] == "FAILED") {
        let error = line["error"].as_str().unwrap();
        assert!(error.starts_with("outcome unknown") && error.contains("502"), "{error}");
    }
    let per_email = leads_per_email(&sandbox).await;
    assert_eq!(per_email.len(), 2000, "the gateway's upstream processed every call");
    assert!(per_email.values().all(|n| *n == 1), "a lead was created twice");
}

/// `--overwrite` checks everything before it replaces anything, replaces only regular
/// files, and `--output -` writes results to stdout.
#[test]
fn overwrite_destroys_nothing_it_was_not_meant_to() {
    let dir = temp_dir("overwrite");
    let input = dir.join("leads.csv");
    write_csv(&input, &["a@x.com"]);
    let results_path = dir.join("leads.csv.results.ndjson");
    std::fs::write(
        &results_path,
        "{\"line\":2,\"key\":\"a@x.com\",\"status\":\"CREATED\",\"leadId\":1,\"error\":null}\n",
    )
    .unwrap();
    let before = std::fs::read(&results_path).unwrap();
    let mut no_credentials =
        mktows(&["sync-leads", input.to_str().unwrap(), "--overwrite"], Some("http://127.0.0.1:9/soap/mktows/2_2"));
    let refused = no_credentials.env_remove("MKTOWS_USER_ID").env_remove("MKTOWS_SECRET_KEY").output().unwrap();
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    assert_eq!(std::fs::read(&results_path).unwrap(), before, "the results file is untouched");

    let link = dir.join("link.ndjson");
    std::os::unix::fs::symlink(&results_path, &link).unwrap();
    let refused =
        run(&["sync-leads", input.to_str().unwrap(), "--overwrite", "--output", link.to_str().unwrap()], None);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("not a regular file") && stderr(&refused).contains("--output -"),
        "{}",
        stderr(&refused)
    );
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());

    let to_stdout = run(&["sync-leads", input.to_str().unwrap(), "--output", "-"], None);
    assert!(to_stdout.status.success(), "{}", stderr(&to_stdout));
    let line: serde_json::Value = serde_json::from_slice(&to_stdout.stdout).unwrap();
    assert_eq!((line["line"].as_u64(), line["status"].as_str()), (Some(2), Some("CREATED")));

    let over = run(&["sync-leads", input.to_str().unwrap(), "--overwrite"], None);
    assert!(over.status.success(), "{}", stderr(&over));
    assert_eq!(results(&results_path)[0]["leadId"], 1_000_001);
}

/// The first Ctrl-C says at once what is finishing, and no batch starts after it, even one
/// that was waiting for the rate limit; the second stops at once, keeping every line.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_says_what_finishes_and_a_second_one_stops_at_once() {
    let config = SandboxConfig { latency: Duration::from_millis(600), ..unlimited() };
    let sandbox = sandbox(config).await;
    let dir = temp_dir("ctrl-c-twice");
    let input = dir.join("leads.ndjson");
    write_ndjson(&input, 400, "twice");
    let results_path = dir.join("leads.ndjson.results.ndjson");
    let output_arg = ["--output", results_path.to_str().unwrap()];
    let args = [
        &["sync-leads", input.to_str().unwrap(), "--batch-size", "10", "--concurrency", "2", "--rate-limit", "3/30"],
        &output_arg[..],
    ]
    .concat();
    let child = mktows(&args, Some(&sandbox.endpoint())).stderr(Stdio::piped()).spawn().unwrap();
    wait_for_results(&results_path, 20).await;
    // Now the third call is in flight and the others wait for the rate limit.
    let interrupted_at = std::time::Instant::now();
    assert!(Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap().success());
    let output = wait_at_most(child, Duration::from_secs(5)).await;
    let waited = interrupted_at.elapsed();
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(130), "{text}");
    assert!(text.contains("interrupted: 1 call(s) in flight will finish"), "{text}");
    assert!(waited < Duration::from_secs(3), "it waited {waited:?} for the rate limit");
    let late =
        sandbox.accepted_call_times().iter().filter(|t| **t > interrupted_at + Duration::from_millis(100)).count();
    assert_eq!(late, 0, "a batch started after Ctrl-C");
    assert_eq!(results(&results_path).len(), 30);

    // A second Ctrl-C does not wait for the call in flight.
    let slow = common::sandbox(SandboxConfig { latency: Duration::from_secs(20), ..unlimited() }).await;
    let overwrite: Vec<&str> = ["sync-leads", input.to_str().unwrap(), "--overwrite", "--no-rate-limit"].to_vec();
    let child = mktows(&overwrite, Some(&slow.endpoint())).stderr(Stdio::piped()).spawn().unwrap();
    let started = Instant::now();
    while slow.stats().accepted == 0 {
        assert!(started.elapsed() < Duration::from_secs(10));
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    for _ in 0..2 {
        assert!(Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap().success());
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let output = wait_at_most(child, Duration::from_secs(5)).await;
    assert_eq!(output.status.code(), Some(130), "{}", stderr(&output));
    assert!(started.elapsed() < Duration::from_secs(10), "the second Ctrl-C waited for the call");
    assert!(stderr(&output).contains("stopped at once"), "{}", stderr(&output));
}

/// The child's output once it exits, or (killed) after `limit`: a test never hangs on it.
/// Waits until the sandbox's lead count has not changed for a while (a few call latencies).
async fn settled(sandbox: &mktows_sandbox::Sandbox) {
    let mut count = sandbox.lead_count();
    loop {
        tokio::time::sleep(Duration::from_millis(300)).await;
        match sandbox.lead_count() {
            now if now == count => return,
            now => count = now,
        }
    }
}

async fn wait_at_most(mut child: std::process::Child, limit: Duration) -> std::process::Output {
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() && started.elapsed() < limit {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let _ = child.kill();
    tokio::task::spawn_blocking(move || child.wait_with_output().unwrap()).await.unwrap()
}

/// A wait shows what it is for, on a terminal or not: the rate limit's next call, and the
/// retries against an endpoint that cannot be reached, which stops the run with exit 1
/// and the cause of the error.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn waits_say_what_for_and_an_unreachable_endpoint_stops_early() {
    let sandbox = sandbox(unlimited()).await;
    let dir = temp_dir("waits");
    let input = dir.join("leads.ndjson");
    write_ndjson(&input, 30, "wait");
    let args = ["sync-leads", input.to_str().unwrap(), "--batch-size", "10", "--rate-limit", "1/3"];
    let output = run_beside(&args, &sandbox.endpoint()).await;
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stderr(&output).contains("; rate limit: next call in "), "{}", stderr(&output));

    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let endpoint = format!("http://{closed}{PATH}");
    let args = ["sync-leads", input.to_str().unwrap(), "--batch-size", "10", "--retry-pause-ms", "200", "--overwrite"];
    let started = Instant::now();
    let output = run_beside(&args, &endpoint).await;
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
    assert!(text.contains("; retry 2/3 (Connection refused"), "{text}");
    assert!(text.contains(&format!("stopped early: cannot reach {endpoint}")), "{text}");
    assert!(text.contains("tcp connect error") && text.contains("Connection refused"), "the cause: {text}");
}

/// On a terminal (`script` gives the run one), the bar keeps ticking through a rate-limit
/// wait: its countdown is redrawn as the seconds pass.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bar_ticks_through_a_wait_on_a_terminal() {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: `script` (util-linux) is not installed, so no terminal can be had");
        return;
    }
    let sandbox = sandbox(unlimited()).await;
    let dir = temp_dir("terminal");
    let input = dir.join("leads.ndjson");
    write_ndjson(&input, 20, "tty");
    let binary = std::env::var("MKTOWS_TEST_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_mktows").into());
    let line = format!("{binary} sync-leads {} --batch-size 10 --rate-limit 1/4", input.display());
    let mut command = Command::new("script");
    command.args(["-qefc", &line, "/dev/null"]).env("MKTOWS_ENDPOINT", sandbox.endpoint());
    command
        .env("MKTOWS_USER_ID", mktows_sandbox::DEFAULT_USER_ID)
        .env("MKTOWS_SECRET_KEY", mktows_sandbox::DEFAULT_SECRET_KEY);
    let output = tokio::task::spawn_blocking(move || command.stdin(Stdio::null()).output().unwrap()).await.unwrap();
    let screen = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{screen}");
    for countdown in ["rate limit: next call in 3 s", "rate limit: next call in 2 s", "rate limit: next call in 1 s"] {
        assert!(screen.contains(countdown), "{countdown}: {screen}");
    }
}
