//! `mktows`: bulk-sync leads and custom objects into Marketo safely, run the local sandbox,
//! and inspect the API's operations.

mod input;
mod progress;
mod rate;
mod sync;
mod wire;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};
use mktows::{Client, ClientConfig, Credentials, SyncOperationEnum, Timestamp};
use mktows_marketo::limits;
use mktows_sandbox::{Sandbox, SandboxConfig, DEFAULT_SECRET_KEY, DEFAULT_USER_ID};

use crate::progress::Progress;
use crate::rate::RateLimit;
use crate::sync::{Options, Summary, Target};

/// Exit codes, as README documents them.
const EXIT_RECORDS_FAILED: u8 = 3;
const EXIT_INTERRUPTED: u8 = 130;
const EXIT_FAULT: u8 = 4;

/// The most calls `--concurrency` allows in flight: Marketo's limit.
const MAX_CONCURRENCY: i64 = limits::MAX_CONCURRENT_CALLS as i64;

#[derive(Parser)]
#[command(name = "mktows", version, about = "Push leads and custom objects into Marketo through its mktows SOAP API.")]
#[command(after_help = "Without --endpoint (or MKTOWS_ENDPOINT), sync commands run against an embedded local sandbox.")]
struct Cli {
    /// More log output on stderr (-v, -vv, -vvv).
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    verbose: u8,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Sync the leads in FILE (CSV with a header row of Marketo field names, or NDJSON).
    SyncLeads {
        /// The input file: .csv, or .ndjson/.jsonl/.json for one JSON object per line.
        file: PathBuf,
        /// Deduplicate leads by email when they have no other id (the default).
        #[arg(long, overrides_with = "no_dedup")]
        dedup: bool,
        /// Create a new lead for every record without an Id or ForeignSysPersonId.
        #[arg(long)]
        no_dedup: bool,
        #[command(flatten)]
        run: RunArgs,
    },
    /// Sync the custom objects in FILE, keyed by the --keys columns.
    SyncCustomObjects {
        file: PathBuf,
        /// The custom object type, such as RoadShow.
        #[arg(long = "type", value_name = "NAME")]
        type_name: String,
        #[arg(long, value_enum, default_value_t = Mode::Upsert)]
        operation: Mode,
        /// The key fields, comma-separated, such as MKTOID,rid.
        #[arg(long, value_delimiter = ',', required = true)]
        keys: Vec<String>,
        #[command(flatten)]
        run: RunArgs,
    },
    /// Run the sandbox server in the foreground until interrupted.
    Sandbox {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: std::net::SocketAddr,
        #[command(flatten)]
        credentials: CredentialArgs,
    },
    /// List the API's operations with their input and output types.
    Ops,
    /// Read an operation's params as JSON on stdin; print the signed SOAP request.
    Encode {
        /// The operation, such as syncMultipleLeads (or sync-multiple-leads).
        operation: String,
        /// Sign with this time instead of now, for reproducible output (2013-08-01T18:22:30-07:00).
        #[arg(long)]
        timestamp: Option<String>,
        #[command(flatten)]
        credentials: CredentialArgs,
    },
    /// Read a SOAP response on stdin; print it as JSON (a fault exits with 4).
    Decode { operation: String },
    /// Read params as JSON on stdin, call the operation, print the answer as JSON.
    Call {
        operation: String,
        /// The SOAP endpoint; without one, the embedded sandbox answers.
        #[arg(long, env = "MKTOWS_ENDPOINT")]
        endpoint: Option<String>,
        #[command(flatten)]
        credentials: CredentialArgs,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Mode {
    Insert,
    Update,
    Upsert,
}

#[derive(Args)]
struct CredentialArgs {
    /// Marketo SOAP user id [default: the sandbox's, when no endpoint is given].
    #[arg(long, env = "MKTOWS_USER_ID")]
    user_id: Option<String>,
    /// Marketo SOAP secret key [default: the sandbox's, when no endpoint is given].
    #[arg(long, env = "MKTOWS_SECRET_KEY", hide_env_values = true)]
    secret_key: Option<String>,
}

#[derive(Args)]
struct RunArgs {
    /// The SOAP endpoint, such as https://123-ABC-456.mktoapi.com/soap/mktows/2_2.
    #[arg(long, env = "MKTOWS_ENDPOINT")]
    endpoint: Option<String>,
    #[command(flatten)]
    credentials: CredentialArgs,
    /// Where to write one NDJSON result line per input record [default: FILE.results.ndjson].
    #[arg(long)]
    output: Option<PathBuf>,
    /// Records per call (at most 300 leads or 100 custom objects).
    #[arg(long)]
    batch_size: Option<usize>,
    /// Calls in flight at once (Marketo allows 10).
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=MAX_CONCURRENCY))]
    concurrency: u16,
    /// Continue an interrupted run from its result file, without resending what succeeded.
    #[arg(long, conflicts_with = "overwrite")]
    resume: bool,
    /// Start over, replacing an existing result file (records are sent again).
    #[arg(long)]
    overwrite: bool,
    /// Calls allowed per window, as CALLS/SECONDS; Marketo allows 100/20.
    #[arg(long, default_value_t = RateLimit::MARKETO, value_parser = parse_rate)]
    rate_limit: RateLimit,
    /// Do not limit the call rate (for the local sandbox and benchmarks).
    #[arg(long)]
    no_rate_limit: bool,
    /// Seconds before a call times out.
    #[arg(long, default_value_t = 120)]
    timeout: u64,
}

fn parse_rate(text: &str) -> Result<RateLimit, String> {
    let (calls, seconds) = text.split_once('/').ok_or("expected CALLS/SECONDS, such as 100/20")?;
    let calls: usize = calls.trim().parse().map_err(|_| format!("`{calls}` is not a number of calls"))?;
    let seconds: f64 = seconds.trim().parse().map_err(|_| format!("`{seconds}` is not a number of seconds"))?;
    if calls == 0 || seconds.is_nan() || seconds <= 0.0 {
        return Err("both numbers must be above zero".into());
    }
    Ok(RateLimit { calls, window: Duration::from_secs_f64(seconds) })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let level = match cli.verbose {
        0 => tracing::Level::WARN,
        1 => tracing::Level::INFO,
        2 => tracing::Level::DEBUG,
        _ => tracing::Level::TRACE,
    };
    tracing_subscriber::fmt().with_max_level(level).with_writer(std::io::stderr).with_target(false).init();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("mktows: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command)) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("mktows: error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command) -> Result<ExitCode, String> {
    match command {
        Command::SyncLeads { file, no_dedup, run, .. } => sync(&file, Target::Leads { dedup: !no_dedup }, run).await,
        Command::SyncCustomObjects { file, type_name, operation, keys, run } => {
            let operation = match operation {
                Mode::Insert => SyncOperationEnum::Insert,
                Mode::Update => SyncOperationEnum::Update,
                Mode::Upsert => SyncOperationEnum::Upsert,
            };
            sync(&file, Target::CustomObjects { type_name, operation, keys }, run).await
        }
        Command::Sandbox { listen, credentials } => serve_sandbox(listen, credentials).await,
        Command::Encode { operation, timestamp, credentials } => {
            let name = wire::operation_name(&operation)?;
            let timestamp = match timestamp {
                Some(text) => Timestamp::from_w3c(text)?,
                None => Timestamp::now(),
            };
            let credentials = Credentials::new(
                credentials.user_id.unwrap_or_else(|| "YOUR_USER_ID".to_owned()),
                credentials.secret_key.unwrap_or_else(|| "YOUR_SECRET_KEY".to_owned()),
            );
            Ok(finish(wire::encode(name, &read_stdin()?, credentials, timestamp)))
        }
        Command::Decode { operation } => {
            let name = wire::operation_name(&operation)?;
            let mut xml = Vec::new();
            std::io::Read::read_to_end(&mut std::io::stdin(), &mut xml)
                .map_err(|e| format!("cannot read stdin: {e}"))?;
            Ok(finish(wire::decode(name, xml)))
        }
        Command::Call { operation, endpoint, credentials } => {
            let name = wire::operation_name(&operation)?;
            let json = read_stdin()?;
            let (client, _sandbox) = connect(endpoint, credentials, false).await?;
            Ok(finish(wire::call(name, json, client).await))
        }
        Command::Ops => {
            for op in mktows::operations::ALL {
                println!("{:<24} {} -> {}", op.name, op.input_type, op.output_type);
                if !op.doc.is_empty() {
                    println!("{:<24} {}", "", op.doc.lines().next().unwrap_or_default());
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn read_stdin() -> Result<String, String> {
    std::io::read_to_string(std::io::stdin()).map_err(|e| format!("cannot read stdin: {e}"))
}

fn finish(outcome: wire::Outcome) -> ExitCode {
    match outcome {
        wire::Outcome::Printed(text) => {
            println!("{text}");
            ExitCode::SUCCESS
        }
        wire::Outcome::Fault { code, message } => {
            let code = code.map_or_else(|| "without a Marketo code".to_owned(), |c| c.to_string());
            eprintln!("mktows: fault {code}: {message}");
            ExitCode::from(EXIT_FAULT)
        }
        wire::Outcome::Failed(message) => {
            eprintln!("mktows: error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// A client for `endpoint`, or for an embedded sandbox (returned too, to keep it running)
/// when there is none.
async fn connect(
    endpoint: Option<String>,
    credentials: CredentialArgs,
    no_rate_limit: bool,
) -> Result<(Client, Option<Sandbox>), String> {
    connect_with(endpoint, credentials, no_rate_limit, &ClientConfig::default()).await
}

async fn connect_with(
    endpoint: Option<String>,
    credentials: CredentialArgs,
    no_rate_limit: bool,
    client_config: &ClientConfig,
) -> Result<(Client, Option<Sandbox>), String> {
    let (endpoint, credentials, sandbox) = match endpoint {
        Some(endpoint) => {
            let (Some(user_id), Some(secret_key)) = (credentials.user_id, credentials.secret_key) else {
                return Err(
                    "an endpoint needs --user-id and --secret-key (or MKTOWS_USER_ID and MKTOWS_SECRET_KEY)".into()
                );
            };
            (endpoint, Credentials::new(user_id, secret_key), None)
        }
        None => {
            let mut config = sandbox_config(credentials);
            if no_rate_limit {
                config.rate_limit = None;
            }
            let credentials = Credentials::new(config.user_id.clone(), config.secret_key.clone());
            let sandbox = Sandbox::start(config, "127.0.0.1:0".parse().expect("a valid address"))
                .await
                .map_err(|e| format!("cannot start the embedded sandbox: {e}"))?;
            eprintln!(
                "mktows: no endpoint given (--endpoint or MKTOWS_ENDPOINT): using the embedded sandbox at {}",
                sandbox.endpoint()
            );
            (sandbox.endpoint(), credentials, Some(sandbox))
        }
    };
    let client = Client::with_config(&endpoint, credentials, client_config).map_err(|e| e.to_string())?;
    Ok((client, sandbox))
}

fn sandbox_config(credentials: CredentialArgs) -> SandboxConfig {
    SandboxConfig {
        user_id: credentials.user_id.unwrap_or_else(|| DEFAULT_USER_ID.to_owned()),
        secret_key: credentials.secret_key.unwrap_or_else(|| DEFAULT_SECRET_KEY.to_owned()),
        ..SandboxConfig::default()
    }
}

async fn serve_sandbox(listen: std::net::SocketAddr, credentials: CredentialArgs) -> Result<ExitCode, String> {
    let config = sandbox_config(credentials);
    let user_id = config.user_id.clone();
    let sandbox = Sandbox::start(config, listen).await.map_err(|e| format!("cannot listen on {listen}: {e}"))?;
    println!("{}", sandbox.endpoint());
    eprintln!("mktows: sandbox serving at {} for user id {user_id}; Ctrl-C stops it", sandbox.endpoint());
    let _ = tokio::signal::ctrl_c().await;
    sandbox.shutdown().await;
    Ok(ExitCode::SUCCESS)
}

async fn sync(file: &Path, target: Target, args: RunArgs) -> Result<ExitCode, String> {
    let batch_size = args.batch_size.unwrap_or(target.max_batch());
    if batch_size == 0 || batch_size > target.max_batch() {
        return Err(format!("--batch-size must be from 1 to {}", target.max_batch()));
    }
    let records = input::read(file)?;
    let output = args.output.clone().unwrap_or_else(|| default_output(file));
    if args.overwrite {
        remove_results(&output)?;
    }

    // No endpoint: the embedded sandbox, with the same limits as Marketo unless told otherwise.
    let config = ClientConfig { timeout: Duration::from_secs(args.timeout), ..ClientConfig::default() };
    let (client, _sandbox) = connect_with(args.endpoint.clone(), args.credentials, args.no_rate_limit, &config).await?;
    let options = Options {
        batch_size,
        concurrency: usize::from(args.concurrency),
        rate_limit: (!args.no_rate_limit).then_some(args.rate_limit),
        output: output.clone(),
        resume: args.resume,
        max_attempts: 6,
        backoff: Duration::from_millis(500),
    };
    let summary = sync::run(client, target, records, options, Progress::for_stderr()).await?;
    report(&summary, &output);
    Ok(exit_code(&summary))
}

fn remove_results(output: &Path) -> Result<(), String> {
    for path in [output.to_path_buf(), sync::journal_path(output)] {
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(format!("cannot remove {}: {e}", path.display())),
        }
    }
    Ok(())
}

fn default_output(input: &Path) -> PathBuf {
    let stem = input.file_stem().map_or_else(|| "input".into(), |s| s.to_string_lossy().into_owned());
    input.with_file_name(format!("{stem}.results.ndjson"))
}

fn report(summary: &Summary, output: &Path) {
    let counts: Vec<String> =
        summary.by_status.iter().map(|(status, n)| format!("{n} {}", status.to_lowercase())).collect();
    let done = if summary.already_done > 0 {
        format!(" ({} done by an earlier run)", summary.already_done)
    } else {
        String::new()
    };
    eprintln!(
        "mktows: {}{done}; results in {}",
        if counts.is_empty() { "nothing to do".into() } else { counts.join(", ") },
        output.display()
    );
    if let Some(reason) = &summary.stopped {
        eprintln!("mktows: stopped early: {reason}. Run again with --resume to finish.");
    }
}

fn exit_code(summary: &Summary) -> ExitCode {
    match &summary.stopped {
        Some(reason) if reason == "interrupted" => ExitCode::from(EXIT_INTERRUPTED),
        Some(_) => ExitCode::FAILURE,
        None if summary.failures() > 0 => ExitCode::from(EXIT_RECORDS_FAILED),
        None => ExitCode::SUCCESS,
    }
}
