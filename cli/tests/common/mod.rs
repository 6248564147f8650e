//! Helpers for the `mktows` binary's tests: a temp dir, the binary with the sandbox's
//! credentials, the results file read back, and the sandbox's leads.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use mktows::*;
use mktows_sandbox::{Sandbox, SandboxConfig, DEFAULT_SECRET_KEY, DEFAULT_USER_ID};
use serde_json::Value;

pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("mktows-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The binary under test; `MKTOWS_TEST_BIN` runs the suite against another build (an older
/// commit's, to see a test fail there).
pub fn mktows(args: &[&str], endpoint: Option<&str>) -> Command {
    let binary = std::env::var_os("MKTOWS_TEST_BIN").unwrap_or_else(|| env!("CARGO_BIN_EXE_mktows").into());
    let mut command = Command::new(binary);
    command
        .args(args)
        .env_remove("MKTOWS_ENDPOINT")
        .env("MKTOWS_USER_ID", DEFAULT_USER_ID)
        .env("MKTOWS_SECRET_KEY", DEFAULT_SECRET_KEY);
    if let Some(endpoint) = endpoint {
        command.env("MKTOWS_ENDPOINT", endpoint);
    }
    command
}

pub fn run(args: &[&str], endpoint: Option<&str>) -> Output {
    mktows(args, endpoint).output().unwrap()
}

/// Runs the binary off the async runtime, so the in-process sandbox keeps serving.
pub async fn run_beside(args: &[&str], endpoint: &str) -> Output {
    let args: Vec<String> = args.iter().map(|s| (*s).to_owned()).collect();
    let endpoint = endpoint.to_owned();
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        run(&args, Some(&endpoint))
    })
    .await
    .unwrap()
}

pub fn results(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

/// Result lines by input line number; fails if any line is reported twice.
pub fn by_line(results: &[Value]) -> BTreeMap<u64, Value> {
    let mut map = BTreeMap::new();
    for result in results {
        let line = result["line"].as_u64().unwrap();
        assert!(map.insert(line, result.clone()).is_none(), "line {line} reported twice");
    }
    map
}

pub fn status_counts(results: &[Value]) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for result in results {
        *counts.entry(result["status"].as_str().unwrap().to_owned()).or_default() += 1;
    }
    counts
}

pub async fn all_leads(sandbox: &Sandbox) -> Vec<LeadRecord> {
    let client = Client::new(&sandbox.endpoint(), Credentials::new(DEFAULT_USER_ID, DEFAULT_SECRET_KEY)).unwrap();
    let mut leads = Vec::new();
    let mut position = Nillable::Absent;
    loop {
        let params = ParamsGetMultipleLeads {
            batch_size: Nillable::Value(1000),
            stream_position: position,
            ..Default::default()
        };
        let page = client.get_multiple_leads(&params).await.unwrap().result;
        leads.extend(page.lead_record_list.into_value().unwrap().lead_record);
        if page.remaining_count == 0 {
            return leads;
        }
        position = Nillable::Value(page.new_stream_position);
    }
}

pub fn write_ndjson(path: &Path, count: usize, prefix: &str) {
    let mut text = String::new();
    for i in 0..count {
        text.push_str(&format!(
            "{{\"Email\":\"{prefix}{i}@example.com\",\"FirstName\":\"N{i}\",\"LeadScore\":{}}}\n",
            i % 100
        ));
    }
    std::fs::write(path, text).unwrap();
}

pub async fn sandbox(config: SandboxConfig) -> Sandbox {
    Sandbox::start(config, "127.0.0.1:0".parse().unwrap()).await.unwrap()
}

pub fn unlimited() -> SandboxConfig {
    SandboxConfig { rate_limit: None, max_concurrent_calls: None, ..SandboxConfig::default() }
}

pub fn run_with_stdin(args: &[&str], stdin: &[u8]) -> Output {
    run_with_stdin_at(args, None, stdin)
}

pub fn run_with_stdin_at(args: &[&str], endpoint: Option<&str>, stdin: &[u8]) -> Output {
    use std::io::Write;
    let mut child =
        mktows(args, endpoint).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

pub fn shared_example(path: &str) -> Vec<u8> {
    std::fs::read(format!("{}/../../shared/examples/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Waits (at most a minute) until the results file has `count` lines.
pub async fn wait_for_results(path: &Path, count: usize) {
    let started = std::time::Instant::now();
    while std::fs::read_to_string(path).map(|t| t.lines().count()).unwrap_or(0) < count {
        assert!(started.elapsed() < std::time::Duration::from_secs(60), "the run made no progress");
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
}

/// How many leads the sandbox holds per email.
pub async fn leads_per_email(sandbox: &Sandbox) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for lead in all_leads(sandbox).await {
        *counts.entry(lead.email.value().cloned().unwrap_or_default()).or_default() += 1;
    }
    counts
}

/// Like `run_beside`, with extra environment variables.
pub async fn run_beside_env(args: &[&str], endpoint: Option<&str>, env: &[(&str, &str)]) -> Output {
    let mut command = mktows(args, endpoint);
    for (name, value) in env {
        command.env(name, value);
    }
    tokio::task::spawn_blocking(move || command.stdin(Stdio::null()).output().unwrap()).await.unwrap()
}

/// An HTTP gateway in front of `upstream` that answers 502 Bad Gateway for calls `fails`
/// picks (by their number, from 0) *after* the upstream has processed them, as a proxy
/// whose upstream answered too late does.
pub async fn gateway(upstream: std::net::SocketAddr, fails: fn(u64) -> bool) -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::Arc;
    use tokio::io::AsyncWriteExt;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let calls = Arc::new(AtomicU64::new(0));
    tokio::spawn(async move {
        while let Ok((mut client, _)) = listener.accept().await {
            let calls = calls.clone();
            tokio::spawn(async move {
                let mut buffer = Vec::new();
                while let Some(request) = read_message(&mut client, &mut buffer).await {
                    let mut server = tokio::net::TcpStream::connect(upstream).await.unwrap();
                    server.write_all(&request).await.unwrap();
                    let Some(response) = read_message(&mut server, &mut Vec::new()).await else { return };
                    let reply = match fails(calls.fetch_add(1, Ordering::SeqCst)) {
                        true => b"HTTP/1.1 502 Bad Gateway\r\ncontent-type: text/plain\r\ncontent-length: 11\r\n\r\nBad Gateway".to_vec(),
                        false => response,
                    };
                    if client.write_all(&reply).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    format!("http://{address}{}", mktows_sandbox::PATH)
}

/// One HTTP/1.1 message with a Content-Length body (what reqwest and hyper send here),
/// or `None` at the end of the stream; bytes past it stay in `buffer`.
async fn read_message(stream: &mut tokio::net::TcpStream, buffer: &mut Vec<u8>) -> Option<Vec<u8>> {
    use tokio::io::AsyncReadExt;
    let mut chunk = [0u8; 64 * 1024];
    loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buffer[..end]).to_ascii_lowercase();
            let length: usize =
                head.lines().find_map(|l| l.strip_prefix("content-length:")).map_or(0, |n| n.trim().parse().unwrap());
            let total = end + 4 + length;
            if buffer.len() >= total {
                return Some(buffer.drain(..total).collect());
            }
        }
        assert!(buffer.len() < 64 * 1024 * 1024, "an HTTP message this large is not one of the tests'");
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
        }
    }
}
