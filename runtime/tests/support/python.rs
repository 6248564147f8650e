#![allow(dead_code)] // each test file uses some of these
//! python3 as the tests' oracle (zeep, xmlsec, lxml, email): whether it can import what a
//! test needs, and a script run with arguments and standard input.

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// Whether `python3` can import `modules` (`"zeep, xmlsec"`).
pub fn has(modules: &str) -> bool {
    Command::new("python3").args(["-c", &format!("import {modules}")]).output().is_ok_and(|o| o.status.success())
}

/// Runs `script` with `args` as `sys.argv[1..]`, `stdin` written from another thread (a
/// large input would otherwise fill the pipe while python's output fills another).
pub fn output(script: &str, args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 runs");
    let mut pipe = child.stdin.take().expect("a stdin pipe");
    let input = stdin.to_vec();
    let writer = std::thread::spawn(move || pipe.write_all(&input));
    let out = child.wait_with_output().expect("python3 finishes");
    let _ = writer.join();
    out
}

/// [`output`]'s standard output, the script having succeeded.
pub fn run(script: &str, args: &[&str], stdin: &[u8]) -> Vec<u8> {
    let out = output(script, args, stdin);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}
