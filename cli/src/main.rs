//! `mktows`: bulk-sync leads and custom objects into Marketo safely, run the local sandbox,
//! and inspect the API's operations.

mod args;
mod errors;
mod input;
mod job;
mod out;
mod progress;
mod rate;
mod results;
mod sync;
mod wire;

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use mktows::{Credentials, SyncOperationEnum, Timestamp};

use crate::args::{Cli, Color, Command, Mode};
use crate::out::Failure;
use crate::sync::Target;

/// Exit codes, as README documents them.
pub const EXIT_RECORDS_FAILED: u8 = 3;
pub const EXIT_INTERRUPTED: u8 = 130;
const EXIT_FAULT: u8 = 4;
const EXIT_USAGE: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(&cli);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("mktows: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    let quiet = cli.quiet;
    match runtime.block_on(run(cli.command, quiet)) {
        Ok(code) => code,
        Err(Failure::Closed) => ExitCode::SUCCESS,
        Err(Failure::Usage(message)) => {
            let error = Cli::command().error(clap::error::ErrorKind::ValueValidation, errors::redact(&message));
            let _ = error.print();
            ExitCode::from(EXIT_USAGE)
        }
        Err(Failure::Run(message)) => {
            eprintln!("mktows: error: {}", errors::redact(&message));
            ExitCode::FAILURE
        }
    }
}

/// Logs on stderr, coloured only on a terminal (or with `--color always`), never with NO_COLOR.
fn init_logging(cli: &Cli) {
    let level = match (cli.quiet, cli.verbose) {
        (true, _) => tracing::Level::ERROR,
        (false, 0) => tracing::Level::WARN,
        (false, 1) => tracing::Level::INFO,
        (false, 2) => tracing::Level::DEBUG,
        _ => tracing::Level::TRACE,
    };
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let ansi = match cli.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => !no_color && std::io::stderr().is_terminal(),
    };
    tracing_subscriber::fmt()
        .with_max_level(level)
        .with_writer(std::io::stderr)
        .with_ansi(ansi)
        .with_target(false)
        .init();
}

async fn run(command: Command, quiet: bool) -> Result<ExitCode, Failure> {
    match command {
        Command::SyncLeads { file, no_dedup, run, .. } => {
            job::sync(&file, Target::Leads { dedup: !no_dedup }, run, quiet).await
        }
        Command::SyncCustomObjects { file, type_name, operation, keys, run } => {
            let operation = match operation {
                Mode::Insert => SyncOperationEnum::Insert,
                Mode::Update => SyncOperationEnum::Update,
                Mode::Upsert => SyncOperationEnum::Upsert,
            };
            job::sync(&file, Target::CustomObjects { type_name, operation, keys }, run, quiet).await
        }
        Command::Sandbox { listen, state, limits, credentials } => {
            job::serve_sandbox(&listen, state, limits, credentials).await
        }
        Command::Encode { operation, timestamp, credentials } => {
            let name = wire::operation_name(&operation)?;
            let timestamp = match timestamp {
                Some(text) => Timestamp::from_w3c(text).map_err(Failure::Usage)?,
                None => Timestamp::now(),
            };
            let credentials = Credentials::new(
                credentials.user_id.unwrap_or_else(|| "YOUR_USER_ID".to_owned()),
                credentials.secret_key.unwrap_or_else(|| "YOUR_SECRET_KEY".to_owned()),
            );
            finish(wire::encode(name, &read_stdin()?, credentials, timestamp))
        }
        Command::Decode { operation } => {
            let name = wire::operation_name(&operation)?;
            let mut xml = Vec::new();
            std::io::Read::read_to_end(&mut std::io::stdin(), &mut xml)
                .map_err(|e| format!("cannot read stdin: {e}"))?;
            finish(wire::decode(name, xml))
        }
        Command::Call { operation, endpoint, sandbox_state, credentials } => {
            let name = wire::operation_name(&operation)?;
            let json = read_stdin()?;
            let connection =
                job::connect(endpoint, sandbox_state, credentials, false, &Default::default(), quiet).await?;
            finish(wire::call(name, json, connection.client).await)
        }
        Command::Ops => {
            for op in mktows::operations::ALL {
                out::line(&format!("{:<24} {} -> {}", op.name, op.input_type, op.output_type))?;
                if !op.doc.is_empty() {
                    out::line(&format!("{:<24} {}", "", op.doc.lines().next().unwrap_or_default()))?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "mktows", &mut script);
            out::line(String::from_utf8_lossy(&script).trim_end())?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn read_stdin() -> Result<String, Failure> {
    Ok(std::io::read_to_string(std::io::stdin()).map_err(|e| format!("cannot read stdin: {e}"))?)
}

fn finish(outcome: wire::Outcome) -> Result<ExitCode, Failure> {
    match outcome {
        wire::Outcome::Printed(text) => {
            out::line(&text)?;
            Ok(ExitCode::SUCCESS)
        }
        wire::Outcome::Fault { code, message } => {
            let code = code.map_or_else(|| "without a Marketo code".to_owned(), |c| c.to_string());
            eprintln!("mktows: fault {code}: {message}");
            Ok(ExitCode::from(EXIT_FAULT))
        }
        wire::Outcome::Failed(message) => Err(Failure::Run(message)),
    }
}
