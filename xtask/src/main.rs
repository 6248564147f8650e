//! `cargo xtask regenerate [--wsdl PATH|URL] [--check]` and `cargo xtask bench`.

use std::process::{Command, ExitCode};

use xtask::generate;
use xtask::regenerate::{self, Source};

const USAGE: &str = "\
usage:
  cargo xtask regenerate [--wsdl PATH|URL] [--check]
      Regenerate generated/ (the mktows crate, with the Marketo layer) from the WSDL
      (default ../shared/wsdl/mktows-2_2.wsdl).
      --check writes nothing and fails, naming the stale files, when generated/ is out of date.
  cargo xtask generate --wsdl PATH|URL --out DIR --crate-name NAME [--no-client] [--no-server] [--samples]
                      [--operations OP,OP]
      Write a standalone client crate for any WSDL into DIR (new, empty, or generated before),
      depending on this checkout's runtime by path, with the example `soap`
      (`cargo run -q --example soap --features serde -- encode|decode OP`, or `-- ops`).
      --samples also writes a sample request and response per operation (tests/samples) and
      tests/round_trip.rs, which checks each reads, writes and reads back unchanged.
      --operations writes only the operations named (as the WSDL names them) and the types
      they reach: a crate that builds in seconds from a WSDL of thousands of operations.
  cargo xtask corpus [--compile] [--only FILE,FILE] [DIR]
      Run the generator on every entry WSDL of a corpus (default ../shared/wsdl-corpus; entries
      are the MANIFEST.tsv rows with role `entry`): one line per file, generated or refused with
      the construct and file:line:column, and a total (and, when the manifest has a `zeep`
      column, how many of the files zeep loads we handle too).
      --compile also writes each generated crate with sample requests and responses under
      target/corpus/crates, checks it compiles with and without serde, and runs its round-trip
      tests: `N/M operations round-trip` (minutes).
      --only runs just the entries named (as MANIFEST.tsv names them).
  cargo xtask bench [--quick]
      Build in release mode and print benchmark figures, one `name value unit` per line.
      --quick skips the bulk-sync figures (which take over a minute).";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("regenerate") => regenerate_command(&args[1..]),
        Some("generate") => generate_command(&args[1..]),
        Some("corpus") => corpus_command(&args[1..]),
        Some("bench") => bench_command(&args[1..]),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

fn regenerate_command(args: &[String]) -> Result<(), String> {
    let mut source = Source::Path(xtask::default_wsdl());
    let mut check = false;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--check" => check = true,
            "--wsdl" => source = Source::parse(args.next().ok_or("--wsdl needs a path or URL")?),
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    let files = regenerate::generate(&source)?;
    let crate_dir = xtask::workspace_root().join("generated");
    if check {
        let stale = regenerate::stale_files(&files, &crate_dir);
        if stale.is_empty() {
            println!("generated/ is up to date with {}", source.display_name());
            return Ok(());
        }
        let list: Vec<String> = stale.iter().map(|s| format!("  {s}")).collect();
        return Err(format!("generated/ is stale; run `cargo xtask regenerate`:\n{}", list.join("\n")));
    }
    let touched = regenerate::write(&files, &crate_dir)?;
    if touched.is_empty() {
        println!("generated/ was already up to date with {}", source.display_name());
    }
    for path in touched {
        println!("wrote {}", path.display());
    }
    Ok(())
}

fn generate_command(args: &[String]) -> Result<(), String> {
    let (mut source, mut out, mut crate_name) = (None, None, None);
    let mut options = mktows_codegen::Options::default();
    let mut samples = false;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{arg} needs a value\n{USAGE}"));
        match arg.as_str() {
            "--wsdl" => source = Some(Source::parse(value()?)),
            "--out" => out = Some(std::path::PathBuf::from(value()?)),
            "--crate-name" => crate_name = Some(value()?.clone()),
            "--no-client" => options.client = false,
            "--no-server" => options.server = false,
            "--samples" => samples = true,
            "--operations" => {
                let names: Vec<String> =
                    value()?.split(',').map(str::trim).filter(|n| !n.is_empty()).map(str::to_owned).collect();
                if names.is_empty() {
                    return Err(format!("--operations needs at least one operation name\n{USAGE}"));
                }
                options.operations = Some(names);
            }
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    let missing = |what: &str| format!("{what} is required\n{USAGE}");
    let request = generate::Request {
        source: source.ok_or_else(|| missing("--wsdl"))?,
        out: out.ok_or_else(|| missing("--out"))?,
        crate_name: crate_name.ok_or_else(|| missing("--crate-name"))?,
        options,
        samples,
    };
    for path in generate::run(&request)? {
        println!("wrote {}", path.display());
    }
    Ok(())
}

fn corpus_command(args: &[String]) -> Result<(), String> {
    let mut root = xtask::workspace_root().join("../shared/wsdl-corpus");
    let (mut compile, mut only): (bool, Option<Vec<String>>) = (false, None);
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--compile" => compile = true,
            "--only" => {
                let list = args.next().ok_or_else(|| format!("--only needs FILE,FILE\n{USAGE}"))?;
                only = Some(list.split(',').map(str::trim).filter(|f| !f.is_empty()).map(String::from).collect());
            }
            other if !other.starts_with('-') => root = std::path::PathBuf::from(other),
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    // The crates share one target folder, so the runtime and its dependencies build once.
    let work = xtask::workspace_root().join("target/corpus");
    if compile {
        // Only crates this command wrote before live here; start each run clean.
        let _ = std::fs::remove_dir_all(work.join("crates"));
    }
    let lines = xtask::corpus::run(&root, compile.then_some(work.as_path()), only.as_deref())?;
    print!("{}", xtask::corpus::report(&lines));
    Ok(())
}

fn bench_command(args: &[String]) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let root = xtask::workspace_root();
    // The bulk-sync figures run the real `mktows` binary, so it is built in release mode too.
    let built = Command::new(&cargo)
        .current_dir(&root)
        .args(["build", "--quiet", "--release", "--package", "mktows-cli", "--package", "mktows-bench"])
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !built.success() {
        return Err(format!("the release build failed ({built})"));
    }
    // Where cargo put the binaries: `CARGO_TARGET_DIR` when set, else the workspace's target.
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), |dir| root.join(dir));
    let status = Command::new(target.join("release/mktows-bench"))
        .env("MKTOWS_BIN", target.join("release/mktows"))
        .args(args)
        .status()
        .map_err(|e| format!("cannot run the benchmark: {e}"))?;
    status.success().then_some(()).ok_or_else(|| format!("the benchmark failed ({status})"))
}
