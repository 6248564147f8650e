//! Building a generated crate and running its sample round trips.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

/// How a generated crate fared with `--compile`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Check {
    /// It does not build, or builds with a warning: the first error or warning.
    DoesNotCompile(String),
    /// It builds with and without serde; its round-trip tests ran.
    Compiled(RoundTrips),
}

/// The round-trip tests of one crate: one per operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundTrips {
    pub passed: usize,
    pub operations: usize,
    /// The first failing operation and the first line of its failure.
    pub first_failure: Option<(String, String)>,
    /// What the samples do not exercise (from the sample generator), deduplicated.
    pub left_out: Vec<String>,
}

impl RoundTrips {
    pub fn all_pass(&self) -> bool {
        self.passed == self.operations
    }
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

/// `cargo <args>` on the crate at `dir`, building into `target` with the workspace's
/// dependency versions.
fn cargo_on(dir: &Path, target: &Path, args: &[&str]) -> Result<Output, String> {
    fs::copy(crate::workspace_root().join("Cargo.lock"), dir.join("Cargo.lock")).map_err(|e| e.to_string())?;
    Command::new(cargo())
        .args(args)
        .arg("--manifest-path")
        .arg(dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", target)
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))
}

/// The first error or warning cargo printed.
fn first_problem(output: &Output) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr);
    let first = stderr.lines().find(|l| l.starts_with("error") || l.starts_with("warning"));
    first.unwrap_or("(no message)").to_owned()
}

/// `cargo check` of the crate at `dir` with and without its serde feature, with the
/// workspace's dependency versions; an error or a warning is a failure naming the first.
pub fn cargo_check(dir: &Path, target: &Path) -> Result<(), String> {
    for features in [&[][..], &["--features", "serde"]] {
        let args: Vec<&str> = ["check", "--quiet"].iter().chain(features).copied().collect();
        let output = cargo_on(dir, target, &args)?;
        if !output.status.success() || !output.stderr.is_empty() {
            return Err(format!("cargo check {features:?}: {}", first_problem(&output)));
        }
    }
    Ok(())
}

/// `cargo check --all-targets` without serde, then the round-trip tests (and the `soap`
/// example) with serde, which also covers building with it.
pub fn check_and_test(dir: &Path, target: &Path, operations: usize, left_out: Vec<String>) -> Check {
    let checked = match cargo_on(dir, target, &["check", "--quiet", "--all-targets"]) {
        Ok(output) if output.status.success() && output.stderr.is_empty() => Ok(()),
        Ok(output) => Err(format!("cargo check: {}", first_problem(&output))),
        Err(e) => Err(e),
    };
    if let Err(e) = checked {
        return Check::DoesNotCompile(e);
    }
    // Not `--quiet`: that makes the harness print a dot per test instead of its name.
    let args = ["test", "--features", "serde", "--test", "round_trip", "--example", "soap", "--no-fail-fast"];
    let output = match cargo_on(dir, target, &args) {
        Ok(output) => output,
        Err(e) => return Check::DoesNotCompile(e),
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    // A build that failed or warned ran no test, or printed a warning before running them.
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !stdout.contains("test result:") || stderr.lines().any(|l| l.starts_with("warning")) {
        return Check::DoesNotCompile(format!("cargo test --features serde: {}", first_problem(&output)));
    }
    let (passed, first_failure) = test_results(&stdout);
    Check::Compiled(RoundTrips { passed, operations, first_failure, left_out })
}

/// Removes the package's own build artifacts from the shared target folder (its
/// dependencies stay for the next crate): a large corpus crate leaves gigabytes of debug
/// artifacts, and a sweep of them all would fill the disk.
pub fn clean(dir: &Path, target: &Path, package: &str) {
    // What is left behind only costs disk space: a failure to clean is no result.
    let _ = cargo_on(dir, target, &["clean", "--quiet", "-p", package]);
}

/// From the test harness's output: how many tests passed, and the first that failed with
/// the first line of its panic message.
pub fn test_results(stdout: &str) -> (usize, Option<(String, String)>) {
    let passed = stdout.lines().filter(|l| l.starts_with("test ") && l.ends_with(" ... ok")).count();
    let failed = stdout.lines().find_map(|l| l.strip_prefix("test ")?.strip_suffix(" ... FAILED"));
    let failure = failed.map(|name| {
        let section = stdout.split(&format!("---- {name} stdout ----")).nth(1).unwrap_or("");
        let message = section.lines().skip_while(|l| !l.contains("panicked at")).nth(1).unwrap_or("").trim();
        let mut message = message.to_owned();
        if message.len() > 200 {
            let cut = (0..=200).rev().find(|i| message.is_char_boundary(*i)).unwrap_or(0);
            message.truncate(cut);
            message.push('…');
        }
        (name.to_owned(), message)
    });
    (passed, failure)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passed_tests_and_the_first_failure_are_read_from_the_harness() {
        let stdout = "\nrunning 3 tests\ntest GetLead ... ok\ntest SyncLead ... FAILED\ntest Other ... FAILED\n\n\
                      failures:\n\n---- SyncLead stdout ----\n\nthread 'SyncLead' panicked at tests/round_trip.rs:33:5:\n\
                      response: `id` was dropped (or added) on the way:\n<x/>\nnote: run with `RUST_BACKTRACE=1`\n\n\
                      ---- Other stdout ----\n\nthread 'Other' panicked at x:\nother\n\n\
                      test result: FAILED. 1 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out\n";
        let (passed, failure) = test_results(stdout);
        assert_eq!(passed, 1);
        assert_eq!(failure, Some(("SyncLead".into(), "response: `id` was dropped (or added) on the way:".into())));
        assert_eq!(test_results("running 0 tests\ntest result: ok. 0 passed\n"), (0, None));
    }
}
