//! Input, as people's files come: JSON arrays, other delimiters and encodings, line ends of
//! every kind, BOMs, characters XML cannot carry, huge records, and stdin. What cannot be
//! read as a whole is refused before anything is sent; a bad record is rejected alone.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use common::*;
use mktows::*;
use mktows_sandbox::{Sandbox, SandboxConfig};

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path.to_str().unwrap().to_owned()
}

/// The results path the tests read, given explicitly so that any build writes it there.
fn out(input: &str) -> String {
    format!("{input}.results.ndjson")
}

fn statuses_by_line(path: &str) -> BTreeMap<u64, (String, String)> {
    by_line(&results(Path::new(&format!("{path}.results.ndjson"))))
        .into_iter()
        .map(|(line, r)| {
            (line, (r["status"].as_str().unwrap().to_owned(), r["error"].as_str().unwrap_or("").to_owned()))
        })
        .collect()
}

async fn lead(sandbox: &Sandbox, email: &str) -> LeadRecord {
    let client = Client::new(
        &sandbox.endpoint(),
        Credentials::new(mktows_sandbox::DEFAULT_USER_ID, mktows_sandbox::DEFAULT_SECRET_KEY),
    )
    .unwrap();
    let key = LeadKey { key_type: LeadKeyRef::Email, key_value: email.into() };
    let found = client.get_lead(&ParamsGetLead { lead_key: key }).await.unwrap();
    found.result.lead_record_list.into_value().unwrap().lead_record.remove(0)
}

fn attribute(lead: &LeadRecord, name: &str) -> Option<String> {
    let list = lead.lead_attribute_list.value()?;
    list.attribute.iter().find(|a| a.attr_name == name).map(|a| a.attr_value.clone())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pretty_printed_json_array_is_read_element_by_element() {
    let sandbox = sandbox(unlimited()).await;
    let dir = temp_dir("array");
    let text = "[\n  {\n    \"Email\": \"a@x.com\",\n    \"FirstName\": \"Ann\"\n  },\n  {\"Email\": \"b@x.com\"},\n  {\"Email\": \"c@x.com\"},\n  {\"Email\": \"d@x.com\"}\n]\n";
    let input = write(&dir, "leads.json", text);
    let output = run_beside(&["sync-leads", &input, "--output", &out(&input)], &sandbox.endpoint()).await;
    assert!(output.status.success(), "{}", stderr(&output));
    let lines = statuses_by_line(&input);
    assert_eq!(lines.keys().copied().collect::<Vec<_>>(), [2, 6, 7, 8]);
    assert!(lines.values().all(|(status, _)| status == "CREATED"));
    assert_eq!(attribute(&lead(&sandbox, "a@x.com").await, "FirstName").as_deref(), Some("Ann"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_semicolon_csv_is_refused_up_front_and_read_with_delimiter() {
    let sandbox = sandbox(unlimited()).await;
    let dir = temp_dir("semicolon");
    let input = write(&dir, "leads.csv", "Email;FirstName\na@x.com;Ann\nb@x.com;Bob\n");
    let refused = run_beside(&["sync-leads", &input, "--output", &out(&input)], &sandbox.endpoint()).await;
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr(&refused).contains("pass --delimiter ';'"), "{}", stderr(&refused));
    assert_eq!((sandbox.stats().accepted, Path::new(&format!("{input}.results.ndjson")).exists()), (0, false));
    let output =
        run_beside(&["sync-leads", &input, "--output", &out(&input), "--delimiter", ";"], &sandbox.endpoint()).await;
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(attribute(&lead(&sandbox, "b@x.com").await, "FirstName").as_deref(), Some("Bob"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn latin1_is_named_up_front_and_read_with_encoding() {
    let sandbox = sandbox(unlimited()).await;
    let dir = temp_dir("latin1");
    let input = write(&dir, "leads.csv", b"Email,FirstName\na@x.com,Jos\xE9\nb@x.com,Ren\xE9e\n");
    let output = run_beside(&["sync-leads", &input, "--output", &out(&input), "--dry-run"], &sandbox.endpoint()).await;
    assert!(
        stderr(&output).contains("is not UTF-8: 2 record(s), the first on line 2")
            && stderr(&output).contains("--encoding"),
        "{}",
        stderr(&output)
    );
    let output =
        run_beside(&["sync-leads", &input, "--output", &out(&input), "--encoding", "latin1"], &sandbox.endpoint())
            .await;
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(attribute(&lead(&sandbox, "a@x.com").await, "FirstName").as_deref(), Some("José"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_keys_column_an_unclosed_quote_or_a_repeated_header_refuses_the_file() {
    let sandbox = sandbox(unlimited()).await;
    let dir = temp_dir("refused");
    let objects = write(&dir, "objects.csv", "MKTOID,rid,city\n1,r1,Austin\n");
    let args = ["sync-custom-objects", "--type", "RoadShow", "--keys", "MKTOID,a", &objects];
    let refused = run_beside(&args, &sandbox.endpoint()).await;
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr(&refused).contains("has no key field `a`"), "{}", stderr(&refused));

    let quote = write(&dir, "quote.csv", "Email,FirstName\na@x.com,Ann\nb@x.com,\"Bob\nc@x.com,Carl\n");
    let refused = run_beside(&["sync-leads", &quote], &sandbox.endpoint()).await;
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr(&refused).contains("line 3: a quoted field opens here and never closes"), "{}", stderr(&refused));

    for (name, header) in [("first.csv", "Email,FirstName,FirstName"), ("email.csv", "Email,Email")] {
        let twice = write(&dir, name, format!("{header}\na@x.com,A,B\n"));
        let refused = run_beside(&["sync-leads", &twice], &sandbox.endpoint()).await;
        assert_eq!(refused.status.code(), Some(1));
        let named = if name == "first.csv" { "`FirstName` twice" } else { "`Email` twice" };
        assert!(stderr(&refused).contains(named), "{}", stderr(&refused));
    }
    assert_eq!(sandbox.stats().accepted, 0, "nothing was sent");
}

/// Line numbers are the file's physical lines for LF, CRLF and CR files alike.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_kind_of_line_end_gives_the_physical_line_numbers() {
    let sandbox = sandbox(unlimited()).await;
    let dir = temp_dir("line-ends");
    let csv = "Email,Note\na@x.com,\"two\nlines\"\nb@x.com,x\nshort\n";
    for (name, end) in [("lf.csv", "\n"), ("crlf.csv", "\r\n"), ("cr.csv", "\r")] {
        let input = write(&dir, name, csv.replace('\n', end).replace("@x.com", &format!("@{name}")));
        let output = run_beside(&["sync-leads", &input, "--output", &out(&input)], &sandbox.endpoint()).await;
        assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
        let lines = statuses_by_line(&input);
        let statuses: Vec<(u64, &str)> = lines.iter().map(|(line, (status, _))| (*line, status.as_str())).collect();
        assert_eq!(statuses, [(2, "CREATED"), (4, "CREATED"), (5, "REJECTED")], "{name}");
    }
    assert_eq!(attribute(&lead(&sandbox, "a@cr.csv").await, "Note").as_deref(), Some("two\nlines"));
}

/// A bare-CR file killed mid-run and resumed: every record ends with one result.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bare_cr_file_resumes_to_the_last_record() {
    let sandbox = sandbox(SandboxConfig { latency: Duration::from_millis(30), ..unlimited() }).await;
    let dir = temp_dir("cr-resume");
    let text: String = (0..600).map(|i| format!("{{\"Email\":\"cr{i}@example.com\"}}\r")).collect();
    let input = write(&dir, "leads.ndjson", text);
    let args =
        ["sync-leads", &input, "--output", &out(&input), "--no-rate-limit", "--batch-size", "10", "--concurrency", "1"];
    let mut child = mktows(&args, Some(&sandbox.endpoint())).stderr(Stdio::null()).spawn().unwrap();
    wait_for_results(Path::new(&format!("{input}.results.ndjson")), 50).await;
    child.kill().unwrap();
    child.wait().unwrap();
    let resume: Vec<&str> = args.iter().copied().chain(["--resume"]).collect();
    let output = run_beside(&resume, &sandbox.endpoint()).await;
    assert!(output.status.success(), "{}", stderr(&output));
    let lines = statuses_by_line(&input);
    assert_eq!(lines.keys().copied().collect::<Vec<_>>(), (1..=600).collect::<Vec<u64>>());
    assert!(lines.values().all(|(status, _)| status == "CREATED" || status == "UPDATED"));
    assert_eq!(sandbox.lead_count(), 600);
}

/// Bytes that are not UTF-8, characters XML 1.0 cannot carry, and a BOM: the first two
/// reject their record with the reason, the BOM is not part of the first record.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_bytes_and_control_characters_reject_their_record_alone() {
    let sandbox = sandbox(unlimited()).await;
    let dir = temp_dir("bad-bytes");
    let mut ndjson =
        b"\xEF\xBB\xBF{\"Email\":\"bom@x.com\"}\n{\"Email\":\"u@x.com\",\"FirstName\":\"B\xFFob\"}\n".to_vec();
    for (i, control) in ["\\u0000", "\\u0001", "\\u000b", "\\u001b"].iter().enumerate() {
        ndjson.extend(format!("{{\"Email\":\"c{i}@x.com\",\"FirstName\":\"B{control}ob\"}}\n").bytes());
    }
    ndjson.extend(b"{\"Email\":\"ok@x.com\"}\n{\"Email\":\"d1@x.com\",\"Email\":\"d2@x.com\"}\n");
    let input = write(&dir, "leads.ndjson", &ndjson);
    let output = run_beside(&["sync-leads", &input, "--output", &out(&input)], &sandbox.endpoint()).await;
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    let lines = statuses_by_line(&input);
    assert_eq!(lines[&1].0, "CREATED", "the BOM: {:?}", lines[&1]);
    assert_eq!(lines[&2].0, "REJECTED");
    assert!(lines[&2].1.contains("not valid UTF-8: byte 0xFF"), "{:?}", lines[&2]);
    for (line, code) in [(3, "U+0000"), (4, "U+0001"), (5, "U+000B"), (6, "U+001B")] {
        assert_eq!(lines[&line].0, "REJECTED");
        assert!(lines[&line].1.contains(&format!("field `FirstName` holds {code}")), "{:?}", lines[&line]);
    }
    assert_eq!(lines[&7].0, "CREATED");
    assert!(lines[&8].0 == "REJECTED" && lines[&8].1.contains("`Email` appears twice"), "{:?}", lines[&8]);
    assert_eq!(sandbox.lead_count(), 2);

    let csv = write(&dir, "leads.csv", "Email,FirstName\na@x.com,B\u{b}ob\nb@x.com,Bob\n");
    let output = run_beside(&["sync-leads", &csv, "--output", &out(&csv)], &sandbox.endpoint()).await;
    assert_eq!(output.status.code(), Some(3));
    let lines = statuses_by_line(&csv);
    assert!(lines[&2].0 == "REJECTED" && lines[&2].1.contains("U+000B"), "{lines:?}");
    assert_eq!(lines[&3].0, "CREATED");
}

/// A huge record is rejected with the reason; the rest of its batch is sent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_record_over_the_limits_is_rejected_and_its_batch_sent() {
    let sandbox = sandbox(unlimited()).await;
    let dir = temp_dir("huge");
    let mut text = String::new();
    for i in 0..300 {
        text.push_str(&format!("{{\"Email\":\"h{i}@x.com\"}}\n"));
        if i == 100 {
            text.push_str(&format!("{{\"Email\":\"big@x.com\",\"Notes\":\"{}\"}}\n", "x".repeat(3 << 20)));
        }
    }
    let input = write(&dir, "leads.ndjson", &text);
    let output = run_beside(&["sync-leads", &input, "--output", &out(&input)], &sandbox.endpoint()).await;
    assert_eq!(output.status.code(), Some(3));
    let lines = statuses_by_line(&input);
    assert!(lines[&102].0 == "REJECTED" && lines[&102].1.contains("--max-record-bytes"), "{:?}", lines[&102]);
    assert_eq!(lines.values().filter(|(s, _)| s == "CREATED").count(), 300);

    let columns = (0..1_000_000).map(|i| i.to_string()).collect::<Vec<_>>().join(",");
    let csv = write(&dir, "wide.csv", format!("Email,A\na@x.com,1\n{columns}\nb@x.com,2\n"));
    let output = run_beside(
        &["sync-leads", &csv, "--output", &out(&csv), "--max-record-bytes", "100000000"],
        &sandbox.endpoint(),
    )
    .await;
    assert_eq!(output.status.code(), Some(3));
    let lines = statuses_by_line(&csv);
    assert!(
        lines[&3].0 == "REJECTED" && lines[&3].1.contains("1000000 fields") && lines[&3].1.contains("--max-columns"),
        "{:?}",
        lines[&3]
    );
    assert_eq!((lines[&2].0.as_str(), lines[&4].0.as_str()), ("CREATED", "CREATED"));
}

/// A record far over `--max-record-bytes` (5 MB against 1000) is rejected alone, with the
/// size the limit counts, and the records after it are sent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_record_far_over_the_limit_is_rejected_alone_and_the_rest_sync() {
    let sandbox = sandbox(unlimited()).await;
    let dir = temp_dir("far-over");
    let huge = "x".repeat(5 << 20);
    let input = write(
        &dir,
        "leads.csv",
        format!("Email,Notes\r\na@x.com,1\r\nb@x.com,\"{huge}\"\r\nc@x.com,3\r\nd@x.com,4\r\n"),
    );
    let args = ["sync-leads", &input, "--output", &out(&input), "--max-record-bytes", "1000"];
    let output = run_beside(&args, &sandbox.endpoint()).await;
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    let lines = statuses_by_line(&input);
    let why = format!("the record is {} bytes, over the limit of 1000 (--max-record-bytes raises it)", huge.len() + 7);
    assert_eq!(lines[&3], ("REJECTED".to_owned(), why));
    assert_eq!([&lines[&2].0, &lines[&4].0, &lines[&5].0], ["CREATED"; 3]);
    assert_eq!(sandbox.lead_count(), 3);
}

/// Stdin cannot be read twice: it is spooled to a temporary file that the second pass
/// reads, and that is gone when the run ends, whether it synced or refused the input.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stdin_is_spooled_for_the_second_pass_and_the_spool_removed() {
    let sandbox = sandbox(unlimited()).await;
    let dir = temp_dir("spool");
    let spool_dir = dir.join("tmp");
    std::fs::create_dir_all(&spool_dir).unwrap();
    let mut csv = String::from("Email,FirstName\r\n");
    for i in 0..2000 {
        csv.push_str(&format!("s{i}@x.com,\"N\r\n{i}\"\r\n"));
    }
    let results_path = dir.join("stdin.results.ndjson");
    let run = |stdin: String| {
        let mut command =
            mktows(&["sync-leads", "-", "--output", results_path.to_str().unwrap()], Some(&sandbox.endpoint()));
        command.env("TMPDIR", &spool_dir).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
        tokio::task::spawn_blocking(move || {
            use std::io::Write;
            let mut child = command.spawn().unwrap();
            child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
            child.wait_with_output().unwrap()
        })
    };
    let output = run(csv).await.unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let lines = by_line(&results(&results_path));
    assert_eq!(lines.keys().copied().collect::<Vec<_>>(), (0..2000).map(|i| 2 + 2 * i).collect::<Vec<u64>>());
    assert!(lines.values().all(|r| r["status"] == "CREATED"));
    assert_eq!(sandbox.lead_count(), 2000);
    assert_eq!(attribute(&lead(&sandbox, "s7@x.com").await, "FirstName").as_deref(), Some("N\n7"));
    let left = || std::fs::read_dir(&spool_dir).unwrap().map(|e| e.unwrap().file_name()).collect::<Vec<_>>();
    assert_eq!(left(), Vec::<std::ffi::OsString>::new(), "the spool file is gone");

    let refused = run("Email,FirstName\na@x.com,\"Ann\n".into()).await.unwrap();
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("stdin: line 2: a quoted field opens here and never closes"),
        "{}",
        stderr(&refused)
    );
    assert_eq!(left(), Vec::<std::ffi::OsString>::new(), "the spool file is gone");
}

/// `--dry-run` reads, checks and batches, prints each call's params, and sends nothing;
/// the input can come from stdin; `--summary-json` describes the results file.
#[test]
fn dry_run_stdin_and_a_summary_in_json() {
    let dir = temp_dir("dry-run");
    let csv = "Email,FirstName\na@x.com,Ann\n,NoKey\nb@x.com,Bob\nc@x.com,Cy\n";
    let output = run_with_stdin(&["sync-leads", "-", "--dry-run", "--batch-size", "2", "--no-dedup"], csv.as_bytes());
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    let lines: Vec<serde_json::Value> =
        String::from_utf8(output.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert_eq!((lines[0]["status"].as_str(), lines[0]["line"].as_u64()), (Some("REJECTED"), Some(3)));
    assert_eq!(lines[1]["lines"], serde_json::json!([2, 4]));
    assert_eq!(lines[1]["syncMultipleLeads"]["leadRecordList"]["leadRecord"][1]["Email"], "b@x.com");
    assert_eq!(lines[1]["syncMultipleLeads"]["dedupEnabled"], false);
    assert_eq!(lines[2]["lines"], serde_json::json!([5]));

    let needs_output = run_with_stdin(&["sync-leads", "-"], csv.as_bytes());
    assert_eq!(needs_output.status.code(), Some(2));
    let results_path = dir.join("stdin.results.ndjson");
    let summary_path = dir.join("summary.json");
    let args = [
        "sync-leads",
        "-",
        "--output",
        results_path.to_str().unwrap(),
        "--summary-json",
        summary_path.to_str().unwrap(),
    ];
    let output = run_with_stdin(&args, csv.as_bytes());
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    assert_eq!(results(&results_path).len(), 4);
    let summary: serde_json::Value = serde_json::from_slice(&std::fs::read(&summary_path).unwrap()).unwrap();
    assert_eq!(summary["records"], 4);
    assert_eq!(summary["statuses"], serde_json::json!({"CREATED": 3, "REJECTED": 1}));
    assert_eq!((summary["exitCode"].as_u64(), summary["input"].as_str()), (Some(3), Some("stdin")));
}

#[test]
fn call_refuses_a_field_the_operation_does_not_have() {
    let output =
        run_with_stdin(&["call", "syncMultipleLeads"], br#"{"leadRecordList":{"leadRecord":[{"Emial":"x@y.z"}]}}"#);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("unknown field `leadRecordList.leadRecord[0].Emial`"), "{}", stderr(&output));
    let output = run_with_stdin(
        &["call", "syncMultipleLeads"],
        br#"{"leadRecordList":{"leadRecord":[{"Email":"x\u000b@y.z"}]}}"#,
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("holds U+000B"), "{}", stderr(&output));
}
