//! The command line keeps the conventions: README's exit codes, quiet pipes, colour only on
//! a terminal, `-q`, suggestions and completions, a sandbox that says where it listens and
//! what it serves, and no secret in any log or error.

mod common;

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};

use common::*;
use mktows_sandbox::PATH;

#[test]
fn usage_errors_exit_2_as_readme_says() {
    for args in [["sync-leads", "x.csv", "--batch-size", "500"], ["sync-leads", "x.csv", "--concurrency", "50"]] {
        let output = run(&args, None);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {}", stderr(&output));
    }
    let typo = run(&["sync-lead", "x.csv"], None);
    assert_eq!(typo.status.code(), Some(2));
    assert!(stderr(&typo).contains("similar subcommand exists: 'sync-leads'"), "{}", stderr(&typo));
    let completions = run(&["completions", "bash"], None);
    assert!(completions.status.success());
    assert!(String::from_utf8_lossy(&completions.stdout).contains("_mktows()"));
}

#[test]
fn a_closed_stdout_ends_quietly() {
    // The reader is gone before the first line is written, as `head -1` is after one line.
    let mut child = mktows(&["ops"], None).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stderr(&output), "");
}

#[test]
fn colour_follows_the_terminal_and_quiet_is_quiet() {
    let dir = temp_dir("colour");
    let input = dir.join("leads.csv");
    std::fs::write(&input, "Email\na@x.com\n").unwrap();
    let piped = run(&["sync-leads", input.to_str().unwrap(), "-v", "--output", "-"], None);
    assert!(piped.status.success());
    assert!(stderr(&piped).contains("INFO") && !stderr(&piped).contains('\u{1b}'), "{}", stderr(&piped));
    let forced = run(&["sync-leads", input.to_str().unwrap(), "-v", "--color", "always", "--output", "-"], None);
    assert!(stderr(&forced).contains('\u{1b}'), "{}", stderr(&forced));
    let quiet = run(&["sync-leads", input.to_str().unwrap(), "-q", "--output", "-"], None);
    assert!(quiet.status.success());
    assert_eq!(stderr(&quiet), "");
    assert_eq!(String::from_utf8_lossy(&quiet.stdout).lines().count(), 1);
}

/// A `mktows sandbox` process, killed if a test fails before stopping it.
struct Served(Option<Child>);

impl Drop for Served {
    fn drop(&mut self) {
        if let Some(child) = &mut self.0 {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Starts `mktows sandbox` with `args` and returns it with its endpoint (its first stdout line).
fn start_sandbox(args: &[&str]) -> (Served, String) {
    let mut child =
        mktows(&[&["sandbox"], args].concat(), None).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let mut endpoint = String::new();
    BufReader::new(child.stdout.as_mut().unwrap()).read_line(&mut endpoint).unwrap();
    (Served(Some(child)), endpoint.trim().to_owned())
}

/// Ctrl-C: the sandbox stops and exits 0; returns what it logged.
fn stop(mut served: Served) -> String {
    let mut child = served.0.take().unwrap();
    assert!(Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap().success());
    let mut text = String::new();
    child.stderr.take().unwrap().read_to_string(&mut text).unwrap();
    assert!(child.wait().unwrap().success(), "{text}");
    text
}

#[test]
fn the_sandbox_listens_on_any_host_port_logs_requests_and_keeps_its_state() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md")).unwrap();
    assert!(readme.contains("mktows sandbox [--listen HOST:PORT] [--state FILE]") && readme.contains("127.0.0.1:8080"));
    let dir = temp_dir("sandbox-state");
    let state = dir.join("state.json");
    let (child, endpoint) = start_sandbox(&["--listen", "localhost:0", "--state", state.to_str().unwrap(), "-vv"]);
    assert!(endpoint.starts_with("http://") && endpoint.ends_with(PATH), "{endpoint}");
    let created = run_with_stdin_at(
        &["call", "syncLead"],
        Some(&endpoint),
        br#"{"leadRecord":{"Email":"kept@x.com"},"returnLead":false}"#,
    );
    assert!(created.status.success(), "{}", stderr(&created));
    let log = stop(child);
    assert!(log.contains(&format!("POST {PATH}")) && log.contains("status=200"), "{log}");

    let (child, endpoint) = start_sandbox(&["--listen", "127.0.0.1:0", "--state", state.to_str().unwrap()]);
    let found = run_with_stdin_at(
        &["call", "getLead"],
        Some(&endpoint),
        br#"{"leadKey":{"keyType":"EMAIL","keyValue":"kept@x.com"}}"#,
    );
    assert!(found.status.success(), "the lead survived the restart: {}", stderr(&found));
    stop(child);
}

/// `mktows sandbox` takes its limits as options: a bulk benchmark can run against a separate
/// process without Marketo's 100 calls per 20 s.
#[test]
fn the_standalone_sandbox_enforces_the_rate_limit_it_is_given_or_none() {
    let call = |endpoint: &str| {
        run_with_stdin_at(
            &["call", "getLead"],
            Some(endpoint),
            br#"{"leadKey":{"keyType":"EMAIL","keyValue":"a@x.com"}}"#,
        )
    };
    let (child, endpoint) = start_sandbox(&["--listen", "127.0.0.1:0", "--rate-limit", "2/60"]);
    for _ in 0..2 {
        let answered = call(&endpoint);
        assert!(!stderr(&answered).contains("20023"), "{}", stderr(&answered));
    }
    let refused = call(&endpoint);
    assert!(stderr(&refused).contains("fault 20023"), "the third call in the window: {}", stderr(&refused));
    stop(child);

    let (child, endpoint) = start_sandbox(&["--listen", "127.0.0.1:0", "--no-rate-limit", "--latency-ms", "1"]);
    for _ in 0..3 {
        let answered = call(&endpoint);
        assert!(!stderr(&answered).contains("20023"), "{}", stderr(&answered));
    }
    stop(child);
    let bad = run(&["sandbox", "--max-concurrent-calls", "0"], None);
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));
}

/// The userinfo of an endpoint never shows: not in the `-v` log, not in an error, not in
/// the results or the journal.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_endpoints_userinfo_is_never_shown() {
    let sandbox = sandbox(unlimited()).await;
    let dir = temp_dir("secret");
    let input = dir.join("leads.csv");
    std::fs::write(&input, "Email\na@x.com\n").unwrap();
    let with_secret = sandbox.endpoint().replace("http://", "http://user:SECRET@");
    let output = run_beside(&["sync-leads", input.to_str().unwrap(), "-vv"], &with_secret).await;
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stderr(&output).contains("syncing to http://***@127.0.0.1"), "{}", stderr(&output));
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let unreachable = format!("http://user:SECRET@{closed}{PATH}");
    let args = ["sync-leads", input.to_str().unwrap(), "-vv", "--overwrite", "--retry-pause-ms", "10"];
    let failed = run_beside(&args, &unreachable).await;
    assert_eq!(failed.status.code(), Some(1));
    let journal = std::fs::read_to_string(dir.join("leads.csv.results.ndjson.journal")).unwrap();
    let results = std::fs::read_to_string(dir.join("leads.csv.results.ndjson")).unwrap();
    for text in [stderr(&output), stderr(&failed), journal, results] {
        assert!(!text.contains("SECRET"), "{text}");
    }
    let bad_url = run(&["call", "getLead", "--endpoint", "htp://user:SECRET@x"], None);
    assert!(!stderr(&bad_url).contains("SECRET"), "{}", stderr(&bad_url));
}

/// On a terminal the log is coloured, unless NO_COLOR is set or `--color never` says so.
#[test]
fn on_a_terminal_no_color_and_color_never_turn_colour_off() {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: `script` (util-linux) is not installed, so no terminal can be had");
        return;
    }
    let dir = temp_dir("tty-colour");
    let input = dir.join("leads.csv");
    std::fs::write(&input, "Email\na@x.com\n").unwrap();
    let binary = std::env::var("MKTOWS_TEST_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_mktows").into());
    let screen = |extra: &str, no_color: bool| {
        let line = format!("{binary} sync-leads {} -v --output - {extra}", input.display());
        let mut command = Command::new("script");
        command.args(["-qefc", &line, "/dev/null"]).env_remove("MKTOWS_ENDPOINT").env_remove("NO_COLOR");
        if no_color {
            command.env("NO_COLOR", "1");
        }
        let output = command.stdin(Stdio::null()).output().unwrap();
        assert!(output.status.success());
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    // tracing colours the level: INFO in green.
    let green_info = "\u{1b}[32m INFO";
    assert!(screen("", false).contains(green_info), "{:?}", screen("", false));
    assert!(!screen("", true).contains(green_info), "NO_COLOR");
    assert!(!screen("--color never", false).contains(green_info), "--color never");
}
