//! The `mktows` binary against a sandbox: every record accounted for exactly once.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use mktows_sandbox::{RateLimit, SandboxConfig};
use serde_json::Value;

#[test]
fn the_sample_file_runs_against_the_embedded_sandbox() {
    let dir = temp_dir("sample");
    let input = dir.join("leads.csv");
    std::fs::copy(concat!(env!("CARGO_MANIFEST_DIR"), "/../samples/leads.csv"), &input).unwrap();
    let output = run(&["sync-leads", input.to_str().unwrap()], None);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("using the embedded sandbox"), "{stderr}");
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let lines = results(&dir.join("leads.csv.results.ndjson"));
    let by_line = by_line(&lines);
    assert_eq!(status_counts(&lines), BTreeMap::from([("CREATED".into(), 1000)]));
    assert_eq!(by_line.keys().copied().collect::<Vec<_>>(), (2..=1001).collect::<Vec<u64>>());
    assert!(by_line.values().all(|r| r["leadId"].as_i64().unwrap() > 0));
    // A second run without --resume refuses to touch the results; --overwrite starts over.
    let again = run(&["sync-leads", input.to_str().unwrap()], None);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("pass --resume"));
    let over = run(&["sync-leads", input.to_str().unwrap(), "--overwrite"], None);
    assert_eq!(over.status.code(), Some(0));
    assert_eq!(results(&dir.join("leads.csv.results.ndjson")).len(), 1000);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_ndjson_leads_each_land_exactly_once() {
    let sandbox = sandbox(unlimited()).await;
    let dir = temp_dir("ten-thousand");
    let input = dir.join("leads.ndjson");
    write_ndjson(&input, 10_000, "bulk");
    let output = run_beside(
        &["sync-leads", input.to_str().unwrap(), "--no-rate-limit", "--concurrency", "8"],
        &sandbox.endpoint(),
    )
    .await;
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let lines = results(&dir.join("leads.ndjson.results.ndjson"));
    assert_eq!(by_line(&lines).len(), 10_000);
    assert_eq!(status_counts(&lines), BTreeMap::from([("CREATED".into(), 10_000)]));
    let leads = all_leads(&sandbox).await;
    let emails: BTreeSet<_> = leads.iter().map(|l| l.email.value().unwrap().clone()).collect();
    assert_eq!((leads.len(), emails.len()), (10_000, 10_000));
    // Every result's lead id is the lead with that line's email.
    let ids: BTreeSet<i64> = lines.iter().map(|r| r["leadId"].as_i64().unwrap()).collect();
    assert_eq!(ids.len(), 10_000);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_lines_are_rejected_with_reasons_and_do_not_stop_the_run() {
    let sandbox = sandbox(unlimited()).await;
    let dir = temp_dir("rejects");
    let input = dir.join("mixed.ndjson");
    std::fs::write(&input, "{\"Email\":\"ok1@x.com\"}\n{not json\n{\"FirstName\":\"NoKey\"}\n{\"Id\":\"abc\"}\n{\"Email\":\"ok2@x.com\"}\n").unwrap();
    let output = run_beside(&["sync-leads", input.to_str().unwrap()], &sandbox.endpoint()).await;
    assert_eq!(output.status.code(), Some(3));
    let by_line = by_line(&results(&dir.join("mixed.ndjson.results.ndjson")));
    let statuses: Vec<_> = by_line.values().map(|r| r["status"].as_str().unwrap().to_owned()).collect();
    assert_eq!(statuses, ["CREATED", "REJECTED", "REJECTED", "REJECTED", "CREATED"]);
    assert!(by_line[&2]["error"].as_str().unwrap().starts_with("unparseable JSON"));
    assert!(by_line[&3]["error"].as_str().unwrap().contains("no key"));
    assert!(by_line[&4]["error"].as_str().unwrap().contains("not a Marketo lead id"));
    assert_eq!(sandbox.lead_count(), 2);
}

/// Killed mid-run with dedup off (where a resend would duplicate), then resumed: every
/// record ends with one result line, no lead exists twice, and every CREATED lead exists.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_run_resumes_without_losing_or_doubling_records() {
    let config = SandboxConfig { latency: Duration::from_millis(60), ..unlimited() };
    let sandbox = sandbox(config).await;
    let dir = temp_dir("resume");
    let input = dir.join("leads.ndjson");
    write_ndjson(&input, 3000, "resume");
    let results_path = dir.join("leads.ndjson.results.ndjson");
    let args = [
        "sync-leads",
        input.to_str().unwrap(),
        "--no-dedup",
        "--no-rate-limit",
        "--batch-size",
        "50",
        "--concurrency",
        "2",
    ];

    let mut child =
        mktows(&args, Some(&sandbox.endpoint())).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
    let started = Instant::now();
    loop {
        let written = std::fs::read_to_string(&results_path).map(|t| t.lines().count()).unwrap_or(0);
        if written >= 600 {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(60), "the run made no progress");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let before = results(&results_path).len();
    assert!(before < 3000, "killed too late to test anything ({before} lines)");

    let mut resume_args = args.to_vec();
    resume_args.push("--resume");
    let resumed = run_beside(&resume_args, &sandbox.endpoint()).await;
    let stderr = String::from_utf8_lossy(&resumed.stderr);
    assert!(matches!(resumed.status.code(), Some(0 | 3)), "{stderr}");

    let lines = results(&results_path);
    let by_line = by_line(&lines);
    assert_eq!(by_line.len(), 3000, "{stderr}");
    let leads = all_leads(&sandbox).await;
    let mut per_email: BTreeMap<String, usize> = BTreeMap::new();
    for lead in &leads {
        *per_email.entry(lead.email.value().unwrap().clone()).or_default() += 1;
    }
    assert!(per_email.values().all(|n| *n == 1), "a lead was created twice");
    for (line, result) in &by_line {
        let email = format!("resume{}@example.com", line - 1);
        match result["status"].as_str().unwrap() {
            "CREATED" => assert_eq!(per_email.get(&email), Some(&1), "line {line}"),
            // Only records whose first send was cut off may be in doubt.
            "FAILED" => assert!(result["error"].as_str().unwrap().starts_with("outcome unknown"), "{result}"),
            other => panic!("line {line}: {other}"),
        }
    }
}

/// The client never exceeds its limit in any window, judged by the sandbox's own log of
/// accepted calls (a 5-per-second limit keeps the test short; 100 per 20 s works alike).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_rate_limit_holds_in_every_window_of_the_servers_log() {
    let config = SandboxConfig {
        rate_limit: Some(RateLimit { calls: 5, window: Duration::from_secs(1) }),
        max_concurrent_calls: Some(10),
        ..SandboxConfig::default()
    };
    let sandbox = sandbox(config).await;
    let dir = temp_dir("rate");
    let input = dir.join("leads.ndjson");
    write_ndjson(&input, 200, "rate");
    let args =
        ["sync-leads", input.to_str().unwrap(), "--batch-size", "10", "--concurrency", "4", "--rate-limit", "5/1"];
    let output = run_beside(&args, &sandbox.endpoint()).await;
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let calls = sandbox.accepted_call_times();
    assert_eq!(calls.len(), 20);
    assert_eq!(sandbox.stats().rejected, 0, "the server never had to refuse a call");
    for (i, start) in calls.iter().enumerate() {
        let in_window =
            calls.iter().filter(|t| **t >= *start && t.duration_since(*start) < Duration::from_secs(1)).count();
        assert!(in_window <= 5, "{in_window} calls in the second after call {i}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn custom_objects_sync_from_csv() {
    let sandbox = sandbox(unlimited()).await;
    let dir = temp_dir("objects");
    let input = dir.join("roadshows.csv");
    std::fs::write(
        &input,
        "MKTOID,rid,city,zip\n1090177,rid1,San Mateo,94404\n1090177,rid2,Austin,78701\n1090178,,Nowhere,00000\n",
    )
    .unwrap();
    let args = [
        "sync-custom-objects",
        "--type",
        "RoadShow",
        "--operation",
        "insert",
        "--keys",
        "MKTOID,rid",
        input.to_str().unwrap(),
    ];
    let output = run_beside(&args, &sandbox.endpoint()).await;
    assert_eq!(output.status.code(), Some(3), "{}", String::from_utf8_lossy(&output.stderr));
    let lines = results(&dir.join("roadshows.csv.results.ndjson"));
    let by_line = by_line(&lines);
    assert_eq!(
        (by_line[&2]["status"].as_str(), by_line[&2]["key"].as_str()),
        (Some("CREATED"), Some("MKTOID=1090177,rid=rid1"))
    );
    assert_eq!(by_line[&3]["status"], "CREATED");
    assert!(by_line[&4]["error"].as_str().unwrap().contains("`rid`"));
    // INSERT again: the objects exist, so both are SKIPPED.
    std::fs::remove_file(dir.join("roadshows.csv.results.ndjson")).unwrap();
    let again = run_beside(&args, &sandbox.endpoint()).await;
    assert_eq!(again.status.code(), Some(3));
    let counts = status_counts(&results(&dir.join("roadshows.csv.results.ndjson")));
    assert_eq!(counts, BTreeMap::from([("SKIPPED".into(), 2), ("REJECTED".into(), 1)]));
}

#[test]
fn ops_lists_every_operation_and_help_explains_the_commands() {
    let output = run(&["ops"], None);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success());
    assert!(text.contains("syncMultipleLeads        ParamsSyncMultipleLeads -> SuccessSyncMultipleLeads"), "{text}");
    assert_eq!(text.lines().filter(|l| !l.starts_with(' ')).count(), 23, "{text}");
    let help = String::from_utf8_lossy(&run(&["--help"], None).stdout).into_owned();
    for command in ["sync-leads", "sync-custom-objects", "sandbox", "ops"] {
        assert!(help.contains(command), "{help}");
    }
    let bad = run(&["sync-leads", "x.csv", "--concurrency", "11"], None);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("10"), "{}", String::from_utf8_lossy(&bad.stderr));
}

#[test]
fn encode_signs_reproducibly_and_decode_turns_soap_into_json() {
    let json = br#"{"leadRecordList":{"leadRecord":[{"Email":"a@b.c"}]},"dedupEnabled":true}"#;
    let encoded = run_with_stdin(&["encode", "sync-multiple-leads", "--timestamp", "2013-08-01T18:22:30-07:00"], json);
    assert!(encoded.status.success(), "{}", String::from_utf8_lossy(&encoded.stderr));
    let xml = String::from_utf8(encoded.stdout).unwrap();
    // The seed's credentials (from the environment) and time give the seed's signature.
    assert!(xml.contains("<requestSignature>b5e21953ae9f1b263e644da5eccce9ff33802513</requestSignature>"), "{xml}");
    assert!(xml.contains("<leadRecordList><leadRecord><Email>a@b.c</Email></leadRecord></leadRecordList><dedupEnabled>true</dedupEnabled>"), "{xml}");

    let decoded = run_with_stdin(&["decode", "syncMultipleLeads"], &shared_example("syncmultipleleads/response.xml"));
    assert!(decoded.status.success());
    let value: Value = serde_json::from_slice(&decoded.stdout).unwrap();
    assert_eq!(value["result"]["syncStatusList"]["syncStatus"][1]["leadId"], 1_090_239);
    assert_eq!(value["result"]["syncStatusList"]["syncStatus"][1]["error"], Value::Null);

    let fault = run_with_stdin(
        &["decode", "getLead"],
        &shared_example("authentication-signature/response-failure-invalid-credentials.xml"),
    );
    assert_eq!(fault.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&fault.stderr).contains("fault 20014"));

    let malformed = run_with_stdin(&["decode", "getLeadChanges"], &shared_example("getleadchanges/response.xml"));
    assert_eq!(malformed.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&malformed.stderr).contains("unreadable response: 84:"),
        "{}",
        String::from_utf8_lossy(&malformed.stderr)
    );

    let bad_json = run_with_stdin(&["encode", "syncMultipleLeads"], b"{\"leadRecordList\": 5}");
    assert_eq!(bad_json.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad_json.stderr).contains("not a valid syncMultipleLeads input"));
}

#[test]
fn call_goes_over_the_wire_to_the_embedded_sandbox() {
    let output =
        run_with_stdin(&["call", "syncMultipleLeads"], br#"{"leadRecordList":{"leadRecord":[{"Email":"x@y.z"},{}]}}"#);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let value: Value = serde_json::from_slice(&output.stdout).unwrap();
    let statuses = &value["result"]["syncStatusList"]["syncStatus"];
    assert_eq!((statuses[0]["status"].as_str(), statuses[1]["status"].as_str()), (Some("CREATED"), Some("FAILED")));
    assert!(statuses[1]["error"].as_str().unwrap().contains("no key"));
}

/// Ctrl-C stops starting batches, lets calls in flight finish and write their results, and
/// exits 130; `--resume` then finishes the job with every record once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_leaves_a_checkpoint_that_resume_completes() {
    let config = SandboxConfig { latency: Duration::from_millis(80), ..unlimited() };
    let sandbox = sandbox(config).await;
    let dir = temp_dir("ctrl-c");
    let input = dir.join("leads.ndjson");
    write_ndjson(&input, 2000, "interrupt");
    let results_path = dir.join("leads.ndjson.results.ndjson");
    let args = ["sync-leads", input.to_str().unwrap(), "--no-rate-limit", "--batch-size", "50", "--concurrency", "2"];
    let child = mktows(&args, Some(&sandbox.endpoint())).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap();
    let started = Instant::now();
    while std::fs::read_to_string(&results_path).map(|t| t.lines().count()).unwrap_or(0) < 300 {
        assert!(started.elapsed() < Duration::from_secs(60), "the run made no progress");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let interrupted = Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(interrupted.success());
    let output = tokio::task::spawn_blocking(move || child.wait_with_output().unwrap()).await.unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("--resume"), "{stderr}");
    let partial = results(&results_path);
    assert!(partial.len() < 2000 && partial.len().is_multiple_of(50), "whole batches only: {}", partial.len());

    let mut resume = args.to_vec();
    resume.push("--resume");
    let resumed = run_beside(&resume, &sandbox.endpoint()).await;
    assert!(resumed.status.success(), "{}", String::from_utf8_lossy(&resumed.stderr));
    assert_eq!(by_line(&results(&results_path)).len(), 2000);
    let leads = all_leads(&sandbox).await;
    let emails: BTreeSet<_> = leads.iter().map(|l| l.email.value().unwrap().clone()).collect();
    assert_eq!((leads.len(), emails.len()), (2000, 2000));
}
