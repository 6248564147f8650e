//! One sync command from start to end: everything is checked before anything is written or
//! sent (options, credentials, the whole input, the results file), then the run, then a
//! summary of the whole results file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use mktows::{Client, ClientConfig, Credentials};
use mktows_sandbox::{Sandbox, SandboxConfig, DEFAULT_SECRET_KEY, DEFAULT_USER_ID};

use crate::args::{CredentialArgs, RunArgs, SandboxLimitArgs};
use crate::errors::redact;
use crate::input::{self, Source};
use crate::out::{self, Failure};
use crate::progress::Progress;
use crate::results::{self, Identity, LineSet, Output, Previous, Writer};
use crate::sync::{self, Batches, Options, Outcome, Stopped, Target, Work};
use crate::{EXIT_INTERRUPTED, EXIT_RECORDS_FAILED};

pub async fn sync(file: &Path, target: Target, args: RunArgs, quiet: bool) -> Result<ExitCode, Failure> {
    let batch_size = check_options(&target, &args)?;
    let source = Source::from_arg(file);
    let output = output(&source, &args)?;
    let input = read_input(&source, &target, &args, quiet)?;
    if args.dry_run {
        let items = input.records()?.map(|record| record.map(|record| sync::prepare(&record, &target)));
        let rejected = sync::dry_run(&target, items, batch_size)?;
        return Ok(if rejected > 0 { ExitCode::from(EXIT_RECORDS_FAILED) } else { ExitCode::SUCCESS });
    }
    if let (Output::File(path), false) = (&output, args.resume) {
        results::check_fresh(path, args.overwrite)?;
    }
    let identity = Identity { input: input.fingerprint.clone(), endpoint: endpoint_identity(&args), job: target.job() };
    let config = ClientConfig { timeout: Duration::from_secs(args.timeout), ..ClientConfig::default() };
    let connection = connect(
        args.endpoint.clone(),
        args.sandbox_state.clone(),
        args.credentials,
        args.no_rate_limit,
        &config,
        quiet,
    )
    .await?;
    let mut previous = match (&output, args.resume) {
        (Output::File(path), true) => results::resume(path, &identity)?,
        (Output::File(path), false) => {
            results::start(path, &identity)?;
            Previous::default()
        }
        (Output::Stdout, _) => Previous::default(),
    };
    let total = input.records;
    let concurrency = usize::from(args.concurrency);
    let batches = pending_batches(&input, &target, std::mem::take(&mut previous.kept.lines), batch_size, concurrency)?;
    let in_doubt = std::mem::take(&mut previous.in_doubt);
    let work = Work { batches, in_doubt, total, done: previous.kept.len().min(total) };
    let options = Options {
        batch_size,
        concurrency,
        rate_limit: (!args.no_rate_limit).then_some(args.rate_limit),
        max_attempts: 6,
        backoff: Duration::from_millis(args.retry_pause_ms),
    };
    let writer = Writer::open(&output)?;
    let outcome = sync::run(connection.client, target, work, writer, options, Progress::for_stderr(quiet)).await?;
    let summary = Summary::new(&previous, &outcome, total);
    if !quiet || summary.exit_code() != 0 {
        summary.report(&output);
    }
    if let Some(path) = &args.summary_json {
        write_summary(path, &summary.to_json(&source, &output))?;
    }
    Ok(ExitCode::from(summary.exit_code()))
}

/// The options that need no file: the batch size, and what an endpoint or resume needs.
fn check_options(target: &Target, args: &RunArgs) -> Result<usize, Failure> {
    let batch_size = args.batch_size.unwrap_or(target.max_batch());
    if batch_size == 0 || batch_size > target.max_batch() {
        return Err(Failure::Usage(format!("--batch-size must be from 1 to {}", target.max_batch())));
    }
    let embedded = args.endpoint.is_none();
    if args.resume && embedded && args.sandbox_state.is_none() {
        return Err(Failure::Usage(
            "--resume against the embedded sandbox needs --sandbox-state FILE: without one every run starts an empty sandbox, so the first run's leads are gone".into(),
        ));
    }
    if !embedded && !args.dry_run && (args.credentials.user_id.is_none() || args.credentials.secret_key.is_none()) {
        return Err(Failure::Usage(
            "an endpoint needs --user-id and --secret-key (or MKTOWS_USER_ID and MKTOWS_SECRET_KEY)".into(),
        ));
    }
    Ok(batch_size)
}

/// The records to send, read from the input as the run goes, without the lines an earlier
/// run finished (`done`), in batches, a few ahead of the calls.
fn pending_batches(
    input: &input::Scan,
    target: &Target,
    done: LineSet,
    batch_size: usize,
    concurrency: usize,
) -> Result<Batches, Failure> {
    let target = target.clone();
    let items = input
        .records()?
        .filter(move |record| record.as_ref().map_or(true, |record| !done.contains(record.line)))
        .map(move |record| record.map(|record| sync::prepare(&record, &target)));
    Ok(Batches::spawn(items, batch_size, concurrency)?)
}

/// The whole input, checked against what `target` needs; warnings said up front.
fn read_input(source: &Source, target: &Target, args: &RunArgs, quiet: bool) -> Result<input::Scan, Failure> {
    let options = input::Options {
        format: args.input.format,
        delimiter: args.input.delimiter,
        encoding: args.input.encoding,
        limits: input::Limits { max_record_bytes: args.input.max_record_bytes, max_columns: args.input.max_columns },
    };
    let input = input::scan(source, &options)?;
    if !quiet {
        input.warnings.iter().for_each(|warning| eprintln!("mktows: warning: {warning}"));
    }
    let records = usize::try_from(input.records).unwrap_or(usize::MAX);
    target.check_columns(&input.columns, records).map_err(|e| format!("{}: {e}", source.describe()))?;
    Ok(input)
}

/// The endpoint as the journal records it: without userinfo, or the embedded sandbox and
/// its state file (a random port says nothing about which data it holds).
fn endpoint_identity(args: &RunArgs) -> String {
    match (&args.endpoint, &args.sandbox_state) {
        (Some(endpoint), _) => redact(endpoint),
        (None, Some(state)) => format!("the embedded sandbox with state file {}", absolute(state).display()),
        (None, None) => "the embedded sandbox".into(),
    }
}

fn output(source: &Source, args: &RunArgs) -> Result<Output, Failure> {
    let output = match (&args.output, source) {
        (Some(path), _) if path == Path::new("-") => Output::Stdout,
        (Some(path), _) => Output::File(path.clone()),
        (None, Source::File(path)) => Output::File(default_output(path)),
        (None, Source::Stdin) if args.dry_run => Output::Stdout,
        (None, Source::Stdin) => {
            return Err(Failure::Usage(
                "reading the input from stdin needs --output PATH (or --output - for stdout)".into(),
            ))
        }
    };
    if args.resume && output == Output::Stdout {
        return Err(Failure::Usage("--resume continues from a results file, so it cannot go with --output -".into()));
    }
    Ok(output)
}

/// `leads.csv` -> `leads.csv.results.ndjson`: the whole name, so that `leads.csv` and
/// `leads.txt` never share a results file.
fn default_output(input: &Path) -> PathBuf {
    let name = input.file_name().map_or_else(|| "input".into(), |s| s.to_string_lossy().into_owned());
    input.with_file_name(format!("{name}.results.ndjson"))
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// The whole results file's counts: the lines an earlier run left, and this run's.
struct Summary {
    total: BTreeMap<String, u64>,
    this_run: BTreeMap<String, u64>,
    earlier: u64,
    records: u64,
    stopped: Option<Stopped>,
}

impl Summary {
    fn new(previous: &Previous, outcome: &Outcome, records: u64) -> Self {
        let mut total = outcome.by_status.clone();
        for (status, count) in &previous.kept.by_status {
            *total.entry(status.clone()).or_default() += count;
        }
        Self {
            total,
            this_run: outcome.by_status.clone(),
            earlier: previous.kept.len(),
            records,
            stopped: outcome.stopped.clone(),
        }
    }

    fn count(&self, status: &str) -> u64 {
        self.total.get(status).copied().unwrap_or(0)
    }

    fn without_result(&self) -> u64 {
        self.records.saturating_sub(self.total.values().sum())
    }

    fn exit_code(&self) -> u8 {
        match &self.stopped {
            Some(Stopped::Interrupted) => EXIT_INTERRUPTED,
            Some(Stopped::Fatal(_)) => 1,
            None if self.count("FAILED") + self.count("REJECTED") + self.without_result() > 0 => EXIT_RECORDS_FAILED,
            None => 0,
        }
    }

    fn report(&self, output: &Output) {
        let counts: Vec<String> =
            self.total.iter().map(|(status, n)| format!("{n} {}", status.to_lowercase())).collect();
        let mut text = format!("mktows: {} records", self.records);
        if !counts.is_empty() {
            text.push_str(&format!(": {}", counts.join(", ")));
        }
        if self.earlier > 0 {
            text.push_str(&format!(" ({} of them from an earlier run)", self.earlier));
        }
        if self.without_result() > 0 {
            text.push_str(&format!("; {} without a result yet", self.without_result()));
        }
        eprintln!("{text}; results in {}", output.describe());
        match &self.stopped {
            Some(Stopped::Interrupted) => eprintln!("mktows: interrupted. Run again with --resume to finish."),
            Some(Stopped::Fatal(reason)) => {
                eprintln!("mktows: stopped early: {}. Run again with --resume to finish.", redact(reason));
            }
            None => {}
        }
    }

    fn to_json(&self, source: &Source, output: &Output) -> serde_json::Value {
        let stopped = match &self.stopped {
            None => serde_json::Value::Null,
            Some(Stopped::Interrupted) => "interrupted".into(),
            Some(Stopped::Fatal(reason)) => redact(reason).into(),
        };
        serde_json::json!({
            "input": source.describe(),
            "results": output.describe(),
            "records": self.records,
            "statuses": self.total,
            "thisRun": self.this_run,
            "fromEarlierRuns": self.earlier,
            "withoutResult": self.without_result(),
            "stopped": stopped,
            "exitCode": self.exit_code(),
        })
    }
}

fn write_summary(path: &Path, summary: &serde_json::Value) -> Result<(), Failure> {
    if path == Path::new("-") {
        return out::line(&summary.to_string());
    }
    std::fs::write(path, format!("{summary}\n"))
        .map_err(|e| Failure::Run(format!("cannot write {}: {e}", path.display())))
}

/// A client, and the embedded sandbox it talks to when there is no endpoint (kept running
/// as long as this is).
pub struct Connection {
    pub client: Client,
    _sandbox: Option<Sandbox>,
}

pub async fn connect(
    endpoint: Option<String>,
    sandbox_state: Option<PathBuf>,
    credentials: CredentialArgs,
    no_rate_limit: bool,
    client_config: &ClientConfig,
    quiet: bool,
) -> Result<Connection, Failure> {
    let (endpoint, credentials, sandbox) = match endpoint {
        Some(endpoint) => {
            let (Some(user_id), Some(secret_key)) = (credentials.user_id, credentials.secret_key) else {
                return Err(Failure::Usage(
                    "an endpoint needs --user-id and --secret-key (or MKTOWS_USER_ID and MKTOWS_SECRET_KEY)".into(),
                ));
            };
            (endpoint, Credentials::new(user_id, secret_key), None)
        }
        None => {
            let mut config = sandbox_config(credentials, sandbox_state);
            if no_rate_limit {
                config.rate_limit = None;
            }
            let credentials = Credentials::new(config.user_id.clone(), config.secret_key.clone());
            let sandbox = Sandbox::start(config, "127.0.0.1:0".parse().expect("a valid address"))
                .await
                .map_err(|e| format!("cannot start the embedded sandbox: {e}"))?;
            if !quiet {
                eprintln!(
                    "mktows: no endpoint given (--endpoint or MKTOWS_ENDPOINT): using the embedded sandbox at {}",
                    sandbox.endpoint()
                );
            }
            (sandbox.endpoint(), credentials, Some(sandbox))
        }
    };
    let client = Client::with_config(&endpoint, credentials, client_config).map_err(|e| e.to_string())?;
    Ok(Connection { client, _sandbox: sandbox })
}

fn sandbox_config(credentials: CredentialArgs, state_file: Option<PathBuf>) -> SandboxConfig {
    SandboxConfig {
        user_id: credentials.user_id.unwrap_or_else(|| DEFAULT_USER_ID.to_owned()),
        secret_key: credentials.secret_key.unwrap_or_else(|| DEFAULT_SECRET_KEY.to_owned()),
        state_file,
        ..SandboxConfig::default()
    }
}

/// `mktows sandbox`: serves until Ctrl-C, on the first address `listen` resolves to that binds.
pub async fn serve_sandbox(
    listen: &str,
    state: Option<PathBuf>,
    limits: SandboxLimitArgs,
    credentials: CredentialArgs,
) -> Result<ExitCode, Failure> {
    let addresses: Vec<_> = tokio::net::lookup_host(listen)
        .await
        .map_err(|e| Failure::Usage(format!("--listen `{listen}` is not HOST:PORT, such as localhost:8080: {e}")))?
        .collect();
    let mut config = sandbox_config(credentials, state);
    config.rate_limit = (!limits.no_rate_limit).then_some(limits.rate_limit);
    config.max_concurrent_calls = (!limits.no_concurrency_limit).then_some(usize::from(limits.max_concurrent_calls));
    config.latency = std::time::Duration::from_millis(limits.latency_ms);
    let user_id = config.user_id.clone();
    let mut last_error = None;
    for address in addresses {
        match Sandbox::start(config.clone(), address).await {
            Ok(sandbox) => {
                out::line(&sandbox.endpoint())?;
                eprintln!("mktows: sandbox serving at {} for user id {user_id}; Ctrl-C stops it", sandbox.endpoint());
                let _ = tokio::signal::ctrl_c().await;
                sandbox.shutdown().await;
                return Ok(ExitCode::SUCCESS);
            }
            Err(e) => last_error = Some(format!("cannot listen on {address}: {e}")),
        }
    }
    Err(Failure::Run(last_error.unwrap_or_else(|| format!("`{listen}` resolves to no address"))))
}
