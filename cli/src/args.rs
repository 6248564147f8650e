//! The command line, as clap reads it.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};
use mktows_marketo::limits;

use crate::input::{Format, Limits};
use crate::rate::RateLimit;

/// The most calls `--concurrency` allows in flight: Marketo's limit.
const MAX_CONCURRENCY: i64 = limits::MAX_CONCURRENT_CALLS as i64;

#[derive(Parser)]
#[command(name = "mktows", version, about = "Push leads and custom objects into Marketo through its mktows SOAP API.")]
#[command(after_help = "Without --endpoint (or MKTOWS_ENDPOINT), sync commands run against an embedded local sandbox.")]
pub struct Cli {
    /// More log output on stderr (-v, -vv, -vvv).
    #[arg(short, long, action = clap::ArgAction::Count, global = true, conflicts_with = "quiet")]
    pub verbose: u8,
    /// Only errors on stderr: no progress, notes or warnings.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// Colour in log output: auto follows the terminal (and NO_COLOR).
    #[arg(long, value_enum, default_value_t = Color::Auto, global = true, value_name = "WHEN")]
    pub color: Color,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand)]
pub enum Command {
    /// Sync the leads in FILE (CSV with a header row of Marketo field names, NDJSON or a JSON array).
    SyncLeads {
        /// The input file, or - for stdin.
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
        /// The input file, or - for stdin.
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
        /// Address to listen on, as HOST:PORT (localhost:8080, 0.0.0.0:8080; port 0 picks a free one).
        #[arg(long, default_value = "127.0.0.1:8080", value_name = "HOST:PORT")]
        listen: String,
        /// Keep the sandbox's leads and custom objects in FILE, across restarts.
        #[arg(long, value_name = "FILE")]
        state: Option<PathBuf>,
        #[command(flatten)]
        limits: SandboxLimitArgs,
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
        /// The embedded sandbox's state file (see `mktows sandbox --state`).
        #[arg(long, value_name = "FILE", conflicts_with = "endpoint")]
        sandbox_state: Option<PathBuf>,
        #[command(flatten)]
        credentials: CredentialArgs,
    },
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell) on stdout.
    Completions { shell: clap_complete::Shell },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Mode {
    Insert,
    Update,
    Upsert,
}

#[derive(Args)]
pub struct CredentialArgs {
    /// Marketo SOAP user id [default: the sandbox's, when no endpoint is given].
    #[arg(long, env = "MKTOWS_USER_ID")]
    pub user_id: Option<String>,
    /// Marketo SOAP secret key [default: the sandbox's, when no endpoint is given].
    #[arg(long, env = "MKTOWS_SECRET_KEY", hide_env_values = true)]
    pub secret_key: Option<String>,
}

#[derive(Args)]
pub struct RunArgs {
    /// The SOAP endpoint, such as https://123-ABC-456.mktoapi.com/soap/mktows/2_2.
    #[arg(long, env = "MKTOWS_ENDPOINT")]
    pub endpoint: Option<String>,
    /// Without an endpoint, keep the embedded sandbox's data in FILE, so that --resume meets it.
    #[arg(long, value_name = "FILE", conflicts_with = "endpoint")]
    pub sandbox_state: Option<PathBuf>,
    #[command(flatten)]
    pub credentials: CredentialArgs,
    /// Where to write one NDJSON result line per input record, - for stdout [default: FILE.results.ndjson].
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Records per call (at most 300 leads or 100 custom objects).
    #[arg(long)]
    pub batch_size: Option<usize>,
    /// Calls in flight at once (Marketo allows 10).
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=MAX_CONCURRENCY))]
    pub concurrency: u16,
    /// Continue an interrupted run from its results file, without resending what succeeded.
    #[arg(long, conflicts_with_all = ["overwrite", "dry_run"])]
    pub resume: bool,
    /// Start over, replacing an existing results file (records are sent again).
    #[arg(long)]
    pub overwrite: bool,
    /// Read, check and batch the input, and print each call's params as JSON on stdout; send nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// At the end, write a JSON summary of the results file to PATH (- for stdout).
    #[arg(long, value_name = "PATH")]
    pub summary_json: Option<PathBuf>,
    /// Calls allowed per window, as CALLS/SECONDS; Marketo allows 100/20.
    #[arg(long, default_value_t = RateLimit::MARKETO, value_parser = parse_rate)]
    pub rate_limit: RateLimit,
    /// Do not limit the call rate (for the local sandbox and benchmarks).
    #[arg(long)]
    pub no_rate_limit: bool,
    /// Seconds before a call times out.
    #[arg(long, default_value_t = 120)]
    pub timeout: u64,
    #[command(flatten)]
    pub input: InputArgs,
    /// The first pause between retries, in milliseconds (it doubles each time).
    #[arg(long, default_value_t = 500, hide = true)]
    pub retry_pause_ms: u64,
}

/// The limits `mktows sandbox` enforces; Marketo's by default.
#[derive(Args, Clone)]
pub struct SandboxLimitArgs {
    /// Calls allowed per window, as CALLS/SECONDS; Marketo allows 100/20.
    #[arg(long, default_value_t = RateLimit::MARKETO, value_parser = parse_rate)]
    pub rate_limit: RateLimit,
    /// Do not limit the call rate (for bulk benchmarks against a separate sandbox).
    #[arg(long)]
    pub no_rate_limit: bool,
    /// Calls served at once before a call is refused; Marketo allows 10.
    #[arg(long, default_value_t = 10, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub max_concurrent_calls: u16,
    /// Do not limit how many calls are served at once.
    #[arg(long)]
    pub no_concurrency_limit: bool,
    /// Extra milliseconds every accepted call takes, to imitate a remote service.
    #[arg(long, default_value_t = 0, value_name = "MS")]
    pub latency_ms: u64,
}

#[derive(Args)]
pub struct InputArgs {
    /// The input's format [default: from the extension: .ndjson/.jsonl NDJSON, .json JSON, else CSV].
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// CSV's delimiter: one character, such as ';' or '\t' [default: ',', a tab for .tsv].
    #[arg(long, value_parser = parse_delimiter)]
    pub delimiter: Option<u8>,
    /// The input's encoding, such as windows-1252, latin1 or utf-16le [default: UTF-8, or what a BOM says].
    #[arg(long, value_parser = parse_encoding)]
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// The most bytes one record may take; a larger record is REJECTED.
    #[arg(long, default_value_t = Limits::DEFAULT_MAX_RECORD_BYTES)]
    pub max_record_bytes: usize,
    /// The most fields one record may have; a record with more is REJECTED.
    #[arg(long, default_value_t = Limits::DEFAULT_MAX_COLUMNS)]
    pub max_columns: usize,
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

fn parse_delimiter(text: &str) -> Result<u8, String> {
    match text {
        "\\t" | "tab" | "\t" => Ok(b'\t'),
        _ if text.len() == 1 && text.is_ascii() && !matches!(text, "\"" | "\n" | "\r") => Ok(text.as_bytes()[0]),
        _ => Err("the delimiter is one ASCII character other than a quote or a line end, such as ; or '\\t'".into()),
    }
}

fn parse_encoding(text: &str) -> Result<&'static encoding_rs::Encoding, String> {
    encoding_rs::Encoding::for_label(text.trim().as_bytes())
        .ok_or_else(|| format!("`{text}` is not an encoding label (such as utf-8, windows-1252, latin1, utf-16le)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiters_and_encodings_are_checked() {
        assert_eq!(parse_delimiter(";"), Ok(b';'));
        assert_eq!(parse_delimiter("\\t"), Ok(b'\t'));
        assert!(parse_delimiter(";;").is_err());
        assert!(parse_delimiter("\"").is_err());
        assert_eq!(parse_encoding("latin1").unwrap().name(), "windows-1252");
        assert!(parse_encoding("klingon").is_err());
    }

    #[test]
    fn the_command_line_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
